"""Free hunter entry: the hunter share is the point where an entered hunter's profit meets its outside option."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.models.hunter_entry import hunter_profit


def _args(model):
    return {k: float(v) for k, v in model.params.items() if not isinstance(v, str)}


def test_entry_share_balances_profit_and_outside_option():
    fixed = gt.models.get("direct", variant="extended")
    profit_at_zero = hunter_profit(fixed, np.zeros(1), {**_args(fixed), "price": np.array([100.0])})[0]
    outside = 0.5 * profit_at_zero  # some entry, but not everyone
    free = fixed.with_params(hunter_entry="free", hunter_outside_option=outside)
    theta = free.params_in_force()["hunter_share"]
    profit = hunter_profit(fixed, np.array([theta]), {**_args(fixed), "price": np.array([100.0])})[0]
    if 0.0 < theta < 1.0:
        assert profit == pytest.approx(outside, abs=1e-3 * max(1.0, abs(outside)))
    else:
        assert (theta == 0.0 and profit_at_zero <= outside) or (theta == 1.0 and profit >= outside)


def test_no_entry_when_the_outside_option_is_large():
    free = gt.models.get("escrow", variant="extended", hunter_entry="free", hunter_outside_option=1e6)
    assert free.params_in_force()["hunter_share"] == 0.0
    game = free.game()
    assert game.shape == (3, 4, 2, 2)


def test_share_is_an_outcome_in_batches_and_cannot_be_swept():
    free = gt.models.get("direct", variant="extended", hunter_entry="free")
    batch = free.batch(hunter_outside_option=[0.0, 1e6])
    assert len(batch) == 2
    with pytest.raises(InvalidParameterError, match="outcome under hunter_entry='free'"):
        free.batch(hunter_share=[0.1, 0.2])


def test_sweep_reports_the_entry_share_and_its_effect():
    df = gt.sweep("direct", {"hunter_outside_option": [0.0, 1e6]}, variant="extended",
                  fixed={"hunter_entry": "free"}, progress=False)
    shares = df.sort_values("hunter_outside_option")["hunter_share"].to_numpy()
    assert shares[1] == 0.0 and 0.0 <= shares[0] <= 1.0
    assert df["complete"].all() and "counterfeit_rate_max" in df
