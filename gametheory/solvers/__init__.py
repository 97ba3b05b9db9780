"""Equilibrium solvers behind :func:`solve` and :func:`solve_batch`: the facade over the solver families.

Each algorithm is registered here by name (:data:`METHODS`) and its module is imported on first use. The
algorithms live in folders by family, each with a module docstring saying what it owns:

- :mod:`.two_player` — support enumeration, vertex enumeration and Lemke–Howson on bimatrix games;
- :mod:`.n_player` — support enumeration for three or more players (exact, numeric and homotopy paths);
- :mod:`.closed_form` — 2x2 and 2x2x2 games by formula, one game or whole batches;
- :mod:`.hub_spokes` — the extended payment games (a hub facing independent spokes), batched;
- :mod:`.extensive` — backward induction and subgame perfection on trees;
- :mod:`.pure` — pure equilibria only; :mod:`.batch_solution` — the batch result type.

==========================  =========================  ==============================================
method                      games                      guarantee
==========================  =========================  ==============================================
``pure``                    any                        every pure equilibrium
``support_enumeration``     any (2-player & n-player)  every isolated equilibrium of generic games
``vertex_enumeration``      2 players                  every extreme equilibrium, degenerate included
``lemke_howson``            2 players                  equilibria reachable from every starting label
``closed_form``             2x2 and 2x2x2              every equilibrium, by formula
``hub_spokes``              hub-and-spokes games       every extreme equilibrium (the extended payment
                            (3 or 4 players)           games), per-game fallback where a tie is met
``auto``                    any                        dominance reduction, then the best of the above
==========================  =========================  ==============================================
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from .. import limits
from .._validation import Interval, NoneOr, StrOptions, unknown_name_error, validate_params
from ..errors import InvalidParameterError, SolverError
from ..games.batch import GameBatch
from ..games.coerce import as_normal_form
from ..games.equilibrium import Equilibria, Equilibrium
from ..games.normal_form import DEFAULT_TOL, NormalFormGame
from .batch_solution import BatchSolution
from .two_player.small import SMALL_AUTO_PAIRS, solve_small

__all__ = ["solve", "solve_batch", "solve_reference", "METHODS", "BatchSolution", "get_solver", "has_continuum"]

#: name -> (module, function, which games it accepts)
METHODS: dict[str, tuple[str, str, str]] = {
    "pure": ("pure", "pure", "any"),
    "support_enumeration": ("two_player.support_enumeration", "support_enumeration", "any"),
    "vertex_enumeration": ("two_player.vertex_enumeration", "vertex_enumeration", "2 players"),
    "lemke_howson": ("two_player.lemke_howson", "lemke_howson", "2 players"),
    "closed_form": ("closed_form.solver", "closed_form", "2x2 or 2x2x2"),
    "hub_spokes": ("hub_spokes.solver", "hub_spokes", "hub-and-spokes"),
}


def get_solver(method: str) -> Callable[..., Equilibria]:
    """The solver function registered under ``method``.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers import get_solver
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> eqs = get_solver("pure")(pd)
    >>> eqs.method, len(eqs)
    ('pure', 1)
    """
    if method not in METHODS:
        raise unknown_name_error("solver method", method, [*METHODS, "auto"])
    module, function, _ = METHODS[method]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)  # type: ignore[no-any-return]


@validate_params(
    {
        "game": None,
        "method": StrOptions({"auto", *METHODS}),
        "tol": Interval(float, 0, 1),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
    }
)
def solve(game: Any, method: str = "auto", *, tol: float = DEFAULT_TOL, max_seconds: float | None = None) -> Equilibria:
    r"""Every Nash equilibrium of a normal-form game.

    ``method="auto"`` solves 2x2 and 2x2x2 games by formula (``closed_form``), and float 2-player games with
    :math:`\binom{m+n}{m} \le 12870` (up to 8x8) by ``vertex_enumeration`` on the whole game (its compiled
    kernel finds every equilibrium quicker than a dominance pass would save; one fused compiled call from the
    payoffs to the checked, sorted equilibria, :mod:`.two_player.small`). Otherwise it first removes
    strictly dominated strategies (this never changes the set of equilibria) — by pure strategies for 2-player
    games, by pure and mixed ones (one LP each) for n players, where every removed strategy shrinks the support
    enumeration — then solves what is left with ``vertex_enumeration`` (2 players: complete, degenerate games
    included) or ``support_enumeration`` (n players), and maps the answers back to the original strategies.
    Every returned equilibrium has ``regret <= tol * scale``, where ``scale = max |payoff|``.

    The answer does not depend on the payoffs' unit: equilibria of :math:`cA` are those of :math:`A` for every
    :math:`c > 0`, because the method runs on the game divided by a power of two near its scale (exactly, bit
    for bit) and payoffs and regrets are multiplied back. Before any work, the method's cost is estimated from
    the game's shape (:func:`gametheory.limits.solver_seconds`; for ``auto`` on the shape left after removing
    dominated strategies) and a call past ``max_seconds`` is refused.

    Parameters
    ----------
    game : NormalFormGame, ExtensiveFormGame or array_like
        The game (an array is converted with :class:`NormalFormGame`; a tree is solved on its reduced normal
        form, so the profiles are over its reduced plans).
    method : str
        ``"auto"`` or one of :data:`METHODS`.
    tol : float
        Tolerance relative to the payoff scale.
    max_seconds : float, optional
        Refuse when the estimated work passes this many seconds; default
        :data:`gametheory.limits.MAX_SECONDS`.

    Returns
    -------
    Equilibria
        A list of :class:`Equilibrium` with ``method``, ``complete``, ``degenerate`` and ``tol``.

    Raises
    ------
    InvalidParameterError
        Unknown method or bad tolerance.
    SolverError
        The method cannot handle this game (e.g. ``lemke_howson`` on 3 players).
    LimitError
        The estimated work passes ``max_seconds`` (the message suggests cheaper methods).

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = gt.solve(bos)
    >>> len(eqs), eqs.complete
    (3, True)
    >>> [[round(float(p), 3) for p in v] for v in eqs[-1].profile]
    [[0.75, 0.25], [0.25, 0.75]]
    >>> tiny = gt.NormalFormGame(bos.payoffs * 1e-10)     # same equilibria in any unit
    >>> len(gt.solve(tiny)), float(gt.solve(tiny)[0].payoffs[0])
    (3, 3e-10)
    """
    game = as_normal_form(game, "solve")
    if method == "auto" and max_seconds is None:  # small float bimatrix games: one fused compiled call
        small = solve_small(game, tol)
        if small is not None:
            return small
    factor, unit = _unit_game(game)
    if method != "auto":
        _check_applicable(game, method)
        _check_work(game.shape, method, max_seconds)
        return _rescaled(_continuum_flag(unit, get_solver(method)(unit, tol=tol), tol), factor)
    return _rescaled(_continuum_flag(unit, _solve_auto(unit, tol, max_seconds), tol), factor)


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


def _continuum_flag(game: NormalFormGame, eqs: Equilibria, tol: float) -> Equilibria:
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


def _unit_game(game: NormalFormGame) -> tuple[Any, NormalFormGame]:
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


def _rescaled(eqs: Equilibria, factor: Any) -> Equilibria:
    """``eqs`` of the game divided by ``factor``, as equilibria of the game itself (payoffs and regrets x factor)."""
    if factor == 1:
        return eqs
    f = float(factor)

    def build() -> list[Equilibrium]:  # members stay lazy, as the solver made them
        return [dataclasses.replace(eq, payoffs=eq.payoffs * f, regret=eq.regret * f) for eq in eqs]

    return Equilibria.deferred(build, len(eqs), method=eqs.method, complete=eqs.complete, degenerate=eqs.degenerate,
                               tol=eqs.tol, exact=eqs.exact, success=eqs.success, message=eqs.message,
                               parameters=eqs.parameters)


def batch_path(shape: tuple[int, ...], method: str = "auto") -> str:
    """The path :func:`solve_batch` takes for games of ``shape``: ``closed_form``, ``n_player`` (the compiled n-player
    kernel, float batches), ``hub_spokes`` or ``per_game``.

    Examples
    --------
    >>> batch_path((2, 2, 2)), batch_path((3, 3))
    ('closed_form', 'per_game')
    """
    if method in ("auto", "closed_form") and shape in ((2, 2), (2, 2, 2)):
        return "closed_form"
    if method == "auto" and _nplayer_batch_shape(shape):
        return "n_player"
    if method == "hub_spokes" or (method == "auto" and _hub_spokes_shape(shape)):
        return "hub_spokes"
    return "per_game"


def batch_game_seconds(shape: tuple[int, ...], method: str = "auto") -> float:
    """Estimated seconds per game of a batch of ``shape`` (:mod:`gametheory.limits`: the vectorised paths'
    measured rates, else :func:`~gametheory.limits.solver_seconds` of ``auto``).

    Examples
    --------
    >>> batch_game_seconds((2, 2, 2)) < batch_game_seconds((3, 4, 2, 2)) < batch_game_seconds((6, 6, 6))
    True
    """
    path = batch_path(shape, method)
    if path == "closed_form":
        return limits.CLOSED_FORM_BATCH_SECONDS
    if path == "hub_spokes":
        return limits.HUB_SPOKES_BATCH_SECONDS
    if path == "n_player":
        from .n_player.batch import game_seconds  # lazy: the n-player package loads sympy

        return game_seconds(shape)
    return limits.solver_seconds(shape, "auto")


def _check_work(shape: tuple[int, ...], method: str, max_seconds: float | None, label: str = "",
                note: str = "") -> None:
    """Refuse ``method`` on a game of ``shape`` past the work limit, naming cheaper methods that apply."""
    seconds = limits.solver_seconds(shape, method)
    limit = limits.MAX_SECONDS if max_seconds is None else max_seconds
    if seconds <= limit:
        return
    dims = "x".join(map(str, shape))
    cheaper = [(m, limits.solver_seconds(shape, m)) for m in ("pure", "lemke_howson") if m != method
               and (m == "pure" or len(shape) == 2)]
    notes = {"pure": "; pure equilibria only", "lemke_howson": "; some equilibria"}
    options = ", ".join(f"method={m!r} (about {limits.format_seconds(t)}{notes[m]})" for m, t in cheaper)
    limits.check_seconds(seconds, what=f"solve(method={label or repr(method)}) on a {dims} game{note}", limit=limit,
                         remedy=f"Use another method: {options}." if options else "")


def _check_applicable(game: NormalFormGame, method: str) -> None:
    accepts = METHODS[method][2]
    ok = (
        accepts == "any"
        or (accepts == "2 players" and game.n_players == 2)
        or (accepts == "2x2 or 2x2x2" and game.shape in ((2, 2), (2, 2, 2)))
        or (accepts == "hub-and-spokes" and _hub_spokes_shape(game.shape))
    )
    if not ok:
        dims = "x".join(map(str, game.shape))
        raise SolverError(
            f"The {method!r} method handles {accepts} games only. Got a {game.n_players}-player {dims} game; "
            f"use method='auto' or 'support_enumeration'."
        )


def _auto_method(game: NormalFormGame) -> str:
    if game.shape in ((2, 2), (2, 2, 2)):
        return "closed_form"
    if game.n_players == 2:
        return "vertex_enumeration"
    return "support_enumeration"


def _nplayer_batch_shape(shape: tuple[int, ...]) -> bool:
    """Small n-player shapes the compiled n-player kernel batches (``auto``), except those the hub-and-spokes
    kernel takes: 3 players whose third has 2 strategies (its structure fits every such game, and it is faster)
    and the payment models' 4-player shapes; 2x2x2x2, where that structure rarely fits, is ours."""
    if len(shape) <= 2 or shape == (2, 2, 2):
        return False
    pivot = len(shape) == 3 and shape[2] == 2
    if _hub_spokes_shape(shape) and max(shape) > 2 and (len(shape) != 3 or pivot):
        return False  # the hub-and-spokes kernel's (decided before the import below)
    from .n_player.support_enumeration import COMPILED_MAX_PROFILES  # lazy: loads sympy

    return math.prod(2**s - 1 for s in shape) <= COMPILED_MAX_PROFILES


