"""The ``gametheory`` command.

Each sub-command lives in its own module of this package, which defines ``register(subparsers)``; the module
adds its parser and sets ``run`` (a function taking the parsed arguments and returning an exit code).
Errors this library raises on purpose are printed as one line on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import GametheoryError

__all__ = ["main", "COMMANDS"]

#: sub-command modules, in the order ``gametheory --help`` lists them
COMMANDS = ("models", "solve", "solve_game", "evolve", "threshold", "repeated", "sweep", "report", "compare")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="gametheory",
        description="E-commerce payment models as buyer-seller-platform games: equilibria, deterrence, sweeps.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"gametheory {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except (GametheoryError, ValueError, OSError) as exc:
        print(f"gametheory {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gametheory {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
