r"""Rest points of the multi-population replicator dynamics.

A state :math:`x` is a rest point iff every strategy in use earns its population's average,
:math:`\pi_{i,s}(x) = \bar\pi_i(x)` whenever :math:`x_{i,s} > 0`. So the rest points in the relative interior
of a face :math:`\prod_i \Delta(S_i)` are exactly the completely mixed Nash equilibria of the sub-game restricted
to the supports :math:`S_i`; they are Nash equilibria of the whole game only when no unused strategy earns more.
Every pure profile (corner) is a rest point.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import solve
from .._frozen import FrozenResult, Listing
from .._validation import Interval, validate_params
from ..games.normal_form import DEFAULT_TOL, NormalFormGame
from . import _state
from ._binary import binary_rest_points
from ._state import FloatArray

__all__ = ["RestPoint", "RestPoints", "rest_points"]


@dataclass(frozen=True, eq=False)
class RestPoint(FrozenResult):
    """One rest point of the replicator dynamics.

    Attributes
    ----------
    profile : tuple of ndarray
        One probability vector per population.
    support : tuple of tuple of int
        Strategies in use (the face whose relative interior holds the point).
    nash : bool
        True when the point is a Nash equilibrium of the whole game (regret within the tolerance).
    regret : float
        Largest gain from a unilateral deviation (0 at a Nash equilibrium; positive at non-Nash rest points,
        where an unused strategy earns more).
    exact : tuple of tuple, or None
        The profile as exact sympy numbers (exact 2x2 and 2x2x2 games).

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> point = gt.dynamics.rest_points(coordination)[-1]
    >>> [[round(float(p), 4) for p in v] for v in point.profile], point.nash, point.is_pure
    ([[0.3333, 0.6667], [0.3333, 0.6667]], True, False)
    """

    profile: tuple[FloatArray, ...]
    support: tuple[tuple[int, ...], ...]
    nash: bool
    regret: float
    exact: tuple[tuple[Any, ...], ...] | None = None

    @property
    def state(self) -> FloatArray:
        """The flat state (probability vectors concatenated)."""
        return np.concatenate(self.profile)

    @property
    def is_pure(self) -> bool:
        """True at a corner (every population monomorphic)."""
        return all(len(s) == 1 for s in self.support)

    def __repr__(self) -> str:
        prof = ", ".join("[" + ", ".join(f"{x:.4g}" for x in v) + "]" for v in self.profile)
        return f"RestPoint(profile=({prof}), nash={self.nash}, regret={self.regret:.1e})"


@dataclass(frozen=True, eq=False)
class RestPoints(FrozenResult, Listing[RestPoint]):
    """Every isolated rest point of a game, corners first, and whether rest points also form a continuum (not
    listed).

    Attributes
    ----------
    points : tuple of RestPoint
        The isolated rest points; ``len``, indexing and iteration go over them.
    continuum : bool
        True when some rest points form a continuum (a degenerate game); its points are not listed.
    complete : bool
        True when every isolated rest point is guaranteed listed.
    exact : bool
        True when the points were computed in exact arithmetic.
    method : str
        ``"closed_form"`` (2x2, 2x2x2) or ``"faces"`` (a sub-game solve on every face).
    tol : float
        Tolerance used, relative to the payoff scale.
    message : str
        Notes (e.g. which faces hold a continuum).

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> points = gt.dynamics.rest_points(coordination)
    >>> len(points), points.complete, points.continuum
    (5, True, False)
    >>> [p.nash for p in points]
    [True, False, False, True, True]
    """

    points: tuple[RestPoint, ...]
    continuum: bool
    complete: bool
    exact: bool
    method: str
    tol: float
    message: str = ""

    _ITEMS = "points"

    def __repr__(self) -> str:
        head = (
            f"RestPoints(method={self.method!r}, count={len(self)}, continuum={self.continuum}, "
            f"complete={self.complete}, exact={self.exact}, tol={self.tol:g}"
            + (f", message={self.message!r}" if self.message else "")
            + ")"
        )
        return self._listed(head)


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def rest_points(game: Any, *, tol: float = DEFAULT_TOL) -> RestPoints:
    r"""Every isolated rest point of the replicator dynamics: corners, edges, faces and the interior.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
        Every player needs at least two strategies.
    tol : float
        Tolerance relative to ``scale = max |payoff|``.

    Returns
    -------
    RestPoints
        Corners first, then points on larger faces; ``continuum`` flags degenerate games.

    Notes
    -----
    For every face :math:`S = S_1 \times \dots \times S_n` the rest points in its relative interior solve

    .. math::

        u_i(s, x_{-i}) = u_i(s', x_{-i}) \quad (s, s' \in S_i),\qquad x_{i,s} > 0 \iff s \in S_i,

    i.e. they are the completely mixed Nash equilibria of the sub-game on :math:`S`. 2x2 and 2x2x2 games are
    solved in closed form (affine equations on faces, a quadratic in the interior), exactly in rationals and
    square roots for exact games. Otherwise a face where two populations mix is a pair of linear systems, and
    larger faces are solved with :func:`gametheory.solve` on the sub-game. Rest points that are not Nash
    equilibria lie on the boundary (Weibull 1995, prop. 5.4 and 5.8).

    References
    ----------
    .. [1] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.
    .. [2] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> points = gt.dynamics.rest_points(pennies)
    >>> len(points), [p.nash for p in points]
    (5, [False, False, False, False, True])
    >>> [float(v[0]) for v in points[-1].profile]
    [0.5, 0.5]
    """
    original = game
    g = _state.as_game(game, "rest_points")
    binary = all(s == 2 for s in g.shape) and g.n_players in (2, 3)
    exact_game = isinstance(original, NormalFormGame) and original.is_exact
    if binary and exact_game:
        from ._exact import exact_binary_rest_points  # lazy: sympy

        profiles, continuum = exact_binary_rest_points(original)
        points = tuple(_point(g, [np.array([float(x) for x in v]) for v in p], tol, exact=p) for p in profiles)
        return RestPoints(points, continuum, True, True, "closed_form", tol, _note(continuum))
    if binary:
        found = binary_rest_points(g.payoffs[None].astype(float), tol)
        points = tuple(
            _point(g, [np.array([x, 1.0 - x]) for x in found.points[0, k]], tol)
            for k in np.flatnonzero(found.valid[0])
        )
        cont = bool(found.continuum[0])
        return RestPoints(points, cont, True, False, "closed_form", tol, _note(cont))
    return _faces(g, tol)


def _note(continuum: bool) -> str:
    return "some rest points form a continuum (degenerate game); only isolated ones are listed" if continuum else ""


def _point(game: NormalFormGame, profile: list[FloatArray], tol: float, exact: Any = None) -> RestPoint:
    profile = [np.clip(np.asarray(v, dtype=float), 0.0, 1.0) for v in profile]
    regret = float(game.regret(profile))
    support = tuple(tuple(int(k) for k in np.flatnonzero(v > 0)) for v in profile)
    return RestPoint(tuple(profile), support, regret <= tol * game.scale, regret, exact)


def _subsets(s: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, s + 1) for c in itertools.combinations(range(s), r)]


def _faces(g: NormalFormGame, tol: float) -> RestPoints:
    """Rest points face by face (general games)."""
    thr = tol * g.scale
    points: list[RestPoint] = []
    continuum, complete, notes = False, True, []
    faces = sorted(itertools.product(*[_subsets(s) for s in g.shape]), key=lambda f: sum(len(s) for s in f))
    for face in faces:
        active = [i for i, s in enumerate(face) if len(s) > 1]
        fixed = {i: s[0] for i, s in enumerate(face) if len(s) == 1}
        if len(active) == 0:
            found: list[list[FloatArray]] = [[_unit(g.shape[i], fixed[i]) for i in range(g.n_players)]]
        elif len(active) == 1:
            i = active[0]
            index = tuple(slice(None) if k == i else fixed[k] for k in range(g.n_players))
            values = g.payoffs[i][index][list(face[i])]
            continuum |= bool(np.ptp(values) <= thr)
            found = []
        elif len(active) == 2:
            found, cont = _two_active(g, face, active, fixed, thr)
            continuum |= cont
        else:
            found, cont, ok, note = _many_active(g, face, active, fixed, tol)
            continuum |= cont
            complete &= ok
            if note:
                notes.append(note)
        points.extend(_point(g, p, tol) for p in found)
    message = "; ".join(filter(None, [_note(continuum), *notes]))
    return RestPoints(tuple(points), continuum, complete, False, "faces", tol, message)


def _sub_payoffs(g: NormalFormGame, index: tuple[list[int], ...]) -> FloatArray:
    """All players' payoffs restricted to the strategies in ``index`` (one list per player)."""
    key: tuple[Any, ...] = (slice(None), *np.ix_(*index))
    return np.asarray(g.payoffs[key], dtype=float)


