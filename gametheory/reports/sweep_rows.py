"""The rows a sweep report draws: from a DataFrame in memory, or streamed from a sweep's output folder.

A report never needs the whole table: each figure draws one slice (the axes it does not draw held at their middle
value, the axes it draws thinned to :data:`MAX_CELLS` values), and the rest of the report needs one row per model
and the distinct values of a few categorical columns. :class:`StoreRows` reads exactly that from the verified
chunk files of a store through a :mod:`pyarrow.dataset` scan (only the columns asked for, rows filtered while
scanning, batch by batch), so the memory of a report follows the slices it draws, not the number of rows.
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
    """The rows of a sweep's output folder, read lazily from its verified chunk files (one dataset per model).

    Every chunk is checked against the manifest first (:meth:`gametheory.sweeps.SweepStore.verified`); a
    damaged store raises :class:`~gametheory.errors.SweepStoreError` instead of drawing wrong rows.

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> out = tempfile.mkdtemp()
    >>> _ = gt.sweep("direct", grid={"deposit": [10, 100, 1000]}, out=out, progress=False)
    >>> rows = StoreRows(out)
    >>> rows.n_rows, rows.axis("deposit").middle
    (3, 100.0)
    """

    def __init__(self, path: str | Path) -> None:
        store = SweepStore(path)
        manifest = store.read_manifest()
        self.datasets = store.datasets()
        self.spec = dict(manifest.get("spec", {}))
        self.models = list(self.datasets)
        self.columns = list(dict.fromkeys(c for d in self.datasets.values() for c in d.schema.names))
        self.n_rows = sum(int(d.count_rows()) for d in self.datasets.values())
        seed = int(self.spec.get("seed", 0))
        self._axes = {name: Axis.from_definition(name, definition, seed=seed)
                      for name, definition in self.spec.get("axes", {}).items()}

    def axis(self, name: str) -> AxisValues:
        if name in self._axes:
            return AxisValues.of_axis(self._axes[name])
        return AxisValues.of_array(self._unique(name))

    def first_rows(self) -> pd.DataFrame:
        return pd.concat([d.head(1).to_pandas() for d in self.datasets.values()], ignore_index=True)

    def categories(self, column: str) -> list[str]:
        return sorted(str(v) for v in self._unique(column))

    def select(self, columns: Sequence[str] | None, model: str | None, where: dict[str, float],
               picks: dict[str, npt.NDArray[np.float64]]) -> pd.DataFrame:
        import pyarrow.compute as pc

        condition = pc.scalar(True)
        for a, v in where.items():
            condition = condition & (pc.field(a) == v)
        for a, values in picks.items():
            condition = condition & pc.field(a).isin(values)
        wanted = list(columns) if columns is not None else self.columns
        parts = []
        for name, dataset in self.datasets.items():
            if model is not None and name != model:
                continue
            read = wanted if "point" in wanted else [*wanted, "point"]
            part = dataset.to_table(columns=read, filter=condition).to_pandas()
            parts.append(part.sort_values("point", kind="stable")[wanted])  # table order, whatever the scan's
        return pd.concat(parts, ignore_index=True)

    def _unique(self, column: str) -> list[Any]:
        import pyarrow.compute as pc

        seen: set[Any] = set()
        for dataset in self.datasets.values():
            for batch in dataset.to_batches(columns=[column]):
                seen.update(pc.unique(batch.column(0)).to_pylist())
        return [v for v in seen if v is not None]
