r"""Compiled (numba) kernel of the hub-and-spokes solver: one game at a time, every game of a batch in one call.

The game is given in the canonical form of :mod:`.hub_spokes` (hub strategies ``s``, the spokes' strategies
``t`` concatenated, pivot action ``a``):

* ``HS[a, s, t]``: the hub's payoff from spoke strategy ``t`` (its payoff is :math:`\sum_t y_t HS[a, s, t]`);
* ``SP[a, t, s]``: spoke strategy ``t``'s payoff against hub strategy ``s``;
* ``PV[s, t]``: the pivot's gain of its second action over its first, :math:`\Delta = x^\top PV\, y`.

Payoffs at a pivot mixture :math:`p` (probability of the second action) are :math:`(1-p) M[0] + p M[1]`.

For each pivot action that survives iterated strict dominance the kernel enumerates the vertices of the two
best-response polytopes of the hub-and-spokes (polymatrix) game at that action -- hub side
:math:`\{x \in \Delta, v_k \ge U_k(t; x)\}`, spoke side :math:`\{y_k \in \Delta, v \ge U(s; y)\}` -- by solving
every square system of tight constraints, and pairs the completely labelled ones (every strategy unused or a
best response), which lists every extreme equilibrium even of degenerate games; pairs sharing a vertex lie in
one continuum (component). A pair is kept when the pivot's action is a best response to it.

When both pivot actions survive, equilibria with a mixing pivot solve, for square supports
:math:`(I, J)` (:math:`|I| + K = 1 + \sum_k |J_k|`), the two linear systems at :math:`p` (Cramer:
:math:`x = N_x(p) / d_x(p)`, :math:`y = N_y(p) / d_y(p)`, polynomials in :math:`p`) and the pivot's
indifference :math:`f(p) = N_x(p)^\top PV N_y(p) = 0`, a polynomial of low degree (:func:`_degree`),
interpolated at Chebyshev nodes, skipped when its Bernstein coefficients on :math:`[0, 1]` have one sign, and
otherwise solved on :math:`[0, 1]` by isolating its roots between those of its derivatives.

A game is *suspect* (the caller re-solves it per game) when a decision the kernel makes rests on a tie it cannot
resolve: the pivot indifferent at a pure-pivot equilibrium or its best response changing inside a continuum
on a face where its gain is not affine (where it is, the points of indifference are listed: :func:`_cut_points`),
a mixing-pivot candidate
with a tight unused strategy, a polynomial :math:`f` that vanishes identically while both systems are regular,
a near-double root, or more candidates than the output holds.

Importing this module imports numba: callers import it lazily.
"""

from __future__ import annotations

import numba
import numpy as np

from .._elimination_kernel import back_substitute, eliminate
from .._kernel_cache import depends_on

__all__ = ["solve_games", "canonical_games", "KMAX", "REASONS"]

#: equilibria listed per game at most (more makes the game suspect)
KMAX = 48
_MAXV = 160  # vertices per side and pivot action
_MAXN = 12  # size of a linear system
_POS = -1e-9  # smallest probability accepted (then clipped to 0)
_SAME = 1e-9  # two vertices closer than this (max norm) are one
_ONE_GROUP = np.zeros(2 * 4, np.int64)  # every strategy of a side in group 0 (the hub, seen by the spokes)
#: why a game is suspect (bits of the ``suspect`` output)
PIVOT_TIE, PIVOT_CUT, CURVE, DOUBLE_ROOT, MIXED_TIE, OVERFLOW, NOTHING = 1, 2, 4, 8, 16, 32, 64
REASONS = {PIVOT_TIE: "the pivot is indifferent at a pure-pivot equilibrium",
           PIVOT_CUT: "the pivot's best response changes inside a continuum",
           CURVE: "a curve of mixing-pivot candidates", DOUBLE_ROOT: "a near-double root",
           MIXED_TIE: "a tie at a mixing-pivot equilibrium", OVERFLOW: "more equilibria than the kernel lists",
           NOTHING: "no equilibrium found"}


@numba.njit(cache=True)
def _popcount(m: int) -> int:
    c = 0
    while m:
        m &= m - 1
        c += 1
    return c


@numba.njit(cache=True)
def _lu_solve(M: np.ndarray, r: np.ndarray, n: int, x: np.ndarray) -> float:
    """Solve ``M[:n, :n] x = r[:n]`` in place (partial pivoting); return the determinant (0.0 when singular: a
    pivot at most 1e-13 times the largest entry)."""
    det, _, _ = eliminate(M, r, n, 1e-13)
    if det != 0.0:
        back_substitute(M, r, n, x)
    return det


@numba.njit(cache=True)
def _det(M: np.ndarray, n: int) -> float:
    """Determinant of ``M[:n, :n]`` (destroys ``M``)."""
    return eliminate(M, M[0, :0], n, 0.0)[0]  # an empty right-hand side (a view: a global array is read-only)


@numba.njit(cache=True)
def _system(Mp: np.ndarray, sup: int, tight: int, cgrp: np.ndarray, Gc: int, rgrp: np.ndarray, M: np.ndarray,
            r: np.ndarray) -> int:
    """Rows of the tight system of one side's best-response polytope (the columns ``c`` of ``Mp`` are that side's
    strategies, in groups ``cgrp``; the rows its opponents', in groups ``rgrp``, each group with a value ``v``).

    Unknowns: ``z_c`` for ``c`` in ``sup``, then one ``v`` per row group. Equations: ``sum z = 1`` per column
    group, then ``sum_c Mp[t, c] z_c = v_(rgrp[t])`` for ``t`` in ``tight``. The hub's side is ``Mp = SP``
    (columns: hub strategies, one group; rows: spoke strategies, grouped by spoke), the spokes' side ``Mp = HS``.
    Returns the number of rows."""
    nrow, ncol = Mp.shape
    m = _popcount(sup)
    groups = 0
    for t in range(nrow):
        groups = max(groups, rgrp[t] + 1)
    # zero the block the system uses, and the row below it (a caller may append one: :func:`_pivot_row`)
    for i in range(min(Gc + _popcount(tight) + 1, _MAXN)):
        for j in range(min(m + groups, _MAXN)):
            M[i, j] = 0.0
        r[i] = 0.0
    j = 0
    for c in range(ncol):
        if sup >> c & 1:
            M[cgrp[c], j] = 1.0
            j += 1
    for g in range(Gc):
        r[g] = 1.0
    row = Gc
    for t in range(nrow):
        if tight >> t & 1:
            j = 0
            for c in range(ncol):
                if sup >> c & 1:
                    M[row, j] = Mp[t, c]
                    j += 1
            M[row, m + rgrp[t]] = -1.0
            row += 1
    return row


@numba.njit(cache=True)
def _hub_system(SPp: np.ndarray, I: int, T: int, nh: int, spoke_of: np.ndarray, K: int, M: np.ndarray,
                r: np.ndarray) -> int:
    """The hub's side of :func:`_system` (unknowns ``x_I``, then ``v_k``): ``sum x = 1``, ``U_t(x) = v_k``."""
    return _system(SPp, I, T, _ONE_GROUP, 1, spoke_of, M, r)


@numba.njit(cache=True)
def _spoke_system(HSp: np.ndarray, J: int, S: int, spoke_of: np.ndarray, K: int, M: np.ndarray,
                  r: np.ndarray) -> int:
    """The spokes' side of :func:`_system` (unknowns ``y_J``, then ``v``): each ``sum y = 1``, ``U_s(y) = v``."""
    return _system(HSp, J, S, spoke_of, K, _ONE_GROUP, M, r)


@numba.njit(cache=True)
def _spread(sol: np.ndarray, mask: int, size: int, out: np.ndarray) -> bool:
    """Write the solution entries onto the strategies of ``mask`` (zeros elsewhere); False when one is negative."""
    j = 0
    for s in range(size):
        if mask >> s & 1:
            v = sol[j]
            j += 1
            if v < _POS:
                return False
            out[s] = v if v > 0.0 else 0.0
        else:
            out[s] = 0.0
    return True


