"""Basins of attraction."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.dynamics.attraction import grid_states
from gametheory.errors import InvalidParameterError
from tests.dynamics._games import COORDINATION, HAND_2X2X2, PENNIES


def test_grid_is_the_interior_lattice():
    grid = grid_states((2, 3), 3)
    assert grid.shape == (3 * 3, 5)
    assert grid.min() > 0
    np.testing.assert_allclose(grid[:, :2].sum(axis=1), 1)
    np.testing.assert_allclose(grid[:, 2:].sum(axis=1), 1)


def test_coordination_basins_split_along_the_separatrix():
    result = gt.dynamics.basins(COORDINATION, points=9, t_max=60.0)
    assert [s.label for s in result.states] == ["(s1, s1)", "(s2, s2)"]
    assert result.unassigned == 0.0 and result.shares.sum() == pytest.approx(1.0)
    # the payoff-dominant corner (2 > 1) has the larger basin; each start goes where it points
    assert result.shares[0] > result.shares[1]
    starts = result.starts[:, [0, 2]]
    high = (starts > 0.5).all(axis=1)
    assert (result.assignment[high] == 0).all()
    low = (starts < 1 / 3).all(axis=1)
    assert (result.assignment[low] == 1).all()


def test_global_attractor_takes_every_random_start():
    result = gt.dynamics.basins(HAND_2X2X2, sampling="random", points=30, seed=1, t_max=60.0)
    assert result.shares.tolist() == [1.0] and result.seed == 1 and result.sampling == "random"


def test_no_stable_state_leaves_every_start_unassigned():
    result = gt.dynamics.basins(PENNIES, points=3, t_max=5.0)
    assert result.states == () and result.unassigned == 1.0
    assert "none: 1.000" in str(result)


def test_oversized_grid_is_rejected():
    game = gt.NormalFormGame(np.zeros((3, 4, 4, 4)))
    with pytest.raises(InvalidParameterError, match="'points' parameter of basins"):
        gt.dynamics.basins(game, points=40)
