r"""The smallest penalty multiplier that keeps a repeatedly selling seller honest, at its discount factor.

The future substitutes for the multiplier: at discount factor :math:`\delta` the seller is honest iff the
incentive slack of :mod:`.incentive_constraint` is non-negative,

.. math::

    \pi_C(k) - \pi_H \le P \frac{\delta}{1-\delta} \pi_H ,

and :math:`\pi_C(k)` falls in :math:`k` through the penalty :math:`\min(k p, D)` (and the fine taken from what
the deposit still holds). Each ``Min`` is split into its branches (:func:`gametheory.deterrence.symbolic.branches`);
on each branch the slack is linear in :math:`k` and its root is a closed form, valid where the branch is. Without
a future (:math:`\delta = 0`) this is Becker's :math:`k^* = g / (P p)` for the monitoring's :math:`P`; every unit
of continuation value :math:`\frac{\delta}{1-\delta}\pi_H` replaces :math:`1/p` of a multiple of the price.

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("direct")
>>> [round(gt.repeated.min_penalty_multiplier(m.with_params(discount_factor=d)).value, 4) for d in (0.0, 0.5)]
[4.0704, 3.7504]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .._validation import InstanceOf, NoneOr, validate_params
from ..deterrence.arguments import check_bounds, default_bounds
from ..deterrence.symbolic import branches
from ._points import evaluation_points
from .incentive_constraint import incentive_slack
from .incentives import check_payment_model, seller_incentives
from .result import RepeatedThreshold, package

__all__ = ["min_penalty_multiplier", "MULTIPLIER_REASONS"]

MULTIPLIER_REASONS = (
    "honest selling is sustained even at the lowest multiplier: the future and the other penalties suffice",
    "the smallest multiplier that sustains honest selling at the seller's discount factor",
    "a fake is never established under this monitoring (P = 0): no multiplier deters",
    "the deposit caps the penalty: no multiplier deters at this discount factor (raise the deposit)",
    "no multiplier within the bounds sustains honest selling",
)
_CACHE: dict[tuple[Any, ...], Any] = {}


@validate_params({"model": None, "points": NoneOr(InstanceOf(dict, description="a dict of parameter arrays")),
                  "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair"))})
def min_penalty_multiplier(model: Any, points: dict[str, Any] | None = None, *,
                           bounds: tuple[float, float] | None = None) -> RepeatedThreshold:
    r"""The smallest multiplier :math:`k` at which honest selling is subgame perfect at the model's :math:`\delta`.

    Parameters
    ----------
    model : Model
        A core payment model with a seller; ``discount_factor`` is :math:`\delta`, ``verify_rate`` and
        ``audit_rate`` the monitoring (see :func:`min_discount_factor`).
    points : dict of str to array_like, optional
        Parameter arrays (not ``penalty_multiplier``), e.g. ``{"discount_factor": np.linspace(0, 0.95, 20)}``.
    bounds : (float, float), optional
        The multipliers considered (default: the deterrence module's, ``[0, 100]``).

    Returns
    -------
    RepeatedThreshold
        :math:`k^*` per point (None/NaN with the reason where none sustains honest selling, e.g. when the deposit
        caps the penalty), the piecewise closed form, and the numeric check on either side.

    Notes
    -----
    With :math:`\pi_C(k) = \pi_C(0) - P_d \min(k p, D) - \dots` the slack is piecewise linear and non-decreasing
    in :math:`k`, so the threshold is the root of the branch that holds there.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.min_penalty_multiplier(gt.models.get("direct", deposit=100, discount_factor=0.2))
    >>> res.value is None, res.reason.startswith("the deposit caps")
    (True, True)
    """
    model = check_payment_model(model, "min_penalty_multiplier", needs=("penalty_multiplier",))
    if bounds is None:
        lo, hi = default_bounds(model, "penalty_multiplier")
    else:
        lo, hi = check_bounds(bounds, model, "penalty_multiplier", "min_penalty_multiplier")
    values, n, shape = evaluation_points(model, points, "min_penalty_multiplier", "penalty_multiplier")
    form = _form(model)
    value, code, verified = _evaluate(form, values, n, float(lo), float(hi))
    return package("penalty_multiplier", value, code, MULTIPLIER_REASONS, form["formula"], verified, shape)


def _form(model: Any) -> dict[str, Any]:
    """The slack, its per-branch roots in k and their validity conditions, lambdified (cached per structure)."""
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _CACHE:
        inc = seller_incentives(model)
        k = model.symbols["penalty_multiplier"]
        slack = incentive_slack(inc)
        args = list(inc.symbols)
        pieces = []
        for (expr,), conditions, _text in branches([slack], k):
            poly = sympy.Poly(sympy.expand(expr), k)
            if poly.degree() != 1:
                continue
            root = sympy.factor(-poly.coeff_monomial(1) / poly.coeff_monomial(k))
            pieces.append((root, conditions))
        # shown with each branch's condition on k (k p <= D, ...); evaluated at the root below
        formula = sympy.Piecewise(*[(r, sympy.And(*[c >= 0 for c in cs])) for r, cs in pieces], (sympy.nan, True))
        at = sympy.Dummy("at")
        _CACHE[key] = {
            "names": inc.arguments,
            "slack": sympy.lambdify([*args, at], slack.xreplace({k: at}), modules="numpy"),
            "detection": sympy.lambdify(args, inc.detection, modules="numpy"),
            "pieces": [sympy.lambdify(args, [r, *[c.xreplace({k: r}) for c in cs]], modules="numpy")
                       for r, cs in pieces],
            "formula": formula,
        }
    form: dict[str, Any] = _CACHE[key]
    return form


def _evaluate(form: dict[str, Any], values: dict[str, Any], n: int, lo: float, hi: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    args = [values[name] for name in form["names"]]

    def slack(at: Any) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(form["slack"](*args, at), dtype=float), (n,))

    s_lo, s_hi = slack(np.full(n, lo)), slack(np.full(n, hi))
    tol = 1e-9 * (1.0 + np.abs(s_lo) + np.abs(s_hi))
    value = np.full(n, np.nan)
    code = np.full(n, 4, dtype=np.int8)
    code[s_lo >= -tol] = 0
    value[code == 0] = lo
    undecided = (code != 0) & (s_hi >= -tol)
    best = np.full(n, np.inf)
    for piece in form["pieces"]:
        with np.errstate(all="ignore"):
            out = [np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in piece(*args)]
        root = out[0]
        ok = undecided & np.isfinite(root) & (root >= lo - 1e-12) & (root <= hi + 1e-12)
        for cond in out[1:]:
            ok &= cond >= -1e-9 * (1.0 + np.abs(root))
        safe = np.where(ok, root, lo)
        ok &= slack(np.minimum(safe + 1e-7 * np.maximum(1.0, np.abs(safe)), hi)) >= -tol
        best = np.where(ok & (root < best), root, best)
    found = np.isfinite(best)
    value[found] = np.clip(best[found], lo, hi)
    code[found] = 1
    rest = np.flatnonzero((code == 4) & ~found)
    if rest.size:
        with np.errstate(all="ignore"):
            detection = np.broadcast_to(np.asarray(form["detection"](*args), dtype=float), (n,))
        capped = np.abs(slack(np.full(n, 2.0 * hi + 1.0)) - s_hi) <= tol
        code[rest[capped[rest]]] = 3
        code[rest[detection[rest] <= 1e-15]] = 2
    step = 1e-7 * np.maximum(1.0, np.abs(np.nan_to_num(value)))
    above = slack(np.minimum(np.nan_to_num(value) + step, hi)) >= -tol
    below = slack(np.maximum(np.nan_to_num(value) - step, lo)) < tol
    verified = np.isnan(value) | (above & ((code == 0) | below))
    return value, code, verified
