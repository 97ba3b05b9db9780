"""Direct payment: deposit cap, buyer enforcement, the inspection game, the seed's example."""

import numpy as np
import pytest

import gametheory as gt
from tests.models._model_checks import ACCEPT, AUDIT, BUYER, LAX, PLATFORM, SELLER, VERIFY, C, solve_at_defaults

#: the seller's capital cost of the default deposit per order: deposit_capital_cost * deposit = 0.002 * 500
CAPITAL = 1.0


def mix(p):
    return np.array([1.0 - p, p])


def test_seed_example_defrauded_of_100_receives_200():
    m = gt.models.Direct(price=100, penalty_multiplier=2, detection_prob=1, claim_upheld=1, insurance="none",
                         verify_cost=0, value_counterfeit=0)
    g = m.game()
    # the buyer paid 100 for a worthless fake, claimed, and got 200 from the seller's deposit: net +100
    assert g.payoffs[BUYER, C, VERIFY, LAX] == pytest.approx(-100 + 200)
    # the seller kept 95 (commission 5 %), paid 20 for the fake, 2 premium, the deposit's capital cost, and lost
    # 200 of its deposit
    assert g.payoffs[SELLER, C, VERIFY, LAX] == pytest.approx(95 - 20 - 2 - CAPITAL - 200)


def test_counterfeit_payoff_falls_with_k_until_the_deposit_cap_binds():
    m = gt.models.Direct(deposit=500)  # cap binds at k = D / p = 5
    ks = np.arange(0, 9)
    b = m.batch(penalty_multiplier=ks)
    seller_c_verified = b.payoffs[:, SELLER, C, VERIFY, LAX]
    # 95 - 20 - 2 - 1 - 0.72 * min(100 k, 500)
    np.testing.assert_allclose(seller_c_verified, 73 - CAPITAL - 0.72 * np.minimum(100 * ks, 500), atol=1e-9)
    assert np.all(np.diff(seller_c_verified[:6]) == pytest.approx(-72))
    assert np.all(np.abs(np.diff(seller_c_verified[5:])) < 1e-9)  # flat once k p >= D


def test_buyers_gain_from_verifying_against_a_counterfeiter_rises_with_k():
    ks = np.linspace(0, 5, 11)
    b = gt.models.Direct(deposit=500).batch(penalty_multiplier=ks)
    gain = b.payoffs[:, BUYER, C, VERIFY, LAX] - b.payoffs[:, BUYER, C, ACCEPT, LAX]
    # q alpha (min(k p, D) + m p) - e = 0.72 (100 k + 50) - 5
    np.testing.assert_allclose(gain, 0.72 * (100 * ks + 50) - 5, atol=1e-9)
    assert np.all(np.diff(gain) > 0)
    # with 'shortfall' insurance the buyer's gain keeps rising past the cap (the insurer pays the rest)
    sb = gt.models.Direct(deposit=500, insurance="shortfall", insurance_cover=10).batch(
        penalty_multiplier=[5, 6, 7])
    assert np.all(np.diff(sb.payoffs[:, BUYER, C, VERIFY, LAX]) > 0)


def _enforcement_equilibrium(m):
    """Buyer enforcement (audits useless): sigma_C = e / (q alpha (P + I)) and the verify rate
    y = (c_g - c_f) / (q alpha (P + W))."""
    p, k, d = m.price, m.penalty_multiplier, m.deposit
    pen = min(k * p, d)
    ins = m.insurance_cover * p
    qa = m.detection_prob * m.claim_upheld
    sigma_c = m.verify_cost / (qa * (pen + ins))
    y = (m.cost_genuine - m.cost_counterfeit) / (qa * (pen + m.delisting_loss))
    return [mix(sigma_c), mix(y), mix(0.0)]


