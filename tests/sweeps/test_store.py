"""The store loses nothing and invents nothing: every chunk is checked against its record on resume and load.

Each case of issue 22 as a careless user or an attacker would do it: a zero-byte, truncated, altered, deleted,
copied-over or unrecorded chunk, a stray chunk file, a torn record line, a changed spec, contradictory flags,
and a second writer in the same folder.
"""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from gametheory.errors import InvalidParameterError, SweepStoreError
from gametheory.sweeps.run import _execute
from gametheory.sweeps.store import SweepStore, load

HERE = Path(__file__).parent

from tests.sweeps._standin import Task, make_spec  # noqa: E402

N_CHUNKS = 30  # make_spec(): 2 models x 100 points, chunks of 7


def _run(out, *, spec=None, resume=False, overwrite=False):
    spec = spec or make_spec()
    return _execute(spec, SweepStore(out), resume=resume, overwrite=overwrite, backend="inprocess",
                    workers=None, scheduler=None, progress="off", task=Task(spec))


@pytest.fixture()
def full(tmp_path):
    """A finished stand-in sweep in tmp_path/'d', and its table."""
    _run(tmp_path / "d")
    return tmp_path / "d", load(tmp_path / "d")


def _chunk(folder, index):
    return folder / "chunks" / f"chunk-{index:06d}.parquet"


def _zero_bytes(folder):
    _chunk(folder, 3).write_bytes(b"")


