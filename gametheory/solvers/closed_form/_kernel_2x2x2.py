r"""Compiled path of 2x2x2 batches: the generic formulas, and ties resolved in the kernel, one game at a time.

Notation of :mod:`gametheory.solvers.closed_form.solver`: ``p[i]`` is the probability of player ``i``'s first
strategy, :math:`D_i = a_i + b_i p_{o_1} + c_i p_{o_2} + e_i p_{o_1} p_{o_2}` its gain of the first over the second
strategy (``o_1 < o_2`` its opponents), ``C[i] = (a_i, b_i, c_i, e_i)``, and ``slack = rel * max |u|`` per game.

*Generic games* (:func:`_fast`): the 16 candidates of :func:`._formulas_2x2x2.fast_candidates` -- 8 pure, 6 with two
mixers, 2 fully mixed from the :math:`p_3`-elimination -- with the same suspect tests (a pure difference within
``slack``, a reducible gain, a near-double root, a mixed candidate within :data:`BAND` of a face) and each listed
mixed candidate's regret checked.

*Suspect games* (:func:`_thorough`): every system of three of the equations :math:`p_i \in \{0, 1, r\}` (``r`` a
*plane value*: :math:`D_j \equiv 0` on the plane :math:`p_i = r`) and :math:`D_i = 0` with an isolated solution,
as in :func:`._formulas_2x2x2.full_candidates`, but a tie is decided before it is divided by: a linear equation
whose slope is within ``slack`` of zero (in a game with integer payoffs: exactly zero) has no isolated solution and
gives no candidate, a quadratic that vanishes identically (relative ``1e-12``) gives a curve instead of roots, and
only true plane values in ``(0, 1)`` are used. Candidates are verified by regret, de-duplicated
(:data:`DEDUP`), linked when the segment between them consists of equilibria (decided exactly: each gain is a
quadratic along it, :func:`_segment`) or they lie on one fully mixed curve of equilibria (129 samples), grouped by
union-find, and a point strictly inside a linked segment is dropped: what is listed are the extreme points of each
continuum and the isolated equilibria, as on the vectorised reference path (:func:`._thorough.thorough`, which
samples segments at 7 points instead; on games with integer payoffs the two agree).

Pass 1 (:func:`count`) gives every generic game's count and flags and solves the suspect games into a flat buffer,
pass 2 (:func:`fill`) writes the padded outputs once the largest count ``K`` is known. One thread, like the 2x2
kernel (:mod:`._kernel_2x2`): an OpenMP pool breaks ``fork()``.

Examples
--------
>>> import numpy as np
>>> u = np.zeros((1, 3, 2, 2, 2))  # every profile is an equilibrium: the cube's 8 vertices, one component
>>> counts, flags, found = count(u, 1e-9)
>>> counts.tolist(), found[3].tolist(), found[1].tolist()
([8], [True], [0, 0, 0, 0, 0, 0, 0, 0])
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["count", "fill", "BAND", "DEDUP", "SUSPECT"]

#: boundary band: a generic mixed candidate this close to 0 or 1 sends its game to the thorough path
BAND = 1e-7
#: two verified candidates closer than this (max norm) are one equilibrium
DEDUP = 1e-7
#: flag bit of a suspect game (bits 0-15: the listed generic candidates, in candidate order)
SUSPECT = 1 << 16
#: coefficients within this (relative to ``max |u|``) of zero are ties (rounding of exact ties is ~1e-16)
SNAP = 1e-13
#: the most candidates of one game on the thorough path (8 pure, 96 edge, 36 face, 6 fully mixed)
C_MAX = 160
#: samples of a fully mixed curve
CURVE_T = np.linspace(0.0, 1.0, 129)
#: the opponents (o1, o2) of each player
OTHERS = np.array([[1, 2], [0, 2], [0, 1]])

_jit = numba.njit(cache=True, error_model="numpy")
_inline = numba.njit(cache=True, error_model="numpy", inline="always")


@_inline
def _coefficients(u: Any, g: int, C: Any, snap: float) -> float:
    """Fill ``C (3, 4)`` with game ``g``'s ``(a, b, c, e)`` per player; return ``max |u|``.

    Coefficients within ``snap * max |u|`` of zero are set to zero: they are ties that rounding turned into
    ``~1e-16`` (``e = d_{00} - d_{01} - d_{10} + d_{11}`` of payoffs such as ``k * 10**1.5``), and a tie must be
    decided the same way whatever the payoffs' unit.
    """
    scale = 0.0
    for i in range(3):
        for a in range(2):
            for b in range(2):
                for c in range(2):
                    scale = max(scale, abs(u[g, i, a, b, c]))
    for i in range(3):
        if i == 0:
            d00, d01 = u[g, 0, 0, 0, 0] - u[g, 0, 1, 0, 0], u[g, 0, 0, 0, 1] - u[g, 0, 1, 0, 1]
            d10, d11 = u[g, 0, 0, 1, 0] - u[g, 0, 1, 1, 0], u[g, 0, 0, 1, 1] - u[g, 0, 1, 1, 1]
        elif i == 1:
            d00, d01 = u[g, 1, 0, 0, 0] - u[g, 1, 0, 1, 0], u[g, 1, 0, 0, 1] - u[g, 1, 0, 1, 1]
            d10, d11 = u[g, 1, 1, 0, 0] - u[g, 1, 1, 1, 0], u[g, 1, 1, 0, 1] - u[g, 1, 1, 1, 1]
        else:
            d00, d01 = u[g, 2, 0, 0, 0] - u[g, 2, 0, 0, 1], u[g, 2, 0, 1, 0] - u[g, 2, 0, 1, 1]
            d10, d11 = u[g, 2, 1, 0, 0] - u[g, 2, 1, 0, 1], u[g, 2, 1, 1, 0] - u[g, 2, 1, 1, 1]
        C[i, 0] = d11
        C[i, 1] = d01 - d11
        C[i, 2] = d10 - d11
        C[i, 3] = d00 - d01 - d10 + d11
    scale = scale if scale > 0 else 1.0
    for i in range(3):
        for k in range(4):
            if abs(C[i, k]) <= snap * scale:
                C[i, k] = 0.0
    return scale


@_inline
def _gain(C: Any, i: int, p0: float, p1: float, p2: float) -> float:
    if i == 0:
        x, y = p1, p2
    elif i == 1:
        x, y = p0, p2
    else:
        x, y = p0, p1
    return C[i, 0] + C[i, 1] * x + y * (C[i, 2] + C[i, 3] * x)


@_inline
def _regret(C: Any, p0: float, p1: float, p2: float) -> float:
    r""":math:`\max_i (1-p_i) D_i^+ + p_i D_i^-` (branch-free; the profile is finite)."""
    D0 = C[0, 0] + C[0, 1] * p1 + p2 * (C[0, 2] + C[0, 3] * p1)
    D1 = C[1, 0] + C[1, 1] * p0 + p2 * (C[1, 2] + C[1, 3] * p0)
    D2 = C[2, 0] + C[2, 1] * p0 + p1 * (C[2, 2] + C[2, 3] * p0)
    r0 = (1.0 - p0) * max(D0, 0.0) - p0 * min(D0, 0.0)
    r1 = (1.0 - p1) * max(D1, 0.0) - p1 * min(D1, 0.0)
    r2 = (1.0 - p2) * max(D2, 0.0) - p2 * min(D2, 0.0)
    return max(r0, r1, r2)


@_inline
def _is_eq(C: Any, p0: float, p1: float, p2: float, slack: float) -> bool:
    """``regret <= slack``, player by player (stops at the first that gains more than ``slack``)."""
    for i in range(3):
        D = _gain(C, i, p0, p1, p2)
        p = p0 if i == 0 else (p1 if i == 1 else p2)
        if not ((1.0 - p) * D if D > 0 else -p * D) <= slack:
            return False
    return True


@_inline
def _d(C: Any, i: int, s: int, t: int) -> float:
    """Pure difference ``d_i(s, t)`` (strategy indices of ``o1``, ``o2``; 0 = first) from the coefficients."""
    x, y = 1.0 - s, 1.0 - t
    return C[i, 0] + C[i, 1] * x + y * (C[i, 2] + C[i, 3] * x)


@_inline
def _root(C: Any, y: int, x: int, s: int) -> float:
    """Root in ``p_x`` of ``D_y`` when ``y``'s third player plays strategy ``s``."""
    if x == OTHERS[y, 0]:
        hi, lo = _d(C, y, 1, s), _d(C, y, 0, s)
    else:
        hi, lo = _d(C, y, s, 1), _d(C, y, s, 0)
    return hi / (hi - lo)


