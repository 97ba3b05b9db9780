r"""Every equilibrium of hub-and-spokes games (the extended payment games), vectorised over whole batches.

The extended games of every payment model share a structure: a **hub** (the seller) faces **spokes** (the
regular buyer and the hunter type) that never meet -- a spoke's payoff does not depend on the other spokes'
strategies, and the hub's payoff is a sum over spokes -- and, optionally, a binary **pivot** (the platform:
Lax or Audit) whose mixture :math:`p` enters every payoff linearly and whose gain :math:`\Delta` of Audit over
Lax is also a sum over spokes. Then, for every fixed :math:`p`, the game is a *polymatrix* game between the hub
and the spokes whose equilibrium conditions are linear, and

* with the pivot pure, every extreme equilibrium is a completely labelled pair of vertices of the two
  best-response polytopes (hub side :math:`\{x \in \Delta,\ v_k \ge U_k(t; x)\}`, spokes side
  :math:`\{y_k \in \Delta,\ v \ge U(s; y)\}`), found by solving every square system of tight constraints --
  degenerate games included, whose continua are unions of faces: listed pairs that share a vertex lie in one
  continuum (``component``);
* with the pivot mixing, a square support profile :math:`(I, J)` (:math:`|I| + K = 1 + \sum_k |J_k|`) gives by
  Cramer's rule :math:`x = N_x(p)/d_x(p)`, :math:`y = N_y(p)/d_y(p)` and the pivot's indifference
  :math:`N_x(p)^\top PV\, N_y(p) = 0`, a polynomial in :math:`p` solved on :math:`[0, 1]`.

Strictly dominated pure strategies are removed first (iterated), and support profiles with a conditionally
dominated strategy are skipped (Porter, Nudelman & Shoham 2008). Games the structure does not fit, and games
where the kernel meets a tie it cannot resolve (*suspect*: the pivot indifferent at a pure-pivot equilibrium,
a mixing-pivot candidate with a tight unused strategy, a pivot indifferent along a whole curve, a near-double
root), are solved per game by :func:`gametheory.solve`'s reference path (dominance, then
``nplayer_support_enumeration``) within a time budget per batch
(:data:`~gametheory.solvers.candidates.FALLBACK_SECONDS` plus
:data:`~gametheory.solvers.candidates.FALLBACK_SECONDS_PER_GAME` per game); past it a suspect game keeps the
kernel's certified equilibria with ``complete=False``. The solution says which games were handed on
(``fallback``) and whether each game's list is complete (``complete``). A pivot whose best response changes
inside a continuum is resolved in the kernel (the points where it becomes indifferent are listed) when its gain
is affine on the continuum's faces.

References
----------
.. [1] Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010). Enumeration of Nash equilibria for
   two-player games. *Economic Theory* 42(1), 9-37.
.. [2] Porter, R., Nudelman, E. and Shoham, Y. (2008). Simple search methods for finding a Nash equilibrium.
   *Games and Economic Behavior* 63(2), 642-662.
.. [3] Janovskaja, E. B. (1968). Equilibrium points in polymatrix games. *Litovskii Matematicheskii Sbornik*
   8, 381-384.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._threads import in_parts
from ..._validation import Interval, validate_params
from ...errors import InvalidParameterError, SolverError
from ...games.batch import GameBatch
from ...games.equilibrium import Equilibria
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from .._interpreted import run_in_parts
from ..batch_solution import BatchSolution
from ..candidates import TOL_FLOOR, pack_candidates

__all__ = ["hub_spokes", "hub_spokes_batch", "hub_spokes_roles", "Roles"]

FloatArray = npt.NDArray[np.float64]

#: games per kernel call (bounds the padded output arrays)
CHUNK = 8192
#: the kernel module, run compiled or, for a few games in a process without numba, interpreted (solvers/_interpreted)
KERNEL = "gametheory.solvers.hub_spokes._kernel"
#: largest hub / spoke strategy count the kernel takes
MAX_STRATEGIES = 4
#: the compiled kernel (which releases the GIL) runs in threads on parts of at least THREAD_GAMES games
#: (:func:`~gametheory._threads.in_parts`)
THREAD_GAMES = 512


@dataclass(frozen=True)
class Roles:
    """Which player is the hub, which are spokes, which (if any) is the binary pivot.

    Examples
    --------
    >>> hub_spokes_roles((3, 4, 2, 2))
    Roles(hub=0, spokes=(1, 3), pivot=2)
    """

    hub: int
    spokes: tuple[int, ...]
    pivot: int | None


def hub_spokes_roles(shape: tuple[int, ...]) -> Roles | None:
    """The role assignment tried for a game shape (``None``: this solver does not apply).

    Four players: seller (hub), buyer and hunter (spokes), the platform (pivot, 2 strategies). Three players:
    the first is the hub and the other two are spokes (a hub-and-two-spokes game without a pivot, such as the
    extended self-operated game) -- or, when that does not fit a game, the second is the only spoke and the
    third (2 strategies) the pivot, which fits *every* such 3-player game.

    Examples
    --------
    >>> hub_spokes_roles((2, 4, 2))
    Roles(hub=0, spokes=(1, 2), pivot=None)
    >>> hub_spokes_roles((2, 2)) is None
    True
    """
    if any(s > MAX_STRATEGIES for s in shape):
        return None
    if len(shape) == 4 and shape[2] == 2:
        return Roles(0, (1, 3), 2)
    if len(shape) == 3:
        return Roles(0, (1, 2), None)
    return None


def _pivot_roles(shape: tuple[int, ...]) -> Roles | None:
    """The always-fitting alternative for 3-player games whose third player has 2 strategies."""
    return Roles(0, (1,), 2) if len(shape) == 3 and shape[2] == 2 else None


def canonical(payoffs: FloatArray, roles: Roles, unit: bool = False, kernel: Any = None
              ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    r"""The kernel's arrays ``HS (N, A, nh, T)``, ``SP (N, A, T, nh)``, ``PV (N, nh, T)`` and the separability
    residual ``(N,)`` (largest payoff error of the hub-and-spokes form; 0 when the structure fits exactly); with
    ``unit``, of every game divided by its ``max |u|``.

    With spokes :math:`b` and :math:`h` and pivot action :math:`a`, the hub's payoff is written
    :math:`u(s, b, a, h) = u(s, b, a, h_0) + (u(s, b_0, a, h) - u(s, b_0, a, h_0))`, and likewise the pivot's
    gain; a spoke's payoff is read at the other spoke's first strategy (the compiled
    :func:`~gametheory.solvers.hub_spokes._kernel.canonical_games`, one pass over each game; ``kernel``: that
    module, compiled or interpreted, as :func:`~gametheory.solvers._interpreted.run_in_parts` gives it; the
    compiled one by default).
    """
    if kernel is None:
        kernel = importlib.import_module(KERNEL)
    order = [roles.hub, *roles.spokes] + ([roles.pivot] if roles.pivot is not None else [])
    # the strategy axes in role order (a view); the players are picked by index in the kernel
    U = np.moveaxis(payoffs, [2 + i for i in order], list(range(2, 2 + len(order))))
    players = np.array(order, dtype=np.int64)
    if roles.pivot is None:
        U = U[..., None]  # a pivot with one action
    if len(roles.spokes) == 1:
        U = U[:, players][:, :, :, :, None, :]  # a second spoke with one strategy that nobody sees
        U = np.concatenate([U[:, :2], U[:, 1:2] * 0.0, U[:, 2:]], axis=1)
        players = np.arange(U.shape[1], dtype=np.int64)
    # U[:, players]: (N, players hub/spoke1/spoke2/pivot, nh, t1, t2, A)
    t2_used = U.shape[4] if len(roles.spokes) == 2 else 0
    HS, SP, PV, resid = kernel.canonical_games(U, players, unit, t2_used)
    return HS, SP, PV, resid


@validate_params({"batch": None, "tol": Interval(float, 0, None)})
def hub_spokes_batch(batch: GameBatch, *, tol: float = DEFAULT_TOL) -> BatchSolution:
    r"""Every equilibrium of every game of a hub-and-spokes batch (the extended payment games).

    Parameters
    ----------
    batch : GameBatch
        ``N`` games with 3 or 4 players (see :func:`hub_spokes_roles`), at most 4 strategies each.
    tol : float
        Tolerance on regrets, relative to each game's ``max |u|`` (at least ``1e-12``).

    Returns
    -------
    BatchSolution
        Every extreme equilibrium of every game, ``degenerate`` where a continuum was found (its extreme
        points are listed, grouped by ``component``), ``fallback`` where the game was solved per game and
        ``complete`` where the list is guaranteed complete. Every listed profile has regret at most
        ``tol * scale``, computed from the full payoff tensor.

    Raises
    ------
    SolverError
        The batch's shape does not have hub-and-spokes roles.

    Notes
    -----
    At a pure pivot action the hub's and spokes' equilibrium conditions are linear (module docstring); a vertex
    of the hub's polytope with support :math:`I` and tight spoke rows :math:`T` solves

    .. math::

        \sum_{s \in I} x_s = 1, \qquad \sum_{s \in I} x_s\, u_k(t, s) = v_k \quad (t \in T_k),

    and one of the spokes' polytope with supports :math:`J_k` and tight hub rows :math:`S` solves
    :math:`\sum_{t \in J_k} y_t = 1`, :math:`\sum_t y_t\, u(s, t) = v` (:math:`s \in S`). A pair is an
    equilibrium when every strategy is unused or tight. With the pivot mixing, the pivot's indifference
    :math:`x(p)^\top PV\, y(p) = 0` along a square support profile is a polynomial equation in :math:`p`.

    References
    ----------
    .. [1] Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010). Enumeration of Nash equilibria
       for two-player games. *Economic Theory* 42(1), 9-37.
    .. [2] Porter, R., Nudelman, E. and Shoham, Y. (2008). Simple search methods for finding a Nash
       equilibrium. *Games and Economic Behavior* 63(2), 642-662.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.hub_spokes.solver import hub_spokes_batch
    >>> m = gt.models.get("escrow", variant="extended")
    >>> sol = hub_spokes_batch(m.batch(penalty_multiplier=[1.0, 3.0]))
    >>> sol.counts.tolist(), sol.complete.tolist(), bool((sol.regrets[sol.valid] <= 1e-9 * 300).all())
    ([8, 1], [True, True], True)
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of hub_spokes_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    roles = hub_spokes_roles(batch.shape)
    if roles is None:
        raise SolverError(f"The 'hub_spokes' method handles 3- and 4-player games with hub-and-spokes roles "
                          f"(at most {MAX_STRATEGIES} strategies each). Got {batch.shape}.")
    payoffs = np.asarray(batch.payoffs, dtype=float)
    # a few games: the kernel's source run by Python, cheaper than loading numba (0.5 s) in a new process
    parts = run_in_parts(KERNEL, len(batch), CHUNK,
                         lambda kernel, s, e: _solve_chunk(payoffs[s:e], batch.shape, roles, tol, kernel))
    return pack_candidates(parts, batch, tol, "hub_spokes")