def test_buyer_enforcement_counterfeit_rate_falls_as_k_rises():
    rates = []
    for k in [1, 2, 3, 4, 5, 6]:
        m = gt.models.Direct(penalty_multiplier=k, audit_detection=0.0)  # audits never catch: Lax dominates
        profile = _enforcement_equilibrium(m)
        g = m.game()
        assert g.regret(profile) <= 1e-9 * g.scale
        rates.append(m.outcomes(profile)["counterfeit_rate"])
    # e / (q alpha (min(100 k, 500) + 50)) = 5 / (0.72 (100 k + 50))
    np.testing.assert_allclose(rates, [5 / (0.72 * (min(100 * k, 500) + 50)) for k in [1, 2, 3, 4, 5, 6]])
    assert rates[0] == pytest.approx(0.0463, abs=1e-4) and rates[4] == pytest.approx(0.0126, abs=1e-4)
    assert all(a > b for a, b in zip(rates[:4], rates[1:5], strict=True))
    assert rates[5] == pytest.approx(rates[4])  # k = 6: the deposit cap binds, no further effect


def _inspection_equilibrium(m):
    """Inspection game (buyers never claim): platform indifferent at sigma_C = a / (r (s F' + L)), seller at
    audit rate y = (c_g - c_f) / (r (P + F' + W)), with P = min(k p, D), F' = min(F, D - P)."""
    pen = min(m.penalty_multiplier * m.price, m.deposit)
    fine = min(m.fine, m.deposit - pen)
    sigma_c = m.audit_cost / (m.audit_detection * (m.fine_to_platform * fine + m.reputation_loss))
    y = (m.cost_genuine - m.cost_counterfeit) / (m.audit_detection * (pen + fine + m.delisting_loss))
    return [mix(sigma_c), mix(0.0), mix(y)]


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_inspection_game_fine_lowers_audit_rate(share):
    fines = [10, 50, 100, 200]
    rates, audits = [], []
    for fine in fines:
        m = gt.models.Direct(fine=fine, claim_upheld=0.0, deposit=5000, fine_to_platform=share)
        profile = _inspection_equilibrium(m)
        g = m.game()
        assert g.regret(profile) <= 1e-9 * g.scale
        rates.append(m.outcomes(profile)["counterfeit_rate"])
        audits.append(profile[PLATFORM][1])
    # the seller pays P + F when caught: y = 40 / (0.5 (200 + F)) falls as the fine rises
    np.testing.assert_allclose(audits, [40 / (0.5 * (200 + f)) for f in fines])
    assert all(a > b for a, b in zip(audits, audits[1:], strict=False))
    if share == 0.0:
        # the classic result: the fine goes to a regulator; sigma_C = a / (r L) = 3 / 15 = 0.2 whatever the fine
        np.testing.assert_allclose(rates, 0.2)
    else:
        # the platform keeps the fine, so it is an audit incentive: sigma_C = a / (r (F + L)) falls with F
        np.testing.assert_allclose(rates, [3 / (0.5 * (f + 30)) for f in fines])
        assert all(a > b for a, b in zip(rates, rates[1:], strict=False))


def test_defaults_solve_with_small_regret():
    m, eqs = solve_at_defaults("direct", count=1)
    assert eqs[0].allclose(_enforcement_equilibrium(m), atol=1e-7)
    assert m.outcomes(eqs[0])["counterfeit_rate"] == pytest.approx(5 / 180)


