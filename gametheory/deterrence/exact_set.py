r""":func:`deterrence_set`: the exact set of parameter values at which a deterrence criterion holds."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import InstanceOf, Interval, NoneOr, validate_params
from ..games.normal_form import DEFAULT_TOL
from ..solvers import solve_batch
from .arguments import check_bounds, check_model, check_parameter
from .branches import branch_events, limit_rate
from .breakpoints import KINK, Breakpoint, breakpoints, polynomial_tables
from .criteria import RATE_TOL, TRADE_TOL, Criterion, CriterionName, get_criterion, nash_rates
from .equilibrium_types import equilibrium_types
from .region import FAILS, HOLDS, NO_TRADE, DeterrenceSet, Piece, SetBreakpoint
from .region import Interval as ParameterInterval

__all__ = ["deterrence_set"]

FloatArray = npt.NDArray[np.float64]
#: where each piece is sampled (fractions of its width): inside, and also near both ends when the formulas' roots
#: are not known to be complete (where two neighbouring samples differ, the equilibrium branches are followed from
#: one to the other). Two samples a piece are not enough: an equilibrium whose rate crosses the target and which
#: then merges with another between them goes unseen (a regression test in tests/deterrence/test_extended_sets.py)
INSIDE = np.array([1.0, 2.0]) / 3.0
NEAR_ENDS = np.array([1e-3, 1.0 / 3.0, 2.0 / 3.0, 1.0 - 1e-3])
#: at most this many games in the first solver batch of an extended set include the breakpoints (a few run
#: without loading numba); past it the breakpoints that fail are told from the branches (no per-game solves)
FEW_GAMES = 64
#: samples over the bounds (at least 2 a piece, and both ends) for a criterion the formulas know nothing of
SAMPLES = 16
#: rounds of sampling the pieces that the ends of equilibrium branches split
ROUNDS = 8
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
    and at every breakpoint itself, which settles whether each interval is open or closed. Where the formulas'
    roots are not known to be complete (more than two strategies for a player: the extended variants) each piece
    is sampled near both ends, and where the verdict differs every equilibrium listed at either sample is followed
    to the other (:func:`.branches.branch_events`; for a continuum of equilibria, its extreme points, fixed by the
    conditions that bound it): where a branch stops being an equilibrium, or its rate crosses the target, is again
    a root of the formulas, and the new pieces are sampled again. Only a change no branch accounts for (a branch
    that cannot be followed, such as two equilibria merging, or a criterion that does not read the Nash equilibria)
    is bisected with the solver; ``exact`` is then False. With :math:`S` the set,

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
    points = _Points(model, parameter, target, crit, tol, [b.value for b in found if KINK in b.why])
    cuts = [lo, *(b.value for b in found), hi] if hi > lo else [lo]
    exact = crit.nash_breakpoints
    note = []
    # every piece is sampled inside; when the formulas' roots are not known to be complete (games with more than
    # two strategies for some player) also near both ends, so a change of the equilibria inside a piece is seen
    if not exact:  # the formulas know nothing of this criterion: its verdict may change anywhere
        per_piece = max(2, SAMPLES // (len(found) + 1))
        fractions = np.concatenate([[0.0], np.arange(1, per_piece + 1) / (per_piece + 1), [1.0]])
    else:
        fractions = INSIDE if complete else NEAR_ENDS
    if len(cuts) > 1:  # the samples (and the breakpoints, if few) in one batch: the solver picks its path for all
        edges = np.asarray(cuts)
        samples = _samples(edges, fractions).ravel()
        few = samples.size + edges.size <= FEW_GAMES
        points.status(np.concatenate([edges, samples]) if few or complete else samples)
    changes, located = _changes_inside(model, parameter, points, cuts, fractions)
    if changes:
        if complete and exact:
            note.append(f"the solver saw the verdict change inside {len(changes)} piece(s) the formulas did not "
                        "split; " + ("their breakpoints were found on the equilibrium branches" if located else
                                     "some were bisected"))
        exact = exact and located
        found = sorted([*found, *changes], key=lambda b: b.value)
        cuts = [lo, *(b.value for b in found), hi]
    if exact and not complete and crit.extreme == "largest":
        _fails_by_limits(model, parameter, points, np.asarray(cuts))
    return _assemble(model, parameter, target, crit, bounds, found, cuts, exact, note, points)


def _fails_by_limits(model: Any, parameter: str, points: _Points, edges: FloatArray) -> None:
    """The breakpoints where the worst case fails, told without solving their (degenerate) games: where a piece's
    sample next to one fails, its equilibria whose rate fails the target are followed to it, the largest rate
    first (:func:`.branches.limit_rate`); the first end found there, checked by its regret, whose rate still fails
    decides it (its verdict is stored with that rate, at most the deciding one)."""
    width = np.diff(edges)
    near = _samples(edges, NEAR_ENDS)
    for j in range(1, edges.size - 1):
        c = float(edges[j])
        if c in points.verdict:
            continue
        for side, k in ((j - 1, -1), (j, 0)):  # the samples next to c
            sample = float(near[side, k])
            if points.verdict.get(sample, (1, 0.0))[0] != 0:
                continue
            payoffs, rate = points.tables(float(edges[side] + 0.5 * width[side]))
            if rate is None:
                continue
            listed = points.equilibria(np.array([sample]))[0]
            rates = [_rate_of(rate, sample, profile) for profile in listed]
            for e in np.argsort(rates)[::-1]:
                if rates[e] <= points.target + RATE_TOL:
                    break
                here = limit_rate(payoffs, rate, listed[e], sample, c, points.tol)
                if here is not None and here > points.target + RATE_TOL:
                    points.verdict[c] = (0, here)
                    break
            if c in points.verdict:
                break


def _rate_of(rate: FloatArray, theta: float, profile: list[FloatArray]) -> float:
    """A profile's counterfeit rate from the rate table's polynomials (the multilinear extension)."""
    out = rate @ (theta ** np.arange(rate.shape[-1]))
    for p in reversed(profile):
        out = out @ p
    return float(out)


class _Points:
    """The solver's verdict (and equilibria) at parameter values, each value solved once per set."""

    def __init__(self, model: Any, parameter: str, target: float, crit: Criterion, tol: float,
                 kinks: list[float]) -> None:
        self.model, self.parameter, self.target, self.crit, self.tol = model, parameter, target, crit, tol
        self.verdict: dict[float, tuple[int, float]] = {}
        self.listed: dict[float, list[list[FloatArray]]] = {}
        self.kinks = sorted(kinks)
        self._tables: dict[int, tuple[Any, Any]] = {}

    def tables(self, theta: float) -> tuple[Any, Any]:
        """:func:`.breakpoints.polynomial_tables` on the segment between the caps' kinks that holds ``theta``
        (read once per segment)."""
        segment = int(np.searchsorted(self.kinks, theta))
        if segment not in self._tables:
            self._tables[segment] = polynomial_tables(self.model, self.parameter, theta)
        return self._tables[segment]

    def _solve(self, thetas: FloatArray) -> Any:
        sol = solve_batch(self.model.batch(**{self.parameter: thetas}), tol=self.tol)
        sizes = [len(labels) for labels in self.model.strategies]
        for g, theta in enumerate(thetas.tolist()):
            self.listed[theta] = [[np.array(sol.profiles[g, e, i, :s]) for i, s in enumerate(sizes)]
                                  for e in range(int(sol.counts[g]))]
        return sol

    def status(self, thetas: FloatArray) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """Status code per value (0 fails, 1 holds, 2 holds with nothing sold) and the deciding rate."""
        thetas = np.asarray(thetas, dtype=float)
        new = np.array(sorted({t for t in thetas.ravel().tolist() if t not in self.verdict}))
        if new.size:
            values = {self.parameter: new}
            if self.crit.extreme is not None:  # the Nash criteria: the solution is kept for the equilibria
                rate, trade = nash_rates(self.model, self._solve(new), values, largest=self.crit.extreme == "largest")
            else:
                rate, trade = self.crit.rates(self.model, values, self.tol)
            rate, trade = np.asarray(rate, dtype=float), np.asarray(trade, dtype=float)
            holds = np.isfinite(rate) & (rate <= self.target + RATE_TOL)
            idle = holds & np.isfinite(trade) & (trade <= TRADE_TOL)
            code = np.where(idle, 2, np.where(holds, 1, 0))
            for t, c, r in zip(new.tolist(), code.tolist(), rate.tolist(), strict=True):
                self.verdict[t] = (int(c), float(r))
        pairs = [self.verdict[t] for t in thetas.ravel().tolist()]
        status = np.array([c for c, _ in pairs], dtype=np.intp).reshape(thetas.shape)
        return status, np.array([r for _, r in pairs], dtype=float).reshape(thetas.shape)

    def equilibria(self, thetas: FloatArray) -> list[list[list[FloatArray]]]:
        """The solver's equilibria at each value (profiles: one mixed strategy per player)."""
        thetas = np.asarray(thetas, dtype=float)
        new = np.array(sorted({t for t in thetas.tolist() if t not in self.listed}))
        if new.size:
            self._solve(new)
        return [self.listed[t] for t in thetas.tolist()]


