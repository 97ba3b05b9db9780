"""Figures are written to files (Agg backend)."""

import pytest

import gametheory as gt
from gametheory.dynamics import plotting
from gametheory.errors import InvalidParameterError
from tests.dynamics._games import HAND_2X2X2, PENNIES


def test_cube_and_time_series_are_written(tmp_path):
    run = gt.dynamics.simulate(HAND_2X2X2, n_random=4, t_max=10.0, seed=0)
    cube = plotting.plot_cube(run, tmp_path / "cube.png", players=("a", "b", "c"),
                              strategies=(("A1", "A2"), ("B1", "B2"), ("C1", "C2")))
    series = plotting.plot_time_series(run, tmp_path / "series.pdf")
    assert cube.stat().st_size > 1000 and series.stat().st_size > 1000


def test_cube_needs_a_2x2x2_trajectory(tmp_path):
    run = gt.dynamics.simulate(PENNIES, [0.7, 0.5], t_max=1.0)
    with pytest.raises(InvalidParameterError, match="2x2x2"):
        plotting.plot_cube(run, tmp_path / "x.png")
    assert plotting.plot_time_series(run, tmp_path / "t.png").exists()
