"""Batch results from compiled kernels' candidates: their payoffs and regrets, the certificate, the per-game
fallback within a time budget, and the padded :class:`~gametheory.solvers.batch_solution.BatchSolution`.

Shared by the kernels that list candidate equilibria per game (:mod:`.hub_spokes`, :mod:`.n_player.batch`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import numpy.typing as npt

from ..games.batch import GameBatch
from .batch_solution import BatchSolution
from .deadline import stop_at

__all__ = ["payoffs_and_regrets", "game_scale", "pack_candidates", "TOL_FLOOR", "FALLBACK_SECONDS",
           "FALLBACK_SECONDS_PER_GAME"]

FloatArray = npt.NDArray[np.float64]

#: smallest relative tolerance the kernels' candidates are held to
TOL_FLOOR = 1e-12
#: profiles certified at once (their payoff tensors, transposed, stay in cache: about 1.5 MB for 4-player 3x4x2x2)
CERTIFY_BLOCK = 1024
#: time budget of the per-game fallback of one batch (seconds, plus FALLBACK_SECONDS_PER_GAME per game): past
#: it, a game with a tie the kernel does not resolve keeps the kernel's certified equilibria, ``complete=False``
FALLBACK_SECONDS = 1.0
FALLBACK_SECONDS_PER_GAME = 2e-4


def game_scale(payoffs: FloatArray) -> FloatArray:
    """``max |u|`` per game (1 for an all-zero game): tolerances relative to each game's unit, as ``game.scale``."""
    scale: FloatArray = np.abs(payoffs).max(axis=tuple(range(1, payoffs.ndim)), initial=0.0)  # empty batches too
    scale[scale == 0] = 1.0
    return scale


def payoffs_and_regrets(U: FloatArray, profiles: FloatArray, shape: tuple[int, ...], games: Any = None
                        ) -> tuple[FloatArray, FloatArray]:
    r"""Expected payoffs ``(E, n)`` and regrets ``(E,)`` of profiles ``(E, n, max_s)`` in games ``U (E, n, ...)``
    -- or, with ``games`` (``E`` indices into ``U``), profile ``e`` in game ``U[games[e]]``.

    Player *i*'s payoff of each pure strategy against the others' mixtures is the payoff tensor contracted with
    them, one player's axis at a time, with the profiles on the last axis (long inner loops); the regret is
    :math:`\max_i (\max_s u_i(s, \sigma_{-i}) - u_i(\sigma))`. Blocks of :data:`CERTIFY_BLOCK` profiles (each
    profile's arithmetic is the same in any block).
    """
    E = profiles.shape[0]
    if E > CERTIFY_BLOCK:
        cuts = range(0, E, CERTIFY_BLOCK)
        blocks = [payoffs_and_regrets(U if games is not None else U[a : a + CERTIFY_BLOCK],
                                      profiles[a : a + CERTIFY_BLOCK], shape,
                                      None if games is None else games[a : a + CERTIFY_BLOCK]) for a in cuts]
        return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
    n = len(shape)
    cells = int(np.prod(shape))
    flat = U.reshape(U.shape[0], -1)
    # each profile's game, a row each (rows are gathered whole), then the games on the last axis: (n * cells, E)
    tensors = np.ascontiguousarray((flat if games is None else flat[games]).T)
    vecs = [np.ascontiguousarray(profiles[:, j, : shape[j]].T) for j in range(n)]  # (s_j, E)
    pay = np.empty((E, n))
    reg = np.zeros(E)
    for i in range(n):
        pure = tensors[i * cells : (i + 1) * cells].reshape(*shape, E)
        for j in range(n - 1, -1, -1):  # contract the others' axes, the last first
            if j != i:
                pure = (pure * vecs[j].reshape((shape[j],) + (1,) * (pure.ndim - 2 - j) + (E,))).sum(axis=j)
        pay[:, i] = (pure * vecs[i]).sum(axis=0)  # pure: (s_i, E)
        reg = np.maximum(reg, pure.max(axis=0) - pay[:, i])
    return pay, reg


