"""The closed form: formulas by sympy, equal to the numeric search on random points of the direct model."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import gametheory as gt
from benchmarks.harness import direct_points  # the sample bench_deterrence times
from gametheory.deterrence.closed_form import TAU, derive
from gametheory.deterrence.equilibrium_types import equilibrium_types
from tests.deterrence._recheck import check_switch


def _compare(n, seed, target):
    """The vectorised closed form (confirmed by the batch solver) equals the exact set at every point it answers;
    'auto' equals the exact set everywhere."""
    model = gt.models.get("direct")
    pts = direct_points(n, seed)
    formula = gt.deterrence.threshold_map(model, target_rate=target, points=pts, method="closed_form")
    exact = gt.deterrence.threshold_map(model, target_rate=target, points=pts, method="search")
    auto = gt.deterrence.threshold_map(model, target_rate=target, points=pts)
    answered = formula.from_closed_form
    assert answered.mean() > 0.95  # the formula answers (and the solver confirms) almost everywhere
    for res in (formula, auto):
        sel = answered if res is formula else np.ones(n, dtype=bool)
        np.testing.assert_array_equal(res.feasible[sel], exact.feasible[sel])
        np.testing.assert_allclose(res.threshold[sel], exact.threshold[sel], rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(res.robust_threshold[sel], exact.robust_threshold[sel], rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(res.min_deposit[sel], exact.min_deposit[sel], rtol=1e-6)
    for i in np.flatnonzero(exact.feasible & (exact.threshold > 0))[:3]:  # real switches, by gt.solve
        point = model.with_params(**{k: float(v[i]) for k, v in pts.items()})
        check_switch(point, "penalty_multiplier", float(exact.threshold[i]), target, rel=1e-7)
    return auto


def test_closed_form_equals_the_exact_sets_on_random_points():
    _compare(40, seed=11, target=0.05)


@pytest.mark.slow
def test_closed_form_equals_the_exact_sets_on_1000_random_points():
    res = _compare(1000, seed=2026, target=0.05)
    assert res.feasible.any() and (~res.feasible).any() and (~res.monotone).any()


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