@numba.njit(cache=True)
def _mix(Mat: np.ndarray, p: float, out: np.ndarray) -> None:
    """``(1 - p) Mat[0] + p Mat[-1]``."""
    A, n, m = Mat.shape
    if A == 1:
        out[:] = Mat[0]
    else:
        for i in range(n):
            for j in range(m):
                out[i, j] = (1.0 - p) * Mat[0, i, j] + p * Mat[1, i, j]


@numba.njit(cache=True)
def _beaten(M3: np.ndarray, amask: int, r: int, alive: int, cols: int, rgrp: np.ndarray, cgrp: np.ndarray, Gc: int,
            slack: float) -> bool:
    r"""Row ``r`` of ``M3`` (a player's payoffs: rows its strategies, in groups ``rgrp``; columns its opponents',
    in groups ``cgrp``, at most two groups) is beaten by another alive row of its group by more than ``slack`` on
    every opponent profile of the columns ``cols`` (one column per group: the margin is a sum over groups of the
    worst column), at every action of ``amask`` (``M3``'s first axis).

    The hub's strategies are the rows of ``HS`` (one group; columns: the spokes'), a spoke's the rows of ``SP``
    (grouped by spoke; columns: the hub's, one group)."""
    A, nrow, ncol = M3.shape
    for r2 in range(nrow):
        if r2 == r or rgrp[r2] != rgrp[r] or not alive >> r2 & 1:
            continue
        beats = True
        for a in range(A):
            if not amask >> a & 1:
                continue
            low0, low1 = np.inf, np.inf  # the worst column of each group
            for c in range(ncol):
                if cols >> c & 1:
                    d = M3[a, r2, c] - M3[a, r, c]
                    if cgrp[c] == 0:
                        low0 = min(low0, d)
                    else:
                        low1 = min(low1, d)
            total = 0.0 + low0
            if Gc > 1:
                total += low1
            if not total > slack:  # not beaten at this action: r2 does not beat r
                beats = False
                break
        if beats:
            return True
    return False


@numba.njit(cache=True)
def _dominance(HS: np.ndarray, SP: np.ndarray, PV: np.ndarray, spoke_of: np.ndarray, K: int, slack: float
               ) -> tuple[int, int, int]:
    """Iterated elimination of strictly dominated pure strategies: alive masks (hub, spokes, pivot)."""
    A, nh, nt = HS.shape
    ah = (1 << nh) - 1
    at = (1 << nt) - 1
    ap = (1 << A) - 1
    changed = True
    while changed:
        changed = False
        for s in range(nh):
            if ah >> s & 1 and _beaten(HS, ap, s, ah, at, _ONE_GROUP, spoke_of, K, slack):
                ah &= ~(1 << s)
                changed = True
        for t in range(nt):
            if at >> t & 1 and _beaten(SP, ap, t, at, ah, spoke_of, _ONE_GROUP, 1, slack):
                at &= ~(1 << t)
                changed = True
        if A == 2 and ap == 3:
            lo, hi = _pivot_gain_range(PV, ah, at, spoke_of, K)
            if lo > slack:
                ap = 2
                changed = True
            elif hi < -slack:
                ap = 1
                changed = True
    return ah, at, ap


@numba.njit(cache=True)
def _dominance_at(HS: np.ndarray, SP: np.ndarray, a: int, ah: int, at: int, spoke_of: np.ndarray, K: int,
                  slack: float) -> tuple[int, int]:
    """:func:`_dominance` continued in the polymatrix game at pivot action ``a`` alone, from the alive masks
    ``ah``, ``at``: a strategy beaten there by more than ``slack`` is never a best response at ``a``, so it is
    neither used nor tight in any vertex pair there (its rows are redundant constraints of the polytopes)."""
    nh, nt = HS.shape[1], HS.shape[2]
    changed = True
    while changed:
        changed = False
        for s in range(nh):
            if ah >> s & 1 and _beaten(HS, 1 << a, s, ah, at, _ONE_GROUP, spoke_of, K, slack):
                ah &= ~(1 << s)
                changed = True
        for t in range(nt):
            if at >> t & 1 and _beaten(SP, 1 << a, t, at, ah, spoke_of, _ONE_GROUP, 1, slack):
                at &= ~(1 << t)
                changed = True
    return ah, at


@numba.njit(cache=True)
def _covers(mask: int, grp: np.ndarray, G: int, n: int) -> bool:
    """``mask`` holds at least one of the ``n`` strategies of every group ``0..G-1``."""
    for g in range(G):
        has = False
        for t in range(n):
            if grp[t] == g and mask >> t & 1:
                has = True
        if not has:
            return False
    return True


@numba.njit(cache=True)
def _next_subset(mask: int, alive: int) -> int:
    """The next larger non-empty subset of ``alive`` after ``mask`` (start at 0; 0 when there is none)."""
    return (mask - alive) & alive


@numba.njit(cache=True)
def _vertices(Mp3: np.ndarray, col_alive: int, row_alive: int, cgrp: np.ndarray, Gc: int, rgrp: np.ndarray, Gr: int,
              slack: float, verts: np.ndarray, zero: np.ndarray, tight: np.ndarray, work: tuple, partners: np.ndarray,
              n_partners: int) -> int:
    """Every vertex of one side's best-response polytope at a pure pivot action (``Mp3[0]``, see
    :func:`_system`) that can be completely labelled with one of the other side's vertices: every square tight
    system of alive supports (none with a tight row beaten on the support), solved; its solution kept when
    non-negative and no alive row pays more than its group's value. Writes the vertices, their unused alive
    strategies (``zero``) and their tight alive rows (``tight``: best responses); returns their number (-1: more
    than :data:`_MAXV`). ``work``: :func:`_vertex_work`.

    ``partners``: the other side's vertices' best responses (their ``tight``), ``n_partners < 0`` for none known
    yet. A vertex pairs with partner ``i`` only if its support lies in ``partners[i]``, and its support meets
    every group of this side (each group's probabilities sum to 1): a support ``S`` whose intersection with every
    ``partners[i]`` misses a group is skipped. Every vertex found on a skipped support pairs with nobody; every
    other vertex is found on the same supports as without the test, so the kept vertices and their order are the
    same."""
    Mp = Mp3[0]
    nrow, ncol = Mp.shape
    M, r, sol, zbuf, U, best, by_size, start, fill = work
    z = zbuf[:ncol]
    # the tight sets that cover every row group, by size (each size's in increasing order)
    for k in range(nrow + 2):
        start[k] = 0
    T = _next_subset(0, row_alive)
    while T:
        if _covers(T, rgrp, Gr, nrow):
            start[_popcount(T) + 1] += 1
        T = _next_subset(T, row_alive)
    for k in range(nrow + 1):
        start[k + 1] += start[k]
    for k in range(nrow + 1):
        fill[k] = start[k]
    T = _next_subset(0, row_alive)
    while T:
        if _covers(T, rgrp, Gr, nrow):
            k = _popcount(T)
            by_size[fill[k]] = T
            fill[k] += 1
        T = _next_subset(T, row_alive)
    nv = 0
    S = _next_subset(0, col_alive)
    while S:
        size = _popcount(S) + Gr - Gc  # a square system: as many tight rows as unknowns less the sums
        if _covers(S, cgrp, Gc, ncol) and 0 <= size <= nrow and _may_pair(S, partners, n_partners, cgrp, Gc, ncol):
            m = _popcount(S)
            beaten = 0  # rows beaten on the support: never tight on a mixture supported on it
            for t in range(nrow):
                if row_alive >> t & 1 and _beaten(Mp3, 1, t, row_alive, S, rgrp, cgrp, Gc, slack):
                    beaten |= 1 << t
            for e in range(start[size], start[size + 1]):
                T = by_size[e]
                if not T & beaten:
                    n = _system(Mp, S, T, cgrp, Gc, rgrp, M, r)
                    if _lu_solve(M, r, n, sol) != 0.0 and _spread(sol, S, ncol, z):
                        for g in range(Gr):
                            best[g] = -np.inf
                        for t in range(nrow):
                            U[t] = 0.0
                            if row_alive >> t & 1:
                                for c in range(ncol):
                                    U[t] += Mp[t, c] * z[c]
                                best[rgrp[t]] = max(best[rgrp[t]], U[t])
                        ok = True
                        for g in range(Gr):
                            if best[g] > sol[m + g] + slack:
                                ok = False
                        if ok and not _known(verts, nv, z):
                            if nv == _MAXV:
                                return -1
                            verts[nv] = z
                            zl, tl = 0, 0
                            for c in range(ncol):
                                if col_alive >> c & 1 and z[c] <= 0.0:
                                    zl |= 1 << c
                            for t in range(nrow):
                                if row_alive >> t & 1 and U[t] >= best[rgrp[t]] - slack:
                                    tl |= 1 << t
                            zero[nv] = zl
                            tight[nv] = tl
                            nv += 1
        S = _next_subset(S, col_alive)
    return nv


