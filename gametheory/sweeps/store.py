"""The on-disk store of a sweep: one Parquet file per finished chunk, and a JSON manifest.

Layout of an output folder::

    DIR/manifest.json              spec, package version, point and chunk counts, units, status
    DIR/chunks/chunk-000000.parquet
    DIR/chunks/chunk-000001.parquet
    ...

A chunk file is written under a temporary name (``.chunk-000001.parquet.<pid>.tmp``, which no ``*.parquet``
glob matches) and renamed into place with :func:`os.replace`, which is atomic: a chunk file exists whole or not
at all, whenever the process is killed. Resuming therefore only has to skip the chunks whose file exists, and
reading every ``*.parquet`` file under the folder gives the whole table with no row lost or duplicated.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InvalidParameterError
from .grid import Chunk
from .spec import SweepSpec

__all__ = ["SweepStore", "load"]

MANIFEST = "manifest.json"
FORMAT = "gametheory-sweep/1"


class SweepStore:
    """A sweep's output folder.

    Parameters
    ----------
    path : str or Path
        The folder (created if missing).

    Examples
    --------
    >>> import tempfile
    >>> store = SweepStore(tempfile.mkdtemp())
    >>> store.finished()
    set()
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.chunk_dir = self.path / "chunks"

    @property
    def manifest_path(self) -> Path:
        """Where the manifest lives."""
        return self.path / MANIFEST

    def read_manifest(self) -> dict[str, Any]:
        """The manifest as a dict (an error if the folder holds no sweep)."""
        try:
            return dict(json.loads(self.manifest_path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise InvalidParameterError(f"{str(self.path)!r} holds no sweep (no {MANIFEST}).") from exc

    def start(self, spec: SweepSpec, *, resume: bool, overwrite: bool, extra: dict[str, Any]) -> set[int]:
        """Prepare the folder for ``spec``; returns the indices of chunks already finished.

        With ``resume`` the folder must hold the same spec; without it, it must hold no sweep unless
        ``overwrite`` (then its chunk files are deleted).
        """
        from .. import __version__

        self.chunk_dir.mkdir(parents=True, exist_ok=True)
        for tmp in self.chunk_dir.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)  # a chunk whose writer was killed
        exists = self.manifest_path.exists()
        if exists and resume:
            old = self.read_manifest()
            if old.get("spec") != spec.to_dict():
                raise InvalidParameterError(
                    f"Cannot resume in {str(self.path)!r}: it holds a different sweep spec. Use another folder "
                    "or overwrite it."
                )
            return self.finished()
        if exists and not overwrite:
            raise InvalidParameterError(
                f"{str(self.path)!r} already holds a sweep. Pass resume=True (--resume) to finish it or "
                "overwrite=True (--overwrite) to start again."
            )
        for old_chunk in self.chunk_dir.glob("*.parquet"):
            old_chunk.unlink()
        manifest = {
            "format": FORMAT,
            "version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "status": "running",
            "spec": spec.to_dict(),
            **extra,
        }
        self._write_json(self.manifest_path, manifest)
        return set()

    def finish(self, **fields: Any) -> None:
        """Mark the sweep complete in the manifest."""
        manifest = self.read_manifest()
        manifest.update(status="complete", finished=datetime.now(UTC).isoformat(timespec="seconds"), **fields)
        self._write_json(self.manifest_path, manifest)

    def finished(self) -> set[int]:
        """Indices of the chunks whose file is complete."""
        return {int(p.stem.split("-")[1]) for p in self.chunk_dir.glob("chunk-*.parquet")}

    def write_chunk(self, chunk: Chunk, frame: pd.DataFrame) -> Path:
        """Write one chunk atomically (temporary file, fsync, rename)."""
        final = self.chunk_dir / f"{chunk.name}.parquet"
        tmp = self.chunk_dir / f".{chunk.name}.parquet.{os.getpid()}.tmp"
        frame.to_parquet(tmp, index=False, engine="pyarrow")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        return final

    def read(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """Every finished chunk, in chunk order, as one DataFrame (``attrs`` carry the spec and units)."""
        files = sorted(self.chunk_dir.glob("chunk-*.parquet"))
        cols = list(columns) if columns is not None else None
        frames = [pd.read_parquet(f, columns=cols, engine="pyarrow") for f in files]
        manifest = self.read_manifest()
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        frame.attrs = {"spec": manifest.get("spec", {}), "units": manifest.get("units", {})}
        return frame

    @staticmethod
    def _write_json(path: Path, data: dict[str, Any]) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def load(path: str | Path) -> pd.DataFrame:
    """Read a sweep's output folder back as one DataFrame.

    Parameters
    ----------
    path : str or Path
        The folder written by :func:`gametheory.sweep` with ``out=`` or by ``gametheory sweep``.

    Returns
    -------
    pandas.DataFrame
        Rows in chunk order; ``attrs["spec"]`` and ``attrs["units"]`` from the manifest.

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> out = tempfile.mkdtemp()
    >>> df = gt.sweep("direct", grid={"detection_prob": [0.2, 0.8]}, out=out, progress=False)
    >>> load(out).equals(df)
    True
    """
    return SweepStore(path).read()
