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


BOS = [[[3, 1], [0, 2]], [[2, 1], [0, 3]]]
F0, F1 = Fraction(0), Fraction(1)


def _bos_3x3() -> np.ndarray:
    """Battle of the sexes with a strictly dominated third strategy for each player."""
    out = np.zeros((2, 3, 3), dtype=int)
    out[:, :2, :2] = BOS
    out[0, 2, :] = -5
    out[1, :, 2] = -5
    return out


def _bos_2x2x2(third: int = 2) -> np.ndarray:
    """Players 1 and 2 play battle of the sexes, player 3 strictly prefers its first strategy; with ``third=3``
    player 1 also has a strictly dominated third strategy."""
    out = np.zeros((3, third, 2, 2), dtype=int)
    out[:2, :2] = np.asarray(BOS)[:, :, :, None]
    out[0, 2:] = -9
    out[2] = np.array([1, 0])[None, None, :]
    return out


# the exact answers, as (probabilities of each player's strategies) per equilibrium, in the solver's order
BOS_EXACT = [((F1, F0), (F1, F0)), ((F0, F1), (F0, F1)), ((Fraction(3, 4), Fraction(1, 4)), (Fraction(1, 4),
                                                                                             Fraction(3, 4)))]
CASES = {
    "2x2 with a mixed equilibrium": (np.array(BOS), ((0, 1), (0, 1)), BOS_EXACT),
    "2x2 dominance solvable": (np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]), ((0, 1), (0, 1)),
                               [((F0, F1), (F0, F1))]),
    "2x2 with a continuum": (np.array([[[2, 1], [0, 0]], [[1, 1], [1, 1]]]), ((0, 1), (0, 1)),
                             [((F1, F0), (F1, F0)), ((F1, F0), (F0, F1))]),
    "3x3 reduced to 2x2, lifted back": (_bos_3x3(), ((0, 1), (0, 1)),
                                        [tuple((*v, F0) for v in e) for e in BOS_EXACT]),
    "2x2x2": (_bos_2x2x2(), ((0, 1), (0, 1), (0, 1)), [(*e, (F1, F0)) for e in BOS_EXACT]),
    "3x2x2 reduced to 2x2x2, lifted back": (_bos_2x2x2(third=3), ((0, 1), (0, 1), (0,)),
                                            [((*e[0], F0), e[1], (F1, F0)) for e in BOS_EXACT]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fraction_games_stay_exact_through_dominance_restriction_and_lifting(name: str) -> None:
    payoffs, kept, want = CASES[name]
    eqs = gt.solve(_exact(payoffs))
    assert eqs.exact and eqs.complete and len(eqs) == len(want)
    assert sorted(e.exact for e in eqs) == sorted(want)
    assert all(e.regret == 0 for e in eqs)
    assert eqs.parameters["kept"] == kept  # "reduced": dominance removed the third strategies
    floats = gt.solve(gt.NormalFormGame(payoffs.astype(float)))
    assert not floats.exact and sorted(np.round(np.concatenate(e.profile), 9).tolist() for e in floats) == sorted(
        np.concatenate([np.array(v, dtype=float) for v in w]).tolist() for w in want)
