"""The batch driver of the closed-form solver: fast path, thorough path, dense output.

2x2 games take the compiled kernel (:mod:`._kernel_2x2`): one pass solves every game, tied ones included (the
thorough rule, compiled), a second writes the padded outputs directly; batches of
fewer than :data:`KERNEL_MIN` games take the thorough path (:mod:`._thorough`) whole, without loading numba.
2x2x2 batches of :data:`KERNEL_MIN` games or more take the compiled kernel (:mod:`._kernel_2x2x2`): generic
games by formula and tied ones by the thorough systems, both in the kernel; one pass counts (and solves the tied
games into a flat buffer), a second writes the padded outputs. Smaller 2x2x2 batches take the vectorised numpy
path: each chunk of games is transposed so that every payoff entry is one contiguous row, solved by
:mod:`._formulas_2x2x2`, and every listed equilibrium's payoffs and regret computed from the gathered payoffs
(:func:`._thorough.evaluate`); the suspect games are re-solved by the thorough path (:mod:`._thorough`). Either way
a candidate whose regret exceeds ``tol * scale`` is dropped.
"""

from __future__ import annotations

import mmap
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._memory import recycle_temporaries
from ..batch_solution import BatchSolution
from . import _thorough as common

__all__ = ["solve_arrays", "CHUNK"]

#: games solved per vectorised pass (keeps the working set in cache)
CHUNK = 16384
#: 2x2 and 2x2x2 batches from this many games take the compiled kernels; smaller ones (a single ``gt.solve``, a
#: one-game command-line query) the numpy path, which answers the same and does not pay numba's import and first
#: call (0.3-1.2 s once per process)
KERNEL_MIN = 64
#: smallest relative tolerance used (float64 rounding of the formulas); ``tol=0`` means "as exact as floats allow"
TOL_FLOOR = 1e-12


def _output(shape: tuple[int, ...], dtype: Any = np.float64) -> npt.NDArray[Any]:
    """An uninitialised output array (the caller writes every byte).

    Large outputs (a million 2x2x2 games give ~0.8 GB) are backed by an anonymous ``mmap`` with ``MAP_POPULATE``
    where the platform has it (Linux): the kernel maps and zeroes all pages in one call instead of taking a page
    fault on each first write, and no transparent-huge-page compaction stalls the writes. Measured here, this takes
    the end-to-end time of ``solve_batch`` on 10^6 2x2x2 games from ~1.6-2.1 to ~0.9 microseconds per game. The
    result is an ordinary writable ndarray (its ``base`` is the mapping, released with the array).
    """
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    populate = getattr(mmap, "MAP_POPULATE", 0)
    if size >= 1 << 24 and populate and hasattr(mmap, "MAP_ANONYMOUS"):
        try:
            buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
        except OSError:  # pragma: no cover - e.g. a memory limit on mappings
            return np.empty(shape, dtype=dtype)
        return np.frombuffer(buf, dtype=dtype).reshape(shape)
    return np.empty(shape, dtype=dtype)


def solve_arrays(payoffs: npt.NDArray[np.float64], tol: float, shape: tuple[int, ...], *,
                 reference: bool = False) -> BatchSolution:
    """Solve every game of ``payoffs (N, n, 2, ...)``: the batch driver behind :func:`closed_form_batch`.

    2x2 games are solved whole by the compiled kernel (:func:`_solve_2x2`, ties included); batches of fewer than
    :data:`KERNEL_MIN` games, and ``reference``, go to the thorough path instead, which gives the same answers
    without loading numba.
    2x2x2 batches of :data:`KERNEL_MIN` games or more take the compiled kernel (:func:`_compiled_2x2x2`) unless
    ``reference`` is True; smaller ones, and ``reference``, the vectorised numpy path below, the reference the
    kernel is tested against.
    Pass 1 runs the fast path (:func:`_fast_chunks`): counts and suspect games; the suspect
    games are then re-solved together by the thorough path (one call, so its fixed cost is paid once); finally the
    fast path writes its games into the outputs, and the thorough path's equilibria are scattered over theirs.

    Examples
    --------
    >>> import numpy as np
    >>> bos = np.array([[[[3, 1], [0, 2]], [[2, 1], [0, 3]]]], dtype=float)
    >>> solve_arrays(bos, 1e-9, (2, 2)).counts.tolist()
    [3]
    """
    N, n = payoffs.shape[0], payoffs.shape[1]
    if n == 2 and N >= KERNEL_MIN and not reference:
        return _solve_2x2(payoffs, tol, shape)
    if n == 3 and not reference and N >= KERNEL_MIN:
        return _compiled_2x2x2(payoffs, tol, shape)
    counts, suspect, fill = (_small_2x2 if n == 2 else _fast_chunks)(payoffs, tol)
    degenerate = np.zeros(N, dtype=bool)
    extra = None
    if suspect.size:
        extra = _solve_suspects(payoffs[suspect], tol)
        counts[suspect] = extra[6]
        degenerate[suspect] = extra[7]
    K = int(counts.max(initial=0))
    outputs = fill(K)
    if extra is not None:
        games, *rest = extra[:6]
        _write(outputs, K, False, suspect[games], *rest)
    profiles, pay, reg, component = outputs
    return BatchSolution(profiles=profiles, payoffs=pay, regrets=reg, counts=counts, degenerate=degenerate,
                         component=component, shape=tuple(shape), method="closed_form", tol=tol)


