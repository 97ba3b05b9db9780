r"""Compiled (numba) Lemke–Howson path: complementary pivoting with the lexicographic minimum-ratio test.

The two tableaux have one column per label, then the right-hand side: :math:`P`: :math:`[B^\top \mid I_n \mid 1]`
(variables :math:`x_0..x_{m-1}`, slacks :math:`s_0..s_{n-1}`, basis the slacks) and :math:`Q`:
:math:`[I_m \mid A \mid 1]` (slacks :math:`r_0..r_{m-1}`, variables :math:`y_0..y_{n-1}`, basis the slacks), so a
variable's column index is its label in both. Dropping label :math:`k` enters column :math:`k` in the tableau where
it is a non-basic variable; each pivot's leaving variable enters the other tableau, until label :math:`k` leaves.
Ties in the ratio test :math:`\min_r \beta_r / t_{rq}` are broken lexicographically on the columns of the initial
basis (the rows of the basis inverse), which keeps the path well defined on degenerate games; the path is capped at
``max_iter`` pivots.

Importing this module imports numba (~0.25 s): callers import it lazily.

Examples
--------
Battle of the sexes, shifted positive; dropping label 0 ends at the pure equilibrium (Top, Left).

>>> import numpy as np
>>> x, y, pivots, converged = lemke_howson_path(np.array([[4.0, 1.0], [1.0, 3.0]]),
...                                             np.array([[3.0, 1.0], [1.0, 4.0]]), 0, 100, 1e-12)
>>> x.tolist(), y.tolist(), converged
([1.0, 0.0], [1.0, 0.0], True)
"""

from __future__ import annotations

import numba
import numpy as np

from ._profile_check_kernel import check_profiles

__all__ = ["lemke_howson_path", "lemke_howson_checked", "lemke_howson_packed"]


@numba.njit(cache=True, error_model="numpy")
def _lex_min_ratio(tab: np.ndarray, col: int, first_slack: int, n_slack: int, tol: float,
                   rows: np.ndarray) -> int:
    """The leaving row for entering column ``col``: minimum ratio on the right-hand side, ties broken on the
    initial basis' columns ``first_slack .. first_slack + n_slack - 1`` in order; -1 when the column is unbounded."""
    n_rows, width = tab.shape
    rhs = width - 1
    count = 0
    for r in range(n_rows):
        if tab[r, col] > tol:
            rows[count] = r
            count += 1
    if count == 0:
        return -1
    c = rhs
    for step in range(n_slack + 1):
        best = np.inf
        for t in range(count):
            ratio = tab[rows[t], c] / tab[rows[t], col]
            if ratio < best:
                best = ratio
        kept = 0
        for t in range(count):
            r = rows[t]
            if tab[r, c] / tab[r, col] <= best + tol:
                rows[kept] = r
                kept += 1
        count = kept
        if count == 1:
            break
        c = first_slack + step
    return rows[0]


@numba.njit(cache=True, error_model="numpy")
def _pivot(tab: np.ndarray, row: int, col: int, pivot_row: np.ndarray) -> None:
    """Gauss–Jordan pivot on ``tab[row, col]`` in place; ``pivot_row`` is scratch of length ``tab.shape[1]``
    (the normalised pivot row is copied there, so the row updates read no aliased memory and vectorise)."""
    n_rows, width = tab.shape
    inv = 1.0 / tab[row, col]
    for c in range(width):
        pivot_row[c] = tab[row, c] * inv
        tab[row, c] = pivot_row[c]
    for r in range(n_rows):
        if r != row:
            factor = tab[r, col]
            if factor != 0.0:
                for c in range(width):
                    tab[r, c] -= factor * pivot_row[c]