def pack_candidates(parts: list[dict[str, Any]], batch: GameBatch, tol: float, method: str) -> BatchSolution:
    """Certify every kernel candidate by its regret, solve the fallback games per game (within the time budget),
    pad into arrays.

    ``parts`` are the kernel's chunks, each a dict of ``payoffs`` (the chunk's games), ``games``, ``profiles`` and
    ``components`` (lists of arrays: each candidate's game within the chunk, its profile ``(E, n, max_s)`` and
    component), and per game ``fallback`` (hand the game to :func:`~gametheory.solvers.solve_reference`), ``fits``
    (the kernel answered it at all) and ``degenerate``. A candidate whose regret exceeds ``tol * max |u|`` sends
    its game to the fallback too. The fallback runs within :data:`FALLBACK_SECONDS` plus
    :data:`FALLBACK_SECONDS_PER_GAME` per game; past it, a game the kernel answered keeps the kernel's certified
    candidates with ``complete=False``.
    """
    from . import solve_reference  # lazy: facade callback

    shape = batch.shape
    n_players = len(shape)
    fallback = np.concatenate([p["fallback"] for p in parts]) if parts else np.zeros(0, dtype=bool)
    fits = np.concatenate([p["fits"] for p in parts]) if parts else np.zeros(0, dtype=bool)
    degenerate = np.concatenate([p["degenerate"] for p in parts]) if parts else np.zeros(0, dtype=bool)
    complete = np.ones(len(batch), dtype=bool)
    start = 0
    games_all, prof_all, comp_all = [], [], []
    for p in parts:
        for g, pr, c in zip(p["games"], p["profiles"], p["components"], strict=True):
            games_all.append(g + start)
            prof_all.append(pr)
            comp_all.append(c)
        start += p["payoffs"].shape[0]
    games = np.concatenate(games_all) if games_all else np.zeros(0, dtype=np.intp)
    prof = np.concatenate(prof_all) if prof_all else np.zeros((0, n_players, max(shape)))
    comp = np.concatenate(comp_all) if comp_all else np.zeros(0, dtype=np.int64)
    payoffs = np.asarray(batch.payoffs, dtype=float)
    pay, reg = payoffs_and_regrets(payoffs, prof, shape, games) if games.size else (np.zeros((0, n_players)),
                                                                                       np.zeros(0))
    bad = ~(reg <= max(tol, TOL_FLOOR) * game_scale(payoffs)[games])
    if bad.any():  # a candidate that fails its certificate: re-solve that game per game
        fallback[np.unique(games[bad])] = True
    extra = []
    kernel_list = np.zeros(len(batch), dtype=bool)  # fallback games that keep the kernel's certified candidates
    deadline = time.monotonic() + FALLBACK_SECONDS + FALLBACK_SECONDS_PER_GAME * len(batch)
    for g in np.flatnonzero(fallback):
        if not fits[g]:  # nothing from the kernel: the reference path, whatever it takes
            eqs = solve_reference(batch[int(g)], tol)
        elif time.monotonic() > deadline:
            kernel_list[g] = True
            continue
        else:
            with stop_at(deadline):
                eqs = solve_reference(batch[int(g)], tol)
            if not eqs.complete and "time budget" in eqs.message:
                kernel_list[g] = True
                continue
        complete[g] = eqs.complete
        degenerate[g] = eqs.degenerate
        extra.append((int(g), eqs))
    complete[kernel_list] = False  # the kernel's list of a game with a tie it does not resolve: maybe partial
    keep = (~fallback[games] | kernel_list[games]) & ~bad
    games, prof, pay, reg, comp = games[keep], prof[keep], pay[keep], reg[keep], comp[keep]
    kernel_counts = np.bincount(games, minlength=len(batch)).astype(np.int64)
    counts = kernel_counts.copy()
    for g, eqs in extra:
        counts[g] = len(eqs)
    K = int(counts.max(initial=0))
    profiles = np.full((len(batch), K, n_players, max(shape)), np.nan)
    payoffs_out = np.full((len(batch), K, n_players), np.nan)
    regrets = np.full((len(batch), K), np.nan)
    component = np.full((len(batch), K), -1, dtype=np.int64)
    order = np.argsort(games, kind="stable")
    games, prof, pay, reg, comp = games[order], prof[order], pay[order], reg[order], comp[order]
    slots = np.arange(games.size) - (np.cumsum(kernel_counts) - kernel_counts)[games]
    profiles[games, slots] = prof
    payoffs_out[games, slots] = pay
    regrets[games, slots] = reg
    component[games, slots] = comp
    for g, eqs in extra:
        for e, eq in enumerate(eqs):
            for i, s in enumerate(shape):
                profiles[g, e, i, :s] = eq.profile[i]
            payoffs_out[g, e] = eq.payoffs
            regrets[g, e] = eq.regret
            component[g, e] = e if eq.component is None else eq.component
    return BatchSolution(profiles=profiles, payoffs=payoffs_out, regrets=regrets, counts=counts,
                         degenerate=degenerate, component=component, shape=tuple(shape), method=method,
                         tol=tol, complete=complete, fallback=fallback)