def test_batch_agrees_with_game_point_by_point():
    rng = np.random.default_rng(7)
    m = gt.models.get("direct")
    n = 50
    arrays = {
        "price": rng.uniform(50, 200, n),
        "penalty_multiplier": rng.uniform(0, 6, n),
        "deposit": rng.uniform(0, 1000, n),
        "detection_prob": rng.uniform(0, 1, n),
        "fine": rng.uniform(0, 300, n),
        "insurance_cover": rng.uniform(0, 2, n),
    }
    b = m.batch(**arrays)
    assert len(b) == n
    for i in range(n):
        g = m.with_params(**{k: float(v[i]) for k, v in arrays.items()}).game()
        np.testing.assert_allclose(b.payoffs[i], g.payoffs, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("insurance", ["none", "top_up", "shortfall"])
@pytest.mark.parametrize("payer", ["seller", "platform", "buyer"])
def test_insurance_variants_and_premium_payer(insurance, payer):
    m = gt.models.Direct(insurance=insurance, premium_payer=payer, penalty_multiplier=6, deposit=500,
                         insurance_cover=0.5)
    pi = m.premium
    g = m.game()
    out = m.outcomes([C, VERIFY, LAX])
    paid = {"none": 0.0, "top_up": 50.0, "shortfall": 50.0}[insurance]  # shortfall: min(50, 600 - 500)
    assert out["insurer_result"] == pytest.approx(pi - 0.72 * paid)
    base = {"seller": 95 - 20 - CAPITAL - 0.72 * 500, "platform": 5.0, "buyer": -100 + 20 - 5 + 0.72 * (500 + paid)}
    base[payer] -= pi
    assert g.payoffs[SELLER, C, VERIFY, LAX] == pytest.approx(base["seller"])
    assert g.payoffs[BUYER, C, VERIFY, LAX] == pytest.approx(base["buyer"])
    assert g.payoffs[PLATFORM, C, VERIFY, LAX] == pytest.approx(base["platform"] - 0.28 * 30)


def test_deposit_also_caps_the_fine():
    m = gt.models.Direct(deposit=220, penalty_multiplier=2, fine=50, detection_prob=0, audit_detection=1)
    g = m.game()
    # caught by an audit: 200 to the buyer, and only 20 left in the deposit for the 50 fine
    assert g.payoffs[SELLER, C, ACCEPT, AUDIT] == pytest.approx(95 - 20 - 2 - 0.002 * 220 - 200 - 20)
    assert g.payoffs[PLATFORM, C, ACCEPT, AUDIT] == pytest.approx(5 - 3 + 20)


def test_the_deposit_costs_the_seller_capital_per_order():
    """Issue 20: escrow was charged for holding money and direct payment nothing for the seller's deposit."""
    rates = np.array([0.0, 0.002, 0.01])
    deposits = np.array([[100.0], [500.0], [1000.0]])
    b = gt.models.get("direct").batch(deposit_capital_cost=rates, deposit=deposits)
    free = gt.models.get("direct", deposit_capital_cost=0).batch(deposit=deposits.repeat(3, axis=1))
    cost = (rates * deposits).ravel()
    # every seller payoff falls by i_D D, whatever the profile; nobody else's changes
    np.testing.assert_allclose(b.payoffs[:, SELLER] - free.payoffs[:, SELLER],
                               -np.broadcast_to(cost[:, None, None, None], (9, 2, 2, 2)), atol=1e-9)
    np.testing.assert_allclose(b.payoffs[:, 1:], free.payoffs[:, 1:], atol=1e-9)
    assert gt.models.get("direct").deposit_capital_cost == 0.002


def test_the_deposit_capital_cost_lowers_welfare_not_the_equilibrium():
    base = gt.models.get("direct", deposit_capital_cost=0)
    costly = base.with_params(deposit_capital_cost=0.01)
    (e0,), (e1,) = gt.solve(base.game()), gt.solve(costly.game())
    assert e0.allclose(e1.profile, atol=1e-12)
    assert costly.outcomes(e1)["welfare"] == pytest.approx(base.outcomes(e0)["welfare"] - 0.01 * 500)


def test_symbolic_payoffs_are_the_source():
    m = gt.models.get("direct")
    sym = m.symbolic_payoffs()
    assert sym.shape == (3, 2, 2, 2)
    values = {s: m.params[n] for n, s in m.symbols.items()}
    g = m.game()
    for idx in np.ndindex(*sym.shape):
        assert float(sym[idx].subs(values)) == pytest.approx(g.payoffs[idx])
    metrics = m.symbolic_metrics()
    assert set(metrics) >= {"counterfeit_rate", "false_claim_rate", "buyer_surplus", "seller_profit",
                            "platform_profit", "insurer_result", "welfare", "funds_held"}
    assert all(a.shape == (2, 2, 2) for a in metrics.values())


def test_exact_game_agrees_with_the_float_game():
    m = gt.models.get("direct", penalty_multiplier=2.5, detection_prob=0.75)
    exact = m.exact_game()
    assert exact.is_exact
    np.testing.assert_allclose(exact.payoffs.astype(float), m.game().payoffs, atol=1e-12)
    eq = gt.solve(m.game())[0]
    sigma_c = 5 / (0.75 * 0.9 * (250 + 50))
    assert eq.profile[0][1] == pytest.approx(sigma_c)
