"""Backward induction: every pure subgame-perfect equilibrium of perfect-information trees."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import InvalidParameterError, SolverError
from gametheory.solvers.extensive.backward_induction import backward_induction
from tests import _trees as trees


def test_entry_deterrence_has_one_spe_and_the_other_nash_is_not_subgame_perfect():
    game = trees.entry_deterrence()
    spe = backward_induction(game)
    assert len(spe) == 1 and spe.complete and not spe.ties
    (eq,) = spe
    assert eq.equilibrium.regret == 0
    assert eq.plan == {"Entrant": {"root": "In"}, "Incumbent": {"In": "Accommodate"}}
    assert eq.path == ("In", "Accommodate")
    assert eq.payoffs.tolist() == [1.0, 1.0]
    assert eq.strategies == ("In", "Accommodate") and eq.profile == (1, 1)
    nash = gt.solve(game.to_normal_form(), method="pure")
    assert len(nash) == 2
    subgame_perfect = {tuple(e.profile) for e in spe}
    others = [e for e in nash if tuple(e.support[i][0] for i in range(2)) not in subgame_perfect]
    assert len(others) == 1 and others[0].support == ((0,), (0,))  # (Out, Fight): a non-credible threat


def test_chain_store_unique_spe():
    spe = backward_induction(trees.chain_store())
    assert len(spe) == 1
    (eq,) = spe
    assert eq.path == ("In", "Accommodate", "In", "Accommodate")
    assert eq.payoffs.tolist() == [1.0, 1.0, 2.0]
    assert set(eq.plan["Incumbent"].values()) == {"Accommodate"}
    assert set(eq.plan["Entrant 2"].values()) == {"In"}  # on and off the path
    assert eq.equilibrium.regret == 0


@pytest.mark.parametrize("stages", [1, 2, 4, 7])
def test_centipede_take_at_once(stages):
    spe = backward_induction(trees.centipede(stages))
    assert len(spe) == 1
    (eq,) = spe
    assert eq.path == ("Take",)
    assert eq.payoffs.tolist() == [2.0, 0.0]
    assert all(a == "Take" for plan in eq.plan.values() for a in plan.values())
    assert eq.strategies[0] == "Take" if stages <= 2 else eq.strategies[0].startswith("Take/")


def test_ultimatum_ties_give_two_spe():
    spe = backward_induction(trees.ultimatum(3))
    assert len(spe) == 2 and spe.ties and spe.complete
    by_offer = {eq.path[0]: eq for eq in spe}
    assert set(by_offer) == {"0", "1"}
    assert by_offer["0"].payoffs.tolist() == [3.0, 0.0]
    assert by_offer["1"].payoffs.tolist() == [2.0, 1.0]
    assert by_offer["1"].plan["Responder"] == {
        "offer 0": "Reject", "offer 1": "Accept", "offer 2": "Accept", "offer 3": "Accept"
    }
    assert all(eq.equilibrium.regret == 0 for eq in spe)


def test_tolerance_controls_ties():
    game = gt.ExtensiveFormGame(["A"])
    left, right = game.root.decision("A", ["L", "R"])
    left.terminal([1.0])
    right.terminal([1.0 + 1e-12])
    assert len(backward_induction(game)) == 2
    assert len(backward_induction(game, tol=0.0)) == 1


def test_exact_ties_with_zero_tolerance():
    game = gt.ExtensiveFormGame(["A"])
    left, right = game.root.decision("A", ["L", "R"])
    left.terminal([Fraction(-2, 3)])
    right.terminal([Fraction(-2, 3)])
    assert len(backward_induction(game, tol=0.0)) == 2


def test_chance_moves_exact():
    spe = backward_induction(trees.investment())
    assert len(spe) == 1 and spe.exact
    (eq,) = spe
    assert eq.exact_payoffs == (Fraction(7, 4), Fraction(1, 4))
    assert eq.plan == {"Ann": {"good": "Invest", "bad": "Safe"}, "Bob": {"bad investment": "Ignore"}}
    assert eq.path is None
    assert eq.paths == ((("Good", "Invest"), Fraction(1, 4)), (("Bad", "Safe"), Fraction(3, 4)))
    assert eq.equilibrium.exact is not None and eq.equilibrium.regret == 0


def test_imperfect_information_is_rejected():
    with pytest.raises(SolverError, match="perfect information; information set 'facing a bet' of player 'Caller'"):
        backward_induction(trees.one_card_poker())


def test_bad_arguments():
    with pytest.raises(InvalidParameterError, match="The 'tol' parameter of backward_induction must be"):
        backward_induction(trees.entry_deterrence(), tol=-1.0)
    with pytest.raises(InvalidParameterError, match="must be an ExtensiveFormGame"):
        backward_induction(gt.NormalFormGame([[[1]], [[1]]]))
    open_tree = gt.ExtensiveFormGame(["A"])
    open_tree.root.decision("A", ["x"])
    with pytest.raises(InvalidParameterError, match="no payoffs and no move"):
        backward_induction(open_tree)


def test_result_repr():
    text = repr(backward_induction(trees.ultimatum(2)))
    assert text.startswith("BackwardInductionResult(method='backward_induction', count=2")


# ---------------------------------------------------------------------- properties on random trees
@st.composite
def random_trees(draw):
    n = draw(st.integers(1, 3))
    game = gt.ExtensiveFormGame([f"P{i}" for i in range(n)])
    integers = st.integers(-3, 3)
    budget = [draw(st.integers(1, 7))]

    def grow(node, depth):
        if depth == 0 or budget[0] <= 0 or draw(st.booleans()) and depth < 3:
            node.terminal([draw(integers) for _ in range(n)])
            return
        budget[0] -= 1
        k = draw(st.integers(1, 3))
        if draw(st.integers(0, 4)) == 0:
            weights = [draw(st.integers(1, 3)) for _ in range(k)]
            children = node.chance([f"c{j}" for j in range(k)], [Fraction(w, sum(weights)) for w in weights])
        else:
            children = node.decision(draw(st.integers(0, n - 1)), [f"a{j}" for j in range(k)])
        for child in children:
            grow(child, depth - 1)

    grow(game.root, 3)
    return game


@settings(max_examples=60, deadline=None)
@given(random_trees())
def test_every_spe_is_a_nash_equilibrium_of_the_reduced_normal_form(game):
    spe = backward_induction(game)
    assert len(spe) >= 1
    nf = spe.normal_form
    pure = set(nf.pure_equilibria())
    for eq in spe:
        assert eq.equilibrium.regret <= 1e-12
        assert eq.profile in pure
        np.testing.assert_allclose(eq.payoffs, eq.equilibrium.payoffs)
    assert len({tuple(sorted((p, tuple(sorted(a.items()))) for p, a in eq.plan.items())) for eq in spe}) == len(spe)


@settings(max_examples=40, deadline=None)
@given(random_trees(), st.integers(0, 2**32 - 1))
def test_generic_payoffs_give_exactly_one_spe(game, seed):
    rng = np.random.default_rng(seed)
    for t in game.terminals():  # continuous random payoffs: no ties anywhere (almost surely)
        t.payoffs = tuple(float(x) for x in rng.normal(size=len(t.payoffs)))
    assert len(backward_induction(game)) == 1