Fill = Callable[[int], tuple[npt.NDArray[Any], ...]]


def _compiled_2x2x2(payoffs: npt.NDArray[np.float64], tol: float, shape: tuple[int, ...]) -> BatchSolution:
    """2x2x2 games by the compiled kernel (:mod:`._kernel_2x2x2`): generic games by formula, tied ones by the
    thorough systems, both in the kernel; one pass counts, a second writes the padded outputs."""
    from . import _kernel_2x2x2 as kernel  # lazy: numba kernel

    u = np.ascontiguousarray(payoffs, dtype=np.float64)
    N = u.shape[0]
    counts, flags, found = kernel.count(u, max(tol, TOL_FLOOR))
    degenerate = np.zeros(N, dtype=bool)
    degenerate[flags == kernel.SUSPECT] = found[3]
    K = int(counts.max(initial=0))
    outputs = (_output((N, K, 3, 2)), _output((N, K, 3)), _output((N, K)), _output((N, K), np.int64))
    kernel.fill(u, flags, found, outputs)
    profiles, pay, reg, component = outputs
    return BatchSolution(profiles=profiles, payoffs=pay, regrets=reg, counts=counts, degenerate=degenerate,
                         component=component, shape=tuple(shape), method="closed_form", tol=tol)


def _small_2x2(payoffs: npt.NDArray[np.float64], tol: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp],
                                                                    Fill]:
    """Small 2x2 batches: every game is handed to the thorough path (``suspect``); the writer only pads."""
    N = payoffs.shape[0]

    def fill(K: int) -> tuple[npt.NDArray[Any], ...]:
        return (np.full((N, K, 2, 2), np.nan), np.full((N, K, 2), np.nan), np.full((N, K), np.nan),
                np.full((N, K), -1, dtype=np.int64))

    return np.zeros(N, dtype=np.int64), np.arange(N), fill


def _solve_2x2(payoffs: npt.NDArray[np.float64], tol: float, shape: tuple[int, ...]) -> BatchSolution:
    """2x2 games, tied or not, by the compiled kernel (:mod:`._kernel_2x2`): one pass solves every game, a
    second writes the outputs."""
    # importing numba costs ~0.25 s: only the first 2x2 solve of a process pays it, not ``import gametheory``
    from . import _kernel_2x2 as kernel  # lazy: numba kernel

    u = np.ascontiguousarray(payoffs)
    counts, codes, degenerate = kernel.count(u, max(tol, TOL_FLOOR))
    N, K = u.shape[0], int(counts.max(initial=0))
    outputs = (np.empty((N, K, 2, 2)), np.empty((N, K, 2)), np.empty((N, K)), np.empty((N, K), dtype=np.int64))
    kernel.fill(u, codes, outputs)
    profiles, pay, reg, component = outputs
    return BatchSolution(profiles=profiles, payoffs=pay, regrets=reg, counts=counts, degenerate=degenerate,
                         component=component, shape=tuple(shape), method="closed_form", tol=tol)


