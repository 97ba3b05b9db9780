r"""Compiled (numba) check of candidate profiles of a bimatrix game: clean, pay, regret, degeneracy.

For each candidate :math:`(x, y)` (rows of ``X`` and ``Y``) the kernel clips negative weights to 0 and renormalises
each player's strategy, computes the pure strategies' payoffs :math:`(Ay)_i` and :math:`(x^\top B)_j`, the
players' payoffs :math:`x^\top A y` and :math:`x^\top B y`, and the regret

.. math::

    \max\bigl(\max_i (Ay)_i - x^\top A y,\ \max_j (x^\top B)_j - x^\top B y\bigr),

and flags the profile degenerate when some player has more pure best responses (within
``response_tol``) than the other player's support size (weights above ``support_tol``). One pass over each
profile, no temporaries: this is the front half of :func:`~._bimatrix.build_equilibria`, which
costs microseconds here and tens of microseconds as a chain of small numpy calls.

Importing this module imports numba (~0.25 s): callers import it lazily.

Examples
--------
Matching pennies: the mixed profile has regret 0; (Top, Left) has regret 2 (the column player gains 2 by
switching). Neither is degenerate: each pure profile has one best reply, each mixed one two against a support of 2.

>>> import numpy as np
>>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
>>> Z, payoffs, regret, flags = check_profiles(A, -A, np.array([[0.5, 0.5], [1.0, 0.0]]),
...                                            np.array([[0.5, 0.5], [1.0, 0.0]]), 1e-7, 1e-7)
>>> regret.tolist(), flags.tolist()
([0.0, 2.0], [False, False])
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["check_profiles"]


@numba.njit(cache=True, error_model="numpy")
def check_profiles(A: np.ndarray, B: np.ndarray, X: np.ndarray, Y: np.ndarray, support_tol: float,
                   response_tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Returns ``(Z, payoffs, regret, degenerate)``: ``Z = [x | y]`` cleaned, shape ``(k, m + n)``; payoffs
    ``(k, 2)``; regret ``(k,)``; degenerate flags ``(k,)``."""
    k, m = X.shape
    n = Y.shape[1]
    Z = np.empty((k, m + n))
    payoffs = np.empty((k, 2))
    regret = np.empty(k)
    degenerate = np.zeros(k, dtype=np.bool_)
    row_values = np.empty(m)
    col_values = np.empty(n)
    for g in range(k):
        total = 0.0
        for i in range(m):
            w = max(X[g, i], 0.0)
            Z[g, i] = w
            total += w
        for i in range(m):
            Z[g, i] /= total
        total = 0.0
        for j in range(n):
            w = max(Y[g, j], 0.0)
            Z[g, m + j] = w
            total += w
        for j in range(n):
            Z[g, m + j] /= total
        # the pure strategies' payoffs, summed in index order; zero weights add nothing (0.0 + +-0.0 is 0.0), so
        # they are skipped: a profile with small supports costs its supports, not m * n
        for i in range(m):
            s = 0.0
            for j in range(n):
                w = Z[g, m + j]
                if w != 0.0:
                    s += A[i, j] * w
            row_values[i] = s
        for j in range(n):
            col_values[j] = 0.0
        for i in range(m):
            w = Z[g, i]
            if w != 0.0:
                for j in range(n):
                    col_values[j] += w * B[i, j]
        pay_row = 0.0
        best_row = -np.inf
        for i in range(m):
            pay_row += Z[g, i] * row_values[i]
            best_row = max(best_row, row_values[i])
        pay_col = 0.0
        best_col = -np.inf
        for j in range(n):
            pay_col += Z[g, m + j] * col_values[j]
            best_col = max(best_col, col_values[j])
        payoffs[g, 0] = pay_row
        payoffs[g, 1] = pay_col
        regret[g] = max(best_row - pay_row, best_col - pay_col)
        support_row = 0
        responses_row = 0
        for i in range(m):
            if Z[g, i] > support_tol:
                support_row += 1
            if row_values[i] >= best_row - response_tol:
                responses_row += 1
        support_col = 0
        responses_col = 0
        for j in range(n):
            if Z[g, m + j] > support_tol:
                support_col += 1
            if col_values[j] >= best_col - response_tol:
                responses_col += 1
        degenerate[g] = responses_row > support_col or responses_col > support_row
    return Z, payoffs, regret, degenerate
