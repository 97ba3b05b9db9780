"""The smallest discount factor: the folk theorem of the prisoner's dilemma, the direct model with W = 0, and
the closed forms against a simulation of the repeated game."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError


def prisoners_dilemma(**values):
    """The prisoner's dilemma with symbolic reward R, sucker S, temptation T and punishment P (T > R > P > S)."""
    return gt.models.from_table(
        ["row", "col"], [["C", "D"], ["C", "D"]],
        {"C,C": ["R", "R"], "C,D": ["S", "T"], "D,C": ["T", "S"], "D,D": ["P", "P"]},
        {"R": 3, "S": 0, "T": 5, "P": 1}, name="prisoners_dilemma").with_params(**values)


@dataclass(frozen=True)
class PDCase:
    R: float
    S: float
    T: float
    P: float


PD_CASES = [
    pytest.param(PDCase(3, 0, 5, 1), id="axelrod_1984_3_0_5_1"),
    pytest.param(PDCase(2, -1, 3, 0), id="textbook_2_-1_3_0"),
    pytest.param(PDCase(10, 0, 11, 1), id="mild_temptation"),
]


@pytest.mark.parametrize("case", PD_CASES)
def test_prisoners_dilemma_folk_threshold(case):
    pd = prisoners_dilemma(R=case.R, S=case.S, T=case.T, P=case.P)
    res = gt.repeated.grim_trigger(pd, player="row", cooperate=("C", "C"), deviation="D", punishment=("D", "D"))
    assert res.sustainable and res.verified
    assert res.value == pytest.approx((case.T - case.R) / (case.T - case.P), rel=1e-12)
    R, T, P = sympy.symbols("R T P", real=True)
    assert sympy.simplify(res.formula - (T - R) / (T - P)) == 0


def test_prisoners_dilemma_vectorised_over_points_and_symmetric():
    pd = prisoners_dilemma()
    temptation = np.linspace(3.5, 9.0, 12)
    res = gt.repeated.grim_trigger(pd, player="col", cooperate=("C", "C"), deviation="D", punishment=("D", "D"),
                                   points={"T": temptation})
    assert res.shape == (12,)
    np.testing.assert_allclose(res.value, (temptation - 3) / (temptation - 1), rtol=1e-12)
    assert res.verified.all()


def test_prisoners_dilemma_without_temptation_needs_no_future():
    res = gt.repeated.grim_trigger(prisoners_dilemma(T=2.5), player="row", cooperate=("C", "C"), deviation="D",
                                   punishment=("D", "D"))
    assert res.value == 0.0 and "single period" in res.reason


def _direct_by_hand(m):
    """delta* of the direct model from its event table, written out by hand (an independent check)."""
    p, phi, pi, cg, cf = m.price, m.commission, m.premium, m.cost_genuine, m.cost_counterfeit
    pen = min(m.penalty_multiplier * p, m.deposit)
    fine = min(m.fine, m.deposit - pen)
    audit = m.audit_detection * m.audit_rate
    claim = m.detection_prob * m.claim_upheld * m.verify_rate
    detection = 1 - (1 - audit) * (1 - claim)
    honest = p * (1 - phi) - pi - cg - m.deposit_capital_cost * m.deposit   # the deposit's capital cost
    gain = cg - cf - audit * (pen + fine) - (1 - audit) * claim * pen - detection * m.delisting_loss
    return max(0.0, gain / (gain + detection * honest)), gain, detection, honest


@pytest.mark.parametrize("params", [
    {},
    {"verify_rate": 0.0},
    {"verify_rate": 0.3, "audit_rate": 0.2, "penalty_multiplier": 1.0},
    {"deposit": 100.0, "audit_rate": 0.5},
    {"cost_counterfeit": 0.0, "price": 80.0},
], ids=["defaults", "no_verification", "more_monitoring", "small_deposit", "cheap_fake"])
def test_direct_model_with_no_exogenous_delisting_loss(params):
    m = gt.models.get("direct", delisting_loss=0.0, **params)
    res = gt.repeated.min_discount_factor(m)
    expected, gain, detection, honest = _direct_by_hand(m)
    assert gain > 0 and detection > 0 and honest > 0
    assert res.sustainable and res.verified
    assert res.value == pytest.approx(expected, rel=1e-12)


def test_an_exogenous_delisting_loss_lowers_the_threshold():
    m = gt.models.get("direct")
    values = gt.repeated.min_discount_factor(m, points={"delisting_loss": [0.0, 50.0, 200.0, 500.0]}).value
    assert np.all(np.diff(values) < 0) and values[-1] == 0.0


