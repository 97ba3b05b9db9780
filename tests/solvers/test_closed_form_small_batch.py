"""Small 2x2 batches (one-game solves among them) take the thorough numpy path whole, without numba
(``KERNEL_MIN``): the answer must be the compiled kernel's, array for array, on random and tied games."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.solvers.closed_form import _driver


@pytest.mark.parametrize("tied", [False, True], ids=["normal", "integer"])
def test_small_batches_match_the_kernel_path(tied: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in range(150):
        rng = np.random.default_rng([seed, tied])
        n_games = int(rng.integers(1, _driver.KERNEL_MIN))
        payoffs = (rng.integers(-2, 3, (n_games, 2, 2, 2)).astype(float) if tied
                   else rng.standard_normal((n_games, 2, 2, 2)))
        small = _driver.solve_arrays(payoffs, 1e-9, (2, 2))
        with monkeypatch.context() as patch:
            patch.setattr(_driver, "KERNEL_MIN", 0)
            kernel = _driver.solve_arrays(payoffs, 1e-9, (2, 2))
        for name in ("profiles", "payoffs", "regrets", "counts", "degenerate", "component"):
            np.testing.assert_array_equal(getattr(small, name), getattr(kernel, name), err_msg=f"{seed} {name}")
        assert small.counts.min() >= 1  # every finite game has an equilibrium
