"""``gametheory threshold MODEL [--set name=value ...] [--variant V] [--parameter P] [--target-rate R] [--json]``.

The set of values of a policy parameter (default the penalty multiplier) at which counterfeiting disappears, or
falls to the target rate, under a criterion on the equilibria (:func:`gametheory.deterrence.deterrence_set`), and
its three thresholds: the smallest value that deters, the robust one (every larger value deters too) and whether
they coincide. Prints the set with its breakpoints and pieces, the threshold (or why none exists, and the
smallest sufficient deposit when the deposit caps the penalty), the formula, and the certificate: the counterfeit
rate and the seller's payoff gap just below and just above the threshold.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
from typing import Any

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from .settings import add_model_command, parse_settings

__all__ = ["register", "run", "result"]


def register(subparsers: Any) -> None:
    """Add the ``threshold`` sub-command."""
    parser = add_model_command(
        subparsers, "threshold", run, json="text",
        help="smallest penalty multiplier (or deposit, audit rate, cover, fine) that deters counterfeiting",
        description="The smallest value of a policy parameter at which the counterfeit rate meets a target in the "
        "equilibria. Example: gametheory threshold direct --target-rate 0.05 --set deposit=1000",
    )
    parser.add_argument("--variant", choices=("core", "extended"), default="core",
                        help="core (default) or extended (non-delivery, abstaining, false claims, hunters)")
    parser.add_argument("--parameter", default="penalty_multiplier",
                        help="the policy parameter to minimise (default: penalty_multiplier)")
    parser.add_argument("--target-rate", type=float, default=0.0, help="counterfeit rate to reach (default: 0)")
    parser.add_argument("--criterion", default="all_equilibria",
                        help="a registered criterion: all_equilibria (default), some_equilibrium, stable_states, "
                        "subgame_perfect, ...")
    parser.add_argument("--lower", type=float, default=None, help="lower end of the search (default: domain)")
    parser.add_argument("--upper", type=float, default=None, help="upper end of the search (default: 100 for k)")
    parser.add_argument("--method", default="auto",
                        help="auto (default), closed_form (attach the formula) or search (the exact set only)")
    parser.add_argument("--window", action="store_true",
                        help="also report the window [k_min, k_max) before false claims pay (penalty multiplier)")


def _bounds(args: argparse.Namespace, model: Any) -> tuple[float, float] | None:
    if args.lower is None and args.upper is None:
        return None
    from ..deterrence.arguments import default_bounds  # lazy: pandas, sympy

    lo, hi = default_bounds(model, args.parameter) if args.parameter in model.parameter_names else (0.0, 100.0)
    lo, hi = (lo if args.lower is None else args.lower, hi if args.upper is None else args.upper)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
        given = " and ".join(f"--{side} {value:g}" for side, value in (("lower", args.lower), ("upper", args.upper))
                             if value is not None)
        missing = "" if args.lower is not None and args.upper is not None else (
            f" (the default --{'lower' if args.lower is None else 'upper'} is {lo if args.lower is None else hi:g})")
        raise InvalidParameterError(
            f"--lower and --upper must be finite numbers with --lower <= --upper{missing}. Got {given} instead."
        )
    return lo, hi


#: the Python parameter behind each option of ``gametheory threshold`` (error messages name the option)
_OPTIONS = {"target_rate": "--target-rate", "criterion": "--criterion", "bounds": "--lower/--upper",
            "method": "--method", "parameter": "--parameter"}
_API = re.compile(r"The '(\w+)' parameter of (?:min_value|min_penalty_multiplier|deterrence_window|deterrence_set)\b")


def _as_options(exc: InvalidParameterError) -> InvalidParameterError:
    """The API's error with each parameter named as the option the user typed (``--target-rate``, ...).

    Examples
    --------
    >>> str(_as_options(InvalidParameterError("The 'target_rate' parameter of min_value must be a float in [0, 1]. "
    ...                                        "Got 1.2 instead.")))
    'The --target-rate option of gametheory threshold must be a float in [0, 1]. Got 1.2 instead.'
    """
    def option(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"The {_OPTIONS[name]} option of gametheory threshold" if name in _OPTIONS else match.group(0)

    text = _API.sub(option, str(exc))
    if text == str(exc):
        return exc
    new = InvalidParameterError(text)
    new.__cause__ = exc
    return new


def result(res: Any, model: Any, window: Any = None) -> dict[str, Any]:
    """The answer as plain data (what ``--json`` prints)."""
    cert = dataclasses.asdict(res.certificate) if res.certificate is not None else None

    def eqs(found: Any) -> list[dict[str, Any]] | None:
        if found is None:
            return None
        return [{p: [float(x) for x in v] for p, v in zip(model.players, eq.profile, strict=True)} for eq in found]

    data = {
        "model": model.name,
        "variant": model.variant,
        "changed": {k: v for k, v in model.params.items() if v != model.parameter(k).default},
        "parameter": res.parameter,
        "criterion": res.criterion,
        "target_rate": res.target_rate,
        "bounds": list(res.bounds),
        "feasible": bool(res.feasible),
        "threshold": res.threshold,
        "reason": res.reason,
        "method": res.method,
        "min_deposit": res.min_deposit,
        "formula": _formula(res.closed_form),
        "formula_conditions": _conditions(res.closed_form),
        "certificate": cert,
        "below": eqs(res.below),
        "above": eqs(res.above),
        "robust_threshold": res.robust_threshold,
        "monotone": bool(res.monotone),
        "deterrence_set": res.deterrence_set.as_dict() if res.deterrence_set is not None else None,
    }
    if window is not None:
        data["window"] = {"k_min": window.k_min, "k_max": window.k_max, "empty": window.empty,
                          "reason": window.reason}
    return data


def _text(data: dict[str, Any]) -> str:
    changed = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in data["changed"].items())
    rate = "no counterfeiting" if data["target_rate"] == 0 else f"counterfeit rate <= {data['target_rate']:g}"
    lines = [
        f"{data['model']} ({data['variant']}), {changed or 'defaults'}",
        f"smallest {data['parameter']} in [{data['bounds'][0]:g}, {data['bounds'][1]:g}] with {rate} "
        f"({data['criterion']})",
    ]
    region = data["deterrence_set"]
    if region is not None:
        exact = "exact" if region["exact"] else "breakpoints partly by bisection"
        lines.append(f"deters on:   {region['set']}  ({exact})")
        if region["no_trade"]:
            shown = " U ".join(_interval(iv) for iv in region["no_trade"])
            lines.append(f"no trade:    {shown} (holds only because nothing is sold; not counted)")
    if data["feasible"]:
        lines.append(f"threshold:   {data['parameter']} = {data['threshold']:.10g}  [{data['method']}] (smallest)")
        robust = data["robust_threshold"]
        mark = "" if data["monotone"] else "  <- NOT MONOTONE: differs from the smallest"
        if robust is None:
            lines.append(f"robust:      none (the criterion fails at the upper bound {data['bounds'][1]:g}){mark}")
        else:
            lines.append(f"robust:      {data['parameter']} = {robust:.10g} (every larger value deters){mark}")
    else:
        lines.append("threshold:   none (infeasible)")
    lines.append(f"why:         {data['reason']}")
    if data["min_deposit"] is not None and not math.isnan(data["min_deposit"]):
        lines.append(f"min deposit: {data['min_deposit']:.10g} (the smallest deposit with which the target is met)")
    if data["formula"]:
        lines.append(f"formula:     {res_symbol(data['parameter'])}* = {data['formula']}  (tau = target rate)")
        if data["formula_conditions"]:
            lines.append(f"  valid where: {data['formula_conditions']}")
    cert = data["certificate"]
    if cert:
        lines.append(
            f"certificate: at {data['parameter']} = {cert['value']:.8g} -/+ {cert['epsilon']:.1e} the deciding "
            f"counterfeit rate is {cert['rate_below']:.8g} -> {cert['rate_above']:.8g} "
            f"(holds: {cert['holds_below']} -> {cert['holds_above']}); seller's gain from Counterfeit over "
            f"Genuine {cert['gap_below']:.6g} -> {cert['gap_above']:.6g} "
            f"(at the threshold {cert['gap_at_threshold']:.3g})"
        )
    for side in ("below", "above"):
        if data[side]:
            shown = "; ".join(
                ", ".join(f"{p} [{', '.join(f'{x:.4f}' for x in v)}]" for p, v in eq.items()) for eq in data[side]
            )
            lines.append(f"just {side}: {shown}")
    if region is not None and region["breakpoints"]:
        lines.append("pieces:")
        for piece in region["pieces"]:
            rate = "n/a" if piece["rate"] is None else f"{piece['rate']:.6g}"
            lines.append(f"  ({piece['lower']:.8g}, {piece['upper']:.8g})  {piece['status']:<8} rate {rate:<10} "
                         f"{piece['regime']}")
    if "window" in data:
        w = data["window"]
        lines.append(f"window:      {w['reason']}  (k_min: deterrence in the core game; k_max: false claims in the "
                     "extended game)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Build the model, search, print."""
    from .. import deterrence, models  # lazy: pandas, sympy

    params = parse_settings(args.settings)
    model = models.get(args.model, variant=args.variant, **params)
    if args.parameter not in model.parameter_names:
        raise unknown_name_error(f"parameter of model {model.name!r}", args.parameter, model.parameter_names)
    if args.window and args.parameter != "penalty_multiplier":
        raise InvalidParameterError("--window applies to the penalty multiplier only (drop --parameter).")
    bounds = _bounds(args, model)
    try:
        res = deterrence.min_value(model, args.parameter, target_rate=args.target_rate, criterion=args.criterion,
                                   bounds=bounds, method=args.method)
        window = None
        if args.window:
            window = deterrence.deterrence_window(model, target_rate=args.target_rate, criterion=args.criterion,
                                                  bounds=bounds)
    except InvalidParameterError as exc:
        raise _as_options(exc) from exc
    data = result(res, model, window)
    print(json.dumps(data, indent=2, default=_jsonable) if args.json else _text(data))
    return 0


def _interval(iv: dict[str, Any]) -> str:
    left = "[" if iv["closed_lower"] else "("
    right = "]" if iv["closed_upper"] else ")"
    return f"{left}{iv['lower']:.10g}, {iv['upper']:.10g}{right}"


def _formula(expr: Any) -> str | None:
    if expr is None:
        return None
    import sympy

    if isinstance(expr, sympy.Piecewise):
        return str(expr.args[0][0])
    return str(expr)


def _conditions(expr: Any) -> str | None:
    if expr is None:
        return None
    import sympy

    if isinstance(expr, sympy.Piecewise) and expr.args[0][1] is not sympy.true:
        return str(expr.args[0][1])
    return None


def res_symbol(parameter: str) -> str:
    """The parameter's symbol (``k`` for the penalty multiplier), or its name."""
    from ..models import VOCABULARY  # lazy: sympy

    entry = VOCABULARY.get(parameter)
    return entry.symbol_name if entry is not None and entry.symbol_name is not None else parameter


def _jsonable(x: Any) -> Any:
    try:
        return float(x)
    except (TypeError, ValueError):
        return str(x)
