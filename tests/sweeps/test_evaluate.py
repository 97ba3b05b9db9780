"""One chunk to a table: the batch answers agree with solving each point's game on its own."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.sweeps import SweepSpec, chunks
from gametheory.sweeps.evaluate import evaluate_chunk

GRID = {"penalty_multiplier": [0.0, 1.0, 2.0, 5.0], "deposit": [50.0, 500.0], "detection_prob": [0.1, 0.8]}


@pytest.fixture(scope="module")
def table():
    return gt.sweep(["direct", "escrow"], grid={"penalty_multiplier": [1.0, 2.0, 5.0], "detection_prob": [0.1, 0.8]},
                    outputs=["equilibria", "counterfeit", "welfare", "per_equilibrium"], progress=False)


def test_every_point_agrees_with_solving_its_game(table):
    assert len(table) == 2 * 3 * 2
    for row in table.itertuples(index=False):
        model = gt.models.get(row.model, penalty_multiplier=row.penalty_multiplier, detection_prob=row.detection_prob)
        eqs = gt.solve(model.game())
        assert row.n_equilibria == len(eqs) or row.degenerate
        rates = [model.outcomes(eq)["counterfeit_rate"] for eq in eqs]
        welfare = [model.outcomes(eq)["welfare"] for eq in eqs]
        assert row.max_regret <= 1e-7 * max(1.0, np.abs(model.game().payoffs).max())
        if not row.degenerate:
            assert row.counterfeit_rate_max == pytest.approx(max(rates), abs=1e-7)
            assert row.counterfeit_rate_min == pytest.approx(min(rates), abs=1e-7)
            assert row.welfare_min == pytest.approx(min(welfare), abs=1e-6)
            assert sorted(row.counterfeit_rate_eq) == pytest.approx(sorted(rates), abs=1e-7)


def test_equilibrium_types_add_up(table):
    assert (table["n_pure"] + table["n_mixed"] == table["n_equilibria"]).all()
    pure = table["eq_type"] == "pure"
    assert (table.loc[pure, "n_mixed"] == 0).all()
    unique_pure = (table["n_equilibria"] == 1) & (table["n_pure"] == 1) & ~table["degenerate"]
    assert table.loc[unique_pure, "regime"].str.count("/").eq(2).all()


def test_chunking_does_not_change_the_answers():
    one = SweepSpec.from_dict({"model": "direct", "axes": GRID, "chunk_size": 1000})
    many = SweepSpec.from_dict({"model": "direct", "axes": GRID, "chunk_size": 3})
    import pandas as pd

    whole = evaluate_chunk(one, chunks(one)[0])
    parts = pd.concat([evaluate_chunk(many, c) for c in chunks(many)], ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)


def test_stable_states_output():
    df = gt.sweep("direct", grid={"penalty_multiplier": [0.0, 4.0]}, outputs=["stable_states"], progress=False)
    assert df["n_stable"].tolist() == [1, 0]
    assert df["stable_states"].tolist() == ["Counterfeit/Verify/Audit", "none"]
    for row in df.itertuples(index=False):
        game = gt.models.get("direct", penalty_multiplier=row.penalty_multiplier).game()
        assert len(gt.dynamics.stable_states(game)) == row.n_stable


def test_a_sweep_without_axes_is_one_point_per_model():
    df = gt.sweep(["direct", "escrow", "cash_on_delivery", "self_operated"], progress=False)
    assert df["model"].tolist() == ["direct", "escrow", "cash_on_delivery", "self_operated"]
    assert df["n_equilibria"].ge(1).all()


def test_threshold_output_is_the_smallest_and_marks_where_it_is_not_robust():
    # the cases: the direct defaults at target 0.08 deter on (0.3, 0.369) U [0.6845, 100]; the scenario
    # below deters on (0.0463, 6.2952] U (6.3161, 100] (the closed form used to answer 6.316 for it)
    relapse = dict(detection_prob=0.3395, verify_cost=18.5598, audit_cost=4.077, audit_detection=0.4,
                   fine=95.3699, reputation_loss=87.9803, insurance_cover=0.099)
    df = gt.sweep(gt.models.get("direct", **relapse), grid={"deposit": [644.6, 5000.0]}, outputs=["threshold"],
                  threshold={"target_rate": 0.1}, progress=False)
    assert df["threshold_penalty_multiplier"].iloc[0] == pytest.approx(0.046301, abs=1e-6)
    assert df["robust_penalty_multiplier"].iloc[0] == pytest.approx(6.316145514, rel=1e-8)
    assert not df["monotone_penalty_multiplier"].iloc[0]
    for row in df.itertuples(index=False):  # every row is the exact set's smallest / robust value
        s = gt.deterrence.deterrence_set(gt.models.get("direct", **relapse, deposit=row.deposit), target_rate=0.1)
        assert row.threshold_penalty_multiplier == pytest.approx(s.smallest, rel=1e-9)
        assert row.robust_penalty_multiplier == pytest.approx(s.robust, rel=1e-9)
        assert bool(row.monotone_penalty_multiplier) == s.monotone
    df = gt.sweep("direct", grid={"price": [100.0]}, outputs=["threshold"], threshold={"target_rate": 0.08},
                  progress=False)
    assert df["threshold_penalty_multiplier"].iloc[0] == pytest.approx(0.3)
    assert df["robust_penalty_multiplier"].iloc[0] == pytest.approx(0.6844525393, rel=1e-9)
    assert not df["monotone_penalty_multiplier"].iloc[0]


def test_threshold_output_matches_the_deterrence_module():
    deposits = [50.0, 500.0, 5000.0]
    df = gt.sweep("direct", grid={"deposit": deposits}, outputs=["threshold"],
                  threshold={"target_rate": 0.02, "method": "search"},
                  progress=False)
    for row in df.itertuples(index=False):
        model = gt.models.get("direct", deposit=row.deposit)
        res = gt.deterrence.min_penalty_multiplier(model, target_rate=0.02, method="search")
        if res.feasible:
            assert row.threshold_penalty_multiplier == pytest.approx(float(res.threshold), rel=1e-6)
        else:
            assert np.isnan(row.threshold_penalty_multiplier)
    assert np.isnan(df["threshold_penalty_multiplier"].iloc[0])  # a deposit of 50 caps the penalty
