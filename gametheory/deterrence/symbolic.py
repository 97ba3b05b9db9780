"""Symbolic helpers shared by the closed forms: gains, cap branches, and a fast solver for multilinear systems."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

from .._lazy import sympy

__all__ = ["gain", "branches", "solve_system", "support_conditions", "real", "fake_reach"]

FloatArray = npt.NDArray[np.float64]


def solve_system(equations: list[sympy.Expr], unknowns: list[sympy.Symbol],
                 theta: sympy.Symbol | None = None) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Solve a multilinear system by elimination: each step solves one equation that is linear in one unknown
    (the opponents' mixes first), the last equation is a polynomial in the last unknown (degree <= 2 by formula).

    Much faster than :func:`sympy.solve` on these systems; returns [] when the system has no isolated solution.
    """
    eqs = [_numerator(e) for e in equations]
    unknowns = list(unknowns)
    eliminated: list[tuple[sympy.Symbol, sympy.Expr]] = []
    while len(eqs) > 1:
        pick = next(((i, u) for i, e in enumerate(eqs) for u in sorted(unknowns, key=lambda u: u == theta)
                     if e.has(u) and sympy.degree(e, u) == 1), None)
        if pick is None:
            return []
        i, u = pick
        poly = sympy.Poly(eqs.pop(i), u)
        value = -poly.coeff_monomial(1) / poly.coeff_monomial(u)
        eliminated.append((u, value))
        unknowns.remove(u)
        eqs = [_numerator(e.xreplace({u: value})) for e in eqs]
        if any(e == 0 or not e.has(*unknowns) for e in eqs):
            return []
    (u,) = unknowns
    poly = sympy.Poly(eqs[0], u)
    coeffs = poly.all_coeffs()
    if len(coeffs) == 2:
        roots = [-coeffs[1] / coeffs[0]]
    elif len(coeffs) == 3:
        a2, b2, c2 = coeffs
        disc = sympy.sqrt(b2**2 - 4 * a2 * c2)
        roots = [(-b2 - disc) / (2 * a2), (-b2 + disc) / (2 * a2)]
    else:
        roots = [r for r in sympy.solve(eqs[0], u, check=False, simplify=False) if not r.has(sympy.I)]
    solutions = []
    for root in roots:
        sol = {u: root}
        for v, expr in reversed(eliminated):
            sol[v] = expr.xreplace(sol)
        solutions.append(sol)
    return solutions


def fake_reach(model: Any) -> sympy.Expr | None:
    r"""The share :math:`s` of the seller's Counterfeit that the model counts as reaching a buyer, when its
    ``counterfeit_rate`` is :math:`s \cdot x` (:math:`x` the seller's probability of Counterfeit) whatever the
    others play: 1 in most models, :math:`(1 - q_0)(1 - \rho)` under cash on delivery (fakes refused at the door
    never reach a buyer). None when the rate is not of that form (the closed forms then do not answer).

    Examples
    --------
    >>> import gametheory as gt
    >>> fake_reach(gt.models.get("direct")), fake_reach(gt.models.get("cash_on_delivery"))
    (1, (q_0 - 1)*(rho - 1))
    """
    rate = model.symbolic_metrics()["counterfeit_rate"]
    shape = tuple(rate.shape)
    if not shape or shape[0] != 2:
        return None
    per_fake = {sympy.factor(rate[(1, *rest)]) for rest in itertools.product(*map(range, shape[1:]))}
    honest = {rate[(0, *rest)] for rest in itertools.product(*map(range, shape[1:]))}
    if len(per_fake) != 1 or honest != {0}:
        return None
    return per_fake.pop()


def _numerator(expr: sympy.Expr) -> sympy.Expr:
    return sympy.expand(sympy.numer(sympy.together(sympy.expand(expr))))


def gain(table: Any, n: int, probs: list[Any], player: int) -> sympy.Expr:
    """Player's payoff from its strategy 1 minus strategy 0 when the others mix with ``probs``."""
    total = sympy.Integer(0)
    for profile in itertools.product(range(2), repeat=n - 1):
        others = list(profile)
        weight = sympy.Integer(1)
        for j, s in zip([j for j in range(n) if j != player], others, strict=True):
            weight *= probs[j] if s == 1 else 1 - probs[j]
        hi = list(others)
        hi.insert(player, 1)
        lo = list(others)
        lo.insert(player, 0)
        total += weight * (table[(player, *hi)] - table[(player, *lo)])
    return sympy.expand(total)


def support_conditions(probs: list[sympy.Symbol], gains: list[sympy.Expr], pattern: tuple[str, ...],
                       fixed: dict[sympy.Symbol, int], solution: dict[sympy.Symbol, sympy.Expr]) -> list[sympy.Expr]:
    """The inequalities (each ``>= 0``) under which ``solution`` of a support ``pattern``'s indifference equations
    is an equilibrium: a mixed player's (``"m"``) probability in :math:`[0, 1]`, a pure player's gain from strategy
    1 (at the ``fixed`` pure choices and the solution) of the sign its strategy (``"0"`` or ``"1"``) needs."""
    out = []
    for x, g, p in zip(probs, gains, pattern, strict=True):
        if p == "m":
            out += [solution[x], 1 - solution[x]]
        else:
            value = g.xreplace(fixed).xreplace(solution)
            out.append(value if p == "1" else -value)
    return out


def branches(exprs: list[sympy.Expr], theta: sympy.Symbol, conditions: tuple[sympy.Expr, ...] = (),
             text: tuple[str, ...] = (), *, expand: bool = True) -> Any:
    """Split every ``Min``/``Max`` that involves ``theta`` into its branches, innermost first.

    Yields ``(expressions, conditions, description)``: the expressions with each cap replaced by one argument,
    the inequalities (``>= 0``) under which those are the right arguments, and the choices in words.
    """
    atoms = [a for e in exprs for a in e.atoms(sympy.Min, sympy.Max) if a.has(theta)]
    inner = sorted({a for a in atoms if not any(b.has(sympy.Min, sympy.Max) and b.has(theta) for b in a.args)},
                   key=sympy.default_sort_key)
    if not inner:
        yield [sympy.expand(e) if expand else e for e in exprs], list(conditions), text
        return
    atom = inner[0]
    for chosen in atom.args:
        new = [e.xreplace({atom: chosen}) for e in exprs]
        yield from branches(new, theta, conditions + tuple(_branch_condition(atom, chosen)),
                            text + (f"{atom} = {chosen}",), expand=expand)


def _branch_condition(atom: Any, chosen: Any) -> list[sympy.Expr]:
    others = [a for a in atom.args if a != chosen]
    if isinstance(atom, sympy.Min):
        return [o - chosen for o in others]
    return [chosen - o for o in others]


def real(x: Any, n: int) -> FloatArray:
    """The real part of a lambdified result as a float array of length ``n`` (NaN where it is truly complex).

    >>> real(np.array([1 + 0j, 2 + 1j]), 2).tolist()
    [1.0, nan]
    """
    if type(x) is np.ndarray and x.dtype == np.float64 and x.shape == (n,):
        return x  # the common case: already a float array of the points
    arr = np.asarray(x)
    if np.iscomplexobj(arr):
        arr = np.where(np.abs(arr.imag) <= 1e-12 * (1 + np.abs(arr.real)), arr.real, np.nan)
    return np.broadcast_to(np.asarray(arr, dtype=float), (n,))
