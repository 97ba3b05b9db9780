"""Whole batches of 2x2x2 and 2x2 games: ``gt.solve_batch`` (vectorised closed form) against per-game peers.

Games: random integer payoffs in [-10^6, 10^6] (exact in float64, so an exact rational oracle can check them),
``numpy.random.default_rng(2026)``; ``N_BIG`` games per batch. Ours: ``gt.solve_batch`` on the whole batch,
median of ``REPEAT`` runs after one warm-up, wall-clock and CPU time (``time.process_time``; the CPU figure is
the one to compare across loaded machines). The 2x2 fast path is compiled (numba) and runs on one thread. Peers loop
over a sample of the same games (pygambit ``enumpoly_solve`` for 2x2x2 and 2x2, QuantEcon ``support_enumeration``
and nashpy ``support_enumeration`` for 2x2), timed the same way and **extrapolated** to ``N_BIG`` games (labelled
so). Correctness: every listed equilibrium's regret is <= 1e-9 and every generic game has an odd number of
equilibria, over the whole batch; on the first ``N_EXACT`` 2x2x2 games the answer is compared with the exact
rational oracle of ``tests/solvers/test_closed_form.py``; peers are compared with ours on their sample (pygambit
misses some).

For ``python -m benchmarks`` (``CASES``): ``batch_direct_1e6``, the same comparison on the 2x2x2 games of a
direct-model sweep (``model.batch`` over a seeded random sample of seven parameters, :func:`direct_points`);
``batch_ties_2x2x2`` (issue 23), 2x2x2 games with integer payoffs in [-9, 9], where ties and continua are common
(:func:`tied_2x2x2`).

Issue 23's tied case (:func:`tied_2x2`): 2x2 games with integer payoffs in [-3, 3], timed interleaved with generic
ones, against the thorough numpy path they took before and a QuantEcon loop.

Run: ``python -m benchmarks.bench_batch [--quick] [--tied-2x2]`` (writes ``benchmarks/results/batch.json`` and
``.md``; ``--tied-2x2``: only the tied case, to ``batch_tied_2x2.json``).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import numpy as np

import gametheory as gt

from .harness import Measurement, direct_points, measure, peer_available, pick, repeats, skipped, write_results

N_BIG = 1_000_000
N_EXACT = 5_000
REPEAT = 5
SAMPLE = {"pygambit": 200, "quantecon": 5_000, "nashpy": 2_000}


def _measure(case: str, impl: str, fn: Callable[[], Any], items: int, repeat: int, scale_to: int | None = None,
             note: str = "") -> tuple[Measurement, Any]:
    """:func:`benchmarks.harness.measure` (wall and CPU medians, load average) plus CPU throughput."""
    m, result = measure(case, impl, fn, items=items, repeat=repeat, scale_to=scale_to, note=note)
    m.extra["cpu_per_second"] = m.items / m.extra["cpu_median_s"] if m.extra["cpu_median_s"] > 0 else float("inf")
    return m, result


def random_games(n: int, shape: tuple[int, ...], seed: int = 2026) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(-10**6, 10**6 + 1, size=(n, len(shape), *shape)).astype(float)


def _relative_regret(payoffs: np.ndarray, triple: tuple[float, ...]) -> float:
    game = gt.NormalFormGame(payoffs)
    return float(game.regret([np.array([p, 1 - p]) for p in triple]) / game.scale)


def _ours_triples(sol: gt.BatchSolution, g: int) -> list[tuple[float, ...]]:
    return [tuple(sol.profiles[g, e, :, 0]) for e in range(int(sol.counts[g]))]


def _same(a: list[Any], b: list[Any], atol: float = 1e-6) -> bool:
    return len(a) == len(b) and all(sum(np.max(np.abs(np.subtract(x, y))) <= atol for x in a) == 1 for y in b)


def _subset(a: list[Any], b: list[Any], atol: float = 1e-6) -> bool:
    return all(any(np.max(np.abs(np.subtract(x, y))) <= atol for y in b) for x in a)


def ours(payoffs: np.ndarray, repeat: int) -> tuple[Measurement, gt.BatchSolution]:
    batch = gt.GameBatch(payoffs)
    dims = "x".join(map(str, batch.shape))
    m, sol = _measure(f"{len(batch):,} random {dims} games", "gametheory solve_batch (closed_form)",
                      lambda: gt.solve_batch(batch), len(batch), repeat)
    scale = np.maximum(np.abs(payoffs).reshape(len(payoffs), -1).max(axis=1), 1.0)
    m.extra |= {
        "max_regret_relative": float(np.nanmax(sol.regrets / scale[:, None])),
        "all_counts_odd": bool((sol.counts % 2 == 1).all()),
        "degenerate_games": int(sol.degenerate.sum()),
        "counts_histogram": np.bincount(sol.counts).tolist(),
        "K": int(sol.profiles.shape[1]),
    }
    return m, sol


def ours_2x2(payoffs: np.ndarray, repeat: int) -> tuple[list[Measurement], gt.BatchSolution]:
    """The 2x2 batch: the compiled fast path, one thread (the peers' baseline)."""
    m, sol = ours(payoffs, repeat)
    m.baseline = True
    m.note = f"one thread; CPU {m.extra['cpu_per_second']:,.0f}/s; max regret {m.extra['max_regret_relative']:.1e}"
    return [m], sol


def exact_check(payoffs: np.ndarray, sol: gt.BatchSolution, n: int) -> dict[str, int]:
    from tests.solvers.test_closed_form import exact_equilibria_2x2x2

    counts = {"games": 0, "agree": 0, "skipped_degenerate": 0}
    for g in range(min(n, len(payoffs))):
        want = exact_equilibria_2x2x2(payoffs[g].astype(int).tolist())
        if want is None:
            counts["skipped_degenerate"] += 1
            continue
        counts["games"] += 1
        counts["agree"] += _same(_ours_triples(sol, g), want)
    return counts


def gambit(payoffs: np.ndarray, sol: gt.BatchSolution, repeat: int, *, case: str | None = None,
           integer: bool = True) -> Measurement:
    """pygambit ``enumpoly_solve`` looping over the first ``SAMPLE["pygambit"]`` games, extrapolated."""
    import pygambit as gbt

    k = min(SAMPLE["pygambit"], len(payoffs))
    sample = payoffs[:k]
    dims = "x".join(map(str, payoffs.shape[2:]))

    def run() -> list[list[tuple[float, ...]]]:
        out = []
        for u in sample:
            game = gbt.Game.from_arrays(*[x.astype(int) if integer else x for x in u])
            found = gbt.nash.enumpoly_solve(game).equilibria
            out.append([tuple(float(p[list(pl.strategies)[0]]) for pl in game.players) for p in found])
        return out

    m, theirs = _measure(case or f"{len(payoffs):,} random {dims} games",
                         f"pygambit {gbt.__version__} enumpoly_solve loop", run, k, repeat, scale_to=len(payoffs))
    same = sum(_same(_ours_triples(sol, g), t) for g, t in enumerate(theirs))
    misses = sum(len(t) < sol.counts[g] for g, t in enumerate(theirs))
    extra = sum(not _subset(t, _ours_triples(sol, g)) for g, t in enumerate(theirs))
    # a profile the peer lists and we do not: is it an equilibrium at all? (relative regret, as our tolerance)
    spurious = [_relative_regret(sample[g], x) for g, t in enumerate(theirs) for x in t
                if not _subset([x], _ours_triples(sol, g))]
    bad = sum(r > 1e-6 for r in spurious)
    m.agrees = same == k
    m.note = f"sample of {k}; same answer on {same}/{k}, misses equilibria on {misses}, finds one we lack on {extra}"
    if spurious:
        m.note += (f" ({bad} of those {len(spurious)} profiles are not equilibria: relative regret up to "
                   f"{max(spurious):.1e})")
    m.extra |= {"sample": k, "same": same, "peer_misses": misses, "peer_extra": extra, "peer_not_equilibria": bad,
                "peer_equilibria": sum(len(t) for t in theirs), "ours_equilibria": int(sol.counts[:k].sum())}
    return m


def direct_sweep(size: str) -> list[Measurement]:
    """1,000,000 direct-model 2x2x2 games: ``gt.solve_batch`` vs pygambit enumpoly looping (sample, extrapolated).

    Issue 8's headline: the games of a direct-model sweep (``model.batch`` over :func:`direct_points`).
    """
    n = pick(size, full=N_BIG, quick=100_000, smoke=2_000)
    repeat = repeats(size)
    SAMPLE["pygambit"] = pick(size, full=200, quick=50, smoke=5)
    model = gt.models.get("direct")
    arrays = direct_points(n, multiplier=True)
    build, batch = _measure(f"direct model: build {n:,} games (model.batch, context)", "gametheory model.batch",
                            lambda: model.batch(**arrays), n, repeat)
    case = f"{n:,} direct-model 2x2x2 games (random parameters), all equilibria"
    m, sol = ours(batch.payoffs, repeat)
    m.case, m.baseline = case, True
    m.note = (f"CPU {m.extra['cpu_per_second']:,.0f}/s; {int(sol.counts.sum()):,} equilibria, "
              f"{m.extra['degenerate_games']} degenerate games; max regret {m.extra['max_regret_relative']:.1e}")
    out = [m]
    if peer_available("pygambit"):
        out.append(gambit(batch.payoffs, sol, repeat, case=case, integer=False))
    else:
        out.append(skipped(case, "pygambit enumpoly_solve loop", "pygambit not installed"))
    return out + [build]


#: issue 23's bar for integer-payoff (tied) 2x2x2 batches, games per second on one thread
TARGET_TIES_2X2X2 = 1_000_000


def tied_2x2x2(size: str) -> list[Measurement]:
    """Issue 23: 10^6 2x2x2 games with integer payoffs in [-9, 9] (``default_rng(23)``; ~27% degenerate, ~49% with
    a tie), ``gt.solve_batch`` (compiled kernel, ties resolved in it) against the numpy path it replaced
    (``solve_arrays(..., reference=True)``, on a sample, extrapolated) and pygambit ``enumpoly_solve`` looping
    (sample, extrapolated; compared on the sample's non-degenerate games, as it lists no continua)."""
    from gametheory.solvers.closed_form._driver import solve_arrays

    n = pick(size, full=N_BIG, quick=100_000, smoke=2_000)
    repeat = repeats(size)
    u = np.random.default_rng(23).integers(-9, 10, size=(n, 3, 2, 2, 2)).astype(float)
    case = f"{n:,} 2x2x2 games, integer payoffs in [-9, 9] (ties), all equilibria and continua"
    m, sol = ours(u, repeat)
    m.case, m.baseline = case, True
    m.note = (f"one thread; CPU {m.extra['cpu_per_second']:,.0f}/s (issue 23's bar {TARGET_TIES_2X2X2:,}/s: ratio "
              f"{m.extra['cpu_per_second'] / TARGET_TIES_2X2X2:.2f}); {m.extra['degenerate_games']:,} degenerate "
              f"games; max regret {m.extra['max_regret_relative']:.1e}")
    out = [m]
    k = min(n, pick(size, full=100_000, quick=20_000, smoke=500))
    before, ref = _measure(case, "gametheory numpy path (before the kernel; reference)",
                           lambda: solve_arrays(u[:k], 1e-9, (2, 2, 2), reference=True), k, repeat, scale_to=n)
    same = sum(_same(_ours_triples(sol, g), _ours_triples(ref, g), atol=1e-7)
               and bool(sol.degenerate[g] == ref.degenerate[g]) for g in range(k))
    before.agrees = same == k
    before.note = (f"sample of {k:,}; same listing and flag on {same:,}/{k:,}; "
                   f"CPU {before.extra['cpu_per_second']:,.0f}/s")
    out.append(before)
    if peer_available("pygambit"):
        SAMPLE["pygambit"] = pick(size, full=200, quick=50, smoke=5)
        generic = np.flatnonzero(~sol.degenerate)
        peer = gambit(u[generic], _take(sol, generic), repeat, case=case)
        peer.note += " (the sample's games without a continuum)"
        out.append(peer)
    else:
        out.append(skipped(case, "pygambit enumpoly_solve loop", "pygambit not installed"))
    return out


def _take(sol: gt.BatchSolution, idx: np.ndarray) -> gt.BatchSolution:
    """The rows ``idx`` of a solution (for comparing a peer on a subset of the games)."""
    return gt.BatchSolution(profiles=sol.profiles[idx], payoffs=sol.payoffs[idx], regrets=sol.regrets[idx],
                            counts=sol.counts[idx], degenerate=sol.degenerate[idx], component=sol.component[idx],
                            shape=sol.shape, method=sol.method, tol=sol.tol)


#: cases of ``python -m benchmarks`` (issue 8): name -> fn(size) -> measurements
CASES = {"batch_direct_1e6": direct_sweep, "batch_ties_2x2x2": tied_2x2x2}


def quantecon(payoffs: np.ndarray, sol: gt.BatchSolution, repeat: int) -> Measurement:
    import quantecon.game_theory as gtq

    k = SAMPLE["quantecon"]
    sample = payoffs[:k]
    gtq.support_enumeration(gtq.NormalFormGame(np.stack([sample[0, 0], sample[0, 1]], axis=-1)))  # compile

    def run() -> list[list[tuple[float, ...]]]:
        out = []
        for u in sample:
            g = gtq.NormalFormGame(np.stack([u[0], u[1]], axis=-1))
            out.append([tuple(np.concatenate(e)) for e in gtq.support_enumeration(g)])
        return out

    m, theirs = _measure(f"{len(payoffs):,} random 2x2 games", "QuantEcon support_enumeration loop", run, k, repeat,
                         scale_to=len(payoffs))
    same = sum(_same([tuple(sol.profiles[g, e].ravel()) for e in range(sol.counts[g])], t)
               for g, t in enumerate(theirs))
    m.agrees = same == k
    m.note = f"sample of {k}; same answer on {same}/{k}; numba compilation excluded"
    return m


def nashpy_loop(payoffs: np.ndarray, sol: gt.BatchSolution, repeat: int) -> Measurement:
    import nashpy

    k = SAMPLE["nashpy"]
    sample = payoffs[:k]

    def run() -> list[list[tuple[float, ...]]]:
        return [[tuple(np.concatenate(e)) for e in nashpy.Game(u[0], u[1]).support_enumeration()] for u in sample]

    m, theirs = _measure(f"{len(payoffs):,} random 2x2 games", f"nashpy {nashpy.__version__} support_enumeration loop",
                         run, k, repeat, scale_to=len(payoffs))
    same = sum(_same([tuple(sol.profiles[g, e].ravel()) for e in range(sol.counts[g])], t)
               for g, t in enumerate(theirs))
    m.agrees = same == k
    m.note = f"sample of {k}; same answer on {same}/{k}"
    return m


#: issue 23's bar for 2x2 batches with tied integer payoffs, games per second on one thread
TARGET_TIED_2X2 = 10_000_000


def tied_2x2(n: int, repeat: int, sample: int) -> list[Measurement]:
    """Issue 23: ``gt.solve_batch`` on ``n`` 2x2 games with integer payoffs in [-3, 3] (``default_rng(23)``; about
    46% tied, 36% with a continuum), timed interleaved with the same number of generic games (+-10^6), medians of
    ``repeat`` runs after a warm-up; the thorough numpy path these games took before issue 23 (now the tests'
    reference) and a QuantEcon ``support_enumeration`` loop timed on a sample of the tied games."""
    import statistics
    import time

    from gametheory.solvers.closed_form import _driver

    tied = gt.GameBatch(np.random.default_rng(23).integers(-3, 4, (n, 2, 2, 2)).astype(float))
    generic = gt.GameBatch(random_games(n, (2, 2)))
    runs: dict[str, tuple[list[float], list[float]]] = {"tied": ([], []), "generic": ([], [])}
    sols = {"tied": gt.solve_batch(tied), "generic": gt.solve_batch(generic)}
    for _ in range(repeat):
        for name, batch in (("tied", tied), ("generic", generic)):
            w, c = time.perf_counter(), time.process_time()
            out = gt.solve_batch(batch)
            runs[name][0].append(time.perf_counter() - w)
            runs[name][1].append(time.process_time() - c)
            del out
    load = os.getloadavg()[0]
    rows = []
    for name, label in (("tied", "integer payoffs in [-3, 3]"), ("generic", "integer payoffs in +-10^6")):
        walls, cpus = runs[name]
        sol = sols[name]
        m = Measurement(f"{n:,} 2x2 games, {label}", "gametheory solve_batch (closed_form)",
                        statistics.median(walls), max(walls) - min(walls), len(walls), n)
        m.extra = {"cpu_median_s": statistics.median(cpus), "cpu_per_second": n / statistics.median(cpus),
                   "load_average_1min": round(load, 2), "degenerate_games": int(sol.degenerate.sum()),
                   "counts_histogram": np.bincount(sol.counts).tolist(), "K": int(sol.profiles.shape[1])}
        m.note = (f"one thread, interleaved; CPU {m.extra['cpu_per_second']:,.0f}/s; "
                  f"{m.extra['degenerate_games']:,} games with a continuum")
        rows.append(m)
    rows[0].baseline = True
    rate = rows[0].extra["cpu_per_second"]
    rows[0].note += f"; issue 23's bar {TARGET_TIED_2X2:,}/s: ratio {rate / TARGET_TIED_2X2:.2f}"
    from gametheory.solvers.closed_form import _kernel_2x2

    k = min(sample, n)
    ours = sols["tied"]
    ties = np.flatnonzero(_kernel_2x2.count(tied.payoffs[:k], 1e-9)[1] & _kernel_2x2.TIED)
    part = tied.payoffs[ties]
    m, ref = _measure(f"{n:,} 2x2 games, integer payoffs in [-3, 3]",
                      "thorough numpy path on the tied games (their route before issue 23)",
                      lambda: _driver._solve_suspects(part, 1e-9), k, repeat, scale_to=n)
    games, slots = ref[0], ref[1]
    m.agrees = bool(np.array_equal(ref[6], ours.counts[ties]) and np.array_equal(ref[7], ours.degenerate[ties])
                    and np.array_equal(ref[5], ours.component[ties[games], slots])
                    and np.array_equal(ref[2].T, ours.profiles[ties[games], slots, :, 0]))
    m.note = (f"the {len(ties):,} tied games of a sample of {k:,} ({len(ties) / k:.0%}), extrapolated (the others took "
              f"the fast path, unchanged); identical equilibria and components: {m.agrees}")
    rows.append(m)
    if peer_available("quantecon"):
        import quantecon.game_theory as gtq

        q = min(SAMPLE["quantecon"], n)
        games = [gtq.NormalFormGame(np.stack([u[0], u[1]], axis=-1)) for u in tied.payoffs[:q]]
        gtq.support_enumeration(games[0])  # compile
        m, theirs = _measure(f"{n:,} 2x2 games, integer payoffs in [-3, 3]", "QuantEcon support_enumeration loop",
                             lambda: [gtq.support_enumeration(g) for g in games], q, repeat, scale_to=n)
        generic_games = [g for g in range(q) if not ours.degenerate[g]]
        same = sum(_same([tuple(ours.profiles[g, e].ravel()) for e in range(ours.counts[g])],
                         [tuple(np.concatenate(e)) for e in theirs[g]]) for g in generic_games)
        m.agrees = same == len(generic_games)
        m.note = (f"sample of {q}; same answer on {same}/{len(generic_games)} games without a continuum (it lists "
                  "no continua)")
        rows.append(m)
    return rows


#: issue 21's bar for the 2x2x2 batch on random normal payoffs, games per second on one thread
TARGET_2X2X2 = 1_500_000


def normal_2x2x2_rate(n: int = 200_000, repeat: int = 7) -> tuple[float, float]:
    """Issue 21's figure: ``gt.solve_batch`` on ``n`` random standard-normal 2x2x2 games (``default_rng(21)``),
    ``(median wall, median CPU)`` games per second over ``repeat`` runs after a warm-up."""
    import time

    batch = gt.GameBatch(np.random.default_rng(21).standard_normal((n, 3, 2, 2, 2)))
    gt.solve_batch(batch)
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        gt.solve_batch(batch)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return n / float(np.median(wall)), n / float(np.median(cpu))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 games, 2 runs, small peer samples")
    parser.add_argument("--tied-2x2", action="store_true",
                        help="only issue 23's tied 2x2 case (writes results/batch_tied_2x2.json)")
    args = parser.parse_args(argv)
    n, repeat = (100_000, 2) if args.quick else (N_BIG, REPEAT)
    if args.quick:
        SAMPLE.update(pygambit=20, quantecon=500, nashpy=200)
    if args.tied_2x2:
        write_results("batch_tied_2x2", tied_2x2(n, repeat + 2, 20_000 if args.quick else 100_000))
        return
    measurements: list[Measurement] = []

    payoffs = random_games(n, (2, 2, 2))
    m, sol = ours(payoffs, repeat)
    m.extra["exact_oracle"] = exact_check(payoffs, sol, 500 if args.quick else N_EXACT)
    ex = m.extra["exact_oracle"]
    m.note = (f"CPU {m.extra['cpu_per_second']:,.0f}/s; exact oracle agrees on {ex['agree']}/{ex['games']} games; "
              f"max regret {m.extra['max_regret_relative']:.1e}")
    measurements.append(m)
    if peer_available("pygambit"):
        measurements.append(gambit(payoffs, sol, repeat))
    del payoffs, sol

    payoffs = random_games(n, (2, 2))
    rows, sol = ours_2x2(payoffs, repeat)
    measurements += rows
    if peer_available("quantecon"):
        measurements.append(quantecon(payoffs, sol, repeat))
    if peer_available("nashpy"):
        measurements.append(nashpy_loop(payoffs, sol, repeat))
    if peer_available("pygambit"):
        measurements.append(gambit(payoffs, sol, repeat))
    del payoffs, sol
    measurements += tied_2x2(n, repeat + 2, 20_000 if args.quick else 100_000)
    measurements += tied_2x2x2("quick" if args.quick else "full")
    write_results("batch", measurements)
    wall, cpu = normal_2x2x2_rate(repeat=repeat + 2)
    print(f"\nrandom normal 2x2x2 batch: {wall:,.0f} games/s wall, {cpu:,.0f} games/s CPU; issue 21's bar "
          f"{TARGET_2X2X2:,}/s: ratio ours/bar {cpu / TARGET_2X2X2:.2f} (CPU), {wall / TARGET_2X2X2:.2f} (wall)")
    print(f"\nload average during the run: {os.getloadavg()} on {os.cpu_count()} cores "
          "(compare the CPU-time figures on a shared machine)")


if __name__ == "__main__":
    main()