def _truncated(folder):
    data = _chunk(folder, 3).read_bytes()
    _chunk(folder, 3).write_bytes(data[: len(data) // 2])


def _one_byte_changed(folder):
    data = bytearray(_chunk(folder, 3).read_bytes())
    data[len(data) // 2] ^= 0xFF
    _chunk(folder, 3).write_bytes(bytes(data))


def _copied_over(folder):  # the case: another chunk copied over chunk 3
    shutil.copyfile(_chunk(folder, 14), _chunk(folder, 3))


def _copied_over_same_size(folder):  # a chunk of exactly chunk 3's size: only the hash tells them apart
    size = _chunk(folder, 3).stat().st_size
    twin = next(i for i in range(N_CHUNKS) if i != 3 and _chunk(folder, i).stat().st_size == size)
    shutil.copyfile(_chunk(folder, twin), _chunk(folder, 3))


def _deleted(folder):
    _chunk(folder, 3).unlink()


def _unrecorded(folder):  # killed between the rename and the record: the file is whole but not in the manifest
    records = folder / "chunks.jsonl"
    lines = [line for line in records.read_text().splitlines() if json.loads(line)["index"] != 3]
    records.write_text("\n".join(lines) + "\n")


def _torn_record(folder):  # killed in the middle of appending chunk 3's record (moved to the end first)
    records = folder / "chunks.jsonl"
    lines = records.read_text().splitlines()
    mine = next(line for line in lines if json.loads(line)["index"] == 3)
    rest = [line for line in lines if line != mine]
    records.write_text("\n".join(rest) + "\n" + mine[: len(mine) // 2])


def _record_of_another_chunk(folder):  # chunk 4's file and record relabelled as chunk 3's
    records = folder / "chunks.jsonl"
    lines = [json.loads(line) for line in records.read_text().splitlines()]
    four = next(r for r in lines if r["index"] == 4)
    lines = [dict(four, index=3) if r["index"] == 3 else r for r in lines]
    records.write_text("".join(json.dumps(r) + "\n" for r in lines))
    shutil.copyfile(_chunk(folder, 4), _chunk(folder, 3))


DAMAGE = {
    "zero_bytes": (_zero_bytes, "has 0 bytes; the manifest records"),
    "truncated": (_truncated, "bytes; the manifest records"),
    "one_byte_changed": (_one_byte_changed, "does not match its content hash"),
    "copied_over": (_copied_over, "bytes; the manifest records"),
    "copied_over_by_a_chunk_of_the_same_size": (_copied_over_same_size, "does not match its content hash"),
    "deleted": (_deleted, "is missing"),
    "unrecorded": (_unrecorded, "is not in the manifest"),
    "torn_record_line": (_torn_record, "is not in the manifest"),
    "record_of_another_chunk": (_record_of_another_chunk, "is recorded for another chunk"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_chunk_is_refused_by_load_and_recomputed_by_resume(full, damage):
    folder, table = full
    harm, message = DAMAGE[damage]
    harm(folder)
    with pytest.raises((SweepStoreError, InvalidParameterError)) as refused:
        load(folder)
    text = str(refused.value)
    assert "\n" not in text
    assert "chunk-000003.parquet" in text or "unfinished sweep (29 of 30 chunks)" in text
    run = _run(folder, resume=True)
    assert (run.computed, run.skipped) == (1, N_CHUNKS - 1)
    assert len(run.repaired) == 1 and "chunk-000003.parquet" in run.repaired[0] and message in run.repaired[0]
    again = load(folder)
    assert not again.duplicated(["model", "point"]).any()
    pd.testing.assert_frame_equal(again, table)


def test_load_names_the_damaged_file(full):
    folder, _ = full
    _truncated(folder)
    with pytest.raises(SweepStoreError, match=r"chunk-000003\.parquet' has \d[\d,]* bytes; the manifest records"):
        load(folder)


def test_a_stray_chunk_file_is_refused_by_load_and_resume(full):
    folder, table = full
    shutil.copyfile(_chunk(folder, 1), folder / "chunks" / "chunk-000999.parquet")
    for attempt in (lambda: load(folder), lambda: _run(folder, resume=True)):
        with pytest.raises(SweepStoreError, match=r"chunk-000999\.parquet' is no chunk of the sweep .* 0 to 29"):
            attempt()
    (folder / "chunks" / "chunk-000999.parquet").unlink()
    pd.testing.assert_frame_equal(load(folder), table)


def test_an_unfinished_sweep_loads_only_with_partial_and_then_exactly_its_finished_chunks(full):
    folder, table = full
    for index in (5, 6, 29):
        _chunk(folder, index).unlink()
    records = folder / "chunks.jsonl"
    kept = [line for line in records.read_text().splitlines() if json.loads(line)["index"] not in (5, 6, 29)]
    records.write_text("\n".join(kept) + "\n")
    with pytest.raises(SweepStoreError, match=r"unfinished sweep \(27 of 30 chunks\)"):
        load(folder)
    part = load(folder, partial=True)
    assert not part.duplicated(["model", "point"]).any()
    missing = set(map(tuple, table[["model", "point"]].to_numpy())) - set(map(tuple, part[["model", "point"]]
                                                                            .to_numpy()))
    assert len(missing) == 7 + 7 + 2  # chunks 5 and 6 (alpha), 29 (the last of beta: 100 - 14 * 7 = 2)


def test_resume_refused_for_a_changed_spec_names_the_key(tmp_path):
    _run(tmp_path, spec=make_spec(chunk_size=7))
    with pytest.raises(InvalidParameterError, match="different sweep spec \\(chunk_size is 7 in the folder and 8 now"):
        _run(tmp_path, spec=make_spec(chunk_size=8), resume=True)
    changed = r"axes\.x\.linspace is \[0, 1, 50\] in the folder and \[0, 1, 51\] now"
    with pytest.raises(InvalidParameterError, match=changed):
        _run(tmp_path, spec=make_spec(n=51), resume=True)


def test_resume_and_overwrite_together_are_refused(tmp_path):
    _run(tmp_path)
    with pytest.raises(InvalidParameterError, match="at most one of 'resume' .* and 'overwrite'"):
        _run(tmp_path, resume=True, overwrite=True)
    assert load(tmp_path).shape[0] == 200  # untouched


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path):
    spec = make_spec()
    first = SweepStore(tmp_path)
    first.start(spec, resume=False, overwrite=False, extra={"points_per_model": spec.points_per_model})
    try:
        for resume, overwrite in ((False, False), (True, False), (False, True)):
            with pytest.raises(SweepStoreError, match=r"is being written by another sweep \(pid \d+ on .*, since "):
                SweepStore(tmp_path).start(spec, resume=resume, overwrite=overwrite, extra={})
    finally:
        first.close()
    assert (tmp_path / ".lock").read_text() == ""  # released: no owner written any more
    run = _run(tmp_path, overwrite=True)
    assert run.computed == N_CHUNKS


def test_a_stale_lock_file_of_a_dead_writer_is_taken_over(tmp_path):
    _run(tmp_path)
    (tmp_path / ".lock").write_text("999999 some-host 2026-01-01T00:00:00+00:00\n")  # no process holds it
    run = _run(tmp_path, overwrite=True)
    assert run.computed == N_CHUNKS
    assert len(load(tmp_path)) == 200


def test_records_hold_range_rows_size_and_hash(full):
    folder, _ = full
    records = SweepStore(folder).records.read()
    assert sorted(records) == list(range(N_CHUNKS))
    first = records[0]
    assert (first["model"], first["start"], first["stop"], first["rows"]) == ("alpha", 0, 7, 7)
    assert first["bytes"] == _chunk(folder, 0).stat().st_size
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {r["spec"] for r in records.values()} == {manifest["spec_sha256"]}


def test_gt_sweep_resumed_over_a_damaged_chunk_warns_and_returns_every_point_once(tmp_path):
    import gametheory as gt

    grid = {"penalty_multiplier": [0, 1, 2, 3], "deposit": [10, 100, 1000]}
    first = gt.sweep("direct", grid=grid, chunk_size=5, out=tmp_path, progress=False)
    shutil.copyfile(_chunk(tmp_path, 0), _chunk(tmp_path, 1))  # 5 points duplicated, 5 missing
    with pytest.warns(UserWarning, match=r"chunk-000001\.parquet' .*: recomputed"):
        again = gt.sweep("direct", grid=grid, chunk_size=5, out=tmp_path, resume=True, progress=False)
    assert not again.duplicated(["model", "point"]).any()
    pd.testing.assert_frame_equal(again, first)
