"""Fixtures of the command-line tests."""

import pytest

from gametheory.cli import main


@pytest.fixture
def cli(capsys):
    """``cli(*argv, code=0)``: run ``gametheory ARGV``, check its exit code, return what it printed on stdout
    (on stderr when ``code`` is not 0: the error)."""

    def run(*argv: str, code: int = 0) -> str:
        assert main(list(argv)) == code
        captured = capsys.readouterr()
        return captured.out if code == 0 else captured.err

    return run
