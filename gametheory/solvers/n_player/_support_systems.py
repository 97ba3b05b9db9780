r"""The indifference system of one support profile of an n-player game (private helpers).

For a support profile :math:`S = (S_1, \dots, S_n)` write player *j*'s mixed strategy on :math:`S_j` with the
:math:`d_j = |S_j| - 1` free variables :math:`v_j`: :math:`\sigma_j = (v_{j,1}, \dots, v_{j,d_j},
1 - \sum_r v_{j,r})`. The equilibrium conditions inside the support are the :math:`d = \sum_j d_j` equations

.. math::

    F_{i,r}(v) = u_i(s_{i,r}, \sigma_{-i}) - u_i(s_{i,0}, \sigma_{-i}) = 0, \qquad r = 1, \dots, d_i,

each *multilinear*: of degree at most one in every opponent's variables and free of the player's own. This
module builds them as numpy evaluators (residual and Jacobian, vectorised over many points) and as exact
polynomials over :math:`\mathbb{Q}` (sympy ``PolyElement``), and enumerates support profiles with the
conditional-dominance pruning of Porter, Nudelman & Shoham (2008).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

Supports = tuple[tuple[int, ...], ...]
_LETTERS = "abcdefghijklnopqrstuvwxyz"  # 'm' is the batch index


def support_profiles(shape: Sequence[int]) -> Iterator[Supports]:
    """Every profile of non-empty supports, smallest total size first (pure profiles first)."""
    per_player = [
        [c for k in range(1, s + 1) for c in itertools.combinations(range(s), k)] for s in shape
    ]
    profiles = list(itertools.product(*per_player))
    profiles.sort(key=lambda p: (sum(len(s) for s in p), [len(s) for s in p]))
    yield from profiles


class ConditionalDominance:
    """Tests whether a support profile holds a conditionally dominated strategy.

    Strategy :math:`a \\in S_i` is conditionally dominated when some :math:`a' \\in A_i` earns more than
    ``slack`` above it against every :math:`a_{-i} \\in S_{-i}` (Porter, Nudelman & Shoham 2008); no
    equilibrium with support :math:`S` then exists. The dominated set depends only on :math:`S_{-i}` and is
    cached per player and opponents' supports.
    """

    def __init__(self, payoffs: npt.NDArray[np.float64], slack: float) -> None:
        self.payoffs = payoffs
        self.slack = slack
        self.cache: dict[tuple[int, Supports], frozenset[int]] = {}

    def dominated(self, i: int, supports: Supports) -> frozenset[int]:
        """Player ``i``'s strategies dominated given the opponents' supports in ``supports``."""
        key = (i, supports[:i] + supports[i + 1 :])
        if key not in self.cache:
            index = [np.asarray(s) for s in supports]
            index[i] = np.arange(self.payoffs.shape[1 + i])
            rows = np.moveaxis(self.payoffs[i][np.ix_(*index)], i, 0).reshape(self.payoffs.shape[1 + i], -1)
            better = np.all(rows[:, None, :] > rows[None, :, :] + self.slack, axis=2)  # better[a', a]
            self.cache[key] = frozenset(int(a) for a in np.flatnonzero(better.any(axis=0)))
        return self.cache[key]

    def __call__(self, supports: Supports) -> bool:
        return any(not self.dominated(i, supports).isdisjoint(s) for i, s in enumerate(supports))


class SupportSystem:
    """The indifference system of one support profile, evaluated in floats or built exactly."""

    def __init__(self, payoffs: npt.NDArray[Any], supports: Supports,
                 integer_payoffs: npt.NDArray[Any] | None = None) -> None:
        self.payoffs = payoffs
        self.integer_payoffs = integer_payoffs  # each player's payoffs times a positive constant, as ints
        self.supports = supports
        self.n = len(supports)
        self.k = [len(s) for s in supports]
        self.d = [k - 1 for k in self.k]
        self.offsets = np.concatenate([[0], np.cumsum(self.d)]).astype(int)
        self.n_vars = int(self.offsets[-1])
        # tables[i][a, b_1, ...]: player i's payoff, own strategy a in A_i first, opponents in S_j in order
        self.tables = []
        for i in range(self.n):
            index = [np.asarray(s) for s in supports]
            index[i] = np.arange(payoffs.shape[1 + i])
            self.tables.append(np.moveaxis(payoffs[i][np.ix_(*index)], i, 0))
        self.float_tables = [t.astype(float)[list(s)] for t, s in zip(self.tables, supports, strict=True)]

    def root_bound(self) -> int:
        """The multihomogeneous Bezout number: how many isolated complex roots the system can have (the
        McKelvey-McLennan bound; the number of homotopy paths)."""
        mixing = [j for j in range(self.n) if self.d[j]]
        choices = [[j for j in mixing if j != i] for i in mixing for _ in range(self.d[i])]
        return sum(all(c.count(j) == self.d[j] for j in mixing) for c in itertools.product(*choices))

    # ------------------------------------------------------------------ float evaluation
    def sigmas(self, v: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
        """Mixed strategies on the supports, each ``(m, k_j)``, at the points ``v`` of shape ``(m, d)``."""
        out = []
        for j in range(self.n):
            vj = v[:, self.offsets[j] : self.offsets[j + 1]]
            out.append(np.concatenate([vj, 1.0 - vj.sum(axis=1, keepdims=True)], axis=1))
        return out

    def profile(self, sigma: Sequence[npt.NDArray[Any]]) -> list[npt.NDArray[np.float64]]:
        """The full mixed profile (zeros off the supports) of one point's support strategies."""
        out = []
        for j, s in enumerate(self.supports):
            vec = np.zeros(self.payoffs.shape[1 + j])
            vec[list(s)] = np.asarray(sigma[j], dtype=float)
            out.append(vec)
        return out

    def _contract(self, i: int, sig: list[npt.NDArray[Any]], skip: int | None = None) -> npt.NDArray[Any]:
        table = self.float_tables[i]
        letters = _LETTERS[: self.n]
        opp = [j for j in range(self.n) if j != i]
        terms = [letters[i] + "".join(letters[j] for j in opp), "m"]
        operands = [table, np.ones(sig[0].shape[0])]  # carries the batch index when every opponent is skipped
        out = "m" + letters[i]
        for j in opp:
            if j == skip:
                out += letters[j]
            else:
                terms.append("m" + letters[j])
                operands.append(sig[j])
        return np.asarray(np.einsum(",".join(terms) + "->" + out, *operands))  # float, or complex for complex v

    def residual(self, v: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``F(v)`` of shape ``(m, d)`` (real or complex ``v``)."""
        sig = self.sigmas(v)
        parts = []
        for i in range(self.n):
            if self.d[i]:
                pay = self._contract(i, sig)
                parts.append(pay[:, 1:] - pay[:, :1])
        return np.concatenate(parts, axis=1) if parts else np.zeros((v.shape[0], 0))

    def jacobian(self, v: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``dF/dv`` of shape ``(m, d, d)`` (real or complex ``v``)."""
        sig = self.sigmas(v)
        jac = np.zeros((v.shape[0], self.n_vars, self.n_vars), dtype=np.result_type(v.dtype, np.float64))
        for i in range(self.n):
            if not self.d[i]:
                continue
            rows = slice(self.offsets[i], self.offsets[i + 1])
            for j in range(self.n):
                if j == i or not self.d[j]:
                    continue
                block = self._contract(i, sig, skip=j)  # (m, k_i, k_j)
                block = block[:, :, :-1] - block[:, :, -1:]  # d sigma_j / d v_j
                jac[:, rows, self.offsets[j] : self.offsets[j + 1]] = block[:, 1:] - block[:, :1]
        return jac

    # ------------------------------------------------------------------ exact polynomials
    def ring(self) -> tuple[Any, list[Any]]:
        """A lex-ordered polynomial ring over QQ in the ``d`` variables, and its generators."""
        import sympy as sp

        names = [f"v{j}_{r}" for j in range(self.n) for r in range(self.d[j])] or ["_unused"]
        ring, *gens = sp.ring(names, sp.QQ, sp.lex)
        return ring, gens[: self.n_vars]

    def exact_sigmas(self, ring: Any, gens: list[Any]) -> list[list[Any]]:
        """Each player's support probabilities as ring elements."""
        out = []
        for j in range(self.n):
            vj = gens[self.offsets[j] : self.offsets[j + 1]]
            out.append([*vj, ring.one - sum(vj, ring.zero)])
        return out

    def exact_payoffs(self, i: int, ring: Any, sig: list[list[Any]]) -> list[Any]:
        """``u_i(a, sigma_{-i})`` for every pure ``a`` of player ``i`` (all of ``A_i``), as ring elements."""
        opp = [j for j in range(self.n) if j != i]
        monomials, weights = _expansion(tuple(self.k[j] for j in opp), tuple(int(self.offsets[j]) for j in opp),
                                        self.n_vars)
        domain = ring.domain
        out = []
        if self.integer_payoffs is not None:  # same zero sets, native integer arithmetic
            index = [np.asarray(s) for s in self.supports]
            index[i] = np.arange(self.payoffs.shape[1 + i])
            table = np.moveaxis(self.integer_payoffs[i][np.ix_(*index)], i, 0)
            for row in table.reshape(table.shape[0], -1):
                coeffs = row @ weights
                out.append(ring.from_dict({m: domain(int(c)) for m, c in zip(monomials, coeffs, strict=True) if c}))
            return out
        for row in self.tables[i].reshape(self.tables[i].shape[0], -1):
            coeffs = [_as_fraction(x) for x in row] @ weights
            out.append(ring.from_dict({m: domain(c.numerator, c.denominator)
                                       for m, c in zip(monomials, coeffs, strict=True) if c}))
        return out

    def exact_equations(self, ring: Any, gens: list[Any]) -> tuple[list[Any], list[list[Any]]]:
        """The ``d`` indifference polynomials and, per player, every pure strategy's payoff polynomial."""
        sig = self.exact_sigmas(ring, gens)
        pays = [self.exact_payoffs(i, ring, sig) for i in range(self.n)]
        eqs = []
        for i in range(self.n):
            s = self.supports[i]
            eqs += [pays[i][s[r]] - pays[i][s[0]] for r in range(1, self.k[i])]
        return eqs, pays


@functools.lru_cache(maxsize=4096)
def _expansion(ks: tuple[int, ...], offsets: tuple[int, ...], n_vars: int
               ) -> tuple[list[tuple[int, ...]], npt.NDArray[Any]]:
    """Monomials and the integer matrix ``W`` with ``prod_j sigma_j(b_j) = sum_m W[b, m] x^m`` for every pure
    profile ``b`` of the listed players (C order), where ``sigma_j`` is parametrised as in this module."""
    combos = list(itertools.product(*[range(k) for k in ks]))
    expanded = []
    for combo in combos:
        poly: dict[tuple[int, ...], int] = {(0,) * n_vars: 1}
        for k, off, b in zip(ks, offsets, combo, strict=True):
            factor = {_unit(n_vars, off + b): 1} if b < k - 1 else {
                (0,) * n_vars: 1, **{_unit(n_vars, off + r): -1 for r in range(k - 1)}}
            product: dict[tuple[int, ...], int] = {}
            for m1, c1 in poly.items():
                for m2, c2 in factor.items():
                    m = tuple(x + y for x, y in zip(m1, m2, strict=True))
                    product[m] = product.get(m, 0) + c1 * c2
            poly = product
        expanded.append(poly)
    monomials = sorted({m for poly in expanded for m in poly}, reverse=True)
    column = {m: c for c, m in enumerate(monomials)}
    weights = np.zeros((len(combos), len(monomials)), dtype=object)
    weights[:] = 0
    for r, poly in enumerate(expanded):
        for m, c in poly.items():
            weights[r, column[m]] = c
    return monomials, weights


def integer_payoffs(exact_payoffs: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Each player's exact payoffs times the least common denominator of that player's payoffs, as Python
    ints (an object array): a positive rescaling per player, which changes no indifference equation's zeros."""
    out = np.empty(exact_payoffs.shape, dtype=object)
    for i in range(exact_payoffs.shape[0]):
        fracs = [_as_fraction(x) for x in exact_payoffs[i].ravel()]
        lcd = math.lcm(*[f.denominator for f in fracs])
        out[i].ravel()[:] = [f.numerator * (lcd // f.denominator) for f in fracs]
    return out


def _unit(n: int, k: int) -> tuple[int, ...]:
    return tuple(int(t == k) for t in range(n))


def _as_fraction(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)
