"""Escrow: refunds from held funds, the seller paid only when the buyer confirms."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests.models._model_checks import ACCEPT, BUYER, LAX, PLATFORM, SELLER, VERIFY, C, G, solve_at_defaults


def test_defaults_have_three_equilibria_with_small_regret():
    m, eqs = solve_at_defaults("escrow", count=3)
    rates = sorted(round(m.outcomes(e)["counterfeit_rate"], 4) for e in eqs)
    # buyers accept & platform mixes (0.08 = a / (r (F + L)) = 3 / 37.5), buyers mix & Lax, everyone mixes
    assert rates == [0.0694, 0.08, 0.085]
    for e in eqs:
        assert m.outcomes(e)["funds_held"] == pytest.approx(100.0)  # the platform holds every price paid


def test_refund_comes_from_escrow_and_the_seller_is_never_paid():
    m = gt.models.Escrow(detection_prob=1, claim_upheld=1, verify_cost=0, value_counterfeit=0)
    g = m.game()
    assert g.payoffs[BUYER, C, VERIFY, LAX] == pytest.approx(0.0)  # paid 100, refunded 100
    assert g.payoffs[SELLER, C, VERIFY, LAX] == pytest.approx(-20.0)  # the fake's cost, never paid
    assert g.payoffs[PLATFORM, C, VERIFY, LAX] == pytest.approx(-1.0)  # held the funds (kappa), no commission
    # a "fake one, pay three" pledge: k = 3 pays the buyer 300, 200 of it from the seller
    g3 = m.with_params(penalty_multiplier=3).game()
    assert g3.payoffs[BUYER, C, VERIFY, LAX] == pytest.approx(200.0)
    assert g3.payoffs[SELLER, C, VERIFY, LAX] == pytest.approx(-220.0)


def test_genuine_sale_pays_seller_less_the_delay_cost():
    g = gt.models.Escrow(settlement_delay_cost=0.02).game()
    assert g.payoffs[SELLER, G, ACCEPT, LAX] == pytest.approx(100 * 0.95 - 2 - 60)
    assert g.payoffs[PLATFORM, G, ACCEPT, LAX] == pytest.approx(5 - 1)


def test_multiplier_below_one_is_rejected():
    pattern = r"'penalty_multiplier' parameter of escrow must be a float in \[1, inf\)"
    with pytest.raises(InvalidParameterError, match=pattern):
        gt.models.Escrow(penalty_multiplier=0.5)


def test_counterfeit_rate_with_buyer_enforcement_falls_with_k():
    # no audits: the buyer is indifferent at sigma_C = e / (q alpha k p); the seller at verify rate
    # y = (c_g - c_f) / (q alpha ((1 - phi - delta) p + (k - 1) p + W))
    rates = []
    for k in [1, 2, 4]:
        m = gt.models.Escrow(penalty_multiplier=k, audit_detection=0)
        sigma_c = 5 / (0.72 * 100 * k)
        y = 40 / (0.72 * (94 + (k - 1) * 100))
        profile = [[1 - sigma_c, sigma_c], [1 - y, y], [1.0, 0.0]]
        g = m.game()
        assert g.regret(profile) <= 1e-9 * g.scale
        rates.append(m.outcomes(profile)["counterfeit_rate"])
    np.testing.assert_allclose(rates, [5 / (0.72 * 100 * k) for k in [1, 2, 4]])
