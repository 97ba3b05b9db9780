"""The answer of a threshold search: a frozen, self-describing result with a certificate a reader can check."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult

__all__ = ["ThresholdResult", "ThresholdMap", "Certificate", "WindowResult"]


@dataclass(frozen=True)
class Certificate:
    """What makes a threshold checkable by hand: the criterion fails just below it and holds just above it.

    Attributes
    ----------
    parameter : str
        The policy parameter searched.
    value : float
        The threshold :math:`\\theta^*`.
    epsilon : float
        The step used on either side.
    rate_below, rate_above : float
        The counterfeit rate that decides the criterion (the largest over the equilibria for
        ``all_equilibria``, the smallest for ``some_equilibrium``) at :math:`\\theta^* \\mp \\epsilon`.
    gap_below, gap_above : float
        The seller's payoff gap :math:`u_S(\\text{Counterfeit}) - u_S(\\text{Genuine})` against the other players'
        equilibrium play, in that deciding equilibrium, at :math:`\\theta^* \\mp \\epsilon`. Positive: counterfeiting
        pays; zero: the seller is indifferent (a mixed equilibrium); negative: it is deterred.
    gap_at_threshold : float
        The same gap in the game at :math:`\\theta^*` itself, against the play of the equilibrium just above.
    holds_below, holds_above : bool
        The criterion, re-checked with :func:`gametheory.solve` on the two games.
    """

    parameter: str
    value: float
    epsilon: float
    rate_below: float
    rate_above: float
    gap_below: float
    gap_above: float
    gap_at_threshold: float
    holds_below: bool
    holds_above: bool

    @property
    def valid(self) -> bool:
        """True when the criterion fails just below the threshold and holds just above it."""
        return (not self.holds_below) and self.holds_above

    def __repr__(self) -> str:
        return (
            f"Certificate({self.parameter}={self.value:.6g} ± {self.epsilon:.1e}: "
            f"rate {self.rate_below:.8g} -> {self.rate_above:.8g}, "
            f"gap C-G {self.gap_below:.4g} -> {self.gap_above:.4g} (at threshold {self.gap_at_threshold:.4g}), "
            f"holds below={self.holds_below}, above={self.holds_above})"
        )


@dataclass(frozen=True, eq=False)
class ThresholdResult(FrozenResult):
    """The smallest value of a policy parameter at which a deterrence criterion holds, in one scenario.

    Many parameter points at once give a :class:`ThresholdMap` (:func:`~gametheory.deterrence.threshold_map`).

    Attributes
    ----------
    model : str
        The payment model.
    parameter : str
        The policy parameter searched (``penalty_multiplier``, ``deposit``, ...).
    threshold : float or None
        The smallest value in ``bounds`` at which the criterion holds (the infimum of the deterrence set,
        :attr:`DeterrenceSet.smallest`).
    feasible : bool
        Whether such a value exists in ``bounds``.
    reason : str
        Why the answer is what it is, in words (e.g. the deposit caps the penalty; the rate only falls gradually).
    criterion : str
        ``all_equilibria``, ``some_equilibrium``, ``stable_states`` or ``subgame_perfect``.
    target_rate : float
        The counterfeit rate the criterion asks for (at most).
    bounds : tuple of float
        The searched interval.
    method : str
        ``closed_form`` (a closed-form regime matches the answer) or ``exact_set``.
    min_deposit : float or None
        When the deposit caps the penalty: the smallest deposit with which the criterion can hold.
    closed_form : sympy.Expr or None
        The threshold as a formula of the model's parameters (with the target rate ``tau``), where one exists.
    certificate : Certificate or None
        The check just below and just above the threshold.
    below, above : Equilibria or None
        Every equilibrium just below and just above the threshold (:func:`gametheory.solve`).
    robust_threshold : float or None
        The smallest value from which every larger value in ``bounds`` deters (:attr:`DeterrenceSet.robust`);
        None when the upper bound does not deter.
    monotone : bool
        True where ``threshold == robust_threshold``; when False, ``reason`` carries a warning.
    deterrence_set : DeterrenceSet or None
        The exact set behind the answer.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.deterrence.min_penalty_multiplier(gt.models.get("escrow"), target_rate=0.05)
    >>> res.feasible, round(res.threshold, 4), res.certificate.valid
    (True, 1.3889, True)
    """

    model: str
    parameter: str
    threshold: float | None
    feasible: bool
    reason: str
    criterion: str
    target_rate: float
    bounds: tuple[float, float]
    method: str
    min_deposit: float | None = None
    closed_form: Any = None
    certificate: Certificate | None = None
    below: Any = None
    above: Any = None
    robust_threshold: float | None = None
    monotone: bool = True
    deterrence_set: Any = None

    @property
    def vectorised(self) -> bool:
        """False: one scenario (a :class:`ThresholdMap` holds many points)."""
        return False

    def __repr__(self) -> str:
        return _rows(self)


@dataclass(frozen=True, eq=False)
class ThresholdMap(FrozenResult):
    """The smallest value of a policy parameter at which a deterrence criterion holds, at many parameter points.

    Every array has the broadcast shape of the points (:func:`~gametheory.deterrence.threshold_map`). Each
    answer is the smallest value of the point's exact deterrence set: from the closed form where the batch solver
    confirms it on both sides (``from_closed_form``), else from the exact set computed for that point.

    Attributes
    ----------
    model, parameter, criterion : str
        The payment model, the policy parameter searched, the criterion.
    target_rate : float
        The counterfeit rate the criterion asks for (at most).
    bounds : tuple of float
        The searched interval.
    method : str
        ``closed_form``, ``exact_set`` or ``closed_form+exact_set`` (some points of each).
    threshold : ndarray of float
        The smallest deterring value per point (:attr:`DeterrenceSet.smallest`), NaN where none in ``bounds``.
    robust_threshold : ndarray of float
        The smallest value from which every larger value in ``bounds`` deters, NaN where the upper bound does not.
    feasible : ndarray of bool
        Where a deterring value exists in ``bounds``.
    reason : str
        A summary in words (how many points are feasible, capped, not monotone, computed point by point).
    monotone : ndarray of bool
        Where ``threshold == robust_threshold`` (False: the criterion fails again above the smallest value).
    from_closed_form : ndarray of bool
        Where the closed form gave the answer.
    min_deposit : ndarray of float
        Where infeasible because a declared cap (the deposit) limits the parameter: the smallest sufficient cap;
        NaN elsewhere.
    code : ndarray of int8
        Why each answer is what it is, an index into :attr:`CODES`.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> res = gt.deterrence.threshold_map(gt.models.get("direct"), points={"deposit": [50.0, 500.0]},
    ...                                   target_rate=0.05)
    >>> res.threshold.round(4).tolist(), res.feasible.tolist(), [res.CODES[c] for c in res.code]
    ([nan, 0.8889], [False, True], ['capped', 'deters'])
    """

    #: the meaning of each value of :attr:`code`
    CODES = ("deters", "deters_not_monotone", "capped", "not_reached", "unanswered")

    model: str
    parameter: str
    criterion: str
    target_rate: float
    bounds: tuple[float, float]
    method: str
    threshold: npt.NDArray[np.float64]
    robust_threshold: npt.NDArray[np.float64]
    feasible: npt.NDArray[np.bool_]
    reason: str
    monotone: npt.NDArray[np.bool_]
    from_closed_form: npt.NDArray[np.bool_]
    min_deposit: npt.NDArray[np.float64]
    code: npt.NDArray[np.int8]

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the points."""
        return tuple(self.threshold.shape)

    @property
    def vectorised(self) -> bool:
        """True: a result over many parameter points."""
        return True

    def counts(self) -> dict[str, int]:
        """How many points have each :attr:`code`."""
        found = np.bincount(self.code.ravel(), minlength=len(self.CODES))
        return {name: int(k) for name, k in zip(self.CODES, found, strict=True)}

    def __repr__(self) -> str:
        return _rows(self)


