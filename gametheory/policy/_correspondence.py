r"""The followers' equilibrium correspondence as exact functions of the committed audit rate :math:`x`.

With the platform committed to Audit with probability :math:`x`, every follower's payoff is linear in :math:`x`:
:math:`u_i(a_F; x) = (1-x)\,u_i(a_F, \text{Lax}) + x\,u_i(a_F, \text{Audit})`, in exact rationals from
:meth:`Model.exact_game`. The followers' game is *polymatrix* (checked): each follower's payoff is a sum of terms
that each involve one other follower, :math:`u_i(s, a_{-i}) = c_i(s) + \sum_{j \ne i} G_{ij}(s, a_j)` (in agent
form the buyer and the hunter each trade with the seller only). So for every choice of supports
:math:`S = (S_i)` the indifference system

.. math::

    c_i(s) + \sum_{j \ne i} \sum_{t \in S_j} \sigma_j(t)\, G_{ij}(s, t) = v_i \quad (s \in S_i), \qquad
    \sum_{s \in S_i} \sigma_i(s) = 1

is *linear*, with coefficients linear in :math:`x`: its solution is a vector of rational functions of :math:`x`
(solved over :math:`\mathbb{Q}(x)`). It is an equilibrium where every :math:`\sigma_i(s) \ge 0` and no strategy
outside the support pays more than :math:`v_i`: finitely many sign conditions on rational functions, which change
only at roots of their numerators and denominators. Those roots in :math:`(0, 1)` cut :math:`[0, 1]` into pieces
on which the same supports are equilibria, each with its formulas. Strategies strictly dominated at both
:math:`x = 0` and :math:`x = 1` (hence everywhere between) are removed first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError

from ..errors import SolverError
from ._followers import leader_index

__all__ = ["X", "Branch", "Correspondence", "correspondence"]

#: the committed audit probability
X = sympy.Symbol("x")
_FIELD = sympy.QQ.frac_field(X)


@dataclass(frozen=True)
class Branch:
    """One support system: the followers' strategies as rational functions of :math:`x` where it is an equilibrium.

    Attributes
    ----------
    supports : tuple of tuple of int
        Each follower's support (strategy indices of the model).
    strategies : tuple of tuple of sympy expressions
        Each follower's full mixed strategy (zeros off the support), functions of :data:`X`.
    leader_value : sympy expression
        The platform's expected payoff, a rational function of :data:`X`.
    conditions : tuple of sympy expressions
        Expressions that must be :math:`\\ge 0` for the branch to be an equilibrium.
    """

    supports: tuple[tuple[int, ...], ...]
    strategies: tuple[tuple[Any, ...], ...]
    leader_value: Any
    conditions: tuple[Any, ...]

    def holds_at(self, x: Any) -> bool:
        """True when every condition is :math:`\\ge 0` at the rational ``x`` (and no denominator vanishes)."""
        for cond in self.conditions:
            num, den = sympy.fraction(sympy.together(cond))
            d = den.subs(X, x)
            if d == 0 or (num.subs(X, x) / d) < 0:
                return False
        return True


@dataclass(frozen=True)
class Correspondence:
    """The followers' equilibrium branches and the breakpoints in :math:`(0, 1)` where the valid set can change."""

    branches: tuple[Branch, ...]
    breakpoints: tuple[float, ...]
    followers: tuple[int, ...]
    degenerate: bool


def correspondence(model: Any) -> Correspondence:
    """Every support system of the followers' game as functions of the audit rate, and the breakpoints.

    Raises
    ------
    SolverError
        The model has no platform with two strategies, or the followers' game is not polymatrix.

    Examples
    --------
    >>> import gametheory as gt
    >>> c = correspondence(gt.models.get("direct"))
    >>> len(c.branches) > 0, all(0 < b < 1 for b in c.breakpoints)
    (True, True)
    """
    lead = leader_index(model)
    if lead is None or model.shape[lead] != 2:
        raise SolverError(f"Commitment to an audit rate needs a platform with two strategies; {model.name!r} has none.")
    exact = model.exact_game().payoffs
    followers = tuple(i for i in range(len(model.players)) if i != lead)
    at = [np.take(exact, b, axis=1 + lead) for b in (0, 1)]  # (n, *follower shape) at Lax and at Audit
    tensors = [[sympy.Rational(0) + (1 - X) * a + X * b for a, b in zip(lo.ravel(), hi.ravel(), strict=True)]
               for lo, hi in zip(at[0], at[1], strict=True)]
    shape = tuple(model.shape[i] for i in followers)
    payoff = {i: np.array(tensors[i], dtype=object).reshape(shape) for i in range(len(model.players))}
    _check_polymatrix(model, followers, [at[0], at[1]], shape)
    kept = _undominated(followers, [at[0], at[1]], shape)
    branches, degenerate = [], False
    for supports in itertools.product(*(_subsets(k) for k in kept)):
        branch = _branch(model, followers, payoff, lead, shape, supports, kept)
        if branch is None:
            degenerate = True
        elif branch is not False:
            branches.append(branch)
    points = set()
    for branch in branches:
        for expr in (*branch.conditions, branch.leader_value):
            num, den = sympy.fraction(sympy.together(expr))
            for poly in (num, den):
                points.update(_roots_in_unit(poly))
    return Correspondence(tuple(branches), tuple(sorted(points)), followers, degenerate)


