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
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(scenarios):
        model, target = scenario(name, rng)
        bounds = (0.0, float(rng.choice([5.0, 20.0])))
        s = gt.deterrence.deterrence_set(model, target_rate=target, bounds=bounds)
        ks = rng.uniform(*s.bounds, per_scenario)
        edges = np.array([b.value for b in s.breakpoints] + list(s.bounds))
        far = np.min(np.abs(ks[:, None] - edges[None, :]), axis=1) > 1e-7 * (1 + ks)
        rate = deciding_rates(model, "all_equilibria", {"penalty_multiplier": ks}, tol=1e-9)
        solver = np.isfinite(rate) & (rate <= target + RATE_TOL)
        member = np.array([k in s for k in ks])
        bad = np.flatnonzero(far & (solver != member))
        assert bad.size == 0, (name, model, target, s, ks[bad][:5], rate[bad][:5])
        checked += int(far.sum())
    assert checked >= 0.99 * scenarios * per_scenario


@pytest.mark.parametrize("name", CORE)
def test_set_matches_a_dense_solver_scan_on_1000_points(name):
    compare_with_scan(name, scenarios=4, per_scenario=250, seed=13)


@pytest.mark.slow
@pytest.mark.parametrize("name", CORE)
def test_set_matches_a_dense_solver_scan_on_10000_points(name):
    compare_with_scan(name, scenarios=25, per_scenario=400, seed=2026)


def compare_vectorised_with_sets(name, n, seed):
    rng = np.random.default_rng(seed)
    base = gt.models.get(name)
    names = [k for k in RANGES if k in base.parameter_names]
    points = {k: rng.uniform(*RANGES[k], n) for k in names}
    res = gt.deterrence.min_penalty_multiplier(base, target_rate=0.05, points=points, bounds=(0.0, 20.0))
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
