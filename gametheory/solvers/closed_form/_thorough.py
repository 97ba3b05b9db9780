"""Shared machinery of the closed-form batch solver: the thorough path, compaction, components, payoffs.

Arrays of candidates are ``(C, n, m)`` (candidate, player, game) inside the kernels and ``(m, K, n)``
(game, slot, player) once compacted. No loop runs over games.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _formulas_2x2 as k2
from . import _formulas_2x2x2 as k3

Array = npt.NDArray[np.float64]

#: two verified candidates closer than this (max norm) are one equilibrium
DEDUP = 1e-7
#: interior points of a segment between two equilibria tested to decide whether it is a continuum
SEGMENT_T = np.arange(1, 8) / 8.0


def kernel(n: int) -> ModuleType:
    """The kernel module of 2-player (2x2) or 3-player (2x2x2) games."""
    return k2 if n == 2 else k3


def flat_entries(
    P: Array, ok: npt.NDArray[np.bool_], pure: Array
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Array, npt.NDArray[np.int64]]:
    """The valid candidates as a flat list: ``(games, slots, profiles (n, E), counts (m,))``.

    ``ok`` is ``(C, m)``; the first ``len(pure)`` candidates are the pure profiles ``pure (k, n)`` (the same in
    every game), the others are ``P (n, C - k, m)``. Slots number each game's valid candidates in candidate order.
    """
    C, m = ok.shape
    n, k = P.shape[0], pure.shape[0]
    csum = np.empty((C, m), dtype=np.int8)  # running count of valid candidates (C < 128)
    np.copyto(csum[0], ok[0])
    for c in range(1, C):
        np.add(csum[c - 1], ok[c], out=csum[c])
    flat = np.flatnonzero(ok)  # candidate-major: the pure candidates' entries come first
    games = flat % m
    slots = csum.ravel().take(flat).astype(np.intp)
    slots -= 1
    split = int(np.searchsorted(flat, k * m))
    cand = flat[:split] // m
    rest = flat[split:] - k * m
    prof = np.empty((n, flat.size))
    for i in range(n):
        np.take(pure[:, i], cand, out=prof[i, :split])
        np.take(P[i].ravel(), rest, out=prof[i, split:])
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


#: games per pass of the thorough path (bounds its memory: it has up to ~300 candidates per game)
THOROUGH_CHUNK = 1024


def thorough(
    u: Array, slack: Array
) -> tuple[Array, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Every candidate system, verified, de-duplicated, grouped into components.

    Returns ``P (m, K, n)``, ``counts (m,)``, ``component (m, K)`` and ``degenerate (m,)``.
    """
    m = u.shape[-1]
    parts = [_thorough(u[..., s : s + THOROUGH_CHUNK], slack[s : s + THOROUGH_CHUNK])
             for s in range(0, m, THOROUGH_CHUNK)]
    K = max(p[0].shape[1] for p in parts)
    P = np.concatenate([_pad(p[0], K, np.nan) for p in parts])
    component = np.concatenate([_pad(p[2], K, -1) for p in parts])
    return P, np.concatenate([p[1] for p in parts]), component, np.concatenate([p[3] for p in parts])


def _pad(a: npt.NDArray[Any], K: int, fill: float) -> npt.NDArray[Any]:
    width = [(0, 0)] * a.ndim
    width[1] = (0, K - a.shape[1])
    return np.pad(a, width, constant_values=fill) if a.shape[1] < K else a


