r""":func:`deterrence_set`: the exact set of parameter values at which a deterrence criterion holds."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import InstanceOf, Interval, NoneOr, validate_params
from ..games.normal_form import DEFAULT_TOL
from ..solvers import solve_batch
from .arguments import check_bounds, check_model, check_parameter
from .breakpoints import Breakpoint, breakpoints
from .criteria import RATE_TOL, TRADE_TOL, Criterion, CriterionName, get_criterion
from .equilibrium_types import equilibrium_types
from .region import FAILS, HOLDS, NO_TRADE, DeterrenceSet, Piece, SetBreakpoint
from .region import Interval as ParameterInterval

__all__ = ["deterrence_set"]

FloatArray = npt.NDArray[np.float64]
#: interior samples over the bounds when the breakpoints are not known to be complete (at least 2 a piece)
SAMPLES = 16
#: bisection steps for a change of verdict between two samples (the bracket shrinks 2^-60 of a piece)
BISECT_STEPS = 60
_STATUS = np.array([FAILS, HOLDS, NO_TRADE])


@validate_params(
    {
        "model": None,
        "parameter": None,
        "target_rate": Interval(float, 0, 1),
        "criterion": CriterionName(),
        "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair")),
        "tol": Interval(float, 0, None),
    }
)
def deterrence_set(
    model: Any,
    parameter: str = "penalty_multiplier",
    *,
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    tol: float = DEFAULT_TOL,
) -> DeterrenceSet:
    r"""The set of values of ``parameter`` in ``bounds`` at which ``criterion`` meets ``target_rate``, exactly.

    Parameters
    ----------
    model : Model
        A payment model (``gt.models.get(...)``); its other parameters stay fixed.
    parameter : str
        Any numeric parameter of the model (the penalty multiplier, the deposit, the audit rate, the fine...).
    target_rate : float
        The counterfeit rate to reach (at most).
    criterion : str
        A registered criterion (:data:`gametheory.deterrence.CRITERIA`): ``all_equilibria`` (every Nash
        equilibrium), ``some_equilibrium``, ``stable_states``, ``subgame_perfect``, ...
    bounds : (float, float), optional
        The range; default the parameter's domain, capped (``[0, 100]`` for the multiplier).
    tol : float
        Equilibrium tolerance of the solver, relative to the payoff scale.

    Returns
    -------
    DeterrenceSet
        The intervals where the criterion holds (and where it holds only because nothing is sold), the pieces
        with their regimes and rates, the breakpoints, and the thresholds ``smallest``, ``robust``,
        ``monotone``.

    Notes
    -----
    The equilibrium set, and with it the deciding rate's side of the target, can change only at the breakpoints
    of :mod:`.breakpoints`: kinks of the caps, roots of the support systems' inequalities and denominators, and
    crossings of the target by a mixed solution's counterfeit probability, all roots of the model's own
    formulas. Between two consecutive breakpoints the verdict is therefore constant; it is read from the solver
    (:func:`gametheory.solve_batch`, through the criterion) at an interior point and confirmed at a second one,
    and at every breakpoint itself, which settles whether each interval is open or closed. Where the breakpoints
    are not known to be complete (more than two strategies for a player, or a criterion that does not read the
    Nash equilibria) each piece is sampled and every change of verdict bisected with the solver; ``exact`` is
    then False. With :math:`S` the set,

    .. math::

        \text{smallest} = \inf S, \qquad \text{robust} = \min\{\theta : [\theta, hi] \subseteq S\},

    and the criterion is monotone in the parameter on the bounds exactly when the two coincide.

    Examples
    --------
    >>> import gametheory as gt
    >>> cod = gt.models.get("cash_on_delivery")
    >>> s = gt.deterrence.deterrence_set(cod, target_rate=0.0752, bounds=(0.0, 10.0))
    >>> s.describe()
    '[0, 3.773353642) U [4.800054906, 10]'
    >>> s.smallest, round(s.robust, 4), s.monotone
    (0.0, 4.8001, False)
    """
    func = "deterrence_set"
    model = check_model(model, func)
    parameter = check_parameter(model, parameter, func)
    lo, hi = check_bounds(bounds, model, parameter, func)
    crit = get_criterion(model, criterion)
    return compute_set(model, parameter, float(target_rate), crit, (lo, hi), tol)


def compute_set(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
                tol: float) -> DeterrenceSet:
    """:func:`deterrence_set` on checked arguments (the entry point of the threshold functions)."""
    lo, hi = bounds
    found, complete = breakpoints(model, parameter, bounds, target) if hi > lo else ([], True)
    exact = complete and crit.nash_breakpoints
    per_piece = 2 if exact else max(2, SAMPLES // (len(found) + 1))
    cuts = [lo, *(b.value for b in found), hi] if hi > lo else [lo]
    changes = _changes_inside(model, parameter, target, crit, cuts, per_piece, tol, with_ends=not exact)
    note = []
    if changes:
        if exact:
            note.append(f"the solver saw the verdict change inside {len(changes)} piece(s) the formulas did not "
                        "split; those were bisected")
        exact = False
        found = sorted([*found, *changes], key=lambda b: b.value)
        cuts = [lo, *(b.value for b in found), hi]
    return _assemble(model, parameter, target, crit, bounds, found, cuts, exact, note, tol)


def _status(model: Any, parameter: str, target: float, crit: Criterion, thetas: FloatArray,
            tol: float) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Status code per value (0 fails, 1 holds, 2 holds with nothing sold) and the deciding rate."""
    rate, trade = crit.rates(model, {parameter: np.asarray(thetas, dtype=float)}, tol)
    rate, trade = np.asarray(rate, dtype=float), np.asarray(trade, dtype=float)
    holds = np.isfinite(rate) & (rate <= target + RATE_TOL)
    idle = holds & np.isfinite(trade) & (trade <= TRADE_TOL)
    return np.where(idle, 2, np.where(holds, 1, 0)).astype(np.intp), rate


