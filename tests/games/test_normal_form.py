"""NormalFormGame: construction, payoffs of profiles, regret, best responses, validation."""

from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError

PRISONERS = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
PENNIES = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]


def test_shape_players_strategies_defaults():
    game = gt.NormalFormGame(np.zeros((3, 2, 3, 4)))
    assert game.n_players == 3
    assert game.shape == (2, 3, 4)
    assert game.players == ("Player 1", "Player 2", "Player 3")
    assert game.strategies[1] == ("s1", "s2", "s3")


def test_labels_are_kept():
    game = gt.NormalFormGame(PRISONERS, players=["row", "col"], strategies=[["C", "D"], ["c", "d"]])
    assert game.players == ("row", "col")
    assert game.strategies == (("C", "D"), ("c", "d"))


def test_built_from_a_nashpy_game():
    a, b = np.array(PRISONERS[0]), np.array(PRISONERS[1])
    game = gt.NormalFormGame(nashpy.Game(a, b))
    np.testing.assert_array_equal(game.payoffs, np.array(PRISONERS, dtype=float))
    back = game.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[1], b)


def test_exact_payoffs_stay_exact():
    game = gt.NormalFormGame([[[Fraction(1, 3), 0], [0, 1]], [[sympy.Rational(2, 7), 0], [0, 1]]])
    assert game.is_exact
    assert game.payoffs[1, 0, 0] == Fraction(2, 7)
    half = [Fraction(1, 2), Fraction(1, 2)]
    assert game.expected_payoffs([half, half])[0] == Fraction(1, 3) / 4 + Fraction(1, 4)


def test_expected_payoffs_match_explicit_sum():
    rng = np.random.default_rng(3)
    game = gt.NormalFormGame(rng.normal(size=(3, 2, 3, 2)))
    profile = [rng.dirichlet(np.ones(s)) for s in game.shape]
    explicit = np.einsum("pijk,i,j,k->p", game.payoffs, *profile)
    np.testing.assert_allclose(game.expected_payoffs(profile), explicit, atol=1e-12)
    for i, dev in enumerate(game.deviation_payoffs(profile)):
        np.testing.assert_allclose(dev @ profile[i], explicit[i], atol=1e-12)


def test_regret_of_pennies():
    game = gt.NormalFormGame(PENNIES)
    assert game.regret([[0.5, 0.5], [0.5, 0.5]]) == 0
    assert game.regret([0, 0]) == pytest.approx(2.0)
    assert game.is_nash([[0.5, 0.5], [0.5, 0.5]])
    assert not game.is_nash([[0.6, 0.4], [0.5, 0.5]]) or game.regret([[0.6, 0.4], [0.5, 0.5]]) <= 1e-9


def test_best_responses_with_ties():
    game = gt.NormalFormGame(PENNIES)
    assert game.best_responses([[0.5, 0.5], [0.5, 0.5]]) == ((0, 1), (0, 1))
    assert game.best_responses([0, 0]) == ((0,), (1,))


def test_pure_equilibria_of_prisoners_dilemma():
    assert gt.NormalFormGame(PRISONERS).pure_equilibria() == [(1, 1)]


def test_restrict_keeps_labels():
    game = gt.NormalFormGame(np.arange(2 * 3 * 2).reshape(2, 3, 2), strategies=[["a", "b", "c"], ["x", "y"]])
    sub = game.restrict([(0, 2), (1,)])
    assert sub.strategies == (("a", "c"), ("y",))
    np.testing.assert_array_equal(sub.payoffs[0], [[1], [5]])


@pytest.mark.parametrize(
    ("payoffs", "fragment"),
    [
        ([[1, 2], [3]], "ragged"),
        ([[[1, np.nan]], [[1, 2]]], "finite"),
        ([[[1, np.inf]], [[1, 2]]], "finite"),
        (np.zeros((2, 2)), "dimensions"),
        ([[["a", 1]], [[1, 2]]], "real numbers"),
        (np.zeros((2, 0, 2)), "at least one strategy"),
        ([[[True, False]], [[1, 0]]], "real numbers"),
        ([np.array([[1.0, 0.0]]), np.array([[True, False]])], "real numbers"),
        ([np.ones((2, 2)), np.ones((2, 3))], "ragged"),
        ([np.eye(2), np.full((2, 2), np.nan)], "finite"),
    ],
    ids=["ragged", "nan", "inf", "wrong_ndim", "strings", "empty_strategy_set", "bools", "bool_matrix",
         "matrices_of_two_shapes", "nan_matrix"],
)
def test_bad_payoffs_are_rejected(payoffs, fragment):
    with pytest.raises(InvalidParameterError, match=fragment):
        gt.NormalFormGame(payoffs)


def test_numeric_arrays_and_nested_lists_give_the_same_game():
    A, B = np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]], dtype=np.float32)
    from_arrays = gt.NormalFormGame([A, B])
    assert from_arrays.payoffs.dtype == np.float64
    assert np.array_equal(from_arrays.payoffs, gt.NormalFormGame([A.tolist(), B.tolist()]).payoffs)
    assert np.array_equal(from_arrays.payoffs, gt.NormalFormGame(np.stack([A, B])).payoffs)


def test_bad_labels_are_rejected():
    with pytest.raises(InvalidParameterError, match="players"):
        gt.NormalFormGame(PRISONERS, players=["only one"])
    with pytest.raises(InvalidParameterError, match="distinct"):
        gt.NormalFormGame(PRISONERS, strategies=[["C", "C"], ["c", "d"]])


@pytest.mark.parametrize(
    ("profile", "fragment"),
    [
        ([[0.5, 0.6], [1, 0]], "sum to 1"),
        ([[-0.5, 1.5], [1, 0]], "non-negative"),
        ([[0.5, 0.5]], "one strategy or probability vector per player"),
        ([[0.5, 0.5, 0.0], [1, 0]], "length 2"),
        ([[np.nan, 1.0], [1, 0]], "finite"),
        ([5, 0], "index in"),
    ],
)
def test_bad_profiles_are_rejected(profile, fragment):
    with pytest.raises(InvalidParameterError, match=fragment):
        gt.NormalFormGame(PENNIES).regret(profile)


def test_payoffs_are_read_only():
    game = gt.NormalFormGame(PENNIES)
    with pytest.raises(ValueError):
        game.payoffs[0, 0, 0] = 5


def test_numbers_beyond_float_range_are_rejected_clearly():
    with pytest.raises(InvalidParameterError, match="float range"):
        gt.NormalFormGame([[10**400, 1]])


def test_solve_accepts_a_tree():
    tree = gt.ExtensiveFormGame(["Entrant", "Incumbent"])
    out, enter = tree.root.decision("Entrant", ["Out", "In"])
    out.terminal([0, 2])
    fight, accommodate = enter.decision("Incumbent", ["Fight", "Accommodate"])
    fight.terminal([-1, -1])
    accommodate.terminal([1, 1])
    eqs = gt.solve(tree, method="pure")
    assert sorted(e.support for e in eqs) == [((0,), (0,)), ((1,), (1,))]
