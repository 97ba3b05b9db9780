"""Shared machinery of the closed-form batch solver: the thorough path, compaction, components, payoffs.

Arrays of candidates are ``(C, n, m)`` (candidate, player, game) inside the kernels and ``(m, K, n)``
(game, slot, player) once compacted. No loop runs over games.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import numpy.typing as npt

from . import _closed_form_2x2 as k2
from . import _closed_form_2x2x2 as k3

Array = npt.NDArray[np.float64]

#: two verified candidates closer than this (max norm) are one equilibrium
DEDUP = 1e-7
#: interior points of a segment between two equilibria tested to decide whether it is a continuum
SEGMENT_T = np.arange(1, 8) / 8.0


def kernel(n: int) -> ModuleType:
    """The kernel module of 2-player (2x2) or 3-player (2x2x2) games."""
    return k2 if n == 2 else k3


def compact(P: Array, ok: npt.NDArray[np.bool_]) -> tuple[Array, npt.NDArray[np.int64]]:
    """Move the valid candidates of each game to the front: ``(C, n, m), (C, m) -> (m, K, n), counts (m,)``."""
    n, m = P.shape[1], P.shape[2]
    slot = np.cumsum(ok, axis=0) - 1
    counts = (slot[-1] + 1).astype(np.int64) if len(slot) else np.zeros(m, dtype=np.int64)
    K = int(counts.max(initial=0))
    out = np.full((m, K, n), np.nan)
    if K:
        cands, games = np.nonzero(ok)
        out[games, slot[cands, games]] = P[cands, :, games]
    return out, counts


def flat_entries(
    P: Array, ok: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Array, npt.NDArray[np.int64]]:
    """The valid candidates as a flat list: ``(games, slots, profiles (n, E), counts (m,))``.

    ``P`` is ``(n, C, m)``, ``ok`` ``(C, m)``; slots number each game's valid candidates in candidate order.
    """
    n, C, m = P.shape
    csum = np.empty((C, m), dtype=np.int8)  # running count of valid candidates (C < 128)
    np.copyto(csum[0], ok[0])
    for c in range(1, C):
        np.add(csum[c - 1], ok[c], out=csum[c])
    flat = np.flatnonzero(ok)
    games = flat % m
    slots = csum.ravel().take(flat).astype(np.intp)
    slots -= 1
    prof = np.empty((n, flat.size))
    for i in range(n):
        np.take(P[i].ravel(), flat, out=prof[i])
    return games, slots, prof, csum[-1].astype(np.int64)


def evaluate(U: Array, P: Array) -> tuple[Array, Array]:
    r"""Expected payoffs ``(n, E)`` and regrets ``(E,)`` of profiles ``P (n, E)`` in games ``U (n, 2, ..., 2, E)``.

    Player *i*'s payoffs :math:`u_i(s, p_{-i})` of its two strategies come from interpolating ``U[i]`` linearly
    along each opponent's axis; then :math:`D_i = u_i(s_1) - u_i(s_2)`, :math:`u_i = u_i(s_2) + p_i D_i` and
    :math:`r_i = (1-p_i) D_i^+ + p_i D_i^-`.
    """
    n = P.shape[0]
    pay = np.empty_like(P)
    reg = np.zeros(P.shape[1])
    for i in range(n):
        V = U[i]
        for j in reversed(range(n)):
            if j != i:
                hi = V[(slice(None),) * j + (0,)]
                lo = V[(slice(None),) * j + (1,)]
                V = hi - lo
                V *= P[j]
                V += lo
        D = V[0] - V[1]
        np.multiply(P[i], D, out=pay[i])
        pay[i] += V[1]
        r = np.maximum(D, 0.0)
        r *= 1.0 - P[i]
        np.minimum(D, 0.0, out=D)
        D *= P[i]
        r -= D
        np.maximum(reg, r, out=reg)
    return pay, reg


def regrets(u: Array, P: Array) -> Array:
    """Regret of compacted profiles ``P (m, K, n)`` of the games ``u (..., m)``; NaN where ``P`` is NaN."""
    n = P.shape[2]
    ker = kernel(n)
    coef = ker.coefficients(ker.differences(u))[..., None]
    return ker.regret(coef, np.moveaxis(P, 2, 0))  # type: ignore[no-any-return]


def thorough(u: Array, slack: Array) -> tuple[Array, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Every candidate system, verified, de-duplicated, grouped into components.

    Returns ``P (m, K, n)``, ``counts (m,)``, ``component (m, K)`` and ``degenerate (m,)``.
    """
    n, m = u.shape[0], u.shape[-1]
    ker = kernel(n)
    coef = ker.coefficients(ker.differences(u))
    cand = ker.full_candidates(u)  # (C, n, m)
    finite = np.isfinite(cand).all(axis=1)
    inside = finite & ((cand >= -1e-9) & (cand <= 1 + 1e-9)).all(axis=1)
    cand = np.clip(np.where(np.isfinite(cand), cand, 0.5), 0.0, 1.0)
    ok = inside & (ker.regret(coef, np.moveaxis(cand, 1, 0)) <= slack)
    P, counts = compact(cand, ok)
    # de-duplicate: keep a point unless an earlier valid one lies within DEDUP
    K = P.shape[1]
    valid = np.arange(K)[None, :] < counts[:, None]
    close = (np.abs(P[:, :, None, :] - P[:, None, :, :]).max(axis=-1) <= DEDUP) & valid[:, None, :]
    earlier = np.tril(np.ones((K, K), dtype=bool), -1)
    keep = valid & ~(close & earlier).any(axis=-1)
    P, counts = compact(np.moveaxis(P, 0, 2), keep.T)
    component, degenerate = _components(u, coef, P, counts, slack)
    return P, counts, component, degenerate


