"""gt.qre.logit and logit_batch: the principal-branch QRE at a given lambda, against pygambit and the definition."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests import _named_games as named_games
from tests.qre import _gambit

KNOWN = named_games.json_games()
#: lambda times the payoff span: from nearly uniform to nearly rational play
SPAN_MULTIPLES = (0.5, 2.0, 5.0, 10.0, 30.0)
RANDOM_SHAPES = [(2, 2), (3, 3), (4, 3), (2, 2, 2), (2, 3, 2), (3, 3, 3)]


def _lams(game: gt.NormalFormGame) -> list[float]:
    values = game.payoffs.astype(float)
    return [c / float(values.max() - values.min()) for c in SPAN_MULTIPLES]


def _random_games():
    rng = np.random.default_rng(20051)
    return [(f"random_{'x'.join(map(str, shape))}_{k}", gt.NormalFormGame(rng.normal(size=(len(shape), *shape))))
            for shape in RANDOM_SHAPES for k in range(2)]


def _assert_matches_gambit(game: gt.NormalFormGame) -> None:
    lams = _lams(game)
    theirs = _gambit.at_lambdas(game, lams)
    assert len(theirs) == len(lams)
    batch = gt.qre.logit_batch(gt.GameBatch([game.payoffs.astype(float)] * len(lams)), lams)  # its own steps
    assert batch.success.all()
    for k, (lam, reference) in enumerate(zip(lams, theirs, strict=True)):
        ours = gt.qre.logit(game, lam)
        assert ours.success
        for i, (mine, other) in enumerate(zip(ours.profile, reference, strict=True)):
            np.testing.assert_allclose(mine, other, atol=1e-6, rtol=0)
            np.testing.assert_allclose(batch.profiles[k, i, : len(other)], other, atol=1e-6, rtol=0)


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_matches_pygambit_on_known_games(case):
    _assert_matches_gambit(case.game)


@pytest.mark.parametrize(("name", "game"), _random_games(), ids=lambda v: v if isinstance(v, str) else "")
def test_matches_pygambit_on_random_games(name, game):
    _assert_matches_gambit(game)


def test_battle_of_sexes_follows_gambit_past_its_symmetry_breaking_bifurcation():
    # the game is symmetric under swapping the players' roles: the branch bifurcates, and (as pygambit) we leave
    # the symmetric curve towards the (row 0, column 0) equilibrium
    bos = named_games.get("nashpy_battle_of_sexes_type").game
    qre = gt.qre.logit(bos, 2.0)
    np.testing.assert_allclose(qre.profile[0], [0.99331048495, 0.00668951505], atol=1e-9)
    np.testing.assert_allclose(qre.profile[1], [0.87506273828, 0.12493726172], atol=1e-9)


@pytest.mark.parametrize(("name", "game"), _random_games()[::3], ids=lambda v: v if isinstance(v, str) else "")
def test_profile_is_a_logit_response_to_itself(name, game):
    lam = 3.0
    qre = gt.qre.logit(game, lam)
    for own, u in zip(qre.profile, game.deviation_payoffs(qre.profile), strict=True):
        response = np.exp(lam * (u - u.max()))
        np.testing.assert_allclose(own, response / response.sum(), atol=1e-12)
    assert qre.regret == pytest.approx(game.regret(qre.profile))


def test_lambda_zero_is_uniform_play():
    game = gt.NormalFormGame(np.random.default_rng(1).normal(size=(3, 2, 3, 4)))
    qre = gt.qre.logit(game, 0.0)
    assert [v.tolist() for v in qre.profile] == [[0.5] * 2, [1 / 3] * 3, [0.25] * 4]


def test_batch_equals_single_games_and_takes_one_lambda_per_game():
    rng = np.random.default_rng(7)
    batch = gt.GameBatch(rng.normal(size=(6, 3, 2, 3, 2)))
    lams = np.array([0.0, 0.3, 1.0, 2.0, 5.0, 9.0])
    res = gt.qre.logit_batch(batch, lams)
    assert res.success.all() and res.profiles.shape == (6, 3, 3)
    for g, lam in enumerate(lams):
        single = gt.qre.logit(batch[g], float(lam))
        for i, v in enumerate(single.profile):
            np.testing.assert_allclose(res.profiles[g, i, : len(v)], v, atol=1e-10)
            assert np.isnan(res.profiles[g, i, len(v):]).all()
        assert res.regrets[g] == pytest.approx(single.regret, abs=1e-10)


@pytest.mark.parametrize("name", ["cash_on_delivery", "escrow", "direct", "self_operated"])
def test_model_batch_matches_pygambit(name):
    model = gt.models.get(name)
    batch = model.batch(detection_prob=np.linspace(0.2, 0.9, 5))
    res = gt.qre.logit_batch(batch, 0.2)
    assert res.success.all()
    for g in (0, 4):
        (reference,) = _gambit.at_lambdas(batch[g], [0.2])
        for i, v in enumerate(reference):
            np.testing.assert_allclose(res.profiles[g, i, : len(v)], v, atol=1e-6)


def test_as_solution_gives_model_metrics_at_the_qre():
    model = gt.models.get("direct")
    values = {"penalty_multiplier": np.array([0.5, 3.0])}
    res = gt.qre.logit_batch(model.batch(**values), 0.1)
    rates = model.outcome_arrays(res.as_solution(), **values)["counterfeit_rate"][:, 0]
    np.testing.assert_allclose(rates, res.profiles[:, 0, 1])  # core game: the seller's Counterfeit probability


def test_bad_input_is_one_line():
    bos = named_games.get("nashpy_battle_of_sexes_type").game
    with pytest.raises(InvalidParameterError, match="'lam' parameter of logit must be a float in"):
        gt.qre.logit(bos, -1.0)
    batch = gt.GameBatch([bos.payoffs.astype(float)] * 2)
    with pytest.raises(InvalidParameterError, match="one such float per game"):
        gt.qre.logit_batch(batch, [0.1, 0.2, 0.3])
    with pytest.raises(InvalidParameterError, match="'lam' parameter of logit_batch"):
        gt.qre.logit_batch(batch, [0.1, np.nan])
    with pytest.raises(InvalidParameterError, match="'lam' parameter of logit_batch"):
        gt.qre.logit_batch(batch, "fast")
    with pytest.raises(InvalidParameterError, match="'batch' parameter of logit_batch must be a GameBatch"):
        gt.qre.logit_batch(bos, 0.1)