@_inline
def _near_face(w: float) -> bool:
    return abs(w - 0.5) <= BAND


@_inline
def fully_mixed_roots(a0: float, b0: float, c0: float, e0: float, a1: float, b1: float, c1: float, e1: float,
                      a2: float, b2: float, c2: float, e2: float) -> tuple[float, float, float, bool]:
    r"""The fully mixed equilibria's :math:`t = p_2` of a generic 2x2x2 game, from the gains' coefficients.

    With :math:`D_0 = (a_0 + c_0 t) + (b_0 + e_0 t) p_1` and :math:`D_1 = (a_1 + c_1 t) + (b_1 + e_1 t) p_0`,
    eliminating :math:`p_0, p_1` from :math:`D_2 = a_2 + b_2 p_0 + c_2 p_1 + e_2 p_0 p_1 = 0` leaves
    :math:`q_2 t^2 + q_1 t + q_0 = 0`. Returns ``(h, q0, q2, double)``: the roots are ``h / q2`` and ``q0 / h``
    (the numerically stable pair; NaN when the discriminant is negative) and ``double`` says the two are within
    rounding of one double root (the game is then near a degeneracy). Shared by :func:`_fast` and the
    deterrence scan (:mod:`gametheory.deterrence._scan_kernel`), which includes a digest of this file's text in
    its generated module: numba's cache does not see changes in another module.
    """
    q0 = a2 * b0 * b1 - b2 * a1 * b0 - c2 * a0 * b1 + e2 * a0 * a1
    q1 = (a2 * (b0 * e1 + e0 * b1) - b2 * (a1 * e0 + c1 * b0) - c2 * (a0 * e1 + c0 * b1)
          + e2 * (a0 * c1 + c0 * a1))
    q2 = a2 * e0 * e1 - b2 * c1 * e0 - c2 * c0 * e1 + e2 * c0 * c1
    disc = q1 * q1 - 4.0 * q2 * q0
    size = q1 * q1 + 4.0 * abs(q2 * q0)
    if disc < 0 and disc >= -64 * 2.220446049250313e-16 * size:
        disc = 0.0
    sq = np.sqrt(disc) if disc >= 0 else np.nan
    return -0.5 * (q1 + (sq if q1 >= 0 else -sq)), q0, q2, abs(disc) <= 1e-9 * size


