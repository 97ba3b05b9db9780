r"""Basins of attraction: the share of starting states from which the replicator dynamics reach each stable state."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from .._validation import Interval, NoneOr, StrOptions, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from . import _state
from ._state import FloatArray
from .replicator import simulate
from .stability import StateStability, stable_states

__all__ = ["Basins", "basins", "grid_states"]


@dataclass(frozen=True, eq=False)
class Basins(FrozenResult):
    """Where the starts went: the stable states, the share of the starts that ended at each, and what became of
    the others.

    Attributes
    ----------
    states : tuple of StateStability
        The stable states, in the order of ``shares``.
    shares : ndarray, shape (len(states),)
        Share of the starts that ended within ``atol`` of each stable state.
    unassigned : float
        Share of starts that reached none of them by ``t_max`` (cycles, centres, slow convergence).
    starts : ndarray, shape (M, D)
        The starting states.
    assignment : ndarray of int, shape (M,)
        Index into ``states`` of each start's end point, -1 when unassigned.
    sampling : str
        ``"grid"`` or ``"random"``.
    seed : int or None
        The seed of random starts.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> result = gt.dynamics.basins(coordination, points=9)
    >>> [s.label for s in result.states], result.starts.shape
    (['(s1, s1)', '(s2, s2)'], (81, 4))
    """

    states: tuple[StateStability, ...]
    shares: FloatArray
    unassigned: float
    starts: FloatArray
    assignment: npt.NDArray[np.int64]
    sampling: str
    seed: int | None

    def __str__(self) -> str:
        lines = [f"{s.label}: {share:.3f}" for s, share in zip(self.states, self.shares, strict=True)]
        lines.append(f"none: {self.unassigned:.3f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        body = ", ".join(f"{s.label}: {v:.3f}" for s, v in zip(self.states, self.shares, strict=True))
        return f"Basins({body}; unassigned {self.unassigned:.3f}; {len(self.starts)} {self.sampling} starts)"


def grid_states(shape: tuple[int, ...], points: int) -> FloatArray:
    r"""Interior lattice of the product of simplices: shares :math:`c / (\text{points} + 1)`, integers :math:`c \ge 1`.

    Parameters
    ----------
    shape : tuple of int
        Strategies per population.
    points : int
        Lattice resolution: with :math:`N = \text{points} + 1`, population :math:`i`'s shares are
        :math:`(c_1, \dots, c_{s_i}) / N` with integers :math:`c_k \ge 1` summing to :math:`N`.

    Returns
    -------
    ndarray, shape (M, D)
        Every combination of the populations' lattice points (flat states).

    Notes
    -----
    Population :math:`i` contributes :math:`\binom{N-1}{s_i-1}` points, e.g. ``points`` values per axis for two
    strategies, so a 2x2x2 game with ``points = 9`` has 729 starts.

    References
    ----------
    .. [1] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> grid_states((2, 2), 3)[:, [0, 2]].tolist()[:3]
    [[0.25, 0.25], [0.25, 0.5], [0.25, 0.75]]
    """
    per_player = []
    for s in shape:
        total = points + 1
        comps = [c for c in itertools.product(range(1, total), repeat=s - 1) if sum(c) < total]
        per_player.append(np.array([[*c, total - sum(c)] for c in comps], dtype=float) / total)
    rows = [np.concatenate(combo) for combo in itertools.product(*per_player)]
    return np.array(rows)


@validate_params(
    {
        "game": None,
        "sampling": StrOptions({"grid", "random"}),
        "points": Interval(int, 1, None),
        "t_max": NoneOr(Interval(float, 0, None, closed="neither")),
        "atol": Interval(float, 0, 1, closed="neither"),
        "tol": Interval(float, 0, None),
        "seed": None,
    }
)
def basins(
    game: Any,
    *,
    sampling: str = "grid",
    points: int = 5,
    t_max: float | None = None,
    atol: float = 1e-3,
    tol: float = DEFAULT_TOL,
    seed: None | int | np.random.Generator = None,
) -> Basins:
    r"""Share of a grid or random sample of starting states converging to each stable state.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    sampling : {"grid", "random"}
        ``"grid"``: the interior lattice with ``points`` values per share axis (:func:`grid_states`);
        ``"random"``: ``points`` uniform random starts.
    points : int
        Grid resolution, or number of random starts.
    t_max : float, optional
        Integration time (see :func:`simulate`).
    atol : float
        A run has reached a stable state when its final state is within ``atol`` of it (max norm).
    tol : float
        Tolerance for finding and classifying the stable states.
    seed : None, int or numpy.random.Generator
        Seed of the random starts.

    Returns
    -------
    Basins

    Notes
    -----
    Every start is integrated (all at once, :func:`simulate`) to ``t_max`` and assigned to the stable state
    :math:`x^*` with :math:`\max_{i,s}|x_{i,s}(t_{\max}) - x^*_{i,s}| \le` ``atol``. The share of starts assigned to
    :math:`x^*` estimates the volume of its basin of attraction within the product of simplices.

    References
    ----------
    .. [1] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> result = gt.dynamics.basins(coordination, points=9)
    >>> [round(float(v), 2) for v in result.shares], result.unassigned
    ([0.79, 0.21], 0.0)
    """
    g = _state.as_game(game, "basins")
    if sampling == "grid":
        size = math.prod(math.comb(points, s - 1) for s in g.shape)  # the lattice's size, without listing it
        if size > 200_000:
            raise InvalidParameterError(
                f"The 'points' parameter of basins must keep the grid below 200000 starts. Got {points}, which gives "
                f"{size} starts for a game of shape {g.shape} instead."
            )
    stable = stable_states(g, tol=tol)
    if sampling == "grid":
        run = simulate(g, grid_states(g.shape, points), t_max=t_max)
    else:
        run = simulate(g, n_random=points, t_max=t_max, seed=seed)
    final = run.final
    assignment = np.full(len(final), -1, dtype=np.int64)
    for k, state in enumerate(stable):
        close = np.max(np.abs(final - state.point.state), axis=1) <= atol
        assignment[close & (assignment < 0)] = k
    counts = np.array([(assignment == k).sum() for k in range(len(stable))], dtype=float)
    m = len(final)
    return Basins(stable, counts / m, float((assignment < 0).sum() / m), run.starts, assignment, sampling, run.seed)
