"""Grid points and deterministic chunks of a sweep.

The grid of one model is the Cartesian product of the axes, last axis fastest (C order, as
:func:`numpy.unravel_index`). Models are stacked one after the other, and each model's points are cut into
chunks of ``spec.chunk_size`` consecutive points, so a chunk never spans two models and the same spec always
gives the same chunks, with the same ids, on every machine and backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from .spec import SweepSpec

__all__ = ["Chunk", "ChunkPlan", "chunks", "chunk_points", "grid_indices"]


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


class ChunkPlan(Sequence[Chunk]):
    """The chunks of a sweep, computed on demand: nothing is listed up front, whatever the number of points.

    Indexing, iteration, ``len`` and ``in`` work as on a list; :attr:`count` is the number of chunks as a Python
    int (``len`` cannot exceed ``sys.maxsize``).

    Parameters
    ----------
    models : sequence of str
        The models, in sweep order.
    per_model : int
        Grid points of one model.
    chunk_size : int
        Points per chunk.

    Examples
    --------
    >>> plan = ChunkPlan(["direct"], 10**12, 50_000)
    >>> plan.count, plan[-1]
    (20000000, Chunk(index=19999999, model='direct', start=999999950000, stop=1000000000000))
    """

    def __init__(self, models: Sequence[str], per_model: int, chunk_size: int) -> None:
        self.models, self.per_model, self.chunk_size = tuple(models), int(per_model), int(chunk_size)
        self.per_model_chunks = -(-self.per_model // self.chunk_size)

    @property
    def count(self) -> int:
        """Number of chunks."""
        return self.per_model_chunks * len(self.models)

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> Chunk: ...

    @overload
    def __getitem__(self, index: slice) -> list[Chunk]: ...

    def __getitem__(self, index: int | slice) -> Chunk | list[Chunk]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(f"chunk index {index} out of range: the sweep has {self.count} chunks")
        model, position = divmod(index, self.per_model_chunks)
        start = position * self.chunk_size
        return Chunk(index, self.models[model], start, min(start + self.chunk_size, self.per_model))

    def __iter__(self) -> Iterator[Chunk]:
        return (self[i] for i in range(self.count))

    def __repr__(self) -> str:
        return f"ChunkPlan(models={list(self.models)}, per_model={self.per_model}, chunk_size={self.chunk_size})"


def chunks(spec: SweepSpec) -> ChunkPlan:
    """Every chunk of a sweep, in order (computed on demand).

    Parameters
    ----------
    spec : SweepSpec
        The sweep.

    Returns
    -------
    ChunkPlan
        ``ceil(points_per_model / chunk_size)`` chunks per model, models in spec order.

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> spec = SweepSpec.from_dict({"models": ["direct", "escrow"], "chunk_size": 4,
    ...                             "axes": {"price": [50, 60, 70, 80, 90, 100]}})
    >>> [(c.model, c.start, c.stop) for c in chunks(spec)]
    [('direct', 0, 4), ('direct', 4, 6), ('escrow', 0, 4), ('escrow', 4, 6)]
    """
    return ChunkPlan(spec.models, spec.points_per_model, spec.chunk_size)


def chunk_points(spec: SweepSpec, chunk: Chunk) -> dict[str, npt.NDArray[np.float64]]:
    """The axis values at every point of a chunk, one array per axis (no loop over points).

    The grid index of each point is found digit by digit, last axis first (mixed-radix addition of the chunk's
    offsets to the digits of its first point), so neither the grid nor an axis is ever materialised and the
    point count may exceed what an int64 holds.

    Examples
    --------
    >>> from gametheory.sweeps.spec import SweepSpec
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"price": [50, 100], "detection_prob": [0.1, 0.9]}})
    >>> {k: v.tolist() for k, v in chunk_points(spec, chunks(spec)[0]).items()}
    {'price': [50.0, 50.0, 100.0, 100.0], 'detection_prob': [0.1, 0.9, 0.1, 0.9]}
    """
    if not spec.axes:
        return {}
    index = grid_indices(spec.grid_shape, chunk.start, chunk.size)
    return {axis.name: axis.take(i) for axis, i in zip(spec.axes, index, strict=True)}


def grid_indices(shape: Sequence[int], start: int, size: int) -> list[npt.NDArray[np.int64]]:
    """Per-axis indices of the ``size`` consecutive points from flat index ``start`` (C order).

    Equal to ``numpy.unravel_index(numpy.arange(start, start + size), shape)`` where that fits in int64.

    Examples
    --------
    >>> [i.tolist() for i in grid_indices((2, 3), 2, 3)]
    [[0, 1, 1], [2, 0, 1]]
    """
    digits = []
    rest = int(start)
    for n in reversed(shape):  # the first point's digits, in Python ints (no overflow)
        rest, digit = divmod(rest, int(n))
        digits.append(digit)
    carry = np.arange(size, dtype=np.int64)
    out = []
    for n, digit in zip(reversed(shape), digits, strict=True):
        total = carry + digit
        out.append(total % n)
        carry = total // n
    return out[::-1]
