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
- *Every finished chunk is recorded.* After the rename, one line is appended to ``chunks.jsonl`` in a single
  write and fsynced: the chunk's index, model, point range ``[start, stop)``, row count, byte size and SHA-256 of
  the file, and a fingerprint of the spec. A line cut short by a kill does not parse and is ignored.
- *Nothing unrecorded or altered is ever read.* Resuming and :func:`load` check every chunk against its record
  (:func:`verify_chunk`): a file that is missing, unreadable, truncated, of the wrong size or hash, recorded for
  another chunk or spec, or not recorded at all is recomputed by a resume (and each is named in
  :attr:`SweepStore.repaired`) and refused by :func:`load` with a one-line error naming the file. A file that is
  no chunk of the sweep at all (``chunk-000999.parquet`` of an 80-chunk sweep) is refused by both. So no point is
  duplicated or missing in what :func:`load` returns.
- *One writer per folder.* Starting, resuming or overwriting takes an exclusive :func:`fcntl.flock` on
  ``DIR/.lock`` before touching anything, and holds it until the run ends; a second writer is refused with the
  owner's pid, host and start time. The OS releases the lock when its process dies, however it dies, so a lock
  left by a killed sweep is taken over by the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InvalidParameterError, SweepStoreError
from .grid import Chunk, ChunkPlan
from .spec import SweepSpec

__all__ = ["SweepStore", "load", "verify_chunk", "spec_fingerprint", "spec_difference"]

