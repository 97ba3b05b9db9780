r"""The logit-selected equilibrium of every game of a batch: where each principal branch ends.

For a generic game the principal logit branch converges, as :math:`\lambda \to \infty`, to one Nash equilibrium
(McKelvey and Palfrey 1995; Turocy 2005), which makes it a selection rule: beside the worst case (the largest
counterfeit rate over every equilibrium) and the best case (the smallest), the *logit-selected* equilibrium is
the one that boundedly rational players who grow more precise end up at.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import Interval, validate_params
from ..errors import InvalidParameterError
from ..games.batch import GameBatch
from ..games.normal_form import DEFAULT_TOL
from ..solvers import solve_batch
from ..solvers.batch_solution import BatchSolution
from ._common import (
    BATCH_FIRST_STEP,
    BATCH_MAX_ACCEL,
    MAX_LAMBDA,
    MAX_REGRET_CONSTRAINT,
    MAX_STEPS,
    STEP_CONSTRAINTS,
    nearest_equilibrium,
    padded,
    trace_to_limit,
)
from ._system import LogitSystem
from .branch import MATCH_TOL, MAX_REGRET

__all__ = ["logit_selected"]


@validate_params(
    {
        "batch": None,
        "solution": None,
        "max_regret": MAX_REGRET_CONSTRAINT,
        **STEP_CONSTRAINTS,
        "tol": Interval(float, 0, 1),
    }
)
def logit_selected(
    batch: GameBatch,
    solution: BatchSolution | None = None,
    *,
    max_regret: float = MAX_REGRET,
    first_step: float = BATCH_FIRST_STEP,
    max_accel: float = BATCH_MAX_ACCEL,
    max_steps: int = MAX_STEPS,
    tol: float = DEFAULT_TOL,
) -> npt.NDArray[np.int64]:
    """Index, into each game's listed equilibria, of the one its principal logit branch converges to.

    Parameters
    ----------
    batch : GameBatch
        The games.
    solution : BatchSolution, optional
        Their equilibria (default: :func:`gametheory.solve_batch` with ``tol``).
    max_regret, first_step, max_accel, max_steps : optional
        How far and how each branch is traced (as in :func:`logit_path`; the step defaults are
        :func:`logit_batch`'s).
    tol : float
        Tolerance of the default solve.

    Returns
    -------
    ndarray of int, shape (N,)
        ``solution.profiles[g, index[g]]`` is game ``g``'s logit-selected equilibrium; -1 where the branch did not
        end within :data:`MATCH_TOL` of a listed equilibrium (a failed branch, or a limit inside a continuum).

    Notes
    -----
    Every branch is traced at once (numpy over the games, each with its own step size) until its regret is at
    most ``max_regret`` times the game's payoff span; its end is matched to the nearest listed equilibrium.

    Examples
    --------
    >>> import gametheory as gt
    >>> model = gt.models.get("escrow")
    >>> batch = model.batch(detection_prob=[0.5, 0.9])
    >>> sol = gt.solve_batch(batch)
    >>> sol.counts.tolist(), gt.qre.logit_selected(batch, sol).tolist()
    ([1, 3], [0, 1])
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of logit_selected must be a GameBatch. Got {type(batch).__name__} instead."
        )
    if solution is None:
        solution = solve_batch(batch, tol=tol)
    if len(solution) != len(batch) or tuple(solution.shape) != batch.shape:
        raise InvalidParameterError(
            f"The 'solution' parameter of logit_selected must solve the {len(batch)} games of the batch. Got "
            f"{len(solution)} games of shape {solution.shape} instead."
        )
    return _select(LogitSystem(batch.payoffs), solution, max_regret=max_regret, first_step=first_step,
                   max_accel=max_accel, max_steps=max_steps)


def _select(system: LogitSystem, solution: BatchSolution, **trace_options: Any) -> npt.NDArray[np.int64]:
    end = trace_to_limit(system, max_lambda=MAX_LAMBDA, **trace_options)
    profiles = padded(system, np.exp(end.x[:, :-1]))
    index, gap = nearest_equilibrium(profiles, solution.profiles, solution.valid)
    ok = (gap <= MATCH_TOL) & np.isfinite(profiles.reshape(len(profiles), -1)[:, 0])
    return np.where(ok, index, -1).astype(np.int64)
