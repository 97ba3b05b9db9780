r"""What a sweep will cost, estimated from its spec before any chunk is generated, and refused past the limits.

=====================  ==============================================================================
estimate               formula (constants in :mod:`gametheory.limits`, measured on the reference machine)
=====================  ==============================================================================
work (seconds)         per model, points x (:data:`~gametheory.limits.SWEEP_POINT_SECONDS` + the batch
                       solver's estimate for the model's game, :func:`gametheory.solvers.batch_game_seconds`,
                       + the costlier outputs: :func:`threshold_point_seconds`,
                       :data:`~gametheory.limits.LOGIT_POINT_SECONDS` on 2x2 and 2x2x2 games, else
                       :data:`~gametheory.limits.LOGIT_LARGE_POINT_SECONDS`), divided by the workers of the
                       ``processes`` backend; not checked on a Dask scheduler (its size is not known here: that
                       is the way to run what is too large for one machine)
memory of a chunk      chunk points x :data:`~gametheory.limits.SWEEP_CHUNK_POINT_BYTES`
memory of the table    points x :data:`~gametheory.limits.SWEEP_ROW_BYTES`, when the table is returned in
                       memory (:func:`gametheory.sweep` without ``out``)
=====================  ==============================================================================

The points themselves are bounded by the spec (:meth:`~gametheory.sweeps.spec.SweepSpec.from_dict`'s
``max_points``) from the axes' declared lengths.
"""

from __future__ import annotations

import math
import os
from typing import Any

from .. import limits
from ..solvers import batch_game_seconds, batch_path
from .extras import threshold_options
from .spec import SweepSpec

__all__ = ["sweep_seconds", "threshold_point_seconds", "check_cost"]


def sweep_seconds(spec: SweepSpec) -> float:
    """Estimated seconds of one core for the whole sweep: per model, its points x (the per-point overhead + the
    batch solver's estimate for the model's game shape, :func:`gametheory.solvers.batch_game_seconds`, + the
    costlier outputs' estimates: ``threshold``, :func:`threshold_point_seconds`; ``logit``,
    :data:`~gametheory.limits.LOGIT_POINT_SECONDS` on 2x2 and 2x2x2 games, else
    :data:`~gametheory.limits.LOGIT_LARGE_POINT_SECONDS`).

    Examples
    --------
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"deposit": {"linspace": [10, 1000, 1000]}}})
    >>> round(sweep_seconds(spec), 3)
    0.022
    >>> search = SweepSpec.from_dict({"model": "direct", "axes": {"deposit": {"linspace": [10, 1000, 1000]}},
    ...                               "outputs": ["equilibria", "threshold"], "threshold": {"method": "search"}})
    >>> round(sweep_seconds(search), 1)     # the exact set at every point: about 30 ms each
    30.3
    """
    from .. import models  # lazy: sympy

    total = 0.0
    for name in spec.models:
        model = models.get(name, variant=spec.variant)
        per_point = limits.SWEEP_POINT_SECONDS + batch_game_seconds(model.shape)
        if "logit" in spec.outputs:
            small = batch_path(tuple(model.shape)) == "closed_form"
            per_point += limits.LOGIT_POINT_SECONDS if small else limits.LOGIT_LARGE_POINT_SECONDS
        total += spec.points_per_model * per_point
        if "threshold" in spec.outputs:
            total += _threshold_points(spec) * threshold_point_seconds(model, spec.threshold)
    return total


def threshold_point_seconds(model: Any, options: dict[str, Any]) -> float:
    """Estimated seconds per point of the ``threshold`` output for ``model`` with the spec's ``[threshold]``
    ``options`` (defaults filled in by :func:`~gametheory.sweeps.extras.threshold_options`).

    ``auto`` and ``closed_form`` read the closed form (:data:`~gametheory.limits.THRESHOLD_FORMULA_SECONDS`) where
    it applies: a 2x2 or 2x2x2 game (the batch path ``closed_form``) and a criterion decided by the largest or
    smallest Nash rate (``Criterion.extreme``); ``closed_form`` leaves the other points unanswered. Otherwise (and
    always for ``search``) each point's exact set costs :data:`~gametheory.limits.THRESHOLD_SET_SECONDS` +
    :data:`~gametheory.limits.THRESHOLD_SET_GAMES` x the batch estimate of one game. The few points at which
    ``auto``'s closed-form answer is not confirmed (and computed by the exact set) are not counted.

    Examples
    --------
    >>> import gametheory as gt
    >>> direct = gt.models.get("direct")
    >>> threshold_point_seconds(direct, {"method": "auto"}), threshold_point_seconds(direct, {"method": "search"})
    (1e-05, 0.0303)
    >>> threshold_point_seconds(gt.models.get("direct", variant="extended"), {"method": "auto"})  # no closed form
    3.03
    """
    from .. import deterrence  # lazy: sympy

    opts = threshold_options(options)
    criterion = deterrence.CRITERIA.get(str(opts["criterion"]))
    formula = batch_path(tuple(model.shape)) == "closed_form" and criterion is not None \
        and criterion.extreme is not None
    if opts["method"] == "closed_form" or (opts["method"] == "auto" and formula):
        return limits.THRESHOLD_FORMULA_SECONDS
    return limits.THRESHOLD_SET_SECONDS + limits.THRESHOLD_SET_GAMES * batch_game_seconds(tuple(model.shape))


def _threshold_points(spec: SweepSpec) -> int:
    """The thresholds one model's grid computes: one per point, or one per chunk when the searched parameter is the
    only axis (the other parameters are then fixed: :func:`~gametheory.sweeps.extras.thresholds`)."""
    parameter = threshold_options(spec.threshold)["parameter"]
    if set(spec.axis_names) <= {parameter}:
        return math.ceil(spec.points_per_model / spec.chunk_size)
    return spec.points_per_model


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
