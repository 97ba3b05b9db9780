"""`gametheory repeated` and the `repeated` sweep output."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gametheory as gt
from gametheory.cli import main


def test_repeated_command_prints_every_answer(capsys):
    assert main(["repeated", "direct", "--set", "discount_factor=0.5", "--orders", "1,10", "--horizon", "50"]) == 0
    out = capsys.readouterr().out
    assert "delta*:      0.86613  (honest play is sustained for delta >= delta*" in out
    assert "formula:     delta* = (pi_C - pi_H) / (pi_C - pi_H + P (pi_H - pi_0))" in out
    assert "future:      at delta = 0.5 delisting takes 32 " in out
    assert "multiplier:  k* = 3.75038 at delta = 0.5, 4.07038 in one sale" in out
    assert "store:       smallest deterring store deposit n=1: none, n=10: 453.45 (45.35/order)" in out
    assert "rating:      trust while belief >= 0.6578" in out


def test_repeated_json_matches_the_api(capsys):
    assert main(["repeated", "direct", "--set", "verify_rate=0.3", "--json", "--horizon", "30"]) == 0
    data = json.loads(capsys.readouterr().out)
    m = gt.models.get("direct", verify_rate=0.3)
    assert data["changed"] == {"verify_rate": 0.3}
    assert data["min_discount_factor"] == pytest.approx(gt.repeated.min_discount_factor(m).value)
    assert data["continuation_value"] == pytest.approx(gt.repeated.continuation_value(m))
    assert data["store_deposit"]["orders"] == [1.0, 10.0, 100.0, 1000.0]
    assert data["reputation"]["horizon"] == 30


@pytest.mark.parametrize(("argv", "message"), [
    (["repeated", "self_operated"], "core payment model with a seller"),
    (["repeated", "direct", "--orders", "1,2.5"], "--orders must be whole numbers"),
    (["repeated", "direct", "--set", "discount_factor=1"], "'discount_factor' parameter of direct"),
])
def test_repeated_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_sweep_output_repeated_matches_the_api():
    grid = {"verify_rate": [0.0, 0.1, 0.4], "store_orders": [1.0, 20.0]}
    df = gt.sweep("direct", grid=grid, outputs=["repeated"], fixed={"penalty_multiplier": 8.0}, progress=False)
    m = gt.models.get("direct", penalty_multiplier=8.0)
    for row in df.itertuples(index=False):
        here = m.with_params(verify_rate=row.verify_rate, store_orders=row.store_orders)
        delta = gt.repeated.min_discount_factor(here).value
        assert row.min_discount_factor == pytest.approx(np.nan if delta is None else delta, nan_ok=True)
        k = gt.repeated.min_penalty_multiplier(here).value
        assert row.repeated_min_penalty_multiplier == pytest.approx(np.nan if k is None else k, nan_ok=True)
        d = gt.repeated.min_store_deposit(here).value
        assert row.min_store_deposit == pytest.approx(np.nan if d is None else d, nan_ok=True)
        assert row.continuation_value == pytest.approx(gt.repeated.continuation_value(here))


def test_sweep_repeated_columns_for_a_model_without_a_deposit():
    df = gt.sweep("escrow", grid={"audit_rate": [0.05, 0.5]}, outputs=["repeated"], progress=False)
    assert df["min_store_deposit"].isna().all() and df["min_discount_factor"].notna().all()
