"""Tests of the closed-form 2x2 / 2x2x2 solver (single games and vectorised batches)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.closed_form import closed_form, closed_form_batch

DATA = Path(__file__).resolve().parents[1] / "data" / "known_games.json"
ENUMPOLY_MISS = [
    [[[33, 20], [29, 19]], [[45, -48], [29, 26]]],
    [[[25, 36], [-22, -57]], [[-44, 25], [-10, -37]]],
    [[[53, 5], [-6, 21]], [[21, -3], [-48, 2]]],
]


def _known_2x2():
    games = json.loads(DATA.read_text())["games"]
    return [g for g in games if np.shape(g["payoffs"]) == (2, 2, 2)]


@pytest.mark.parametrize("case", _known_2x2(), ids=lambda g: g["name"])
def test_known_2x2_games(case):
    eqs = closed_form(case["payoffs"])
    expected = case["equilibria"]
    assert len(eqs) == len(expected)
    assert all(e.regret <= 1e-9 for e in eqs)
    for want in expected:
        assert sum(e.allclose(want) for e in eqs) == 1
    assert eqs.degenerate == ("extreme points" in case["note"])


def test_enumpoly_miss_game_fully_mixed():
    eqs = closed_form(ENUMPOLY_MISS)
    assert len(eqs) == 1
    assert eqs[0].regret <= 1e-9
    np.testing.assert_allclose([v[0] for v in eqs[0].profile], [0.2559, 0.5941, 0.8405], atol=5e-5)


def test_all_equal_is_degenerate_cube():
    sol = closed_form_batch(gt.GameBatch(np.zeros((1, 3, 2, 2, 2))))
    assert sol.counts.tolist() == [8]
    assert sol.degenerate.tolist() == [True]
    assert set(sol.component[0].tolist()) == {0}


def test_random_batches_regret():
    rng = np.random.default_rng(1)
    for shape in [(2, 2, 2), (3, 2, 2, 2)]:
        sol = gt.solve_batch(gt.GameBatch(rng.normal(size=(5000, *shape))))
        assert (sol.counts >= 1).all()
        assert np.nanmax(sol.regrets) <= 1e-9
