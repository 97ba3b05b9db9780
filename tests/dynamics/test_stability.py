"""Jacobian, eigenvalues and classification: textbook cases, a hand-derived 2x2x2 game, properties."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.dynamics._state import replicator_field_flat
from gametheory.errors import InvalidParameterError
from tests.dynamics._games import COORDINATION, HAND_2X2X2, PENNIES, random_game


def _numeric_jacobian(game, state, h=1e-6):
    """Central differences of the field in the tangent coordinates (drop each population's last share)."""
    shape = game.shape
    cols = []
    off = np.concatenate([[0], np.cumsum(shape)])
    for i, s in enumerate(shape):
        for t in range(s - 1):
            step = np.zeros(off[-1])
            step[off[i] + t], step[off[i] + s - 1] = h, -h
            plus = replicator_field_flat(game.payoffs, shape, (state + step)[None])[0]
            minus = replicator_field_flat(game.payoffs, shape, (state - step)[None])[0]
            cols.append((plus - minus) / (2 * h))
    keep = [off[i] + t for i, s in enumerate(shape) for t in range(s - 1)]
    return np.array(cols).T[keep]


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 2, 2), (3, 2, 4), (2, 2, 2, 2)], ids=str)
def test_analytic_jacobian_matches_finite_differences(shape):
    game = random_game(shape, 7)
    for state in gt.dynamics.random_states(game, 5, seed=8):
        np.testing.assert_allclose(gt.dynamics.jacobian(game, state), _numeric_jacobian(game, state), atol=1e-7)


def test_matching_pennies_centre_is_undecided_not_stable():
    analysis = gt.dynamics.analyze(PENNIES)
    assert len(analysis) == 5
    centre = analysis[4]
    assert centre.classification == "undecided" and centre.point.nash
    np.testing.assert_allclose(centre.eigenvalues, [1j, -1j], atol=1e-12)
    assert [s.classification for s in analysis[:4]] == ["saddle"] * 4
    assert gt.dynamics.stable_states(PENNIES) == ()


def test_coordination_has_two_stable_corners_and_an_unstable_interior():
    analysis = gt.dynamics.analyze(COORDINATION)
    assert [s.classification for s in analysis] == ["stable", "unstable", "unstable", "stable", "saddle"]
    stable = gt.dynamics.stable_states(COORDINATION)
    assert len(stable) == 2
    assert [s.label for s in stable] == ["(s1, s1)", "(s2, s2)"]
    np.testing.assert_allclose(stable[0].eigenvalues, [-2, -2])
    np.testing.assert_allclose(stable[1].eigenvalues, [-1, -1])
    interior = analysis[4]
    np.testing.assert_allclose(np.stack(interior.profile)[:, 0], [1 / 3, 1 / 3])
    # J = [[0, x(1-x) * 3], [y(1-y) * 3, 0]] at x = y = 1/3: eigenvalues +-2/3
    np.testing.assert_allclose(interior.eigenvalues, [2 / 3, -2 / 3])


def test_hand_derived_2x2x2_stable_corner():
    # Player 1's 2nd strategy dominates (gain 2); player 2 matches player 1 (gain 1); player 3 avoids player 2
    # (gain 1). At (2nd, 2nd, 1st) = shares (0, 0, 1) the eigenvalues are u_i(deviation) - u_i(corner):
    # player 1: 0 - 2 = -2; player 2: 0 - 1 = -1; player 3: 0 - 1 = -1. Every other corner has a positive one.
    stable = gt.dynamics.stable_states(HAND_2X2X2)
    assert len(stable) == 1
    (state,) = stable
    np.testing.assert_allclose(np.concatenate(state.profile), [0, 1, 0, 1, 1, 0])
    np.testing.assert_allclose(state.eigenvalues, [-1, -1, -2])
    assert state.is_ess


