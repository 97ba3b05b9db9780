"""Self-operated platform: a 2-player game of platform-as-seller against buyer."""

import numpy as np
import pytest

import gametheory as gt
from tests.models._model_checks import VERIFY, C, G, solve_at_defaults


def test_defaults_mixed_equilibrium_matches_the_formula():
    m, (eq,) = solve_at_defaults("self_operated", count=1)
    assert m.players == ("seller", "buyer")
    # the consumer law: refund 100 + max(3 * 100, 500) = 600
    # buyer indifferent: sigma_C q alpha C = e  ->  sigma_C = 5 / (0.72 * 600)
    assert eq.profile[0][C] == pytest.approx(5 / (0.72 * 600))
    # seller indifferent: c_g - c_f + (1 - y E) L... = y q alpha (C + F + L_d - L)  with L = 30
    y = (40 - 30) / (0.72 * (600 + 50 + 20 - 30))
    assert eq.profile[1][VERIFY] == pytest.approx(y)
    out = m.outcomes(eq)
    assert out["seller_profit"] == pytest.approx(out["platform_profit"])
    assert out["funds_held"] == 0.0


def test_statutory_damages_deter_as_k_rises():
    ks = np.array([1.0, 2.0, 4.0, 8.0])
    m = gt.models.get("self_operated", min_compensation=0)
    sol = gt.solve_batch(m.batch(penalty_multiplier=ks))
    assert np.all(sol.counts == 1)
    rates = m.outcome_arrays(sol, penalty_multiplier=ks)["counterfeit_rate"][:, 0]
    np.testing.assert_allclose(rates, 5 / (0.72 * 100 * ks), rtol=1e-9)


@pytest.mark.parametrize(("price", "k", "minimum", "paid"), [
    pytest.param(100, 4, 500, 600, id="consumer_law_art55_minimum_binds_at_p100"),
    pytest.param(300, 4, 500, 1200, id="consumer_law_art55_three_times_above_the_minimum"),
    pytest.param(50, 11, 1000, 1050, id="food_safety_law_art148_minimum_binds"),
    pytest.param(200, 11, 1000, 2200, id="food_safety_law_art148_ten_times"),
    pytest.param(100, 4, 0, 400, id="no_statutory_minimum"),
])
def test_statutory_minimum_compensation(price, k, minimum, paid):
    """Issue 20: the model ignored the statutory minimum; at p = 100 the consumer law pays 600, not k p = 400."""
    m = gt.models.get("self_operated", price=price, penalty_multiplier=k, min_compensation=minimum)
    g = m.game()
    # buyer's payoff from (Counterfeit, Verify) minus (Counterfeit, Accept): q alpha C - e
    gain = g.payoffs[1, C, VERIFY] - g.payoffs[1, C, 0]
    assert gain == pytest.approx(0.8 * 0.9 * paid - 5)


def test_the_default_is_the_consumer_law():
    m = gt.models.get("self_operated")
    assert (m.penalty_multiplier, m.min_compensation) == (4.0, 500.0)
    (eq,) = gt.solve(m.game())
    assert m.outcomes(eq)["counterfeit_rate"] == pytest.approx(5 / (0.72 * 600))


def test_reputation_alone_deters_when_large():
    m = gt.models.SelfOperated(reputation_loss=50)  # c_g - c_f = 40 < L: a fake never pays
    eqs = gt.solve(m.game())
    assert len(eqs) == 1 and eqs[0].profile[0][G] == pytest.approx(1.0)
