"""How many threads this process's parallel loops may use (the hub-and-spokes and n-player kernels, the
replicator classification), and how a compiled kernel that releases the GIL runs on consecutive parts of a batch in
those threads: one policy for every loop that runs its parts in threads.

Examples
--------
>>> 1 <= worker_threads() <= MAX_THREADS
True
>>> in_parts(lambda a, b: list(range(a, b)), 10, min_items=4)[0][:2]
[0, 1]
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .errors import InvalidParameterError

__all__ = ["worker_threads", "in_parts", "VARIABLE", "MAX_THREADS", "PARTS_PER_THREAD"]

T = TypeVar("T")

#: environment variable that sets the threads (a positive integer; ``1`` for one-core measurements)
VARIABLE = "GAMETHEORY_THREADS"
#: at most this many threads where the variable is not set, however many cores
MAX_THREADS = 8
#: a batch is cut into up to this many parts a thread (a thread that finishes early takes the next part: a shared
#: machine's cores are not equally free)
PARTS_PER_THREAD = 4


def worker_threads() -> int:
    """``$GAMETHEORY_THREADS`` where set; otherwise the cores this process may use (at most :data:`MAX_THREADS`)
    in a top-level process, and 1 in a worker of a process pool (a sweep's ``processes`` or Dask workers), which
    already shares the cores with its siblings.

    Raises
    ------
    InvalidParameterError
        When the variable is set to anything but a positive integer.
    """
    value = os.environ.get(VARIABLE)
    if value is None:
        if multiprocessing.parent_process() is not None:
            return 1
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return min(cores, MAX_THREADS)
    if not value.strip().isdigit() or int(value) < 1:
        raise InvalidParameterError(f"The environment variable {VARIABLE} must be a positive integer "
                                    f"(threads of the parallel loops). Got {value!r} instead.")
    return int(value)


def in_parts(call: Callable[[int, int], T], n_items: int, *, min_items: int) -> list[T]:
    """``call(start, stop)`` on consecutive parts of ``range(n_items)`` of at least ``min_items`` items each, run
    by up to :func:`worker_threads` threads (``call`` must release the GIL to gain: a compiled ``nogil`` kernel);
    the results in the parts' order. One part (one call, this thread) when one thread or too few items.

    Examples
    --------
    >>> import numpy as np
    >>> parts = in_parts(lambda a, b: np.arange(a, b) ** 2, 1000, min_items=100)
    >>> bool((np.concatenate(parts) == np.arange(1000) ** 2).all())
    True
    """
    threads = worker_threads()
    parts = min(threads * PARTS_PER_THREAD, n_items // max(min_items, 1)) if threads > 1 else 1
    if parts <= 1:
        return [call(0, n_items)]
    cuts = [round(k * n_items / parts) for k in range(parts + 1)]
    with ThreadPoolExecutor(max_workers=min(threads, parts)) as pool:
        return list(pool.map(lambda k: call(cuts[k], cuts[k + 1]), range(parts)))
