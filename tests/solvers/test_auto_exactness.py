"""Exact (Fraction) games stay exact through every step of ``gt.solve(method="auto")``: dominance, restriction,
lifting; the exact answers match the float path's on the same games."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import gametheory as gt


def _exact(payoffs: np.ndarray) -> gt.NormalFormGame:
    return gt.NormalFormGame(np.vectorize(Fraction, otypes=[object])(payoffs))


def _dominance_solvable(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Random integer payoffs where each player's strategy 0 beats every other by at least 1 everywhere."""
    rng = np.random.default_rng(seed)
    payoffs = rng.integers(-5, 6, (len(shape), *shape))
    for i in range(len(shape)):
        best = np.take(payoffs[i], range(1, shape[i]), axis=i).max(axis=i) + 1
        index = [slice(None)] * len(shape)
        index[i] = 0
        payoffs[i][tuple(index)] = best
    return payoffs


@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (3, 3, 2), (2, 2, 2, 2), (3, 2, 2)])
def test_dominance_solved_fraction_games_come_back_exact(shape: tuple[int, ...]) -> None:
    payoffs = _dominance_solvable(shape, seed=len(shape) * 10 + shape[0])
    eqs = gt.solve(_exact(payoffs))
    assert eqs.method == "auto(pure)" and eqs.exact and eqs.complete and len(eqs) == 1
    (eq,) = eqs
    assert eq.exact == tuple(tuple(Fraction(int(k == 0)) for k in range(s)) for s in shape)
    assert eq.regret == 0.0
    floats = gt.solve(gt.NormalFormGame(payoffs.astype(float)))
    assert not floats.exact and [e.support for e in floats] == [eq.support]


@pytest.mark.parametrize("shape", [(3, 3), (3, 3, 2), (2, 2, 2, 2), (3, 2, 2)])
@pytest.mark.parametrize("seed", range(4))
def test_every_auto_answer_of_a_fraction_game_is_exact_and_matches_the_float_path(shape: tuple[int, ...],
                                                                                  seed: int) -> None:
    payoffs = np.random.default_rng(seed).integers(-9, 10, (len(shape), *shape))
    eqs = gt.solve(_exact(payoffs))
    assert eqs.exact
    assert all(e.exact is not None or getattr(e, "algebraic", None) is not None for e in eqs)
    floats = gt.solve(gt.NormalFormGame(payoffs.astype(float)))
    exact_profiles = sorted(np.round(np.concatenate(e.profile), 7).tolist() for e in eqs)
    float_profiles = sorted(np.round(np.concatenate(e.profile), 7).tolist() for e in floats)
    assert exact_profiles == float_profiles  # no equilibrium lost or added on the exact path
