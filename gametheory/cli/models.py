"""``gametheory models [NAME ...] [--json]``: the payment models and their parameters.

For each model: its name, title, players and strategies, and one row per parameter with its name, meaning,
unit, default (the model's own) and domain.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .settings import add_command

__all__ = ["register", "run", "describe"]


def register(subparsers: Any) -> None:
    """Add the ``models`` sub-command.

    Examples
    --------
    >>> from gametheory.cli import build_parser
    >>> args = build_parser().parse_args(["models", "escrow", "--json"])
    >>> args.names, args.variant, args.json
    (['escrow'], 'core', True)
    """
    parser = add_command(
        subparsers, "models", run, json="tables",
        help="list the payment models and their parameters",
        description="List the payment models with their players, strategies and parameters "
        "(name, meaning, unit, default, domain).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="models to show (default: all)")
    parser.add_argument("--variant", choices=("core", "extended"), default="core",
                        help="show the core or the extended variant's strategies and parameters")
    parser.add_argument("--model-file", metavar="TOML", help="also describe a custom model from a TOML file")


def describe(model: Any) -> dict[str, Any]:
    """A model's description as plain data (what ``--json`` prints).

    Examples
    --------
    >>> import gametheory as gt
    >>> describe(gt.models.get("escrow"))["strategies"]
    {'seller': ['Genuine', 'Counterfeit'], 'buyer': ['Accept', 'Verify'], 'platform': ['Lax', 'Audit']}
    """
    params = []
    for name in model.parameter_names:
        par = model.parameter(name)
        params.append({
            "name": name,
            "symbol": par.symbol_name,
            "meaning": par.meaning,
            "unit": par.unit,
            "default": par.default,
            "domain": str(par.domain),
        })
    return {
        "name": model.name,
        "title": model.title,
        "variant": model.variant,
        "players": list(model.players),
        "strategies": {p: list(s) for p, s in zip(model.players, model.strategies, strict=True)},
        "parameters": params,
    }


def _table(info: dict[str, Any]) -> str:
    lines = [f"{info['name']}: {info['title']} ({info['variant']})"]
    for player, strategies in info["strategies"].items():
        lines.append(f"  {player}: {', '.join(strategies)}")
    rows = [("parameter", "symbol", "unit", "default", "domain", "meaning")]
    for p in info["parameters"]:
        dom = p["domain"].replace("a float in ", "").replace("a str among ", "")
        rows.append((p["name"], p["symbol"] or "-", p["unit"], str(p["default"]), dom, p["meaning"]))
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    for r in rows:
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r[:5], widths, strict=True)) + "  " + r[5])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the models.

    Examples
    --------
    >>> import contextlib, io, json
    >>> from gametheory.cli import build_parser
    >>> args = build_parser().parse_args(["models", "escrow", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = run(args)
    >>> code, json.loads(out.getvalue())[0]["players"]
    (0, ['seller', 'buyer', 'platform'])
    """
    from .. import models  # lazy: sympy

    names = args.names or models.names()
    infos = [describe(models.get(n, variant=args.variant)) for n in names]
    if args.model_file:
        infos.append(describe(models.load_model_file(args.model_file)))
    if args.json:
        print(json.dumps(infos, indent=2))
    else:
        print("\n\n".join(_table(i) for i in infos))
    return 0
