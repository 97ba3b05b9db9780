r"""A Monte Carlo of store-deposit depletion: orders one by one, each established fraud paid from what is left.

Within one cycle of :math:`n T` orders (``store_orders`` times the periods between top-ups) each order is a fake
with probability :math:`x`; the buyer's verification and the platform's audit are drawn from the monitoring
(``verify_rate``, ``audit_rate``) and a fake is established with that pure profile's probability (the model's
:math:`-\partial u_S/\partial W`). An established fraud is paid :math:`\min(k p, \text{balance})` and the
balance falls by as much. The averages check :func:`gametheory.repeated.expected_compensation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._frozen import FrozenResult
from .._validation import Interval, check_random_state, validate_params
from ..errors import InvalidParameterError
from .simulate import pure_tables
from .store_deposit import _check_store_model

__all__ = ["DepletionResult", "simulate_depletion"]


@dataclass(frozen=True, eq=False)
class DepletionResult(FrozenResult):
    """Simulated depletion of a store deposit over one top-up cycle: what each established fraud costs it, what is
    paid and how often the deposit runs out.

    Attributes
    ----------
    compensation_per_fraud : float
        Total paid over total established frauds, across the runs (the ratio estimator of :math:`\\bar C`).
    paid, paid_stderr : float
        Mean amount paid out of the deposit per cycle, and its standard error.
    frauds : float
        Mean number of established frauds per cycle.
    exhausted : float
        Share of runs in which the deposit ran out before the cycle's end.
    runs, orders : int
        Runs, and orders per cycle.
    seed : int or None
        The seed used.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.simulate_depletion(gt.models.get("direct", store_orders=5), runs=100, seed=0)
    >>> res.orders, res.paid <= 500.0
    (5, True)
    """

    compensation_per_fraud: float
    paid: float
    paid_stderr: float
    frauds: float
    exhausted: float
    runs: int
    orders: int
    seed: int | None


@validate_params({"model": None, "fraud_rate": Interval(float, 0, 1), "periods": Interval(int, 1, None),
                  "runs": Interval(int, 1, None), "seed": None})
def simulate_depletion(model: Any, *, fraud_rate: float = 1.0, periods: int = 1, runs: int = 20_000,
                       seed: int | None = None) -> DepletionResult:
    """Simulate one top-up cycle of a store deposit, vectorised over runs (the loop is over orders).

    Parameters
    ----------
    model : Model
        The direct model (``deposit``, ``store_orders``, the multiplier and the monitoring).
    fraud_rate : float
        Share of the store's orders that are fakes.
    periods : int
        Periods between top-ups.
    runs : int
        Independent cycles simulated.
    seed : int, optional
        Seed of the draws.

    Returns
    -------
    DepletionResult

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", verify_rate=1.0, audit_rate=0.0, store_orders=10)
    >>> res = gt.repeated.simulate_depletion(m, runs=4000, seed=3)
    >>> bool(abs(res.compensation_per_fraud - gt.repeated.expected_compensation(m)) < 3.0)   # 69.43
    True
    """
    model = _check_store_model(model, "simulate_depletion")
    if float(model.store_orders) != int(model.store_orders):
        raise InvalidParameterError(
            f"The 'store_orders' parameter of simulate_depletion must be a whole number of orders. "
            f"Got {model.store_orders!r} instead.")
    rng = check_random_state(seed)
    _, established = pure_tables(model)
    orders = int(model.store_orders) * periods
    pay = float(model.penalty_multiplier) * float(model.price)
    sv, sa = float(model.verify_rate), float(model.audit_rate)
    balance = np.full(runs, float(model.deposit))
    paid = np.zeros(runs)
    frauds = np.zeros(runs)
    for _ in range(orders):
        fake = rng.random(runs) < fraud_rate
        b = (rng.random(runs) < sv).astype(np.intp)
        a = (rng.random(runs) < sa).astype(np.intp)
        hit = fake & (rng.random(runs) < established[1, b, a])
        amount = np.where(hit, np.minimum(pay, balance), 0.0)
        balance -= amount
        paid += amount
        frauds += hit
    total = frauds.sum()
    per_fraud = float(paid.sum() / total) if total > 0 else float(min(pay, float(model.deposit)))
    stderr = float(paid.std(ddof=1) / np.sqrt(runs)) if runs > 1 else 0.0
    return DepletionResult(per_fraud, float(paid.mean()), stderr, float(frauds.mean()),
                           float(np.mean(balance <= 1e-9 * max(1.0, float(model.deposit)))), runs, orders, seed)
