"""Parameter points for the repeated-play functions: validated, flattened, constants kept as numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["evaluation_points"]


def evaluation_points(model: Any, points: dict[str, Any] | None, func: str, searched: str | None = None
                      ) -> tuple[dict[str, Any], int, tuple[int, ...]]:
    """``(values, n, shape)``: every numeric parameter as a float or a flat length-``n`` array, validated.

    ``points`` maps parameter names to arrays that broadcast together (None: the model's own scenario, ``n = 1``
    and ``shape = ()``); ``searched`` may not be among them.

    Examples
    --------
    >>> import gametheory as gt
    >>> values, n, shape = evaluation_points(gt.models.get("direct"), {"price": [[50], [100]], "fine": [0, 1, 2]},
    ...                                      "f")
    >>> n, shape, values["price"].tolist()[:4], float(values["deposit"])
    (6, (2, 3), [50.0, 50.0, 50.0, 100.0], 500.0)
    """
    if points is None:
        values, n = model.numeric_arguments({})
        return _numpy(values), 1, ()
    if not isinstance(points, dict):
        raise InvalidParameterError(
            f"The 'points' parameter of {func} must be a dict of parameter arrays. Got {points!r} instead.")
    if searched is not None and searched in points:
        raise InvalidParameterError(
            f"The 'points' parameter of {func} must not hold the searched parameter {searched!r}. "
            f"Got it among {sorted(points)} instead.")
    try:
        shape = np.broadcast_shapes(*(np.shape(v) for v in points.values())) if points else ()
    except ValueError:
        shapes = {k: np.shape(v) for k, v in points.items()}
        raise InvalidParameterError(
            f"The 'points' parameter of {func} must hold arrays that broadcast together. Got shapes {shapes} instead."
        ) from None
    values, n = model.numeric_arguments(points)
    return _numpy(values), n, tuple(shape)


def _numpy(values: dict[str, Any]) -> dict[str, Any]:
    """Constants as numpy floats, so that a formula divides by zero into inf or NaN (never raises)."""
    return {k: np.float64(v) if isinstance(v, float) else v for k, v in values.items()}