@_inline
def fully_mixed_point(a0: float, b0: float, c0: float, e0: float, a1: float, b1: float, c1: float, e1: float,
                      t: float) -> tuple[float, float, float]:
    """The profile ``(p0, p1, t)`` of a root ``t`` of :func:`fully_mixed_roots` (``D_1 = 0`` gives ``p0``,
    ``D_0 = 0`` gives ``p1``)."""
    return -(a1 + c1 * t) / (b1 + e1 * t), -(a0 + c0 * t) / (b0 + e0 * t), t


@_inline
def _fast(C: Any, slack: float, M: Any) -> int:
    """Flags of the generic candidates (bit ``k``: candidate ``k`` listed) or :data:`SUSPECT`; ``M (8, 3)`` gets
    the 8 mixed candidates (6 two-mixer, 2 fully mixed)."""
    suspect = False
    flags = 0
    for i in range(3):
        for s in range(2):
            for t in range(2):
                suspect |= abs(_d(C, i, s, t)) <= slack
        a, b, c, e = C[i, 0], C[i, 1], C[i, 2], C[i, 3]
        suspect |= abs(a * e - b * c) <= 1e-6 * (abs(a * e) + abs(b * c))
    for k in range(8):  # pure profiles: strategy indices (x, y, z)
        x, y, z = k >> 2, (k >> 1) & 1, k & 1
        d0, d1, d2 = _d(C, 0, y, z), _d(C, 1, x, z), _d(C, 2, x, y)
        ok = (d0 >= -slack if x == 0 else d0 <= slack) and (d1 >= -slack if y == 0 else d1 <= slack)
        if ok and (d2 >= -slack if z == 0 else d2 <= slack):
            flags |= 1 << k
    for f in range(3):  # two mixers i < j, f pure at strategy s
        i, j = OTHERS[f, 0], OTHERS[f, 1]
        for s in range(2):
            k = 2 * f + s
            pi, pj = _root(C, j, i, s), _root(C, i, j, s)
            wi, wj = abs(pi - 0.5), abs(pj - 0.5)
            suspect |= _near_face(wi) | _near_face(wj)
            M[k, f], M[k, i], M[k, j] = 1.0 - s, pi, pj
            g = _gain(C, f, M[k, 0], M[k, 1], M[k, 2])
            if s == 1:
                g = -g
            if (wi < 0.5 - BAND) & (wj < 0.5 - BAND) & (g >= -slack):
                flags |= 1 << (8 + k)
    # fully mixed, p3-elimination
    h, q0, q2, double = fully_mixed_roots(C[0, 0], C[0, 1], C[0, 2], C[0, 3], C[1, 0], C[1, 1], C[1, 2], C[1, 3],
                                          C[2, 0], C[2, 1], C[2, 2], C[2, 3])
    suspect |= double
    for r in range(2):
        p0, p1, t = fully_mixed_point(C[0, 0], C[0, 1], C[0, 2], C[0, 3], C[1, 0], C[1, 1], C[1, 2], C[1, 3],
                                      h / q2 if r == 0 else q0 / h)
        M[6 + r, 0], M[6 + r, 1], M[6 + r, 2] = p0, p1, t
        w0, w1, w2 = abs(p0 - 0.5), abs(p1 - 0.5), abs(t - 0.5)
        within = (w0 <= 0.5 + BAND) & (w1 <= 0.5 + BAND) & (w2 <= 0.5 + BAND)
        suspect |= within & (_near_face(w0) | _near_face(w1) | _near_face(w2))
        if (w0 < 0.5 - BAND) & (w1 < 0.5 - BAND) & (w2 < 0.5 - BAND):
            flags |= 1 << (14 + r)
    if suspect:
        return SUSPECT
    for k in range(8):  # certify the mixed candidates by regret
        if flags >> (8 + k) & 1 and not _regret(C, M[k, 0], M[k, 1], M[k, 2]) <= slack:
            flags &= ~(1 << (8 + k))
    return flags


