r"""Compiled (numba) thresholds of many points of a 2x2x2 model, each answer checked by solving the games either
side of it: the fixed half of the kernels that :mod:`._fused` writes.

This file is the *template* of a generated module: :mod:`._fused` appends to its text the model's formulas
written as numba functions (the equilibrium types, the candidate rows, the payoffs and the metric tables, from the
same :class:`~gametheory._expressions.Program` objects the numpy path evaluates) under the names of the stubs at
the end, and compiles the whole. Per point, :func:`scan_points` does in one pass what
:meth:`ClosedForm.thresholds <gametheory.deterrence.closed_form.ClosedForm.thresholds>` and the solver check of
:func:`~gametheory.deterrence.min_value` do over arrays:

1. every live candidate row (a regime's crossing of the target or a boundary of an equilibrium type), kept where
   its conditions hold and it lies inside the bounds; sorted, equal ones merged (the rows' values are computed
   for :data:`BLOCK` points at a time, one vectorised loop per row: most of the arithmetic);
2. the verdict of the equilibrium types at the bounds and at the midpoints between consecutive candidates, from
   the bottom up to the first piece where the criterion holds (``smallest``) and from the top down to the first
   where it fails (``robust``);
3. the check: the game at each midpoint either side of an answer (and at the upper bound when there is none)
   solved by :func:`worst_rate` -- every equilibrium of the generic 2x2x2 game (8 pure profiles, 6 with two
   mixers, the 2 roots of the fully mixed quadratic), each verified by its regret -- and the deciding rate
   compared with the target. A game near a degeneracy (the closed-form solver's *suspect* games: a tie, a
   reducible gain, a double root, a mixed point near a face) is not decided here: the point is marked and the
   caller checks it with :func:`gametheory.solve_batch`.

Nothing is materialised per equilibrium or per game: each point costs a few hundred floating-point operations per
formula row and per solved game. Importing this module imports numba: callers import it lazily.
"""

from __future__ import annotations

import numba
import numpy as np

from gametheory.solvers.closed_form._kernel_2x2x2 import fully_mixed_point, fully_mixed_roots

#: every function but :func:`scan_points` works on arrays that :func:`scan_points` owns and allocates nothing, so
#: it is compiled without numba's reference counting (``_nrt=False``): with it, each call that passes an array and
#: each view (``u[24:32]``) adds an atomic increment and decrement of the array's count -- 35% of the pass's time
#: (direct model, 10^6 points: 1.70 -> 1.02 s of CPU in the kernel, the same answers bit for bit). A function that
#: allocated here would not compile (numba rejects it), so this can not go wrong silently.
_jit = numba.njit(cache=True, error_model="numpy", _nrt=False)
#: small helpers are inlined where they are called (a call that passes arrays costs more than their arithmetic)
_inline = numba.njit(cache=True, error_model="numpy", inline="always", _nrt=False)
#: :func:`scan_points` allocates its scratch arrays: compiled with reference counting
_owner = numba.njit(cache=True, error_model="numpy", _nrt=True)

#: a type's inequality counts as met down to this (as :data:`gametheory.deterrence.equilibrium_types.COND_TOL`)
COND_TOL = 1e-9
#: absolute tolerance on rates (as ``RATE_TOL``) and on "nothing is sold" (as ``TRADE_TOL``)
RATE_TOL = 1e-9
TRADE_TOL = 1e-9
#: candidates closer than this (relative to 1 + |value|) are one (as ``closed_form.MERGE_RTOL``)
MERGE_RTOL = 1e-10
#: boundary band of the closed-form solver's fast path (as ``_formulas_2x2x2.BAND``)
BAND = 1e-7
#: smallest relative tolerance of the closed-form solver (as ``_driver.TOL_FLOOR``)
TOL_FLOOR = 1e-12
#: the check's outcome per point
CONFIRMED, CONTRADICTED, DEFERRED, UNANSWERED = 1, 0, 2, -1
#: scratch floats :func:`worst_rate` needs
WORK = 104
#: added to the equilibrium types' verdict where the solved game was suspect
TYPED = 10
#: points whose candidate rows' values are computed together (:func:`row_values`, one vectorised loop per row)
BLOCK = 256
#: a piece whose verdict is not computed yet
NOT_YET = -100
#: :func:`_find` met a verdict the equilibrium types leave unknown
UNKNOWN = -2


