"""Cash on delivery: door inspection, refusals, cash handling, recovery outside the platform."""

import numpy as np
import pytest

import gametheory as gt
from tests.models._model_checks import ACCEPT, BUYER, LAX, SELLER, C, G, solve_at_defaults


def test_defaults_one_equilibrium_buyers_accept():
    m, (eq,) = solve_at_defaults("cash_on_delivery", count=1)
    # recovery outside the platform is too weak for verifying to pay (0.2 * 0.8 * 100 < 5 + ...): buyers accept
    assert eq.profile[BUYER][ACCEPT] == pytest.approx(1.0)
    out = m.outcomes(eq)
    assert out["funds_held"] == 0.0


def test_counterfeit_rate_counts_fakes_that_reach_a_buyer_not_those_refused_at_the_door():
    """Issue 20: the rate counted fakes refused at the door (0.1128); fakes that reach buyers are 0.075."""
    m, (eq,) = solve_at_defaults("cash_on_delivery", count=1)
    out = m.outcomes(eq)
    shipped = eq.profile[SELLER][C]
    accepted = (1 - m.door_detection) * (1 - m.refusal_rate)
    assert out["fakes_shipped"] == pytest.approx(shipped) == pytest.approx(0.1128, abs=1e-4)
    assert out["counterfeit_rate"] == pytest.approx(shipped * accepted) == pytest.approx(0.075, abs=1e-4)
    assert out["fakes_refused"] == pytest.approx(shipped * (1 - accepted))
    assert out["counterfeit_rate"] + out["fakes_refused"] == pytest.approx(out["fakes_shipped"])


@pytest.mark.parametrize("name", ["escrow", "direct", "self_operated"])
def test_elsewhere_every_fake_shipped_reaches_the_buyer(name):
    m = gt.models.get(name)
    for eq in gt.solve(m.game()):
        out = m.outcomes(eq)
        assert out["counterfeit_rate"] == pytest.approx(out["fakes_shipped"]) == pytest.approx(eq.profile[SELLER][C])
        assert out["fakes_refused"] == 0.0


def test_door_detection_makes_counterfeiting_less_profitable():
    q0 = np.linspace(0, 1, 6)
    b = gt.models.CashOnDelivery().batch(door_detection=q0)
    seller_c = b.payoffs[:, SELLER, C, ACCEPT, LAX]
    assert np.all(np.diff(seller_c) < 0)
    # all fakes refused: the seller loses the fake, the return shipping and the cash-handling fee
    assert seller_c[-1] == pytest.approx(-20 - 8 - 2)


def test_genuine_refusals_cost_return_shipping():
    g = gt.models.CashOnDelivery(refusal_rate=0.1).game()
    paid = 100 * 0.95 - 2 - 0.01 * 100
    assert g.payoffs[SELLER, G, ACCEPT, LAX] == pytest.approx(0.9 * (paid - 60) - 0.1 * (8 + 2))
    assert g.payoffs[BUYER, G, ACCEPT, LAX] == pytest.approx(0.9 * 30)


def test_extended_variant_has_no_nondelivery():
    m = gt.models.get("cash_on_delivery", variant="extended")
    assert m.strategies[0] == ("Genuine", "Counterfeit")
    assert m.shape == (2, 4, 2, 2)
