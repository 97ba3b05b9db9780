r"""Two-parameter deterrence frontiers as tables: the smallest value of one policy parameter for each value of
another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import InstanceOf, Interval, NoneOr, StrOptions, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from .criteria import CRITERIA
from .thresholds import threshold_map

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frontier"]


@validate_params(
    {
        "model": None,
        "over": None,
        "values": None,
        "parameter": None,
        "target_rate": Interval(float, 0, 1),
        "criterion": StrOptions(set(CRITERIA)),
        "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair")),
        "method": StrOptions({"auto", "closed_form", "search"}),
        "tol": Interval(float, 0, None),
    }
)
def frontier(
    model: Any,
    over: str,
    values: Any,
    *,
    parameter: str = "penalty_multiplier",
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
) -> pd.DataFrame:
    r"""The deterrence frontier: for each value of ``over``, the smallest ``parameter`` that meets the target.

    Parameters
    ----------
    model : Model
        A payment model; its other parameters stay fixed.
    over : str
        The parameter along the frontier (e.g. ``deposit``).
    values : array_like
        Its values (one row each).
    parameter : str
        The policy parameter minimised (default the penalty multiplier).
    target_rate, criterion, bounds, method, tol
        As in :func:`min_value`.

    Returns
    -------
    pandas.DataFrame
        Columns ``over``, ``parameter`` (NaN where infeasible), ``feasible``, ``min_deposit`` (when the deposit
        caps the penalty), ``closed_form`` (whether the formula answered).

    Notes
    -----
    With buyers as enforcers the deciding rate is :math:`\sigma_C = e / (q \alpha (\min(k p, D) + m p))`, so
    along the deposit the frontier is :math:`k^*(D) = e / (q \alpha p \tau) - m` while
    :math:`k^* p \le D`, and infeasible below :math:`D^* = e / (q \alpha \tau) - m p` (the deposit caps the
    penalty; Becker 1968 for the logic of the deterrent sanction, Polinsky and Shavell 1998 for damages; both
    cited in full under :func:`min_value`).

    Examples
    --------
    >>> import gametheory as gt
    >>> df = gt.deterrence.frontier(gt.models.get("direct"), "deposit", [50, 100, 1000], target_rate=0.05)
    >>> df.round(4).to_dict("list")["penalty_multiplier"]
    [nan, 0.8889, 0.8889]
    """
    array = np.asarray(values, dtype=float).ravel()
    if array.size == 0:
        raise InvalidParameterError(
            f"The 'values' parameter of frontier must hold at least one value. Got {values!r} instead."
        )
    res = threshold_map(model, parameter, target_rate=target_rate, criterion=criterion, bounds=bounds,
                        points={over: array}, method=method, tol=tol)
    import pandas as pd  # only here: importing it costs ~0.5 s, which a threshold query need not pay

    return pd.DataFrame({
        over: array,
        parameter: np.where(res.feasible, np.asarray(res.threshold, dtype=float), np.nan),
        "feasible": np.asarray(res.feasible, dtype=bool),
        "min_deposit": res.min_deposit,
        "closed_form": res.from_closed_form,
    })