@_inline
def fmin(a: float, b: float) -> float:
    """``numpy.minimum`` of two floats (NaN when either is NaN)."""
    return a if (a < b or a != a) else b


@_inline
def fmax(a: float, b: float) -> float:
    """``numpy.maximum`` of two floats (NaN when either is NaN)."""
    return a if (a > b or a != a) else b


@_jit
def _sort_merge(vals: np.ndarray, m: int) -> int:
    """Sort ``vals[:m]`` in place and drop each value within ``MERGE_RTOL`` of its predecessor; the new count."""
    for i in range(1, m):
        v = vals[i]
        j = i - 1
        while j >= 0 and vals[j] > v:
            vals[j + 1] = vals[j]
            j -= 1
        vals[j + 1] = v
    count = 0
    prev = np.nan
    for i in range(m):
        v = vals[i]
        if i == 0 or not (v - prev <= MERGE_RTOL * (1.0 + abs(v))):
            vals[count] = v
            count += 1
        prev = v
    return count


@_jit
def worst_rate(u: np.ndarray, rate_tab: np.ndarray, trade_tab: np.ndarray, tol: float, largest: bool,
               w: np.ndarray) -> tuple[float, float, bool]:
    r"""The deciding rate of one 2x2x2 game ``u`` (flat, ``u[8 i + 4 a + 2 b + c]``), the trade rate of the play
    that attains it, and whether the game is *suspect* (near a degeneracy: then the caller asks the full solver).

    The equilibria are those of the closed-form solver's fast path (:mod:`gametheory.solvers.closed_form`): with
    :math:`D_i = a_i + b_i p_{o_1} + c_i p_{o_2} + e_i p_{o_1} p_{o_2}` player *i*'s gain of its first strategy,
    the 8 pure profiles (signs of the pure differences), the 6 profiles where two players mix (each mixer's
    probability the root of the other's linear gain; the pure player's gain must have the sign of its choice) and
    the 2 fully mixed ones (roots of the quadratic in :math:`p_3` after eliminating :math:`p_1, p_2`), each kept
    when its regret :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-` is at most ``max(tol, 1e-12) * max|u|``. A rate is
    the metric table's multilinear extension. A player with a strictly dominant strategy plays it in every
    equilibrium (then only the profiles where it does are candidates, and the gains' reducibility, which matters
    for the fully mixed ones only, does not make the game suspect). NaN rate when no equilibrium is listed.
    ``w`` is scratch space (at
    least :data:`WORK` floats): the pure differences ``d[i, s, t]`` at ``w[4 i + 2 s + t]`` (opponents' pure
    profile ``(s, t)``), the gains' coefficients at ``w[12 + 4 i + k]``, the candidates at ``w[24 + 3 k + i]``.
    """
    scale = 0.0
    for k in range(24):
        scale = max(scale, abs(u[k]))
    if scale == 0.0:
        scale = 1.0
    slack = max(tol, TOL_FLOOR) * scale
    for s in range(2):
        for t in range(2):
            w[2 * s + t] = u[2 * s + t] - u[4 + 2 * s + t]
            w[4 + 2 * s + t] = u[8 + 4 * s + t] - u[10 + 4 * s + t]
            w[8 + 2 * s + t] = u[16 + 4 * s + 2 * t] - u[17 + 4 * s + 2 * t]
    for k in range(12):
        if abs(w[k]) <= slack:
            return np.nan, np.nan, True
    # a player whose four differences share a sign has a strictly dominant strategy: it plays it in every
    # equilibrium, and the others play the (non-degenerate) 2x2 game it leaves
    dominant, choice = -1, 0
    for i in range(3):
        if dominant < 0 and (w[4 * i] > 0) == (w[4 * i + 1] > 0) == (w[4 * i + 2] > 0) == (w[4 * i + 3] > 0):
            dominant, choice = i, 0 if w[4 * i] > 0 else 1
    for i in range(3):
        d00, d01, d10, d11 = w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]
        a, b, c, e = d11, d01 - d11, d10 - d11, d00 - d01 - d10 + d11
        w[12 + 4 * i], w[13 + 4 * i], w[14 + 4 * i], w[15 + 4 * i] = a, b, c, e
        if dominant < 0 and abs(a * e - b * c) <= 1e-6 * (abs(a * e) + abs(b * c)):
            return np.nan, np.nan, True
    n_cand = 0
    # pure profiles: player i plays its first strategy (p_i = 1) iff D_i > 0 there
    for a in range(2):
        for b in range(2):
            for c in range(2):
                if (w[2 * b + c] > 0) == (a == 0) and (w[4 + 2 * a + c] > 0) == (b == 0) and \
                        (w[8 + 2 * a + b] > 0) == (c == 0):
                    n_cand = _push(w, n_cand, 1.0 - a, 1.0 - b, 1.0 - c)
    # two mixers i < j, the third player f pure at strategy s: p_i solves D_j = 0, p_j solves D_i = 0
    for f in range(3):
        i = 1 if f == 0 else 0
        j = 1 if f == 2 else 2
        for s in range(2):
            if dominant >= 0 and (f != dominant or s != choice):
                continue
            pi = _line_root(w, j, f, s)
            pj = _line_root(w, i, f, s)
            if abs(abs(pi - 0.5) - 0.5) <= BAND or abs(abs(pj - 0.5) - 0.5) <= BAND:
                return np.nan, np.nan, True
            if not (abs(pi - 0.5) < 0.5 - BAND and abs(pj - 0.5) < 0.5 - BAND):
                continue
            g = _gain(w[12 + 4 * f], w[13 + 4 * f], w[14 + 4 * f], w[15 + 4 * f], pi, pj)
            if (g if s == 0 else -g) >= -slack:
                p = (1.0 - s, pi, pj) if f == 0 else (pi, 1.0 - s, pj) if f == 1 else (pi, pj, 1.0 - s)
                n_cand = _push(w, n_cand, p[0], p[1], p[2])
    if dominant >= 0:
        return _decide(w, n_cand, slack, rate_tab, trade_tab, largest)
    # fully mixed: the two roots of the quadratic in t = p_2 after eliminating p_0, p_1 (the solver's formulas)
    a0, b0, c0, e0 = w[12], w[13], w[14], w[15]
    a1, b1, c1, e1 = w[16], w[17], w[18], w[19]
    h, q0, q2, double = fully_mixed_roots(a0, b0, c0, e0, a1, b1, c1, e1, w[20], w[21], w[22], w[23])
    if double:
        return np.nan, np.nan, True
    for root in range(2):
        p0, p1, t = fully_mixed_point(a0, b0, c0, e0, a1, b1, c1, e1, h / q2 if root == 0 else q0 / h)
        w0, w1, w2 = abs(p0 - 0.5), abs(p1 - 0.5), abs(t - 0.5)
        if w0 <= 0.5 + BAND and w1 <= 0.5 + BAND and w2 <= 0.5 + BAND and (
                abs(w0 - 0.5) <= BAND or abs(w1 - 0.5) <= BAND or abs(w2 - 0.5) <= BAND):
            return np.nan, np.nan, True
        if w0 < 0.5 - BAND and w1 < 0.5 - BAND and w2 < 0.5 - BAND:
            n_cand = _push(w, n_cand, p0, p1, t)
    return _decide(w, n_cand, slack, rate_tab, trade_tab, largest)