@_inline
def _listed(f: int) -> int:
    """How many of the 16 generic candidates the flags ``f`` list."""
    n = 0
    for k in range(16):
        n += (f >> k) & 1
    return n


# ---------------------------------------------------------------------------------------------- thorough path
@_inline
def _lin(const: float, slope: float, thr: float) -> float:
    """The isolated root of ``const + slope x``, or NaN when the slope is a tie (within ``thr`` of zero)."""
    return -const / slope if abs(slope) > thr else np.nan


@_inline
def _restricted(C: Any, i: int, fixed: int, v: float) -> tuple[float, float]:
    """``D_i`` with opponent ``fixed`` at ``v``: ``(const, slope)`` in the other opponent."""
    if OTHERS[i, 0] == fixed:
        return C[i, 0] + C[i, 1] * v, C[i, 2] + C[i, 3] * v
    return C[i, 0] + C[i, 2] * v, C[i, 1] + C[i, 3] * v


@_inline
def _line(C: Any, i: int, main: int) -> tuple[float, float, float, float]:
    """``D_i = N(t) + P(t) q`` with ``t = p[main]``: ``(N0, N1, P0, P1)``."""
    if OTHERS[i, 0] == main:
        return C[i, 0], C[i, 1], C[i, 2], C[i, 3]
    return C[i, 0], C[i, 2], C[i, 1], C[i, 3]


@_inline
def _quadratic(C: Any, main: int) -> tuple[float, float, float]:
    u, w = OTHERS[main, 0], OTHERS[main, 1]
    nu0, nu1, pu0, pu1 = _line(C, u, main)
    nw0, nw1, pw0, pw1 = _line(C, w, main)
    am, bm, cm, em = C[main, 0], C[main, 1], C[main, 2], C[main, 3]
    q0 = am * pu0 * pw0 - bm * nw0 * pu0 - cm * nu0 * pw0 + em * nu0 * nw0
    q1 = (am * (pu0 * pw1 + pu1 * pw0) - bm * (nw0 * pu1 + nw1 * pu0) - cm * (nu0 * pw1 + nu1 * pw0)
          + em * (nu0 * nw1 + nu1 * nw0))
    q2 = am * pu1 * pw1 - bm * nw1 * pu1 - cm * nu1 * pw1 + em * nu1 * nw1
    return q0, q1, q2


@_inline
def _on_main(C: Any, main: int, t: float, thr: float, q: Any) -> None:
    """Fill ``q`` with the point of the fully mixed system at ``p[main] = t`` (NaN where a denominator ties)."""
    u, w = OTHERS[main, 0], OTHERS[main, 1]
    nu0, nu1, pu0, pu1 = _line(C, u, main)
    nw0, nw1, pw0, pw1 = _line(C, w, main)
    q[main] = t
    q[u] = _lin(nw0 + nw1 * t, pw0 + pw1 * t, thr)  # D_w = 0 gives p_u
    q[w] = _lin(nu0 + nu1 * t, pu0 + pu1 * t, thr)  # D_u = 0 gives p_w


