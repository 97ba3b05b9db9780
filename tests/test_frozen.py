"""Frozen results compare by value: a pickle round trip (how the process and Dask backends move results) gives an
equal result, and a result that differs in one field is not equal."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory._frozen import values_equal
from gametheory.solvers.extensive.backward_induction import backward_induction
from tests._trees import entry_deterrence

BOS = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
COORDINATION = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])


RESULTS: dict[str, Callable[[], Any]] = {
    "Equilibria": lambda: gt.solve(BOS),
    "Equilibria (exact)": lambda: gt.solve(BOS.to_exact(), method="support_enumeration"),
    "BatchSolution": lambda: gt.solve_batch(gt.GameBatch([BOS.payoffs, COORDINATION.payoffs])),
    "ThresholdResult": lambda: gt.deterrence.min_penalty_multiplier(gt.models.get("escrow"), target_rate=0.05),
    "ThresholdMap": lambda: gt.deterrence.threshold_map(
        gt.models.get("escrow"), target_rate=0.05, points={"detection_prob": [0.5, 0.9]}),
    "DeterrenceSet": lambda: gt.deterrence.deterrence_set(gt.models.get("escrow"), target_rate=0.05),
    "BackwardInductionResult": lambda: backward_induction(entry_deterrence()),
    "Trajectory": lambda: gt.dynamics.simulate(COORDINATION, [[0.9, 0.1, 0.9, 0.1]], t_max=5.0),
    "RestPoints": lambda: gt.dynamics.rest_points(COORDINATION),
    "StabilityAnalysis": lambda: gt.dynamics.analyze(COORDINATION),
    "BatchStability": lambda: gt.dynamics.classify_batch(gt.GameBatch([COORDINATION.payoffs])),
    "Basins": lambda: gt.dynamics.basins(COORDINATION, points=5),
    "LogitQRE": lambda: gt.qre.logit(BOS, 0.5),
    "LogitFit": lambda: gt.qre.fit(gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]), [[30, 70], [30, 70]]),
    "RepeatedThreshold": lambda: gt.repeated.min_discount_factor(
        gt.models.get("direct"), points={"verify_rate": [0.0, 0.1]}),
    "SimulationResult": lambda: gt.repeated.simulate_repeated(gt.models.get("direct"), strategy="honest", runs=10,
                                                              seed=0),
    "LogitPath": lambda: gt.qre.logit_path(BOS),
    "PolicyOptimum (a DataFrame field)": lambda: gt.policy.optimize(
        gt.models.get("direct"), "platform_profit", over={"penalty_multiplier": (0.0, 5.0)},
        constraints={"counterfeit_rate": "<= 0.02"}, resolution=5, refine=1),
    "WindowResult": lambda: gt.deterrence.deterrence_window(gt.models.get("direct", variant="extended")),
    "CornerConditions": lambda: gt.dynamics.corner_conditions(gt.models.get("escrow")),
    "CommitmentResult": lambda: gt.policy.commitment(gt.models.get("direct", verify_cost=60, fine_to_platform=0)),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_a_pickle_round_trip_gives_an_equal_result(name: str) -> None:
    result = RESULTS[name]()
    back = pickle.loads(pickle.dumps(result))
    assert back is not result
    assert back == result and result == back
    assert (back != result) is False


def test_equilibria_differ_when_a_member_or_an_attribute_differs() -> None:
    eqs = gt.solve(BOS)
    assert eqs == list(eqs)  # still equal to a plain list of its members
    assert eqs != eqs.replace(message="other")
    assert eqs[:2] != list(eqs)
    moved = gt.Equilibrium.from_profile(BOS, [[0.5, 0.5], [0.5, 0.5]])
    assert eqs[0] != moved and eqs[0] == pickle.loads(pickle.dumps(eqs[0]))


def test_a_result_with_a_changed_array_is_not_equal() -> None:
    sol = gt.solve_batch(gt.GameBatch([BOS.payoffs, COORDINATION.payoffs]))
    state = sol.__dict__ | {"regrets": sol.regrets + 1e-3}
    other = type(sol)(**state)
    assert other != sol


@pytest.mark.parametrize("a, b, equal", [
    (np.array([1.0, np.nan]), np.array([1.0, np.nan]), True),
    (np.array([1, 2]), np.array([1, 2, 3]), False),
    (np.array([True]), np.array([False]), False),
    (float("nan"), float("nan"), True),
    ((1, [2.0, {"a": np.zeros(2)}]), (1, [2.0, {"a": np.zeros(2)}]), True),
    ({"a": 1}, {"b": 1}, False),
    ((1, 2), [1, 2], False),
    (pd.DataFrame({"x": [1.0, np.nan]}), pd.DataFrame({"x": [1.0, np.nan]}), True),
    (pd.DataFrame({"x": [1.0]}), pd.DataFrame({"x": [2.0]}), False),
    (np.zeros(2), [0.0, 0.0], False),
])
def test_values_equal(a: Any, b: Any, equal: bool) -> None:
    assert values_equal(a, b) is equal
