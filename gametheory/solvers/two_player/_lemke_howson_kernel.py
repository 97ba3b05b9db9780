r"""Compiled (numba) Lemke–Howson path: complementary pivoting with the lexicographic minimum-ratio test.

The two tableaux are :math:`P`: :math:`[B^\top \mid I_n \mid 1]` (variables :math:`x_0..x_{m-1}`, slacks
:math:`s_0..s_{n-1}`, basis the slacks) and :math:`Q`: :math:`[I_m \mid A \mid 1]` (slacks :math:`r_0..r_{m-1}`,
variables :math:`y_0..y_{n-1}`, basis the slacks), a variable's label being its column in both. Each is held as a
*dictionary*: only its nonbasic columns and the right-hand side (a basic variable's column is a unit vector), so a
pivot updates :math:`m + 1` (resp. :math:`n + 1`) columns instead of :math:`m + n + 1`, with the full tableau's
arithmetic on those. Dropping label :math:`k` enters it in the tableau where it is nonbasic; each pivot's leaving
variable enters the other tableau, until label :math:`k` leaves. Ties in the ratio test
:math:`\min_r \beta_r / t_{rq}` are broken lexicographically on the columns of the initial basis (the rows of the
basis inverse, unit vectors for the slacks still basic), which keeps the path well defined on degenerate games;
the path is capped at ``max_iter`` pivots.

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
def _entry(D: np.ndarray, r: int, label: int, column: np.ndarray, row_of: np.ndarray) -> float:
    """Row ``r`` of the tableau column of variable ``label``: its dictionary column when nonbasic, else the unit
    vector of its row."""
    c = column[label]
    if c >= 0:
        return D[r, c]
    return 1.0 if row_of[label] == r else 0.0


@numba.njit(cache=True, error_model="numpy")
def _lex_min_ratio(D: np.ndarray, col: int, first_slack: int, n_slack: int, tol: float, rows: np.ndarray,
                   column: np.ndarray, row_of: np.ndarray) -> int:
    """The leaving row for entering dictionary column ``col``: minimum ratio on the right-hand side (the last
    column), ties broken on the tableau columns of the initial basis (labels ``first_slack ..
    first_slack + n_slack - 1``) in order; -1 when the column is unbounded."""
    n_rows, width = D.shape
    rhs = width - 1
    count = 0
    for r in range(n_rows):
        if D[r, col] > tol:
            rows[count] = r
            count += 1
    if count == 0:
        return -1
    best = np.inf
    for t in range(count):
        ratio = D[rows[t], rhs] / D[rows[t], col]
        if ratio < best:
            best = ratio
    kept = 0
    for t in range(count):
        r = rows[t]
        if D[r, rhs] / D[r, col] <= best + tol:
            rows[kept] = r
            kept += 1
    count = kept
    step = 0
    while count > 1 and step < n_slack:
        label = first_slack + step
        best = np.inf
        for t in range(count):
            ratio = _entry(D, rows[t], label, column, row_of) / D[rows[t], col]
            if ratio < best:
                best = ratio
        kept = 0
        for t in range(count):
            r = rows[t]
            if _entry(D, r, label, column, row_of) / D[r, col] <= best + tol:
                rows[kept] = r
                kept += 1
        count = kept
        step += 1
    return rows[0]


@numba.njit(cache=True, error_model="numpy")
def _pivot(D: np.ndarray, row: int, col: int, pivot_row: np.ndarray) -> None:
    """Exchange pivot of the dictionary ``D`` (the tableau's nonbasic columns and its right-hand side) on
    ``D[row, col]``, in place: column ``col`` becomes the leaving variable's. ``pivot_row`` is scratch of length
    ``D.shape[1]`` (the normalised pivot row is copied there, so the row updates read no aliased memory and
    vectorise). The arithmetic is the full tableau's Gauss–Jordan step on the columns kept."""
    n_rows, width = D.shape
    inv = 1.0 / D[row, col]
    for c in range(width):
        pivot_row[c] = D[row, c] * inv
    pivot_row[col] = inv  # the leaving variable's unit column e_row, times inv
    for c in range(width):
        D[row, c] = pivot_row[c]
    for r in range(n_rows):
        if r != row:
            factor = D[r, col]
            if factor != 0.0:
                for c in range(width):
                    D[r, c] -= factor * pivot_row[c]
                D[r, col] = -factor * inv


@numba.njit(cache=True, error_model="numpy", inline="always")  # inlined: no call in the pivot loop
def _step(D: np.ndarray, entering: int, first_slack: int, n_slack: int, tol: float, rows: np.ndarray,
          scratch: np.ndarray, column: np.ndarray, row_of: np.ndarray, col_var: np.ndarray,
          row_var: np.ndarray) -> int:
    """One pivot of the path in one tableau's dictionary ``D``: variable ``entering`` enters, the row chosen by
    :func:`_lex_min_ratio` (initial basis: labels ``first_slack .. first_slack + n_slack - 1``) leaves, and the
    label maps (``column``/``row_of`` by label, ``col_var``/``row_var`` by column and row) follow. Returns the
    leaving label, or -1 when the entering column is unbounded (nothing pivoted)."""
    c = column[entering]
    r = _lex_min_ratio(D, c, first_slack, n_slack, tol, rows, column, row_of)
    if r < 0:
        return -1
    leaving = row_var[r]
    _pivot(D, r, c, scratch[: D.shape[1]])
    row_var[r], col_var[c] = entering, leaving
    column[entering], row_of[entering] = -1, r
    column[leaving], row_of[leaving] = c, -1
    return leaving


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
    # P's dictionary: rows the column player's strategies (basic: slacks, labels m..m+n-1), columns the nonbasic
    # variables (first x_0..x_{m-1}, labels 0..m-1) and the right-hand side; Q's likewise with A and labels swapped
    dict_p = np.empty((n, m + 1))
    dict_q = np.empty((m, n + 1))
    if shift:  # row by row (the divisions vectorise), then B's transpose into P's dictionary
        row = np.empty(n)
        for i in range(m):
            for j in range(n):
                row[j] = B[i, j] / scale - b_min + 1.0
            for j in range(n):
                dict_p[j, i] = row[j]
            for j in range(n):
                dict_q[i, j] = A[i, j] / scale - a_min + 1.0
    else:
        for i in range(m):
            for j in range(n):
                dict_p[j, i] = B[i, j]
                dict_q[i, j] = A[i, j]
    for j in range(n):
        dict_p[j, m] = 1.0
    for i in range(m):
        dict_q[i, n] = 1.0
    labels = m + n
    # per tableau: column[label] (its dictionary column, -1 when basic), row_of[label] (its row, -1 when
    # nonbasic), var_col[c] / var_row[r] (the label in each column / row)
    column_p = np.full(labels, -1, np.int64)
    row_p = np.full(labels, -1, np.int64)
    col_var_p = np.arange(m)
    row_var_p = np.arange(m, labels)
    column_q = np.full(labels, -1, np.int64)
    row_q = np.full(labels, -1, np.int64)
    col_var_q = np.arange(m, labels)
    row_var_q = np.arange(m)
    for i in range(m):
        column_p[i] = i
        row_q[i] = i
    for j in range(n):
        row_p[m + j] = j
        column_q[m + j] = j
    rows = np.empty(max(m, n), dtype=np.int64)
    scratch = np.empty(max(m, n) + 1)
    side = 0 if label < m else 1
    entering = label
    pivots = 0
    converged = False
    while pivots < max_iter:
        pivots += 1
        if side == 0:
            leaving = _step(dict_p, entering, m, n, tol, rows, scratch, column_p, row_p, col_var_p, row_var_p)
        else:
            leaving = _step(dict_q, entering, 0, m, tol, rows, scratch, column_q, row_q, col_var_q, row_var_q)
        if leaving < 0:  # unbounded column: the path stops without converging
            break
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
        if row_var_p[k] < m:
            x[row_var_p[k]] = dict_p[k, m]
    for k in range(m):
        if row_var_q[k] >= m:
            y[row_var_q[k] - m] = dict_q[k, n]
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
