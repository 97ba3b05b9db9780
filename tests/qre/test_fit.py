"""gt.qre.fit: maximum-likelihood lambda and its standard error, against simulated data and pygambit."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests.qre import _gambit

SHAPES = [(3, 3), (2, 2, 2), (3, 2)]


def _simulated(shape, lam, n, seed):
    rng = np.random.default_rng(seed)
    game = gt.NormalFormGame(rng.normal(size=(len(shape), *shape)))
    truth = gt.qre.logit(game, lam).profile
    return game, [rng.multinomial(n, p) for p in truth]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_recovers_lambda_from_data_simulated_at_a_known_lambda(shape):
    game, counts = _simulated(shape, 2.0, 4000, seed=11)
    res = gt.qre.fit(game, counts)
    assert res.success and res.stderr is not None and 0 < res.stderr < 0.5
    assert abs(res.lam - 2.0) <= 4 * res.stderr
    assert res.log_likelihood == pytest.approx(sum(c @ np.log(p) for c, p in zip(counts, res.profile, strict=True)))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_matches_pygambit_logit_estimate(shape):
    game, counts = _simulated(shape, 1.5, 500, seed=5)
    ours, theirs = gt.qre.fit(game, counts), _gambit.estimate(game, counts)
    assert ours.lam == pytest.approx(theirs.lam, rel=1e-6)
    assert ours.log_likelihood == pytest.approx(theirs.log_like, rel=1e-9)


def test_standard_error_matches_the_spread_over_replications():
    rng = np.random.default_rng(2)
    game = gt.NormalFormGame(rng.normal(size=(2, 3, 3)))
    truth = gt.qre.logit(game, 1.0).profile
    fits = [gt.qre.fit(game, [rng.multinomial(800, p) for p in truth]) for _ in range(25)]
    spread = np.std([f.lam for f in fits], ddof=1)
    typical = np.median([f.stderr for f in fits])
    assert 0.6 < spread / typical < 1.6
    assert abs(np.mean([f.lam for f in fits]) - 1.0) < 3 * typical / np.sqrt(25) + 0.02


def test_the_standard_error_shrinks_like_one_over_root_n():
    game, small = _simulated((3, 3), 2.0, 1000, seed=4)
    big = [16 * c for c in small]  # same shares, 16 times the observations
    se_small, se_big = gt.qre.fit(game, small).stderr, gt.qre.fit(game, big).stderr
    assert se_big == pytest.approx(se_small / 4, rel=1e-4)


def test_uniform_looking_data_put_the_maximum_at_lambda_zero():
    pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])  # defecting dominates
    res = gt.qre.fit(pd, [[90, 10], [90, 10]])  # mostly cooperating: worse than uniform
    assert res.lam == 0 and res.stderr is None and not res.success
    assert "lambda = 0" in res.message


def test_flat_counts_accepted_and_bad_counts_rejected():
    pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    assert gt.qre.fit(pd, [30, 70, 30, 70]).lam == pytest.approx(gt.qre.fit(pd, [[30, 70], [30, 70]]).lam)
    with pytest.raises(InvalidParameterError, match="one vector of counts per player"):
        gt.qre.fit(pd, [[1, 2, 3], [1, 2]])
    with pytest.raises(InvalidParameterError, match="non-negative counts"):
        gt.qre.fit(pd, [[-1, 2], [1, 2]])
    with pytest.raises(InvalidParameterError, match="non-negative counts"):
        gt.qre.fit(pd, [[0, 0], [0, 0]])
