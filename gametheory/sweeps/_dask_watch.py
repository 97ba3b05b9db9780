"""The worker plugin that ties the workers of a Dask ``LocalCluster`` started by a sweep to the sweep's process.

Kept apart from :mod:`~gametheory.sweeps.backends` so that importing the package never imports
``dask.distributed`` (only the ``dask`` backend needs it).
"""

from __future__ import annotations

import os

from distributed.diagnostics.plugin import WorkerPlugin

from .watchdog import watch_parent

__all__ = ["ParentWatch"]


class ParentWatch(WorkerPlugin):  # type: ignore[misc]
    """Start :func:`~gametheory.sweeps.watchdog.watch_parent` in each worker process of a local cluster.

    ``distributed`` ends a nanny's worker when the nanny's pipe closes; this watchdog does not depend on that:
    a worker whose sweep process is gone exits within a quarter of a second, even in the middle of a chunk.

    Parameters
    ----------
    parent : int
        The pid of the process that started the cluster.

    Examples
    --------
    >>> ParentWatch(os.getpid()).parent == os.getpid()
    True
    """

    def __init__(self, parent: int) -> None:
        self.parent = parent

    def setup(self, worker: object) -> None:
        """Called by Dask in each worker (and in each worker that joins later)."""
        if os.getpid() != self.parent:  # a cluster of threads lives in the parent: nothing to watch
            watch_parent(self.parent)
