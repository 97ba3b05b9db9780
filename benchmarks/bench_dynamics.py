"""Benchmark: replicator-dynamics stability classification over parameter sweeps.

Cases, medians of several runs, written to ``benchmarks/results/dynamics.json`` (and ``dynamics.md``):

- every rest point (8 corners, 6 faces, up to 2 interior points) of the direct model's 2x2x2 game, with
  Jacobian eigenvalues and a classification, at 100,000 parameter points: ``gt.dynamics.classify_batch``
  (vectorised closed form) against its reference path (``method="per_game"``: rest points face by face and
  ``numpy.linalg.eigvals`` per game, timed on a sample and extrapolated), answers cross-checked;
- building the 100,000 games (``model.batch``), for context: a sweep pays both;
- integrating the replicator dynamics from 1,000 random starts at once (``gt.dynamics.simulate``).

No peer library classifies multi-population rest points (EGTtools handles one population; nashpy, Gambit and
QuantEcon have no replicator dynamics), so the peers are our own reference paths. The classification is also the
``replicator_1e5`` case of ``python -m benchmarks`` (``CASES``).

Run: ``python -m benchmarks.bench_dynamics [--quick]``.
"""

from __future__ import annotations

import os

import numpy as np

from benchmarks.harness import Measurement, command_line_size, measure, pick, repeats, write_results


def classification_cases(n: int, repeat: int | None, *, sample: int = 200) -> list[Measurement]:
    import gametheory as gt

    model = gt.models.get("direct")
    rng = np.random.default_rng(0)
    arrays = {"penalty_multiplier": rng.uniform(0, 8, n), "deposit": rng.uniform(0, 2000, n),
              "detection_prob": rng.uniform(0, 1, n)}
    batch = model.batch(**arrays)
    case = f"direct 2x2x2: classify all rest points at {n:,} points"
    load_before = os.getloadavg()[0]
    ours, result = measure(case, "gametheory classify_batch (closed form, vectorised)",
                           lambda: gt.dynamics.classify_batch(batch), items=n, repeat=repeat)
    ours.baseline = True
    ours.extra |= {"cpu_s_median": ours.extra["cpu_median_s"], "load_average_1min_before": load_before,
                   "load_average_1min_after": os.getloadavg()[0],
                   "rest_points_listed": int(result.valid.sum()), "stable_states": int(result.stable.sum())}
    small = batch.take(np.arange(sample))
    ref, slow = measure(case, "reference: per-game rest points + numpy eigvals", lambda: gt.dynamics.classify_batch(
        small, method="per_game"), items=sample, repeat=max(1, (repeat or 5) // 2), scale_to=n,
        note=f"timed on {sample} games")
    fast = gt.dynamics.classify_batch(small)
    ref.agrees = all(
        sorted(fast.codes[g][fast.valid[g]].tolist()) == sorted(slow.codes[g][slow.valid[g]].tolist())
        for g in range(sample)
    )
    build, _ = measure(f"direct 2x2x2: build the {n:,} games (context)", "gametheory model.batch",
                       lambda: model.batch(**arrays), items=n, repeat=repeat)
    return [ours, ref, build]


def simulation_cases(starts: int, repeat: int) -> list[Measurement]:
    import gametheory as gt

    game = gt.models.get("direct", penalty_multiplier=0.1).game()
    m, run = measure(f"direct 2x2x2: trajectories from {starts:,} random starts to t=20",
                     "gametheory simulate (one stacked LSODA system, log shares)",
                     lambda: gt.dynamics.simulate(game, n_random=starts, t_max=20.0, n_times=101, seed=0),
                     items=starts, repeat=repeat)
    m.extra = {"success": bool(run.success), "nfev": int(run.nfev)}
    return [m]


def replicator(size: str) -> list[Measurement]:
    """Replicator-dynamics stability of every rest point at 100,000 direct-model points vs the per-game path."""
    n = pick(size, full=100_000, quick=20_000, smoke=1_000)
    return classification_cases(n, repeats(size, full=5), sample=pick(size, full=200, quick=100, smoke=10))


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"replicator_1e5": replicator}


def main() -> None:
    quick = command_line_size(__doc__) == "quick"
    n, repeat = (20_000, 3) if quick else (100_000, 7)
    measurements = classification_cases(n, repeat) + simulation_cases(200 if quick else 1000, 3)
    write_results("dynamics", measurements)


if __name__ == "__main__":
    main()
