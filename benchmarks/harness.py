"""Shared timing harness for every benchmark script: warm-up, repeated runs, medians, peers, JSON + Markdown.

A benchmark script builds :class:`Measurement` objects with :func:`measure` (ours and each installed peer on the
same inputs, in the same run) and hands them to :func:`write_results`. Peers that are not installed are skipped
with a note (:func:`peer_available`), never faked.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).parent / "results"


@dataclass
class Measurement:
    """One timed case for one implementation."""

    case: str
    implementation: str
    median_s: float
    spread_s: float  # (max - min) over the timed runs
    runs: int
    items: int = 1  # games / points per call, for throughput
    extrapolated: bool = False  # timed on a sample and scaled to ``items``
    agrees: bool | None = None  # answers agree with ours (None: not checked / ours)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.items / self.median_s if self.median_s > 0 else float("inf")


def time_callable(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> tuple[float, float, Any]:
    """Median and spread (seconds) of ``repeat`` calls of ``fn`` after ``warmup`` calls; returns the last result.

    ``fn`` must build its own work afresh on every call (no exhausted generators).
    """
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) - min(times), result


def measure(case: str, implementation: str, fn: Callable[[], Any], *, items: int = 1, repeat: int = 5,
            warmup: int = 1, scale_to: int | None = None, note: str = "") -> tuple[Measurement, Any]:
    """Time ``fn``; with ``scale_to``, ``fn`` handles ``items`` and the time is extrapolated to ``scale_to``."""
    median, spread, result = time_callable(fn, repeat=repeat, warmup=warmup)
    if scale_to is not None:
        factor = scale_to / items
        m = Measurement(case, implementation, median * factor, spread * factor, repeat, scale_to, True, note=note)
    else:
        m = Measurement(case, implementation, median, spread, repeat, items, note=note)
    return m, result


def peer_available(module: str) -> bool:
    """True when the peer package can be imported."""
    return importlib.util.find_spec(module) is not None


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare numbers across machines."""
    import os

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "system": platform.platform(),
    }


def markdown_table(measurements: list[Measurement]) -> str:
    """Markdown table: case, implementation, median, spread, throughput, ratio to ours, agreement."""
    ours = {m.case: m for m in measurements if m.implementation.startswith("gametheory")}
    lines = [
        "| case | implementation | median | spread | per second | time vs gametheory | agrees |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for m in measurements:
        base = ours.get(m.case)
        ratio = f"{m.median_s / base.median_s:.2f}x" if base and base.median_s > 0 else ""
        agree = {None: "", True: "yes", False: "NO"}[m.agrees]
        extra = " (extrapolated)" if m.extrapolated else ""
        note = f" — {m.note}" if m.note else ""
        lines.append(
            f"| {m.case} | {m.implementation}{extra}{note} | {_fmt_time(m.median_s)} | {_fmt_time(m.spread_s)} | "
            f"{m.per_second:,.0f} | {ratio} | {agree} |"
        )
    return "\n".join(lines)


def write_results(name: str, measurements: list[Measurement], *, directory: Path = RESULTS) -> Path:
    """Write ``results/<name>.json`` and ``results/<name>.md``; print the table; return the JSON path."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), "measurements": [asdict(m) | {"per_second": m.per_second} for m in measurements]}
    path = directory / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2))
    table = markdown_table(measurements)
    (directory / f"{name}.md").write_text(table + "\n")
    print(table)
    return path


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"
