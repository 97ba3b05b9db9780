r"""The smallest value of a policy parameter that deters counterfeiting: :func:`min_value` and
:func:`min_penalty_multiplier`."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._memory import recycle_temporaries
from .._validation import InstanceOf, Interval, NoneOr, StrOptions, check_param, validate_params
from ..games.normal_form import DEFAULT_TOL
from ._fused import fused_applies, fused_thresholds
from .arguments import broadcast_points, check_bounds, check_model, check_parameter, default_bounds
from .certify import certify, describe_failure
from .closed_form import derive
from .criteria import RATE_TOL, TRADE_TOL, Criterion, CriterionName, get_criterion
from .exact_set import compute_set
from .region import DeterrenceSet
from .result import ThresholdMap, ThresholdResult

__all__ = ["min_value", "min_penalty_multiplier", "threshold_map"]

_CONSTRAINTS = {
    "model": None,
    "target_rate": Interval(float, 0, 1),
    "criterion": CriterionName(),
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
        Deprecated: many parameter points at once are :func:`threshold_map` (which this calls, with a
        ``DeprecationWarning``, returning its :class:`ThresholdMap`).
    method : str
        How the answer, always the smallest value of :func:`deterrence_set`, is obtained: ``"auto"`` and
        ``"closed_form"`` attach the closed-form formula of the threshold where one matches, ``"search"`` does not
        look for one.
    tol : float
        Equilibrium tolerance, relative to the payoff scale.

    Returns
    -------
    ThresholdResult
        The threshold = the smallest deterring value (or infeasibility with the reason and, when a declared cap
        such as the deposit limits the parameter, the smallest sufficient cap), the robust threshold, whether
        the two coincide (a warning in ``reason`` when not), the exact set, the equilibria just below and above,
        the formula and a certificate.

    Notes
    -----
    The criterion's *deciding rate* :math:`R(\theta)` is the largest (``all_equilibria``) or smallest
    (``some_equilibrium``) counterfeit rate over the equilibria at parameter value :math:`\theta`. With
    :math:`S = \{\theta \in [lo, hi] : R(\theta) \le \tau\}` (computed exactly, :func:`deterrence_set`),

    .. math::

        \theta^* = \inf S, \qquad \theta^*_{\text{robust}} = \min\{\theta : [\theta, hi] \subseteq S\},

    and the answer is *monotone* when the two coincide. They differ when new equilibria that counterfeit more
    appear as :math:`\theta` grows (the inspection equilibrium with lax buyers gives way to ones where buyers
    check less), or when a cap stops the parameter's effect inside a window.

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
    crit = get_criterion(model, criterion)
    if points is not None:
        warnings.warn(f"{func}(points=...) is deprecated: call gt.deterrence.threshold_map(model, {parameter!r}, "
                      "points=...), which returns a ThresholdMap", DeprecationWarning, stacklevel=3)
        return _vectorised(model, parameter, float(target_rate), crit, (lo, hi), points, method, tol, func)  # type: ignore[return-value]
    return _scalar(model, parameter, float(target_rate), crit, (lo, hi), method, tol, bounds is None)


@validate_params({**_CONSTRAINTS, "parameter": None, "points": None})  # points: checked after the others
def threshold_map(
    model: Any,
    parameter: str = "penalty_multiplier",
    *,
    points: dict[str, Any],
    target_rate: float = 0.0,
    criterion: str = "all_equilibria",
    bounds: tuple[float, float] | None = None,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
) -> ThresholdMap:
    r"""The smallest deterring value of ``parameter`` (and the robust one) at many parameter points at once.

    Parameters
    ----------
    model : Model
        A payment model; parameters not in ``points`` keep its values.
    parameter : str
        The policy parameter (default the penalty multiplier); see :func:`min_value`.
    points : dict of str to array_like
        Arrays of other parameters that broadcast together; the result's arrays have the broadcast shape.
    target_rate, criterion, bounds, tol
        As in :func:`min_value`.
    method : str
        ``"auto"`` evaluates the closed form (candidate breakpoints and the verdict between them), checks every
        answer with the solved games on both sides of it, and computes the exact set point by point where the
        check fails; ``"closed_form"`` leaves those points unanswered; ``"search"`` computes the exact set at
        every point (the reference path, about 0.1-0.3 s a point). For 2x2x2 models and the Nash criteria,
        ``"auto"`` runs as one compiled pass per point (the formulas written as numba code, about 1-2 s per
        million points; compiled once per model structure, see :mod:`gametheory.deterrence._fused`).

    Returns
    -------
    ThresholdMap
        ``threshold``, ``robust_threshold``, ``feasible``, ``monotone``, ``from_closed_form``, ``min_deposit``
        and a reason ``code`` per point, with a summary in ``reason``.

    Notes
    -----
    Point by point the answer is :math:`\theta^* = \inf S` and :math:`\theta^*_{\text{robust}}` of
    :func:`min_value`. Between two consecutive candidates (where a regime's counterfeit rate crosses the target
    or an equilibrium type starts or ends) the criterion's verdict cannot change, so it is read once per piece; a
    candidate is confirmed by the games at the midpoints of the pieces either side of it (the criterion fails
    on the left and holds on the right), solved with every equilibrium.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> res = gt.deterrence.threshold_map(gt.models.get("escrow"), points={"price": [50.0, 100.0, 200.0]},
    ...                                   target_rate=0.05)
    >>> res.threshold.round(4).tolist(), bool(res.monotone.all())    # escrow's multiplier is at least 1
    ([2.7778, 1.3889, 1.0], True)
    """
    func = "threshold_map"
    check_param(func, "points", points, InstanceOf(dict, description="a dict of parameter arrays"))
    model = check_model(model, func)
    parameter = check_parameter(model, parameter, func)
    lo, hi = check_bounds(bounds, model, parameter, func)
    crit = get_criterion(model, criterion)
    return _vectorised(model, parameter, float(target_rate), crit, (lo, hi), points, method, tol, func)


@validate_params(_CONSTRAINTS)
def min_penalty_multiplier(model: Any, *, target_rate: float = 0.0, criterion: str = "all_equilibria",
                           bounds: tuple[float, float] | None = None, points: dict[str, Any] | None = None,
                           method: str = "auto", tol: float = DEFAULT_TOL) -> ThresholdResult:
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

    Becker (1968), Polinsky and Shavell (1998) and Tsebelis (1989) are cited in full under :func:`min_value`.

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


def _scalar(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
            method: str, tol: float, default: bool) -> ThresholdResult:
    region = compute_set(model, parameter, target, crit, bounds, tol)
    common = dict(model=model.name, parameter=parameter, criterion=crit.name, target_rate=target, bounds=bounds,
                  robust_threshold=region.robust, monotone=region.monotone, deterrence_set=region)
    notes = [region.note] if region.note else []
    if not default:
        notes += _bounds_note(model, parameter, target, crit, bounds, region, tol)
    if region.smallest is None:
        reason, min_dep = describe_failure(model, parameter, region, crit, target, tol)
        return ThresholdResult(threshold=None, feasible=False, method="exact_set", reason="; ".join([reason, *notes]),
                               min_deposit=min_dep, **common)
    value = float(region.smallest)
    formula, what = _formula(model, parameter, value, target, crit, bounds) if method != "search" else (None, "")
    if value == bounds[0] and value in region:
        head = f"the criterion already holds at the lower bound {parameter} = {bounds[0]:g}"
        cert, below, above = None, None, certify(model, parameter, value, crit.name, target, bounds, tol)[2]
    else:
        head = f"closed form ({what})" if formula is not None else "exact set: fails just below, holds just above"
        cert, below, above = certify(model, parameter, value, crit.name, target, bounds, tol)
    used = "closed_form" if formula is not None else "exact_set"
    return ThresholdResult(threshold=value, feasible=True, method=used, reason="; ".join([head, *notes]),
                           closed_form=formula, certificate=cert, below=below, above=above, **common)


def _formula(model: Any, parameter: str, value: float, target: float, crit: Criterion,
             bounds: tuple[float, float]) -> tuple[Any, str]:
    """The closed-form regime whose value at the model's parameters is ``value`` (None when none is)."""
    cf = derive(model, parameter) if crit.extreme is not None else None
    if cf is None:
        return None, ""
    values = {name: np.array([float(model.params[name])]) for name in model.numeric_names}
    largest = crit.extreme == "largest"
    vals, ok = cf.candidates(values, target, _kind(largest))
    close = ok[:, 0] & (np.abs(vals[:, 0] - value) <= AGREE_RTOL * max(1.0, abs(value)))
    if not close.any():
        return None, ""
    row = int(np.flatnonzero(close)[0])
    return cf.expression(row, largest=largest), cf.all_regimes(_kind(largest))[row].describe()