def _solve_chunk(payoffs: FloatArray, shape: tuple[int, ...], roles: Roles, tol: float,
                 kernel: Any) -> dict[str, Any]:
    """Kernel (the module, compiled or interpreted) on the games the structure fits; the rest, and the suspect
    games, per game."""
    n_games = payoffs.shape[0]
    slack = np.full(n_games, max(tol, TOL_FLOOR))
    fits = np.zeros(n_games, dtype=bool)
    out = {"profiles": [], "games": [], "components": []}
    suspect = np.zeros(n_games, dtype=np.int64)
    degenerate = np.zeros(n_games, dtype=bool)
    todo = np.arange(n_games)
    for option in (roles, _pivot_roles(shape)):
        if option is None or not todo.size:
            continue
        every = todo.size == n_games
        # the kernel sees every game in its own unit (max |u| = 1), so its answer does not depend on the payoffs'
        # unit
        HS, SP, PV, resid = canonical(payoffs if every else payoffs[todo], option, True, kernel)
        ok = resid <= 1e-3 * slack[todo]
        idx = todo[ok]
        if idx.size:
            if not ok.all():
                HS, SP, PV = HS[ok], SP[ok], PV[ok]
            spoke_of = np.concatenate([np.full(shape[k], i) for i, k in enumerate(option.spokes)]).astype(np.int64)
            # every game's candidates one after another (a suspect game's too: its list if the fallback runs out
            # of time)
            X, Y, P, C, counts, deg, sus = _solve_games(kernel, HS, SP, PV, spoke_of, len(option.spokes), slack[idx])
            fits[idx] = True
            suspect[idx] = sus
            degenerate[idx] = deg
            out["profiles"].append(_profiles(X, Y, P, shape, option))
            out["games"].append(np.repeat(idx, counts))
            out["components"].append(C)
        todo = todo[~ok]
    out["fallback"] = (suspect != 0) | ~fits
    out["fits"] = fits
    out["reasons"] = suspect
    out["degenerate"] = degenerate
    out["payoffs"] = payoffs
    return out


