"""The sweep's cost estimate (gametheory/sweeps/cost.py) counts what the sweep computes: the games, and the costlier
outputs (``threshold`` per method, ``logit``), so that refusing too-big work up front refuses the right sweeps."""

from __future__ import annotations

import time

import pytest

import gametheory as gt
from gametheory import limits
from gametheory.errors import LimitError
from gametheory.sweeps import SweepSpec
from gametheory.sweeps.cost import check_cost, sweep_seconds, threshold_point_seconds


def _spec(method: str | None, *, points: int = 12, variant: str = "core", axes: dict | None = None,
          outputs: tuple[str, ...] = ("equilibria",)) -> SweepSpec:
    data: dict = {"model": "direct", "variant": variant, "outputs": list(outputs),
                  "axes": axes or {"deposit": {"logspace": [1, 3.5, points]}}}
    if method is not None:
        data["outputs"].append("threshold")
        data["threshold"] = {"method": method, "target_rate": 0.02}
    return SweepSpec.from_dict(data)


def test_the_threshold_output_is_costed_per_method():
    plain = sweep_seconds(_spec(None, points=1000))
    search = sweep_seconds(_spec("search", points=1000))
    auto = sweep_seconds(_spec("auto", points=1000))
    # the exact set at every point (tens of ms each) vs one closed-form pass over the points
    assert search == pytest.approx(plain + 1000 * (limits.THRESHOLD_SET_SECONDS + limits.THRESHOLD_SET_GAMES * 2e-6))
    assert search > 1000 * plain
    assert auto == pytest.approx(plain + 1000 * limits.THRESHOLD_FORMULA_SECONDS)


def test_auto_costs_the_exact_set_where_no_closed_form_applies():
    extended = gt.models.get("direct", variant="extended")  # 3x4x2x2: no closed form, auto runs the exact set
    assert threshold_point_seconds(extended, {"method": "auto"}) == threshold_point_seconds(
        extended, {"method": "search"}) > 1.0
    assert threshold_point_seconds(extended, {"method": "closed_form"}) == limits.THRESHOLD_FORMULA_SECONDS
    core = gt.models.get("direct")  # a criterion not decided by a Nash rate has no closed form either
    assert threshold_point_seconds(core, {"method": "auto", "criterion": "stable_states"}) == pytest.approx(
        limits.THRESHOLD_SET_SECONDS + limits.THRESHOLD_SET_GAMES * 2e-6)


def test_a_threshold_over_its_own_parameter_only_is_one_per_chunk():
    """With the searched parameter the only axis the other parameters are fixed: one threshold per chunk."""
    axes = {"penalty_multiplier": {"linspace": [0, 10, 5000]}}
    spec = SweepSpec.from_dict({"model": "direct", "axes": axes, "outputs": ["equilibria", "threshold"],
                                "threshold": {"method": "search"}, "chunk_size": 1000})
    per_point = sweep_seconds(_spec(None, axes=axes))
    assert sweep_seconds(spec) == pytest.approx(per_point + 5 * threshold_point_seconds(
        gt.models.get("direct"), {"method": "search"}))


def test_an_exact_threshold_sweep_too_large_is_refused_up_front():
    spec = _spec("search", points=30_000)  # 30,000 exact sets: about 15 min, estimated 900 s
    with pytest.raises(LimitError, match="30,000 points.*estimated work is"):
        check_cost(spec, in_memory=False, backend="inprocess", workers=None, scheduler=None, max_seconds=None)
    check_cost(_spec("auto", points=30_000), in_memory=False, backend="inprocess", workers=None, scheduler=None,
               max_seconds=None)  # the closed form: well under a second


def test_the_search_estimate_is_within_a_few_times_the_measured_work():
    """Calibration of the threshold's cost model on a small spec (CPU seconds of this process, so that other
    processes on the machine do not count; one warm-up run first: the derivations are cached on first use)."""
    gt.sweep(_spec("search", points=2), progress=False)
    spec = _spec("search", points=12)
    start = time.process_time()
    df = gt.sweep(spec, progress=False)
    measured = time.process_time() - start
    assert df["threshold_penalty_multiplier"].notna().any()  # it computed thresholds
    assert measured / 5 <= sweep_seconds(spec) <= 5 * measured, (sweep_seconds(spec), measured)


def test_the_logit_output_is_costed_by_game_size():
    outputs = ("equilibria", "logit")
    core, extended = (_spec(None, points=100, variant=v) for v in ("core", "extended"))
    assert sweep_seconds(_spec(None, points=100, outputs=outputs)) == pytest.approx(
        sweep_seconds(core) + 100 * limits.LOGIT_POINT_SECONDS)
    assert sweep_seconds(_spec(None, points=100, variant="extended", outputs=outputs)) == pytest.approx(
        sweep_seconds(extended) + 100 * limits.LOGIT_LARGE_POINT_SECONDS)
