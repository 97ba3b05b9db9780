"""Benchmark: wall time of single-point command-line queries, as a user waits for them (issue 21).

Each query runs as a fresh ``python -m gametheory ...`` process. The first run uses an empty derived-formula
cache (``GAMETHEORY_CACHE_DIR`` pointed at a new folder: the sympy derivations run and are stored), the later runs
reuse that folder (the state once the package has been used once). Numba's compiled kernels are cached next to
the sources by numba itself and are not cleared: the cold row is "derivations not cached yet", not "never
compiled". Python writes the package's byte code on the first run (``PYTHONDONTWRITEBYTECODE`` is removed from
the environment), as it does for a user. Rows: ``gametheory (cold derived-formula cache)`` (one run) and
``gametheory (warm cache)`` (the median of the later runs); ``python -c "import gametheory"`` is timed the same
way. The 22 queries: ``models`` (core and extended), and ``solve``, ``threshold`` (core and ``--variant extended``)
and ``evolve`` (which has no variant) for each of the 4 payment models.

Cases for ``python -m benchmarks`` (``CASES``): ``cli_queries`` -- ``models``, ``solve``, ``threshold`` (core and
extended variants) and ``evolve`` for every payment model. Results: ``results/cli.json``/``cli.md`` (run as a
script) or ``results/suite_cli_queries.json``.

``--against DIR`` times the same warm queries in another checkout (e.g. ``/work/main``) interleaved with this one
(the order alternating run by run, after one warm-up run of each; no cold row), so that both see the same load:
rows ``gametheory (warm cache)`` and ``DIR (warm cache, interleaved)``, results ``results/cli_against.json``.

Run: ``python -m benchmarks.bench_cli [--quick] [--only TEXT] [--skip TEXT] [--against DIR]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.harness import Measurement, pick, write_results

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")
#: the target of issue 21 for a warm single-point query (seconds, wall)
TARGET_S = 1.5
#: and for ``import gametheory``
IMPORT_TARGET_S = 0.3


def queries(size: str) -> list[list[str]]:
    """The argument lists timed at ``size`` (``smoke``: two cheap ones)."""
    if size == "smoke":
        return [["-c", "import gametheory"], ["-m", "gametheory", "models"]]
    out = [["-c", "import gametheory"], ["-m", "gametheory", "models"],
           ["-m", "gametheory", "models", "--variant", "extended"]]
    for model in MODELS:
        for command in ("solve", "threshold"):
            out.append(["-m", "gametheory", command, model])
            out.append(["-m", "gametheory", command, model, "--variant", "extended"])
        out.append(["-m", "gametheory", "evolve", model])
    return out


def run_once(args: list[str], cache: str, timeout: float, root: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one ``python ARGS`` process run in the checkout ``root`` with the
    derived-formula cache in ``cache``. The process is reaped by a blocking ``os.wait4``
    (``subprocess.run(timeout=...)`` polls every 50 ms, which rounds a 0.2 s query up by as much); a timer kills it
    after ``timeout`` seconds."""
    env = {**os.environ, "GAMETHEORY_CACHE_DIR": cache}
    # as a user's Python: byte code written on first use (a shell with PYTHONDONTWRITEBYTECODE recompiles the
    # package's modules in every process, 0.1-0.2 s); the kernels' choice left to the package
    for name in ("GAMETHEORY_NO_CACHE", "PYTHONDONTWRITEBYTECODE", "GAMETHEORY_INTERPRETED"):
        env.pop(name, None)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    return wall, usage.ru_utime + usage.ru_stime