def _fast_chunks(payoffs: npt.NDArray[np.float64], tol: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp],
                                                                         Fill]:
    """Fast path of 2x2x2 games (vectorised, chunk by chunk): ``counts``, the suspect games, and the writer of the
    outputs given ``K`` (padding first, then each chunk's equilibria scattered into its rows)."""
    N, n = payoffs.shape[0], payoffs.shape[1]
    if N > CHUNK:
        recycle_temporaries()
    parts = [_solve_chunk(payoffs[s : s + CHUNK], tol) for s in range(0, N, CHUNK)]
    counts = np.concatenate([p[6] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    suspect = np.flatnonzero(np.concatenate([p[7] for p in parts])) if parts else np.zeros(0, dtype=np.intp)

    def fill(K: int) -> tuple[npt.NDArray[Any], ...]:
        outputs = (_output((N, K, n, 2)), _output((N, K, n)), _output((N, K)), _output((N, K), np.int64))
        for start, part in zip(range(0, N, CHUNK), parts, strict=True):
            stop = min(start + CHUNK, N)
            _write(tuple(out[start:stop] for out in outputs), K, True, *part[:6])
        return outputs

    return counts, suspect, fill


def _write(views: tuple[npt.NDArray[Any], ...], K: int, pad: bool, games: npt.NDArray[np.intp],
           slots: npt.NDArray[np.intp], prof: npt.NDArray[np.float64], u: npt.NDArray[np.float64],
           r: npt.NDArray[np.float64], comp: npt.NDArray[np.int64]) -> None:
    """Scatter flat equilibria into the output arrays (first filling them with padding when ``pad``)."""
    n = prof.shape[0]
    idx = games * K + slots
    rows = views[0].reshape(-1, n, 2)
    vals = np.empty((idx.size, n, 2))
    vals[:, :, 0] = prof.T
    np.subtract(1.0, prof.T, out=vals[:, :, 1])
    targets = ((rows, vals), (views[1].reshape(-1, n), u.T), (views[2].reshape(-1), r), (views[3].reshape(-1), comp))
    for (out, values), fill in zip(targets, (np.nan, np.nan, np.nan, -1), strict=True):
        if pad:
            out.fill(fill)
        out[idx] = values


def _scale(u: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``max |u|`` per game of ``u (entries, m)`` (1 for an all-zero game): tolerances relative to each game's unit."""
    scale: npt.NDArray[np.float64] = np.maximum(np.maximum.reduce(u, axis=0), -np.minimum.reduce(u, axis=0))
    scale[scale == 0] = 1.0
    return scale


def _solve_chunk(chunk: npt.NDArray[np.float64], tol: float) -> tuple[Any, ...]:
    """Vectorised fast path on ``m`` 2x2x2 games ``(m, 3, 2, 2, 2)``: the flat list of equilibria ``(games, slots,
    profiles (n, E), payoffs (n, E), regrets (E,), component (E,))`` and per game ``counts`` and ``suspect``
    (re-solved later)."""
    m = chunk.shape[0]
    uT = np.ascontiguousarray(chunk.reshape(m, -1).T)  # one contiguous row per payoff entry
    u = uT.reshape(chunk.shape[1:] + (m,))
    slack = max(tol, TOL_FLOOR) * _scale(uT)
    ker = common.kernel(chunk.shape[1])
    with np.errstate(all="ignore"):
        P, ok, suspect = ker.fast_candidates(u, slack)
        games, slots, prof, counts = common.flat_entries(P, ok, ker.PURE)
    certified = _certify(uT, u.shape[:-1], slack, games, slots, prof, slots, counts, np.zeros(m, dtype=bool))
    return (*certified[:7], suspect)


def _solve_suspects(games_payoffs: npt.NDArray[np.float64], tol: float) -> tuple[Any, ...]:
    """Thorough path on the suspect games ``(s, n, 2, ...)``; same flat output, then ``counts`` and
    ``degenerate``."""
    s = games_payoffs.shape[0]
    uT = np.ascontiguousarray(games_payoffs.reshape(s, -1).T)
    u = uT.reshape(games_payoffs.shape[1:] + (s,))
    slack = max(tol, TOL_FLOOR) * _scale(uT)
    with np.errstate(all="ignore"):
        Ps, counts, comps, degenerate = common.thorough(u, slack)
    gs, ks = np.nonzero(np.arange(Ps.shape[1])[None, :] < counts[:, None])
    return _certify(uT, u.shape[:-1], slack, gs, ks, Ps[gs, ks].T, comps[gs, ks], counts, degenerate)


def _certify(uT: npt.NDArray[np.float64], shape: tuple[int, ...], slack: npt.NDArray[np.float64],
             games: npt.NDArray[np.intp], slots: npt.NDArray[np.intp], prof: npt.NDArray[np.float64],
             comp: npt.NDArray[Any], counts: npt.NDArray[np.int64],
             degenerate: npt.NDArray[np.bool_]) -> tuple[Any, ...]:
    """Payoffs and regret of every listed equilibrium; one whose regret exceeds ``slack`` is dropped."""
    m = uT.shape[1]
    with np.errstate(all="ignore"):
        U = np.take(uT, games, axis=1).reshape(shape + (games.size,))
        pay, reg = common.evaluate(U, prof)
    bad = ~(reg <= slack[games])
    if bad.any():  # a candidate that fails its regret check is dropped (numerically ill-conditioned games)
        keep = ~bad
        games, slots, prof, pay = games[keep], slots[keep], prof[:, keep], pay[:, keep]
        reg, comp = reg[keep], comp[keep]
        order = np.lexsort((slots, games))
        games, prof, pay, reg, comp = games[order], prof[:, order], pay[:, order], reg[order], comp[order]
        counts = np.bincount(games, minlength=m).astype(np.int64)
        slots = np.arange(games.size) - (np.cumsum(counts) - counts)[games]
        comp = np.where(degenerate[games], comp, slots)
    return games, slots, prof, pay, reg, comp.astype(np.int64), counts.astype(np.int64), degenerate
