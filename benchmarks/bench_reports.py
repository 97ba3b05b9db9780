"""Benchmark: the flagship report, ``gt.reports.compare`` (``gametheory compare``), end to end.

Every registered section (solves, sweeps, thresholds, dynamics, figures with their interactive twins, the HTML
with Plotly.js inlined) at the default resolution of 41 values per axis; issue 20 asks it to stay under a minute
on 2 cores. Medians of several runs (wall and CPU time of this process, with the load average: the CPU time is
the robust figure on a shared machine), written to ``benchmarks/results/reports.json`` (and ``reports.md``). No
peer library writes such a report, so there is no peer row.

Run: ``python -m benchmarks.bench_reports [--quick]``.
"""

from __future__ import annotations

import tempfile

from benchmarks.harness import Measurement, command_line_size, measure, write_results


def compare_cases(resolution: int, repeat: int) -> list[Measurement]:
    """``compare`` at ``resolution`` values per axis into a fresh folder each run."""
    import gametheory as gt

    def run() -> int:
        with tempfile.TemporaryDirectory() as out:
            return len(gt.reports.compare(out, resolution=resolution).figures)

    m, figures = measure(f"compare, every section, resolution {resolution}", "gametheory reports.compare", run,
                         repeat=repeat, warmup=1,
                         note=f"{resolution} values per swept axis ({resolution ** 2:,} points per map)")
    m.extra["figures"] = figures
    return [m]


def main() -> None:
    quick = command_line_size(__doc__, quick_help="a coarser grid and fewer runs") == "quick"
    resolution, repeat = (21, 3) if quick else (41, 3)
    write_results("reports", compare_cases(resolution, repeat))


if __name__ == "__main__":
    main()
