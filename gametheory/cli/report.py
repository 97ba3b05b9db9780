"""``gametheory report DIR --out REPORT/``: the HTML and Markdown report of a finished sweep."""

from __future__ import annotations

import argparse
from typing import Any

from .settings import add_command

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``report`` sub-command."""
    parser = add_command(subparsers, "report", run, help="write the report of a sweep (HTML + Markdown)",
                         description="Read a sweep's output folder and write REPORT/index.html (self-contained, "
                         "figures embedded), REPORT/index.md, REPORT/figures/*.png and REPORT/data/*.csv.")
    parser.add_argument("sweep", metavar="DIR", help="a sweep's output folder (from gametheory sweep)")
    parser.add_argument("--out", required=True, metavar="REPORT", help="report folder")
    parser.add_argument("--title", default=None, help="report title (default: the spec's title)")


def run(args: argparse.Namespace) -> int:
    """Write the report; print where it is."""
    from ..reports import build  # lazy: pandas

    report = build(args.sweep, args.out, title=args.title)
    print(f"{report.html} ({len(report.figures)} figures, {len(report.tables)} tables)")
    return 0
