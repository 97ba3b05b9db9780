r"""Deterrence criteria: does the counterfeit rate stay at or below a target in the equilibria of a game?

A criterion maps the equilibria of a game to one *deciding rate* and a verdict:

==================  ======================================================  ==========================
criterion           deciding rate                                           equilibria from
==================  ======================================================  ==========================
``all_equilibria``  the largest counterfeit rate over every Nash equilibrium  :func:`gametheory.solve_batch`
``some_equilibrium`` the smallest (an optimistic planner picks the play)     :func:`gametheory.solve_batch`
``stable_states``   the largest over the asymptotically stable rest points   :func:`gametheory.dynamics.stable_states`
                    of the multi-population replicator dynamics
``subgame_perfect`` the largest over the subgame-perfect equilibria of the    the model's sequential game
                    model's sequential version
==================  ======================================================  ==========================

and the criterion holds when the deciding rate is at most ``target_rate`` (up to :data:`RATE_TOL`). The first two
are evaluated for a whole batch of parameter points at once: one :class:`~gametheory.BatchSolution` and the
model's ``outcome_arrays``, no loop over points. ``stable_states`` is vectorised too: in the multi-population
replicator dynamics of an asymmetric game the asymptotically stable states are the strict Nash equilibria (Selten
1980), checked corner by corner on the batch's payoffs (tested against :func:`gametheory.dynamics.stable_states`);
``subgame_perfect`` solves the followers' game after each platform choice for the whole batch
(:mod:`gametheory.policy.sequential`).

For a degenerate game the solver lists the extreme points of each continuum of equilibria; the counterfeit rate
is linear in the seller's mixed strategy, so its largest and smallest values over a (convex) component are
attained at those points.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InvalidParameterError

__all__ = ["CRITERIA", "RATE_TOL", "evaluate", "deciding_rates", "counterfeit_rates", "has_sequential"]

CRITERIA = ("all_equilibria", "some_equilibrium", "stable_states", "subgame_perfect")
#: absolute tolerance on rates: ``rate <= target_rate + RATE_TOL`` counts as meeting the target
RATE_TOL = 1e-9

FloatArray = npt.NDArray[np.float64]


def evaluate(
    model: Any, criterion: str, values: dict[str, FloatArray], *, target_rate: float, tol: float
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Evaluate ``criterion`` at ``N`` parameter points; returns ``(holds, deciding_rate)``, both shape ``(N,)``.

    ``values`` maps parameter names to flat arrays of one length ``N`` (the other parameters keep the model's
    values).
    """
    rate = deciding_rates(model, criterion, values, tol=tol)
    holds = np.isfinite(rate) & (rate <= target_rate + RATE_TOL)
    return holds, rate


def deciding_rates(model: Any, criterion: str, values: dict[str, FloatArray], *, tol: float) -> FloatArray:
    """The rate that decides ``criterion`` at each point (NaN where a game has no equilibrium listed)."""
    if criterion in ("all_equilibria", "some_equilibrium"):
        from ..solvers import solve_batch

        solution = solve_batch(model.batch(**values), tol=tol)
        return _reduce(counterfeit_rates(model, solution, values), solution.valid,
                       largest=criterion == "all_equilibria")
    if criterion == "stable_states":
        table = _constant_metric(model)
        if table is None:
            return _per_point(model, values, _stable_rate)
        return _strict_corner_rates(model.batch(**values).payoffs, table, tol)
    if criterion == "subgame_perfect":
        if not has_sequential(model):
            raise InvalidParameterError(
                f"The 'criterion' parameter must name a criterion the model supports: {model.name!r} has no "
                "sequential version, so 'subgame_perfect' does not apply. Got 'subgame_perfect' instead."
            )
        from ..policy.sequential import subgame_perfect_rates

        return subgame_perfect_rates(model, values, tol=tol)
    raise InvalidParameterError(f"The 'criterion' parameter must be a str among {CRITERIA}. Got {criterion!r} instead.")


