"""A watchdog that ends a worker process as soon as the process that started it is gone.

Used by the ``processes`` backend (as the pool's initializer) and the ``dask`` backend (through the worker plugin
of :mod:`~gametheory.sweeps._dask_watch`), so that no worker outlives a sweep killed with SIGKILL.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["watch_parent", "WATCH_INTERVAL"]

#: seconds between two checks of the parent
WATCH_INTERVAL = 0.25


def watch_parent(parent: int, interval: float = WATCH_INTERVAL) -> None:
    """Start a daemon thread that ends this process as soon as process ``parent`` is gone.

    Gone means: this process was re-parented (the parent died; Linux hands orphans to init or a subreaper), or
    ``parent`` no longer exists or is a zombie. The worker exits with :func:`os._exit`, so a chunk in progress
    is dropped; the sweep's store never holds it (only the parent writes), and a resume computes it again.

    Parameters
    ----------
    parent : int
        The pid to outlive not.
    interval : float
        Seconds between two checks.

    Examples
    --------
    >>> import concurrent.futures as cf
    >>> with cf.ProcessPoolExecutor(1, initializer=watch_parent, initargs=(os.getpid(),)) as pool:
    ...     pool.submit(abs, -3).result()
    3
    """
    first_parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != first_parent or not _alive(parent):
                os._exit(70)  # EX_SOFTWARE: the parent is gone

    threading.Thread(target=watch, name="gametheory-watch-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc (not Linux): the signal said it exists
