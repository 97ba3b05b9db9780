r"""Exact real solutions of polynomial systems over :math:`\mathbb{Q}` (private helpers).

A square system whose ideal :math:`I` is zero-dimensional and radical has, in lexicographic order and after a
generic linear change of the last coordinate, a reduced Groebner basis in *shape position* (the shape lemma):

.. math::

    x_1 - g_1(t), \; \dots, \; x_{d} - g_{d}(t), \; p(t),

so its real solutions are :math:`x_k = g_k(\tau)` for the real roots :math:`\tau` of the univariate
:math:`p`, which sympy isolates exactly (``Poly.real_roots``: rationals, radicals or ``CRootOf``). Each
coordinate is kept as an exact sympy number and as a 50-digit mpmath value for sign tests. A basis
:math:`\{1\}` means no solution; a basis that misses a pure power of some variable means a positive-dimensional
solution set (a continuum), reported as such. See Cox, Little & O'Shea, *Ideals, Varieties, and Algorithms*
(2015), ch. 2-3, and Datta (2003) for this use on Nash equilibria.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp
from sympy.polys.groebnertools import groebner

__all__ = ["SystemSolution", "solve_system", "DIGITS"]

#: Working precision (decimal digits) of the high-precision values of algebraic solutions.
DIGITS = 50


@dataclass
class SystemSolution:
    """Real solutions of a polynomial system.

    ``status`` is ``"finite"`` (``points`` lists every real solution), ``"empty"`` (no complex solution),
    ``"continuum"`` (positive-dimensional) or ``"unsolved"`` (not in shape position even after changes of
    coordinates, e.g. a non-radical ideal; the caller must fall back to another method).

    Examples
    --------
    >>> from sympy.polys.rings import ring
    >>> R, x = ring("x", sp.QQ, sp.lex)
    >>> solution = solve_system([x**2 - 2], R, 1)
    >>> solution.status, solution.points
    ('finite', [(-sqrt(2),), (sqrt(2),)])
    """

    status: str
    points: list[tuple[Any, ...]] = field(default_factory=list)  # exact sympy numbers
    values: list[tuple[Any, ...]] = field(default_factory=list)  # mpmath mpf, DIGITS digits
    basis: list[Any] = field(default_factory=list)  # the reduced lex Groebner basis, when computed


def solve_system(polys: list[Any], ring: Any, n_vars: int, *, symbolic: bool = True, seed: int = 0,
                 order: list[int] | None = None) -> SystemSolution:
    """Every real solution of ``polys`` (``PolyElement`` of a lex ring whose first ``n_vars`` generators are
    the unknowns).

    With ``symbolic=False`` the real roots of the eliminant are isolated exactly but only their DIGITS-digit
    values are kept, and ``points`` holds ``None`` for each solution (much faster when the coefficients are
    huge, as for floats converted bit for bit). ``order`` permutes the variables for the lex order (position
    ``k`` holds variable ``order[k]``; the last one is eliminated to); results are in the original order.

    Examples
    --------
    >>> import numpy as np
    >>> from gametheory.solvers.n_player._support_systems import SupportSystem
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> ring, gens = system.ring()
    >>> polys = system.exact_equations(ring, gens)[0]
    >>> polys
    [-4*v1_0 + 1, -4*v0_0 + 3]
    >>> solve_system(polys, ring, system.n_vars).points
    [(3/4, 1/4)]
    """
    if order is not None and order != list(range(n_vars)):
        return _permuted(polys, ring, n_vars, symbolic, seed, order)
    polys = [p for p in polys if p]
    if any(p.is_ground for p in polys):
        return SystemSolution("empty")
    if n_vars == 0:
        return SystemSolution("finite", [()], [()])
    if not polys:
        return SystemSolution("continuum")
    basis = _lex_basis(polys, ring, n_vars)
    if any(g.is_ground for g in basis):
        return SystemSolution("empty")
    if not _zero_dimensional(basis, n_vars):
        return SystemSolution("continuum", basis=basis)
    shape = _shape(basis, n_vars)
    if shape is not None:
        return _points(shape, n_vars, symbolic)
    rng = random.Random(seed)
    for _ in range(3):  # separating coordinate t = x_d + sum c_k x_k, placed last in the order
        coeffs = [rng.randint(1, 9) for _ in range(n_vars - 1)]
        names = [str(g) for g in ring.gens[:n_vars]] + ["_t"]
        ring_t, *gens_t = sp.ring(names, sp.QQ, sp.lex)
        lifted = [_lift(p, ring_t) for p in polys]
        t = gens_t[-1]
        link = t - gens_t[n_vars - 1] - sum((c * x for c, x in zip(coeffs, gens_t, strict=False)), ring_t.zero)
        basis_t = groebner([*lifted, link], ring_t)
        shape = _shape(basis_t, n_vars + 1)
        if shape is not None:
            sol = _points(shape, n_vars + 1, symbolic)
            sol.points = [p if p is None else p[:n_vars] for p in sol.points]
            sol.values = [v[:n_vars] for v in sol.values]
            return sol
    return SystemSolution("unsolved")


def _permuted(polys: list[Any], ring: Any, n_vars: int, symbolic: bool, seed: int, order: list[int]
              ) -> SystemSolution:
    names = [str(ring.gens[k]) for k in order]
    ring_p = sp.ring(names, sp.QQ, sp.lex)[0]
    inverse = [order.index(k) for k in range(n_vars)]
    moved = [ring_p.from_dict({tuple(m[k] for k in order): c for m, c in p.items()}) for p in polys if p]
    sol = solve_system(moved, ring_p, n_vars, symbolic=symbolic, seed=seed)
    sol.points = [p if p is None else tuple(p[inverse[k]] for k in range(n_vars)) for p in sol.points]
    sol.values = [tuple(v[inverse[k]] for k in range(n_vars)) for v in sol.values]
    sol.basis = [ring.from_dict({tuple(m[inverse[k]] for k in range(n_vars)): c for m, c in g.items()})
                 for g in sol.basis]
    return sol


def _lex_basis(polys: list[Any], ring: Any, n_vars: int) -> list[Any]:
    """Reduced lex Groebner basis: Buchberger for small systems, F5B from 5 unknowns, and grevlex followed by
    FGLM conversion from 6 (measured fastest in each range on random support systems)."""
    if n_vars < 5:
        return list(groebner(polys, ring, method="buchberger"))
    if n_vars == 5:
        return list(groebner(polys, ring, method="f5b"))
    gens = ring.symbols[:n_vars]
    basis = sp.groebner([p.as_expr() for p in polys], *gens, order="grevlex", domain=sp.QQ)
    if not basis.is_zero_dimensional:
        return list(groebner(polys, ring, method="buchberger"))
    return [ring.from_expr(g) for g in basis.fglm("lex").exprs]


def _lift(p: Any, ring_t: Any) -> Any:
    """``p`` as an element of the ring with one more (last) generator."""
    return ring_t.from_dict({(*m, 0): c for m, c in p.items()})


def _zero_dimensional(basis: list[Any], n_vars: int) -> bool:
    """A lex Groebner basis defines finitely many points iff every variable has a pure power as a leading
    monomial."""
    found = [False] * n_vars
    for g in basis:
        lm = g.LM
        nonzero = [k for k, e in enumerate(lm[:n_vars]) if e]
        if len(nonzero) == 1:
            found[nonzero[0]] = True
    return all(found)


def _shape(basis: list[Any], n: int) -> tuple[list[list[Any]], list[Any]] | None:
    """``([g_1, ..., g_{n-1}], p)`` as coefficient lists in the last variable, when the basis is in shape
    position, else None."""
    if len(basis) != n:
        return None
    last = n - 1
    univariate = None
    linear: dict[int, list[Any]] = {}
    for g in basis:
        if any(any(e for e in m[:last]) for m in g.monoms() if m != g.LM):
            return None
        lm = g.LM
        heads = [k for k, e in enumerate(lm[:last]) if e]
        if not heads:
            univariate = _coefficients(g, last, skip=None)
        elif len(heads) == 1 and lm[heads[0]] == 1 and lm[last] == 0:
            linear[heads[0]] = [-c for c in _coefficients(g, last, skip=lm)]
        else:
            return None
    if univariate is None or len(linear) != last:
        return None
    return [linear[k] for k in range(last)], univariate


def _coefficients(g: Any, last: int, skip: Any) -> list[Any]:
    """Coefficients (highest degree first, as sympy Rationals) of ``g`` minus its monomial ``skip``, as a
    polynomial in the ``last`` variable."""
    terms = {m[last]: c for m, c in g.items() if m != skip}
    degree = max(terms, default=0)
    return [sp.Rational(int(terms[k].numerator), int(terms[k].denominator)) if k in terms else sp.Integer(0)
            for k in range(degree, -1, -1)]


def _points(shape: tuple[list[list[Any]], list[Any]], n: int, symbolic: bool) -> SystemSolution:
    linear, univariate = shape
    points: list[Any] = []
    values = []
    with mpmath.workdps(DIGITS):
        if symbolic:
            poly = sp.Poly(univariate, sp.Dummy("t"))
            roots = sorted(set(poly.real_roots()), key=lambda r: float(r))
            hp_roots = [mpmath.mpf(str(sp.N(r, DIGITS + 5))) for r in roots]
        else:
            roots = [None] * 0
            hp_roots = _real_roots_hp(univariate)
        for k, r_hp in enumerate(hp_roots):
            hp = [mpmath.polyval([mpmath.mpf(c.p) / c.q for c in coeffs], r_hp) for coeffs in linear] + [r_hp]
            values.append(tuple(hp))
            points.append(tuple([_evaluate(coeffs, roots[k]) for coeffs in linear] + [roots[k]]) if symbolic
                          else None)
    return SystemSolution("finite", points, values)


def _real_roots_hp(coeffs: list[Any]) -> list[Any]:
    """Real roots of a univariate rational polynomial at DIGITS digits: exact isolating intervals
    (``Poly.intervals``, Vincent-Akritas-Strzebonski), then bisection and Newton steps inside each interval."""
    poly = sp.Poly(coeffs, sp.Dummy("t")).sqf_part()
    if poly.degree() < 1:
        return []
    mp = [mpmath.mpf(c.p) / c.q for c in poly.all_coeffs()]
    deriv = [c * (len(mp) - 1 - k) for k, c in enumerate(mp[:-1])]
    biggest = max(abs(c) for c in mp)
    floats = [float(c / biggest) for c in mp]
    roots = []
    for (a, b), _ in poly.intervals():
        lo, hi = mpmath.mpf(a.p) / a.q, mpmath.mpf(b.p) / b.q
        if a == b:
            roots.append(lo)
            continue
        x = _newton_hp(mp, deriv, mpmath.mpf(_bisect_float(floats, float(a), float(b))))
        if x is None or not lo <= x <= hi:  # float64 was not accurate enough: bisect in high precision
            x = _bisect_hp(mp, deriv, lo, hi)
        roots.append(x)
    return sorted(roots)


def _bisect_float(coeffs: list[float], lo: float, hi: float) -> float:
    """A float64 bisection of a sign change in ``[lo, hi]`` down to ~1e-13 relative width (a Newton start)."""

    def f(x: float) -> float:
        value = 0.0
        for c in coeffs:
            value = value * x + c
        return value

    return float(_bisect(f, lo, hi, 1e-13, max_steps=200))


def _bisect(f: Callable[[Any], Any], lo: Any, hi: Any, rel_width: Any, *, max_steps: int | None = None) -> Any:
    """Bisect a sign change of ``f`` in ``[lo, hi]`` (floats or mpf) until ``hi - lo <= rel_width * max(1, |lo|)``.

    Returns a point where ``f`` is exactly 0 if one is met, else the last midpoint; ``max_steps`` caps the halvings.
    """
    f_lo = f(lo)
    steps = itertools.count() if max_steps is None else range(max_steps)
    for _ in steps:
        if hi - lo <= rel_width * max(1, abs(lo)):
            break
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def _newton_hp(mp: list[Any], deriv: list[Any], x: Any) -> Any:
    """Newton's method at DIGITS digits from ``x``; None unless the last step is below 1e-(DIGITS-5)."""
    step = mpmath.mpf(1)
    for _ in range(10):
        slope = mpmath.polyval(deriv, x)
        if slope == 0:
            return None
        step = mpmath.polyval(mp, x) / slope
        x -= step
        if abs(step) <= mpmath.mpf(10) ** (5 - DIGITS) * max(1, abs(x)):
            return x
    return None


def _bisect_hp(mp: list[Any], deriv: list[Any], lo: Any, hi: Any) -> Any:
    mid = _bisect(lambda x: mpmath.polyval(mp, x), lo, hi, mpmath.mpf(10) ** -12)
    x = _newton_hp(mp, deriv, mid)  # at an exact root Newton's step is 0: it returns ``mid`` unchanged
    return mid if x is None else x


def _evaluate(coeffs: list[Any], r: Any) -> Any:
    value = sp.Integer(0)
    for c in coeffs:
        value = value * r + c
    if r.is_Rational or isinstance(r, sp.CRootOf):
        return value
    return sp.expand(value)  # radicals: a + b*sqrt(c)
