r"""Compiled (numba) kernel of the n-player support enumeration on float games: every support profile of a game
in one call, every game of a batch in one call.

For each support profile :math:`S` (pure profiles excluded) the kernel

1. skips :math:`S` when a support strategy is conditionally strictly dominated given :math:`S_{-i}` (Porter,
   Nudelman & Shoham 2008), by another strategy or by a mixture of two others (the dominated sets are computed
   once per game for every opponents' support profile, :func:`dominance_table`);
2. solves the indifference system :math:`F` of :math:`S` (see :mod:`._support_systems`) by the coefficient
   homotopy :math:`H(v, t) = (1 - t)\,\gamma\, G(v) + t\, F(v)`. Each equation is written in the basis of the
   products :math:`\prod_{j \ne i} \sigma_j(b_j)` of the opponents' support probabilities, and :math:`F` and
   the start system :math:`G` differ only in those coefficients: :math:`F`'s are payoff differences,
   :math:`G`'s products :math:`\prod_{j} \alpha_{e,j}(b_j)` of random complex numbers, so that :math:`G_e` is
   a product of affine forms with known roots (:func:`start_data`, cached per support pattern). The
   :math:`B` paths (the multihomogeneous Bezout number) are tracked with a Runge-Kutta predictor and a Newton
   corrector;
3. *certifies* the system solved when all :math:`B` paths reach :math:`t = 1` at pairwise distinct roots
   with non-singular Jacobians: then they are all its solutions (a system of this multilinear structure has
   at most :math:`B` isolated solutions, and none besides when :math:`B` are isolated), and the real ones in
   the product of simplices with regret at most ``slack`` are returned. Otherwise (a failed path, a singular
   or repeated end: a tie, a continuum) the profile is flagged for the exact per-profile path.

Importing this module imports numba: callers import it lazily.
"""

from __future__ import annotations

import functools
import itertools
import math

import numba
import numpy as np
import numpy.typing as npt

from .._elimination_kernel import back_substitute, eliminate
from .._kernel_cache import depends_on
from ._closed_form_kernel import closed_form_ends

__all__ = ["solve_profiles", "solve_batch_profiles", "kernel_tables", "start_data", "profile_table",
           "dominance_table", "close_pairs", "PRUNED", "SOLVED", "FALLBACK"]

PRUNED, SOLVED, FALLBACK = 0, 1, 2
MAX_STEPS = 2000
H0, HMAX, GROW, FIRST = 0.1, 0.5, 2, 1e-2
NEAR_SIMPLICES = 1e-2  # closed-form ends farther than this from the product of simplices are not polished
_GAMMA = np.exp(2j * np.pi * 0.3718281828)  # the gamma trick: any fixed generic unit complex number
_RETRY = np.exp(2j * np.pi * 0.5772156649)  # turns gamma for a second attempt


# ------------------------------------------------------------------ tables built once per shape (Python)
@functools.lru_cache(maxsize=32)
def profile_table(shape: tuple[int, ...]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                   tuple[tuple[tuple[int, ...], ...], ...]]:
    """Every support profile that is not pure, smallest first: ``(sup (P, n, max_s), sizes (P, n), pattern (P,),
    profiles)``; ``pattern`` indexes the sorted distinct size vectors (:func:`start_data`)."""
    from ._support_systems import support_profiles  # lazy: only when a shape's table is first built

    profiles = tuple(p for p in support_profiles(shape) if any(len(s) > 1 for s in p))
    n, width = len(shape), max(shape)
    sup = np.full((len(profiles), n, width), -1, dtype=np.int64)
    sizes = np.zeros((len(profiles), n), dtype=np.int64)
    patterns = sorted({tuple(len(s) for s in p) for p in profiles})
    index = {k: c for c, k in enumerate(patterns)}
    pattern = np.zeros(len(profiles), dtype=np.int64)
    for p, prof in enumerate(profiles):
        for j, s in enumerate(prof):
            sup[p, j, : len(s)] = s
            sizes[p, j] = len(s)
        pattern[p] = index[tuple(len(s) for s in prof)]
    return sup, sizes, pattern, profiles


@functools.lru_cache(maxsize=32)
def start_data(shape: tuple[int, ...]) -> tuple[npt.NDArray[np.complex128], npt.NDArray[np.complex128],
                                                npt.NDArray[np.int64]]:
    r"""The start systems of every support pattern of ``shape``: ``alpha (K, E, n, max_s)``, ``roots (K, B, E)``
    and ``counts (K,)``.

    For the pattern with sizes :math:`k_j` (:math:`d_j = k_j - 1` unknowns each), equation ``e`` of player
    :math:`i` is :math:`G_e = \prod_{j \ne i} \sum_b \alpha_{e,j,b}\, \sigma_j(b)`, one affine form per mixing
    opponent. A root picks for every equation one factor that vanishes, player :math:`j`'s block exactly
    :math:`d_j` times; each block is then a linear solve (Morgan & Sommese 1987).
    """
    _, _, _, profiles = profile_table(shape)
    patterns = sorted({tuple(len(s) for s in p) for p in profiles})
    n, width = len(shape), max(shape)
    n_eq = sum(s - 1 for s in shape)
    rng = np.random.default_rng(20261206)
    alpha = np.zeros((len(patterns), max(n_eq, 1), n, width), dtype=np.complex128)
    found = []
    for c, ks in enumerate(patterns):
        d = [k - 1 for k in ks]
        mixing = [j for j in range(n) if d[j]]
        eqs = [i for i in mixing for _ in range(d[i])]
        for e, i in enumerate(eqs):
            for j in range(n):
                if j != i:
                    alpha[c, e, j, : ks[j]] = rng.standard_normal(ks[j]) + 1j * rng.standard_normal(ks[j]) \
                        if d[j] else 1.0
        offsets = np.concatenate([[0], np.cumsum(d)]).astype(int)
        roots = []
        for choice in itertools.product(*[[j for j in mixing if j != i] for i in eqs]):
            if any(choice.count(j) != d[j] for j in mixing):
                continue
            x = np.zeros(len(eqs), dtype=np.complex128)
            for j in mixing:
                rows = [e for e, cj in enumerate(choice) if cj == j]
                a = alpha[c, rows, j, : ks[j]]
                x[offsets[j] : offsets[j + 1]] = np.linalg.solve(a[:, :-1] - a[:, -1:], -a[:, -1])
            roots.append(x)
        found.append(roots)
    most = max((len(r) for r in found), default=1)
    roots_arr = np.zeros((len(patterns), max(most, 1), max(n_eq, 1)), dtype=np.complex128)
    counts = np.zeros(len(patterns), dtype=np.int64)
    for c, roots in enumerate(found):
        counts[c] = len(roots)
        for b, x in enumerate(roots):
            roots_arr[c, b, : x.size] = x
    return alpha, roots_arr, counts


