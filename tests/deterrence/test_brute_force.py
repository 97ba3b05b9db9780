"""deterrence_set against a dense brute-force scan by the solver, and the vectorised thresholds against the set.

For random scenarios of every core model, the criterion is evaluated by :func:`gametheory.solve_batch` (through
the criterion) at random parameter values; each verdict must match membership in the exact set, except within a
hair of a breakpoint (where the game is degenerate and either side is a fair answer). A breakpoint missed by the
formulas would show up as a value inside a piece where the solver disagrees with the piece's status.
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.deterrence.criteria import RATE_TOL, deciding_rates

CORE = ("direct", "escrow", "cash_on_delivery", "self_operated")
RANGES = {
    "price": (40, 250), "verify_cost": (0.5, 20), "detection_prob": (0.3, 1.0), "audit_detection": (0.1, 0.9),
    "fine": (0, 200), "audit_cost": (0.5, 6), "reputation_loss": (5, 100), "deposit": (20, 3000),
    "insurance_cover": (0, 1),
}


def scenario(name, rng):
    base = gt.models.get(name)
    params = {k: float(rng.uniform(*r)) for k, r in RANGES.items() if k in base.parameter_names}
    return base.with_params(**params), float(rng.choice([0.02, 0.05, 0.08, 0.12]))


def compare_with_scan(name, scenarios, per_scenario, seed):
    """``scenarios`` random parameter points of the model, each with its exact set along k and a scan of
    ``per_scenario`` random k values; every scanned game of every scenario is solved in one solver batch."""
    rng = np.random.default_rng(seed)
    base = gt.models.get(name)
    sets, columns, ks, targets = [], {}, [], []
    for _ in range(scenarios):
        model, target = scenario(name, rng)
        bounds = (0.0, float(rng.choice([5.0, 20.0])))
        s = gt.deterrence.deterrence_set(model, target_rate=target, bounds=bounds)
        sets.append((model, s))
        ks.append(rng.uniform(*s.bounds, per_scenario))
        targets.append(np.full(per_scenario, target))
        for k in RANGES:
            if k in base.parameter_names:
                columns.setdefault(k, []).append(np.full(per_scenario, model.params[k]))
    values = {k: np.concatenate(v) for k, v in columns.items()}
    values["penalty_multiplier"] = np.concatenate(ks)
    rate = deciding_rates(base, "all_equilibria", values, tol=1e-9).reshape(scenarios, per_scenario)
    solver = np.isfinite(rate) & (rate <= np.array(targets) + RATE_TOL)
    checked, holding, nonmonotone = 0, 0, 0
    for j, (model, s) in enumerate(sets):
        edges = np.array([b.value for b in s.breakpoints] + list(s.bounds))
        far = np.min(np.abs(ks[j][:, None] - edges[None, :]), axis=1) > 1e-7 * (1 + ks[j])
        member = np.array([k in s for k in ks[j]])
        bad = np.flatnonzero(far & (solver[j] != member))
        assert bad.size == 0, (name, model, s, ks[j][bad][:5], rate[j][bad][:5])
        checked += int(far.sum())
        holding += int(member.sum())
        nonmonotone += not s.monotone
    assert checked >= 0.99 * scenarios * per_scenario
    # the scan is not one-sided: both verdicts occur (and, over many scenarios, non-monotone sets too)
    assert 0.01 * checked < holding < 0.99 * checked, (name, holding, checked)
    return nonmonotone


@pytest.mark.parametrize("name", CORE)
def test_set_matches_a_dense_solver_scan_on_1000_points(name):
    # 1,000 random parameter points (40 scenarios x 25 multipliers), each checked against the exact set
    compare_with_scan(name, scenarios=40, per_scenario=25, seed=13)


@pytest.mark.slow
@pytest.mark.parametrize("name", CORE)
def test_set_matches_a_dense_solver_scan_on_1000_scenarios(name):
    # 1,000 random scenarios, each with its own exact set, scanned at 40 multipliers (40,000 points)
    compare_with_scan(name, scenarios=1000, per_scenario=40, seed=2026)


def compare_vectorised_with_sets(name, n, seed):
    rng = np.random.default_rng(seed)
    base = gt.models.get(name)
    names = [k for k in RANGES if k in base.parameter_names]
    points = {k: rng.uniform(*RANGES[k], n) for k in names}
    res = gt.deterrence.threshold_map(base, target_rate=0.05, points=points, bounds=(0.0, 20.0))
    for g in range(n):
        one = gt.deterrence.deterrence_set(base.with_params(**{k: float(v[g]) for k, v in points.items()}),
                                           target_rate=0.05, bounds=(0.0, 20.0))
        for got, want in ((res.threshold[g], one.smallest), (res.robust_threshold[g], one.robust)):
            if want is None:
                assert np.isnan(got), (g, one)
            else:
                assert got == pytest.approx(want, rel=1e-7, abs=1e-9), (g, one)
        assert bool(res.monotone[g]) == one.monotone


@pytest.mark.parametrize("name", CORE)
def test_vectorised_thresholds_equal_the_exact_sets(name):
    compare_vectorised_with_sets(name, 12, seed=7)


@pytest.mark.slow
@pytest.mark.parametrize("name", CORE)
def test_vectorised_thresholds_equal_the_exact_sets_many(name):
    compare_vectorised_with_sets(name, 150, seed=8)