def _hub_spokes_shape(shape: tuple[int, ...]) -> bool:
    from .hub_spokes import hub_spokes_roles  # lazy: loaded on first use

    return shape not in ((2, 2), (2, 2, 2)) and hub_spokes_roles(shape) is not None


SKIP_REDUCTION_PAIRS = SMALL_AUTO_PAIRS  # support pairs below which dominance costs more than it saves


def _reduction_costs_more(game: NormalFormGame) -> bool:
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


def _solve_auto(game: NormalFormGame, tol: float, max_seconds: float | None = None) -> Equilibria:
    if not game.is_exact and game.n_players > 2 and _hub_spokes_shape(game.shape):
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
    if game.shape in ((2, 2), (2, 2, 2)) or _reduction_costs_more(game):  # complete without a reduction
        reduced, kept = game, tuple(tuple(range(s)) for s in game.shape)
        _check_work(game.shape, _auto_method(game), max_seconds, "'auto'")
    else:
        _check_work(game.shape, "pure", max_seconds, "'auto'")  # the reduction: about one pass per removed strategy
        reduced, kept = game.eliminate_dominated(mixed=game.n_players > 2, tol=tol)
        _check_work(reduced.shape, _auto_method(reduced), max_seconds, "'auto'",
                    f" (left once dominated strategies are removed; auto runs {_auto_method(reduced)} on it)")
    if all(len(k) == 1 for k in kept):  # dominance solvable: a unique equilibrium, exact when the game is
        one = Fraction(1) if reduced.is_exact else 1.0
        inner = Equilibria([Equilibrium.from_profile(reduced, [[one] for _ in kept])], method="pure",
                           complete=True, exact=reduced.is_exact)
    else:
        solver = get_solver(_auto_method(reduced))
        inner = solver.__wrapped__(reduced, tol=tol)  # type: ignore[attr-defined]  # tol is checked already
    parameters = {"tol": tol, "kept": kept}
    if reduced is game:  # nothing removed: the solver's own list, relabelled
        return inner.replace(method=f"auto({inner.method})", tol=tol, parameters=parameters)
    return Equilibria(
        [_lift(game, eq, kept) for eq in inner],
        method=f"auto({inner.method})",
        complete=inner.complete,
        degenerate=inner.degenerate,
        tol=tol,
        exact=inner.exact,
        success=inner.success,
        message=inner.message,
        parameters=parameters,
    )