def _unit(s: int, k: int) -> FloatArray:
    v = np.zeros(s)
    v[k] = 1.0
    return v


def _two_active(
    g: NormalFormGame, face: tuple[tuple[int, ...], ...], active: list[int], fixed: dict[int, int], thr: float
) -> tuple[list[list[FloatArray]], bool]:
    """Completely mixed equilibria of a face where populations ``i, j`` mix: two linear systems."""
    i, j = active
    index = tuple(list(face[k]) if k in (i, j) else [fixed[k]] for k in range(g.n_players))
    sub = _sub_payoffs(g, index)
    a = sub[i].reshape(len(face[i]), len(face[j]))  # u_i(s, t)
    b = sub[j].reshape(len(face[i]), len(face[j])).T  # u_j(t, s) as rows t
    y, cont_y = _indifference(a, thr)
    x, cont_x = _indifference(b, thr)
    cont = (cont_y and (x is not None or cont_x)) or (cont_x and y is not None)
    if x is None or y is None:
        return [], cont
    profile = [_unit(g.shape[k], fixed[k]) if k in fixed else np.zeros(g.shape[k]) for k in range(g.n_players)]
    profile[i][list(face[i])] = x
    profile[j][list(face[j])] = y
    return [profile], cont


def _indifference(a: FloatArray, thr: float) -> tuple[FloatArray | None, bool]:
    r"""The unique positive ``y`` with :math:`A y = v\mathbf 1`, :math:`\mathbf 1^\top y = 1`; or a continuum flag."""
    k, l_ = a.shape
    m = np.zeros((k + 1, l_ + 1))
    m[:k, :l_] = a
    m[:k, l_] = -1.0
    m[k, :l_] = 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    sol, _, rank, _ = np.linalg.lstsq(m, rhs, rcond=None)
    if np.abs(m @ sol - rhs).max() > thr:
        return None, False
    if rank == l_ + 1:
        y = sol[:l_]
        return (y, False) if np.all(y > thr) else (None, False)
    from scipy.optimize import linprog

    # a continuum of solutions: is some solution strictly positive?
    cost = np.zeros(l_ + 2)
    cost[-1] = -1.0  # maximise t subject to y >= t
    a_ub = np.zeros((l_, l_ + 2))
    a_ub[:, :l_] = -np.eye(l_)
    a_ub[:, -1] = 1.0
    a_eq = np.hstack([m, np.zeros((k + 1, 1))])
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(l_), A_eq=a_eq, b_eq=rhs,
                  bounds=[(None, None)] * (l_ + 1) + [(None, 1.0)])
    return None, bool(res.status == 0 and -res.fun > thr)


