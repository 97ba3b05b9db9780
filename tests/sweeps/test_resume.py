"""A sweep killed with SIGKILL at a random moment and resumed equals one that ran through."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from gametheory.sweeps import load

ROOT = Path(__file__).resolve().parents[2]
SPEC = """\
model = "direct"
chunk_size = 100
outputs = ["equilibria", "counterfeit", "welfare", "stable_states"]
[axes]
penalty_multiplier = { linspace = [0, 10, 60] }
deposit = { logspace = [1, 4, 50] }
detection_prob = [0.2, 0.5, 0.8]
"""


def _cli(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [sys.executable, "-m", "gametheory", "sweep", *map(str, args)], env


def test_killed_and_resumed_sweep_equals_an_uninterrupted_one(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    cmd, env = _cli(spec, "--out", tmp_path / "full", "--quiet")
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    full = load(tmp_path / "full")
    assert len(full) == 60 * 50 * 3

    cmd, env = _cli(spec, "--out", tmp_path / "cut", "--quiet")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chunk_dir = tmp_path / "cut" / "chunks"
    deadline = time.time() + 60
    while not list(chunk_dir.glob("chunk-*.parquet")) and time.time() < deadline:
        time.sleep(0.005)
    time.sleep(random.Random(os.getpid()).uniform(0.0, 0.3))  # a random moment once chunks are being written
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list(chunk_dir.glob("chunk-*.parquet")))
    assert 1 <= finished < 90  # killed in the middle: some chunks done, some not

    cmd, env = _cli(spec, "--out", tmp_path / "cut", "--resume", "--quiet")
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    resumed = load(tmp_path / "cut")
    assert len(resumed) == len(full)
    assert not resumed.duplicated(["model", "point"]).any()
    pd.testing.assert_frame_equal(resumed, full)
    assert not list(chunk_dir.glob(".*.tmp"))
