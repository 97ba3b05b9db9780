"""A report of an output folder streams from the verified chunks, and draws exactly what a DataFrame report draws."""

import shutil

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.errors import SweepStoreError
from gametheory.reports.sweep_rows import MAX_CELLS, AxisValues, FrameRows, StoreRows
from gametheory.sweeps.spec import Axis

GRID = {"penalty_multiplier": {"linspace": [6, 1, MAX_CELLS + 31]},  # descending, and thinned in maps
        "detection_prob": [0.8, 0.2, 0.5],  # unsorted list
        "fine": {"uniform": [0, 100, 4]}}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = tmp_path_factory.mktemp("rows") / "run"
    df = gt.sweep(["direct", "escrow"], grid=GRID, outputs=["equilibria", "counterfeit"], chunk_size=500, out=out,
                  progress=False)
    return out, df


def test_store_rows_slice_exactly_as_frame_rows(store):
    out, df = store
    on_disk, in_memory = StoreRows(out), FrameRows(df)
    assert on_disk.n_rows == in_memory.n_rows == len(df)
    assert on_disk.models == in_memory.models == ["direct", "escrow"]
    for axis in GRID:
        a, b = on_disk.axis(axis), in_memory.axis(axis)
        assert (a.count, a.first, a.middle, a.last) == (b.count, b.first, b.middle, b.last)
        assert (a.drawn() is None) == (b.drawn() is None)
        if a.drawn() is not None:
            assert np.array_equal(a.drawn(), b.drawn())
    reference = {axis: in_memory.axis(axis).middle for axis in GRID}
    assert on_disk.categories("regime") == in_memory.categories("regime")
    columns = ["model", *GRID, "regime", "counterfeit_rate_max"]
    for keep, model in ((["penalty_multiplier", "fine"], "escrow"), (["detection_prob"], None), ([], "direct")):
        got, where = on_disk.slice(keep, reference, model=model, columns=columns)
        expected, where_too = in_memory.slice(keep, reference, model=model, columns=columns)
        assert where == where_too
        assert list(got.columns) == columns  # only the columns asked for are read
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                      check_categorical=False)
    drawn, _ = on_disk.slice(["penalty_multiplier", "fine"], reference, model="direct", columns=columns)
    assert len(drawn) == MAX_CELLS * 4


def test_a_report_of_a_damaged_folder_is_refused_naming_the_file(store, tmp_path):
    out, _ = store
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    chunk = sorted((copy / "chunks").glob("chunk-*.parquet"))
    shutil.copyfile(chunk[1], chunk[2])  # the case: a chunk copied over another
    with pytest.raises(SweepStoreError, match=r"chunk-000002\.parquet'"):
        gt.reports.build(copy, tmp_path / "report")


def test_a_report_from_the_folder_equals_the_report_from_the_table(tmp_path):
    grid = {k: v for k, v in GRID.items() if k != "fine"}
    out = tmp_path / "run"
    df = gt.sweep("direct", grid=grid, outputs=["equilibria", "counterfeit"], chunk_size=150, out=out,
                  progress=False)
    from_folder = gt.reports.build(out, tmp_path / "a")
    from_table = gt.reports.build(df, tmp_path / "b")
    assert set(from_folder.figures) == set(from_table.figures)
    for name, (_, csv) in from_folder.figures.items():
        pd.testing.assert_frame_equal(pd.read_csv(csv), pd.read_csv(from_table.figures[name][1]))


def test_axis_values_of_a_spaced_axis_are_its_sorted_distinct_values():
    for definition in ({"linspace": [5, -3, 9]}, {"logspace": [0, 2, 5]}, {"linspace": [2, 2, 3]}):
        axis = Axis.from_definition("x", definition)
        lazy, listed = AxisValues.of_axis(axis), AxisValues.of_array(axis.values)
        ranks = np.arange(listed.count)
        assert lazy.count == listed.count and np.array_equal(lazy.at(ranks), listed.at(ranks))


def test_a_report_of_a_folder_reads_only_the_rows_it_draws(tmp_path, monkeypatch):
    grid = {"penalty_multiplier": {"linspace": [0, 6, 40]}, "deposit": {"logspace": [1, 4, 40]},
            "detection_prob": {"linspace": [0.1, 0.9, 25]}}
    out = tmp_path / "run"
    gt.sweep("direct", grid=grid, outputs=["equilibria", "counterfeit"], chunk_size=4000, out=out, progress=False)
    read = []
    select = StoreRows.select  # the one place rows are read (filtered while the files are scanned)

    def counted(self, *args, **kwargs):
        frame = select(self, *args, **kwargs)
        read.append(frame.shape)
        return frame

    monkeypatch.setattr(StoreRows, "select", counted)
    report = gt.reports.build(out, tmp_path / "report")
    rows = 40 * 40 * 25
    # three regime maps (40 x 40, 40 x 25, 40 x 25) and three counterfeit lines (40, 40, 25 points)
    assert sum(n for n, _ in read) == 1600 + 1000 + 1000 + 40 + 40 + 25
    assert sum(n for n, _ in read) < rows / 10
    assert max(c for _, c in read) <= 6  # model, three axes, one or two outputs
    assert len(report.figures) == 3 + 3


def test_a_slice_reads_only_the_chunks_that_hold_its_points(store, monkeypatch):
    import pyarrow.parquet as pq

    out, df = store
    rows = StoreRows(out)
    read = []
    real = pq.read_table

    def counting(source, *args, **kwargs):
        read.append((str(source), tuple(kwargs.get("columns") or ())))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", counting)
    reference = {axis: rows.axis(axis).middle for axis in GRID}
    part, _ = rows.slice(["fine"], reference, model="escrow", columns=["model", "fine", "regime"])
    # 4 points of one model, consecutive in the grid (the last axis is fastest): one chunk, three columns
    assert len(part) == 4 and set(part["model"]) == {"escrow"}
    assert len(read) == 1 and read[0][1] == ("model", "fine", "regime")
    expected = df[(df["model"] == "escrow") & (df["penalty_multiplier"] == reference["penalty_multiplier"])
                  & (df["detection_prob"] == reference["detection_prob"])]
    assert expected["point"].tolist() == rows.select(["point"], "escrow", {a: reference[a] for a in GRID
                                                                           if a != "fine"}, {})["point"].tolist()


def test_a_chunk_changed_after_the_check_is_refused_when_read(store, tmp_path):
    out, _ = store
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    rows = StoreRows(copy)  # every chunk checked here
    chunk = sorted((copy / "chunks").glob("chunk-*.parquet"))
    shutil.copyfile(chunk[0], chunk[1])
    reference = {axis: rows.axis(axis).middle for axis in GRID}
    with pytest.raises(SweepStoreError, match=r"chunk-000001\.parquet' changed after it was checked"):
        rows.categories("regime")
    with pytest.raises(SweepStoreError, match="changed after it was checked"):
        rows.slice(["penalty_multiplier", "fine"], reference, model="direct", columns=["regime"])
