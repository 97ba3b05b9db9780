"""Where chunks are evaluated: in this process, in local worker processes, or on a Dask cluster.

Every backend runs the same picklable task on the same chunks and hands each result back to the caller as soon
as it is finished (in completion order); the caller writes it to the store. Results are therefore identical
across backends, and only the caller touches the output folder, so Dask workers need no shared file system.
At most ``2 * workers`` chunks are in flight at once, which bounds memory by the chunk size.

The worker processes of the ``processes`` backend, and those of a Dask ``LocalCluster`` started here, end with
their parent, however it ends: each runs a watchdog thread (:func:`watch_parent`; on Dask through a worker plugin,
besides ``distributed``'s own check of its parent) that exits the worker within :data:`WATCH_INTERVAL` seconds of
the parent's death, even in the middle of a chunk (a ``SIGKILL`` gives the pool no chance to stop them itself).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from .grid import Chunk
from .watchdog import WATCH_INTERVAL, watch_parent

__all__ = ["BACKENDS", "run_tasks", "watch_parent", "WATCH_INTERVAL"]

BACKENDS = ("inprocess", "processes", "dask")

Task = Callable[[Chunk], pd.DataFrame]

#: environment of the workers of a LocalCluster started here (see docs/sweeps.md for a remote cluster)
WORKER_ENVIRON = {"MALLOC_TRIM_THRESHOLD_": str(2**30), "MALLOC_MMAP_THRESHOLD_": str(2**30), "OMP_NUM_THREADS": "1"}


def run_tasks(
    task: Task,
    chunks: Iterable[Chunk],
    *,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    """Evaluate ``task`` on every chunk; yield ``(chunk, frame)`` pairs as they finish.

    Parameters
    ----------
    task : callable
        ``task(chunk) -> DataFrame``; must be picklable for ``processes`` and ``dask``.
    chunks : iterable of Chunk
        The chunks to evaluate.
    backend : {"inprocess", "processes", "dask"}
        ``inprocess`` needs no service; ``processes`` uses :class:`concurrent.futures.ProcessPoolExecutor`;
        ``dask`` sends chunks to the ``dask.distributed`` scheduler at ``scheduler`` or, with no address, to a
        ``LocalCluster`` started (and closed) here.
    workers : int, optional
        Worker processes for ``processes`` and a local Dask cluster (default: CPU count, at most 8, and 2 for
        Dask).
    scheduler : str, optional
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"`` (``dask`` only).

    Yields
    ------
    tuple of (Chunk, pandas.DataFrame)

    Examples
    --------
    >>> from gametheory.sweeps.grid import Chunk
    >>> import pandas as pd
    >>> results = run_tasks(lambda c: pd.DataFrame({"i": range(c.start, c.stop)}), [Chunk(0, "m", 0, 3)])
    >>> [len(frame) for _, frame in results]
    [3]
    """
    if backend not in BACKENDS:
        raise unknown_name_error("backend", str(backend), BACKENDS)
    if scheduler is not None and backend != "dask":
        raise InvalidParameterError(
            f"The 'scheduler' parameter is for backend='dask' only. Got backend={backend!r} instead."
        )
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InvalidParameterError(f"The 'workers' parameter must be an int in [1, inf). Got {workers!r} instead.")
    if backend == "inprocess":
        return ((chunk, task(chunk)) for chunk in chunks)
    if backend == "processes":
        return _processes(task, chunks, workers or min(8, os.cpu_count() or 1))
    return _dask(task, chunks, workers or 2, scheduler)


def _processes(task: Task, chunks: Iterable[Chunk], workers: int) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    import concurrent.futures as cf

    with cf.ProcessPoolExecutor(max_workers=workers, initializer=watch_parent, initargs=(os.getpid(),)) as pool:
        pending: dict[cf.Future[pd.DataFrame], Chunk] = {}
        source = iter(chunks)
        try:
            for chunk in source:
                pending[pool.submit(task, chunk)] = chunk
                if len(pending) >= 2 * workers:
                    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for future in done:
                        yield pending.pop(future), future.result()
            for future in cf.as_completed(list(pending)):
                yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()


def _dask(
    task: Task, chunks: Iterable[Chunk], workers: int, scheduler: str | None
) -> Iterator[tuple[Chunk, pd.DataFrame]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InvalidParameterError(
            "backend='dask' needs dask.distributed: pip install 'gametheory[distributed]'."
        ) from exc
    cluster = None
    if scheduler is None:
        import dask

        # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which also freezes glibc's mmap threshold, so
        # every large numpy temporary is mmapped and page-faulted afresh (3-5x slower chunks); keep the
        # rest of Dask's worker environment.
        environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_ENVIRON}
        with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
            )
        client = Client(cluster)
        from ._dask_watch import ParentWatch  # lazy: distributed

        client.register_plugin(ParentWatch(os.getpid()), name="gametheory-watch-parent")
    else:
        try:
            client = Client(scheduler, timeout="5s")
        except OSError as exc:
            raise InvalidParameterError(f"Cannot reach the Dask scheduler at {scheduler!r}: {exc}.") from exc
    try:
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        source = iter(chunks)
        futures = {}
        queue = as_completed()
        for chunk in source:
            future = client.submit(task, chunk, pure=False, key=f"gametheory-{chunk.name}-{id(task)}")
            futures[future.key] = chunk
            queue.add(future)
            if queue.count() >= limit:
                finished = next(queue)
                yield futures.pop(finished.key), finished.result()
        for finished in queue:
            yield futures.pop(finished.key), finished.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