def _bounds_note(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
                 region: DeterrenceSet, tol: float) -> list[str]:
    """When the bounds are narrower than the default: say whether the answer changes on the default bounds."""
    full = default_bounds(model, parameter)
    if full[0] >= bounds[0] and full[1] <= bounds[1]:
        return []
    wide = compute_set(model, parameter, target, crit, (min(full[0], bounds[0]), max(full[1], bounds[1])), tol)
    if wide.smallest == region.smallest and wide.robust == region.robust:
        return []
    return [f"the answer depends on the bounds: on [{min(full[0], bounds[0]):g}, {max(full[1], bounds[1]):g}] the "
            f"set is {wide.describe()} (smallest {_g(wide.smallest)}, robust {_g(wide.robust)})"]


def _g(x: float | None) -> str:
    return "none" if x is None else f"{x:.6g}"


def _vectorised(model: Any, parameter: str, target: float, crit: Criterion, bounds: tuple[float, float],
                points: dict[str, Any], method: str, tol: float, func: str) -> ThresholdMap:
    flat, shape = broadcast_points(model, points, parameter, func)
    values = _point_arrays(model, flat)
    n = len(values[model.numeric_names[0]])
    smallest, robust = np.full(n, np.nan), np.full(n, np.nan)
    from_cf = np.zeros(n, dtype=bool)
    cf = derive(model, parameter) if crit.extreme is not None and method != "search" else None
    if cf is not None:
        smallest, robust, from_cf = _closed_form_answers(model, parameter, crit, cf, values, target, bounds, tol)
    if method == "closed_form":
        smallest[~from_cf], robust[~from_cf] = np.nan, np.nan
    rest = np.flatnonzero(~from_cf) if method != "closed_form" else np.zeros(0, dtype=np.intp)
    for g in rest:  # the reference path: the exact set, point by point
        point = model.with_params(**{name: float(v[g]) for name, v in flat.items()})
        region = compute_set(point, parameter, target, crit, bounds, tol)
        smallest[g] = np.nan if region.smallest is None else region.smallest
        robust[g] = np.nan if region.robust is None else region.robust
    feasible = np.isfinite(smallest)
    min_deposit = _min_cap(model, parameter, values, ~feasible, target, crit, bounds, tol)
    monotone = (np.abs(smallest - robust) <= AGREE_RTOL * (1.0 + np.abs(smallest))) | (~feasible & np.isnan(robust))
    reason = _vector_reason(n, feasible, min_deposit, monotone, rest.size, bounds)
    if method == "closed_form" and not from_cf.all():
        reason += (f"; {int((~from_cf).sum())} points without a confirmed closed form left unanswered "
                   "(method='closed_form'; 'auto' computes their exact sets)")
    used = "closed_form" if rest.size == 0 else "exact_set" if not from_cf.any() else "closed_form+exact_set"
    code = np.where(feasible, np.where(monotone, 0, 1), np.where(np.isfinite(min_deposit), 2, 3)).astype(np.int8)
    if method == "closed_form":
        code[~from_cf] = 4
    return ThresholdMap(
        model=model.name, parameter=parameter, criterion=crit.name, target_rate=target, bounds=bounds, method=used,
        threshold=smallest.reshape(shape), robust_threshold=robust.reshape(shape), feasible=feasible.reshape(shape),
        monotone=monotone.reshape(shape), from_closed_form=from_cf.reshape(shape),
        min_deposit=min_deposit.reshape(shape), code=code.reshape(shape), reason=reason,
    )


