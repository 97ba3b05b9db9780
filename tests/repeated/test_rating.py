"""The Bayesian rating: Bayes' rule, recognition against a Monte Carlo, the backward induction against brute force,
and its agreement with grim trigger when one flag is proof."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import gametheory as gt
from gametheory.repeated.incentives import buyer_payoffs, seller_incentives
from gametheory.repeated.rating import posterior_honest


def test_posterior_is_bayes_rule():
    prior, h, o = 0.7, 0.05, 0.3
    for t, f in [(0, 0), (5, 0), (5, 2), (20, 7)]:
        like_h = h**f * (1 - h) ** (t - f)
        like_o = o**f * (1 - o) ** (t - f)
        expected = prior * like_h / (prior * like_h + (1 - prior) * like_o)
        assert float(posterior_honest(prior, t, f, h, o)) == pytest.approx(expected, rel=1e-12)


def _stage(model):
    values, _ = model.numeric_arguments({})
    q = {k: float(v[0]) for k, v in seller_incentives(model).evaluate(values, 1).items()}
    import sympy

    subs = {model.symbols[n]: float(model.params[n]) for n in model.numeric_names}
    ug, uc = (float(sympy.sympify(e).xreplace(subs)) for e in buyer_payoffs(model))
    return q, ug, uc


def test_recognition_without_false_flags_is_geometric():
    m = gt.models.get("direct")
    res = gt.repeated.reputation(m, prior_honest=0.9, false_flag_rate=0.0, horizon=300)
    o = 0.0952
    assert res.flag_opportunist == pytest.approx(o)
    assert res.expected_recognition == pytest.approx((1 - (1 - o) ** 300) / o, rel=1e-9)
    assert res.recognition_rate == np.inf and res.false_recognition == 0.0


def test_trust_threshold_comes_from_the_buyers_payoffs():
    m = gt.models.get("direct")
    _, ug, uc = _stage(m)
    res = gt.repeated.reputation(m, horizon=10)
    assert res.trust_threshold == pytest.approx(-uc / (ug - uc))


def test_recognition_against_a_monte_carlo_of_the_rating():
    m = gt.models.get("direct")
    eps, prior, horizon = 0.03, 0.9, 120
    res = gt.repeated.reputation(m, prior_honest=prior, false_flag_rate=eps, horizon=horizon)
    rng = np.random.default_rng(5)
    runs = 20_000
    o = res.flag_opportunist
    kl = o * np.log(o / eps) + (1 - o) * np.log((1 - o) / (1 - eps))
    assert res.recognition_rate == pytest.approx(kl)
    for rho, expected in ((o, res.expected_recognition), (eps, None)):
        flags = np.zeros(runs)
        sold = np.zeros(runs)
        trusted = np.ones(runs, dtype=bool)
        for t in range(horizon):
            trusted &= posterior_honest(prior, t, flags, eps, o) >= res.trust_threshold
            sold += trusted
            flags += trusted & (rng.random(runs) < rho)
        trusted &= posterior_honest(prior, horizon, flags, eps, o) >= res.trust_threshold
        if expected is not None:
            assert abs(sold.mean() - expected) < 4 * sold.std() / np.sqrt(runs)
            assert 1 - trusted.mean() == pytest.approx(res.recognised_by_horizon, abs=0.015)
        else:
            assert 1 - trusted.mean() == pytest.approx(res.false_recognition, abs=0.015)


def _brute_force(q, threshold, prior, eps, o, delta, horizon):
    """The strategic store's value by recursion over every flag sequence (no state aggregation)."""
    def value(history):
        t, f = len(history), sum(history)
        if t == horizon or posterior_honest(prior, t, f, eps, o) < threshold - 1e-12:
            return 0.0
        out = []
        for pay, rho in ((q["honest"], eps), (q["deviation"], o)):
            out.append(pay + delta * (rho * value(history + (1,)) + (1 - rho) * value(history + (0,))))
        return max(out)

    return value(())


@pytest.mark.parametrize(("eps", "delta", "prior"), [(0.05, 0.9, 0.9), (0.0, 0.9, 0.8), (0.2, 0.95, 0.95)])
def test_backward_induction_against_brute_force(eps, delta, prior):
    m = gt.models.get("direct", discount_factor=delta)
    horizon = 9
    res = gt.repeated.reputation(m, prior_honest=prior, false_flag_rate=eps, horizon=horizon)
    q, _, _ = _stage(m)
    brute = _brute_force(q, res.trust_threshold, prior, eps, res.flag_opportunist, delta, horizon)
    assert res.value == pytest.approx(brute, rel=1e-12)


def test_one_flag_as_proof_reproduces_grim_trigger():
    m = gt.models.get("direct")
    delta_star = gt.repeated.min_discount_factor(m).value
    for delta, honest in ((delta_star - 0.02, False), (delta_star + 0.02, True)):
        res = gt.repeated.reputation(m.with_params(discount_factor=delta), prior_honest=0.9, false_flag_rate=0.0,
                                     horizon=400)
        assert res.honest_at_start == honest
    comparison = gt.repeated.reputation_multiplier(m, false_flag_rate=0.0, horizon=200)
    assert comparison.with_reputation == pytest.approx(comparison.with_delisting, abs=1e-6)
    assert comparison.without_future > comparison.with_delisting


def test_noisy_ratings_are_milked():
    m = gt.models.get("direct", discount_factor=0.9)
    exact = gt.repeated.reputation(m, false_flag_rate=0.0)
    noisy = gt.repeated.reputation(m, false_flag_rate=0.02)
    # with false flags a clean record is a buffer: the store stays honest only while it builds it
    assert exact.honest_periods > 100 and noisy.honest_periods < exact.honest_periods
    assert noisy.expected_fakes > exact.expected_fakes and noisy.false_recognition > 0


def test_no_trust_without_a_good_enough_prior():
    res = gt.repeated.reputation(gt.models.get("direct"), prior_honest=0.2, horizon=20)
    assert not res.honest_at_start and res.expected_fakes == 0.0 and res.value == 0.0


def test_strategic_store_policy_enumerated_for_a_tiny_horizon():
    """For T = 3 every deterministic policy over records can be listed; the best one's value is the result's."""
    m = gt.models.get("direct", discount_factor=0.9)
    eps, prior, horizon = 0.1, 0.9, 3
    res = gt.repeated.reputation(m, prior_honest=prior, false_flag_rate=eps, horizon=horizon)
    q, _, _ = _stage(m)
    o = res.flag_opportunist
    states = [(t, f) for t in range(horizon) for f in range(t + 1)]
    best = -np.inf
    for choice in itertools.product((0, 1), repeat=len(states)):
        policy = dict(zip(states, choice, strict=True))
        total, mass = 0.0, {0: 1.0}
        for t in range(horizon):
            nxt: dict[int, float] = {}
            for f, w in mass.items():
                if posterior_honest(prior, t, f, eps, o) < res.trust_threshold - 1e-12:
                    continue
                a = policy[(t, f)]
                pay, rho = (q["deviation"], o) if a else (q["honest"], eps)
                total += 0.9**t * w * pay
                nxt[f + 1] = nxt.get(f + 1, 0.0) + w * rho
                nxt[f] = nxt.get(f, 0.0) + w * (1 - rho)
            mass = nxt
        best = max(best, total)
    assert res.value == pytest.approx(best, rel=1e-12)
