"""The ``gametheory`` command.

Each sub-command lives in its own module of this package, which defines ``register(subparsers)``; the module
adds its parser and sets ``run`` (a function taking the parsed arguments and returning an exit code). Only the
invoked sub-command's module is imported (all of them for ``gametheory --help``).
Errors this library raises on purpose are printed as one line on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from ..errors import GametheoryError

__all__ = ["main", "run", "COMMANDS"]

#: sub-command modules, in the order ``gametheory --help`` lists them
COMMANDS = ("models", "solve", "solve_game", "evolve", "threshold", "optimize", "repeated", "sweep", "report",
            "compare", "cache")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered, or only ``command`` (a name as typed, e.g.
    ``"solve-game"``) when it is one: a sub-command module may import heavy dependencies at module level, and a
    query should not pay for the other sub-commands' imports.

    Examples
    --------
    >>> build_parser("solve").parse_args(["solve", "direct"]).model
    'direct'
    """
    parser = _OneLineParser(
        prog="gametheory",
        description="E-commerce payment models as buyer-seller-platform games: equilibria, deterrence, sweeps.",
    )

    parser.add_argument("--version", action="version", version=f"gametheory {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    module = None if command is None else command.replace("-", "_")
    for name in COMMANDS if module not in COMMANDS else (module,):
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr with exit code 2, like every other error
    (``--help`` shows the usage); sub-command parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see {self.prog} --help)\n")


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named by ``argv`` (its first argument that is not an option), if any."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except (GametheoryError, ValueError, OSError) as exc:
        print(f"gametheory {args.command}: error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line
        return 2
    except KeyboardInterrupt:
        print(f"gametheory {args.command}: interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The process's entry point (``python -m gametheory``, the ``gametheory`` script): :func:`main`, then exit.

    The objects alive at the end are frozen first (``gc.freeze``): the interpreter's shutdown still runs the
    ``atexit`` handlers, joins the threads, flushes and closes the files and frees every object whose references
    go, but its final cyclic collections no longer traverse the objects of every module loaded (once numba is,
    some 10^6: about 0.17 s of CPU after an extended threshold's answer is printed). Only ``__del__`` of objects
    in reference cycles at exit is then not run, which Python never promises at exit either.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
