"""The contractions that follow an equilibrium branch (``branches._contract``): ``np.tensordot`` axis by axis, to
rounding, for every set of kept axes the support systems use, on random and degenerate (pure) strategies."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gametheory.deterrence.branches import _contract


def _reference(table, sigma, keep):
    out = table
    for k in reversed(range(len(sigma))):
        if k not in keep:
            out = np.tensordot(out, sigma[k], axes=([k], [0]))
    return out


@pytest.mark.parametrize("shape", [(2, 2), (3, 3, 3), (3, 4, 2), (3, 4, 2, 2), (4, 4, 2, 2)])
def test_contract_is_tensordot(shape):
    rng = np.random.default_rng(len(shape) * 10 + shape[0])
    n = len(shape)
    keeps = [(), *((i,) for i in range(n)), *itertools.combinations(range(n), 2)]
    for trial in range(40):
        table = rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4)
        sigma = [rng.dirichlet(np.ones(k)) if trial % 3 else np.eye(k)[rng.integers(k)] for k in shape]
        for keep in keeps:
            got, want = _contract(table, sigma, keep), _reference(table, sigma, keep)
            assert got.shape == want.shape == tuple(shape[k] for k in keep)
            np.testing.assert_allclose(got, want, rtol=0, atol=4e-16 * np.abs(table).max() * table.size)
