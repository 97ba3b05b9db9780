"""Batch classification: the vectorised closed form agrees with the per-game reference path."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.dynamics import CLASSES
from gametheory.errors import InvalidParameterError


def _multiset_close(a, b, atol=1e-8):
    a, b = list(a[~np.isnan(a)]), list(b[~np.isnan(b)])
    if len(a) != len(b):
        return False
    for z in a:
        k = int(np.argmin([abs(z - w) for w in b]))
        if abs(z - b[k]) > atol:
            return False
        b.pop(k)
    return True


@pytest.mark.parametrize("n", [2, 3])
def test_closed_form_equals_per_game(n):
    batch = gt.GameBatch(np.random.default_rng(n).normal(size=(150, n, *(2,) * n)))
    fast = gt.dynamics.classify_batch(batch)
    slow = gt.dynamics.classify_batch(batch, method="per_game")
    assert fast.method == "closed_form" and slow.method == "per_game"
    np.testing.assert_array_equal(fast.valid.sum(axis=1), slow.valid.sum(axis=1))
    for g in range(len(batch)):
        fast_rows = {tuple(np.round(fast.profiles[g, k, :, 0], 9)): k for k in np.flatnonzero(fast.valid[g])}
        slow_rows = {tuple(np.round(slow.profiles[g, k, :, 0], 9)): k for k in np.flatnonzero(slow.valid[g])}
        assert fast_rows.keys() == slow_rows.keys()
        for key, k in fast_rows.items():
            j = slow_rows[key]
            assert fast.codes[g, k] == slow.codes[g, j]
            assert fast.nash[g, k] == slow.nash[g, j] and fast.pure[g, k] == slow.pure[g, j]
            assert _multiset_close(fast.eigenvalues[g, k], slow.eigenvalues[g, j])


def test_stable_states_are_pure_and_nash():
    batch = gt.GameBatch(np.random.default_rng(0).normal(size=(5000, 3, 2, 2, 2)))
    result = gt.dynamics.classify_batch(batch)
    assert not (result.stable & ~result.pure).any()
    assert (result.nash[result.stable]).all()
    # a corner is stable iff it is a strict pure equilibrium
    from gametheory.games.pure import pure_equilibrium_mask

    strict = pure_equilibrium_mask(batch.payoffs, tol=0.0).reshape(len(batch), 8)
    np.testing.assert_array_equal(result.stable[:, :8], strict)
    assert result.stable_counts.shape == (5000,)
    assert set(result.classification(0)) <= set(CLASSES)


def test_non_binary_batches_use_the_per_game_path():
    batch = gt.GameBatch(np.random.default_rng(1).normal(size=(5, 2, 3, 2)))
    result = gt.dynamics.classify_batch(batch)
    assert result.method == "per_game" and result.eigenvalues.shape[2] == 3


def test_bad_batches_are_rejected():
    with pytest.raises(InvalidParameterError, match="GameBatch"):
        gt.dynamics.classify_batch(np.zeros((3, 2, 2, 2)))
    with pytest.raises(InvalidParameterError, match="at least two strategies"):
        gt.dynamics.classify_batch(gt.GameBatch(np.zeros((3, 2, 2, 1))))
    with pytest.raises(InvalidParameterError, match="finite"):
        gt.GameBatch(np.full((3, 2, 2, 2), np.nan))
