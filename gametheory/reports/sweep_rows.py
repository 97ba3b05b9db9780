"""The rows a sweep report draws: from a DataFrame in memory, or streamed from a sweep's output folder.

A report never needs the whole table: each figure draws one slice (the axes it does not draw held at their middle
value, the axes it draws thinned to :data:`MAX_CELLS` values), and the rest of the report needs one row per model
and the distinct values of a few categorical columns. :class:`StoreRows` reads exactly that from the verified
chunk files of a store: the grid indices of a slice follow from the spec, so it reads only the chunks that hold
them, only the columns asked for, one file at a time; the memory of a report follows the slices it draws, not
the number of rows.
:class:`FrameRows` answers the same questions from a DataFrame; both give identical slices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import SweepStoreError
from ..sweeps.spec import Axis
from ..sweeps.store import SweepStore

__all__ = ["AxisValues", "SweepRows", "FrameRows", "StoreRows", "MAX_CELLS"]

#: values per axis drawn at most in a map (more are thinned evenly)
MAX_CELLS = 200


@dataclass(frozen=True)
class AxisValues:
    """The distinct values of an axis in ascending order, without holding them: their count and a lookup by rank.

    Examples
    --------
    >>> v = AxisValues.of_array(np.array([3.0, 1.0, 2.0, 1.0]))
    >>> v.count, v.middle, v.first, v.last
    (3, 2.0, 1.0, 3.0)
    """

    count: int
    at: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float64]]

    @classmethod
    def of_array(cls, values: Any) -> AxisValues:
        """From the values of a column (sorted and made distinct here)."""
        distinct = np.unique(np.asarray(values, dtype=float))
        return cls(len(distinct), lambda ranks: distinct[ranks])

    @classmethod
    def of_axis(cls, axis: Any) -> AxisValues:
        """From a sweep :class:`~gametheory.sweeps.spec.Axis` (a spaced axis is monotone: no value is listed)."""
        if axis.held is not None:
            return cls.of_array(axis.held)
        n = len(axis)
        ends = axis.take(np.array([0, n - 1]))
        if ends[0] == ends[1]:
            return cls.of_array(ends[:1])
        if ends[0] < ends[1]:
            return cls(n, axis.take)
        return cls(n, lambda ranks: axis.take(n - 1 - np.asarray(ranks)))

    def _one(self, rank: int) -> float:
        return float(self.at(np.array([rank]))[0])

    @property
    def first(self) -> float:
        """The smallest value."""
        return self._one(0)

    @property
    def last(self) -> float:
        """The largest value."""
        return self._one(self.count - 1)

    @property
    def middle(self) -> float:
        """The middle value: where a figure holds an axis it does not draw."""
        return self._one(self.count // 2)

    def drawn(self) -> npt.NDArray[np.float64] | None:
        """The values a figure draws when there are more than :data:`MAX_CELLS` (evenly thinned), else None."""
        if self.count <= MAX_CELLS:
            return None
        return self.at(np.unique(np.linspace(0, self.count - 1, MAX_CELLS).round().astype(np.int64)))


class SweepRows:
    """What a sweep report reads from a sweep table (see :class:`FrameRows` and :class:`StoreRows`).

    Attributes
    ----------
    models : list of str
        The payment models, in sweep order.
    columns : list of str
        The columns of the table.
    n_rows : int
        Its number of rows.
    spec : dict
        The sweep's spec (empty when unknown).
    """

    models: list[str]
    columns: list[str]
    n_rows: int
    spec: dict[str, Any]

    def axis(self, name: str) -> AxisValues:
        """The distinct values of an axis."""
        raise NotImplementedError

    def first_rows(self) -> pd.DataFrame:
        """The first row of each model (every column): where the fixed parameters are read."""
        raise NotImplementedError

    def categories(self, column: str) -> list[str]:
        """The values present in a column, as sorted strings (the same colours in every map)."""
        raise NotImplementedError

    def select(self, columns: Sequence[str] | None, model: str | None, where: dict[str, float],
               picks: dict[str, npt.NDArray[np.float64]]) -> pd.DataFrame:
        """Rows of ``model`` (any if None) with each ``where`` axis at its value and each ``picks`` axis in its
        values, in table order; ``columns`` only (every column if None)."""
        raise NotImplementedError

    def slice(self, keep: Sequence[str], reference: dict[str, float], *, model: str | None = None,
              columns: Sequence[str] | None = None) -> tuple[pd.DataFrame, dict[str, float]]:
        """The rows a figure over the axes ``keep`` draws, and where the other axes are held.

        Every axis not in ``keep`` is held at its ``reference`` value; an axis in ``keep`` with more than
        :data:`MAX_CELLS` values is thinned to that many.
        """
        where = {a: v for a, v in reference.items() if a not in keep}
        picks = {a: p for a in keep if (p := self.axis(a).drawn()) is not None}
        return self.select(columns, model, where, picks), where


class FrameRows(SweepRows):
    """The rows of a sweep table held in memory.

    Examples
    --------
    >>> df = pd.DataFrame({"model": ["m"] * 4, "a": [1.0, 1.0, 2.0, 2.0], "b": [1.0, 2.0, 1.0, 2.0]})
    >>> part, where = FrameRows(df).slice(["a"], {"a": 1.0, "b": 2.0})
    >>> part["a"].tolist(), where
    ([1.0, 2.0], {'b': 2.0})
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.models = list(dict.fromkeys(frame["model"])) if "model" in frame.columns else []
        self.columns = list(frame.columns)
        self.n_rows = len(frame)
        self.spec = dict(frame.attrs.get("spec") or {})

    def axis(self, name: str) -> AxisValues:
        return AxisValues.of_array(self.frame[name].unique())

    def first_rows(self) -> pd.DataFrame:
        return self.frame.groupby("model", sort=False, observed=True).head(1).reset_index(drop=True)

    def categories(self, column: str) -> list[str]:
        return sorted(self.frame[column].astype(str).unique())

    def select(self, columns: Sequence[str] | None, model: str | None, where: dict[str, float],
               picks: dict[str, npt.NDArray[np.float64]]) -> pd.DataFrame:
        frame = self.frame
        mask = np.ones(len(frame), dtype=bool)
        if model is not None:
            mask &= (frame["model"] == model).to_numpy()
        for a, v in where.items():
            mask &= frame[a].to_numpy() == v
        for a, values in picks.items():
            mask &= frame[a].isin(values).to_numpy()
        part = frame.loc[mask]
        return part if columns is None else part[list(columns)]


