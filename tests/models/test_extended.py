"""The extended variant: NonDelivery, Abstain, FalseClaim and professional hunters (agent form)."""

import numpy as np
import pytest

import gametheory as gt


def _lift(core_model, ext_model, eq):
    """A core equilibrium as a profile of the extended game: extra strategies unused, hunters Pass."""
    profile = []
    for i, labels in enumerate(ext_model.strategies):
        vec = np.zeros(len(labels))
        if i < len(core_model.strategies):
            for s, x in zip(core_model.strategies[i], eq.profile[i], strict=True):
                vec[labels.index(s)] = x
        else:  # the hunter
            vec[labels.index("Pass")] = 1.0
        profile.append(vec)
    return profile


@pytest.mark.parametrize("name", gt.models.names())
def test_shapes_players_and_strategies(name):
    m = gt.models.get(name, variant="extended")
    assert m.players[-1] == "hunter" and m.strategies[-1] == ("Pass", "Hunt")
    assert m.strategies[1] == ("Accept", "Verify", "Abstain", "FalseClaim")
    has_nd = name in ("direct", "escrow")
    assert ("NonDelivery" in m.strategies[0]) == has_nd
    assert m.symbolic_payoffs().shape == (len(m.players), *m.shape)
    assert {"hunter_share", "false_claim_upheld"} <= set(m.parameter_names)


@pytest.mark.parametrize("name", gt.models.names())
def test_abstaining_gives_everyone_zero(name):
    m = gt.models.get(name, variant="extended", hunter_share=0.0)
    g = m.game()
    abstain = m.strategies[1].index("Abstain")
    for idx in np.ndindex(*g.shape):
        if idx[1] == abstain and idx[-1] == 0:  # buyer abstains, hunter passes
            audit = len(m.players) == 4 and idx[2] == 1
            expected = np.zeros(len(m.players))
            if audit:
                expected[2] = -m.audit_cost
            np.testing.assert_allclose(g.payoffs[(slice(None), *idx)], expected, atol=1e-12)


@pytest.mark.parametrize("name", gt.models.names())
def test_core_equilibria_stay_equilibria_when_extras_are_dominated(name):
    # no false claims upheld, no hunters, and non-delivery never pays: the core equilibria, lifted, have zero regret
    core = gt.models.get(name, false_claim_upheld=0.0, hunter_share=0.0, variant="extended").with_params(
        variant="core")
    ext = core.with_params(variant="extended", false_claim_upheld=0.0, hunter_share=0.0)
    g = ext.game()
    for eq in gt.solve(core.game()):
        assert g.regret(_lift(core, ext, eq)) <= 1e-9 * g.scale


def test_direct_nondelivery_dominated_and_core_strategies_survive():
    ext = gt.models.get("direct", variant="extended", false_claim_upheld=0.0, hunter_share=0.0)
    _, kept = ext.game().eliminate_dominated()
    # NonDelivery loses alpha (min(k p, D) + W) = 180 > c_g = 60 to Genuine; FalseClaim (beta = 0) loses e to Accept
    assert kept[0] == (0, 1) and kept[1] == (0, 1) and kept[2] == (0, 1)


def test_direct_extended_reduces_to_the_core_equilibria():
    core = gt.models.get("direct")
    ext = gt.models.get("direct", variant="extended", false_claim_upheld=0.0, hunter_share=0.0)
    core_eqs = gt.solve(core.game())
    ext_eqs = gt.solve(ext.game())
    assert len(ext_eqs) == len(core_eqs) == 1
    assert ext_eqs[0].regret <= 1e-9
    assert ext_eqs[0].allclose(_lift(core, ext, core_eqs[0]), atol=1e-7)
    assert ext.outcomes(ext_eqs[0])["counterfeit_rate"] == pytest.approx(5 / 180)


@pytest.mark.parametrize("name", gt.models.names())
def test_extended_defaults_solve_with_small_regret(name):
    m = gt.models.get(name, variant="extended")
    eqs = gt.solve(m.game())
    assert len(eqs) >= 1
    assert max(e.regret for e in eqs) <= 1e-9


def test_false_claims_pay_when_the_multiplier_is_large():
    # a claim without evidence costs e = 5; upheld with beta = 0.1 (default 0.01) and without insurance it pays
    # beta min(k p, D) - e against an honest seller: negative below k = e / (beta p) = 0.5, positive above
    ks = np.array([0.25, 1.0, 2.0, 4.0])
    fc, accept = 3, 0
    b = gt.models.get("direct", variant="extended", hunter_share=0.0, insurance="none",
                      false_claim_upheld=0.1).batch(penalty_multiplier=ks)
    gain_vs_genuine = b.payoffs[:, 1, 0, fc, 0, 0] - b.payoffs[:, 1, 0, accept, 0, 0]
    np.testing.assert_allclose(gain_vs_genuine, [-2.5, 5.0, 15.0, 35.0])
    # with beta = 0.1, k = 2 and top-up insurance m p = 50, FalseClaim strictly beats Accept against every seller:
    # the extortion a large multiplier invites (0.1 * 250 - 5 = 20 against an honest seller; against a
    # non-delivery every buyer claims anyway, so there it only costs e)
    m = gt.models.get("direct", variant="extended", hunter_share=0.0, false_claim_upheld=0.1)
    g = m.game()
    assert np.all(g.payoffs[1][:2, fc] > g.payoffs[1][:2, accept])
    out = m.outcomes([0, fc, 0, 0])
    assert out["false_claim_rate"] == pytest.approx(1.0)
    assert out["seller_profit"] == pytest.approx(33 - 0.002 * 500 - 0.1 * 200)  # less the deposit's capital cost


def test_default_false_claims_do_not_pay_until_k_is_large():
    # default beta = 0.01: a false claim against an honest seller pays 0.01 (min(100 k, 500) + 50) - 5,
    # negative at k = 2 (-2.5), positive from k = 4.5 on
    m = gt.models.get("direct", variant="extended")
    ks = np.array([2.0, 4.0, 5.0])
    b = m.batch(penalty_multiplier=ks)
    gain = b.payoffs[:, 1, 0, 3, 0, 0] - b.payoffs[:, 1, 0, 0, 0, 0]
    np.testing.assert_allclose(gain, [-2.5, -0.5, 0.5])
    eqs = gt.solve(m.game())
    assert len(eqs) == 1 and eqs[0].regret <= 1e-9
    out = m.outcomes(eqs[0])
    assert out["false_claim_rate"] == 0.0
    # hunters pass; a share theta = 0.05 of opportunities are lost hunters' orders: 0.95 * 5 / 180
    assert out["counterfeit_rate"] == pytest.approx(0.95 * 5 / 180)


def test_hunters_hunt_only_when_fakes_are_common():
    # hunter indifferent at sigma_C = (p + e_h - R) / (q_h alpha (P + I) - R) = 32 / (0.855 * 250 - 70) = 0.2226:
    # with a resale value below the price, hunting pays only when more than a fifth of sellers fake
    m = gt.models.get("direct", variant="extended", false_claim_upheld=0.0, hunter_share=0.2)
    g = m.game()
    sigma = 32 / (0.855 * 250 - 70)
    hunt_gain = []
    for s in (sigma - 0.01, sigma, sigma + 0.01):
        prof = [[1 - s, s, 0], [1, 0, 0, 0], [1, 0], [0.5, 0.5]]
        dev = g.deviation_payoffs(prof)[3]
        hunt_gain.append(dev[1] - dev[0])
    assert hunt_gain[0] < 0 and abs(hunt_gain[1]) < 1e-9 and hunt_gain[2] > 0
