r"""The logit QRE at a given precision ``lambda``, for one game or a whole batch of games at once.

At precision :math:`\lambda \ge 0` a logit quantal response equilibrium is a profile in which every player mixes
over its strategies in proportion to the exponential of ``lambda`` times their payoffs against the others' mixes,

.. math::

    \sigma_{ij} = \frac{e^{\lambda u_i(j, \sigma_{-i})}}{\sum_k e^{\lambda u_i(k, \sigma_{-i})}}
    \qquad \text{(McKelvey and Palfrey 1995)}.

There may be several at large ``lambda``; the one returned lies on the *principal branch*, the connected curve
of QRE that starts from uniform play at ``lambda = 0`` (Turocy 2005): the first point of that branch with the
given ``lambda``, as Gambit's ``logit_solve_lambda`` returns. ``lambda`` multiplies the payoffs as they are, so
its scale is the inverse of the payoff unit (a game in euros and the same game in cents need lambdas 100x apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from .._validation import Interval, check_param, validate_params
from ..errors import InvalidParameterError
from ..games.batch import GameBatch
from ..solvers.batch_solution import BatchSolution
from . import _tracer
from ._common import (
    BATCH_FIRST_STEP,
    BATCH_MAX_ACCEL,
    FIRST_STEP,
    MAX_ACCEL,
    MAX_STEPS,
    STEP_CONSTRAINTS,
    as_float_game,
    check_lambdas,
    padded,
    profile_at,
    solve_at_lambdas,
    status_message,
)
from ._system import FloatArray, LogitSystem

__all__ = ["LogitQRE", "LogitBatch", "logit", "logit_batch"]

@dataclass(frozen=True, eq=False)
class LogitQRE(FrozenResult):
    """The principal-branch logit QRE of one game at one ``lambda``.

    Attributes
    ----------
    profile : tuple of ndarray
        One probability vector per player.
    lam : float
        The precision.
    payoffs : ndarray
        Each player's expected payoff at ``profile``.
    regret : float
        The profile's largest gain from a unilateral deviation (0 only in the limit ``lambda -> inf``).
    success : bool
        False when the branch could not be followed up to ``lam`` (then ``profile`` holds NaN).
    message : str
        What happened.
    nit : int
        Accepted predictor-corrector steps.
    parameters : dict
        Every argument, step controls included.
    """

    profile: tuple[npt.NDArray[np.float64], ...]
    lam: float
    payoffs: npt.NDArray[np.float64]
    regret: float
    success: bool
    message: str
    nit: int
    parameters: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        probs = [[round(float(p), 6) for p in v] for v in self.profile]
        return f"LogitQRE(lam={self.lam:g}, profile={probs}, regret={self.regret:.3g}, success={self.success})"


@dataclass(frozen=True, eq=False)
class LogitBatch(FrozenResult):
    """The principal-branch logit QRE of every game of a batch, each at its own ``lambda``.

    Attributes
    ----------
    profiles : ndarray, shape (N, n_players, max_strategies)
        ``profiles[g, i, s]``: probability that player ``i`` plays ``s`` in game ``g``; NaN beyond a player's own
        strategies, and everywhere in a game whose branch failed (``success[g]`` False).
    lam : ndarray, shape (N,)
        The precision of each game.
    regrets : ndarray, shape (N,)
        Each profile's regret.
    success : ndarray of bool, shape (N,)
        Whether the branch reached ``lam[g]``.
    steps : ndarray of int, shape (N,)
        Accepted steps of each branch.
    shape : tuple of int
        Strategies per player.
    message : str
        Summary of the failures, if any.
    """

    profiles: FloatArray
    lam: FloatArray
    regrets: FloatArray
    success: npt.NDArray[np.bool_]
    steps: npt.NDArray[np.int64]
    shape: tuple[int, ...]
    message: str

    def __len__(self) -> int:
        return int(self.lam.shape[0])

    def as_solution(self) -> BatchSolution:
        """The profiles as a one-profile-per-game :class:`~gametheory.BatchSolution` (failed games: count 0), so
        a model's ``outcome_arrays`` give the metrics at the QRE."""
        n = len(self)
        payoffs = np.full((n, 1, len(self.shape)), np.nan)
        return BatchSolution(
            profiles=self.profiles[:, None],
            payoffs=payoffs,
            regrets=self.regrets[:, None],
            counts=self.success.astype(np.int64),
            degenerate=np.zeros(n, dtype=bool),
            component=np.where(self.success, 0, -1)[:, None].astype(np.int64),
            shape=self.shape,
            method="logit_qre",
            tol=0.0,
        )

    def __repr__(self) -> str:
        dims = "x".join(map(str, self.shape))
        return f"LogitBatch({len(self)} games, {dims}, success={int(self.success.sum())}/{len(self)})"


