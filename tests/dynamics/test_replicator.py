"""Replicator vector field and trajectories."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests.dynamics._games import COORDINATION, HAND_2X2X2, PENNIES, random_game


def test_field_keeps_each_population_on_its_simplex():
    game = random_game((3, 2, 4), 0)
    states = gt.dynamics.random_states(game, 50, seed=1)
    field = gt.dynamics.replicator_field(game, states)
    assert field.shape == states.shape
    np.testing.assert_allclose(field[:, :3].sum(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(field[:, 3:5].sum(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(field[:, 5:].sum(axis=1), 0, atol=1e-12)


def test_field_matches_the_definition():
    game = random_game((3, 2), 2)
    state = gt.dynamics.random_states(game, 1, seed=3)[0]
    x, y = state[:3], state[3:]
    u1 = game.payoffs[0] @ y
    u2 = game.payoffs[1].T @ x
    expected = np.concatenate([x * (u1 - x @ u1), y * (u2 - y @ u2)])
    np.testing.assert_allclose(gt.dynamics.replicator_field(game, state), expected, atol=1e-14)


def test_short_form_equals_flat_form():
    state = np.array([0.3, 0.6, 0.8])
    flat = np.ravel(np.column_stack([state, 1 - state]))
    short = gt.dynamics.replicator_field(HAND_2X2X2, state)
    full = gt.dynamics.replicator_field(HAND_2X2X2, flat)
    np.testing.assert_allclose(short, full[0::2], atol=1e-15)


def test_trajectory_result_records_its_run():
    run = gt.dynamics.simulate(PENNIES, n_random=4, t_max=5.0, n_times=11, seed=7)
    assert run.success and run.seed == 7 and run.method == "LSODA"
    assert run.states.shape == (4, 11, 4) and run.times.shape == (11,)
    again = gt.dynamics.simulate(PENNIES, n_random=4, t_max=5.0, n_times=11, seed=7)
    np.testing.assert_array_equal(run.starts, again.starts)
    assert "success=True" in repr(run)


def test_random_seed_is_recorded_when_none():
    run = gt.dynamics.simulate(PENNIES, n_random=2, t_max=1.0, n_times=3)
    assert isinstance(run.seed, int)
    again = gt.dynamics.simulate(PENNIES, n_random=2, t_max=1.0, n_times=3, seed=run.seed)
    np.testing.assert_array_equal(run.starts, again.starts)


def test_pennies_orbits_are_closed():
    # H = x(1-x)... the product of the distances is conserved: x log x ... use the constant of motion
    # V = log x + log(1-x) + log y + log(1-y) (Hofbauer & Sigmund 1998, 10.x) for this zero-sum game.
    run = gt.dynamics.simulate(PENNIES, [0.7, 0.5], t_max=20.0, rtol=1e-10, atol=1e-12)
    x, y = run.first_shares[0].T
    v = np.log(x) + np.log(1 - x) + np.log(y) + np.log(1 - y)
    assert np.ptp(v) < 1e-6


def test_trajectories_stay_in_the_simplex():
    game = random_game((2, 3, 2), 5)
    run = gt.dynamics.simulate(game, n_random=20, t_max=30.0, seed=0)
    assert run.success
    assert run.states.min() > -1e-8
    for i in range(3):
        np.testing.assert_allclose(run.shares(i).sum(axis=-1), 1, atol=1e-7)


def test_coordination_runs_end_at_the_corner_of_their_basin():
    run = gt.dynamics.simulate(COORDINATION, [[0.6, 0.6], [0.2, 0.2], [0.9, 0.1]], t_max=40.0)
    np.testing.assert_allclose(run.first_shares[:, -1], [[1, 1], [0, 0], [1, 1]], atol=1e-6)


@pytest.mark.parametrize(
    "start",
    [[1.2, 0.5, 0.5], [-0.1, 0.5, 0.5], [0.5, 0.6, 0.5, 0.5, 0.5, 0.5], [np.nan, 0.5, 0.5], [0.5, 0.5]],
    ids=["share_above_1", "negative_share", "block_not_summing_to_1", "nan", "wrong_length"],
)
def test_start_outside_the_simplex_is_rejected(start):
    with pytest.raises(InvalidParameterError, match="'starts' parameter of simulate"):
        gt.dynamics.simulate(HAND_2X2X2, start)


def test_single_strategy_player_is_rejected():
    game = gt.NormalFormGame(np.zeros((2, 2, 1)))
    for func in (gt.dynamics.simulate, gt.dynamics.rest_points, gt.dynamics.analyze, gt.dynamics.stable_states):
        with pytest.raises(InvalidParameterError, match="at least two strategies"):
            func(game)


def test_non_finite_payoffs_are_rejected():
    payoffs = np.ones((2, 2, 2))
    payoffs[0, 1, 1] = np.inf
    with pytest.raises(InvalidParameterError, match="finite"):
        gt.dynamics.stable_states(payoffs)
    payoffs[0, 1, 1] = np.nan
    with pytest.raises(InvalidParameterError, match="finite"):
        gt.dynamics.simulate(payoffs, [0.5, 0.5])


def test_bad_options_raise_the_standard_message():
    with pytest.raises(InvalidParameterError, match="The 't_max' parameter of simulate"):
        gt.dynamics.simulate(PENNIES, [0.5, 0.5], t_max=-1.0)
    with pytest.raises(InvalidParameterError, match="The 'method' parameter of simulate"):
        gt.dynamics.simulate(PENNIES, [0.5, 0.5], method="Euler")
