"""Every equilibrium of random 3-player games: n-player support enumeration against pygambit's ``enumpoly``.

Games: ``numpy.random.default_rng([s1, s2, s3, k]).standard_normal((3, s1, s2, s3))`` for k = 0..K-1, with
shapes 2x2x2, 3x3x2 and 3x3x3. Both implementations solve the same game objects (built outside the timed call),
all K games per call, median of ``REPEAT`` calls after one warm-up; the table reports the median time per game.
Answers are compared game by game: ``same`` (identical equilibrium sets to 1e-6), ``gambit_misses`` (games where
pygambit lists fewer equilibria than we certify), ``we_miss`` (games where pygambit lists an equilibrium we do not
have: there, an exact check would decide; none is expected). Every one of our equilibria has regret <= 1e-9.

Run: ``python -m benchmarks.bench_nplayer [--quick]`` (writes ``benchmarks/results/nplayer.json`` and ``.md``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import gametheory as gt  # noqa: E402
from gametheory.solvers.nplayer_support_enumeration import nplayer_support_enumeration  # noqa: E402

from .harness import Measurement, measure, peer_available, write_results  # noqa: E402

REPEAT = 5
CASES = {(2, 2, 2): 20, (3, 3, 2): 10, (3, 3, 3): 4}


def games(shape: tuple[int, ...], count: int) -> list[np.ndarray]:
    return [np.random.default_rng([*shape, k]).standard_normal((3, *shape)) for k in range(count)]


def ours(payoffs: list[np.ndarray]) -> tuple[Measurement, list[Any]]:
    built = [gt.NormalFormGame(p) for p in payoffs]
    shape = "x".join(map(str, payoffs[0].shape[1:]))
    return measure(f"random {shape}, per game", "gametheory nplayer_support_enumeration",
                   lambda: [nplayer_support_enumeration(g) for g in built], items=len(built), repeat=REPEAT)


def gambit(payoffs: list[np.ndarray]) -> tuple[Measurement, list[Any]]:
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
                   items=len(built), repeat=REPEAT)


def _contains(profiles: list[Any], target: Any) -> bool:
    flat = np.concatenate([np.asarray(v, dtype=float) for v in target])
    return any(
        np.max(np.abs(np.concatenate([np.asarray(v, dtype=float) for v in getattr(p, "profile", p)]) - flat)) < 1e-6
        for p in profiles
    )


def agreement(mine: list[Any], theirs: list[Any]) -> dict[str, int]:
    counts = {"games": len(mine), "same": 0, "gambit_misses": 0, "we_miss": 0, "ours_equilibria": 0,
              "gambit_equilibria": 0}
    for a, b in zip(mine, theirs, strict=True):
        counts["ours_equilibria"] += len(a)
        counts["gambit_equilibria"] += len(b)
        we_miss = any(not _contains(a, q) for q in b)
        they_miss = any(not _contains(b, e.profile) for e in a)
        counts["we_miss"] += we_miss
        counts["gambit_misses"] += they_miss
        counts["same"] += not (we_miss or they_miss)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games per shape (a smoke run)")
    args = parser.parse_args(argv)
    global REPEAT
    if args.quick:
        REPEAT = 2
    measurements: list[Measurement] = []
    for shape, count in CASES.items():
        payoffs = games(shape, 3 if args.quick else count)
        m_ours, mine = ours(payoffs)
        m_ours.median_s /= len(payoffs)
        m_ours.spread_s /= len(payoffs)
        m_ours.extra = {
            "complete": sum(e.complete for e in mine),
            "max_regret": max((q.regret for e in mine for q in e), default=0.0),
            "equilibria": sum(len(e) for e in mine),
        }
        m_ours.items = 1
        measurements.append(m_ours)
        if peer_available("pygambit"):
            m_gbt, theirs = gambit(payoffs)
            m_gbt.median_s /= len(payoffs)
            m_gbt.spread_s /= len(payoffs)
            m_gbt.items = 1
            counts = agreement(mine, theirs)
            m_gbt.agrees = counts["same"] == counts["games"]
            m_gbt.extra = counts
            m_gbt.note = (f"same answer on {counts['same']}/{counts['games']} games; misses equilibria on "
                          f"{counts['gambit_misses']}; finds one we lack on {counts['we_miss']}")
            measurements.append(m_gbt)
        else:
            measurements.append(Measurement(m_ours.case, "pygambit (not installed)", float("nan"), 0.0, 0))
    write_results("nplayer", measurements)


if __name__ == "__main__":
    main()
