r"""Grim trigger: the incentive constraint of the repeated game and its smallest discount factor, by sympy.

A long-run player who cooperates forever earns :math:`V_H = \pi_H / (1-\delta)`. By the one-shot deviation
principle a strategy profile is a subgame-perfect equilibrium iff no single deviation pays: deviating once earns
:math:`\pi_C` now, is established with probability :math:`P` (then :math:`\pi_0` forever: delisting, or Nash
reversion) and otherwise goes unnoticed, so

.. math::

    V_D = \pi_C + \delta\Big((1-P)\, V_H + P \frac{\pi_0}{1-\delta}\Big), \qquad
    (1-\delta)(V_H - V_D) = \pi_H - (1-\delta)\pi_C - \delta\big((1-P)\pi_H + P\pi_0\big) \ge 0 .

The slack is linear in :math:`\delta`, :math:`a\delta + b`, and its root :math:`-b/a` (taken by sympy from its
coefficients) is the closed form

.. math::

    \delta^* = \frac{\pi_C - \pi_H}{(\pi_C - \pi_H) + P(\pi_H - \pi_0)},

which with :math:`P = 1` is the folk-theorem threshold :math:`(T - R)/(T - P)` of the prisoner's dilemma. It
exists (:math:`\delta^* < 1`) iff :math:`P(\pi_H - \pi_0) > 0`; where :math:`\pi_C \le \pi_H` the player is honest
in a single period (:math:`\delta^* = 0`). The future a delisting takes away is the continuation value
:math:`\delta(\pi_H - \pi_0)/(1-\delta)`: the stage game's delisting loss :math:`W`, made endogenous.

References
----------
.. [1] Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. *Review of Economic Studies*, 38(1),
       1-12.
.. [2] Mailath, G. J., & Samuelson, L. (2006). *Repeated Games and Reputations*. Oxford University Press, ch. 2.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..errors import InvalidParameterError
from ..models.parameters import symbol
from .incentives import Incentives

__all__ = ["DELTA", "incentive_slack", "discount_formula", "REASONS", "evaluate_discount"]

#: the discount factor's symbol (``discount_factor``; ``delta`` is the settlement delay cost's)
DELTA = symbol("discount_factor")
#: why honest play is or is not sustained, by reason code
REASONS = (
    "honest play pays in a single period: no future is needed (delta* = 0)",
    "honest play is sustained for delta >= delta*: the future lost on detection outweighs the gain",
    "a deviation is never established under this monitoring (P = 0): the future cannot punish it",
    "cooperating earns no more than the punishment (pi_H <= pi_0): detection takes nothing away",
)
_FORMULAS: dict[int, Any] = {}


def incentive_slack(inc: Incentives) -> sympy.Expr:
    r""":math:`(1-\delta)(V_H - V_D)`: non-negative iff no one-shot deviation pays (see the module docstring).

    Examples
    --------
    >>> import sympy
    >>> from gametheory.repeated.incentives import Incentives
    >>> R, T, P = sympy.symbols("R T P")
    >>> incentive_slack(Incentives(R, T, sympy.Integer(1), P, (), ()))
    -P*gamma + R + T*gamma - T
    """
    v_h = inc.honest / (1 - DELTA)
    v_d = inc.deviation + DELTA * ((1 - inc.detection) * v_h + inc.detection * inc.punishment / (1 - DELTA))
    return sympy.expand(sympy.cancel((1 - DELTA) * (v_h - v_d)))


def discount_formula(inc: Incentives) -> sympy.Expr:
    r"""The closed form of :math:`\delta^*`: the root in :math:`\delta` of :func:`incentive_slack`.

    Examples
    --------
    Under imperfect monitoring (a deviation established with probability :math:`P`) it is the module's
    :math:`\delta^*`:

    >>> import sympy
    >>> from gametheory.repeated.incentives import Incentives
    >>> honest, deviation, detection, punishment = sympy.symbols("pi_H pi_C P pi_0")
    >>> discount_formula(Incentives(honest, deviation, detection, punishment, (), ()))
    -(pi_C - pi_H)/(P*pi_0 - P*pi_H - pi_C + pi_H)
    """
    cached = inc.__dict__.get("_discount_formula")
    if cached is None:
        slack = incentive_slack(inc)  # linear in delta: a delta + b
        a, b = slack.coeff(DELTA, 1), slack.coeff(DELTA, 0)
        if sympy.expand(slack - a * DELTA - b) != 0:
            raise InvalidParameterError("The stage payoffs must not depend on the discount factor itself; got a model "
                                        "whose payoffs use 'discount_factor'.")
        root = -b / a
        cached = sympy.factor(root) if sympy.count_ops(root) <= 40 else root
        object.__setattr__(inc, "_discount_formula", cached)
    return cached


def _functions(inc: Incentives) -> tuple[Any, Any]:
    """numpy functions of the model's parameters: the formula of delta*, and the slack (delta last)."""
    cached = inc.__dict__.get("_discount_functions")
    if cached is None:
        args = list(inc.symbols)
        at = sympy.Dummy("at")  # the discount factor the slack is evaluated at (the model's own is an argument)
        cached = (sympy.lambdify(args, discount_formula(inc), modules="numpy"),
                  sympy.lambdify([*args, at], incentive_slack(inc).xreplace({DELTA: at}), modules="numpy"))
        object.__setattr__(inc, "_discount_functions", cached)
    return cached


def evaluate_discount(inc: Incentives, values: dict[str, Any], n: int
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r""":math:`\delta^*` (NaN where not sustainable), the reason code, and the numeric check at ``n`` points.

    The check evaluates the incentive slack itself (not the formula) just below and just above
    :math:`\delta^*`: a deviation must pay below and not pay above (at :math:`\delta^* = 0`: not pay above);
    where there is no :math:`\delta^*`, a deviation must pay even at :math:`\delta = 1 - 10^{-9}`.
    """
    q = inc.evaluate(values, n)
    gain = q["deviation"] - q["honest"]
    stake = q["detection"] * (q["honest"] - q["punishment"])
    tol = 1e-12 * (1.0 + np.abs(q["honest"]) + np.abs(q["deviation"]))
    code = np.full(n, 1, dtype=np.int8)
    code[gain <= tol] = 0
    late = (code == 1) & (stake <= tol)
    code[late & (q["detection"] <= 1e-15)] = 2
    code[late & (q["detection"] > 1e-15)] = 3
    value = np.full(n, np.nan)
    value[code == 0] = 0.0
    formula, slack = _functions(inc)
    args = [values[name] for name in inc.arguments]
    mid = code == 1
    if mid.any():
        with np.errstate(all="ignore"):
            value[mid] = np.broadcast_to(np.asarray(formula(*args), dtype=float), (n,))[mid]
    with np.errstate(all="ignore"):
        above = np.broadcast_to(np.asarray(slack(*args, np.minimum(value + 1e-7, 1.0 - 1e-12)), dtype=float), (n,))
        below = np.broadcast_to(np.asarray(slack(*args, value - 1e-7), dtype=float), (n,))
        patient = np.broadcast_to(np.asarray(slack(*args, np.full(n, 1.0 - 1e-9)), dtype=float), (n,))
    found = (above >= -1e3 * tol) & ((value == 0.0) | (below < 1e3 * tol))
    ok = np.where(np.isnan(value), patient < 0.0, found)  # where none: a deviation pays even at delta -> 1
    return value, code, ok
