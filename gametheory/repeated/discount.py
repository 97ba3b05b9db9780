r"""Repeated play of a payment model: the smallest discount factor that keeps a seller honest, and its future.

The seller sells one order every period, forever, and discounts the next period by :math:`\delta`
(``discount_factor``). While it sells genuine goods, a share :math:`\sigma_v` of buyers verify (``verify_rate``)
and the platform audits a share :math:`\sigma_a` of orders (``audit_rate``); the platform's delisting rule removes
a seller as soon as fraud is established (grim trigger), after which it earns its outside option 0. See
:mod:`.incentives` for the stage quantities and :mod:`.incentive_constraint` for the closed form

.. math::

    \delta^* = \frac{\pi_C - \pi_H}{(\pi_C - \pi_H) + P\,\pi_H}.

Examples
--------
>>> import gametheory as gt
>>> res = gt.repeated.min_discount_factor(gt.models.get("direct"))
>>> round(res.value, 4)
0.8661
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import InstanceOf, NoneOr, validate_params
from ._points import evaluation_points
from .incentive_constraint import REASONS, discount_formula, evaluate_discount
from .incentives import check_payment_model, game_incentives, seller_incentives
from .result import RepeatedThreshold, package

__all__ = ["min_discount_factor", "grim_trigger", "continuation_value", "with_continuation_value"]

_POINTS = NoneOr(InstanceOf(dict, description="a dict of parameter arrays"))


@validate_params({"model": None, "points": _POINTS})
def min_discount_factor(model: Any, points: dict[str, Any] | None = None) -> RepeatedThreshold:
    r"""The smallest discount factor :math:`\delta^*` at which honest selling is a subgame-perfect equilibrium.

    Parameters
    ----------
    model : Model
        A core payment model with a seller (``direct``, ``escrow``, ``cash_on_delivery``); its ``verify_rate`` and
        ``audit_rate`` give the monitoring while the seller is honest, its ``delisting_loss`` any loss beyond the
        seller's own future (0 by default).
    points : dict of str to array_like, optional
        Evaluate at many parameter points at once (arrays that broadcast together; not ``discount_factor``).

    Returns
    -------
    RepeatedThreshold
        ``value`` is :math:`\delta^*` (None or NaN where honest selling cannot be sustained, with the reason),
        ``formula`` the closed form, ``verified`` the numeric check of the incentive constraint on either side.

    Notes
    -----
    Honest selling forever, with delisting on established fraud (grim trigger), is subgame perfect iff

    .. math::

        \pi_C - \pi_H \le P \frac{\delta}{1-\delta} \pi_H
        \iff \delta \ge \delta^* = \frac{\pi_C - \pi_H}{\pi_C - \pi_H + P \pi_H},

    with :math:`\pi_H`, :math:`\pi_C` the seller's stage payoffs from Genuine and Counterfeit against the
    monitoring and :math:`P` the probability that a fake is established (all from the model's symbolic payoffs).
    The buyers are short-lived and the platform's audit rate is its committed policy: a deviation is not seen
    before the period's orders are settled, so the monitoring is the same in the period of a deviation.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct")
    >>> res = gt.repeated.min_discount_factor(m, points={"verify_rate": [0.0, 0.1, 0.5]})
    >>> res.value.round(4).tolist(), res.sustainable.tolist()
    ([0.9768, 0.8661, 0.0], [True, True, True])
    >>> gt.repeated.min_discount_factor(m.with_params(verify_rate=0, audit_rate=0)).reason
    'a deviation is never established under this monitoring (P = 0): the future cannot punish it'
    """
    model = check_payment_model(model, "min_discount_factor")
    values, n, shape = evaluation_points(model, points, "min_discount_factor", "discount_factor")
    inc = seller_incentives(model)
    value, code, verified = evaluate_discount(inc, values, n)
    return package("discount_factor", value, code, REASONS, discount_formula(inc), verified, shape)


@validate_params({"model": None, "player": None, "cooperate": None, "deviation": None, "punishment": None,
                  "points": _POINTS})
def grim_trigger(model: Any, *, player: str, cooperate: Sequence[str], deviation: str, punishment: Sequence[str],
                 points: dict[str, Any] | None = None) -> RepeatedThreshold:
    r"""The smallest discount factor at which cooperation is subgame perfect under grim trigger, in any game.

    Parameters
    ----------
    model : Model
        Any normal-form model (:func:`gametheory.models.from_table` for a named game).
    player : str
        The player whose incentive is checked.
    cooperate : sequence of str
        The cooperative profile (one strategy per player), played every period on the path.
    deviation : str
        The player's own most profitable deviation from ``cooperate``.
    punishment : sequence of str
        The profile played forever once a deviation is seen (a stage Nash equilibrium: Nash reversion).
    points : dict of str to array_like, optional
        Parameter arrays, as for :func:`min_discount_factor`.

    Returns
    -------
    RepeatedThreshold
        :math:`\delta^*` and its closed form.

    Notes
    -----
    Monitoring is perfect (:math:`P = 1`), so :math:`\delta^* = (\pi_C - \pi_H)/(\pi_C - \pi_0)`: for the
    prisoner's dilemma with reward :math:`R`, temptation :math:`T` and punishment :math:`P`,
    :math:`\delta^* = (T - R)/(T - P)` (Friedman 1971).

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.models.from_table(["row", "col"], [["C", "D"], ["C", "D"]],
    ...     {"C,C": ["R", "R"], "C,D": ["S", "T"], "D,C": ["T", "S"], "D,D": ["P", "P"]},
    ...     {"R": 3, "S": 0, "T": 5, "P": 1})
    >>> res = gt.repeated.grim_trigger(pd, player="row", cooperate=("C", "C"), deviation="D",
    ...                                punishment=("D", "D"))
    >>> res.value, res.formula
    (0.5, (R - T)/(P - T))
    """
    inc = game_incentives(model, player=player, cooperate=cooperate, deviation=deviation, punishment=punishment)
    values, n, shape = evaluation_points(model, points, "grim_trigger")
    value, code, verified = evaluate_discount(inc, values, n)
    return package("discount_factor", value, code, REASONS, discount_formula(inc), verified, shape)


@validate_params({"model": None, "points": _POINTS})
def continuation_value(model: Any, points: dict[str, Any] | None = None) -> Any:
    r"""What delisting takes from an honest seller: :math:`\frac{\delta}{1-\delta}\pi_H`, the endogenous ``W``.

    Parameters
    ----------
    model : Model
        A core payment model with a seller; its ``discount_factor`` is :math:`\delta`.
    points : dict of str to array_like, optional
        Parameter arrays (``discount_factor`` among them if you like).

    Returns
    -------
    float or ndarray
        The discounted value of the honest sales from the next period on, in currency per order.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", discount_factor=0.9)
    >>> round(gt.repeated.continuation_value(m), 6)    # 0.9 / 0.1 * (95 - 2 - 60 - 0.002 * 500)
    288.0
    """
    model = check_payment_model(model, "continuation_value")
    values, n, shape = evaluation_points(model, points, "continuation_value")
    q = seller_incentives(model).evaluate(values, n)
    delta = np.broadcast_to(np.asarray(values["discount_factor"], dtype=float), (n,))
    value = delta / (1.0 - delta) * (q["honest"] - q["punishment"])
    return float(value[0]) if shape == () else value.reshape(shape)


@validate_params({"model": None})
def with_continuation_value(model: Any) -> Any:
    r"""The stage model whose delisting loss includes the seller's own future: :math:`W + \frac{\delta}{1-\delta}\pi_H`.

    In this one-shot game the seller facing the honest-path monitoring counterfeits exactly when it would in the
    repeated game (its gain from a fake is at most :math:`P` times the loss iff :math:`\delta \ge \delta^*`), so
    every one-shot tool (equilibria, :mod:`gametheory.deterrence`) can be used on the repeated game's incentives.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.repeated.with_continuation_value(gt.models.get("direct", discount_factor=0.9))
    >>> round(m.delisting_loss, 6)
    288.0
    """
    model = check_payment_model(model, "with_continuation_value")
    return model.with_params(delisting_loss=model.delisting_loss + max(0.0, continuation_value(model)))

