"""The benchmark suite: ``python -m benchmarks [--quick] [--case NAME ...] [--list]``.

Runs named cases, each timing this library and every installed peer (pygambit, nashpy, QuantEcon) on identical
seeded inputs: one warm-up call, then 5 timed runs (3 for multi-second cases, as each row's ``runs`` says), the
median and the spread (max - min), the ratio of each peer to our baseline row, and whether the equilibria agree
(count and profiles within 1e-6). Peers that are not installed get a "not run" row; nothing is faked. Peers too
slow to run on the whole input are timed on a sample and extrapolated (labelled so); calls that may not finish
are tried once under a time budget and reported as a lower bound.

The cases live in the per-area scripts (``bench_<area>.py``), each exposing ``CASES`` (name -> ``fn(size) ->
list[Measurement]``, built on :mod:`benchmarks.harness`); this module only orders, runs and reports them.
Results: ``results/suite_<case>.json`` per case (machine, size, command, measurements) and one combined Markdown
table ``results/summary.md`` built from every ``suite_*.json`` present (so re-running one case updates its rows).
``--quick`` writes to ``results/quick/`` and leaves the published numbers alone.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .harness import (
    RESULTS,
    Measurement,
    baselines,
    fmt_time,
    machine,
    peer_available,
    to_json,
)

#: the per-area scripts, in the order their cases run
MODULES = ("bench_nplayer", "bench_batch", "bench_two_player", "bench_deterrence", "bench_dynamics", "bench_sweep",
           "bench_extended", "bench_models", "bench_qre", "bench_cli")
PEERS = ("pygambit", "nashpy", "quantecon")
CaseFn = Callable[[str], list[Measurement]]


def registry() -> dict[str, CaseFn]:
    """Every case: name -> ``fn(size)``, in :data:`MODULES` order."""
    out: dict[str, CaseFn] = {}
    for name in MODULES:
        module = importlib.import_module(f"benchmarks.{name}")
        out.update(module.CASES)
    return out


def describe(fn: CaseFn) -> str:
    doc = (fn.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


# ---------------------------------------------------------------------- running
def run_case(name: str, fn: CaseFn, size: str, directory: Path, command: str) -> list[Measurement]:
    """Run one case, write ``suite_<name>.json``; a failure becomes a row saying so (the suite goes on)."""
    print(f"=== {name} ({size})", file=sys.stderr, flush=True)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = os.getloadavg()
    start = time.perf_counter()
    try:
        measurements = fn(size)
        error = None
    except Exception:  # noqa: BLE001 - reported in the results, never hidden
        error = traceback.format_exc()
        print(error, file=sys.stderr)
        measurements = [Measurement(name, "gametheory (case failed)", float("nan"), float("nan"), 0,
                                    note=error.strip().splitlines()[-1])]
    payload = {
        "case": name,
        "size": size,
        "command": command,
        "started_utc": started,
        "seconds": round(time.perf_counter() - start, 1),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "machine": machine(),
        "peers": {p: _version(p) for p in PEERS},
        "error": error,
        "measurements": to_json(measurements),
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"suite_{name}.json").write_text(json.dumps(payload, indent=2, default=_jsonable))
    return measurements


def _version(module: str) -> str | None:
    if not peer_available(module):
        return None
    try:
        return str(importlib.import_module(module).__version__)
    except Exception:  # noqa: BLE001
        return "installed (version unknown)"


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


# ---------------------------------------------------------------------- reporting
def load(directory: Path, order: Sequence[str]) -> list[dict[str, Any]]:
    """Every ``suite_*.json`` in ``directory``, in case order (unknown cases last)."""
    payloads = [json.loads(p.read_text()) for p in sorted(directory.glob("suite_*.json"))]
    rank = {name: i for i, name in enumerate(order)}
    return sorted(payloads, key=lambda p: rank.get(p["case"], len(rank)))


def _rows(payload: dict[str, Any]) -> list[Measurement]:
    fields = Measurement.__dataclass_fields__
    return [Measurement(**{k: v for k, v in row.items() if k in fields}) for row in payload["measurements"]]


def ratio_text(row: Measurement, base: Measurement | None) -> str:
    """How our baseline row compares with ``row``: "290x faster" / "2.1x slower" ("> ..." for lower bounds)."""
    if base is None or row is base or not (math.isfinite(row.median_s) and base.median_s > 0):
        return ""
    r = row.median_s / base.median_s
    bound = "> " if row.extra.get("lower_bound") else ""
    return f"{bound}{r:,.1f}x faster" if r >= 1 else f"{1 / r:,.1f}x slower"


def _agree(m: Measurement) -> str:
    return {None: "", True: "yes", False: "**NO**"}[m.agrees]


def _impl(m: Measurement) -> str:
    label = m.implementation + (" (extrapolated)" if m.extrapolated else "")
    return f"**{label}**" if m.baseline else label


def headline(payloads: Sequence[dict[str, Any]]) -> str:
    """One row per peer row: our baseline, the peer, both times and the ratio."""
    lines = ["| case | gametheory (baseline) | time | peer | peer time | gametheory is | agrees |",
             "|---|---|---:|---|---:|---:|:---:|"]
    for payload in payloads:
        rows = _rows(payload)
        base = baselines(rows)
        for m in rows:
            b = base.get(m.case)
            if m.ours or b is None or m.runs == 0:
                continue
            peer = m.implementation + (" (extrapolated)" if m.extrapolated else "")
            lines.append(f"| {m.case} | {b.implementation} | {fmt_time(b.median_s)} | {peer} | "
                         f"{'> ' if m.extra.get('lower_bound') else ''}{fmt_time(m.median_s)} | {ratio_text(m, b)} | "
                         f"{_agree(m)} |")
    return "\n".join(lines)


def equilibria_text(m: Measurement) -> str:
    """Equilibria found: ``count`` (one game), or peer vs ours over a sample."""
    if m.extra.get("count") is not None:
        return str(m.extra["count"])
    if "peer_equilibria" in m.extra:
        return f"{m.extra['peer_equilibria']} (ours {m.extra['ours_equilibria']})"
    return ""


def full_table(payloads: Sequence[dict[str, Any]]) -> str:
    """Every row of every case."""
    lines = ["| case | implementation | runs | median | spread | per second | gametheory baseline is | equilibria | "
             "agrees | note |", "|---|---|---:|---:|---:|---:|---:|---:|:---:|---|"]
    for payload in payloads:
        rows = _rows(payload)
        base = baselines(rows)
        for m in rows:
            per_s = f"{m.per_second:,.0f}" if math.isfinite(m.median_s) and m.median_s > 0 else ""
            note = m.note.replace("|", "/")
            lines.append(f"| {m.case} | {_impl(m)} | {m.runs} | {fmt_time(m.median_s)} | {fmt_time(m.spread_s)} | "
                         f"{per_s} | {ratio_text(m, base.get(m.case))} | {equilibria_text(m)} | {_agree(m)} | {note} |")
    return "\n".join(lines)


def summary(directory: Path, order: Sequence[str]) -> str:
    """The combined Markdown report of every case in ``directory``."""
    payloads = load(directory, order)
    if not payloads:
        return "No results.\n"
    info = payloads[-1]["machine"]
    peers = payloads[-1].get("peers", {})
    runs = "\n".join(
        f"- `{p['case']}` ({p['size']}): {p['started_utc']}, {p['seconds']} s, load average "
        f"{p['load_average_before'][0]:.2f} before / {p['load_average_after'][0]:.2f} after"
        + (" — **FAILED**" if p.get("error") else "")
        for p in payloads
    )
    peer_line = ", ".join(f"{k} {v}" if v else f"{k} not installed (skipped)" for k, v in peers.items())
    return f"""# Benchmark summary