def _subsets(items: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [c for r in range(1, len(items) + 1) for c in itertools.combinations(items, r)]


def _check_polymatrix(model: Any, followers: tuple[int, ...], ends: list[np.ndarray], shape: tuple[int, ...]) -> None:
    """Each follower's payoff must be additively separable in the other followers' actions (at x = 0 and 1)."""
    if len(followers) <= 2:
        return
    for end in ends:
        for j, i in enumerate(followers):
            u = end[i]
            for a in itertools.product(*map(range, shape)):
                base = list(a)
                for m in range(len(shape)):
                    if m != j:
                        base[m] = 0
                total = u[tuple(base)]
                for m in range(len(shape)):
                    if m != j and a[m] != 0:
                        one = list(base)
                        one[m] = a[m]
                        total += u[tuple(one)] - u[tuple(base)]
                if sympy.nsimplify(u[a] - total) != 0:
                    raise SolverError(
                        f"Commitment needs a polymatrix followers' game; {model.players[i]!r}'s payoff in "
                        f"{model.name!r} couples two other followers."
                    )


def _undominated(followers: tuple[int, ...], ends: list[np.ndarray], shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Iteratively remove pure strategies strictly dominated by a pure one at both x = 0 and x = 1."""
    kept = [list(range(s)) for s in shape]
    changed = True
    while changed:
        changed = False
        for j, i in enumerate(followers):
            for s in list(kept[j]):
                others = [range(0) if m == j else kept[m] for m in range(len(shape))]
                for t in kept[j]:
                    if t == s:
                        continue
                    if all(_strictly_better(end[i], j, t, s, others) for end in ends):
                        kept[j].remove(s)
                        changed = True
                        break
    return [tuple(k) for k in kept]


def _strictly_better(u: np.ndarray, j: int, t: int, s: int, others: list[Any]) -> bool:
    grids = [list(o) if m != j else [0] for m, o in enumerate(others)]
    for a in itertools.product(*grids):
        at_t, at_s = list(a), list(a)
        at_t[j], at_s[j] = t, s
        if not u[tuple(at_t)] > u[tuple(at_s)]:
            return False
    return True


def _expected(u: np.ndarray, strategies: list[tuple[Any, ...]], skip: int | None, own: int | None) -> Any:
    """Expected value of ``u`` (follower axes) under ``strategies``; follower ``skip`` plays ``own`` instead."""
    total = sympy.Integer(0)
    ranges = [[own] if m == skip else [t for t, p in enumerate(strategies[m]) if p != 0]
              for m in range(len(strategies))]
    for a in itertools.product(*ranges):
        weight = sympy.Integer(1)
        for m, t in enumerate(a):
            if m != skip:
                weight *= strategies[m][t]
        total += weight * u[a]
    return total


def _branch(model: Any, followers: tuple[int, ...], payoff: dict[int, np.ndarray], lead: int,
            shape: tuple[int, ...], supports: tuple[tuple[int, ...], ...], kept: list[tuple[int, ...]]
            ) -> Branch | None | bool:
    """Solve one support system over Q(x): a Branch, False (no solution) or None (singular for every x)."""
    sizes = [len(s) for s in supports]
    n_sigma = sum(sizes)
    offset = np.cumsum([0, *sizes])
    n_unknown = n_sigma + len(followers)
    rows, rhs = [], []
    for j, i in enumerate(followers):
        base = [0] * len(shape)
        for s in supports[j]:
            row = [sympy.Integer(0)] * n_unknown
            const = payoff[i][tuple(s if m == j else 0 for m in range(len(shape)))]  # c_i(s): the others at 0
            for m in range(len(shape)):
                if m == j:
                    continue
                for k, t in enumerate(supports[m]):
                    idx = list(base)
                    idx[j], idx[m] = s, t
                    row[offset[m] + k] += payoff[i][tuple(idx)] - const  # G_im(s, t)
            row[n_sigma + j] = sympy.Integer(-1)
            rows.append(row)
            rhs.append(-const)
        row = [sympy.Integer(0)] * n_unknown
        for k in range(sizes[j]):
            row[offset[j] + k] = sympy.Integer(1)
        rows.append(row)
        rhs.append(sympy.Integer(1))
    matrix = DomainMatrix([[_FIELD.from_sympy(sympy.expand(e)) for e in r] for r in rows], (n_unknown, n_unknown),
                          _FIELD)
    vector = DomainMatrix([[_FIELD.from_sympy(sympy.expand(e))] for e in rhs], (n_unknown, 1), _FIELD)
    try:
        solution = [sympy.cancel(e) for e in matrix.lu_solve(vector).to_Matrix()]
    except DMNonInvertibleMatrixError:
        return None
    strategies = []
    for j, s in enumerate(supports):
        full = [sympy.Integer(0)] * shape[j]
        for k, t in enumerate(s):
            full[t] = solution[offset[j] + k]
        strategies.append(tuple(full))
    conditions: list[Any] = [solution[k] for k in range(n_sigma)]
    for j, i in enumerate(followers):
        v = solution[n_sigma + j]
        for t in kept[j]:
            if t not in supports[j]:
                conditions.append(sympy.cancel(v - _expected(payoff[i], strategies, j, t)))
    if any(c.is_number and c < 0 for c in conditions):
        return False
    value = sympy.cancel(_expected(payoff[lead], strategies, None, None))
    return Branch(tuple(supports), tuple(strategies), value, tuple(c for c in conditions if not c.is_number))


def _roots_in_unit(expr: Any) -> list[float]:
    poly = sympy.Poly(expr, X)
    if poly.degree() <= 0:
        return []
    return [float(r) for r in sympy.real_roots(poly) if 0 < float(r) < 1]
