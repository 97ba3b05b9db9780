"""Extensive-form games: building, validation, and the (reduced) normal form checked by hand."""

import math
from fractions import Fraction

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests import _trees as trees


# ---------------------------------------------------------------------- building
def test_builder_returns_children_in_action_order():
    game = trees.entry_deterrence()
    out, enter = game.root.children
    assert (out.action, enter.action) == ("Out", "In")
    assert game.root["In"] is enter
    assert enter.player == "Incumbent" and enter.actions == ("Fight", "Accommodate")
    assert game.root["In"]["Fight"].payoffs == (-1, -1)
    assert game.root["In"]["Fight"].path == ("In", "Fight")
    assert [t.path for t in game.terminals()] == [("Out",), ("In", "Fight"), ("In", "Accommodate")]


def test_perfect_information_flag():
    assert trees.entry_deterrence().is_perfect_information
    assert trees.centipede().is_perfect_information
    assert trees.investment().is_perfect_information
    assert not trees.one_card_poker().is_perfect_information
    assert not trees.entry_then_battle().is_perfect_information


def test_perfect_recall_flag():
    assert trees.one_card_poker().is_perfect_recall
    assert trees.entry_then_battle().is_perfect_recall
    assert trees.chain_store().is_perfect_recall
    game = gt.ExtensiveFormGame(["A", "B"])
    for node in game.root.decision("A", ["L", "R"]):
        for leaf in node.decision("B", ["x", "y"], infoset="B"):
            left, right = leaf.decision("A", ["u", "d"], infoset="A forgets")
            left.terminal([0, 0])
            right.terminal([1, 1])
    assert not game.is_perfect_recall


def test_payoffs_by_player_name_and_exactness():
    game = gt.ExtensiveFormGame(["A", "B"])
    left, right = game.root.decision("A", ["L", "R"])
    left.terminal({"B": Fraction(1, 3), "A": 2})
    right.terminal(["1/2", 0])
    assert left.payoffs == (2, Fraction(1, 3))
    assert right.payoffs == (Fraction(1, 2), 0)
    assert game.is_exact
    assert game.to_normal_form().is_exact


def test_infoset_reuses_actions_when_omitted():
    game = gt.ExtensiveFormGame(["A", "B"])
    left, right = game.root.decision("A", ["L", "R"])
    left.decision("B", ["x", "y"], infoset="B")
    right.decision("B", infoset="B")
    (infoset,) = game.infosets("B")
    assert infoset.actions == ("x", "y") and len(infoset.nodes) == 2


# ---------------------------------------------------------------------- validation
@pytest.fixture
def two_nodes():
    game = gt.ExtensiveFormGame(["A", "B"])
    return game, game.root.decision("A", ["L", "R"])


def test_infoset_with_different_actions_is_rejected(two_nodes):
    _, (left, right) = two_nodes
    left.decision("B", ["x", "y"], infoset="h")
    with pytest.raises(InvalidParameterError, match=r"Information set 'h' offers actions \['x', 'y'\].*\['x', 'z'\]"):
        right.decision("B", ["x", "z"], infoset="h")


def test_infoset_with_different_players_is_rejected(two_nodes):
    _, (left, right) = two_nodes
    left.decision("B", ["x", "y"], infoset="h")
    with pytest.raises(InvalidParameterError, match="belongs to player 'B'; the decision of 'A'"):
        right.decision("A", ["x", "y"], infoset="h")


def test_new_infoset_needs_actions(two_nodes):
    _, (left, _) = two_nodes
    with pytest.raises(InvalidParameterError, match="needs its 'actions'"):
        left.decision("B", infoset="new")


@pytest.mark.parametrize(
    ("probabilities", "message"),
    [
        ([Fraction(1, 2), Fraction(1, 3)], r"must sum to 1\. Got \['1/2', '1/3'\] \(sum 5/6\)"),
        ([0.7, 0.4], r"must sum to 1"),
        ([1.5, -0.5], r"must be non-negative.*negative for \['T'\]"),
        ([float("nan"), 1.0], r"must be finite"),
        (["1/2", "x"], r"must be a number"),
        ([1.0], r"one probability per action \(2\)"),
    ],
    ids=["exact_sum_5_6", "float_sum_1_1", "negative", "nan", "not_a_number", "wrong_length"],
)
def test_bad_chance_probabilities(probabilities, message):
    game = gt.ExtensiveFormGame(["A"])
    with pytest.raises(InvalidParameterError, match=message):
        game.root.chance(["H", "T"], probabilities)


