"""Shared timing harness for every benchmark script: warm-up, repeated runs, medians, peers, JSON + Markdown.

A benchmark script builds :class:`Measurement` objects with :func:`measure` (ours and each installed peer on the
same inputs, in the same run) and hands them to :func:`write_results`. Peers that are not installed are skipped
with a note (:func:`peer_available`, :func:`skipped`), never faked. Calls that may not finish are tried once in a
forked process with a time budget first (:func:`measure_guarded`). Every timed row also records the median CPU time
of this process (``extra["cpu_median_s"]``, robust to other load on a shared machine) and the load average.

Sizes: a case takes ``size`` in :data:`SIZES` (``"full"``: the published numbers, ``"quick"``: about a tenth,
``"smoke"``: tiny inputs, one run, for ``tests/test_benchmarks.py``); :func:`pick` chooses a value per size and
:func:`repeats` the number of timed runs. Each ``bench_<area>.py`` exposes its suite cases as a dict ``CASES``
(name -> ``fn(size) -> list[Measurement]``) that ``python -m benchmarks`` runs (``benchmarks/run.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).parent / "results"
SIZES = ("full", "quick", "smoke")


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
    baseline: bool = False  # the row of ours that peers are compared with (default: the last row of ours)

    @property
    def per_second(self) -> float:
        return self.items / self.median_s if self.median_s > 0 else float("inf")

    @property
    def ours(self) -> bool:
        return self.implementation.startswith("gametheory")


# ---------------------------------------------------------------------- sizes
def pick(size: str, *, full: Any, quick: Any, smoke: Any) -> Any:
    """The value for ``size`` (one of :data:`SIZES`)."""
    if size not in SIZES:
        raise ValueError(f"The 'size' parameter must be one of {SIZES}. Got {size!r} instead.")
    return {"full": full, "quick": quick, "smoke": smoke}[size]



def command_line_size(doc: str, *, quick_help: str = "fewer points and runs") -> str:
    """The size a ``bench_<area>.py`` script runs at, from its command line: ``"quick"`` with ``--quick``, else
    ``"full"``; ``--help`` shows the first paragraph of the script's docstring ``doc``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    return "quick" if parser.parse_args().quick else "full"

#: warm-up seconds from which a case is "multi-second": 3 timed runs instead of 5
LONG_S = 2.0


def repeats(size: str, full: int | None = None) -> int | None:
    """Timed runs for ``size``: ``full`` (default None: 5, or 3 for multi-second calls, see :func:`time_runs`),
    3 quick, 1 smoke."""
    return pick(size, full=full, quick=3 if full is None else min(full, 3), smoke=1)


# ---------------------------------------------------------------------- timing
@dataclass
class Timing:
    """Wall and CPU seconds of each timed call, and the last result."""

    walls: list[float]
    cpus: list[float]
    result: Any


def time_runs(fn: Callable[[], Any], *, repeat: int | None = 5, warmup: int = 1) -> Timing:
    """Call ``fn`` ``warmup`` times untimed, then ``repeat`` times timed (wall clock and this process's CPU).

    ``repeat=None``: 5 runs, or 3 when the (last) warm-up call took :data:`LONG_S` seconds or more.
    """
    result = None
    warm = 0.0
    for _ in range(warmup):
        start = time.perf_counter()
        result = fn()
        warm = time.perf_counter() - start
    if repeat is None:
        repeat = 3 if warm >= LONG_S else 5
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return Timing(walls, cpus, result)


def time_callable(fn: Callable[[], Any], *, repeat: int | None = 5, warmup: int = 1) -> tuple[float, float, Any]:
    """Median and spread (seconds) of ``repeat`` calls of ``fn`` after ``warmup`` calls; returns the last result.

    ``fn`` must build its own work afresh on every call (no exhausted generators).
    """
    t = time_runs(fn, repeat=repeat, warmup=warmup)
    return statistics.median(t.walls), max(t.walls) - min(t.walls), t.result


