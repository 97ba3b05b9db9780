"""The numba kernels run interpreted (``gametheory.solvers._interpreted``) give the compiled kernels' answers bit
for bit: the hub-and-spokes kernel on random, degenerate and knife-edge points of every extended model."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import gametheory as gt
from gametheory.models.random_points import random_points
from gametheory.solvers import _interpreted
from gametheory.solvers.hub_spokes.solver import _solve_chunk, hub_spokes_roles

MODELS = ("direct", "escrow", "cash_on_delivery", "self_operated")
#: parameter points with ties (from tests/solvers/test_hub_spokes.py)
TIES = {"direct": {"hunter_share": 0.0}, "escrow": {"false_claim_upheld": 0.0},
        "cash_on_delivery": {"verify_cost": 0.0, "hunter_share": 0.0}, "self_operated": {"hunter_share": 0.0}}


def _parts(batch, monkeypatch, flag):
    monkeypatch.setenv(_interpreted.VARIABLE, flag)
    return _solve_chunk(np.asarray(batch.payoffs, dtype=float), batch.shape, hub_spokes_roles(batch.shape), 1e-9)


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
def test_hub_spokes_kernel_interpreted_is_the_compiled_one(name, monkeypatch):
    model = gt.models.get(name, variant="extended")
    random = model.batch(**random_points(model, 12, seed=21))
    tied = gt.models.get(name, variant="extended", **TIES[name])
    points = random_points(tied, 6, seed=4)
    for key in TIES[name]:
        points.pop(key)
    for batch in (random, tied.batch(**points), model.batch(penalty_multiplier=[1.0, 4 / 3, 2.0, 5.0, 10.0])):
        compiled = _parts(batch, monkeypatch, "0")
        interpreted = _parts(batch, monkeypatch, "1")
        _assert_same(compiled, interpreted)
        assert sum(len(p) for p in compiled["profiles"]) >= len(batch)  # something was compared


def test_knife_edge_points_interpreted(monkeypatch):
    """k = 2/3 in the direct model: continua and the platform's cut points (see test_hub_spokes.py)."""
    model = gt.models.get("direct", variant="extended")
    batch = model.batch(penalty_multiplier=[2 / 3, 2 / 3, 2 / 3, 1.0], false_claim_upheld=[0.0, 0.25, 1 / 3, 0.5],
                        hunter_share=[0.125, 0.5, 0.0, 0.0])
    compiled = _parts(batch, monkeypatch, "0")
    _assert_same(compiled, _parts(batch, monkeypatch, "1"))
    assert compiled["degenerate"][:3].all()


def test_when_the_interpreted_kernel_is_used(monkeypatch):
    monkeypatch.delenv(_interpreted.VARIABLE, raising=False)
    monkeypatch.setitem(_interpreted._SPENT, "games", 0)
    monkeypatch.setattr(_interpreted, "_numba_loaded", lambda: False)
    module = "gametheory.solvers.hub_spokes._kernel"
    # a new process: a few games interpreted, until the process has run 64 that way; then the compiled kernel
    assert _interpreted.kernel_module(module, 40) is _interpreted.interpreted(module)
    assert _interpreted.kernel_module(module, 24) is _interpreted.interpreted(module)
    assert _interpreted.kernel_module(module, 1).__name__ == module
    monkeypatch.setitem(_interpreted._SPENT, "games", 0)
    assert not _interpreted.use_interpreted(65)
    monkeypatch.undo()
    # numba loaded (the compiled tests above): small calls take the compiled kernel too
    import numba  # noqa: F401

    monkeypatch.delenv(_interpreted.VARIABLE, raising=False)
    assert not _interpreted.use_interpreted(1)
    monkeypatch.setenv(_interpreted.VARIABLE, "1")
    assert _interpreted.use_interpreted(10**6)
    monkeypatch.setenv(_interpreted.VARIABLE, "0")
    assert not _interpreted.use_interpreted(1)


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
