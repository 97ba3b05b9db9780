"""Equilibrium solvers behind :func:`solve` and :func:`solve_batch`: the facade over the solver families.

This module is the facade: :func:`solve`, :func:`solve_batch` and the method registry (:data:`METHODS`,
:func:`get_solver`, from :mod:`.registry`: each method's module is imported on first use). How a game is routed
and what it costs is :mod:`.routing`; the ``auto`` method, its reference path and the rescaling every answer goes
through are :mod:`.auto`. The algorithms live in folders by family, each with a module docstring saying what it
owns:

- :mod:`.two_player` — support enumeration, vertex enumeration and Lemke–Howson on bimatrix games;
- :mod:`.n_player` — support enumeration for three or more players (exact, numeric and homotopy paths);
- :mod:`.closed_form` — 2x2 and 2x2x2 games by formula, one game or whole batches;
- :mod:`.hub_spokes` — the extended payment games (a hub facing independent spokes), batched;
- :mod:`.extensive` — backward induction and subgame perfection on trees;
- :mod:`.pure` — pure equilibria only; :mod:`.batch_solution` — the batch result type.

==========================  =========================  ==============================================
method                      games                      guarantee
==========================  =========================  ==============================================
``pure``                    any                        every pure equilibrium
``support_enumeration``     any (2-player & n-player)  every isolated equilibrium of generic games
``vertex_enumeration``      2 players                  every extreme equilibrium, degenerate included
``lemke_howson``            2 players                  equilibria reachable from every starting label
``closed_form``             2x2 and 2x2x2              every equilibrium, by formula
``hub_spokes``              hub-and-spokes games       every extreme equilibrium (the extended payment
                            (3 or 4 players)           games), per-game fallback where a tie is met
``auto``                    any                        dominance reduction, then the best of the above
==========================  =========================  ==============================================
"""

from __future__ import annotations

import math
from typing import Any

from .. import limits
from .._validation import Interval, NoneOr, StrOptions, validate_params
from ..errors import InvalidParameterError, SolverError
from ..games.batch import GameBatch
from ..games.coerce import as_normal_form
from ..games.equilibrium import Equilibria
from ..games.normal_form import DEFAULT_TOL
from .auto import continuum_flag, has_continuum, rescaled, solve_auto, solve_reference, unit_game
from .batch_solution import BatchSolution
from .registry import METHODS, get_solver
from .routing import batch_game_seconds, batch_path, check_applicable, check_work, hub_spokes_shape
from .two_player.small import solve_small

__all__ = ["solve", "solve_batch", "solve_reference", "METHODS", "BatchSolution", "get_solver", "has_continuum"]


@validate_params(
    {
        "game": None,
        "method": StrOptions({"auto", *METHODS}),
        "tol": Interval(float, 0, 1),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
    }
)
def solve(game: Any, method: str = "auto", *, tol: float = DEFAULT_TOL, max_seconds: float | None = None) -> Equilibria:
    r"""Every Nash equilibrium of a normal-form game.

    ``method="auto"`` solves 2x2 and 2x2x2 games by formula (``closed_form``), and float 2-player games with
    :math:`\binom{m+n}{m} \le 12870` (up to 8x8) by ``vertex_enumeration`` on the whole game (its compiled
    kernel finds every equilibrium quicker than a dominance pass would save; one fused compiled call from the
    payoffs to the checked, sorted equilibria, :mod:`.two_player.small`). Otherwise it first removes
    strictly dominated strategies (this never changes the set of equilibria) — by pure strategies for 2-player
    games, by pure and mixed ones (one LP each) for n players, where every removed strategy shrinks the support
    enumeration — then solves what is left with ``vertex_enumeration`` (2 players: complete, degenerate games
    included) or ``support_enumeration`` (n players), and maps the answers back to the original strategies.
    Every returned equilibrium has ``regret <= tol * scale``, where ``scale = max |payoff|``.

    The answer does not depend on the payoffs' unit: equilibria of :math:`cA` are those of :math:`A` for every
    :math:`c > 0`, because the method runs on the game divided by a power of two near its scale (exactly, bit
    for bit) and payoffs and regrets are multiplied back. Before any work, the method's cost is estimated from
    the game's shape (:func:`gametheory.limits.solver_seconds`; for ``auto`` on the shape left after removing
    dominated strategies) and a call past ``max_seconds`` is refused.

    Parameters
    ----------
    game : NormalFormGame, ExtensiveFormGame or array_like
        The game (an array is converted with :class:`NormalFormGame`; a tree is solved on its reduced normal
        form, so the profiles are over its reduced plans).
    method : str
        ``"auto"`` or one of :data:`METHODS`.
    tol : float
        Tolerance relative to the payoff scale.
    max_seconds : float, optional
        Refuse when the estimated work passes this many seconds; default
        :data:`gametheory.limits.MAX_SECONDS`.

    Returns
    -------
    Equilibria
        A list of :class:`Equilibrium` with ``method``, ``complete``, ``degenerate`` and ``tol``.

    Raises
    ------
    InvalidParameterError
        Unknown method or bad tolerance.
    SolverError
        The method cannot handle this game (e.g. ``lemke_howson`` on 3 players).
    LimitError
        The estimated work passes ``max_seconds`` (the message suggests cheaper methods).

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = gt.solve(bos)
    >>> len(eqs), eqs.complete
    (3, True)
    >>> [[round(float(p), 3) for p in v] for v in eqs[-1].profile]
    [[0.75, 0.25], [0.25, 0.75]]
    >>> tiny = gt.NormalFormGame(bos.payoffs * 1e-10)     # same equilibria in any unit
    >>> len(gt.solve(tiny)), float(gt.solve(tiny)[0].payoffs[0])
    (3, 3e-10)
    """
    game = as_normal_form(game, "solve")
    if method == "auto" and max_seconds is None:  # small float bimatrix games: one fused compiled call
        small = solve_small(game, tol)
        if small is not None:
            return small
    factor, unit = unit_game(game)
    if method != "auto":
        check_applicable(game, method)
        check_work(game.shape, method, max_seconds)
        return rescaled(continuum_flag(unit, get_solver(method)(unit, tol=tol), tol), factor)
    return rescaled(continuum_flag(unit, solve_auto(unit, tol, max_seconds), tol), factor)


