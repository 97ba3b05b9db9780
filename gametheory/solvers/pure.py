r"""Pure-strategy Nash equilibria, vectorised over whole batches of games.

A pure profile :math:`a` is a Nash equilibrium iff for every player *i*
:math:`u_i(a) \ge \max_{s} u_i(s, a_{-i})` (here: within ``tol``). For an array of games of shape
``(N, n, s_1, ..., s_n)`` this is one ``max`` over each player's own axis and one comparison: no loop over
games or profiles.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..games.normal_form import DEFAULT_TOL

if TYPE_CHECKING:
    from ..games.equilibrium import Equilibria
    from ..games.normal_form import NormalFormGame

__all__ = ["pure", "pure_equilibrium_mask"]


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


def pure(game: NormalFormGame, *, tol: float = DEFAULT_TOL) -> Equilibria:
    """Every pure Nash equilibrium of an n-player game.

    The enumeration is complete for pure equilibria; mixed equilibria are not searched.

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> [e.support for e in gt.solve(pd, method="pure")]
    [((1,), (1,))]
    """
    from ..games.equilibrium import Equilibria, Equilibrium

    profiles = game.pure_equilibria(tol=tol)
    eqs = [Equilibrium.from_profile(game, _pure_profile(game.shape, a, game.is_exact)) for a in profiles]
    return Equilibria(eqs, method="pure", complete=False, degenerate=False, tol=tol, exact=game.is_exact,
                      message="pure equilibria only")


def _pure_profile(shape: tuple[int, ...], action: tuple[int, ...], exact: bool) -> list[npt.NDArray[Any]]:
    out = []
    for s, a in zip(shape, action, strict=True):
        vec = np.array([Fraction(0)] * s, dtype=object) if exact else np.zeros(s)
        vec[a] = 1
        out.append(vec)
    return out
