"""The numba kernels run interpreted (``gametheory.solvers._interpreted``) give the compiled kernels' answers bit
for bit: the hub-and-spokes kernel on random, degenerate and knife-edge points of every extended model."""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pytest

import gametheory as gt
from gametheory.models.random_points import random_points
from gametheory.solvers import _interpreted
from gametheory.solvers.hub_spokes.solver import KERNEL, _solve_chunk, hub_spokes_batch, hub_spokes_roles

MODELS = ("direct", "escrow", "cash_on_delivery", "self_operated")
#: parameter points with ties (from tests/solvers/test_hub_spokes.py)
TIES = {"direct": {"hunter_share": 0.0}, "escrow": {"false_claim_upheld": 0.0},
        "cash_on_delivery": {"verify_cost": 0.0, "hunter_share": 0.0}, "self_operated": {"hunter_share": 0.0}}


def _parts(batch, flag):
    kernel = _interpreted.interpreted(KERNEL) if flag == "1" else importlib.import_module(KERNEL)
    return _solve_chunk(np.asarray(batch.payoffs, dtype=float), batch.shape, hub_spokes_roles(batch.shape), 1e-9,
                        kernel)


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], list):
            assert len(a[key]) == len(b[key])
            for x, y in zip(a[key], b[key], strict=True):
                np.testing.assert_array_equal(x, y)
        else:
            np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("name", MODELS)
def test_hub_spokes_kernel_interpreted_is_the_compiled_one(name):
    model = gt.models.get(name, variant="extended")
    random = model.batch(**random_points(model, 12, seed=21))
    tied = gt.models.get(name, variant="extended", **TIES[name])
    points = random_points(tied, 6, seed=4)
    for key in TIES[name]:
        points.pop(key)
    for batch in (random, tied.batch(**points), model.batch(penalty_multiplier=[1.0, 4 / 3, 2.0, 5.0, 10.0])):
        compiled = _parts(batch, "0")
        interpreted = _parts(batch, "1")
        _assert_same(compiled, interpreted)
        assert sum(len(p) for p in compiled["profiles"]) >= len(batch)  # something was compared


def test_knife_edge_points_interpreted():
    """k = 2/3 in the direct model: continua and the platform's cut points (see test_hub_spokes.py)."""
    model = gt.models.get("direct", variant="extended")
    batch = model.batch(penalty_multiplier=[2 / 3, 2 / 3, 2 / 3, 1.0], false_claim_upheld=[0.0, 0.25, 1 / 3, 0.5],
                        hunter_share=[0.125, 0.5, 0.0, 0.0])
    compiled = _parts(batch, "0")
    _assert_same(compiled, _parts(batch, "1"))
    assert compiled["degenerate"][:3].all()


def _fresh_process(monkeypatch, seconds_per_game):
    """A process without numba whose interpreted kernel takes ``seconds_per_game`` (a fake clock)."""
    monkeypatch.delenv(_interpreted.VARIABLE, raising=False)
    monkeypatch.setattr(_interpreted, "_SPENT", {"seconds": 0.0, "modules": {}})
    monkeypatch.setattr(_interpreted, "_numba_loaded", lambda: False)
    clock = {"now": 0.0}
    monkeypatch.setattr(_interpreted.time, "thread_time", lambda: clock["now"])
    calls = []

    def solve(kernel, start, stop):
        calls.append((kernel.__name__.endswith("(interpreted)"), start, stop))
        if kernel.__name__.endswith("(interpreted)"):
            clock["now"] += seconds_per_game * (stop - start)
        return stop - start

    return calls, solve


