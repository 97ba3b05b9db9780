"""The real-root machinery of the three-ternary closed form (:mod:`gametheory.solvers.n_player._closed_form_kernel`):
the Bernstein growth table its noise tolerance rests on, Descartes root isolation against numpy's eigenvalue
roots, and the Bezout matrix against the Sylvester resultant."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
from numpy.polynomial import chebyshev, polynomial

from gametheory.solvers.n_player import _closed_form_kernel as kernel

DEGREE = 10


def _bernstein(power: np.ndarray, y0: float, y1: float) -> np.ndarray:
    """The Bernstein coefficients of degree DEGREE on [y0, y1] of the polynomial with power coefficients
    ``power`` (in y), by substituting y = y0 + (y1 - y0) u."""
    shifted = np.zeros(DEGREE + 1)
    term = np.array([1.0])
    for c in power:
        shifted[: term.size] += c * term
        term = polynomial.polymul(term, [y0, y1 - y0])
    return np.array([sum(comb(i, m) / comb(DEGREE, m) * shifted[m] for m in range(i + 1))
                     for i in range(DEGREE + 1)])


def _chebyshev_in_y(j: int) -> np.ndarray:
    """T_j(2 y - 1) in powers of y."""
    out, term = np.zeros(DEGREE + 1), np.array([1.0])
    for c in chebyshev.cheb2poly(np.eye(j + 1)[j]):
        out[: term.size] += c * term
        term = polynomial.polymul(term, [-1.0, 2.0])
    return out


def test_bernstein_table_converts_chebyshev_coefficients_on_the_unit_interval() -> None:
    want = np.array([_bernstein(_chebyshev_in_y(j), 0.0, 1.0) for j in range(DEGREE + 1)]).T
    np.testing.assert_allclose(kernel._TO_BERNSTEIN, want, atol=1e-9)


def test_growth_table_bounds_every_interval_of_its_width() -> None:
    """_GROWTH[k] bounds sum_j max_i |Bernstein coefficient i of T_j on J| over intervals J of width at most
    2^-k (the last entry: every smaller width), so a noise of 1 in each Chebyshev coefficient moves no Bernstein
    coefficient by more. Widths in (2^-(k+1), 2^-k] at many positions, the ends included."""
    powers = [_chebyshev_in_y(j) for j in range(DEGREE + 1)]
    rng = np.random.default_rng(11)
    for k, bound in enumerate(kernel._GROWTH):
        top = 0.5**k
        widths = [top, *rng.uniform(top / 2 if k < kernel._GROWTH.size - 1 else 1e-4, top, 6)]
        for width in widths:
            for y0 in [0.0, 1.0 - width, *rng.uniform(0.0, 1.0 - width, 60)]:
                growth = sum(np.abs(_bernstein(p, y0, y0 + width)).max() for p in powers)
                assert growth <= bound + 1e-9, (k, width, y0, growth)


def _series_with_roots(real: list[float], complex_pairs: list[complex], scale: float = 1.0) -> np.ndarray:
    """The Chebyshev coefficients of scale * prod (x - r) prod |x - z|^2, padded to degree DEGREE with roots
    far outside [-1, 1]."""
    roots = list(real)
    for z in complex_pairs:
        roots += [z, np.conj(z)]
    roots += [3.0 + 2.0 * i for i in range(DEGREE - len(roots))]
    power = np.real(polynomial.polyfromroots(roots)) * scale
    return chebyshev.poly2cheb(power)


@pytest.mark.parametrize("seed", range(40))
def test_real_roots_finds_every_real_root_in_the_segment(seed: int) -> None:
    rng = np.random.default_rng(seed)
    real = list(rng.uniform(-0.99, 0.99, rng.integers(0, 6)))
    pairs = [complex(rng.uniform(-1, 1), rng.uniform(0.01, 0.5)) for _ in range(rng.integers(0, 3))]
    outside = list(rng.choice([-1.0, 1.0], 1) * rng.uniform(1.05, 1.5, 1))
    c = _series_with_roots(real + outside, pairs, scale=rng.uniform(0.1, 10.0))
    roots, ok = kernel._real_roots(c, 1e-15 * np.abs(c).max())
    if min((abs(a - b) for i, a in enumerate(real) for b in real[i + 1:]), default=1.0) > 1e-3:
        assert ok
    if ok:
        np.testing.assert_allclose(np.sort(roots), np.sort(real), atol=1e-9)


def test_real_roots_declines_a_double_root_and_a_count_the_noise_leaves_open() -> None:
    double = _series_with_roots([0.3, 0.3, -0.5], [])
    assert not kernel._real_roots(double, 1e-15 * np.abs(double).max())[1]
    close = _series_with_roots([0.2, 0.2 + 1e-4], [])
    noise = 1e-2 * np.abs(close).max()  # far more than the pair's dip: the count is open
    assert not kernel._real_roots(close, noise)[1]
    apart = _series_with_roots([0.2, 0.6], [])
    roots, ok = kernel._real_roots(apart, 1e-14 * np.abs(apart).max())
    assert ok and np.allclose(np.sort(roots), [0.2, 0.6], atol=1e-9)


def _sylvester(P: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """The Sylvester matrix of P and Q (coefficients low first, both of degree n)."""
    n = P.size - 1
    S = np.zeros((2 * n, 2 * n))
    for r in range(n):
        S[r, r : r + n + 1] = P[::-1]
        S[n + r, r : r + n + 1] = Q[::-1]
    return S


@pytest.mark.parametrize("seed", range(10))
def test_bezout_determinant_is_the_resultant_and_its_kernel_the_common_root(seed: int) -> None:
    rng = np.random.default_rng(seed)
    P, Q = rng.standard_normal(5), rng.standard_normal(5)
    B = np.zeros((4, 4))
    hadamard = kernel._bezout(P, Q, B)
    resultant = np.linalg.det(_sylvester(P, Q))
    assert np.linalg.det(B) == pytest.approx(resultant, rel=1e-8)  # sign (-1)^(n(n-1)/2) = +1 for n = 4
    assert abs(resultant) <= hadamard * (1 + 1e-12)
    s = rng.uniform(-1, 1)
    shared_P = polynomial.polymul([-s, 1.0], rng.standard_normal(4))
    shared_Q = polynomial.polymul([-s, 1.0], rng.standard_normal(4))
    kernel._bezout(shared_P, shared_Q, B)
    root, ok = kernel._bezout_root(B.copy())
    assert ok and root == pytest.approx(s, abs=1e-9)
    two = polynomial.polyfromroots([s, s / 2 + 0.3])
    kernel._bezout(polynomial.polymul(two, rng.standard_normal(3)), polynomial.polymul(two, rng.standard_normal(3)),
                   B)
    assert not kernel._bezout_root(B.copy())[1]  # two common roots: no single s to vouch for