@functools.lru_cache(maxsize=32)
def dominance_table(shape: tuple[int, ...]) -> tuple[npt.NDArray[np.int64], ...]:
    r"""The bit sets of the conditional-dominance test of ``shape``: ``masks (P, n)`` (bit ``a`` of
    ``masks[p, j]``: strategy ``a`` is in player ``j``'s support in profile ``p`` of :func:`profile_table`),
    ``opp (P, n)`` (the index of the opponents' supports :math:`S_{-i}` of profile ``p``), ``covered (n, C, W)``
    (bit ``o`` of word ``o // 64``: opponents' pure profile ``o`` lies in those supports), ``opp_off (n, O)``
    (flat payoff offset of pure profile ``o``, own strategy 0), ``n_opp (n,)`` and ``n_combo (n,)``.

    Opponents' pure profiles and supports are numbered in C order over the opponents in player order (supports
    by their bit sets minus one)."""
    sup, sizes, _, profiles = profile_table(shape)
    n = len(shape)
    strides = [math.prod(shape[j + 1 :]) for j in range(n)]
    others = [[j for j in range(n) if j != i] for i in range(n)]
    n_opp = np.array([math.prod(shape[j] for j in o) for o in others], dtype=np.int64)
    n_combo = np.array([math.prod(2 ** shape[j] - 1 for j in o) for o in others], dtype=np.int64)
    words = max(1, -(-int(n_opp.max()) // 64))
    covered = np.zeros((n, int(n_combo.max()), words), dtype=np.int64)
    opp_off = np.zeros((n, int(n_opp.max())), dtype=np.int64)
    for i, rest in enumerate(others):
        pures = list(itertools.product(*[range(shape[j]) for j in rest]))
        for o, a in enumerate(pures):
            opp_off[i, o] = sum(b * strides[j] for b, j in zip(a, rest, strict=True))
        for c, sets in enumerate(itertools.product(*[range(1, 2 ** shape[j]) for j in rest])):
            for o, a in enumerate(pures):
                if all(m >> b & 1 for m, b in zip(sets, a, strict=True)):
                    covered[i, c, o // 64] |= np.int64(1) << np.int64(o % 64)
    masks = np.array([[sum(1 << a for a in s) for s in prof] for prof in profiles], dtype=np.int64).reshape(-1, n)
    opp = np.zeros_like(masks)
    for i, rest in enumerate(others):
        for j in rest:
            opp[:, i] = opp[:, i] * (2 ** shape[j] - 1) + masks[:, j] - 1
    return masks, opp, covered, opp_off, n_opp, n_combo


def kernel_tables(shape: tuple[int, ...]) -> tuple[npt.NDArray[np.generic], ...]:
    """Every shape table :func:`solve_profiles` takes: :func:`profile_table` (but the profiles),
    :func:`start_data` and :func:`dominance_table`, in that order."""
    return (*profile_table(shape)[:3], *start_data(shape), *dominance_table(shape))


# ------------------------------------------------------------------ compiled kernel
@numba.njit(cache=True)
def _dominated_sets(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], strides: npt.NDArray[np.int64],
                    covered: npt.NDArray[np.int64], opp_off: npt.NDArray[np.int64], n_opp: npt.NDArray[np.int64],
                    n_combo: npt.NDArray[np.int64], slack: float) -> npt.NDArray[np.int64]:
    """``dom (n, C)``: bit ``a`` of ``dom[i, c]`` is set when strategy ``a`` of player ``i`` is conditionally
    strictly dominated given the opponents' supports ``c`` (:func:`dominance_table`).

    ``beats[i, a, b]`` holds a bit per opponents' pure profile, set where ``b`` earns more than ``a + slack``;
    ``a`` is dominated given ``c`` when some ``b`` beats it on every profile ``c`` covers; then by mixtures of
    two others (:func:`_mixed_dominated`)."""
    n = shape.size
    words = covered.shape[2]
    width = shape.max()
    beats = np.zeros((width, width, words), dtype=np.int64)
    dom = np.zeros((n, covered.shape[1]), dtype=np.int64)
    split = np.zeros((covered.shape[1], 2), dtype=np.int64)
    bounds = np.zeros((covered.shape[1], 2, width * (width - 1) * (width - 2) // 2))
    for i in range(n):
        if shape[i] >= 3:  # a pure strategy is the mixture with lambda = 1: the mixed test covers it
            _combo_splits(i, shape, n_combo[i], split)
            _mixed_dominated(U, shape, strides, opp_off, n_combo, i, split, bounds, slack, dom)
            continue
        beats[:] = 0
        for o in range(n_opp[i]):
            base = opp_off[i, o]
            bit = np.int64(1) << np.int64(o % 64)
            for a in range(shape[i]):
                ua = U[i, base + a * strides[i]] + slack
                for b in range(shape[i]):
                    if b != a and U[i, base + b * strides[i]] > ua:
                        beats[a, b, o // 64] |= bit
        for c in range(n_combo[i]):
            for a in range(shape[i]):
                for b in range(shape[i]):
                    if b == a:
                        continue
                    every = True
                    for w in range(words):
                        if covered[i, c, w] & ~beats[a, b, w]:
                            every = False
                            break
                    if every:
                        dom[i, c] |= np.int64(1) << np.int64(a)
                        break
    return dom


@numba.njit(cache=True)
def _combo_splits(i: int, shape: npt.NDArray[np.int64], count: int, split: npt.NDArray[np.int64]) -> None:
    """For each opponents' support profile ``c < count`` of player ``i`` (:func:`dominance_table`'s numbering):
    ``split[c] = (-1, o)`` when every opponent's support is one strategy (``o``: that pure profile), else two
    smaller profiles ``(c1, c2)`` whose pure profiles together are ``c``'s: the first opponent's support with
    two or more strategies cut into its lowest strategy and the rest."""
    n = shape.size
    for c in range(count):
        rest, radix, pure_radix, o = c, 1, 1, 0
        split[c, 0] = -1
        for j in range(n - 1, -1, -1):  # the last opponent varies fastest
            if j == i:
                continue
            sets = (np.int64(1) << shape[j]) - 1
            mask = rest % sets + 1
            rest //= sets
            low = mask & -mask
            if mask != low:  # the first opponent (in player order) with a wider support wins: it comes last here
                split[c, 0] = c - (mask - low) * radix
                split[c, 1] = c - low * radix
            else:
                q = 0
                while low >> (q + 1):
                    q += 1
                o += q * pure_radix
            radix *= sets
            pure_radix *= shape[j]
        if split[c, 0] < 0:
            split[c, 1] = o


@numba.njit(cache=True)
def _mixed_dominated(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], strides: npt.NDArray[np.int64],
                     opp_off: npt.NDArray[np.int64], n_combo: npt.NDArray[np.int64], i: int,
                     split: npt.NDArray[np.int64], bounds: npt.NDArray[np.float64], slack: float,
                     dom: npt.NDArray[np.int64]) -> None:
    r"""Add to ``dom[i, c]`` (every ``c``) the strategies ``a`` of player ``i`` that a mixture :math:`\lambda b +
    (1 - \lambda) e` of two others (:math:`\lambda = 1`: ``b`` alone) beats by more than ``slack`` on every
    opponents' pure profile of ``c``: with :math:`D_x = u_i(x, \cdot) - u_i(a, \cdot)`, each profile asks
    :math:`\lambda (D_b - D_e) + D_e - slack > 0`, an open half-line of :math:`\lambda`; ``a`` is dominated when
    their intersection :math:`(lo, hi)` meets :math:`[0, 1]`, i.e. :math:`\max(lo, 0) < \min(hi, 1)`.

    The intersection's ends ``bounds[c, 0 or 1, test]`` (one test per ``a`` and pair ``b < e``), clipped to
    :math:`[0, 1]`, are the largest lower and smallest upper end over the pure profiles of ``c``: built up from
    two smaller profiles (:func:`_combo_splits`, ``split``), one maximum and minimum each."""
    st = strides[i]
    k = shape[i]
    for c in range(n_combo[i]):
        c1, c2 = split[c, 0], split[c, 1]
        bits = np.int64(0)
        test = 0
        for a in range(k):
            for b in range(k):
                for e in range(b + 1, k):
                    if b == a or e == a:
                        continue
                    if c1 >= 0:
                        lo = max(bounds[c1, 0, test], bounds[c2, 0, test])
                        hi = min(bounds[c1, 1, test], bounds[c2, 1, test])
                    else:
                        base = opp_off[i, c2]
                        ua = U[i, base + a * st]
                        y = U[i, base + e * st] - ua - slack
                        x = U[i, base + b * st] - ua - slack - y
                        lo, hi = 0.0, 1.0
                        if x > 0.0:
                            lo = max(-y / x, 0.0)
                        elif x < 0.0:
                            hi = min(-y / x, 1.0)
                        elif y <= 0.0:
                            lo = 1.0
                    bounds[c, 0, test], bounds[c, 1, test] = lo, hi
                    if lo < hi:
                        bits |= np.int64(1) << np.int64(a)
                    test += 1
        dom[i, c] |= bits


@numba.njit(cache=True)
def _evaluate(x: npt.NDArray[np.complex128], t: float, eq_player: npt.NDArray[np.int64],
              n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64], c0: npt.NDArray[np.complex128],
              c1: npt.NDArray[np.float64], d: npt.NDArray[np.int64], off: npt.NDArray[np.int64],
              H: npt.NDArray[np.complex128], Ht: npt.NDArray[np.complex128], J: npt.NDArray[np.complex128],
              sig: npt.NDArray[np.complex128]) -> None:
    """``H(x, t)``, ``dH/dt`` and ``dH/dx`` into the given arrays."""
    n = d.size
    nv = x.size
    for j in range(n):
        rest = 1.0 + 0.0j
        for q in range(d[j]):
            sig[j, q] = x[off[j] + q]
            rest -= x[off[j] + q]
        sig[j, d[j]] = rest
    for e in range(nv):
        i = eq_player[e]
        H[e] = 0.0
        Ht[e] = 0.0
        for v in range(nv):
            J[e, v] = 0.0
        for tau in range(n_terms[e]):
            c = (1.0 - t) * c0[e, tau] + t * c1[e, tau]
            w = 1.0 + 0.0j
            for j in range(n):
                if j != i:
                    w *= sig[j, locs[e, tau, j]]
            H[e] += c * w
            Ht[e] += (c1[e, tau] - c0[e, tau]) * w
            for j in range(n):
                if j == i or d[j] == 0:
                    continue
                part = c
                for m in range(n):
                    if m != i and m != j:
                        part *= sig[m, locs[e, tau, m]]
                b = locs[e, tau, j]
                if b < d[j]:
                    J[e, off[j] + b] += part
                else:
                    for q in range(d[j]):
                        J[e, off[j] + q] -= part


@numba.njit(cache=True)
def _solve(A: npt.NDArray[np.complex128], b: npt.NDArray[np.complex128], out: npt.NDArray[np.complex128]) -> float:
    """``out = A^{-1} b`` by Gaussian elimination with partial pivoting (``A`` and ``b`` are overwritten); returns
    the ratio of the smallest to the largest pivot modulus (0: singular)."""
    n = b.size
    _, small, big = eliminate(A, b, n, 0.0)
    if small == 0.0:
        return 0.0
    back_substitute(A, b, n, out)
    return small / big if big > 0 else 0.0


@numba.njit(cache=True)
def _workspace(nv: int, d: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.complex128], npt.NDArray[np.complex128],
                                                            npt.NDArray[np.complex128], npt.NDArray[np.complex128]]:
    """The arrays :func:`_evaluate` writes: ``H``, ``Ht``, ``J`` and the support probabilities."""
    return (np.zeros(nv, dtype=np.complex128), np.zeros(nv, dtype=np.complex128),
            np.zeros((nv, nv), dtype=np.complex128), np.zeros((d.size, d.max() + 1), dtype=np.complex128))


@numba.njit(cache=True)
def _track(x: npt.NDArray[np.complex128], eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
           locs: npt.NDArray[np.int64], c0: npt.NDArray[np.complex128], c1: npt.NDArray[np.float64],
           d: npt.NDArray[np.int64], off: npt.NDArray[np.int64]) -> float:
    """Track one path from ``x`` at t = 0 to t = 1 in place; returns the end's pivot ratio (-1: the path failed)."""
    nv = x.size
    H, Ht, J, sig = _workspace(nv, d)
    ks = np.zeros((4, nv), dtype=np.complex128)
    xs = np.zeros(nv, dtype=np.complex128)
    xp = np.zeros(nv, dtype=np.complex128)
    dx = np.zeros(nv, dtype=np.complex128)
    t, h, streak = 0.0, H0, 0
    for _ in range(MAX_STEPS):
        if t >= 1.0:
            break
        hs = min(h, 1.0 - t)
        # Runge-Kutta predictor on dx/dt = -H_x^{-1} H_t
        for stage in range(4):
            frac = 0.0 if stage == 0 else (0.5 if stage < 3 else 1.0)
            for v in range(nv):
                xs[v] = x[v] if stage == 0 else x[v] + frac * hs * ks[stage - 1, v]
            _evaluate(xs, t + frac * hs, eq_player, n_terms, locs, c0, c1, d, off, H, Ht, J, sig)
            _solve(J, Ht, dx)
            for v in range(nv):
                ks[stage, v] = -dx[v]
        for v in range(nv):
            xp[v] = x[v] + hs / 6.0 * (ks[0, v] + 2.0 * ks[1, v] + 2.0 * ks[2, v] + ks[3, v])
        tn = 1.0 if hs >= 1.0 - t else t + hs
        ok = True
        size = np.inf
        for it in range(3):
            _evaluate(xp, tn, eq_player, n_terms, locs, c0, c1, d, off, H, Ht, J, sig)
            _solve(J, H, dx)
            top, step = 0.0, 0.0
            for v in range(nv):
                xp[v] -= dx[v]
                top = max(top, abs(xp[v]))
                step = max(step, abs(dx[v]))
            size = step / (1.0 + top)
            if not np.isfinite(size) or (it == 0 and size >= FIRST):
                ok = False
                break
            if size < 1e-12:
                break
        ok = ok and size < 1e-9
        if ok:
            for v in range(nv):
                x[v] = xp[v]
            t = tn
            streak += 1
            if streak >= GROW:
                h = min(2.0 * h, HMAX)
        else:
            h = hs / 2.0
            streak = 0
            if h < 1e-9:
                return -1.0
        top = 0.0
        for v in range(nv):
            top = max(top, abs(x[v]))
        if top > 1e8:
            return -1.0
    if t < 1.0:
        return -1.0
    ratio = 0.0
    for _ in range(2):  # polish at t = 1
        _evaluate(x, 1.0, eq_player, n_terms, locs, c0, c1, d, off, H, Ht, J, sig)
        ratio = _solve(J, H, dx)
        if ratio == 0.0:
            return 0.0
        for v in range(nv):
            x[v] -= dx[v]
    return ratio


@numba.njit(cache=True)
def _regret(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], prob: npt.NDArray[np.float64]) -> float:
    """Largest gain of a pure deviation, over the players, at the mixed profile ``prob (n, max_s)``."""
    n = shape.size
    dev = np.zeros(prob.shape)
    a = np.zeros(n, dtype=np.int64)
    for f in range(U.shape[1]):
        rest = f
        for j in range(n - 1, -1, -1):
            a[j] = rest % shape[j]
            rest //= shape[j]
        for i in range(n):
            w = U[i, f]
            for j in range(n):
                if j != i:
                    w *= prob[j, a[j]]
            dev[i, a[i]] += w
    worst = 0.0
    for i in range(n):
        value, best = 0.0, -np.inf
        for s in range(shape[i]):
            value += prob[i, s] * dev[i, s]
            best = max(best, dev[i, s])
        worst = max(worst, best - value)
    return worst


@numba.njit(cache=True)
def _system(U: npt.NDArray[np.float64], strides: npt.NDArray[np.int64], p: int, sup: npt.NDArray[np.int64],
            sizes: npt.NDArray[np.int64], work: tuple) -> int:  # type: ignore[type-arg]
    r"""Write profile ``p``'s indifference system into the work arrays ``(eq_player, n_terms, locs, c0, c1, d,
    off)`` of :func:`_system_work` and return its number of unknowns.

    Equation ``e`` of player :math:`i` (one per support strategy :math:`s_r`, :math:`r \ge 1`) is
    :math:`\sum_\tau c_{1,e\tau} \prod_{j \ne i} \sigma_j(b_{\tau j}) = 0` with :math:`c_{1,e\tau} =
    u_i(s_r, b_\tau) - u_i(s_0, b_\tau)` over the opponents' support profiles :math:`b_\tau` (local indices
    ``locs``); ``d[j]`` is player j's number of unknowns and ``off[j]`` the first. The start coefficients ``c0``
    are left to :func:`_start_coefficients` (only the homotopy needs them)."""
    eq_player, n_terms, locs, _, c1, d, off = work
    n = sizes.shape[1]
    for j in range(n):
        d[j] = sizes[p, j] - 1
        off[j] = off[j - 1] + d[j - 1] if j else 0
    e = 0
    for i in range(n):
        if d[i] == 0:
            continue
        total = 1
        for j in range(n):
            if j != i:
                total *= sizes[p, j]
        first = e
        for _ in range(1, sizes[p, i]):
            eq_player[e] = i
            n_terms[e] = total
            e += 1
        for tau in range(total):  # the opponents' support profiles in C order (the last opponent fastest)
            rest, at = tau, 0
            for j in range(n - 1, -1, -1):
                if j == i:
                    continue
                b = rest % sizes[p, j]
                rest //= sizes[p, j]
                at += sup[p, j, b] * strides[j]
                for q in range(first, e):
                    locs[q, tau, j] = b
            for q in range(first, e):
                locs[q, tau, i] = 0
            base = U[i, at + sup[p, i, 0] * strides[i]]
            for r in range(1, sizes[p, i]):
                c1[first + r - 1, tau] = U[i, at + sup[p, i, r] * strides[i]] - base
    return e


@numba.njit(cache=True)
def _system_work(shape: npt.NDArray[np.int64]) -> tuple:  # type: ignore[type-arg]
    """Work arrays of :func:`_system` large enough for every support profile of ``shape``."""
    n = shape.size
    nv = 0
    most = 1
    for i in range(n):
        nv += shape[i] - 1
        t = 1
        for j in range(n):
            if j != i:
                t *= shape[j]
        most = max(most, t)
    nv = max(nv, 1)
    return (np.zeros(nv, dtype=np.int64), np.zeros(nv, dtype=np.int64), np.zeros((nv, most, n), dtype=np.int64),
            np.zeros((nv, most), dtype=np.complex128), np.zeros((nv, most)), np.zeros(n, dtype=np.int64),
            np.zeros(n, dtype=np.int64))


@numba.njit(cache=True)
def _start_coefficients(alpha: npt.NDArray[np.complex128], eq_player: npt.NDArray[np.int64],
                        n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                        c0: npt.NDArray[np.complex128]) -> None:
    r"""The start system's coefficients :math:`c_{0,e\tau} = \gamma \prod_{j \ne i} \alpha_{e,j}(b_{\tau j})`
    (:func:`start_data`) into ``c0``."""
    n = locs.shape[2]
    for e in range(eq_player.size):
        for tau in range(n_terms[e]):
            g = _GAMMA + 0.0j
            for j in range(n):
                if j != eq_player[e]:
                    g *= alpha[e, j, locs[e, tau, j]]
            c0[e, tau] = g


@numba.njit(cache=True)
def _near_simplices(ends: npt.NDArray[np.complex128], d: npt.NDArray[np.int64], off: npt.NDArray[np.int64]
                    ) -> npt.NDArray[np.complex128]:
    """The rows of ``ends`` within ``NEAR_SIMPLICES`` of the product of simplices (every probability, the
    implied last one of each player included, real part in ``[-NEAR, 1 + NEAR]``, imaginary part at most
    ``NEAR``): the only ends that can polish into an equilibrium (a polish moves a closed form's end by far less)."""
    keep = np.zeros(ends.shape[0], dtype=np.bool_)
    for b in range(ends.shape[0]):
        inside = True
        for j in range(d.size):
            rest = 1.0 + 0.0j
            for q in range(d[j] + 1):
                z = ends[b, off[j] + q] if q < d[j] else rest
                rest -= z
                inside &= abs(z.imag) <= NEAR_SIMPLICES and -NEAR_SIMPLICES <= z.real <= 1.0 + NEAR_SIMPLICES
        keep[b] = inside
    return ends[keep]


@numba.njit(cache=True)
def _solve_profile(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], strides: npt.NDArray[np.int64], p: int,
                   sup: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64], alpha: npt.NDArray[np.complex128],
                   roots: npt.NDArray[np.complex128], n_roots: int, slack: float,
                   found: npt.NDArray[np.float64], work: tuple) -> tuple[int, int]:  # type: ignore[type-arg]
    """Status of profile ``p`` and the number of equilibria written to ``found (rows, n, max_s)``; ``work``: the
    arrays of :func:`_system_work`."""
    nv = _system(U, strides, p, sup, sizes, work)
    d, off = work[5], work[6]
    mixing = 0
    for j in range(d.size):
        mixing += d[j] > 0
    if mixing < 2:  # constant equations: none holds (a strict preference), or a tie (a continuum)
        return FALLBACK, 0
    eq_player, n_terms, locs, c0, c1 = work[0][:nv], work[1][:nv], work[2][:nv], work[3][:nv], work[4][:nv]
    if mixing == 2:
        ends, status = _linear_root(eq_player, n_terms, locs, c0, c1, d, off)
        if status != SOLVED:
            return status, 0
    elif mixing == 3 and nv == 3:
        ends, status = _bilinear_roots(eq_player, n_terms, locs, c1, off)
        if status != SOLVED:
            return status, 0
    elif n_roots == 0:  # generically no solution, but a tie can make the system consistent
        return FALLBACK, 0
    else:
        ends, closed = closed_form_ends(eq_player, n_terms, locs, c1, d, off)
        if closed:
            ends = _near_simplices(ends, d, off)
            if _polished(ends, eq_player, n_terms, locs, c0, c1, d, off):
                return SOLVED, _equilibria(U, shape, p, sup, sizes, d, off, ends, slack, found)
        _start_coefficients(alpha, eq_player, n_terms, locs, c0)
        ends = np.zeros((n_roots, nv), dtype=np.complex128)
        for attempt in range(2):  # a failed path or a repeated end: once more with another gamma
            if attempt:
                c0 *= _RETRY
            if _homotopy_ends(roots, eq_player, n_terms, locs, c0, c1, d, off, ends):
                break
        else:
            return FALLBACK, 0
    return SOLVED, _equilibria(U, shape, p, sup, sizes, d, off, ends, slack, found)


