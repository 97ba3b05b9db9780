"""Declarative argument validation with one error format.

Each public function declares a table of constraints, one per argument, and is wrapped by
:func:`validate_params`. A bad value raises :class:`~gametheory.errors.InvalidParameterError` with the message

    The 'tol' parameter of solve must be a float in [0, inf). Got -1.0 instead.

The table is attached to the function as ``__gt_constraints__`` so one meta-test can check every public
function (keys equal the signature; a bad value raises the standard message).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import numpy as np

from .errors import InvalidParameterError

__all__ = [
    "Interval",
    "StrOptions",
    "InstanceOf",
    "NoneOr",
    "validate_params",
    "check_param",
    "float_array",
    "check_random_state",
    "closest_name",
    "unknown_name_error",
]

F = TypeVar("F", bound=Callable[..., Any])


class Interval:
    """Real (or integral) numbers in an interval; NaN and infinities are never inside a finite bound.

    >>> 0.5 in Interval(float, 0, 1)
    True
    >>> str(Interval(int, 1, None))
    'an int in [1, inf)'
    """

    def __init__(
        self,
        kind: type,
        left: float | None,
        right: float | None,
        closed: str = "both",
    ) -> None:
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed must be 'both', 'left', 'right' or 'neither', got {closed!r}")
        self.kind = kind
        self.left = left
        self.right = right
        self.closed = closed

    def __contains__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.kind is int and not isinstance(value, numbers.Integral):
            return False
        x = float(value)
        if math.isnan(x):
            return False
        if math.isinf(x) and (self.left is not None and self.right is not None):
            return False
        closed_left = self.closed in ("both", "left")
        closed_right = self.closed in ("both", "right")
        if self.left is not None and (x < self.left or (x == self.left and not closed_left)):
            return False
        return not (self.right is not None and (x > self.right or (x == self.right and not closed_right)))

    def __str__(self) -> str:
        noun = "an int" if self.kind is int else "a float"
        lb = "[" if self.closed in ("both", "left") and self.left is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        left = "-inf" if self.left is None else _fmt(self.left)
        right = "inf" if self.right is None else _fmt(self.right)
        return f"{noun} in {lb}{left}, {right}{rb}"


class StrOptions:
    """One of a fixed set of strings.

    >>> str(StrOptions({"pure", "auto"}))
    "a str among {'auto', 'pure'}"
    """

    def __init__(self, options: Iterable[str]) -> None:
        self.options = frozenset(options)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        listed = ", ".join(repr(o) for o in sorted(self.options))
        return f"a str among {{{listed}}}"


class InstanceOf:
    """An instance of one of the given types."""

    def __init__(self, *types: type, description: str | None = None) -> None:
        self.types = types
        self.description = description

    def __contains__(self, value: object) -> bool:
        return isinstance(value, self.types)

    def __str__(self) -> str:
        if self.description:
            return self.description
        names = " or ".join(t.__name__ for t in self.types)
        return f"an instance of {names}"


class NoneOr:
    """``None`` or a value that satisfies ``inner``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __contains__(self, value: object) -> bool:
        return value is None or value in self.inner

    def __str__(self) -> str:
        return f"None or {self.inner}"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def check_param(func_name: str, name: str, value: Any, constraint: Any) -> Any:
    """Raise the standard error unless ``value in constraint``; return ``value`` unchanged."""
    if value not in constraint:
        raise InvalidParameterError(
            f"The {name!r} parameter of {func_name} must be {constraint}. Got {value!r} instead."
        )
    return value


def float_array(func_name: str, name: str, value: Any, *, what: str = "an array of floats",
                copy: bool = False) -> np.ndarray:
    """``value`` as a float64 array (a copy when ``copy``), or the standard error saying it must be ``what``.

    >>> float_array("f", "x", [1, 2]).tolist()
    [1.0, 2.0]
    >>> float_array("f", "x", ["a"])
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: The 'x' parameter of f must be an array of floats. Got ['a'] instead.
    """
    try:
        return np.array(value, dtype=float) if copy else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"The {name!r} parameter of {func_name} must be {what}. Got {value!r} instead.") \
            from None


def validate_params(constraints: dict[str, Any]) -> Callable[[F], F]:
    """Decorate a public function so its arguments are checked against ``constraints`` at call time.

    Arguments whose constraint is ``None`` are checked inside the function itself (e.g. games).
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"constraints for unknown arguments of {func.__qualname__}: {sorted(unknown)}")

        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        positional = [p.name for p in signature.parameters.values() if p.kind in kinds]

        # the positional parameters that have a constraint, by position (most calls pass none of them)
        checked = [(i, name, constraints[name]) for i, name in enumerate(positional)
                   if constraints.get(name) is not None]
        n_positional = len(positional)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > n_positional:  # extra positional arguments: let bind name them (or raise the TypeError)
                passed = list(signature.bind(*args, **kwargs).arguments.items())
                for name, value in passed:
                    constraint = constraints.get(name)
                    if constraint is not None:
                        check_param(func.__name__, name, value, constraint)
                return func(*args, **kwargs)
            for i, name, constraint in checked:  # the passed arguments by name, without Signature.bind's cost
                if i < len(args):
                    check_param(func.__name__, name, args[i], constraint)
            for name, value in kwargs.items():
                constraint = constraints.get(name)
                if constraint is not None:
                    check_param(func.__name__, name, value, constraint)
            return func(*args, **kwargs)

        wrapper.__gt_constraints__ = constraints  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def check_random_state(seed: None | int | np.random.Generator) -> np.random.Generator:
    """Turn ``None``, an int seed or a Generator into a :class:`numpy.random.Generator`.

    >>> int(check_random_state(0).integers(10)) == int(check_random_state(0).integers(10))
    True
    """
    if seed is None or isinstance(seed, numbers.Integral):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    raise InvalidParameterError(
        f"The 'seed' parameter must be None, an int or a numpy.random.Generator. Got {seed!r} instead."
    )


def closest_name(name: str, options: Iterable[str]) -> str | None:
    """The option closest to a misspelled ``name``, or None when nothing is close (similarity ratio below 0.7).

    >>> closest_name("detection_prb", ["detection_prob", "deposit"]), closest_name("nosuch", ["insurance"])
    ('detection_prob', None)
    """
    matches = difflib.get_close_matches(name, list(options), n=1, cutoff=0.7)
    return matches[0] if matches else None


def unknown_name_error(kind: str, name: str, options: Iterable[str]) -> InvalidParameterError:
    """An error for an unknown name that suggests the closest known one and lists them all."""
    options = sorted(options)
    guess = closest_name(name, options)
    hint = f" Did you mean {guess!r}?" if guess else ""
    return InvalidParameterError(
        f"Unknown {kind} {name!r}.{hint} Allowed: {', '.join(repr(o) for o in options)}."
    )
