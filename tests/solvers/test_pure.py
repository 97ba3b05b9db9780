"""Pure equilibria: any number of players, vectorised over batches."""

import itertools

import numpy as np
import pytest

import gametheory as gt
from gametheory.games.pure import pure_equilibrium_mask


def _pure_by_definition(payoffs):
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    found = []
    for a in itertools.product(*[range(s) for s in shape]):
        ok = True
        for i in range(n):
            for dev in range(shape[i]):
                b = list(a)
                b[i] = dev
                if payoffs[(i, *b)] > payoffs[(i, *a)]:
                    ok = False
        if ok:
            found.append(a)
    return found


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)])
def test_batch_mask_matches_definition(shape):
    rng = np.random.default_rng(11)
    payoffs = rng.integers(-3, 4, size=(200, len(shape), *shape)).astype(float)
    mask = pure_equilibrium_mask(payoffs)
    for g in range(len(payoffs)):
        assert [tuple(x) for x in np.argwhere(mask[g])] == _pure_by_definition(payoffs[g])


def test_solve_pure_returns_checked_equilibria():
    coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    eqs = gt.solve(coordination, method="pure")
    assert len(eqs) == 2
    assert eqs.method == "pure" and not eqs.complete
    assert [e.support for e in eqs] == [((0,), (0,)), ((1,), (1,))]
    assert all(e.regret == 0 for e in eqs)
    assert [list(e.payoffs) for e in eqs] == [[2, 2], [1, 1]]


def test_pure_in_exact_games_is_exact():
    from fractions import Fraction

    game = gt.NormalFormGame([[[Fraction(1), 0], [0, 1]], [[1, 0], [0, 1]]])
    eqs = gt.solve(game, method="pure")
    assert len(eqs) == 2
    assert eqs[0].exact == ((Fraction(1), Fraction(0)), (Fraction(1), Fraction(0)))


def test_exact_pure_equilibria_with_zero_tolerance():
    from fractions import Fraction

    # float(-2/3) lies above -2/3: a float comparison would reject both (exactly tied) equilibria
    game = gt.NormalFormGame([[[Fraction(-2, 3)], [Fraction(-2, 3)]], [[Fraction(1, 7)], [Fraction(1, 7)]]])
    assert game.pure_equilibria(tol=0) == [(0, 0), (1, 0)]
