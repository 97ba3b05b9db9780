r"""Every isolated Nash equilibrium of an n-player game, by support enumeration.

Each equilibrium :math:`\sigma` is, on its support profile :math:`S = (S_1, \dots, S_n)`, a real solution of
the multilinear indifference system with positive probabilities and no profitable deviation. This module
enumerates support profiles, prunes those with a conditionally dominated strategy, and solves each system
exactly (Groebner bases and real-root isolation over :math:`\mathbb{Q}`) or, for systems too large for that,
numerically (homotopy continuation, Newton from many starts); every answer is certified by its regret.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from ..._validation import Interval, validate_params
from ...errors import InvalidParameterError
from ...games.equilibrium import Equilibria
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from ..candidates import payoffs_and_regrets
from ..deadline import current_deadline
from ._equilibrium_pool import AlgebraicEquilibrium, EquilibriumPool
from ._exact_support import solve_support_exactly
from ._homotopy import real_homotopy_roots
from ._newton_multistart import NumericRoot, newton_roots
from ._support_systems import ConditionalDominance, SupportSystem, integer_payoffs, support_profiles

__all__ = ["nplayer_support_enumeration", "AlgebraicEquilibrium", "EXACT_MAX_VARS", "EXACT_MAX_ROOTS",
           "FLOAT_EXACT_MAX_VARS", "FLOAT_EXACT_MAX_ROOTS", "COMPILED_FLOATS", "COMPILED_MAX_PROFILES",
           "compiled_path_applies"]

#: Exact games: support systems with at most this many unknowns and at most EXACT_MAX_ROOTS complex roots
#: (multihomogeneous Bezout number) are solved exactly (3x3x3 full support: 6 unknowns, 10 roots, seconds).
EXACT_MAX_VARS = 8
EXACT_MAX_ROOTS = 12
#: Float games (converted bit for bit to rationals, whose huge coefficients make Groebner bases slow): support
#: systems with at most this many unknowns and at most FLOAT_EXACT_MAX_ROOTS complex roots are solved exactly;
#: larger ones numerically. Floats that are small rationals (integers, short decimals) count as exact games.
FLOAT_EXACT_MAX_VARS = 5
FLOAT_EXACT_MAX_ROOTS = 4
#: Float games that are not small rationals go through the compiled kernel (:mod:`._support_kernel`: certified
#: homotopy continuation on every support profile at once); the profiles it cannot certify (ties, continua) take
#: the per-profile path above.
COMPILED_FLOATS = True
#: ``auto`` skips the dominance reduction of a float game the kernel solves with at most this many support profiles
COMPILED_MAX_PROFILES = 4096



@validate_params({"game": None, "tol": Interval(float, 0, None)})
def nplayer_support_enumeration(game: Any, *, tol: float = DEFAULT_TOL) -> Equilibria:
    r"""Every isolated Nash equilibrium of an n-player normal-form game, each certified by its regret.

    Support profiles are enumerated smallest first; a profile in which some support strategy is conditionally
    strictly dominated given the opponents' supports is skipped (Porter, Nudelman & Shoham 2008). On each
    remaining profile the indifference system is solved: exactly over :math:`\mathbb{Q}` when it has at most
    :data:`EXACT_MAX_VARS` unknowns and :data:`EXACT_MAX_ROOTS` complex roots (exact games, and floats that
    are small rationals) or
    :data:`FLOAT_EXACT_MAX_VARS` unknowns and :data:`FLOAT_EXACT_MAX_ROOTS` complex roots (other float games,
    whose payoffs are converted bit for bit to rationals), otherwise numerically: multihomogeneous homotopy
    continuation (every isolated complex root with probability one), topped up by Newton's method from many
    starts if a path fails. Float games that are not small rationals (e.g. random normal payoffs) go instead
    through one compiled kernel over every support profile (:data:`COMPILED_FLOATS`): linear systems (two players
    mixing) and three players mixing two strategies each (a quadratic) are solved in closed form, the others by
    a coefficient homotopy; a system counts as solved when all of its Bezout number of paths end at distinct
    non-singular roots (then they are all its solutions), and the profiles it cannot certify (ties, continua)
    take the path above. Each candidate is kept only if its regret, computed by the game, is at most
    ``tol * scale`` and its probabilities lie in ``[-tol, 1 + tol]``; duplicates (within 1e-7) are merged.

    There are :math:`\prod_i (2^{s_i} - 1)` support profiles, so the method suits small games (up to about
    3x3x3 or 2x2x2x2); eliminate dominated strategies first (``gt.solve`` does).

    Parameters
    ----------
    game : NormalFormGame or array_like
        Any number of players and strategies (meant for ``n >= 3``; 2-player games are solved too).
    tol : float
        Tolerance relative to ``game.scale``: a returned profile has regret at most ``tol * scale``.

    Returns
    -------
    Equilibria
        ``method="nplayer_support_enumeration"``. Equilibria found exactly are :class:`AlgebraicEquilibrium`;
        when every payoff is a rational of at most 32 bits (integers, short decimals) ``.algebraic`` holds the
        exact profile as sympy numbers (rationals, radicals such as ``sqrt(2)/2``, ``CRootOf`` expressions),
        and ``.exact`` holds it as Fractions when it is rational and the game is exact. ``complete`` is True
        when every support profile was solved exactly or certified by the compiled kernel (then every isolated
        equilibrium is listed; for a degenerate game, every extreme point the exploration of each continuum
        reached). Equilibria met on a support system with a positive-dimensional feasible set are listed with
        ``degenerate=True``, and then every equilibrium has a ``component`` (an isolated one its own); the game's
        ``degenerate`` is True when two listed equilibria share a component, i.e. lie on one continuum
        (``docs/degenerate.md``).

    Notes
    -----
    With :math:`\sigma_j = (v_{j,1}, \dots, v_{j,d_j}, 1 - \sum_r v_{j,r})` on :math:`S_j`, the support
    system is

    .. math::

        u_i(s_{i,r}, \sigma_{-i}) - u_i(s_{i,0}, \sigma_{-i}) = 0, \qquad r = 1..|S_i| - 1,\; i = 1..n,

    square in :math:`d = \sum_i (|S_i| - 1)` unknowns and multilinear: linear in each opponent's variables
    taken one at a time. For generic payoffs each system has finitely many complex solutions (at most the
    multihomogeneous Bezout number; McKelvey & McLennan 1997), so its lexicographic Groebner basis is
    zero-dimensional and, after a generic change of coordinates, in shape position
    :math:`x_k = g_k(t),\ p(t) = 0`. The real roots of :math:`p` are isolated exactly, and a root is an
    equilibrium iff

    .. math::

        \sigma_j(s) > 0 \;\; (s \in S_j), \qquad \max_{t} u_i(t, \sigma_{-i}) = u_i(s_{i,0}, \sigma_{-i}),

    checked on 50-digit values of the algebraic numbers and then by the regret of the float profile. A
    positive-dimensional basis means a continuum: its extreme points are found by adding the equations of
    the active constraints (:math:`\sigma_j(s) = 0` or a tie with an unused strategy). Systems too large for
    Groebner bases are solved by tracking the paths of :math:`(1 - t)\gamma G + t F` from a start system
    :math:`G` with the same multilinear structure, whose roots are known (Morgan & Sommese 1987).

    References
    ----------
    .. [1] McKelvey, R. D. and McLennan, A. (1996). "Computation of equilibria in finite games". In
       H. M. Amman, D. A. Kendrick and J. Rust (eds.), *Handbook of Computational Economics*, vol. 1,
       pp. 87-142. Elsevier.
    .. [2] McKelvey, R. D. and McLennan, A. (1997). "The maximal number of regular totally mixed Nash
       equilibria". *Journal of Economic Theory* 72(2), 411-425.
    .. [3] Porter, R., Nudelman, E. and Shoham, Y. (2008). "Simple search methods for finding a Nash
       equilibrium". *Games and Economic Behavior* 63(2), 642-662.
    .. [4] Datta, R. S. (2003). "Using computer algebra to find Nash equilibria". In *Proceedings of the
       2003 International Symposium on Symbolic and Algebraic Computation (ISSAC)*, pp. 74-79. ACM.
    .. [5] Cox, D. A., Little, J. and O'Shea, D. (2015). *Ideals, Varieties, and Algorithms*, 4th ed.
       Springer.
    .. [6] Morgan, A. P. and Sommese, A. J. (1987). "A homotopy for solving general polynomial systems that
       respects m-homogeneous structures". *Applied Mathematics and Computation* 24(2), 101-113.
    .. [7] Sommese, A. J. and Wampler, C. W. (2005). *The Numerical Solution of Systems of Polynomials
       Arising in Engineering and Science*. World Scientific.

    Examples
    --------
    A 3-player anti-coordination game with a symmetric equilibrium at :math:`1/\sqrt{2}`:

    >>> import gametheory as gt
    >>> from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration
    >>> u = [[[[1, 1], [1, 1]], [[2, 0], [0, 0]]], [[[1, 1], [2, 0]], [[1, 1], [0, 0]]],
    ...      [[[1, 2], [1, 0]], [[1, 0], [1, 0]]]]
    >>> eqs = nplayer_support_enumeration(gt.NormalFormGame(u))
    >>> len(eqs), eqs.complete, max(e.regret for e in eqs) <= 1e-9
    (7, True, True)
    >>> eqs[-1].algebraic[0]
    (sqrt(2)/2, 1 - sqrt(2)/2)
    """
    game = _as_game(game)
    return _enumerate(game, tol)


def _as_game(game: Any) -> NormalFormGame:
    if isinstance(game, NormalFormGame):
        return game
    if hasattr(game, "payoff_matrices") or isinstance(game, (list, tuple, np.ndarray)):
        return NormalFormGame(game)
    raise InvalidParameterError(
        "The 'game' parameter of nplayer_support_enumeration must be a NormalFormGame or a payoff array. "
        f"Got {type(game).__name__} instead."
    )


def _enumerate(game: NormalFormGame, tol: float) -> Equilibria:
    float_game = game.to_float() if game.is_exact else game
    scale = game.scale
    symbolic = _small_rationals(game)
    cheap = game.is_exact or symbolic
    exact_game, integers = None, None  # built on the first profile solved per profile
    pool = EquilibriumPool(game, float_game, tol)
    complete, all_exact, notes = True, True, []
    solved = {"exactly": 0, "numerically": 0, "compiled": 0}
    for a in game.pure_equilibria(tol=0.0 if game.is_exact else tol):
        pool.add_pure(a)
    dominated = ConditionalDominance(float_game.payoffs, max(tol, 1e-12) * scale)
    deferred: Any = support_profiles(game.shape)
    if COMPILED_FLOATS and not cheap:
        deferred = _compiled(float_game, pool, max(tol, 1e-12) * scale, solved)
    deadline = current_deadline()
    for index, supports in enumerate(deferred):
        if all(len(s) == 1 for s in supports) or dominated(supports):
            continue
        if deadline is not None and time.monotonic() > deadline:
            complete = False
            notes.insert(0, "stopped at the time budget (later support profiles not solved)")
            break
        if exact_game is None:
            exact_game = game if game.is_exact else game.to_exact()
            integers = integer_payoffs(exact_game.payoffs)
        status = "numeric"
        system = SupportSystem(exact_game.payoffs, supports, integers)
        if (system.n_vars <= EXACT_MAX_VARS and system.root_bound() <= EXACT_MAX_ROOTS) if cheap else (
                system.n_vars <= FLOAT_EXACT_MAX_VARS and system.root_bound() <= FLOAT_EXACT_MAX_ROOTS):
            outcome = solve_support_exactly(system, scale, symbolic=symbolic)
            status = outcome.status
            solved["exactly"] += status != "unsolved"
            component = pool.new_component() if status == "continuum" else None
            for cand in outcome.candidates:
                pool.add_exact(system, cand, component)
            if not outcome.exhausted:
                complete = False
                notes.append(f"support {supports}: {status} not fully resolved")
        if status in ("numeric", "unsolved"):
            complete = all_exact = False
            solved["numerically"] += 1
        if status in ("numeric", "unsolved", "continuum"):
            # a system too large (or not in shape position) for Groebner, or isolated roots beside a continuum
            float_system = SupportSystem(float_game.payoffs, supports)
            roots, note = _numeric_roots(float_system, scale, index, continuum=status == "continuum")
            if note:
                notes.append(f"support {supports}: {note}")
            for root in roots:
                pool.add_numeric(float_system, root)
    all_exact = all_exact and not solved["compiled"]
    message = f"{solved['exactly']} support systems solved exactly"
    if solved["compiled"]:
        message += f", {solved['compiled']} by certified homotopy continuation (compiled)"
    if solved["numerically"]:
        message += f", {solved['numerically']} numerically (homotopy continuation)"
    if notes:
        message += "; " + "; ".join(notes[:5])
    return Equilibria(
        pool.equilibria(),
        method="nplayer_support_enumeration",
        complete=complete,
        degenerate=pool.continuum,
        tol=tol,
        exact=game.is_exact and all_exact,
        success=True,
        message=message,
        parameters={"tol": tol},
    )


def _compiled(game: NormalFormGame, pool: EquilibriumPool, slack: float, solved: dict[str, int]) -> list[Any]:
    """Every support system of a float game in the compiled kernel (:mod:`._support_kernel`): its certified
    equilibria go to ``pool``; returns the support profiles it left to the per-profile path (ties, continua)."""
    from ._support_kernel import FALLBACK, SOLVED, kernel_tables, profile_table, solve_profiles  # lazy: numba

    shape = game.shape
    profiles = profile_table(shape)[3]
    payoffs = np.ascontiguousarray(np.asarray(game.payoffs, dtype=float).reshape(len(shape), -1))
    status, _, found = solve_profiles(payoffs, np.array(shape, dtype=np.int64), kernel_tables(shape), slack)
    if len(found):

        games = np.broadcast_to(payoffs.reshape(game.payoffs.shape), (len(found), *game.payoffs.shape))
        values = payoffs_and_regrets(games, found, shape)
        for prob, pay, reg in zip(found, *values, strict=True):  # in the order of the profiles
            pool.add_float_profile([prob[j, :s] for j, s in enumerate(shape)], known=(pay, reg))
    solved["compiled"] += int(np.count_nonzero(status == SOLVED))
    return [profiles[p] for p in np.flatnonzero(status == FALLBACK)]


def _small_rationals(game: NormalFormGame) -> bool:
    """True when every payoff is a rational of at most 32-bit numerator and denominator (then solutions are
    also kept as exact algebraic numbers; bit-for-bit images of arbitrary floats are not worth it)."""
    payoffs = game.payoffs
    if payoffs.dtype != object:  # a float's denominator is a power of two: below 2**32 iff x * 2**31 is whole
        scaled = payoffs * 2.0**31  # exact (a power of two)
        if not np.array_equal(scaled, np.floor(scaled)):
            return False
    ratios = (x.as_integer_ratio() for x in payoffs.ravel())  # Fractions and floats alike
    return all(abs(num) < 2**32 and den < 2**32 for num, den in ratios)


def compiled_path_applies(game: NormalFormGame) -> bool:
    """True when :func:`nplayer_support_enumeration` solves ``game`` in the compiled kernel: a float game of three or
    more players whose payoffs are not all small rationals, with at most :data:`COMPILED_MAX_PROFILES` support
    profiles and no payoff repeated within a player's (a structured game with ties, such as the payment models',
    keeps ``auto``'s dominance reduction, which shrinks the profiles the kernel would leave to the exact path).
    Its conditional-dominance pruning then makes removing dominated strategies first (``auto``) cost more than it
    saves.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> compiled_path_applies(gt.NormalFormGame(np.random.default_rng(0).normal(size=(3, 3, 3, 3))))
    True
    >>> compiled_path_applies(gt.NormalFormGame(np.ones((3, 3, 3, 3))))  # integers: the exact path
    False
    """
    return (COMPILED_FLOATS and game.n_players > 2 and not game.is_exact
            and math.prod(2**s - 1 for s in game.shape) <= COMPILED_MAX_PROFILES and not _small_rationals(game)
            and all(np.unique(u).size == u.size for u in game.payoffs))  # no repeated payoff: no tie to resolve


def _numeric_roots(system: SupportSystem, scale: float, seed: int, *, continuum: bool
                   ) -> tuple[list[NumericRoot], str]:
    """Real roots of a support system: homotopy continuation (every isolated root with probability one),
    topped up by Newton from many starts when some path failed; beside a continuum, Newton's non-singular
    roots only."""
    if continuum:
        return [r for r in newton_roots(system, scale=scale, seed=seed, n_starts=32) if not r.singular], ""
    tracked = real_homotopy_roots(system, scale=scale, seed=seed)
    if tracked is not None and tracked[1] == 0:
        return tracked[0], ""
    roots = tracked[0] if tracked is not None else []
    for extra in newton_roots(system, scale=scale, seed=seed):
        if not any(np.max(np.abs(extra.v - r.v), initial=0.0) < 1e-7 for r in roots):
            roots.append(extra)
    return roots, f"{tracked[1]} homotopy paths failed" if tracked is not None else ""
