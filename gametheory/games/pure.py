r"""Pure-strategy Nash equilibria, vectorised over whole batches of games.

A pure profile :math:`a` is a Nash equilibrium iff for every player *i*
:math:`u_i(a) \ge \max_{s} u_i(s, a_{-i})` (here: within ``tol``). For an array of games of shape
``(N, n, s_1, ..., s_n)`` this is one ``max`` over each player's own axis and one comparison: no loop over
games or profiles.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["pure_equilibrium_mask"]


def pure_equilibrium_mask(payoffs: npt.NDArray[Any], *, tol: float = 0.0) -> npt.NDArray[np.bool_]:
    """Boolean array ``(N, s_1, ..., s_n)``: True where the pure profile is an equilibrium of game ``N``.

    ``payoffs`` has shape ``(N, n_players, s_1, ..., s_n)``; ``tol`` is an absolute payoff tolerance.

    Examples
    --------
    >>> pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]])
    >>> np.argwhere(pure_equilibrium_mask(pd)[0]).tolist()
    [[1, 1]]
    """
    n = payoffs.shape[1]
    slack = Fraction(tol) if payoffs.dtype == object else tol  # exact games stay exact
    mask = np.ones((payoffs.shape[0],) + payoffs.shape[2:], dtype=bool)
    for i in range(n):
        own = payoffs[:, i]
        best = own.max(axis=1 + i, keepdims=True)
        mask &= own >= best - slack
    return mask
