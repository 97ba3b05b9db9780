"""Parameter sweeps: grid specs (Python or TOML), chunked vectorised evaluation, backends, a Parquet store.

>>> import gametheory as gt
>>> df = gt.sweep("direct", grid={"detection_prob": [0.2, 0.8]}, progress=False)
>>> len(df), df["model"].iloc[0]
(2, 'direct')

See ``docs/sweeps.md``. The modules: :mod:`~gametheory.sweeps.spec` (what to sweep), :mod:`~.grid` (points and
chunks), :mod:`~.evaluate` (one chunk to a table), :mod:`~.backends` (where chunks run), :mod:`~.store` (Parquet
files and the manifest), :mod:`~.records` (each chunk's record and its check), :mod:`~.lock` (one writer per
folder), :mod:`~.progress` and :mod:`~.run` (the loop).
"""

from __future__ import annotations

from ..errors import SweepStoreError
from .backends import BACKENDS
from .grid import Chunk, ChunkPlan, chunks
from .run import SweepRun, run_sweep, sweep
from .spec import OUTPUTS, Axis, SweepSpec
from .store import SweepStore, load

__all__ = ["sweep", "run_sweep", "load", "SweepSpec", "Axis", "SweepRun", "SweepStore", "SweepStoreError", "Chunk",
           "ChunkPlan", "chunks", "OUTPUTS", "BACKENDS"]
