"""The ``logit`` sweep output: the counterfeit rate of the logit-selected equilibrium at every point of a chunk."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..models.equilibrium_metrics import counterfeit_rates
from .selection import logit_selected

__all__ = ["logit_columns", "COLUMN_UNITS"]

#: unit of each column (for :func:`gametheory.sweeps.evaluate.column_units`)
COLUMN_UNITS = {"counterfeit_rate_logit": "rate"}


def logit_columns(model: Any, solution: Any, arrays: dict[str, npt.NDArray[np.float64]]) -> dict[str, Any]:
    """``counterfeit_rate_logit``: the rate of the equilibrium each point's principal logit branch converges to,
    beside the worst case (``counterfeit_rate_max``) and the best case (``counterfeit_rate_min``); NaN where the
    branch ends at no listed equilibrium.

    ``solution`` is the chunk's :class:`~gametheory.BatchSolution` of ``model.batch(**arrays)`` (reused, not
    solved again).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("escrow")
    >>> arrays = {"detection_prob": np.array([0.5, 0.9])}
    >>> cols = logit_columns(model, gt.solve_batch(model.batch(**arrays)), arrays)
    >>> cols["counterfeit_rate_logit"].round(4).tolist()
    [0.08, 0.0617]
    """
    index = logit_selected(model.batch(**arrays), solution)
    rates = counterfeit_rates(model, solution, arrays)
    picked = np.full(len(index), np.nan)
    if rates.shape[1]:
        picked = np.take_along_axis(rates, np.maximum(index, 0)[:, None], axis=1)[:, 0]
    return {"counterfeit_rate_logit": np.where(index >= 0, picked, np.nan)}
