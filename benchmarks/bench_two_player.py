"""Every equilibrium of one random 2-player game, and Lemke–Howson, against nashpy, QuantEcon and pygambit.

Games: ``P = numpy.random.default_rng([n, 0]).standard_normal((2, n, n))`` (``A = P[0]``, ``B = P[1]``) for
n = 5, 6, 10, 20, plus issue 3's 6x6 game from ``default_rng(1006)``. Each implementation is timed on the same
game objects (built outside the timed call), median of ``REPEAT`` runs after one warm-up (QuantEcon's numba
compilation is paid in the warm-up). Calls that may not finish (nashpy's support enumeration on 20x20, its
Lemke–Howson, which can cycle) are first tried once in a forked process with a time budget; over budget they
are reported as a lower bound and not repeated. Answers are compared with ours: same count and the same profiles
(to 1e-6) for enumerations; membership in our equilibrium set for single Lemke–Howson runs.

Wall-clock medians go in the main table; each row's ``extra.cpu_median_s`` is the median CPU time of this
process (robust to other load on a shared machine) and is printed as a second table.

Run: ``python -m benchmarks.bench_two_player`` (writes ``benchmarks/results/two_player.json`` and ``.md``).
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import gametheory as gt
from gametheory.solvers.lemke_howson import lemke_howson, lemke_howson_from
from gametheory.solvers.support_enumeration import support_enumeration
from gametheory.solvers.vertex_enumeration import vertex_enumeration

from .harness import Measurement, measure, peer_available, write_results

REPEAT = 5
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


# ---------------------------------------------------------------------- agreement
def flat(profile: Any) -> np.ndarray:
    return np.concatenate([np.asarray(v, dtype=float) for v in getattr(profile, "profile", profile)])


def same_set(ours: list[Any], theirs: list[Any], atol: float = 1e-6) -> bool:
    if len(ours) != len(theirs):
        return False
    a = sorted(flat(p).round(6).tolist() for p in ours)
    b = sorted(flat(p).round(6).tolist() for p in theirs)
    return all(np.allclose(x, y, atol=atol) for x, y in zip(a, b, strict=True))


def member(ours: list[Any], profile: Any, atol: float = 1e-6) -> bool:
    z = flat(profile)
    return any(np.allclose(flat(p), z, atol=atol) for p in ours)


# ---------------------------------------------------------------------- guarded timing
def _child(fn: Callable[[], Any], conn: Any) -> None:
    start = time.perf_counter()
    fn()
    conn.send(time.perf_counter() - start)


def finishes(fn: Callable[[], Any], budget: float = BUDGET_S) -> float | None:
    """Seconds one call of ``fn`` takes in a forked process, or None when it exceeds ``budget``."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    proc.join(budget)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return parent.recv() if parent.poll() else None


def timed(case: str, impl: str, fn: Callable[[], Any], *, guard: bool = False, note: str = "") -> tuple[
    Measurement, Any
]:
    if guard and finishes(fn) is None:
        m = Measurement(case, impl, BUDGET_S, 0.0, 1, note=f"did not finish in {BUDGET_S:.0f} s (lower bound)")
        return m, None
    cpu: list[float] = []

    def run() -> Any:  # also record this process's CPU time: robust to other load on the machine
        start = time.process_time()
        result = fn()
        cpu.append(time.process_time() - start)
        return result

    m, result = measure(case, impl, run, repeat=REPEAT, warmup=1, note=note)
    m.extra["cpu_median_s"] = statistics.median(cpu[1:])
    return m, result


def skipped(case: str, impl: str, why: str) -> Measurement:
    return Measurement(case, impl, float("nan"), float("nan"), 0, note=f"not run: {why}")