def measure(case: str, implementation: str, fn: Callable[[], Any], *, items: int = 1, repeat: int | None = 5,
            warmup: int = 1, scale_to: int | None = None, note: str = "") -> tuple[Measurement, Any]:
    """Time ``fn``; with ``scale_to``, ``fn`` handles ``items`` and the time is extrapolated to ``scale_to``.

    ``extra`` records ``cpu_median_s`` (scaled like the wall time), ``timed_items`` and the load average.
    """
    load = os.getloadavg()[0]
    t = time_runs(fn, repeat=repeat, warmup=warmup)
    factor = 1.0 if scale_to is None else scale_to / items
    m = Measurement(case, implementation, statistics.median(t.walls) * factor,
                    (max(t.walls) - min(t.walls)) * factor, len(t.walls), scale_to or items, scale_to is not None,
                    note=note)
    m.extra = {"cpu_median_s": statistics.median(t.cpus) * factor, "timed_items": items,
               "load_average_1min": round(max(load, os.getloadavg()[0]), 2)}
    return m, t.result


def per_item(m: Measurement) -> Measurement:
    """Rescale a measurement of ``items`` calls to the time of one (``items`` becomes 1)."""
    k = m.items
    m.median_s, m.spread_s, m.items = m.median_s / k, m.spread_s / k, 1
    if "cpu_median_s" in m.extra:
        m.extra["cpu_median_s"] /= k
    return m


def _child(fn: Callable[[], Any], conn: Any) -> None:
    start = time.perf_counter()
    fn()
    conn.send(time.perf_counter() - start)


def finishes(fn: Callable[[], Any], budget: float) -> float | None:
    """Seconds one call of ``fn`` takes in a forked process, or None when it exceeds ``budget`` seconds."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    proc.join(budget)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return parent.recv() if parent.poll() else None


def measure_guarded(case: str, implementation: str, fn: Callable[[], Any], *, budget: float, repeat: int | None = 5,
                    warmup: int = 1, items: int = 1, note: str = "") -> tuple[Measurement, Any]:
    """:func:`measure`, after one trial call in a forked process; over ``budget`` it is a lower bound, not repeated.

    The trial is skipped when ``budget`` is infinite. A lower bound has ``runs == 1``, ``result`` None and
    ``extra["lower_bound"]`` True. A trial of :data:`LONG_S` seconds or more caps the timed runs at 3, with no
    further warm-up (a 25-second peer call repeated 21 times would take the script 9 minutes).
    """
    if np.isfinite(budget):
        took = finishes(fn, budget)
        if took is None:
            m = Measurement(case, implementation, budget, 0.0, 1, items,
                            note=f"did not finish in {budget:.0f} s (lower bound)")
            m.extra["lower_bound"] = True
            return m, None
        if took >= LONG_S:
            repeat, warmup = min(repeat or 3, 3), 0
    return measure(case, implementation, fn, items=items, repeat=repeat, warmup=warmup, note=note)


def skipped(case: str, implementation: str, why: str) -> Measurement:
    """A row for an implementation that was not run (peer not installed, infeasible size), with the reason."""
    return Measurement(case, implementation, float("nan"), float("nan"), 0, note=f"not run: {why}")


def peer_available(module: str) -> bool:
    """True when the peer package can be imported."""
    return importlib.util.find_spec(module) is not None


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory (``VmHWM``) of a process in MB (Linux; NaN elsewhere)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            line = next(x for x in f if x.startswith("VmHWM"))
    except (OSError, StopIteration):
        return float("nan")
    return int(line.split()[1]) / 1024


# ---------------------------------------------------------------------- agreement
def flat(profile: Any) -> np.ndarray:
    """One vector of every player's mixed strategy (an ``Equilibrium`` or a sequence of arrays)."""
    return np.concatenate([np.asarray(v, dtype=float).ravel() for v in getattr(profile, "profile", profile)])


def contains(profiles: Sequence[Any], target: Any, atol: float = 1e-6) -> bool:
    """True when ``target`` is within ``atol`` (max norm) of one of ``profiles``."""
    z = flat(target)
    return any(np.shape(flat(p)) == np.shape(z) and np.max(np.abs(flat(p) - z)) <= atol for p in profiles)


def same_equilibria(ours: Sequence[Any], theirs: Sequence[Any], atol: float = 1e-6) -> bool:
    """Same count, and every profile of each list within ``atol`` of one of the other."""
    return (len(ours) == len(theirs) and all(contains(theirs, p, atol) for p in ours)
            and all(contains(ours, p, atol) for p in theirs))


