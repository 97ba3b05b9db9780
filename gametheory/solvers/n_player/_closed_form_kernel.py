r"""Compiled (numba) closed forms for small support systems of the n-player kernel (:mod:`._support_kernel`),
tried before its homotopy.

Each support system is written as in :mod:`._support_kernel`: equation ``e`` of player :math:`i` is
:math:`\sum_\tau c_{e\tau} \prod_{j \ne i} \sigma_j(b_{\tau j}) = 0` in the opponents' support probabilities
:math:`\sigma_j`. Four patterns of mixing players (players with one support strategy only enter as constants)
reduce to one univariate polynomial :math:`f(t)` in the first probability :math:`t` of one player:

* **one binary and two ternary players** (sizes 2, 3, 3; :math:`B = 4`): for fixed :math:`t`, the ternary
  players' equations are linear in each other's probabilities, so :math:`\sigma_b \propto r_1(t) \times r_2(t)`
  (the cross product of player c's two coefficient rows, affine in :math:`t`) and likewise :math:`\sigma_c`; the
  binary player's equation :math:`\sigma_b^\top D \sigma_c = 0` is :math:`f`, of degree 4;
* **two binary and one ternary player** (2, 2, 3; :math:`B = 2`): the ternary player's two equations are bilinear
  in the binary players' probabilities: eliminating the second gives a quadratic :math:`f`; :math:`\sigma_c` is
  the cross product of the binary players' rows;
* **four binary players** (2, 2, 2, 2; :math:`B = 9`): player 4's equation fixes :math:`\sigma_3 \propto
  J W_4(\sigma_1, \sigma_2)` and player 3's :math:`\sigma_4` (:math:`J` the quarter turn), leaving two
  equations :math:`G_1, G_2` in :math:`(t, s) = (x_1, x_2)` of degrees 3 and 2 in :math:`s`. Their Sylvester
  resultant in :math:`s` has degree 13: 9 roots are the solutions, 4 are spurious (where :math:`W_4` or
  :math:`W_3` vanishes, the roots of :math:`S = \operatorname{Res}_s W_{4,1}, W_{4,2}` times the same of
  :math:`W_3`). :math:`f = \operatorname{Res}/S` is sampled on 16 points of a circle and interpolated; that its
  coefficients past degree 9 vanish is checked;
* **three ternary players** (3, 3, 3; :math:`B = 10`): player a's two equations fix :math:`\sigma_b \propto
  (A_0 \sigma_c) \times (A_1 \sigma_c)` and player b's :math:`\sigma_a`, both quadratic in :math:`\sigma_c
  = (t, s, 1 - t - s)`; player c's two equations become quartics :math:`g_0, g_1` in :math:`s`. Their
  resultant has degree 16: 6 roots are spurious, the three points where :math:`A_0 \sigma` and :math:`A_1
  \sigma` are parallel (the roots of :math:`\det(A_0 + \lambda A_1)`) and the same three of player b's.
  :math:`f = \operatorname{Res}/S` (the resultant a 4 x 4 Bezout determinant) is sampled at 16 Chebyshev
  nodes of :math:`[-\mathrm{NEAR}, 1 + \mathrm{NEAR}]` and must have degree 10. Only its real roots there can
  be equilibria: Descartes' rule of signs on its Bernstein coefficients isolates them, each coefficient's sign
  left open within the interpolation's noise, and each root's :math:`s` is the Bezout matrix's null vector.

Every solution's :math:`t` is a root of :math:`f`, so keeping each root near :math:`[0, 1]` and completing it by
back-substitution keeps every solution in the product of simplices. The closed form *declines* (the caller then
tracks the homotopy) when it cannot vouch for that: :math:`f` (numerically) identically zero, two roots near each
other, a vanishing denominator in the back-substitution, or the interpolation check failing. The caller polishes
the ends by Newton's method and declines too when that does not converge or two ends coincide.

Importing this module imports numba: callers import it lazily.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numba
import numpy as np
import numpy.typing as npt

from .._elimination_kernel import eliminate
from .._kernel_cache import depends_on

__all__ = ["closed_form_ends"]

NEAR = 1e-3  # roots this close to the real segment [0, 1] are completed (the others are no equilibria)
APART = 1e-6  # closer roots: a near-double root, left to the homotopy
ZERO = 1e-11  # relative size of an identically vanishing polynomial
DEPTH = 4  # halvings of [0, 1] in the proof that no root is near (_root_free)
SAMPLES = 16
_CIRCLE = np.exp(2j * np.pi * np.arange(SAMPLES) / SAMPLES)  # the SAMPLES-th roots of unity
RANK = 1e-6  # a Bezout matrix's next-to-last pivot below this of its first: a second common root
KERNEL = 1e-6  # its last pivot above this of the first: no common root (the resultant's root is off)
NOISE = 4.0  # the noise of a Chebyshev interpolant's coefficients: this times the largest past its degree
STACK, MAX_SPLITS = 64, 1000  # Descartes subdivision: the intervals pending at once and split in all
_SPLITS = np.array([0.4791, 0.5417, 0.4383])  # fractions where an interval is split (no small-denominator ones)
#: the sup over the intervals J of [0, 1] of width at most 2^-k (k = 0, 1, ...; the last for all smaller ones) of
#: sum_j max_i |Bernstein coefficient i on J of T_j(2 y - 1)|, j <= 10 (degree 10): the Bernstein coefficients on
#: J of a noise of at most 1 in each Chebyshev coefficient are at most this (computed, and checked by a test)
_GROWTH = np.array([935.1, 45.8, 18.8, 13.0, 11.5, 11.05, 11.0])


def _chebyshev_tables(samples: int, degree: int) -> tuple[npt.NDArray[np.float64], ...]:
    """The Chebyshev nodes :math:`x_k = \\cos(\\pi (k + 1/2) / N)` (``samples`` of them), the matrix taking values
    there to the interpolant's Chebyshev coefficients (the discrete cosine transform), and the matrix taking the
    first ``degree + 1`` of those to the Bernstein coefficients of degree ``degree`` on :math:`[-1, 1]` (from
    :math:`T_j(2 y - 1)` in powers of :math:`y`, exactly)."""
    k = np.arange(samples)
    nodes = np.cos(np.pi * (k + 0.5) / samples)
    dct = 2.0 / samples * np.cos(np.pi * np.outer(np.arange(samples), k + 0.5) / samples)
    dct[0] /= 2.0
    powers = [[Fraction(1)], [Fraction(-1), Fraction(2)]]
    for j in range(2, degree + 1):
        new = [Fraction(0)] * (j + 1)
        for m, c in enumerate(powers[j - 1]):
            new[m] -= 2 * c
            new[m + 1] += 4 * c
        for m, c in enumerate(powers[j - 2]):
            new[m] -= c
        powers.append(new)
    bernstein = np.array([[float(sum(Fraction(math.comb(i, m), math.comb(degree, m)) * powers[j][m]
                                     for m in range(min(i, j) + 1))) for j in range(degree + 1)]
                          for i in range(degree + 1)])
    return nodes, dct, bernstein


_NODES, _DCT, _TO_BERNSTEIN = _chebyshev_tables(SAMPLES, 10)
HALF = 0.5 + NEAR  # the three-ternary quotient is sampled on [-NEAR, 1 + NEAR]: t = 1/2 + HALF x


@numba.njit(cache=True)
def _coefficients(e: int, players: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                  c1: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Equation ``e``'s coefficients ``(3, 3, 3)`` over the local strategies of up to three opponents ``players``
    (unused axes stay at index 0)."""
    out = np.zeros((3, 3, 3))
    k = players.size
    for tau in range(n_terms[e]):
        b0 = locs[e, tau, players[0]]
        b1 = locs[e, tau, players[1]] if k > 1 else 0
        b2 = locs[e, tau, players[2]] if k > 2 else 0
        out[b0, b1, b2] += c1[e, tau]
    return out


