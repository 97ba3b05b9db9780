"""Subgame-perfect equilibria of trees with information sets, by subgame decomposition."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError, SolverError
from gametheory.solvers.extensive.backward_induction import backward_induction
from gametheory.solvers.extensive.subgame_perfect import subgame_perfect, subgame_roots
from tests import _trees as trees


def test_entry_deterrence_keeps_only_the_credible_equilibrium():
    result = subgame_perfect(trees.entry_deterrence())
    assert len(result) == 1 and result.complete
    (eq,) = result
    assert eq.behaviour == {"root": {"Out": 0.0, "In": 1.0}, "In": {"Fight": 0.0, "Accommodate": 1.0}}
    assert eq.outcome == ((("In", "Accommodate"), 1.0),)
    assert eq.payoffs.tolist() == [1.0, 1.0]
    assert eq.equilibrium.regret <= 1e-12


def test_outside_option_then_battle_of_the_sexes_by_hand():
    """The battle has three equilibria: (A, a) worth (3, 1), (B, b) worth (1, 3), and the mixed one (Ann A 3/4,
    Bob a 1/4) worth (3/4, 3/4). Ann enters only against (A, a) (3 > 2): three subgame-perfect equilibria."""
    result = subgame_perfect(trees.entry_then_battle())
    assert len(result) == 3 and result.subgames == 2
    found = sorted((tuple(e.payoffs.round(9)), e.behaviour["root"]["In"], e.behaviour["battle"]["A"],
                    e.behaviour["Bob"]["a"]) for e in result)
    assert found == sorted([((3.0, 1.0), 1.0, 1.0, 1.0), ((2.0, 2.0), 0.0, 0.0, 0.0), ((2.0, 2.0), 0.0, 0.75, 0.25)])
    for eq in result:
        assert eq.equilibrium.regret <= 1e-9
        if eq.behaviour["root"]["In"] == 0.0:  # Bob's set is off the path, but reached within its subgame
            assert eq.beliefs["Bob"] is not None


@pytest.mark.parametrize("name", sorted(trees.TREES))
def test_named_trees_every_equilibrium_is_nash_in_the_reduced_normal_form(name):
    game = trees.TREES[name]()
    result = subgame_perfect(game)
    assert len(result) >= 1
    for eq in result:
        assert eq.equilibrium.regret <= 1e-9 * game.scale
        assert np.allclose(eq.equilibrium.payoffs, eq.payoffs)
        assert sum(p for _, p in eq.outcome) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(12))
def test_perfect_information_agrees_with_backward_induction(seed):
    game = trees.random_tree(seed, infosets=False, exact=False)
    pure = backward_induction(game)
    found = subgame_perfect(game)
    assert len(subgame_roots(game)) == sum(n.kind != "terminal" for n in game.nodes())
    ours = [tuple(e.payoffs.round(9)) for e in found]
    for eq in pure:  # every pure SPE of backward induction is found (ties may add mixed ones)
        assert tuple(eq.payoffs.round(9)) in ours
    if not pure.ties:
        assert len(found) == len(pure) == 1


@pytest.mark.parametrize("seed", range(12))
def test_random_trees_with_information_sets_give_nash_equilibria(seed):
    game = trees.random_tree(seed, exact=False)
    if not game.is_perfect_recall:
        with pytest.raises(SolverError, match="perfect recall"):
            subgame_perfect(game)
        return
    for eq in subgame_perfect(game):
        assert eq.equilibrium.regret <= 1e-8 * game.scale


def test_bad_input_is_one_line():
    with pytest.raises(InvalidParameterError, match="'game' parameter of subgame_perfect"):
        subgame_perfect(gt.NormalFormGame([[[1, 0], [0, 1]], [[0, 1], [1, 0]]]))
    with pytest.raises(InvalidParameterError, match="'tol' parameter of subgame_perfect"):
        subgame_perfect(trees.entry_deterrence(), tol=-1.0)
