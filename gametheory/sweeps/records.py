"""The chunk records of a sweep folder (``DIR/chunks.jsonl``) and the check of a chunk file against its record.

One JSON line per finished chunk, appended in a single write and fsynced right after the chunk file is renamed
into place: its index, model, point range ``[start, stop)``, row count, byte size, SHA-256, and the fingerprint
of the spec it was computed for. A line cut short by a kill does not parse and is ignored, so the chunk it would
have recorded counts as not recorded. Appending costs one short write per chunk, however many chunks there are
(rewriting one manifest after every chunk would write the whole table of records each time).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .grid import Chunk

__all__ = ["ChunkRecords", "RECORDS", "chunk_record", "verify_chunk", "spec_fingerprint", "spec_difference",
           "write_atomic"]

RECORDS = "chunks.jsonl"


class ChunkRecords:
    """The record file of a folder.

    Examples
    --------
    >>> import tempfile
    >>> records = ChunkRecords(tempfile.mkdtemp())
    >>> records.append({"index": 0, "rows": 5}); records.append({"index": 1, "rows": 5})
    >>> sorted(records.read())
    [0, 1]
    """

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / RECORDS

    def read(self) -> dict[int, dict[str, Any]]:
        """The records by chunk index (an empty or torn line is skipped; a later record of an index wins)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        out: dict[int, dict[str, Any]] = {}
        for line in raw.split(b"\n"):
            try:
                record = json.loads(line)
                out[int(record["index"])] = record
            except (ValueError, KeyError, TypeError):
                continue
        return out

    def append(self, record: dict[str, Any]) -> None:
        """Append one record: a single write of the whole line, then fsync."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, _line(record))
            os.fsync(fd)
        finally:
            os.close(fd)

    def replace(self, records: Iterable[dict[str, Any]]) -> None:
        """Replace every record at once (atomically): the kept records of a resumed sweep, or none."""
        write_atomic(self.path, b"".join(_line(r) for r in records))


def chunk_record(chunk: Chunk, rows: int, data: bytes, spec_hash: str) -> dict[str, Any]:
    """The record of a chunk whose Parquet file holds ``data``.

    Examples
    --------
    >>> r = chunk_record(Chunk(2, "direct", 20, 30), 10, b"parquet bytes", "f00")
    >>> r["start"], r["stop"], r["rows"], r["bytes"], r["sha256"][:8]
    (20, 30, 10, 13, 'e6796087')
    """
    return {"index": chunk.index, "model": chunk.model, "start": chunk.start, "stop": chunk.stop, "rows": rows,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "spec": spec_hash}


def verify_chunk(chunk: Chunk, record: dict[str, Any] | None, path: Path, spec_hash: str, *,
                 data: bytes | None = None) -> str:
    """What is wrong with a chunk's file against its record ('' when nothing is).

    The checks, in order: the chunk is recorded; its record belongs to this spec and to this chunk (model,
    point range, row count); the file exists; its size and SHA-256 are the recorded ones. A file that is
    truncated, empty or unreadable fails on its size or its hash. Pass the file's ``data`` when it has been
    read already: what is checked is then exactly what was read.

    Examples
    --------
    >>> from pathlib import Path
    >>> verify_chunk(Chunk(3, "direct", 30, 40), None, Path("d/chunks/chunk-000003.parquet"), "")
    "'d/chunks/chunk-000003.parquet' is not in the manifest"
    """
    label = repr(str(path))
    if record is None:
        return f"{label} is not in the manifest"
    if record.get("spec") != spec_hash:
        return f"{label} is recorded for another sweep spec"
    expected = {"model": chunk.model, "start": chunk.start, "stop": chunk.stop, "rows": chunk.size}
    wrong = [f"{k} {record.get(k)!r} (expected {v!r})" for k, v in expected.items() if record.get(k) != v]
    if wrong:
        return f"{label} is recorded for another chunk: {', '.join(wrong)}"
    if data is None and not path.exists():
        return f"{label} is missing"
    size = path.stat().st_size if data is None else len(data)
    if size != record.get("bytes"):
        return f"{label} has {size:,} bytes; the manifest records {record.get('bytes'):,}"
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    else:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if digest != record.get("sha256"):
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it, fsync, rename.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.json"
    >>> write_atomic(target, b"{}"); target.read_bytes()
    b'{}'
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, separators=(",", ":")) + "\n").encode()


def _short(value: Any) -> str:
    text = value if value == "<absent>" else json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