Command: `{payloads[-1]["command"]}` (from the repository root). Machine: {info.get("cpu")}, {info.get("cores")} cores,
{info.get("memory_gb", "?")} GB, {info.get("system")}, Python {info.get("python")}, numpy {info.get("numpy")}.
Peers: {peer_line}.

Times are medians of the timed runs after one warm-up (`runs` per row); spread is max - min. The **bold** row of each
case is our baseline; "gametheory is" compares it with each row (peer time / our time). Extrapolated rows were timed
on a sample (see the note) and scaled to the case's size. "> " marks a lower bound (the peer did not finish within
the time budget). "agrees": same number of equilibria and every profile within 1e-6 of ours (for a single
Lemke–Howson path: the equilibrium found is one of ours); "equilibria": how many the row found (peer vs ours on a
sample). Each row's CPU-time median is in `suite_<case>.json` (`extra.cpu_median_s`).

## Ratios against the peers

{headline(payloads)}

## Every row

{full_table(payloads)}

## Runs

{runs}
"""


# ---------------------------------------------------------------------- command line
def main(argv: Sequence[str] | None = None) -> int:
    cases = registry()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a tenth of the sizes, 3 runs (results/quick/)")
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, 1 run: checks the scripts still work")
    parser.add_argument("--case", nargs="+", metavar="NAME", choices=list(cases), help="run only these cases")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default benchmarks/results)")
    args = parser.parse_args(argv)
    if args.list:
        for name, fn in cases.items():
            print(f"{name:22s} {describe(fn)}")
        return 0
    size = "smoke" if args.smoke else "quick" if args.quick else "full"
    directory = args.out or {"full": RESULTS, "quick": RESULTS / "quick", "smoke": RESULTS / "smoke"}[size]
    command = "python -m benchmarks" + (" --quick" if args.quick else " --smoke" if args.smoke else "") + (
        " --case " + " ".join(args.case) if args.case else "")
    failed = []
    for name in args.case or list(cases):
        rows = run_case(name, cases[name], size, directory, command)
        failed += [name] if any(m.implementation.endswith("(case failed)") for m in rows) else []
    text = summary(directory, list(cases))
    (directory / "summary.md").write_text(text)
    print(text)
    if failed:
        print(f"failed cases: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
