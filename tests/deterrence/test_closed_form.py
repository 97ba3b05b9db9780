"""The closed form: formulas by sympy, equal to the numeric search on random points of the direct model."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.deterrence.closed_form import TAU, derive
from gametheory.deterrence.equilibrium_types import equilibrium_types
from tests.deterrence.recheck import check_switch


def _random_points(n, seed):
    rng = np.random.default_rng(seed)
    return {
        "price": rng.uniform(40, 250, n),
        "deposit": rng.uniform(20, 3000, n),
        "verify_cost": rng.uniform(0.5, 15, n),
        "detection_prob": rng.uniform(0.3, 1.0, n),
        "audit_detection": rng.uniform(0.1, 0.9, n),
        "fine": rng.uniform(0, 200, n),
    }


def _compare(n, seed, target):
    model = gt.models.get("direct")
    pts = _random_points(n, seed)
    formula = gt.deterrence.min_penalty_multiplier(model, target_rate=target, points=pts, method="closed_form")
    search = gt.deterrence.min_penalty_multiplier(model, target_rate=target, points=pts, method="search")
    answered = formula.from_closed_form
    assert answered.mean() > 0.9  # the formula answers almost everywhere; the rest is searched
    # The search looks on a grid first, so it can miss a narrow window in which the criterion holds before failing
    # again (deposit caps, folds): then the formula finds it, and it is a real switch (checked with gt.solve).
    only_formula = np.flatnonzero(answered & formula.feasible & ~search.feasible)
    assert only_formula.size <= 0.002 * n
    assert not np.any(answered & ~formula.feasible & search.feasible)
    for i in only_formula[:3]:
        point = model.with_params(**{k: float(v[i]) for k, v in pts.items()})
        check_switch(point, "penalty_multiplier", float(formula.threshold[i]), target, rel=1e-7)
    both = answered & formula.feasible & search.feasible
    # atol: the search stops where the rate is target + 1e-9 (RATE_TOL), the formula where it is the target
    same = np.isclose(formula.threshold, search.threshold, rtol=1e-6, atol=1e-6)
    # Where they differ the criterion is not monotone in k (it holds, fails again, then holds for good): both
    # answers are then real switches from failing to holding (checked with gt.solve), at different crossings.
    differ = np.flatnonzero(both & ~same)
    assert differ.size <= 0.02 * n
    for i in differ[:5]:
        point = model.with_params(**{k: float(v[i]) for k, v in pts.items()})
        for value in (formula.threshold[i], search.threshold[i]):
            if value > 0:
                check_switch(point, "penalty_multiplier", float(value), target, rel=1e-6)
    capped = answered & ~formula.feasible & np.isfinite(formula.min_deposit)
    close = np.isclose(formula.min_deposit[capped], search.min_deposit[capped], rtol=1e-6)
    assert (~close).sum() <= max(1, 0.005 * capped.sum())  # the same non-monotone cases, along the deposit
    auto = gt.deterrence.min_penalty_multiplier(model, target_rate=target, points=pts)
    np.testing.assert_array_equal(auto.feasible[answered], formula.feasible[answered])
    np.testing.assert_array_equal(auto.threshold[answered], formula.threshold[answered])
    rest = ~answered & auto.feasible
    np.testing.assert_allclose(auto.threshold[rest], search.threshold[rest], rtol=1e-6, atol=1e-6)
    return formula


def test_closed_form_equals_search_on_1000_random_points():
    _compare(1000, seed=11, target=0.05)


@pytest.mark.slow
def test_closed_form_equals_search_on_10000_random_points():
    res = _compare(10_000, seed=2026, target=0.05)
    assert res.feasible.any() and (~res.feasible).any()


def test_buyer_enforcement_formula():
    # sigma_C = e / (q alpha (k p + m p)) = tau  <=>  k* = e / (q alpha p tau) - m
    model = gt.models.get("direct")
    cf = derive(model, "penalty_multiplier")
    sym = model.symbols
    expected = sym["verify_cost"] / (sym["detection_prob"] * sym["claim_upheld"] * sym["price"] * TAU) \
        - sym["insurance_cover"]
    found = [r for r in cf.regimes if r.pattern == ("buyer mixed", "platform Lax")]
    assert found
    assert any(sympy.simplify(r.value - expected) == 0 for r in found)


def test_becker_formula_in_the_closed_form():
    # With the platform lax and the buyer verifying, the seller is indifferent where g = q alpha (k p + W):
    # k* = (c_g - c_f - q alpha W) / (q alpha p)  (Becker 1968: the sanction is the gain over the probability).
    model = gt.models.get("direct")
    cf = derive(model, "penalty_multiplier")
    s = model.symbols
    P = s["detection_prob"] * s["claim_upheld"]
    expected = (s["cost_genuine"] - s["cost_counterfeit"] - P * s["delisting_loss"]) / (P * s["price"])
    found = [r for r in cf.regimes if r.pattern == ("buyer Verify", "platform Lax")]
    assert any(sympy.simplify(r.value - expected) == 0 for r in found)


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery", "self_operated"])
def test_equilibrium_types_match_the_batch_solver(name):
    model = gt.models.get(name)
    rng = np.random.default_rng(5)
    n = 3000
    pts = {"price": rng.uniform(50, 200, n), "penalty_multiplier": rng.uniform(1, 6, n),
           "verify_cost": rng.uniform(0.5, 10, n)}
    values = model.points(**pts)
    types = equilibrium_types(model)
    sol = gt.solve_batch(model.batch(**pts))
    # the counterfeit rate of each equilibrium (under cash on delivery: the fakes accepted at the door)
    rates = np.where(sol.valid, model.outcome_arrays(sol, **pts)["counterfeit_rate"], np.nan)
    for largest in (True, False):
        ours = types.deciding_rate(values, largest=largest)
        theirs = np.nanmax(rates, axis=1) if largest else np.nanmin(rates, axis=1)
        fine = ~sol.degenerate
        np.testing.assert_allclose(ours[fine], theirs[fine], atol=1e-7)


def test_expression_is_piecewise_in_the_cap():
    res = gt.deterrence.min_penalty_multiplier(gt.models.get("direct"), target_rate=0.05)
    expr = res.closed_form
    assert isinstance(expr, sympy.Piecewise)
    value = expr.args[0][0]
    s = gt.models.get("direct").symbols
    numbers = {s[k]: v for k, v in gt.models.get("direct").params.items() if k in s} | {TAU: 0.05}
    assert float(value.xreplace(numbers)) == pytest.approx(res.threshold, rel=1e-12)
    # the cap: the formula holds while k* p <= D
    assert expr.args[0][1].has(s["deposit"])