def _point_arrays(model: Any, flat: dict[str, Any]) -> dict[str, Any]:
    """Every numeric parameter of ``model`` as an array over the points (as :meth:`Model.points`, validated), the
    parameters not in ``flat`` as read-only broadcast views of their one value (no copy: 19 of the direct model's
    24 parameters, 150 MB of fresh pages at 10^6 points, about 60 ms a call)."""
    args, n = model.numeric_arguments(flat)
    return {name: np.broadcast_to(np.float64(v), (n,)) if np.ndim(v) == 0 else v for name, v in args.items()}


def _closed_form_answers(model: Any, parameter: str, crit: Criterion, cf: Any, values: dict[str, Any], target: float,
                         bounds: tuple[float, float], tol: float, size: int = 0) -> tuple[Any, Any, Any]:
    """``smallest``, ``robust`` and where the closed form answers, checked by the solver on both sides.

    A 2x2x2 model takes the compiled pass (:mod:`._fused`: formulas and check per point, the few games near a
    degeneracy checked by :func:`gametheory.solve_batch`) when there are many points (``size``, when larger than
    these, is the size of the call they belong to); other shapes evaluate the closed form over chunks of points
    (:meth:`ClosedForm.thresholds`) and check with the batch solver.
    """
    largest = crit.extreme == "largest"
    n = len(values[model.numeric_names[0]])
    if fused_applies(model, crit, cf, max(n, size)):
        got = fused_thresholds(model, cf, values, target_rate=target, bounds=bounds, largest=largest, tol=tol)
        from_cf = got["confirmed"]
        if got["deferred"].any():
            from_cf |= _solver_confirms(model, parameter, crit, values, got, got["smallest"], got["deferred"],
                                        target, bounds, tol)
        return got["smallest"], got["robust"], from_cf
    got_all = {key: np.full(n, np.nan) for key in ("smallest", "robust", *_SIDES)}
    answered = np.zeros(n, dtype=bool)
    if n > CHUNK:
        recycle_temporaries()  # the chunks' temporaries come back from the heap, not as fresh pages
    for start in range(0, n, CHUNK):  # chunks that stay in cache
        part = slice(start, min(n, start + CHUNK))
        sub = {name: v[part] for name, v in values.items()}
        got = cf.thresholds(sub, target_rate=target, bounds=bounds, largest=largest)
        answered[part] = got["answered"]
        for key, arr in got_all.items():
            arr[part] = got[key]
    smallest = got_all["smallest"]
    from_cf = answered & _solver_confirms(model, parameter, crit, values, got_all, smallest, answered, target,
                                          bounds, tol)
    return smallest, got_all["robust"], from_cf


