"""The process entry point (``python -m gametheory``): the same output and exit code as :func:`main`, the output
flushed through a pipe, and the collector's state left alone in a process that only calls :func:`main`."""

from __future__ import annotations

import gc
import subprocess
import sys

from gametheory.cli import main


def _process(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gametheory", *argv], capture_output=True, text=True, timeout=300)


def test_the_process_prints_what_main_prints(capsys) -> None:
    assert main(["models"]) == 0
    expected = capsys.readouterr().out
    done = _process("models")
    assert done.returncode == 0 and done.stdout == expected and expected.count("\n") > 4


def test_the_process_exit_codes() -> None:
    bad = _process("solve", "no_such_model")
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1
    assert _process("--version").returncode == 0
    assert _process("solve", "--no-such-option").returncode == 2


def test_an_extended_threshold_through_the_process_is_complete(capsys) -> None:
    """The objects frozen at exit with numba's kernels loaded (the direct model's extended set solves ~200 games):
    the whole output still comes through the pipe."""
    args = ["threshold", "direct", "--variant", "extended"]
    done = _process(*args)
    assert done.returncode == 0 and done.stderr == ""
    assert main(args) == 0
    assert done.stdout == capsys.readouterr().out and "pieces:" in done.stdout


def test_main_does_not_freeze_the_callers_objects() -> None:
    before = gc.get_freeze_count()
    assert main(["models"]) == 0
    assert gc.get_freeze_count() == before and gc.isenabled()
