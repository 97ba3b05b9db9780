r"""Iterated elimination of strictly dominated strategies.

A pure strategy :math:`s` of player *i* is strictly dominated by a mixed strategy :math:`\tau` when
:math:`\sum_t \tau_t\, u_i(t, a_{-i}) > u_i(s, a_{-i})` for every opponents' profile :math:`a_{-i}`. Whether
such a :math:`\tau` exists is the linear programme

.. math::

    \max_{\tau, \varepsilon} \varepsilon \quad\text{s.t.}\quad
    \sum_{t \ne s} \tau_t u_i(t, a_{-i}) - u_i(s, a_{-i}) \ge \varepsilon \;\; \forall a_{-i},
    \quad \tau \ge 0,\; \textstyle\sum_t \tau_t = 1,

and :math:`s` is dominated iff the optimum exceeds the tolerance. Strictly dominated strategies are never
played in any Nash equilibrium, and removing them (in any order) leaves the equilibria unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linprog

if TYPE_CHECKING:
    from .normal_form import NormalFormGame

__all__ = ["eliminate_dominated"]


def eliminate_dominated(
    game: NormalFormGame, *, mixed: bool = True, tol: float = 1e-9
) -> tuple[NormalFormGame, tuple[tuple[int, ...], ...]]:
    """Remove strictly dominated strategies until none is left.

    Parameters
    ----------
    game : NormalFormGame
    mixed : bool
        Also test domination by mixed strategies (one LP per strategy); otherwise by pure ones only.
    tol : float
        A strategy is dominated only when the margin exceeds ``tol * game.scale``.

    Returns
    -------
    reduced : NormalFormGame
        The game restricted to the surviving strategies (``game`` itself when none is dominated).
    kept : tuple of tuples of int
        For each player, the original indices of the surviving strategies.

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])   # prisoner's dilemma
    >>> pd.eliminate_dominated()[1]
    ((1,), (1,))
    """
    kept = [list(range(s)) for s in game.shape]
    subs = list(game.payoffs.astype(float, copy=False))  # each player's payoffs on the surviving strategies
    slack = tol * game.scale
    changed, untouched = True, True
    while changed:
        changed = False
        for i in range(game.n_players):
            if len(kept[i]) == 1:
                continue
            rows = np.swapaxes(subs[i], 0, i).reshape(len(kept[i]), -1)  # own strategy x opponents' profiles
            dominated = _dominated_by_pure(rows, slack)
            if dominated.any():  # all at once: strict dominance by pure strategies is transitive
                kept[i] = [k for k, gone in zip(kept[i], dominated, strict=True) if not gone]
                subs = [np.compress(~dominated, sub, axis=i) for sub in subs]
                rows = rows[~dominated]
                changed, untouched = True, False
            if not mixed:
                continue
            for local in range(len(kept[i]) - 1, -1, -1):
                if len(kept[i]) > 2 and _dominated_by_mixed(rows, local, slack):
                    del kept[i][local]
                    subs = [np.delete(sub, local, axis=i) for sub in subs]
                    rows = np.delete(rows, local, axis=0)
                    changed, untouched = True, False
    kept_t = tuple(tuple(k) for k in kept)
    return (game if untouched else game.restrict(kept_t)), kept_t


def _dominated_by_pure(rows: np.ndarray, slack: float) -> np.ndarray:
    """``rows[s]`` is strictly beaten everywhere by some other row ``rows[t]``, for each ``s`` (one array pass)."""
    beats = (rows[:, None, :] > rows[None, :, :] + slack).all(axis=2)  # beats[t, s]
    return np.asarray(beats.any(axis=0))


def _dominated_by_mixed(rows: np.ndarray, s: int, slack: float) -> bool:
    """The LP of the module docstring: some mix of the other rows beats ``rows[s]`` by more than ``slack``."""
    target = rows[s]
    others = np.delete(rows, s, axis=0)
    m, k = others.shape
    # variables: tau (m), eps; maximise eps  <=>  minimise -eps
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-others.T, np.ones((k, 1))])  # eps - tau.U[:, a] <= -target[a]
    b_ub = -target
    a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0, None)] * m + [(None, None)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
    return bool(res.status == 0 and -res.fun > slack)
