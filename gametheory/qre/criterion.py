r"""Counterfeit rates under bounded rationality, for the deterrence criteria and the sweeps.

Two deciding rates, each for ``N`` parameter points of a model at once (one batch, no loop over points):

* :func:`logit_rates`: the counterfeit rate at the principal-branch logit QRE with precision ``lambda`` -- the
  ``logit`` criterion "the counterfeit rate at the QRE with precision lambda is at most tau", for sellers,
  buyers and platforms who err, choosing better strategies more often but not always;
* :func:`logit_selected_rates`: the counterfeit rate of the logit-selected Nash equilibrium (the limit of the
  branch), a selection rule beside the worst case (``all_equilibria``) and the best case (``some_equilibrium``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .at_lambda import logit_batch
from .selection import logit_selected

__all__ = ["logit_rates", "logit_selected_rates", "DEFAULT_LAMBDA"]

FloatArray = npt.NDArray[np.float64]

#: the precision the ``logit`` criterion uses when none is given (per currency unit of the models' payoffs)
DEFAULT_LAMBDA = 0.1


def logit_rates(model: Any, values: dict[str, FloatArray], *, lam: float = DEFAULT_LAMBDA) -> FloatArray:
    """The counterfeit rate at the logit QRE with precision ``lam`` at each of ``N`` points, ``(N,)``.

    ``values`` maps parameter names to flat arrays of one length ``N`` (the other parameters keep the model's
    values). NaN only where a branch could not be traced to ``lam`` (reported by the batch's ``success``).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("direct")
    >>> rates = logit_rates(model, {"penalty_multiplier": np.array([0.0, 4.0])}, lam=0.1)
    >>> bool(rates[1] < rates[0])
    True
    """
    from ..deterrence.criteria import counterfeit_rates

    qre = logit_batch(model.batch(**values), lam)
    return counterfeit_rates(model, qre.as_solution(), values)[:, 0]  # type: ignore[no-any-return]


def logit_selected_rates(model: Any, values: dict[str, FloatArray], *, tol: float) -> FloatArray:
    """The counterfeit rate of the logit-selected equilibrium at each of ``N`` points, ``(N,)``.

    NaN where the branch does not end at a listed equilibrium (see :func:`gametheory.qre.logit_selected`).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("escrow")
    >>> logit_selected_rates(model, {"detection_prob": np.array([0.5])}, tol=1e-9).round(4).tolist()
    [0.08]
    """
    from ..deterrence.criteria import counterfeit_rates
    from ..solvers import solve_batch

    batch = model.batch(**values)
    solution = solve_batch(batch, tol=tol)
    index = logit_selected(batch, solution, tol=tol)
    rates = counterfeit_rates(model, solution, values)
    picked = np.take_along_axis(rates, np.maximum(index, 0)[:, None], axis=1)[:, 0] if rates.shape[1] else \
        np.full(len(index), np.nan)
    return np.where(index >= 0, picked, np.nan)  # type: ignore[no-any-return]