@_inline
def _push(cand: Any, n: int, q0: float, q1: float, q2: float) -> int:
    """Store the candidate (clipped to the cube) when it lies in the cube (within ``1e-9``) and is not a pure
    profile again (those are the first 8); NaN (no isolated solution) is never stored."""
    inside = (q0 >= -1e-9) & (q0 <= 1 + 1e-9) & (q1 >= -1e-9) & (q1 <= 1 + 1e-9) & (q2 >= -1e-9) & (q2 <= 1 + 1e-9)
    corner = ((q0 == 0.0) | (q0 == 1.0)) & ((q1 == 0.0) | (q1 == 1.0)) & ((q2 == 0.0) | (q2 == 1.0))
    # branch-free: always written, kept by advancing n (whether a candidate is inside is unpredictable)
    cand[n, 0], cand[n, 1], cand[n, 2] = min(max(q0, 0.0), 1.0), min(max(q1, 0.0), 1.0), min(max(q2, 0.0), 1.0)
    keep = inside & (not (corner & (n >= 8)))
    return n + keep


@_inline
def _plane_values(C: Any, f: int, thr: float, vals: Any) -> int:
    """Fill ``vals`` with 1, 0 and the plane values in (0, 1) of coordinate ``f``; return how many."""
    vals[0], vals[1] = 1.0, 0.0
    n = 2
    for k in range(2):
        i = OTHERS[f, k]
        if OTHERS[i, 0] == f:
            a0, a1, b0, b1 = C[i, 0], C[i, 1], C[i, 2], C[i, 3]
        else:
            a0, a1, b0, b1 = C[i, 0], C[i, 2], C[i, 1], C[i, 3]
        # D_i = (a0 + a1 p_f) + (b0 + b1 p_f) p_other vanishes on p_f = r iff both brackets do
        r = np.nan
        if abs(a1) > thr:
            r = -a0 / a1
            if not abs(b0 + b1 * r) <= thr:
                r = np.nan
        elif abs(a0) <= thr and abs(b1) > thr:
            r = -b0 / b1
        if 0.0 < r < 1.0:
            vals[n] = r
            n += 1
    return n


@_inline
def _candidates(C: Any, thr: float, cand: Any, vals: Any, nv: Any, q: Any) -> int:
    """Every isolated solution of a candidate system into ``cand``; return how many."""
    n = 0
    for k in range(8):
        n = _push(cand, n, 1.0 - (k >> 2), 1.0 - ((k >> 1) & 1), 1.0 - (k & 1))
    for f in range(3):
        nv[f] = _plane_values(C, f, thr, vals[f])
    for f in range(3):  # edges: f free, j and k fixed; D_j = 0 or D_k = 0 (linear in p_f)
        j, k = OTHERS[f, 0], OTHERS[f, 1]
        for a in range(nv[j]):
            for b in range(nv[k]):
                vj, vk = vals[j, a], vals[k, b]
                # D_f is constant on the edge: f can mix on it only if it is indifferent there (a tie); else the
                # edge's equilibria are its end points, pure profiles or points of other systems
                if not abs(_restricted(C, f, j, vj)[0] + _restricted(C, f, j, vj)[1] * vk) <= thr:
                    continue
                for side in range(2):
                    eq, fixed, v = (j, k, vk) if side == 0 else (k, j, vj)
                    const, slope = _restricted(C, eq, fixed, v)
                    q[f], q[j], q[k] = _lin(const, slope, thr), vj, vk
                    n = _push(cand, n, q[0], q[1], q[2])
    for f in range(3):  # faces: f fixed at v; two of D_i, D_j, D_f vanish
        i, j = OTHERS[f, 0], OTHERS[f, 1]
        for a in range(nv[f]):
            vf = vals[f, a]
            ci, si = _restricted(C, i, f, vf)
            cj, sj = _restricted(C, j, f, vf)
            pj, pi = _lin(ci, si, thr), _lin(cj, sj, thr)
            q[i], q[j], q[f] = pi, pj, vf
            n = _push(cand, n, q[0], q[1], q[2])
            for side in range(2):
                known, kval, free = (j, pj, i) if side == 0 else (i, pi, j)
                if kval == kval:
                    cf, sf = _restricted(C, f, known, kval)
                    q[known], q[free], q[f] = kval, _lin(cf, sf, thr), vf
                    n = _push(cand, n, q[0], q[1], q[2])
    return n