@numba.njit(cache=True)
def _may_pair(S: int, partners: np.ndarray, n_partners: int, grp: np.ndarray, G: int, n: int) -> bool:
    """``S`` meets every group within one of the first ``n_partners`` masks (always, for ``n_partners < 0``)."""
    if n_partners < 0:
        return True
    for i in range(n_partners):
        if _covers(S & partners[i], grp, G, n):
            return True
    return False


@numba.njit(cache=True)
def _vertex_work(n: int) -> tuple:
    """Work arrays of :func:`_vertices` for sides of at most ``n`` strategies (allocated once per batch)."""
    return (np.empty((_MAXN, _MAXN)), np.empty(_MAXN), np.empty(_MAXN), np.empty(n), np.empty(n), np.empty(n),
            np.empty(1 << n, np.int64), np.zeros(n + 2, np.int64), np.zeros(n + 2, np.int64))


@numba.njit(cache=True)
def _pure_work(nh: int, nt: int) -> tuple:
    """Work arrays of :func:`_pure_pivot` (allocated once per batch)."""
    pairs = _MAXV * _MAXV
    return (np.empty((1, nh, nt)), np.empty((1, nt, nh)), np.empty((_MAXV, nh)), np.zeros(_MAXV, np.int64),
            np.zeros(_MAXV, np.int64), np.empty((_MAXV, nt)), np.zeros(_MAXV, np.int64), np.zeros(_MAXV, np.int64),
            np.empty(2 * _MAXV, np.int64), np.empty(pairs, np.int64), np.empty(pairs, np.int64), np.zeros(pairs),
            np.empty(pairs, np.bool_), np.empty(2 * _MAXV, np.int64), np.empty(2 * _MAXV, np.int64))


@numba.njit(cache=True)
def _subsets(alive: int, out: np.ndarray) -> int:
    """The non-empty subsets of ``alive``, in increasing order, into ``out``; returns their number."""
    n = 0
    mask = _next_subset(0, alive)
    while mask:
        out[n] = mask
        n += 1
        mask = _next_subset(mask, alive)
    return n


@numba.njit(cache=True)
def _near(rows: np.ndarray, r: int, point: np.ndarray, tol: float) -> bool:
    """Whether ``rows[r]`` is within ``tol`` of ``point`` in the max norm."""
    for s in range(point.shape[0]):
        if abs(rows[r, s] - point[s]) > tol:
            return False
    return True


@numba.njit(cache=True)
def _known(vertices: np.ndarray, count: int, point: np.ndarray) -> bool:
    """Whether ``point`` is within :data:`_SAME` (max norm) of one of the first ``count`` ``vertices``."""
    for v in range(count):
        if _near(vertices, v, point, _SAME):
            return True
    return False


