"""Deterrence thresholds for many parameter points of each core model, and the exact set of one scenario.

Points: each model's defaults with ``price`` uniform in [40, 250], ``deposit`` in [20, 3000] (direct only),
``verify_cost`` in [0.5, 15], ``detection_prob`` in [0.3, 1], ``audit_detection`` in [0.1, 0.9] and ``fine`` in
[0, 200] (``numpy.random.default_rng(2026)``); target counterfeit rate 0.05, criterion ``all_equilibria``,
``k`` in the model's default bounds. Cases, each the median of the timed runs after one warm-up (the warm-up
derives the formulas and compiles or loads the kernel; it is timed separately, once):

* ``<model>, 1e6 points``: ``threshold_map(model, points=...)``: the smallest and the robust threshold of every
  point, each checked by solving the games on both sides of it, the exact set point by point where the check
  fails. ``compiled pass`` is the path for 2x2x2 models (:mod:`gametheory.deterrence._fused`: formulas, verdicts
  and the check in one compiled loop); ``numpy path`` the one before it (the closed form over arrays, the check
  with ``gt.solve_batch``; one run), the peer;
* ``batch solver, the check alone``: ``gt.solve_batch`` on 2 direct-model games per point (what checking each
  answer with the batch solver on both sides cost the numpy path at least);
* ``exact set, one scenario``: ``deterrence_set`` of the direct model at its defaults, target 0.08 (the
  non-monotone example of docs/deterrence.md);
* ``exact sets point by point``: ``method="search"`` (the reference path) on the first ``N_REFERENCE`` direct
  points; its answers must equal the ``auto`` ones (``agrees``).

No other library computes deterrence sets: the peer of the compiled pass is the numpy path it replaces (its
answers must be the same, ``agrees``).

Run: ``python -m benchmarks.bench_deterrence [--quick]`` (writes ``benchmarks/results/deterrence.json``, ``.md``).
"""

from __future__ import annotations

import time

import numpy as np

import gametheory as gt
from gametheory.deterrence import ThresholdMap

from .harness import Measurement, command_line_size, direct_points, measure, pick, repeats, write_results

N_BIG = 1_000_000
MODELS = ("cash_on_delivery", "escrow", "self_operated", "direct")
N_REFERENCE = 100
TARGET = 0.05


def thresholds(size: str) -> list[Measurement]:
    """Deterrence thresholds for 1,000,000 points of each core model (each answer checked), and exact sets."""
    from gametheory.deterrence import _fused

    n_big = pick(size, full=N_BIG, quick=100_000, smoke=2_000)
    n_ref = pick(size, full=N_REFERENCE, quick=20, smoke=5)
    out: list[Measurement] = []
    results = {}
    for name in MODELS:
        model = gt.models.get(name)
        big = {k: v for k, v in direct_points(n_big).items() if k in model.numeric_names}

        def run(where: dict[str, np.ndarray], method: str = "auto", model: object = model) -> ThresholdMap:
            return gt.deterrence.threshold_map(model, target_rate=TARGET, points=where, method=method)

        start = time.perf_counter()
        run(big)
        first = time.perf_counter() - start
        fast, res = measure(f"{name}, {n_big:,} points", "gametheory threshold_map (compiled pass)",
                            lambda big=big: run(big), items=n_big, repeat=pick(size, full=5, quick=3, smoke=1),
                            note=f"each answer checked on both sides; one core; first call {first:.1f} s (formulas "
                                 "derived or read, kernel compiled or loaded)")
        fast.baseline = True
        fast.extra |= {"confirmed_share": float(res.from_closed_form.mean()),
                       "feasible_share": float(res.feasible.mean()),
                       "not_monotone_share": float((~res.monotone).mean()), "first_call_s": first}
        _fused.ENABLED = False
        try:
            slow, old = measure(f"{name}, {n_big:,} points", "gametheory threshold_map (numpy path, before)",
                                lambda big=big: run(big), items=n_big, repeat=1, warmup=0,
                                note="closed form over arrays, the check by gt.solve_batch")
        finally:
            _fused.ENABLED = True
        slow.agrees = bool(np.allclose(np.nan_to_num(old.threshold, nan=-1.0), np.nan_to_num(res.threshold, nan=-1.0),
                                       rtol=1e-7, atol=1e-9))
        out += [fast, slow]
        results[name] = (model, big, run, res)
    model, big, run, res = results["direct"]
    n_check = int(2 * n_big)
    ks = np.random.default_rng(1).uniform(0.5, 50, n_check)
    games = {k: np.concatenate([v, v]) for k, v in big.items()}
    solver, _ = measure(f"direct, {n_big:,} points", "gt.solve_batch on 2 games per point (the check)",
                        lambda: gt.solve_batch(model.batch(penalty_multiplier=ks, **games)), items=n_big,
                        repeat=pick(size, full=3, quick=3, smoke=1),
                        note="the floor of checking each answer with gt.solve_batch on both sides")
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
    return [*out, solver, one, ref]


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"thresholds_1e6": thresholds}


def main() -> None:
    write_results("deterrence", thresholds(command_line_size(__doc__, quick_help="100,000 points, 3 runs")))


if __name__ == "__main__":
    main()
