"""The kernels' shared certificate: expected payoffs and regrets of candidate profiles, against each game's own
``expected_payoffs`` and ``regret``."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.candidates import payoffs_and_regrets


@pytest.mark.parametrize("shape", [(3, 4, 2, 2), (2, 4, 2), (2, 3)])
def test_payoffs_and_regrets_agree_with_the_games(shape):
    rng = np.random.default_rng(3)
    n = len(shape)
    U = rng.normal(size=(5, n, *shape))
    games = np.array([0, 0, 2, 4, 4, 4, 1])  # several candidates per game, some games without one
    profiles = np.full((games.size, n, max(shape)), np.nan)
    for e in range(games.size):
        for i, s in enumerate(shape):
            w = rng.random(s) * (rng.random(s) < 0.7)
            w[rng.integers(s)] += 0.1
            profiles[e, i, :s] = w / w.sum()
    pay, reg = payoffs_and_regrets(U, profiles, shape, games)
    same = payoffs_and_regrets(U[games], profiles, shape)
    for e, g in enumerate(games):
        game = gt.NormalFormGame(U[g])
        profile = [profiles[e, i, :s] for i, s in enumerate(shape)]
        np.testing.assert_allclose(pay[e], game.expected_payoffs(profile), rtol=1e-12, atol=1e-12)
        assert reg[e] == pytest.approx(game.regret(profile), abs=1e-12)
    np.testing.assert_array_equal(pay, same[0])
    np.testing.assert_array_equal(reg, same[1])
