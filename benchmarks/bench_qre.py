"""Benchmark: logit quantal response equilibria over parameter points of the payment models.

Cases, medians of several runs, written to ``benchmarks/results/qre.json`` (and ``qre.md``):

- the principal-branch QRE at a fixed precision (``lambda = 0.1`` per currency unit, the ``logit`` criterion's
  default) at 10,000 points of each core model: ``gt.qre.logit_batch`` (every branch traced at once) against
  pygambit's ``logit_solve_lambda`` (one game at a time, the same predictor-corrector method in C++), timed on a
  sample and extrapolated, profiles compared within 1e-6;
- the logit-selected equilibrium (the end of every branch) at 2,000 points of the escrow model:
  ``gt.qre.logit_selected`` against pygambit's ``logit_solve`` per game, limits compared within 1e-6.

Run: ``python -m benchmarks.bench_qre [--quick]``. The ``qre_1e4`` case of ``python -m benchmarks`` is the first.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import (
    Measurement,
    command_line_size,
    measure,
    peer_available,
    pick,
    repeats,
    skipped,
    write_results,
)

#: the precision timed, per currency unit of payoff
LAMBDA = 0.1
MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")


def _points(model, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {"detection_prob": rng.uniform(0.05, 0.95, n), "verify_cost": rng.uniform(0.5, 10.0, n)}


def _gambit_game(payoffs: np.ndarray):
    import pygambit

    return pygambit.Game.from_arrays(*[np.asarray(u, dtype=float) for u in payoffs])


def _vectors(profile, game) -> np.ndarray:
    return np.concatenate([[float(profile[s]) for s in pl.strategies] for pl in game.players])


def _flat(padded: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.concatenate([padded[i, :s] for i, s in enumerate(shape)])


def at_lambda_cases(n: int, repeat: int | None, sample: int) -> list[Measurement]:
    import gametheory as gt

    out = []
    for name in MODELS:
        model = gt.models.get(name)
        batch = model.batch(**_points(model, n))
        case = f"{name} {'x'.join(map(str, batch.shape))}: logit QRE at lambda={LAMBDA:g}, {n:,} points"
        ours, result = measure(case, "gametheory qre.logit_batch (vectorised tracer)",
                               lambda b=batch: gt.qre.logit_batch(b, LAMBDA), items=n, repeat=repeat)
        ours.baseline = True
        ours.extra |= {"all_succeeded": bool(result.success.all()), "max_steps": int(result.steps.max())}
        out.append(ours)
        if not peer_available("pygambit"):
            out.append(skipped(case, "pygambit logit_solve_lambda", "pygambit is not installed"))
            continue
        from pygambit import qre

        games = [_gambit_game(batch.payoffs[g]) for g in range(sample)]
        peer, theirs = measure(case, "pygambit qre.logit_solve_lambda (per game)",
                               lambda games=games: [qre.logit_solve_lambda(g, [LAMBDA])[0] for g in games],
                               items=sample,
                               repeat=max(1, (repeat or 5) // 2), scale_to=n, note=f"timed on {sample} games")
        peer.agrees = all(
            np.abs(_vectors(p.profile, games[g]) - _flat(result.profiles[g], batch.shape)).max() <= 1e-6
            for g, p in enumerate(theirs)
        )
        out.append(peer)
    return out


def selection_cases(n: int, repeat: int | None, sample: int) -> list[Measurement]:
    import gametheory as gt

    model = gt.models.get("escrow")
    batch = model.batch(**_points(model, n))
    solution = gt.solve_batch(batch)
    case = f"escrow 2x2x2: logit-selected equilibrium (end of the branch), {n:,} points"
    ours, index = measure(case, "gametheory qre.logit_selected (vectorised tracer)",
                          lambda: gt.qre.logit_selected(batch, solution), items=n, repeat=repeat)
    ours.baseline = True
    ours.extra |= {"matched": int((index >= 0).sum())}
    if not peer_available("pygambit"):
        return [ours, skipped(case, "pygambit logit_solve", "pygambit is not installed")]
    import pygambit

    games = [_gambit_game(batch.payoffs[g]) for g in range(sample)]
    peer, theirs = measure(case, "pygambit nash.logit_solve (per game)",
                           lambda: [pygambit.nash.logit_solve(g).equilibria[0] for g in games], items=sample,
                           repeat=max(1, (repeat or 5) // 2), scale_to=n, note=f"timed on {sample} games")
    peer.agrees = all(
        index[g] >= 0
        and np.abs(_vectors(p, games[g]) - _flat(solution.profiles[g, index[g]], batch.shape)).max() <= 1e-6
        for g, p in enumerate(theirs)
    )
    return [ours, peer]


def qre_1e4(size: str) -> list[Measurement]:
    """Logit QRE at a fixed lambda at 10,000 points of each core model vs pygambit's logit_solve_lambda."""
    n = pick(size, full=10_000, quick=2_000, smoke=50)
    return at_lambda_cases(n, repeats(size, full=5), sample=pick(size, full=100, quick=40, smoke=5))


#: cases of ``python -m benchmarks``: name -> fn(size) -> measurements
CASES = {"qre_1e4": qre_1e4}


def main() -> None:
    size = command_line_size(__doc__)
    measurements = qre_1e4(size) + selection_cases(pick(size, full=2_000, quick=500, smoke=20),
                                                   repeats(size, full=3), sample=pick(size, full=50, quick=20,
                                                                                      smoke=5))
    write_results("qre", measurements)


if __name__ == "__main__":
    main()
