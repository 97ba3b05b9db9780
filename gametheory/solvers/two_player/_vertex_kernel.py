r"""Compiled (numba) vertex enumeration of the best-response polytopes of a bimatrix game.

For a positive ``G`` of shape ``(r, d)`` let :math:`S = \{z \in \mathbb R^d : z \ge 0,\ G z \le \mathbf 1\}`.
Label :math:`i < d` is tight at :math:`z` when :math:`z_i = 0`, label :math:`d + j` when :math:`(G z)_j = 1`.
:math:`S` is *nondegenerate* when every vertex has exactly :math:`d` tight labels; then each vertex is one basis
of the slack form :math:`G z + s = \mathbf 1` (its labels are the nonbasic variables), and its neighbours along
the :math:`d` edges are the simplex pivots the minimum-ratio test allows. :func:`pivot_vertices` walks that graph
from the vertex 0 (breadth first, a vertex known by its label set), so the work grows with the number of vertices
(Balinski's theorem: the graph is connected), not with the :math:`\binom{r + d}{d}` square systems a support
enumeration would solve (8x8: 146 vertices against 12,869 systems). A basic variable at most ``tol`` is a vertex
with more than :math:`d` labels: the polytope is degenerate, the kernel stops, and the caller runs the
breadth-first search over every basis (:mod:`.vertex_enumeration`), which keeps degenerate games' exact vertex
sets. :func:`small_equilibria` matches complementary label sets; :func:`small_solve` also checks and sorts.

References: D. Avis and K. Fukuda (1992), "A pivoting algorithm for convex hulls and vertex enumeration of
arrangements and polyhedra", *Discrete & Computational Geometry* 8, 295-313; B. von Stengel (2007), ch. 3 of
*Algorithmic Game Theory*.

Importing this module imports numba (~0.25 s): callers import it lazily.

Examples
--------
Battle of the sexes, shifted positive: two pure equilibria and one mixed.

>>> import numpy as np
>>> X, Y, degenerate = small_equilibria(np.array([[4.0, 1.0], [1.0, 3.0]]), np.array([[3.0, 1.0], [1.0, 4.0]]), 1e-9)
>>> np.round(X / X.sum(axis=1, keepdims=True), 4).tolist(), degenerate
([[1.0, 0.0], [0.0, 1.0], [0.6, 0.4]], False)
"""

from __future__ import annotations

import numba
import numpy as np

from ._profile_check_kernel import check_profiles

__all__ = ["small_equilibria", "small_solve"]


#: most floats held in one polytope's simplex dictionaries (8 bytes each) before the caller's search takes over
MAX_VERTEX_FLOATS = 6_000_000