def _solver_holds(model: Any, parameter: str, crit: Criterion, values: dict[str, Any], idx: Any, theta: Any,
                  target: float, tol: float) -> Any:
    point = {name: v[idx] for name, v in values.items() if name in model.numeric_names and name != parameter}
    point[parameter] = theta
    rate, trade = crit.rates(model, point, tol)
    return np.isfinite(rate) & (rate <= target + RATE_TOL) & ~(np.isfinite(trade) & (trade <= TRADE_TOL))


_SIDES = ("smallest_below", "smallest_above", "robust_below", "robust_above")


def _solver_confirms(model: Any, parameter: str, crit: Criterion, values: dict[str, Any], sides: dict[str, Any],
                     smallest: Any, answered: Any, target: float, bounds: tuple[float, float], tol: float) -> Any:
    """Check every formula answer with the batch solver on both sides of it.

    At the interior points of the pieces either side of ``smallest`` (and of ``robust``) the criterion must fail
    on the left and hold on the right (a threshold at the lower bound: hold inside the first piece; the game at
    the bound itself is often degenerate, e.g. no penalty at all, and costs the solver 20 times more); a point
    without one must fail at the upper bound. True where the solver agrees.
    """
    ok = answered.copy()
    checks = []  # (points, theta, expected verdict)
    same = np.isfinite(sides["robust_below"]) & (sides["robust_below"] == sides["smallest_below"])
    for side, expect in zip(_SIDES, (False, True, False, True), strict=True):
        idx = np.flatnonzero(answered & np.isfinite(sides[side]) & ~(same & side.startswith("robust")))
        checks.append((idx, sides[side][idx], expect))
    none = np.flatnonzero(answered & ~np.isfinite(smallest))
    checks.append((none, np.full(none.size, bounds[1]), False))
    idx = np.concatenate([c[0] for c in checks])
    if idx.size == 0:
        return ok
    theta = np.concatenate([c[1] for c in checks])
    expect = np.concatenate([np.full(c[0].size, c[2]) for c in checks])
    holds = np.empty(idx.size, dtype=bool)
    for start in range(0, idx.size, CHUNK * 4):
        part = slice(start, min(idx.size, start + CHUNK * 4))
        holds[part] = _solver_holds(model, parameter, crit, values, idx[part], theta[part], target, tol)
    ok[idx[holds != expect]] = False
    return ok


