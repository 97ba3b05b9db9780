"""Smoke test of the benchmark suite (``python -m benchmarks``): every case runs at a tiny size and reports.

No timing is asserted (speed is measured in ``benchmarks/``, not tested); this keeps the scripts from rotting.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

run = pytest.importorskip("benchmarks.run")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    assert run.main(["--smoke", "--out", str(out)]) == 0
    return out


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert run.main(["--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(run.registry())
    for name in ("payment_2x2x2", "batch_direct_1e6", "two_player_5x5", "two_player_10x10", "two_player_20x20",
                 "thresholds_1e6", "replicator_1e5", "sweep_1e6"):
        assert name in listed


def test_every_case_reports(results: Path) -> None:
    names = list(run.registry())
    assert sorted(p.name for p in results.glob("suite_*.json")) == sorted(f"suite_{n}.json" for n in names)
    for name in names:
        payload = json.loads((results / f"suite_{name}.json").read_text())
        assert payload["error"] is None, payload["error"]
        assert payload["size"] == "smoke"
        rows = payload["measurements"]
        ours = [r for r in rows if r["implementation"].startswith("gametheory")]
        assert ours, name
        for row in ours:
            assert row["runs"] >= 1 and math.isfinite(row["median_s"]) and row["median_s"] >= 0
        for row in rows:  # a peer row either ran or says why not; never a silent NaN
            assert row["runs"] >= 1 or row["note"].startswith("not run"), row


def test_peers_agree_at_tiny_size(results: Path) -> None:
    """Where both found answers, the peers that list every equilibrium agree with us on these tiny inputs.

    pygambit's ``enumpoly`` is left out on the extended (4-player) games and on the tied integer 2x2x2 games of
    ``batch_ties_2x2x2``: it misses equilibria there, which the benchmark rows report as a disagreement
    (docs/performance.md)."""
    checked = 0
    for path in results.glob("suite_*.json"):
        for row in json.loads(path.read_text())["measurements"]:
            incomplete_peer = "enumpoly" in row["implementation"] and ("extended" in row["case"]
                                                                       or "(ties)" in row["case"])
            if (row["implementation"].startswith(("pygambit", "quantecon")) and row["agrees"] is not None
                    and not incomplete_peer):
                assert row["agrees"], row
                checked += 1
    assert checked > 0 or not run.peer_available("pygambit")


def test_summary(results: Path) -> None:
    text = (results / "summary.md").read_text()
    assert "## Ratios against the peers" in text
    assert "python -m benchmarks --smoke" in text
    for name in run.registry():
        assert f"`{name}` (smoke)" in text


@pytest.mark.parametrize(
    ("module", "case"),
    [("bench_two_player", "two_player_5x5"), ("bench_nplayer", "payment_2x2x2"), ("bench_batch", "batch_direct_1e6")],
)
def test_missing_peers_are_skipped_not_faked(monkeypatch: pytest.MonkeyPatch, module: str, case: str) -> None:
    bench = pytest.importorskip(f"benchmarks.{module}")
    monkeypatch.setattr(bench, "peer_available", lambda name: False)
    rows = bench.CASES[case]("smoke")
    peers = [m for m in rows if not m.ours]
    assert peers
    for m in peers:
        assert m.runs == 0 and math.isnan(m.median_s) and m.note.startswith("not run"), m


def test_cli_benchmark_lists_every_query() -> None:
    """Issue 21's 22 single-point queries: models (core, extended); solve and threshold (core, extended) and
    evolve for each payment model; and the import."""
    from benchmarks.bench_cli import MODELS, queries

    lines = [" ".join(q[2:]) for q in queries("quick") if q[0] == "-m"]
    assert len(lines) == len(set(lines)) == 22
    expected = {"models", "models --variant extended"} | {
        f"{command} {m}{variant}" for m in MODELS for command in ("solve", "threshold")
        for variant in ("", " --variant extended")} | {f"evolve {m}" for m in MODELS}
    assert set(lines) == expected
    assert ["-c", "import gametheory"] in queries("quick")
