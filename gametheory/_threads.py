"""How many threads this process's parallel loops may use (the hub-and-spokes kernel, the replicator
classification): one policy for every loop that runs its parts in threads.

Examples
--------
>>> 1 <= worker_threads() <= MAX_THREADS
True
"""

from __future__ import annotations

import multiprocessing
import os

from .errors import InvalidParameterError

__all__ = ["worker_threads", "VARIABLE", "MAX_THREADS"]

#: environment variable that sets the threads (a positive integer; ``1`` for one-core measurements)
VARIABLE = "GAMETHEORY_THREADS"
#: at most this many threads where the variable is not set, however many cores
MAX_THREADS = 8


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
