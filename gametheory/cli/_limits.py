"""The ``--max-seconds`` and ``--max-points`` options shared by the sub-commands that can be handed large work."""

from __future__ import annotations

from typing import Any

__all__ = ["add_limit_options"]


def add_limit_options(parser: Any, *, points: bool = True) -> None:
    """Add ``--max-seconds`` (and ``--max-points``) to a sub-command's parser (see ``docs/limits.md``).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_limit_options(parser)
    >>> parser.parse_args(["--max-points", "20000000"]).max_points
    20000000
    """
    parser.add_argument("--max-seconds", type=float, default=None, metavar="S",
                        help="refuse work estimated to take longer (default 600; see docs/limits.md)")
    if points:
        parser.add_argument("--max-points", type=int, default=None, metavar="N",
                            help="refuse more parameter points than N (default 10,000,000)")
