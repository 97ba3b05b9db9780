"""Shared checks of the deterrence entry points: the model, the parameter, the bounds and the points."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from ..limits import MAX_ABS_PAYOFF

__all__ = ["check_model", "check_parameter", "default_bounds", "check_bounds", "broadcast_points"]

_MODEL_METHODS = ("symbolic_payoffs", "batch", "game", "with_params", "params")


def check_model(model: Any, func: str) -> Any:
    """Raise the standard error unless ``model`` follows the model contract (``gt.models.get(...)``)."""
    if all(hasattr(model, name) for name in _MODEL_METHODS):
        return model
    raise InvalidParameterError(
        f"The 'model' parameter of {func} must be a payment model (gt.models.get(name, ...)). "
        f"Got {type(model).__name__} instead."
    )


def check_parameter(model: Any, parameter: Any, func: str) -> str:
    """The parameter name, checked against the model's parameters (suggesting the closest on a typo)."""
    if not isinstance(parameter, str):
        raise InvalidParameterError(
            f"The 'parameter' parameter of {func} must be a str among the model's parameters. "
            f"Got {parameter!r} instead."
        )
    names = list(model.parameter_names)
    if parameter not in names:
        raise unknown_name_error(f"parameter of model {model.name!r}", parameter, names)
    value = model.params[parameter]
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InvalidParameterError(
            f"The 'parameter' parameter of {func} must name a numeric parameter. "
            f"Got {parameter!r} (= {value!r}) instead."
        )
    return parameter


def _domain(model: Any, parameter: str) -> tuple[float | None, float | None]:
    try:
        domain = model.parameter(parameter).domain
    except (AttributeError, KeyError):
        return None, None
    left = getattr(domain, "left", None)
    right = getattr(domain, "right", None)
    return left, right


def default_bounds(model: Any, parameter: str) -> tuple[float, float]:
    """The searched interval when none is given: the parameter's domain, capped at a finite upper end.

    The upper end is the one the model declares for a policy parameter (``model.POLICY_PARAMETERS``, e.g. 100 for
    the penalty multiplier), else the domain's, else ``100 * max(1, |current value|)``.
    """
    left, right = _domain(model, parameter)
    lo = 0.0 if left is None or not math.isfinite(left) else float(left)
    declared = getattr(model, "POLICY_PARAMETERS", {}).get(parameter)
    if declared is not None:
        hi = float(declared)
    elif right is not None and math.isfinite(right):
        hi = float(right)
    else:
        hi = 100.0 * max(1.0, abs(float(model.params[parameter])))
    return lo, max(hi, lo)


def check_bounds(bounds: Any, model: Any, parameter: str, func: str) -> tuple[float, float]:
    """``bounds`` as two finite floats ``lo <= hi`` clipped to the parameter's domain, or the default bounds."""
    if bounds is None:
        return default_bounds(model, parameter)
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        lo, hi = math.nan, math.nan

    if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi and max(abs(lo), abs(hi)) <= MAX_ABS_PAYOFF):
        raise InvalidParameterError(
            f"The 'bounds' parameter of {func} must be a pair of finite floats (lo, hi) with lo <= hi, of at most "
            f"{MAX_ABS_PAYOFF:g} in absolute value (gametheory.limits.MAX_ABS_PAYOFF: payoffs grow with them). "
            f"Got {bounds!r} instead."
        )
    left, right = _domain(model, parameter)
    if left is not None and math.isfinite(left):
        lo, hi = max(lo, float(left)), max(hi, float(left))
    if right is not None and math.isfinite(right):
        lo, hi = min(lo, float(right)), min(hi, float(right))
    return lo, hi


def broadcast_points(
    model: Any, points: dict[str, Any], parameter: str, func: str
) -> tuple[dict[str, npt.NDArray[np.float64]], tuple[int, ...]]:
    """Broadcast the point arrays, flatten them, and check names and values; returns (flat arrays, shape)."""
    names = list(model.parameter_names)
    arrays = {}
    for name, value in points.items():
        if name not in names:
            raise unknown_name_error(f"parameter of model {model.name!r}", name, names)
        if name == parameter:
            raise InvalidParameterError(
                f"The 'points' parameter of {func} must not hold the searched parameter {parameter!r}. "
                f"Got it among {sorted(points)} instead."
            )
        array = np.asarray(value, dtype=float)
        if not np.all(np.isfinite(array)):
            raise InvalidParameterError(
                f"The 'points' parameter of {func} must hold finite numbers. Got a non-finite value for {name!r} "
                "instead."
            )
        arrays[name] = array
    try:
        shaped = np.broadcast_arrays(*arrays.values())
    except ValueError as exc:
        shapes = {k: v.shape for k, v in arrays.items()}
        raise InvalidParameterError(
            f"The 'points' parameter of {func} must hold arrays that broadcast together. Got shapes {shapes} instead."
        ) from exc
    shape = shaped[0].shape if shaped else ()
    flat = {name: np.ascontiguousarray(a).reshape(-1) for name, a in zip(arrays, shaped, strict=True)}
    return flat, shape
