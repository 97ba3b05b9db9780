"""The on-disk store of a sweep: one Parquet file per finished chunk, a manifest that records each, one writer.

Layout of an output folder::

    DIR/manifest.json              spec, package version, point and chunk counts, units, status
    DIR/chunks.jsonl               the chunk records: one JSON line per finished chunk
    DIR/.lock                      held (an OS file lock) by the one process writing the folder
    DIR/chunks/chunk-000000.parquet
    DIR/chunks/chunk-000001.parquet
    ...

Guarantees, and how they are kept:

- *A chunk file is whole or absent.* It is written under a temporary name (``.chunk-000001.parquet.<pid>.tmp``,
  which no ``*.parquet`` glob matches), fsynced and renamed into place with :func:`os.replace` (atomic).
- *Every finished chunk is recorded* (:mod:`~gametheory.sweeps.records`). After the rename, one line is
  appended to ``chunks.jsonl`` in a single write and fsynced: the chunk's index, model, point range
  ``[start, stop)``, row count, byte size and SHA-256 of the file, and a fingerprint of the spec. A line cut
  short by a kill does not parse and is ignored.
- *Nothing unrecorded or altered is ever read.* Resuming and :func:`load` check every chunk against its record
  (:func:`~gametheory.sweeps.records.verify_chunk`): a file that is missing, unreadable, truncated, of the wrong
  size or hash, recorded for another chunk or spec, or not recorded at all is recomputed by a resume (and each is
  named in :attr:`SweepStore.repaired`) and refused by :func:`load` with a one-line error naming the file. A file
  that is no chunk of the sweep at all (``chunk-000999.parquet`` of an 80-chunk sweep) is refused by both. So no
  point is duplicated or missing in what :func:`load` returns.
- *One writer per folder* (:mod:`~gametheory.sweeps.lock`). Starting, resuming or overwriting takes an
  exclusive :func:`fcntl.flock` on ``DIR/.lock`` before touching anything, and holds it until the run ends; a
  second writer is refused with the owner's pid, host and start time. The OS releases the lock when its process
  dies, however it dies, so a lock left by a killed sweep is taken over by the next one.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import InvalidParameterError, SweepStoreError
from .grid import Chunk, ChunkPlan
from .lock import FolderLock
from .records import ChunkRecords, chunk_record, spec_difference, spec_fingerprint, verify_chunk, write_atomic
from .spec import SweepSpec

__all__ = ["SweepStore", "load"]

MANIFEST = "manifest.json"
FORMAT = "gametheory-sweep/2"


class SweepStore:
    """A sweep's output folder.

    Parameters
    ----------
    path : str or Path
        The folder (created when a sweep starts in it).

    Attributes
    ----------
    repaired : list of str
        What the last :meth:`start` with ``resume`` found wrong and will recompute (one line per chunk file).

    Examples
    --------
    >>> import tempfile
    >>> store = SweepStore(tempfile.mkdtemp())
    >>> store.records.read()
    {}
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.chunk_dir = self.path / "chunks"
        self.records = ChunkRecords(self.path)
        self.repaired: list[str] = []
        self._lock = FolderLock(self.path)
        self._spec_hash = ""

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
        except (OSError, ValueError) as exc:
            raise SweepStoreError(f"{str(self.manifest_path)!r} is unreadable: {exc}.") from exc

    # ------------------------------------------------------------------ writing
    def start(self, spec: SweepSpec, *, resume: bool, overwrite: bool, extra: dict[str, Any]) -> set[int]:
        """Lock the folder and prepare it for ``spec``; returns the indices of the chunks already finished.

        With ``resume`` the folder must hold the same spec; its chunks are checked against their records and
        the bad ones dropped (listed in :attr:`repaired`). Without it, the folder must hold no sweep unless
        ``overwrite`` (then its chunks and records are deleted). The lock is held until :meth:`close`.
        """
        if resume and overwrite:
            raise InvalidParameterError("Give at most one of 'resume' (--resume) and 'overwrite' (--overwrite).")
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            self.chunk_dir.mkdir(exist_ok=True)
            for tmp in [*self.chunk_dir.glob(".*.tmp"), *self.path.glob(".*.tmp")]:
                tmp.unlink(missing_ok=True)  # a chunk whose writer was killed (no writer holds the lock now)
            self._spec_hash = spec_fingerprint(spec.to_dict())
            exists = self.manifest_path.exists()
            if exists and resume:
                old = self.read_manifest()
                change = spec_difference(old.get("spec", {}), spec.to_dict())
                if change:
                    raise InvalidParameterError(
                        f"Cannot resume in {str(self.path)!r}: it holds a different sweep spec ({change}). Use "
                        "another folder or --overwrite."
                    )
                return self._recover(old)
            if exists and not overwrite:
                raise InvalidParameterError(
                    f"{str(self.path)!r} already holds a sweep. Pass resume=True (--resume) to finish it or "
                    "overwrite=True (--overwrite) to start again."
                )
            self.records.replace([])  # first the records, so that no old record outlives the new spec
            for old_chunk in self.chunk_dir.glob("*.parquet"):
                old_chunk.unlink()
            manifest = {
                "format": FORMAT,
                "version": __version__,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "status": "running",
                "spec": spec.to_dict(),
                "spec_sha256": self._spec_hash,
                **extra,
            }
            write_atomic(self.manifest_path, _json_bytes(manifest))
            return set()
        except BaseException:
            self.close()
            raise

    def write_chunk(self, chunk: Chunk, frame: pd.DataFrame) -> Path:
        """Write one chunk atomically (temporary file, fsync, rename), then append its record (fsynced)."""
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False, engine="pyarrow")
        data = buffer.getvalue()
        final = self._file(chunk)
        write_atomic(final, data)
        self.records.append(chunk_record(chunk, len(frame), data, self._spec_hash))
        return final

    def finish(self, **fields: Any) -> None:
        """Mark the sweep complete in the manifest."""
        manifest = self.read_manifest()
        manifest.update(status="complete", finished=datetime.now(UTC).isoformat(timespec="seconds"), **fields)
        write_atomic(self.manifest_path, _json_bytes(manifest))

    def close(self) -> None:
        """Release the folder's lock (a no-op if not held)."""
        self._lock.release()

    # ------------------------------------------------------------------ reading
    def plan(self, manifest: dict[str, Any] | None = None) -> ChunkPlan:
        """The chunks the manifest's sweep is made of."""
        manifest = manifest if manifest is not None else self.read_manifest()
        spec = manifest.get("spec", {})
        try:
            return ChunkPlan(spec["models"], int(manifest["points_per_model"]), int(spec["chunk_size"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise SweepStoreError(
                f"{str(self.manifest_path)!r} is not a manifest of this version of gametheory (format "
                f"{manifest.get('format')!r}, expected {FORMAT!r}); run the sweep again with --overwrite."
            ) from exc

    def verified(self, *, partial: bool = False) -> list[tuple[Chunk, Path]]:
        """Every finished chunk, checked against its record, in chunk order: ``(chunk, file)`` pairs.

        Raises :class:`~gametheory.errors.SweepStoreError` naming the first file that fails a check, a chunk
        file that is no chunk of the sweep, or (unless ``partial``) a chunk not finished yet.
        """
        return [(chunk, self._file(chunk)) for chunk, _ in self._verified(partial=partial, contents=False)]

    def read(self, columns: Iterable[str] | None = None, *, partial: bool = False) -> pd.DataFrame:
        """Every chunk, verified, in chunk order, as one DataFrame (``attrs`` carry the spec and units).

        Each file is read once: its bytes are checked and parsed from memory, so what is checked is what is read.
        """
        import pyarrow.parquet as pq

        manifest = self.read_manifest()
        cols = list(columns) if columns is not None else None
        frames = [pq.read_table(io.BytesIO(data), columns=cols).to_pandas()
                  for _, data in self._verified(partial=partial, contents=True)]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        frame.attrs = {"spec": manifest.get("spec", {}), "units": manifest.get("units", {})}
        return frame

    def datasets(self, *, partial: bool = False) -> dict[str, Any]:
        """The verified chunk files of each model as a :class:`pyarrow.dataset.Dataset` (read lazily), by model.

        One dataset per model: a parameter that one model lacks is a NaN column in its chunks and may be, say, a
        categorical option in another's, so the models' files need not share a schema.
        """
        import pyarrow.dataset as ds

        files: dict[str, list[str]] = {}
        for chunk, path in self.verified(partial=partial):
            files.setdefault(chunk.model, []).append(str(path))
        if not files:
            raise SweepStoreError(f"{str(self.path)!r} holds no finished chunk yet.")
        return {model: ds.dataset(paths, format="parquet") for model, paths in files.items()}

    # ------------------------------------------------------------------ internals
    def _file(self, chunk: Chunk) -> Path:
        return self.chunk_dir / f"{chunk.name}.parquet"

    def _verified(self, *, partial: bool, contents: bool) -> list[tuple[Chunk, bytes | None]]:
        """The checked chunks in order, with their bytes if ``contents``; raises on the first problem."""
        manifest = self.read_manifest()
        plan = self.plan(manifest)
        out = []
        for chunk, problem, data in self._checked(plan, self.records.read(), manifest.get("spec_sha256", ""),
                                                  contents=contents):
            if problem:
                raise SweepStoreError(f"{problem}; run the sweep again with --resume to recompute it.")
            out.append((chunk, data))
        if not partial and len(out) != plan.count:
            raise SweepStoreError(
                f"{str(self.path)!r} holds an unfinished sweep ({len(out)} of {plan.count} chunks): finish it "
                "with --resume, or pass partial=True to read the chunks finished so far."
            )
        return out

    def _checked(self, plan: ChunkPlan, records: dict[int, dict[str, Any]], spec_hash: str, *,
                 contents: bool = False) -> Iterator[tuple[Chunk, str, bytes | None]]:
        """Each chunk that has a record or a file, in order: the chunk, what is wrong with it ('' if nothing)
        and, with ``contents``, the bytes that were checked (None otherwise).

        A ``*.parquet`` file that is no chunk of the plan is refused outright (one line naming it); a record of
        an index beyond the plan is no chunk either and is passed over.
        """
        present = set()
        for path in sorted(self.chunk_dir.glob("*.parquet")):
            stem = path.stem
            index = int(stem[6:]) if stem.startswith("chunk-") and stem[6:].isdigit() else -1
            if not 0 <= index < plan.count:
                raise SweepStoreError(
                    f"{str(path)!r} is no chunk of the sweep in {str(self.path)!r} (it has chunks 0 to "
                    f"{plan.count - 1}); remove it, or start again with --overwrite."
                )
            present.add(index)
        for index in sorted(present | {i for i in records if 0 <= i < plan.count}):
            chunk, path = plan[index], self._file(plan[index])
            data = path.read_bytes() if contents and index in present else None
            problem = verify_chunk(chunk, records.get(index), path, spec_hash, data=data)
            yield chunk, problem, data

    def _recover(self, manifest: dict[str, Any]) -> set[int]:
        """Check every chunk file and record of a resumed sweep; keep the good ones, drop and list the others."""
        plan = self.plan(manifest)
        records = self.records.read()
        good: dict[int, dict[str, Any]] = {}
        self.repaired = []
        for chunk, problem, _ in self._checked(plan, records, self._spec_hash):
            if problem:
                self.repaired.append(f"{problem}: recomputed")
                self._file(chunk).unlink(missing_ok=True)
            else:
                good[chunk.index] = records[chunk.index]
        self.records.replace(good.values())
        manifest.update(status="running", spec_sha256=self._spec_hash)
        write_atomic(self.manifest_path, _json_bytes(manifest))
        return set(good)


def load(path: str | Path, *, columns: Iterable[str] | None = None, partial: bool = False) -> pd.DataFrame:
    """Read a sweep's output folder back as one DataFrame, every chunk checked against the manifest.

    Parameters
    ----------
    path : str or Path
        The folder written by :func:`gametheory.sweep` with ``out=`` or by ``gametheory sweep``.
    columns : list of str, optional
        Read only these columns.
    partial : bool
        Accept an unfinished sweep (the chunks finished so far); by default every chunk must be there.

    Returns
    -------
    pandas.DataFrame
        Rows in chunk order, each point once; ``attrs["spec"]`` and ``attrs["units"]`` from the manifest.

    Raises
    ------
    SweepStoreError
        A chunk file missing, altered, truncated or not in the manifest, a file that is no chunk of the sweep,
        or (unless ``partial``) an unfinished sweep: one line naming the file.

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> out = tempfile.mkdtemp()
    >>> df = gt.sweep("direct", grid={"detection_prob": [0.2, 0.8]}, out=out, progress=False)
    >>> load(out).equals(df)
    True
    """
    return SweepStore(path).read(columns, partial=partial)


def _json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")
