r"""The followers' game once the platform (the leader) has moved: batches, metric tables, contractions.

The platform's move :math:`w` is a probability vector over its strategies (a pure choice or a committed audit
rate :math:`x`, ``w = (1 - x, x)``). The followers (seller, buyer, hunter) then play the game whose payoffs are
the model's, averaged over the platform's move, :math:`u_F(a_F; w) = \sum_b w_b\, u_F(a_F, b)`, and every metric
:math:`M` of a followers' profile :math:`\tau` is the multilinear extension :math:`M(\tau, w)`. Everything here
works on ``N`` parameter points at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..games.batch import GameBatch
from ..games.normal_form import NormalFormGame
from ..models.metrics import METRICS, contract
from ..models.sequential import LEADER

__all__ = ["leader_index", "followers_batch", "followers_game", "metric_tables", "contract_followers"]

FloatArray = npt.NDArray[np.float64]


def leader_index(model: Any) -> int | None:
    """Index of the platform among the model's players, or None (self-operated: the platform is the seller).

    Examples
    --------
    >>> import gametheory as gt
    >>> leader_index(gt.models.get("direct")), leader_index(gt.models.get("self_operated"))
    (2, None)
    """
    players = list(model.players)
    return players.index(LEADER) if LEADER in players else None


def _average(tables: FloatArray, axis: int, weights: FloatArray) -> FloatArray:
    """Average ``tables`` (leading axis N) over ``axis`` with per-point ``weights`` of shape ``(N, s)``."""
    moved = np.moveaxis(tables, axis, -1)
    w = weights.reshape(weights.shape[0], *([1] * (moved.ndim - 2)), weights.shape[1])
    out: FloatArray = (moved * w).sum(axis=-1)
    return out


def followers_batch(model: Any, payoffs: FloatArray, weights: FloatArray) -> GameBatch:
    """The followers' games at ``N`` points: payoffs ``(N, n, *shape)`` averaged over the leader's move ``weights``.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> m = gt.models.get("direct")
    >>> b = followers_batch(m, m.batch().payoffs, np.array([[0.5, 0.5]]))
    >>> b.players, b.shape
    (('seller', 'buyer'), (2, 2))
    """
    lead = leader_index(model)
    assert lead is not None
    keep = [i for i in range(len(model.players)) if i != lead]
    sub = _average(payoffs[:, keep], 2 + lead, weights)
    return GameBatch(sub, tuple(model.players[i] for i in keep), tuple(model.strategies[i] for i in keep))


def followers_game(model: Any, audit_rate: float) -> NormalFormGame:
    """The followers' game at the model's parameters once the platform has committed to ``audit_rate``.

    Examples
    --------
    >>> import gametheory as gt
    >>> followers_game(gt.models.get("direct"), 0.5).players
    ('seller', 'buyer')
    """
    weights = np.array([[1.0 - audit_rate, audit_rate]])
    return followers_batch(model, model.game().payoffs[None], weights)[0]


def metric_tables(model: Any, values: dict[str, Any], names: tuple[str, ...] = METRICS) -> dict[str, FloatArray]:
    """Metric name -> ``(N, *shape)`` table of its value at every pure profile, at ``N`` points.

    Examples
    --------
    >>> import gametheory as gt
    >>> tables = metric_tables(gt.models.get("direct"), {"price": [100.0, 200.0]}, ("counterfeit_rate",))
    >>> tables["counterfeit_rate"].shape
    (2, 2, 2, 2)
    """
    args, n = model.numeric_arguments(values)
    funcs = model.numeric_functions()["metrics"]
    flat_args = [args[k] for k in model.numeric_names]
    out = {}
    for name in names:
        flat = funcs[name](*flat_args)
        out[name] = np.stack([np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in flat], axis=1).reshape(
            n, *model.shape)
    return out


def contract_followers(model: Any, table: FloatArray, weights: FloatArray, profiles: FloatArray) -> FloatArray:
    """``(N, K)`` values of a per-profile ``table`` ``(N, *shape)`` at the leader's move and each followers' profile.

    ``profiles`` is a followers' :attr:`BatchSolution.profiles` array ``(N, K, n - 1, max_strategies)``.
    """
    lead = leader_index(model)
    assert lead is not None
    reduced = _average(table, 1 + lead, weights)
    shape = [s for i, s in enumerate(model.shape) if i != lead]
    vectors = [profiles[:, :, j, :s] for j, s in enumerate(shape)]
    with np.errstate(invalid="ignore"):
        return contract(reduced.reshape(reduced.shape[0], 1, *shape), vectors, lead=2)
