r"""Analytic Jacobian of the replicator field and the sign-based classification (private kernels).

On the product of simplices, population :math:`i`'s last share is :math:`1 - \sum_{s < s_i} x_{i,s}`; the
tangent coordinates are the first :math:`s_i - 1` shares of each population, ``d = sum(s_i - 1)`` in all. With
:math:`F` the field on :math:`\mathbb{R}^D`, :math:`E` the embedding of the tangent coordinates
(columns :math:`e_{i,t} - e_{i,s_i}`) and :math:`P` the projection onto them, the Jacobian of the dynamics on
the manifold is :math:`J = P\,DF\,E`. The partial derivatives of :math:`F` are

.. math::

    \frac{\partial F_{i,s}}{\partial x_{i,t}} = \delta_{st}(\pi_{i,s} - \bar\pi_i) - x_{i,s}\pi_{i,t},\qquad
    \frac{\partial F_{i,s}}{\partial x_{j,t}} = x_{i,s}\Bigl(u_i(s,t,x_{-ij}) - \sum_r x_{i,r} u_i(r,t,x_{-ij})\Bigr).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import _state
from ._state import FloatArray

#: classification labels, indexed by the integer codes of the batch results (-1 marks padding)
CLASSES = ("stable", "unstable", "saddle", "undecided")
STABLE, UNSTABLE, SADDLE, UNDECIDED = range(4)


def full_jacobian(payoffs: FloatArray, shape: tuple[int, ...], flat: FloatArray) -> FloatArray:
    """:math:`DF` at flat states ``(M, D)``: shape ``(M, D, D)``."""
    xs = _state.split(flat, shape)
    pis = _state.payoff_vectors(payoffs, xs)
    off = _state.offsets(shape)
    m, d = flat.shape
    jac = np.zeros((m, d, d))
    for i, (x, pi) in enumerate(zip(xs, pis, strict=True)):
        rows = slice(off[i], off[i + 1])
        mean = np.sum(x * pi, axis=-1, keepdims=True)
        own = -x[:, :, None] * pi[:, None, :]
        idx = np.arange(shape[i])
        own[:, idx, idx] += pi - mean
        jac[:, rows, rows] = own
        for j in range(len(shape)):
            if j == i:
                continue
            cross = _state.cross_payoffs(payoffs, xs, i, j)  # (M, s_i, s_j)
            avg = np.einsum("zr,zrt->zt", x, cross)
            jac[:, rows, off[j] : off[j + 1]] = x[:, :, None] * (cross - avg[:, None, :])
    return jac


def tangent_basis(shape: tuple[int, ...]) -> tuple[FloatArray, FloatArray]:
    """``E (D, d)`` and ``P (d, D)`` of the tangent coordinates (drop each population's last share)."""
    off = _state.offsets(shape)
    d_full, d = int(off[-1]), sum(s - 1 for s in shape)
    emb = np.zeros((d_full, d))
    proj = np.zeros((d, d_full))
    col = 0
    for i, s in enumerate(shape):
        for t in range(s - 1):
            emb[off[i] + t, col] = 1.0
            emb[off[i] + s - 1, col] = -1.0
            proj[col, off[i] + t] = 1.0
            col += 1
    return emb, proj


def tangent_jacobian(payoffs: FloatArray, shape: tuple[int, ...], flat: FloatArray) -> FloatArray:
    """:math:`J = P\\,DF\\,E` at flat states ``(M, D)``: shape ``(M, d, d)``."""
    emb, proj = tangent_basis(shape)
    return proj @ full_jacobian(payoffs, shape, flat) @ emb


def sort_eigenvalues(eigs: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
    """Sort along the last axis by decreasing real part, then decreasing imaginary part (NaN last)."""
    key = np.where(np.isnan(eigs.real), np.inf, np.round(-eigs.real, 10))
    order = np.lexsort((-np.nan_to_num(eigs.imag), key), axis=-1)
    return np.take_along_axis(eigs, order, axis=-1)


def classify_codes(real: FloatArray, thr: FloatArray, valid: npt.NDArray[np.bool_]) -> npt.NDArray[np.int8]:
    """Codes of :data:`CLASSES` from real parts ``(..., d)`` and the zero threshold ``thr`` (broadcast to ``(...)``).

    stable: every real part < -thr; unstable: some > thr and none < -thr; saddle: some > thr and some < -thr;
    undecided: none > thr and some within [-thr, thr] (the linearisation cannot decide).
    """
    thr = np.asarray(thr)
    # elementwise over the (short) last axis: much faster than reductions along it
    top = real[..., 0].copy()
    bottom = real[..., 0].copy()
    small = np.abs(real[..., 0])
    for k in range(1, real.shape[-1]):
        np.maximum(top, real[..., k], out=top)
        np.minimum(bottom, real[..., k], out=bottom)
        np.minimum(small, np.abs(real[..., k]), out=small)
    with np.errstate(invalid="ignore"):
        pos = top > thr
        neg = bottom < -thr
        zero = small <= thr
    codes = np.full(real.shape[:-1], UNDECIDED, dtype=np.int8)
    codes[~pos & ~zero] = STABLE
    codes[pos & ~neg] = UNSTABLE
    codes[pos & neg] = SADDLE
    codes[~valid] = -1
    return codes