@_inline
def _fully_mixed(C: Any, thr: float, cand: Any, n: int, curves: Any, q: Any) -> int:
    """The fully mixed candidates of the three elimination orders; ``curves[main]`` is set where the reduced
    quadratic vanishes identically (a curve of solutions, no isolated root)."""
    norm = 0.0
    for i in range(3):
        for k in range(4):
            norm += abs(C[i, k])
    norm = norm ** 3 + 1e-300
    for main in range(3):
        q0, q1, q2 = _quadratic(C, main)
        curves[main] = abs(q0) + abs(q1) + abs(q2) <= 1e-12 * norm
        if curves[main]:
            continue
        disc = q1 * q1 - 4.0 * q2 * q0
        size = q1 * q1 + 4.0 * abs(q2 * q0)
        if abs(disc) <= 1e-12 * size:  # a double root: rounding would split it into two points ~sqrt(eps) apart
            disc = 0.0
        if disc < 0:
            continue
        sq = np.sqrt(disc)
        h = -0.5 * (q1 + (sq if q1 >= 0 else -sq))
        for r in range(2):
            t = h / q2 if r == 0 else q0 / h
            if abs(t) < np.inf:
                _on_main(C, main, t, thr, q)
                n = _push(cand, n, q[0], q[1], q[2])
    return n


@_inline
def _find(parent: Any, e: int) -> int:
    while parent[e] != e:
        parent[e] = parent[parent[e]]
        e = parent[e]
    return e


@_inline
def _union(parent: Any, e: int, f: int) -> None:
    re, rf = _find(parent, e), _find(parent, f)
    if re != rf:
        parent[max(re, rf)] = min(re, rf)


@_inline
def _segment(C: Any, P: Any, e: int, f: int, slack: float) -> bool:
    """True when the segment between listed equilibria ``e`` and ``f`` consists of equilibria.

    Along it each gain is a quadratic in the position ``t``, known from its values at the ends and the midpoint:
    a player whose probability is 1 (0) on the whole segment needs its gain at least ``-slack`` (at most
    ``slack``) on ``[0, 1]``, any other player mixes inside it and needs its gain within ``slack`` of zero there.
    """
    m0, m1, m2 = 0.5 * (P[e, 0] + P[f, 0]), 0.5 * (P[e, 1] + P[f, 1]), 0.5 * (P[e, 2] + P[f, 2])
    if not _regret(C, m0, m1, m2) <= slack:  # rejects most pairs at once
        return False
    for i in range(3):
        D0 = _gain(C, i, P[e, 0], P[e, 1], P[e, 2])
        Dh = _gain(C, i, m0, m1, m2)
        D1 = _gain(C, i, P[f, 0], P[f, 1], P[f, 2])
        q2 = 2.0 * (D1 - 2.0 * Dh + D0)
        q1 = D1 - D0 - q2
        lo, hi = min(D0, D1, Dh), max(D0, D1, Dh)
        if q2 != 0.0:
            tv = -q1 / (2.0 * q2)
            if 0.0 < tv < 1.0:
                v = D0 + tv * (q1 + q2 * tv)
                lo, hi = min(lo, v), max(hi, v)
        a, b = P[e, i], P[f, i]
        if a >= 1.0 - 1e-9 and b >= 1.0 - 1e-9:
            ok = lo >= -slack
        elif a <= 1e-9 and b <= 1e-9:
            ok = hi <= slack
        else:
            ok = max(-lo, hi) <= slack
        if not ok:
            return False
    return True


@_jit
def _curve_links(C: Any, main: int, P: Any, K: int, slack: float, thr: float, parent: Any, q: Any,
                 eq: Any) -> bool:
    """Link the listed points joined by an arc of the fully mixed curve of ``main``; True if the curve holds an
    equilibrium (then the game is degenerate)."""
    has = False
    for s in range(CURVE_T.size):
        _on_main(C, main, CURVE_T[s], 0.0, q)
        inside = True
        for i in range(3):
            inside &= (q[i] >= -1e-9) & (q[i] <= 1 + 1e-9)  # False for NaN
        eq[s] = inside and _regret(C, min(max(q[0], 0.0), 1.0), min(max(q[1], 0.0), 1.0),
                                   min(max(q[2], 0.0), 1.0)) <= slack
        has |= eq[s]
    if not has:
        return False
    for e in range(K):
        if not _on_curve(C, main, P, e, q):
            continue
        for f in range(e + 1, K):
            if not _on_curve(C, main, P, f, q):
                continue
            lo, hi = min(P[e, main], P[f, main]), max(P[e, main], P[f, main])
            arc = True
            for s in range(CURVE_T.size):
                if lo < CURVE_T[s] < hi and not eq[s]:
                    arc = False
            if arc:
                _union(parent, e, f)
    return True


