r"""Candidate equilibria of 2x2x2 games by formula, vectorised (games on the last axis).

Notation (see :mod:`gametheory.solvers.closed_form.solver` for the derivation): ``p[i]`` is the probability that player
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


#: coefficients within this (relative to ``max |u|``) of zero are ties: rounding leaves exact ties at ~1e-16
SNAP = 1e-13


def snapped(u: Array) -> Array:
    """:func:`coefficients` of the games ``u (3, 2, 2, 2, m)`` with those within ``SNAP * max |u|`` of zero set to
    zero, so that a tie is decided the same way whatever the payoffs' unit (``e = d00 - d01 - d10 + d11`` of
    payoffs ``k * 10**1.5`` is ~1e-16, not 0)."""
    coef = coefficients(differences(u))
    scale = np.abs(u).reshape(-1, u.shape[-1]).max(axis=0)
    scale[scale == 0] = 1.0
    coef[np.abs(coef) <= SNAP * scale] = 0.0
    return coef


def gain(coef: Array, i: int, p: list[Array]) -> Array:
    """``D_i`` at the probabilities ``p`` (a list of three broadcastable arrays)."""
    a, b, c, e = coef[i]
    o1, o2 = OTHERS[i]
    out: Array = a + b * p[o1] + p[o2] * (c + e * p[o1])
    return out


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


Line = tuple[tuple[Array, Array], tuple[Array, Array]]


def quadratic(coef: Array, main: int) -> tuple[tuple[Array, Array, Array], dict[int, Line]]:
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
    q0, q1, q2 = (am * t1[k] - bm * t2[k] - cm * t3[k] + em * t4[k] for k in range(3))
    return (q0, q1, q2), {u: (nw, pw), w: (nu, pu)}


def roots(q0: Array, q1: Array, q2: Array) -> tuple[Array, Array, Array]:
    """Both real roots of ``q2 t^2 + q1 t + q0`` (stable formula) and the discriminant.

    A discriminant within rounding of zero (relative ``1e-12``) counts as a double root; otherwise complex
    roots are NaN. When ``q2 = 0`` one root is ``-q0/q1`` and the other infinite.
    """
    disc = q1 * q1 - 4.0 * q2 * q0
    size = q1 * q1 + 4.0 * np.abs(q2 * q0)
    disc = np.where(np.abs(disc) <= 1e-12 * size, 0.0, disc)  # a double root within rounding stays one
    sq = np.sqrt(disc)  # NaN where negative
    h = -0.5 * (q1 + np.copysign(sq, q1))
    return h / q2, q0 / h, disc


def _lin_root(const: Array, slope: Array, thr: Array | float = 0.0) -> Array:
    """The root of ``const + slope x``; NaN where the slope is a tie (within ``thr`` of zero): no isolated root."""
    return np.where(np.abs(slope) > thr, -const / slope, np.nan)


#: pure profiles in candidate order (probabilities of the first strategies)
PURE = np.array([[1.0 - a, 1.0 - b, 1.0 - c] for a in (0, 1) for b in (0, 1) for c in (0, 1)])
# two-mixer candidates (player f pure at strategy s, k = 2 f + s): rows of the stacked line roots
# R = [R1; R2] (R1[i, t]: root of D_i in p_o1 when o2 plays t; R2[i, s]: root in p_o2 when o1 plays s)
_A = np.array([6 + 4, 6 + 5, 4, 5, 2, 3])  # p_o1 of the pure player's opponents
_B = np.array([6 + 2, 6 + 3, 6 + 0, 6 + 1, 0, 1])  # p_o2
_F = np.array([0, 0, 1, 1, 2, 2])


def fast_candidates(u: Array, slack: Array) -> tuple[Array, Array, Array]:
    """Generic-game candidates: 8 pure, 6 with two mixers, 2 fully mixed (``z``-elimination).

    ``u`` is ``(3, 2, 2, 2, m)``. Returns ``P`` ``(3, 8, m)`` (probabilities of the first strategies of the 8
    mixed candidates; the 8 pure ones are :data:`PURE`), ``ok`` ``(16, m)`` (inside the cube where it must be,
    and the sign conditions of pure players hold within ``slack``; regrets are checked afterwards) and
    ``suspect`` ``(m,)``: True for games near a degeneracy (a pure
    difference within ``slack``, a reducible gain (:math:`a e - b c \approx 0`), a near-double root, a mixed
    candidate within :data:`BAND` of a face); those are re-solved by :func:`full_candidates`.
    """
    m = u.shape[-1]
    d = differences(u)
    P = np.empty((3, 8, m))  # the 8 mixed candidates; pure ones are the constant table PURE
    ok = np.empty((16, m), dtype=bool)
    suspect = np.abs(d).reshape(12, m).min(axis=0) <= slack
    # pure profiles [a, b, c]: D_i >= -slack where i plays its first strategy, <= slack where its second
    pos, neg = d >= -slack, d <= slack
    c0 = np.stack([pos[0], neg[0]])  # [a, b, c]
    c1 = np.stack([pos[1], neg[1]]).transpose(1, 0, 2, 3)  # stacked [b, a, c]
    c2 = np.stack([pos[2], neg[2]]).transpose(1, 2, 0, 3)  # stacked [c, a, b]
    np.logical_and(c0, c1, out=c0)
    np.logical_and(c0, c2, out=ok[:8].reshape(2, 2, 2, m))
    # two mixers: the root of each line restriction of each D_i
    R = np.empty((12, m))
    R1, R2 = R[:6].reshape(3, 2, m), R[6:].reshape(3, 2, m)
    np.divide(d[:, 1, :], d[:, 1, :] - d[:, 0, :], out=R1)
    np.divide(d[:, :, 1], d[:, :, 1] - d[:, :, 0], out=R2)
    w = R - 0.5
    np.abs(w, out=w)
    inner = w < 0.5 - BAND
    suspect |= (np.abs(w - 0.5) <= BAND).any(axis=0)
    A, B = R[_A], R[_B]
    coef = snapped(u)
    for f in range(3):  # the pure player's gain at the two mixers' point, signed by its pure strategy
        a, b, c, e = coef[f]
        Af, Bf = A[2 * f : 2 * f + 2], B[2 * f : 2 * f + 2]
        g = e * Af
        g += c
        g *= Bf
        g += a
        g += b * Af
        g[1] *= -1.0
        ok[8 + 2 * f : 10 + 2 * f] = inner[_A[2 * f : 2 * f + 2]] & inner[_B[2 * f : 2 * f + 2]] & (g >= -slack)
    for k in range(6):
        f = _F[k]
        i, j = OTHERS[f]
        P[f, k] = 1.0 - (k % 2)
        P[i, k] = A[k]
        P[j, k] = B[k]
    # fully mixed: z-elimination
    (q0, q1, q2), _ = quadratic(coef, 2)
    r1, r2, disc = roots(q0, q1, q2)
    suspect |= np.abs(disc) <= 1e-9 * (q1 * q1 + 4.0 * np.abs(q2 * q0))
    a, b, c, e = coef[:, 0], coef[:, 1], coef[:, 2], coef[:, 3]
    det = a * e - b * c
    suspect |= (np.abs(det) <= 1e-6 * (np.abs(a * e) + np.abs(b * c))).any(axis=0)
    T = P[:, 6:8]
    T[2, 0], T[2, 1] = r1, r2
    t = T[2]
    np.divide(a[0] + c[0] * t, b[0] + e[0] * t, out=T[1])  # D_0 = 0 gives p_1
    np.divide(a[1] + c[1] * t, b[1] + e[1] * t, out=T[0])  # D_1 = 0 gives p_0
    np.negative(T[:2], out=T[:2])
    w = np.abs(T - 0.5)
    ok[14:16] = (w < 0.5 - BAND).all(axis=0)
    suspect |= ((np.abs(w - 0.5) <= BAND) & (w <= 0.5 + BAND).all(axis=0)).any(axis=(0, 1))
    ok &= ~suspect
    return P, ok, suspect


def regret(coef: Array, p: Array) -> Array:
    r"""Regret of the profiles ``p`` (shape ``(3, ...)``): :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-`."""
    out = None
    for i in range(3):
        g = gain(coef, i, p)  # type: ignore[arg-type]
        r = np.maximum(g, 0.0) * (1.0 - p[i]) - np.minimum(g, 0.0) * p[i]
        out = r if out is None else np.maximum(out, r)
    return out  # type: ignore[return-value]


def plane_values(coef: Array, f: int, slack: Array) -> list[Array]:
    """Values ``r`` in ``(0, 1)`` at which some other player's gain vanishes on the whole plane ``p_f = r``.

    Writing ``D_i = (a_0 + a_1 p_f) + (b_0 + b_1 p_f) q`` (``q`` the third player's probability), ``D_i`` vanishes
    on ``p_f = r`` iff ``a_0 + a_1 r = 0`` and ``b_0 + b_1 r = 0``, each within ``slack``: one value per other
    player at most (NaN where there is none, or where ``D_i`` vanishes everywhere and no value is special).
    """
    out = []
    for i in OTHERS[f]:
        a, b, c, e = coef[i]
        a0, a1, b0, b1 = (a, b, c, e) if OTHERS[i][0] == f else (a, c, b, e)
        first = np.abs(a1) > slack
        r = np.where(first, -a0 / a1, np.where((np.abs(a0) <= slack) & (np.abs(b1) > slack), -b0 / b1, np.nan))
        r = np.where(first & ~(np.abs(b0 + b1 * r) <= slack), np.nan, r)
        out.append(np.where((r > 0) & (r < 1), r, np.nan))
    return out


def full_candidates(u: Array, slack: Array) -> Array:
    """Every candidate of the thorough path, shape ``(C, 3, m)`` (unverified; may hold NaN or values off [0,1]).

    The values a coordinate is fixed at are 1, 0 and the *plane values* (:func:`plane_values`) where another
    player's gain vanishes identically. Candidates: the 8 pure profiles; edge points (two coordinates fixed, the
    third from the indifference of one of the fixed players); face points (one coordinate fixed, two of the three
    gains zero); and the fully mixed points of the three elimination orders.
    """
    m = u.shape[-1]
    coef = snapped(u)
    out: list[list[Array]] = []
    for a in (1.0, 0.0):
        for b in (1.0, 0.0):
            for c in (1.0, 0.0):
                out.append([np.full(m, a), np.full(m, b), np.full(m, c)])
    values = [[np.full(m, 1.0), np.full(m, 0.0), *plane_values(coef, f, slack)] for f in range(3)]
    # edges: f free, the others j, k fixed at (vj, vk); D_j = 0 or D_k = 0 (linear in p_f)
    for f in (0, 1, 2):
        j, k = OTHERS[f]
        for vj in values[j]:
            for vk in values[k]:
                for eq, fixed, v in ((j, k, vk), (k, j, vj)):
                    const, slope = restricted(coef, eq, fixed, v)
                    p: list[Array] = [None, None, None]  # type: ignore[list-item]
                    p[f], p[j], p[k] = _lin_root(const, slope, slack), vj, vk
                    out.append(p)
    # faces: f fixed at v; two of D_i, D_j, D_f vanish
    for f in (0, 1, 2):
        i, j = OTHERS[f]
        for vf in values[f]:
            ci, si = restricted(coef, i, f, vf)
            cj, sj = restricted(coef, j, f, vf)
            pj, pi = _lin_root(ci, si, slack), _lin_root(cj, sj, slack)
            p = [None, None, None]  # type: ignore[list-item]
            p[i], p[j], p[f] = pi, pj, vf
            out.append(p)
            # D_i = 0 fixes p_j; D_f = 0 (linear in p_i once p_j is known) fixes p_i; and symmetrically
            for known, kval, free in ((j, pj, i), (i, pi, j)):
                cf, sf = restricted(coef, f, known, kval)
                p = [None, None, None]  # type: ignore[list-item]
                p[known], p[free], p[f] = kval, _lin_root(cf, sf, slack), vf
                out.append(p)
    norm = np.abs(coef).sum(axis=(0, 1)) ** 3 + 1e-300
    for main in (0, 1, 2):
        (q0, q1, q2), sub = quadratic(coef, main)
        r1, r2, _ = roots(q0, q1, q2)
        curve = np.abs(q0) + np.abs(q1) + np.abs(q2) <= 1e-12 * norm  # Q vanishes: a curve, no isolated root
        for t in (np.where(curve, np.nan, r1), np.where(curve, np.nan, r2)):
            p = [None, None, None]  # type: ignore[list-item]
            p[main] = t
            for other, (num, den) in sub.items():
                p[other] = _lin_root(num[0] + num[1] * t, den[0] + den[1] * t, slack)
            out.append(p)
    return np.array(out)
