r"""The principal branch of the logit QRE correspondence, traced from uniform play to a Nash equilibrium.

Over :math:`\lambda \in [0, \infty)` the logit QRE of an n-player game form a correspondence whose graph
contains one connected curve, the *principal branch*, that starts at the uniform profile at
:math:`\lambda = 0` and, for generic games, converges as :math:`\lambda \to \infty` to one Nash equilibrium: the
*logit-selected* equilibrium (McKelvey and Palfrey 1995; Turocy 2005). The branch may turn back in
:math:`\lambda` (several QRE at one precision), so it is followed in arclength, not in :math:`\lambda`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from .._validation import Interval, validate_params
from ..games.equilibrium import Equilibria, Equilibrium
from ..games.normal_form import DEFAULT_TOL
from ..solvers import solve
from . import _tracer
from ._common import (
    FIRST_STEP,
    MAX_ACCEL,
    MAX_LAMBDA,
    MAX_REGRET_CONSTRAINT,
    MAX_STEPS,
    POLISH_TOL,
    STEP_CONSTRAINTS,
    as_float_game,
    nearest_equilibrium,
    padded,
    payoff_span,
    profile_at,
    trace_branch_points,
)
from ._system import FloatArray, LogitSystem

__all__ = ["LogitPath", "logit_path", "MATCH_TOL", "MAX_REGRET"]

#: the branch ends when the profile's regret is at most this times the game's payoff span (Gambit's default)
MAX_REGRET = 1e-8
#: the end of the branch is matched to a listed equilibrium when no probability differs by more than this
MATCH_TOL = 1e-4


@dataclass(frozen=True, eq=False)
class LogitPath(FrozenResult):
    """The principal branch of one game: its points from ``lambda = 0`` to the end, and the selected equilibrium.

    Attributes
    ----------
    lambdas : ndarray, shape (K,)
        The precision at each accepted point (not monotone where the branch turns back).
    profiles : ndarray, shape (K, n_players, max_strategies)
        The QRE at each point (NaN beyond a player's own strategies); every point is refined onto the branch.
    limit : Equilibrium
        The last point, an approximate Nash equilibrium (regret at most ``max_regret`` times the payoff span).
    selected : Equilibrium or None
        The equilibrium of ``equilibria`` the branch converges to (the logit-selected equilibrium), or None when
        none is within :data:`MATCH_TOL` of ``limit`` (e.g. the limit lies inside a continuum of equilibria).
    selected_index : int or None
        Position of ``selected`` in ``equilibria``.
    equilibria : Equilibria
        Every equilibrium :func:`gametheory.solve` lists for the game.
    success : bool
        True when the branch reached ``max_regret`` before ``max_lambda`` and the step limit.
    message : str
        What ended the branch.
    nit : int
        Accepted predictor-corrector steps.
    parameters : dict
        Every argument.
    """

    lambdas: FloatArray
    profiles: FloatArray
    limit: Equilibrium
    selected: Equilibrium | None
    selected_index: int | None
    equilibria: Equilibria
    success: bool
    message: str
    nit: int
    parameters: dict[str, Any] = field(default_factory=dict)

    def profile(self, k: int) -> tuple[npt.NDArray[np.float64], ...]:
        """The profile at point ``k`` as one probability vector per player."""
        shape = [len(v) for v in self.limit.profile]
        return tuple(self.profiles[k, i, :s].copy() for i, s in enumerate(shape))

    def __len__(self) -> int:
        return int(self.lambdas.shape[0])

    def __repr__(self) -> str:
        picked = "None" if self.selected_index is None else str(self.selected_index)
        return (
            f"LogitPath({len(self)} points, lambda up to {self.lambdas.max():.4g}, selected_index={picked}, "
            f"success={self.success}, nit={self.nit})"
        )


@validate_params(
    {
        "game": None,
        "max_regret": MAX_REGRET_CONSTRAINT,
        "max_lambda": Interval(float, 0, None, closed="neither"),
        **STEP_CONSTRAINTS,
        "tol": Interval(float, 0, 1),
    }
)
def logit_path(
    game: Any,
    *,
    max_regret: float = MAX_REGRET,
    max_lambda: float = MAX_LAMBDA,
    first_step: float = FIRST_STEP,
    max_accel: float = MAX_ACCEL,
    max_steps: int = MAX_STEPS,
    tol: float = DEFAULT_TOL,
) -> LogitPath:
    r"""Trace the principal logit branch of ``game`` from uniform play to its limit, a Nash equilibrium.

    Parameters
    ----------
    game : NormalFormGame or array_like
        Any finite normal-form game (n players; exact payoffs are converted to float).
    max_regret : float
        The branch ends when the profile's regret is at most ``max_regret * (max payoff - min payoff)``.
    max_lambda : float
        ... or when lambda passes this value (then ``success`` is False).
    first_step, max_accel : float
        The first arclength step and the largest factor by which a step may grow (Gambit's defaults).
    max_steps : int
        Accepted steps before giving up.
    tol : float
        Tolerance passed to :func:`gametheory.solve` for the listed equilibria.

    Returns
    -------
    LogitPath

    Notes
    -----
    In the coordinates :math:`x = (\log\sigma, \lambda)` the branch is the solution curve of
    :math:`H(x) = 0`, the equations

    .. math::

        \sum_j \sigma_{ij} = 1, \qquad
        \log\sigma_{ij} - \log\sigma_{i1} = \lambda\,\big(u_i(j, \sigma_{-i}) - u_i(1, \sigma_{-i})\big),

    through :math:`(\log(1/s_i), 0)`. It is followed by an Euler predictor along the unit tangent and chord-Newton
    correctors orthogonal to it, with Gambit's step-size control (a step is refused when the corrector starts far
    from the curve or contracts slowly; accepted steps grow by at most ``max_accel``). A sign change of
    :math:`\det\begin{pmatrix} H' \\ t^\top\end{pmatrix}` between two points signals a bifurcation, as on the
    principal branch of symmetric games; the step is then retried with the first equation offset by ``1e-7``,
    which unfolds it, as Gambit does. Each accepted point is refined by Newton's method on the normal plane of
    its tangent. The limit is matched to the nearest equilibrium :func:`gametheory.solve` returns.

    References
    ----------
    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response equilibrium
    correspondence. *Games and Economic Behavior* 51(2), 243-263.

    Allgower, E. L. and Georg, K. (1990). *Numerical Continuation Methods: An Introduction*. Springer, ch. 6.

    McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games. *Games and
    Economic Behavior* 10(1), 6-38.

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> path = gt.qre.logit_path(bos)
    >>> path.success, path.selected_index
    (True, 0)
    >>> [[round(float(p), 3) for p in v] for v in path.selected.profile]
    [[1.0, 0.0], [1.0, 0.0]]
    """
    g = as_float_game(game, "logit_path")
    system = LogitSystem(g.payoffs[None])
    end, xs, ts = trace_branch_points(system, max_regret=max_regret, max_lambda=max_lambda, first_step=first_step,
                                      max_accel=max_accel, max_steps=max_steps)
    refined = _tracer.polish(system.take(np.zeros(len(xs), dtype=np.intp)), xs, ts, tol=POLISH_TOL)
    xs = np.where(np.isfinite(refined).all(axis=1, keepdims=True), refined, xs)
    profiles = padded(system, np.exp(xs[:, :-1]))
    limit = Equilibrium.from_profile(g, list(profile_at(system, xs[-1])))

    eqs = solve(g, tol=tol)
    selected_index: int | None = None
    if len(eqs):
        listed = np.stack([padded(system, np.concatenate(eq.profile)[None])[0] for eq in eqs])[None]
        index, gap = nearest_equilibrium(profiles[-1:], listed, np.ones((1, len(eqs)), dtype=bool))
        if index[0] >= 0 and gap[0] <= MATCH_TOL:
            selected_index = int(index[0])
    reached = int(end.status[0]) == _tracer.DONE and limit.regret <= max_regret * float(payoff_span(g.payoffs[None])[0])
    message = _tracer.MESSAGES[int(end.status[0])]
    if int(end.status[0]) == _tracer.DONE and not reached:
        message = f"lambda passed max_lambda = {max_lambda:g} before the regret fell to max_regret"
    return LogitPath(
        lambdas=xs[:, -1].copy(),
        profiles=profiles,
        limit=limit,
        selected=None if selected_index is None else eqs[selected_index],
        selected_index=selected_index,
        equilibria=eqs,
        success=bool(reached),
        message=message,
        nit=int(end.steps[0]),
        parameters={
            "max_regret": max_regret, "max_lambda": max_lambda, "first_step": first_step,
            "max_accel": max_accel, "max_steps": max_steps, "tol": tol, "match_tol": MATCH_TOL,
        },
    )
