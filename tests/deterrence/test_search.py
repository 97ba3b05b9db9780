"""The vectorised bracketing search on synthetic criteria with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.deterrence.search import AT_LOWER, FOUND, NEVER, bracket


def _hyperbola(c, m, target):
    """A mixed equilibrium: rate = c / (k + m), capped at 1; holds when rate <= target."""

    def holds(theta, index):
        rate = np.minimum(1.0, c[index] / (theta + m[index]))
        return rate <= target + 1e-9, rate

    return holds


def test_continuous_rate_converges_to_the_formula():
    rng = np.random.default_rng(0)
    n = 500
    c, m = rng.uniform(0.01, 1.0, n), rng.uniform(0.0, 1.0, n)
    target = 0.05
    out = bracket(_hyperbola(c, m, target), np.zeros(n), np.full(n, 100.0), target=target)
    expected = c / (target + 1e-9) - m  # the boundary of holds (rate <= target + 1e-9)
    inside = expected > 0
    assert np.all(out.status[inside] == FOUND)
    np.testing.assert_allclose(out.threshold[inside], expected[inside], rtol=1e-8)
    assert out.evaluations / n < 20  # 1/rate is linear here: regula falsi needs few steps


def test_jump_is_found_by_bisection():
    k_star = np.array([0.123456789, 3.3, 77.7])

    def holds(theta, index):
        ok = theta >= k_star[index]
        return ok, np.where(ok, 0.0, 1.0)

    out = bracket(holds, np.zeros(3), np.full(3, 100.0))
    assert np.all(out.status == FOUND)
    np.testing.assert_allclose(out.threshold, k_star, rtol=1e-8)
    assert np.all(out.lower < k_star) and np.all(out.upper >= k_star)


def test_never_and_at_lower():
    def holds(theta, index):
        ok = np.where(index == 0, False, True)
        return ok, np.where(ok, 0.0, 0.5)

    out = bracket(holds, np.zeros(2), np.ones(2))
    assert out.status.tolist() == [NEVER, AT_LOWER]
    assert np.isnan(out.threshold[0]) and out.threshold[1] == 0.0


def test_relapse_is_flagged():
    def holds(theta, index):
        ok = (theta >= 2) & (theta < 5)
        return ok, np.where(ok, 0.0, 1.0)

    out = bracket(holds, np.zeros(1), np.full(1, 10.0), grid=10)
    assert out.status[0] == FOUND and out.relapse[0]
    assert out.threshold[0] == pytest.approx(2.0, rel=1e-8)