def _changes_inside(model: Any, parameter: str, points: _Points, cuts: list[float],
                    fractions: FloatArray) -> tuple[list[Breakpoint], bool]:
    """Where the verdict changes between two samples of one piece: the ends of the equilibrium branches between
    them (:func:`.branches.branch_events`), exact roots of the formulas; bisected with the solver where the
    branches cannot be followed (a criterion that does not read the Nash equilibria, a branch that cannot be
    followed). The pieces the branches' ends split are sampled again (an equilibrium that lives only between two
    samples is met there), up to :data:`ROUNDS` times. Returns the breakpoints and whether every one is a root of
    the formulas."""
    out: list[Breakpoint] = []
    seen: set[tuple[float, float]] = set()
    pending: list[tuple[float, float, int]] = []
    for _ in range(ROUNDS):
        edges = np.array(sorted({*cuts, *(b.value for b in out)}))
        fresh = [bracket for bracket in _brackets(points, edges, fractions) if bracket[:2] not in seen]
        if not fresh:
            break
        for a, b, left in fresh:
            seen.add((a, b))
            events = _branch_events(model, parameter, points, a, b) if points.crit.extreme is not None else None
            if events and any(a < e.value < b for e in events):
                out = _dedupe([*out, *(Breakpoint(e.value, e.why) for e in events)])
            else:
                pending.append((a, b, left))
    else:  # still changing after ROUNDS: the rest is bisected
        edges = np.array(sorted({*cuts, *(b.value for b in out)}))
        pending += [bracket for bracket in _brackets(points, edges, fractions) if bracket[:2] not in seen]
    if pending:
        out = _dedupe([*out, *_bisect(points, pending)])
    return out, not pending


