"""``gametheory solve MODEL [--set name=value ...] [--variant extended] [--json]``: every equilibrium of a model.

Builds the model's game at the given parameters (the others at their defaults), solves it (``--method``,
default ``auto``) and prints every equilibrium: each player's mixed strategy and payoff, the regret, and the
outcome metrics (counterfeit rate, false-claim rate, surplus and profits, welfare, funds held). ``--model-file``
solves a custom model from a TOML file instead (:mod:`gametheory.models.custom`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import gametheory as gt

from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from ._limits import add_limit_options
from .settings import add_model_command, parse_settings

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``solve`` sub-command.

    Examples
    --------
    >>> from gametheory.cli import build_parser
    >>> args = build_parser().parse_args(["solve", "escrow", "--set", "penalty_multiplier=3"])
    >>> args.model, args.settings, args.method
    ('escrow', ['penalty_multiplier=3'], 'auto')
    """
    parser = add_model_command(
        subparsers, "solve", run, json="text",
        help="every equilibrium of a payment model, with outcome metrics",
        description="Solve a payment model at given parameters and print every equilibrium with its outcome "
        "metrics. Example: gametheory solve direct --set penalty_multiplier=3 --set deposit=1000",
        optional=True,
    )
    parser.add_argument("--variant", choices=("core", "extended"), default="core", help="core (default) or extended")
    parser.add_argument("--model-file", metavar="TOML", help="a custom model from a TOML file instead of MODEL")
    parser.add_argument("--method", default="auto", help="solver method (default: auto)")
    parser.add_argument("--tol", type=float, default=None, help="tolerance relative to the payoff scale")
    add_limit_options(parser, points=False)


def _model(args: argparse.Namespace) -> Any:
    from .. import models  # lazy: sympy

    params = parse_settings(args.settings)
    if args.model_file:
        if args.model:
            raise InvalidParameterError("Give either MODEL or --model-file, not both.")
        return models.load_model_file(args.model_file).with_params(**params)
    if not args.model:
        raise InvalidParameterError(f"Name a model: one of {', '.join(models.names())} (or use --model-file).")
    return models.get(args.model, variant=args.variant, **params)


def result(model: Any, eqs: Any) -> dict[str, Any]:
    """The solution as plain data (what ``--json`` prints)."""
    changed = {k: v for k, v in model.params.items() if v != model.parameter(k).default}
    items = []
    for eq in eqs:
        items.append({
            "profile": {p: {s: float(x) for s, x in zip(labels, vec, strict=True)}
                        for p, labels, vec in zip(model.players, model.strategies, eq.profile, strict=True)},
            "payoffs": {p: float(x) for p, x in zip(model.players, eq.payoffs, strict=True)},
            "regret": float(eq.regret),
            "degenerate": bool(eq.degenerate),
            "outcomes": model.outcomes(eq),
        })
    return {
        "model": model.name,
        "variant": model.variant,
        "parameters": model.params,
        "changed": changed,
        "method": eqs.method,
        "complete": eqs.complete,
        "degenerate": eqs.degenerate,
        "message": eqs.message,
        "equilibria": items,
    }


def _rate_note(eq: dict[str, Any]) -> str:
    """Why ``counterfeit_rate`` differs from the seller's Counterfeit probability, when it does ("" otherwise).

    The rate counts fakes per transaction opportunity (Counterfeit played *and* an order placed, and for cash
    on delivery the parcel accepted), so it is below the seller's Counterfeit probability when some buyers do
    not order (for example hunters who pass).

    Examples
    --------
    >>> _rate_note({"profile": {"seller": {"Counterfeit": 0.5}},
    ...             "outcomes": {"counterfeit_rate": 0.45, "trade_rate": 0.9}}).split(": ")[1]
    'seller Counterfeit 0.5000 x trade_rate 0.9000'
    """
    fake = eq.get("profile", {}).get("seller", {}).get("Counterfeit")
    out = eq.get("outcomes", {})
    rate, trade = out.get("counterfeit_rate"), out.get("trade_rate")
    if fake is None or rate is None or trade is None or abs(rate - fake) <= 5e-5:
        return ""
    text = (f"counterfeit_rate {rate:.4f} is per transaction opportunity (Counterfeit played and an order placed): "
            f"seller Counterfeit {fake:.4f} x trade_rate {trade:.4f}")
    if abs(rate - fake * trade) > 5e-5:
        text += f" = {fake * trade:.4f} (fakes_shipped), times the share of shipped fakes the buyer accepts"
    return text


def _text(data: dict[str, Any]) -> str:
    changed = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in data["changed"].items())
    lines = [
        f"{data['model']} ({data['variant']}), {changed or 'defaults'}",
        f"{len(data['equilibria'])} equilibri{'um' if len(data['equilibria']) == 1 else 'a'} "
        f"(method {data['method']}, complete={data['complete']}, degenerate={data['degenerate']})",
    ]
    if not data["complete"]:
        lines.append("INCOMPLETE: the solver does not guarantee that every equilibrium is listed"
                     + (f" ({data['message']})" if data.get("message") else ""))
    for k, eq in enumerate(data["equilibria"], 1):
        lines.append(f"\nequilibrium {k}: regret {eq['regret']:.1e}")
        for player, mix in eq["profile"].items():
            plays = ", ".join(f"{s} {x:.4f}" for s, x in mix.items() if x > 1e-12)
            lines.append(f"  {player:<9} {plays:<44} payoff {eq['payoffs'][player]:10.4f}")
        lines.append("  outcomes: " + ", ".join(f"{m} {v:.4f}" for m, v in eq["outcomes"].items()))
        note = _rate_note(eq)
        if note:
            lines.append("  " + note)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Build, solve, print.

    Examples
    --------
    >>> import contextlib, io
    >>> from gametheory.cli import build_parser
    >>> args = build_parser().parse_args(["solve", "escrow", "--set", "penalty_multiplier=3"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = run(args)
    >>> code, out.getvalue().splitlines()[0]
    (0, 'escrow (core), penalty_multiplier=3')
    """
    model = _model(args)
    eqs = gt.solve(model.game(), method=args.method, tol=DEFAULT_TOL if args.tol is None else args.tol,
                   max_seconds=args.max_seconds)
    data = result(model, eqs)
    print(json.dumps(data, indent=2) if args.json else _text(data))
    return 0
