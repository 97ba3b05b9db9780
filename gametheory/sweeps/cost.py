r"""What a sweep will cost, estimated from its spec before any chunk is generated, and refused past the limits.

=====================  ==============================================================================
estimate               formula (constants in :mod:`gametheory.limits`, measured on the reference machine)
=====================  ==============================================================================
work (seconds)         per model, points x (:data:`~gametheory.limits.SWEEP_POINT_SECONDS` + the batch
                       solver's estimate for the model's game, :func:`gametheory.solvers.batch_game_seconds`),
                       divided by the workers of the ``processes`` backend; not checked on a Dask scheduler
                       (its size is not known here: that is the way to run what is too large for one machine)
memory of a chunk      chunk points x :data:`~gametheory.limits.SWEEP_CHUNK_POINT_BYTES`
memory of the table    points x :data:`~gametheory.limits.SWEEP_ROW_BYTES`, when the table is returned in
                       memory (:func:`gametheory.sweep` without ``out``)
=====================  ==============================================================================

The points themselves are bounded by the spec (:meth:`~gametheory.sweeps.spec.SweepSpec.from_dict`'s
``max_points``) from the axes' declared lengths.
"""

from __future__ import annotations

import os

from .. import limits
from ..solvers import batch_game_seconds
from .spec import SweepSpec

__all__ = ["sweep_seconds", "check_cost"]


def sweep_seconds(spec: SweepSpec) -> float:
    """Estimated seconds of one core for the whole sweep: per model, its points x (the per-point overhead + the
    batch solver's estimate for the model's game shape, :func:`gametheory.solvers.batch_game_seconds`).

    Examples
    --------
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"deposit": {"linspace": [10, 1000, 1000]}}})
    >>> round(sweep_seconds(spec), 3)
    0.022
    """
    from .. import models  # lazy: sympy

    shapes = [models.get(name, variant=spec.variant).shape for name in spec.models]
    return sum(spec.points_per_model * (limits.SWEEP_POINT_SECONDS + batch_game_seconds(shape)) for shape in shapes)


def check_cost(spec: SweepSpec, *, in_memory: bool, backend: str, workers: int | None, scheduler: str | None,
               max_seconds: float | None, max_points: int | None = None) -> None:
    """Refuse the sweep up front when its points, estimated work or memory pass the limits.

    Examples
    --------
    >>> spec = SweepSpec.from_dict({"model": "direct", "variant": "extended",
    ...                             "axes": {"deposit": {"linspace": [10, 1000, 50000]}}})
    >>> check_cost(spec, in_memory=True, backend="inprocess", workers=None, scheduler=None,
    ...            max_seconds=None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: the sweep of 50,000 points (extended variant): the estimated work is 1,001 s, ...
    """
    what = f"the sweep of {spec.n_points:,} points ({spec.variant} variant)"
    limits.check_points(spec.n_points, what="the sweep", limit=max_points, remedy="Use fewer values per axis.")
    chunk = min(spec.chunk_size, spec.points_per_model)
    limits.check_memory(chunk * limits.SWEEP_CHUNK_POINT_BYTES, what=f"{what}, chunks of {chunk:,} points",
                        remedy="Use a smaller chunk_size.")
    if in_memory:
        limits.check_memory(spec.n_points * limits.SWEEP_ROW_BYTES, what=f"{what}, returned as one table",
                            remedy="Write it to a folder instead (out=, or `gametheory sweep --out`).")
    if backend == "dask" and scheduler is not None:
        return
    parallel = (workers or os.cpu_count() or 1) if backend != "inprocess" else 1
    remedy = "Run it on the Dask backend (backend='dask' with a scheduler, or --scheduler tcp://host:8786)"
    if spec.variant == "extended":
        remedy += ", or sweep the core variant (solved by formula, about 1000 times faster)"
    limits.check_seconds(sweep_seconds(spec) / parallel, what=what, remedy=remedy + ".", limit=max_seconds)
