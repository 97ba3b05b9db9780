"""Every equilibrium of random n-player games: ``gt.solve`` against pygambit's ``enumpoly``, and batch rates.

Games: ``numpy.random.default_rng([*shape, k]).standard_normal((n, *shape))`` for k = 0..K-1, with shapes 2x2x2,
3x3x2, 3x3x3 and 2x2x2x2.

``main`` (issue 23) times ``gt.solve`` (auto) and ``enumpoly_solve`` *interleaved* on each game (ours, theirs,
ours, ...; ``REPEAT`` runs each after a warm-up), takes each side's median per game and prints per shape the
median time per game and the range of the per-game ratios ours / enumpoly (below 1: we are faster), the same
medians in CPU time (``time.process_time``) and their ratio, then
``gt.solve_batch`` games/s per shape (median of 3 runs on ``BATCH`` games).

The harness cases below (``python -m benchmarks``, ``random_games``): both implementations solve the same game
objects (built outside the timed call),
all K games per call, median of ``REPEAT`` calls after one warm-up; the table reports the median time per game.
Answers are compared game by game (``benchmarks.harness.compare_sets``): ``same`` (identical equilibrium sets to
1e-6), ``peer_misses`` (games where pygambit lacks one we certify), ``peer_extra`` (games where pygambit lists an
equilibrium we do not have: there, an exact check would decide; none is expected). Every one of our equilibria has
regret <= 1e-9.

For ``python -m benchmarks`` (``CASES``): ``payment_2x2x2``, the direct payment model's game at its defaults, solved
by ``gt.solve`` (closed form), by our general n-player support enumeration and by pygambit ``enumpoly``.

Run: ``python -m benchmarks.bench_nplayer [--quick]`` (writes ``benchmarks/results/nplayer.json`` and ``.md``).
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

import gametheory as gt
from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration

from .harness import (
    Measurement,
    compare_sets,
    describe_agreement,
    fmt_time,
    measure,
    peer_available,
    per_item,
    pick,
    repeats,
    same_equilibria,
    skipped,
    write_results,
)

REPEAT = 5
CASES_RANDOM = {(2, 2, 2): 20, (3, 3, 2): 10, (3, 3, 3): 4}


def games(shape: tuple[int, ...], count: int) -> list[np.ndarray]:
    return [np.random.default_rng([*shape, k]).standard_normal((len(shape), *shape)) for k in range(count)]


def ours(payoffs: list[np.ndarray], repeat: int = REPEAT) -> tuple[Measurement, list[Any]]:
    built = [gt.NormalFormGame(p) for p in payoffs]
    shape = "x".join(map(str, payoffs[0].shape[1:]))
    return measure(f"random {shape}, per game", "gametheory nplayer_support_enumeration",
                   lambda: [nplayer_support_enumeration(g) for g in built], items=len(built), repeat=repeat)


def gambit(payoffs: list[np.ndarray], repeat: int = REPEAT) -> tuple[Measurement, list[Any]]:
    import pygambit as gbt

    built = [gbt.Game.from_arrays(*[np.asarray(u, dtype=float) for u in p]) for p in payoffs]
    shape = "x".join(map(str, payoffs[0].shape[1:]))

    def run() -> list[list[list[np.ndarray]]]:
        out = []
        for game in built:
            result = gbt.nash.enumpoly_solve(game)
            out.append([[np.array([float(p[s]) for s in pl.strategies]) for pl in game.players]
                        for p in result.equilibria])
        return out

    return measure(f"random {shape}, per game", f"pygambit {gbt.__version__} enumpoly_solve", run,
                   items=len(built), repeat=repeat)


def agreement(mine: list[Any], theirs: list[Any]) -> dict[str, int]:
    """Game-by-game comparison (:func:`benchmarks.harness.compare_sets`)."""
    return compare_sets([list(e) for e in mine], theirs)


def payment_game(size: str) -> list[Measurement]:
    """Direct payment model's 2x2x2 game, all equilibria: gt.solve vs n-player support enumeration vs enumpoly.

    ``gt.solve`` (auto: the closed form), our general n-player support enumeration and pygambit ``enumpoly``, on
    the same game; agreement: same count and profiles within 1e-6 of ``gt.solve``'s.
    """
    game = gt.models.get("direct").game()
    case = "direct model 2x2x2 game, all equilibria"
    repeat = pick(size, full=REPEAT * 4, quick=REPEAT, smoke=1)
    m, truth = measure(case, "gametheory solve (auto: closed form)", lambda: gt.solve(game), repeat=repeat)
    m.baseline = True
    m.extra.update(count=len(truth), method=truth.method, complete=truth.complete)
    out = [m]
    m, res = measure(case, "gametheory solve(method='support_enumeration') (n-player)",
                     lambda: gt.solve(game, method="support_enumeration"), repeat=repeat)
    m.agrees = same_equilibria(list(truth), list(res))
    m.extra.update(count=len(res), method=res.method)
    out.append(m)
    if peer_available("pygambit"):
        import pygambit as gbt

        gg = gbt.Game.from_arrays(*[np.asarray(u, dtype=float) for u in game.payoffs])

        def run() -> list[list[np.ndarray]]:
            return [[np.array([float(p[s]) for s in pl.strategies]) for pl in gg.players]
                    for p in gbt.nash.enumpoly_solve(gg).equilibria]

        m, res = measure(case, f"pygambit {gbt.__version__} enumpoly_solve", run, repeat=repeat)
        m.agrees = same_equilibria(list(truth), res)
        m.extra.update(count=len(res))
        m.note = f"{len(res)} equilibria (ours {len(truth)})"
        out.append(m)
    else:
        out.append(skipped(case, "pygambit enumpoly_solve", "pygambit not installed"))
    return out


def random_games(size: str) -> list[Measurement]:
    """Random 2x2x2, 3x3x2 and 3x3x3 games (smoke: two 2x2x2 games); per-game medians."""
    shapes = pick(size, full=CASES_RANDOM, quick={k: 3 for k in CASES_RANDOM}, smoke={(2, 2, 2): 2})
    return measure_random(shapes, repeats(size))


#: cases of ``python -m benchmarks`` (issue 8): name -> fn(size) -> measurements
CASES = {"payment_2x2x2": payment_game}


def measure_random(shapes: dict[tuple[int, ...], int], repeat: int) -> list[Measurement]:
    measurements: list[Measurement] = []
    for shape, count in shapes.items():
        payoffs = games(shape, count)
        m_ours, mine = ours(payoffs, repeat)
        per_item(m_ours)
        m_ours.extra |= {
            "complete": sum(e.complete for e in mine),
            "max_regret": max((q.regret for e in mine for q in e), default=0.0),
            "equilibria": sum(len(e) for e in mine),
        }
        measurements.append(m_ours)
        if peer_available("pygambit"):
            m_gbt, theirs = gambit(payoffs, repeat)
            per_item(m_gbt)
            counts = agreement(mine, theirs)
            m_gbt.agrees = counts["same"] == counts["games"]
            m_gbt.extra |= counts
            m_gbt.note = describe_agreement(counts)
            measurements.append(m_gbt)
        else:
            measurements.append(skipped(m_ours.case, "pygambit enumpoly_solve", "pygambit not installed"))
    return measurements


INTERLEAVED = {(2, 2, 2): 10, (3, 3, 2): 10, (3, 3, 3): 6, (2, 2, 2, 2): 10}
BATCH = {(2, 2, 2): 20000, (3, 3, 2): 2000, (3, 3, 3): 2000, (2, 2, 2, 2): 3000}


def interleaved(shape: tuple[int, ...], count: int, repeat: int) -> Measurement:
    """``gt.solve`` vs ``enumpoly_solve`` on each game, interleaved run by run; per-game medians and ratios."""
    import time

    import numba  # noqa: F401  (the steady state of a process that has loaded the compiled kernels; a new
    import pygambit as gbt  # process's first games run interpreted, gametheory.solvers._interpreted)

    ours_t, theirs_t, ours_cpu, theirs_cpu, same = [], [], [], [], 0
    for payoffs in games(shape, count):
        game = gt.NormalFormGame(payoffs)
        peer = gbt.Game.from_arrays(*payoffs)
        gt.solve(game), gbt.nash.enumpoly_solve(peer)  # warm-up
        a, b, ca, cb = [], [], [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            mine = gt.solve(game)
            a.append(time.perf_counter() - t)
            ca.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            result = gbt.nash.enumpoly_solve(peer)
            b.append(time.perf_counter() - t)
            cb.append(time.process_time() - c)
        ours_cpu.append(float(np.median(ca)))
        theirs_cpu.append(float(np.median(cb)))
        theirs = [[np.array([float(p[s]) for s in pl.strategies]) for pl in peer.players] for p in result.equilibria]
        counts = compare_sets([list(mine)], [theirs])
        same += counts["peer_extra"] == 0  # every equilibrium of enumpoly's is one of ours
        ours_t.append(float(np.median(a)))
        theirs_t.append(float(np.median(b)))
    ratios = np.array(ours_t) / np.array(theirs_t)
    cpu_ratio = float(np.median(ours_cpu)) / float(np.median(theirs_cpu))
    dims = "x".join(map(str, shape))
    m = Measurement(f"random {dims}, one game", "gametheory solve (auto) vs pygambit enumpoly_solve",
                    float(np.median(ours_t)), float(np.ptp(ours_t)), repeat * count)
    m.extra = {"enumpoly_median_s": float(np.median(theirs_t)), "ratio_min": float(ratios.min()),
               "ratio_median": float(np.median(ratios)), "ratio_max": float(ratios.max()), "games": count,
               "enumpoly_found_nothing_we_lack": same, "cpu_median_s": float(np.median(ours_cpu)),
               "enumpoly_cpu_median_s": float(np.median(theirs_cpu)), "cpu_ratio": cpu_ratio}
    m.note = (f"ours {fmt_time(m.median_s)}, enumpoly {fmt_time(m.extra['enumpoly_median_s'])} per game; "
              f"ratio ours/enumpoly {ratios.min():.2f}-{ratios.max():.2f} (median {np.median(ratios):.2f}); "
              f"CPU {fmt_time(float(np.median(ours_cpu)))} vs {fmt_time(float(np.median(theirs_cpu)))} "
              f"(ratio {cpu_ratio:.2f}); "
              f"every enumpoly equilibrium found on {same}/{count} games")
    return m


def batch_rate(shape: tuple[int, ...], count: int) -> Measurement:
    """``gt.solve_batch`` games/s on ``count`` random games (median of 3 runs after a warm-up)."""
    from gametheory.solvers import batch_path

    batch = gt.GameBatch(np.random.default_rng([*shape, 99]).standard_normal((count, len(shape), *shape)))
    dims = "x".join(map(str, shape))
    m, sol = measure(f"random {dims}, batch of {count}", f"gametheory solve_batch ({batch_path(shape)})",
                     lambda: gt.solve_batch(batch), items=count, repeat=3)
    m.note = f"{m.per_second:,.0f} games/s; {int(sol.fallback.sum())} games per game (fallback)"
    return m


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games per shape (a smoke run)")
    args = parser.parse_args(argv)
    measurements = []
    for shape, count in INTERLEAVED.items():
        m = interleaved(shape, 3 if args.quick else count, 3 if args.quick else REPEAT)
        print(m.case + ":", m.note, flush=True)
        measurements.append(m)
    for shape, count in BATCH.items():
        m = batch_rate(shape, max(count // 10, 20) if args.quick else count)
        print(m.case + ":", m.note, flush=True)
        measurements.append(m)
    write_results("nplayer", measurements)


if __name__ == "__main__":
    main()