def time_query(args: list[str], warm_runs: int, timeout: float = 900.0) -> list[Measurement]:
    """The cold row (first run, empty cache folder) and the warm row (median of ``warm_runs`` later runs)."""
    case = " ".join(args[1:]) if args[0] == "-m" else f'python -c "{args[1]}"'
    target = IMPORT_TARGET_S if args[0] == "-c" else TARGET_S
    with tempfile.TemporaryDirectory(prefix="gt-bench-cache-") as cache:
        load = os.getloadavg()[0]
        cold, cold_cpu = run_once(args, cache, timeout)
        runs = [run_once(args, cache, timeout) for _ in range(warm_runs)]
    warm, cpu = [w for w, _ in runs], [c for _, c in runs]
    first = Measurement(case, "gametheory (cold derived-formula cache)", cold, 0.0, 1,
                        note="first run: the sympy derivations run and are stored")
    median = statistics.median(warm)
    later = Measurement(case, "gametheory (warm cache)", median, max(warm) - min(warm), len(warm), baseline=True,
                        note=f"{'meets' if median < target else 'MISSES'} the {target} s target; CPU "
                             f"{statistics.median(cpu):.2f} s")
    for m in (first, later):
        m.extra = {"load_average_1min": round(max(load, os.getloadavg()[0]), 2)}
    first.extra["cpu_s"] = round(cold_cpu, 3)
    later.extra["runs_s"] = [round(w, 3) for w in warm]
    later.extra["cpu_runs_s"] = [round(c, 3) for c in cpu]
    later.extra["cpu_median_s"] = round(statistics.median(cpu), 3)
    return [first, later]


def time_interleaved(args: list[str], other: Path, warm_runs: int, timeout: float = 900.0) -> list[Measurement]:
    """The warm query here and in the checkout ``other``, alternately (ours first on even runs), each with its
    own cache folder warmed by one run first: the median of ``warm_runs`` runs of each, wall and CPU."""
    case = " ".join(args[1:]) if args[0] == "-m" else f'python -c "{args[1]}"'
    roots = {"gametheory (warm cache)": ROOT, f"{other} (warm cache, interleaved)": other}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    with tempfile.TemporaryDirectory(prefix="gt-bench-cache-") as cache:
        caches = {name: os.path.join(cache, str(k)) for k, name in enumerate(roots)}
        for name, root in roots.items():
            os.mkdir(caches[name])
            run_once(args, caches[name], timeout, root)
        load = os.getloadavg()[0]
        for k in range(warm_runs):
            for name in (list(roots) if k % 2 == 0 else list(roots)[::-1]):
                runs[name].append(run_once(args, caches[name], timeout, roots[name]))
    out = []
    for name, timed in runs.items():
        wall, cpu = [w for w, _ in timed], [c for _, c in timed]
        m = Measurement(case, name, statistics.median(wall), max(wall) - min(wall), len(wall),
                        baseline=roots[name] == ROOT, note=f"CPU {statistics.median(cpu):.2f} s")
        m.extra = {"load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
                   "runs_s": [round(w, 3) for w in wall], "cpu_runs_s": [round(c, 3) for c in cpu],
                   "cpu_median_s": round(statistics.median(cpu), 3)}
        out.append(m)
    return out


def cli_queries(size: str, only: str | None = None, skip: str | None = None,
                against: Path | None = None) -> list[Measurement]:
    """Single-point CLI queries as fresh processes: the first run (cold derived-formula cache), then warm runs;
    ``only``/``skip``: the queries whose command line contains / does not contain this text; ``against``: the
    warm runs interleaved with another checkout's instead (:func:`time_interleaved`)."""
    warm_runs = pick(size, full=5, quick=3, smoke=1)
    out = []
    for args in queries(size):
        line = " ".join(args)
        if (only is None or only in line) and (skip is None or skip not in line):
            print("  " + " ".join(args), file=sys.stderr, flush=True)
            out += time_query(args, warm_runs) if against is None else time_interleaved(args, against, warm_runs)
    return out


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"cli_queries": cli_queries}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 warm runs instead of 5")
    parser.add_argument("--only", default=None, help="time only the queries containing this text")
    parser.add_argument("--skip", default=None, help="leave out the queries containing this text")
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout (e.g. /work/main) to time the warm queries interleaved with")
    args = parser.parse_args(argv)
    rows = cli_queries("quick" if args.quick else "full", args.only, args.skip, args.against)
    write_results("cli" if args.against is None else "cli_against", rows)


if __name__ == "__main__":
    main()
