"""Which path a game or a batch takes through the solvers, and what it is estimated to cost before it starts.

:func:`batch_path` picks :func:`~gametheory.solvers.solve_batch`'s path for a shape (the vectorised closed form,
the compiled n-player or hub-and-spokes kernels, or game by game) and :func:`batch_game_seconds` its cost per
game; :func:`auto_method` is the per-game method of ``auto`` on what the dominance pass leaves;
:func:`check_applicable` and :func:`check_work` refuse a method that cannot take a game, or one past the work
limit (naming the cheaper methods).
"""

from __future__ import annotations

import math

from .. import limits
from ..errors import SolverError
from ..games.normal_form import NormalFormGame
from ._interpreted import compiled_at_no_cost
from .registry import METHODS

__all__ = ["batch_path", "batch_game_seconds", "check_work", "check_applicable", "auto_method",
           "nplayer_batch_shape", "nplayer_first", "hub_spokes_shape"]


def batch_path(shape: tuple[int, ...], method: str = "auto") -> str:
    """The path :func:`solve_batch` takes for games of ``shape``: ``closed_form``, ``n_player`` (the compiled n-player
    kernel, float batches), ``hub_spokes`` or ``per_game``.

    Examples
    --------
    >>> batch_path((2, 2, 2)), batch_path((3, 3))
    ('closed_form', 'per_game')
    """
    if method in ("auto", "closed_form") and shape in ((2, 2), (2, 2, 2)):
        return "closed_form"
    if method == "auto" and nplayer_batch_shape(shape):
        return "n_player"
    if method == "hub_spokes" or (method == "auto" and hub_spokes_shape(shape)):
        return "hub_spokes"
    return "per_game"


def batch_game_seconds(shape: tuple[int, ...], method: str = "auto") -> float:
    """Estimated seconds per game of a batch of ``shape`` (:mod:`gametheory.limits`: the vectorised paths'
    measured rates, else :func:`~gametheory.limits.solver_seconds` of ``auto``).

    Examples
    --------
    >>> batch_game_seconds((2, 2, 2)) < batch_game_seconds((3, 4, 2, 2)) < batch_game_seconds((6, 6, 6))
    True
    """
    path = batch_path(shape, method)
    if path == "closed_form":
        return limits.CLOSED_FORM_BATCH_SECONDS
    if path == "hub_spokes":
        return limits.HUB_SPOKES_BATCH_SECONDS
    if path == "n_player":
        from .n_player.batch import game_seconds  # lazy: the n-player package loads sympy

        return game_seconds(shape)
    return limits.solver_seconds(shape, "auto")


def check_work(shape: tuple[int, ...], method: str, max_seconds: float | None, label: str = "",
                note: str = "") -> None:
    """Refuse ``method`` on a game of ``shape`` past the work limit, naming cheaper methods that apply."""
    seconds = limits.solver_seconds(shape, method)
    limit = limits.MAX_SECONDS if max_seconds is None else max_seconds
    if seconds <= limit:
        return
    dims = "x".join(map(str, shape))
    cheaper = [(m, limits.solver_seconds(shape, m)) for m in ("pure", "lemke_howson") if m != method
               and (m == "pure" or len(shape) == 2)]
    notes = {"pure": "; pure equilibria only", "lemke_howson": "; some equilibria"}
    options = ", ".join(f"method={m!r} (about {limits.format_seconds(t)}{notes[m]})" for m, t in cheaper)
    limits.check_seconds(seconds, what=f"solve(method={label or repr(method)}) on a {dims} game{note}", limit=limit,
                         remedy=f"Use another method: {options}." if options else "")