@numba.njit(cache=True)
def _polished(ends: npt.NDArray[np.complex128], eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
              locs: npt.NDArray[np.int64], c0: npt.NDArray[np.complex128], c1: npt.NDArray[np.float64],
              d: npt.NDArray[np.int64], off: npt.NDArray[np.int64]) -> bool:
    """Newton's method at t = 1 on the closed form's ends (:mod:`._closed_form_kernel`) in place; True when each
    converges at a non-singular root (pivot ratio of the equilibrated Jacobian, :func:`_equilibrate`) and the
    ends are pairwise distinct."""
    nv = ends.shape[1]
    H, Ht, J, sig = _workspace(nv, d)
    dx = np.zeros(nv, dtype=np.complex128)
    x = np.zeros(nv, dtype=np.complex128)
    for b in range(ends.shape[0]):
        x[:] = ends[b]
        for _ in range(4):
            _evaluate(x, 1.0, eq_player, n_terms, locs, c0, c1, d, off, H, Ht, J, sig)
            _equilibrate(J, H, x)
            if _solve(J, H, dx) < 1e-10:
                return False
            for v in range(nv):
                dx[v] *= 1.0 + abs(x[v])
            step, top = 0.0, 0.0
            for v in range(nv):
                x[v] -= dx[v]
                step = max(step, abs(dx[v]))
                top = max(top, abs(x[v]))
            if step <= 1e-13 * (1.0 + top):
                break
        if step > 1e-9 * (1.0 + top):
            return False
        ends[b] = x
    return _distinct(ends)


