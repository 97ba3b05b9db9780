"""What the solvers accept as a game, turned into a :class:`~gametheory.NormalFormGame`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from .extensive_form import ExtensiveFormGame
from .normal_form import NormalFormGame

__all__ = ["as_normal_form"]


def as_normal_form(game: Any, func: str) -> NormalFormGame:
    """``game`` as a :class:`NormalFormGame`: a game as is, a tree by its reduced normal form, an array or a
    ``nashpy.Game`` through :class:`NormalFormGame`; anything else is refused naming ``func``.

    Examples
    --------
    >>> from gametheory.games.coerce import as_normal_form
    >>> as_normal_form([[[1, 0]], [[0, 1]]], "solve").shape
    (1, 2)
    >>> as_normal_form("game.nfg", "solve")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: The 'game' parameter of solve must be ... Got str instead.
    """
    if isinstance(game, NormalFormGame):
        return game
    if isinstance(game, ExtensiveFormGame):  # solved on its reduced normal form
        return game.to_normal_form()
    if hasattr(game, "payoff_matrices") or isinstance(game, (list, tuple, np.ndarray)):
        return NormalFormGame(game)
    raise InvalidParameterError(
        f"The 'game' parameter of {func} must be a NormalFormGame, an ExtensiveFormGame, a payoff array or a "
        f"nashpy.Game. Got {type(game).__name__} instead."
    )
