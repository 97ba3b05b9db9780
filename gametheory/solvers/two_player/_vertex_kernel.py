r"""Compiled (numba) vertex enumeration of the best-response polytopes of a small bimatrix game.

For a positive ``G`` of shape ``(r, d)`` let :math:`S = \{z \in \mathbb R^d : z \ge 0,\ G z \le \mathbf 1\}`.
Label :math:`i < d` is tight at :math:`z` when :math:`z_i = 0`, label :math:`d + j` when :math:`(G z)_j = 1`.
Every vertex :math:`z \ne 0` of :math:`S` with support :math:`I` solves :math:`G_{JI} z_I = \mathbf 1` for some
set :math:`J` of tight rows with :math:`|J| = |I|` and :math:`G_{JI}` nonsingular (the tight constraints of a
vertex have full rank :math:`d`, and those of the form :math:`z_i = 0` only cover the coordinates outside
:math:`I`). So solving every square system :math:`(I, J)` and keeping the feasible solutions lists every vertex.
Row :math:`j` is never tight on support :math:`I` when another row :math:`j'` beats it by more than the tolerance
on every coordinate of :math:`I` (:math:`(G z)_{j'} > (G z)_j` for every nonzero :math:`z \ge 0` supported on
:math:`I`), so such :math:`J` are skipped (conditional dominance, Porter, Nudelman and Shoham 2008).

:math:`S` is *nondegenerate* when every vertex has exactly :math:`d` tight labels. Then each vertex comes from
exactly one system (:math:`I` its support, :math:`J` its tight rows), and :math:`S` is degenerate iff some
solution has more than :math:`d` labels: the kernel stops at the first such solution and reports it, and the
caller runs the breadth-first search instead.

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


@numba.njit(cache=True)
def _next_combination(c: np.ndarray, k: int, n: int) -> bool:
    """Advance ``c[:k]`` to the next ``k``-subset of ``range(n)`` in lexicographic order; False after the last."""
    t = k - 1
    while t >= 0 and c[t] == n - k + t:
        t -= 1
    if t < 0:
        return False
    c[t] += 1
    for s in range(t + 1, k):
        c[s] = c[s - 1] + 1
    return True


@numba.njit(cache=True)
def _binomial(n: int, k: int) -> int:
    """``C(n, k)``."""
    out = 1
    for t in range(k):
        out = out * (n - t) // (t + 1)
    return out


@numba.njit(cache=True)
def _vertices(G: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices of :math:`\\{z \\ge 0 : G z \\le 1\\}` (module docstring): ``(Z (V, d), labels (V,), degenerate)``.

    ``labels`` are bit sets (bit ``i``: :math:`z_i = 0`, bit ``d + j``: row ``j`` tight); row 0 is the vertex 0.
    A solution is feasible when its entries and slacks lie in ``[-tol, 1 + 1e-6]``; entries and slacks at most
    ``tol`` (after clipping at 0) are labels. On degeneracy the arrays returned are empty.
    """
    r, d = G.shape
    K = min(r, d)
    beats = np.zeros((r, r), np.int64)  # beats[a, b]: the coordinates on which row a beats row b by > tol
    for a in range(r):
        for b in range(r):
            bits = np.int64(0)
            for i in range(d):
                if G[a, i] > G[b, i] + tol:
                    bits |= np.int64(1) << i
            beats[a, b] = bits
    cap = 1  # at most one vertex per system, and 0
    for k in range(1, K + 1):
        cap += _binomial(d, k) * _binomial(r, k)
    Z = np.empty((cap, d))
    L = np.empty(cap, np.int64)
    Z[0] = 0.0
    L[0] = (np.int64(1) << d) - 1  # the vertex 0
    count = 1
    own = np.empty(K, np.intp)
    pick = np.empty(K, np.intp)
    rows = np.empty(r, np.intp)
    M = np.empty((K, K + 1))
    z = np.empty(K)
    for k in range(1, K + 1):
        for t in range(k):
            own[t] = t
        while True:
            support = np.int64(0)
            for t in range(k):
                support |= np.int64(1) << own[t]
            n_rows = 0  # the rows not dominated given the support
            for b in range(r):
                dominated = False
                for a in range(r):
                    if a != b and (support & ~beats[a, b]) == 0:
                        dominated = True
                        break
                if not dominated:
                    rows[n_rows] = b
                    n_rows += 1
            if n_rows >= k:
                for t in range(k):
                    pick[t] = t
                while True:
                    # G[J, I] z = 1 by Gaussian elimination with partial pivoting
                    for s in range(k):
                        for t in range(k):
                            M[s, t] = G[rows[pick[s]], own[t]]
                        M[s, k] = 1.0
                    singular = False
                    for c in range(k):
                        p = c
                        for s in range(c + 1, k):
                            if abs(M[s, c]) > abs(M[p, c]):
                                p = s
                        if M[p, c] == 0.0:
                            singular = True
                            break
                        if p != c:
                            for t in range(c, k + 1):
                                M[c, t], M[p, t] = M[p, t], M[c, t]
                        for s in range(c + 1, k):
                            f = M[s, c] / M[c, c]
                            if f != 0.0:
                                for t in range(c + 1, k + 1):
                                    M[s, t] -= f * M[c, t]
                    feasible = not singular
                    if feasible:
                        for c in range(k - 1, -1, -1):
                            acc = M[c, k]
                            for t in range(c + 1, k):
                                acc -= M[c, t] * z[t]
                            z[c] = acc / M[c, c]
                            if not (-tol <= z[c] <= 1.0 + 1e-6):  # NaN fails too
                                feasible = False
                                break
                    if feasible:
                        labels = np.int64(0)
                        n_labels = 0
                        for i in range(d):
                            if (support >> i) & 1 == 0:
                                labels |= np.int64(1) << i
                                n_labels += 1
                        for t in range(k):
                            if z[t] <= tol:
                                labels |= np.int64(1) << own[t]
                                n_labels += 1
                        tight = np.int64(0)
                        for s in range(k):
                            tight |= np.int64(1) << rows[pick[s]]
                        for j in range(r):
                            if (tight >> j) & 1:
                                labels |= np.int64(1) << (d + j)
                                n_labels += 1
                                continue
                            slack = 1.0
                            for t in range(k):
                                slack -= G[j, own[t]] * z[t]
                            if not (-tol <= slack <= 1.0 + 1e-6):
                                feasible = False
                                break
                            if slack <= tol:
                                labels |= np.int64(1) << (d + j)
                                n_labels += 1
                        if feasible:
                            if n_labels > d:
                                return np.zeros((0, d)), np.zeros(0, np.int64), True
                            Z[count] = 0.0
                            for t in range(k):
                                Z[count, own[t]] = max(z[t], 0.0)
                            L[count] = labels
                            count += 1
                    if not _next_combination(pick, k, n_rows):
                        break
            if not _next_combination(own, k, d):
                break
    return Z[:count], L[:count], False


