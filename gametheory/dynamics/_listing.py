"""Tuple-like access shared by the package's frozen listings (rest points, the stability table, corner rows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


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
