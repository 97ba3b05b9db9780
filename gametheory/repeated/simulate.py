r"""A Monte Carlo of the repeated game: a seller's discounted payoff from a strategy, period by period.

Each period the seller (if still listed) plays Genuine or Counterfeit by its strategy; the buyer verifies with
probability :math:`\sigma_v` and the platform audits with probability :math:`\sigma_a`, both drawn; the seller
earns its stage payoff at the drawn pure profile (the model's numeric game) and, when it sold a fake, the fraud
is established with that profile's probability :math:`-\partial u_S / \partial W` (drawn). An established fraud
delists it from the next period on (payoff 0 forever). This is the repeated game itself, so its averages check the
closed forms of :mod:`.incentive_constraint`: :math:`V_H = \pi_H/(1-\delta)`, one deviation
:math:`\pi_C + \delta(1-P)V_H`, and always counterfeiting :math:`\pi_C / (1 - \delta(1-P))`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._frozen import FrozenResult
from .._validation import Interval, StrOptions, check_random_state, validate_params
from .incentives import check_payment_model

__all__ = ["SimulationResult", "simulate_repeated", "STRATEGIES", "pure_tables"]

#: the seller strategies simulated
STRATEGIES = ("honest", "deviate_once", "always_counterfeit")


@dataclass(frozen=True, eq=False)
class SimulationResult(FrozenResult):
    """The seller's discounted payoff over simulated runs of the repeated game.

    Attributes
    ----------
    strategy : str
        ``honest``, ``deviate_once`` (Counterfeit in the first period, Genuine after) or ``always_counterfeit``.
    mean, stderr : float
        Mean discounted payoff over the runs and its standard error.
    delisted : float
        Share of runs in which the seller was delisted within the horizon.
    runs, periods : int
        How many runs, and periods per run (the tail beyond is below :math:`\\delta^T` of the total).
    seed : int or None
        The seed used.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.simulate_repeated(gt.models.get("direct"), strategy="honest", runs=10, seed=0)
    >>> res.strategy, round(res.mean, 6), round(res.stderr, 9)      # 32 / (1 - 0.8), with no risk at all
    ('honest', 160.0, 0.0)
    """

    strategy: str
    mean: float
    stderr: float
    delisted: float
    runs: int
    periods: int
    seed: int | None


@validate_params({"model": None, "strategy": StrOptions(set(STRATEGIES)), "runs": Interval(int, 1, None),
                  "periods": Interval(int, 1, 100_000), "seed": None})
def simulate_repeated(model: Any, *, strategy: str = "honest", runs: int = 10_000, periods: int = 400,
                      seed: int | None = None) -> SimulationResult:
    r"""Simulate the repeated game with delisting and return the seller's mean discounted payoff.

    Parameters
    ----------
    model : Model
        A core payment model with a seller; ``discount_factor``, ``verify_rate`` and ``audit_rate`` are used.
    strategy : str
        One of :data:`STRATEGIES` (default ``honest``).
    runs : int
        Independent runs (vectorised over runs; the loop is over periods).
    periods : int
        Horizon of each run; choose it so that :math:`\delta^T` is negligible.
    seed : int, optional
        Seed of the random draws (:func:`gametheory._validation.check_random_state`).

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", discount_factor=0.5)
    >>> res = gt.repeated.simulate_repeated(m, strategy="deviate_once", runs=2000, seed=1)
    >>> bool(abs(res.mean - 80.67) < 4 * res.stderr)     # pi_C + delta (1 - P) pi_H / (1 - delta) = 80.67
    True
    """
    model = check_payment_model(model, "simulate_repeated")
    rng = check_random_state(seed)
    payoff, established = pure_tables(model)
    delta = float(model.discount_factor)
    sv, sa = float(model.verify_rate), float(model.audit_rate)
    listed = np.ones(runs, dtype=bool)
    total = np.zeros(runs)
    weight = 1.0
    for t in range(periods):
        fake = strategy == "always_counterfeit" or (strategy == "deviate_once" and t == 0)
        s = int(fake)
        b = (rng.random(runs) < sv).astype(np.intp)
        a = (rng.random(runs) < sa).astype(np.intp)
        total += np.where(listed, weight * payoff[s, b, a], 0.0)
        if fake:
            caught = rng.random(runs) < established[s, b, a]
            listed &= ~caught
        weight *= delta
    sd = float(total.std(ddof=1)) if runs > 1 else 0.0
    return SimulationResult(strategy, float(total.mean()), float(sd / np.sqrt(runs)), float(1.0 - listed.mean()),
                            runs, periods, seed)


def pure_tables(model: Any) -> tuple[np.ndarray, np.ndarray]:
    """The seller's payoff and the probability that fraud is established, at every pure profile (numbers)."""
    table = model.symbolic_payoffs()
    w = model.symbols["delisting_loss"]
    values = {model.symbols[n]: float(model.params[n]) for n in model.numeric_names}
    payoff = model.game().payoffs[0]
    established = np.empty(payoff.shape)
    for idx in np.ndindex(*payoff.shape):
        established[idx] = float(sympy.sympify(-sympy.diff(table[(0, *idx)], w), strict=True).xreplace(values))
    return payoff, established
