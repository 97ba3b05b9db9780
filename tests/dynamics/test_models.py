"""Dynamics on the payment models: symbolic corner eigenvalues vs numbers, and the direct model's threshold."""

import numpy as np
import pytest

import gametheory as gt

COUNTERFEIT = ("Counterfeit", "Verify", "Audit")


@pytest.fixture(scope="module")
def direct():
    return gt.models.get("direct")


@pytest.fixture(scope="module")
def table(direct):
    return gt.dynamics.corner_conditions(direct)


def _values(model, table):
    return {name: value for name, value in model.params.items() if name in table.parameters}


def test_symbolic_corner_eigenvalues_equal_numeric_ones_at_random_parameter_points(direct, table):
    rng = np.random.default_rng(0)
    for _ in range(10):
        model = direct.with_params(
            price=rng.uniform(50, 200), cost_genuine=rng.uniform(40, 60), cost_counterfeit=rng.uniform(5, 40),
            verify_cost=rng.uniform(0.5, 10), detection_prob=rng.uniform(0.1, 1), audit_cost=rng.uniform(0.5, 10),
            audit_detection=rng.uniform(0.1, 1), penalty_multiplier=rng.uniform(0, 6), deposit=rng.uniform(50, 900),
            fine=rng.uniform(0, 100), reputation_loss=rng.uniform(0, 60), insurance_cover=rng.uniform(0, 1),
        )
        symbolic = table.evaluate(**_values(model, table))
        corners = [s for s in gt.dynamics.analyze(model) if s.point.is_pure]
        assert len(corners) == len(table) == 8
        for row, eig, state in zip(table, symbolic, corners, strict=True):
            assert row.label == state.label
            np.testing.assert_allclose(np.sort(np.real(eig)), np.sort(state.eigenvalues.real), atol=1e-9)


def test_symbolic_and_batch_eigenvalues_agree(direct, table):
    ks = np.linspace(0, 6, 25)
    result = gt.dynamics.classify_batch(direct.batch(penalty_multiplier=ks))
    for g, k in enumerate(ks):
        symbolic = table.evaluate(**{**_values(direct, table), "penalty_multiplier": k})
        np.testing.assert_allclose(result.eigenvalues[g, :8].real, np.real(symbolic), atol=1e-9)


def test_counterfeit_ess_disappears_exactly_at_the_symbolic_threshold(direct, table):
    (k_star,) = table.threshold("penalty_multiplier", COUNTERFEIT, **_values(direct, table))
    # by hand: lambda_seller = c_f - c_g + r*F + (alpha*q*(1 - r) + r)*k*p = -15 + 86 k at the defaults
    assert k_star == pytest.approx(15 / 86, rel=1e-12)
    below = direct.with_params(penalty_multiplier=0.9 * k_star)
    above = direct.with_params(penalty_multiplier=1.1 * k_star)
    assert [s.label for s in gt.dynamics.stable_states(below)] == ["(Counterfeit, Verify, Audit)"]
    assert table.stable_corners(**_values(below, table)) == ["(Counterfeit, Verify, Audit)"]
    assert gt.dynamics.stable_states(above) == ()
    assert table.stable_corners(**_values(above, table)) == []
    # the vectorised sweep flips at the same value
    ks = np.linspace(0, 1, 1001)
    result = gt.dynamics.classify_batch(direct.batch(penalty_multiplier=ks))
    counterfeit_corner = 7  # (1, 1, 1) in strategy indices
    stable = result.stable[:, counterfeit_corner]
    np.testing.assert_array_equal(stable, ks < k_star)


def test_trajectories_move_from_counterfeit_to_mostly_genuine_across_the_threshold(direct, table):
    (k_star,) = table.threshold("penalty_multiplier", COUNTERFEIT, **_values(direct, table))
    below = gt.dynamics.simulate(direct.with_params(penalty_multiplier=0.5 * k_star), n_random=5, t_max=20.0,
                                 seed=0)
    np.testing.assert_allclose(below.first_shares[:, -1], np.zeros((5, 3)), atol=1e-6)  # (C, V, Audit)
    above = gt.dynamics.simulate(direct.with_params(penalty_multiplier=4.0), n_random=3, t_max=20.0,
                                 n_times=401, seed=0)
    assert above.success
    genuine = above.first_shares[:, 200:, 0]  # no stable corner: the seller population cycles near Genuine
    assert genuine.mean() > 0.9


def test_model_goes_straight_into_stable_states_and_basins(direct):
    model = direct.with_params(penalty_multiplier=0.05)
    assert [s.label for s in gt.dynamics.stable_states(model)] == ["(Counterfeit, Verify, Audit)"]
    basins = gt.dynamics.basins(model, points=3, t_max=20.0)
    assert basins.shares.tolist() == [1.0] and basins.unassigned == 0.0