def test_every_rest_point_has_zero_field_and_stable_states_are_strict_nash():
    for seed in range(30):
        for shape in [(2, 2), (3, 3), (2, 2, 2)]:
            game = random_game(shape, seed)
            analysis = gt.dynamics.analyze(game)
            for state in analysis:
                field = gt.dynamics.replicator_field(game, state.point.state)
                assert np.abs(field).max() <= 1e-12
            for state in analysis.stable:
                assert state.point.is_pure and state.point.nash
                # strict: every deviation loses
                assert np.all(state.eigenvalues.real < 0)


def test_every_stable_state_is_a_nash_equilibrium_found_by_gt_solve():
    checked = 0
    for seed in range(20):
        for shape in [(2, 2), (3, 3), (2, 2, 2)]:
            game = random_game(shape, 50 + seed)
            stable = gt.dynamics.stable_states(game)
            if not stable:
                continue
            try:
                eqs = gt.solve(game)
            except ModuleNotFoundError:  # gt.solve's n-player path (reduced 2x1x2 games) is not in the tree yet
                continue
            for state in stable:
                assert any(eq.allclose(state.profile, atol=1e-9) for eq in eqs)
                checked += 1
    assert checked >= 20


def test_pure_nash_corners_are_exactly_the_stable_corners_of_generic_games():
    for seed in range(30):
        game = random_game((2, 3, 2), seed)
        strict = {tuple(a) for a in game.pure_equilibria()}
        stable = {tuple(int(np.argmax(v)) for v in s.profile) for s in gt.dynamics.stable_states(game)}
        assert stable == strict


def test_trajectories_from_inside_a_basin_end_at_its_stable_state():
    for game in (COORDINATION, HAND_2X2X2, random_game((2, 3, 2), 4)):
        for state in gt.dynamics.stable_states(game):
            target = state.point.state
            rng = np.random.default_rng(0)
            starts = []
            for _ in range(10):  # small perturbations inside the simplex: inside the basin of a sink
                noise = gt.dynamics.random_states(game, 1, seed=rng)[0]
                starts.append(0.95 * target + 0.05 * noise)
            run = gt.dynamics.simulate(game, np.array(starts), t_max=200.0)
            assert run.success
            np.testing.assert_allclose(run.final, np.broadcast_to(target, run.final.shape), atol=1e-6)


def test_hand_derived_game_is_globally_attracted_to_its_ess():
    run = gt.dynamics.simulate(HAND_2X2X2, n_random=20, t_max=60.0, seed=3)
    np.testing.assert_allclose(run.first_shares[:, -1], np.broadcast_to([0, 0, 1], (20, 3)), atol=1e-6)


def test_classify_state_rejects_points_that_are_not_at_rest():
    with pytest.raises(InvalidParameterError, match="must be a rest point"):
        gt.dynamics.classify_state(COORDINATION, [0.5, 0.5])


def test_zero_eigenvalue_is_undecided_never_guessed():
    # player 2 indifferent between its strategies at (s1, s1): eigenvalue 0 -> undecided, not stable
    game = gt.NormalFormGame([[[2, 0], [0, 1]], [[1, 1], [0, 1]]])
    state = gt.dynamics.classify_state(game, [1.0, 1.0])
    assert state.classification == "undecided"
    np.testing.assert_allclose(sorted(state.eigenvalues.real), [-2, 0])


def test_positive_eigenvalue_with_a_zero_one_is_unstable():
    game = gt.NormalFormGame([[[0, 0], [1, 0]], [[1, 1], [0, 0]]])  # player 1 gains 1 by switching, player 2 0
    state = gt.dynamics.classify_state(game, [1.0, 1.0])
    assert state.classification == "unstable"


def test_analysis_prints_as_a_table():
    text = str(gt.dynamics.analyze(COORDINATION))
    assert text.splitlines()[0].split() == ["rest", "point", "Nash", "eigenvalues", "stability"]
    assert "(s1, s1)" in text and "stable" in text