def check_applicable(game: NormalFormGame, method: str) -> None:
    """Raise :class:`~gametheory.errors.SolverError` when ``method`` does not take ``game`` (its entry of
    :data:`~gametheory.solvers.METHODS` says which games it accepts)."""
    accepts = METHODS[method][2]
    ok = (
        accepts == "any"
        or (accepts == "2 players" and game.n_players == 2)
        or (accepts == "2x2 or 2x2x2" and game.shape in ((2, 2), (2, 2, 2)))
        or (accepts == "hub-and-spokes" and hub_spokes_shape(game.shape))
    )
    if not ok:
        dims = "x".join(map(str, game.shape))
        raise SolverError(
            f"The {method!r} method handles {accepts} games only. Got a {game.n_players}-player {dims} game; "
            f"use method='auto' or 'support_enumeration'."
        )


def auto_method(game: NormalFormGame) -> str:
    """The per-game method ``auto`` runs on ``game``: ``closed_form`` (2x2, 2x2x2), ``vertex_enumeration``
    (2 players) or ``support_enumeration``.

    >>> import gametheory as gt
    >>> auto_method(gt.NormalFormGame([[[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [1, 0, 1]]]))
    'vertex_enumeration'
    """
    if game.shape in ((2, 2), (2, 2, 2)):
        return "closed_form"
    if game.n_players == 2:
        return "vertex_enumeration"
    return "support_enumeration"


def nplayer_batch_shape(shape: tuple[int, ...]) -> bool:
    """Small n-player shapes the compiled n-player kernel batches (``auto``), except those the hub-and-spokes
    kernel takes: 3 players whose third has 2 strategies (its structure fits every such game, and it is faster)
    and the payment models' 4-player shapes; 2x2x2x2, where that structure rarely fits, is ours."""
    if len(shape) <= 2 or shape == (2, 2, 2):
        return False
    pivot = len(shape) == 3 and shape[2] == 2
    if hub_spokes_shape(shape) and max(shape) > 2 and (len(shape) != 3 or pivot):
        return False  # the hub-and-spokes kernel's (decided before the import below)
    from .n_player.support_enumeration import COMPILED_MAX_PROFILES  # lazy: loads sympy

    return math.prod(2**s - 1 for s in shape) <= COMPILED_MAX_PROFILES


def nplayer_first(game: NormalFormGame) -> bool:
    """One game ``auto`` gives the compiled n-player kernel before the hub-and-spokes solver: a general float game
    of three players with at most three strategies each (the kernel's conditions,
    :func:`~gametheory.solvers.n_player.support_enumeration.compiled_path_applies`). Every support profile of such
    a game has a closed form (two players mixing: linear; three: sizes (2, 2, 2), (2, 2, 3), (2, 3, 3) or
    (3, 3, 3)), and the kernel is quicker on one game (3x3x2: about 0.48 ms of CPU against 0.60 ms, both compiled;
    the hub-and-spokes kernel also runs interpreted for a process's first calls, 9-15 ms); on batches the
    hub-and-spokes kernel stays faster (:func:`batch_path`). Structured games with ties (the payment models') keep
    the hub-and-spokes solver, and so does every game until numba is loaded in the process (the n-player kernel is
    compiled only: loading numba costs a new process about 0.5-3 s once, where the interpreted hub-and-spokes
    kernel takes 10-50 ms a game; :func:`~gametheory.solvers._interpreted.compiled_at_no_cost`)."""
    if game.n_players != 3 or max(game.shape) > 3 or game.is_exact:
        return False
    if not compiled_at_no_cost():  # a new process: the hub-and-spokes kernel, interpreted, before loading numba
        return False
    from .n_player.support_enumeration import compiled_path_applies  # lazy: loads sympy

    return compiled_path_applies(game)


def hub_spokes_shape(shape: tuple[int, ...]) -> bool:
    """True when games of ``shape`` have the hub-and-spokes structure the ``hub_spokes`` kernel solves (and are
    not the closed form's 2x2 or 2x2x2)."""
    from .hub_spokes import hub_spokes_roles  # lazy: loaded on first use

    return shape not in ((2, 2), (2, 2, 2)) and hub_spokes_roles(shape) is not None
