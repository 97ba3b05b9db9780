"""min_penalty_multiplier and min_value: thresholds re-checked with gt.solve, infeasibility, the deposit cap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests.deterrence._recheck import check_switch, deciding_rate


@dataclass(frozen=True)
class Case:
    model: str
    target: float
    expected: float | None  # None: infeasible
    reason: str  # a phrase the reason must contain
    params: tuple = ()


def _cash_on_delivery_k(tau, e=5.0, q=0.8, alpha_out=0.2, p=100.0, q0=0.3, rho=0.05):
    """Cash on delivery's buyer indifference, platform Lax: e ((1 - s)(1 - rho) + s R_f) = s R_f alpha_out q k p,
    with R_f = (1 - q0)(1 - rho) the share of fakes accepted at the door. The counterfeit rate is the fakes that
    reach a buyer, s R_f = tau."""
    accepted = (1 - q0) * (1 - rho)
    s = tau / accepted
    return e * ((1 - s) * (1 - rho) + s * accepted) / (tau * alpha_out * q * p)


# Expected values from the buyer-enforcement formula k* = e / (alpha q p tau) - m (direct, escrow) and the model
# docs; cash on delivery from its own regime (claims succeed outside the platform, alpha_out, after the door q0).
CASES = [
    Case("direct", 0.05, 5 / (0.9 * 0.8 * 100 * 0.05) - 0.5, "closed form"),
    Case("escrow", 0.05, 5 / (0.9 * 0.8 * 100 * 0.05), "closed form"),
    Case("cash_on_delivery", 0.05, _cash_on_delivery_k(0.05), "closed form"),
    Case("self_operated", 0.05, None, ""),
    Case("direct", 0.0, None, "only falls gradually"),
    Case("direct", 0.01, None, "deposit caps the penalty"),
    Case("escrow", 0.0, None, "only falls gradually"),
    Case("cash_on_delivery", 0.0, None, ""),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.model}_tau{c.target:g}" for c in CASES])
def test_defaults(case):
    model = gt.models.get(case.model, **dict(case.params))
    res = gt.deterrence.min_penalty_multiplier(model, target_rate=case.target)
    assert res.reason
    if case.expected is None and case.model != "self_operated":
        assert not res.feasible and res.threshold is None
        assert case.reason in res.reason
        assert deciding_rate(model.with_params(penalty_multiplier=res.bounds[1])) > case.target
        return
    if case.model == "self_operated":  # whatever it is, it must be re-checkable
        if res.feasible and res.threshold > res.bounds[0]:
            check_switch(model, "penalty_multiplier", res.threshold, case.target)
        return
    assert res.feasible
    assert res.threshold == pytest.approx(case.expected, rel=1e-9)
    assert case.reason in res.reason
    check_switch(model, "penalty_multiplier", res.threshold, case.target)
    cert = res.certificate
    assert cert.valid and not cert.holds_below and cert.holds_above
    assert cert.rate_below > case.target >= cert.rate_above - 1e-9
    assert abs(cert.gap_above) < 1e-6  # the seller is indifferent: a mixed equilibrium
    assert len(res.below) >= 1 and len(res.above) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery", "self_operated"])
def test_random_points_recheck_with_solve(name):
    rng = np.random.default_rng(7)
    base = gt.models.get(name)
    checked = 0
    for _ in range(4):
        params = {"price": float(rng.uniform(60, 200)), "verify_cost": float(rng.uniform(1, 10))}
        if "deposit" in base.params:
            params["deposit"] = float(rng.uniform(500, 3000))
        target = float(rng.uniform(0.005, 0.05))
        model = base.with_params(**params)
        res = gt.deterrence.min_penalty_multiplier(model, target_rate=target)
        if res.feasible and res.threshold > res.bounds[0]:
            check_switch(model, "penalty_multiplier", res.threshold, target)
            checked += 1
        elif not res.feasible:
            assert deciding_rate(model.with_params(penalty_multiplier=res.bounds[1])) > target
    assert checked >= 1 or name == "self_operated"


def test_becker_polinsky_shavell_exogenous_detection():
    # Buyers verify for free (e = 0) and audits never catch anything (r = 0): detection is exogenous,
    # P = q alpha. Becker (1968): deterred iff g <= P k p, so k* = g / (P p).
    for g, q, price in [(100.0, 5 / 9, 100.0), (40.0, 0.8, 100.0), (30.0, 0.5, 60.0), (15.0, 0.9, 250.0)]:
        model = gt.models.get("direct", verify_cost=0, audit_detection=0, insurance_cover=0, detection_prob=q,
                              price=price, cost_genuine=g, cost_counterfeit=0, deposit=1e6)
        res = gt.deterrence.min_penalty_multiplier(model)
        P = q * 0.9
        assert res.feasible
        assert res.threshold == pytest.approx(g / (P * price), rel=1e-7)
        check_switch(model, "penalty_multiplier", res.threshold, 0.0)


def test_pay_twice_deters_exactly_at_half_detection():
    # The seed's "defrauded of 100, 200 deducted": k = 2 deters exactly when P = 1/2 and the gain is the price.
    model = gt.models.get("direct", verify_cost=0, audit_detection=0, insurance_cover=0, detection_prob=5 / 9,
                          cost_genuine=100, cost_counterfeit=0, deposit=10_000)
    res = gt.deterrence.min_penalty_multiplier(model)
    assert res.threshold == pytest.approx(2.0, rel=1e-9)
    assert deciding_rate(model.with_params(penalty_multiplier=2.001)) == 0
    assert deciding_rate(model.with_params(penalty_multiplier=1.999)) > 0


def test_deposit_below_k_star_p_is_infeasible_and_names_the_smallest_deposit():
    target = 0.05
    free = gt.deterrence.min_penalty_multiplier(gt.models.get("direct", deposit=10_000), target_rate=target)
    k_star = free.threshold
    for deposit in (40.0, 60.0, 80.0):
        assert deposit < k_star * 100
        model = gt.models.get("direct", deposit=deposit)
        res = gt.deterrence.min_penalty_multiplier(model, target_rate=target)
        assert not res.feasible and res.threshold is None
        assert "deposit caps the penalty" in res.reason
        assert res.min_deposit == pytest.approx(k_star * 100, rel=1e-6)
        # with the named deposit (and a large multiplier) the target is met; just below it, it is not
        big = model.with_params(penalty_multiplier=100)
        assert deciding_rate(big.with_params(deposit=res.min_deposit * (1 + 1e-6))) <= target + 1e-9
        assert deciding_rate(big.with_params(deposit=res.min_deposit * (1 - 1e-6))) > target


@pytest.mark.parametrize(
    ("parameter", "target"),
    [("deposit", 0.05), ("insurance_cover", 0.02), ("fine", 0.02), ("audit_detection", 0.02)],
)
def test_min_value_other_parameters(direct, parameter, target):
    res = gt.deterrence.min_value(direct, parameter, target_rate=target)
    assert res.parameter == parameter
    if res.feasible:
        if res.threshold > res.bounds[0]:
            check_switch(direct, parameter, res.threshold, target)
    else:
        assert deciding_rate(direct.with_params(**{parameter: res.bounds[1]})) > target
        assert res.reason


def test_deposit_threshold_matches_formula(direct):
    res = gt.deterrence.min_value(direct, "deposit", target_rate=0.05)
    assert res.threshold == pytest.approx(5 / (0.9 * 0.8 * 0.05) - 50, rel=1e-9)
    assert res.method == "closed_form"


def test_some_equilibrium_never_above_all_equilibria(direct):
    rng = np.random.default_rng(3)
    for _ in range(3):
        model = direct.with_params(price=float(rng.uniform(60, 200)), deposit=float(rng.uniform(800, 3000)))
        a = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05)
        s = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05, criterion="some_equilibrium")
        assert a.feasible and s.feasible
        assert s.threshold <= a.threshold + 1e-9
        if s.threshold > s.bounds[0]:
            check_switch(model, "penalty_multiplier", s.threshold, 0.05, criterion="some_equilibrium")


def test_methods_agree(direct):
    auto = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05)
    formula = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05, method="closed_form")
    search = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05, method="search")
    assert formula.method == "closed_form" and search.method == "exact_set"
    assert formula.threshold == auto.threshold == search.threshold  # one definition: the smallest of the set
    assert search.closed_form is None and formula.closed_form is not None


def test_stable_states_criterion_has_no_stable_state_in_a_mixed_game(direct):
    # The default direct game has only a mixed equilibrium: no strict (stable) state, so the criterion never holds.
    res = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05, criterion="stable_states", bounds=(0, 5))
    assert not res.feasible
    assert "stable state" in res.reason or "fails" in res.reason


def test_subgame_perfect_needs_a_sequential_version(direct):
    if hasattr(direct, "extensive_game"):
        pytest.skip("the model has a sequential version")
    with pytest.raises(InvalidParameterError, match="no sequential version"):
        gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05, criterion="subgame_perfect", bounds=(0, 2))


def test_vectorised_shape_and_agreement_with_scalar(direct):
    prices = np.array([80.0, 120.0, 160.0])
    deposits = np.array([[60.0], [1000.0]])
    res = gt.deterrence.threshold_map(direct, target_rate=0.05, points={"price": prices, "deposit": deposits})
    assert isinstance(res, gt.deterrence.ThresholdMap) and res.vectorised and res.shape == (2, 3)
    assert res.threshold.shape == res.feasible.shape == res.min_deposit.shape == res.code.shape == (2, 3)
    assert res.threshold.dtype == float and res.feasible.dtype == bool
    for i in range(2):
        for j in range(3):
            one = gt.deterrence.min_penalty_multiplier(
                direct.with_params(price=prices[j], deposit=deposits[i, 0]), target_rate=0.05)
            assert one.feasible == res.feasible[i, j]
            assert res.CODES[res.code[i, j]] == ("deters" if one.feasible else "capped")
            if one.feasible:
                assert one.threshold == pytest.approx(res.threshold[i, j], rel=1e-6)
            else:
                assert one.min_deposit == pytest.approx(res.min_deposit[i, j], rel=1e-6)
    assert res.counts() == {"deters": int(res.feasible.sum()), "deters_not_monotone": 0,
                            "capped": int((~res.feasible).sum()), "not_reached": 0, "unanswered": 0}
    assert repr(res).startswith("ThresholdMap(") and "array(2, 3)" in repr(res)


def test_points_on_the_scalar_functions_is_deprecated(direct):
    """One return type per function: ``points=`` on min_penalty_multiplier still works, warns, and gives what
    threshold_map gives."""
    with pytest.warns(DeprecationWarning, match="threshold_map"):
        old = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05, points={"price": [80.0, 120.0]})
    new = gt.deterrence.threshold_map(direct, target_rate=0.05, points={"price": [80.0, 120.0]})
    assert isinstance(old, gt.deterrence.ThresholdMap)
    np.testing.assert_array_equal(old.threshold, new.threshold)


def test_repr_is_readable(direct):
    text = repr(gt.deterrence.min_penalty_multiplier(direct, target_rate=0.05))
    assert text.startswith("ThresholdResult(") and "threshold: 0.8888888889" in text and "certificate" in text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"target_rate": -0.1}, r"The 'target_rate' parameter of min_penalty_multiplier must be a float in \[0, 1\]"),
        ({"target_rate": float("nan")}, "target_rate"),
        ({"criterion": "most"}, "The 'criterion' parameter of min_penalty_multiplier must be a str among"),
        ({"bounds": (5, 1)}, "The 'bounds' parameter of min_value must be a pair of finite floats"),
        ({"bounds": (0, float("inf"))}, "bounds"),
        ({"method": "magic"}, "The 'method' parameter"),
    ],
)
def test_bad_input_raises_the_standard_error(direct, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        gt.deterrence.min_penalty_multiplier(direct, **kwargs)


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ({"price": [1.0, float("nan")]}, "must hold finite numbers"),
        ({"penalty_multiplier": [1.0]}, "must not hold the searched parameter"),
        ({"prise": [1.0]}, "Did you mean 'price'"),
        ([1.0], "The 'points' parameter of threshold_map must be a dict of parameter arrays"),
    ],
)
def test_bad_points_raise_the_standard_error(direct, points, match):
    with pytest.raises(InvalidParameterError, match=match):
        gt.deterrence.threshold_map(direct, points=points, target_rate=0.05)


def test_bad_model_and_parameter(direct):
    with pytest.raises(InvalidParameterError, match="The 'model' parameter of min_value must be a payment model"):
        gt.deterrence.min_value(object(), "deposit")
    with pytest.raises(InvalidParameterError, match="Did you mean 'deposit'"):
        gt.deterrence.min_value(direct, "depositt")
    with pytest.raises(InvalidParameterError, match="numeric parameter"):
        gt.deterrence.min_value(direct, "insurance")


def test_stable_states_vectorised_matches_dynamics():
    from gametheory.deterrence.criteria import deciding_rates

    rng = np.random.default_rng(4)
    for name in ("direct", "escrow", "cash_on_delivery", "self_operated"):
        model = gt.models.get(name)
        n = 40
        pts = {"price": rng.uniform(30, 200, n), "verify_cost": rng.uniform(0, 40, n),
               "penalty_multiplier": rng.uniform(1, 6, n)}
        if "audit_cost" in model.params:
            pts["audit_cost"] = rng.uniform(0, 60, n)
        ours = deciding_rates(model, "stable_states", pts, tol=1e-9)
        for g in range(n):
            point = model.with_params(**{k: float(v[g]) for k, v in pts.items()})
            states = gt.dynamics.stable_states(point.game())
            rates = [point.outcomes(s.profile)["counterfeit_rate"] for s in states]
            expected = max(rates) if rates else np.nan
            assert (np.isnan(ours[g]) and np.isnan(expected)) or ours[g] == pytest.approx(expected), (name, g)
