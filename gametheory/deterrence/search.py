r"""Bracketing search for the first parameter value at which a condition holds, over many points at once.

Thresholds of deterrence are computed exactly (:mod:`.exact_set`); this search serves conditions with no such
structure, e.g. the multiplier from which a false claim pays (:mod:`.window`).

For every point the criterion is first evaluated on a grid :math:`\theta_0 = lo < \theta_1 < \dots < \theta_G = hi`
(one batch of :math:`N (G + 1)` games), which brackets the first switch from *fails* to *holds*:
:math:`\theta_{j-1}` fails and :math:`\theta_j` holds. Every bracket is then narrowed at once (one batch of at most
:math:`N` games per step; Dekker's secant steps on the deciding rate, safeguarded by bisection) until
:math:`hi - lo \le xtol + rtol\,|hi|`. The answer per point is one of

* ``FOUND``: fails at ``lower``, holds at ``upper`` (the threshold, within the tolerance);
* ``AT_LOWER``: the criterion already holds at the lower bound;
* ``NEVER``: it fails on the whole grid, so no value in the bounds is known to work.

``relapse`` flags points where the criterion fails again at a grid value above the threshold (a criterion that is
not monotone in the parameter); the threshold is still the *smallest* value that works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .criteria import RATE_TOL

__all__ = ["SearchOutcome", "bracket", "FOUND", "AT_LOWER", "NEVER"]

FOUND, AT_LOWER, NEVER = 0, 1, 2
FloatArray = npt.NDArray[np.float64]
HoldsFn = Callable[[FloatArray, npt.NDArray[np.intp]], tuple[npt.NDArray[np.bool_], FloatArray]]


@dataclass(frozen=True, eq=False)
class SearchOutcome:
    """Per-point result of :func:`bracket` (arrays of shape ``(N,)``; grids ``(N, G + 1)``)."""

    threshold: FloatArray
    status: npt.NDArray[np.int8]
    lower: FloatArray
    upper: FloatArray
    grid: FloatArray
    grid_rates: FloatArray
    grid_holds: npt.NDArray[np.bool_]
    relapse: npt.NDArray[np.bool_]
    evaluations: int


def bracket(
    holds: HoldsFn,
    lo: FloatArray,
    hi: FloatArray,
    *,
    target: float = 0.0,
    grid: int = 8,
    xtol: float = 1e-10,
    rtol: float = 1e-9,
    max_iter: int = 200,
    full_grid: bool = True,
) -> SearchOutcome:
    """Grid-then-refine search for the first value at which ``holds`` is True, for every point at once.

    Parameters
    ----------
    holds : callable
        ``holds(theta, index) -> (holds, rate)`` evaluates the criterion at parameter values ``theta`` for the
        points ``index`` (both shape ``(M,)``); ``rate`` is the deciding counterfeit rate.
    lo, hi : ndarray
        Bounds per point, shape ``(N,)``.
    target : float
        The target rate :math:`\tau`: the refinement works on :math:`f = 1/\tau - 1/R(\theta)` when
        :math:`\tau > 0` (exactly linear where a mixed equilibrium's rate is cost / (probability x stake), so one
        regula falsi step lands on the root) and on :math:`f = R(\theta) - \tau` otherwise.
    grid : int
        Number of grid intervals.
    xtol, rtol : float
        Refinement stops when ``upper - lower <= xtol + rtol * |upper|``.
    max_iter : int
        Cap on refinement steps.
    full_grid : bool
        Evaluate the whole grid at every point (the default; needed for ``relapse`` and a full ``grid_rates``).
        With False the grid is walked column by column and a point stops at the first value at which the
        criterion holds (the same bracket and threshold, fewer games; ``relapse`` is then all False and the grid
        entries after that value are NaN / False).

    Notes
    -----
    The refinement is Dekker's method on :math:`f`: a secant step through the two latest evaluations when it falls
    inside the bracket (else regula falsi on the bracket), which converges superlinearly where the rate falls
    continuously (a mixed equilibrium), safeguarded by a bisection step whenever two steps fail to halve the
    bracket (a jump: an equilibrium appears or disappears). The bracket is kept throughout, so the answer fails
    at ``lower`` and holds at ``upper``.

    References
    ----------
    .. [1] Dekker, T. J. (1969). Finding a zero by means of successive linear interpolation. In *Constructive
           Aspects of the Fundamental Theorem of Algebra*, Wiley, 37-48.
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    n = lo.shape[0]
    t = np.linspace(0.0, 1.0, grid + 1)
    values = lo[:, None] + (hi - lo)[:, None] * t[None, :]
    values[:, -1] = hi
    if full_grid:
        index = np.repeat(np.arange(n), grid + 1)
        ok, rate = holds(values.reshape(-1), index)
        ok = ok.reshape(n, grid + 1)
        rate = rate.reshape(n, grid + 1)
        evaluations = n * (grid + 1)
    else:  # column by column, each point only until the criterion first holds
        ok = np.zeros((n, grid + 1), dtype=bool)
        rate = np.full((n, grid + 1), np.nan)
        pending = np.arange(n)
        evaluations = 0
        for j in range(grid + 1):
            if pending.size == 0:
                break
            ok_j, rate_j = holds(values[pending, j], pending)
            ok[pending, j], rate[pending, j] = ok_j, rate_j
            evaluations += pending.size
            pending = pending[~ok_j]
    first = np.where(ok.any(axis=1), ok.argmax(axis=1), -1)
    status = np.full(n, NEVER, dtype=np.int8)
    status[first == 0] = AT_LOWER
    status[first > 0] = FOUND
    rows = np.arange(n)
    upper = np.where(first >= 0, values[rows, np.maximum(first, 0)], np.nan)
    lower = np.where(first > 0, values[rows, np.maximum(first - 1, 0)], np.nan)
    f_up = _transform(rate[rows, np.maximum(first, 0)], target)
    f_lo = _transform(rate[rows, np.maximum(first - 1, 0)], target)
    after = np.arange(grid + 1)[None, :] > first[:, None]
    relapse = (first >= 0) & (after & ~ok).any(axis=1) if full_grid else np.zeros(n, dtype=bool)
    x_old, f_old = lower.copy(), f_lo.copy()  # the two most recent evaluations (Dekker's secant)
    x_new, f_new = upper.copy(), f_up.copy()
    before = np.full(n, np.inf)  # bracket width two steps ago
    previous = np.full(n, np.inf)
    active = np.flatnonzero(status == FOUND)
    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            a, b = lower[active], upper[active]
            width = b - a
            tol_x = xtol + rtol * np.abs(b)
            keep = width > tol_x
            active, a, b, width, tol_x = active[keep], a[keep], b[keep], width[keep], tol_x[keep]
            if active.size == 0:
                break
            x0, f0, x1, f1 = x_old[active], f_old[active], x_new[active], f_new[active]
            secant = x1 - f1 * (x1 - x0) / (f1 - f0)
            inside = np.isfinite(secant) & (secant > a) & (secant < b)
            falsi = b - f_up[active] * width / (f_up[active] - f_lo[active])
            secant = np.where(inside, secant, falsi)
            usable = (width <= 0.5 * before[active]) & np.isfinite(secant) & (secant > a) & (secant < b)
            s = np.where(usable, secant, 0.5 * (a + b))
            s = np.clip(s, a + 0.5 * tol_x, b - 0.5 * tol_x)
            ok_s, rate_s = holds(s, active)
            evaluations += active.size
            f_s = _transform(rate_s, target)
            up, down = active[ok_s], active[~ok_s]
            upper[up], f_up[up] = s[ok_s], f_s[ok_s]
            lower[down], f_lo[down] = s[~ok_s], f_s[~ok_s]
            x_old[active], f_old[active] = x1, f1
            x_new[active], f_new[active] = s, f_s
            before[active], previous[active] = previous[active], width
    threshold = np.where(status == FOUND, upper, np.where(status == AT_LOWER, lo, np.nan))
    return SearchOutcome(threshold, status, lower, upper, values, rate, ok, relapse, evaluations)


def _transform(rate: FloatArray, target: float) -> FloatArray:
    target = target + RATE_TOL  # the boundary of ``holds`` itself
    """The refinement variable: :math:`1/\tau - 1/R` for a positive target (linear in the policy parameter
    wherever the rate is an inspection-game ratio cost / (probability x stake)), else :math:`R - \tau`."""
    with np.errstate(all="ignore"):
        f = (1.0 / target - 1.0 / rate) if target > 0 else rate - target
    return np.where(np.isnan(rate), np.nan, f)
