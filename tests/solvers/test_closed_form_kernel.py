"""The compiled 2x2x2 batch path (``_kernel_2x2x2``) against the vectorised numpy reference path it replaced
(``solve_arrays(..., reference=True)``): the same isolated equilibria, the same extreme points of every continuum
grouped into the same components, the same ``degenerate`` flags -- on random generic games, random integer games
with many ties, and structured degenerate games. Plus properties that need no reference: every pure equilibrium is
listed, and the listing does not depend on the payoffs' unit (issue 23)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gametheory as gt
from gametheory.solvers.closed_form._driver import solve_arrays

SHAPE = (2, 2, 2)


def _listing(sol: gt.BatchSolution, g: int) -> tuple[np.ndarray, np.ndarray]:
    k = int(sol.counts[g])
    return sol.profiles[g, :k, :, 0], sol.component[g, :k]


def _same_listing(a: gt.BatchSolution, b: gt.BatchSolution, g: int, atol: float = 1e-7) -> bool:
    """Same points (a bijection within ``atol``), same partition into components, same flag."""
    pa, ca = _listing(a, g)
    pb, cb = _listing(b, g)
    if len(pa) != len(pb) or a.degenerate[g] != b.degenerate[g]:
        return False
    match = []
    for p in pa:
        d = np.abs(pb - p).max(axis=1)
        if d.min() > atol:
            return False
        match.append(int(d.argmin()))
    if len(set(match)) != len(match):
        return False
    return all((ca[x] == ca[y]) == (cb[match[x]] == cb[match[y]]) for x, y in itertools.combinations(range(len(pa)), 2))


def _assert_agree(u: np.ndarray) -> gt.BatchSolution:
    fast = solve_arrays(u, 1e-9, SHAPE)
    ref = solve_arrays(u, 1e-9, SHAPE, reference=True)
    bad = [g for g in range(len(u)) if not _same_listing(fast, ref, g)]
    assert not bad, (len(bad), u[bad[0]].tolist())
    scale = np.maximum(np.abs(u).reshape(len(u), -1).max(axis=1), 1.0)
    assert (fast.regrets[fast.valid] <= 1e-9 * np.broadcast_to(scale[:, None], fast.valid.shape)[fast.valid]).all()
    return fast


@pytest.mark.parametrize(("high", "n", "seed"), [(9, 4000, 1), (2, 3000, 2), (1, 1500, 3)])
def test_integer_games_agree_with_the_reference(high, n, seed):
    u = np.random.default_rng(seed).integers(-high, high + 1, (n, 3, 2, 2, 2)).astype(float)
    sol = _assert_agree(u)
    assert 0.2 < sol.degenerate.mean() < 0.95  # the sample holds continua and isolated ties


def test_scaled_integer_games_agree_with_the_reference():
    _assert_agree(np.random.default_rng(5).integers(-2, 3, (3000, 3, 2, 2, 2)).astype(float) * 10**1.5)


def test_generic_games_agree_with_the_reference():
    sol = _assert_agree(np.random.default_rng(4).standard_normal((5000, 3, 2, 2, 2)))
    assert not sol.degenerate.any()
    assert (sol.counts % 2 == 1).all()


def _structured() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    games = [np.zeros((3, 2, 2, 2)), np.ones((3, 2, 2, 2))]
    for _ in range(30):
        for indifferent in ([0], [1], [2], [0, 1], [1, 2], [0, 2]):
            u = rng.integers(-3, 4, (3, 2, 2, 2)).astype(float)
            for i in indifferent:  # player i's payoff does not depend on its own strategy
                u[i] = np.take(u[i], [0, 0], axis=i)
            games.append(u)
        u = rng.integers(-3, 4, (3, 2, 2, 2)).astype(float)
        u[2, :, :, 1] = u[2, :, :, 0]  # player 3 indifferent, players 1-2 matching pennies whatever 3 does
        for a, b in itertools.product((0, 1), repeat=2):
            u[0, a, b, :] = 1.0 if a == b else -1.0
            u[1, a, b, :] = -1.0 if a == b else 1.0
        games.append(u)
        u = rng.integers(-3, 4, (3, 2, 2, 2)).astype(float)
        u[0, 0, 0, 0] = u[0, 1, 0, 0]  # one tie on an edge
        games.append(u)
    return games


def test_structured_degenerate_games_agree_with_the_reference():
    sol = _assert_agree(np.array(_structured()))
    assert sol.degenerate[:2].all() and sol.counts[:2].tolist() == [8, 8]
    assert sol.degenerate.mean() > 0.5


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, (6, 3, 2, 2, 2), elements=st.integers(-2, 2)))
def test_property_small_integer_games_agree(payoffs):
    _assert_agree(payoffs.astype(float))


def test_every_pure_equilibrium_is_listed():
    # a pure equilibrium is a vertex of the cube, never strictly inside a segment: it is always listed
    u = np.random.default_rng(8).integers(-2, 3, (400, 3, 2, 2, 2)).astype(float)
    sol = gt.solve_batch(gt.GameBatch(u))
    for g in range(len(u)):
        pts, _ = _listing(sol, g)
        listed = {tuple(int(x) for x in p) for p in pts if np.isin(p, (0.0, 1.0)).all()}
        assert listed == {tuple(1 - s for s in e) for e in _pure_profiles(u[g])}, g


def _pure_profiles(u: np.ndarray) -> set[tuple[int, int, int]]:
    """Strategy indices (0 = first) of the pure equilibria, by brute force over unilateral deviations."""
    out = set()
    for s in itertools.product((0, 1), repeat=3):
        if all(u[i][s] >= u[i][tuple(1 - s[j] if j == i else s[j] for j in range(3))] for i in range(3)):
            out.add(s)
    return out


@pytest.mark.parametrize("reference", [False, True], ids=["kernel", "numpy"])
@pytest.mark.parametrize("factor", [10**1.5, 2.0**-20, 1e6 / 7, 0.1])
def test_listing_does_not_depend_on_the_payoffs_unit(factor, reference):
    # ties that rounding turns into ~1e-16 are still ties (issue 23): same points, components and flags
    u = np.random.default_rng(9).integers(-2, 3, (2000, 3, 2, 2, 2)).astype(float)
    base = solve_arrays(u, 1e-9, SHAPE, reference=reference)
    scaled = solve_arrays(u * factor, 1e-9, SHAPE, reference=reference)
    bad = [g for g in range(len(u)) if not _same_listing(base, scaled, g, atol=1e-6)]
    assert not bad, u[bad[0]].tolist()
    np.testing.assert_allclose(scaled.payoffs[scaled.valid], factor * base.payoffs[base.valid], rtol=1e-9,
                               atol=1e-9 * factor)


def test_outputs_match_the_equilibrium_objects():
    u = np.random.default_rng(10).integers(-9, 10, (50, 3, 2, 2, 2)).astype(float)
    sol = gt.solve_batch(gt.GameBatch(u))
    for g in range(len(u)):
        game = gt.NormalFormGame(u[g])
        for e in range(int(sol.counts[g])):
            eq = gt.Equilibrium.from_profile(game, list(sol.profiles[g, e]))
            np.testing.assert_allclose(sol.payoffs[g, e], eq.payoffs, atol=1e-12)
            assert abs(sol.regrets[g, e] - eq.regret) <= 1e-12
        assert (sol.component[g, int(sol.counts[g]):] == -1).all()
        assert np.isnan(sol.profiles[g, int(sol.counts[g]):]).all()
