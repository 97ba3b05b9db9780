"""The compiled many-points pass (``deterrence._fused``): its solver against ``gt.solve_batch``, its thresholds
against the numpy closed form and the exact sets, point by point.

Slow: each model and criterion compiles one kernel the first time (about a minute; numba keeps it on disk).
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.deterrence import _fused, thresholds
from gametheory.deterrence.arguments import default_bounds
from gametheory.deterrence.closed_form import derive
from gametheory.deterrence.criteria import get_criterion

pytestmark = pytest.mark.slow

#: the counterfeit rate of a core game is the seller's probability of its second strategy; every order trades
RATE_TABLE = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
TRADE_TABLE = np.ones(8)


def _games(rng: np.random.Generator) -> np.ndarray:
    """Random normal games, small-integer games (ties, dominance, continua) and games where one player has a
    strictly dominant strategy while another's gain does not depend on anyone (the k = 0 game of a model)."""
    normal = rng.normal(size=(1500, 3, 2, 2, 2))
    integer = rng.integers(-2, 3, size=(1500, 3, 2, 2, 2)).astype(float)
    dominant = rng.normal(size=(1500, 3, 2, 2, 2))
    dominant[:, 0, 0] = dominant[:, 0, 1] + rng.uniform(0.5, 2.0, size=(1500, 2, 2))
    return np.concatenate([normal, integer, dominant])


@pytest.mark.parametrize("largest", [True, False])
def test_worst_rate_is_the_batch_solvers_extreme_rate(largest):
    from gametheory.deterrence import _scan_kernel as kernel

    games = _games(np.random.default_rng(13))
    sol = gt.solve_batch(gt.GameBatch(games))
    rates = np.where(sol.valid, sol.profiles[:, :, 0, 1], np.nan)
    expected = np.nanmax(rates, axis=1) if largest else np.nanmin(rates, axis=1)
    work = np.empty(kernel.WORK)
    decided = 0
    for g, u in enumerate(games):
        rate, trade, suspect = kernel.worst_rate(u.ravel(), RATE_TABLE, TRADE_TABLE, 1e-9, largest, work)
        if suspect:
            continue
        decided += 1
        assert not sol.degenerate[g], g  # a game it decides has finitely many equilibria
        assert rate == pytest.approx(expected[g], abs=1e-9), g
        assert trade == pytest.approx(1.0)
    assert decided >= 3000  # every normal game but a handful, every dominant one, and some integer ones


def _points(model, n, seed):
    rng = np.random.default_rng(seed)
    pts = {"price": rng.uniform(40, 250, n), "deposit": rng.uniform(20, 3000, n),
           "verify_cost": rng.uniform(0.5, 15, n), "detection_prob": rng.uniform(0.3, 1.0, n),
           "audit_detection": rng.uniform(0.1, 0.9, n), "fine": rng.uniform(0, 200, n)}
    return model.points(**{k: v for k, v in pts.items() if k in model.numeric_names})


CASES = [("cash_on_delivery", "all_equilibria", 0.05), ("escrow", "all_equilibria", 0.05),
         ("direct", "all_equilibria", 0.05), ("direct", "all_equilibria", 0.1), ("direct", "some_equilibrium", 0.05)]


