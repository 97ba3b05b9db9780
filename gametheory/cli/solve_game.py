"""``gametheory solve-game FILE``: every equilibrium of a game stored in a file.

``FILE`` is a JSON game (see :mod:`gametheory.io.json_format`), a Gambit ``.nfg`` or a Gambit ``.efg`` tree
(solved on its reduced normal form, or for its subgame-perfect equilibria with ``--method backward_induction``).
The equilibria are printed as an aligned table (one row per player: strategies with probabilities, payoff;
the equilibrium's regret and degeneracy on its first row), or as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from typing import Any

import gametheory as gt

from ..errors import SolverError
from ..games.normal_form import DEFAULT_TOL
from ..io import load_game
from ..solvers.extensive.backward_induction import backward_induction
from ._limits import add_limit_options
from .settings import add_command

__all__ = ["register", "run"]

BACKWARD = "backward_induction"


def register(subparsers: Any) -> None:
    """Add the ``solve-game`` sub-command.

    Examples
    --------
    >>> from gametheory.cli import build_parser
    >>> args = build_parser("solve-game").parse_args(["solve-game", "game.nfg", "--json"])
    >>> args.method, args.tol, args.json  # the default method and tolerance
    ('auto', None, True)
    """
    parser = add_command(
        subparsers, "solve-game", run, json="a table",
        help="every equilibrium of a game file (.json, .nfg, .efg)",
        description="Solve a game stored in a file: JSON (players, strategies, payoffs[player][a1]...[an]), "
        "Gambit .nfg, or Gambit .efg (solved on its reduced normal form).",
    )
    parser.add_argument("file", metavar="FILE", help="game file: .json, .nfg or .efg")
    parser.add_argument(
        "--method",
        default="auto",
        help="solver: auto (default), pure, support_enumeration, vertex_enumeration, lemke_howson, closed_form; "
        f"or {BACKWARD} for perfect-information .efg trees (subgame-perfect equilibria)",
    )
    parser.add_argument("--tol", type=float, default=None, help="tolerance relative to the payoff scale")
    add_limit_options(parser, points=False)


def run(args: argparse.Namespace) -> int:
    """Load, solve and print; errors propagate as library errors (one line, exit 2).

    Examples
    --------
    >>> import contextlib, io, json, pathlib, tempfile
    >>> import gametheory as gt
    >>> from gametheory.cli import build_parser
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pd.json"
    >>> gt.io.save_game(gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]), path)
    >>> args = build_parser().parse_args(["solve-game", str(path), "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = run(args)
    >>> code, [e["profile"] for e in json.loads(out.getvalue())["equilibria"]]
    (0, [[[0.0, 1.0], [0.0, 1.0]]])
    """
    tol = DEFAULT_TOL if args.tol is None else args.tol
    game = load_game(args.file)
    tree = game if isinstance(game, gt.ExtensiveFormGame) else None
    if args.method == BACKWARD:
        if tree is None:
            raise SolverError(f"{BACKWARD} needs a game tree (.efg file); {args.file} holds a normal-form game.")

        result = backward_induction(tree, tol=tol)
        print(json.dumps(_spe_json(tree, result), indent=2) if args.json else _spe_table(args.file, tree, result))
        return 0
    nf = tree.to_normal_form() if tree is not None else game
    eqs = gt.solve(nf, method=args.method, tol=tol, max_seconds=args.max_seconds)
    print(json.dumps(_nash_json(nf, eqs), indent=2) if args.json else _nash_table(args.file, nf, eqs, tree))
    return 0


# ---------------------------------------------------------------------- tables
def _nash_table(path: str, game: Any, eqs: Any, tree: Any) -> str:
    dims = "x".join(map(str, game.shape))
    form = f"reduced normal form {dims} of a game tree" if tree is not None else f"{dims} normal form"
    lines = [
        f"{path}: {game.n_players} players ({', '.join(game.players)}), {form}",
        f"method: {eqs.method}   complete: {_yes(eqs.complete)}   degenerate: {_yes(eqs.degenerate)}   "
        f"exact: {_yes(eqs.exact)}   equilibria: {len(eqs)}",
    ]
    if eqs.message:
        lines.append(f"note: {eqs.message}")
    rows = []
    for k, eq in enumerate(eqs):
        vectors = eq.exact if eq.exact is not None else eq.profile
        payoffs = _exact_payoffs(game, eq)
        note = f"degenerate (component {eq.component})" if eq.degenerate else ""
        for i, player in enumerate(game.players):
            mix = ", ".join(
                f"{label}={_prob(p)}" for label, p in zip(game.strategies[i], vectors[i], strict=True) if p > 1e-12
            )
            first = i == 0
            rows.append([str(k + 1) if first else "", player, mix, _num(payoffs[i]),
                         f"{eq.regret:.2g}" if first else "", note if first else ""])
    has_note = any(r[-1] for r in rows)
    header = ["#", "player", "strategies", "payoff", "regret"] + (["note"] if has_note else [])
    body = [r if has_note else r[:-1] for r in rows]
    return "\n".join([*lines, "", *_align(header, body, right={0, 3, 4})])


def _spe_table(path: str, tree: Any, result: Any) -> str:
    lines = [
        f"{path}: {tree.n_players} players ({', '.join(tree.players)}), game tree with perfect information",
        f"method: {result.method}   complete: {_yes(result.complete)}   ties: {_yes(result.ties)}   "
        f"exact: {_yes(result.exact)}   subgame-perfect equilibria: {len(result)}",
        "",
    ]
    rows = []
    for k, eq in enumerate(result):
        for i, player in enumerate(tree.players):
            plan = ", ".join(f"{h}: {a}" for h, a in eq.plan[player].items()) or "-"
            payoff = eq.exact_payoffs[i] if eq.exact_payoffs is not None else eq.payoffs[i]
            rows.append([str(k + 1) if i == 0 else "", player, plan, eq.strategies[i], _num(payoff)])
        play = "; ".join(" > ".join(p) + ("" if prob == 1 else f" ({_prob(prob)})") for p, prob in eq.paths)
        rows.append(["", "path", play, "", ""])
    return "\n".join([*lines, *_align(["#", "player", "plan", "strategy", "payoff"], rows, right={0, 4})])


def _align(header: list[str], rows: list[list[str]], *, right: set[int]) -> list[str]:
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]

    def line(row: list[str]) -> str:
        cells = [cell.rjust(w) if c in right else cell.ljust(w) for c, (cell, w) in enumerate(zip(row, widths,
                                                                                                   strict=True))]
        return "  ".join(cells).rstrip()

    return [line(header), *(line(r) for r in rows)]


# ---------------------------------------------------------------------- JSON
def _nash_json(game: Any, eqs: Any) -> dict[str, Any]:
    return {
        "players": list(game.players),
        "strategies": [list(s) for s in game.strategies],
        "method": eqs.method,
        "complete": bool(eqs.complete),
        "degenerate": bool(eqs.degenerate),
        "exact": bool(eqs.exact),
        "tol": eqs.tol,
        "message": eqs.message,
        "equilibria": [
            {
                "profile": [[float(p) for p in v] for v in eq.profile],
                "profile_exact": None if eq.exact is None else [[_frac(p) for p in v] for v in eq.exact],
                "payoffs": [float(u) for u in eq.payoffs],
                "regret": float(eq.regret),
                "degenerate": bool(eq.degenerate),
                "component": eq.component,
            }
            for eq in eqs
        ],
    }


def _spe_json(tree: Any, result: Any) -> dict[str, Any]:
    return {
        "players": list(tree.players),
        "method": result.method,
        "complete": result.complete,
        "ties": result.ties,
        "exact": result.exact,
        "tol": result.tol,
        "equilibria": [
            {
                "plan": eq.plan,
                "paths": [{"path": list(p), "probability": float(prob)} for p, prob in eq.paths],
                "payoffs": [float(u) for u in eq.payoffs],
                "strategies": list(eq.strategies),
                "profile": list(eq.profile),
            }
            for eq in result
        ],
    }


# ---------------------------------------------------------------------- formatting
def _exact_payoffs(game: Any, eq: Any) -> Any:
    if eq.exact is None or not game.is_exact:
        return eq.payoffs
    import numpy as np

    return game.expected_payoffs([np.array(v, dtype=object) for v in eq.exact])


def _prob(p: Any) -> str:
    if isinstance(p, Fraction):
        return str(p)
    return f"{float(p):.4g}"


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x)
    return f"{float(x):.6g}"


def _frac(p: Any) -> str:
    return str(Fraction(p))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