def _changes_inside(model: Any, parameter: str, target: float, crit: Criterion, cuts: list[float],
                    per_piece: int, tol: float, *, with_ends: bool) -> list[Breakpoint]:
    """Bisect every change of verdict between samples of one piece: its interior points, and its ends too when
    the cuts are not known to be complete (a change may then sit between an end and the first sample)."""
    if len(cuts) < 2:
        return []
    edges = np.asarray(cuts)
    frac = np.arange(1, per_piece + 1) / (per_piece + 1)
    if with_ends:
        frac = np.concatenate([[0.0], frac, [1.0]])
    samples = edges[:-1, None] + (edges[1:] - edges[:-1])[:, None] * frac[None, :]
    status, _ = _status(model, parameter, target, crit, samples.ravel(), tol)
    status = status.reshape(samples.shape)
    piece, j = np.nonzero(status[:, 1:] != status[:, :-1])
    if piece.size == 0:
        return []
    a, b = samples[piece, j].copy(), samples[piece, j + 1].copy()
    left = status[piece, j]
    for _ in range(BISECT_STEPS):
        wide = b - a > 1e-13 * (1.0 + np.abs(b))
        if not wide.any():
            break
        mid = 0.5 * (a + b)
        st, _ = _status(model, parameter, target, crit, mid[wide], tol)
        same = st == left[wide]
        idx = np.flatnonzero(wide)
        a[idx[same]] = mid[wide][same]
        b[idx[~same]] = mid[wide][~same]
    return [Breakpoint(float(0.5 * (x + y)), "a change of the criterion found by bisection with the solver")
            for x, y in zip(a, b, strict=True)]