def _solve_games(kernel: Any, HS: FloatArray, SP: FloatArray, PV: FloatArray, spoke_of: npt.NDArray[np.int64], K: int,
                 slack: FloatArray) -> tuple[npt.NDArray[Any], ...]:
    """``kernel.solve_games`` on the games, in consecutive parts run by parallel threads when compiled (each game is
    solved on its own, so the outputs, joined in order, are those of one call)."""
    if not hasattr(kernel.solve_games, "py_func"):  # interpreted: the GIL is held, threads gain nothing
        return tuple(kernel.solve_games(HS, SP, PV, spoke_of, K, slack))

    def part(a: int, b: int) -> tuple[npt.NDArray[Any], ...]:
        return tuple(kernel.solve_games(HS[a:b], SP[a:b], PV[a:b], spoke_of, K, slack[a:b]))

    results = in_parts(part, HS.shape[0], min_items=THREAD_GAMES)
    return results[0] if len(results) == 1 else tuple(np.concatenate(arrays) for arrays in zip(*results, strict=True))


def _profiles(X: FloatArray, Y: FloatArray, P: FloatArray, shape: tuple[int, ...], roles: Roles) -> FloatArray:
    """Kernel candidates as padded profiles ``(E, n, max_s)`` in the game's player order."""
    E = X.shape[0]
    out = np.full((E, len(shape), max(shape)), np.nan)
    out[:, roles.hub, : shape[roles.hub]] = X
    offset = 0
    for k in roles.spokes:
        out[:, k, : shape[k]] = Y[:, offset : offset + shape[k]]
        offset += shape[k]
    if roles.pivot is not None:
        out[:, roles.pivot, 0] = 1.0 - P
        out[:, roles.pivot, 1] = P
    return out


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def hub_spokes(game: Any, *, tol: float = DEFAULT_TOL) -> Equilibria:
    """Every equilibrium of one hub-and-spokes game (the batch kernel on a batch of one).

    A game the kernel cannot finish (module docstring) is solved by the reference path of
    :func:`gametheory.solve`; ``message`` says so.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.hub_spokes.solver import hub_spokes
    >>> eqs = hub_spokes(gt.models.get("direct", variant="extended").game())
    >>> len(eqs), eqs.complete, eqs.method
    (1, True, 'hub_spokes')
    """
    if not isinstance(game, NormalFormGame):
        game = NormalFormGame(game)
    if hub_spokes_roles(game.shape) is None:
        raise SolverError(f"The 'hub_spokes' method handles 3- and 4-player games with hub-and-spokes roles "
                          f"(at most {MAX_STRATEGIES} strategies each). Got {game.shape}.")
    eqs = hub_spokes_solve(game.to_float() if game.is_exact else game, tol)
    if eqs is None:
        from .. import solve_reference  # lazy: facade callback

        eqs = solve_reference(game, tol)
        eqs = eqs.replace(message="solved per game (a tie the batch kernel does not resolve); " + eqs.message)
    return eqs


def hub_spokes_solve(game: NormalFormGame, tol: float) -> Equilibria | None:
    """One game by the batch kernel: its :class:`Equilibria`, or ``None`` when it needs the reference path
    (the structure does not fit, or the kernel found it suspect)."""
    roles = hub_spokes_roles(game.shape)
    if roles is None or game.is_exact:
        return None
    payoffs = np.asarray(game.payoffs, dtype=float)[None]
    part = run_in_parts(KERNEL, 1, 1, lambda kernel, s, e: _solve_chunk(payoffs, game.shape, roles, tol, kernel))[0]
    if part["fallback"][0]:
        return None
    batch = GameBatch(np.asarray(game.payoffs, dtype=float)[None], game.players, game.strategies)
    sol = pack_candidates([part], batch, tol, "hub_spokes")
    if sol.fallback[0]:
        return None
    eqs = sol.equilibria(0)
    return eqs.replace(message=("degenerate game: continua of equilibria; their extreme points are listed, grouped by "
                                "component" if eqs.degenerate else ""), parameters={"tol": tol})