@numba.njit(cache=True)
def _affine_rows(e: int, a: int, other: int, n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                 c1: npt.NDArray[np.float64], r: npt.NDArray[np.float64]) -> None:
    r"""Add equation ``e``'s coefficients over binary player ``a``'s :math:`(t, 1 - t)` and player ``other``'s
    local strategies to ``r (k, 2)``: row ``q`` is the affine polynomial (low degree first) multiplying
    :math:`\sigma_{other}(q)`. Read straight from the terms (every other opponent plays one strategy)."""
    for tau in range(n_terms[e]):
        c = c1[e, tau]
        q = locs[e, tau, other]
        if locs[e, tau, a] == 0:  # sigma_a(0) = t
            r[q, 1] += c
        else:  # sigma_a(1) = 1 - t
            r[q, 0] += c
            r[q, 1] -= c


@numba.njit(cache=True)
def _cross(r1: npt.NDArray[np.float64], r2: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> None:
    """The cross product ``u (3, 3)`` of two vectors ``(3, 2)`` of affine polynomials (low degree first): a null
    vector of the two rows, quadratic in ``t``."""
    for q in range(3):
        i, j = (q + 1) % 3, (q + 2) % 3
        u[q, 0] = r1[i, 0] * r2[j, 0] - r1[j, 0] * r2[i, 0]
        u[q, 1] = r1[i, 0] * r2[j, 1] + r1[i, 1] * r2[j, 0] - r1[j, 0] * r2[i, 1] - r1[j, 1] * r2[i, 0]
        u[q, 2] = r1[i, 1] * r2[j, 1] - r1[j, 1] * r2[i, 1]


@numba.njit(cache=True)
def _peval(a: npt.NDArray[np.float64], t: complex) -> complex:
    out = 0.0 + 0.0j
    for k in range(a.size - 1, -1, -1):
        out = out * t + a[k]
    return out


@numba.njit(cache=True)
def _in_simplex(x: npt.NDArray[np.complex128], start: int, width: int) -> bool:
    """Whether the ``width - 1`` probabilities ``x[start:]`` and the last one (the rest) are within ``NEAR`` of
    the simplex (real parts in ``[-NEAR, 1 + NEAR]``, imaginary parts at most ``NEAR``). An end outside is no
    equilibrium: the Newton polish of the caller moves a simple root by rounding noise only."""
    rest = 1.0 + 0.0j
    for q in range(width):
        z = x[start + q] if q < width - 1 else rest
        if q < width - 1:
            rest -= z
        if abs(z.imag) > NEAR or not -NEAR <= z.real <= 1.0 + NEAR:
            return False
    return True


@numba.njit(cache=True)
def _low_roots(a: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
    """The roots of the monic polynomial ``a`` (highest degree first) of degree 1 or 2 (:func:`_monic_quadratic`)."""
    out = np.empty(a.size - 1, dtype=np.complex128)
    if a.size == 2:
        out[0] = -a[1]
        return out
    _monic_quadratic(a[1], a[2], out, 0)
    return out


@numba.njit(cache=True)
def _roots(c: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
    r"""Every root of the polynomial ``c`` (highest degree first, ``c[0] != 0``), as ``np.roots``: by the
    Aberth-Ehrlich iteration (all roots at once, cubically convergent at simple roots; Bini 1996) from a circle
    of the roots' Fujiwara-type radius :math:`\max_k |c_k / c_0|^{1/k}`, each root until its step is at most
    1e-12 of :math:`1 + |z|` (smaller steps stall at the rounding noise), else (not converged in 60 sweeps, near
    multiple roots) ``np.roots``; degrees 1 and 2 by formula (:func:`_low_roots`), degree 4 first by Ferrari's
    (:func:`_quartic`). Converged approximations are also accepted only if their monic product reproduces
    ``c / c[0]`` (:func:`_accounted`): every root is then accounted for."""
    n = c.size - 1
    a = c / c[0]
    if n <= 2:
        return _low_roots(a)
    if n == 4:
        z, ok = _quartic(a)
        if ok:
            return z
    radius = 0.0
    for k in range(1, n + 1):
        radius = max(radius, abs(a[k]) ** (1.0 / k))
    z = np.empty(n, dtype=np.complex128)
    for k in range(n):
        z[k] = radius * np.exp(1j * (2.0 * np.pi * k / n + 0.4))
    converged = False
    done = np.zeros(n, dtype=np.bool_)  # a root whose last step was below 1e-12 stays (it still repels the others)
    for _ in range(60):
        largest = 0.0
        for k in range(n):
            if done[k]:
                continue
            p, dp = a[0], 0.0 + 0.0j
            for m in range(1, n + 1):
                dp = dp * z[k] + p
                p = p * z[k] + a[m]
            if p == 0.0:
                done[k] = True
                continue
            if dp == 0.0:
                largest = np.inf
                continue
            ratio = p / dp
            repel = 0.0 + 0.0j
            for m in range(n):
                if m != k:
                    repel += 1.0 / (z[k] - z[m])
            step = ratio / (1.0 - ratio * repel)
            z[k] -= step
            moved = abs(step) / (1.0 + abs(z[k]))
            done[k] = moved <= 1e-12
            largest = max(largest, moved)
        if not np.isfinite(largest):
            break
        if done.all():
            converged = True
            break
    if converged and _accounted(z, a):
        return z
    return np.roots(c)


@numba.njit(cache=True)
def _accounted(z: npt.NDArray[np.complex128], a: npt.NDArray[np.complex128]) -> bool:
    r"""Whether the monic product :math:`\prod_k (x - z_k)` reproduces the monic ``a`` (highest degree first) to
    1e-9 of its largest coefficient: then ``z`` are all of ``a``'s roots."""
    n = z.size
    prod = np.zeros(n + 1, dtype=np.complex128)
    prod[0] = 1.0
    for k in range(n):
        for m in range(k + 1, 0, -1):
            prod[m] -= z[k] * prod[m - 1]
    size, gap = 0.0, 0.0
    for m in range(n + 1):
        size = max(size, abs(a[m]))
        gap = max(gap, abs(prod[m] - a[m]))
    return gap <= 1e-9 * size


@numba.njit(cache=True)
def _monic_quadratic(beta: complex, gamma: complex, out: npt.NDArray[np.complex128], start: int) -> None:
    r"""The two roots of :math:`y^2 + \beta y + \gamma` into ``out[start:start + 2]``: :math:`q = -(\beta + w) /
    2` with the square root :math:`w` of the discriminant on the side of :math:`\beta` (no cancellation), and
    :math:`q` and :math:`\gamma / q`."""
    w = np.sqrt(beta * beta - 4.0 * gamma)
    if (beta.real * w.real + beta.imag * w.imag) < 0.0:
        w = -w
    q = -(beta + w) / 2.0
    out[start] = q
    out[start + 1] = gamma / q if q != 0.0 else 0.0


@numba.njit(cache=True)
def _quartic(a: npt.NDArray[np.complex128]) -> tuple[npt.NDArray[np.complex128], bool]:
    r"""The roots of the monic quartic ``a`` (highest degree first) by Ferrari's method, each then polished by two
    Newton steps, and whether :func:`_accounted` accepts them (else the caller iterates).

    With :math:`z = y - a_1 / 4` the quartic is :math:`y^4 + p y^2 + q y + r`; a root :math:`m` of the resolvent
    :math:`8 m^3 + 8 p m^2 + (2 p^2 - 8 r) m - q^2` (Cardano; the largest in modulus) makes it
    :math:`(y^2 + p / 2 + m)^2 - (\sqrt{2 m}\, y - q / (2 \sqrt{2 m}))^2`, two quadratics."""
    z = np.zeros(4, dtype=np.complex128)
    s = a[1] / 4.0
    p = a[2] - 6.0 * s * s
    q = a[3] - 2.0 * a[2] * s + 8.0 * s * s * s
    r = a[4] - a[3] * s + a[2] * s * s - 3.0 * s * s * s * s
    e2, e1, e0 = p, p * p / 4.0 - r, -q * q / 8.0  # the monic resolvent m^3 + e2 m^2 + e1 m + e0
    P = e1 - e2 * e2 / 3.0
    Q = 2.0 * e2 * e2 * e2 / 27.0 - e2 * e1 / 3.0 + e0
    root = np.sqrt(Q * Q / 4.0 + P * P * P / 27.0)
    cube = -Q / 2.0 + root
    other = -Q / 2.0 - root
    if abs(other) > abs(cube):
        cube = other
    m = -e2 / 3.0 + 0.0j
    if cube != 0.0:
        u = np.exp(np.log(cube) / 3.0)
        best = -1.0
        for k in range(3):
            uk = u * np.exp(2j * np.pi * k / 3.0)
            mk = uk - P / (3.0 * uk) - e2 / 3.0
            if abs(mk) > best:
                best, m = abs(mk), mk
    w = np.sqrt(2.0 * m)
    if w == 0.0:
        return z, False
    _monic_quadratic(-w, p / 2.0 + m + q / (2.0 * w), z, 0)
    _monic_quadratic(w, p / 2.0 + m - q / (2.0 * w), z, 2)
    for k in range(4):
        x = z[k] - s
        for _ in range(2):
            v, dv = a[0], 0.0 + 0.0j
            for j in range(1, 5):
                dv = dv * x + v
                v = v * x + a[j]
            if dv == 0.0:
                break
            x -= v / dv
        z[k] = x
    return z, _accounted(z, a)


@numba.njit(cache=True)
def _root_free(f: npt.NDArray[np.complex128], lo: float, hi: float) -> bool:
    r"""True when ``f`` (low degree first) provably has no root within ``NEAR`` of ``[lo, hi]``.

    The rectangle :math:`[lo - NEAR, hi + NEAR] \times [-NEAR, NEAR]` is cut into pieces (halved depth first,
    up to ``DEPTH`` times); the piece of centre :math:`x_0` and half-width :math:`h` lies in the disc
    :math:`|z - x_0| \le \rho = \sqrt{h^2 + NEAR^2}`, where :math:`f(x_0 + w) = \sum_k g_k w^k` (the Taylor
    shift) has no root when :math:`|g_0| > \sum_{k \ge 1} |g_k| \rho^k` (the triangle inequality), with a
    margin of 1e-12 of :math:`\sum_k |f_k| R^k` (:math:`R` bounding :math:`1 + |x_0|`) for the rounding of the
    shift. False (no proof) when a smallest piece fails."""
    n = f.size
    g = np.empty(n, dtype=np.complex128)
    reach = 1.0 + max(abs(lo), abs(hi)) + NEAR
    scale = 0.0
    for k in range(n - 1, -1, -1):
        scale = scale * reach + abs(f[k])
    los = np.empty(DEPTH + 2)
    his = np.empty(DEPTH + 2)
    depth = np.empty(DEPTH + 2, dtype=np.int64)
    los[0], his[0], depth[0] = lo - NEAR, hi + NEAR, 0
    top = 0
    while top >= 0:
        left, right, level = los[top], his[top], depth[top]
        top -= 1
        x0, h = 0.5 * (left + right), 0.5 * (right - left)
        rho = np.sqrt(h * h + NEAR * NEAR)
        for k in range(n):
            g[k] = f[k]
        for i in range(n - 1):
            for j in range(n - 2, i - 1, -1):
                g[j] += x0 * g[j + 1]
        tail = 0.0
        for k in range(n - 1, 0, -1):
            tail = (tail + abs(g[k])) * rho
        if abs(g[0]) > tail + 1e-12 * scale:
            continue
        if level == DEPTH:
            return False
        los[top + 1], his[top + 1], depth[top + 1] = x0, right, level + 1
        los[top + 2], his[top + 2], depth[top + 2] = left, x0, level + 1
        top += 2
    return True


@numba.njit(cache=True)
def _candidates(f: npt.NDArray[np.complex128], bound: float, shift: float) -> tuple[npt.NDArray[np.complex128],
                                                                                  bool]:
    """The roots ``t`` near ``[0, 1]`` of ``f(t - shift)`` (``f`` low degree first); False when ``f`` vanishes
    (relative to ``bound``) or a kept root has a close neighbour. None (and True) without finding the roots
    when :func:`_root_free` proves that none is near."""
    size = 0.0
    for k in range(f.size):
        size = max(size, abs(f[k]))
    if not size > ZERO * bound:
        return np.zeros(0, dtype=np.complex128), False
    top = f.size - 1
    while abs(f[top]) <= 1e-13 * size:  # roots at infinity: no solution
        top -= 1
    if top == 0 or _root_free(f, -shift, 1.0 - shift):
        return np.zeros(0, dtype=np.complex128), True
    roots = _roots(f[: top + 1][::-1].copy())
    keep = np.zeros(roots.size, dtype=np.bool_)
    for r in range(roots.size):
        roots[r] += shift
    for r in range(roots.size):
        z = roots[r]
        keep[r] = abs(z.imag) <= NEAR and -NEAR <= z.real <= 1.0 + NEAR
        if keep[r]:
            for q in range(roots.size):
                if q != r and abs(roots[q] - z) <= APART * (1.0 + abs(z)):
                    return roots, False
    count = 0
    for r in range(roots.size):
        if keep[r]:
            roots[count] = roots[r]
            count += 1
    return roots[:count], True


@numba.njit(cache=True)
def _normalised(u: npt.NDArray[np.complex128], x: npt.NDArray[np.complex128], start: int) -> bool:
    """Write the first ``u.size - 1`` entries of ``u / sum(u)`` to ``x[start:]``; False on a vanishing sum."""
    total = 0.0 + 0.0j
    scale = 0.0
    for q in range(u.size):
        total += u[q]
        scale += abs(u[q])
    if not abs(total) > 1e-9 * scale:
        return False
    for q in range(u.size - 1):
        x[start + q] = u[q] / total
    return True


@numba.njit(cache=True)
def _normalised_at(polys: npt.NDArray[np.number], at: complex, x: npt.NDArray[np.complex128], start: int) -> bool:
    """:func:`_normalised` of the vector of polynomials ``polys`` (one row each, low degree first) at ``at``
    (each evaluated twice rather than stored: no allocation)."""
    total = 0.0 + 0.0j
    scale = 0.0
    for q in range(polys.shape[0]):
        value = _peval(polys[q], at)
        total += value
        scale += abs(value)
    if not abs(total) > 1e-9 * scale:
        return False
    for q in range(polys.shape[0] - 1):
        x[start + q] = _peval(polys[q], at) / total
    return True

@numba.njit(cache=True)
def _determined(polys: npt.NDArray[np.float64], at: complex) -> bool:
    r"""Whether the vector of polynomials ``polys`` (one row each, low degree first) is clearly non-zero at
    ``at``: its 1-norm there above 1e-6 of :math:`\sum_{q,k} |p_{qk}| \max(1, |at|)^k`. A null vector (cross
    product, quarter turn) that nearly vanishes at a root leaves the back-substituted player's probabilities
    undetermined there (two of the rows it is null to are parallel): its direction is then no solution's, and
    the closed form cannot vouch."""
    reach = max(1.0, abs(at))
    value, scale = 0.0, 0.0
    for q in range(polys.shape[0]):
        value += abs(_peval(polys[q], at))
        power = 1.0
        for k in range(polys.shape[1]):
            scale += abs(polys[q, k]) * power
            power *= reach
    return value > 1e-6 * scale


@numba.njit(cache=True)
def _two_equal(a: int, b: int, c: int, eqs: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
               locs: npt.NDArray[np.int64], c1: npt.NDArray[np.float64], off: npt.NDArray[np.int64],
               nv: int) -> tuple[npt.NDArray[np.complex128], bool]:
    r"""Binary ``a``, ternary ``b`` and ``c``; ``eqs[j]``: the first equation of player ``j``.

    Player c's two equations, affine in :math:`t` row by row (:func:`_affine_rows`), fix :math:`\sigma_b
    \propto u(t)` (their cross product, quadratic); b's fix :math:`\sigma_c \propto v(t)`; a's equation
    :math:`u^\top D v = 0` is the quartic :math:`f`. Ends outside the simplices are dropped
    (:func:`_in_simplex`)."""
    rows = np.zeros((4, 3, 2))  # c's two equations over (a, b), then b's two over (a, c)
    for r in range(2):
        _affine_rows(eqs[c] + r, a, b, n_terms, locs, c1, rows[r])
        _affine_rows(eqs[b] + r, a, c, n_terms, locs, c1, rows[2 + r])
    uv = np.zeros((2, 3, 3))  # sigma_b, sigma_c up to scale: (player, strategy, degree)
    _cross(rows[0], rows[1], uv[0])
    _cross(rows[2], rows[3], uv[1])
    D = np.zeros((3, 3))  # a's equation over (b, c)
    e = eqs[a]
    for tau in range(n_terms[e]):
        D[locs[e, tau, b], locs[e, tau, c]] += c1[e, tau]
    f = np.zeros(5, dtype=np.complex128)
    top_u, top_v, mass = 0.0, 0.0, 0.0
    for q in range(3):
        for i in range(3):
            w = 0.0
            for p in range(3):
                w += D[p, q] * uv[0, p, i]
            for j in range(3):
                f[i + j] += w * uv[1, q, j]
            top_u = max(top_u, abs(uv[0, q, i]))
            top_v = max(top_v, abs(uv[1, q, i]))
            mass += abs(D[q, i])
    roots, ok = _candidates(f, top_u * top_v * mass, 0.0)
    ends = np.zeros((roots.size, nv), dtype=np.complex128)
    if not ok:
        return ends, False
    count = 0
    for r in range(roots.size):
        t = roots[r]
        x = ends[count]
        x[off[a]] = t
        if not (_determined(uv[0], t) and _determined(uv[1], t)
                and _normalised_at(uv[0], t, x, off[b]) and _normalised_at(uv[1], t, x, off[c])):
            return ends, False
        count += _in_simplex(x, off[b], 3) and _in_simplex(x, off[c], 3)
    return ends[:count], True


@numba.njit(cache=True)
def _two_binary(a: int, b: int, c: int, eqs: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
                locs: npt.NDArray[np.int64], c1: npt.NDArray[np.float64], off: npt.NDArray[np.int64],
                nv: int) -> tuple[npt.NDArray[np.complex128], bool]:
    r"""Binary ``a`` and ``b``, ternary ``c``: c's equations over :math:`(\sigma_a, \sigma_b)` are rows
    :math:`w_r(t)` affine in :math:`t`; the first fixes :math:`\sigma_b \propto J w_0(t)`, the second is then
    the quadratic :math:`f = w_1^\top J w_0`; :math:`\sigma_c` is the cross product of a's and b's rows over c's
    strategies. Ends outside the simplices are dropped (:func:`_in_simplex`)."""
    w = np.zeros((2, 2, 2))  # c's equations over (a, b)
    for r in range(2):
        _affine_rows(eqs[c] + r, a, b, n_terms, locs, c1, w[r])
    u = np.zeros((2, 2))  # sigma_b up to scale: the quarter turn J w_0
    u[0], u[1] = w[0, 1], -w[0, 0]
    f = np.zeros(3, dtype=np.complex128)
    top_w, top_u = 0.0, 0.0
    for q in range(2):
        for i in range(2):
            for j in range(2):
                f[i + j] += w[1, q, i] * u[q, j]
            top_w = max(top_w, abs(w[1, q, i]))
            top_u = max(top_u, abs(u[q, i]))
    roots, ok = _candidates(f, top_w * top_u, 0.0)
    ends = np.zeros((roots.size, nv), dtype=np.complex128)
    if not ok:
        return ends, False
    rows = np.zeros((2, 3, 2))  # a's equation over (b, c), b's over (a, c)
    _affine_rows(eqs[a], b, c, n_terms, locs, c1, rows[0])
    _affine_rows(eqs[b], a, c, n_terms, locs, c1, rows[1])
    vec = np.zeros((3, 3), dtype=np.complex128)  # a's row, b's row, sigma_c up to scale
    ra, rb, sc = vec[0], vec[1], vec[2]
    count = 0
    for r in range(roots.size):
        t = roots[r]
        x = ends[count]
        x[off[a]] = t
        if not (_determined(u, t) and _normalised_at(u, t, x, off[b])):
            return ends, False
        s = x[off[b]]
        for q in range(3):
            ra[q] = rows[0, q, 0] + rows[0, q, 1] * s
            rb[q] = rows[1, q, 0] + rows[1, q, 1] * t
        norm_a, norm_b, area = 0.0, 0.0, 0.0
        for q in range(3):
            i, j = (q + 1) % 3, (q + 2) % 3
            sc[q] = ra[i] * rb[j] - ra[j] * rb[i]
            norm_a += abs(ra[q])
            norm_b += abs(rb[q])
            area += abs(sc[q])
        # a's and b's rows (nearly) parallel leave sigma_c undetermined: see _determined
        if not (area > 1e-6 * norm_a * norm_b and _normalised(sc, x, off[c])):
            return ends, False
        count += _in_simplex(x, off[b], 2) and _in_simplex(x, off[c], 3)
    return ends[:count], True


@numba.njit(cache=True)
def _bmul(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The product of two polynomials in :math:`(t, s)`, ``a[i, j]`` the coefficient of :math:`t^i s^j`."""
    out = np.zeros((a.shape[0] + b.shape[0] - 1, a.shape[1] + b.shape[1] - 1))
    _bmul_add(a, b, 1.0, out)
    return out


@numba.njit(cache=True)
def _bmul_add(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], weight: float,
              out: npt.NDArray[np.float64]) -> None:
    """``out += weight * a * b`` (:func:`_bmul`; ``out`` at least as large as the product) without allocating."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[i, j] != 0.0:
                w = weight * a[i, j]
                for k in range(b.shape[0]):
                    for m in range(b.shape[1]):
                        out[i + k, j + m] += w * b[k, m]


@numba.njit(cache=True)
def _in_s(a: npt.NDArray[np.float64], t: complex, out: npt.NDArray[np.complex128]) -> npt.NDArray[np.complex128]:
    """The polynomial ``a`` in :math:`(t, s)` (:func:`_bmul`) at ``t``: its coefficients in :math:`s` (low first),
    written to ``out`` (real for a real ``t`` and ``out``, else complex)."""
    for j in range(a.shape[1]):
        value = t * 0.0
        for i in range(a.shape[0] - 1, -1, -1):
            value = value * t + a[i, j]
        out[j] = value
    return out


@numba.njit(cache=True)
def _quartet_tables(T: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                                         npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    r"""The polynomials in :math:`(t, s) = (x_1, x_2)` (:func:`_bmul`) of the four-binary elimination, built once
    per system: ``G_1`` (degree 3 in ``s``), ``G_2`` (degree 2), ``(s_3, s_4)`` ``(2, 2, 2, 2)`` (player, strategy)
    and the spurious factor ``S`` ``(5, 1)``: :math:`W_4` (player 4's coefficients over its strategies, from its
    equation) and :math:`W_3` fix :math:`\sigma_3 \propto J W_4`, :math:`\sigma_4 \propto J W_3`, and
    :math:`S = \det W_4 \det W_3` in the coefficients of :math:`s`. ``T[m]``: player m's coefficients over its
    opponents in order."""
    s1 = np.zeros((2, 2, 1))  # (t, 1 - t)
    s1[0, 1, 0], s1[1, 0, 0], s1[1, 1, 0] = 1.0, 1.0, -1.0
    sig2 = np.zeros((2, 1, 2))  # (s, 1 - s)
    sig2[0, 0, 1], sig2[1, 0, 0], sig2[1, 0, 1] = 1.0, 1.0, -1.0
    W = np.zeros((2, 2, 2, 2))  # W[0]: player 4's (over b3), W[1]: player 3's (over b4); affine in t and in s
    for m in range(2):
        for b in range(2):
            for b0 in range(2):
                for b1 in range(2):
                    W[m, b] += T[3 - m, b0, b1, b] * _bmul(s1[b0], sig2[b1])
    S = np.ones((1, 1))
    for m in range(2):  # det of the s-coefficients: (W[m, 0, :, 0] W[m, 1, :, 1] - W[m, 0, :, 1] W[m, 1, :, 0])
        S = _bmul(S, _bmul(W[m, 0, :, :1], W[m, 1, :, 1:]) - _bmul(W[m, 0, :, 1:], W[m, 1, :, :1]))
    s34 = np.zeros((2, 2, 2, 2))  # (player 3 or 4, strategy): J W
    for m in range(2):
        s34[m, 0] = W[m, 1]
        s34[m, 1] = -W[m, 0]
    G1 = np.zeros((3, 4))
    G2 = np.zeros((4, 3))
    for b2 in range(2):
        for b3 in range(2):
            pair = _bmul(s34[0, b2], s34[1, b3])  # (3, 3)
            for b in range(2):
                G1 += T[0, b, b2, b3] * _bmul(sig2[b], pair)
                G2 += T[1, b, b2, b3] * _bmul(s1[b], pair)
    return G1, G2, s34, S


@numba.njit(cache=True)
def _common_root(P: npt.NDArray[np.complex128], Q: npt.NDArray[np.complex128]) -> tuple[complex, bool]:
    """The root of ``P`` at which ``Q`` (both low degree first) vanishes, and True; False unless exactly one root
    of ``P`` makes ``Q`` vanish (relative residual at most 1e-4, the next one at least 1e3 times larger).

    ``P`` and ``Q`` are taken at a root :math:`t` of the interpolated quotient, accurate to about 1e-8 where that
    root is ill-conditioned, so the shared root's residual can reach 1e-5; the separation from the next root
    decides which one it is, and the caller's Newton polish on the whole system (then a repeated end) vouches
    for the pick."""
    top = P.size - 1
    while top > 0 and abs(P[top]) <= 1e-12 * np.max(np.abs(P)):
        top -= 1
    if top == 0:
        return 0.0 + 0.0j, False
    options = _roots(P[: top + 1][::-1].copy())
    best, second, pick = np.inf, np.inf, 0
    for q in range(options.size):
        s = options[q]
        value, scale = 0.0 + 0.0j, 0.0
        for p in range(Q.size - 1, -1, -1):
            value = value * s + Q[p]
            scale = scale * abs(s) + abs(Q[p])
        res = abs(value) / scale if scale > 0 else 0.0
        if res < best:
            best, second, pick = res, best, q
        elif res < second:
            second = res
    return options[pick], best <= 1e-4 and second > 1e3 * best


@numba.njit(cache=True)
def _interpolated(vals: npt.NDArray[np.complex128], z: npt.NDArray[np.complex128],
                  spurious: npt.NDArray[np.float64], degree: int) -> tuple[npt.NDArray[np.complex128], bool]:
    """The coefficients (low first) of the polynomial of ``degree`` sampled as ``vals`` at the points ``z`` of the
    unit circle, and True; False when a spurious factor (``spurious``: its moduli at ``z``) nearly vanishes on the
    circle or the interpolant's coefficients past ``degree`` do not vanish (the quotient is no polynomial)."""
    f = np.zeros(z.size, dtype=np.complex128)
    if not np.min(spurious) > 1e-8 * np.max(spurious):  # a spurious root on the circle
        return f, False
    n = z.size
    for d in range(n):  # f[d] = mean(vals * z ** -d), with z ** -d = z[-d k mod n] (z: the n-th roots of unity)
        total = 0.0 + 0.0j
        for k in range(n):
            total += vals[k] * z[(n - d * k % n) % n]
        f[d] = total / n
    ok = np.max(np.abs(f[degree + 1 :])) <= 1e-8 * np.max(np.abs(f[: degree + 1]))
    return f[: degree + 1].copy(), ok


@numba.njit(cache=True)
def _sylvester_quotient(syl: npt.NDArray[np.complex128], P: npt.NDArray[np.complex128], Q: npt.NDArray[np.complex128],
                        S: complex) -> tuple[complex, float]:
    r"""The resultant of ``P`` and ``Q`` (coefficients low first) divided by the spurious factor ``S``, and the
    Hadamard bound of that quotient (``inf`` where ``S`` vanishes).

    With :math:`d_P`, :math:`d_Q` their degrees, ``syl`` (a work buffer of side :math:`d_P + d_Q`, overwritten)
    becomes the Sylvester matrix: :math:`d_Q` shifted rows of ``P``, then :math:`d_P` of ``Q``; the resultant is its
    determinant, bounded by the product of its rows' norms.
    """
    dp, dq = P.size - 1, Q.size - 1
    syl[:] = 0.0
    for r in range(dq):
        syl[r, r : r + dp + 1] = P[::-1]
    for r in range(dp):
        syl[dq + r, r : r + dq + 1] = Q[::-1]
    hadamard = 1.0
    for r in range(dp + dq):
        norm = 0.0
        for c in range(dp + dq):
            norm += syl[r, c].real ** 2 + syl[r, c].imag ** 2
        hadamard *= np.sqrt(norm)
    if S == 0.0:
        return 0.0 + 0.0j, np.inf
    return eliminate(syl, np.zeros(0, dtype=np.complex128), dp + dq, 0.0)[0] / S, hadamard / abs(S)


@numba.njit(cache=True)
def _four_binary(m: npt.NDArray[np.int64], eqs: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
                 locs: npt.NDArray[np.int64], c1: npt.NDArray[np.float64], off: npt.NDArray[np.int64],
                 nv: int) -> tuple[npt.NDArray[np.complex128], bool]:
    """Four binary players ``m`` (increasing)."""
    T = np.zeros((4, 2, 2, 2))
    others = np.zeros(3, dtype=np.int64)
    for i in range(4):
        q = 0
        for j in range(4):
            if j != i:
                others[q] = m[j]
                q += 1
        T[i] = _coefficients(eqs[m[i]], others, n_terms, locs, c1)[:2, :2, :2]
    G1t, G2t, s34t, St = _quartet_tables(T)
    vals = np.zeros(SAMPLES, dtype=np.complex128)
    z = _CIRCLE
    syl = np.zeros((5, 5), dtype=np.complex128)
    G1 = np.zeros(4, dtype=np.complex128)
    G2 = np.zeros(3, dtype=np.complex128)
    S = np.zeros(1, dtype=np.complex128)
    spurious, bound = np.zeros(SAMPLES), 0.0
    for k in range(SAMPLES):
        t = 0.5 + z[k]
        _in_s(G1t, t, G1)
        _in_s(G2t, t, G2)
        spurious[k] = abs(_in_s(St, t, S)[0])
        quotient, quotient_bound = _sylvester_quotient(syl, G1, G2, S[0])
        vals[k], bound = quotient, max(bound, quotient_bound)
    ends = np.zeros((0, nv), dtype=np.complex128)
    f, ok = _interpolated(vals, z, spurious, 9)
    if not ok:
        return ends, False
    roots, ok = _candidates(f, bound, 0.5)  # the sample circle is centred at t = 1/2
    if not ok:
        return ends, False
    ends = np.zeros((roots.size, nv), dtype=np.complex128)
    count = 0
    pair = np.zeros(2, dtype=np.complex128)
    s34 = np.zeros(2, dtype=np.complex128)
    for r in range(roots.size):
        t = roots[r]
        s, ok = _common_root(_in_s(G2t, t, G2), _in_s(G1t, t, G1))
        if not ok:
            return ends, False
        ends[count, off[m[0]]] = t
        ends[count, off[m[1]]] = s
        for w in range(2):
            for b in range(2):
                _in_s(s34t[w, b], t, s34)
                pair[b] = s34[0] + s34[1] * s
            if not _normalised(pair, ends[count], off[m[2 + w]]):
                return ends, False
        count += 1
    return ends[:count].copy(), True


@numba.njit(cache=True)
def _triple_tables(A: npt.NDArray[np.float64], B: npt.NDArray[np.float64], C: npt.NDArray[np.float64]
                   ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    r"""The polynomials in :math:`(t, s) = (\sigma_c(0), \sigma_c(1))` (:func:`_bmul`) of the three-ternary
    elimination, built once per system: ``g (2, 5, 5)`` (degree 4 in each) and ``sigma_b``, ``sigma_a`` up to
    scale, ``(3, 3, 3)`` (strategy, then degree 2 in each). ``A[r]``: player a's equation ``r`` over
    ``(sigma_b, sigma_c)``; ``B[r]`` player b's over ``(sigma_a, sigma_c)``; ``C[r]`` player c's over
    ``(sigma_a, sigma_b)``: :math:`g_r = \sum_p \sigma_a(p) \sum_q C_r[p, q] \sigma_b(q)`."""
    rows = np.zeros((4, 3, 2, 2))  # A_0 sc, A_1 sc, B_0 sc, B_1 sc with sc = (t, s, 1 - t - s): affine
    for r in range(2):
        for p in range(3):
            for m in range(2):
                M = A if m == 0 else B
                rows[2 * m + r, p, 0, 0] = M[r, p, 2]
                rows[2 * m + r, p, 1, 0] = M[r, p, 0] - M[r, p, 2]
                rows[2 * m + r, p, 0, 1] = M[r, p, 1] - M[r, p, 2]
    u = np.zeros((3, 3, 3))  # sigma_b: the cross product of A_0 sc and A_1 sc
    w = np.zeros((3, 3, 3))  # sigma_a: the same of B
    for q in range(3):
        i, j = (q + 1) % 3, (q + 2) % 3
        _bmul_add(rows[0, i], rows[1, j], 1.0, u[q])
        _bmul_add(rows[0, j], rows[1, i], -1.0, u[q])
        _bmul_add(rows[2, i], rows[3, j], 1.0, w[q])
        _bmul_add(rows[2, j], rows[3, i], -1.0, w[q])
    g = np.zeros((2, 5, 5))
    cu = np.zeros((3, 3))
    for r in range(2):
        for p in range(3):
            cu[:] = 0.0
            for q in range(3):
                cu += C[r, p, q] * u[q]
            _bmul_add(w[p], cu, 1.0, g[r])
    return g, u, w


@numba.njit(cache=True)
def _pencil_points(A: npt.NDArray[np.float64], out: npt.NDArray[np.complex128], start: int) -> bool:
    r"""The first coordinates :math:`\sigma(0) / \sum \sigma` of the three points where :math:`A_0 \sigma` and
    :math:`A_1 \sigma` are parallel (:math:`(A_0 + \lambda A_1) \sigma = 0`), written to ``out[start:start + 3]``,
    and True; False when the pencil's cubic degenerates or a point lies at infinity of the chart.

    The cubic :math:`\det(A_0 + \lambda A_1)` is multilinear in the columns: its coefficient of
    :math:`\lambda^k` sums the determinants with ``k`` columns taken from :math:`A_1`. Each point is the cross
    product of the two rows of :math:`A_0 + \lambda A_1` that give the longest one."""
    cubic = np.zeros(4, dtype=np.complex128)  # highest degree first, as _roots takes it
    M = np.empty((3, 3))
    x = np.empty(3, dtype=np.complex128)
    for mask in range(8):
        k = (mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1)
        for j in range(3):
            for i in range(3):
                M[i, j] = A[1, i, j] if mask >> j & 1 else A[0, i, j]
        cubic[3 - k] += (M[0, 0] * (M[1, 1] * M[2, 2] - M[1, 2] * M[2, 1])
                         - M[0, 1] * (M[1, 0] * M[2, 2] - M[1, 2] * M[2, 0])
                         + M[0, 2] * (M[1, 0] * M[2, 1] - M[1, 1] * M[2, 0]))
    size = max(abs(cubic[0]), abs(cubic[1]), abs(cubic[2]), abs(cubic[3]))
    if not (size > 0.0 and abs(cubic[0]) > 1e-8 * size):
        return False
    ls = _roots(cubic)
    for k in range(3):
        lam = ls[k]
        best, v0, v1, v2 = -1.0, 0.0j, 0.0j, 0.0j
        for i in range(3):  # the cross product of the largest pair of rows is the null vector
            j = (i + 1) % 3
            for q in range(3):
                a, b = (q + 1) % 3, (q + 2) % 3
                x[q] = ((A[0, i, a] + lam * A[1, i, a]) * (A[0, j, b] + lam * A[1, j, b])
                        - (A[0, i, b] + lam * A[1, i, b]) * (A[0, j, a] + lam * A[1, j, a]))
            norm = 0.0
            for q in range(3):
                norm += x[q].real ** 2 + x[q].imag ** 2
            if norm > best:
                best, v0, v1, v2 = norm, x[0], x[1], x[2]
        total = v0 + v1 + v2
        if not abs(total) > 1e-9 * np.sqrt(best):
            return False
        out[start + k] = v0 / total
    return True


@numba.njit(cache=True)
def _bezout(P: npt.NDArray[np.number], Q: npt.NDArray[np.number], B: npt.NDArray[np.number]) -> float:
    r"""The Bezout matrix ``B (n, n)`` of the polynomials ``P`` and ``Q`` of degree :math:`n` (coefficients low
    first, real or complex, ``B`` of their dtype), overwritten, and the Hadamard bound of its determinant.

    :math:`(P(x) Q(y) - P(y) Q(x)) / (x - y) = \sum_{ij} B_{ij} x^i y^j`: the pair :math:`p > q` adds
    :math:`P_p Q_q - P_q Q_p` to :math:`B_{q + m, p - 1 - m}`, :math:`0 \le m < p - q`. :math:`\det B` is the
    resultant up to the sign :math:`(-1)^{n (n - 1) / 2}`, and a common root :math:`s` is a null vector
    :math:`(1, s, \dots, s^{n - 1})`; the kernel's dimension is the degree of the common factor (Bezout's
    matrix, in half the size of Sylvester's)."""
    n = P.size - 1
    B[:] = 0.0
    for p in range(1, n + 1):
        for q in range(p):
            c = P[p] * Q[q] - P[q] * Q[p]
            for m in range(p - q):
                B[q + m, p - 1 - m] += c
    hadamard = 1.0
    for r in range(n):
        norm = 0.0
        for c in range(n):
            norm += B[r, c].real ** 2 + B[r, c].imag ** 2
        hadamard *= np.sqrt(norm)
    return hadamard


@numba.njit(cache=True)
def _bezout_root(B: npt.NDArray[np.float64]) -> tuple[float, bool]:
    r"""The common root :math:`s` of two real polynomials from their (real) Bezout matrix ``B`` (overwritten),
    taken at a root of their resultant: the null vector :math:`v \propto (1, s, s^2, \dots)` by elimination with
    complete pivoting, and :math:`s` its least-squares ratio :math:`\sum v_k v_{k + 1} / \sum v_k^2`. True when
    the kernel is one-dimensional (the last pivot at most :data:`KERNEL` of the first and the one before at least
    :data:`RANK` of it): exactly one common root."""
    n = B.shape[0]
    cols = np.arange(n)
    first = 0.0
    for c in range(n):
        pi, pj, big = c, c, -1.0
        for i in range(c, n):
            for j in range(c, n):
                if abs(B[i, j]) > big:
                    pi, pj, big = i, j, abs(B[i, j])
        if c == 0:
            first = big
        if c == n - 1:
            break
        if not big > RANK * first:  # a second direction of the kernel: two common roots (or none)
            return 0.0, False
        for j in range(n):
            B[c, j], B[pi, j] = B[pi, j], B[c, j]
        for i in range(n):
            B[i, c], B[i, pj] = B[i, pj], B[i, c]
        cols[c], cols[pj] = cols[pj], cols[c]
        for i in range(c + 1, n):
            f = B[i, c] / B[c, c]
            for j in range(c, n):
                B[i, j] -= f * B[c, j]
    if not (first > 0.0 and abs(B[n - 1, n - 1]) <= KERNEL * first):
        return 0.0, False
    x = np.zeros(n)
    x[n - 1] = 1.0
    for i in range(n - 2, -1, -1):
        total = 0.0
        for j in range(i + 1, n):
            total -= B[i, j] * x[j]
        x[i] = total / B[i, i]
    v = np.zeros(n)
    for j in range(n):
        v[cols[j]] = x[j]
    top, bottom = 0.0, 0.0
    for k in range(n - 1):
        top += v[k] * v[k + 1]
        bottom += v[k] * v[k]
    if not bottom > 0.0:
        return 0.0, False
    return top / bottom, True


@numba.njit(cache=True)
def _casteljau(b: npt.NDArray[np.float64], r: float, left: npt.NDArray[np.float64],
               right: npt.NDArray[np.float64]) -> None:
    """The Bernstein coefficients of the two parts of ``b``'s interval split at the fraction ``r`` (de
    Casteljau's algorithm) into ``left`` and ``right``."""
    n = b.size - 1
    right[:] = b
    for level in range(n):
        left[level] = right[0]
        for i in range(n - level):
            right[i] = (1.0 - r) * right[i] + r * right[i + 1]
    left[n] = right[0]


@numba.njit(cache=True)
def _signs(b: npt.NDArray[np.float64], tol: float) -> tuple[int, int]:
    """The fewest and the most sign changes of ``b`` when each entry within ``tol`` of 0 may have either sign (a
    walk over the entries keeping both counts for each sign of the last one)."""
    big = b.size + 1
    fewest_p, fewest_m = (0 if b[0] > -tol else big), (0 if b[0] < tol else big)
    most_p, most_m = (0 if b[0] > -tol else -big), (0 if b[0] < tol else -big)
    for i in range(1, b.size):
        plus, minus = b[i] > -tol, b[i] < tol
        fp = min(fewest_p, fewest_m + 1) if plus else big
        fm = min(fewest_m, fewest_p + 1) if minus else big
        mp = max(most_p, most_m + 1) if plus else -big
        mm = max(most_m, most_p + 1) if minus else -big
        fewest_p, fewest_m, most_p, most_m = fp, fm, mp, mm
    return min(fewest_p, fewest_m), max(most_p, most_m)


@numba.njit(cache=True)
def _bracketed(c: npt.NDArray[np.float64], a: float, b: float, sign_a: float) -> float:
    r"""The root in ``[a, b]`` (within :math:`[-1, 1]`) of the Chebyshev series ``c``, which changes sign once
    there (``sign_a`` its sign at ``a``): Newton's steps inside the bracket, else bisection, to the last bits.
    :math:`f' = \sum_j j c_j U_{j - 1}`."""
    x = 0.5 * (a + b)
    for _ in range(100):
        value, slope = c[0], 0.0
        t0, t1, u0, u1 = 1.0, x, 0.0, 1.0  # T_{j-1}, T_j, U_{j-2}, U_{j-1}
        for j in range(1, c.size):
            value += c[j] * t1
            slope += j * c[j] * u1
            t0, t1 = t1, 2.0 * x * t1 - t0
            u0, u1 = u1, 2.0 * x * u1 - u0
        if value == 0.0:
            return x
        if value * sign_a > 0.0:
            a = x
        else:
            b = x
        step = x - value / slope if slope != 0.0 else a
        nxt = step if a < step < b else 0.5 * (a + b)
        if abs(nxt - x) <= 1e-15 or b - a <= 1e-15:
            return nxt
        x = nxt
    return x


@numba.njit(cache=True)
def _real_roots(c: npt.NDArray[np.float64], noise: float) -> tuple[npt.NDArray[np.float64], bool]:
    r"""Every real root in :math:`[-1, 1]` of the Chebyshev series ``c`` of degree 10, each of whose coefficients
    may be off by ``noise``, and True; False when two roots (real or complex) lie closer than :data:`APART`
    there, or the noise leaves their number open.

    Descartes' rule of signs in the Bernstein basis: the sign changes of the Bernstein coefficients on an
    interval bound the roots in it, with the same parity; none means no root, one exactly one. The coefficients
    on :math:`[-1, 1]` are :data:`_TO_BERNSTEIN` times ``c``; intervals are split (de Casteljau) until each has
    none or one, at fractions off the dyadic and small-denominator ones (where a tied game's roots lie). A
    coefficient within the noise of 0 (at most ``noise`` times :data:`_GROWTH` on an interval of that width) may
    have either sign: an interval is dropped only when no choice of those signs changes sign, and has a root only
    when every choice changes sign once. Each root is then found by :func:`_bracketed` (Eigenwillig 2008, *Real
    root isolation for exact and approximate polynomials using Descartes' rule of signs*)."""
    n = c.size - 1
    stack = np.zeros((STACK, n + 1))
    spans = np.zeros((STACK, 2))
    parent = np.zeros(n + 1)
    for i in range(n + 1):
        total = 0.0
        for j in range(n + 1):
            total += _TO_BERNSTEIN[i, j] * c[j]
        stack[0, i] = total
    spans[0, 0], spans[0, 1] = 0.0, 1.0
    top = 1
    roots = np.zeros(n)
    found = 0
    for _ in range(MAX_SPLITS):
        if top == 0:
            return roots[:found].copy(), True
        top -= 1
        b = stack[top]
        y0, y1 = spans[top, 0], spans[top, 1]
        level = 0
        while level < _GROWTH.size - 1 and y1 - y0 <= 0.5 ** (level + 1):
            level += 1
        tol = noise * _GROWTH[level]
        fewest, most = _signs(b, tol)
        if most == 0:
            continue
        if fewest == 1 and most == 1:  # the end coefficients are then known and of opposite signs
            if found == n:
                return roots, False
            roots[found] = _bracketed(c, 2.0 * y0 - 1.0, 2.0 * y1 - 1.0, b[0])
            found += 1
            continue
        if y1 - y0 <= APART or top + 2 > STACK:  # a near-double root, or the noise leaves the count open
            return roots, False
        parent[:] = b
        r = _SPLITS[0]
        for k in range(_SPLITS.size):  # a split point where the sign is known (no root within the noise)
            r = _SPLITS[k]
            _casteljau(parent, r, stack[top + 1], stack[top])  # the left part on top: the roots in order
            if abs(stack[top, 0]) > tol:
                break
        ym = y0 + (y1 - y0) * r
        spans[top, 0], spans[top, 1] = ym, y1
        spans[top + 1, 0], spans[top + 1, 1] = y0, ym
        top += 2
    return roots, False


@numba.njit(cache=True)
def _three_ternary(players: npt.NDArray[np.int64], eqs: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64],
                   locs: npt.NDArray[np.int64], c1: npt.NDArray[np.float64], off: npt.NDArray[np.int64],
                   nv: int) -> tuple[npt.NDArray[np.complex128], bool]:
    r"""Three players ``a < b < c`` (``players``) mixing three strategies each (:math:`B = 10`).

    The resultant is the determinant of the 4 x 4 Bezout matrix of :math:`g_0, g_1` in :math:`s`
    (:func:`_bezout`), divided by the spurious factor and sampled at the 16 Chebyshev nodes of
    :math:`[-\mathrm{NEAR}, 1 + \mathrm{NEAR}]`, whose cosine transform gives the quotient's Chebyshev
    coefficients (those past degree 10 must vanish). The real roots of the quotient :math:`f` there are
    isolated by Descartes' rule (:func:`_real_roots`, with the interpolant's coefficients past degree 10 as its
    noise): the complex roots
    give no equilibrium. A real :math:`t` gets its one common root :math:`s` from the Bezout matrix's kernel
    (:func:`_bezout_root`; two common roots decline), and only the points within :data:`NEAR` of the product of
    simplices become ends (the others are no equilibria however the caller's Newton polish moves them)."""
    a, b, c = players[0], players[1], players[2]
    pair = np.zeros(2, dtype=np.int64)
    M = np.zeros((3, 2, 3, 3))  # A, B, C
    for m in range(3):
        own = (a, b, c)[m]
        pair[0], pair[1] = (b, c) if m == 0 else ((a, c) if m == 1 else (a, b))
        for r in range(2):
            M[m, r] = _coefficients(eqs[own] + r, pair, n_terms, locs, c1)[:3, :3, 0]
    ends = np.zeros((0, nv), dtype=np.complex128)
    spur = np.zeros(6, dtype=np.complex128)
    if not (_pencil_points(M[0], spur, 0) and _pencil_points(M[1], spur, 3)):
        return ends, False
    g, u, w = _triple_tables(M[0], M[1], M[2])
    vals = np.zeros(SAMPLES)  # the quotient has degree 10: 5 Chebyshev coefficients must vanish
    bez = np.zeros((4, 4))
    g0 = np.zeros(5)
    g1 = np.zeros(5)
    none = np.zeros(0)
    spurious, bound = np.zeros(SAMPLES), 0.0
    for k in range(SAMPLES):
        t = 0.5 + HALF * _NODES[k]
        S = 1.0 + 0.0j
        for q in range(6):
            S *= t - spur[q]
        hadamard = _bezout(_in_s(g[0], t, g0), _in_s(g[1], t, g1), bez)
        vals[k] = eliminate(bez, none, 4, 0.0)[0] / S.real
        spurious[k] = abs(S.real)
        bound = max(bound, hadamard / abs(S.real))
    if not np.min(spurious) > 1e-8 * np.max(spurious):  # a spurious root at a node
        return ends, False
    f = _DCT @ vals
    size, residual = np.max(np.abs(f[:11])), np.max(np.abs(f[11:]))
    if not (residual <= 1e-8 * size and size > ZERO * bound):  # no polynomial quotient, or identically zero
        return ends, False
    roots, ok = _real_roots(f[:11].copy(), NOISE * max(residual, 1e-15 * size))
    if not ok:
        return ends, False
    roots = 0.5 + HALF * roots
    ends = np.zeros((roots.size, nv), dtype=np.complex128)
    uv = np.zeros((2, 3, 3))  # sigma_b and sigma_a at the root t: polynomials in s
    count = 0
    for r in range(roots.size):
        t = roots[r]
        _bezout(_in_s(g[0], t, g0), _in_s(g[1], t, g1), bez)
        s, ok = _bezout_root(bez)
        if not ok:
            return ends, False
        if not (-NEAR <= s <= 1.0 + NEAR and t + s <= 1.0 + NEAR):
            continue
        ends[count, off[c]] = t
        ends[count, off[c] + 1] = s
        for q in range(3):
            _in_s(u[q], t, uv[0, q])
            _in_s(w[q], t, uv[1, q])
        if not (_normalised_at(uv[0], s, ends[count], off[b]) and _normalised_at(uv[1], s, ends[count], off[a])):
            return ends, False
        count += _in_simplex(ends[count], off[b], 3) and _in_simplex(ends[count], off[a], 3)
    return ends[:count].copy(), True


@numba.njit(cache=True)
def closed_form_ends(eq_player: npt.NDArray[np.int64], n_terms: npt.NDArray[np.int64], locs: npt.NDArray[np.int64],
                     c1: npt.NDArray[np.float64], d: npt.NDArray[np.int64], off: npt.NDArray[np.int64]
                     ) -> tuple[npt.NDArray[np.complex128], bool]:
    """The solutions of a support system near the product of simplices, ``(m, nv)`` in the kernel's unknowns,
    and True; or False when no closed form applies or it cannot vouch for every solution."""
    nv = eq_player.size
    n = d.size
    eqs = np.zeros(n, dtype=np.int64)
    for e in range(nv - 1, -1, -1):
        eqs[eq_player[e]] = e
    mixing = np.flatnonzero(d > 0)
    ones = np.flatnonzero(d == 1)
    twos = np.flatnonzero(d == 2)
    none = np.zeros((0, nv), dtype=np.complex128)
    if mixing.size == 4 and ones.size == 4:
        return _four_binary(ones, eqs, n_terms, locs, c1, off, nv)
    if mixing.size != 3:
        return none, False
    if ones.size == 1 and twos.size == 2:
        return _two_equal(ones[0], twos[0], twos[1], eqs, n_terms, locs, c1, off, nv)
    if ones.size == 2 and twos.size == 1:
        return _two_binary(ones[0], ones[1], twos[0], eqs, n_terms, locs, c1, off, nv)
    if twos.size == 3:
        return _three_ternary(twos, eqs, n_terms, locs, c1, off, nv)
    return none, False


# an edit of a module whose compiled helpers these kernels call recompiles them
depends_on(globals(), ".._elimination_kernel")
