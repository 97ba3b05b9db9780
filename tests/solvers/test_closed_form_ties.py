"""Tied 2x2 games in the compiled kernel: the same answer, bit for bit, as the thorough numpy path that solved them
before (``_driver._solve_suspects``), on every game with payoffs in {-1, 0, 1}, on random integer games in
[-3, 3], on rescaled and on near-tied float games; and known continua by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.closed_form import _driver
from gametheory.solvers.closed_form import _kernel_2x2 as kernel

TOL = 1e-9


def _reference(payoffs: np.ndarray, tol: float = TOL) -> tuple[np.ndarray, ...]:
    """The thorough path on every game: ``(counts, degenerate, profiles, payoffs, regrets, component)`` padded."""
    games, slots, prof, pay, reg, comp, counts, degenerate = _driver._solve_suspects(payoffs, tol)
    N, K = len(payoffs), int(counts.max(initial=0))
    P = np.full((N, K, 2, 2), np.nan)
    P[games, slots, :, 0] = prof.T
    P[games, slots, :, 1] = 1.0 - prof.T
    U, R, C = np.full((N, K, 2), np.nan), np.full((N, K), np.nan), np.full((N, K), -1)
    U[games, slots], R[games, slots], C[games, slots] = pay.T, reg, comp
    return counts, degenerate, P, U, R, C


def _kernel(payoffs: np.ndarray, tol: float = TOL) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """The batch solver's answer in the same layout, and which games took the tie rule."""
    sol = gt.solve_batch(gt.GameBatch(payoffs), tol=tol)
    tied = kernel.count(np.ascontiguousarray(payoffs), max(tol, _driver.TOL_FLOOR))[1] & kernel.TIED != 0
    return (sol.counts, sol.degenerate, sol.profiles, sol.payoffs, sol.regrets, sol.component), tied


def _assert_same(ours: tuple[np.ndarray, ...], ref: tuple[np.ndarray, ...]) -> None:
    names = ("counts", "degenerate", "profiles", "payoffs", "regrets", "component")
    for name, a, b in zip(names, ours, ref, strict=True):
        K = b.shape[1] if b.ndim > 1 else None
        if K is not None:
            assert a.shape[1] >= K and (a.shape[1] == K or np.isnan(a[:, K:]).all() if a.dtype.kind == "f"
                                        else (a[:, K:] == -1).all()), name
            a = a[:, :K]
        same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
        bad = np.flatnonzero(~same.reshape(len(a), -1).all(axis=1))
        assert not bad.size, f"{name} differs on {bad.size} games, first {bad[:3].tolist()}"


def _every_game(values: tuple[float, ...]) -> np.ndarray:
    return np.array(list(itertools.product(values, repeat=8)), dtype=float).reshape(-1, 2, 2, 2)


def test_every_game_with_payoffs_in_minus_one_to_one_matches_the_thorough_path() -> None:
    payoffs = _every_game((-1.0, 0.0, 1.0))  # 6,561 games, most of them tied
    ours, tied = _kernel(payoffs)
    _assert_same(ours, _reference(payoffs))
    assert tied.mean() > 0.5 and ours[1].mean() > 0.3  # the sample is mostly ties, many continua
    assert ours[0].max() == 4  # the all-equal game lists the square's four corners


@pytest.mark.parametrize(("high", "n"), [(1, 50_000), (3, 100_000)])
def test_random_integer_games_match_the_thorough_path(high: int, n: int) -> None:
    payoffs = np.random.default_rng(23 + high).integers(-high, high + 1, (n, 2, 2, 2)).astype(float)
    ours, tied = _kernel(payoffs)
    _assert_same(ours, _reference(payoffs))
    assert 0.3 < tied.mean() < 0.95 and ours[1].any() and not ours[1].all()


@pytest.mark.parametrize("factor", [2.0**-30, 1e-7, 3.0, 1e6])
def test_rescaled_tied_games_match_the_thorough_path_and_the_unit_game(factor: float) -> None:
    unit = np.random.default_rng(5).integers(-3, 4, (20_000, 2, 2, 2)).astype(float)
    payoffs = unit * factor
    ours, _ = _kernel(payoffs)
    _assert_same(ours, _reference(payoffs))
    base, _ = _kernel(unit)
    for a, b in zip(ours[:3], base[:3], strict=True):  # counts, flags and profiles do not depend on the unit
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_near_ties_within_the_tolerance_match_the_thorough_path() -> None:
    rng = np.random.default_rng(9)
    unit = rng.integers(-2, 3, (40_000, 2, 2, 2)).astype(float)
    noise = rng.choice([0.0, 1.0], unit.shape) * rng.uniform(-1, 1, unit.shape)
    payoffs = unit + noise * rng.choice([1e-13, 1e-11, 4e-10, 3e-9], (len(unit), 1, 1, 1))
    ours, tied = _kernel(payoffs)
    ref = _reference(payoffs[tied])
    _assert_same(tuple(a[tied] for a in ours), ref)
    thirds = unit / 3.0 + unit / 7.0  # rounding errors of order 1e-16 on exact ties
    ours, tied = _kernel(thirds)
    _assert_same(tuple(a[tied] for a in ours), _reference(thirds[tied]))
    assert tied.mean() > 0.3


