r"""Exact rest points of 2x2 and 2x2x2 games with rational payoffs (sympy: rationals and square roots).

On each face the mixing shares solve :math:`f_i(x_{-i}) = 0` for every mixing population :math:`i`, where
:math:`f_i = u_i(1\text{st}, x_{-i}) - u_i(2\text{nd}, x_{-i})` is multilinear: affine equations on faces and, in
the interior of a 2x2x2 game, a quadratic after elimination. ``sympy.solve`` returns them in radicals.
"""

from __future__ import annotations

import itertools
from typing import Any

import sympy

from ..games.normal_form import NormalFormGame


def exact_binary_rest_points(game: NormalFormGame) -> tuple[list[tuple[tuple[Any, ...], ...]], bool]:
    """Exact isolated rest points (profiles of sympy numbers) and whether a continuum exists."""
    n = game.n_players
    xs = sympy.symbols(f"x0:{n}", real=True)
    payoffs = sympy.Array([sympy.Rational(v.numerator, v.denominator) for v in game.payoffs.ravel()],
                          game.payoffs.shape)
    f = [_gain(payoffs, i, xs) for i in range(n)]
    points, continuum = [], False
    for mixing in sorted(itertools.chain.from_iterable(itertools.combinations(range(n), r) for r in range(n + 1)),
                         key=len):
        others = [k for k in range(n) if k not in mixing]
        for values in itertools.product((sympy.Integer(1), sympy.Integer(0)), repeat=len(others)):
            fixed = dict(zip([xs[k] for k in others], values, strict=True))
            eqs = [sympy.expand(f[i].subs(fixed)) for i in mixing]
            unknowns = [xs[i] for i in mixing]
            if not mixing:
                points.append(fixed)
                continue
            if all(e == 0 for e in eqs):
                continuum = True
                continue
            for sol in sympy.solve(eqs, unknowns, dict=True):
                if len(sol) < len(unknowns) or any(v.free_symbols for v in sol.values()):
                    continuum |= _meets_interior(sol, unknowns)
                    continue
                if all(v.is_real and 0 < v < 1 for v in sol.values()):
                    points.append({**fixed, **{k: sympy.radsimp(v) for k, v in sol.items()}})
    profiles = [tuple((p[x], 1 - p[x]) for x in xs) for p in points]
    return profiles, continuum


def _gain(payoffs: sympy.Array, i: int, xs: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    """f_i: player i's payoff from its first strategy minus its second, against the others' shares."""
    n = len(xs)
    total = sympy.Integer(0)
    for profile in itertools.product((0, 1), repeat=n - 1):
        weight = sympy.Integer(1)
        full = list(profile)
        for k, a in zip([k for k in range(n) if k != i], profile, strict=True):
            weight *= xs[k] if a == 0 else 1 - xs[k]
        first = tuple(full[:i] + [0] + full[i:])
        second = tuple(full[:i] + [1] + full[i:])
        total += weight * (payoffs[(i, *first)] - payoffs[(i, *second)])
    return sympy.expand(total)


def _meets_interior(sol: dict[Any, Any], unknowns: list[sympy.Symbol]) -> bool:
    """Whether a parametric solution family passes through the open face (checked at a few parameter values)."""
    free = sorted({s for v in sol.values() for s in v.free_symbols} | (set(unknowns) - set(sol)), key=str)
    for values in itertools.product([sympy.Rational(k, 7) for k in range(1, 7)], repeat=len(free)):
        sub = dict(zip(free, values, strict=True))
        point = {u: sympy.sympify(sol.get(u, u)).subs(sub) for u in unknowns}
        if all(v.is_real and 0 < v < 1 for v in point.values()):
            return True
    return False