@numba.njit(cache=True)
def _equilibrate(J: npt.NDArray[np.complex128], H: npt.NDArray[np.complex128], x: npt.NDArray[np.complex128]) -> None:
    """Scale ``J``'s columns by ``1 + |x_v|`` (the step is then relative to each unknown) and each row of ``J``
    and ``H`` by the row's largest modulus, in place: the pivot ratio of the scaled system judges a root far out
    of the simplices (coordinates of 1e3) by its conditioning, not by its size."""
    nv = x.size
    for v in range(nv):
        w = 1.0 + abs(x[v])
        for e in range(nv):
            J[e, v] *= w
    for e in range(nv):
        top = 0.0
        for v in range(nv):
            top = max(top, abs(J[e, v]))
        if top > 0.0:
            for v in range(nv):
                J[e, v] /= top
            H[e] /= top


@numba.njit(cache=True)
def _homotopy_ends(roots: npt.NDArray[np.complex128], eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
                   locs: npt.NDArray[np.int64], c0: npt.NDArray[np.complex128], c1: npt.NDArray[np.float64],
                   d: npt.NDArray[np.int64], off: npt.NDArray[np.int64], ends: npt.NDArray[np.complex128]) -> bool:
    """Track every path into ``ends``; True when all reach t = 1 at pairwise distinct non-singular roots (then
    they are every solution)."""
    nv = ends.shape[1]
    for b in range(ends.shape[0]):
        x = roots[b, :nv].copy()
        if _track(x, eq_player, n_terms, locs, c0, c1, d, off) < 1e-10:
            return False
        ends[b] = x
    return _distinct(ends)