@_inline
def _on_curve(C: Any, main: int, P: Any, e: int, q: Any) -> bool:
    _on_main(C, main, P[e, main], 0.0, q)
    return abs(q[0] - P[e, 0]) <= 1e-6 and abs(q[1] - P[e, 1]) <= 1e-6 and abs(q[2] - P[e, 2]) <= 1e-6


@_inline
def _thorough(C: Any, slack: float, W: Any, P: Any, comp: Any) -> tuple[int, bool]:
    """Solve one suspect game into ``P (K, 3)`` and ``comp (K,)``; return ``(K, degenerate)``.

    ``W`` holds the work arrays ``(cand, vals, nv, q, curves, parent, pairs, drop, label, eq)``.
    """
    cand, vals, nv, q, curves, parent, pairs, drop, label, eq = W
    thr = slack
    n = _candidates(C, thr, cand, vals, nv, q)
    n = _fully_mixed(C, thr, cand, n, curves, q)
    K = 0
    for c in range(n):
        x, y, z = cand[c, 0], cand[c, 1], cand[c, 2]
        if not _regret(C, x, y, z) <= slack:
            continue
        dup = False
        for e in range(K):
            if max(abs(P[e, 0] - x), abs(P[e, 1] - y), abs(P[e, 2] - z)) <= DEDUP:
                dup = True
                break
        if not dup:
            P[K, 0], P[K, 1], P[K, 2] = x, y, z
            K += 1
    for e in range(K):
        parent[e] = e
    npairs = 0
    for e in range(K):
        for f in range(e + 1, K):
            if _segment(C, P, e, f, slack):
                _union(parent, e, f)
                pairs[npairs, 0], pairs[npairs, 1] = e, f
                npairs += 1
    degenerate = npairs > 0
    for main in range(3):
        if curves[main]:
            degenerate |= _curve_links(C, main, P, K, slack, thr, parent, q, eq)
    # drop points strictly inside a linked segment (not extreme points; which of them appear depends on rounding)
    for e in range(K):
        drop[e] = False
    for s in range(npairs):
        e, f = pairs[s, 0], pairs[s, 1]
        d0, d1, d2 = P[f, 0] - P[e, 0], P[f, 1] - P[e, 1], P[f, 2] - P[e, 2]
        dd = d0 * d0 + d1 * d1 + d2 * d2
        for k in range(K):
            if k in (e, f):
                continue
            r0, r1, r2 = P[k, 0] - P[e, 0], P[k, 1] - P[e, 1], P[k, 2] - P[e, 2]
            t = (r0 * d0 + r1 * d1 + r2 * d2) / dd
            if 0 < t < 1 and max(abs(r0 - t * d0), abs(r1 - t * d1), abs(r2 - t * d2)) <= DEDUP:
                drop[k] = True
    for e in range(K):
        label[e] = -1
    roots = 0
    out = 0
    for e in range(K):
        if drop[e]:
            continue
        r = _find(parent, e)
        if label[r] < 0:
            label[r] = roots
            roots += 1
        comp[out] = label[r] if degenerate else out
        P[out, 0], P[out, 1], P[out, 2] = P[e, 0], P[e, 1], P[e, 2]
        out += 1
    return out, degenerate


