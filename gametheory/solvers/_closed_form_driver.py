"""The batch driver of the closed-form solver: chunks, fast and thorough paths, flat results, dense output.

Each chunk of games is transposed so that every payoff entry is one contiguous row, solved by the fast kernel
(:mod:`._closed_form_2x2`, :mod:`._closed_form_2x2x2`), its suspect games re-solved by the thorough path
(:mod:`._closed_form_common`), and every listed equilibrium's payoffs and regret computed from the gathered payoffs
(:func:`._closed_form_common.evaluate`); a candidate whose regret exceeds ``tol * scale`` is dropped. The outputs
are then written once, chunk by chunk, from dense blocks built in cache.
"""

from __future__ import annotations

import mmap
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _closed_form_common as common
from .batch_solution import BatchSolution

__all__ = ["solve_arrays", "CHUNK"]

#: games solved per vectorised pass (keeps the working set in cache)
CHUNK = 16384
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


def _recycle_temporaries() -> None:
    """Let the C allocator recycle the chunk temporaries instead of page-faulting them in anew.

    glibc serves blocks above a dynamic threshold (initially 128 KiB) with fresh ``mmap`` pages and trims the heap
    when its free top exceeds twice that; the first free of a large mapped block raises both thresholds. Freeing
    one 30 MiB block once per process therefore keeps the few-MiB temporaries of a chunk on the heap: measured
    here, this halves the time of the vectorised kernel (a page fault costs more than the arithmetic). Elsewhere
    it is a no-op.
    """
    global _RECYCLED
    if not _RECYCLED:
        block = np.empty(30 << 20, dtype=np.uint8)
        del block
        _RECYCLED = True


_RECYCLED = False


def solve_arrays(payoffs: npt.NDArray[np.float64], tol: float, shape: tuple[int, ...]) -> BatchSolution:
    """Solve every game of ``payoffs (N, n, 2, ...)``: the batch driver behind :func:`closed_form_batch`."""
    N, n = payoffs.shape[0], payoffs.shape[1]
    if N > CHUNK:
        _recycle_temporaries()
    parts = [_solve_chunk(payoffs[s : s + CHUNK], tol) for s in range(0, N, CHUNK)]
    counts = np.concatenate([p[6] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    degenerate = np.concatenate([p[7] for p in parts]) if parts else np.zeros(0, dtype=bool)
    K = int(counts.max(initial=0))
    # the outputs are written chunk by chunk: padding first, then the equilibria scattered into the chunk's rows
    profiles = _output((N, K, n, 2))
    pay = _output((N, K, n))
    reg = _output((N, K))
    component = _output((N, K), np.int64)
    for start, (games, slots, prof, u, r, comp, _, _) in zip(range(0, N, CHUNK), parts, strict=True):
        stop = min(start + CHUNK, N)
        idx = games * K + slots
        rows = profiles[start:stop].reshape(-1, n, 2)
        rows.fill(np.nan)
        vals = np.empty((idx.size, n, 2))
        vals[:, :, 0] = prof.T
        np.subtract(1.0, prof.T, out=vals[:, :, 1])
        rows[idx] = vals
        rows = pay[start:stop].reshape(-1, n)
        rows.fill(np.nan)
        rows[idx] = u.T
        rows = reg[start:stop].reshape(-1)
        rows.fill(np.nan)
        rows[idx] = r
        rows = component[start:stop].reshape(-1)
        rows.fill(-1)
        rows[idx] = comp
    return BatchSolution(profiles=profiles, payoffs=pay, regrets=reg, counts=counts, degenerate=degenerate,
                         component=component, shape=tuple(shape), method="closed_form", tol=tol)


def _solve_chunk(chunk: npt.NDArray[np.float64], tol: float) -> tuple[Any, ...]:
    """Solve ``m`` games ``(m, n, 2, ...)``; returns the flat list of equilibria ``(games, slots, profiles (n, E),
    payoffs (n, E), regrets (E,), component (E,))`` and per game ``counts`` and ``degenerate``."""
    m, n = chunk.shape[0], chunk.shape[1]
    uT = np.ascontiguousarray(chunk.reshape(m, -1).T)  # one contiguous row per payoff entry
    u = uT.reshape(chunk.shape[1:] + (m,))
    scale = np.maximum(np.maximum.reduce(uT, axis=0), -np.minimum.reduce(uT, axis=0))
    np.maximum(scale, 1.0, out=scale)
    slack = max(tol, TOL_FLOOR) * scale
    ker = common.kernel(n)
    degenerate = np.zeros(m, dtype=bool)
    with np.errstate(all="ignore"):
        P, ok, suspect = ker.fast_candidates(u, slack)
        games, slots, prof, counts = common.flat_entries(P, ok)
        comp = slots
        idx = np.flatnonzero(suspect)
        if idx.size:
            Ps, cs, comps, degs = common.thorough(u[..., idx], slack[idx])
            gs, ks = np.nonzero(np.arange(Ps.shape[1])[None, :] < cs[:, None])
            games = np.concatenate([games, idx[gs]])
            slots = np.concatenate([slots, ks])
            prof = np.concatenate([prof, Ps[gs, ks].T], axis=1)
            comp = np.concatenate([comp, comps[gs, ks]])
            counts[idx] = cs
            degenerate[idx] = degs
        U = np.take(uT, games, axis=1).reshape(chunk.shape[1:] + (games.size,))
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