@numba.njit(cache=True)
def small_equilibria(A: np.ndarray, B: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    r"""Every extreme equilibrium of a positive bimatrix game :math:`(A, B)` whose polytopes are nondegenerate.

    The vertices of :math:`P = \{x \ge 0 : B^\top x \le \mathbf 1\}` and
    :math:`Q = \{y \ge 0 : A y \le \mathbf 1\}` are enumerated by :func:`pivot_vertices`, and every pair
    :math:`(x, y) \ne (0, 0)` whose label sets are complementary (completely labelled) is returned: ``(X (E, m),
    Y (E, n), False)``, unnormalised vertices. When a polytope is degenerate, or has more than
    :data:`MAX_VERTEX_FLOATS` floats of dictionaries, the arrays are empty and the flag True (``m + n <= 62``:
    labels are bits of one int64); the caller then runs the breadth-first search.
    """
    m, n = A.shape
    cap = max(64, MAX_VERTEX_FLOATS // (max(m, n) * (max(m, n) + 1)))
    X, Lp, status = pivot_vertices(np.ascontiguousarray(B.T), tol, cap)
    if status:
        return np.zeros((0, m)), np.zeros((0, n)), True
    Yv, Lq, status = pivot_vertices(A, tol, cap)
    if status:
        return np.zeros((0, m)), np.zeros((0, n)), True
    # Q's labels in the common numbering: y_j = 0 is label m + j, (A y)_i = 1 is label i
    low = (np.int64(1) << n) - 1
    keys = ((Lq & low) << m) | (Lq >> n)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    full = (np.int64(1) << (m + n)) - 1
    px = np.empty(len(Lp), np.intp)
    qy = np.empty(len(Lp), np.intp)
    count = 0
    for p in range(1, len(Lp)):  # vertex 0 of P pairs only with vertex 0 of Q
        want = full ^ Lp[p]
        at = np.searchsorted(sorted_keys, want)
        if at < len(sorted_keys) and sorted_keys[at] == want:
            px[count] = p
            qy[count] = order[at]
            count += 1
    Xo = np.empty((count, m))
    Yo = np.empty((count, n))
    for e in range(count):
        Xo[e] = X[px[e]]
        Yo[e] = Yv[qy[e]]
    return Xo, Yo, False


#: profiles closer than this (max norm, twice :func:`~._bimatrix.unique_rows`' ``atol``) might be one equilibrium
_NEAR = 2e-7


@numba.njit(cache=True, error_model="numpy")
def small_solve(P: np.ndarray, scale: float, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    r"""Every extreme equilibrium of a small float bimatrix game ``P (2, m, n)``, checked and sorted, in one call.

    The fused path of :func:`~gametheory.solve` for small float games: the payoffs are divided by ``scale``
    (``max |u|``) and shifted positive, :func:`small_equilibria` lists the completely labelled vertex pairs, each
    is normalised and checked on ``P`` itself (:func:`~._profile_check_kernel.check_profiles`: payoffs, regret,
    degeneracy of the profile), those with regret at most ``tol * scale`` kept, and sorted as
    :func:`~._bimatrix.build_equilibria` sorts (support size, then lexicographically largest first, rounded to
    9 digits; stable). Returns ``(Z (E, m + n), payoffs (E, 2), regret (E,), flags (E,), status)``; ``status``
    is 0 on success, 1 when a polytope is degenerate and 2 when two kept profiles lie within ``2e-7`` of each
    other (both: the caller takes the reference path, which handles them).
    """
    m, n = P.shape[1], P.shape[2]
    A = _shifted(P[0], scale)  # what ``positive_bimatrix`` computes, without its temporaries
    B = _shifted(P[1], scale)
    X, Y, degenerate = small_equilibria(A, B, tol)
    if degenerate:
        return np.zeros((0, m + n)), np.zeros((0, 2)), np.zeros(0), np.zeros(0, np.bool_), 1
    Z, payoffs, regret, flags = check_profiles(np.ascontiguousarray(P[0]), np.ascontiguousarray(P[1]), X, Y,
                                               tol * 100, tol * 100 * scale)
    limit = tol * scale
    keep = np.flatnonzero(regret <= limit)
    k = len(keep)
    for a in range(k):  # near-duplicates: let the reference path merge them
        for b in range(a):
            far = False
            for t in range(m + n):
                if abs(Z[keep[a], t] - Z[keep[b], t]) > _NEAR:
                    far = True
                    break
            if not far:
                return Z[:0], payoffs[:0], regret[:0], flags[:0], 2
    sizes = np.zeros(k, np.int64)
    R = np.empty((k, m + n))
    for a in range(k):
        for t in range(m + n):
            R[a, t] = np.round(Z[keep[a], t], 9)
            if Z[keep[a], t] > tol:
                sizes[a] += 1
    order = np.arange(k)
    for a in range(1, k):  # insertion sort: stable, and k is small
        cur = order[a]
        b = a - 1
        while b >= 0 and _before(sizes, R, cur, order[b]):
            order[b + 1] = order[b]
            b -= 1
        order[b + 1] = cur
    idx = keep[order]
    return Z[idx], payoffs[idx], regret[idx], flags[idx], 0


@numba.njit(cache=True)
def _shifted(U: np.ndarray, scale: float) -> np.ndarray:
    """``U / scale - min(U / scale) + 1``, elementwise as numpy computes it."""
    out = np.empty(U.shape)
    low = np.inf
    for i in range(U.shape[0]):
        for j in range(U.shape[1]):
            out[i, j] = U[i, j] / scale
            low = min(low, out[i, j])
    for i in range(U.shape[0]):
        for j in range(U.shape[1]):
            out[i, j] = out[i, j] - low + 1.0
    return out


@numba.njit(cache=True)
def _before(sizes: np.ndarray, R: np.ndarray, a: int, b: int) -> bool:
    """Profile ``a`` sorts strictly before ``b``: smaller support, then larger at the first differing entry."""
    if sizes[a] != sizes[b]:
        return sizes[a] < sizes[b]
    for t in range(R.shape[1]):
        if R[a, t] != R[b, t]:
            return R[a, t] > R[b, t]
    return False


@numba.njit(cache=True)
def pivot_vertices(G: np.ndarray, tol: float, cap: int) -> tuple[np.ndarray, np.ndarray, int]:
    r"""Vertices of :math:`S = \{z \ge 0 : G z \le \mathbf 1\}` by a search over its edges (simplex pivots).

    The same contract as :func:`_vertices` (``Z (V, d)``, label bit sets ``L (V,)``, vertex 0 first), for
    nondegenerate :math:`S` only, with a ``status``: 0 done, 1 degenerate (a vertex with a basic variable at
    most ``tol``: more than ``d`` labels; or an edge without a positive pivot, which rounding alone can make; the
    arrays are then empty), 2 more than ``cap`` vertices (empty).
    Each vertex is a simplex dictionary (basic variables in terms of the ``d`` nonbasic ones, whose labels are
    the vertex's); its neighbours are the ``d`` pivots allowed by the minimum-ratio test, and a vertex is known by
    its label set (a hash table), so each is expanded once: the work grows with the number of vertices, not with
    the :math:`\binom{r + d}{d}` square systems :func:`_vertices` solves.
    """
    r, d = G.shape
    width = d + 1
    block = r * width
    size = 32
    D = np.empty(size * block)  # vertex v's dictionary: D[v, k, :d] coefficients, D[v, k, d] the value of row k
    basic = np.empty(size * r, np.int64)  # the label of row k's basic variable
    nonbasic = np.empty(size * d, np.int64)
    L = np.empty(size, np.int64)
    for k in range(r):
        for j in range(d):
            D[k * width + j] = G[k, j]
        D[k * width + d] = 1.0
        basic[k] = d + k
    for j in range(d):
        nonbasic[j] = j
    L[0] = (np.int64(1) << d) - 1
    table_bits = 6
    table = np.full(1 << table_bits, -1, np.int64)  # the label sets met (open addressing)
    table[_slot(L[0], table, table_bits)] = L[0]
    count = 1
    head = 0
    while head < count:
        base = head * block
        for j in range(d):
            p = -1
            best = 0.0
            for k in range(r):  # minimum-ratio test
                a = D[base + k * width + j]
                if a > tol:
                    t = D[base + k * width + d] / a
                    if p < 0 or t < best:
                        p, best = k, t
            if p < 0:  # no positive entry: impossible for G > 0 (a bounded polytope) but for rounding, and a
                return np.zeros((0, d)), np.zeros(0, np.int64), 1  # skipped edge could hide vertices: search
            key = (L[head] ^ (np.int64(1) << nonbasic[head * d + j])) | (np.int64(1) << basic[head * r + p])
            s = _slot(key, table, table_bits)
            if table[s] >= 0:
                continue
            if count == size:
                if size >= cap:
                    return np.zeros((0, d)), np.zeros(0, np.int64), 2
                size = min(2 * size, cap)
                D = _grow(D, size * block)
                basic = _grow_int(basic, size * r)
                nonbasic = _grow_int(nonbasic, size * d)
                L = _grow_int(L, size)
            if 2 * (count + 1) > table.size:
                table_bits += 1
                table = _rehash(table, table_bits)
                s = _slot(key, table, table_bits)
            new = count * block
            piv = D[base + p * width + j]
            for c in range(width):  # the pivot row
                D[new + p * width + c] = D[base + p * width + c] / piv
            D[new + p * width + j] = 1.0 / piv
            for k in range(r):
                if k == p:
                    continue
                f = D[base + k * width + j]
                for c in range(width):
                    D[new + k * width + c] = D[base + k * width + c] - f * D[new + p * width + c]
                D[new + k * width + j] = -f * D[new + p * width + j]
            for k in range(r):
                if D[new + k * width + d] <= tol:  # a basic variable at 0: a degenerate vertex
                    return np.zeros((0, d)), np.zeros(0, np.int64), 1
                basic[count * r + k] = basic[head * r + k]
            for c in range(d):
                nonbasic[count * d + c] = nonbasic[head * d + c]
            basic[count * r + p] = nonbasic[head * d + j]
            nonbasic[count * d + j] = basic[head * r + p]
            L[count] = key
            table[s] = key
            count += 1
        head += 1
    Z = np.zeros((count, d))
    for v in range(count):
        for k in range(r):
            label = basic[v * r + k]
            if label < d:
                Z[v, label] = D[v * block + k * width + d]
    return Z, L[:count].copy(), 0


@numba.njit(cache=True)
def _slot(key: np.int64, table: np.ndarray, bits: int) -> int:
    """The slot of label set ``key`` (>= 0) in the open-addressing set ``table`` (-1 marks an empty slot): the
    slot holding it, or the empty one where it goes."""
    mask = (np.int64(1) << bits) - 1
    h = np.uint64(key) * np.uint64(11400714819323198485)  # Fibonacci hashing: the product's top bits
    s = np.int64(h >> np.uint64(64 - bits)) & mask
    while table[s] >= 0 and table[s] != key:
        s = (s + 1) & mask
    return s


@numba.njit(cache=True)
def _rehash(table: np.ndarray, bits: int) -> np.ndarray:
    """The keys of ``table`` in a table of ``2 ** bits`` slots."""
    out = np.full(np.int64(1) << bits, -1, np.int64)
    for key in table:
        if key >= 0:
            out[_slot(key, out, bits)] = key
    return out


@numba.njit(cache=True)
def _grow(a: np.ndarray, size: int) -> np.ndarray:
    out = np.empty(size)
    out[: a.size] = a
    return out


@numba.njit(cache=True)
def _grow_int(a: np.ndarray, size: int) -> np.ndarray:
    out = np.empty(size, np.int64)
    out[: a.size] = a
    return out
