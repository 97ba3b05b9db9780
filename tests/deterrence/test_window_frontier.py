"""The deterrence window and the two-parameter frontier."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.deterrence.window import false_claim_gain


def test_window_at_defaults(direct):
    w = gt.deterrence.deterrence_window(direct, target_rate=0.05)
    beta, e, m, p = 0.01, 5.0, 0.5, 100.0
    assert w.k_min == pytest.approx(5 / (0.72 * 100 * 0.05) - 0.5, rel=1e-9)
    assert w.k_max == pytest.approx((e / beta - m * p) / p, rel=1e-7)
    assert not w.empty and "deters without" in w.reason
    # FalseClaim against a genuine item: not profitable just below k_max, profitable just above
    ext = direct.with_params(variant="extended")
    for k, sign in ((w.k_max * (1 - 1e-6), -1), (w.k_max * (1 + 1e-6), 1)):
        u = ext.with_params(penalty_multiplier=k).game().payoffs[1, 0]  # buyer, seller Genuine
        gain = (u[3] - u[:3].max(axis=0)).max()
        assert np.sign(gain) == sign


def test_window_empty_when_false_claims_are_often_upheld(direct):
    w = gt.deterrence.deterrence_window(direct.with_params(variant="extended", false_claim_upheld=0.2),
                                        target_rate=0.05)
    assert w.empty and "empty" in w.reason
    assert w.k_max < w.k_min


def test_false_claim_gain_formula():
    expr = false_claim_gain(gt.models.get("direct", variant="extended"))
    assert str(expr) == "beta*(m*p + Min(D, k*p)) - e"


def test_frontier_over_the_deposit(direct):
    deposits = np.array([50.0, 88.0, 90.0, 500.0, 5000.0])
    df = gt.deterrence.frontier(direct, "deposit", deposits, target_rate=0.05)
    assert list(df.columns) == ["deposit", "penalty_multiplier", "feasible", "min_deposit", "closed_form"]
    assert df["feasible"].tolist() == [False, False, True, True, True]
    d_star = 5 / (0.72 * 0.05) - 50
    np.testing.assert_allclose(df["min_deposit"][:2], d_star, rtol=1e-6)
    np.testing.assert_allclose(df["penalty_multiplier"][2:], d_star / 100, rtol=1e-9)


def test_frontier_rejects_empty_values(direct):
    with pytest.raises(gt.InvalidParameterError, match="The 'values' parameter of frontier"):
        gt.deterrence.frontier(direct, "deposit", [])