@numba.njit(cache=True)
def small_equilibria(A: np.ndarray, B: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    r"""Every extreme equilibrium of a positive bimatrix game :math:`(A, B)` whose polytopes are nondegenerate.

    The vertices of :math:`P = \{x \ge 0 : B^\top x \le \mathbf 1\}` and
    :math:`Q = \{y \ge 0 : A y \le \mathbf 1\}` are enumerated as in the module docstring, and every pair
    :math:`(x, y) \ne (0, 0)` whose label sets are complementary (completely labelled) is returned: ``(X (E, m),
    Y (E, n), False)``, unnormalised vertices. When a polytope is degenerate the arrays are empty and the flag True
    (``m + n <= 62``: labels are bits of one int64).

    """
    m, n = A.shape
    X, Lp, deg = _vertices(np.ascontiguousarray(B.T), tol)
    if deg:
        return np.zeros((0, m)), np.zeros((0, n)), True
    Yv, Lq, deg = _vertices(A, tol)
    if deg:
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
    A = P[0] / scale
    B = P[1] / scale
    A = A - A.min() + 1.0
    B = B - B.min() + 1.0
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
def _before(sizes: np.ndarray, R: np.ndarray, a: int, b: int) -> bool:
    """Profile ``a`` sorts strictly before ``b``: smaller support, then larger at the first differing entry."""
    if sizes[a] != sizes[b]:
        return sizes[a] < sizes[b]
    for t in range(R.shape[1]):
        if R[a, t] != R[b, t]:
            return R[a, t] > R[b, t]
    return False
