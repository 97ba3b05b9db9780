"""Benchmark: building payment-model games from their formulas.

Cases, medians of several runs, written to ``benchmarks/results/models.json`` (and ``models.md``):

- ``model.batch(**arrays)`` (the sympy formulas lambdified to numpy, evaluated over all points at once) against the
  reference path, a Python loop of ``model.with_params(...).game()`` (timed on a sample and extrapolated); this is
  also the ``models_batch_1e6`` case of ``python -m benchmarks`` (``CASES``);
- ``model.outcome_arrays`` for a solved batch (all metrics at every equilibrium of every point);
- the one-off cost of deriving a model's symbolic payoffs, metrics and numpy functions (cold cache), per model
  and variant.

Run: ``python -m benchmarks.bench_models [--quick]``.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Measurement, command_line_size, measure, pick, repeats, write_results


def batch_cases(n: int, repeat: int, *, sample: int = 200) -> list[Measurement]:
    import gametheory as gt

    m = gt.models.get("direct")
    rng = np.random.default_rng(0)
    arrays = {"penalty_multiplier": rng.uniform(0, 8, n), "deposit": rng.uniform(0, 2000, n),
              "detection_prob": rng.uniform(0, 1, n)}
    out = []
    ours, batch = measure("direct: games at N parameter points", "gametheory model.batch (lambdify, vectorised)",
                          lambda: m.batch(**arrays), items=n, repeat=repeat)
    small = {k: v[:sample] for k, v in arrays.items()}

    def loop() -> np.ndarray:
        return np.stack([m.with_params(**{k: float(v[i]) for k, v in small.items()}).game().payoffs
                         for i in range(sample)])

    ref, payoffs = measure("direct: games at N parameter points", "reference loop of model.game()", loop,
                           items=sample, repeat=max(1, repeat // 2), scale_to=n)
    ref.agrees = bool(np.allclose(payoffs, batch.payoffs[:sample]))
    ours.baseline = True
    out += [ours, ref]
    sol = gt.solve_batch(m.batch(**{k: v[: n // 10] for k, v in arrays.items()}))
    small_arrays = {k: v[: n // 10] for k, v in arrays.items()}
    metrics, _ = measure("direct: all metrics at every equilibrium", "gametheory model.outcome_arrays",
                         lambda: m.outcome_arrays(sol, **small_arrays), items=n // 10, repeat=repeat)
    out.append(metrics)
    return out


def build_cases() -> list[Measurement]:
    import gametheory as gt
    from gametheory.models import base

    out = []
    for name in gt.models.names():
        for variant in ("core", "extended"):
            def cold(name: str = name, variant: str = variant) -> object:
                base._CACHE.clear()
                return gt.models.get(name, variant=variant).game()

            m, _ = measure(f"derive symbolic payoffs + metrics + numpy functions: {name} ({variant})",
                           "gametheory (cold cache, once per model structure)", cold, repeat=3, warmup=0)
            out.append(m)
    return out


def models_batch(size: str) -> list[Measurement]:
    """Building the direct model's games at many parameter points: ``model.batch`` vs a loop of ``model.game()``."""
    n = pick(size, full=1_000_000, quick=100_000, smoke=2_000)
    return batch_cases(n, repeats(size, full=5), sample=pick(size, full=200, quick=100, smoke=5))


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"models_batch_1e6": models_batch}


def main() -> None:
    n, repeat = (100_000, 3) if command_line_size(__doc__) == "quick" else (1_000_000, 5)
    write_results("models", batch_cases(n, repeat) + build_cases())


if __name__ == "__main__":
    main()
