"""Checking what :func:`gametheory.policy.optimize` is asked: the policy ranges, the objective, the constraints.

Constraints are data, never code: ``{"counterfeit_rate": "<= 0.05"}`` or ``{"buyer_surplus": (">=", 10)}`` is
parsed by a two-token reader (an operator and a number).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import closest_name
from ..errors import InvalidParameterError
from ..models.metrics import METRICS
from ._followers import leader_index
from ._outcomes import AUDIT_RATE

__all__ = ["Constraint", "Range", "constraints", "ranges", "objective"]

_CONSTRAINT = re.compile(r"^\s*(<=|>=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")


@dataclass(frozen=True)
class Constraint:
    """``metric <= bound`` or ``metric >= bound``, required of the equilibria (see ``equilibria=``).

    Examples
    --------
    >>> Constraint("counterfeit_rate", "<=", 0.05)
    counterfeit_rate <= 0.05
    """

    metric: str
    op: str
    bound: float

    def __repr__(self) -> str:
        return f"{self.metric} {self.op} {self.bound:g}"

    def holds(self, values: np.ndarray, slack: float = 1e-9) -> np.ndarray:
        """Elementwise: the constraint holds (NaN never holds)."""
        with np.errstate(invalid="ignore"):
            if self.op == "<=":
                return np.asarray(values <= self.bound + slack)
            return np.asarray(values >= self.bound - slack)


@dataclass(frozen=True)
class Range:
    """One policy parameter: an interval ``(lo, hi)`` searched and refined, or a finite list of values.

    Examples
    --------
    >>> Range("deposit", (0.0, 1000.0), None).grid(3).tolist()
    [0.0, 500.0, 1000.0]
    """

    name: str
    interval: tuple[float, float] | None
    values: tuple[float, ...] | None

    def grid(self, resolution: int) -> np.ndarray:
        if self.interval is None:
            assert self.values is not None
            return np.array(self.values)
        return np.linspace(self.interval[0], self.interval[1], resolution)


def objective(model: Any, name: Any) -> str:
    """The objective must be a metric name."""
    if not isinstance(name, str) or name not in METRICS:
        guess = closest_name(str(name), METRICS)
        hint = f" Did you mean {guess!r}?" if guess else ""
        raise InvalidParameterError(
            f"The 'objective' parameter of optimize must be a str among {METRICS}. Got {name!r} instead.{hint}"
        )
    return name


def ranges(model: Any, over: Any) -> list[Range]:
    """Validate ``over``: parameter name -> ``(lo, hi)`` or a list of values, inside the parameter's domain."""
    if not isinstance(over, Mapping) or not over:
        raise InvalidParameterError(
            f"The 'over' parameter of optimize must be a non-empty dict of parameter -> (lo, hi) or list of values. "
            f"Got {over!r} instead."
        )
    out = []
    for name, spec in over.items():
        if name == AUDIT_RATE:
            if leader_index(model) is None:
                raise InvalidParameterError(
                    f"The 'over' parameter of optimize names 'audit_rate', but {model.name!r} has no platform player "
                    f"to commit to one."
                )
            domain: Any = None
        elif name not in model.numeric_names:
            guess = closest_name(str(name), (*model.numeric_names, AUDIT_RATE))
            hint = f" Did you mean {guess!r}?" if guess else ""
            raise InvalidParameterError(
                f"The 'over' parameter of optimize names {name!r}, which is not a numeric parameter of "
                f"{model.name!r} nor 'audit_rate'.{hint}"
            )
        else:
            domain = model.parameter(name).domain
        if isinstance(spec, tuple) and len(spec) == 2:
            lo, hi = (_number(v, name) for v in spec)
            if not lo <= hi:
                raise InvalidParameterError(f"The range of {name!r} in 'over' must have lo <= hi. Got {spec!r}.")
            interval, values = (lo, hi), None
            checked: Sequence[float] = (lo, hi)
        elif isinstance(spec, (list, np.ndarray)) and len(spec) > 0:
            interval, values = None, tuple(_number(v, name) for v in np.asarray(spec, dtype=float).ravel())
            checked = values
        else:
            raise InvalidParameterError(
                f"The value of {name!r} in 'over' must be a (lo, hi) tuple or a non-empty list of values. "
                f"Got {spec!r} instead."
            )
        for v in checked:
            inside = (0.0 <= v <= 1.0) if domain is None else v in domain
            if not inside:
                allowed = "a float in [0, 1]" if domain is None else str(domain)
                raise InvalidParameterError(f"The values of {name!r} in 'over' must be {allowed}. Got {v!r} instead.")
        out.append(Range(name, interval, values))
    return out


def constraints(spec: Any) -> list[Constraint]:
    """Validate ``constraints``: metric -> ``"<= x"`` / ``">= x"`` or ``(op, x)``."""
    if spec is None:
        return []
    if not isinstance(spec, Mapping):
        raise InvalidParameterError(
            f"The 'constraints' parameter of optimize must be a dict of metric -> '<= x' or '>= x'. Got {spec!r} "
            f"instead."
        )
    out = []
    for metric, rule in spec.items():
        if metric not in METRICS:
            guess = closest_name(str(metric), METRICS)
            hint = f" Did you mean {guess!r}?" if guess else ""
            raise InvalidParameterError(f"The constraint on {metric!r} names no metric ({', '.join(METRICS)}).{hint}")
        if isinstance(rule, str):
            match = _CONSTRAINT.match(rule)
            if match is None:
                raise InvalidParameterError(
                    f"The constraint on {metric!r} must read '<= number' or '>= number'. Got {rule!r} instead."
                )
            op, bound = match.group(1), float(match.group(2))
        elif isinstance(rule, tuple) and len(rule) == 2 and rule[0] in ("<=", ">="):
            op, bound = rule[0], _number(rule[1], metric)
        else:
            raise InvalidParameterError(
                f"The constraint on {metric!r} must be '<= x', '>= x' or (op, x). Got {rule!r} instead."
            )
        out.append(Constraint(str(metric), op, bound))
    return out


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not math.isfinite(float(value)):
        raise InvalidParameterError(f"The values of {name!r} must be finite numbers. Got {value!r} instead.")
    return float(value)