@numba.njit(cache=True)
def _distinct(ends: npt.NDArray[np.complex128]) -> bool:
    """Whether the rows of ``ends`` are pairwise apart by more than 1e-6 relative (max norm): distinct roots."""
    for b in range(ends.shape[0]):
        for c in range(b):
            gap, top = 0.0, 0.0
            for v in range(ends.shape[1]):
                gap = max(gap, abs(ends[b, v] - ends[c, v]))
                top = max(top, abs(ends[b, v]))
            if gap <= 1e-6 * (1.0 + top):
                return False
    return True


@numba.njit(cache=True)
def _bilinear_coefficients(e: int, j: int, k: int, n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                           c1: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``(q0, qj, qk, qjk)`` with ``F_e = q0 + qj x_j + qk x_k + qjk x_j x_k`` (``x_j`` player j's first
    probability; every other opponent plays one strategy)."""
    q = np.zeros(4)
    for tau in range(n_terms[e]):
        c = c1[e, tau]
        cj, lj = (0.0, 1.0) if locs[e, tau, j] == 0 else (1.0, -1.0)  # sigma(0) = x, sigma(1) = 1 - x
        ck, lk = (0.0, 1.0) if locs[e, tau, k] == 0 else (1.0, -1.0)
        q[0] += c * cj * ck
        q[1] += c * lj * ck
        q[2] += c * cj * lk
        q[3] += c * lj * lk
    return q


@numba.njit(cache=True)
def _times(u0: float, u1: float, v0: float, v1: float) -> npt.NDArray[np.float64]:
    return np.array([u0 * v0, u0 * v1 + u1 * v0, u1 * v1])


@numba.njit(cache=True)
def _bilinear_roots(eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                    c1: npt.NDArray[np.float64], off: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.complex128], int]:
    r"""Three players mixing two strategies each (:math:`B = 2`): with :math:`F_a = N_A(x_c) + x_b P_A(x_c)` and
    :math:`F_b = N_B(x_c) + x_a P_B(x_c)` (affine :math:`N, P`), :math:`x_b = -N_A / P_A`, :math:`x_a = -N_B / P_B`
    and :math:`P_A P_B F_c` is a quadratic in :math:`x_c`. Two distinct roots with non-zero :math:`P_A, P_B`:
    both solutions; else FALLBACK."""
    a, b, c = eq_player[0], eq_player[1], eq_player[2]
    A = _bilinear_coefficients(0, b, c, n_terms, locs, c1)  # in (x_b, x_c)
    B = _bilinear_coefficients(1, a, c, n_terms, locs, c1)  # in (x_a, x_c)
    C = _bilinear_coefficients(2, a, b, n_terms, locs, c1)  # in (x_a, x_b)
    na0, na1, pa0, pa1 = A[0], A[2], A[1], A[3]
    nb0, nb1, pb0, pb1 = B[0], B[2], B[1], B[3]
    q = (C[0] * _times(pa0, pa1, pb0, pb1) - C[1] * _times(nb0, nb1, pa0, pa1)
         - C[2] * _times(na0, na1, pb0, pb1) + C[3] * _times(na0, na1, nb0, nb1))
    ends = np.zeros((2, 3), dtype=np.complex128)
    size = np.max(np.abs(q))
    if size == 0.0 or abs(q[2]) <= 1e-10 * size:
        return ends, FALLBACK
    root = np.sqrt(complex(q[1] * q[1] - 4.0 * q[2] * q[0]))
    sign = 1.0 if q[1] >= 0 else -1.0
    big = -(q[1] + sign * root) / 2.0  # no cancellation: roots big / q2 and q0 / big
    if big == 0.0:
        return ends, FALLBACK
    xs = (big / q[2], q[0] / big)
    for r in range(2):
        xc = xs[r]
        den_a, den_b = pa0 + pa1 * xc, pb0 + pb1 * xc
        if abs(den_a) <= 1e-9 * (abs(pa0) + abs(pa1 * xc)) or abs(den_b) <= 1e-9 * (abs(pb0) + abs(pb1 * xc)):
            return ends, FALLBACK
        ends[r, off[a]] = -(nb0 + nb1 * xc) / den_b
        ends[r, off[b]] = -(na0 + na1 * xc) / den_a
        ends[r, off[c]] = xc
    gap = np.max(np.abs(ends[0] - ends[1]))
    if gap <= 1e-6 * (1.0 + np.max(np.abs(ends[0]))):
        return ends, FALLBACK
    return ends, SOLVED


@numba.njit(cache=True)
def _linear_root(eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                 c0: npt.NDArray[np.complex128], c1: npt.NDArray[np.float64], d: npt.NDArray[np.int64],
                 off: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.complex128], int]:
    """Two mixing players: each one's equations are affine in the other's unknowns. Square and regular: the one
    root; overdetermined: no root when the least-squares residual is clearly non-zero; else FALLBACK."""
    nv = eq_player.size
    H, Ht, J, sig = _workspace(nv, d)
    x = np.zeros(nv, dtype=np.complex128)
    _evaluate(x, 1.0, eq_player, n_terms, locs, c0, c1, d, off, H, Ht, J, sig)
    ends = np.zeros((1, nv), dtype=np.complex128)
    first = eq_player[0]
    second = eq_player[nv - 1]
    if d[first] == d[second]:
        A = J.copy()
        rhs = -H
        if _solve(A, rhs, x) < 1e-10:
            return ends, FALLBACK
        ends[0] = x
        return ends, SOLVED
    big = first if d[first] > d[second] else second  # its equations, in the other player's fewer unknowns
    other = second if big == first else first
    rows = np.flatnonzero(eq_player == big)
    A = np.zeros((rows.size, d[other]))
    b = np.zeros(rows.size)
    for r in range(rows.size):
        b[r] = -H[rows[r]].real
        for q in range(d[other]):
            A[r, q] = J[rows[r], off[other] + q].real
    sol = np.linalg.lstsq(A, b)[0]
    size = max(np.max(np.abs(A)), np.max(np.abs(b)))
    if np.max(np.abs(A @ sol - b)) > 1e-8 * size:
        return np.zeros((0, nv), dtype=np.complex128), SOLVED
    return ends, FALLBACK


@numba.njit(cache=True)
def _equilibria(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], p: int, sup: npt.NDArray[np.int64],
                sizes: npt.NDArray[np.int64], d: npt.NDArray[np.int64], off: npt.NDArray[np.int64],
                ends: npt.NDArray[np.complex128], slack: float, found: npt.NDArray[np.float64]) -> int:
    """Write the real ends inside the simplices with regret at most ``2 * slack`` to ``found``; their number (-1:
    more than ``found`` holds)."""
    n = shape.size
    nv = ends.shape[1]
    n_roots = ends.shape[0]
    count = 0
    prob = np.zeros((n, shape.max()))
    for b in range(n_roots):
        top, imag = 0.0, 0.0
        for v in range(nv):
            top = max(top, abs(ends[b, v]))
            imag = max(imag, abs(ends[b, v].imag))
        if imag > 1e-8 * (1.0 + top):
            continue
        inside = True
        prob[:] = 0.0
        for j in range(n):
            rest = 1.0
            for q in range(sizes[p, j]):
                value = ends[b, off[j] + q].real if q < d[j] else rest
                if q < d[j]:
                    rest -= value
                if value < -1e-7 or value > 1.0 + 1e-7:
                    inside = False
                prob[j, sup[p, j, q]] = min(max(value, 0.0), 1.0)
            total = 0.0
            for q in range(shape[j]):
                total += prob[j, q]
            for q in range(shape[j]):
                prob[j, q] /= total
        if not inside:
            continue
        if _regret(U, shape, prob) <= 2.0 * slack:
            if count >= found.shape[0]:
                return -1
            found[count] = prob
            count += 1
    return count


@numba.njit(cache=True)
def solve_profiles(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], tables: tuple, slack: float  # type: ignore[type-arg]
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Every support profile of one game (payoffs ``U (n, prod(shape))``, ``tables`` of :func:`kernel_tables`):
    ``status (P,)``, the profile of each equilibrium found ``(K,)`` and the equilibria ``(K, n, max_s)``
    (clipped, renormalised probabilities)."""
    sup, sizes, pattern, alpha, roots, counts, masks, opp, covered, opp_off, n_opp, n_combo = tables
    n = shape.size
    strides = np.ones(n, dtype=np.int64)
    for j in range(n - 2, -1, -1):
        strides[j] = strides[j + 1] * shape[j + 1]
    dom = _dominated_sets(U, shape, strides, covered, opp_off, n_opp, n_combo, slack)
    P = sup.shape[0]
    status = np.zeros(P, dtype=np.int64)
    work = _system_work(shape)
    where = np.zeros(64, dtype=np.int64)
    out = np.zeros((64, n, shape.max()))
    found = np.zeros((16, n, shape.max()))
    k = 0
    for p in range(P):
        pruned = False
        for i in range(n):
            if masks[p, i] & dom[i, opp[p, i]]:
                pruned = True
                break
        if pruned:  # status PRUNED
            continue
        c = pattern[p]
        status[p], m = _solve_profile(U, shape, strides, p, sup, sizes, alpha[c], roots[c], counts[c], slack, found,
                                      work)
        if m < 0:
            status[p], m = FALLBACK, 0
        for r in range(m):
            if k == where.size:
                grown_w = np.zeros(2 * k, dtype=np.int64)
                grown_w[:k] = where
                grown_o = np.zeros((2 * k, n, shape.max()))
                grown_o[:k] = out
                where, out = grown_w, grown_o
            where[k] = p
            out[k] = found[r]
            k += 1
    return status, where[:k].copy(), out[:k].copy()


@numba.njit(cache=True, nogil=True)
def solve_batch_profiles(U: npt.NDArray[np.float64], shape: npt.NDArray[np.int64], tables: tuple,  # type: ignore[type-arg]
                         slack: npt.NDArray[np.float64]
                         ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64],
                                    npt.NDArray[np.float64]]:
    """:func:`solve_profiles` on every game of ``U (N, n, prod(shape))``: ``status (N, P)``, the game and profile
    of each equilibrium found and the equilibria."""
    N = U.shape[0]
    status = np.zeros((N, tables[0].shape[0]), dtype=np.int64)
    games, wheres, outs = [], [], []
    total = 0
    for g in range(N):
        st, where, out = solve_profiles(U[g], shape, tables, slack[g])
        status[g] = st
        games.append(g)
        wheres.append(where)
        outs.append(out)
        total += where.size
    game_of = np.zeros(total, dtype=np.int64)
    where_all = np.zeros(total, dtype=np.int64)
    out_all = np.zeros((total, shape.size, shape.max()))
    k = 0
    for g in range(N):
        m = wheres[g].size
        game_of[k : k + m] = g
        where_all[k : k + m] = wheres[g]
        out_all[k : k + m] = outs[g]
        k += m
    return status, game_of, where_all, out_all


@numba.njit(cache=True)
def close_pairs(games: npt.NDArray[np.int64], flat: npt.NDArray[np.float64], n_games: int, near: float
                ) -> npt.NDArray[np.bool_]:
    """``(n_games,)``: True for the games with two rows of ``flat`` (candidates, their games ``games`` sorted) at
    most ``near`` apart in the max norm."""
    out = np.zeros(n_games, dtype=np.bool_)
    start = 0
    while start < games.size:
        stop = start
        while stop < games.size and games[stop] == games[start]:
            stop += 1
        for a in range(start, stop):
            for b in range(start, a):
                gap = 0.0
                for v in range(flat.shape[1]):
                    gap = max(gap, abs(flat[a, v] - flat[b, v]))
                if gap <= near:
                    out[games[start]] = True
        start = stop
    return out


# an edit of a module whose compiled helpers these kernels call recompiles them
depends_on(globals(), ".._elimination_kernel", "._closed_form_kernel")