def test_vectorised_points_equal_one_scenario_at_a_time():
    m = gt.models.get("direct")
    grid = {"verify_rate": np.linspace(0, 1, 7)[:, None], "penalty_multiplier": np.array([0.0, 1.0, 2.0, 6.0])}
    res = gt.repeated.min_discount_factor(m, points=grid)
    assert res.shape == (7, 4)
    for i, v in enumerate(grid["verify_rate"][:, 0]):
        for j, k in enumerate(grid["penalty_multiplier"]):
            one = gt.repeated.min_discount_factor(m.with_params(verify_rate=v, penalty_multiplier=k))
            assert one.sustainable == res.sustainable[i, j]
            assert (one.value if one.value is not None else np.nan) == pytest.approx(res.value[i, j], nan_ok=True)
            assert one.reason == res.reason[i, j]


def test_reasons_where_honest_selling_cannot_be_sustained():
    m = gt.models.get("direct")
    never = gt.repeated.min_discount_factor(m.with_params(verify_rate=0.0, audit_rate=0.0))
    assert never.value is None and not never.sustainable and "P = 0" in never.reason
    losing = gt.repeated.min_discount_factor(m.with_params(cost_genuine=95.0))   # pi_H = 95 - 2 - 95 < 0
    assert losing.value is None and "pi_H <= pi_0" in losing.reason
    assert never.verified and losing.verified      # a deviation pays even at delta = 1 - 1e-9
    arr = gt.repeated.min_discount_factor(m, points={"verify_rate": [0.0, 0.1], "audit_rate": [0.0, 0.05]})
    assert np.isnan(arr.value[0]) and not arr.sustainable[0] and arr.sustainable[1]


def test_other_models_and_bad_input():
    for name in ("escrow", "cash_on_delivery"):
        res = gt.repeated.min_discount_factor(gt.models.get(name))
        assert res.sustainable and 0 < res.value < 1 and res.verified
    with pytest.raises(InvalidParameterError, match="core payment model with a seller"):
        gt.repeated.min_discount_factor(gt.models.get("self_operated"))
    with pytest.raises(InvalidParameterError, match="core payment model"):
        gt.repeated.min_discount_factor(gt.models.get("direct", variant="extended"))
    with pytest.raises(InvalidParameterError, match="must not hold the searched parameter 'discount_factor'"):
        gt.repeated.min_discount_factor(gt.models.get("direct"), points={"discount_factor": [0.5]})
    with pytest.raises(InvalidParameterError, match="'verify_rate' parameter of direct must be a float in"):
        gt.repeated.min_discount_factor(gt.models.get("direct"), points={"verify_rate": [1.5]})
    with pytest.raises(InvalidParameterError, match="'discount_factor' parameter of direct must be a float in"):
        gt.models.get("direct", discount_factor=1.0)


def test_continuation_value_makes_the_delisting_loss_endogenous():
    m = gt.models.get("direct")
    delta_star = gt.repeated.min_discount_factor(m).value
    for delta in (delta_star - 0.02, delta_star + 0.02):
        stage = gt.repeated.with_continuation_value(m.with_params(discount_factor=delta))
        assert stage.delisting_loss == pytest.approx(delta / (1 - delta) * 32.0)   # 95 - 2 - 60 - 0.002 * 500
        # the one-shot seller facing the monitoring: deterred exactly when the repeated game sustains honesty
        table = stage.game().payoffs[0]
        sv, sa = stage.verify_rate, stage.audit_rate
        weights = np.outer([1 - sv, sv], [1 - sa, sa])
        gain = float((weights * (table[1] - table[0])).sum())
        assert (gain <= 0) == (delta >= delta_star)


def test_closed_forms_against_simulation_of_the_repeated_game():
    m = gt.models.get("direct")
    delta_star = gt.repeated.min_discount_factor(m).value
    for delta, honest_wins in ((delta_star - 0.04, False), (delta_star + 0.04, True)):
        here = m.with_params(discount_factor=delta)
        periods = int(np.ceil(np.log(1e-9) / np.log(delta)))
        honest = gt.repeated.simulate_repeated(here, strategy="honest", runs=200, periods=periods, seed=1)
        once = gt.repeated.simulate_repeated(here, strategy="deviate_once", runs=40_000, periods=periods, seed=2)
        always = gt.repeated.simulate_repeated(here, strategy="always_counterfeit", runs=40_000, periods=periods,
                                               seed=3)
        pi_h, pi_c, p = 32.0, 51.71, 0.0952
        v_h = pi_h / (1 - delta)
        assert honest.mean == pytest.approx(v_h, rel=1e-6)
        assert abs(once.mean - (pi_c + delta * (1 - p) * v_h)) < 4 * once.stderr
        assert abs(always.mean - pi_c / (1 - delta * (1 - p))) < 4 * always.stderr
        # the simulated comparison decides as the closed form does (the gap is many standard errors wide)
        assert (honest.mean > once.mean + 4 * once.stderr) == honest_wins
        assert (honest.mean > always.mean + 4 * always.stderr) == honest_wins
