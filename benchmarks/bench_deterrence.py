"""Deterrence thresholds for many parameter points of the direct model, and the exact set of one scenario.

Points: the direct model's defaults with ``price`` uniform in [40, 250], ``deposit`` in [20, 3000],
``verify_cost`` in [0.5, 15], ``detection_prob`` in [0.3, 1], ``audit_detection`` in [0.1, 0.9] and ``fine`` in
[0, 200] (``numpy.random.default_rng(2026)``); target counterfeit rate 0.05, criterion ``all_equilibria``,
``k`` in [0, 100]. Cases, each the median of the timed runs after one warm-up (sympy derivations are cached in
the warm-up; they are timed separately, once):

* ``auto, 1e6 points``: ``min_penalty_multiplier(..., points=...)``: the smallest and the robust threshold of every
  point from the closed-form candidates and the equilibrium types, every answer checked with
  ``gt.solve_batch`` on both sides of it, the exact set point by point where the check fails;
* ``batch solver, the check alone``: ``gt.solve_batch`` on as many direct-model games as the check solves (the
  floor of any path that confirms each answer with the solver on both sides);
* ``exact set, one scenario``: ``deterrence_set`` of the direct model at its defaults, target 0.08 (the
  non-monotone example of docs/deterrence.md);
* ``exact sets point by point``: ``method="search"`` (the reference path) on the first ``N_REFERENCE`` points;
  its answers must equal the ``auto`` ones (``agrees``).

No peer computes deterrence sets, so the solver row is the reference for the cost of the solver check.

Run: ``python -m benchmarks.bench_deterrence [--quick]`` (writes ``benchmarks/results/deterrence.json``, ``.md``).
"""

from __future__ import annotations

import time

import numpy as np

import gametheory as gt
from gametheory.deterrence import ThresholdResult

from .harness import Measurement, command_line_size, direct_points, measure, pick, repeats, write_results

N_BIG = 1_000_000
N_REFERENCE = 100
TARGET = 0.05


def thresholds(size: str) -> list[Measurement]:
    """Deterrence thresholds for 1,000,000 points (checked by the batch solver), and exact sets."""
    n_big = pick(size, full=N_BIG, quick=100_000, smoke=2_000)
    n_ref = pick(size, full=N_REFERENCE, quick=20, smoke=5)
    model = gt.models.get("direct")
    big = direct_points(n_big)

    def run(where: dict[str, np.ndarray], method: str) -> ThresholdResult:
        return gt.deterrence.min_penalty_multiplier(model, target_rate=TARGET, points=where, method=method)

    start = time.perf_counter()
    run({k: v[:10] for k, v in big.items()}, "auto")
    derive = time.perf_counter() - start
    auto, res = measure(f"auto, {n_big:,} direct-model points", "gametheory min_penalty_multiplier(points=...)",
                        lambda: run(big, "auto"), items=n_big, repeat=pick(size, full=3, quick=3, smoke=1),
                        note=f"closed form + batch-solver check on both sides; one core; sympy derivation once "
                             f"beforehand ({derive:.1f} s, cached)")
    auto.baseline = True
    auto.extra |= {"confirmed_share": float(res.from_closed_form.mean()), "feasible_share": float(res.feasible.mean()),
                   "not_monotone_share": float((~res.monotone).mean()), "sympy_derivation_s": derive}
    n_check = int(2 * n_big)
    ks = np.random.default_rng(1).uniform(0.5, 50, n_check)
    games = {k: np.concatenate([v, v]) for k, v in big.items()}
    solver, _ = measure(f"auto, {n_big:,} direct-model points", "gt.solve_batch on 2 games per point (the check)",
                        lambda: gt.solve_batch(model.batch(penalty_multiplier=ks, **games)), items=n_big,
                        repeat=pick(size, full=3, quick=3, smoke=1),
                        note="the floor of checking each answer with the solver on both sides")
    one, region = measure("exact set, one scenario", "gametheory deterrence_set(direct, target_rate=0.08)",
                          lambda: gt.deterrence.deterrence_set(model, target_rate=0.08), repeat=repeats(size),
                          note="breakpoints by numpy polynomial roots, every piece decided by the solver")
    one.extra |= {"set": region.describe(), "pieces": len(region.pieces)}
    ref_points = {k: v[:n_ref] for k, v in big.items()}
    ref, res_ref = measure(f"exact sets point by point, {n_ref} points", "gametheory (method='search')",
                           lambda: run(ref_points, "search"), items=n_ref, repeat=pick(size, full=1, quick=1, smoke=1),
                           note="the reference path; answers compared with auto's")
    same = np.allclose(np.nan_to_num(res_ref.threshold, nan=-1.0), np.nan_to_num(res.threshold[:n_ref], nan=-1.0),
                       rtol=1e-7, atol=1e-9)
    ref.agrees = bool(same)
    return [auto, solver, one, ref]


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"thresholds_1e6": thresholds}


def main() -> None:
    write_results("deterrence", thresholds(command_line_size(__doc__, quick_help="100,000 points, 3 runs")))


if __name__ == "__main__":
    main()
