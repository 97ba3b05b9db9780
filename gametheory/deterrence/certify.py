"""The checks behind a threshold: equilibria just below and above it, the seller's payoff gap, and why it fails."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..solvers import solve
from .criteria import RATE_TOL, deciding_rates
from .exact_set import compute_set
from .result import Certificate

__all__ = ["certify", "deciding", "describe_failure", "EPSILON"]

#: relative step either side of a threshold in a certificate
EPSILON = 1e-6


def deciding(model: Any, criterion: str, target: float, tol: float) -> tuple[float, float, bool, Any, Any]:
    """At the model's own parameters: (deciding rate, seller's gap C - G, holds, equilibria, deciding profile).

    The gap is :math:`u_S(\\text{Counterfeit}, \\sigma_{-S}) - u_S(\\text{Genuine}, \\sigma_{-S})` against the
    others' play in the deciding equilibrium (for ``all_equilibria`` the one that counterfeits most).
    """
    if criterion in ("all_equilibria", "some_equilibrium"):
        game = model.game()
        eqs = solve(game, tol=tol)
        if not eqs:
            return math.nan, math.nan, False, eqs, None
        rates = [float(model.outcomes(eq)["counterfeit_rate"]) for eq in eqs]
        pick = int(np.argmax(rates) if criterion == "all_equilibria" else np.argmin(rates))
        dev = game.deviation_payoffs(eqs[pick].profile)[0]
        gap = float(dev[1] - dev[0])
        return rates[pick], gap, rates[pick] <= target + RATE_TOL, eqs, eqs[pick].profile
    values = {name: np.array([float(model.params[name])]) for name in model.numeric_names}
    rate = float(deciding_rates(model, criterion, values, tol=tol)[0])
    return rate, math.nan, bool(np.isfinite(rate) and rate <= target + RATE_TOL), None, None


def certify(model: Any, parameter: str, value: float, criterion: str, target: float, bounds: tuple[float, float],
            tol: float) -> tuple[Certificate | None, Any, Any]:
    """Re-check a threshold with :func:`gametheory.solve` at ``value -/+ epsilon``.

    Returns ``(certificate, equilibria below, equilibria above)``; the certificate is None at the lower bound.
    """
    eps = EPSILON * max(1.0, abs(value))
    lo, hi = bounds
    up = min(value + eps, hi)
    rate_a, gap_a, holds_a, eqs_a, prof_a = deciding(model.with_params(**{parameter: up}), criterion, target, tol)
    if value - eps < lo:
        return None, None, eqs_a
    down = value - eps
    rate_b, gap_b, holds_b, eqs_b, _ = deciding(model.with_params(**{parameter: down}), criterion, target, tol)
    gap_at = math.nan
    if prof_a is not None:
        dev = model.with_params(**{parameter: value}).game().deviation_payoffs(prof_a)[0]
        gap_at = float(dev[1] - dev[0])
    cert = Certificate(parameter, value, eps, rate_b, rate_a, gap_b, gap_a, gap_at, holds_b, holds_a)
    return cert, eqs_b, eqs_a


def describe_failure(model: Any, parameter: str, region: Any, crit: Any, target: float,
                     tol: float) -> tuple[str, float | None]:
    """Why no value in the bounds deters, from the deciding rates at the bounds; and, when a parameter of the model
    caps ``parameter`` (``model.CAPS``, e.g. the deposit caps the compensation), the smallest sufficient cap."""
    lo, hi = region.bounds
    rates, _ = crit.rates(model, {parameter: np.array([lo, hi])}, tol)
    r_lo, r_hi = float(rates[0]), float(rates[1])
    what = "stable state" if crit.name == "stable_states" else "equilibrium"
    if not np.isfinite(rates).any():
        return f"no {what} anywhere in {parameter} in [{lo:g}, {hi:g}], so the criterion never holds", None
    if region.no_trade:  # the rate meets the target somewhere, but only because no order is placed there
        return (f"no {parameter} in [{lo:g}, {hi:g}] deters: where the counterfeit rate meets the target {target:g}, "
                "nothing is sold (no order is placed), and no trade is not deterrence"), None
    for cap, (capped, amount) in getattr(model, "CAPS", {}).items():
        if capped != parameter:
            continue
        current = float(model.params[cap])
        upper = 1e3 * max(1.0, current)
        need = compute_set(model.with_params(**{parameter: hi}), cap, target, crit, (0.0, upper), tol).smallest
        if need is not None and need > current:
            return (
                f"the {cap} caps the penalty: the seller pays min({amount}, {cap}) and {cap} = {current:g} stops it "
                f"growing; the deciding counterfeit rate levels off at {r_hi:.6g} > target {target:g}, so no "
                f"{parameter} in [{lo:g}, {hi:g}] deters. The smallest sufficient {cap} is {need:.6g}"
            ), float(need)
    if r_hi > 0 and np.isfinite(r_lo) and r_hi < r_lo and target == 0:
        return (
            f"counterfeiting only falls gradually: the deciding equilibrium is mixed and its rate falls from "
            f"{r_lo:.6g} at {parameter} = {lo:g} to {r_hi:.6g} at {hi:g} but stays positive; in a mixed equilibrium "
            "the rate is pinned by the other players' indifference, so target 0 is reached at no finite value. "
            "Ask for a target_rate > 0"
        ), None
    ends = [f"{r:.6g} at {at}" if np.isfinite(r) else f"undefined at {at} (no {what} there)"
            for r, at in ((r_lo, f"{parameter} = {lo:g}"), (r_hi, f"{hi:g}"))]
    return (
        f"the criterion fails on the whole interval (target {target:g}): the deciding counterfeit rate is "
        f"{ends[0]} and {ends[1]}"
    ), None