def _many_active(
    g: NormalFormGame, face: tuple[tuple[int, ...], ...], active: list[int], fixed: dict[int, int], tol: float
) -> tuple[list[list[FloatArray]], bool, bool, str]:
    """Completely mixed equilibria of a face where three or more populations mix.

    Three populations mixing two strategies each: the 2x2x2 closed form; otherwise :func:`gametheory.solve`.
    """
    index = tuple(list(face[k]) if k in active else [fixed[k]] for k in range(g.n_players))
    sub = _sub_payoffs(g, index)
    squeezed = sub[active].reshape((len(active), *[len(face[k]) for k in active]))
    if len(active) == 3 and all(len(face[k]) == 2 for k in active):
        closed = binary_rest_points(squeezed[None], tol)
        inner = []
        for slot in np.flatnonzero(closed.valid[0] & (closed.mixing == 3)):
            profile = [_unit(g.shape[k], fixed[k]) if k in fixed else np.zeros(g.shape[k]) for k in range(g.n_players)]
            for pos, k in enumerate(active):
                x = closed.points[0, slot, pos]
                profile[k][list(face[k])] = [x, 1.0 - x]
            inner.append(profile)
        return inner, bool(closed.continuum[0]), True, ""
    try:
        eqs = solve(NormalFormGame(squeezed), tol=tol)
    except Exception as exc:  # noqa: BLE001 - a face we cannot solve makes the listing incomplete, not wrong
        return [], False, False, f"face {face} not solved ({type(exc).__name__}: {exc})"
    found = []
    for eq in eqs:
        if all(np.all(v > tol) for v in eq.profile):
            profile = [_unit(g.shape[k], fixed[k]) if k in fixed else np.zeros(g.shape[k]) for k in range(g.n_players)]
            for pos, k in enumerate(active):
                profile[k][list(face[k])] = eq.profile[pos]
            found.append(profile)
    return found, bool(eqs.degenerate), bool(eqs.complete), ""
