"""A tiny stand-in evaluation for testing the sweep machinery without the models and solvers.

``Task(spec)(chunk)`` returns a deterministic table computed from the chunk's points; ``delay`` and ``hold``
slow it down so that a test can act in the middle of a sweep; ``python standin.py`` runs a whole sweep.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd

from gametheory.sweeps.grid import Chunk, chunk_points
from gametheory.sweeps.spec import Axis, SweepSpec


def make_spec(chunk_size: int = 7, n: int = 50) -> SweepSpec:
    """A two-axis spec of ``2 * n`` points per model and two models (built without model validation)."""
    return SweepSpec(
        models=("alpha", "beta"),
        fixed={"price": 100.0},
        axes=(Axis.from_definition("x", {"linspace": [0, 1, n]}), Axis.from_definition("y", [1.0, 2.0])),
        chunk_size=chunk_size,
    )


class Task:
    """Picklable stand-in for ``functools.partial(evaluate_chunk, spec)``.

    ``delay`` seconds per chunk; with ``hold``, every chunk from the third on waits until that file exists (so
    a test can keep a writer in the middle of its sweep for as long as it needs).
    """

    def __init__(self, spec: SweepSpec, delay: float = 0.0, hold: str | None = None) -> None:
        self.spec, self.delay, self.hold = spec, delay, hold

    def __call__(self, chunk: Chunk) -> pd.DataFrame:
        if self.delay:
            time.sleep(self.delay)
        while self.hold and chunk.index >= 2 and not os.path.exists(self.hold):
            time.sleep(0.01)
        pts = chunk_points(self.spec, chunk)
        shift = 0.5 if chunk.model == "beta" else 0.0
        return pd.DataFrame({
            "model": np.full(chunk.size, chunk.model, dtype=object),
            "point": np.arange(chunk.start, chunk.stop),
            "x": pts["x"],
            "y": pts["y"],
            "value": np.sin(pts["x"] * 7.0) * pts["y"] + shift,
            "label": np.where(pts["x"] > 0.5, "high", "low").astype(object),
        })


def main(argv: list[str] | None = None) -> int:
    """``python standin.py OUT [--resume | --overwrite] [--delay S] [--hold FILE] [--backend B] [--workers N]
    [--n N]``.

    Runs the stand-in sweep into ``OUT`` through the real store (lock, records) and backends, in a process of
    its own: what the concurrency and kill tests start.
    """
    import argparse

    from gametheory.sweeps.run import _execute
    from gametheory.sweeps.store import SweepStore

    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--hold", default=None)
    parser.add_argument("--backend", default="inprocess")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args(argv)
    spec = make_spec(chunk_size=3, n=args.n)
    _execute(spec, SweepStore(args.out), resume=args.resume, overwrite=args.overwrite, backend=args.backend,
             workers=args.workers, scheduler=None, progress="off", task=Task(spec, delay=args.delay, hold=args.hold))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