def test_the_expected_work_decides_interpreted_or_compiled(monkeypatch):
    module = KERNEL
    # cheap games (2^-8 s each, 60 of them: 0.23 s interpreted): probed, then interpreted in doubling slices
    calls, solve = _fresh_process(monkeypatch, 2.0**-8)
    assert _interpreted.run_in_parts(module, 60, 8192, solve) == [4, 4, 8, 16, 28]
    assert all(interp for interp, _, _ in calls) and calls[-1][2] == 60
    # the process has spent 0.23 s: 80 more games (0.31 s) would pass LOAD_SECONDS, so they run compiled
    assert _interpreted.run_in_parts(module, 80, 8192, solve) == [80]
    assert calls[-1] == (False, 0, 80)
    # dear games (2^-6 s each, 80: 1.25 s): the probe, then the compiled kernel for the rest
    calls, solve = _fresh_process(monkeypatch, 2.0**-6)
    assert _interpreted.run_in_parts(module, 80, 8192, solve) == [4, 76]
    assert [interp for interp, _, _ in calls] == [True, False]
    # a loop of single-game calls runs interpreted until the process has spent LOAD_SECONDS
    calls, solve = _fresh_process(monkeypatch, 2.0**-6)
    for _ in range(60):
        _interpreted.run_in_parts(module, 1, 1, solve)
    assert sum(interp for interp, _, _ in calls) == 32 == _interpreted.LOAD_SECONDS * 2**6
    # slices never exceed the chunk
    calls, solve = _fresh_process(monkeypatch, 1e-6)
    assert _interpreted.run_in_parts(module, 10, 3, solve) == [3, 3, 3, 1]
    # forced either way, and numba loaded: the compiled kernel
    monkeypatch.setenv(_interpreted.VARIABLE, "1")
    assert _interpreted.run_in_parts(module, 10**4, 8192, solve) == [8192, 1808]
    assert calls[-1][0]
    monkeypatch.setenv(_interpreted.VARIABLE, "0")
    _interpreted.run_in_parts(module, 1, 1, solve)
    assert not calls[-1][0]
    monkeypatch.delenv(_interpreted.VARIABLE)
    monkeypatch.setattr(_interpreted, "_numba_loaded", lambda: True)
    _interpreted.run_in_parts(module, 1, 1, solve)
    assert not calls[-1][0]


def test_a_batch_in_parts_is_the_batch_at_once(monkeypatch):
    """The interpreted probe and the compiled rest: the same solution as one compiled call."""
    model = gt.models.get("escrow", variant="extended")
    batch = model.batch(**random_points(model, 24, seed=5))
    monkeypatch.setenv(_interpreted.VARIABLE, "0")
    whole = hub_spokes_batch(batch)
    calls, _ = _fresh_process(monkeypatch, 0.05)  # a probe, then compiled
    monkeypatch.setattr(_interpreted, "_numba_loaded", lambda: bool(_interpreted._SPENT["modules"]))
    parts = hub_spokes_batch(batch)
    assert _interpreted._SPENT["modules"][KERNEL][0] == _interpreted.PROBE_GAMES
    for name in ("counts", "profiles", "payoffs", "regrets", "complete", "degenerate", "fallback", "component"):
        np.testing.assert_array_equal(getattr(parts, name), getattr(whole, name))


def test_interpreted_module_has_no_numba():
    kernel = _interpreted.interpreted("gametheory.solvers.hub_spokes._kernel")
    assert not hasattr(kernel.solve_games, "py_func")  # a plain function, not a dispatcher
    assert not hasattr(kernel.eliminate, "py_func")  # the shared elimination it imports is interpreted too
    assert kernel.KMAX == 48
    with pytest.raises(AttributeError, match="no interpreted stand-in"):
        _interpreted._NUMBA.typed  # noqa: B018
    with pytest.raises(ImportError):
        _interpreted.interpreted("gametheory.no_such_kernel")
    with pytest.raises(ImportError, match="this package's kernel modules only"):
        _interpreted.interpreted("json")


def test_interpreting_a_kernel_does_not_load_numba():
    code = ("import sys; from gametheory.solvers import _interpreted; "
            "_interpreted.interpreted('gametheory.solvers.hub_spokes._kernel'); print('numba' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
