r"""Candidate equilibria of 2x2x2 games by formula, vectorised (games on the last axis).

Notation (see :mod:`gametheory.solvers.closed_form` for the derivation): ``p[i]`` is the probability that player
``i`` plays its first strategy; ``D_i = u_i(s_0, p_{-i}) - u_i(s_1, p_{-i})`` is bilinear in the probabilities
of the two opponents ``o1 < o2``,

.. math::  D_i = a_i + b_i p_{o1} + c_i p_{o2} + e_i p_{o1} p_{o2}.

``coef`` has shape ``(3, 4, m)`` holding ``(a_i, b_i, c_i, e_i)`` per player for ``m`` games.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

#: the opponents (o1, o2) of each player, in increasing order
OTHERS = ((1, 2), (0, 2), (0, 1))
#: boundary band: a mixed candidate this close to 0 or 1 sends its game to the thorough path
BAND = 1e-7


def differences(u: Array) -> Array:
    """``d[i, s, t]``: player ``i``'s gain of its first over its second strategy at opponents' pure ``(s, t)``.

    ``u`` has shape ``(3, 2, 2, 2, m)``; the result ``(3, 2, 2, m)`` (strategy index 0 = first strategy).
    """
    return np.stack([u[0, 0] - u[0, 1], u[1, :, 0] - u[1, :, 1], u[2, :, :, 0] - u[2, :, :, 1]])


def coefficients(d: Array) -> Array:
    """``(a, b, c, e)`` of every player from the pure differences ``d`` (shape ``(3, 4, m)``)."""
    d00, d01, d10, d11 = d[:, 0, 0], d[:, 0, 1], d[:, 1, 0], d[:, 1, 1]
    return np.stack([d11, d01 - d11, d10 - d11, d00 - d01 - d10 + d11], axis=1)


def gain(coef: Array, i: int, p: list[Array]) -> Array:
    """``D_i`` at the probabilities ``p`` (a list of three broadcastable arrays)."""
    a, b, c, e = coef[i]
    o1, o2 = OTHERS[i]
    return a + b * p[o1] + p[o2] * (c + e * p[o1])


def restricted(coef: Array, i: int, fixed: int, v: Array | float) -> tuple[Array, Array]:
    """``D_i`` with opponent ``fixed`` at probability ``v``: ``(const, slope)`` in the other opponent."""
    a, b, c, e = coef[i]
    if OTHERS[i][0] == fixed:
        return a + b * v, c + e * v
    return a + c * v, b + e * v


def line(coef: Array, i: int, main: int) -> tuple[tuple[Array, Array], tuple[Array, Array]]:
    """``D_i = N(t) + P(t) q`` with ``t = p[main]`` and ``q`` the third player's probability.

    Returns the coefficient pairs ``(N0, N1), (P0, P1)`` of the linear polynomials ``N`` and ``P`` in ``t``.
    """
    a, b, c, e = coef[i]
    if OTHERS[i][0] == main:
        return (a, b), (c, e)
    return (a, c), (b, e)


def _mul(p: tuple[Array, Array], q: tuple[Array, Array]) -> tuple[Array, Array, Array]:
    return p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1]


def quadratic(coef: Array, main: int) -> tuple[tuple[Array, Array, Array], dict[int, tuple]]:
    r"""The fully mixed system reduced to one quadratic in ``t = p[main]``.

    With ``u < w`` the other two players, ``D_u = 0`` gives :math:`p_w = -N_u(t)/P_u(t)` and ``D_w = 0`` gives
    :math:`p_u = -N_w(t)/P_w(t)`; substituting in :math:`D_m \cdot P_u P_w` gives
    :math:`Q(t) = a_m P_u P_w - b_m N_w P_u - c_m N_u P_w + e_m N_u N_w`.
    Returns ``(Q0, Q1, Q2)`` and ``{u: (N_w, P_w), w: (N_u, P_u)}`` (the numerator/denominator giving each).
    """
    u, w = OTHERS[main]
    nu, pu = line(coef, u, main)
    nw, pw = line(coef, w, main)
    am, bm, cm, em = coef[main]
    t1 = _mul(pu, pw)
    t2 = _mul(nw, pu)
    t3 = _mul(nu, pw)
    t4 = _mul(nu, nw)
    q = tuple(am * t1[k] - bm * t2[k] - cm * t3[k] + em * t4[k] for k in range(3))
    return q, {u: (nw, pw), w: (nu, pu)}  # type: ignore[return-value]


def roots(q0: Array, q1: Array, q2: Array) -> tuple[Array, Array, Array]:
    """Both real roots of ``q2 t^2 + q1 t + q0`` (stable formula) and the discriminant.

    A negative discriminant within rounding (relative ``64 eps``) counts as a double root; otherwise complex
    roots are NaN. When ``q2 = 0`` one root is ``-q0/q1`` and the other infinite.
    """
    disc = q1 * q1 - 4.0 * q2 * q0
    size = q1 * q1 + 4.0 * np.abs(q2 * q0)
    disc = np.where((disc < 0) & (disc >= -64 * np.finfo(float).eps * size), 0.0, disc)
    sq = np.sqrt(disc)  # NaN where negative
    h = -0.5 * (q1 + np.copysign(sq, q1))
    return h / q2, q0 / h, disc


def _lin_root(const: Array, slope: Array) -> Array:
    return -const / slope


def fast_candidates(
    u: Array, slack: Array
) -> tuple[Array, Array, Array]:
    """Generic-game candidates: 8 pure, 6 with two mixers, 2 fully mixed (``z``-elimination).

    Returns ``P`` of shape ``(16, 3, m)`` (probabilities of the first strategies), ``ok`` ``(16, m)`` (candidate
    inside the open cube where it must be, and verified within ``slack``), and ``suspect`` ``(m,)``: True for
    games whose data come near a degeneracy (a pure difference, a slope or a denominator within ``slack``,
    a near-zero leading coefficient or discriminant, a mixed candidate within :data:`BAND` of a face); those
    games are re-solved by :func:`full_candidates`.
    """
    m = u.shape[-1]
    d = differences(u)
    coef = coefficients(d)
    P = np.empty((16, 3, m))
    ok = np.empty((16, m), dtype=bool)
    suspect = (np.abs(d) <= slack).reshape(12, m).any(axis=0)
    # pure profiles: player i plays strategy s; D_i >= -slack for s = 0, <= slack for s = 1
    ge, le = d >= -slack, d <= slack
    k = 0
    for a in (0, 1):
        for b in (0, 1):
            for c in (0, 1):
                c0 = ge[0, b, c] if a == 0 else le[0, b, c]
                c1 = ge[1, a, c] if b == 0 else le[1, a, c]
                c2 = ge[2, a, b] if c == 0 else le[2, a, b]
                ok[k] = c0 & c1 & c2
                P[k, 0], P[k, 1], P[k, 2] = 1.0 - a, 1.0 - b, 1.0 - c
                k += 1
    lo, hi = BAND, 1.0 - BAND
    # two mixers i < j, player f pure at v
    for f in (0, 1, 2):
        i, j = OTHERS[f]
        for v in (1.0, 0.0):
            ci, si = restricted(coef, i, f, v)  # D_i in p_j
            cj, sj = restricted(coef, j, f, v)  # D_j in p_i
            suspect |= (np.abs(si) <= slack) | (np.abs(sj) <= slack)
            pj, pi = _lin_root(ci, si), _lin_root(cj, sj)
            p = [None, None, None]
            p[i], p[j], p[f] = pi, pj, np.full(m, v)
            P[k, 0], P[k, 1], P[k, 2] = p
            inside = (pi > lo) & (pi < hi) & (pj > lo) & (pj < hi)
            near = ((pi >= -BAND) & (pi <= lo)) | ((pi >= hi) & (pi <= 1 + BAND))
            near |= ((pj >= -BAND) & (pj <= lo)) | ((pj >= hi) & (pj <= 1 + BAND))
            suspect |= near
            ok[k] = inside & (regret(coef, P[k]) <= slack)
            k += 1
    # fully mixed: z-elimination
    main = 2
    (q0, q1, q2), sub = quadratic(coef, main)
    r1, r2, disc = roots(q0, q1, q2)
    scale3 = np.abs(q0) + np.abs(q1) + np.abs(q2)
    suspect |= np.abs(q2) <= 1e-9 * scale3
    suspect |= np.abs(disc) <= 1e-9 * (q1 * q1 + 4.0 * np.abs(q2 * q0))
    for t in (r1, r2):
        p = [None, None, None]
        p[main] = t
        for other, (num, den) in sub.items():
            nt = num[0] + num[1] * t
            dt = den[0] + den[1] * t
            suspect |= (np.abs(dt) <= slack) & (t >= -BAND) & (t <= 1 + BAND)
            p[other] = -nt / dt
        P[k, 0], P[k, 1], P[k, 2] = p
        pk = P[k]
        inside = ((pk > lo) & (pk < hi)).all(axis=0)
        near = (((pk >= -BAND) & (pk <= lo)) | ((pk >= hi) & (pk <= 1 + BAND))).any(axis=0)
        suspect |= near & ((pk >= -BAND) & (pk <= 1 + BAND)).all(axis=0)
        ok[k] = inside & (regret(coef, pk) <= slack)
        k += 1
    return P, ok, suspect


def regret(coef: Array, p: Array) -> Array:
    r"""Regret of the profiles ``p`` (shape ``(3, ...)``): :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-`."""
    out = None
    for i in range(3):
        g = gain(coef, i, p)  # type: ignore[arg-type]
        r = np.maximum(g, 0.0) * (1.0 - p[i]) - np.minimum(g, 0.0) * p[i]
        out = r if out is None else np.maximum(out, r)
    return out  # type: ignore[return-value]


def full_candidates(u: Array) -> Array:
    """Every candidate of the thorough path, shape ``(56, 3, m)`` (unverified; may hold NaN or values off [0,1]).

    8 pure profiles; 24 edge points (player ``f`` free, the others pure, one of the others indifferent: the end
    points of edge segments); 18 face points (one player pure, two of the three gains zero); 6 fully mixed
    points from the three elimination orders.
    """
    m = u.shape[-1]
    coef = coefficients(differences(u))
    out: list[list[Array]] = []
    for a in (1.0, 0.0):
        for b in (1.0, 0.0):
            for c in (1.0, 0.0):
                out.append([np.full(m, a), np.full(m, b), np.full(m, c)])
    # edges: f free, the others j, k pure at (vj, vk); D_j = 0 (a linear equation in p_f)
    for f in (0, 1, 2):
        j, k = OTHERS[f]
        for vj in (1.0, 0.0):
            for vk in (1.0, 0.0):
                for eq, fixed, v in ((j, k, vk), (k, j, vj)):
                    const, slope = restricted(coef, eq, fixed, v)
                    p: list[Array] = [None, None, None]  # type: ignore[list-item]
                    p[f], p[j], p[k] = _lin_root(const, slope), np.full(m, vj), np.full(m, vk)
                    out.append(p)
    # faces: f pure at v; two of D_i, D_j, D_f vanish
    for f in (0, 1, 2):
        i, j = OTHERS[f]
        for v in (1.0, 0.0):
            ci, si = restricted(coef, i, f, v)
            cj, sj = restricted(coef, j, f, v)
            pj, pi = _lin_root(ci, si), _lin_root(cj, sj)
            vf = np.full(m, v)
            p = [None, None, None]  # type: ignore[list-item]
            p[i], p[j], p[f] = pi, pj, vf
            out.append(p)
            # D_i = 0 fixes p_j; D_f = 0 (linear in p_i once p_j is known) fixes p_i; and symmetrically
            for known, kval, free in ((j, pj, i), (i, pi, j)):
                cf, sf = restricted(coef, f, known, kval)
                p = [None, None, None]  # type: ignore[list-item]
                p[known], p[free], p[f] = kval, _lin_root(cf, sf), vf
                out.append(p)
    for main in (0, 1, 2):
        (q0, q1, q2), sub = quadratic(coef, main)
        r1, r2, _ = roots(q0, q1, q2)
        for t in (r1, r2):
            p = [None, None, None]  # type: ignore[list-item]
            p[main] = t
            for other, (num, den) in sub.items():
                p[other] = -(num[0] + num[1] * t) / (den[0] + den[1] * t)
            out.append(p)
    return np.array(out)


def curve_samples(u: Array, *, n_samples: int = 129) -> tuple[Array, Array]:
    """Points of fully mixed equilibrium curves, for games whose reduced quadratic vanishes identically.

    When ``Q`` of an elimination order is zero for every ``t``, each ``t`` with non-zero denominators gives a
    solution of ``D_1 = D_2 = D_3 = 0``: a curve. Returns ``pts (3 orders, n_samples, 3, m)`` (NaN where the
    order's ``Q`` is not identically zero or a denominator vanishes) and ``t`` samples.
    """
    m = u.shape[-1]
    coef = coefficients(differences(u))
    t = np.linspace(0.0, 1.0, n_samples)[:, None]
    pts = np.full((3, n_samples, 3, m), np.nan)
    for main in (0, 1, 2):
        (q0, q1, q2), sub = quadratic(coef, main)
        size = np.abs(coef).sum(axis=(0, 1)) ** 3 + 1e-300
        zero = (np.abs(q0) + np.abs(q1) + np.abs(q2)) <= 1e-12 * size
        pts[main, :, main] = np.where(zero, t, np.nan)
        for other, (num, den) in sub.items():
            pts[main, :, other] = -(num[0] + num[1] * t) / (den[0] + den[1] * t)
    return pts, t[:, 0]
