"""One ``--set NAME=VALUE`` parser for every sub-command: the same answer and the same one-line error."""

from __future__ import annotations

import pytest

from gametheory.cli import main

#: sub-commands that take model parameters, with the arguments that make them runnable
COMMANDS = {
    "solve": ["solve", "direct"],
    "threshold": ["threshold", "direct"],
    "evolve": ["evolve", "direct", "--no-symbolic"],
    "compare": ["compare", "--out", "unused"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("bad", ["k=", "=3", "penalty_multiplier"])
def test_malformed_set_is_one_line_with_exit_2(command: str, bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*COMMANDS[command], "--set", bad])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert f"--set expects NAME=VALUE (e.g. penalty_multiplier=3). Got {bad!r} instead." in err
