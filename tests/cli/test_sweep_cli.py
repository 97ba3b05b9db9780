"""The sweep, report and compare commands: files written, one-line errors with exit code 2."""

import json

import pandas as pd
import pytest

from gametheory.cli import main
from gametheory.sweeps import load

SPEC = """\
title = "CLI sweep"
model = "direct"
chunk_size = 4
[axes]
penalty_multiplier = [0, 2, 4]
detection_prob = [0.2, 0.8]
"""


@pytest.fixture()
def spec(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text(SPEC)
    return path


def test_sweep_then_report(spec, tmp_path, capsys):
    assert main(["sweep", str(spec), "--out", str(tmp_path / "run"), "--quiet"]) == 0
    assert "6 points in 2 chunks" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["spec"]["title"] == "CLI sweep"
    assert len(load(tmp_path / "run")) == 6
    assert main(["report", str(tmp_path / "run"), "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "index.html").exists()
    assert (tmp_path / "report" / "index.md").exists()


def test_sweep_again_needs_resume_and_resume_is_a_no_op(spec, tmp_path, capsys):
    out = str(tmp_path / "run")
    assert main(["sweep", str(spec), "--out", out, "--quiet"]) == 0
    before = load(out)
    assert main(["sweep", str(spec), "--out", out, "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["sweep", str(spec), "--out", out, "--resume", "--quiet"]) == 0
    assert "2 already done" in capsys.readouterr().out
    pd.testing.assert_frame_equal(load(out), before)


def test_resume_and_overwrite_together_are_a_usage_error(spec, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["sweep", str(spec), "--out", str(tmp_path / "run"), "--resume", "--overwrite"])
    assert stopped.value.code == 2
    assert "argument --overwrite: not allowed with argument --resume" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_resume_recomputes_a_damaged_chunk_and_says_which(spec, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    full = load(out)
    (out / "chunks" / "chunk-000001.parquet").write_bytes(b"")  # the zero-byte chunk
    capsys.readouterr()
    assert main(["report", str(out), "--out", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "chunk-000001.parquet' has 0 bytes; the manifest records" in err[0]
    assert main(["sweep", str(spec), "--out", str(out), "--resume", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "(1 computed, 1 already done)" in captured.out
    assert "chunk-000001.parquet' has 0 bytes" in captured.err and "recomputed" in captured.err
    pd.testing.assert_frame_equal(load(out), full)


def test_progress_lines_when_not_a_terminal(spec, tmp_path, capsys):
    assert main(["sweep", str(spec), "--out", str(tmp_path / "run")]) == 0
    assert "6/6 points (100%)" in capsys.readouterr().err


def test_malformed_spec_is_one_line_with_its_line_number(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('model = "direct"\n[axes]\ndeposti = [1, 2]\n')
    assert main(["sweep", str(bad), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "bad.toml, line 3" in err and "Did you mean 'deposit'?" in err


def test_report_of_a_folder_without_a_sweep(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    assert "holds no sweep" in capsys.readouterr().err


def test_compare_writes_the_flagship_report(tmp_path, capsys):
    assert main(["compare", "--set", "price=80", "--resolution", "7", "--out", str(tmp_path / "cmp")]) == 0
    html = (tmp_path / "cmp" / "index.html").read_text()
    assert "price = 80" in html
    for question in ("punitive compensation", "deposit defeats", "insurance add", "escrow cost"):
        assert question in html
    assert "<img" in html and "data:image/png;base64," in html


def test_compare_rejects_an_unknown_parameter(tmp_path, capsys):
    assert main(["compare", "--set", "prize=80", "--out", str(tmp_path / "cmp")]) == 2
    assert "Did you mean 'price'?" in capsys.readouterr().err
