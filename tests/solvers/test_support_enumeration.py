"""Support enumeration: known answers, exact rationals, tolerance, delegation to n players, bad input."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.solvers.two_player.support_enumeration import support_enumeration
from tests import _named_games as named_games

NONDEGENERATE = [c for c in named_games.two_player_games() if not c.degenerate]
DEGENERATE = [c for c in named_games.two_player_games() if c.degenerate]


@pytest.mark.parametrize("case", NONDEGENERATE + [named_games.get("nashpy_4x3_unique")], ids=lambda c: c.id)
def test_known_games(case):
    eqs = support_enumeration(case.game)
    named_games.assert_solves(eqs, case)
    assert eqs.method == "support_enumeration"
    assert eqs.parameters == {"tol": gt.DEFAULT_TOL}


def test_random_6x6_all_seven_found():
    # nashpy 0.0.43 misses some of these: it compares floats with zero exactly
    case = named_games.get("random_6x6_seed_1006")
    eqs = support_enumeration(case.game)
    assert len(eqs) == 7
    assert max(e.regret for e in eqs) <= 1e-12
    assert eqs.complete and not eqs.degenerate


@pytest.mark.parametrize("case", DEGENERATE, ids=lambda c: c.id)
def test_degenerate_games_are_flagged_not_complete(case):
    eqs = support_enumeration(case.game)
    assert eqs.degenerate and not eqs.complete
    assert "vertex_enumeration" in eqs.message
    assert len(eqs) >= 1
    assert all(e.regret <= 1e-9 * case.game.scale for e in eqs)
    # whatever it returns is one of the known extreme equilibria
    assert all(named_games.contains_profile(case.equilibria, e) for e in eqs)


@pytest.mark.parametrize("case", [c for c in NONDEGENERATE if c.exact is not None], ids=lambda c: c.id)
def test_exact_games_have_exact_answers(case):
    named_games.assert_solves_exactly(support_enumeration(case.game.to_exact()), case)


def test_tiny_negative_probabilities_are_accepted():
    # a game whose mixed equilibrium puts probability 0 on a strategy that is still indifferent:
    # rounding makes the computed probability about -1e-17, which must count as 0
    game = gt.NormalFormGame([[[1, 0, 0.5], [0, 1, 0.5]], [[1, 0, 0.5], [0, 1, 0.5]]])
    eqs = support_enumeration(game)
    assert all(np.all(v >= 0) and abs(v.sum() - 1) < 1e-12 for e in eqs for v in e.profile)
    assert all(e.regret <= 1e-12 for e in eqs)


def test_three_players_delegate_to_nplayer_module():
    pytest.importorskip("gametheory.solvers.n_player.support_enumeration")
    case = named_games.get("anti_coordination_3_players")
    eqs = support_enumeration(case.game)
    assert len(eqs) == len(case.equilibria)
    assert all(e.regret <= 1e-9 for e in eqs)
    named_games.assert_same_profiles(eqs, case.equilibria)


def test_solve_routes_here():
    eqs = gt.solve(named_games.get("battle_of_the_sexes").game, method="support_enumeration")
    assert len(eqs) == 3 and eqs.method == "support_enumeration"


@pytest.mark.parametrize("tol", [-1e-9, float("nan"), float("inf"), None])
def test_bad_tol(tol):
    with pytest.raises(InvalidParameterError, match="'tol' parameter of support_enumeration"):
        support_enumeration(named_games.get("matching_pennies").game, tol=tol)


def test_bad_game():
    with pytest.raises(InvalidParameterError, match="'game' parameter of support_enumeration"):
        support_enumeration("not a game")
