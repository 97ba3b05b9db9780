"""``gametheory optimize MODEL|all [--over P=LO:HI ...] [--constraint 'M<=X' ...] [--objective M] [--commitment]``.

The platform's policy design (:mod:`gametheory.policy`): the policy values that maximise its profit (or welfare)
subject to constraints on the equilibrium outcomes, with the binding constraints and the certificate (the
equilibria at the optimum). ``all`` compares every payment model (:func:`gametheory.policy.choose_model`).
``--commitment`` prints the best audit rate to commit to (Stackelberg leadership) against simultaneous play.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from ..errors import InvalidParameterError
from .settings import add_model_command, parse_settings
from .threshold import _jsonable

__all__ = ["register", "run"]

_CONSTRAINT = re.compile(r"^\s*([A-Za-z_]\w*)\s*(<=|>=)\s*(\S+)\s*$")


def register(subparsers: Any) -> None:
    """Add the ``optimize`` sub-command."""
    parser = add_model_command(
        subparsers, "optimize", run, json="text", model_help="model name (see `gametheory models`), or 'all'",
        settings="a parameter (with 'all', in every model that has it)",
        help="the platform's best policy (or payment model) subject to outcome constraints",
        description="Maximise the platform's profit (or welfare) over policy parameters subject to constraints on "
        "the equilibria. Example: gametheory optimize direct --over penalty_multiplier=0:5 --over audit_rate=0:1 "
        "--constraint 'counterfeit_rate<=0.02'. MODEL 'all' compares every payment model.",
    )
    parser.add_argument("--variant", default="core", help="core (default) or extended")
    parser.add_argument("--over", action="append", default=[], metavar="NAME=LO:HI|NAME=V1,V2",
                        help="a policy parameter and its range or values (repeatable; audit_rate commits the "
                        "platform; default: multiplier, deposit and audit rate where the model has them)")
    parser.add_argument("--constraint", action="append", default=[], metavar="METRIC<=X",
                        help="an outcome constraint, e.g. 'counterfeit_rate<=0.05' or 'buyer_surplus>=10'")
    parser.add_argument("--objective", default="platform_profit", help="metric to maximise (default platform_profit)")
    parser.add_argument("--equilibria", default="worst", help="worst (default: every equilibrium) or best")
    parser.add_argument("--resolution", type=int, default=21, help="grid points per range (default 21)")
    parser.add_argument("--refine", type=int, default=4, help="refinement passes (default 4)")
    parser.add_argument("--commitment", action="store_true",
                        help="print the best committed audit rate against simultaneous play instead")


def parse_over(items: list[str]) -> dict[str, Any] | None:
    """``NAME=LO:HI`` -> ``(lo, hi)``; ``NAME=V1,V2`` -> a list of values.

    Examples
    --------
    >>> parse_over(["penalty_multiplier=0:5", "deposit=200,500"])
    {'penalty_multiplier': (0.0, 5.0), 'deposit': [200.0, 500.0]}
    """
    if not items:
        return None
    out: dict[str, Any] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip():
            raise InvalidParameterError(f"--over takes NAME=LO:HI or NAME=V1,V2. Got {item!r} instead.")
        try:
            if ":" in spec:
                lo, hi = spec.split(":")
                out[name.strip()] = (float(lo), float(hi))
            else:
                out[name.strip()] = [float(v) for v in spec.split(",")]
        except ValueError:
            raise InvalidParameterError(f"--over takes numbers: NAME=LO:HI or NAME=V1,V2. Got {item!r}.") from None
    return out


def parse_constraints(items: list[str]) -> dict[str, str] | None:
    """``METRIC<=X`` / ``METRIC>=X`` -> ``{metric: "<= X"}``.

    Examples
    --------
    >>> parse_constraints(["counterfeit_rate<=0.05"])
    {'counterfeit_rate': '<= 0.05'}
    """
    if not items:
        return None
    out = {}
    for item in items:
        match = _CONSTRAINT.match(item)
        if match is None:
            raise InvalidParameterError(f"--constraint takes METRIC<=X or METRIC>=X. Got {item!r} instead.")
        out[match.group(1)] = f"{match.group(2)} {match.group(3)}"
    return out


def run(args: argparse.Namespace) -> int:
    """Optimise, print."""
    from .. import models, policy  # lazy: sympy

    params = parse_settings(args.settings)
    over, rules = parse_over(args.over), parse_constraints(args.constraint)
    common = dict(constraints=rules, equilibria=args.equilibria, resolution=args.resolution, refine=args.refine)
    if args.model == "all":
        if args.commitment:
            raise InvalidParameterError("--commitment needs one model, not 'all'.")
        choice = policy.choose_model(objective=args.objective, over=over, scenario=params, variant=args.variant,
                                     **common)
        data: dict[str, Any] = {"best": choice.best, "objective": args.objective,
                                "constraints": [repr(c) for c in next(iter(choice.optima.values())).constraints],
                                "models": choice.table.to_dict(orient="records")}
        print(json.dumps(data, indent=2, default=_jsonable) if args.json else _choice_text(choice, args.objective))
        return 0
    model = models.get(args.model, variant=args.variant, **params)
    if args.commitment:
        res = policy.commitment(model)
        data = _commitment_data(model, res)
        print(json.dumps(data, indent=2, default=_jsonable) if args.json else _commitment_text(data))
        return 0
    from ..policy.choose import policy_ranges  # lazy: sympy

    found = policy.optimize(model, args.objective, over=over or policy_ranges(model, None), **common)
    data = _optimum_data(model, found)
    print(json.dumps(data, indent=2, default=_jsonable) if args.json else _optimum_text(data))
    return 0


def _optimum_data(model: Any, found: Any) -> dict[str, Any]:
    row = found.table.iloc[0].to_dict()
    cert = found.certificate() if found.feasible else []
    players = [p for p in model.players if "audit_rate" not in found.over or p != "platform"]
    return {
        "model": model.name, "variant": model.variant, "objective": found.objective,
        "constraints": [repr(c) for c in found.constraints], "equilibria_rule": found.equilibria,
        "feasible": found.feasible, "value": found.value if found.feasible else None,
        "policy": found.policy if found.feasible else None, "binding": list(found.binding),
        "outcomes": {k: row[k] for k in row if k not in (*found.over, "value", "feasible", "binding", "equilibria")},
        "certificate": [{"profile": {p: [float(x) for x in v] for p, v in zip(players, eq.profile, strict=True)},
                         "regret": float(eq.regret)} for eq in cert],
    }


def _optimum_text(data: dict[str, Any]) -> str:
    rules = ", ".join(data["constraints"]) or "no constraints"
    lines = [f"{data['model']} ({data['variant']}): maximise {data['objective']} subject to {rules} "
             f"({data['equilibria_rule']} equilibrium)"]
    if not data["feasible"]:
        lines.append("optimum:     none: no policy searched meets the constraints")
        return "\n".join(lines)
    lines.append("optimum:     " + ", ".join(f"{k} = {v:.6g}" for k, v in data["policy"].items()))
    lines.append(f"value:       {data['objective']} = {data['value']:.6g}")
    lines.append("outcomes:    " + ", ".join(f"{k} = {v:.6g}" for k, v in data["outcomes"].items()))
    lines.append(f"binding:     {', '.join(data['binding']) or 'none'}")
    for eq in data["certificate"]:
        shown = ", ".join(f"{p} [{', '.join(f'{x:.4f}' for x in v)}]" for p, v in eq["profile"].items())
        lines.append(f"equilibrium: {shown}  (regret {eq['regret']:.1e})")
    return "\n".join(lines)


def _choice_text(choice: Any, objective: str) -> str:
    lines = [f"best payment model: {choice.best or 'none feasible'} (maximising {objective})"]
    for row in choice.table.to_dict(orient="records"):
        value = f"{row['value']:.6g}" if row["feasible"] else "infeasible"
        lines.append(f"  {row['model']:<18} {value:>12}  {row['policy']}")
    return "\n".join(lines)


def _commitment_data(model: Any, res: Any) -> dict[str, Any]:
    return {
        "model": model.name, "variant": model.variant,
        "optimistic": {"audit_rate": res.audit_rate, "platform_payoff": res.value,
                       "counterfeit_rate": res.counterfeit_rate, "audit_cost": res.audit_cost},
        "worst_case": {"audit_rate": res.audit_rate_worst, "platform_payoff": res.value_worst,
                       "counterfeit_rate": res.counterfeit_rate_worst, "audit_cost": res.audit_cost_worst,
                       "attained": res.attained_worst},
        "simultaneous": [{"audit_rate": n.audit_rate, "platform_payoff": n.platform_payoff,
                          "counterfeit_rate": n.counterfeit_rate} for n in res.nash],
        "breakpoints": list(res.breakpoints),
    }


def _commitment_text(data: dict[str, Any]) -> str:
    def line(label: str, d: dict[str, Any]) -> str:
        return (f"{label:<13} audit rate {d['audit_rate']:.6g}, platform payoff {d['platform_payoff']:.6g}, "
                f"counterfeit rate {d['counterfeit_rate']:.6g}")

    worst = data["worst_case"]
    lines = [f"{data['model']} ({data['variant']}): the platform commits to an audit rate",
             line("optimistic:", data["optimistic"]) + f", audit cost {data['optimistic']['audit_cost']:.4g}",
             line("worst case:", worst) + f", audit cost {worst['audit_cost']:.4g}"
             + ("" if worst["attained"] else " (approached, not attained)")]
    for n in data["simultaneous"]:
        lines.append(line("simultaneous:", n))
    lines.append("breakpoints:  " + (", ".join(f"{b:.6g}" for b in data["breakpoints"]) or "none"))
    return "\n".join(lines)
