"""Lemke–Howson: equilibria reached from every label, iteration caps, bad input."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError, SolverError
from gametheory.solvers.two_player.lemke_howson import lemke_howson, lemke_howson_from
from tests import _named_games as named_games

TWO_PLAYER = named_games.two_player_games()


@pytest.mark.parametrize("case", TWO_PLAYER, ids=lambda c: c.id)
def test_known_games(case):
    """Exactly the known equilibria minus those no path reaches (recorded in ``known_missing``)."""
    missing = set(case.known_missing.get("lemke_howson", ()))
    expected = [p for k, p in enumerate(case.equilibria) if k not in missing]
    eqs = lemke_howson(case.game)
    assert len(eqs) == len(expected)
    assert all(e.regret <= 1e-9 * case.game.scale for e in eqs)
    named_games.assert_same_profiles(eqs, expected)
    assert eqs.success and not eqs.complete
    assert eqs.method == "lemke_howson"


@pytest.mark.parametrize("case", [c for c in TWO_PLAYER if not c.degenerate], ids=lambda c: c.id)
def test_every_run_ends_at_a_known_equilibrium(case):
    m, n = case.game.shape
    for label in range(m + n):
        eqs = lemke_howson_from(case.game, label)
        assert eqs.success
        assert len(eqs) == 1
        assert named_games.contains_profile(case.equilibria, eqs[0])


def test_label_zero_of_battle_of_the_sexes():
    eqs = lemke_howson_from(named_games.get("battle_of_the_sexes").game, 0)
    named_games.assert_same_profiles(eqs, [((1, 0), (1, 0))])
    assert eqs.message.endswith("pivots")


def test_iteration_cap_reports_failure():
    game = named_games.random_6x6_seed_1006()
    eqs = lemke_howson(game, max_iter=1)
    assert not eqs.success
    assert "max_iter=1" in eqs.message
    one = lemke_howson_from(game, 3, max_iter=1)
    assert not one.success and len(one) == 0


@pytest.mark.parametrize("n", [10, 20])
def test_random_games_terminate(n):
    # nashpy 0.0.43's lemke_howson loops forever from some labels of random 10x10 games
    for seed in range(5):
        game = gt.NormalFormGame(np.random.default_rng(seed).standard_normal((2, n, n)))
        eqs = lemke_howson(game)
        assert eqs.success
        assert len(eqs) >= 1
        assert all(e.regret <= 1e-9 for e in eqs)


def test_exact_game():
    case = named_games.get("von_stengel_2007_3x2")
    eqs = lemke_howson(case.game.to_exact())
    assert eqs.exact and all(e.regret == 0 for e in eqs)


def test_three_players_is_a_solver_error():
    three = named_games.get("anti_coordination_3_players").game
    with pytest.raises(SolverError, match="3-player"):
        gt.solve(three, method="lemke_howson")
    with pytest.raises(SolverError, match="2-player games only"):
        lemke_howson(three)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"tol": -1.0}, "tol"), ({"tol": float("nan")}, "tol"), ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 1.5}, "max_iter"),
])
def test_bad_parameters(kwargs, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of lemke_howson"):
        lemke_howson(named_games.get("matching_pennies").game, **kwargs)


@pytest.mark.parametrize("label", [-1, 4, 1.0])
def test_bad_label(label):
    with pytest.raises(InvalidParameterError, match="'label' parameter of lemke_howson_from"):
        lemke_howson_from(named_games.get("matching_pennies").game, label)