@numba.njit(cache=True)
def _find(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@numba.njit(cache=True)
def _pure_pivot(HS: np.ndarray, SP: np.ndarray, PV: np.ndarray, a: int, pivot_free: bool, ah: int, at: int,
                spoke_of: np.ndarray, K: int, slack: float, X: np.ndarray, Y: np.ndarray, P: np.ndarray,
                C: np.ndarray, count: int, ncomp: int, work: tuple, vwork: tuple) -> tuple[int, int, int]:
    """Equilibria with the pivot playing action ``a``: vertex pairs of the polymatrix game at ``a``, on the
    strategies that survive its own iterated dominance (:func:`_dominance_at`). ``work``, ``vwork``:
    :func:`_pure_work`, :func:`_vertex_work`."""
    A, nh, nt = HS.shape
    if pivot_free:
        ah, at = _dominance_at(HS, SP, a, ah, at, spoke_of, K, slack)
    p = float(a)
    # vx, vy: the vertices; zx, zy: their unused strategies (labels); tx, ty: the other side's best responses
    HSp3, SPp3, vx, zx, tx, vy, zy, ty, parent, pi, pj, gains, passes, roots, state = work
    _mix(HS, p, HSp3[0])
    _mix(SP, p, SPp3[0])
    suspect = 0
    nx = _vertices(SPp3, ah, at, _ONE_GROUP, 1, spoke_of, K, slack, vx, zx, tx, vwork, tx, -1)
    if nx < 0:
        return count, ncomp, OVERFLOW
    if nx == 0:
        return count, ncomp, suspect
    ny = _vertices(HSp3, at, ah, spoke_of, K, _ONE_GROUP, 1, slack, vy, zy, ty, vwork, tx, nx)
    if ny < 0:
        return count, ncomp, OVERFLOW
    # completely labelled pairs; components by union-find over the vertices of both sides
    for v in range(nx + ny):
        parent[v] = v
    npairs = 0
    for i in range(nx):
        for j in range(ny):
            if (ah & ~zx[i] & ~ty[j]) != 0 or (at & ~zy[j] & ~tx[i]) != 0:
                continue
            good = True
            if pivot_free:
                gain = _gain(PV, vx[i], vy[j])
                if abs(gain) <= slack:
                    suspect |= PIVOT_TIE  # the pivot is indifferent: a mixing-pivot branch may start here
                good = gain <= slack if a == 0 else gain >= -slack
                gains[npairs] = gain
            pi[npairs], pj[npairs], passes[npairs] = i, j, good
            npairs += 1
            ri, rj = _find(parent, i), _find(parent, nx + j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    for v in range(nx + ny):
        roots[v] = -1
        state[v] = 0  # bit 1: a pair passes the pivot check, bit 2: one fails
    for e in range(npairs):
        root = _find(parent, pi[e])
        state[root] |= 1 if passes[e] else 2
    for e in range(npairs):
        root = _find(parent, pi[e])
        if not passes[e]:
            continue
        if roots[root] < 0:
            roots[root] = ncomp
            ncomp += 1
        if count == X.shape[0]:
            return count, ncomp, OVERFLOW
        X[count] = vx[pi[e]]
        Y[count] = vy[pj[e]]
        P[count] = p
        C[count] = roots[root]
        count += 1
    if pivot_free:
        count, ncomp, cut = _cut_points(vx, vy, pi, pj, gains, passes, npairs, parent, state, roots, p, slack, X, Y,
                                        P, C, count, ncomp)
        suspect |= cut
    return count, ncomp, suspect


@numba.njit(cache=True)
def _gain(PV: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    r"""The pivot's gain :math:`x^\top PV\, y`."""
    nh, nt = PV.shape
    gain = 0.0
    for s in range(nh):
        if x[s] > 0.0:
            for t in range(nt):
                gain += x[s] * PV[s, t] * y[t]
    return gain


@numba.njit(cache=True)
def _cut_points(vx: np.ndarray, vy: np.ndarray, pi: np.ndarray, pj: np.ndarray, gains: np.ndarray,
                passes: np.ndarray, npairs: int, parent: np.ndarray, state: np.ndarray, roots: np.ndarray, p: float,
                slack: float, X: np.ndarray, Y: np.ndarray, P: np.ndarray, C: np.ndarray, count: int, ncomp: int
                ) -> tuple[int, int, int]:
    r"""A continuum inside which the pivot's best response changes (pairs that pass and pairs that fail the
    pivot check): the points where the pivot becomes indifferent.

    Two listed pairs that share one side's vertex, :math:`(x, y)` and :math:`(x', y)`, span a segment of
    equilibria of the polymatrix game (for fixed :math:`y` the :math:`x` that make :math:`(x, y)` an equilibrium
    form a polyhedron), along which the pivot's gain is linear; where its sign changes, the point with gain 0
    is an equilibrium at the pure pivot action that bounds the part of the continuum that survives. These
    points are listed in the continuum's component (a superset of the extreme points of the cut continuum:
    points on diagonals of a face are listed too). Where both sides vary -- four listed pairs
    :math:`(x, y), (x', y), (x, y'), (x', y')` -- the gain is bilinear on the face; when its twist
    :math:`(x - x')^\top PV (y - y')` vanishes it is affine there, the surviving set is a polytope whose
    vertices lie on the edges above, otherwise its boundary is curved and the game is suspect (``PIVOT_CUT``).
    """
    suspect = 0
    for e in range(npairs):
        root = _find(parent, pi[e])
        if state[root] != 3 or not passes[e]:
            continue
        for f in range(npairs):
            if passes[f] or _find(parent, pi[f]) != root:
                continue
            same_x, same_y = pi[e] == pi[f], pj[e] == pj[f]
            if not (same_x or same_y):
                # a face where both sides vary: the gain is affine on it (a polytope is cut, at the edges
                # handled above) unless its twist (x - x')^T PV (y - y') is non-zero
                twist, corners = gains[e] + gains[f], 0
                for g in range(npairs):
                    if (pi[g] == pi[e] and pj[g] == pj[f]) or (pi[g] == pi[f] and pj[g] == pj[e]):
                        twist -= gains[g]
                        corners += 1
                if corners == 2 and abs(twist) > slack:
                    suspect = PIVOT_CUT
                continue
            g0, g1 = gains[e], gains[f]
            lam = g0 / (g0 - g1)  # from the passing pair (gain g0, right sign) to the failing one
            x = vx[pi[e]] + lam * (vx[pi[f]] - vx[pi[e]])
            y = vy[pj[e]] + lam * (vy[pj[f]] - vy[pj[e]])
            if _listed(X, Y, P, count, x, y, p):
                continue
            if count == X.shape[0]:
                return count, ncomp, OVERFLOW
            if roots[root] < 0:
                roots[root] = ncomp
                ncomp += 1
            X[count] = x
            Y[count] = y
            P[count] = p
            C[count] = roots[root]
            count += 1
    return count, ncomp, suspect


@numba.njit(cache=True)
def _copy_block(M: np.ndarray, W: np.ndarray, rows: int, cols: int) -> None:
    """``W[:rows, :cols] = M[:rows, :cols]`` (loops: no array views in the kernels' inner loops)."""
    for i in range(rows):
        for j in range(cols):
            W[i, j] = M[i, j]


@numba.njit(cache=True)
def _cramer(M: np.ndarray, r: np.ndarray, n: int, m: int, out: np.ndarray, W: np.ndarray) -> float:
    """Determinant ``d`` of ``M[:n, :n]`` and the numerators ``out[:m] = d * x[:m]`` of its solution."""
    for j in range(m):
        _copy_block(M, W, n, n)
        for i in range(n):
            W[i, j] = r[i]
        out[j] = _det(W, n)
    _copy_block(M, W, n, n)
    return _det(W, n)


@numba.njit(cache=True)
def _numerators(M: np.ndarray, r: np.ndarray, n: int, m: int, out: np.ndarray) -> float:
    """The system ``M[:n, :n] z = r[:n]``: its determinant ``d`` and ``out[:m] = d * z[:m]``, by elimination in
    place (``M``, ``r`` are destroyed); 0.0 when that meets a tiny pivot (then the caller builds the system again
    for :func:`_cramer`)."""
    d = _lu_solve(M, r, n, out)
    for i in range(m):
        out[i] *= d
    return d


@numba.njit(cache=True)
def _f_value(HSp: np.ndarray, SPp: np.ndarray, PV: np.ndarray, I: int, J: int, spoke_of: np.ndarray, K: int,
             case: int, M: np.ndarray, r: np.ndarray, W: np.ndarray, nxv: np.ndarray, nyv: np.ndarray,
             w: np.ndarray) -> tuple[float, float, bool]:
    r"""The polynomial whose roots are the candidate pivot mixtures of support ``(I, J)``, at the ``p`` of the
    mixed payoffs ``HSp``, ``SPp``: its value, a magnitude (``sum |terms|`` or Hadamard's bound) and whether the
    systems it comes from are regular there.

    ``case`` 0 (square at fixed ``p``): :math:`N_x(p)^\top PV N_y(p)`; ``case`` 1 (the hub has one more
    unknown): the determinant of the augmented spoke system; ``case`` -1: that of the augmented hub system.
    ``M``, ``r``, ``W``, ``nxv``, ``nyv``, ``w`` are work arrays.
    """
    nh, nt = HSp.shape
    mI = _popcount(I)
    q = _popcount(J)
    if case == 0:
        n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
        dx = _numerators(M, r, n, mI, nxv)
        if dx == 0.0:
            n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
            dx = _cramer(M, r, n, mI, nxv, W)
        n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
        dy = _numerators(M, r, n, q, nyv)
        if dy == 0.0:
            n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
            dy = _cramer(M, r, n, q, nyv, W)
        f, mag = 0.0, 0.0
        i = 0
        for s in range(nh):
            if I >> s & 1:
                j = 0
                for t in range(nt):
                    if J >> t & 1:
                        term = nxv[i] * PV[s, t] * nyv[j]
                        f += term
                        mag += abs(term)
                        j += 1
                i += 1
        return f, mag, dx != 0.0 and dy != 0.0
    if case == 1:
        n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
        cols = q + 1
    else:
        n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
        cols = mI + K
    mag = 1.0
    for i in range(n):
        M[i, cols] = r[i]
        norm = 0.0
        for j in range(cols + 1):
            norm += M[i, j] * M[i, j]
        mag *= np.sqrt(norm)
    _copy_block(M, W, n, n)
    return _det(W, n), mag, True


@numba.njit(cache=True)
def _without_row(M: np.ndarray, rows: int, cols: int, d: int, W: np.ndarray) -> None:
    """``M[:rows, :cols]`` without its row ``d`` into ``W[:rows - 1, :cols]``."""
    k = 0
    for i in range(rows):
        if i != d:
            for j in range(cols):
                W[k, j] = M[i, j]
            k += 1


@numba.njit(cache=True)
def _solve_rows(M: np.ndarray, r: np.ndarray, rows: int, cols: int, sol: np.ndarray, W: np.ndarray,
                w: np.ndarray, keep: int) -> bool:
    """Solve a consistent system with ``rows = cols + 1``: drop the row (never one of the first ``keep``, the
    probability sums) whose removal leaves the best conditioned square system (largest ``|det|``); False when
    every choice is singular or the dropped row is not satisfied."""
    best, drop = 0.0, -1
    for d in range(keep, rows):
        _without_row(M, rows, cols, d, W)
        det = abs(_det(W, cols))
        if det > best:
            best, drop = det, d
    if drop < 0:
        return False
    _without_row(M, rows, cols, drop, W)
    w[:drop] = r[:drop]
    w[drop : rows - 1] = r[drop + 1 : rows]
    if _lu_solve(W, w, cols, sol) == 0.0:
        return False
    res, size = r[drop], abs(r[drop])
    for j in range(cols):
        res -= M[drop, j] * sol[j]
        size += abs(M[drop, j] * sol[j])
    return abs(res) <= 1e-8 * max(size, 1.0)


@numba.njit(cache=True)
def _poly_roots(c: np.ndarray, deg: int, roots: np.ndarray, levels: np.ndarray, crit: np.ndarray,
                found: np.ndarray) -> tuple[int, bool]:
    """Real roots in [-1, 1] of the monomial polynomial ``c[0] + c[1] z + ...``: isolated between the roots of
    its derivatives (where it is monotone), refined by :func:`_refine`. Returns (number, near-double root seen);
    ``levels``, ``crit`` and ``found`` are work arrays."""
    levels[0, : deg + 1] = c[: deg + 1]
    for k in range(1, deg + 1):
        for j in range(deg + 1 - k):
            levels[k, j] = levels[k - 1, j + 1] * (j + 1)
    ncrit = 0
    near_double = False
    for k in range(deg - 1, -1, -1):
        d = deg - k
        size = 0.0
        for j in range(d + 1):
            size = max(size, abs(levels[k, j]))
        nf = 0
        if size > 0.0:
            for i in range(ncrit + 1):
                lo = -1.0 if i == 0 else crit[i - 1]
                hi = 1.0 if i == ncrit else crit[i]
                flo = _horner(levels[k], d, lo)
                fhi = _horner(levels[k], d, hi)
                if abs(flo) <= 1e-13 * size:
                    if nf == 0 or abs(found[nf - 1] - lo) > 1e-12:
                        found[nf] = lo
                        nf += 1
                        if k == 0 and i > 0:
                            near_double = True
                    continue
                if flo * fhi < 0.0:
                    found[nf] = _refine(levels[k], levels[k + 1], d, lo, hi, flo)
                    nf += 1
            last = _horner(levels[k], d, 1.0)
            if abs(last) <= 1e-13 * size and (nf == 0 or abs(found[nf - 1] - 1.0) > 1e-12):
                found[nf] = 1.0
                nf += 1
        for i in range(nf):
            crit[i] = found[i]
        ncrit = nf
    for i in range(ncrit):
        roots[i] = crit[i]
    return ncrit, near_double


@numba.njit(cache=True)
def _refine(c: np.ndarray, dc: np.ndarray, d: int, lo: float, hi: float, flo: float) -> float:
    """The root of the polynomial ``c`` (degree ``d``, derivative ``dc``) in ``[lo, hi]``, where it is monotone
    and changes sign (``flo`` its value at ``lo``): Newton steps kept inside the shrinking bracket, a bisection
    where a step would leave it; to a step of at most 1e-16, or to adjacent doubles."""
    z = 0.5 * (lo + hi)
    for _ in range(100):
        f = _horner(c, d, z)
        if f == 0.0:
            return z
        if (f < 0.0) == (flo < 0.0):
            lo = z
        else:
            hi = z
        df = _horner(dc, d - 1, z)
        step = f / df if df != 0.0 else 0.0
        nxt = z - step
        if abs(step) <= 1e-16 and lo <= nxt <= hi:
            return nxt
        if not lo < nxt < hi:
            nxt = 0.5 * (lo + hi)
            if nxt <= lo or nxt >= hi:
                break  # adjacent doubles
        z = nxt
    return 0.5 * (lo + hi)


@numba.njit(cache=True)
def _horner(c: np.ndarray, d: int, z: float) -> float:
    v = 0.0
    for j in range(d, -1, -1):
        v = v * z + c[j]
    return v


#: highest degree of a mixing-pivot polynomial (:func:`_degree`)
_MAXDEG = _MAXN


def _node_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each degree ``d``: the ``d + 1`` Chebyshev nodes on [-1, 1], the matrix from values there to the
    interpolant's monomial coefficients, and to its Bernstein coefficients on [-1, 1] (numpy, once at import)."""
    from math import comb

    nodes = np.zeros((_MAXDEG + 1, _MAXDEG + 1))
    mono = np.zeros((_MAXDEG + 1, _MAXDEG + 1, _MAXDEG + 1))
    bern = np.zeros((_MAXDEG + 1, _MAXDEG + 1, _MAXDEG + 1))
    for d in range(_MAXDEG + 1):
        z = -np.cos(np.pi * (np.arange(d + 1) + 0.5) / (d + 1))
        u = 0.5 * (z + 1.0)
        nodes[d, : d + 1] = z
        mono[d, : d + 1, : d + 1] = np.linalg.inv(np.vander(z, d + 1, increasing=True))
        basis = np.array([[comb(d, k) * ue ** k * (1 - ue) ** (d - k) for k in range(d + 1)] for ue in u])
        bern[d, : d + 1, : d + 1] = np.linalg.inv(basis)
    return nodes, mono, bern


_NODES, _TO_MONOMIAL, _TO_BERNSTEIN = _node_tables()


@numba.njit(cache=True)
def _degree(mI: int, q: int, case: int) -> int:
    r"""Degree bound of the mixing-pivot polynomial of a support profile (:func:`_f_value`).

    In the hub system only the ``q`` spoke rows' ``|I|`` columns depend on :math:`p` (linearly), so its
    determinant has degree at most :math:`\min(q, |I|)` and Cramer's numerators of :math:`x` at most
    :math:`\min(q, |I| - 1)`; in the spoke system the ``|I|`` hub rows' ``q`` columns, so :math:`\min(|I|, q)`
    and :math:`\min(|I|, q - 1)`. Hence :math:`N_x^\top PV N_y` has degree at most
    :math:`\min(q, |I| - 1) + \min(|I|, q - 1)` (case 0) and the augmented determinants (cases +-1) at most
    :math:`\min(|I|, q)`.
    """
    if case == 0:
        return min(q, mI - 1) + min(mI, q - 1)
    return min(mI, q)


@numba.njit(cache=True)
def _one_sign(vals: np.ndarray, nodes: int, deg: int) -> bool:
    """The interpolant of ``vals`` at the degree-``deg`` nodes has Bernstein coefficients on [-1, 1] of one
    strict sign (beyond 1e-9 of the largest): then, inside their convex hull, it has no root in [-1, 1]."""
    lo, hi, size = np.inf, -np.inf, 0.0
    for k in range(nodes):
        b = 0.0
        for e in range(nodes):
            b += _TO_BERNSTEIN[deg, k, e] * vals[e]
        lo, hi, size = min(lo, b), max(hi, b), max(size, abs(b))
    return lo > 1e-9 * size or hi < -1e-9 * size


@numba.njit(cache=True)
def _mixed_pivot(HS: np.ndarray, SP: np.ndarray, PV: np.ndarray, ah: int, at: int, spoke_of: np.ndarray, K: int,
                 slack: float, X: np.ndarray, Y: np.ndarray, P: np.ndarray, C: np.ndarray, count: int,
                 ncomp: int, work: tuple) -> tuple[int, int, int]:
    """Equilibria with a mixing pivot: for every support profile whose unknowns (with ``p``) match its
    equations, the candidate ``p`` are the roots of one polynomial (:func:`_f_value`). ``work``:
    :func:`_mixed_work`."""
    A, nh, nt = HS.shape
    (HSp, SPp, M, W, r, w, nxv, nyv, HSn, SPn, sol, x, y, vals, coef, roots, levels, crit, isolated, hub_sets,
     spoke_sets, hub_beaten, spoke_beaten, spoke_size, gain_lo, gain_hi, gain_known, mixed, W2, best, U, Us) = work
    mixed[:] = False  # the mixed payoffs at the interpolation nodes of each degree, made on first use
    suspect = 0
    hub_beaten[:] = -1  # per spoke support: the hub strategies beaten on it (-1: not yet)
    spoke_beaten[:] = -1  # per hub support: the spoke strategies beaten on it
    gain_known[:] = False  # per spoke support: the pivot's gain range of each hub strategy made (gain_lo, gain_hi)
    n_hub = _subsets(ah, hub_sets)
    n_all = _subsets(at, spoke_sets)
    n_spoke = 0  # the spoke supports that cover every spoke, in increasing order, and their sizes
    for e in range(n_all):
        if _covers(spoke_sets[e], spoke_of, K, nt):
            spoke_sets[n_spoke] = spoke_sets[e]
            spoke_size[n_spoke] = _popcount(spoke_sets[e])
            n_spoke += 1
    for I in hub_sets[:n_hub]:
        mI = _popcount(I)
        for e_spoke in range(n_spoke):
            J, q = spoke_sets[e_spoke], spoke_size[e_spoke]
            case = (mI - 1) - (q - K)  # hub's free probabilities minus the spokes'
            if case < -1 or case > 1:
                continue
            # the pivot's gain has one sign (beyond slack) on every pure profile of the supports: it is never
            # indifferent there (each hub strategy's range over J is made once per J)
            if not gain_known[J]:
                for s in range(nh):
                    if ah >> s & 1:
                        gain_lo[J, s], gain_hi[J, s] = _strategy_gain_range(PV, s, J, spoke_of, K)
                gain_known[J] = True
            lo, hi = np.inf, -np.inf
            for s in range(nh):
                if I >> s & 1:
                    lo = min(lo, gain_lo[J, s])
                    hi = max(hi, gain_hi[J, s])
            if lo > slack or hi < -slack:
                continue
            # a support strategy beaten by an alive one on every opponent profile of the supports, at both pivot
            # actions (payoffs are linear in p, so then at every p): a hub strategy's test depends on J only, a
            # spoke strategy's on I only, so each is made once per support
            if hub_beaten[J] < 0:
                hub_beaten[J] = _beaten_rows(HS, ah, J, _ONE_GROUP, spoke_of, K, slack)
            if I & hub_beaten[J]:
                continue
            if spoke_beaten[I] < 0:
                spoke_beaten[I] = _beaten_rows(SP, at, I, spoke_of, _ONE_GROUP, 1, slack)
            if J & spoke_beaten[I]:
                continue
            deg = _degree(mI, q, case)
            nodes = deg + 1
            if not mixed[deg]:
                for e in range(nodes):
                    _mix(HS, 0.5 * (_NODES[deg, e] + 1.0), HSn[deg, e])
                    _mix(SP, 0.5 * (_NODES[deg, e] + 1.0), SPn[deg, e])
                mixed[deg] = True
            mag = 0.0
            regular = False
            for e in range(nodes):
                f, m, reg = _f_value(HSn[deg, e], SPn[deg, e], PV, I, J, spoke_of, K, case, M, r, W, nxv, nyv, w)
                vals[e] = f
                mag = max(mag, m)
                regular |= reg
            if not regular or mag == 0.0:
                continue  # singular for every p: its solutions (if any) form continua met on smaller supports
            top = 0.0
            for e in range(nodes):
                top = max(top, abs(vals[e]))
            if top <= 1e-10 * mag:
                if case != 0 and _dependent_everywhere(HSn[deg], SPn[deg], nodes, I, J, spoke_of, K, case, M, r,
                                                       W, W2):
                    continue  # dependent unknowns at every p (strategies nobody tells apart): continua, whose
                    # extreme points lie on smaller supports
                if case == 0 or not _pivot_never_indifferent(HS, SP, PV, I, J, spoke_of, K, case, slack, HSp,
                                                             SPp, M, r, W):
                    suspect |= CURVE  # a whole curve of candidates along this support
                continue
            if _one_sign(vals, nodes, deg):
                continue  # no root in [0, 1]
            for i in range(nodes):
                c = 0.0
                for e in range(nodes):
                    c += _TO_MONOMIAL[deg, i, e] * vals[e]
                coef[i] = c
            nr, near_double = _poly_roots(coef, deg, roots, levels, crit, isolated)
            if near_double:
                suspect |= DOUBLE_ROOT
            for e in range(nr):
                p = 0.5 * (roots[e] + 1.0)
                if p <= 1e-12 or p >= 1.0 - 1e-12:
                    continue  # a pure pivot: listed by the pure-pivot enumeration
                _mix(HS, p, HSp)
                _mix(SP, p, SPp)
                found = True
                if case == 0:  # a root of d_x or d_y leaves that side a line, on which the pivot's
                    # indifference picks the point
                    n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
                    hub_regular = not _near_singular(M, n, n, W)
                    n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
                    spoke_regular = not _near_singular(M, n, n, W)
                    if hub_regular:
                        n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
                        found = _lu_solve(M, r, n, sol) != 0.0 and _spread(sol, I, nh, x)
                        if found:
                            n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
                            if spoke_regular:
                                found = _lu_solve(M, r, n, sol) != 0.0 and _spread(sol, J, nt, y)
                            else:
                                _pivot_row(PV.T, x, J, nt, nh, M, r, n)
                                found = _solve_rows(M, r, n + 1, q + 1, sol, W, w, K) and _spread(sol, J, nt, y)
                    elif spoke_regular:
                        n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
                        found = _lu_solve(M, r, n, sol) != 0.0 and _spread(sol, J, nt, y)
                        if found:
                            n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
                            _pivot_row(PV, y, I, nh, nt, M, r, n)
                            found = _solve_rows(M, r, n + 1, mI + K, sol, W, w, 1) and _spread(sol, I, nh, x)
                    else:  # both sides singular at this root: as for supports singular at every p, their
                        # solutions (if any) form continua whose extreme points lie on smaller supports
                        found = False
                elif case == 1:  # y (and p) from the hub's indifference; x from the spokes' and the pivot's
                    n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
                    found = _solve_rows(M, r, n, q + 1, sol, W, w, K) and _spread(sol, J, nt, y)
                    if found:
                        n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
                        _pivot_row(PV, y, I, nh, nt, M, r, n)
                        found = _lu_solve(M, r, n + 1, sol) != 0.0 and _spread(sol, I, nh, x)
                else:
                    n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
                    found = _solve_rows(M, r, n, mI + K, sol, W, w, 1) and _spread(sol, I, nh, x)
                    if found:
                        n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
                        _pivot_row(PV.T, x, J, nt, nh, M, r, n)
                        found = _lu_solve(M, r, n + 1, sol) != 0.0 and _spread(sol, J, nt, y)
                if not found:
                    continue
                ok, tie = _labelled(HSp, SPp, x, y, I, J, ah, at, spoke_of, K, slack, best, U, Us)
                if ok and tie:
                    suspect |= MIXED_TIE
                if not ok or _listed(X, Y, P, count, x, y, p):
                    continue
                if count == X.shape[0]:
                    return count, ncomp, OVERFLOW
                X[count] = x
                Y[count] = y
                P[count] = p
                C[count] = ncomp
                ncomp += 1
                count += 1
    return count, ncomp, suspect


@numba.njit(cache=True)
def _mixed_work(nh: int, nt: int) -> tuple:
    """Work arrays of :func:`_mixed_pivot` (allocated once per batch)."""
    top_deg = min(2 * nh - 1, _MAXDEG)
    return (np.empty((nh, nt)), np.empty((nt, nh)), np.empty((_MAXN, _MAXN)), np.empty((_MAXN, _MAXN)),
            np.empty(_MAXN), np.empty(_MAXN), np.empty(_MAXN), np.empty(_MAXN),
            np.empty((top_deg + 1, top_deg + 1, nh, nt)), np.empty((top_deg + 1, top_deg + 1, nt, nh)),
            np.empty(_MAXN), np.empty(nh), np.empty(nt), np.empty(_MAXDEG + 1), np.empty(_MAXDEG + 1),
            np.empty(_MAXDEG + 2), np.empty((_MAXDEG + 1, _MAXDEG + 1)), np.empty(_MAXDEG + 2),
            np.empty(_MAXDEG + 2), np.empty(1 << nh, np.int64), np.empty(1 << nt, np.int64),
            np.empty(1 << nt, np.int64), np.empty(1 << nh, np.int64), np.empty(1 << nt, np.int64),
            np.empty((1 << nt, nh)), np.empty((1 << nt, nh)), np.zeros(1 << nt, np.bool_),
            np.zeros(top_deg + 1, np.bool_), np.empty((_MAXN, _MAXN)), np.empty(nt), np.empty(nt), np.empty(nh))


@numba.njit(cache=True)
def _dependent_everywhere(HSn: np.ndarray, SPn: np.ndarray, nodes: int, I: int, J: int, spoke_of: np.ndarray, K: int,
                          case: int, M: np.ndarray, r: np.ndarray, W: np.ndarray, W2: np.ndarray) -> bool:
    """For an overdetermined side (case +-1, one more equation than unknowns): at every node, every square
    system of its equations is near singular -- its unknowns' columns are dependent, as when a spoke's two
    strategies are the same to everyone else (the hunter at a hunter share of 0). ``M``, ``r``, ``W``, ``W2``: work
    arrays."""
    nh = SPn.shape[2]
    for e in range(nodes):
        if case == 1:
            rows = _spoke_system(HSn[e], J, I, spoke_of, K, M, r)
            cols = _popcount(J) + 1
        else:
            rows = _hub_system(SPn[e], I, J, nh, spoke_of, K, M, r)
            cols = _popcount(I) + K
        for d in range(rows):
            _without_row(M, rows, cols, d, W)
            if not _near_singular(W, cols, cols, W2):
                return False
    return True


@numba.njit(cache=True)
def _near_singular(M: np.ndarray, rows: int, cols: int, W: np.ndarray) -> bool:
    """``|det M| <= 1e-8`` times Hadamard's bound (the product of the row norms); ``W``: a work matrix."""
    _copy_block(M, W, rows, cols)
    bound = 1.0
    for i in range(rows):
        norm = 0.0
        for j in range(cols):
            norm += W[i, j] * W[i, j]
        bound *= np.sqrt(norm)
    return bound == 0.0 or abs(_det(W, rows)) <= 1e-8 * bound


@numba.njit(cache=True)
def _pivot_never_indifferent(HS: np.ndarray, SP: np.ndarray, PV: np.ndarray, I: int, J: int, spoke_of: np.ndarray,
                             K: int, case: int, slack: float, HSp: np.ndarray, SPp: np.ndarray, M: np.ndarray,
                             r: np.ndarray, W: np.ndarray) -> bool:
    """For an overdetermined side consistent at every ``p`` (case +-1, the polynomial vanishes): True when, at
    every node, the pivot's gain is the same non-zero constant on the other side's whole support (so the
    pivot is never indifferent there and the support holds no equilibrium)."""
    nh, nt = HSp.shape
    sol = np.empty(_MAXN)
    w = np.empty(_MAXN)
    v = np.empty(nt if case == 1 else nh)
    for e in range(5):
        p = e / 4.0
        _mix(HS, p, HSp)
        _mix(SP, p, SPp)
        if case == 1:
            n = _spoke_system(HSp, J, I, spoke_of, K, M, r)
            if not _solve_rows(M, r, n, _popcount(J) + 1, sol, W, w, K):
                return False
            _spread(sol, J, nt, v)
            first, total = True, 0.0
            for s in range(nh):
                if I >> s & 1:
                    g = 0.0
                    for t in range(nt):
                        g += PV[s, t] * v[t]
                    if first:
                        total, first = g, False
                    elif abs(g - total) > slack:
                        return False
        else:
            n = _hub_system(SPp, I, J, nh, spoke_of, K, M, r)
            if not _solve_rows(M, r, n, _popcount(I) + K, sol, W, w, 1):
                return False
            _spread(sol, I, nh, v)
            total = 0.0
            for k in range(K):
                first, gk = True, 0.0
                for t in range(nt):
                    if J >> t & 1 and spoke_of[t] == k:
                        g = 0.0
                        for s in range(nh):
                            g += v[s] * PV[s, t]
                        if first:
                            gk, first = g, False
                        elif abs(g - gk) > slack:
                            return False
                total += gk
        if abs(total) <= slack:
            return False
    return True


@numba.njit(cache=True)
def _pivot_row(PV: np.ndarray, y: np.ndarray, I: int, nh: int, nt: int, M: np.ndarray, r: np.ndarray,
               row: int) -> None:
    r"""Append the pivot's indifference :math:`\sum_s x_s (PV y)_s = 0` to a hub system (columns ``x_I``).

    Called with ``PV.T``, the spoke's mix ``x`` and ``(J, nt, nh)``, it appends
    :math:`\sum_t (x^\top PV)_t y_t = 0` to a spoke system (columns ``y_J``), in the same summation order.
    """
    j = 0
    for s in range(nh):
        if I >> s & 1:
            v = 0.0
            for t in range(nt):
                v += PV[s, t] * y[t]
            M[row, j] = v
            j += 1
    r[row] = 0.0


@numba.njit(cache=True)
def _labelled(HSp: np.ndarray, SPp: np.ndarray, x: np.ndarray, y: np.ndarray, I: int, J: int, ah: int, at: int,
              spoke_of: np.ndarray, K: int, slack: float, best: np.ndarray, U: np.ndarray, Us: np.ndarray
              ) -> tuple[bool, bool]:
    """Every used strategy is a best response (within ``slack``); and whether an unused one ties. ``best``
    (``K``), ``U`` (``nt``), ``Us`` (``nh``): work arrays."""
    nh, nt = HSp.shape
    ok, tie = True, False
    best[:K] = -np.inf
    U[:] = 0.0
    for t in range(nt):
        if at >> t & 1:
            for s in range(nh):
                U[t] += SPp[t, s] * x[s]
            best[spoke_of[t]] = max(best[spoke_of[t]], U[t])
    for t in range(nt):
        if J >> t & 1 and U[t] < best[spoke_of[t]] - slack:
            ok = False
        elif at >> t & 1 and not J >> t & 1 and U[t] >= best[spoke_of[t]] - slack:
            tie = True
    Us[:] = 0.0
    top = -np.inf
    for s in range(nh):
        if ah >> s & 1:
            for t in range(nt):
                Us[s] += HSp[s, t] * y[t]
            top = max(top, Us[s])
    for s in range(nh):
        if I >> s & 1 and Us[s] < top - slack:
            ok = False
        elif ah >> s & 1 and not I >> s & 1 and Us[s] >= top - slack:
            tie = True
    return ok, tie


@numba.njit(cache=True)
def _listed(X: np.ndarray, Y: np.ndarray, P: np.ndarray, count: int, x: np.ndarray, y: np.ndarray, p: float
            ) -> bool:
    """The profile is already listed (within 1e-7, max norm)."""
    for e in range(count):
        if not abs(P[e] - p) > 1e-7 and _near(X, e, x, 1e-7) and _near(Y, e, y, 1e-7):
            return True
    return False


@numba.njit(cache=True)
def _strategy_gain_range(PV: np.ndarray, s: int, J: int, spoke_of: np.ndarray, K: int) -> tuple[float, float]:
    """Smallest and largest pivot gain over the pure profiles of hub strategy ``s`` and spoke strategies ``J``
    (the gain at a pure profile is a sum over spokes)."""
    nt = PV.shape[1]
    smin, smax = 0.0, 0.0
    for k in range(K):
        kmin, kmax = np.inf, -np.inf
        for t in range(nt):
            if J >> t & 1 and spoke_of[t] == k:
                kmin = min(kmin, PV[s, t])
                kmax = max(kmax, PV[s, t])
        smin += kmin
        smax += kmax
    return smin, smax


@numba.njit(cache=True)
def _pivot_gain_range(PV: np.ndarray, I: int, J: int, spoke_of: np.ndarray, K: int) -> tuple[float, float]:
    """Smallest and largest pivot gain over the pure profiles of hub strategies ``I`` and spoke strategies ``J``."""
    lo, hi = np.inf, -np.inf
    for s in range(PV.shape[0]):
        if I >> s & 1:
            smin, smax = _strategy_gain_range(PV, s, J, spoke_of, K)
            lo = min(lo, smin)
            hi = max(hi, smax)
    return lo, hi


@numba.njit(cache=True)
def _beaten_rows(M3: np.ndarray, alive: int, cols: int, rgrp: np.ndarray, cgrp: np.ndarray, Gc: int, slack: float
                 ) -> int:
    """The mask of the alive rows of ``M3`` beaten (:func:`_beaten`) on the columns ``cols`` at every action."""
    every = (1 << M3.shape[0]) - 1
    mask = 0
    for r in range(M3.shape[1]):
        if alive >> r & 1 and _beaten(M3, every, r, alive, cols, rgrp, cgrp, Gc, slack):
            mask |= 1 << r
    return mask


@numba.njit(cache=True)
def _max_nan(w: float, v: float) -> float:
    """``max(w, v)``, NaN once either is NaN (as numpy's ``max``: a game with a NaN payoff never fits)."""
    return w if (w != w or v <= w) else v


@numba.njit(cache=True)
def canonical_games(U: np.ndarray, players: np.ndarray, unit: bool, t2_used: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""The canonical arrays ``HS (N, A, nh, T)``, ``SP (N, A, T, nh)``, ``PV (N, nh, T)`` and the separability
    residual ``(N,)`` of games ``U[:, players]``, one pass over each game; with ``unit``, of each game divided by
    its ``max |u|`` (1 for an all-zero game, as :func:`gametheory.solvers.candidates.game_scale`).

    ``U[g, players[k]]`` is ``(nh, t1, t2, A)``: the payoffs of the hub (``k = 0``), the two spokes and, when
    ``A == 2``, the pivot, with the strategy axes in that role order. With spoke strategies ``b``, ``h``:

    .. math::

        HS[a, s, b] = u_0(s, b, h_0, a), \qquad HS[a, s, t_1 + h] = u_0(s, b_0, h, a) - u_0(s, b_0, h_0, a),

    ``SP`` the spokes' payoffs read at the other spoke's first strategy, ``PV`` the pivot's gain
    :math:`u_3(\cdot, 1) - u_3(\cdot, 0)` split the same way as ``HS``; the residual is the largest error of that
    hub-and-spokes form over every payoff. ``T = t1 + t2_used`` (``t2_used = 0``: the second spoke is a dummy
    that is left out).
    """
    N = U.shape[0]
    nh, t1, t2, A = U.shape[2], U.shape[3], U.shape[4], U.shape[5]
    T = t1 + t2_used
    HS = np.empty((N, A, nh, T))
    SP = np.empty((N, A, T, nh))
    PV = np.zeros((N, nh, T))
    resid = np.zeros(N)
    h0, p1, p2 = players[0], players[1], players[2]
    for g in range(N):
        d = 1.0
        if unit:
            d = 0.0
            for k in range(players.shape[0]):
                for s in range(nh):
                    for b in range(t1):
                        for h in range(t2):
                            for a in range(A):
                                d = max(d, abs(U[g, players[k], s, b, h, a]))
            if d == 0.0:
                d = 1.0
        worst = 0.0
        for s in range(nh):
            for a in range(A):
                base = U[g, h0, s, 0, 0, a] / d
                for b in range(t1):
                    h1 = U[g, h0, s, b, 0, a] / d
                    HS[g, a, s, b] = h1
                    SP[g, a, b, s] = U[g, p1, s, b, 0, a] / d
                    for h in range(t2):
                        h2 = U[g, h0, s, 0, h, a] / d - base
                        worst = _max_nan(worst, abs(U[g, h0, s, b, h, a] / d - h1 - h2))
                        worst = _max_nan(worst, abs(U[g, p1, s, b, h, a] / d - U[g, p1, s, b, 0, a] / d))
                        worst = _max_nan(worst, abs(U[g, p2, s, b, h, a] / d - U[g, p2, s, 0, h, a] / d))
                for h in range(t2_used):
                    HS[g, a, s, t1 + h] = U[g, h0, s, 0, h, a] / d - base
                    SP[g, a, t1 + h, s] = U[g, p2, s, 0, h, a] / d
            if A == 2:
                pv = players[3]
                gbase = U[g, pv, s, 0, 0, 1] / d - U[g, pv, s, 0, 0, 0] / d
                for b in range(t1):
                    g1 = U[g, pv, s, b, 0, 1] / d - U[g, pv, s, b, 0, 0] / d
                    PV[g, s, b] = g1
                    for h in range(t2):
                        g2 = (U[g, pv, s, 0, h, 1] / d - U[g, pv, s, 0, h, 0] / d) - gbase
                        gain = U[g, pv, s, b, h, 1] / d - U[g, pv, s, b, h, 0] / d
                        worst = _max_nan(worst, abs(gain - g1 - g2))
                for h in range(t2_used):
                    PV[g, s, t1 + h] = (U[g, pv, s, 0, h, 1] / d - U[g, pv, s, 0, h, 0] / d) - gbase
        resid[g] = worst
    return HS, SP, PV, resid


@numba.njit(cache=True)
def _append(buf: np.ndarray, used: int, rows: np.ndarray, count: int) -> np.ndarray:
    """``rows[:count]`` written at ``buf[used:]``; the buffer, doubled first when full."""
    if used + count > buf.shape[0]:
        grown = np.empty((max(2 * buf.shape[0], used + count),) + buf.shape[1:], buf.dtype)
        grown[:used] = buf[:used]
        buf = grown
    buf[used : used + count] = rows[:count]
    return buf


@numba.njit(cache=True, nogil=True)
def solve_games(HS: np.ndarray, SP: np.ndarray, PV: np.ndarray, spoke_of: np.ndarray, K: int,
                slack: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every extreme equilibrium of every game, the games' lists one after another: ``X (E, nh)``,
    ``Y (E, nt)``, ``P (E,)``, ``C (E,)`` (component), and per game ``counts`` (its ``E`` share), ``degenerate`` and
    ``suspect`` (re-solve per game). Each game is solved into work rows of :data:`KMAX` candidates, then copied
    out (the outputs grow by doubling). Compiled, it releases the GIL: parts of a batch run in parallel threads.
    """
    N, A, nh, nt = HS.shape
    Xg = np.empty((KMAX, nh))  # one game's candidates, read only below its count
    Yg = np.empty((KMAX, nt))
    Pg = np.empty(KMAX)
    Cg = np.full(KMAX, -1, np.int64)
    cap = max(2 * N, KMAX)
    X = np.empty((cap, nh))
    Y = np.empty((cap, nt))
    P = np.empty(cap)
    C = np.empty(cap, np.int64)
    used = 0
    pure_work, vertex_work, mixed_work = _pure_work(nh, nt), _vertex_work(max(nh, nt)), _mixed_work(nh, nt)
    counts = np.zeros(N, np.int64)
    degenerate = np.zeros(N, np.bool_)
    suspect = np.zeros(N, np.int64)
    for g in range(N):
        ah, at, ap = _dominance(HS[g], SP[g], PV[g], spoke_of, K, slack[g])
        count, ncomp, bad = 0, 0, 0
        for a in range(A):
            if ap >> a & 1:
                count, ncomp, s = _pure_pivot(HS[g], SP[g], PV[g], a, ap == 3, ah, at, spoke_of, K, slack[g],
                                              Xg, Yg, Pg, Cg, count, ncomp, pure_work, vertex_work)
                bad |= s
        if ap == 3:
            count, ncomp, s = _mixed_pivot(HS[g], SP[g], PV[g], ah, at, spoke_of, K, slack[g],
                                           Xg, Yg, Pg, Cg, count, ncomp, mixed_work)
            bad |= s
        X = _append(X, used, Xg, count)
        Y = _append(Y, used, Yg, count)
        P = _append(P, used, Pg, count)
        C = _append(C, used, Cg, count)
        used += count
        counts[g] = count
        suspect[g] = bad | (NOTHING if count == 0 else 0)
        degenerate[g] = ncomp < count
    return X[:used].copy(), Y[:used].copy(), P[:used].copy(), C[:used].copy(), counts, degenerate, suspect


# an edit of a module whose compiled helpers these kernels call recompiles them
depends_on(globals(), ".._elimination_kernel")
