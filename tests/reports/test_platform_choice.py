"""The compare section "Which payment model should the platform choose?": its tables agree with gt.policy."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.reports import scenario
from gametheory.reports.sections import platform_choice
from gametheory.reports.sections.base import Context


@pytest.fixture(scope="module")
def data():
    return platform_choice.SECTION.run(Context(scenario(None), {}, 0.02, 9))


def test_the_best_model_named_is_the_most_profitable_feasible_one(data):
    optimum = data.tables["platform_optimum"]
    feasible = optimum[optimum["feasible"]]
    best = feasible.loc[feasible["platform_profit"].idxmax(), "model"]
    assert f"**{best}**" in data.claims[0].text
    assert (feasible["counterfeit_rate"] <= 0.02 + 1e-9).all()


def test_frontier_is_monotone_and_meets_its_caps(data):
    for _, part in data.tables["platform_frontier"].groupby("model"):
        part = part.sort_values("target_rate")
        values = part["platform_profit"].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        assert np.all(np.diff(finite) >= -1e-9)
        ok = np.isfinite(values)
        assert np.all(part["counterfeit_rate"].to_numpy()[ok] <= part["target_rate"].to_numpy()[ok] + 1e-9)


def test_commitment_rows_match_gt_policy_commitment(data):
    table = data.tables["platform_commitment"]
    assert set(table["model"]) == {"cash_on_delivery", "escrow", "direct"}
    for _, row in table.iterrows():
        res = gt.policy.commitment(gt.models.get(row["model"]))
        assert row["commit_profit"] == pytest.approx(res.value_worst)
        assert row["commit_profit"] >= row["nash_profit"] - 1e-9
        assert row["commit_counterfeit_rate"] <= row["nash_counterfeit_rate"] + 1e-9
