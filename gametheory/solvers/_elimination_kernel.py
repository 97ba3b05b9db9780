r"""Gaussian elimination for the compiled kernels (numba), real or complex.

:func:`eliminate` reduces :math:`A x = b` to upper triangular form by partial pivoting (in place) and reports
the determinant and the smallest and largest pivot moduli; :func:`back_substitute` then gives :math:`x`. The
hub-and-spokes kernel (its vertex and support systems) and the n-player kernel (the Newton steps of its
homotopy) share them.

The kernels that call them name this module in :func:`gametheory.solvers._kernel_cache.depends_on`, so an edit
here recompiles them.

Importing this module imports numba: callers import it lazily.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

__all__ = ["eliminate", "back_substitute"]


@numba.njit(cache=True)
def eliminate(A: np.ndarray, b: np.ndarray, n: int, rel: float) -> tuple[Any, float, float]:
    """Forward elimination with partial pivoting of ``A[:n, :n]`` (and ``b[:n]`` when ``b.size``), in place.

    Returns ``(det, smallest, largest)``: the determinant and the smallest and largest pivot moduli. ``det`` is 0
    (and the elimination stops) at a pivot of modulus 0 or at most ``rel`` times the largest ``|A[i, j]|``.
    """
    scale = 0.0
    if rel > 0.0:
        for i in range(n):
            for j in range(n):
                scale = max(scale, abs(A[i, j]))
        if scale == 0.0:
            return A[0, 0] * 0.0, 0.0, 0.0
    rhs = b.size > 0
    det = A[0, 0] * 0.0 + 1.0
    small, big = np.inf, 0.0
    for c in range(n):
        piv = c
        for i in range(c + 1, n):
            if abs(A[i, c]) > abs(A[piv, c]):
                piv = i
        size = abs(A[piv, c])
        small = min(small, size)
        big = max(big, size)
        if size == 0.0 or size <= rel * scale:
            return det * 0.0, small, big
        if piv != c:
            for j in range(n):
                A[c, j], A[piv, j] = A[piv, j], A[c, j]
            if rhs:
                b[c], b[piv] = b[piv], b[c]
            det = -det
        det *= A[c, c]
        for i in range(c + 1, n):
            f = A[i, c] / A[c, c]
            if f != 0.0:
                for j in range(c, n):
                    A[i, j] -= f * A[c, j]
                if rhs:
                    b[i] -= f * b[c]
    return det, small, big


@numba.njit(cache=True)
def back_substitute(A: np.ndarray, b: np.ndarray, n: int, x: np.ndarray) -> None:
    """``x[:n]`` from the upper triangular system :func:`eliminate` left in ``A``, ``b``."""
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= A[i, j] * x[j]
        x[i] = s / A[i, i]