class StoreRows(SweepRows):
    """The rows of a sweep's output folder, read chunk file by chunk file from its verified chunks.

    Every chunk is checked against the manifest first (:meth:`gametheory.sweeps.SweepStore.verified`); a
    damaged store raises :class:`~gametheory.errors.SweepStoreError` instead of drawing wrong rows, and a chunk
    file changed after that check (its size, modification time or inode) is refused when it is read.

    Nothing is scanned to find a slice: the grid is known from the spec, so :meth:`select` computes the grid
    indices of the points it wants (per axis: the positions of the values asked for), hence which chunk holds
    each and at which row, and reads from those chunk files only the columns asked for, one file at a time. A
    line figure of a 10^8-point sweep reads two or three chunks; a 200 x 200 map reads a few rows of every
    chunk. Memory follows the slice, not the number of rows.

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> out = tempfile.mkdtemp()
    >>> _ = gt.sweep("direct", grid={"deposit": [10, 100, 1000]}, out=out, progress=False)
    >>> rows = StoreRows(out)
    >>> rows.n_rows, rows.axis("deposit").middle
    (3, 100.0)
    >>> rows.select(["deposit", "n_equilibria"], None, {"deposit": 100.0}, {})["deposit"].tolist()
    [100.0]
    """

    def __init__(self, path: str | Path) -> None:
        import pyarrow.parquet as pq

        store = SweepStore(path)
        manifest = store.read_manifest()
        verified = store.verified()
        if not verified:
            raise SweepStoreError(f"{str(store.path)!r} holds no finished chunk yet.")
        self._plan = store.plan(manifest)
        self._files = {chunk.index: file for chunk, file in verified}
        self._stamps = {file: _stamp(file) for file in self._files.values()}
        self.spec = dict(manifest.get("spec", {}))
        self.models = list(dict.fromkeys(chunk.model for chunk, _ in verified))
        self._first: dict[str, Path] = {}
        for chunk, file in verified:
            self._first.setdefault(chunk.model, file)
        # every chunk of a model has the columns of its first one (one evaluation writes them all)
        self._names = {model: pq.read_schema(file).names for model, file in self._first.items()}
        self.columns = list(dict.fromkeys(n for names in self._names.values() for n in names))
        self.n_rows = sum(chunk.size for chunk, _ in verified)
        seed = int(self.spec.get("seed", 0))
        self._axes = [Axis.from_definition(name, definition, seed=seed)
                      for name, definition in self.spec.get("axes", {}).items()]

    def axis(self, name: str) -> AxisValues:
        for axis in self._axes:
            if axis.name == name:
                return AxisValues.of_axis(axis)
        return AxisValues.of_array(self._unique(name))

    def first_rows(self) -> pd.DataFrame:
        import pyarrow.parquet as pq

        parts = []
        for file in self._first.values():
            self._check(file)
            batch = next(pq.ParquetFile(file).iter_batches(batch_size=1))
            parts.append(batch.to_pandas())
        return pd.concat(parts, ignore_index=True)

    def categories(self, column: str) -> list[str]:
        return sorted(str(v) for v in self._unique(column))

    def select(self, columns: Sequence[str] | None, model: str | None, where: dict[str, float],
               picks: dict[str, npt.NDArray[np.float64]]) -> pd.DataFrame:
        import pyarrow as pa
        import pyarrow.parquet as pq

        wanted = list(columns) if columns is not None else self.columns
        points = self._points(where, picks)
        plan, size = self._plan, self._plan.chunk_size
        parts = []
        for position, name in enumerate(plan.models):
            if (model is not None and name != model) or name not in self.models:
                continue
            present = [c for c in wanted if c in self._names[name]]
            chunk_of = points // size  # the model's chunk holding each point, and its row there
            bounds = np.flatnonzero(np.diff(chunk_of)) + 1
            for run in np.split(np.arange(len(points)), bounds) if len(points) else []:
                file = self._file(position * plan.per_model_chunks + int(chunk_of[run[0]]))
                table = pq.read_table(file, columns=present).take(pa.array(points[run] % size))
                parts.append(table.to_pandas().reindex(columns=wanted))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=float) for c in wanted})
        return pd.concat(parts, ignore_index=True)

    # ------------------------------------------------------------------ internals
    def _points(self, where: dict[str, float], picks: dict[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.int64]:
        """The grid indices (within one model's grid, ascending) of the points with every ``where`` axis at its
        value and every ``picks`` axis at one of its values."""
        unknown = [a for a in [*where, *picks] if a not in {axis.name for axis in self._axes}]
        if unknown:
            raise KeyError(f"not an axis of the sweep: {unknown}")
        per_axis = []
        for axis in self._axes:
            if axis.name in where:
                per_axis.append(_positions(axis, np.array([where[axis.name]], dtype=float)))
            elif axis.name in picks:
                per_axis.append(_positions(axis, np.asarray(picks[axis.name], dtype=float)))
            else:
                per_axis.append(np.arange(len(axis), dtype=np.int64))
        if not per_axis:
            return np.zeros(1, dtype=np.int64)
        shape = [len(axis) for axis in self._axes]
        mesh = np.meshgrid(*per_axis, indexing="ij")
        return np.ravel_multi_index([m.ravel() for m in mesh], shape).astype(np.int64)

    def _file(self, index: int) -> Path:
        if index not in self._files:
            raise SweepStoreError(f"chunk {index} of the sweep is not finished")
        file = self._files[index]
        self._check(file)
        return file

    def _check(self, file: Path) -> None:
        try:
            now: tuple[int, int, int] | None = _stamp(file)
        except OSError:
            now = None
        if now != self._stamps[file]:
            raise SweepStoreError(f"{str(file)!r} changed after it was checked against the manifest; run the "
                                  "report again.")

    def _unique(self, column: str) -> list[Any]:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        seen: set[Any] = set()
        for index, file in sorted(self._files.items()):
            if column not in self._names[self._plan[index].model]:
                continue
            self._check(file)
            values = pq.read_table(file, columns=[column]).column(0)
            seen.update(pc.unique(values).to_pylist())
        return [v for v in seen if v is not None]


def _stamp(file: Path) -> tuple[int, int, int]:
    stat = file.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _positions(axis: Any, values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """The positions along ``axis`` (ascending) where its value is one of ``values`` (exact equality).

    A held axis (a list or random values) is searched whole; a spaced axis is monotone, so each value's
    position is found by bisection over :meth:`~gametheory.sweeps.spec.Axis.take`, never listing the axis.
    """
    if axis.held is not None:
        return np.flatnonzero(np.isin(axis.held, values)).astype(np.int64)
    n = len(axis)
    ends = axis.take(np.array([0, n - 1]))
    if ends[0] == ends[1]:  # a constant axis: every position holds its one value
        return np.arange(n, dtype=np.int64) if np.isin(ends[0], values) else np.zeros(0, dtype=np.int64)
    ascending = ends[0] < ends[1]
    lo, hi = np.zeros(len(values), dtype=np.int64), np.full(len(values), n, dtype=np.int64)
    while np.any(lo < hi):  # first position whose value is not before the value sought
        mid = (lo + hi) // 2
        at = axis.take(np.minimum(mid, n - 1))
        before = (at < values) if ascending else (at > values)
        active = lo < hi
        lo = np.where(active & before, mid + 1, lo)
        hi = np.where(active & ~before, mid, hi)
    found = []
    for start in np.unique(lo[lo < n]):
        position = int(start)
        while position < n and axis.take(np.array([position]))[0] in values:  # equal neighbours, if any
            found.append(position)
            position += 1
    return np.unique(np.array(found, dtype=np.int64))