def test_float_probabilities_within_tolerance_are_accepted():
    game = gt.ExtensiveFormGame(["A"])
    game.root.chance(["a", "b", "c"], [0.1, 0.2, 0.7])  # sums to 0.9999999999999999
    assert not game.is_exact


@pytest.mark.parametrize(
    ("payoffs", "message"),
    [
        ([1], r"one number per player \(2: \['A', 'B'\]\)"),
        ([1, float("inf")], "must be finite"),
        ([1, None], "must be a real number"),
        ({"A": 1}, r"miss players \['B'\]"),
        ({"A": 1, "C": 2}, "Unknown player"),
    ],
    ids=["too_short", "infinite", "none", "missing_player", "unknown_player"],
)
def test_bad_terminal_payoffs(payoffs, message):
    game = gt.ExtensiveFormGame(["A", "B"])
    with pytest.raises(InvalidParameterError, match=message):
        game.root.terminal(payoffs)


def test_missing_payoffs_are_named():
    game = gt.ExtensiveFormGame(["A", "B"])
    left, right = game.root.decision("A", ["L", "R"])
    left.terminal([0, 0])
    right.decision("B", ["x", "y"])[0].terminal([1, 1])
    with pytest.raises(InvalidParameterError, match=r"1 node\(s\) have no payoffs and no move: path \('R', 'y'\)"):
        game.to_normal_form()


def test_node_is_built_once_and_unknown_names_suggest():
    game = gt.ExtensiveFormGame(["Alice", "Bob"])
    game.root.terminal([0, 0])
    with pytest.raises(InvalidParameterError, match="already a terminal node"):
        game.root.decision("Alice", ["x"])
    other = gt.ExtensiveFormGame(["Alice", "Bob"])
    with pytest.raises(InvalidParameterError, match="Did you mean 'Alice'"):
        other.root.decision("Alcie", ["x"])
    with pytest.raises(InvalidParameterError, match="distinct non-empty labels"):
        other.root.decision("Alice", ["x", "x"])


@pytest.mark.parametrize("players", [[], "AB", ["A", "A"], ["A", "chance"]], ids=["empty", "string", "dup", "chance"])
def test_bad_player_lists(players):
    with pytest.raises(InvalidParameterError, match="'players' parameter of ExtensiveFormGame"):
        gt.ExtensiveFormGame(players)


def test_absent_minded_tree_is_rejected():
    game = gt.ExtensiveFormGame(["A"])
    stop, go = game.root.decision("A", ["Stop", "Go"], infoset="h")
    stop.terminal([0])
    stop2, go2 = go.decision("A", infoset="h")
    stop2.terminal([4])
    go2.terminal([1])
    with pytest.raises(InvalidParameterError, match="met twice along one play"):
        game.validate()


# ---------------------------------------------------------------------- normal form by hand
def test_entry_deterrence_normal_form():
    nf = trees.entry_deterrence().to_normal_form()
    assert nf.players == ("Entrant", "Incumbent")
    assert nf.strategies == (("Out", "In"), ("Fight", "Accommodate"))
    np.testing.assert_array_equal(nf.payoffs, [[[0, 0], [-1, 1]], [[2, 2], [-1, 1]]])


def test_centipede_reduced_and_full_shapes():
    game = trees.centipede(4)
    nf = game.to_normal_form()
    assert nf.shape == (3, 3)
    assert nf.strategies == (("Take/*", "Pass/Take", "Pass/Pass"), ("Take/*", "Pass/Take", "Pass/Pass"))
    # Ann's payoff: she takes at 1 -> 2; Bob takes at 2 -> 1; Ann takes at 3 -> 4; Bob at 4 -> 3; end -> 4
    np.testing.assert_array_equal(nf.payoffs[0], [[2, 2, 2], [1, 4, 4], [1, 3, 4]])
    np.testing.assert_array_equal(nf.payoffs[1], [[0, 0, 0], [3, 2, 2], [3, 5, 4]])
    full = game.to_normal_form(reduced=False)
    assert full.shape == (4, 4)
    assert full.strategies[0] == ("Take/Take", "Take/Pass", "Pass/Take", "Pass/Pass")
    # the two full plans starting with Take give identical rows
    np.testing.assert_array_equal(full.payoffs[:, 0], full.payoffs[:, 1])