# ---------------------------------------------------------------------- the benchmark
def bench_all_equilibria(case: str, game: gt.NormalFormGame) -> list[Measurement]:
    """Every equilibrium: ours (the vertex enumeration row, listed last of ours, is the baseline) and peers."""
    out: list[Measurement] = []
    big = game.shape[0] >= 20
    max_v = MAX_VERTICES_20 if big else None
    m_ve, ours = timed(case, "gametheory.vertex_enumeration", lambda: vertex_enumeration(game, max_vertices=max_v))
    m_ve.extra.update(count=len(ours), complete=ours.complete)
    if not ours.complete:
        m_ve.note = f"incomplete: stopped at max_vertices={max_v} bases per polytope ({len(ours)} equilibria so far)"
    truth = list(ours) if ours.complete else None

    def check(theirs: Any) -> bool | None:
        return None if truth is None or theirs is None else same_set(truth, list(theirs))

    feasible = support_pairs(game) <= MAX_SUPPORT_PAIRS
    if feasible:
        m, res = timed(case, "gametheory.support_enumeration", lambda: support_enumeration(game))
        m.agrees = check(res)
        m.extra.update(count=len(res))
        out.append(m)
        if game.shape[0] <= 10:
            m, res = timed(case, "gametheory.solve (auto: dominance LPs + vertex enumeration)", lambda: gt.solve(game))
            m.agrees = check(res)
            m.extra.update(count=len(res))
            out.append(m)
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
    if peer_available("quantecon"):
        from quantecon.game_theory import support_enumeration as qe_se
        from quantecon.game_theory import vertex_enumeration as qe_ve

        qg = qe_game(game)
        if feasible:
            m, res = timed(case, "quantecon.support_enumeration (numba)", lambda: qe_se(qg))
            m.agrees = check(res)
            m.extra.update(count=len(res))
            out.append(m)
            m, res = timed(case, "quantecon.vertex_enumeration", lambda: qe_ve(qg), guard=True)
            m.agrees = check(res)
            m.extra.update(count=None if res is None else len(res))
            out.append(m)
        else:
            out.append(skipped(case, "quantecon.support_enumeration (numba)", "infeasible size"))
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


def bench_lemke_howson(case: str, game: gt.NormalFormGame, truth: list[Any] | None) -> list[Measurement]:
    """Lemke–Howson: ours from every label, ours from label 0 (the baseline, listed last of ours), peers."""
    out: list[Measurement] = []
    lh_case = f"{case} LH"
    m, res = timed(lh_case, "gametheory.lemke_howson (all m+n labels)", lambda: lemke_howson(game))
    m.agrees = None if truth is None else all(member(truth, e) for e in res)
    m.extra.update(count=len(res), success=res.success)
    out.append(m)
    m, res = timed(lh_case, "gametheory.lemke_howson_from (label 0)", lambda: lemke_howson_from(game, 0))
    m.agrees = None if truth is None else member(truth, res[0])
    out.append(m)
    if peer_available("nashpy"):
        ng = nashpy_game(game)
        m, res = timed(lh_case, "nashpy.lemke_howson (label 0)", quiet(lambda: ng.lemke_howson(0)), guard=True)
        m.agrees = None if truth is None or res is None else member(truth, res)
        out.append(m)
    if peer_available("quantecon"):
        from quantecon.game_theory import lemke_howson as qe_lh

        qg = qe_game(game)
        m, res = timed(lh_case, "quantecon.lemke_howson (label 0, numba)", lambda: qe_lh(qg, init_pivot=0))
        m.agrees = None if truth is None else member(truth, res)
        out.append(m)
    return out


def main() -> None:
    measurements: list[Measurement] = []
    for case, game in games():
        print(f"... {case}", file=sys.stderr, flush=True)
        every = bench_all_equilibria(case, game)
        measurements += every
        ours = vertex_enumeration(game, max_vertices=MAX_VERTICES_20 if game.shape[0] >= 20 else None)
        measurements += bench_lemke_howson(case, game, list(ours) if ours.complete else None)
    write_results("two_player", measurements)
    print()
    print(cpu_table(measurements))


def cpu_table(measurements: list[Measurement]) -> str:
    """Markdown table of CPU-time medians (this process only), with the ratio to our baseline row."""
    base = {m.case: m for m in measurements if m.implementation.startswith("gametheory")}
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
