"""The report's deposit section: k* is the smallest value of the exact set, marked where it is not robust."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.reports.sections.base import Context
from gametheory.reports.sections.deposit import claims, compute


@pytest.fixture(scope="module")
def tables():
    # the direct defaults at target 0.08 deter on (0.3, 0.369) U [0.6845, 100]: smallest 0.3, robust 0.6845
    context = Context(models={"direct": gt.models.get("direct")}, params={}, target_rate=0.08, resolution=5)
    return compute(context)


def test_the_scenario_threshold_is_the_smallest_and_says_it_is_not_robust(tables):
    scen = tables["deposit_threshold"].iloc[0]
    assert scen["threshold_penalty_multiplier"] == pytest.approx(0.3)
    assert scen["robust_penalty_multiplier"] == pytest.approx(0.6844525393, rel=1e-9)
    assert not scen["monotone"]
    text = " ".join(c.text for c in claims(tables, {"target_rate": 0.08}))
    assert "k* = 0.3" in text and "It is not robust" in text and "0.6845" in text


def test_the_threshold_map_carries_the_robust_value_and_the_mark(tables):
    k_map = tables["threshold_map"]
    assert {"threshold_penalty_multiplier", "robust_penalty_multiplier", "monotone_penalty_multiplier"} <= set(k_map)
    bumpy = int((~k_map["monotone_penalty_multiplier"].astype(bool)).sum())
    assert 0 < bumpy < len(k_map)
    text = " ".join(c.text for c in claims(tables, {"target_rate": 0.08}))
    assert f"At {bumpy} of {len(k_map)} points of the k* map the smallest deterring multiplier is not robust" in text
    for row in k_map.itertuples(index=False):
        model = gt.models.get("direct", deposit=row.deposit, detection_prob=row.detection_prob)
        s = gt.deterrence.deterrence_set(model, target_rate=0.08)
        if s.smallest is None:
            assert np.isnan(row.threshold_penalty_multiplier)
        else:
            assert row.threshold_penalty_multiplier == pytest.approx(s.smallest, rel=1e-9)
        assert bool(row.monotone_penalty_multiplier) == s.monotone
