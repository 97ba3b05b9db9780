"""Benchmark: a 1,000,000-point sweep of the direct model (equilibria, worst-case counterfeit rate, welfare).

Cases, medians of several runs, written to ``benchmarks/results/sweep.json`` (and ``sweep.md``):

- ``gt.sweep`` in-process on one core (BLAS/OpenMP threads pinned to 1), the whole table returned;
- the same sweep on Dask with 2 local worker processes (a ``LocalCluster`` started once, outside the timing, with
  the worker environment of ``gametheory.sweeps.backends.WORKER_ENVIRON``, addressed with ``scheduler=``), and
  with ``backend="dask"`` and no address (cluster start-up included);
- where the time goes in one chunk (game batch, batch solver, metrics, tabulation);
- peak memory (max RSS of a fresh process) of ``run_sweep`` into a folder, for several chunk sizes and two grid
  sizes: it follows the chunk size, not the grid size.

The ``sweep_1e6`` case of ``python -m benchmarks`` (``CASES``) runs the in-process and running-cluster Dask rows
with the peak memory of ``run_sweep`` (fresh process) and of the Dask workers; its ``sweep_memory`` case runs the
memory rows below for 10^6 and 10^7 points.

``--memory`` measures, for 10^6, 10^7 and 10^8 points (``--points`` to choose), the peak resident memory of
``run_sweep`` into a folder and then of ``gametheory.reports.build`` on that folder, each in a fresh process
whose RSS the parent samples with psutil every 20 ms (and the child's own ``VmHWM`` as a cross-check); results in
``benchmarks/results/sweep_memory.json`` (and ``.md``).

Run: ``python -m benchmarks.bench_sweep [--quick]`` or ``python -m benchmarks.bench_sweep --memory``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    Measurement,
    measure,
    peak_rss_mb,
    peer_available,
    pick,
    repeats,
    skipped,
    write_results,
)

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ["equilibria", "counterfeit", "welfare"]


def grid(side: int) -> dict:
    """``side**2`` points: multiplier against deposit."""
    return {"penalty_multiplier": {"linspace": [0, 10, side]}, "deposit": {"logspace": [1, 4, side]}}


def in_process(side: int, chunk: int, repeat: int) -> Measurement:
    import gametheory as gt

    m, df = measure(
        "direct sweep, equilibria + worst-case counterfeit rate + welfare", "gametheory in-process, 1 core",
        lambda: gt.sweep("direct", grid=grid(side), outputs=OUTPUTS, chunk_size=chunk, progress=False),
        items=side * side, repeat=repeat, warmup=1, note=f"chunk {chunk:,}",
    )
    cpu = m.extra["cpu_median_s"]  # CPU median of the same runs (harness)
    m.extra |= {"rows": len(df), "columns": len(df.columns), "table_mb": round(df.memory_usage(deep=True).sum() / 1e6),
                "cpu_median_s": round(cpu, 3), "cpu_points_per_s": round(side * side / cpu),
                "load_average": os.getloadavg()}
    return m


def stages(chunk: int) -> dict:
    """Seconds per stage for one chunk (median of 3)."""
    import statistics

    import gametheory as gt
    from gametheory.sweeps import SweepSpec, chunks
    from gametheory.sweeps.evaluate import _freeze, _model, evaluate_chunk
    from gametheory.sweeps.grid import chunk_points

    spec = SweepSpec.from_dict({"model": "direct", "axes": grid(1000), "chunk_size": chunk, "outputs": OUTPUTS})
    part = chunks(spec)[1]
    model = _model("direct", _freeze(spec.fixed))
    arrays = chunk_points(spec, part)
    evaluate_chunk(spec, part)
    rows: dict[str, list[float]] = {"batch": [], "solve_batch": [], "outcome_arrays": [], "evaluate_chunk": []}
    for _ in range(3):
        t0 = time.perf_counter()
        batch = model.batch(**arrays)
        t1 = time.perf_counter()
        sol = gt.solve_batch(batch)
        t2 = time.perf_counter()
        model.outcome_arrays(sol, **arrays)
        t3 = time.perf_counter()
        evaluate_chunk(spec, part)
        t4 = time.perf_counter()
        for key, value in zip(rows, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            rows[key].append(value)
    out = {k: round(statistics.median(v), 4) for k, v in rows.items()}
    out["tabulation (evaluate_chunk minus the three above)"] = round(
        out["evaluate_chunk"] - out["batch"] - out["solve_batch"] - out["outcome_arrays"], 4)
    out["points"] = part.size
    return out


@contextlib.contextmanager
def local_cluster(workers: int = 2) -> Iterator[Any]:
    """A running ``LocalCluster`` of ``workers`` one-thread processes with gametheory's worker environment."""
    import dask
    from dask.distributed import LocalCluster

    from gametheory.sweeps.backends import WORKER_ENVIRON

    environ = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}), **WORKER_ENVIRON}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}), LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        yield cluster


