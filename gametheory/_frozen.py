"""Value equality for the package's frozen results, whose fields hold numpy arrays, and tuple-like listings.

A dataclass's generated ``__eq__`` compares field tuples with ``==``, which for an array field gives an array and
then fails (``truth value of an array is ambiguous``); ``eq=False`` falls back to identity, so a result is not equal
to its own copy after a pickle round trip (a process or Dask backend sends results that way). :class:`FrozenResult`
gives a result class equality by value instead: two results are equal when they are of the same class and every
field is equal, arrays entry by entry (same shape, NaN equal to NaN), containers member by member.
:class:`Listing` gives a result that lists items (rest points, equilibria of a tree) ``len``, iteration and
indexing over one tuple field.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import Any, Generic, TypeVar

import numpy as np

__all__ = ["FrozenResult", "Listing", "values_equal"]

T = TypeVar("T")


def values_equal(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` hold the same values: arrays entry by entry (NaN equals NaN), tuples, lists and
    mappings member by member, floats with NaN equal to NaN, pandas tables by ``.equals``, anything else by ``==``.

    Examples
    --------
    >>> import numpy as np
    >>> values_equal((np.array([1.0, np.nan]), {"k": 2}), (np.array([1.0, np.nan]), {"k": 2}))
    True
    >>> values_equal(np.zeros(2), np.zeros(3)), values_equal([1, 2], (1, 2))
    (False, False)
    """
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        nan_aware = a.dtype.kind in "fc" and b.dtype.kind in "fc"
        return bool(np.array_equal(a, b, equal_nan=nan_aware))
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(values_equal(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(values_equal(a[key], b[key]) for key in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is type(b) and type(a).__module__.split(".")[0] == "pandas":  # tables (no pandas import here)
        return bool(a.equals(b))
    same = a == b
    return bool(same.all()) if isinstance(same, np.ndarray) else bool(same)


class FrozenResult:
    """Mixin: equality by value over a frozen dataclass's fields (declare the dataclass with ``eq=False``).

    Results are not hashable (their fields are arrays).

    Examples
    --------
    >>> import copy
    >>> from dataclasses import dataclass
    >>> import numpy as np
    >>> @dataclass(frozen=True, eq=False)
    ... class Point(FrozenResult):
    ...     x: np.ndarray
    >>> p = Point(np.array([0.5, np.nan]))
    >>> copy.deepcopy(p) == p, p == Point(np.array([0.5, 1.0]))
    (True, False)
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        return all(values_equal(getattr(self, name), getattr(other, name)) for name in names)

    __hash__ = None  # type: ignore[assignment]


class Listing(Generic[T]):
    """Mixin for a frozen result that lists items: ``len()``, iteration and indexing read one tuple field.

    A subclass names that field in the class attribute ``_ITEMS`` (a plain attribute, not a dataclass field).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Pair(Listing[int]):
    ...     values: tuple[int, ...]
    ...     _ITEMS = "values"
    >>> pair = Pair((3, 4))
    >>> len(pair), list(pair), pair[-1]
    (2, [3, 4], 4)
    """

    _ITEMS: str

    def _items(self) -> tuple[T, ...]:
        items: tuple[T, ...] = getattr(self, self._ITEMS)
        return items

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator[T]:
        return iter(self._items())

    def __getitem__(self, k: int) -> T:
        return self._items()[k]

    def _listed(self, head: str) -> str:
        """``head``, then one indented line per item (the ``repr`` of a listing)."""
        return "\n".join([head] + [f"  {k}: {item!r}" for k, item in enumerate(self._items())])
