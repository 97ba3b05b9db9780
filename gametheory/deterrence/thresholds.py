r"""The smallest value of a policy parameter that deters counterfeiting: :func:`min_value` and
:func:`min_penalty_multiplier`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._memory import recycle_temporaries
from .._validation import InstanceOf, Interval, NoneOr, StrOptions, validate_params
from ..games.normal_form import DEFAULT_TOL
from . import search as _search
from ._common import broadcast_points, check_bounds, check_model, check_parameter
from .certify import certify, describe_failure
from .closed_form import derive
from .criteria import CRITERIA
from .result import ThresholdResult

__all__ = ["min_value", "min_penalty_multiplier"]

_CONSTRAINTS = {
    "model": None,
    "target_rate": Interval(float, 0, 1),
    "criterion": StrOptions(set(CRITERIA)),
    "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair")),
    "points": NoneOr(InstanceOf(dict, description="a dict of parameter arrays")),
    "method": StrOptions({"auto", "closed_form", "search"}),
    "tol": Interval(float, 0, None),
}
#: two thresholds agree when they differ by at most this, relative to max(1, |threshold|)
AGREE_RTOL = 1e-6
#: points per closed-form pass (arrays that stay in cache)
CHUNK = 65_536


@validate_params({**_CONSTRAINTS, "parameter": None})
def min_value(
    model: Any,
    parameter: str,
    *,
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    points: dict[str, Any] | None = None,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
) -> ThresholdResult:
    r"""The smallest value of ``parameter`` at which the counterfeit rate meets ``target_rate`` under ``criterion``.

    Parameters
    ----------
    model : Model
        A payment model (``gt.models.get(...)``); its other parameters stay fixed.
    parameter : str
        The policy parameter: ``penalty_multiplier``, ``deposit``, ``audit_detection``, ``insurance_cover``,
        ``fine``, or any numeric parameter of the model.
    target_rate : float
        The counterfeit rate to reach (at most). ``0`` asks for full deterrence.
    criterion : str
        ``"all_equilibria"`` (robust: every Nash equilibrium), ``"some_equilibrium"`` (optimistic),
        ``"stable_states"`` (every asymptotically stable state of the replicator dynamics) or ``"subgame_perfect"``
        (models with a sequential version).
    bounds : (float, float), optional
        The interval searched; default the parameter's domain, capped (``[0, 100]`` for the multiplier).
    points : dict of str to array_like, optional
        Evaluate at many parameter points at once: arrays of other parameters that broadcast together. The result
        then holds arrays of the broadcast shape.
    method : str
        ``"auto"`` (the closed form where it answers, cross-checked by the search for a single scenario and
        backed by the search elsewhere), ``"closed_form"`` or ``"search"``.
    tol : float
        Equilibrium tolerance, relative to the payoff scale.

    Returns
    -------
    ThresholdResult
        The threshold (or infeasibility with the reason and, when the deposit caps the penalty, the smallest
        sufficient deposit), the equilibria just below and above, the formula and a certificate.

    Notes
    -----
    The criterion's *deciding rate* :math:`R(\theta)` is the largest (``all_equilibria``) or smallest
    (``some_equilibrium``) counterfeit rate over the equilibria at parameter value :math:`\theta`; the threshold is

    .. math::

        \theta^* = \min\{\theta \in [lo, hi] : R(\theta) \le \tau\}.

    In a mixed equilibrium the rate is pinned by the *other* players' indifference (the inspection game): with
    buyers as enforcers, :math:`\sigma_C = e / (q \alpha (\min(k p, D) + m p))`, which falls only gradually
    as :math:`k` rises, so :math:`\tau = 0` is reached at no finite :math:`k`; the result says so rather than
    return a large number. With exogenous detection :math:`P` and gain :math:`g` the deterrent sanction is
    :math:`g / P` (Becker 1968; Polinsky & Shavell 1998): :math:`k^* = g / (P p)`.

    References
    ----------
    .. [1] Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of Political Economy*, 76(2),
           169-217.
    .. [2] Polinsky, A. M., & Shavell, S. (1998). Punitive damages: an economic analysis. *Harvard Law Review*,
           111(4), 869-962.
    .. [3] Tsebelis, G. (1989). The abuse of probability in political analysis: the Robinson Crusoe fallacy.
           *American Political Science Review*, 83(1), 77-91.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.deterrence.min_value(gt.models.get("direct"), "deposit", target_rate=0.05)
    >>> res.feasible, round(res.threshold, 2)
    (True, 88.89)
    """
    func = "min_value"
    model = check_model(model, func)
    parameter = check_parameter(model, parameter, func)
    lo, hi = check_bounds(bounds, model, parameter, func)
    if points is None:
        return _scalar(model, parameter, float(target_rate), criterion, (lo, hi), method, tol)
    return _vectorised(model, parameter, float(target_rate), criterion, (lo, hi), points, method, tol, func)


@validate_params(_CONSTRAINTS)
def min_penalty_multiplier(
    model: Any,
    *,
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    points: dict[str, Any] | None = None,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
) -> ThresholdResult:
    r"""The smallest penalty multiplier :math:`k` (compensation :math:`k p` to the buyer) that deters counterfeiting.

    :func:`min_value` with ``parameter="penalty_multiplier"``; see there for the arguments.

    Notes
    -----
    In the direct model the seller pays :math:`\min(k p, D)`: once :math:`k p \ge D` raising :math:`k` changes
    nothing, so a deposit below :math:`k^* p` makes the target infeasible; the result then names the smallest
    sufficient deposit. With exogenous detection probability :math:`P` and gain :math:`g = c_g - c_f` the seller
    is deterred iff :math:`g \le P\, k p` (Becker 1968), i.e.

    .. math::

        k^* = \frac{g}{P\, p},

    so the seed's "pay twice" (:math:`k = 2`) deters exactly when :math:`P = 1/2` and :math:`g = p`; Polinsky and
    Shavell (1998) give the same total damages :math:`H / P`.

    References
    ----------
    .. [1] Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of Political Economy*, 76(2),
           169-217.
    .. [2] Polinsky, A. M., & Shavell, S. (1998). Punitive damages: an economic analysis. *Harvard Law Review*,
           111(4), 869-962.
    .. [3] Tsebelis, G. (1989). The abuse of probability in political analysis: the Robinson Crusoe fallacy.
           *American Political Science Review*, 83(1), 77-91.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.deterrence.min_penalty_multiplier(gt.models.get("direct"), target_rate=0.01)
    >>> res.feasible, round(res.min_deposit, 2)
    (False, 644.44)
    >>> becker = gt.models.get("direct", verify_cost=0, audit_detection=0, insurance_cover=0,
    ...                        detection_prob=5 / 9, cost_genuine=100, cost_counterfeit=0, deposit=10_000)
    >>> round(gt.deterrence.min_penalty_multiplier(becker).threshold, 6)    # g / (P p) = 100 / (0.5 * 100)
    2.0
    """
    return min_value(model, "penalty_multiplier", target_rate=target_rate, criterion=criterion, bounds=bounds,
                     points=points, method=method, tol=tol)


def _closed_form_ok(criterion: str, method: str) -> bool:
    return method != "search" and criterion in ("all_equilibria", "some_equilibrium")


def _scalar(model: Any, parameter: str, target: float, criterion: str, bounds: tuple[float, float],
            method: str, tol: float) -> ThresholdResult:
    values = {name: np.array([float(model.params[name])]) for name in model.numeric_names}
    largest = criterion == "all_equilibria"
    cf = derive(model, parameter) if _closed_form_ok(criterion, method) else None
    cf_answered, cf_feasible, cf_value, regime = False, False, None, -1
    if cf is not None:
        thr, answered, feasible, pick = cf.evaluate(values, target_rate=target, bounds=bounds, largest=largest)
        cf_answered, cf_feasible, regime = bool(answered[0]), bool(feasible[0]), int(pick[0])
        cf_value = float(thr[0]) if cf_answered and cf_feasible else None
    formula = cf.expression(regime, largest=largest) if cf is not None and regime >= 0 else None
    common = dict(model=model.name, parameter=parameter, criterion=criterion, target_rate=target, bounds=bounds)
    if method == "closed_form":
        if not cf_answered:
            return ThresholdResult(threshold=None, feasible=False, method="closed_form",
                                   reason="the closed form does not answer here (use method='auto' or 'search')",
                                   **common)
        if not cf_feasible:
            min_dep = _min_deposit_closed_form(model, parameter, values, target, criterion, bounds)
            reason = (f"by the equilibrium types the criterion fails at {parameter} = {bounds[1]:g}, the upper "
                      "bound, and at the lower bound")
            return ThresholdResult(threshold=None, feasible=False, method="closed_form", reason=reason,
                                   min_deposit=min_dep, **common)
        assert cf_value is not None
        cert, below, above = certify(model, parameter, cf_value, criterion, target, bounds, tol)
        what = cf.all_regimes(_kind(largest))[regime].describe() if cf and regime >= 0 else "the lower bound"
        return ThresholdResult(threshold=cf_value, feasible=True, method="closed_form", closed_form=formula,
                               certificate=cert, below=below, above=above, reason=f"closed form: {what}", **common)
    out = _search.search_threshold(model, parameter, {}, 1, criterion=criterion, target_rate=target,
                                   bounds=bounds, tol=tol)
    status = int(out.status[0])
    if status == _search.NEVER:
        reason, min_dep = describe_failure(model, parameter, out, criterion, target, bounds, tol)
        if cf_value is not None:
            reason += f" (the closed form gave {cf_value:.6g}, which the search rejects)"
        return ThresholdResult(threshold=None, feasible=False, method="search", reason=reason, min_deposit=min_dep,
                               **common)
    value = float(out.threshold[0])
    used = "search"
    note = ""
    if cf_value is not None:
        if abs(cf_value - value) <= AGREE_RTOL * max(1.0, abs(value)):
            value, used = cf_value, "closed_form"
            what = cf.all_regimes(_kind(largest))[regime].describe() if cf and regime >= 0 else "the lower bound"
            note = f"closed form ({what}), confirmed by the search"
        else:
            formula = None
            note = f"search; the closed form gave {cf_value:.6g}, which the search does not confirm"
    if status == _search.AT_LOWER:
        reason = f"the criterion already holds at the lower bound {parameter} = {bounds[0]:g}"
        cert, below, above = None, None, certify(model, parameter, value, criterion, target, bounds, tol)[2]
    else:
        reason = note or "search: fails just below, holds just above"
        if bool(out.relapse[0]):
            reason += "; note: the criterion fails again at a larger value in the bounds (not monotone)"
        cert, below, above = certify(model, parameter, value, criterion, target, bounds, tol)
    return ThresholdResult(threshold=value, feasible=True, method=used, reason=reason, closed_form=formula,
                           certificate=cert, below=below, above=above, **common)


def _min_deposit_closed_form(model: Any, parameter: str, values: dict[str, Any], target: float, criterion: str,
                             bounds: tuple[float, float]) -> Any:
    """Smallest sufficient deposit (at the largest multiplier) by the closed form; NaN where it does not answer."""
    n = len(next(iter(values.values())))
    need = np.full(n, np.nan)
    if parameter != "penalty_multiplier" or "deposit" not in values:
        return None if n == 1 else need
    cf_dep = derive(model, "deposit")
    if cf_dep is not None:
        at_hi = {**values, "penalty_multiplier": np.full(n, bounds[1])}
        thr, answered, feasible, _ = cf_dep.evaluate(at_hi, target_rate=target, bounds=(0.0, 1e12),
                                                     largest=criterion == "all_equilibria")
        ok = answered & feasible & (thr > values["deposit"])
        need[ok] = thr[ok]
    if n == 1:
        return float(need[0]) if np.isfinite(need[0]) else None
    return need


def _vectorised(model: Any, parameter: str, target: float, criterion: str, bounds: tuple[float, float],
                points: dict[str, Any], method: str, tol: float, func: str) -> ThresholdResult:
    flat, shape = broadcast_points(model, points, parameter, func)
    values = model.points(**flat)
    n = len(values[model.numeric_names[0]])
    threshold = np.full(n, np.nan)
    feasible = np.zeros(n, dtype=bool)
    from_cf = np.zeros(n, dtype=bool)
    largest = criterion == "all_equilibria"
    cf = derive(model, parameter) if _closed_form_ok(criterion, method) else None
    if cf is not None:
        from_cf = np.zeros(n, dtype=bool)
        if n > CHUNK:
            recycle_temporaries()  # the chunks' temporaries come back from the heap, not as fresh pages
        for start in range(0, n, CHUNK):  # chunks that stay in cache
            part = slice(start, min(n, start + CHUNK))
            sub = {name: v[part] for name, v in values.items()}
            thr, answered, feas, _ = cf.evaluate(sub, target_rate=target, bounds=bounds, largest=largest)
            threshold[part] = np.where(answered & feas, thr, np.nan)
            feasible[part], from_cf[part] = answered & feas, answered
    todo = np.flatnonzero(~from_cf)
    reasons = []
    if todo.size and method != "closed_form":
        sub = {name: v[todo] for name, v in flat.items()}
        out = _search.search_threshold(model, parameter, sub, todo.size, criterion=criterion, target_rate=target,
                                       bounds=bounds, tol=tol, full_grid=False)
        ok = out.status != _search.NEVER
        threshold[todo[ok]], feasible[todo[ok]] = out.threshold[ok], True
    elif todo.size:
        reasons.append(f"{todo.size} points without a closed form (method='closed_form')")
    min_deposit = np.full(n, np.nan)
    infeasible = np.flatnonzero(~feasible & (from_cf | (method != "closed_form")))
    if infeasible.size and parameter == "penalty_multiplier" and "deposit" in values:
        sub_values = {name: v[infeasible] for name, v in values.items()}
        need = _min_deposit_closed_form(model, parameter, sub_values, target, criterion, bounds) \
            if method != "search" else np.full(infeasible.size, np.nan)
        rest = np.flatnonzero(np.isnan(need))
        if rest.size and method != "closed_form":
            idx = infeasible[rest]
            dep = {**{name: v[idx] for name, v in flat.items()}, "penalty_multiplier": np.full(idx.size, bounds[1])}
            hi_dep = float(np.max(values["deposit"][idx])) * 100 + 1e4
            res = _search.search_threshold(model, "deposit", dep, idx.size, criterion=criterion,
                                           target_rate=target, bounds=(0.0, hi_dep), tol=tol, full_grid=False)
            found = (res.status != _search.NEVER) & (res.threshold > values["deposit"][idx])
            need[rest[found]] = res.threshold[found]
        min_deposit[infeasible] = need
    n_feasible = int(feasible.sum())
    n_capped = int(np.isfinite(min_deposit).sum())
    reason = f"feasible at {n_feasible} of {n} points"
    if n_capped:
        reason += f"; at {n_capped} the deposit caps the penalty (see min_deposit)"
    other = n - n_feasible - n_capped
    if other:
        reason += f"; at {other} the target is not reached in {list(bounds)}"
    reason = "; ".join([reason, *reasons])
    used = "closed_form" if from_cf.all() else "search" if not from_cf.any() else "closed_form+search"
    return ThresholdResult(
        model=model.name, parameter=parameter, threshold=threshold.reshape(shape), feasible=feasible.reshape(shape),
        reason=reason, criterion=criterion, target_rate=target, bounds=bounds, method=used,
        min_deposit=min_deposit.reshape(shape), from_closed_form=from_cf.reshape(shape),
    )


def _kind(largest: bool) -> str:
    return "bad_end" if largest else "good_start"