@_inline
def _decide(w: np.ndarray, n_cand: int, slack: float, rate_tab: np.ndarray, trade_tab: np.ndarray,
            largest: bool) -> tuple[float, float, bool]:
    """The candidates ``w[24:]`` verified by regret; the largest (smallest) rate, and the largest trade rate
    among the plays attaining it."""
    best = -np.inf if largest else np.inf
    for k in range(n_cand):
        p0, p1, p2 = w[24 + 3 * k], w[25 + 3 * k], w[26 + 3 * k]
        w[72 + k] = np.nan
        if _regret(w, p0, p1, p2) <= slack:
            r = _table_value(rate_tab, p0, p1, p2)
            w[72 + k], w[88 + k] = r, _table_value(trade_tab, p0, p1, p2)
            if np.isfinite(r):
                best = max(best, r) if largest else min(best, r)
    if not np.isfinite(best):
        return np.nan, np.nan, False
    trade = -np.inf
    for k in range(n_cand):
        if np.isfinite(w[72 + k]) and abs(w[72 + k] - best) <= RATE_TOL and np.isfinite(w[88 + k]):
            trade = max(trade, w[88 + k])
    return best, (trade if np.isfinite(trade) else np.nan), False


@_inline
def _push(w: np.ndarray, n: int, p0: float, p1: float, p2: float) -> int:
    w[24 + 3 * n], w[25 + 3 * n], w[26 + 3 * n] = p0, p1, p2
    return n + 1


