"""deterrence_set: the exact set, its three thresholds, and the issue's cases re-checked with gt.solve."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import gametheory as gt
from gametheory.deterrence import Criterion, DeterrenceSet, Interval, register_criterion
from gametheory.deterrence.criteria import CRITERIA
from gametheory.errors import InvalidParameterError
from tests.deterrence._recheck import deciding_rate

# the scenarios (parameter values copied from it)
WINDOW_THEN_RELAPSE = dict(detection_prob=0.3395, verify_cost=18.5598, audit_cost=4.077, audit_detection=0.4,
                           fine=95.3699, reputation_loss=87.9803, deposit=644.6, insurance_cover=0.099)
WINDOW_ONLY = dict(detection_prob=0.7759, verify_cost=19.2765, audit_cost=1.6912, audit_detection=0.3507,
                   fine=44.2903, reputation_loss=52.679, deposit=137.7658, insurance_cover=0.9227)


def holds(model, k, target):
    return deciding_rate(model.with_params(penalty_multiplier=k)) <= target + 1e-9


def test_direct_rate_0075_window_then_new_equilibria():
    direct = gt.models.get("direct")
    eqs = gt.solve(direct.with_params(penalty_multiplier=0.35).game())
    assert len(eqs) == 1
    assert direct.with_params(penalty_multiplier=0.35).outcomes(eqs[0])["counterfeit_rate"] == pytest.approx(0.075)
    s = gt.deterrence.deterrence_set(direct, target_rate=0.08)
    assert [str(iv) for iv in s.intervals] == ["(0.3, 0.3692076939)", "[0.6844525393, 100]"]
    assert s.smallest == pytest.approx(0.3) and s.robust == pytest.approx(0.6844525393)
    assert not s.monotone and s.exact
    # the solver agrees on both sides of every end
    for k, expected in [(0.3 - 1e-6, False), (0.3 + 1e-6, True), (0.369 - 1e-4, True), (0.3692076939 + 1e-6, False),
                        (0.5, False), (0.6844525393 - 1e-6, False), (0.6844525393 + 1e-6, True), (50.0, True)]:
        assert holds(direct, k, 0.08) is expected, k
    res = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.08)
    assert res.threshold == pytest.approx(0.3) and res.robust_threshold == pytest.approx(0.6844525393)
    assert res.monotone is False and "not monotone" in res.reason
    assert res.deterrence_set == s


def test_narrow_bounds_say_the_answer_depends_on_them():
    res = gt.deterrence.min_penalty_multiplier(gt.models.get("direct"), target_rate=0.08, bounds=(0.3, 0.36))
    assert res.threshold == pytest.approx(0.3) and res.monotone
    assert "depends on the bounds" in res.reason and "0.684453" in res.reason


@pytest.mark.parametrize("method", ["closed_form", "search", "auto"])
def test_closed_form_search_and_points_agree_on_the_window_then_relapse(method):
    model = gt.models.get("direct", **WINDOW_THEN_RELAPSE)
    res = gt.deterrence.min_penalty_multiplier(model, target_rate=0.1, method=method)
    assert res.threshold == pytest.approx(0.046301, abs=1e-6)
    assert res.robust_threshold == pytest.approx(6.316145514, rel=1e-8)
    many = gt.deterrence.threshold_map(
        gt.models.get("direct", **{k: v for k, v in WINDOW_THEN_RELAPSE.items() if k != "deposit"}),
        target_rate=0.1, points={"deposit": np.array([644.6, 644.6])}, method=method)
    assert many.threshold == pytest.approx([res.threshold] * 2, rel=1e-9)
    assert many.robust_threshold == pytest.approx([res.robust_threshold] * 2, rel=1e-9)
    assert not many.monotone.any() and "not monotone" in many.reason
    assert not holds(model, 0.0463, 0.1) and holds(model, 0.0464, 0.1)
    assert not holds(model, 6.31, 0.1) and holds(model, 6.32, 0.1)


def test_a_window_the_coarse_grid_stepped_over():
    model = gt.models.get("direct", **WINDOW_ONLY)
    res = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05)
    assert res.feasible and res.threshold == pytest.approx(0.6976729909, rel=1e-8)
    assert res.robust_threshold is None and not res.monotone
    assert [str(iv) for iv in res.deterrence_set.intervals] == ["(0.6976729909, 0.9399769421]"]
    assert holds(model, 0.8, 0.05) and not holds(model, 0.69, 0.05) and not holds(model, 0.95, 0.05)


def test_cash_on_delivery_rate_not_monotone():
    # the numbers (0.1139 at k = 4 above 0.1128 at k = 1) counted every fake the seller ships; the model
    # now counts those that reach a buyer, (1 - q0)(1 - rho) = 0.665 of them: the same shape, scaled
    cod = gt.models.get("cash_on_delivery")
    assert deciding_rate(cod.with_params(penalty_multiplier=4)) == pytest.approx(0.1139 * 0.665, abs=1e-4)
    assert deciding_rate(cod.with_params(penalty_multiplier=1)) == pytest.approx(0.1128 * 0.665, abs=1e-4)
    res = gt.deterrence.min_penalty_multiplier(cod, target_rate=0.0752)
    assert res.threshold == 0.0 and not res.monotone and "not monotone" in res.reason
    s = res.deterrence_set
    assert s.describe() == "[0, 3.773353642) U [4.800054906, 100]"
    assert not holds(cod, 4.0, 0.0752) and holds(cod, 3.77, 0.0752) and holds(cod, 4.81, 0.0752)


@pytest.mark.slow
def test_extended_direct_no_trade_is_not_deterrence():
    ext = gt.models.get("direct", variant="extended")
    s = gt.deterrence.deterrence_set(ext, target_rate=0.05, bounds=(0.0, 0.15))
    assert s.no_trade and 0.0 in s.no_trade[0]
    assert 0.0 not in s and "nothing is sold" in s.note


def test_any_policy_parameter_and_the_declared_cap(direct):
    for parameter in ("deposit", "fine", "audit_detection", "insurance_cover", "audit_cost"):
        s = gt.deterrence.deterrence_set(direct, parameter, target_rate=0.03)
        assert s.parameter == parameter
        for piece in s.pieces:
            value = 0.5 * (piece.lower + piece.upper)
            rate = deciding_rate(direct.with_params(**{parameter: value}))
            assert (rate <= 0.03 + 1e-9) == (piece.status == "holds"), (parameter, piece)
    assert direct.CAPS == {"deposit": ("penalty_multiplier", "penalty_multiplier * price")}
    res = gt.deterrence.min_penalty_multiplier(direct, target_rate=0.01)
    assert not res.feasible and "deposit caps the penalty" in res.reason
    assert res.min_deposit == pytest.approx(644.4444444, rel=1e-6)


def test_the_set_is_frozen_and_serialisable(direct):
    s = gt.deterrence.deterrence_set(direct, target_rate=0.05, bounds=(0.0, 10.0))
    assert isinstance(s, DeterrenceSet)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.smallest = 1.0  # type: ignore[misc]
    data = json.loads(json.dumps(s.as_dict()))
    assert data["smallest"] == pytest.approx(8 / 9) and data["monotone"] is True
    assert len(data["pieces"]) == len(s.pieces) == len(s.breakpoints) + 1
    assert all(p.confirmed for p in s.pieces)
    assert 1.0 in s and 0.5 not in s
    iv = Interval(1.0, 2.0, closed_lower=False, closed_upper=True)
    assert 1.0 not in iv and 2.0 in iv and str(iv) == "(1, 2]"


def test_other_criteria(direct):
    some = gt.deterrence.deterrence_set(direct, target_rate=0.05, criterion="some_equilibrium", bounds=(0, 10))
    every = gt.deterrence.deterrence_set(direct, target_rate=0.05, bounds=(0, 10))
    assert some.smallest <= every.smallest
    stable = gt.deterrence.deterrence_set(direct, target_rate=0.05, criterion="stable_states", bounds=(0, 10))
    assert stable.exact and stable.empty  # the deciding play is mixed: no strict equilibrium deters


def test_a_registered_criterion_is_used_everywhere(direct):
    def from_two(model, values, tol):  # deters from k = 2 on: a criterion none of the formulas know
        k = np.asarray(values["penalty_multiplier"])
        return np.where(k >= 2.0, 0.0, 1.0), np.ones(k.shape)

    register_criterion(Criterion("test_from_two", "rate 0 from k = 2", from_two))
    try:
        s = gt.deterrence.deterrence_set(direct, target_rate=0.0, criterion="test_from_two", bounds=(0.0, 5.0))
        assert not s.exact and s.smallest == pytest.approx(2.0, abs=1e-9) and s.monotone
        res = gt.deterrence.min_penalty_multiplier(direct, criterion="test_from_two", bounds=(0.0, 5.0))
        assert res.threshold == pytest.approx(2.0, abs=1e-9)
        with pytest.raises(InvalidParameterError, match="new name"):
            register_criterion(Criterion("test_from_two", "again", from_two))
    finally:
        CRITERIA._items.pop("test_from_two")
    with pytest.raises(InvalidParameterError, match="'criterion' parameter of deterrence_set"):
        gt.deterrence.deterrence_set(direct, criterion="test_from_two")


def test_bad_input(direct):
    with pytest.raises(InvalidParameterError, match="Unknown parameter of model 'direct' 'k'"):
        gt.deterrence.deterrence_set(direct, "k")
    with pytest.raises(InvalidParameterError, match="'bounds' parameter of deterrence_set"):
        gt.deterrence.deterrence_set(direct, bounds=(3, 1))
    with pytest.raises(InvalidParameterError, match="'target_rate' parameter"):
        gt.deterrence.deterrence_set(direct, target_rate=2)
