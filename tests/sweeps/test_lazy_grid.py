"""Chunks and their points are generated lazily: memory follows the chunk size, whatever the grid size.

The issue's cases: five axes of 10^6 values (10^30 points) were killed at 23.6 GB before writing a row, and
10^6 x 10^6 axes took 4.9 GB, because every chunk was listed up front and every axis held whole.
"""

import itertools
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gametheory.sweeps.grid import ChunkPlan, chunk_points, chunks, grid_indices
from gametheory.sweeps.run import _execute
from gametheory.sweeps.spec import Axis, SweepSpec

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))


def _huge(n_axes, values, chunk_size=50_000):
    names = ("deposit", "penalty_multiplier", "detection_prob", "price", "escrow_cost")[:n_axes]
    axes = {n: {"linspace": [0.0, 1.0, values]} for n in names}
    return SweepSpec(models=("alpha",), fixed={}, axes=tuple(Axis.from_definition(n, d) for n, d in axes.items()),
                     chunk_size=chunk_size)


@pytest.mark.parametrize(("n_axes", "values"), [(5, 10**6), (2, 10**6)], ids=["five_axes_of_1e6", "1e6_x_1e6"])
def test_a_huge_grid_costs_memory_of_one_chunk(n_axes, values):
    tracemalloc.start()
    try:
        spec = _huge(n_axes, values)
        plan = chunks(spec)
        assert plan.count == -(-values**n_axes // 50_000)
        last = plan[-1]
        assert last.stop == values**n_axes
        first_points = chunk_points(spec, next(iter(plan)))
        last_points = chunk_points(spec, last)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20e6  # one chunk of five float64 columns is 2 MB; the grid would be 10^30 points
    assert all(v[0] == 0.0 for v in first_points.values())
    assert all(v[-1] == 1.0 for v in last_points.values())  # the very last point: every axis at its end


class _Enough(Exception):
    pass


def test_a_sweep_of_1e12_points_runs_in_bounded_memory():
    spec = _huge(2, 10**6, chunk_size=20_000)
    seen = []

    def task(chunk):
        pts = chunk_points(spec, chunk)
        return pd.DataFrame({"point": np.arange(chunk.start, chunk.stop), **pts})

    def sink(index, frame):
        seen.append((index, len(frame)))
        if len(seen) == 5:
            raise _Enough

    tracemalloc.start()
    try:
        with pytest.raises(_Enough):
            _execute(spec, None, resume=False, overwrite=False, backend="inprocess", workers=None,
                     scheduler=None, progress="off", task=task, sink=sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == [(i, 20_000) for i in range(5)]
    assert peak < 30e6


@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 1, 5), (7, 3, 2, 5)])
def test_grid_indices_equal_numpy_unravel_index(shape):
    total = int(np.prod(shape))
    for start, size in itertools.product(range(total), (1, 4, total)):
        size = min(size, total - start)
        expected = np.unravel_index(np.arange(start, start + size), shape)
        got = grid_indices(shape, start, size)
        assert len(got) == len(shape)
        for a, b in zip(got, expected, strict=True):
            assert np.array_equal(a, b)


def test_grid_indices_beyond_int64():
    shape = (10**6,) * 5
    start = 10**30 - 3
    got = grid_indices(shape, start, 3)
    assert [g.tolist() for g in got] == [[999_999] * 3] * 4 + [[999_997, 999_998, 999_999]]


@pytest.mark.parametrize("definition", [
    {"linspace": [0, 10, 201]}, {"linspace": [5, -3, 7]}, {"linspace": [0.1, 0.7, 1]}, {"linspace": [2, 2, 4]},
    {"logspace": [1, 5, 500]}, {"logspace": [-3, 3, 2]}, {"linspace": [0.2, 0.9, 1_000_003]},
], ids=lambda d: f"{next(iter(d))}{next(iter(d.values()))}")
def test_a_spaced_axis_computes_numpys_values_bit_for_bit(definition):
    kind, (a, b, n) = next(iter(definition.items()))
    expected = getattr(np, kind)(a, b, n)
    axis = Axis.from_definition("x", definition)
    assert axis.held is None  # never held whole
    assert np.array_equal(axis.values, expected)
    picks = np.array(sorted({0, n // 3, n - 1}))
    assert np.array_equal(axis.take(picks), expected[picks])
    assert np.array_equal(axis.extremes, [expected.min(), expected.max()])


def test_a_chunk_plan_behaves_as_the_list_it_replaces():
    plan = ChunkPlan(["a", "b"], 10, 4)
    listed = list(plan)
    assert len(plan) == len(listed) == 6
    assert [(c.model, c.start, c.stop) for c in listed] == [("a", 0, 4), ("a", 4, 8), ("a", 8, 10),
                                                            ("b", 0, 4), ("b", 4, 8), ("b", 8, 10)]
    assert plan[-1] == listed[-1] and plan[1:3] == listed[1:3] and plan[4] in plan
    with pytest.raises(IndexError):
        plan[6]
