"""Every equilibrium of one random 2-player game, and Lemke–Howson, against nashpy, QuantEcon and pygambit.

Games: ``P = numpy.random.default_rng([n, 0]).standard_normal((2, n, n))`` (``A = P[0]``, ``B = P[1]``) for n = 5,
6, 10, 20, plus issue 3's 6x6 game from ``default_rng(1006)``. Each implementation is timed on the same game objects
(built outside the timed call), median of ``REPEAT`` runs (``SMALL_REPEAT`` up to 10x10) after one warm-up
(QuantEcon's numba compilation is paid in the warm-up). Calls that may not finish (nashpy's support enumeration on
20x20, its Lemke–Howson, which can cycle) are first tried once in a forked process with a time budget; over budget
they are reported as a lower bound and not repeated. Answers are compared with ours: same count and the same
profiles (to 1e-6) for enumerations; membership in our equilibrium set for single Lemke–Howson runs.

Wall-clock medians go in the main table; each row's ``extra.cpu_median_s`` is the median CPU time of this
process (robust to other load on a shared machine) and is printed, and appended to ``two_player.md``, as a second
table with the range of the load average. Issue 3's target (the default ``gt.solve`` no slower than QuantEcon's
support enumeration) is ``extra.vs_quantecon_support_enumeration`` of the auto row: the ratio of medians over
interleaved calls of both, so that both see the same load.

Issue 21's ratios (ours / QuantEcon from interleaved calls, Lemke–Howson from several labels at 5x5..50x50, every
equilibrium at 3x3..12x12 against the faster of QuantEcon's enumerations) are printed at the end;
``python -m benchmarks.bench_two_player --ratios`` prints only them.

Run: ``python -m benchmarks.bench_two_player`` (writes ``benchmarks/results/two_player.json`` and ``.md``).
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

import gametheory as gt
from gametheory.solvers.two_player.lemke_howson import lemke_howson, lemke_howson_from
from gametheory.solvers.two_player.support_enumeration import support_enumeration
from gametheory.solvers.two_player.vertex_enumeration import vertex_enumeration

from .harness import (
    Measurement,
    baselines,
    contains,
    measure_guarded,
    peer_available,
    pick,
    repeats,
    same_equilibria,
    skipped,
    write_results,
)

REPEAT = 7
#: Timed runs up to 10x10: sub-millisecond calls on a shared machine need more for a stable median.
SMALL_REPEAT = 21
BUDGET_S = 30.0  # one call of a peer that may not finish
SIZES = (5, 6, 10, 20)
#: Our vertex enumeration on 20x20: each best-response polytope has millions of vertices; stop here.
MAX_VERTICES_20 = 10_000
#: Support pairs beyond which a support enumeration is not attempted (20x20 has C(40, 20) ~ 1.4e11).
MAX_SUPPORT_PAIRS = 2_000_000


def games() -> list[tuple[str, gt.NormalFormGame]]:
    out = [(f"random {n}x{n}", gt.NormalFormGame(np.random.default_rng([n, 0]).standard_normal((2, n, n))))
           for n in SIZES]
    out.insert(2, ("issue 6x6 (rng 1006)", gt.NormalFormGame(np.random.default_rng(1006).standard_normal((2, 6, 6)))))
    return out


def support_pairs(game: gt.NormalFormGame) -> int:
    from math import comb

    m, n = game.shape
    return comb(m + n, m) - 1


# ---------------------------------------------------------------------- peers
def nashpy_game(game: gt.NormalFormGame) -> Any:
    import nashpy

    return nashpy.Game(np.array(game.payoffs[0]), np.array(game.payoffs[1]))


def qe_game(game: gt.NormalFormGame) -> Any:
    from quantecon.game_theory import NormalFormGame, Player

    return NormalFormGame((Player(np.array(game.payoffs[0])), Player(np.array(game.payoffs[1].T))))


def gambit_game(game: gt.NormalFormGame) -> Any:
    import pygambit as gbt

    return gbt.Game.from_arrays(np.array(game.payoffs[0]), np.array(game.payoffs[1]))


def gambit_profiles(g: Any, result: Any) -> list[list[list[float]]]:
    return [[[float(eq[s]) for s in player.strategies] for player in g.players] for eq in result.equilibria]


def quiet(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()

    return run


# ---------------------------------------------------------------------- agreement and guarded timing
def same_set(ours: list[Any], theirs: list[Any], atol: float = 1e-6) -> bool:
    return same_equilibria(ours, theirs, atol)


def member(ours: list[Any], profile: Any, atol: float = 1e-6) -> bool:
    return contains(ours, profile, atol)


def _timed(case: str, impl: str, fn: Callable[[], Any], *, guard: bool = False, note: str = "",
          repeat: int | None = None, budget: float | None = None) -> tuple[Measurement, Any]:
    """Wall and CPU medians (harness); with ``guard``, one trial in a forked process within ``budget`` first."""
    return measure_guarded(case, impl, fn, budget=(budget or BUDGET_S) if guard else float("inf"),
                           repeat=repeat or REPEAT, note=note)


def paired_ratio(ours: Callable[[], Any], theirs: Callable[[], Any], runs: int) -> float:
    """Median time of ``ours`` over the median time of ``theirs``, the calls alternating so that both see the same
    load (the speed of a shared machine drifts by up to 2x within seconds)."""
    ours(), theirs()
    a, b = [], []
    for _ in range(runs):
        start = time.perf_counter()
        ours()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs()
        b.append(time.perf_counter() - start)
    return statistics.median(a) / statistics.median(b)


# ---------------------------------------------------------------------- the benchmark
def bench_all_equilibria(case: str, game: gt.NormalFormGame, *, repeat: int = REPEAT,
                         budget: float = BUDGET_S) -> list[Measurement]:
    """Every equilibrium: ours (the vertex enumeration row, listed last of ours, is the baseline) and peers."""
    out: list[Measurement] = []
    timed = partial(_timed, repeat=repeat, budget=budget)
    big = game.shape[0] >= 20
    max_v = MAX_VERTICES_20 if big else None
    m_ve, ours = timed(case, "gametheory.vertex_enumeration", lambda: vertex_enumeration(game, max_vertices=max_v))
    m_ve.extra.update(count=len(ours), complete=ours.complete)
    m_ve.baseline = True
    if not ours.complete:
        m_ve.note = f"incomplete: stopped at max_vertices={max_v} bases per polytope ({len(ours)} equilibria so far)"
    truth = list(ours) if ours.complete else None
    m_ve.extra["equilibria"] = truth  # popped by the caller (not JSON)

    def check(theirs: Any) -> bool | None:
        return None if truth is None or theirs is None else same_set(truth, list(theirs))

    feasible = support_pairs(game) <= MAX_SUPPORT_PAIRS
    if feasible:
        m, res = timed(case, "gametheory.support_enumeration", lambda: support_enumeration(game))
        m.agrees = check(res)
        m.extra.update(count=len(res))
        out.append(m)
        if game.shape[0] <= 10:
            m_auto, res = timed(case, "gametheory.solve (auto: pure dominance + vertex enumeration)",
                                lambda: gt.solve(game))
            m_auto.agrees = check(res)
            m_auto.extra.update(count=len(res))
            out.append(m_auto)
    else:
        out.append(skipped(case, "gametheory.support_enumeration", f"{support_pairs(game):.2e} support pairs"))
    out.append(m_ve)

    if peer_available("nashpy"):
        ng = nashpy_game(game)
        if feasible:
            m, res = timed(case, "nashpy.support_enumeration", quiet(lambda: list(ng.support_enumeration())),
                           guard=True)
            m.agrees = check(res)
            m.extra.update(count=None if res is None else len(res))
            out.append(m)
            m, res = timed(case, "nashpy.vertex_enumeration", quiet(lambda: list(ng.vertex_enumeration())),
                           guard=True)
            m.agrees = check(res)
            m.extra.update(count=None if res is None else len(res))
            out.append(m)
        else:
            out.append(skipped(case, "nashpy.support_enumeration", "infeasible size"))
            out.append(skipped(case, "nashpy.vertex_enumeration", "Qhull in 20 dimensions: infeasible"))
    else:
        out.append(skipped(case, "nashpy", "nashpy not installed"))
    if peer_available("quantecon"):
        from quantecon.game_theory import support_enumeration as qe_se
        from quantecon.game_theory import vertex_enumeration as qe_ve

        qg = qe_game(game)
        qe_ve(qe_game(gt.NormalFormGame(np.ones((2, 2, 2)))))  # numba compilation here, not in the guarded trial
        if feasible:
            m, res = timed(case, "quantecon.support_enumeration (numba)", lambda: qe_se(qg))
            m.agrees = check(res)
            m.extra.update(count=len(res))
            out.append(m)
            if game.shape[0] <= 10:  # issue 3's target: the default solve no slower than this, in the same run
                m_auto.extra["vs_quantecon_support_enumeration"] = paired_ratio(lambda: gt.solve(game),
                                                                                lambda: qe_se(qg), repeat)
            m, res = timed(case, "quantecon.vertex_enumeration", lambda: qe_ve(qg), guard=True)
            m.agrees = check(res)
            m.extra.update(count=None if res is None else len(res))
            out.append(m)
        else:
            out.append(skipped(case, "quantecon.support_enumeration (numba)", "infeasible size"))
    else:
        out.append(skipped(case, "quantecon", "quantecon not installed"))
    if peer_available("pygambit"):
        import pygambit as gbt

        gg = gambit_game(game)
        m, res = timed(case, "pygambit.enummixed_solve", lambda: gbt.nash.enummixed_solve(gg, rational=False),
                       guard=True)
        if res is not None:
            res = gambit_profiles(gg, res)
            m.extra.update(count=len(res))
        m.agrees = check(res)
        out.append(m)
    else:
        out.append(skipped(case, "pygambit.enummixed_solve", "pygambit not installed"))
    return out


def bench_lemke_howson(case: str, game: gt.NormalFormGame, truth: list[Any] | None, *, repeat: int = REPEAT,
                       budget: float = BUDGET_S) -> list[Measurement]:
    """Lemke–Howson: ours from every label, ours from label 0 (the baseline, listed last of ours), peers."""
    out: list[Measurement] = []
    timed = partial(_timed, repeat=repeat, budget=budget)
    lh_case = f"{case} LH"

    def ok(profile: Any) -> bool | None:  # in our complete set; without one, an equilibrium of the game at all
        if profile is None:
            return None
        if truth is not None:
            return member(truth, profile)
        return bool(game.is_nash([np.asarray(v, dtype=float) for v in getattr(profile, "profile", profile)],
                                 tol=1e-6))

    m, res = timed(lh_case, "gametheory.lemke_howson (all m+n labels)", lambda: lemke_howson(game))
    m.agrees = all(ok(e) for e in res)
    m.extra.update(count=len(res), success=res.success)
    out.append(m)
    m, res = timed(lh_case, "gametheory.lemke_howson_from (label 0)", lambda: lemke_howson_from(game, 0))
    m.agrees = ok(res[0])
    m.baseline = True
    out.append(m)
    if peer_available("nashpy"):
        ng = nashpy_game(game)
        m, res = timed(lh_case, "nashpy.lemke_howson (label 0)", quiet(lambda: ng.lemke_howson(0)), guard=True)
        m.agrees = ok(res)
        out.append(m)
    else:
        out.append(skipped(lh_case, "nashpy.lemke_howson", "nashpy not installed"))
    if peer_available("quantecon"):
        from quantecon.game_theory import lemke_howson as qe_lh

        qg = qe_game(game)
        m, res = timed(lh_case, "quantecon.lemke_howson (label 0, numba)", lambda: qe_lh(qg, init_pivot=0))
        m.agrees = ok(res)
        out.append(m)
    else:
        out.append(skipped(lh_case, "quantecon.lemke_howson", "quantecon not installed"))
    return out


def suite_case(n: int, seed: int | None = None) -> Callable[[str], list[Measurement]]:
    """The ``python -m benchmarks`` case for a random n x n game: all equilibria, then Lemke–Howson.

    The game is ``default_rng([n, 0]).standard_normal((2, n, n))``, or with ``seed`` issue 3's game
    ``default_rng(seed)`` (``A`` then ``B``, the same draws). Peers that may not finish get a 20 s budget (5 s
    quick); smoke size: a (2 + n // 10)-square game, no guarded trial (tiny games finish).
    """

    def run(size: str) -> list[Measurement]:
        k = pick(size, full=n, quick=n, smoke=2 + n // 10)
        rng = np.random.default_rng([k, 0] if seed is None else seed)
        game = gt.NormalFormGame(rng.standard_normal((2, k, k)))
        case = f"random {k}x{k}" if seed is None else f"issue {k}x{k} (rng {seed})"
        opts = {"repeat": repeats(size, full=SMALL_REPEAT if k <= 10 else None),
                "budget": pick(size, full=20.0, quick=5.0, smoke=float("inf"))}
        every = bench_all_equilibria(case, game, **opts)
        base = next(m for m in every if m.baseline)
        truth = base.extra.pop("equilibria")
        return every + bench_lemke_howson(case, game, truth, **opts)

    game = f"Random {n}x{n} game" if seed is None else f"Issue 3's {n}x{n} game (default_rng({seed}))"
    run.__doc__ = (f"{game}: every equilibrium vs nashpy, QuantEcon, pygambit enummixed; Lemke–Howson vs "
                   "nashpy, QuantEcon.")
    return run


#: cases of ``python -m benchmarks`` (issue 8): name -> fn(size) -> measurements
CASES = {f"two_player_{n}x{n}": suite_case(n) for n in (5, 10, 20)}
CASES["two_player_6x6"] = suite_case(6, seed=1006)  # issue 3 names 6x6 (and 10x10) against QuantEcon


#: issue 21's sizes: Lemke–Howson against QuantEcon's, and every equilibrium against QuantEcon's faster enumeration
LH_SIZES = (5, 10, 20, 50)
ALL_SIZES = tuple(range(3, 13))


def issue21_ratios(runs: int = 201, all_runs: int = 31) -> list[str]:
    """Issue 21's ratios ours / QuantEcon, each from interleaved calls (:func:`paired_ratio`: medians of both under
    the same load), one line each: Lemke–Howson from the first, the middle and the last label (QuantEcon's
    ``init_pivot``) at 5x5..50x50; every equilibrium (``gt.solve``, default auto) against the faster of
    QuantEcon's support and vertex enumeration at 3x3..12x12. Below 1.00 means ours is faster."""
    from quantecon.game_theory import lemke_howson as qe_lh
    from quantecon.game_theory import support_enumeration as qe_se
    from quantecon.game_theory import vertex_enumeration as qe_ve

    lines = []
    for n in LH_SIZES:
        game = gt.NormalFormGame(np.random.default_rng([n, 0]).standard_normal((2, n, n)))
        qg = qe_game(game)
        ratios = [paired_ratio(partial(lemke_howson_from, game, lab), partial(qe_lh, qg, init_pivot=lab),
                               runs if n < 50 else runs // 4) for lab in (0, n, 2 * n - 1)]
        lines.append(f"lemke_howson {n}x{n}, labels 0 / {n} / {2 * n - 1}: ours/QuantEcon "
                     + " / ".join(f"{r:.2f}" for r in ratios))
    for n in ALL_SIZES:
        game = gt.NormalFormGame(np.random.default_rng([n, 0]).standard_normal((2, n, n)))
        qg = qe_game(game)
        k = all_runs if n <= 8 else max(5, all_runs // 4)
        se = paired_ratio(partial(gt.solve, game), partial(qe_se, qg), k)
        ve = paired_ratio(partial(gt.solve, game), partial(qe_ve, qg), k)
        lines.append(f"all equilibria {n}x{n}: gt.solve/QuantEcon support_enumeration {se:.2f}, "
                     f"/vertex_enumeration {ve:.2f}, vs the faster {max(se, ve):.2f}")
    return lines


def main() -> None:
    if "--ratios" in sys.argv:  # issue 21's ratios only
        for line in issue21_ratios():
            print(line, flush=True)
        return
    measurements: list[Measurement] = []
    for case, game in games():
        print(f"... {case}", file=sys.stderr, flush=True)
        repeat = SMALL_REPEAT if game.shape[0] <= 10 else REPEAT
        every = bench_all_equilibria(case, game, repeat=repeat)
        truth = next(m for m in every if m.baseline).extra.pop("equilibria")
        measurements += every + bench_lemke_howson(case, game, truth, repeat=repeat)
    path = write_results("two_player", measurements)
    cpu = cpu_table(measurements)
    loads = [m.extra["load_average_1min"] for m in measurements if "load_average_1min" in m.extra]
    load = f"1-minute load average during the runs: {min(loads):.2f}-{max(loads):.2f}.\n\n" if loads else ""
    with open(path.with_suffix(".md"), "a") as f:  # the CPU table next to the wall-clock one
        f.write(f"\n## CPU time (this process; robust to other load)\n\n{load}{cpu}\n")
    print()
    print(cpu)
    if peer_available("quantecon"):
        print()
        for line in issue21_ratios():
            print(line, flush=True)


def cpu_table(measurements: list[Measurement]) -> str:
    """Markdown table of CPU-time medians (this process only), with the ratio to our baseline row."""
    base = baselines(measurements)
    lines = ["| case | implementation | CPU median | CPU vs gametheory |", "|---|---|---:|---:|"]
    for m in measurements:
        cpu = m.extra.get("cpu_median_s")
        if cpu is None:
            continue
        ref = base[m.case].extra.get("cpu_median_s") if m.case in base else None
        ratio = f"{cpu / ref:.2f}x" if ref else ""
        lines.append(f"| {m.case} | {m.implementation} | {cpu * 1e3:.3f} ms | {ratio} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
