"""Iterated elimination of strictly dominated strategies."""

import numpy as np

import gametheory as gt


def test_prisoners_dilemma_is_dominance_solvable():
    game = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    reduced, kept = game.eliminate_dominated()
    assert kept == ((1,), (1,))
    assert reduced.shape == (1, 1)


def test_domination_by_a_mixed_strategy_only():
    # Row's middle strategy is dominated by the 50/50 mix of top and bottom, by no pure strategy.
    row = np.array([[3.0, 0.0], [1.0, 1.0], [0.0, 3.0]])
    game = gt.NormalFormGame(np.stack([row, np.zeros((3, 2))]))
    assert game.eliminate_dominated(mixed=False)[1] == ((0, 1, 2), (0, 1))
    assert game.eliminate_dominated(mixed=True)[1] == ((0, 2), (0, 1))


def test_weak_domination_is_not_removed():
    game = gt.NormalFormGame([[[1, 0], [1, 1]], [[0, 0], [0, 0]]])
    assert game.eliminate_dominated()[1] == ((0, 1), (0, 1))


def test_elimination_is_iterated_across_players():
    # Column's R is strictly dominated; once it is gone, row's D is dominated.
    a = np.array([[2, 0], [1, 5]])
    b = np.array([[2, 1], [3, 0]])
    game = gt.NormalFormGame([a, b])
    assert game.eliminate_dominated()[1] == ((0,), (0,))


def test_three_players_keep_equilibria():
    rng = np.random.default_rng(7)
    game = gt.NormalFormGame(rng.integers(-5, 6, size=(3, 3, 3, 2)).astype(float))
    reduced, kept = game.eliminate_dominated()
    full = {a for a in game.pure_equilibria()}
    lifted = {tuple(kept[i][x] for i, x in enumerate(a)) for a in reduced.pure_equilibria()}
    assert full == lifted