MANIFEST = "manifest.json"
RECORDS = "chunks.jsonl"
LOCK = ".lock"
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
    >>> store.records()
    {}
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.chunk_dir = self.path / "chunks"
        self.repaired: list[str] = []
        self._lock_fd: int | None = None
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
        from .. import __version__

        if resume and overwrite:
            raise InvalidParameterError("Give at most one of 'resume' (--resume) and 'overwrite' (--overwrite).")
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock()
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
            _write_atomic(self.path / RECORDS, b"")  # first the records, so no old record outlives the new spec
            for old_chunk in self.chunk_dir.glob("*.parquet"):
                old_chunk.unlink()
            manifest = {
                "format": FORMAT,
                "version": __version__,
                "created": _now(),
                "status": "running",
                "spec": spec.to_dict(),
                "spec_sha256": self._spec_hash,
                **extra,
            }
            _write_atomic(self.manifest_path, _json_bytes(manifest))
            return set()
        except BaseException:
            self.close()
            raise

    def write_chunk(self, chunk: Chunk, frame: pd.DataFrame) -> Path:
        """Write one chunk atomically (temporary file, fsync, rename), then append its record (fsynced)."""
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False, engine="pyarrow")
        data = buffer.getvalue()
        final = self.chunk_dir / f"{chunk.name}.parquet"
        _write_atomic(final, data)
        record = {"index": chunk.index, "model": chunk.model, "start": chunk.start, "stop": chunk.stop,
                  "rows": len(frame), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                  "spec": self._spec_hash}
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.path / RECORDS, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line)  # one write: the line is whole, or cut short and then ignored
            os.fsync(fd)
        finally:
            os.close(fd)
        return final

    def finish(self, **fields: Any) -> None:
        """Mark the sweep complete in the manifest."""
        manifest = self.read_manifest()
        manifest.update(status="complete", finished=_now(), **fields)
        _write_atomic(self.manifest_path, _json_bytes(manifest))

    def close(self) -> None:
        """Release the folder's lock (a no-op if not held)."""
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)  # no owner any more
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # ------------------------------------------------------------------ reading
    def records(self) -> dict[int, dict[str, Any]]:
        """The chunk records, by chunk index (a line cut short by a kill is skipped; the last record wins)."""
        try:
            raw = (self.path / RECORDS).read_bytes()
        except FileNotFoundError:
            return {}
        out: dict[int, dict[str, Any]] = {}
        for line in raw.split(b"\n"):
            try:
                record = json.loads(line)
                out[int(record["index"])] = record
            except (ValueError, KeyError, TypeError):
                continue  # an empty or torn line
        return out

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
        manifest = self.read_manifest()
        plan = self.plan(manifest)
        records = self.records()
        spec_hash = manifest.get("spec_sha256", "")
        self._refuse_strays(plan)
        out = []
        for index in sorted(set(records) | self._files(plan)):
            chunk = plan[index]
            problem = verify_chunk(chunk, records.get(index), self._file(chunk), spec_hash)
            if problem:
                raise SweepStoreError(f"{problem}; run the sweep again with --resume to recompute it.")
            out.append((chunk, self._file(chunk)))
        if not partial and len(out) != plan.count:
            raise SweepStoreError(
                f"{str(self.path)!r} holds an unfinished sweep ({len(out)} of {plan.count} chunks): finish it "
                "with --resume, or pass partial=True to read the chunks finished so far."
            )
        return out

    def read(self, columns: Iterable[str] | None = None, *, partial: bool = False) -> pd.DataFrame:
        """Every chunk, verified, in chunk order, as one DataFrame (``attrs`` carry the spec and units).

        Each file is read once: its bytes are hashed and parsed from memory, so what is checked is what is read.
        """
        import pyarrow.parquet as pq

        manifest = self.read_manifest()
        records = self.records()
        cols = list(columns) if columns is not None else None
        frames = []
        for chunk, path in self.verified(partial=partial):
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != records[chunk.index]["sha256"]:  # changed since verified
                raise SweepStoreError(f"{str(path)!r} changed while it was read; read it again.")
            frames.append(pq.read_table(io.BytesIO(data), columns=cols).to_pandas())
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
    def _lock(self) -> None:
        fd = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 512, 0).decode(errors="replace").split()
            os.close(fd)
            who = f"pid {owner[0]} on {owner[1]}, since {owner[2]}" if len(owner) >= 3 else "another process"
            raise SweepStoreError(
                f"{str(self.path)!r} is being written by another sweep ({who}); wait for it to end or use "
                "another folder."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {_now()}\n".encode(), 0)
        self._lock_fd = fd

    def _file(self, chunk: Chunk) -> Path:
        return self.chunk_dir / f"{chunk.name}.parquet"

    def _files(self, plan: ChunkPlan) -> set[int]:
        """Indices of the chunk files present (strays excluded: see :meth:`_refuse_strays`)."""
        found = set()
        for path in self.chunk_dir.glob("*.parquet"):
            index = _index_of(path)
            if index is not None and index < plan.count:
                found.add(index)
        return found

    def _refuse_strays(self, plan: ChunkPlan) -> None:
        for path in sorted(self.chunk_dir.glob("*.parquet")):
            index = _index_of(path)
            if index is None or index >= plan.count:
                raise SweepStoreError(
                    f"{str(path)!r} is no chunk of the sweep in {str(self.path)!r} (it has chunks 0 to "
                    f"{plan.count - 1}); remove it, or start again with --overwrite."
                )

    def _recover(self, manifest: dict[str, Any]) -> set[int]:
        """Check every chunk file and record of a resumed sweep; keep the good ones, drop and list the others."""
        manifest["spec_sha256"] = self._spec_hash
        plan = self.plan(manifest)
        self._refuse_strays(plan)
        records = self.records()
        good: dict[int, dict[str, Any]] = {}
        self.repaired = []
        for index in sorted(set(records) | self._files(plan)):
            chunk = plan[index]
            problem = verify_chunk(chunk, records.get(index), self._file(chunk), self._spec_hash)
            if problem:
                self.repaired.append(f"{problem}: recomputed")
                self._file(chunk).unlink(missing_ok=True)
            else:
                good[index] = records[index]
        lines = b"".join((json.dumps(r, separators=(",", ":")) + "\n").encode() for r in good.values())
        _write_atomic(self.path / RECORDS, lines)
        manifest["status"] = "running"
        _write_atomic(self.manifest_path, _json_bytes(manifest))
        return set(good)


def verify_chunk(chunk: Chunk, record: dict[str, Any] | None, path: Path, spec_hash: str) -> str:
    """What is wrong with a chunk's file against its record ('' when nothing is).

    The checks, in order: the chunk is recorded; its record belongs to this spec and to this chunk (model,
    point range, row count); the file exists; its size and SHA-256 are the recorded ones.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> verify_chunk(Chunk(3, "direct", 30, 40), None, pathlib.Path("d/chunks/chunk-000003.parquet"), "")
    "'d/chunks/chunk-000003.parquet' is not in the manifest"
    """
    label = repr(str(path))
    if record is None:
        return f"{label} is not in the manifest"
    expected = {"model": chunk.model, "start": chunk.start, "stop": chunk.stop, "rows": chunk.size}
    if record.get("spec") != spec_hash:
        return f"{label} is recorded for another sweep spec"
    wrong = [f"{k} {record.get(k)!r} (expected {v!r})" for k, v in expected.items() if record.get(k) != v]
    if wrong:
        return f"{label} is recorded for another chunk: {', '.join(wrong)}"
    if not path.exists():
        return f"{label} is missing"
    size = path.stat().st_size
    if size != record.get("bytes"):
        return f"{label} has {size:,} bytes; the manifest records {record.get('bytes'):,}"
    if _sha256(path) != record.get("sha256"):
        return f"{label} does not match its content hash in the manifest"
    return ""


def spec_fingerprint(spec: dict[str, Any]) -> str:
    """SHA-256 of a spec's canonical JSON (what a chunk record is tied to).

    Examples
    --------
    >>> spec_fingerprint({"a": 1}) == spec_fingerprint({"a": 1}), len(spec_fingerprint({}))
    (True, 64)
    """
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def spec_difference(old: dict[str, Any], new: dict[str, Any], where: str = "") -> str:
    """The first key whose value differs between two spec dicts, with both values ('' if none).

    Examples
    --------
    >>> spec_difference({"chunk_size": 7, "axes": {"x": [1]}}, {"chunk_size": 7, "axes": {"x": [2]}})
    'axes.x is [1] in the folder and [2] now'
    """
    for key in dict.fromkeys([*old, *new]):
        path = f"{where}.{key}" if where else str(key)
        a, b = old.get(key, "<absent>"), new.get(key, "<absent>")
        if isinstance(a, dict) and isinstance(b, dict):
            inner = spec_difference(a, b, path)
            if inner:
                return inner
        elif a != b:
            return f"{path} is {_short(a)} in the folder and {_short(b)} now"
    return ""


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


def _index_of(path: Path) -> int | None:
    stem = path.stem
    if not stem.startswith("chunk-") or not stem[6:].isdigit():
        return None
    return int(stem[6:])


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _short(value: Any) -> str:
    text = value if value == "<absent>" else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file, fsync, rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)