def _work() -> tuple[Any, ...]:
    return (np.empty((C_MAX, 3)), np.empty((3, 4)), np.empty(3, dtype=np.int64), np.empty(3),
            np.empty(3, dtype=np.bool_), np.empty(C_MAX, dtype=np.int64), np.empty((C_MAX * C_MAX // 2, 2), np.int64),
            np.empty(C_MAX, dtype=np.bool_), np.empty(C_MAX, dtype=np.int64), np.empty(CURVE_T.size, np.bool_))


# ---------------------------------------------------------------------------------------------- passes
@_jit
def _count_all(u, rel, counts, flags, W):  # type: ignore[no-untyped-def]
    C = np.empty((3, 4))
    M = np.empty((8, 3))
    N = u.shape[0]
    # suspect games are solved by the thorough path as they come, into a flat buffer (pages untouched until used)
    found = np.empty((4 * N + 16, 3))
    comps = np.empty(found.shape[0], dtype=np.int64)
    degenerate = np.zeros(N, dtype=np.bool_)
    where = np.empty(N + 1, dtype=np.int64)
    P = np.empty((C_MAX, 3))
    comp = np.empty(C_MAX, dtype=np.int64)
    s = 0
    pos = 0
    for g in range(N):
        scale = _coefficients(u, g, C, SNAP)
        f = _fast(C, rel * scale, M)
        flags[g] = f
        if f != SUSPECT:
            counts[g] = _listed(f)
            continue
        K, deg = _thorough(C, rel * scale, W, P, comp)
        if pos + K > found.shape[0]:
            grown = np.empty((2 * found.shape[0] + K, 3))
            grown[:pos] = found[:pos]
            found = grown
            gc = np.empty(grown.shape[0], dtype=np.int64)
            gc[:pos] = comps[:pos]
            comps = gc
        found[pos : pos + K] = P[:K]
        comps[pos : pos + K] = comp[:K]
        where[s] = pos
        counts[g] = K
        degenerate[s] = deg
        pos += K
        s += 1
    where[s] = pos
    return found[:pos], comps[:pos], where[: s + 1], degenerate[:s]


@_inline
def _write(u: Any, g: int, e: int, C: Any, p0: float, p1: float, p2: float, comp: int,
           profiles: Any, payoffs: Any, regrets: Any, component: Any) -> None:
    profiles[g, e, 0, 0], profiles[g, e, 0, 1] = p0, 1.0 - p0
    profiles[g, e, 1, 0], profiles[g, e, 1, 1] = p1, 1.0 - p1
    profiles[g, e, 2, 0], profiles[g, e, 2, 1] = p2, 1.0 - p2
    for i in range(3):
        acc = 0.0
        for a in range(2):
            wa = p0 if a == 0 else 1.0 - p0
            for b in range(2):
                wb = wa * (p1 if b == 0 else 1.0 - p1)
                acc += wb * (p2 * u[g, i, a, b, 0] + (1.0 - p2) * u[g, i, a, b, 1])
        payoffs[g, e, i] = acc
    regrets[g, e] = _regret(C, p0, p1, p2)
    component[g, e] = comp


@_jit
def _fill_all(u, flags, found, comps, where, profiles, payoffs, regrets, component):  # type: ignore[no-untyped-def]
    C = np.empty((3, 4))  # the game's own coefficients: payoffs and regrets are the true ones
    Cs = np.empty((3, 4))  # with ties snapped, as in pass 1
    M = np.empty((8, 3))
    K = profiles.shape[1]
    nan = np.nan
    s = 0
    for g in range(u.shape[0]):
        _coefficients(u, g, C, 0.0)
        f = flags[g]
        e = 0
        if f == SUSPECT:
            for k in range(where[s], where[s + 1]):
                _write(u, g, e, C, found[k, 0], found[k, 1], found[k, 2], comps[k], profiles, payoffs, regrets,
                       component)
                e += 1
            s += 1
        else:
            if f >> 8:
                _coefficients(u, g, Cs, SNAP)
                _fast(Cs, 0.0, M)  # the same mixed candidates as pass 1 (the flags are already known)
            for k in range(16):
                if f >> k & 1:
                    if k < 8:
                        p0, p1, p2 = 1.0 - (k >> 2), 1.0 - ((k >> 1) & 1), 1.0 - (k & 1)
                    else:
                        p0, p1, p2 = M[k - 8, 0], M[k - 8, 1], M[k - 8, 2]
                    _write(u, g, e, C, p0, p1, p2, e, profiles, payoffs, regrets, component)
                    e += 1
        for r in range(e, K):
            for i in range(3):
                profiles[g, r, i, 0] = profiles[g, r, i, 1] = payoffs[g, r, i] = nan
            regrets[g, r] = nan
            component[g, r] = -1


def count(u: npt.NDArray[np.float64], rel: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                           tuple[npt.NDArray[Any], ...]]:
    """Pass 1 on the games ``u (N, 3, 2, 2, 2)``: ``counts (N,)``, ``flags (N,)`` (the listed generic candidates,
    or :data:`SUSPECT`) and the suspect games' solutions ``(points (E, 3), components (E,), starts (S + 1,),
    degenerate (S,))``, in game order."""
    N = u.shape[0]
    counts = np.empty(N, dtype=np.int64)
    flags = np.empty(N, dtype=np.int64)
    found = _count_all(u, rel, counts, flags, _work())
    return counts, flags, found


def fill(u: npt.NDArray[np.float64], flags: npt.NDArray[np.int64], found: tuple[npt.NDArray[Any], ...],
         outputs: tuple[npt.NDArray[Any], ...]) -> None:
    """Pass 2: write every listed equilibrium into ``outputs = (profiles (N, K, 3, 2), payoffs (N, K, 3), regrets
    (N, K), component (N, K))``, padding the rest (NaN, -1)."""
    _fill_all(u, flags, found[0], found[1], found[2], *outputs)
