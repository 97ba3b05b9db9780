r"""Policy design: the policy that maximises the platform's profit (or welfare) subject to outcome constraints.

For policy values :math:`\theta` (multiplier, deposit, fees, insurance cover, and ``audit_rate``: a committed
audit probability) let :math:`E(\theta)` be the equilibria: the Nash equilibria of the game, or, with
``audit_rate`` among the policy values, the followers' equilibria once the platform has committed. With
``equilibria="worst"`` (robust design) the platform asks that *every* equilibrium meets the constraints and values
the policy by its worst equilibrium,

.. math::

    \max_\theta \; \min_{e \in E(\theta)} f(e) \quad \text{s.t.} \quad g_j(e) \le \tau_j \;\; \forall e \in E(\theta),

and with ``equilibria="best"`` it may pick the equilibrium (the followers break ties for it): some equilibrium
meets the constraints and :math:`f` is the best over those.

The search is vectorised: every scenario point (``scenarios``) and every policy point of a grid are solved in one
:func:`gametheory.solve_batch` call; then, ``refine`` times, a finer grid is laid around each scenario's best
feasible points (up to :data:`CANDIDATES` starts: the grid's local maxima and the feasible points next to an
infeasible one, where an optimum on a binding constraint lies), each over the interval between its grid
neighbours, at one fifth of the spacing each time. A constraint is
*binding* when some evaluated policy that violates only it does better than the optimum: relaxing it would pay.
Each optimum comes with its certificate, the solver's equilibria at the optimum (:meth:`PolicyOptimum.certificate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import limits
from .._frozen import FrozenResult
from .._validation import Interval, StrOptions, validate_params
from ..errors import InvalidParameterError, LimitError
from ..games.equilibrium import Equilibria
from ..games.normal_form import DEFAULT_TOL
from ..models.metrics import METRICS
from ..solvers import batch_game_seconds, solve
from . import _spec
from ._followers import followers_game, leader_index
from ._outcomes import AUDIT_RATE, equilibrium_outcomes

__all__ = ["optimize", "PolicyOptimum", "MAX_POINTS", "MAX_POINTS_PER_GAME"]

#: largest number of policy x scenario points solved in one pass when the batch solver is vectorised (2x2, 2x2x2)
MAX_POINTS = 2_000_000
#: the same when every game is solved on its own (the extended variant)
MAX_POINTS_PER_GAME = 5_000
#: points per refined parameter and per pass
REFINE_POINTS = 11
#: refinement starts per scenario (local maxima and feasibility borders of the first grid)
CANDIDATES = 4

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class PolicyOptimum(FrozenResult):
    """The best policy for each scenario point, with its outcomes, binding constraints and certificate.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per scenario: the scenario's parameters, the optimal policy values, ``value`` (the objective),
        ``feasible``, each metric at the optimum (the deciding value over the equilibria: the worst for the
        objective and the constraints with ``equilibria="worst"``, those of the chosen equilibrium with ``"best"``),
        ``binding`` (the binding constraints, comma-separated) and ``equilibria`` (how many).
    objective : str
    constraints : tuple of Constraint
    equilibria : str
    over : tuple of str
        The policy parameters searched.
    """

    table: Any
    objective: str
    constraints: tuple[_spec.Constraint, ...]
    equilibria: str
    over: tuple[str, ...]
    model: Any = field(repr=False)
    tol: float = DEFAULT_TOL

    @property
    def policy(self) -> dict[str, float]:
        """The optimal policy of the first scenario."""
        row = self.table.iloc[0]
        return {name: float(row[name]) for name in self.over}

    @property
    def value(self) -> float:
        """The objective at the optimum of the first scenario (NaN when infeasible)."""
        return float(self.table["value"].iloc[0])

    @property
    def feasible(self) -> bool:
        """Whether the first scenario has a feasible policy."""
        return bool(self.table["feasible"].iloc[0])

    @property
    def binding(self) -> tuple[str, ...]:
        """The binding constraints of the first scenario."""
        text = str(self.table["binding"].iloc[0])
        return tuple(t for t in text.split(", ") if t)

    def certificate(self, scenario: int = 0) -> Equilibria:
        """The solver's equilibria at the optimum of ``scenario`` (of the followers' game under commitment)."""
        row = self.table.iloc[scenario]
        params = {c: float(row[c]) for c in self.table.columns if c in self.model.numeric_names}
        model = self.model.with_params(**params)
        if AUDIT_RATE not in self.over:
            return solve(model.game(), tol=self.tol)

        return solve(followers_game(model, float(row[AUDIT_RATE])), tol=self.tol)

    def __repr__(self) -> str:
        head = (f"PolicyOptimum(objective={self.objective!r}, constraints={list(self.constraints)}, "
                f"equilibria={self.equilibria!r}, scenarios={len(self.table)})")
        return head + "\n" + self.table.to_string(max_rows=10)


#: the validation of the search options :func:`optimize` shares with the functions that call it per model or cap
SEARCH_CONSTRAINTS = {
    "objective": None, "over": None, "constraints": None,
    "equilibria": StrOptions({"worst", "best"}),
    "resolution": Interval(int, 2, None),
    "refine": Interval(int, 0, None),
    "tol": Interval(float, 0, None),
}


@validate_params({"model": None, "scenarios": None, **SEARCH_CONSTRAINTS})
def optimize(
    model: Any,
    objective: str = "platform_profit",
    *,
    over: Mapping[str, Any],
    constraints: Mapping[str, Any] | None = None,
    scenarios: Mapping[str, Any] | None = None,
    equilibria: str = "worst",
    resolution: int = 21,
    refine: int = 4,
    tol: float = DEFAULT_TOL,
) -> PolicyOptimum:
    r"""The policy maximising ``objective`` subject to ``constraints``, for every scenario point at once.

    Parameters
    ----------
    model : Model
        A payment model; parameters neither searched nor in ``scenarios`` keep its values.
    objective : str
        A metric to maximise (:data:`gametheory.models.metrics.METRICS`): ``platform_profit`` (default),
        ``welfare``, ``buyer_surplus``, ...
    over : dict
        Policy parameter -> ``(lo, hi)`` (searched on a grid of ``resolution`` points, then refined) or a list of
        values (tried as given). ``audit_rate`` commits the platform to that audit probability.
    constraints : dict, optional
        Metric -> ``"<= x"`` or ``">= x"`` (or ``("<=", x)``), e.g. ``{"counterfeit_rate": "<= 0.05"}``.
    scenarios : dict, optional
        Parameter -> array of values: the scenario points (broadcast together, C order), each optimised.
    equilibria : {"worst", "best"}
        Robust design over every equilibrium, or the best equilibrium for the platform (see the module docstring).
    resolution : int
        Grid points per interval in the first pass.
    refine : int
        Refinement passes around each scenario's best point.
    tol : float
        Solver tolerance.

    Returns
    -------
    PolicyOptimum

    Raises
    ------
    InvalidParameterError
        Unknown parameters or metrics, values outside their domain, a malformed constraint, or more points per
        pass than :data:`MAX_POINTS` (:data:`MAX_POINTS_PER_GAME` when games are solved one by one).

    Examples
    --------
    The most profitable multiplier and deposit for direct payment that keep fakes at 2 % or less in every
    equilibrium:

    >>> import gametheory as gt
    >>> res = gt.policy.optimize(gt.models.get("direct"), "platform_profit",
    ...                          over={"penalty_multiplier": (0.0, 5.0), "deposit": [200.0, 500.0]},
    ...                          constraints={"counterfeit_rate": "<= 0.02"})
    >>> res.feasible, res.policy, res.binding
    (True, {'penalty_multiplier': 5.0, 'deposit': 500.0}, ('counterfeit_rate <= 0.02',))
    """
    obj = _spec.objective(model, objective)
    dims = _spec.ranges(model, over)
    rules = _spec.constraints(constraints)
    scenario = _scenario_points(model, scenarios, {d.name for d in dims})
    n_scen = len(next(iter(scenario.values()))) if scenario else 1
    _check_cost(model, dims, n_scen, resolution, refine)
    state = _Search(n_scen, dims, rules)
    axes = [np.broadcast_to(d.grid(resolution), (n_scen, len(d.grid(resolution)))) for d in dims]
    value, policy = _evaluate_pass(model, obj, dims, rules, scenario, axes, equilibria, tol, state)
    centres = _starts(value, policy, n_scen, [a.shape[1] for a in axes])  # (S * CANDIDATES, D)
    spacing = [(d.interval[1] - d.interval[0]) / (resolution - 1) if d.interval else 0.0 for d in dims]
    for _ in range(refine if state.found.any() else 0):
        axes = []
        for k, d in enumerate(dims):
            if d.interval is None:
                axes.append(centres[:, k : k + 1])
            else:
                offsets = np.linspace(-spacing[k], spacing[k], REFINE_POINTS)[None, :]
                axes.append(np.clip(centres[:, k : k + 1] + offsets, d.interval[0], d.interval[1]))
        spacing = [2 * h / (REFINE_POINTS - 1) for h in spacing]
        value, policy = _evaluate_pass(model, obj, dims, rules, scenario, axes, equilibria, tol, state)
        best = value.argmax(axis=1)
        moved = np.isfinite(value[np.arange(len(best)), best])
        centres = np.where(moved[:, None], policy[np.arange(len(best)), best], centres)
    return PolicyOptimum(
        table=state.table(model, scenario, dims, rules, obj, n_scen), objective=obj, constraints=tuple(rules),
        equilibria=equilibria, over=tuple(d.name for d in dims), model=model, tol=tol,
    )


def _scenario_points(model: Any, scenarios: Any, searched: set[str]) -> dict[str, FloatArray]:
    if scenarios is None:
        return {}
    if not isinstance(scenarios, Mapping):
        raise InvalidParameterError(
            f"The 'scenarios' parameter of optimize must be a dict of parameter -> values. Got {scenarios!r} instead."
        )
    clash = sorted(set(scenarios) & searched)
    if clash:
        raise InvalidParameterError(f"The parameter {clash[0]!r} cannot be both searched ('over') and a scenario.")
    points = model.points(**scenarios)
    return {name: points[name] for name in scenarios}


class _Search:
    """The best feasible point found so far for each scenario, and for each constraint relaxed alone."""

    def __init__(self, n_scen: int, dims: list[_spec.Range], rules: list[_spec.Constraint]) -> None:
        self.found = np.zeros(n_scen, dtype=bool)
        self.best_value = np.full(n_scen, -np.inf)
        self.best_policy = np.full((n_scen, len(dims)), np.nan)
        self.best_metrics = {m: np.full(n_scen, np.nan) for m in METRICS}
        self.best_count = np.zeros(n_scen, dtype=np.int64)
        self.relaxed = np.full((len(rules), n_scen), -np.inf)

    def table(self, model: Any, scenario: dict[str, FloatArray], dims: list[_spec.Range],
              rules: list[_spec.Constraint], obj: str, n_scen: int) -> Any:
        import pandas as pd

        data: dict[str, Any] = dict(scenario)
        for k, d in enumerate(dims):
            data[d.name] = np.where(self.found, self.best_policy[:, k], np.nan)
        data["value"] = np.where(self.found, self.best_value, np.nan)
        data["feasible"] = self.found.copy()
        for m in dict.fromkeys((obj, "counterfeit_rate", *(r.metric for r in rules))):
            data[m] = self.best_metrics[m]
        slack = 1e-9 * np.maximum(1.0, np.abs(self.best_value))
        data["binding"] = [", ".join(repr(r) for j, r in enumerate(rules)
                                     if self.found[s] and self.relaxed[j, s] > self.best_value[s] + slack[s])
                           for s in range(n_scen)]
        data["equilibria"] = self.best_count
        return pd.DataFrame(data)


def _evaluate_pass(model: Any, obj: str, dims: list[_spec.Range], rules: list[_spec.Constraint],
                   scenario: dict[str, FloatArray], axes: list[np.ndarray], equilibria: str, tol: float,
                   state: _Search) -> tuple[FloatArray, FloatArray]:
    """Solve every row's grid (rows: scenario-major, the same number per scenario); update ``state``.

    Returns the objective ``(R, G)`` (``-inf`` where infeasible) and the policy points ``(R, G, D)``.
    """
    n_rows, n_scen = axes[0].shape[0], len(state.found)
    sizes = [a.shape[1] for a in axes]
    shape = (n_rows, *sizes)
    grids = [np.broadcast_to(a.reshape(n_rows, *[s if j == k else 1 for j, s in enumerate(sizes)]), shape)
             for k, a in enumerate(axes)]
    n_grid = int(np.prod(sizes))
    n_points = n_rows * n_grid
    vectorised = _vectorised_shape(model, dims)
    limit = MAX_POINTS if vectorised else MAX_POINTS_PER_GAME
    if n_points > limit:
        raise InvalidParameterError(
            f"The search would solve {n_points} games in one pass, more than the limit of {limit} for "
            f"{model.name!r} ({'vectorised' if vectorised else 'one game at a time'}); lower 'resolution', the "
            f"number of scenarios, or list fewer values in 'over'."
        )
    values = {d.name: g.reshape(n_points) for d, g in zip(dims, grids, strict=True)}
    for name, v in scenario.items():
        values[name] = np.repeat(v, n_points // n_scen)
    valid, out, _ = equilibrium_outcomes(model, values, tol=tol)
    holds = [r.holds(out[r.metric]) | ~valid for r in rules]
    value, feasible, chosen = _decide(out[obj], valid, holds, equilibria)
    policy = np.stack([values[d.name] for d in dims], axis=1)
    block = n_points // n_scen
    _update(state, value, chosen, valid, out, policy.reshape(n_scen, block, len(dims)), n_scen, block, equilibria)
    for j in range(len(rules)):
        others = [h for i, h in enumerate(holds) if i != j]
        v_relaxed, f_relaxed, _ = _decide(out[obj], valid, others, equilibria)
        masked = np.where(f_relaxed, v_relaxed, -np.inf).reshape(n_scen, block).max(axis=1)
        state.relaxed[j] = np.maximum(state.relaxed[j], masked)
    return value.reshape(n_rows, n_grid), policy.reshape(n_rows, n_grid, len(dims))


def _starts(value: FloatArray, policy: FloatArray, n_scen: int, sizes: list[int]) -> FloatArray:
    """:data:`CANDIDATES` refinement starts per scenario: the best feasible grid point, then the best of those that
    border an infeasible point (where an optimum on a binding constraint lies), then the best local maxima."""
    grid = value.reshape(n_scen, *sizes)
    keep = np.isfinite(grid)
    local_max = keep.copy()
    border = np.zeros_like(keep)
    for axis in range(1, grid.ndim):
        for shift in (1, -1):
            neighbour = np.roll(grid, shift, axis=axis)
            edge = [slice(None)] * grid.ndim
            edge[axis] = 0 if shift == 1 else -1
            neighbour[tuple(edge)] = -np.inf  # no wrap-around
            inside = np.ones_like(keep)
            inside[tuple(edge)] = False
            local_max &= grid >= neighbour
            border |= inside & ~np.isfinite(neighbour)
    flat_grid = grid.reshape(n_scen, -1)
    best = np.zeros_like(flat_grid, dtype=bool)
    best[np.arange(n_scen), flat_grid.argmax(axis=1)] = True
    priority = np.where(best, 3, np.where(border, 2, np.where(local_max, 1, 0)).reshape(n_scen, -1))
    priority = np.where(np.isfinite(flat_grid), priority, 0)
    score = np.where(priority > 0, flat_grid, -np.inf)
    order = np.stack([np.lexsort((score[s], priority[s]))[::-1][:CANDIDATES] for s in range(n_scen)])
    top = np.take_along_axis(score, order, axis=1)
    order = np.where(np.isfinite(top), order, order[:, :1])  # pad with the best start
    flat = policy.reshape(n_scen, -1, policy.shape[-1])
    return np.take_along_axis(flat, order[:, :, None], axis=1).reshape(n_scen * order.shape[1], -1)


def _check_cost(model: Any, dims: list[_spec.Range], n_scen: int, resolution: int, refine: int) -> None:
    """Refuse a search whose first grid passes the points limit or whose passes pass the work limit, before any
    grid is built (integers only: ``resolution=10**8`` over three parameters is refused, not allocated)."""
    vectorised = _vectorised_shape(model, dims)
    limit = MAX_POINTS if vectorised else MAX_POINTS_PER_GAME
    first = n_scen * math.prod(resolution if d.interval else len(d.values or ()) for d in dims)
    if first > limit:
        count = f"{first:,}" if first < 10**9 else f"{float(first):.2g}"
        raise LimitError(
            f"The search would solve {count} games in one pass, more than the limit of {limit:,} for "
            f"{model.name!r} ({'vectorised' if vectorised else 'one game at a time'}); lower 'resolution' "
            f"(--resolution), the number of scenarios, or list fewer values in 'over'."
        )
    per_pass = n_scen * CANDIDATES * math.prod(REFINE_POINTS if d.interval else 1 for d in dims)
    shape = (2, 2, 2) if vectorised else tuple(model.shape)
    seconds = (first + refine * per_pass) * (limits.SWEEP_POINT_SECONDS + batch_game_seconds(shape))
    limits.check_seconds(
        seconds, what=f"optimize({model.name!r}, resolution={resolution}, refine={refine})",
        remedy="Use a smaller 'refine' (--refine; each pass narrows the grid fivefold, so 10 passes reach 1e-7 of "
               "the range) or 'resolution'.",
        how_to_raise="Or raise the limit for the process: gametheory.limits.MAX_SECONDS = ...",
    )


def _vectorised_shape(model: Any, dims: list[_spec.Range]) -> bool:
    shape = tuple(model.shape)
    if AUDIT_RATE in {d.name for d in dims}:
        lead = leader_index(model)
        shape = tuple(s for i, s in enumerate(shape) if i != lead)
    return shape in ((2, 2), (2, 2, 2))


def _decide(objective: FloatArray, valid: np.ndarray, holds: list[np.ndarray], equilibria: str
            ) -> tuple[FloatArray, np.ndarray, np.ndarray]:
    """Per point: the objective value, feasibility, and the equilibrium index deciding both."""
    ok = np.ones_like(valid) if not holds else np.logical_and.reduce(holds)
    any_valid = valid.any(axis=1)
    if equilibria == "worst":
        feasible = any_valid & (ok | ~valid).all(axis=1)
        scored = np.where(valid, objective, np.inf)
        chosen = scored.argmin(axis=1)
        value = scored[np.arange(len(scored)), chosen]
    else:
        good = valid & ok
        feasible = good.any(axis=1)
        scored = np.where(good, objective, -np.inf)
        chosen = scored.argmax(axis=1)
        value = scored[np.arange(len(scored)), chosen]
    return np.where(feasible, value, -np.inf), feasible, chosen


def _update(state: _Search, value: FloatArray, chosen: np.ndarray, valid: np.ndarray,
            out: dict[str, FloatArray], policy: np.ndarray, n_scen: int, n_grid: int, equilibria: str) -> None:
    grid_value = value.reshape(n_scen, n_grid)
    best = grid_value.argmax(axis=1)
    top = grid_value[np.arange(n_scen), best]
    finite = np.isfinite(top)
    slack = 1e-12 * np.maximum(1.0, np.abs(np.where(finite, top, 0.0)))
    better = finite & (top > state.best_value + slack)
    if not better.any():
        return
    flat = np.arange(n_scen) * n_grid + best
    state.found |= better
    state.best_value = np.where(better, top, state.best_value)
    state.best_policy[better] = policy[np.arange(n_scen), best][better]
    state.best_count = np.where(better, valid[flat].sum(axis=1), state.best_count)
    for m, arr in out.items():
        if equilibria == "worst":  # the deciding value of each metric over every equilibrium
            worst_high = np.where(valid[flat], arr[flat], -np.inf).max(axis=1)
            worst_low = np.where(valid[flat], arr[flat], np.inf).min(axis=1)
            deciding = worst_high if m in _HIGH_IS_BAD else worst_low
        else:
            deciding = arr[flat, chosen[flat]]
        state.best_metrics[m] = np.where(better, deciding, state.best_metrics[m])


#: metrics whose worst case is their largest value
_HIGH_IS_BAD = frozenset({"counterfeit_rate", "false_claim_rate", "funds_held", "deposit_held"})
