r"""Which payment model should the platform choose, at which policy; and what does deterrence cost it?

:func:`choose_model` runs :func:`~gametheory.policy.optimize` on each payment model with the same costs (the
shared ``scenario`` parameters are set in every model that has them) and ranks the optima: the model with the
largest objective among those with a feasible policy is the platform's choice. :func:`profit_frontier` traces,
for one model, the best objective as the counterfeit-rate cap :math:`\tau` tightens,

.. math::

    \Pi^*(\tau) = \max_\theta \{ \min_{e \in E(\theta)} \pi_P(e) : \max_{e \in E(\theta)} c(e) \le \tau \},

non-decreasing in :math:`\tau` (a looser cap leaves more policies).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import models as registry
from .._frozen import FrozenResult
from .._validation import StrOptions, unknown_name_error, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from ._followers import leader_index
from ._outcomes import AUDIT_RATE
from .design import SEARCH_CONSTRAINTS, PolicyOptimum, optimize

__all__ = ["choose_model", "profit_frontier", "policy_ranges", "ModelChoice", "DEFAULT_POLICY", "MODELS"]

#: the built-in payment models compared by default
MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")
#: the policy searched in each model that has the parameter (clipped to its domain): multiplier, deposit, audit rate
DEFAULT_POLICY: dict[str, tuple[float, float]] = {
    "penalty_multiplier": (0.0, 5.0), "deposit": (0.0, 1000.0), AUDIT_RATE: (0.0, 1.0)}


@dataclass(frozen=True, eq=False)
class ModelChoice(FrozenResult):
    """The optimum of every payment model and the platform's choice.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per model, best first: ``model``, ``feasible``, ``value``, the policy (``policy``, a readable
        string, plus one column per policy parameter) and the outcome metrics at the optimum.
    best : str or None
        The model with the largest objective among the feasible ones (None when none is feasible).
    optima : dict
        Model name -> its :class:`PolicyOptimum` (with certificate).
    """

    table: Any
    best: str | None
    optima: dict[str, PolicyOptimum] = field(repr=False)

    def __repr__(self) -> str:
        return f"ModelChoice(best={self.best!r})\n" + self.table.to_string()


@validate_params({**SEARCH_CONSTRAINTS, "models": None, "scenario": None, "variant": StrOptions({"core", "extended"})})
def choose_model(
    models: Sequence[Any] = MODELS,
    objective: str = "platform_profit",
    *,
    over: Mapping[str, Any] | None = None,
    constraints: Mapping[str, Any] | None = None,
    scenario: Mapping[str, Any] | None = None,
    variant: str = "core",
    equilibria: str = "worst",
    resolution: int = 21,
    refine: int = 4,
    tol: float = DEFAULT_TOL,
) -> ModelChoice:
    """The payment model, and its policy, that a platform with these costs should choose.

    Parameters
    ----------
    models : sequence of str or Model
        The candidates (default: the four built-in models).
    objective : str
        The metric to maximise (``platform_profit``, ``welfare``, ...).
    over : dict, optional
        Policy ranges as in :func:`optimize`, applied to each model that has the parameter; default
        :data:`DEFAULT_POLICY` (clipped to each model's domain; ``audit_rate`` only where there is a platform).
    constraints : dict, optional
        Outcome constraints as in :func:`optimize`, the same for every model.
    scenario : dict, optional
        Shared parameter values (price, costs, ...), set in every model that has them.
    variant : {"core", "extended"}
        For models given by name.
    equilibria, resolution, refine, tol
        As in :func:`optimize`.

    Returns
    -------
    ModelChoice

    Examples
    --------
    >>> import gametheory as gt
    >>> choice = gt.policy.choose_model(constraints={"counterfeit_rate": "<= 0.01"}, resolution=11, refine=2)
    >>> choice.best, list(choice.table["model"])[:2]
    ('direct', ['direct', 'escrow'])
    """
    import pandas as pd

    if isinstance(models, str) or not isinstance(models, Sequence) or not models:
        raise InvalidParameterError(
            f"The 'models' parameter of choose_model must be a non-empty list of model names or models. "
            f"Got {models!r} instead."
        )
    shared = dict(scenario or {})
    candidates = [registry.get(item, variant=variant) if isinstance(item, str) else item for item in models]
    known = {AUDIT_RATE}.union(*(m.parameter_names for m in candidates))
    for name in (*(over or {}), *shared):
        if name not in known:
            raise unknown_name_error("parameter of any model compared", str(name), sorted(known))
    rows, optima = [], {}
    for model in candidates:
        model = model.with_params(**{k: v for k, v in shared.items() if k in model.parameter_names})
        ranges = policy_ranges(model, over)
        result = optimize(model, objective, over=ranges, constraints=constraints, equilibria=equilibria,
                          resolution=resolution, refine=refine, tol=tol)
        optima[model.name] = result
        row = result.table.iloc[0].to_dict()
        policy = ", ".join(f"{k}={row[k]:.4g}" for k in result.over) if result.feasible else ""
        rows.append({"model": model.name, "feasible": result.feasible, "value": result.value, "policy": policy,
                     **{k: v for k, v in row.items() if k not in ("value", "feasible")}})
    table = pd.DataFrame(rows)
    table = table.sort_values(["feasible", "value"], ascending=[False, False], na_position="last",
                              kind="stable").reset_index(drop=True)
    best = str(table["model"].iloc[0]) if bool(table["feasible"].iloc[0]) else None
    return ModelChoice(table=table, best=best, optima=optima)


@validate_params({**SEARCH_CONSTRAINTS, "model": None, "rates": None})
def profit_frontier(model: Any, *, over: Mapping[str, Any] | None = None,
                    rates: Sequence[float] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2), objective: str = "platform_profit",
                    constraints: Mapping[str, Any] | None = None, equilibria: str = "worst", resolution: int = 21,
                    refine: int = 4, tol: float = DEFAULT_TOL) -> Any:
    r"""The best ``objective`` for each cap on the counterfeit rate (one :func:`optimize` per cap).

    Parameters
    ----------
    model : Model
        The payment model.
    over : dict, optional
        Policy ranges as in :func:`optimize`; default :data:`DEFAULT_POLICY`, clipped to the model's domains
        (:func:`policy_ranges`).
    rates : sequence of float
        The caps :math:`\tau` on the counterfeit rate, each in ``[0, 1]``.
    objective, constraints, equilibria, resolution, refine, tol
        As in :func:`optimize`; each cap is added to ``constraints``.

    Returns
    -------
    pandas.DataFrame
        ``target_rate``, ``value`` (NaN where infeasible), ``counterfeit_rate`` (worst case at the optimum) and the
        policy columns.

    Examples
    --------
    >>> import gametheory as gt
    >>> f = gt.policy.profit_frontier(gt.models.get("escrow"), rates=[0.0, 0.1], resolution=11, refine=1)
    >>> bool(f["value"].iloc[1] >= f["value"].iloc[0])
    True
    """
    import pandas as pd

    caps = np.asarray(rates, dtype=float).ravel()
    if caps.size == 0 or not np.all((caps >= 0) & (caps <= 1)):
        raise InvalidParameterError(
            f"The 'rates' parameter of profit_frontier must be counterfeit-rate caps in [0, 1]. Got {rates!r} instead."
        )
    ranges = policy_ranges(model, over)
    frames = []
    for tau in caps:
        rules = {**(constraints or {}), "counterfeit_rate": ("<=", float(tau))}
        result = optimize(model, objective, over=ranges, constraints=rules, equilibria=equilibria,
                          resolution=resolution, refine=refine, tol=tol)
        row = result.table.iloc[[0]].copy()
        row.insert(0, "target_rate", float(tau))
        frames.append(row)
    return pd.concat(frames, ignore_index=True)


def policy_ranges(model: Any, over: Mapping[str, Any] | None) -> dict[str, Any]:
    """The policy ranges that apply to ``model``: the given ones it has, or the defaults clipped to its domains."""
    source = dict(DEFAULT_POLICY if over is None else over)
    out: dict[str, Any] = {}
    for name, spec in source.items():
        if name == AUDIT_RATE:
            if leader_index(model) is not None:
                out[name] = spec
            continue
        if name not in model.numeric_names:
            continue
        domain = model.parameter(name).domain
        if over is None and isinstance(spec, tuple) and getattr(domain, "left", None) is not None:
            spec = (max(spec[0], float(domain.left)), max(spec[1], float(domain.left)))
        out[name] = spec
    if not out:
        raise InvalidParameterError(
            f"No policy parameter of 'over' applies to {model.name!r}; give one of its parameters "
            f"({', '.join(model.numeric_names)}) or 'audit_rate'."
        )
    return out
