"""A tiny stand-in evaluation for testing the sweep machinery without the models and solvers.

``task(chunk)`` returns a deterministic table computed from the chunk's points; ``slow_task`` sleeps a little
per chunk so that a test can kill a sweep in the middle.
"""

from __future__ import annotations

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
    """Picklable stand-in for ``functools.partial(evaluate_chunk, spec)``."""

    def __init__(self, spec: SweepSpec, delay: float = 0.0) -> None:
        self.spec, self.delay = spec, delay

    def __call__(self, chunk: Chunk) -> pd.DataFrame:
        if self.delay:
            time.sleep(self.delay)
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
