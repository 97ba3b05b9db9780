r"""Every equilibrium of every game of a batch of small n-player float games, in compiled calls.

The compiled kernel of :mod:`._support_kernel` runs the support enumeration of every game (conditional dominance,
linear and quadratic systems in closed form, certified coefficient homotopy for the others) in one call (a call a
part of the batch, in parallel threads: :func:`gametheory._threads.in_parts`); pure
equilibria are read off the payoff arrays, vectorised over the batch. A game is solved per game by the
reference path of :func:`gametheory.solve` when the kernel could not certify one of its support systems (a tie, a
continuum), when a candidate fails its regret certificate, or when two candidates coincide.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..._threads import in_parts
from ..._validation import Interval, validate_params
from ...games.batch import GameBatch
from ...games.normal_form import DEFAULT_TOL
from ..batch_solution import BatchSolution
from ..candidates import TOL_FLOOR, game_scale, pack_candidates

__all__ = ["nplayer_batch", "game_seconds"]

#: measured seconds per game and support profile of the batch kernel (2x2x2x2: 81 profiles, about 2.5 ms a game;
#: 3x3x3: 343 profiles, about 12 ms), rounded up
SECONDS_PER_PROFILE = 4e-5

_SAME = 1e-7  # two candidates of a game closer than this (max norm) are one point: the game goes per game
#: the kernel (which releases the GIL) runs in threads on parts of at least this many games
#: (:func:`~gametheory._threads.in_parts`)
THREAD_GAMES = 32


@validate_params({"batch": None, "tol": Interval(float, 0, None)})
def nplayer_batch(batch: GameBatch, *, tol: float = DEFAULT_TOL) -> BatchSolution:
    r"""Every isolated equilibrium of every game of a batch of n-player float games (``n >= 3``).

    Each game's support profiles are solved as by :func:`nplayer_support_enumeration` on a float game (the
    compiled kernel, certified per support system); the games the kernel leaves (ties, continua) are solved
    per game by the reference path and flagged in ``fallback``.

    Parameters
    ----------
    batch : GameBatch
        Games of three or more players.
    tol : float
        Tolerance relative to each game's payoff scale.

    Returns
    -------
    BatchSolution
        ``method="nplayer_support_enumeration"``.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> batch = gt.GameBatch(np.random.default_rng(0).normal(size=(50, 4, 2, 2, 2, 2)))
    >>> sol = nplayer_batch(batch)
    >>> bool((sol.counts % 2 == 1).all()), bool((sol.regrets[sol.valid] <= 1e-9 * 4).all())
    (True, True)
    """
    from ._support_kernel import FALLBACK, kernel_tables, solve_batch_profiles  # lazy: numba

    shape = batch.shape
    n = len(shape)
    payoffs = np.ascontiguousarray(np.asarray(batch.payoffs, dtype=float))
    flat = payoffs.reshape(len(batch), n, int(np.prod(shape)))
    slack = max(tol, TOL_FLOOR) * game_scale(payoffs)
    tables, dims = kernel_tables(shape), np.array(shape, dtype=np.int64)

    def part(a: int, b: int) -> tuple[npt.NDArray[Any], ...]:
        status, games, _, found = solve_batch_profiles(flat[a:b], dims, tables, slack[a:b])
        return status, games + a, found

    status, games, found = (np.concatenate(arrays) for arrays in
                            zip(*in_parts(part, len(batch), min_items=THREAD_GAMES), strict=True))
    pure_games, pure = _pure_equilibria(payoffs, shape, slack)
    games = np.concatenate([pure_games, games])
    profiles = np.concatenate([pure, np.where(_padding(shape)[None], np.nan, found)])
    fallback = (status == FALLBACK).any(axis=1) | _coinciding(games, profiles, len(batch))
    order = np.argsort(games, kind="stable")
    games, profiles = games[order], profiles[order]
    first = np.searchsorted(games, games)
    part: dict[str, Any] = {"profiles": [profiles], "games": [games], "components": [np.arange(games.size) - first],
                            "fallback": fallback, "fits": np.ones(len(batch), dtype=bool),
                            "degenerate": np.zeros(len(batch), dtype=bool), "payoffs": payoffs}
    return pack_candidates([part], batch, tol, "nplayer_support_enumeration")


def game_seconds(shape: tuple[int, ...]) -> float:
    """Estimated seconds per game of :func:`nplayer_batch` on games of ``shape``.

    Examples
    --------
    >>> game_seconds((2, 2, 2, 2)) < game_seconds((3, 3, 3)) < 0.1
    True
    """
    return SECONDS_PER_PROFILE * float(np.prod([2**s - 1 for s in shape]))


def _padding(shape: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    """``(n, max_s)``: True past each player's number of strategies."""
    return np.arange(max(shape))[None, :] >= np.array(shape)[:, None]


def _pure_equilibria(payoffs: npt.NDArray[np.float64], shape: tuple[int, ...], slack: npt.NDArray[np.float64]
                     ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Games and profiles ``(E, n, max_s)`` of every pure equilibrium (no player gains more than ``slack``)."""
    n = len(shape)
    ok = np.ones((payoffs.shape[0], *shape), dtype=bool)
    for i in range(n):
        ok &= payoffs[:, i] >= payoffs[:, i].max(axis=1 + i, keepdims=True) - slack.reshape((-1,) + (1,) * n)
    hits = np.argwhere(ok)
    out = np.where(_padding(shape)[None], np.nan, np.zeros((hits.shape[0], n, max(shape))))
    for i in range(n):
        out[np.arange(hits.shape[0]), i, hits[:, 1 + i]] = 1.0
    return hits[:, 0], out


def _coinciding(games: npt.NDArray[np.intp], profiles: npt.NDArray[np.float64], n_games: int) -> npt.NDArray[np.bool_]:
    """Games with two candidates closer than ``_SAME`` (a root on the boundary of two supports: a tie)."""
    from ._support_kernel import close_pairs  # lazy: numba

    flat = np.nan_to_num(profiles.reshape(profiles.shape[0], int(np.prod(profiles.shape[1:]))))
    order = np.argsort(games, kind="stable")
    return close_pairs(np.ascontiguousarray(games[order], dtype=np.int64), flat[order], n_games, _SAME)
