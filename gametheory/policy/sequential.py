r"""Outcomes of the sequential game at many parameter points at once: the ``subgame_perfect`` criterion.

In :meth:`Model.extensive_game` the platform's choice :math:`b` (Lax or Audit) is seen by everyone, and the
subgame after it is the followers' simultaneous game :math:`G_b` (the buyer's information set holds every
seller choice). A subgame-perfect equilibrium picks a Nash equilibrium :math:`e_b` of every :math:`G_b` and a
best choice of the platform against them. So the play :math:`(b, e)` happens in *some* subgame-perfect
equilibrium exactly when :math:`e` is an equilibrium of :math:`G_b` and, for every other choice :math:`b'`,
some equilibrium of :math:`G_{b'}` gives the platform no more:

.. math::

    v_P(b, e) \ge \min_{e' \in E(G_{b'})} v_P(b', e') \quad \text{for all } b' \ne b.

The ``subgame_perfect`` deciding rate is the largest counterfeit rate over these plays. Each :math:`G_b` is
solved for the whole batch by :func:`gametheory.solve_batch` (the vectorised closed form for 2x2 followers'
games), so there is no loop over points;
:func:`~gametheory.solvers.extensive.subgame_perfect.subgame_perfect` on the tree is the reference (tests compare
them). A model without a platform player moves simultaneously, and its subgame-perfect equilibria are its Nash
equilibria.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..games.normal_form import DEFAULT_TOL
from ..models.equilibrium_metrics import extreme_rates, metric_values
from ..solvers import solve_batch
from ._followers import contract_followers, followers_batch, leader_index, metric_tables

__all__ = ["sequential_plays", "subgame_perfect_rates"]

FloatArray = npt.NDArray[np.float64]


def sequential_plays(model: Any, values: dict[str, Any], *, tol: float = DEFAULT_TOL,
                     metrics: tuple[str, ...] = ("counterfeit_rate",)) -> tuple[npt.NDArray[np.bool_],
                                                                                  dict[str, FloatArray]]:
    """Which plays ``(platform choice b, followers' equilibrium e)`` occur in a subgame-perfect equilibrium.

    Parameters
    ----------
    model : Model
        A model with a platform player.
    values : dict
        Parameter name -> flat array of ``N`` values (the others keep the model's values).
    tol : float
        Solver tolerance; platform payoffs within ``tol * scale`` count as ties.
    metrics : tuple of str
        Metrics to return for every play.

    Returns
    -------
    (ndarray, dict)
        ``occurs`` of shape ``(N, B, K)`` (``B`` platform choices, ``K`` followers' equilibria, padded) and
        metric name -> ``(N, B, K)`` values (NaN where there is no such equilibrium).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> occurs, out = sequential_plays(gt.models.get("direct"), {"penalty_multiplier": np.array([0.0, 4.0])})
    >>> occurs.shape[:2], np.round(np.nanmax(np.where(occurs, out["counterfeit_rate"], np.nan), axis=(1, 2)), 4)
    ((2, 2), array([1.    , 0.0154]))
    """
    lead = leader_index(model)
    assert lead is not None
    payoffs = model.batch(**values).payoffs
    n_points, n_lead = payoffs.shape[0], model.shape[lead]
    tables = metric_tables(model, values, tuple(dict.fromkeys((*metrics, "platform_profit"))))
    leader_table = payoffs[:, lead]
    scale = np.maximum(1.0, np.abs(payoffs.reshape(n_points, -1)).max(axis=1))
    solutions = []
    for b in range(n_lead):
        weights = np.zeros((n_points, n_lead))
        weights[:, b] = 1.0
        sol = solve_batch(followers_batch(model, payoffs, weights), tol=tol)
        value = contract_followers(model, leader_table, weights, sol.profiles)
        out = {m: contract_followers(model, tables[m], weights, sol.profiles) for m in metrics}
        solutions.append((sol.valid, value, out))
    k = max(v.shape[1] for v, _, _ in solutions)
    valid = np.stack([_pad(v, k, False) for v, _, _ in solutions], axis=1)
    value = np.stack([_pad(np.where(v, x, np.nan), k, np.nan) for v, x, _ in solutions], axis=1)
    worst = np.where(valid, value, np.inf).min(axis=2)  # (N, B): the platform's least value after each choice
    occurs = valid.copy()
    for b in range(n_lead):
        for other in range(n_lead):
            if other != b:
                occurs[:, b] &= value[:, b] >= (worst[:, other] - tol * scale)[:, None]
    result = {m: np.stack([_pad(o[m], k, np.nan) for _, _, o in solutions], axis=1) for m in metrics}
    return occurs, result


def subgame_perfect_rates(model: Any, values: dict[str, Any], *, tol: float = DEFAULT_TOL
                          ) -> tuple[FloatArray, FloatArray]:
    """The largest counterfeit rate over the subgame-perfect equilibria at each of ``N`` points (the criterion),
    and the largest trade rate among the plays attaining it.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> rate, trade = subgame_perfect_rates(gt.models.get("escrow"), {"penalty_multiplier": np.array([1.0, 3.0])})
    >>> rate.round(4), trade
    (array([0.0694, 0.0231]), array([1., 1.]))
    """
    if leader_index(model) is None:  # no leader: the subgame-perfect equilibria are the Nash equilibria
        solution = solve_batch(model.batch(**values), tol=tol)
        return extreme_rates(metric_values(model, solution, values, "counterfeit_rate"),
                             metric_values(model, solution, values, "trade_rate"), solution.valid, largest=True)
    occurs, out = sequential_plays(model, values, tol=tol, metrics=("counterfeit_rate", "trade_rate"))
    masked = np.where(occurs, out["counterfeit_rate"], -np.inf)
    rate = masked.max(axis=(1, 2))
    attains = occurs & (np.abs(masked - rate[:, None, None]) <= 1e-9)
    trade = np.where(attains, out["trade_rate"], -np.inf).max(axis=(1, 2))
    ok = np.isfinite(rate)
    return np.where(ok, rate, np.nan), np.where(ok & np.isfinite(trade), trade, np.nan)


def _pad(array: np.ndarray, k: int, fill: Any) -> np.ndarray:
    if array.shape[1] == k:
        return array
    out = np.full((array.shape[0], k), fill, dtype=array.dtype)
    out[:, : array.shape[1]] = array
    return out
