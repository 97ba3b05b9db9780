"""Allocator tuning for the vectorised kernels that loop over chunks of a large batch."""

from __future__ import annotations

import numpy as np

__all__ = ["recycle_temporaries"]

_RECYCLED = False


def recycle_temporaries() -> None:
    """Let the C allocator recycle chunk temporaries instead of page-faulting them in anew (once per process).

    glibc serves blocks above a dynamic threshold (initially 128 KiB) with fresh ``mmap`` pages and trims the heap
    when its free top exceeds twice that; the first free of a large mapped block raises both thresholds. Freeing
    one 30 MiB block once per process therefore keeps the few-MiB temporaries of a chunk on the heap. Measured
    here, this halves the time of the 2x2x2 closed-form kernel and takes the deterrence closed form on 10^6 points
    from ~2.5 to ~2.0 s (a page fault costs more than the arithmetic on it). Elsewhere it is a no-op.

    Examples
    --------
    >>> recycle_temporaries()  # idempotent
    >>> recycle_temporaries()
    """
    global _RECYCLED
    if not _RECYCLED:
        block = np.empty(30 << 20, dtype=np.uint8)
        del block
        _RECYCLED = True
