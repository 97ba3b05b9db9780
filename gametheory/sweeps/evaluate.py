r"""Evaluate one chunk of a sweep: its points as one :class:`~gametheory.GameBatch`, solved at once.

For a chunk of ``N`` points of one model, :meth:`Model.batch` builds the ``N`` games from the lambdified payoff
formulas, :func:`gametheory.solve_batch` finds every equilibrium of every game with the vectorised kernel, and
:func:`~gametheory.models.metrics.metric_arrays` values the wanted metrics at each listed equilibrium: arrays
``(N, K)``, with ``K`` the largest number of equilibria in the chunk. The outputs reduce over equilibria with
numpy; there is no Python loop over points (``threshold`` and ``stable_states`` excepted, which are costlier per
point by nature).

Output columns
--------------
``equilibria``
    ``n_equilibria``, ``n_pure``, ``n_mixed``, ``complete`` (the solver guarantees every equilibrium is
    listed at that point), ``degenerate`` (a continuum), ``eq_type`` (``pure``, ``mixed``,
    ``pure+mixed`` or ``continuum``), ``regime`` (the unique pure equilibrium's strategies such as
    ``Genuine/Accept/Lax``, else ``mixed``, ``multiple`` or ``continuum``), ``max_regret``.
``counterfeit``
    ``counterfeit_rate_min`` and ``counterfeit_rate_max`` over the equilibria: the best and the worst case.
``welfare``
    ``<m>_min`` and ``<m>_max`` for ``welfare``, ``buyer_surplus``, ``seller_profit`` and ``platform_profit``.
``metrics``
    ``<m>_min`` and ``<m>_max`` for every metric of the model.
``per_equilibrium``
    ``counterfeit_rate_eq`` and ``welfare_eq``: lists with one value per equilibrium.
``threshold``
    ``threshold_<parameter>``: the smallest value of the policy parameter (default ``penalty_multiplier``)
    that meets the deterrence criterion (:mod:`gametheory.deterrence`), NaN where none does; ``robust_<parameter>``
    (every larger value deters too) and ``monotone_<parameter>`` (False where the two differ).
``stable_states``
    ``n_stable`` and ``stable_states``: the asymptotically stable rest points of the replicator dynamics, as
    labels (:mod:`gametheory.dynamics`).
``repeated``
    ``min_discount_factor``, ``continuation_value``, ``repeated_min_penalty_multiplier`` and
    ``min_store_deposit``: repeated play with delisting (:mod:`gametheory.repeated.columns`).
``logit``
    ``counterfeit_rate_logit``: the rate of the logit-selected equilibrium, beside the best and the worst case
    (:mod:`gametheory.qre.columns`).
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import solve_batch
from .extras import stable_states, thresholds
from .grid import Chunk, chunk_points
from .spec import SweepSpec

__all__ = ["evaluate_chunk", "parameter_columns", "column_units", "WELFARE_METRICS", "PURE_TOL", "EQ_TYPES"]

#: categories of the ``eq_type`` column
EQ_TYPES = ("pure", "mixed", "pure+mixed", "continuum")
WELFARE_METRICS = ("welfare", "buyer_surplus", "seller_profit", "platform_profit")
#: a profile is pure when every player puts at least ``1 - PURE_TOL`` on one strategy
PURE_TOL = 1e-9
_RATE_METRICS = ("counterfeit_rate", "fakes_shipped", "fakes_refused", "false_claim_rate")
_OUTPUT_UNITS = {"n_equilibria": "count", "n_pure": "count", "n_mixed": "count", "max_regret": "currency",
                 "n_stable": "count"}

FloatArray = npt.NDArray[np.float64]


def evaluate_chunk(spec: SweepSpec, chunk: Chunk) -> pd.DataFrame:
    """Solve every point of a chunk and tabulate the requested outputs.

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    chunk : Chunk
        Which points (see :func:`gametheory.sweeps.grid.chunks`).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``model``, ``point`` (index in the model's grid), one column per parameter of the
        swept models (axes first; NaN for a parameter a model lacks), then the output columns.

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> from gametheory.sweeps.grid import chunks
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"penalty_multiplier": [0, 2]}})
    >>> df = evaluate_chunk(spec, chunks(spec)[0])
    >>> df[["penalty_multiplier", "n_equilibria"]].shape
    (2, 2)
    """
    model = _model(chunk.model, _freeze(spec.fixed), spec.variant)
    arrays = chunk_points(spec, chunk)
    n = chunk.size
    if not arrays:  # no axes: one point, batched through a length-1 array of some numeric parameter
        name = next(p for p in model.parameter_names if isinstance(model.params[p], (int, float)))
        arrays = {name: np.full(1, float(model.params[name]))}
    columns: dict[str, Any] = {
        "model": _category(np.full(n, spec.models.index(chunk.model)), spec.models),
        "point": np.arange(chunk.start, chunk.stop, dtype=np.int64),
    }
    for name in parameter_columns(spec):
        if name in arrays:
            columns[name] = np.asarray(arrays[name], dtype=float)
        elif name in model.params:
            value = model.params[name]
            if isinstance(value, str):
                options = _option_values(name)
                columns[name] = _category(np.full(n, options.index(value)), options)
            else:
                columns[name] = np.full(n, value, dtype=float)
        else:
            columns[name] = np.full(n, np.nan)

    if getattr(model, "free_entry", False):  # the hunter share is an outcome (free entry), not the input value
        columns["hunter_share"] = np.asarray(model.points(**arrays)["hunter_share"], dtype=float)
    solution = solve_batch(model.batch(**arrays), max_seconds=math.inf)  # the sweep's cost was checked up front
    valid = solution.valid
    if "equilibria" in spec.outputs:
        columns.update(_equilibria(solution, valid, model.strategies, _regimes(spec)))
    wanted = _wanted_metrics(spec.outputs, model)
    if wanted:
        from ..models.metrics import metric_arrays  # lazy: the models package

        outcomes = metric_arrays(model, solution, arrays, wanted)
        for metric in wanted:
            values = np.where(valid, np.asarray(outcomes[metric], dtype=float), np.nan)
            columns[f"{metric}_min"] = _reduce(np.fmin, values, n)
            columns[f"{metric}_max"] = _reduce(np.fmax, values, n)
        if "per_equilibrium" in spec.outputs:
            cuts = np.cumsum(solution.counts)[:-1]
            for metric in ("counterfeit_rate", "welfare"):
                flat = np.asarray(outcomes[metric], dtype=float)[valid]
                lists = np.empty(n, dtype=object)
                lists[:] = np.split(flat, cuts) if n else []
                columns[f"{metric}_eq"] = lists
    if "threshold" in spec.outputs:
        columns.update(thresholds(model, arrays, n, spec.threshold))
    if "stable_states" in spec.outputs:
        columns.update(stable_states(model, arrays, n))
    if "repeated" in spec.outputs:
        from ..repeated.columns import repeated_columns  # lazy: scipy, sympy

        columns.update(repeated_columns(model, arrays, n))
    if "logit" in spec.outputs:
        from ..qre.columns import logit_columns  # lazy: sympy

        columns.update(logit_columns(model, solution, arrays))
    return pd.DataFrame(columns)


def _wanted_metrics(outputs: tuple[str, ...], model: Any) -> list[str]:
    wanted: list[str] = []
    if "counterfeit" in outputs or "per_equilibrium" in outputs:
        wanted.append("counterfeit_rate")
    if "welfare" in outputs or "per_equilibrium" in outputs:
        wanted.extend(WELFARE_METRICS)
    if "metrics" in outputs:
        wanted.extend(model.symbolic_metrics())
    return list(dict.fromkeys(wanted))


def _reduce(ufunc: Any, values: FloatArray, n: int) -> FloatArray:
    """NaN-ignoring reduction over equilibria (``fmin``/``fmax``: no warning on all-NaN rows)."""
    if values.shape[1] == 0:
        return np.full(n, np.nan)
    return np.asarray(ufunc.reduce(values, axis=1), dtype=float)


def _equilibria(solution: Any, valid: npt.NDArray[np.bool_], strategies: Any, regimes: tuple[str, ...]
                ) -> dict[str, Any]:
    n = len(solution)
    counts = np.asarray(solution.counts, dtype=np.int64)
    pure = np.zeros(valid.shape, dtype=bool)
    games, slots = np.nonzero(valid)
    # the listed equilibria only, their padding as -1 (never a player's largest probability; arithmetic on NaN is
    # many times slower)
    listed = np.nan_to_num(solution.profiles[games, slots], nan=-1.0)  # (E, players, max_s)
    pure[games, slots] = listed.max(axis=-1, initial=-1.0).min(axis=-1, initial=2.0) >= 1.0 - PURE_TOL
    n_pure = pure.sum(axis=1).astype(np.int64)
    n_mixed = counts - n_pure
    degenerate = np.asarray(solution.degenerate, dtype=bool)
    kind = np.full(n, EQ_TYPES.index("pure+mixed"), dtype=np.int8)
    kind[n_pure == 0] = EQ_TYPES.index("mixed")
    kind[n_mixed == 0] = EQ_TYPES.index("pure")
    kind[degenerate] = EQ_TYPES.index("continuum")
    own = ["/".join(p) for p in itertools.product(*strategies)]
    lookup = np.array([regimes.index(label) for label in own], dtype=np.int64)
    code = np.full(n, regimes.index("mixed"), dtype=np.int64)
    if solution.profiles.shape[1]:
        first = solution.profiles[:, 0]  # (N, players, max_s)
        picks = [np.argmax(np.nan_to_num(first[:, i, : len(s)], nan=-1.0), axis=1) for i, s in enumerate(strategies)]
        pure_code = lookup[np.ravel_multi_index(picks, tuple(len(s) for s in strategies))]
        code = np.where(pure[:, 0], pure_code, code)
    code[counts > 1] = regimes.index("multiple")
    code[degenerate] = regimes.index("continuum")
    return {
        "n_equilibria": counts,
        "n_pure": n_pure,
        "n_mixed": n_mixed,
        "complete": np.asarray(solution.complete, dtype=bool),
        "degenerate": degenerate,
        "eq_type": _category(kind, EQ_TYPES),
        "regime": _category(code, regimes),
        "max_regret": _reduce(np.fmax, np.where(valid, solution.regrets, np.nan), n),
    }


def parameter_columns(spec: SweepSpec) -> list[str]:
    """The parameter columns of a sweep's table: the axes, then every other parameter of its models.

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"deposit": [100, 1000]}})
    >>> parameter_columns(spec)[:2]
    ['deposit', 'price']
    """
    from ..models import VOCABULARY  # lazy: sympy

    names: set[str] = set()
    for model in spec.models:
        names.update(_model(model, _freeze(spec.fixed), spec.variant).parameter_names)
    rest = [p for p in VOCABULARY if p in names and p not in spec.axis_names]
    return [*spec.axis_names, *rest]


def column_units(spec: SweepSpec, columns: Any = None) -> dict[str, str]:
    """Unit of every parameter and output column (``currency``, ``probability``, ``rate``, ``count``...).

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> units = column_units(SweepSpec.from_dict({"model": "direct", "axes": {"deposit": [100]}}))
    >>> units["deposit"], units["counterfeit_rate_max"]
    ('currency', 'rate')
    """
    from ..models import VOCABULARY  # lazy: sympy

    units = {name: VOCABULARY[name].unit for name in parameter_columns(spec)}
    metrics = set(WELFARE_METRICS) | set(_RATE_METRICS) | {"insurer_result", "funds_held"}
    for metric in metrics:
        unit = "rate" if metric in _RATE_METRICS else "currency"
        for suffix in ("_min", "_max", "_eq"):
            units[metric + suffix] = unit
    units.update(_OUTPUT_UNITS)
    units.update({f"{kind}_{p}": VOCABULARY[p].unit for p in VOCABULARY if VOCABULARY[p].unit != "option"
                  for kind in ("threshold", "robust")})
    from ..repeated.columns import COLUMN_UNITS  # lazy: scipy, sympy

    units.update(COLUMN_UNITS)
    from ..qre.columns import COLUMN_UNITS as LOGIT_UNITS  # lazy: sympy

    units.update(LOGIT_UNITS)
    if columns is not None:
        present = set(columns)
        units = {k: v for k, v in units.items() if k in present}
    return units


def _category(codes: npt.NDArray[np.integer], categories: Any) -> pd.Categorical:
    """A categorical column with a fixed category list (so chunks concatenate, and store, as categoricals)."""
    return pd.Categorical.from_codes(np.asarray(codes), dtype=_category_dtype(tuple(categories)))


@lru_cache(maxsize=256)
def _category_dtype(categories: tuple[Any, ...]) -> pd.CategoricalDtype:
    """One dtype per category list (building one validates the categories: 0.16 ms, 20x the column itself)."""
    return pd.CategoricalDtype(list(categories))


@lru_cache(maxsize=64)
def _option_values(name: str) -> tuple[str, ...]:
    from ..models import VOCABULARY  # lazy: sympy

    return tuple(sorted(VOCABULARY[name].domain.options))


def _regimes(spec: SweepSpec) -> tuple[str, ...]:
    """Regime labels of every model of the sweep (pure profiles in model order), then mixed/multiple/continuum."""
    labels: dict[str, None] = {}
    for name in spec.models:
        strategies = _model(name, _freeze(spec.fixed), spec.variant).strategies
        labels.update(dict.fromkeys("/".join(p) for p in itertools.product(*strategies)))
    return (*labels, "mixed", "multiple", "continuum")


def _freeze(fixed: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(fixed.items()))


@lru_cache(maxsize=64)
def _model(name: str, fixed: tuple[tuple[str, Any], ...], variant: str = "core") -> Any:
    """The model with the fixed parameters it has (cached per process: lambdified payoffs are reused)."""
    from .. import models  # lazy: sympy

    params = set(models.get(name, variant=variant).parameter_names)
    return models.get(name, variant=variant, **{k: v for k, v in fixed if k in params})
