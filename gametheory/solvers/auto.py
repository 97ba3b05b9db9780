"""The ``auto`` method of :func:`~gametheory.solvers.solve`, and what every method's answer goes through.

:func:`solve_reference` is ``auto``'s reference path (dominance reduction, the per-game solver of the shape left,
the answers lifted back to the original strategies); it is also the per-game fallback of the batch kernels.
:func:`unit_game` and :func:`rescaled` run a method on the game divided by a power of two near its scale and
multiply the answers back; :func:`continuum_flag` sets ``degenerate`` by :func:`has_continuum`, the one meaning
of the flag.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import numpy as np

from .. import limits
from ..games.equilibrium import Equilibria, Equilibrium
from ..games.normal_form import NormalFormGame
from .registry import get_solver
from .routing import auto_method, check_work, hub_spokes_shape, nplayer_first
from .two_player.small import SMALL_AUTO_PAIRS

__all__ = ["has_continuum", "continuum_flag", "unit_game", "rescaled", "solve_auto", "solve_reference", "lift",
           "reduction_costs_more", "SKIP_REDUCTION_PAIRS"]


def has_continuum(eqs: Equilibria) -> bool:
    """True when two listed equilibria share a ``component``: the game has a continuum of equilibria.

    This is the one meaning of ``degenerate`` on a game's answer, whatever the method (``docs/degenerate.md``).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> has_continuum(gt.solve(gt.NormalFormGame(np.zeros((2, 2, 2)))))
    True
    """
    components = [e.component for e in eqs if e.component is not None]
    return len(components) != len(set(components))


def continuum_flag(game: NormalFormGame, eqs: Equilibria, tol: float) -> Equilibria:
    """``eqs`` with ``degenerate`` set by :func:`has_continuum`.

    Two-player methods that list no components (``support_enumeration``) flag ties they meet; for them the
    continua are looked up by ``vertex_enumeration`` (complete on degenerate games), only when a tie was met and
    the lookup is within :data:`gametheory.limits.MAX_SECONDS` (past it the tie stays flagged).
    Methods that list only some equilibria and trace no continua (``pure``, ``lemke_howson``) report False.
    """
    if not eqs.degenerate:
        return eqs
    if any(e.component is not None for e in eqs):
        flag = has_continuum(eqs)
    elif game.n_players == 2 and eqs.method == "support_enumeration":
        if limits.solver_seconds(game.shape, "vertex_enumeration") > limits.MAX_SECONDS:
            return eqs  # too large to look up: the tie stays flagged (a continuum is possible)
        flag = has_continuum(get_solver("vertex_enumeration").__wrapped__(game, tol=tol))  # type: ignore[attr-defined]
    else:
        flag = False
    if flag == eqs.degenerate:
        return eqs
    return eqs.replace(degenerate=flag)


def unit_game(game: NormalFormGame) -> tuple[Any, NormalFormGame]:
    """``(f, game / f)`` with ``f`` the power of two at or below ``max |payoff|`` (1 for an all-zero game).

    Dividing by a power of two is exact in floating point and in rationals, so every tie and sign of the game
    is kept while every method sees payoffs in ``[-2, 2]`` with ``max |payoff| >= 1``: its internal constants
    (pivot and LP tolerances, residual thresholds) then mean the same for a game in cents as in billions.
    """
    scale = game.scale
    exponent = math.floor(math.log2(scale)) if scale > 0 else 0
    if exponent == 0:
        return 1, game
    factor: Any = Fraction(2) ** exponent if game.is_exact else 2.0**exponent
    return factor, NormalFormGame(game.payoffs / factor, game.players, game.strategies)


def rescaled(eqs: Equilibria, factor: Any) -> Equilibria:
    """``eqs`` of the game divided by ``factor``, as equilibria of the game itself (payoffs and regrets x factor)."""
    if factor == 1:
        return eqs
    f = float(factor)

    def build() -> list[Equilibrium]:  # members stay lazy, as the solver made them
        return [dataclasses.replace(eq, payoffs=eq.payoffs * f, regret=eq.regret * f) for eq in eqs]

    return Equilibria.deferred(build, len(eqs), method=eqs.method, complete=eqs.complete, degenerate=eqs.degenerate,
                               tol=eqs.tol, exact=eqs.exact, success=eqs.success, message=eqs.message,
                               parameters=eqs.parameters)


SKIP_REDUCTION_PAIRS = SMALL_AUTO_PAIRS  # support pairs below which dominance costs more than it saves


def reduction_costs_more(game: NormalFormGame) -> bool:
    """A small float bimatrix game: vertex enumeration's compiled kernel on the whole game (it finds every
    equilibrium, and dominated strategies are in none) is quicker than the dominance pass plus the lift back; so is
    the compiled n-player kernel on a small float game (it prunes by conditional dominance itself)."""
    if game.n_players > 2:
        from .n_player.support_enumeration import compiled_path_applies  # lazy: loads sympy

        return compiled_path_applies(game)
    if game.is_exact or game.n_players != 2:
        return False
    m, n = game.shape
    return min(m, n) >= 2 and math.comb(m + n, m) <= SKIP_REDUCTION_PAIRS


def solve_auto(game: NormalFormGame, tol: float, max_seconds: float | None = None) -> Equilibria:
    """``solve(method="auto")`` on a trusted game: the hub-and-spokes kernel for float games of its structure
    (when it finishes) but the small general ones the n-player kernel solves in closed form
    (:func:`~gametheory.solvers.routing.nplayer_first`), else :func:`solve_reference`."""
    if not game.is_exact and game.n_players > 2 and hub_spokes_shape(game.shape) and not nplayer_first(game):
        from .hub_spokes.solver import hub_spokes_solve  # lazy: loaded on first use

        eqs = hub_spokes_solve(game, tol)
        if eqs is not None:
            return eqs.replace(method="auto(hub_spokes)")
    return solve_reference(game, tol, max_seconds)


def solve_reference(game: NormalFormGame, tol: float, max_seconds: float | None = None) -> Equilibria:
    """The reference path of ``solve(method="auto")``: dominance reduction, then the per-game solvers (also
    the per-game fallback of the batch solvers; ``tol`` is trusted).

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> eqs = solve_reference(pd, 1e-9)
    >>> eqs.method, [e.support for e in eqs]
    ('auto(closed_form)', [((1,), (1,))])
    """
    if game.shape in ((2, 2), (2, 2, 2)) or reduction_costs_more(game):  # complete without a reduction
        reduced, kept = game, tuple(tuple(range(s)) for s in game.shape)
        check_work(game.shape, auto_method(game), max_seconds, "'auto'")
    else:
        check_work(game.shape, "pure", max_seconds, "'auto'")  # the reduction: about one pass per removed strategy
        reduced, kept = game.eliminate_dominated(mixed=game.n_players > 2, tol=tol)
        check_work(reduced.shape, auto_method(reduced), max_seconds, "'auto'",
                    f" (left once dominated strategies are removed; auto runs {auto_method(reduced)} on it)")
    if all(len(k) == 1 for k in kept):  # dominance solvable: a unique equilibrium, exact when the game is
        one = Fraction(1) if reduced.is_exact else 1.0
        inner = Equilibria([Equilibrium.from_profile(reduced, [[one] for _ in kept])], method="pure",
                           complete=True, exact=reduced.is_exact)
    else:
        solver = get_solver(auto_method(reduced))
        inner = solver.__wrapped__(reduced, tol=tol)  # type: ignore[attr-defined]  # tol is checked already
    parameters = {"tol": tol, "kept": kept}
    if reduced is game:  # nothing removed: the solver's own list, relabelled
        return inner.replace(method=f"auto({inner.method})", tol=tol, parameters=parameters)
    return Equilibria(
        [lift(game, eq, kept) for eq in inner],
        method=f"auto({inner.method})",
        complete=inner.complete,
        degenerate=inner.degenerate,
        tol=tol,
        exact=inner.exact,
        success=inner.success,
        message=inner.message,
        parameters=parameters,
    )


def lift(game: NormalFormGame, eq: Equilibrium, kept: tuple[tuple[int, ...], ...]) -> Equilibrium:
    """``eq``, an equilibrium of ``game`` restricted to ``kept``, as one of ``game`` (removed strategies get 0).

    Payoffs and regret carry over: against profiles of the kept strategies, every removed strategy is strictly
    dominated by a kept one (removals are iterated), so it is never a better deviation.
    """

    def spread(vectors: Any, zero: Any) -> tuple[tuple[Any, ...], ...]:
        return tuple(
            tuple(vectors[i][kept[i].index(k)] if k in kept[i] else zero for k in range(s))
            for i, s in enumerate(game.shape)
        )

    profile = tuple(np.array(v, dtype=float) for v in spread(eq.profile, 0.0))
    exact = None if eq.exact is None else spread(eq.exact, Fraction(0))
    changes: dict[str, Any] = {"profile": profile, "exact": exact}
    algebraic = getattr(eq, "algebraic", None)  # n-player exact solutions (radicals) survive the lift too
    if algebraic is not None:
        import sympy  # loaded already by the solver that found it; at module level it would add 0.25 s to imports

        changes["algebraic"] = spread(algebraic, sympy.Integer(0))
    return dataclasses.replace(eq, **changes)
