r"""The deterrence window: multipliers that deter fakes without making false claims against honest sellers pay."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._lazy import sympy
from .._validation import InstanceOf, Interval, NoneOr, StrOptions, validate_params
from ..games.normal_form import DEFAULT_TOL
from . import search as _search
from .arguments import check_bounds, check_model
from .criteria import CRITERIA
from .result import ThresholdResult, WindowResult
from .symbolic import branches, low_degree_roots
from .thresholds import min_penalty_multiplier

__all__ = ["deterrence_window", "false_claim_gain"]

_BUYER, _GENUINE = 1, 0


@validate_params(
    {
        "model": None,
        "target_rate": Interval(float, 0, 1),
        "criterion": StrOptions(set(CRITERIA)),
        "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair")),
        "tol": Interval(float, 0, None),
    }
)
def deterrence_window(
    model: Any,
    *,
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    tol: float = DEFAULT_TOL,
) -> WindowResult:
    r"""The window :math:`[k_{\min}, k_{\max})` of penalty multipliers that deter fakes without inviting extortion.

    A penalty paid to buyers also pays a *false* claim against an honest seller when it is upheld (probability
    :math:`\beta`). :math:`k_{\min}` is :func:`min_penalty_multiplier` (the core game); :math:`k_{\max}` is the
    smallest multiplier at which FalseClaim beats every other reply of a buyer facing a genuine item, in the
    extended variant (for some action of the platform and of the hunters). The window is empty when
    :math:`k_{\min} \ge k_{\max}`.

    Parameters
    ----------
    model : Model
        A payment model (either variant; the extended variant is used for false claims, the core for deterrence).
    target_rate, criterion, bounds, tol
        As in :func:`min_penalty_multiplier`.

    Returns
    -------
    WindowResult
        ``k_min``, ``k_max``, ``empty``, the reason, and the two searches behind them.

    Notes
    -----
    Against a genuine item a false claim gains the buyer, over accepting,

    .. math::

        \Delta_{FC}(k) = \beta\,\big(\min(k p, D) + I\big) - e ,

    in the direct model (:math:`I` the insurer's payment), so :math:`k_{\max} = (e / \beta - I) / p` while the
    deposit does not cap it. Polinsky and Shavell (1998) warn that damages above the harm invite such claims; the
    window makes the trade-off a number.

    References
    ----------
    .. [1] Polinsky, A. M., & Shavell, S. (1998). Punitive damages: an economic analysis. *Harvard Law Review*,
           111(4), 869-962.
    .. [2] Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of Political Economy*, 76(2),
           169-217.

    Examples
    --------
    >>> import gametheory as gt
    >>> w = gt.deterrence.deterrence_window(gt.models.get("direct"), target_rate=0.05)
    >>> round(w.k_min, 4), round(w.k_max, 4), w.empty      # k_max = (e / beta - m p) / p = (500 - 50) / 100
    (0.8889, 4.5, False)
    """
    func = "deterrence_window"
    model = check_model(model, func)
    core = model.with_params(variant="core") if model.variant != "core" else model
    extended = model.with_params(variant="extended") if model.variant != "extended" else model
    lo, hi = check_bounds(bounds, core, "penalty_multiplier", func)
    deter = min_penalty_multiplier(core, target_rate=target_rate, criterion=criterion, bounds=(lo, hi), tol=tol)
    extortion = _false_claim_threshold(extended, (lo, hi), tol)
    k_min = float(deter.threshold) if deter.feasible and deter.threshold is not None else None
    k_max = float(extortion.threshold) if extortion.feasible and extortion.threshold is not None else None
    if k_min is None:
        empty, reason = True, f"no multiplier in [{lo:g}, {hi:g}] deters: {deter.reason}"
    elif k_max is None:
        empty, reason = False, (f"k >= {k_min:.6g} deters; FalseClaim does not pay at any k in [{lo:g}, {hi:g}], "
                                "so the window is open up to the upper bound")
    elif k_min < k_max:
        empty, reason = False, f"k in [{k_min:.6g}, {k_max:.6g}) deters without making false claims pay"
    else:
        empty, reason = True, (f"empty: deterrence needs k >= {k_min:.6g} but false claims against honest sellers "
                               f"pay from k = {k_max:.6g}")
    return WindowResult(model.name, k_min, k_max, empty, reason, deter, extortion)


def false_claim_gain(model: Any) -> sympy.Expr:
    """The buyer's gain from FalseClaim over Accept against a genuine item (platform Lax, hunters Pass), by sympy.

    Examples
    --------
    >>> import gametheory as gt
    >>> false_claim_gain(gt.models.get("direct", variant="extended"))
    beta*(m*p + Min(D, k*p)) - e
    """
    payoffs = model.symbolic_payoffs()
    labels = model.strategies[_BUYER]
    fc, accept = labels.index("FalseClaim"), labels.index("Accept")
    rest = (0,) * (len(model.players) - 2)
    return sympy.simplify(payoffs[(_BUYER, _GENUINE, fc, *rest)] - payoffs[(_BUYER, _GENUINE, accept, *rest)])


def _false_claim_threshold(model: Any, bounds: tuple[float, float], tol: float) -> ThresholdResult:
    """Smallest k at which FalseClaim is the buyer's best reply to a genuine item for some platform/hunter play."""
    labels = model.strategies[_BUYER]
    fc = labels.index("FalseClaim")
    others = [j for j in range(len(labels)) if j != fc]

    def profitable(theta: Any, index: Any) -> tuple[Any, Any]:
        u = model.batch(penalty_multiplier=theta).payoffs[:, _BUYER, _GENUINE]  # (M, buyer, platform, hunter)
        scale = np.maximum(1.0, np.abs(u).reshape(len(theta), -1).max(axis=1))
        gain = (u[:, fc] - u[:, others].max(axis=1)).reshape(len(theta), -1).max(axis=1)
        return gain > tol * scale, -gain

    out = _search.bracket(profitable, np.array([bounds[0]]), np.array([bounds[1]]), target=0.0)
    status = int(out.status[0])
    common = dict(model=model.name, parameter="penalty_multiplier", criterion="false_claim_profitable",
                  target_rate=0.0, bounds=bounds, method="search")
    if status == _search.NEVER:
        return ThresholdResult(threshold=None, feasible=False, reason="FalseClaim never pays in the bounds", **common)
    value = float(out.threshold[0])
    formula = _formula(model, value)
    reason = ("FalseClaim already pays at the lower bound" if status == _search.AT_LOWER
              else "FalseClaim beats every other reply to a genuine item from here on")
    return ThresholdResult(threshold=value, feasible=True, reason=reason, closed_form=formula, **common)


def _formula(model: Any, value: float) -> sympy.Expr | None:
    """The root of the FalseClaim-over-Accept gain that matches the numeric k_max, if one does."""
    theta = model.symbols["penalty_multiplier"]
    values = {model.symbols[n]: float(model.params[n]) for n in model.numeric_names}
    for (expr,), _, _ in branches([false_claim_gain(model)], theta):
        for root in low_degree_roots(expr, theta):
            try:
                number = float(root.xreplace(values))
            except TypeError:
                continue
            if abs(number - value) <= 1e-6 * max(1.0, abs(value)):
                return sympy.simplify(root)
    return None
