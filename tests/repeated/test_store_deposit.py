"""Store-level deposits against a Monte Carlo of deposit depletion, and the smallest deterring store deposit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.repeated.store_deposit import expected_min

# P = 0.72 (every buyer verifies, no audits), k p = 200, D = 500: the deposit holds two and a half claims
FULL_CLAIMS = {"verify_rate": 1.0, "audit_rate": 0.0}


def test_expected_min_against_a_direct_sum():
    counts, probs, caps = np.array([1, 5, 12, 30]), np.array([0.3, 0.72, 0.5, 0.05]), np.array([0.4, 2.5, 20, 1.7])
    got = expected_min(counts, probs, caps)
    for c, p, m, g in zip(counts, probs, caps, got, strict=True):
        j = np.arange(c + 1)
        assert g == pytest.approx(float((stats.binom.pmf(j, c, p) * np.minimum(j, m)).sum()), rel=1e-12)


def test_one_order_is_the_one_sale_model():
    for deposit in (50.0, 150.0, 500.0):
        m = gt.models.get("direct", deposit=deposit, store_orders=1, **FULL_CLAIMS)
        assert gt.repeated.expected_compensation(m) == pytest.approx(min(200.0, deposit))


@pytest.mark.parametrize(("orders", "fraud_rate", "periods", "deposit"), [
    (10, 1.0, 1, 500.0), (10, 0.3, 1, 500.0), (4, 1.0, 3, 700.0), (25, 0.5, 1, 1000.0), (3, 1.0, 1, 150.0),
], ids=["ten_orders_all_fake", "ten_orders_some_fake", "no_top_up_for_three_periods", "large_store", "small_deposit"])
def test_expected_compensation_against_monte_carlo_of_depletion(orders, fraud_rate, periods, deposit):
    m = gt.models.get("direct", deposit=deposit, store_orders=orders, **FULL_CLAIMS)
    formula = gt.repeated.expected_compensation(m, fraud_rate=fraud_rate, periods=periods)
    sim = gt.repeated.simulate_depletion(m, fraud_rate=fraud_rate, periods=periods, runs=20_000, seed=7)
    assert sim.orders == orders * periods
    rate = 0.72 * fraud_rate
    assert sim.frauds == pytest.approx(orders * periods * rate, rel=0.03)
    # total paid per cycle: the formula's E[min(N k p, D)] within four standard errors of the simulation
    assert abs(sim.paid - formula * orders * periods * rate) < 4 * sim.paid_stderr
    assert sim.compensation_per_fraud == pytest.approx(formula, rel=0.03)
    assert formula <= 200.0 + 1e-9


def test_the_cap_binds_in_expectation_not_per_order():
    m = gt.models.get("direct", **FULL_CLAIMS)
    comp = gt.repeated.expected_compensation(m, points={"store_orders": [1, 2, 3, 5, 10, 100]})
    assert comp[0] == comp[1] == pytest.approx(200.0)          # two claims fit in 500
    assert np.all(np.diff(comp[1:]) < 0) and comp[-1] == pytest.approx(500.0 / 72.0, rel=1e-3)
    rates = gt.repeated.expected_compensation(m.with_params(store_orders=10), points={"premium": [2.0, 2.0]},
                                              fraud_rate=0.1)
    assert np.all(rates > comp[4])                             # fewer frauds leave more per fraud


def _need(m, delisting):
    audit = m.audit_detection * m.audit_rate
    claim = m.detection_prob * m.claim_upheld * m.verify_rate
    p_est = 1 - (1 - audit) * (1 - claim)
    g0 = m.cost_genuine - m.cost_counterfeit - audit * m.fine - p_est * m.delisting_loss
    n = int(m.store_orders)
    need = n * g0
    if delisting:
        need -= (1 - (1 - p_est) ** n) * m.discount_factor / (1 - m.discount_factor) * n * 33.0
    return need, p_est, g0


@pytest.mark.parametrize("delisting", [False, True])
def test_min_store_deposit_against_a_bisection_and_a_monte_carlo(delisting):
    m = gt.models.get("direct", penalty_multiplier=8.0, discount_factor=0.5)
    orders = np.array([1, 3, 10, 40])
    res = gt.repeated.min_store_deposit(m, points={"store_orders": orders}, delisting=delisting)
    assert res.sustainable.all() and res.verified.all()
    for n, d_star in zip(orders, res.value, strict=True):
        here = m.with_params(store_orders=float(n))
        need, p_est, _ = _need(here, delisting)
        lo, hi = 0.0, 1e5
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if 800.0 * expected_min(np.array([n]), np.array([p_est]), np.array([mid / 800.0]))[0] \
                >= need else (mid, hi)
        assert d_star == pytest.approx(hi, rel=1e-7, abs=1e-6)
        # a store faking every order: the simulated deposit loss covers its gain just above D*, not just below
        if d_star > 0:
            above = gt.repeated.simulate_depletion(here.with_params(deposit=1.05 * d_star), runs=20_000, seed=11)
            below = gt.repeated.simulate_depletion(here.with_params(deposit=0.95 * d_star), runs=20_000, seed=11)
            assert above.paid > need - 4 * above.paid_stderr
            assert below.paid < need + 4 * below.paid_stderr


def test_per_order_deposit_falls_towards_the_gain_and_delisting_helps():
    m = gt.models.get("direct", penalty_multiplier=8.0)
    orders = np.array([1, 10, 100, 1000])
    alone = gt.repeated.min_store_deposit(m, points={"store_orders": orders}, delisting=False)
    _, p_est, g0 = _need(m, False)
    per_order = alone.value / orders
    assert per_order[0] == pytest.approx(g0 / p_est) and np.all(np.diff(per_order) < 0)
    assert per_order[-1] == pytest.approx(g0, rel=0.05)
    with_future = gt.repeated.min_store_deposit(m, points={"store_orders": orders}, delisting=True)
    assert np.all(with_future.value <= alone.value)


def test_no_deposit_deters_when_the_multiplier_caps_compensation():
    res = gt.repeated.min_store_deposit(gt.models.get("direct"), delisting=False)    # g_0 = 38.75 > P k p = 19.04
    assert res.value is None and "raise the multiplier" in res.reason


def test_store_deposit_needs_whole_orders_and_a_deposit_model():
    with pytest.raises(InvalidParameterError, match="'store_orders' parameter of min_store_deposit must be a whole"):
        gt.repeated.min_store_deposit(gt.models.get("direct", store_orders=2.5))
    with pytest.raises(InvalidParameterError, match="parameters delisting_loss"):
        gt.repeated.expected_compensation(gt.models.get("escrow"))
    with pytest.raises(InvalidParameterError, match="'fraud_rate' parameter of expected_compensation"):
        gt.repeated.expected_compensation(gt.models.get("direct"), fraud_rate=2.0)


def test_importing_repeated_does_not_load_scipy():
    """scipy.stats and scipy.special (0.3-1 s to import) are loaded by the functions that use them."""
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, gametheory.repeated; print([m for m in ('scipy.stats', 'scipy.special') if m in sys.modules])"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.strip() == "[]"
