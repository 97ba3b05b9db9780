"""The answer of a repeated-play threshold: the value per point, whether it exists, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._frozen import FrozenResult

__all__ = ["RepeatedThreshold", "package"]


@dataclass(frozen=True, eq=False)
class RepeatedThreshold(FrozenResult):
    """The smallest discount factor (or multiplier, or store deposit) at which honest selling is sustained.

    Attributes
    ----------
    parameter : str
        What the threshold is in: ``discount_factor``, ``penalty_multiplier`` or ``deposit``.
    value : float, None or ndarray
        The threshold; ``None`` (a single scenario) or NaN (points) where honest selling cannot be sustained.
    sustainable : bool or ndarray of bool
        Whether some value sustains it.
    reason : str or ndarray of str
        Why, in words, at each point.
    formula : sympy expression or None
        The closed form the values come from (None for the store deposit, which inverts a binomial sum).
    verified : bool or ndarray of bool
        The numeric check at each point: the incentive constraint, evaluated directly, fails just below the value
        and holds just above it (for the discount factor where there is none: it fails even as delta -> 1).
    shape : tuple of int
        The shape of the points (``()`` for a single scenario).

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.min_discount_factor(gt.models.get("direct"))
    >>> res.parameter, res.sustainable, res.verified
    ('discount_factor', True, True)
    """

    parameter: str
    value: Any
    sustainable: Any
    reason: Any
    formula: sympy.Expr | None
    verified: Any
    shape: tuple[int, ...]

    def __repr__(self) -> str:
        if self.shape == ():
            shown = "None" if self.value is None else f"{self.value:.6g}"
            return f"RepeatedThreshold({self.parameter}={shown}: {self.reason})"
        ok = np.asarray(self.sustainable)
        return (f"RepeatedThreshold({self.parameter}, {ok.size} points, {int(ok.sum())} sustainable, "
                f"verified={bool(np.all(self.verified))})")


def package(parameter: str, value: np.ndarray, code: np.ndarray, reasons: tuple[str, ...], formula: Any,
            verified: np.ndarray, shape: tuple[int, ...]) -> RepeatedThreshold:
    """The result for flat arrays over ``shape`` points (a scalar result when ``shape == ()``)."""
    sustainable = ~np.isnan(value)
    words = np.asarray(reasons, dtype=object)[code]
    if shape == ():
        v = float(value[0])
        return RepeatedThreshold(parameter, None if np.isnan(v) else v, bool(sustainable[0]), str(words[0]),
                                 formula, bool(verified[0]), ())
    return RepeatedThreshold(parameter, value.reshape(shape), sustainable.reshape(shape), words.reshape(shape),
                             formula, verified.reshape(shape), shape)
