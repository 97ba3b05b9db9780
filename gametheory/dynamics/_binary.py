r"""Vectorised closed forms for games in which every player has two strategies (2x2 and 2x2x2).

With :math:`x_i` the share of population :math:`i` on its first strategy and
:math:`f_i(x_{-i}) = u_i(1\text{st}, x_{-i}) - u_i(2\text{nd}, x_{-i})` (multilinear), the dynamics read
:math:`\dot x_i = x_i(1-x_i) f_i`. Rest points, over a whole batch of games at once:

* corners (:math:`2^n`), eigenvalues :math:`\lambda_i = (1 - 2x_i) f_i` (the Jacobian is diagonal there);
* edges: one population mixes, which needs :math:`f_i \equiv 0` on the edge -- a continuum, flagged;
* faces of a 2x2x2 game (two populations mix): each :math:`f` is affine in the other mixing share, so the
  point is unique; eigenvalues :math:`\pm\sqrt{ab}` in the face and :math:`(1-2x_k)f_k` across it;
* the interior of a 2x2x2 game: eliminating :math:`x, y` leaves a quadratic in :math:`z` (at most two points);
  the Jacobian has a zero diagonal, so its characteristic polynomial is :math:`\lambda^3 + p\lambda + q`,
  solved by Cardano's formula.

Every kernel trusts its input: payoffs ``(N, n, 2, ..., 2)`` of float64 with ``n`` in {2, 3}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from ._state import FloatArray

ComplexArray = npt.NDArray[np.complex128]


@dataclass(frozen=True, eq=False)
class BinaryRestPoints(FrozenResult):
    """Rest points of a batch of binary games: ``points (N, K, n)`` shares, ``eigenvalues (N, K, n)``."""

    points: FloatArray
    eigenvalues: ComplexArray
    mixing: npt.NDArray[np.int64]  # (K,) number of mixing populations of each slot
    valid: npt.NDArray[np.bool_]  # (N, K)
    continuum: npt.NDArray[np.bool_]  # (N,): some rest points form a continuum (not listed)
    regrets: FloatArray  # (N, K) Nash regret of each point: the largest positive transversal eigenvalue


def _coefficients(payoffs: FloatArray) -> list[FloatArray]:
    """Coefficients ``(alpha, beta_u, beta_v, gamma)`` of each bilinear ``f_i(u, v)``, each ``(N, 4)``.

    ``u, v`` are the other players' shares in increasing player order; for two players ``f_i`` is affine:
    ``(alpha, beta)``.
    """
    n = payoffs.shape[1]
    out = []
    for i in range(n):
        d = np.take(payoffs[:, i], 0, axis=1 + i) - np.take(payoffs[:, i], 1, axis=1 + i)
        if n == 2:  # d[:, b]: f = d1 + (d0 - d1) u
            out.append(np.stack([d[:, 1], d[:, 0] - d[:, 1]], axis=1))
        else:  # d[:, b, c]
            out.append(
                np.stack(
                    [
                        d[:, 1, 1],
                        d[:, 0, 1] - d[:, 1, 1],
                        d[:, 1, 0] - d[:, 1, 1],
                        d[:, 0, 0] - d[:, 0, 1] - d[:, 1, 0] + d[:, 1, 1],
                    ],
                    axis=1,
                )
            )
    return out


def _f(coef: FloatArray, u: FloatArray, v: FloatArray | None = None) -> FloatArray:
    if v is None:
        return coef[:, 0, None] + coef[:, 1, None] * u
    return coef[:, 0, None] + coef[:, 1, None] * u + coef[:, 2, None] * v + coef[:, 3, None] * u * v


def binary_rest_points(payoffs: FloatArray, tol: float, scale: FloatArray | None = None) -> BinaryRestPoints:
    """Every isolated rest point of each game with its Jacobian eigenvalues (``tol`` relative to the scale).

    Slots: the ``2**n`` corners (strategy indices in C order, eigenvalues in player order), then the faces
    where two populations mix, then (2x2x2) two interior slots.
    """
    n_games, n = payoffs.shape[:2]
    if scale is None:
        scale = np.abs(payoffs).reshape(n_games, -1).max(axis=1, initial=0.0)
        scale[scale == 0] = 1.0  # relative to each game's max |u|, as NormalFormGame.scale
    thr = tol * scale
    coefs = _coefficients(payoffs)
    n_corners = 2**n
    faces: list[tuple[int, int, int | None, float | None]] = [(0, 1, None, None)]
    if n == 3:
        faces = [(*(p for p in range(3) if p != k), k, xk) for k in (2, 1, 0) for xk in (1.0, 0.0)]  # type: ignore[misc]
    n_slots = n_corners + len(faces) + (2 if n == 3 else 0)
    points = np.empty((n_games, n_slots, n))
    regrets = np.zeros((n_games, n_slots))
    eigs = np.empty((n_games, n_slots, n), dtype=complex)
    valid = np.ones((n_games, n_slots), dtype=bool)
    mixing = np.zeros(n_slots, dtype=np.int64)
    # corners: eigenvalue of player i = u_i(other strategy, a_-i) - u_i(a)
    corners = np.array(np.meshgrid(*[[1.0, 0.0]] * n, indexing="ij")).reshape(n, -1).T  # (C, n)
    points[:, :n_corners] = corners
    cont = np.zeros(n_games, dtype=bool)
    for i in range(n):
        own = payoffs[:, i]
        lam = (np.flip(own, axis=1 + i) - own).reshape(n_games, n_corners)
        eigs[:, :n_corners, i] = lam
        np.maximum(regrets[:, :n_corners], lam, out=regrets[:, :n_corners])
        for corner in range(n_corners):  # a zero eigenvalue: an edge of rest points through this corner
            cont |= np.abs(lam[:, corner]) <= thr
    slot = n_corners
    for i, j, k, xk in faces:
        p, e, ok, c = _face(coefs, n, i, j, k, xk, thr, tol)
        points[:, slot], eigs[:, slot], valid[:, slot] = p, e, ok
        if k is not None:  # the population off the face gains the transversal eigenvalue by switching
            regrets[:, slot] = np.maximum(e[:, 2].real, 0.0)
        mixing[slot] = 2
        cont |= c
        slot += 1
    if n == 3:
        p, e, ok, c = _interior(coefs, thr, scale, tol)
        points[:, slot:], eigs[:, slot:], valid[:, slot:] = p, e, ok
        mixing[slot:] = 3
        cont |= c
    invalid = ~valid
    points[invalid] = np.nan
    eigs[invalid] = np.nan
    regrets[invalid] = np.nan
    return BinaryRestPoints(points, eigs, mixing, valid, cont, regrets)


def _affine_in(coef: FloatArray, n: int, me: int, var: int, fixed: int | None, xk: float | None) -> FloatArray:
    """``f_me`` as ``A + B * x_var`` with the remaining player fixed at ``xk``: returns ``(N, 2)``."""
    if n == 2 or xk is None:
        return coef
    others = [p for p in range(3) if p != me]
    if others[0] == var:  # f = alpha + beta_u u + beta_v v + gamma u v, u = x_var, v = x_fixed
        return np.stack([coef[:, 0] + coef[:, 2] * xk, coef[:, 1] + coef[:, 3] * xk], axis=1)
    return np.stack([coef[:, 0] + coef[:, 1] * xk, coef[:, 2] + coef[:, 3] * xk], axis=1)


def _face(
    coefs: list[FloatArray], n: int, i: int, j: int, k: int | None, xk: float | None, thr: FloatArray, tol: float
) -> tuple[FloatArray, ComplexArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """The rest point where populations ``i < j`` mix (and ``k`` sits at ``xk``)."""
    ai = _affine_in(coefs[i], n, i, j, k, xk)  # f_i = A_i + B_i x_j
    aj = _affine_in(coefs[j], n, j, i, k, xk)  # f_j = A_j + B_j x_i
    zero_i, zero_j = np.abs(ai[:, 1]) <= thr, np.abs(aj[:, 1]) <= thr
    cont = (zero_i & (np.abs(ai[:, 0]) <= thr)) | (zero_j & (np.abs(aj[:, 0]) <= thr))
    with np.errstate(divide="ignore", invalid="ignore"):
        xj = np.where(zero_i, np.nan, -ai[:, 0] / np.where(zero_i, 1.0, ai[:, 1]))
        xi = np.where(zero_j, np.nan, -aj[:, 0] / np.where(zero_j, 1.0, aj[:, 1]))
    ok = (xi > tol) & (xi < 1 - tol) & (xj > tol) & (xj < 1 - tol)
    pts = np.empty((len(xi), n))
    pts[:, i], pts[:, j] = xi, xj
    a = xi * (1 - xi) * ai[:, 1]
    b = xj * (1 - xj) * aj[:, 1]
    root = np.sqrt((a * b).astype(complex))
    eigs = [root, -root]
    if k is not None:
        xk = float(xk if xk is not None else 0.0)
        pts[:, k] = xk
        u, v = (pts[:, i], pts[:, j])
        fk = coefs[k][:, 0] + coefs[k][:, 1] * u + coefs[k][:, 2] * v + coefs[k][:, 3] * u * v
        eigs.append((1 - 2 * xk) * fk + 0j)
    return pts, np.stack(eigs, axis=1), ok, cont


def _interior(
    coefs: list[FloatArray], thr: FloatArray, scale: FloatArray, tol: float
) -> tuple[FloatArray, ComplexArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Interior rest points of 2x2x2 games (at most two) and their eigenvalues."""
    (a0, b0, c0, e0), (a1, b1, c1, e1), (a2, b2, c2, e2) = (c.T for c in coefs)
    # y = Yn / Yd and x = Xn / Xd as affine functions (p0, p1) of z
    yn, yd = (-a0, -c0), (b0, e0)
    xn, xd = (-a1, -c1), (b1, e1)

    def mul(p: tuple[FloatArray, FloatArray], q: tuple[FloatArray, FloatArray]) -> list[FloatArray]:
        return [p[0] * q[0], p[0] * q[1] + p[1] * q[0], p[1] * q[1]]

    terms = [mul(xd, yd), mul(xn, yd), mul(yn, xd), mul(xn, yn)]
    cc, bb, aa = (a2 * terms[0][d] + b2 * terms[1][d] + c2 * terms[2][d] + e2 * terms[3][d] for d in range(3))
    size = np.abs(aa) + np.abs(bb) + np.abs(cc)
    flat_poly = size <= thr * scale**2  # every z solves: a curve of rest points, if it enters the cube
    quad = np.abs(aa) > 1e-12 * size
    disc = bb**2 - 4 * aa * cc
    with np.errstate(divide="ignore", invalid="ignore"):
        sq = np.sqrt(np.where(disc >= 0, disc, np.nan))
        qq = -0.5 * (bb + np.copysign(sq, bb))
        z1 = np.where(quad, qq / aa, np.where(np.abs(bb) > 0, -cc / bb, np.nan))
        z2 = np.where(quad & (disc > 0), cc / qq, np.nan)
    zs = np.stack([z1, z2], axis=1)  # (N, 2)
    x, y, cont = _shares_at(coefs, zs, thr)
    near = (np.minimum(np.minimum(x, y), zs) > -1e-6) & (np.maximum(np.maximum(x, y), zs) < 1 + 1e-6)
    g, k = np.nonzero(near)  # NaN compares False: only candidates in (or at) the cube are polished
    x[g, k], y[g, k], zs[g, k] = _polish([c[g] for c in coefs], x[g, k], y[g, k], zs[g, k])
    margin = tol
    inside = (x > margin) & (x < 1 - margin) & (y > margin) & (y < 1 - margin) & (zs > margin) & (zs < 1 - margin)
    if flat_poly.any():
        grid = np.broadcast_to(np.linspace(0.05, 0.95, 19), (len(zs), 19))
        gx, gy, _ = _shares_at(coefs, grid, thr)
        crosses = np.any((gx > 0) & (gx < 1) & (gy > 0) & (gy < 1), axis=1)
        cont |= flat_poly & crosses
        inside &= ~flat_poly[:, None]
    pts = np.stack([x, y, zs], axis=-1)
    with np.errstate(invalid="ignore", over="ignore"):
        # Jacobian entries (zero diagonal)
        j01 = x * (1 - x) * (b0[:, None] + e0[:, None] * zs)
        j02 = x * (1 - x) * (c0[:, None] + e0[:, None] * y)
        j10 = y * (1 - y) * (b1[:, None] + e1[:, None] * zs)
        j12 = y * (1 - y) * (c1[:, None] + e1[:, None] * x)
        j20 = zs * (1 - zs) * (b2[:, None] + e2[:, None] * y)
        j21 = zs * (1 - zs) * (c2[:, None] + e2[:, None] * x)
        p = -(j01 * j10 + j02 * j20 + j12 * j21)
        q = -(j01 * j12 * j20 + j02 * j21 * j10)
    return pts, _depressed_cubic_roots(p, q), inside, cont


