"""The smallest multiplier at the seller's discount factor: Becker without a future, the future as a substitute."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt


def _becker(m):
    """k* with no future, by hand: c_g - c_f - A F = k p (A + (1 - A) C), while k p <= D - F."""
    audit = m.audit_detection * m.audit_rate
    claim = m.detection_prob * m.claim_upheld * m.verify_rate
    return (m.cost_genuine - m.cost_counterfeit - audit * m.fine) / (m.price * (audit + (1 - audit) * claim))


def test_without_a_future_it_is_beckers_multiplier():
    m = gt.models.get("direct", discount_factor=0.0, deposit=2000.0)
    res = gt.repeated.min_penalty_multiplier(m)
    assert res.value == pytest.approx(_becker(m), rel=1e-10) and res.verified


def test_the_future_substitutes_for_the_multiplier_one_for_one_in_money():
    m = gt.models.get("direct", deposit=2000.0)
    deltas = np.array([0.0, 0.3, 0.6, 0.8])
    res = gt.repeated.min_penalty_multiplier(m, points={"discount_factor": deltas})
    audit, claim = 0.05 * 0.5, 0.8 * 0.9 * 0.1
    detection = 1 - (1 - audit) * (1 - claim)
    # each unit of continuation value delta/(1-delta) pi_H, lost with probability P, replaces penalty paid with P
    future = detection * deltas / (1 - deltas) * (33.0 - 0.002 * 2000.0)   # pi_H net of the deposit's cost
    expected = (40.0 - audit * 50.0 - future) / (100.0 * (audit + (1 - audit) * claim))
    np.testing.assert_allclose(res.value, expected, rtol=1e-10)
    assert np.all(np.diff(res.value) < 0) and res.verified.all()


def test_the_deposit_cap_and_the_lower_bound():
    capped = gt.repeated.min_penalty_multiplier(gt.models.get("direct", deposit=100.0, discount_factor=0.2))
    assert capped.value is None and "deposit caps the penalty" in capped.reason
    free = gt.repeated.min_penalty_multiplier(gt.models.get("direct", discount_factor=0.95))
    assert free.value == 0.0 and "lowest multiplier" in free.reason
    unseen = gt.repeated.min_penalty_multiplier(gt.models.get("direct", verify_rate=0.0, audit_rate=0.0))
    assert unseen.value is None and "P = 0" in unseen.reason


def test_between_the_branches_of_the_deposit_cap():
    # k p between D - F and D: the fine is cut by what the compensation leaves in the deposit
    m = gt.models.get("direct", deposit=430.0, discount_factor=0.0)
    res = gt.repeated.min_penalty_multiplier(m)
    k = res.value
    assert res.verified and m.deposit - m.fine <= k * m.price <= m.deposit
    # the seller is indifferent at k*: its gain, evaluated on the game itself, is zero
    table = m.with_params(penalty_multiplier=k).game().payoffs[0]
    weights = np.outer([1 - m.verify_rate, m.verify_rate], [1 - m.audit_rate, m.audit_rate])
    assert float((weights * (table[1] - table[0])).sum()) == pytest.approx(0.0, abs=1e-9)


def test_vectorised_equals_scalar():
    m = gt.models.get("direct")
    deposits = np.array([50.0, 300.0, 450.0, 2000.0])
    res = gt.repeated.min_penalty_multiplier(m, points={"deposit": deposits})
    for d, v, reason in zip(deposits, res.value, res.reason, strict=True):
        one = gt.repeated.min_penalty_multiplier(m.with_params(deposit=d))
        assert (np.nan if one.value is None else one.value) == pytest.approx(v, nan_ok=True)
        assert one.reason == reason