def _rows(result: Any) -> str:
    rows = []
    for f in fields(result):
        value = getattr(result, f.name)
        if value is None:
            continue
        rows.append((f.name, _short(f.name, value)))
    width = max(len(name) for name, _ in rows)
    body = "\n".join(f"  {name.rjust(width)}: {text}" for name, text in rows)
    return f"{type(result).__name__}(\n{body}\n)"


@dataclass(frozen=True)
class WindowResult:
    """The deterrence window :math:`[k_{\\min}, k_{\\max}]` of the penalty multiplier.

    Attributes
    ----------
    model : str
        The payment model (extended variant).
    k_min : float or None
        The smallest multiplier that deters counterfeiting (None when none in bounds does).
    k_max : float or None
        The largest multiplier below which FalseClaim is not profitable (None when no multiplier in bounds
        invites false claims: the window is open to the right up to the upper bound).
    empty : bool
        True when no multiplier deters counterfeiting without inviting false claims.
    reason : str
        The explanation in words.
    deterrence, extortion : ThresholdResult
        The two searches behind the window.
    """

    model: str
    k_min: float | None
    k_max: float | None
    empty: bool
    reason: str
    deterrence: ThresholdResult
    extortion: ThresholdResult

    def __repr__(self) -> str:
        lo = "None" if self.k_min is None else f"{self.k_min:.6g}"
        hi = "None" if self.k_max is None else f"{self.k_max:.6g}"
        return f"WindowResult(model={self.model!r}, k_min={lo}, k_max={hi}, empty={self.empty}, reason={self.reason!r})"


def _short(name: str, value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.dtype == bool:
            return f"array{value.shape} of bool ({int(value.sum())} True)"
        finite = value[np.isfinite(value)] if value.dtype.kind == "f" else value
        if finite.size:
            stats = f"min {finite.min():.6g}, median {np.median(finite):.6g}, max {finite.max():.6g}"
            return f"array{value.shape} ({stats})"
        return f"array{value.shape} (no finite values)"
    if isinstance(value, float):
        return f"{value:.10g}"
    if name in ("below", "above"):
        return f"{len(value)} equilibria, counterfeit probabilities " + str(
            [round(float(eq.profile[0][1]), 6) for eq in value]
        )
    if name in ("closed_form", "deterrence_set"):
        return str(value.describe()) if name == "deterrence_set" else str(value)
    return repr(value)