@pytest.mark.parametrize(("name", "criterion", "target"), CASES)
def test_compiled_pass_equals_the_numpy_closed_form(monkeypatch, name, criterion, target):
    model = gt.models.get(name)
    values = _points(model, 3000, seed=len(name))
    crit = get_criterion(model, criterion)
    cf = derive(model, "penalty_multiplier")
    args = (model, "penalty_multiplier", crit, cf, values, target, default_bounds(model, "penalty_multiplier"), 1e-9)
    monkeypatch.setattr(_fused, "MIN_POINTS", 0)
    assert _fused.fused_applies(model, crit, cf, 3000)
    small, robust, ok = thresholds._closed_form_answers(*args)
    monkeypatch.setattr(thresholds, "fused_applies", lambda *a: False)  # the numpy path
    ref_small, ref_robust, ref_ok = thresholds._closed_form_answers(*args)
    both = ok & ref_ok
    assert both.mean() >= 0.99 and ok.mean() >= ref_ok.mean() - 1e-3
    np.testing.assert_allclose(small[both], ref_small[both], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(robust[both], ref_robust[both], rtol=1e-9, atol=1e-12)


def test_compiled_answers_equal_the_exact_sets(monkeypatch):
    """``points=`` through the compiled pass agrees with ``method="search"`` (the exact set point by point),
    including the issue-13 point where the closed form alone said 6.316 and the answer is 0.0463."""
    monkeypatch.setattr(_fused, "MIN_POINTS", 0)
    model = gt.models.get("direct")
    values = _points(model, 12, seed=4)
    pts = {k: v for k, v in values.items() if k in ("price", "deposit", "verify_cost", "detection_prob",
                                                     "audit_detection", "fine")}
    issue = {"detection_prob": 0.3395, "verify_cost": 18.5598, "audit_cost": 4.077, "audit_detection": 0.4,
             "fine": 95.3699, "reputation_loss": 87.9803, "deposit": 644.6, "insurance_cover": 0.099}
    pts = {k: np.append(v, issue.get(k, float(model.params[k]))) for k, v in pts.items()}
    pts.update({k: np.append(np.full(12, float(model.params[k])), v) for k, v in issue.items() if k not in pts})
    fast = gt.deterrence.threshold_map(model, target_rate=0.1, points=pts)
    slow = gt.deterrence.threshold_map(model, target_rate=0.1, points=pts, method="search")
    np.testing.assert_allclose(np.nan_to_num(fast.threshold, nan=-1), np.nan_to_num(slow.threshold, nan=-1),
                               rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(np.nan_to_num(fast.robust_threshold, nan=-1),
                               np.nan_to_num(slow.robust_threshold, nan=-1), rtol=1e-7, atol=1e-9)
    assert fast.threshold[-1] == pytest.approx(0.0463, abs=1e-4)


def test_generated_code_of_a_program():
    """Each node one assignment; the numpy meaning of min (NaN propagates) and of pow with special exponents."""
    import sympy

    from gametheory._sympy_json import from_sympy

    x, y = sympy.symbols("x y")
    program = from_sympy(["x", "y"], [sympy.Min(x, y) + x**2, sympy.sqrt(x) / y])
    stages = _fused.program_code(program, ["a", "b"], "v")
    code = "\n".join(line for lines, _ in stages for line in lines)
    assert "fmin(" in code and "v0 * v0" in code and "np.sqrt(v0)" in code and "1.0 / v3" in code
    assert [expr for _, expr in stages] == [f"v{program.outputs[0]}", f"v{program.outputs[1]}"]


#: round values and the ends of the domains: payoff ties, games degenerate at a bound, checks deferred to the solver
GRID = {"price": [50.0, 100.0, 200.0], "deposit": [0.0, 100.0, 500.0], "verify_cost": [0.0, 5.0],
        "detection_prob": [0.0, 0.5, 1.0], "audit_detection": [0.0, 1.0], "fine": [0.0, 50.0]}


def _grid(model):
    names = [k for k in GRID if k in model.numeric_names]
    mesh = np.meshgrid(*(GRID[k] for k in names), indexing="ij")
    return {k: m.ravel() for k, m in zip(names, mesh, strict=True)}


def _same(a, b, rtol=1e-7, atol=1e-9):
    np.testing.assert_allclose(np.nan_to_num(a, nan=-1.0), np.nan_to_num(b, nan=-1.0), rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", ["direct", "cash_on_delivery", "escrow"])
def test_compiled_pass_on_tied_and_boundary_points(monkeypatch, name):
    """On a grid of round values and domain ends the compiled pass (forced on) answers as the numpy path at every
    point and as the exact sets (``method="search"``) on a sample, including the points it leaves to the solver
    or to the exact set."""
    model = gt.models.get(name)
    pts = _grid(model)
    monkeypatch.setattr(_fused, "MIN_POINTS", 0)
    fast = gt.deterrence.threshold_map(model, target_rate=0.05, points=pts)
    monkeypatch.setattr(_fused, "ENABLED", False)
    slow = gt.deterrence.threshold_map(model, target_rate=0.05, points=pts)
    for key in ("threshold", "robust_threshold", "min_deposit"):
        _same(getattr(fast, key), getattr(slow, key))
    np.testing.assert_array_equal(fast.feasible, slow.feasible)
    np.testing.assert_array_equal(fast.code, slow.code)
    sample = slice(None, None, 7)
    ref = gt.deterrence.threshold_map(model, target_rate=0.05, points={k: v[sample] for k, v in pts.items()},
                                      method="search")
    _same(fast.threshold[sample], ref.threshold)
    _same(fast.robust_threshold[sample], ref.robust_threshold)
