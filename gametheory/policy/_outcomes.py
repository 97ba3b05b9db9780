r"""Outcome metrics of every equilibrium at many policy points at once, simultaneous or under commitment.

Without a committed audit rate the platform is a player: the equilibria are the Nash equilibria of the whole game
(:func:`gametheory.solve_batch`). With ``audit_rate`` among the policy values the platform has committed to
audit with that probability, and the equilibria are the followers' (:mod:`._followers`). Either way the result
is metric name -> ``(N, K)`` values over the ``K`` (padded) equilibria of each point, and the ``(N, K)`` mask of
real ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..games.normal_form import DEFAULT_TOL
from ..models.metrics import METRICS
from ..solvers import solve_batch
from ._followers import contract_followers, followers_batch, leader_index, metric_tables

__all__ = ["AUDIT_RATE", "equilibrium_outcomes"]

#: the policy "parameter" that commits the platform to an audit probability
AUDIT_RATE = "audit_rate"

FloatArray = npt.NDArray[np.float64]


def equilibrium_outcomes(model: Any, values: dict[str, Any], *, tol: float = DEFAULT_TOL
                         ) -> tuple[npt.NDArray[np.bool_], dict[str, FloatArray], Any]:
    """``(valid, metrics, solution)`` at ``N`` points: ``valid`` ``(N, K)``, each metric ``(N, K)`` (NaN padded).

    ``values`` holds flat arrays of one length; ``audit_rate`` among them commits the platform, and ``solution``
    is then the :class:`BatchSolution` of the followers' games.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> valid, out, _ = equilibrium_outcomes(gt.models.get("direct"), {"audit_rate": np.array([0.0, 1.0])})
    >>> np.round(np.nanmax(out["counterfeit_rate"], axis=1), 4)
    array([0.0278, 0.    ])
    """
    params = {k: np.asarray(v, dtype=float) for k, v in values.items()
              if k != AUDIT_RATE or k in model.numeric_names}  # repeated play's monitoring rate: the same thing
    if AUDIT_RATE not in values or leader_index(model) is None:
        solution = solve_batch(model.batch(**params), tol=tol)
        return solution.valid, _finite(model.outcome_arrays(solution, **params)), solution
    lead = leader_index(model)
    assert lead is not None
    x = np.asarray(values[AUDIT_RATE], dtype=float)
    if not params:
        params = {"price": np.full(x.shape, float(model.price))}
    payoffs = model.batch(**params).payoffs
    weights = np.stack([1 - x, x], axis=1)
    solution = solve_batch(followers_batch(model, payoffs, weights), tol=tol)
    tables = metric_tables(model, params)
    out = {m: contract_followers(model, tables[m], weights, solution.profiles) for m in METRICS}
    return solution.valid, _finite(out), solution


def _finite(out: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}