@validate_params(
    {
        "batch": None,
        "method": StrOptions({"auto", "closed_form", "hub_spokes", "per_game"}),
        "tol": Interval(float, 0, 1),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
        "max_points": NoneOr(Interval(int, 1, None)),
    }
)
def solve_batch(batch: GameBatch, *, method: str = "auto", tol: float = DEFAULT_TOL, max_seconds: float | None = None,
                max_points: int | None = None) -> BatchSolution:
    """Every equilibrium of every game of a batch.

    ``method="auto"`` uses the vectorised ``closed_form`` kernel for 2x2 and 2x2x2 batches (numpy over the whole
    batch, no Python loop over games), the compiled ``hub_spokes`` kernel for the extended payment games
    (3x4x2x2, 2x4x2x2, 2x4x2 and every 3- or 4-player game of that structure; games it cannot finish go to
    the per-game path, counted in ``BatchSolution.fallback``) and the ``per_game`` reference path
    (:func:`solve` on each game) otherwise. Games have different numbers of equilibria, so the result's arrays
    are padded with NaN past each game's ``counts`` (``BatchSolution.valid`` marks the real entries). Before any
    work the batch's size and estimated work (games x :func:`batch_game_seconds`) are checked against
    ``max_points`` and ``max_seconds``.

    Parameters
    ----------
    batch : GameBatch
        The games.
    method : {"auto", "closed_form", "hub_spokes", "per_game"}
        How to solve them.
    tol : float
        Tolerance relative to each game's payoff scale.
    max_seconds, max_points : optional
        Raise the limits :data:`gametheory.limits.MAX_SECONDS` and :data:`gametheory.limits.MAX_POINTS` (games).

    Raises
    ------
    SolverError
        ``closed_form`` on a shape other than 2x2 or 2x2x2.
    LimitError
        Too many games, or too much estimated work.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> batch = gt.GameBatch(np.random.default_rng(0).normal(size=(100, 2, 2, 2)))
    >>> sol = gt.solve_batch(batch)
    >>> bool((sol.counts >= 1).all())
    True
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of solve_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    vectorised = batch.shape in ((2, 2), (2, 2, 2))
    if method == "closed_form" and not vectorised:
        raise SolverError(
            f"The 'closed_form' batch method handles 2x2 and 2x2x2 games only. Got {batch.shape}; use "
            f"method='per_game' (or 'auto')."
        )
    dims = "x".join(map(str, batch.shape))
    limits.check_points(len(batch), what=f"solve_batch of {len(batch):,} {dims} games", limit=max_points,
                        remedy="Split the batch, or sweep it on the Dask backend.")
    fast = method in ("auto", "closed_form") and vectorised
    path = batch_path(batch.shape, method)
    limits.check_seconds(len(batch) * batch_game_seconds(batch.shape, method), limit=max_seconds,
                         what=f"solve_batch of {len(batch):,} {dims} games ({path})",
                         remedy="Split the batch, or sweep it on the Dask backend.")
    if fast:
        from .closed_form import closed_form_batch  # lazy: loaded on first use

        return closed_form_batch(batch, tol=tol)
    if path == "n_player" and batch.payoffs.dtype != object:
        from .n_player.batch import nplayer_batch  # lazy: loaded on first use

        return nplayer_batch.__wrapped__(batch, tol=tol)  # type: ignore[attr-defined]  # tol is checked already
    if method == "hub_spokes" or (method == "auto" and hub_spokes_shape(batch.shape)):
        from .hub_spokes import hub_spokes_batch  # lazy: loaded on first use

        return hub_spokes_batch(batch, tol=tol)
    results = [solve(game, tol=tol, max_seconds=math.inf) for game in batch]
    return BatchSolution.from_lists(results, batch.shape, method="per_game", tol=tol)