def _polish(
    coefs: list[FloatArray], x: FloatArray, y: FloatArray, z: FloatArray, steps: int = 2
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Newton steps on :math:`F = (f_0(y, z), f_1(x, z), f_2(x, y)) = 0` from the closed-form interior points.

    The quadratic in :math:`z` and the ratios for :math:`x, y` lose digits to cancellation; a point whose exact
    value lies on a face (say :math:`y = 1`) can come out a few ulps inside the cube and pass for an interior
    rest point. Newton's method on the bilinear system (Jacobian rows :math:`(0, \partial_y f_0, \partial_z f_0)`,
    ...) restores full accuracy, so such a point lands back on its face and is dropped by the margin test.
    A candidate is replaced only where the steps reduced its residual (never by NaN). ``coefs`` holds each
    player's coefficients per candidate, ``(M, 4)``; ``x, y, z`` are ``(M,)``.
    """
    (a0, b0, c0, e0), (a1, b1, c1, e1), (a2, b2, c2, e2) = (c.T for c in coefs)

    def residual(x: FloatArray, y: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        return a0 + b0 * y + c0 * z + e0 * y * z, a1 + b1 * x + c1 * z + e1 * x * z, a2 + b2 * x + c2 * y + e2 * x * y

    with np.errstate(all="ignore"):
        start = np.maximum.reduce([np.abs(v) for v in residual(x, y, z)])
        px, py, pz = x, y, z
        for _ in range(steps):
            f0, f1, f2 = residual(px, py, pz)
            # J = [[0, a, b], [c, 0, d], [e, f, 0]]: det = ade + bcf; the step is adj(J) F / det
            a, b, c, d, e, f = b0 + e0 * pz, c0 + e0 * py, b1 + e1 * pz, c1 + e1 * px, b2 + e2 * py, c2 + e2 * px
            det = a * d * e + b * c * f
            px = px - (-d * f * f0 + b * f * f1 + a * d * f2) / det
            py = py - (d * e * f0 - b * e * f1 + b * c * f2) / det
            pz = pz - (c * f * f0 + a * e * f1 - a * c * f2) / det
        better = np.maximum.reduce([np.abs(v) for v in residual(px, py, pz)]) < start  # False where NaN
    return np.where(better, px, x), np.where(better, py, y), np.where(better, pz, z)


def _shares_at(
    coefs: list[FloatArray], zs: FloatArray, thr: FloatArray
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    r"""Interior candidates ``x, y`` at each ``z`` (``(N, K)``) and a flag for a degenerate interior.

    ``f_0(y, z) = 0`` gives :math:`y = Y_n/Y_d` and ``f_1(x, z) = 0`` gives :math:`x = X_n/X_d`; when both are 0 at
    ``z`` the share is left free by its own equation and comes from :math:`f_2(x, y) = 0` instead (affine in it);
    when both shares are free, or :math:`f_2` vanishes identically along the free share, the interior holds a
    continuum (flagged).
    """
    (a0, b0, c0, e0), (a1, b1, c1, e1), (a2, b2, c2, e2) = (c.T[:, :, None] for c in coefs)
    t = thr[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        xn, xd = -(a1 + c1 * zs), b1 + e1 * zs
        yn, yd = -(a0 + c0 * zs), b0 + e0 * zs
        free_x = (np.abs(xd) <= t) & (np.abs(xn) <= t)
        free_y = (np.abs(yd) <= t) & (np.abs(yn) <= t)
        x = np.where(np.abs(xd) > t, xn / xd, np.nan)
        y = np.where(np.abs(yd) > t, yn / yd, np.nan)
        # x from f_2 = (a2 + c2 y) + x (b2 + e2 y) when f_1 leaves it free
        kx, cx = b2 + e2 * y, a2 + c2 * y
        x = np.where(free_x & ~free_y, np.where(np.abs(kx) > t, -cx / kx, np.nan), x)
        ky, cy = c2 + e2 * x, a2 + b2 * x
        y = np.where(free_y & ~free_x, np.where(np.abs(ky) > t, -cy / ky, np.nan), y)
        in_z = (zs > 0) & (zs < 1)
        line_x = free_x & ~free_y & (np.abs(kx) <= t) & (np.abs(cx) <= t) & (y > 0) & (y < 1)
        line_y = free_y & ~free_x & (np.abs(ky) <= t) & (np.abs(cy) <= t) & (x > 0) & (x < 1)
    cont = np.any(in_z & ((free_x & free_y) | line_x | line_y), axis=1)
    return x, y, cont


def _depressed_cubic_roots(p: FloatArray, q: FloatArray) -> ComplexArray:
    r"""Roots of :math:`\lambda^3 + p\lambda + q` (Cardano, in complex arithmetic), shape ``(..., 3)``."""
    p = np.nan_to_num(p).astype(complex)
    q = np.nan_to_num(q).astype(complex)
    s = np.sqrt(q**2 / 4 + p**3 / 27)
    w1, w2 = -q / 2 + s, -q / 2 - s
    w = np.where(np.abs(w1) >= np.abs(w2), w1, w2)
    u = w ** (1 / 3)
    small = np.abs(u) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(small, 0, -p / np.where(small, 1, 3 * u))
    omega = np.exp(2j * np.pi / 3)
    roots = np.stack([u + v, omega * u + omega.conjugate() * v, omega.conjugate() * u + omega * v], axis=-1)
    # one Newton step on each root polishes Cardano's rounding
    f = roots**3 + p[..., None] * roots + q[..., None]
    df = 3 * roots**2 + p[..., None]
    safe = np.abs(df) > 1e-300
    roots = np.where(safe, roots - f / np.where(safe, df, 1), roots)
    return roots