@_inline
def _gain(a: float, b: float, c: float, e: float, p: float, q: float) -> float:
    return a + b * p + q * (c + e * p)


@_inline
def _line_root(w: np.ndarray, i: int, f: int, s: int) -> float:
    """The root in its other opponent's probability of player ``i``'s gain when player ``f`` plays ``s``."""
    if f == (1 if i == 0 else 0):  # f is i's first opponent: D_i = p d[i, s, 0] + (1 - p) d[i, s, 1]
        return w[4 * i + 2 * s + 1] / (w[4 * i + 2 * s + 1] - w[4 * i + 2 * s])
    return w[4 * i + 2 + s] / (w[4 * i + 2 + s] - w[4 * i + s])


@_inline
def _regret(w: np.ndarray, p0: float, p1: float, p2: float) -> float:
    out = 0.0
    for i in range(3):
        p, q, own = (p1, p2, p0) if i == 0 else (p0, p2, p1) if i == 1 else (p0, p1, p2)
        g = _gain(w[12 + 4 * i], w[13 + 4 * i], w[14 + 4 * i], w[15 + 4 * i], p, q)
        out = max(out, max(g, 0.0) * (1.0 - own) - min(g, 0.0) * own)
    return out


@_inline
def _table_value(tab: np.ndarray, p0: float, p1: float, p2: float) -> float:
    """The multilinear extension of a metric table ``tab[4 a + 2 b + c]`` at first-strategy probabilities."""
    out = 0.0
    for a in range(2):
        wa = p0 if a == 0 else 1.0 - p0
        for b in range(2):
            wb = p1 if b == 0 else 1.0 - p1
            out += wa * wb * (tab[4 * a + 2 * b] * p2 + tab[4 * a + 2 * b + 1] * (1.0 - p2))
    return out


@_jit
def _holds(x: np.ndarray, theta: float, kpos: int, target: float, tol: float, largest: bool, u: np.ndarray,
           work: np.ndarray) -> int:
    """The criterion at ``theta``: 1 holds, 0 fails (the game solved by :func:`worst_rate`); where the game is
    suspect, the equilibrium types' verdict plus :data:`TYPED` (11 holds, 10 fails, 9 unknown)."""
    x[kpos] = theta
    payoffs(x, u)
    rate_tab, trade_tab = u[24:32], u[32:40]
    metric_tables(x, rate_tab, trade_tab)
    rate, trade, suspect = worst_rate(u, rate_tab, trade_tab, tol, largest, work)
    if suspect:
        return verdict(x, target) + TYPED
    ok = np.isfinite(rate) and rate <= target + RATE_TOL and not (np.isfinite(trade) and trade <= TRADE_TOL)
    return 1 if ok else 0


