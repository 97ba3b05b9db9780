"""The repeated-play columns of a sweep (the ``repeated`` output of :func:`gametheory.sweep`).

=====================================  ========================================================================
column                                 meaning
=====================================  ========================================================================
``min_discount_factor``                :math:`\\delta^*` (NaN: honest selling cannot be sustained)
``continuation_value``                 the future a delisting takes, at the point's ``discount_factor``
``repeated_min_penalty_multiplier``    the smallest multiplier at the point's ``discount_factor`` (NaN: none)
``min_store_deposit``                  the smallest deterring store deposit for ``store_orders`` orders per
                                       period, with delisting (NaN: none, or a model without a deposit)
=====================================  ========================================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["repeated_columns", "COLUMN_UNITS"]

#: unit of every column (for sweep tables and reports)
COLUMN_UNITS = {"min_discount_factor": "rate", "continuation_value": "currency",
                "repeated_min_penalty_multiplier": "multiple", "min_store_deposit": "currency"}


def repeated_columns(model: Any, arrays: dict[str, npt.NDArray[np.float64]], n: int) -> dict[str, Any]:
    """Every repeated-play column at the ``n`` points ``arrays`` (flat parameter arrays), vectorised.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> out = repeated_columns(gt.models.get("direct"), {"verify_rate": np.array([0.1, 0.5])}, 2)
    >>> out["min_discount_factor"].round(4).tolist(), out["continuation_value"].tolist()
    ([0.8661, 0.0], [128.0, 128.0])
    """
    from . import (  # lazy: facade callback
        continuation_value,
        min_discount_factor,
        min_penalty_multiplier,
        min_store_deposit,
    )

    def flat(x: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=float), (n,)).astype(float)

    def searched(name: str) -> dict[str, Any]:  # an axis equal to the searched parameter is ignored
        return {k: v for k, v in arrays.items() if k != name} or {"price": np.full(n, float(model.price))}

    out = {
        "min_discount_factor": flat(min_discount_factor(model, points=searched("discount_factor")).value),
        "continuation_value": np.round(flat(continuation_value(model, points=dict(arrays))), 9),
        "repeated_min_penalty_multiplier": flat(
            min_penalty_multiplier(model, points=searched("penalty_multiplier")).value),
    }
    if "store_orders" in model.parameter_names:
        out["min_store_deposit"] = flat(min_store_deposit(model, points=searched("deposit")).value)
    else:
        out["min_store_deposit"] = np.full(n, np.nan)
    return out
