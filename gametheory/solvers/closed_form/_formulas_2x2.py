r"""Candidate equilibria of 2x2 games by formula for the thorough path, vectorised (games on the last axis).

2x2 batches are solved by the compiled kernel (:mod:`._kernel_2x2`), whose tie rule reproduces this thorough
path bit for bit; here it is the reference the tests compare the kernel with.

``x, y`` are the probabilities of the row's and the column's first strategies; the gains
:math:`D_1(y) = a_1 + b_1 y` and :math:`D_2(x) = a_2 + b_2 x` (see :mod:`gametheory.solvers.closed_form.solver`).
``coef`` has shape ``(2, 2, m)`` holding ``(a_i, b_i)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

def differences(u: Array) -> Array:
    """``d[i, s]``: player ``i``'s gain of its first over its second strategy when the opponent plays ``s``."""
    return np.stack([u[0, 0] - u[0, 1], u[1, :, 0] - u[1, :, 1]])


def coefficients(d: Array) -> Array:
    """``(a_i, b_i)`` with :math:`D_i = a_i + b_i p_{-i}`, shape ``(2, 2, m)``."""
    return np.stack([d[:, 1], d[:, 0] - d[:, 1]], axis=1)


def gain(coef: Array, i: int, p: Array) -> Array:
    """``D_i`` at the profiles ``p`` (shape ``(2, ...)``)."""
    out: Array = coef[i, 0] + coef[i, 1] * p[1 - i]
    return out


def regret(coef: Array, p: Array) -> Array:
    r"""Regret of the profiles ``p``: :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-`."""
    out = None
    for i in range(2):
        g = gain(coef, i, p)
        r = np.maximum(g, 0.0) * (1.0 - p[i]) - np.minimum(g, 0.0) * p[i]
        out = r if out is None else np.maximum(out, r)
    return out  # type: ignore[return-value]


def full_candidates(u: Array) -> Array:
    """Every candidate of the thorough path, ``(9, 2, m)``: 4 pure, the mixed point, and the 4 edge end points
    (one player pure, the other at the value that makes the pure player indifferent)."""
    m = u.shape[-1]
    d = differences(u)
    y = d[0, 1] / (d[0, 1] - d[0, 0])
    x = d[1, 1] / (d[1, 1] - d[1, 0])
    one, zero = np.ones(m), np.zeros(m)
    out = [[a, b] for a in (one, zero) for b in (one, zero)]
    out += [[x, y], [x, one], [x, zero], [one, y], [zero, y]]
    return np.array(out)