def _min_cap(model: Any, parameter: str, values: dict[str, Any], where: Any, target: float, crit: Criterion,
             bounds: tuple[float, float], tol: float) -> Any:
    """Where infeasible and a parameter of the model caps ``parameter``: the smallest cap value that is enough
    (with ``parameter`` at the upper bound); NaN elsewhere."""
    n = where.size
    need = np.full(n, np.nan)
    caps = [cap for cap, (capped, _) in getattr(model, "CAPS", {}).items() if capped == parameter]
    idx = np.flatnonzero(where)
    if not caps or idx.size == 0:
        return need
    cap = caps[0]
    sub = {name: v[idx] for name, v in values.items()}
    sub[parameter] = np.full(idx.size, bounds[1])
    upper = 1e3 * max(1.0, float(np.max(sub[cap])))
    cf = derive(model, cap) if crit.extreme is not None else None
    known = np.zeros(idx.size, dtype=bool)
    if cf is not None:  # every answer checked by the solver on both sides, as the thresholds themselves
        smallest, _, known = _closed_form_answers(model, cap, crit, cf, sub, target, (0.0, upper), tol, size=n)
        need[idx[known]] = smallest[known]
    for j in np.flatnonzero(~known):
        point = model.with_params(**{name: float(v[j]) for name, v in sub.items() if name in model.parameter_names})
        region = compute_set(point, cap, target, crit, (0.0, upper), tol)
        need[idx[j]] = np.nan if region.smallest is None else region.smallest
    need[idx] = np.where(need[idx] > values[cap][idx], need[idx], np.nan)
    return need


def _vector_reason(n: int, feasible: Any, min_deposit: Any, monotone: Any, fallback: int,
                   bounds: tuple[float, float]) -> str:
    n_feasible = int(feasible.sum())
    n_capped = int(np.isfinite(min_deposit).sum())
    parts = [f"feasible at {n_feasible} of {n} points"]
    if n_capped:
        parts.append(f"at {n_capped} a cap limits the parameter's effect (see min_deposit)")
    other = n - n_feasible - n_capped
    if other:
        parts.append(f"at {other} the target is not reached in {list(bounds)}")
    bumpy = int((~monotone).sum())
    if bumpy:
        parts.append(f"warning: at {bumpy} points the criterion is not monotone (threshold = smallest < "
                     "robust_threshold: it fails again above the smallest value)")
    if fallback:
        parts.append(f"{fallback} points computed by the exact set one by one (no closed form, or the batch solver "
                     "did not confirm it)")
    return "; ".join(parts)


def _kind(largest: bool) -> str:
    return "bad_end" if largest else "good_start"
