r"""Store-level deposits: one deposit :math:`D` backs all :math:`n` orders a store takes in a period.

Each order is a fake with probability :math:`x` (the store's fraud rate) and a fake is established with the
monitoring's probability :math:`P`, so a period with a top-up to :math:`D` at its end sees
:math:`N \sim \text{Binomial}(n T, x P)` established frauds over the :math:`T` periods between top-ups. Each
draws the compensation :math:`k p` from what the deposit still holds, so together they receive
:math:`\min(N k p, D)` and the expected compensation per established fraud is

.. math::

    \bar C(D, n, x) = \frac{E[\min(N k p, D)]}{E[N]}, \qquad
    E[\min(N k p, D)] = k p \Big(\sum_{j=1}^{\lfloor m \rfloor} \Pr(N \ge j)
        + (m - \lfloor m \rfloor) \Pr(N \ge \lfloor m \rfloor + 1)\Big), \quad m = D / (k p):

the cap binds in expectation, not per order. With :math:`n = 1` it is the one-order model's :math:`\min(k p, D)`.

Deterrence (top-up every period). The store's gain from a fake, before the deposit pays anything, is
:math:`g_0 = \pi_C - \pi_H` with the deposit-paid penalty :math:`\min(k p, D)` set to 0 and the fine collected in
full (from the model's symbolic payoffs). Faking :math:`j` of its :math:`n` orders gains :math:`j g_0` and loses
:math:`E[\min(N_j k p, D)]`, plus, under the delisting rule, the future
:math:`(1 - (1-P)^j)\frac{\delta}{1-\delta} n \pi_H`; both losses are concave in :math:`j`, so the binding deviation
is faking every order, and the smallest store deposit that deters solves

.. math::

    n g_0 - \big(1 - (1-P)^n\big)\frac{\delta}{1-\delta} n \pi_H = E[\min(N_n k p, D^*)], \qquad
    N_n \sim \text{Binomial}(n, P),

by inverting the piecewise-linear right side (slope :math:`\Pr(N_n \ge j)` on :math:`D/(k p) \in [j-1, j]`). As
:math:`n` grows :math:`N_n / n \to P`, so :math:`D^* / n \to g_0`, against the one-order deposit :math:`g_0 / P`:
pooling the orders of a store saves the factor :math:`1/P`. No deposit deters when :math:`g_0 > P k p` (the
multiplier caps what a fraud can cost).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .._validation import InstanceOf, Interval, NoneOr, validate_params
from ..errors import InvalidParameterError
from ._points import evaluation_points
from .incentives import Incentives, check_store_model, seller_incentives
from .result import RepeatedThreshold, package

__all__ = ["expected_compensation", "min_store_deposit", "STORE_REASONS", "store_incentives", "expected_min"]

STORE_REASONS = (
    "the store is honest without a deposit: its other penalties and its future suffice",
    "the smallest store deposit that deters a store from faking its orders",
    "no deposit deters: compensation is capped at k p per established fraud (raise the multiplier)",
)
_POINTS = NoneOr(InstanceOf(dict, description="a dict of parameter arrays"))
#: largest (points x deposit steps) evaluated at once
_BLOCK = 2_000_000
_CACHE: dict[tuple[Any, ...], Incentives] = {}


def store_incentives(model: Any) -> Incentives:
    """The seller's incentives with the deposit-paid penalty set to 0 and the fine collected in full.

    ``deviation - honest`` is then :math:`g_0`, the gain from a fake before the deposit pays anything. A cost of
    holding the deposit (``deposit_capital_cost``) is the store's whatever it ships; it is left out of these
    per-order profits (and so of the store's future).

    Examples
    --------
    >>> import gametheory as gt
    >>> inc = store_incentives(gt.models.get("direct"))
    >>> "D" in {str(s) for s in inc.deviation.free_symbols}
    False
    """
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _CACHE:
        base = seller_incentives(model)
        pen = model.penalty()
        f, d = model.symbols["fine"], model.symbols["deposit"]
        deviation = base.deviation.xreplace({sympy.Min(f, d - pen): f}).xreplace({pen: 0})
        if sympy.expand(deviation - base.honest).has(d):
            raise InvalidParameterError(f"The seller's gain from a fake in {model.name} depends on the deposit other "
                                        f"than through min(k p, D) and the fine; store deposits do not apply.")
        # what remains of D is paid whatever the seller ships (the deposit's capital cost): a cost of the store,
        # not of an order, left out of the per-order profits here
        _CACHE[key] = Incentives(sympy.expand(base.honest.xreplace({d: 0})),
                                 sympy.expand(deviation.xreplace({d: 0})), base.detection, base.punishment,
                                 base.arguments, base.symbols)
    return _CACHE[key]


def _orders(values: dict[str, Any], n: int, periods: int, func: str) -> np.ndarray:
    orders = np.broadcast_to(np.asarray(values["store_orders"], dtype=float), (n,))
    if not np.all(orders == np.floor(orders)):
        bad = float(orders[orders != np.floor(orders)][0])
        raise InvalidParameterError(
            f"The 'store_orders' parameter of {func} must be a whole number of orders. Got {bad!r} instead.")
    return (orders * periods).astype(np.int64)


def _binom_sf(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    r""":math:`\Pr(N > k)` for :math:`N \sim \mathrm{Binomial}(n, p)`, broadcast."""
    from scipy import stats  # lazy: scipy.stats takes 0.5-1 s to import, and only these searches need it

    return np.asarray(stats.binom.sf(k, n, p), dtype=float)


def expected_min(count: np.ndarray, prob: np.ndarray, cap: np.ndarray) -> np.ndarray:
    r""":math:`E[\min(N, m)]` for :math:`N \sim \text{Binomial}(\text{count}, \text{prob})`, real :math:`m \ge 0`.

    Examples
    --------
    >>> expected_min(np.array([1, 4]), np.array([0.5, 0.5]), np.array([1.0, 10.0])).tolist()
    [0.5, 2.0]
    """
    count, prob, cap = np.broadcast_arrays(np.asarray(count), np.asarray(prob, dtype=float),
                                           np.asarray(cap, dtype=float))
    out = np.zeros(count.shape, dtype=float)
    m = np.minimum(cap, count)
    steps = int(np.ceil(m.max())) if m.size else 0
    rows = max(1, _BLOCK // max(steps, 1))
    j = np.arange(1, steps + 1)
    for start in range(0, count.size, rows):
        sl = slice(start, start + rows)
        c, p, mm = count.ravel()[sl, None], prob.ravel()[sl, None], m.ravel()[sl, None]
        weight = np.clip(mm - (j - 1), 0.0, 1.0)  # the share of step j below the cap
        survival = _binom_sf(j - 1, c, p)   # Pr(N >= j)
        out.ravel()[sl] = (weight * survival).sum(axis=1)
    return out


@validate_params({"model": None, "points": _POINTS, "fraud_rate": Interval(float, 0, 1),
                  "periods": Interval(int, 1, None)})
def expected_compensation(model: Any, points: dict[str, Any] | None = None, *, fraud_rate: float = 1.0,
                          periods: int = 1) -> Any:
    r"""Expected compensation per established fraud when one deposit backs a store's orders.

    Parameters
    ----------
    model : Model
        The direct model: ``deposit`` is the store's deposit :math:`D`, ``store_orders`` its orders per period
        :math:`n`, ``verify_rate`` and ``audit_rate`` the monitoring that gives :math:`P`.
    points : dict of str to array_like, optional
        Parameter arrays (e.g. ``store_orders`` and ``deposit``).
    fraud_rate : float
        The share :math:`x` of the store's orders that are fakes.
    periods : int
        Periods between top-ups (1: the platform tops the deposit up to :math:`D` after every period).

    Returns
    -------
    float or ndarray
        :math:`\bar C(D, n, x)` (the one-order :math:`\min(k p, D)` where no fraud is ever established).

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", verify_rate=1.0, audit_rate=0.0, deposit=500)    # P = 0.72, k p = 200
    >>> [round(gt.repeated.expected_compensation(m.with_params(store_orders=n)), 2) for n in (1, 2, 10)]
    [200.0, 200.0, 69.43]
    """
    model = check_store_model(model, "expected_compensation")
    values, n, shape = evaluation_points(model, points, "expected_compensation")
    count = _orders(values, n, periods, "expected_compensation")
    pay, prob = _claim(model, values, n)
    deposit = np.broadcast_to(np.asarray(values["deposit"], dtype=float), (n,))
    rate = prob * fraud_rate
    with np.errstate(all="ignore"):
        cap = np.where(pay > 0, deposit / pay, 0.0)
        mean = count * rate
        value = np.where(mean > 0, pay * expected_min(count, rate, cap) / np.where(mean > 0, mean, 1.0),
                         np.minimum(pay, deposit))
    return float(value[0]) if shape == () else value.reshape(shape)


def _claim(model: Any, values: dict[str, Any], n: int) -> tuple[np.ndarray, np.ndarray]:
    """:math:`k p` and :math:`P` at the points."""
    pay = np.broadcast_to(np.asarray(values["penalty_multiplier"], dtype=float)
                          * np.asarray(values["price"], dtype=float), (n,))
    prob = seller_incentives(model).evaluate(values, n)["detection"]
    return pay, np.clip(prob, 0.0, 1.0)


@validate_params({"model": None, "points": _POINTS, "delisting": InstanceOf(bool, description="a bool")})
def min_store_deposit(model: Any, points: dict[str, Any] | None = None, *, delisting: bool = True
                      ) -> RepeatedThreshold:
    r"""The smallest deposit :math:`D^*` that keeps a store of :math:`n` orders per period from faking them.

    Parameters
    ----------
    model : Model
        The direct model (``store_orders`` :math:`n`, the monitoring, ``discount_factor`` :math:`\delta`).
    points : dict of str to array_like, optional
        Parameter arrays (not ``deposit``), e.g. ``{"store_orders": [1, 10, 100, 1000]}``.
    delisting : bool
        Whether an established fraud also delists the store, so that it loses its future at :math:`\delta`.

    Returns
    -------
    RepeatedThreshold
        ``parameter="deposit"``: :math:`D^*` per point (None/NaN with the reason where no deposit deters),
        ``verified`` the numeric check that a store's best deviation pays just below :math:`D^*` and not above.

    Notes
    -----
    See the module docstring: :math:`D^*` solves
    :math:`n g_0 - (1-(1-P)^n)\frac{\delta}{1-\delta} n \pi_H = E[\min(N_n k p, D^*)]`, the deposit topped up
    every period.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", penalty_multiplier=8)
    >>> res = gt.repeated.min_store_deposit(m, points={"store_orders": [1, 10, 100]}, delisting=False)
    >>> (res.value / [1, 10, 100]).round(1).tolist()   # per order: g_0 / P = 38.75 / 0.0952, falling to g_0
    [407.0, 61.3, 39.1]
    """
    model = check_store_model(model, "min_store_deposit")
    values, n, shape = evaluation_points(model, points, "min_store_deposit", "deposit")
    count = _orders(values, n, 1, "min_store_deposit")
    q = store_incentives(model).evaluate(values, n)
    pay, prob = _claim(model, values, n)
    need = count * (q["deviation"] - q["honest"])
    if delisting:
        delta = np.broadcast_to(np.asarray(values["discount_factor"], dtype=float), (n,))
        need = need - (1.0 - (1.0 - prob) ** count) * delta / (1.0 - delta) * count * (q["honest"] - q["punishment"])
    value, code = _invert(need, count, prob, pay)
    verified = _verify(value, need, count, prob, pay)
    return package("deposit", value, code, STORE_REASONS, None, verified, shape)


def _invert(need: np.ndarray, count: np.ndarray, prob: np.ndarray, pay: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """The smallest D with :math:`k p\\, E[\\min(N, D/(k p))] \\ge` need (NaN where it exceeds :math:`k p n P`)."""
    n = need.size
    tol = 1e-9 * (1.0 + np.abs(need))
    value = np.full(n, np.nan)
    code = np.full(n, 2, dtype=np.int8)
    free = need <= tol
    value[free], code[free] = 0.0, 0
    feasible = ~free & (need <= pay * count * prob + tol) & (pay > 0) & (prob > 0)
    idx = np.flatnonzero(feasible)
    steps = int(count[idx].max()) if idx.size else 0
    rows = max(1, _BLOCK // max(steps, 1))
    j = np.arange(steps)
    for start in range(0, idx.size, rows):  # blocks of points; the slopes Pr(N >= j + 1) of each along a row
        sel = idx[start:start + rows]
        survival = _binom_sf(j, count[sel, None], prob[sel, None])
        cum = np.cumsum(survival, axis=1)
        target = need[sel] / pay[sel]
        step = np.minimum((cum < (target - 1e-12)[:, None]).sum(axis=1), count[sel] - 1)
        rows_at = np.arange(sel.size)
        before = np.where(step > 0, cum[rows_at, np.maximum(step - 1, 0)], 0.0)
        value[sel] = pay[sel] * (step + (target - before) / survival[rows_at, step])
        code[sel] = 1
    return value, code


def _verify(value: np.ndarray, need: np.ndarray, count: np.ndarray, prob: np.ndarray, pay: np.ndarray
            ) -> np.ndarray:
    """The deterrence condition, by :func:`expected_min`, holds just above :math:`D^*` and fails just below."""
    ok = np.isnan(value)
    d = np.nan_to_num(value)
    step = 1e-6 * np.maximum(1.0, d)
    with np.errstate(all="ignore"):
        cap_hi = np.where(pay > 0, (d + step) / pay, 0.0)
        cap_lo = np.where(pay > 0, np.maximum(d - step, 0.0) / pay, 0.0)
        loss_hi = pay * expected_min(count, prob, cap_hi)
        loss_lo = pay * expected_min(count, prob, cap_lo)
    tol = 1e-9 * (1.0 + np.abs(need))
    verified: np.ndarray = ok | ((loss_hi >= need - tol) & ((d == 0.0) | (loss_lo < need + tol)))
    return verified