def _samples(edges: FloatArray, fractions: FloatArray) -> FloatArray:
    """The sample values ``(pieces, fractions)`` of the pieces between consecutive ``edges``: one formula for every
    caller, so that the same sample is the same float (:class:`_Points` keys its verdicts by value)."""
    return edges[:-1, None] + np.diff(edges)[:, None] * np.asarray(fractions)[None, :]


def _brackets(points: _Points, edges: FloatArray, fractions: FloatArray) -> list[tuple[float, float, int]]:
    """Consecutive samples of one piece with different verdicts: ``(a, b, status at a)``."""
    if edges.size < 2:
        return []
    samples = _samples(edges, fractions)
    status, _ = points.status(samples.ravel())
    status = status.reshape(samples.shape)
    piece, j = np.nonzero(status[:, 1:] != status[:, :-1])
    return [(float(samples[p, k]), float(samples[p, k + 1]), int(status[p, k]))
            for p, k in zip(piece.tolist(), j.tolist(), strict=True)]


def _branch_events(model: Any, parameter: str, points: _Points, a: float, b: float) -> list[Any] | None:
    payoffs, rate = points.tables(0.5 * (a + b))
    ends = points.equilibria(np.array([a, b]))
    return branch_events(payoffs, rate, list(model.players), [list(s) for s in model.strategies], points.target,
                         (a, b), (ends[0], ends[1]))


def _bisect(points: _Points, pending: list[tuple[float, float, int]]) -> list[Breakpoint]:
    """Bisect each change of verdict with the solver (the fallback: the result is not exact)."""
    a = np.array([x for x, _, _ in pending])
    b = np.array([y for _, y, _ in pending])
    left = np.array([s for _, _, s in pending])
    for _ in range(BISECT_STEPS):
        wide = b - a > 1e-13 * (1.0 + np.abs(b))
        if not wide.any():
            break
        mid = 0.5 * (a + b)
        st, _ = points.status(mid[wide])
        same = st == left[wide]
        idx = np.flatnonzero(wide)
        a[idx[same]] = mid[wide][same]
        b[idx[~same]] = mid[wide][~same]
    return [Breakpoint(float(0.5 * (x + y)), "a change of the criterion found by bisection with the solver")
            for x, y in zip(a, b, strict=True)]


def _dedupe(found: list[Breakpoint]) -> list[Breakpoint]:
    out: list[Breakpoint] = []
    for bp in sorted(found, key=lambda x: x.value):
        if out and bp.value - out[-1].value <= 1e-12 * (1.0 + abs(bp.value)):
            if bp.why not in out[-1].why:
                out[-1] = Breakpoint(out[-1].value, f"{out[-1].why}; {bp.why}")
            continue
        out.append(bp)
    return out


def _assemble(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
              found: list[Breakpoint], cuts: list[float], exact: bool, note: list[str],
              points: _Points) -> DeterrenceSet:
    lo, hi = bounds
    edges = np.asarray(cuts)
    first = edges[:-1] + (edges[1:] - edges[:-1]) * INSIDE[0]
    second = edges[:-1] + (edges[1:] - edges[:-1]) * INSIDE[1]
    thetas = np.concatenate([edges, first, second])
    status, rate = points.status(thetas)
    m, k = len(edges), len(edges) - 1
    at_cut, in_piece, check = status[:m], status[m:m + k], status[m + k:]
    regimes = _regimes(model, points.equilibria(first))
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


def _regimes(model: Any, listed: list[list[list[FloatArray]]]) -> list[str]:
    """The supports of every equilibrium at each value."""
    out = []
    for eqs_here in listed:
        eqs = []
        for profile in eqs_here:
            parts = []
            for i, (labels, probs) in enumerate(zip(model.strategies, profile, strict=True)):
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