def _components(
    u: Array, coef: Array, P: Array, counts: npt.NDArray[np.int64], slack: Array
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Group listed equilibria into continua: segments of equilibria between two listed points, and (2x2x2)
    fully mixed curves when a reduced quadratic vanishes identically."""
    m, K, n = P.shape
    ker = kernel(n)
    valid = np.arange(K)[None, :] < counts[:, None]
    if K == 0:
        return np.full((m, 0), -1, dtype=np.int64), np.zeros(m, dtype=bool)
    pair = valid[:, :, None] & valid[:, None, :]
    # segment e-f: regret at interior sample points
    t = SEGMENT_T[None, None, None, :, None]
    pts = P[:, :, None, None, :] + t * (P[:, None, :, None, :] - P[:, :, None, None, :])  # (m, K, K, T, n)
    c = coef[..., None, None, None]
    seg_reg = ker.regret(c, np.moveaxis(pts, -1, 0))
    adj = pair & (seg_reg <= slack[:, None, None, None]).all(axis=-1)
    eye = np.eye(K, dtype=bool)[None]
    degenerate = (adj & ~eye).any(axis=(1, 2))
    if n == 3:
        curve_adj, on_curve = _curves(u, coef, P, valid, slack)
        adj |= curve_adj
        degenerate |= on_curve
    adj |= eye & valid[:, :, None]
    # transitive closure by repeated squaring
    reach = adj
    for _ in range(max(1, int(np.ceil(np.log2(max(K, 2)))))):
        reach = reach | (np.matmul(reach.astype(np.uint8), reach.astype(np.uint8)) > 0)
    root = np.where(valid, np.argmax(reach, axis=2), -1)  # smallest index in the component
    is_root = valid & (root == np.arange(K)[None, :])
    rank = np.cumsum(is_root, axis=1) - 1
    component = np.where(valid, np.take_along_axis(rank, np.maximum(root, 0), axis=1), -1)
    return component.astype(np.int64), degenerate


def _curves(
    u: Array, coef: Array, P: Array, valid: npt.NDArray[np.bool_], slack: Array
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Adjacency along fully mixed equilibrium curves and whether a game has such a curve."""
    m, K, _ = P.shape
    pts, ts = k3.curve_samples(u)  # (3, S, 3, m)
    inside = (np.isfinite(pts) & (pts >= -1e-9) & (pts <= 1 + 1e-9)).all(axis=2)  # (3, S, m)
    sample_reg = k3.regret(coef[:, :, None, None, :], np.clip(np.moveaxis(pts, 2, 0), 0, 1))  # (3, S, m)
    eq = inside & (sample_reg <= slack)
    has_curve = eq.any(axis=(0, 1))
    adj = np.zeros((m, K, K), dtype=bool)
    if not has_curve.any():
        return adj, has_curve
    for main in range(3):
        (q0, q1, q2), sub = k3.quadratic(coef, main)
        te = P[:, :, main]  # (m, K)
        on = valid.copy()
        for other, (num, den) in sub.items():
            val = -(num[0][:, None] + num[1][:, None] * te) / (den[0][:, None] + den[1][:, None] * te)
            on &= np.abs(val - P[:, :, other]) <= 1e-6
        lo = np.minimum(te[:, :, None], te[:, None, :])
        hi = np.maximum(te[:, :, None], te[:, None, :])
        between = (ts[None, None, None, :] > lo[..., None]) & (ts[None, None, None, :] < hi[..., None])
        curve_ok = (eq[main].T[:, None, None, :] | ~between).all(axis=-1)
        adj |= on[:, :, None] & on[:, None, :] & curve_ok & has_curve[:, None, None]
    return adj, has_curve
