"""Certified, de-duplicated equilibria of one n-player support enumeration (private helper).

Every candidate is turned into a full mixed profile, its regret is computed by the game itself
(:meth:`~gametheory.games.equilibrium.Equilibrium.from_profile`: exactly for rational profiles of exact
games), and it is kept only when the regret is at most ``tol * scale`` (exactly 0 for exact rational ones) and
its probabilities lie in ``[-tol, 1 + tol]``. Candidates closer than ``1e-7`` are merged; continua share a
``component`` (merged with a union-find when two continua share an extreme point).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from ...games.equilibrium import Equilibrium
from ...games.normal_form import NormalFormGame
from ._exact_support import Candidate
from ._newton_multistart import NumericRoot
from ._support_systems import SupportSystem

__all__ = ["AlgebraicEquilibrium", "EquilibriumPool"]


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class AlgebraicEquilibrium(Equilibrium):
    """An :class:`~gametheory.Equilibrium` found exactly: ``algebraic`` holds its profile as exact sympy
    numbers (rationals, radicals such as ``sqrt(2)/2``, or ``CRootOf`` expressions).

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration
    >>> eq = nplayer_support_enumeration(gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]]))[-1]
    >>> type(eq).__name__, eq.algebraic
    ('AlgebraicEquilibrium', ((3/4, 1/4), (1/4, 3/4)))
    """

    algebraic: tuple[tuple[Any, ...], ...] | None = None


class EquilibriumPool:
    """Accumulates certified equilibria in the order found.

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> from gametheory.games.normal_form import NormalFormGame
    >>> from gametheory.solvers.n_player._exact_support import solve_support_exactly
    >>> pool = EquilibriumPool(NormalFormGame(system.payoffs), NormalFormGame(system.payoffs), 1e-9)
    >>> pool.add_pure((0, 0))
    >>> pool.add_exact(system, solve_support_exactly(system, 3.0).candidates[0], None)
    >>> len(pool.equilibria()), pool.degenerate, pool.continuum
    (2, False, False)
    """

    def __init__(self, game: NormalFormGame, float_game: NormalFormGame, tol: float) -> None:
        self.game = game
        self.float_game = float_game
        self.tol = tol
        self.slack = tol * game.scale
        self.items: list[Equilibrium] = []
        self.flat: list[npt.NDArray[np.float64]] = []  # each kept profile's vectors end to end
        self.parent: list[int] = []

    @property
    def degenerate(self) -> bool:
        """True when some kept equilibrium lies on a continuum."""
        return any(e.degenerate for e in self.items)

    @property
    def continuum(self) -> bool:
        """True when two kept equilibria lie on one continuum (share a component): the game's ``degenerate`` flag
        (``docs/degenerate.md``; a tie with isolated equilibria only is not one)."""
        roots = [self._find(e.component) for e in self.items if e.component is not None]
        return len(roots) != len(set(roots))

    def new_component(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def _find(self, c: int) -> int:
        while self.parent[c] != c:
            self.parent[c] = self.parent[self.parent[c]]
            c = self.parent[c]
        return c

    # ------------------------------------------------------------------ adding candidates
    def add_pure(self, action: tuple[int, ...]) -> None:
        exact = tuple(tuple(sp.Integer(int(k == a)) for k in range(s)) for a, s in zip(action, self.game.shape,
                                                                                       strict=True))
        known = None
        if not self.game.is_exact:  # payoffs and regret read off the payoff array
            u = self.float_game.payoffs
            pay = np.array([u[(i, *action)] for i in range(len(action))], dtype=float)
            gains = [u[(i, *action[:i], slice(None), *action[i + 1:])].max() - pay[i] for i in range(len(action))]
            known = (pay, max(0.0, float(max(gains))))
        self._add_exact_profile(exact, [np.asarray(v, dtype=float) for v in exact], False, None, known)

    def add_exact(self, system: SupportSystem, cand: Candidate, component: int | None) -> None:
        exact, floats = [], []
        for j, s in enumerate(system.supports):
            size = self.game.shape[j]
            vec: list[Any] = [sp.Integer(0)] * size
            num = np.zeros(size)
            for local, k in enumerate(s):
                if cand.sigma is not None:
                    vec[k] = cand.sigma[j][local]
                num[k] = float(cand.values[j][local])
            exact.append(tuple(vec))
            floats.append(num)
        algebraic = tuple(exact) if cand.sigma is not None else None
        self._add_exact_profile(algebraic, floats, cand.degenerate, component)

    def add_numeric(self, system: SupportSystem, root: NumericRoot) -> None:
        sigma = [s[0] for s in system.sigmas(root.v[None])]
        if any(np.any(x < -self.tol) or np.any(x > 1 + self.tol) for x in sigma):
            return
        sigma = [np.clip(x, 0.0, 1.0) / np.clip(x, 0.0, 1.0).sum() for x in sigma]
        self.add_float_profile(system.profile(sigma), singular=root.singular)

    def add_float_profile(self, profile: list[Any], *, singular: bool = False,
                          known: tuple[Any, float] | None = None) -> None:
        """Keep a float mixed profile if its regret is at most ``tol * scale`` (``singular``: it may lie on a
        continuum, its own component; ``known``: its payoffs and regret, computed already)."""
        eq = _float_equilibrium(self.float_game, profile, known)
        if eq.regret <= self.slack:
            component = self.new_component() if singular else None
            self._keep(dataclasses.replace(eq, degenerate=singular, component=component))

    def _add_exact_profile(self, exact: tuple[tuple[Any, ...], ...] | None, floats: list[Any],
                           degenerate: bool, component: int | None, known: tuple[Any, float] | None = None) -> None:
        rational = exact is not None and all(x.is_Rational for v in exact for x in v)
        if rational and self.game.is_exact:
            assert exact is not None
            fracs = [[Fraction(int(x.p), int(x.q)) for x in v] for v in exact]
            eq = Equilibrium.from_profile(self.game, fracs)
            if eq.regret != 0:
                return
        else:
            eq = _float_equilibrium(self.float_game, floats, known)
            if eq.regret > self.slack:
                return
        self._keep(AlgebraicEquilibrium(
            profile=eq.profile, payoffs=eq.payoffs, regret=eq.regret, degenerate=degenerate,
            component=component, exact=eq.exact, algebraic=exact,
        ))

    def _keep(self, eq: Equilibrium) -> None:
        """Add ``eq``, or merge it into the first kept equilibrium within 1e-7 entry by entry (as
        :meth:`Equilibrium.allclose`; the profiles of one game have one shape, so they are compared end to end)."""
        flat = np.concatenate(eq.profile)
        near = np.flatnonzero(np.abs(np.array(self.flat) - flat).max(axis=1) <= 1e-7) if self.flat else ()
        if not len(near):
            self.items.append(eq)
            self.flat.append(flat)
            return
        k = int(near[0])
        old = self.items[k]
        component = old.component
        if eq.component is not None:
            if component is None:
                component = eq.component
            else:
                self.parent[self._find(eq.component)] = self._find(component)
        keep = old if isinstance(old, AlgebraicEquilibrium) or not isinstance(eq, AlgebraicEquilibrium) else eq
        self.items[k] = dataclasses.replace(keep, degenerate=old.degenerate or eq.degenerate, component=component)

    # ------------------------------------------------------------------ result
    def equilibria(self) -> list[Equilibrium]:
        """The kept equilibria. In a degenerate game every equilibrium gets a ``component`` (0, 1, ... in order
        of appearance; an isolated one is its own component); otherwise ``component`` is None."""
        labels: dict[object, int] = {}
        out = []
        degenerate = self.degenerate
        for k, eq in enumerate(self.items):
            if not degenerate:
                eq = dataclasses.replace(eq, component=None)
            else:
                key: object = self._find(eq.component) if eq.component is not None else ("isolated", k)
                eq = dataclasses.replace(eq, component=labels.setdefault(key, len(labels)))
            out.append(eq)
        return out


def _float_equilibrium(game: NormalFormGame, profile: list[Any], known: tuple[Any, float] | None) -> Equilibrium:
    """:meth:`Equilibrium.from_profile` on a float game, or built from ``known`` ``(payoffs, regret)``."""
    if known is None:
        return Equilibrium.from_profile(game, profile)
    return Equilibrium(profile=tuple(np.asarray(v, dtype=float) for v in profile),
                       payoffs=np.asarray(known[0], dtype=float), regret=float(known[1]))
