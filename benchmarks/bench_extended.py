"""The extended payment games (3x4x2x2, 2x4x2x2, 2x4x2): the hub-and-spokes batch solver against the per-point
solver and pygambit ``enumpoly``, in the same run.

For each extended model: ``N`` random parameter points (:func:`gametheory.models.random_points.random_points`,
seed 0) built once; timed are

* ``gt.solve_batch`` on the whole batch (the compiled hub-and-spokes kernel, per-game fallback included); the
  row records the share of points solved per game (``fallback``) and the share with ``complete=True``;
* ``gt.sweep`` end to end on a 3-axis grid of about the same number of points (batch building, solving,
  metrics, the table);
* the per-point reference path (``gametheory.solvers.solve_reference``: dominance, n-player support enumeration)
  on a sample of the points, extrapolated to ``N``;
* pygambit ``enumpoly_solve`` on a sample (each call guarded by a time budget), extrapolated to ``N``.

Agreement: on the sampled points, the batch solver's equilibria are compared with the reference's and with
pygambit's (``benchmarks.harness.compare_sets``). Medians of several runs; the machine was shared (see the load
average in the JSON).

Run: ``python -m benchmarks.bench_extended [--quick]`` (writes ``benchmarks/results/extended.json`` and ``.md``).
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

import gametheory as gt
from gametheory.models.random_points import random_points
from gametheory.solvers import solve_reference

from .harness import (
    Measurement,
    compare_sets,
    describe_agreement,
    measure,
    measure_guarded,
    peer_available,
    pick,
    skipped,
    write_results,
)

MODELS = ("direct", "escrow", "cash_on_delivery", "self_operated")
#: the sweep grid (points = product of the lengths)
GRID_AXES = ("penalty_multiplier", "false_claim_upheld", "hunter_share")


def _profiles(eqs: Any) -> list[list[np.ndarray]]:
    return [[np.asarray(v, dtype=float) for v in eq.profile] for eq in eqs]


def model_case(name: str, size: str) -> list[Measurement]:
    """One model: batch solver, sweep, per-point reference and pygambit on the same points."""
    model = gt.models.get(name, variant="extended")
    n = pick(size, full=4000, quick=400, smoke=8)
    sample = pick(size, full=8, quick=3, smoke=1)
    repeat = pick(size, full=5, quick=3, smoke=1)
    batch = model.batch(**random_points(model, n, seed=0))
    case = f"{name} extended {'x'.join(map(str, model.shape))}, {n} random points"
    out: list[Measurement] = []
    m, sol = measure(case, "gametheory solve_batch (hub_spokes)", lambda: gt.solve_batch(batch), items=n,
                     repeat=repeat)
    m.baseline = True
    m.extra.update(fallback=float(sol.fallback.mean()), complete=float(sol.complete.mean()),
                   degenerate=float(sol.degenerate.mean()), max_regret=float(np.nanmax(sol.regrets)))
    m.note = f"complete {100 * sol.complete.mean():.2f} %, per-game fallback {100 * sol.fallback.mean():.2f} %"
    out.append(m)
    side = max(2, round(n ** (1 / 3)))
    k_lo = float(model.parameter("penalty_multiplier").domain.left or 0.0)
    grid = {"penalty_multiplier": np.linspace(k_lo, k_lo + 4, side), "false_claim_upheld": np.linspace(0, 0.5, side),
            "hunter_share": np.linspace(0, 0.5, side)}
    points = side ** 3
    m, table = measure(f"{name} extended, gt.sweep end to end", "gametheory sweep (hub_spokes)",
                       lambda: gt.sweep(name, grid, variant="extended", progress=False), items=points,
                       repeat=repeat)
    m.baseline = True
    m.extra.update(points=points, complete=float(np.asarray(table["complete"]).mean()))
    out.append(m)
    mine = [sol.equilibria(g) for g in range(sample)]
    games = [batch[g] for g in range(sample)]
    m, ref = measure(case, "gametheory per-point reference (dominance + support enumeration)",
                     lambda: [solve_reference(g, 1e-9) for g in games], items=sample, repeat=1)
    counts = compare_sets([_profiles(e) for e in mine], [_profiles(e) for e in ref])
    m.agrees = counts["same"] == counts["games"]
    m.extra |= counts | {"reference_complete": sum(r.complete for r in ref)}
    m.note = f"{describe_agreement(counts)}; reference complete on {sum(r.complete for r in ref)}/{sample}"
    out.append(_extrapolate(m, n))
    if peer_available("pygambit"):
        import pygambit as gbt

        built = [gbt.Game.from_arrays(*[np.asarray(u, dtype=float) for u in g.payoffs]) for g in games]

        def run() -> list[list[list[np.ndarray]]]:
            return [[[np.array([float(p[s]) for s in pl.strategies]) for pl in gg.players]
                     for p in gbt.nash.enumpoly_solve(gg).equilibria] for gg in built]

        m, theirs = measure_guarded(case, f"pygambit {gbt.__version__} enumpoly_solve", run, items=sample,
                                    repeat=1, budget=pick(size, full=120.0, quick=60.0, smoke=30.0))
        if theirs is not None:
            counts = compare_sets([_profiles(e) for e in mine], theirs)
            m.agrees = counts["same"] == counts["games"]
            m.extra |= counts
            m.note = describe_agreement(counts)
        out.append(_extrapolate(m, n))
    else:
        out.append(skipped(case, "pygambit enumpoly_solve", "pygambit not installed"))
    return out


def _extrapolate(m: Measurement, n: int) -> Measurement:
    """A sample's time scaled to ``n`` points."""
    per = m.median_s / m.items
    m.median_s, m.spread_s, m.extrapolated = per * n, m.spread_s / m.items * n, True
    m.extra["sample"] = m.items
    m.items = n
    return m


def all_models(size: str) -> list[Measurement]:
    return [row for name in MODELS for row in model_case(name, size)]


#: cases of ``python -m benchmarks``
CASES = {"extended_games": all_models}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points (a smoke run)")
    args = parser.parse_args(argv)
    write_results("extended", all_models("quick" if args.quick else "full"))


if __name__ == "__main__":
    main()
