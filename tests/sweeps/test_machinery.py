"""The sweep machinery (chunks, store, resume, backends, progress) with a stand-in evaluation."""

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from gametheory.errors import InvalidParameterError
from gametheory.sweeps.backends import run_tasks
from gametheory.sweeps.grid import chunk_points, chunks
from gametheory.sweeps.run import _execute
from gametheory.sweeps.store import SweepStore

HERE = Path(__file__).parent

from tests.sweeps._standin import Task, make_spec  # noqa: E402


def _run(spec, out=None, *, backend="inprocess", resume=False, overwrite=False, delay=0.0, workers=None):
    frames = {}
    store = SweepStore(out) if out is not None else None
    info = _execute(spec, store, resume=resume, overwrite=overwrite, backend=backend, workers=workers,
                    scheduler=None, progress="off", task=Task(spec, delay), sink=frames.__setitem__)
    table = pd.concat([frames[i] for i in sorted(frames)], ignore_index=True) if frames else None
    return info, table


def test_chunks_cover_every_point_once_and_never_span_models():
    spec = make_spec(chunk_size=7, n=50)
    parts = chunks(spec)
    assert len(parts) == 2 * 15  # ceil(100 / 7) per model
    assert [c.index for c in parts] == list(range(len(parts)))
    for model in spec.models:
        mine = [c for c in parts if c.model == model]
        covered = [i for c in mine for i in range(c.start, c.stop)]
        assert covered == list(range(spec.points_per_model))


def test_chunk_points_follow_c_order():
    spec = make_spec(chunk_size=3, n=4)
    pts = chunk_points(spec, chunks(spec)[1])
    assert pts["x"].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3])
    assert pts["y"].tolist() == [2.0, 1.0, 2.0]


def test_store_holds_every_row_once(tmp_path):
    spec = make_spec()
    info, table = _run(spec, tmp_path)
    assert (info.n_chunks, info.computed, info.skipped) == (30, 30, 0)
    files = sorted((tmp_path / "chunks").glob("*.parquet"))
    assert len(files) == 30
    whole = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(whole, table)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["spec"] == spec.to_dict()
    assert manifest["version"]


def test_existing_sweep_needs_resume_or_overwrite(tmp_path):
    spec = make_spec()
    _run(spec, tmp_path)
    with pytest.raises(InvalidParameterError, match="--resume"):
        _run(spec, tmp_path)
    info, _ = _run(spec, tmp_path, resume=True)
    assert (info.computed, info.skipped) == (0, 30)
    info, _ = _run(spec, tmp_path, overwrite=True)
    assert info.computed == 30


def test_resume_refuses_a_different_spec(tmp_path):
    _run(make_spec(chunk_size=7), tmp_path)
    with pytest.raises(InvalidParameterError, match="different sweep spec"):
        _run(make_spec(chunk_size=8), tmp_path, resume=True)


def test_resume_after_losing_chunks_recomputes_only_those(tmp_path):
    spec = make_spec()
    _, full = _run(spec, tmp_path)
    for name in ("chunk-000003.parquet", "chunk-000017.parquet"):
        (tmp_path / "chunks" / name).unlink()
    (tmp_path / "chunks" / ".chunk-000004.parquet.123.tmp").write_bytes(b"half a file")
    info, _ = _run(spec, tmp_path, resume=True)
    assert (info.computed, info.skipped) == (2, 28)
    assert not list((tmp_path / "chunks").glob(".*.tmp"))
    pd.testing.assert_frame_equal(SweepStore(tmp_path).read(), full)


def test_processes_backend_matches_inprocess():
    spec = make_spec()
    _, here = _run(spec)
    _, there = _run(spec, backend="processes", workers=2)
    pd.testing.assert_frame_equal(here, there)


def test_unknown_backend_and_misplaced_scheduler():
    with pytest.raises(InvalidParameterError, match="Did you mean 'dask'"):
        list(run_tasks(len, [], backend="dusk"))
    with pytest.raises(InvalidParameterError, match="'scheduler' parameter"):
        list(run_tasks(len, [], backend="processes", scheduler="tcp://x:1"))


def test_progress_logs_plain_lines(caplog):
    from gametheory.sweeps.progress import Progress

    with caplog.at_level(logging.INFO, logger="gametheory.sweeps"):
        meter = Progress(10, mode="log", interval=0.0)
        meter.update(5)
        meter.close()
    assert "5/10 points (50%)" in caplog.text
    assert "10/10" not in caplog.text


SCRIPT = textwrap.dedent(
    """
    import sys
    from tests.sweeps._standin import Task, make_spec
    from gametheory.sweeps.run import _execute
    from gametheory.sweeps.store import SweepStore
    spec = make_spec(chunk_size=3, n=40)
    _execute(spec, SweepStore(sys.argv[1]), resume=len(sys.argv) > 2, overwrite=False, backend="inprocess",
             workers=None, scheduler=None, progress="off", task=Task(spec, delay=0.02))
    """
)


@pytest.mark.slow
def test_killed_standin_sweep_resumes_to_the_same_rows(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(HERE.parent.parent)}
    subprocess.run([sys.executable, str(script), str(tmp_path / "full")], check=True, env=env)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "cut")], env=env)
    deadline = time.time() + 30
    while len(list((tmp_path / "cut" / "chunks").glob("*.parquet"))) < 5 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list((tmp_path / "cut" / "chunks").glob("*.parquet")))
    assert 5 <= finished < 54
    subprocess.run([sys.executable, str(script), str(tmp_path / "cut"), "resume"], check=True, env=env)
    pd.testing.assert_frame_equal(SweepStore(tmp_path / "cut").read(), SweepStore(tmp_path / "full").read())
