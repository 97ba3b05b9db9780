"""Deterrence thresholds for many parameter points of the direct model: closed form against the numeric search.

Points: the direct model's defaults with ``price`` uniform in [40, 250], ``deposit`` in [20, 3000],
``verify_cost`` in [0.5, 15], ``detection_prob`` in [0.3, 1], ``audit_detection`` in [0.1, 0.9] and ``fine`` in
[0, 200] (``numpy.random.default_rng(2026)``); target counterfeit rate 0.05, criterion ``all_equilibria``,
``k`` in [0, 100]. Cases, each the median of ``REPEAT`` runs after one warm-up (sympy derivations are cached in
the warm-up; they are timed separately, once):

* ``closed form, 1e6 points``: ``min_penalty_multiplier(..., method="closed_form")`` on ``N_BIG`` points: the
  formulas of every regime and type boundary, each answer checked by the equilibrium types (no solver);
* ``numeric search``: ``method="search"`` (grid walked until the criterion holds + Dekker refinement on
  ``gt.solve_batch``) on ``N_SEARCH`` points, reported as points per second;
* ``auto``: the closed form, the search where it does not answer, on ``N_SEARCH`` points.

No peer computes deterrence thresholds, so there is no peer row; agreement of the closed form with the search is
reported instead (share of the search sample where both give the same answer within 1e-6).

The ``thresholds_1e6`` case of ``python -m benchmarks`` (``CASES``) times the closed form on 1,000,000 points and
the search on the first 10,000 of them (extrapolated, labelled so), and compares their answers there.

Run: ``python -m benchmarks.bench_deterrence [--quick]`` (writes ``benchmarks/results/deterrence.json``, ``.md``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import gametheory as gt  # noqa: E402
from gametheory.deterrence import ThresholdResult  # noqa: E402

from .harness import Measurement, measure, pick, repeats, write_results  # noqa: E402

N_BIG = 1_000_000
N_SEARCH = 20_000
REPEAT = 5
TARGET = 0.05


def points(n: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """The benchmark's random parameter points."""
    rng = np.random.default_rng(seed)
    return {
        "price": rng.uniform(40, 250, n),
        "deposit": rng.uniform(20, 3000, n),
        "verify_cost": rng.uniform(0.5, 15, n),
        "detection_prob": rng.uniform(0.3, 1.0, n),
        "audit_detection": rng.uniform(0.1, 0.9, n),
        "fine": rng.uniform(0, 200, n),
    }


def thresholds(size: str) -> list[Measurement]:
    """Deterrence thresholds (min penalty multiplier) for 1,000,000 points: closed form and numeric search."""
    n_big = pick(size, full=N_BIG, quick=100_000, smoke=2_000)
    n_search = pick(size, full=10_000, quick=2_000, smoke=200)
    model = gt.models.get("direct")
    big = points(n_big)
    small = {k: v[:n_search] for k, v in big.items()}

    def run(where: dict[str, np.ndarray], method: str) -> ThresholdResult:
        return gt.deterrence.min_penalty_multiplier(model, target_rate=TARGET, points=where, method=method)

    start = time.perf_counter()
    run({k: v[:10] for k, v in big.items()}, "closed_form")
    derive = time.perf_counter() - start
    case = f"deterrence thresholds, {n_big:,} direct-model points"
    formula, res_f = measure(case, "gametheory min_penalty_multiplier(method='closed_form')",
                             lambda: run(big, "closed_form"), items=n_big, repeat=repeats(size),
                             note=f"one core; sympy derivation once beforehand ({derive:.1f} s, cached)")
    formula.baseline = True
    formula.extra |= {"answered_share": float(res_f.from_closed_form.mean()),
                      "feasible_share": float(res_f.feasible.mean()), "sympy_derivation_s": derive}
    search, res_s = measure(case, "gametheory min_penalty_multiplier(method='search')", lambda: run(small, "search"),
                            items=n_search, scale_to=n_big, repeat=repeats(size))
    a = np.where(res_f.feasible[:n_search], res_f.threshold[:n_search], -1.0)
    b = np.where(res_s.feasible, res_s.threshold, -1.0)
    share = float(np.isclose(a, b, rtol=1e-6, atol=1e-6).mean())
    search.agrees = share == 1.0
    search.extra |= {"share_agreeing_with_closed_form": share, "search_points_per_second": n_search / (
        search.median_s * n_search / n_big)}
    search.note = (f"timed on the first {n_search:,} points ({search.extra['search_points_per_second']:,.0f} "
                   f"points/s); same threshold as the closed form on {share:.2%} of them")
    return [formula, search]


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"thresholds_1e6": thresholds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 / 2,000 points, 3 runs")
    args = parser.parse_args()
    n_big, n_search, repeat = (100_000, 2_000, 3) if args.quick else (N_BIG, N_SEARCH, REPEAT)
    model = gt.models.get("direct")
    mpm = gt.deterrence.min_penalty_multiplier

    start = time.perf_counter()
    mpm(model, target_rate=TARGET, points={k: v[:10] for k, v in points(10).items()}, method="closed_form")
    derive_s = time.perf_counter() - start

    big = points(n_big)
    formula, res_formula = measure(
        f"closed form, {n_big:,} points", "gametheory (method='closed_form')",
        lambda: mpm(model, target_rate=TARGET, points=big, method="closed_form"), items=n_big, repeat=repeat,
        note="formulas + check by equilibrium types; one core; cpu_median_s and the load average in the JSON",
    )
    formula.extra |= {"answered_share": float(res_formula.from_closed_form.mean()),
                      "feasible_share": float(res_formula.feasible.mean()), "sympy_derivation_s": derive_s}

    small = {name: v[:n_search] for name, v in big.items()}  # the first points of the big set
    search, res_search = measure(
        f"numeric search, {n_search:,} points", "gametheory (method='search')",
        lambda: mpm(model, target_rate=TARGET, points=small, method="search"), items=n_search, repeat=repeat,
        note="grid of 9 (walked until the criterion holds) + Dekker refinement on gt.solve_batch",
    )
    auto, res_auto = measure(
        f"auto, {n_search:,} points", "gametheory (method='auto')",
        lambda: mpm(model, target_rate=TARGET, points=small, method="auto"), items=n_search, repeat=repeat,
        note="closed form, search where it does not answer",
    )
    f_small = np.where(res_formula.feasible[:n_search], res_formula.threshold[:n_search], -1.0) \
        if n_big >= n_search else None
    s_small = np.where(res_search.feasible, res_search.threshold, -1.0)
    a_small = np.where(res_auto.feasible, res_auto.threshold, -1.0)
    agree_auto = float(np.isclose(a_small, s_small, rtol=1e-6, atol=1e-6).mean())
    auto.agrees = agree_auto >= 0.99
    auto.extra |= {"share_agreeing_with_search": agree_auto}
    search.extra |= {"feasible_share": float(res_search.feasible.mean())}
    if f_small is not None:
        agree = float(np.isclose(f_small, s_small, rtol=1e-6, atol=1e-6).mean())
        formula.extra["share_agreeing_with_search_on_first_points"] = agree
    write_results("deterrence", [formula, search, auto])


if __name__ == "__main__":
    main()
