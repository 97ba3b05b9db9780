"""Backends agree row for row: in-process, local processes and Dask (a LocalCluster started by the test)."""

import pandas as pd
import pytest

import gametheory as gt

GRID = {"penalty_multiplier": {"linspace": [0, 6, 7]}, "deposit": {"logspace": [1, 3, 4]},
        "detection_prob": [0.3, 0.9]}
OUTPUTS = ["equilibria", "counterfeit", "welfare"]


@pytest.fixture(scope="module")
def reference():
    return gt.sweep("direct", grid=GRID, outputs=OUTPUTS, chunk_size=9,
                    progress=False)


def test_processes_agree_row_for_row(reference):
    other = gt.sweep("direct", grid=GRID, outputs=OUTPUTS, chunk_size=9, backend="processes", workers=2,
                     progress=False)
    pd.testing.assert_frame_equal(reference, other)


def test_dask_local_cluster_agrees_row_for_row(reference, tmp_path):
    pytest.importorskip("dask.distributed")
    other = gt.sweep("direct", grid=GRID, outputs=OUTPUTS, chunk_size=9, backend="dask", workers=2,
                     out=tmp_path / "dask", progress=False)
    pd.testing.assert_frame_equal(reference, other)


def test_dask_scheduler_address(reference):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None,
                                  silence_logs=40) as cluster:
        other = gt.sweep("direct", grid=GRID, outputs=OUTPUTS, chunk_size=9, backend="dask",
                         scheduler=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(reference, other)


def test_unreachable_scheduler_is_one_clear_error():
    pytest.importorskip("dask.distributed")
    with pytest.raises(gt.InvalidParameterError, match="Cannot reach the Dask scheduler"):
        gt.sweep("direct", grid={"price": [100]}, backend="dask", scheduler="tcp://127.0.0.1:9", progress=False)