@_jit
def _piece(r: int, verdicts: np.ndarray, edges: np.ndarray, x: np.ndarray, kpos: int, target: float, tol: float,
           largest: bool, u: np.ndarray, work: np.ndarray) -> int:
    """The criterion at the midpoint of piece ``r`` (between ``edges[r]`` and ``edges[r + 1]``), computed once."""
    if verdicts[r] == NOT_YET:
        verdicts[r] = _holds(x, 0.5 * (edges[r] + edges[r + 1]), kpos, target, tol, largest, u, work)
    return verdicts[r]


@_owner
def scan_points(X: np.ndarray, cols: np.ndarray, base: np.ndarray, kpos: int, lo: float, hi: float, target: float,
                tol: float, largest: bool, live: np.ndarray, out: np.ndarray, state: np.ndarray) -> None:
    """Thresholds of every point, checked: the numeric parameters in the model's order are ``base`` with
    ``X[g, j]`` at position ``cols[j]`` (the parameters that vary between points).

    The criterion is read at the bounds and at the midpoints of the pieces between consecutive candidates, from
    the solved game (from the equilibrium types where the game is suspect). ``out[g]`` receives ``smallest,
    robust, smallest_below, smallest_above, robust_below, robust_above`` (NaN where none) and ``state[g]`` the
    check: :data:`CONFIRMED` (the solved games fail below and hold above each answer; with no answer, fail at
    the upper bound), :data:`CONTRADICTED`, :data:`DEFERRED` (one of those games is suspect: check it with the
    full solver) or :data:`UNANSWERED` (the types leave a verdict unknown).
    """
    n = X.shape[0]
    n_args = base.size
    x = np.empty(n_args)
    vals = np.empty(live.size + 2)
    edges = np.empty(live.size + 2)
    verdicts = np.empty(live.size + 2, dtype=np.int64)
    u = np.empty(40)
    work = np.empty(WORK)
    P = np.empty((n_args, BLOCK))
    V = np.empty((live.size, BLOCK))
    slack = 1e-12 * max(1.0, abs(hi))
    for g in range(n):
        j = g % BLOCK
        if j == 0:  # the next block of points: their parameters, and every row's value at each (vectorised)
            size = min(BLOCK, n - g)
            for a in range(n_args):
                P[a, :size] = base[a]
            for c in range(cols.size):
                P[cols[c], :size] = X[g : g + size, c]
            row_values(P, V, size, target)
        for a in range(n_args):
            x[a] = P[a, j]
        m = candidates(x, target, lo + slack, hi - slack, live, vals, V, j)
        count = _sort_merge(vals, m)
        edges[0] = lo
        for k in range(count):
            edges[k + 1] = vals[k]
        edges[count + 1] = hi
        verdicts[: count + 1] = NOT_YET
        for k in range(6):
            out[g, k] = np.nan
        hi_raw = _holds(x, hi, kpos, target, tol, largest, u, work)
        at_lo = _value(_holds(x, lo, kpos, target, tol, largest, u, work))
        at_hi = _value(hi_raw)
        answered = at_lo >= 0 and at_hi >= 0
        first = -1  # the piece right of the smallest value
        if answered and at_lo == 1:
            out[g, 0], first = lo, 0
        elif answered:  # from the bottom: the first piece where the criterion holds
            first = _find(1, count + 1, 1, 1, verdicts, edges, x, kpos, target, tol, largest, u, work)
            answered = first != UNKNOWN
            if first >= 0:
                out[g, 0] = edges[first]
        if answered and first < 0 and at_hi == 1:
            out[g, 0], first = hi, count + 1
        top = -1  # the piece right of the robust value
        if answered and at_hi == 1:  # from the top: the first piece where it fails
            failing = _find(count - 1, -1, -1, 0, verdicts, edges, x, kpos, target, tol, largest, u, work)
            answered = failing != UNKNOWN
            if failing >= 0:
                top = failing + 1
                out[g, 1] = edges[top]
            elif answered:
                if at_lo == 0:
                    answered = False
                else:
                    out[g, 1] = lo
        if not answered:
            state[g] = UNANSWERED
            continue
        # the check: the solved games fail just below each answer and hold just above it
        sides = (first - 1, first, top - 1, top)
        verdict_state = CONFIRMED
        for side in range(4):
            r = sides[side]
            if r < 0 or r > count:
                continue
            out[g, 2 + side] = 0.5 * (edges[r] + edges[r + 1])
            if side >= 2 and top == first:  # the robust sides are the smallest's
                continue
            got = _piece(r, verdicts, edges, x, kpos, target, tol, largest, u, work)
            if got >= TYPED - 1:
                verdict_state = DEFERRED if verdict_state == CONFIRMED else verdict_state
            elif got != side % 2:
                verdict_state = CONTRADICTED
        if first < 0:  # no answer: the game at the upper bound must fail
            if hi_raw >= TYPED - 1:
                verdict_state = DEFERRED if verdict_state == CONFIRMED else verdict_state
            elif hi_raw != 0:
                verdict_state = CONTRADICTED
        state[g] = verdict_state