def on_dask(side: int, chunk: int, repeat: int) -> list[Measurement]:
    import gametheory as gt

    if not peer_available("distributed"):
        return [Measurement("direct sweep on Dask", "gametheory dask", float("nan"), 0.0, 0, note="dask missing")]
    results = []
    with local_cluster() as cluster:
        address = cluster.scheduler_address
        m, _ = measure(
            "direct sweep, equilibria + worst-case counterfeit rate + welfare",
            "gametheory dask, 2 local workers (running cluster)",
            lambda: gt.sweep("direct", grid=grid(side), outputs=OUTPUTS, chunk_size=chunk, backend="dask",
                             scheduler=address, progress=False),
            items=side * side, repeat=repeat, warmup=1, note=f"chunk {chunk:,}",
        )
        results.append(m)
    m, _ = measure(
        "direct sweep, equilibria + worst-case counterfeit rate + welfare",
        "gametheory dask, LocalCluster started per call",
        lambda: gt.sweep("direct", grid=grid(side), outputs=OUTPUTS, chunk_size=chunk, backend="dask", workers=2,
                         progress=False),
        items=side * side, repeat=max(1, repeat // 2), warmup=0, note="cluster start-up included",
    )
    results.append(m)
    return results


_MEMORY = """
import sys, tempfile, time
sys.path.insert(0, {root!r})
from gametheory.sweeps import SweepSpec, run_sweep
side, chunk = int(sys.argv[1]), int(sys.argv[2])
spec = SweepSpec.from_dict({{"model": "direct", "chunk_size": chunk, "outputs": {outputs!r},
    "axes": {{"penalty_multiplier": {{"linspace": [0, 10, side]}}, "deposit": {{"logspace": [1, 4, side]}}}}}})
start = time.perf_counter()
run = run_sweep(spec, tempfile.mkdtemp(), progress="off")
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1]
print(int(peak) / 1024, time.perf_counter() - start)
"""


def peak_memory(side: int, chunk: int) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of run_sweep into a folder, in a fresh process.

    The peak is ``VmHWM`` of ``/proc/self/status`` (``ru_maxrss`` would carry the parent's peak across exec).
    """
    script = _MEMORY.format(root=str(ROOT), outputs=OUTPUTS)
    out = subprocess.run([sys.executable, "-c", script, str(side), str(chunk)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    mb, seconds = out.stdout.split()
    return float(mb), float(seconds)


def suite(size: str) -> list[Measurement]:
    """A 1,000,000-point direct-model sweep end to end: in-process (one core) and on Dask (2 local workers)."""
    import gametheory as gt

    side = pick(size, full=1000, quick=316, smoke=40)
    chunk = pick(size, full=100_000, quick=25_000, smoke=400)
    repeat = repeats(size, full=3)
    case = f"direct sweep of {side * side:,} points (equilibria, worst-case counterfeit rate, welfare)"

    def run(**kw: object) -> object:
        return gt.sweep("direct", grid=grid(side), outputs=OUTPUTS, chunk_size=chunk, progress=False, **kw)

    ours = in_process(side, chunk, repeat)
    ours.case, ours.implementation, ours.baseline = case, "gametheory sweep, in-process, 1 core", True
    mb, _ = peak_memory(side, chunk)
    half = max(2, side // 2)
    mb_small = peak_memory(half, chunk)[0] if size != "smoke" else float("nan")
    ours.extra |= {"chunk_size": chunk, "peak_rss_mb_run_sweep": round(mb, 1),
                   f"peak_rss_mb_run_sweep_{half * half}_points": round(mb_small, 1)}
    ours.note = (f"chunk {chunk:,}; returned table {ours.extra['table_mb']} MB; peak RSS of run_sweep to disk in a "
                 f"fresh process {mb:.0f} MB ({mb_small:.0f} MB for {half * half:,} points: bounded by the chunk)")
    out = [ours]
    if not peer_available("distributed"):
        return out + [skipped(case, "gametheory sweep on Dask", "dask.distributed not installed")]
    from dask.distributed import Client

    with local_cluster() as cluster, Client(cluster) as client:
        m, _ = measure(case, "gametheory sweep on Dask, 2 local workers", lambda: run(
            backend="dask", scheduler=cluster.scheduler_address), items=side * side, repeat=repeat)
        peaks = [peak_rss_mb(pid) for pid in client.run(os.getpid).values()]
    m.extra |= {"worker_peak_rss_mb": [round(p, 1) for p in peaks]}
    m.note = (f"running LocalCluster (start-up not timed); chunk {chunk:,}; worker peak RSS "
              f"{', '.join(f'{p:.0f}' for p in peaks)} MB")
    return out + [m]


_SWEEP_CHILD = """
import sys
sys.path.insert(0, {root!r})
from gametheory.sweeps import SweepSpec, run_sweep
slow, fast, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
spec = SweepSpec.from_dict({{"model": "direct", "outputs": {outputs!r},
    "axes": {{"penalty_multiplier": {{"linspace": [0, 10, slow]}}, "deposit": {{"logspace": [1, 4, fast]}}}}}},
    max_points=10**9)
run_sweep(spec, out, progress="off", max_points=10**9, max_seconds=1e6)  # 10^8 points are past the defaults
print([line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1])
"""

_REPORT_CHILD = """
import sys
sys.path.insert(0, {root!r})
import gametheory as gt
gt.reports.build(sys.argv[1], sys.argv[2])
print([line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1])
"""


def sampled_peak(args: list[str], interval: float = 0.02) -> tuple[float, float, float]:
    """Run ``python -c ...`` in a fresh process; return (peak RSS sampled with psutil in MB, the child's own
    ``VmHWM`` in MB, seconds)."""
    import psutil

    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            peak = max(peak, watched.memory_info().rss)
        time.sleep(interval)
    seconds = time.perf_counter() - start
    out, _ = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"{args[:2]} failed with exit code {child.returncode}")
    return peak / 2**20, int(out.split()[-1]) / 1024, seconds


def memory_case(points: int, folder: Path, *, keep: bool = False) -> list[Measurement]:
    """Peak memory of ``run_sweep`` for ``points`` points (1000 x points/1000 grid), then of its report.

    With ``keep`` the sweep folder stays in ``folder`` with its measurement (``measured.json``), and a later run
    that finds it complete measures only the report again (a 10^8-point sweep takes most of an hour on the
    shared machine; its folder holds 4.8 GB).
    """
    from gametheory.sweeps.spec import DEFAULT_CHUNK_SIZE

    slow, fast = 1000, points // 1000
    out, report = folder / f"sweep_{points}", folder / f"report_{points}"
    case = "peak resident memory (fresh process, RSS sampled every 20 ms)"
    measured = out / "measured.json"
    if keep and measured.exists():
        sweep_row = Measurement(**json.loads(measured.read_text()))
    else:
        shutil.rmtree(out, ignore_errors=True)
        sweep_args = ["-c", _SWEEP_CHILD.format(root=str(ROOT), outputs=OUTPUTS), str(slow), str(fast), str(out)]
        rss, hwm, seconds = sampled_peak(sweep_args)
        disk = sum(f.stat().st_size for f in (out / "chunks").glob("*.parquet")) / 2**20
        sweep_row = Measurement(case, f"gametheory run_sweep, {points:,} points", seconds, 0.0, 1, items=points,
                                note=f"chunk {DEFAULT_CHUNK_SIZE:,}: peak RSS {rss:,.0f} MB (VmHWM {hwm:,.0f} MB); "
                                     f"{disk:,.0f} MB of Parquet on disk",
                                extra={"peak_rss_mb": round(rss, 1), "vmhwm_mb": round(hwm, 1),
                                       "disk_mb": round(disk, 1), "chunk_size": DEFAULT_CHUNK_SIZE,
                                       "load_average": os.getloadavg()})
        if keep:
            measured.write_text(json.dumps({k: v for k, v in vars(sweep_row).items() if k != "per_second"}))
    rows = [sweep_row]
    shutil.rmtree(report, ignore_errors=True)
    rss, hwm, seconds = sampled_peak(["-c", _REPORT_CHILD.format(root=str(ROOT)), str(out), str(report)])
    rows.append(Measurement(case, f"gametheory reports.build on the folder, {points:,} rows", seconds, 0.0, 1,
                            items=points, note=f"streamed: peak RSS {rss:,.0f} MB (VmHWM {hwm:,.0f} MB)",
                            extra={"peak_rss_mb": round(rss, 1), "vmhwm_mb": round(hwm, 1),
                                   "load_average": os.getloadavg()}))
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return rows


def memory_run(points: list[int], keep: str | None = None) -> None:
    """The ``--memory`` run: every size in ``points``, results to ``sweep_memory.json`` (``keep``: a folder
    where the sweeps stay and are reused)."""
    measurements = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("GAMETHEORY_BENCH_TMP")) as scratch:
        folder = Path(keep) if keep else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for n in points:
            measurements.extend(memory_case(n, folder, keep=keep is not None))
            print(json.dumps([m.extra | {"what": m.implementation, "seconds": round(m.median_s, 1)}
                              for m in measurements[-2:]]), flush=True)
    write_results("sweep_memory", measurements)


def memory_suite(size: str) -> list[Measurement]:
    """Peak memory of ``run_sweep`` and of its streamed report (10^6 and 10^7 points; ``--memory`` adds 10^8)."""
    points = pick(size, full=[10**6, 10**7], quick=[10**6], smoke=[10**4])
    with tempfile.TemporaryDirectory() as folder:
        return [m for n in points for m in memory_case(n, Path(folder))]


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"sweep_1e6": suite, "sweep_memory": memory_suite}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="250,000 points and fewer runs")
    parser.add_argument("--memory", action="store_true", help="peak memory of run_sweep and of its report")
    parser.add_argument("--points", default="1e6,1e7,1e8", help="sizes of --memory (default 1e6,1e7,1e8)")
    parser.add_argument("--keep", default=None, metavar="DIR",
                        help="--memory: keep the sweep folders in DIR, and reuse the complete ones (report only)")
    args = parser.parse_args()
    if args.memory:
        memory_run([int(float(p)) for p in args.points.split(",")], args.keep)
        return
    side = 500 if args.quick else 1000
    repeat = 2 if args.quick else 5
    chunk = 100_000
    measurements = [in_process(side, chunk, repeat)]
    measurements.extend(on_dask(side, chunk, max(2, repeat - 2)))
    memory = []
    for points_side, chunk_size in ((1000, 25_000), (1000, 100_000), (1000, 250_000), (500, 100_000)):
        if args.quick and points_side == 1000 and chunk_size != 100_000:
            continue
        mb, seconds = peak_memory(points_side, chunk_size)
        memory.append({"points": points_side**2, "chunk_size": chunk_size, "peak_rss_mb": round(mb, 1),
                       "seconds": round(seconds, 2)})
    measurements[0].extra["stages_per_chunk_s"] = stages(chunk)
    measurements[0].extra["peak_memory_run_sweep"] = memory
    path = write_results("sweep", measurements)
    print(json.dumps({"stages": measurements[0].extra["stages_per_chunk_s"], "memory": memory}, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main()
