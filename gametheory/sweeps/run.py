"""Run a sweep: chunks to a backend, each result to the store as it finishes, progress on the way.

:func:`sweep` is the one-call form (``gt.sweep``) and returns the whole table; :func:`run_sweep` writes to an
output folder and returns only a summary, so its memory is bounded by the chunk size, not the grid size (what
``gametheory sweep`` uses).
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._validation import InstanceOf, Interval, NoneOr, StrOptions, check_param, validate_params
from ..errors import InvalidParameterError
from .backends import BACKENDS, run_tasks
from .cost import check_cost
from .evaluate import column_units, evaluate_chunk
from .grid import Chunk, chunks
from .progress import Progress
from .spec import DEFAULT_CHUNK_SIZE, SweepSpec
from .store import SweepStore

__all__ = ["sweep", "run_sweep", "SweepRun", "PROGRESS_MODES"]

PROGRESS_MODES = ("auto", "bar", "log", "off")
_BACKEND = StrOptions(BACKENDS)
_WORKERS = NoneOr(Interval(int, 1, None))
_PATH = NoneOr(InstanceOf(str, Path, description="a str or a pathlib.Path"))
_MAX_POINTS = NoneOr(Interval(int, 1, None))
_MAX_SECONDS = NoneOr(Interval(float, 0, None, closed="neither"))


@dataclass(frozen=True)
class SweepRun:
    """What :func:`run_sweep` did.

    Attributes
    ----------
    out : Path
        The output folder.
    n_points, n_chunks : int
        Size of the whole sweep.
    computed, skipped : int
        Chunks evaluated in this run, and chunks a resumed run found finished.
    seconds : float
        Wall time of this run.
    backend : str
        Where the chunks ran.
    repaired : tuple of str
        Chunk files a resumed run found missing, altered or unrecorded, and recomputed (one line each).

    Examples
    --------
    >>> SweepRun(Path("out"), 10, 2, 1, 1, 0.5, "inprocess").points_per_second
    10.0
    """

    out: Path
    n_points: int
    n_chunks: int
    computed: int
    skipped: int
    seconds: float
    backend: str
    repaired: tuple[str, ...] = ()

    @property
    def points_per_second(self) -> float:
        """Throughput of this run (points evaluated in it, per second)."""
        return self.n_points * self.computed / max(self.n_chunks, 1) / self.seconds if self.seconds > 0 else 0.0

    def __repr__(self) -> str:
        return (f"SweepRun(out={str(self.out)!r}, n_points={self.n_points}, n_chunks={self.n_chunks}, "
                f"computed={self.computed}, skipped={self.skipped}, seconds={self.seconds:.2f}, "
                f"backend={self.backend!r}, repaired={len(self.repaired)})")


@validate_params(
    {
        "model": None,
        "grid": None,
        "fixed": None,
        "outputs": None,
        "seed": Interval(int, 0, None),
        "chunk_size": Interval(int, 1, None),
        "backend": _BACKEND,
        "workers": _WORKERS,
        "scheduler": NoneOr(InstanceOf(str, description="a str")),
        "out": _PATH,
        "resume": InstanceOf(bool, description="a bool"),
        "overwrite": InstanceOf(bool, description="a bool"),
        "progress": None,
        "title": InstanceOf(str, description="a str"),
        "threshold": None,
        "variant": StrOptions({"core", "extended"}),
        "max_points": _MAX_POINTS,
        "max_seconds": _MAX_SECONDS,
    }
)
def sweep(
    model: Any,
    grid: Mapping[str, Any] | None = None,
    *,
    fixed: Mapping[str, Any] | None = None,
    outputs: Sequence[str] | None = None,
    seed: int = 0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: str | bool = "auto",
    title: str = "",
    threshold: Mapping[str, Any] | None = None,
    variant: str = "core",
    max_points: int | None = None,
    max_seconds: float | None = None,
) -> pd.DataFrame:
    """Evaluate payment models over a grid of parameter values.

    Parameters
    ----------
    model : str, model, list of those, or SweepSpec
        Payment model name(s) (``"direct"``), model instances (their non-default parameters become fixed) or a
        whole :class:`~gametheory.sweeps.spec.SweepSpec` (then ``grid``, ``fixed``, ``outputs``, ``seed``,
        ``chunk_size`` and ``title`` come from it).
    grid : dict, optional
        Axis name -> values: a list or array, or ``{"linspace": [a, b, n]}``, ``{"logspace": [a, b, n]}``
        (powers of ten), ``{"uniform": [a, b, n]}``, ``{"loguniform": [a, b, n]}`` (random, from ``seed``).
    fixed : dict, optional
        Parameters held fixed.
    outputs : list of str, optional
        Among ``equilibria, counterfeit, welfare, metrics, per_equilibrium, threshold, stable_states, repeated,
        logit`` (default the first three).
    seed : int
        Seed of random axes.
    chunk_size : int
        Points per chunk (the unit of work, of storage and of resumption).
    backend : {"inprocess", "processes", "dask"}
        Where chunks run; ``dask`` uses ``scheduler`` or starts a ``LocalCluster``.
    workers : int, optional
        Worker processes (``processes``; a local Dask cluster).
    scheduler : str, optional
        A running ``dask.distributed`` scheduler, e.g. ``"tcp://host:8786"``.
    out : str or Path, optional
        Output folder: each chunk is written there as Parquet as soon as it is finished.
    resume : bool
        Finish the sweep in ``out`` (the spec must match): every chunk there is checked against the manifest
        and only the missing or failing ones are computed (a warning names each failing file). Not with
        ``overwrite``.
    overwrite : bool
        Replace a sweep already in ``out``. One process at a time writes a folder: a second one is refused
        (:class:`~gametheory.errors.SweepStoreError`).
    progress : {"auto", "bar", "log", "off"} or bool
        A bar on a terminal, log lines otherwise (``auto``); ``False`` is ``"off"``.
    title : str
        Title for reports.
    threshold : dict, optional
        Options of the ``threshold`` output: ``parameter`` (default ``penalty_multiplier``), ``target_rate``
        (0), ``criterion`` (``all_equilibria``), ``upper`` (search bound), ``method`` (``auto``,
        ``closed_form`` or ``search``).
    variant : {"core", "extended"}
        The models' variant (model instances bring their own; the extended games are solved game by game).
    max_points, max_seconds : optional
        Raise the limits on the grid's points and the estimated work (:mod:`gametheory.sweeps.cost`; defaults
        :data:`gametheory.limits.MAX_POINTS` and :data:`~gametheory.limits.MAX_SECONDS`). Past them the sweep
        is refused before anything is generated.

    Returns
    -------
    pandas.DataFrame
        One row per point and model, in grid order: ``model``, ``point``, a column per parameter and the output
        columns (:mod:`gametheory.sweeps.evaluate`); ``attrs["units"]`` maps columns to units and
        ``attrs["spec"]`` holds the spec.

    Examples
    --------
    >>> import gametheory as gt
    >>> df = gt.sweep("direct", grid={"penalty_multiplier": {"linspace": [0, 4, 3]}}, progress=False)
    >>> df[["penalty_multiplier", "n_equilibria"]].shape, df.attrs["units"]["penalty_multiplier"]
    ((3, 2), 'multiple')
    """
    spec = _spec(model, grid, fixed=fixed, outputs=outputs, seed=seed, chunk_size=chunk_size, title=title,
                 threshold=threshold, variant=variant, max_points=max_points)
    check_cost(spec, in_memory=out is None, backend=backend, workers=workers, scheduler=scheduler,
               max_seconds=max_seconds, max_points=max_points)
    mode = _progress_mode(progress)
    if out is None:
        if resume:
            raise InvalidParameterError("The 'resume' parameter of sweep needs an output folder ('out').")
        frames: dict[int, pd.DataFrame] = {}
        _execute(spec, None, resume=False, overwrite=False, backend=backend, workers=workers,
                 scheduler=scheduler, progress=mode, sink=frames.__setitem__)
        parts = [frames[i] for i in sorted(frames)]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        frame.attrs = {"spec": spec.to_dict(), "units": column_units(spec, frame.columns)}
        return frame
    store = SweepStore(out)
    run = _execute(spec, store, resume=resume, overwrite=overwrite, backend=backend, workers=workers,
                   scheduler=scheduler, progress=mode)
    for line in run.repaired:
        warnings.warn(f"sweep: {line}", stacklevel=2)
    return store.read()


@validate_params(
    {
        "spec": None,
        "out": None,
        "resume": InstanceOf(bool, description="a bool"),
        "overwrite": InstanceOf(bool, description="a bool"),
        "backend": _BACKEND,
        "workers": _WORKERS,
        "scheduler": NoneOr(InstanceOf(str, description="a str")),
        "progress": None,
        "max_points": _MAX_POINTS,
        "max_seconds": _MAX_SECONDS,
    }
)
def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: str | bool = "auto",
    max_points: int | None = None,
    max_seconds: float | None = None,
) -> SweepRun:
    """Run a sweep into an output folder without holding its table in memory.

    Parameters are those of :func:`sweep` (the spec's size is checked again against ``max_points``, its
    estimated work against ``max_seconds``). Read the table back with :func:`gametheory.sweeps.load`.

    Returns
    -------
    SweepRun

    Examples
    --------
    >>> import tempfile
    >>> from gametheory.sweeps import SweepSpec, run_sweep
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"deposit": [100, 1000]}})
    >>> run = run_sweep(spec, tempfile.mkdtemp(), progress=False)
    >>> run.n_points, run.computed
    (2, 1)
    """
    check_param("run_sweep", "spec", spec, InstanceOf(SweepSpec))
    check_param("run_sweep", "out", out, InstanceOf(str, Path, description="a str or a pathlib.Path"))
    check_cost(spec, in_memory=False, backend=backend, workers=workers, scheduler=scheduler,
               max_seconds=max_seconds, max_points=max_points)
    store = SweepStore(out)
    return _execute(spec, store, resume=resume, overwrite=overwrite, backend=backend, workers=workers,
                    scheduler=scheduler, progress=_progress_mode(progress))


def _execute(
    spec: SweepSpec,
    store: SweepStore | None,
    *,
    resume: bool,
    overwrite: bool,
    backend: str,
    workers: int | None,
    scheduler: str | None,
    progress: str,
    task: Callable[[Chunk], pd.DataFrame] | None = None,
    sink: Callable[[int, pd.DataFrame], Any] | None = None,
) -> SweepRun:
    """The loop shared by :func:`sweep` and :func:`run_sweep` (``task`` replaces the evaluation in tests)."""
    started = time.perf_counter()
    plan = chunks(spec)
    done: set[int] = set()
    if store is not None:
        extra = {"n_points": spec.n_points, "points_per_model": spec.points_per_model, "n_chunks": plan.count,
                 "units": column_units(spec) if task is None else {}, "backend": backend}
        done = store.start(spec, resume=resume, overwrite=overwrite, extra=extra)
    elif resume and overwrite:
        raise InvalidParameterError("Give at most one of 'resume' (--resume) and 'overwrite' (--overwrite).")
    todo = (c for c in plan if c.index not in done)  # generated as the backend asks: nothing listed up front
    computed = 0
    try:
        meter = Progress(spec.n_points, done=sum(plan[i].size for i in done), mode=progress)
        work = task or functools.partial(evaluate_chunk, spec)
        try:
            for chunk, frame in run_tasks(work, todo, backend=backend, workers=workers, scheduler=scheduler):
                if store is not None:
                    store.write_chunk(chunk, frame)
                if sink is not None:
                    sink(chunk.index, frame)
                computed += 1
                meter.update(chunk.size)
        finally:
            meter.close()
        seconds = time.perf_counter() - started
        if store is not None:
            store.finish(seconds=round(seconds, 3))
    finally:
        if store is not None:
            store.close()
    return SweepRun(Path(store.path) if store else Path("."), spec.n_points, plan.count, computed, len(done),
                    seconds, backend, tuple(store.repaired) if store else ())


def _progress_mode(progress: Any) -> str:
    if progress is True:
        return "auto"
    if progress is False:
        return "off"
    if progress not in PROGRESS_MODES:
        raise InvalidParameterError(
            f"The 'progress' parameter must be a bool or a str among {set(PROGRESS_MODES)}. Got {progress!r} instead."
        )
    return str(progress)


def _spec(model: Any, grid: Any, *, fixed: Any, outputs: Any, seed: int, chunk_size: int, title: str,
          threshold: Any = None, variant: str = "core", max_points: int | None = None) -> SweepSpec:
    if isinstance(model, SweepSpec):
        if grid is not None or fixed is not None or outputs is not None or threshold is not None:
            raise InvalidParameterError("Give either a SweepSpec or grid/fixed/outputs/threshold to sweep, not both.")
        return model
    items = list(model) if isinstance(model, (list, tuple)) else [model]
    names: list[str] = []
    merged: dict[str, Any] = {}
    for item in items:
        if isinstance(item, str):
            names.append(item)
            continue
        if not hasattr(item, "params") or not hasattr(item, "name"):
            raise InvalidParameterError(
                "The 'model' parameter of sweep must be a model name, a model, a list of those or a SweepSpec. "
                f"Got {type(item).__name__} instead."
            )
        from .. import models  # lazy: sympy

        names.append(item.name)
        if item.variant != "core":
            variant = item.variant
        defaults = models.get(item.name, variant=item.variant).params
        for key, value in item.params.items():
            if value != defaults.get(key):
                if key in merged and merged[key] != value:
                    raise InvalidParameterError(f"The models to sweep disagree on {key!r}: pass it in 'fixed'.")
                merged[key] = value
    merged = {k: v for k, v in merged.items() if k not in (grid or {})}
    merged.update(dict(fixed or {}))
    data: dict[str, Any] = {"models": names, "fixed": merged, "axes": dict(grid or {}), "seed": seed,
                            "chunk_size": chunk_size, "title": title, "variant": variant}
    if outputs is not None:
        data["outputs"] = list(outputs)
    if threshold is not None:
        data["threshold"] = dict(threshold)
    return SweepSpec.from_dict(data, source="sweep", max_points=max_points)
