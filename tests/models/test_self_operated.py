"""Self-operated platform: a 2-player game of platform-as-seller against buyer."""

import numpy as np
import pytest

import gametheory as gt
from tests.models.model_checks import VERIFY, C, G, solve_at_defaults


def test_defaults_mixed_equilibrium_matches_the_formula():
    m, (eq,) = solve_at_defaults("self_operated", count=1)
    assert m.players == ("seller", "buyer")
    # buyer indifferent: sigma_C q alpha k p = e  ->  sigma_C = 5 / (0.72 * 400)
    assert eq.profile[0][C] == pytest.approx(5 / (0.72 * 400))
    # seller indifferent: c_g - c_f + (1 - y E) L... = y q alpha (k p + F + L_d - L)  with L = 30
    y = (40 - 30) / (0.72 * (400 + 50 + 20 - 30))
    assert eq.profile[1][VERIFY] == pytest.approx(y)
    out = m.outcomes(eq)
    assert out["seller_profit"] == pytest.approx(out["platform_profit"])
    assert out["funds_held"] == 0.0


def test_statutory_damages_deter_as_k_rises():
    ks = np.array([1.0, 2.0, 4.0, 8.0])
    m = gt.models.get("self_operated")
    sol = gt.solve_batch(m.batch(penalty_multiplier=ks))
    assert np.all(sol.counts == 1)
    rates = m.outcome_arrays(sol, penalty_multiplier=ks)["counterfeit_rate"][:, 0]
    np.testing.assert_allclose(rates, 5 / (0.72 * 100 * ks), rtol=1e-9)


def test_reputation_alone_deters_when_large():
    m = gt.models.SelfOperated(reputation_loss=50)  # c_g - c_f = 40 < L: a fake never pays
    eqs = gt.solve(m.game())
    assert len(eqs) == 1 and eqs[0].profile[0][G] == pytest.approx(1.0)
