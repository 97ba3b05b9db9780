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

__all__ = ["register", "run", "parse_assignments"]


def register(subparsers: Any) -> None:
    """Add the ``compare`` sub-command."""
    parser = subparsers.add_parser(
        "compare", help="the flagship report: all payment models on one scenario",
        description="Compare cash on delivery, escrow, direct payment and the self-operated store on one "
                    "scenario, with the sweeps that answer: does compensation to buyers deter where a fine to "
                    "the platform does not? how small a deposit defeats the multiplier? what does insurance "
                    "add? what does escrow cost?",
    )
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                        help="change a scenario parameter (repeatable), e.g. --set price=80")
    parser.add_argument("--out", required=True, metavar="REPORT", help="report folder")
    parser.add_argument("--target-rate", type=float, default=0.02,
                        help="worst-case counterfeit rate counted as deterred (default 0.02)")
    parser.add_argument("--resolution", type=int, default=41, help="values per swept axis (default 41)")
    add_limit_options(parser)
    parser.set_defaults(run=run)


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``["price=80", "insurance=none"]`` -> ``{"price": 80.0, "insurance": "none"}``.

    Examples
    --------
    >>> parse_assignments(["price=80", "insurance=none"])
    {'price': 80.0, 'insurance': 'none'}
    """
    from ..errors import InvalidParameterError

    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidParameterError(f"--set expects NAME=VALUE. Got {item!r} instead.")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            out[name.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    """Write the report; print where it is and how long it took."""
    from ..reports import compare

    started = time.perf_counter()
    report = compare(args.out, params=parse_assignments(args.assignments), target_rate=args.target_rate,
                     resolution=args.resolution, max_seconds=args.max_seconds, max_points=args.max_points)
    print(f"{report.html} ({len(report.figures)} figures, {len(report.tables)} tables) in "
          f"{time.perf_counter() - started:.1f} s")
    return 0
