r"""The exact path of n-player support enumeration on one support profile (private helper).

The indifference polynomials of the support profile (see :mod:`._support_systems`) are solved over
:math:`\mathbb{Q}` (:func:`._polynomial_systems.solve_system`). A real solution is an equilibrium when every
support probability is positive and no pure strategy earns more than the support's common payoff; both tests
run on 50-digit values of the exact algebraic numbers.

When the system has a continuum of solutions, its *extreme points* are found by adding, one at a time and in
every combination, the equations of the inequalities that bound the equilibrium set,

.. math::

    \sigma_j(s) = 0 \;\; (s \in S_j), \qquad u_i(t, \sigma_{-i}) = u_i(s_{i,0}, \sigma_{-i}) \;\; (t \notin S_i),

until the augmented system has finitely many solutions; the feasible ones are reported as degenerate
equilibria of one component. The number of Groebner bases computed per continuum is capped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from ._polynomial_systems import DIGITS, solve_system
from ._support_systems import SupportSystem

__all__ = ["Candidate", "ExactOutcome", "solve_support_exactly"]

#: Groebner bases allowed when exploring one continuum.
MAX_CONTINUUM_BASES = 400


@dataclass
class Candidate:
    """A certified-in-high-precision equilibrium on one support profile.

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> candidate = solve_support_exactly(system, 3.0).candidates[0]
    >>> candidate.sigma, candidate.degenerate
    ([[3/4, 1/4], [1/4, 3/4]], False)
    """

    sigma: list[list[Any]] | None  # exact sympy numbers per player, on the support (None: not computed)
    values: list[list[Any]]  # the same as mpmath numbers
    degenerate: bool = False


@dataclass
class ExactOutcome:
    """What the exact path found on one support profile.

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> outcome = solve_support_exactly(system, 3.0)
    >>> outcome.status, len(outcome.candidates), outcome.exhausted
    ('finite', 1, True)
    """

    status: str  # "finite", "empty", "continuum", "unsolved"
    candidates: list[Candidate] = field(default_factory=list)
    exhausted: bool = True  # False when a continuum exploration hit its cap or an unsolved subsystem


def solve_support_exactly(system: SupportSystem, scale: float, *, symbolic: bool = True) -> ExactOutcome:
    """Every equilibrium with exactly this support (and the extreme points of any continuum on it).

    ``symbolic=False`` skips the exact algebraic form of the solutions (their 50-digit values are kept).

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> solve_support_exactly(system, 3.0).candidates[0].sigma
    [[3/4, 1/4], [1/4, 3/4]]
    """
    ring, gens = system.ring()
    eqs, pays = system.exact_equations(ring, gens)
    order = _variable_order(system)
    solution = solve_system(eqs, ring, system.n_vars, symbolic=symbolic, order=order)
    if solution.status in ("empty", "unsolved"):
        return ExactOutcome(solution.status, exhausted=solution.status == "empty")
    if solution.status == "finite":
        found = [c for p, v in zip(solution.points, solution.values, strict=True)
                 if (c := _check(system, p, v, scale, strict=True)) is not None]
        return ExactOutcome("finite", found)
    return _explore(system, ring, gens, eqs, pays, scale, symbolic, solution.basis, order)


def _explore(system: SupportSystem, ring: Any, gens: list[Any], eqs: list[Any], pays: list[list[Any]],
             scale: float, symbolic: bool, basis: list[Any], order: list[int]) -> ExactOutcome:
    sig = system.exact_sigmas(ring, gens)
    extra = []
    for j in range(system.n):
        if system.k[j] > 1:
            extra += list(sig[j])
    for i in range(system.n):
        base = pays[i][system.supports[i][0]]
        extra += [pays[i][t] - base for t in range(len(pays[i])) if t not in system.supports[i]]
    outcome = ExactOutcome("continuum")
    budget = [MAX_CONTINUUM_BASES]
    seen: set[tuple[int, ...]] = set()

    def visit(chosen: tuple[int, ...], basis: list[Any]) -> None:
        for k in range(chosen[-1] + 1 if chosen else 0, len(extra)):
            if budget[0] <= 0:
                outcome.exhausted = False
                return
            combo = (*chosen, k)
            if combo in seen or not extra[k].rem(basis):  # already implied: same solution set
                continue
            seen.add(combo)
            budget[0] -= 1
            sol = solve_system(eqs + [extra[c] for c in combo], ring, system.n_vars, symbolic=symbolic,
                               order=order)
            if sol.status == "finite":
                for p, v in zip(sol.points, sol.values, strict=True):
                    cand = _check(system, p, v, scale, strict=False)
                    if cand is not None:
                        cand.degenerate = True
                        outcome.candidates.append(cand)
            elif sol.status == "continuum" and len(combo) < system.n_vars:
                visit(combo, sol.basis)
            elif sol.status == "unsolved":
                outcome.exhausted = False

    visit((), basis)
    return outcome


def _variable_order(system: SupportSystem) -> list[int]:
    """Lex order with the players with most variables first and the fewest last (eliminating down to a
    small block is much cheaper: measured 2-3x on 3x3x3 supports)."""
    players = sorted(range(system.n), key=lambda j: (-system.d[j], j))
    return [k for j in players for k in range(int(system.offsets[j]), int(system.offsets[j + 1]))]


def _check(system: SupportSystem, point: tuple[Any, ...] | None, values: tuple[Any, ...], scale: float, *,
           strict: bool) -> Candidate | None:
    """The candidate's support strategies, when it is an equilibrium (tested at DIGITS digits)."""
    eps = mpmath.mpf(10) ** (-(DIGITS - 15)) * scale
    with mpmath.workdps(DIGITS):
        sigma, hp = [], []
        for j in range(system.n):
            lo, hi = system.offsets[j], system.offsets[j + 1]
            vals = list(values[lo:hi])
            vals.append(1 - mpmath.fsum(vals))
            if any((x <= eps) if strict else (x < -eps) for x in vals):
                return None
            if point is not None:
                exact = list(point[lo:hi])
                exact.append(sp.Integer(1) - sum(exact, sp.Integer(0)))
                sigma.append([_tidy(x) for x in exact])
            hp.append(vals)
        for i in range(system.n):
            pay = _payoffs_hp(system, i, hp)
            if max(pay) - pay[system.supports[i][0]] > eps:
                return None
    return Candidate(sigma if point is not None else None, hp)


def _payoffs_hp(system: SupportSystem, i: int, hp: list[list[Any]]) -> list[Any]:
    """``u_i(a, sigma_{-i})`` for every pure ``a`` in high precision."""
    table = system.tables[i]
    opp = [j for j in range(system.n) if j != i]
    out = []
    for a in range(table.shape[0]):
        total = mpmath.mpf(0)
        for index, c in _entries(table[a]):
            w = mpmath.mpf(c.numerator) / c.denominator
            for j, b in zip(opp, index, strict=True):
                w *= hp[j][b]
            total += w
        out.append(total)
    return out


def _entries(table: Any) -> list[tuple[tuple[int, ...], Any]]:
    return [(idx, x if isinstance(x, Fraction) else Fraction(x)) for idx, x in np.ndenumerate(table)]


def _tidy(x: Any) -> Any:
    """Rationals stay sympy Rationals; radicals are expanded; other algebraic numbers are kept as given."""
    if x.is_Rational or x.has(sp.CRootOf):
        return x
    return sp.radsimp(sp.expand(x))