@validate_params({"game": None, "lam": None, **STEP_CONSTRAINTS})
def logit(
    game: Any,
    lam: float,
    *,
    first_step: float = FIRST_STEP,
    max_accel: float = MAX_ACCEL,
    max_steps: int = MAX_STEPS,
) -> LogitQRE:
    r"""The logit QRE at precision ``lam`` on the principal branch of ``game`` (any number of players).

    Parameters
    ----------
    game : NormalFormGame or array_like
        The game (payoffs ``(n, s_1, ..., s_n)``; exact payoffs are converted to float).
    lam : float
        The precision :math:`\lambda \ge 0` (0: uniform play).
    first_step, max_accel, max_steps : optional
        Step control of the predictor-corrector tracer (:func:`logit_path`).

    Returns
    -------
    LogitQRE

    Notes
    -----
    The branch is traced from :math:`\lambda = 0` in arclength (see :func:`logit_path`) until it first reaches
    ``lam``; the point is then refined by Newton's method on the QRE equations at that fixed ``lambda`` to a
    correction below ``1e-12``.

    References
    ----------
    McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games. *Games and
    Economic Behavior* 10(1), 6-38.

    Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response equilibrium
    correspondence. *Games and Economic Behavior* 51(2), 243-263.

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> qre = gt.qre.logit(bos, 0.5)
    >>> [[round(float(p), 4) for p in v] for v in qre.profile]
    [[0.5828, 0.4172], [0.4172, 0.5828]]
    """
    check_param("logit", "lam", lam, Interval(float, 0, None))
    g = as_float_game(game, "logit")
    system = LogitSystem(g.payoffs[None])
    x, status, steps = solve_at_lambdas(
        system, np.array([float(lam)]), first_step=first_step, max_accel=max_accel, max_steps=max_steps
    )
    profile = profile_at(system, x[0])
    ok = bool(status[0] == _tracer.DONE and np.isfinite(x).all())
    payoffs = g.expected_payoffs(profile) if ok else np.full(g.n_players, np.nan)
    return LogitQRE(
        profile=profile,
        lam=float(lam),
        payoffs=np.asarray(payoffs, dtype=float),
        regret=float(g.regret(profile)) if ok else float("nan"),
        success=ok,
        message=_tracer.MESSAGES[int(status[0])],
        nit=int(steps[0]),
        parameters={"lam": float(lam), "first_step": first_step, "max_accel": max_accel, "max_steps": max_steps},
    )


@validate_params({"batch": None, "lam": None, **STEP_CONSTRAINTS})
def logit_batch(
    batch: GameBatch,
    lam: float | npt.ArrayLike,
    *,
    first_step: float = BATCH_FIRST_STEP,
    max_accel: float = BATCH_MAX_ACCEL,
    max_steps: int = MAX_STEPS,
) -> LogitBatch:
    r"""The principal-branch logit QRE of every game of a batch at once (numpy over the games).

    Every game's branch is traced by the same predictor-corrector steps as :func:`logit`, in lockstep, each with
    its own step size; a game leaves the loop when its branch reaches its ``lambda``.

    Parameters
    ----------
    batch : GameBatch
        ``N`` games of one shape (e.g. ``model.batch(...)``).
    lam : float or array_like of shape (N,)
        One precision for every game, or one per game.
    first_step, max_accel, max_steps : optional
        Step control of the tracer (as in :func:`logit`); the defaults (0.3 and 2.0, Gambit's are 0.03 and 1.1)
        take about a third of the steps to the same branch points.

    Returns
    -------
    LogitBatch

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("escrow")
    >>> qre = gt.qre.logit_batch(model.batch(detection_prob=np.linspace(0.2, 0.9, 8)), 0.05)
    >>> bool(qre.success.all()), qre.profiles.shape
    (True, (8, 3, 2))
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of logit_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    lams = check_lambdas(lam, len(batch), "logit_batch")
    system = LogitSystem(batch.payoffs)
    x, status, steps = solve_at_lambdas(system, lams, first_step=first_step, max_accel=max_accel, max_steps=max_steps)
    flat = np.exp(x[:, :-1])
    regrets = system.regrets(system.split(flat))
    return LogitBatch(
        profiles=padded(system, flat),
        lam=lams,
        regrets=regrets,
        success=status == _tracer.DONE,
        steps=steps,
        shape=system.shape,
        message=status_message(status),
    )