def _lift(game: NormalFormGame, eq: Equilibrium, kept: tuple[tuple[int, ...], ...]) -> Equilibrium:
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


@validate_params(
    {
        "batch": None,
        "method": StrOptions({"auto", "closed_form", "hub_spokes", "per_game"}),
        "tol": Interval(float, 0, 1),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
        "max_points": NoneOr(Interval(int, 1, None)),
    }
)
def solve_batch(batch: GameBatch, *, method: str = "auto", tol: float = DEFAULT_TOL, max_seconds: float | None = None,
                max_points: int | None = None) -> BatchSolution:
    """Every equilibrium of every game of a batch.

    ``method="auto"`` uses the vectorised ``closed_form`` kernel for 2x2 and 2x2x2 batches (numpy over the whole
    batch, no Python loop over games), the compiled ``hub_spokes`` kernel for the extended payment games
    (3x4x2x2, 2x4x2x2, 2x4x2 and every 3- or 4-player game of that structure; games it cannot finish go to
    the per-game path, counted in ``BatchSolution.fallback``) and the ``per_game`` reference path
    (:func:`solve` on each game) otherwise. Games have different numbers of equilibria, so the result's arrays
    are padded with NaN past each game's ``counts`` (``BatchSolution.valid`` marks the real entries). Before any
    work the batch's size and estimated work (games x :func:`batch_game_seconds`) are checked against
    ``max_points`` and ``max_seconds``.

    Parameters
    ----------
    batch : GameBatch
        The games.
    method : {"auto", "closed_form", "hub_spokes", "per_game"}
        How to solve them.
    tol : float
        Tolerance relative to each game's payoff scale.
    max_seconds, max_points : optional
        Raise the limits :data:`gametheory.limits.MAX_SECONDS` and :data:`gametheory.limits.MAX_POINTS` (games).

    Raises
    ------
    SolverError
        ``closed_form`` on a shape other than 2x2 or 2x2x2.
    LimitError
        Too many games, or too much estimated work.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> batch = gt.GameBatch(np.random.default_rng(0).normal(size=(100, 2, 2, 2)))
    >>> sol = gt.solve_batch(batch)
    >>> bool((sol.counts >= 1).all())
    True
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of solve_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    vectorised = batch.shape in ((2, 2), (2, 2, 2))
    if method == "closed_form" and not vectorised:
        raise SolverError(
            f"The 'closed_form' batch method handles 2x2 and 2x2x2 games only. Got {batch.shape}; use "
            f"method='per_game' (or 'auto')."
        )
    dims = "x".join(map(str, batch.shape))
    limits.check_points(len(batch), what=f"solve_batch of {len(batch):,} {dims} games", limit=max_points,
                        remedy="Split the batch, or sweep it on the Dask backend.")
    fast = method in ("auto", "closed_form") and vectorised
    path = batch_path(batch.shape, method)
    limits.check_seconds(len(batch) * batch_game_seconds(batch.shape, method), limit=max_seconds,
                         what=f"solve_batch of {len(batch):,} {dims} games ({path})",
                         remedy="Split the batch, or sweep it on the Dask backend.")
    if fast:
        from .closed_form import closed_form_batch  # lazy: loaded on first use

        return closed_form_batch(batch, tol=tol)
    if path == "n_player" and batch.payoffs.dtype != object:
        from .n_player.batch import nplayer_batch  # lazy: loaded on first use

        return nplayer_batch.__wrapped__(batch, tol=tol)  # type: ignore[attr-defined]  # tol is checked already
    if method == "hub_spokes" or (method == "auto" and _hub_spokes_shape(batch.shape)):
        from .hub_spokes import hub_spokes_batch  # lazy: loaded on first use

        return hub_spokes_batch(batch, tol=tol)
    results = [solve(game, tol=tol, max_seconds=math.inf) for game in batch]
    return BatchSolution.from_lists(results, batch.shape, method="per_game", tol=tol)