def test_chain_store_reduced_shape():
    nf = trees.chain_store().to_normal_form()
    assert nf.shape == (2, 8, 8)  # the incumbent's second-market choice after its own other first move is merged
    assert trees.chain_store().to_normal_form(reduced=False).shape == (2, 8, 16)


def test_information_set_reduced_normal_form_by_hand():
    nf = trees.entry_then_battle().to_normal_form()
    assert nf.strategies == (("Out/*", "In/A", "In/B"), ("a", "b"))
    np.testing.assert_array_equal(nf.payoffs[0], [[2, 2], [3, 0], [0, 1]])
    np.testing.assert_array_equal(nf.payoffs[1], [[2, 2], [1, 0], [0, 3]])
    full = trees.entry_then_battle().to_normal_form(reduced=False)
    assert full.shape == (4, 2)


def test_chance_tree_normal_form_is_exact():
    nf = trees.one_card_poker().to_normal_form()
    assert nf.is_exact
    assert nf.strategies == (("Bet/Bet", "Bet/Check", "Check/Bet", "Check/Check"), ("Call", "Fold"))
    third = Fraction(1, 3)
    expected = [[-2 * third, 1], [0, -third], [-1, 1], [-third, -third]]
    assert nf.payoffs[0].tolist() == expected
    assert (nf.payoffs[0] + nf.payoffs[1] == 0).all()


def test_plans_name_only_reachable_information_sets():
    plans = trees.centipede(4).plans("Ann")
    assert plans == ({"stage 1": "Take"}, {"stage 1": "Pass", "stage 3": "Take"},
                     {"stage 1": "Pass", "stage 3": "Pass"})
    assert len(trees.centipede(4).plans(0, reduced=False)) == 4


def test_long_centipede_needs_no_deep_recursion():
    from gametheory.games.plans import player_plans

    game = trees.centipede(2401)
    plans = player_plans(game, 0)
    assert len(plans) == 1202
    assert plans[0] == (0,) + (None,) * 1200
    assert trees.centipede(41).to_normal_form().shape == (22, 21)


def test_payoff_too_large_for_a_float_is_rejected():
    game = gt.ExtensiveFormGame(["A"])
    with pytest.raises(InvalidParameterError, match="too large for a float"):
        game.root.terminal([10**400])


def test_player_without_moves_gets_one_strategy():
    game = gt.ExtensiveFormGame(["A", "Dummy"])
    left, right = game.root.decision("A", ["L", "R"])
    left.terminal([1, 5])
    right.terminal([0, 7])
    nf = game.to_normal_form()
    assert nf.shape == (2, 1) and nf.strategies[1] == ("-",)


# ---------------------------------------------------------------------- solving through the normal form
def test_solve_finds_the_nash_equilibrium_that_is_not_subgame_perfect():
    nf = trees.entry_deterrence().to_normal_form()
    pure = gt.solve(nf, method="pure")
    assert len(pure) == 2
    assert all(eq.regret <= 1e-12 for eq in pure)
    labels = sorted((nf.strategies[0][e.support[0][0]], nf.strategies[1][e.support[1][0]]) for e in pure)
    assert labels == [("In", "Accommodate"), ("Out", "Fight")]


def test_solve_one_card_poker_value():
    nf = trees.one_card_poker().to_normal_form()
    eqs = gt.solve(nf)
    assert len(eqs) == 1
    (eq,) = eqs
    assert eq.regret <= 1e-9
    assert eq.allclose([[1 / 6, 5 / 6, 0, 0], [2 / 3, 1 / 3]])
    assert math.isclose(eq.payoffs[0], -1 / 9, abs_tol=1e-12)


def test_solve_entry_then_battle():
    eqs = gt.solve(trees.entry_then_battle().to_normal_form())
    assert eqs.complete
    assert all(eq.regret <= 1e-9 for eq in eqs)
    pure = sorted(e.support for e in eqs if e.is_pure)
    assert ((0,), (1,)) in pure and ((1,), (0,)) in pure  # (Out, b) and (In/A, a)


def test_repr_mentions_the_shape_of_the_tree():
    text = repr(trees.entry_deterrence())
    assert "players=['Entrant', 'Incumbent']" in text and "terminals=3" in text and "perfect information" in text