@_inline
def _find(start: int, stop: int, step: int, want: int, verdicts: np.ndarray, edges: np.ndarray, x: np.ndarray,
          kpos: int, target: float, tol: float, largest: bool, u: np.ndarray, work: np.ndarray) -> int:
    """The first piece in ``range(start, stop, step)`` whose verdict is ``want``: its index, -1 when none,
    :data:`UNKNOWN` when a verdict before it is unknown."""
    for r in range(start, stop, step):
        got = _value(_piece(r, verdicts, edges, x, kpos, target, tol, largest, u, work))
        if got == want:
            return r
        if got == -1:
            return UNKNOWN
    return -1


@_inline
def _value(got: int) -> int:
    """The verdict of :func:`_holds` without its source: 1 holds, 0 fails, -1 unknown."""
    return got - TYPED if got >= TYPED - 1 else got


# ---------------------------------------------------------------------------------------------------------------
# The model's formulas. The generated module (:mod:`._fused`) redefines these five after this text; the stubs here
# only name them (and let this file be imported and linted on its own).


@_jit
def verdict(x: np.ndarray, target: float) -> int:  # pragma: no cover - replaced
    """By the equilibrium types: 1 where the criterion holds at ``x``, 0 where it fails, -1 unknown."""
    return -1


@_jit
def row_values(P: np.ndarray, V: np.ndarray, n: int, tau: float) -> None:  # pragma: no cover - replaced
    """Every candidate row's value at the points ``P[:, :n]`` (argument ``i`` of point ``g`` at ``P[i, g]``), into
    ``V[:, :n]``."""
    V[:, :n] = np.nan


@_jit
def candidates(x: np.ndarray, tau: float, lo: float, hi: float, live: np.ndarray, vals: np.ndarray, V: np.ndarray,
               j: int) -> int:  # pragma: no cover - replaced
    """The values in ``(lo, hi)`` of the ``live`` candidate rows whose conditions hold at ``x`` (their values at
    ``V[:, j]``, from :func:`row_values`), into ``vals`` (unsorted); how many."""
    return 0


@_jit
def payoffs(x: np.ndarray, u: np.ndarray) -> None:  # pragma: no cover - replaced
    """The flat payoff tensor at ``x`` into ``u``."""
    u[:] = np.nan


@_jit
def metric_tables(x: np.ndarray, rate: np.ndarray, trade: np.ndarray) -> None:  # pragma: no cover - replaced
    """The counterfeit-rate and trade-rate tables at ``x``."""
    rate[:] = np.nan
    trade[:] = np.nan