@pytest.mark.parametrize("tol", [0.0, 1e-6, 1e-3, 0.05])
def test_other_tolerances_match_the_thorough_path(tol: float) -> None:
    rng = np.random.default_rng(31)
    unit = rng.integers(-3, 4, (20_000, 2, 2, 2)).astype(float)
    payoffs = np.concatenate([unit, unit + rng.uniform(-1, 1, unit.shape) * 1e-4, _patterned(20_000, 4, 1e-3)])
    ours, tied = _kernel(payoffs, tol)
    _assert_same(tuple(a[tied] for a in ours), _reference(payoffs[tied], tol))
    if tol <= 1e-3:  # integer games: every game (at a large tolerance the thorough path also lists edge points
        # of generic games whose regret is within it, which the fast path, unchanged by issue 23, does not)
        _assert_same(tuple(a[:20_000] for a in ours), _reference(unit, tol))
    table = kernel.count(payoffs, max(tol, _driver.TOL_FLOOR))[1] & kernel.PATTERN != 0
    assert table[:20_000].mean() > 0.3 if tol <= 1e-6 else table.mean() < 0.3  # the table's floor grows with tol


def _patterned(n: int, seed: int, low: float) -> np.ndarray:
    """Games whose pure differences are exactly 0 (each with probability 1/2) or of random size in [low, 1]."""
    rng = np.random.default_rng(seed)
    payoffs = rng.uniform(-1, 1, (n, 2, 2, 2))
    d = rng.uniform(low, 1, (n, 4)) * rng.choice([-1.0, 1.0], (n, 4)) * rng.integers(0, 2, (n, 4))
    payoffs[:, 0, 0] = payoffs[:, 0, 1] + d[:, :2]  # row: u(0, c) = u(1, c) + d_c
    payoffs[:, 1, :, 0] = payoffs[:, 1, :, 1] + d[:, 2:]  # column: u(r, 0) = u(r, 1) + d_r
    return payoffs


@pytest.mark.parametrize(("seed", "low"), [(1, 0.05), (2, 1e-3), (3, 1e-7)])
def test_exact_ties_with_random_magnitudes_match_the_thorough_path(seed: int, low: float) -> None:
    # the sign-pattern table covers the games whose other differences are large; the small ones take the tie rule
    payoffs = _patterned(30_000, seed, low)
    ours, tied = _kernel(payoffs)
    _assert_same(ours, _reference(payoffs))
    codes = kernel.count(payoffs, TOL)[1]
    table = codes & kernel.PATTERN != 0
    assert table.mean() > 0.2 and (tied & ~table).any() == (low < 1e-2)


def test_known_continua() -> None:
    # the column is indifferent everywhere, the row strictly prefers its first strategy: the edge x = 1
    edge = np.array([[[[2, 1], [0, 0]], [[1, 1], [1, 1]]]], dtype=float)
    # the row is indifferent everywhere; the column matches: a Z of three segments through (1/2, 0)-(1/2, 1)
    zed = np.array([[[[0, 0], [0, 0]], [[1, 0], [0, 1]]]], dtype=float)
    sol = gt.solve_batch(gt.GameBatch(np.concatenate([edge, zed])))
    assert sol.degenerate.tolist() == [True, True] and sol.counts.tolist() == [2, 4]
    assert sol.profiles[0, :2, :, 0].tolist() == [[1.0, 1.0], [1.0, 0.0]] and sol.component[0].tolist()[:2] == [0, 0]
    assert sol.profiles[1, :4, :, 0].tolist() == [[1.0, 1.0], [0.0, 0.0], [0.5, 1.0], [0.5, 0.0]]
    assert sol.component[1].tolist() == [0, 0, 0, 0]
    assert sol.regrets[sol.valid].max() == 0.0
    isolated = gt.solve_batch(gt.GameBatch([[[[1, 0], [0, 0]], [[1, 0], [0, 0]]]]))  # tied, isolated only
    assert isolated.counts.tolist() == [2] and isolated.degenerate.tolist() == [False]
    assert isolated.component[0].tolist() == [0, 1]
