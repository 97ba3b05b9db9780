"""gt.qre.logit_path: the principal branch, its points, and its limit among the equilibria gt.solve returns."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests import _named_games as named_games
from tests.qre import _gambit

KNOWN = named_games.json_games()


def _listed(path, profile) -> bool:
    return any(all(np.abs(a - b).max() <= 1e-9 for a, b in zip(eq.profile, profile, strict=True))
               for eq in path.equilibria)


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_limit_is_an_equilibrium_returned_by_solve(case):
    path = gt.qre.logit_path(case.game)
    assert path.selected_index is not None
    assert path.selected is path.equilibria[path.selected_index]
    assert _listed(path, path.selected.profile)
    gap = max(np.abs(a - b).max() for a, b in zip(path.limit.profile, path.selected.profile, strict=True))
    assert gap <= gt.qre.MATCH_TOL
    assert path.limit.regret <= 1e-6 * case.game.scale


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_limit_matches_pygambit_logit_solve(case):
    path = gt.qre.logit_path(case.game)
    for ours, theirs in zip(path.limit.profile, _gambit.limit(case.game), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_random_games_select_a_listed_equilibrium_and_agree_with_pygambit(seed):
    rng = np.random.default_rng(seed)
    shape = [(3, 3), (2, 2, 2), (2, 3, 2)][seed % 3]
    game = gt.NormalFormGame(rng.normal(size=(len(shape), *shape)))
    path = gt.qre.logit_path(game)
    assert path.success and path.selected_index is not None
    for ours, theirs in zip(path.selected.profile, _gambit.limit(game), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_points_lie_on_the_branch():
    game = gt.NormalFormGame(np.random.default_rng(3).normal(size=(2, 3, 3)))
    path = gt.qre.logit_path(game)
    assert path.lambdas[0] == 0 and len(path) == path.nit + 1
    for k in range(0, len(path), max(1, len(path) // 10)):
        lam, profile = path.lambdas[k], path.profile(k)
        for own, u in zip(profile, game.deviation_payoffs(profile), strict=True):
            response = np.exp(lam * (u - u.max()))
            np.testing.assert_allclose(own, response / response.sum(), atol=1e-9)


def test_points_agree_with_logit_at_their_lambda_where_the_branch_rises():
    game = named_games.get("von_stengel_2007_3x2").game
    path = gt.qre.logit_path(game)
    rising = np.flatnonzero(np.diff(path.lambdas) > 0)
    assert np.all(np.maximum.accumulate(path.lambdas) == path.lambdas)  # this branch never turns back
    for k in rising[:: max(1, len(rising) // 8)]:
        qre = gt.qre.logit(game, float(path.lambdas[k]))
        for a, b in zip(qre.profile, path.profile(k), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-8)


@pytest.mark.parametrize("name", ["cash_on_delivery", "escrow", "direct", "self_operated"])
def test_models_limit_is_listed(name):
    game = gt.models.get(name).game()
    path = gt.qre.logit_path(game)
    assert path.success and path.selected_index is not None
    for ours, theirs in zip(path.limit.profile, _gambit.limit(game), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_max_lambda_reached_is_reported():
    path = gt.qre.logit_path(named_games.get("von_stengel_2007_3x2").game, max_lambda=0.5)
    assert not path.success
    assert "max_lambda" in path.message
    assert path.lambdas[-1] >= 0.5


def test_bad_input_is_one_line():
    game = named_games.get("von_stengel_2007_3x2").game
    with pytest.raises(InvalidParameterError, match="'max_accel' parameter of logit_path"):
        gt.qre.logit_path(game, max_accel=1.0)
    with pytest.raises(InvalidParameterError, match="'game' parameter"):
        gt.qre.logit_path("not a game")