@numba.njit(cache=True, error_model="numpy")
def lemke_howson_path(A: np.ndarray, B: np.ndarray, label: int, max_iter: int,
                      tol: float) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Run the path that drops ``label`` on positive ``A``, ``B``; returns ``(x, y, pivots, converged)`` with
    ``x`` and ``y`` normalised to sum 1 (zeros when the path did not converge)."""
    return _run_path(A, B, False, 1.0, 0.0, 0.0, label, max_iter, tol)


@numba.njit(cache=True, error_model="numpy")
def _run_path(A: np.ndarray, B: np.ndarray, shift: bool, scale: float, a_min: float, b_min: float, label: int,
              max_iter: int, tol: float) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """:func:`lemke_howson_path` on ``A``, ``B`` (``shift=False``) or on ``A / scale - a_min + 1`` and
    ``B / scale - b_min + 1``, written straight into the tableaux (the floating-point operations of shifting
    first, so the same path bit for bit)."""
    m, n = A.shape
    width = m + n + 1
    tab_p = np.empty((n, width))  # every entry is written below (no zeroing pass)
    tab_q = np.empty((m, width))
    if shift:  # row by row (the divisions vectorise), then B's transpose into P's tableau
        row = np.empty(n)
        for i in range(m):
            for j in range(n):
                row[j] = B[i, j] / scale - b_min + 1.0
            for j in range(n):
                tab_p[j, i] = row[j]
            for j in range(n):
                tab_q[i, m + j] = A[i, j] / scale - a_min + 1.0
    else:
        for j in range(n):
            for i in range(m):
                tab_p[j, i] = B[i, j]
        for i in range(m):
            for j in range(n):
                tab_q[i, m + j] = A[i, j]
    for j in range(n):
        for c in range(m, width - 1):
            tab_p[j, c] = 0.0
        tab_p[j, m + j] = 1.0
        tab_p[j, width - 1] = 1.0
    for i in range(m):
        for c in range(m):
            tab_q[i, c] = 0.0
        tab_q[i, i] = 1.0
        tab_q[i, width - 1] = 1.0
    basis_p = np.arange(m, m + n)
    basis_q = np.arange(m)
    rows = np.empty(max(m, n), dtype=np.int64)
    scratch = np.empty(width)
    side = 0 if label < m else 1
    entering = label
    pivots = 0
    converged = False
    while pivots < max_iter:
        pivots += 1
        if side == 0:
            row = _lex_min_ratio(tab_p, entering, m, n, tol, rows)
            if row < 0:
                break
            leaving = basis_p[row]
            _pivot(tab_p, row, entering, scratch)
            basis_p[row] = entering
        else:
            row = _lex_min_ratio(tab_q, entering, 0, m, tol, rows)
            if row < 0:
                break
            leaving = basis_q[row]
            _pivot(tab_q, row, entering, scratch)
            basis_q[row] = entering
        if leaving == label:
            converged = True
            break
        entering = leaving
        side = 1 - side
    x = np.zeros(m)
    y = np.zeros(n)
    if not converged:
        return x, y, pivots, False
    for k in range(n):
        if basis_p[k] < m:
            x[basis_p[k]] = tab_p[k, width - 1]
    for k in range(m):
        if basis_q[k] >= m:
            y[basis_q[k] - m] = tab_q[k, width - 1]
    return x / x.sum(), y / y.sum(), pivots, True


@numba.njit(cache=True, error_model="numpy")
def lemke_howson_checked(A0: np.ndarray, B0: np.ndarray, scale: float, label: int, max_iter: int,
                         tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, bool]:
    """The path that drops ``label`` on the game's own payoffs ``A0``, ``B0`` (normalised by ``scale`` and shifted
    positive here), and its end checked by :func:`check_profiles`: ``(Z, payoffs, regret, degenerate, pivots,
    converged)`` with one row per converged path (none otherwise)."""
    A = A0 / scale
    B = B0 / scale
    A = A - A.min() + 1.0
    B = B - B.min() + 1.0
    x, y, pivots, converged = lemke_howson_path(A, B, label, max_iter, tol)
    rows = 1 if converged else 0
    Z, payoffs, regret, degenerate = check_profiles(A0, B0, x.reshape(1, -1)[:rows], y.reshape(1, -1)[:rows],
                                                    tol * 100, tol * 100 * scale)
    return Z, payoffs, regret, degenerate, pivots, converged


@numba.njit(cache=True, error_model="numpy")
def _smallest(a: np.ndarray) -> float:
    """``a.min()`` of a float array without NaN, with four independent running minima (no loop-carried wait on
    one; the minimum does not depend on the order)."""
    lo0 = lo1 = lo2 = lo3 = np.inf
    k = 0
    while k + 4 <= a.size:
        lo0 = min(lo0, a[k])
        lo1 = min(lo1, a[k + 1])
        lo2 = min(lo2, a[k + 2])
        lo3 = min(lo3, a[k + 3])
        k += 4
    while k < a.size:
        lo0 = min(lo0, a[k])
        k += 1
    return min(min(lo0, lo1), min(lo2, lo3))


@numba.njit(cache=True, error_model="numpy")
def lemke_howson_packed(P: np.ndarray, scale: float, label: int, max_iter: int,
                        tol: float) -> tuple[np.ndarray, int, bool, bool, bool]:
    """:func:`lemke_howson_checked` on the payoffs ``P = (A0, B0)`` of shape ``(2, m, n)``, with its answer packed
    in one array (one array in and one out instead of two and four, and no shifted copies of the payoffs):
    ``(out, pivots, converged, found, degenerate)``, ``out = [x | y | payoff_0, payoff_1, regret, degenerate]`` of
    length ``m + n + 4`` (all NaN when the path did not converge); ``found``: converged with regret at most
    ``tol * scale``; ``degenerate``: found and a degenerate profile."""
    A0 = P[0]
    B0 = P[1]
    m, n = A0.shape
    a_min = _smallest(A0.reshape(-1)) / scale  # = min(A0 / scale): division by scale > 0 keeps the order
    b_min = _smallest(B0.reshape(-1)) / scale
    x, y, pivots, converged = _run_path(A0, B0, True, scale, a_min, b_min, label, max_iter, tol)
    out = np.full(m + n + 4, np.nan)
    if converged:
        Z, payoffs, regret, degenerate = check_profiles(A0, B0, x.reshape(1, -1), y.reshape(1, -1), tol * 100,
                                                        tol * 100 * scale)
        out[: m + n] = Z[0]
        out[m + n] = payoffs[0, 0]
        out[m + n + 1] = payoffs[0, 1]
        out[m + n + 2] = regret[0]
        out[m + n + 3] = 1.0 if degenerate[0] else 0.0
    found = converged and out[m + n + 2] <= tol * scale
    return out, pivots, converged, found, found and out[m + n + 3] > 0.0