def _thorough(
    u: Array, slack: Array
) -> tuple[Array, npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    n, m = u.shape[0], u.shape[-1]
    ker = kernel(n)
    coef = ker.snapped(u) if n == 3 else ker.coefficients(ker.differences(u))
    cand = ker.full_candidates(u, slack) if n == 3 else ker.full_candidates(u)  # (C, n, m)
    inside = (np.isfinite(cand) & (cand >= -1e-9) & (cand <= 1 + 1e-9)).all(axis=1)
    cand = np.clip(np.where(np.isfinite(cand), cand, 0.5), 0.0, 1.0)
    ok = inside & (ker.regret(coef, np.moveaxis(cand, 1, 0)) <= slack)
    cands, games = np.nonzero(ok)
    pts = cand[cands, :, games]  # (E, n)
    # de-duplicate: sort by game and rounded coordinates (earlier candidates -- pure ones first -- win ties),
    # then drop an entry equal (within DEDUP) to the one before it
    keys = np.rint(pts / DEDUP).astype(np.int64)
    order = np.lexsort((cands, *keys.T[::-1], games))
    games, pts, cands = games[order], pts[order], cands[order]
    dup = np.zeros(games.size, dtype=bool)
    dup[1:] = (games[1:] == games[:-1]) & (np.abs(pts[1:] - pts[:-1]).max(axis=1) <= DEDUP)
    keep = ~dup
    games, pts, cands = games[keep], pts[keep], cands[keep]
    # list each game's equilibria in candidate order (pure profiles first)
    order = np.lexsort((cands, games))
    games, pts = games[order], pts[order]
    counts = np.bincount(games, minlength=m).astype(np.int64)
    slots = np.arange(games.size) - (np.cumsum(counts) - counts)[games]
    K = int(counts.max(initial=0))
    P = np.full((m, K, n), np.nan)
    P[games, slots] = pts
    component, degenerate, seg = _components(u, coef, P, counts, slack)
    if n == 3:
        P, counts, component = drop_interior(P, counts, component, seg)
    return P, counts, component, degenerate


def drop_interior(P: Array, counts: npt.NDArray[np.int64], component: npt.NDArray[np.int64],
                  seg: npt.NDArray[np.bool_]) -> tuple[Array, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Drop every listed point strictly inside a segment of equilibria between two other listed points.

    ``seg (m, K, K)`` marks the pairs joined by a segment of equilibria. Such a point is not an extreme point of
    its continuum, and which of them the candidate systems produce depends on rounding (a point on a segment
    solves a system whose pivot is zero only up to rounding). The components are kept (they were grouped before
    the drop) and renumbered in order of their first remaining point.
    """
    m, K, n = P.shape
    g, e, f = np.nonzero(np.triu(seg, 1))
    if not g.size:
        return P, counts, component
    a, d = P[g, e], P[g, f] - P[g, e]  # (L, n)
    rel = P[g] - a[:, None, :]  # (L, K, n)
    t = np.einsum("lkn,ln->lk", rel, d) / np.einsum("ln,ln->l", d, d)[:, None]
    off = np.abs(rel - t[:, :, None] * d[:, None, :]).max(axis=2)
    inside = (t > 0) & (t < 1) & (off <= DEDUP) & (np.arange(K)[None, :] < counts[g][:, None])
    inside[np.arange(g.size), e] = inside[np.arange(g.size), f] = False
    drop = np.zeros((m, K), dtype=bool)
    gg, kk = np.nonzero(inside)
    drop[g[gg], kk] = True
    if not drop.any():
        return P, counts, component
    keep = (np.arange(K)[None, :] < counts[:, None]) & ~drop
    games, slots = np.nonzero(keep)
    counts = keep.sum(axis=1).astype(np.int64)
    K2 = int(counts.max(initial=0))
    new_slots = np.arange(games.size) - (np.cumsum(counts) - counts)[games]
    P2 = np.full((m, K2, n), np.nan)
    P2[games, new_slots] = P[games, slots]
    comp = np.full((m, K2), -1, dtype=np.int64)
    comp[games, new_slots] = component[games, slots]
    return P2, counts, _renumber(comp)


def _renumber(comp: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Component labels ``(m, K)`` (-1 padding) renumbered 0, 1, ... in order of each label's first slot."""
    m, K = comp.shape
    valid = comp >= 0
    first = (comp[:, :, None] == comp[:, None, :]) & valid[:, None, :]
    root = np.argmax(first, axis=2)  # first slot with the same label
    is_root = valid & (root == np.arange(K)[None, :])
    rank = np.cumsum(is_root, axis=1) - 1
    return np.where(valid, np.take_along_axis(rank, root, axis=1), -1).astype(np.int64)


def segment_of_equilibria(coef: Array, a: Array, b: Array, slack: Array) -> npt.NDArray[np.bool_]:
    """True where the segment from ``a`` to ``b`` (``(3, pairs)``, equilibria of 2x2x2 games ``coef (3, 4,
    pairs)``) consists of equilibria, decided exactly.

    Along the segment each gain :math:`D_i` is a quadratic in the position ``t``, known from its values at the ends
    and the midpoint. A player whose probability is 1 (0) on the whole segment needs :math:`D_i \\ge -slack`
    (:math:`\\le slack`) on ``[0, 1]``; any other player mixes inside the segment and needs :math:`|D_i| \\le
    slack` there. The extreme values are at the ends, the midpoint and the quadratic's vertex.
    """
    mid = 0.5 * (a + b)
    ok = np.ones(a.shape[1], dtype=bool)
    for i in range(3):
        D0, Dh, D1 = (k3.gain(coef, i, list(p)) for p in (a, mid, b))
        q2 = 2.0 * (D1 - 2.0 * Dh + D0)
        q1 = D1 - D0 - q2
        with np.errstate(all="ignore"):
            tv = -q1 / (2.0 * q2)
        v = np.where((tv > 0) & (tv < 1), D0 + tv * (q1 + q2 * tv), Dh)
        lo = np.minimum(np.minimum(D0, D1), np.minimum(Dh, v))
        hi = np.maximum(np.maximum(D0, D1), np.maximum(Dh, v))
        one = (a[i] >= 1 - 1e-9) & (b[i] >= 1 - 1e-9)
        zero = (a[i] <= 1e-9) & (b[i] <= 1e-9)
        ok &= np.where(one, lo >= -slack, np.where(zero, hi <= slack, np.maximum(-lo, hi) <= slack))
    return ok


def _pairs(counts: npt.NDArray[np.int64], K: int) -> tuple[npt.NDArray[np.intp], ...]:
    """Every pair ``e < f`` of listed equilibria of every game: ``(games, e, f)``."""
    e, f = np.triu_indices(K, 1)
    ok = f[None, :] < counts[:, None]
    g, k = np.nonzero(ok)
    return g, e[k], f[k]


def _components(
    u: Array, coef: Array, P: Array, counts: npt.NDArray[np.int64], slack: Array
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Group listed equilibria into continua: segments of equilibria between two listed points, and (2x2x2)
    fully mixed curves when a reduced quadratic vanishes identically. Returns ``component (m, K)``,
    ``degenerate (m,)`` and the segment links ``(m, K, K)``."""
    m, K, n = P.shape
    ker = kernel(n)
    valid = np.arange(K)[None, :] < counts[:, None]
    if K == 0:
        return np.full((m, 0), -1, dtype=np.int64), np.zeros(m, dtype=bool), np.zeros((m, 0, 0), dtype=bool)
    adj = np.zeros((m, K, K), dtype=bool)
    g, e, f = _pairs(counts, K)
    if g.size:
        a, b = P[g, e].T, P[g, f].T  # (n, pairs)
        if n == 3:
            linked = segment_of_equilibria(coef[..., g], a, b, slack[g])
        else:  # segment e-f consists of equilibria: regret checked at interior sample points
            t = SEGMENT_T[:, None]
            seg = np.stack([a[i] + t * (b[i] - a[i]) for i in range(n)])  # (n, T, pairs)
            reg = ker.regret(coef[..., g][:, :, None, :], seg)  # (T, pairs)
            linked = (reg <= slack[g]).all(axis=0)
        adj[g[linked], e[linked], f[linked]] = True
    seg = adj | np.swapaxes(adj, 1, 2)
    if n == 3:
        adj |= _curves(u, coef, P, counts, slack, g, e, f)
    degenerate = adj.any(axis=(1, 2))
    adj |= np.swapaxes(adj, 1, 2)
    adj |= np.eye(K, dtype=bool)[None] & valid[:, :, None]
    # transitive closure by repeated squaring
    reach = adj.astype(np.uint8)
    for _ in range(max(1, int(np.ceil(np.log2(max(K, 2)))))):
        reach = (np.matmul(reach, reach) > 0).astype(np.uint8)
    root = np.where(valid, np.argmax(reach, axis=2), -1)  # smallest index in the component
    is_root = valid & (root == np.arange(K)[None, :])
    rank = np.cumsum(is_root, axis=1) - 1
    component = np.where(valid, np.take_along_axis(rank, np.maximum(root, 0), axis=1), -1)
    return component.astype(np.int64), np.asarray(degenerate, dtype=bool), seg


def _curves(
    u: Array, coef: Array, P: Array, counts: npt.NDArray[np.int64], slack: Array,
    g: npt.NDArray[np.intp], e: npt.NDArray[np.intp], f: npt.NDArray[np.intp],
) -> npt.NDArray[np.bool_]:
    """Adjacency ``(m, K, K)`` along fully mixed equilibrium curves (where a reduced quadratic vanishes).

    A game with such a curve gets at least one link (its degenerate flag): when no two listed points lie on
    the curve, a listed point is linked to itself.
    """
    m, K, _ = P.shape
    adj = np.zeros((m, K, K), dtype=bool)
    norm = np.abs(coef).sum(axis=(0, 1)) ** 3 + 1e-300
    for main in range(3):
        (q0, q1, q2), sub = k3.quadratic(coef, main)
        cand = np.flatnonzero((np.abs(q0) + np.abs(q1) + np.abs(q2)) <= 1e-12 * norm)
        if not cand.size:
            continue
        ts = np.linspace(0.0, 1.0, 129)[:, None]
        pts = np.empty((3, ts.size, cand.size))
        pts[main] = ts
        for other, (num, den) in sub.items():
            pts[other] = -(num[0][cand] + num[1][cand] * ts) / (den[0][cand] + den[1][cand] * ts)
        inside = (np.isfinite(pts) & (pts >= -1e-9) & (pts <= 1 + 1e-9)).all(axis=0)  # (S, games)
        reg = k3.regret(coef[..., cand][:, :, None, :], np.clip(np.where(np.isfinite(pts), pts, 0.5), 0, 1))
        eq = inside & (reg <= slack[cand])
        has = eq.any(axis=0)
        cand, eq = cand[has], eq[:, has]
        if not cand.size:
            continue
        adj[cand, 0, 0] = True  # a curve of equilibria exists: the game is degenerate
        # listed points on the curve, and pairs joined by an arc of equilibrium samples
        where = np.full(m, -1)
        where[cand] = np.arange(cand.size)
        sel = where[g] >= 0
        gg, ee, ff = g[sel], e[sel], f[sel]
        if not gg.size:
            continue
        te, tf = P[gg, ee, main], P[gg, ff, main]
        lo, hi = np.minimum(te, tf), np.maximum(te, tf)
        between = (ts > lo[None, :]) & (ts < hi[None, :])  # (S, pairs)
        arc = (eq[:, where[gg]] | ~between).all(axis=0)
        linked = _on_curve(P, gg, ee, main, sub) & _on_curve(P, gg, ff, main, sub) & arc
        adj[gg[linked], ee[linked], ff[linked]] = True
    return adj


def _on_curve(P: Array, g: npt.NDArray[np.intp], idx: npt.NDArray[np.intp], main: int,
              sub: dict[int, Any]) -> npt.NDArray[np.bool_]:
    """True where the listed point ``P[g, idx]`` lies on the curve ``p_other = -N(t)/P(t)``, ``t = p_main``."""
    t = P[g, idx, main]
    ok = np.ones(g.size, dtype=bool)
    for other, (num, den) in sub.items():
        val = -(num[0][g] + num[1][g] * t) / (den[0][g] + den[1][g] * t)
        ok &= np.abs(val - P[g, idx, other]) <= 1e-6
    return ok
