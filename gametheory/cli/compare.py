"""``gametheory compare [--set name=value ...] --out REPORT/``: the flagship report over every payment model.

Runs all four payment models on one scenario (the documented defaults, changed with ``--set``) and the sweeps
that answer the seed's questions, in-process with no service, and writes ``REPORT/index.html`` and
``REPORT/index.md``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from ._limits import add_limit_options
from .settings import add_command, add_set_option, parse_settings

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``compare`` sub-command."""
    parser = add_command(
        subparsers, "compare", run, help="the flagship report: all payment models on one scenario",
        description="Compare cash on delivery, escrow, direct payment and the self-operated store on one "
                    "scenario, with the sweeps that answer: does compensation to buyers deter where a fine to "
                    "the platform does not? how small a deposit defeats the multiplier? what does insurance "
                    "add? what does escrow cost?",
    )
    add_set_option(parser, "a scenario parameter of every model that has it")
    parser.add_argument("--out", required=True, metavar="REPORT", help="report folder")
    parser.add_argument("--target-rate", type=float, default=0.02,
                        help="worst-case counterfeit rate counted as deterred (default 0.02)")
    parser.add_argument("--resolution", type=int, default=41, help="values per swept axis (default 41)")
    add_limit_options(parser)


def run(args: argparse.Namespace) -> int:
    """Write the report; print where it is and how long it took."""
    from ..reports import compare  # lazy: pandas

    started = time.perf_counter()
    report = compare(args.out, params=parse_settings(args.settings), target_rate=args.target_rate,
                     resolution=args.resolution, max_seconds=args.max_seconds, max_points=args.max_points)
    print(f"{report.html} ({len(report.figures)} figures, {len(report.tables)} tables) in "
          f"{time.perf_counter() - started:.1f} s")
    return 0