def compare_sets(ours: Sequence[Sequence[Any]], theirs: Sequence[Sequence[Any]], atol: float = 1e-6) -> dict[
    str, int
]:
    """Game-by-game agreement of equilibrium lists: games with the same answer, games where the peer misses one
    of ours, games where the peer lists one we lack, and the totals."""
    counts = {"games": len(ours), "same": 0, "peer_misses": 0, "peer_extra": 0, "ours_equilibria": 0,
              "peer_equilibria": 0}
    for a, b in zip(ours, theirs, strict=True):
        counts["ours_equilibria"] += len(a)
        counts["peer_equilibria"] += len(b)
        misses = any(not contains(b, p, atol) for p in a)
        extra = any(not contains(a, q, atol) for q in b)
        counts["peer_misses"] += misses
        counts["peer_extra"] += extra
        counts["same"] += len(a) == len(b) and not (misses or extra)
    return counts


def describe_agreement(counts: dict[str, int]) -> str:
    """One line for a table note from :func:`compare_sets`."""
    return (f"same equilibria on {counts['same']}/{counts['games']} games ({counts['peer_equilibria']} vs our "
            f"{counts['ours_equilibria']}); misses ours on {counts['peer_misses']}, lists one we lack on "
            f"{counts['peer_extra']}")


# ---------------------------------------------------------------------- output
def machine() -> dict[str, Any]:
    """The facts a reader needs to compare numbers across machines."""
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "system": platform.platform(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(x for x in f if x.startswith("model name")).split(":", 1)[1].strip()
    except (OSError, StopIteration):
        pass
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return info


def baselines(measurements: Sequence[Measurement]) -> dict[str, Measurement]:
    """Per case, our row that others are compared with: the one marked ``baseline``, else the last row of ours."""
    out: dict[str, Measurement] = {}
    for m in measurements:
        current = out.get(m.case)
        if m.ours and (current is None or not current.baseline):
            out[m.case] = m
    return out


def markdown_table(measurements: list[Measurement]) -> str:
    """Markdown table: case, implementation, median, spread, throughput, ratio to ours, agreement."""
    ours = baselines(measurements)
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
            f"| {m.case} | {m.implementation}{extra}{note} | {fmt_time(m.median_s)} | {fmt_time(m.spread_s)} | "
            f"{m.per_second:,.0f} | {ratio} | {agree} |"
        )
    return "\n".join(lines)


def to_json(measurements: Sequence[Measurement]) -> list[dict[str, Any]]:
    """Plain dicts (with ``per_second``) for JSON."""
    return [asdict(m) | {"per_second": m.per_second} for m in measurements]


def write_results(name: str, measurements: list[Measurement], *, directory: Path = RESULTS) -> Path:
    """Write ``results/<name>.json`` and ``results/<name>.md``; print the table; return the JSON path."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), "measurements": to_json(measurements)}
    path = directory / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=_jsonable))
    table = markdown_table(measurements)
    (directory / f"{name}.md").write_text(table + "\n")
    print(table)
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def fmt_time(seconds: float) -> str:
    if not np.isfinite(seconds):
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


_fmt_time = fmt_time


def direct_points(n: int, seed: int = 2026, *, multiplier: bool = False) -> dict[str, np.ndarray]:
    """The benchmarks' seeded random sample of the direct model's parameters (the others at their defaults):
    ``price`` uniform in [40, 250], ``deposit`` in [20, 3000], ``verify_cost`` in [0.5, 15], ``detection_prob`` in
    [0.3, 1], ``audit_detection`` in [0.1, 0.9], ``fine`` in [0, 200], and with ``multiplier`` first
    ``penalty_multiplier`` in [0, 8] (``numpy.random.default_rng(seed)``, drawn in this order)."""
    rng = np.random.default_rng(seed)
    out = {"penalty_multiplier": rng.uniform(0, 8, n)} if multiplier else {}
    return out | {
        "price": rng.uniform(40, 250, n),
        "deposit": rng.uniform(20, 3000, n),
        "verify_cost": rng.uniform(0.5, 15, n),
        "detection_prob": rng.uniform(0.3, 1.0, n),
        "audit_detection": rng.uniform(0.1, 0.9, n),
        "fine": rng.uniform(0, 200, n),
    }
