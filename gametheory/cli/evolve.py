"""``gametheory evolve MODEL [--set name=value ...] [--start x,y,z] [--plot out.png]``: replicator dynamics.

Prints every rest point of the model's game with its eigenvalues and stability, the stable states, and the
symbolic corner conditions (eigenvalues at every pure corner in the model's parameters). ``--start`` integrates
one trajectory (the share of each population on its first strategy, or a full flat state) and prints where it
ends; ``--plot`` saves the trajectory figure (the unit cube for 2x2x2 games, else time series).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from .._derived import derived
from ..errors import InvalidParameterError
from .settings import add_model_command, parse_settings

__all__ = ["register", "run", "plot_path", "corner_table"]


def register(subparsers: Any) -> None:
    """Add the ``evolve`` sub-command.

    Examples
    --------
    >>> from gametheory.cli import build_parser
    >>> build_parser("evolve").parse_args(["evolve", "escrow", "--no-symbolic"]).no_symbolic
    True
    """
    parser = add_model_command(
        subparsers, "evolve", run,
        help="replicator dynamics of a payment model: rest points, eigenvalues, stability, corner conditions",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--start", default=None, metavar="X,Y,Z",
                        help="integrate from this state: shares on each population's first strategy")
    parser.add_argument("--t-max", type=float, default=None, help="integration time (default: 1000 / payoff range)")
    parser.add_argument("--plot", default=None, metavar="FILE", help="save the trajectory figure (needs --start "
                        "or uses 8 random starts)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random starts of --plot (default 0)")
    parser.add_argument("--no-symbolic", action="store_true", help="skip the symbolic corner conditions")
    parser.add_argument("--latex", action="store_true", help="print the corner conditions as a LaTeX table")


def _parse_start(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise InvalidParameterError(
            f"--start expects comma-separated numbers, e.g. 0.5,0.5,0.5. Got {text!r} instead."
        ) from None


def plot_path(text: str) -> Path:
    """The file ``--plot`` writes: a folder is refused, a name without a suffix gets ``.png``.

    Examples
    --------
    >>> str(plot_path("out/cube")), str(plot_path("cube.pdf"))
    ('out/cube.png', 'cube.pdf')
    """
    path = Path(text)
    if path.is_dir():
        raise InvalidParameterError(
            f"--plot names the figure file to write (.png, .pdf or .svg). Got {text!r}, a folder, instead."
        )
    return path if path.suffix else path.with_name(path.name + ".png")  # what matplotlib would write


def corner_table(model: Any, *, latex: bool = False) -> str:
    """The printed table of :func:`gametheory.dynamics.corner_conditions` (text, or LaTeX with ``latex``), kept on
    disk for the built-in models: a warm query prints it without sympy. Stored text is only printed, never read
    as formulas.

    Examples
    --------
    >>> import gametheory as gt
    >>> "E8 (Counterfeit, Verify, Audit) | (0, 0, 0)" in corner_table(gt.models.get("direct"))
    True
    """
    from ..dynamics import symbolic  # lazy: scipy, sympy

    def derive(m: Any) -> dict[str, str]:
        table = symbolic.corner_conditions(m)
        return {"text": str(table), "latex": table.to_latex()}

    def assemble(m: Any, data: dict[str, Any]) -> str:
        text = data["latex" if latex else "text"]
        if not isinstance(text, str):
            raise TypeError("the stored table is not text")
        return text

    return derived(model, "corner conditions table", (symbolic.__file__, __file__), derive, assemble)


def run(args: argparse.Namespace) -> int:
    """Print the analysis; returns the exit code.

    Examples
    --------
    >>> import contextlib, io
    >>> from gametheory.cli import build_parser
    >>> args = build_parser().parse_args(["evolve", "escrow", "--no-symbolic"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = run(args)
    >>> code, out.getvalue().splitlines()[0]
    (0, 'Escrow(): replicator dynamics, one population per player (seller, buyer, platform)')
    """
    from .. import dynamics, models  # lazy: scipy, sympy

    model = models.get(args.model, **parse_settings(args.settings))
    figure = plot_path(args.plot) if args.plot else None
    game = model.game()
    if args.t_max is not None:  # refused before any other work, not after the rest points are printed
        from ..dynamics.replicator import horizon  # lazy: scipy, sympy

        horizon(game, args.t_max, what="--t-max")
    print(f"{model!r}: replicator dynamics, one population per player ({', '.join(game.players)})")
    analysis = dynamics.analyze(game)
    print()
    print("Rest points (eigenvalues of the Jacobian on the product of simplices):")
    print(analysis)
    stable = analysis.stable
    print()
    if stable:
        print("Stable states (evolutionarily stable): " + "; ".join(s.label for s in stable))
    else:
        print("Stable states: none (no strict Nash equilibrium; the dynamics do not settle at a corner)")
    if not args.no_symbolic:
        print()
        print("Corner conditions (a corner is stable iff every eigenvalue is negative):")
        print(corner_table(model, latex=args.latex))
    run_ = None
    if args.start is not None:
        run_ = dynamics.simulate(game, _parse_start(args.start), t_max=args.t_max, n_times=1001)
        end = run_.final[0]
        blocks = np.split(end, np.cumsum(game.shape)[:-1])  # each population's share vector
        text = "; ".join(f"{p}: " + ", ".join(f"{s}={v:.4f}" for s, v in zip(game.strategies[i], b, strict=True))
                         for i, (p, b) in enumerate(zip(game.players, blocks, strict=True)))
        print()
        print(f"Trajectory from {args.start} to t={run_.times[-1]:g} ({run_.message}): {text}")
    if figure is not None:
        from ..dynamics import plotting  # lazy: scipy, sympy

        if run_ is None:
            run_ = dynamics.simulate(game, n_random=8, t_max=args.t_max, n_times=1001, seed=args.seed)
        if game.shape == (2, 2, 2):
            out = plotting.plot_cube(run_, figure, players=game.players, strategies=game.strategies)
        else:
            out = plotting.plot_time_series(run_, figure, players=game.players, strategies=game.strategies)
        print(f"Figure written to {out}")
    return 0
