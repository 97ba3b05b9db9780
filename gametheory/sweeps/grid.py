"""Grid points and deterministic chunks of a sweep.

The grid of one model is the Cartesian product of the axes, last axis fastest (C order, as
:func:`numpy.unravel_index`). Models are stacked one after the other, and each model's points are cut into
chunks of ``spec.chunk_size`` consecutive points, so a chunk never spans two models and the same spec always
gives the same chunks, with the same ids, on every machine and backend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .spec import SweepSpec

__all__ = ["Chunk", "chunks", "chunk_points"]


@dataclass(frozen=True)
class Chunk:
    """A run of consecutive grid points of one model.

    Attributes
    ----------
    index : int
        Position of the chunk in the sweep (0, 1, ...); names its Parquet file.
    model : str
        The payment model.
    start, stop : int
        Point indices ``[start, stop)`` within that model's grid.

    Examples
    --------
    >>> Chunk(0, "direct", 0, 10).size
    10
    """

    index: int
    model: str
    start: int
    stop: int

    @property
    def size(self) -> int:
        """Number of points."""
        return self.stop - self.start

    @property
    def name(self) -> str:
        """File stem of the chunk in a store: ``chunk-000042``."""
        return f"chunk-{self.index:06d}"


def chunks(spec: SweepSpec) -> list[Chunk]:
    """Every chunk of a sweep, in order.

    Parameters
    ----------
    spec : SweepSpec
        The sweep.

    Returns
    -------
    list of Chunk
        ``ceil(points_per_model / chunk_size)`` chunks per model, models in spec order.

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> spec = SweepSpec.from_dict({"models": ["direct", "escrow"], "chunk_size": 4,
    ...                             "axes": {"price": [50, 60, 70, 80, 90, 100]}})
    >>> [(c.model, c.start, c.stop) for c in chunks(spec)]
    [('direct', 0, 4), ('direct', 4, 6), ('escrow', 0, 4), ('escrow', 4, 6)]
    """
    out: list[Chunk] = []
    per_model = spec.points_per_model
    for model in spec.models:
        for start in range(0, per_model, spec.chunk_size):
            out.append(Chunk(len(out), model, start, min(start + spec.chunk_size, per_model)))
    return out


def chunk_points(spec: SweepSpec, chunk: Chunk) -> dict[str, npt.NDArray[np.float64]]:
    """The axis values at every point of a chunk, one array per axis (no loop over points).

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"price": [50, 100], "detection_prob": [0.1, 0.9]}})
    >>> {k: v.tolist() for k, v in chunk_points(spec, chunks(spec)[0]).items()}
    {'price': [50.0, 50.0, 100.0, 100.0], 'detection_prob': [0.1, 0.9, 0.1, 0.9]}
    """
    if not spec.axes:
        return {}
    index = np.unravel_index(np.arange(chunk.start, chunk.stop), spec.grid_shape)
    return {axis.name: axis.values[i] for axis, i in zip(spec.axes, index, strict=True)}

