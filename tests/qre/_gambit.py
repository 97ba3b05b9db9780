"""pygambit as the independent reference for the logit QRE tests (skipped where it is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt


def gambit_game(game: gt.NormalFormGame):
    gbt = pytest.importorskip("pygambit")
    return gbt.Game.from_arrays(*[np.asarray(game.payoffs[i], dtype=float) for i in range(game.n_players)])


def vectors(profile, gambit) -> list[np.ndarray]:
    """A pygambit mixed profile as one probability vector per player."""
    return [np.array([float(profile[s]) for s in player.strategies]) for player in gambit.players]


def at_lambdas(game: gt.NormalFormGame, lams: list[float]) -> list[list[np.ndarray]]:
    """pygambit's principal-branch QRE at each lambda (``logit_solve_lambda``)."""
    from pygambit import qre

    g = gambit_game(game)
    return [vectors(p.profile, g) for p in qre.logit_solve_lambda(g, lams)]


def limit(game: gt.NormalFormGame) -> list[np.ndarray]:
    """pygambit's end of the principal branch (``logit_solve``)."""
    import pygambit

    g = gambit_game(game)
    return vectors(pygambit.nash.logit_solve(g).equilibria[0], g)


def estimate(game: gt.NormalFormGame, counts: list[np.ndarray]):
    """pygambit's maximum-likelihood fit (``logit_estimate``) to the counts."""
    from pygambit import qre

    g = gambit_game(game)
    data = g.mixed_strategy_profile()
    for strategy, n in zip(g.strategies, np.concatenate(counts), strict=True):
        data[strategy] = float(n)
    return qre.logit_estimate(data)
