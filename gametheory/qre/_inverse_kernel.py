r"""Compiled batched inverse and determinant of small square matrices (the tracer's augmented Jacobians).

The predictor-corrector tracer inverts one ``(M+1) x (M+1)`` matrix per game and step (``M`` the number of
strategies, 7x7 for a 2x2x2 game); ``numpy.linalg.inv`` on a stack pays a LAPACK call per matrix, which was half
of the tracer's time. Here each matrix is inverted by Gauss-Jordan elimination with partial pivoting in one
compiled loop over the batch, which also gives the determinant (the product of the pivots, with the sign of the
row swaps). A matrix whose pivot vanishes gives NaN entries and determinant 0. One thread (see
:mod:`gametheory.solvers.closed_form._kernel_2x2` on numba's thread pool and ``fork()``); imported lazily.

Examples
--------
>>> import numpy as np
>>> inv, det = inverse_and_det(np.array([[[2.0, 1.0], [1.0, 1.0]], [[1.0, 2.0], [2.0, 4.0]]]))
>>> inv[0].tolist(), det.tolist(), bool(np.isnan(inv[1]).all())
([[1.0, -1.0], [-1.0, 2.0]], [1.0, 0.0], True)
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["inverse_and_det"]


@njit(cache=True)
def inverse_and_det(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n_games, n = matrices.shape[0], matrices.shape[1]
    out = np.empty_like(matrices)
    dets = np.empty(n_games)
    a = np.empty((n, n))
    b = np.empty((n, n))
    for g in range(n_games):
        for r in range(n):
            for c in range(n):
                a[r, c] = matrices[g, r, c]
                b[r, c] = 1.0 if r == c else 0.0
        det = 1.0
        singular = False
        for c in range(n):
            pivot = c
            best = abs(a[c, c])
            for r in range(c + 1, n):
                if abs(a[r, c]) > best:
                    best = abs(a[r, c])
                    pivot = r
            if not best > 0.0:  # also catches NaN
                singular = True
                break
            if pivot != c:
                det = -det
                for k in range(n):
                    a[c, k], a[pivot, k] = a[pivot, k], a[c, k]
                    b[c, k], b[pivot, k] = b[pivot, k], b[c, k]
            p = a[c, c]
            det *= p
            for k in range(n):
                a[c, k] /= p
                b[c, k] /= p
            for r in range(n):
                if r != c:
                    f = a[r, c]
                    if f != 0.0:
                        for k in range(n):
                            a[r, k] -= f * a[c, k]
                            b[r, k] -= f * b[c, k]
        if singular:
            out[g] = np.nan
            dets[g] = 0.0
        else:
            out[g] = b
            dets[g] = det
    return out, dets
