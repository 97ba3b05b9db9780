r"""Candidate equilibria of 2x2 games by formula, vectorised (games on the last axis).

``x, y`` are the probabilities of the row's and the column's first strategies; the gains
:math:`D_1(y) = a_1 + b_1 y` and :math:`D_2(x) = a_2 + b_2 x` (see :mod:`gametheory.solvers.closed_form`).
``coef`` has shape ``(2, 2, m)`` holding ``(a_i, b_i)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

#: boundary band: a mixed candidate this close to 0 or 1 sends its game to the thorough path
BAND = 1e-7
#: pure profiles in candidate order (probabilities of the first strategies)
PURE = np.array([[1.0 - a, 1.0 - b] for a in (0, 1) for b in (0, 1)])


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


def fast_candidates(u: Array, slack: Array) -> tuple[Array, Array, Array]:
    """4 pure profiles and the mixed one: ``P (2, 1, m)`` (the mixed one; pure ones are :data:`PURE`),
    ``ok (5, m)`` and ``suspect (m,)``.

    A game is suspect (and re-solved by :func:`full_candidates`) when a pure difference is within ``slack`` of 0
    or the mixed candidate lies within :data:`BAND` of an edge.
    """
    m = u.shape[-1]
    d = differences(u)
    P = np.empty((2, 1, m))  # the mixed candidate; pure ones are the constant table PURE
    ok = np.empty((5, m), dtype=bool)
    pos, neg = d >= -slack, d <= slack
    # pure [a, b]: row condition on d[0, b], column condition on d[1, a]
    c0 = np.stack([pos[0], neg[0]])  # [a, b]
    c1 = np.stack([pos[1], neg[1]]).transpose(1, 0, 2)  # stacked [b, a]
    np.logical_and(c0, c1, out=ok[:4].reshape(2, 2, m))
    # mixed: x = d2[1] / (d2[1] - d2[0]), y = d1[1] / (d1[1] - d1[0])
    mixed = P[::-1, 0]  # rows (y, x)
    np.divide(d[:, 1], d[:, 1] - d[:, 0], out=mixed)
    w = np.abs(mixed - 0.5)
    ok[4] = (w < 0.5 - BAND).all(axis=0)
    suspect = np.abs(d).min(axis=(0, 1)) <= slack
    suspect |= (np.abs(w - 0.5) <= BAND).any(axis=0)
    ok &= ~suspect
    return P, ok, suspect


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