def _assemble(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
              found: list[Breakpoint], cuts: list[float], exact: bool, note: list[str], tol: float) -> DeterrenceSet:
    lo, hi = bounds
    edges = np.asarray(cuts)
    first = edges[:-1] + (edges[1:] - edges[:-1]) / 3.0
    second = edges[:-1] + 2.0 * (edges[1:] - edges[:-1]) / 3.0
    thetas = np.concatenate([edges, first, second])
    status, rate = _status(model, parameter, target, crit, thetas, tol)
    m, k = len(edges), len(edges) - 1
    at_cut, in_piece, check = status[:m], status[m:m + k], status[m + k:]
    regimes = _regimes(model, parameter, first, tol)
    agree = _types_agree(model, parameter, crit, first, rate[m:m + k])
    pieces = tuple(
        Piece(float(edges[j]), float(edges[j + 1]), regimes[j], float(rate[m + j]), float(first[j]),
              str(_STATUS[in_piece[j]]), bool(in_piece[j] == check[j] and agree[j]))
        for j in range(k)
    )
    inner = tuple(SetBreakpoint(float(b.value), b.why, float(rate[j + 1]), str(_STATUS[at_cut[j + 1]]))
                  for j, b in enumerate(found))
    # the line as alternating elements: the point lo, the piece (lo, b1), the point b1, ..., the point hi
    elements: list[tuple[float, float, bool, int]] = []
    for j in range(m):
        elements.append((float(edges[j]), float(edges[j]), True, int(at_cut[j])))
        if j < k:
            elements.append((float(edges[j]), float(edges[j + 1]), False, int(in_piece[j])))
    intervals = _intervals(elements, 1)
    idle = _intervals(elements, 2)
    smallest = intervals[0].lower if intervals else None
    last = intervals[-1] if intervals else None
    robust = last.lower if last is not None and last.upper == hi and last.closed_upper else None
    monotone = smallest == robust and len(intervals) <= 1
    if not all(p.confirmed for p in pieces):
        bad = sum(not p.confirmed for p in pieces)
        note.append(f"{bad} piece(s) not confirmed (the solver and the equilibrium formulas disagree there)")
    if not monotone:
        note.append(_not_monotone(parameter, intervals, smallest, robust))
    if idle:
        note.append(f"the criterion holds on {' U '.join(map(str, idle))} only because nothing is sold (no trade); "
                    "that is not counted as deterrence")
    return DeterrenceSet(model.name, parameter, crit.name, target, (lo, hi), intervals, idle, pieces, inner,
                         smallest, robust, monotone, exact, "; ".join(note))


def _intervals(elements: list[tuple[float, float, bool, int]], code: int) -> tuple[ParameterInterval, ...]:
    """Maximal runs of consecutive elements with status ``code``, as intervals with their open/closed ends."""
    out = []
    run: list[tuple[float, float, bool, int]] = []
    for el in [*elements, (np.nan, np.nan, True, -1)]:
        if el[3] == code:
            run.append(el)
            continue
        if run:
            a, b = run[0], run[-1]
            out.append(ParameterInterval(a[0], b[1], closed_lower=a[2], closed_upper=b[2]))
            run = []
    return tuple(out)


def _not_monotone(parameter: str, intervals: tuple[ParameterInterval, ...], smallest: float | None,
                  robust: float | None) -> str:
    shown = " U ".join(map(str, intervals))
    if robust is None:
        return (f"not monotone: the criterion holds on {shown} but not at the upper bound, so no value deters "
                f"from some {parameter} on (smallest {smallest:.6g})")
    return (f"not monotone: the criterion holds on {shown}; the smallest {parameter} that deters is "
            f"{smallest:.6g}, but it fails again above it and holds for every larger value only from {robust:.6g}")


def _regimes(model: Any, parameter: str, thetas: FloatArray, tol: float) -> list[str]:
    """The supports of every equilibrium at each value (one solver batch)."""
    if thetas.size == 0:
        return []

    sol = solve_batch(model.batch(**{parameter: thetas}), tol=tol)
    out = []
    for g in range(thetas.size):
        eqs = []
        for e in range(int(sol.counts[g])):
            parts = []
            for i, labels in enumerate(model.strategies):
                probs = sol.profiles[g, e, i, : len(labels)]
                support = ", ".join(s for s, x in zip(labels, probs, strict=True) if x > 1e-9)
                parts.append(f"{model.players[i]} {{{support}}}")
            eqs.append(", ".join(parts))
        out.append(" | ".join(eqs) or "no equilibrium listed")
    return out


def _types_agree(model: Any, parameter: str, crit: Criterion, thetas: FloatArray, rates: FloatArray) -> list[bool]:
    """Where the equilibrium types give the deciding rate (largest/smallest over Nash): do they match the solver?"""
    types = equilibrium_types(model) if crit.extreme is not None else None
    if types is None or thetas.size == 0:
        return [True] * thetas.size
    values = {name: np.full(thetas.size, float(model.params[name])) for name in model.numeric_names}
    values[parameter] = thetas
    theirs = types.deciding_rate(values, largest=crit.extreme == "largest")
    same = (np.isnan(theirs) & np.isnan(rates)) | (np.abs(theirs - rates) <= 1e-6)
    return [bool(x) for x in same]