def counterfeit_rates(model: Any, solution: Any, values: dict[str, FloatArray]) -> FloatArray:
    """The counterfeit rate of every equilibrium ``(N, K)``: the metric's multilinear extension.

    When the metric's pure-profile values are numbers (every built-in model: 1 where the seller counterfeits),
    this is one ``einsum`` over the profiles; otherwise the model's ``outcome_arrays``.
    """
    table = _constant_metric(model)
    if table is None:
        return np.asarray(model.outcome_arrays(solution, **values)["counterfeit_rate"], dtype=float)
    n = len(solution.shape)
    letters = "abcdefgh"[:n]
    operands = [solution.profiles[:, :, i, : solution.shape[i]] for i in range(n)]
    spec = ",".join(f"ge{c}" for c in letters) + f",{letters}->ge"
    with np.errstate(invalid="ignore"):
        out: FloatArray = np.einsum(spec, *operands, table)
    return out


_METRIC_CACHE: dict[Any, Any] = {}


def _constant_metric(model: Any) -> npt.NDArray[np.float64] | None:
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _METRIC_CACHE:
        metric = model.symbolic_metrics()["counterfeit_rate"]
        entries = list(np.asarray(metric.tolist(), dtype=object).ravel())
        constant = all(getattr(x, "is_number", True) for x in entries)
        _METRIC_CACHE[key] = (
            np.array([float(x) for x in entries]).reshape(metric.shape) if constant else None
        )
    return _METRIC_CACHE[key]  # type: ignore[no-any-return]


def _strict_corner_rates(payoffs: FloatArray, table: FloatArray, tol: float) -> FloatArray:
    """Largest rate over the strict pure equilibria of each game (NaN where there is none), vectorised.

    In a multi-population replicator dynamics of an asymmetric game the asymptotically stable rest points are
    exactly the strict Nash equilibria, all pure (Selten 1980); this is what :func:`gametheory.dynamics.stable_states`
    lists, computed here for a whole batch at once.
    """
    n_games, n = payoffs.shape[0], payoffs.shape[1]
    shape = payoffs.shape[2:]
    scale = np.maximum(1.0, np.abs(payoffs.reshape(n_games, -1)).max(axis=1))
    best = np.full(n_games, -np.inf)
    for corner in np.ndindex(*shape):
        strict = np.ones(n_games, dtype=bool)
        for i in range(n):
            own = payoffs[(slice(None), i, *corner)]
            for t in range(shape[i]):
                if t != corner[i]:
                    other = list(corner)
                    other[i] = t
                    strict &= own > payoffs[(slice(None), i, *other)] + tol * scale
        best = np.where(strict, np.maximum(best, table[corner]), best)
    return np.where(np.isfinite(best), best, np.nan)


def has_sequential(model: Any) -> bool:
    """True when the model offers a sequential (extensive-form) version: ``model.extensive_game()``."""
    return callable(getattr(model, "extensive_game", None))


def _reduce(rates: FloatArray, valid: npt.NDArray[np.bool_], *, largest: bool) -> FloatArray:
    fill = -np.inf if largest else np.inf
    masked = np.where(valid & np.isfinite(rates), rates, fill)
    out = masked.max(axis=1) if largest else masked.min(axis=1)
    if masked.shape[1] == 0:
        out = np.full(rates.shape[0], np.nan)
    return np.where(np.isfinite(out), out, np.nan)


def _per_point(model: Any, values: dict[str, FloatArray], rate_of: Any) -> FloatArray:
    n = len(next(iter(values.values()))) if values else 1
    out = np.empty(n)
    for g in range(n):
        point = model.with_params(**{name: float(v[g]) for name, v in values.items()})
        out[g] = rate_of(point)
    return out


def _stable_rate(model: Any) -> float:
    from .. import dynamics

    states = dynamics.stable_states(model.game())
    rates = [model.outcomes(_profile_of(s))["counterfeit_rate"] for s in _iter_states(states)]
    return float(max(rates)) if rates else float("nan")


def _iter_states(states: Any) -> list[Any]:
    if hasattr(states, "stable") and not callable(states.stable):
        return list(states.stable)
    return list(states)


def _profile_of(state: Any) -> Any:
    for name in ("profile", "state", "point"):
        if hasattr(state, name):
            return getattr(state, name)
    return state
