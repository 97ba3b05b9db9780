r"""Counterfeit rates under bounded rationality, for the deterrence criteria and the sweeps.

Two deciding rates, each for ``N`` parameter points of a model at once (one batch, no loop over points):

* :func:`logit_rates`: the counterfeit rate at the principal-branch logit QRE with precision ``lambda`` -- the
  ``logit`` criterion "the counterfeit rate at the QRE with precision lambda is at most tau", for sellers,
  buyers and platforms who err, choosing better strategies more often but not always;
* :func:`logit_selected_rates`: the counterfeit rate of the logit-selected Nash equilibrium (the limit of the
  branch), a selection rule beside the worst case (``all_equilibria``) and the best case (``some_equilibrium``).

Both are deterrence criteria (:data:`gametheory.deterrence.CRITERIA` registers ``"logit"`` at
:data:`DEFAULT_LAMBDA` and ``"logit_selected"``); :func:`logit_criterion` names the ``logit`` criterion at any
other precision. Each also returns the trade rate of the deciding play, as every criterion does.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import Interval, validate_params
from ..models.equilibrium_metrics import metric_values
from ..solvers import solve_batch
from .at_lambda import logit_batch
from .selection import logit_selected

__all__ = ["logit_rates", "logit_selected_rates", "logit_criterion", "logit_precision", "DEFAULT_LAMBDA"]

FloatArray = npt.NDArray[np.float64]

#: the precision the ``logit`` criterion uses when none is given (per currency unit of the models' payoffs)
DEFAULT_LAMBDA = 0.1


def logit_rates(model: Any, values: dict[str, FloatArray], *, lam: float | FloatArray = DEFAULT_LAMBDA,
                tol: float = 0.0) -> tuple[FloatArray, FloatArray]:
    """The counterfeit and trade rates at the logit QRE with precision ``lam`` (one, or one per point) at each of
    ``N`` points.

    ``values`` maps parameter names to flat arrays of one length ``N`` (the other parameters keep the model's
    values); both results have shape ``(N,)``, NaN only where a branch could not be traced to ``lam``. ``tol`` is
    unused (the QRE is not an equilibrium up to a tolerance); it is accepted for the criterion interface.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("direct")
    >>> rate, trade = logit_rates(model, {"penalty_multiplier": np.array([0.0, 4.0])}, lam=0.1)
    >>> bool(rate[1] < rate[0])
    True
    """
    solution = logit_batch(model.batch(**values), lam).as_solution()
    return (metric_values(model, solution, values, "counterfeit_rate")[:, 0],
            metric_values(model, solution, values, "trade_rate")[:, 0])


def logit_selected_rates(model: Any, values: dict[str, FloatArray], tol: float) -> tuple[FloatArray, FloatArray]:
    """The counterfeit and trade rates of the logit-selected equilibrium at each of ``N`` points, ``(N,)`` each.

    NaN where the branch does not end at a listed equilibrium (see :func:`gametheory.qre.logit_selected`).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("escrow")
    >>> rate, _ = logit_selected_rates(model, {"detection_prob": np.array([0.5])}, 1e-9)
    >>> rate.round(4).tolist()
    [0.08]
    """
    batch = model.batch(**values)
    solution = solve_batch(batch, tol=tol)
    index = logit_selected(batch, solution, tol=tol)
    out = []
    for metric in ("counterfeit_rate", "trade_rate"):
        values_k = metric_values(model, solution, values, metric)
        if values_k.shape[1] == 0:
            out.append(np.full(len(index), np.nan))
            continue
        picked = np.take_along_axis(values_k, np.maximum(index, 0)[:, None], axis=1)[:, 0]
        out.append(np.where(index >= 0, picked, np.nan))
    return out[0], out[1]


@validate_params({"lam": Interval(float, 0, None, closed="neither")})
def logit_criterion(lam: float) -> str:
    """The name of the ``logit`` deterrence criterion at precision ``lam``: every deterrence entry point accepts it.

    ``"logit"`` at :data:`DEFAULT_LAMBDA`, else ``"logit(lam=...)"`` with the shortest text that reads back as
    ``lam`` (the registry, :data:`gametheory.deterrence.CRITERIA`, builds the criterion from the name on first use).

    Examples
    --------
    >>> import gametheory as gt
    >>> name = gt.qre.logit_criterion(0.05)
    >>> name, name in gt.deterrence.CRITERIA
    ('logit(lam=0.05)', True)
    """
    if lam == DEFAULT_LAMBDA:
        return "logit"
    text = repr(float(lam))
    return f"logit(lam={text[:-2] if text.endswith('.0') else text})"


def logit_precision(name: str) -> float | None:
    """The precision named by a ``logit`` criterion name (:func:`logit_criterion`), or None for any other name.

    Examples
    --------
    >>> logit_precision("logit"), logit_precision("logit(lam=2.5)"), logit_precision("all_equilibria")
    (0.1, 2.5, None)
    """
    if name == "logit":
        return DEFAULT_LAMBDA
    match = _LOGIT_NAME.fullmatch(name)
    if match is None:
        return None
    lam = float(match.group(1))
    return lam if math.isfinite(lam) and lam > 0 else None


_LOGIT_NAME = re.compile(r"logit\(lam=([0-9.]+(?:e[+-]?[0-9]+)?)\)")
