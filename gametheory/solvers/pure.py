r"""The ``pure`` solver: every pure Nash equilibrium of one game (the vectorised test is
:func:`gametheory.games.pure.pure_equilibrium_mask`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from ..games.equilibrium import Equilibria, Equilibrium
from ..games.normal_form import DEFAULT_TOL, NormalFormGame

__all__ = ["pure"]


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
