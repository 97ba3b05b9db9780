"""``gametheory sweep SPEC.toml --out DIR``: run a parameter sweep into a folder of Parquet chunks.

The table is never held in memory: each chunk is written as it finishes (``--resume`` finishes a sweep that was
stopped, after checking its chunks against the manifest). One process writes a folder at a time.
``--scheduler tcp://host:8786`` sends the chunks to a running Dask cluster.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from ._limits import add_limit_options
from .settings import add_command

__all__ = ["register", "run", "configure_logging"]


def register(subparsers: Any) -> None:
    """Add the ``sweep`` sub-command."""
    from ..sweeps.backends import BACKENDS  # lazy: pandas

    parser = add_command(
        subparsers, "sweep", run, help="run a parameter sweep from a TOML spec into Parquet files",
        description="Run the sweep described by a TOML spec (see docs/sweeps.md); each finished chunk is "
                    "written to DIR/chunks/*.parquet, with DIR/manifest.json.",
    )
    parser.add_argument("spec", metavar="SPEC", help="sweep spec (.toml)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="finish the sweep in DIR: check its chunks, compute the missing or failing ones")
    again.add_argument("--overwrite", action="store_true", help="replace a sweep already in DIR")
    parser.add_argument("--backend", choices=BACKENDS, default=None,
                        help="where chunks run (default inprocess; dask when --scheduler is given)")
    parser.add_argument("--scheduler", metavar="ADDRESS", default=None,
                        help="address of a running dask.distributed scheduler, e.g. tcp://host:8786")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes (processes backend, or a local Dask cluster)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    add_limit_options(parser)


def configure_logging(quiet: bool) -> None:
    """Send the sweep's progress lines to stderr (unless ``quiet``)."""
    logger = logging.getLogger("gametheory.sweeps")
    if quiet or any(getattr(h, "_gametheory", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    handler._gametheory = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def run(args: argparse.Namespace) -> int:
    """Run the sweep; print a one-line summary."""
    from ..sweeps import SweepSpec, run_sweep  # lazy: pandas

    spec = SweepSpec.from_toml(args.spec, max_points=args.max_points)
    backend = args.backend or ("dask" if args.scheduler else "inprocess")
    configure_logging(args.quiet)
    result = run_sweep(spec, args.out, resume=args.resume, overwrite=args.overwrite, backend=backend,
                       workers=args.workers, scheduler=args.scheduler, progress="off" if args.quiet else "auto",
                       max_points=args.max_points, max_seconds=args.max_seconds)
    for line in result.repaired:
        print(f"gametheory sweep: warning: {line}", file=sys.stderr)
    done = f", {result.skipped} already done" if result.skipped else ""
    print(f"{result.n_points:,} points in {result.n_chunks} chunks ({result.computed} computed{done}) -> "
          f"{args.out} in {result.seconds:.1f} s ({result.points_per_second:,.0f} points/s, {backend})")
    return 0
