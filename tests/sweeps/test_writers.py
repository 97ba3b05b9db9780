"""One writer per folder, and workers that end with their parent: real processes, real signals.

A sweep writing a folder (a separate process) is not disturbed by a second ``sweep --overwrite`` or
``--resume`` in that folder: both are refused with the owner's pid, and the first sweep's table is exactly its
own. A parent SIGKILLed while its ``processes`` or Dask (local cluster) backend works leaves no worker behind.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from gametheory.sweeps.store import load

psutil = pytest.importorskip("psutil")

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
STANDIN = [sys.executable, str(HERE / "_standin.py")]
SPEC = 'model = "direct"\nchunk_size = 10\n[axes]\ndeposit = { logspace = [1, 4, 20] }\n'


def _wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def _chunk_files(folder):
    return list((folder / "chunks").glob("chunk-*.parquet")) if (folder / "chunks").exists() else []


def _gone(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_second_sweep_in_a_folder_being_written_is_refused_and_the_first_is_untouched(tmp_path):
    subprocess.run([*STANDIN, tmp_path / "reference", "--n", "20"], check=True, env=ENV)
    folder, go_on = tmp_path / "d", tmp_path / "go-on"
    writer = subprocess.Popen([*STANDIN, folder, "--n", "20", "--hold", go_on], env=ENV,
                              stderr=subprocess.PIPE, text=True)  # writes two chunks, then waits for go_on
    try:
        _wait_for(lambda: len(_chunk_files(folder)) >= 2)
        spec = tmp_path / "other.toml"
        spec.write_text(SPEC)
        other = subprocess.run([sys.executable, "-m", "gametheory", "sweep", str(spec), "--out", str(folder),
                                "--overwrite", "--quiet"], env=ENV, capture_output=True, text=True, timeout=120)
        assert other.returncode == 2, other.stderr
        lines = other.stderr.strip().splitlines()
        assert len(lines) == 1
        assert f"is being written by another sweep (pid {writer.pid} on " in lines[0]
        # --resume (which deletes the temporary files a killed writer left) is refused as well
        again = subprocess.run([*STANDIN, folder, "--n", "20", "--resume"], env=ENV, capture_output=True, text=True,
                               timeout=120)
        assert again.returncode != 0 and "is being written by another sweep" in again.stderr
        assert writer.poll() is None
    finally:
        go_on.touch()
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    pd.testing.assert_frame_equal(load(folder), load(tmp_path / "reference"))


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_workers_end_with_a_killed_parent(tmp_path, backend):
    # processes: a ProcessPoolExecutor; dask: the LocalCluster a sweep starts when given no scheduler
    if backend == "dask":
        pytest.importorskip("dask.distributed")
    folder = tmp_path / "d"
    parent = subprocess.Popen([*STANDIN, folder, "--backend", backend, "--workers", "2", "--delay", "0.2"],
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(_chunk_files(folder)) >= 2, seconds=120)
        workers = psutil.Process(parent.pid).children(recursive=True)
        busy = [w for w in workers if "resource_tracker" not in " ".join(w.cmdline())]
        assert len(busy) >= 2, [w.cmdline() for w in workers]
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 5.0
    while not all(_gone(w.pid) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [w.pid for w in workers if not _gone(w.pid)]
    for pid in alive:  # do not leave them behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers {alive} outlived their SIGKILLed parent by 5 s"
    # the lock died with them: the sweep resumes, and ends with every row once
    subprocess.run([*STANDIN, folder, "--resume"], check=True, env=ENV, timeout=120)
    table = load(folder)
    assert len(table) == 2 * 2 * 40 and not table.duplicated(["model", "point"]).any()
