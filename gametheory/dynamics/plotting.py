r"""Figures of the replicator dynamics (matplotlib, Agg backend): 3-D trajectories and time series, saved to files.

Imported on first use of :mod:`gametheory.dynamics.plotting`; matplotlib is not imported by the rest of the
package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._validation import validate_params
from ..errors import InvalidParameterError
from .replicator import Trajectory

__all__ = ["plot_cube", "plot_time_series"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _labels(players: Any, strategies: Any, n: int) -> list[str]:
    if players is None:
        return ["x", "y", "z"][:n] if n <= 3 else [f"x_{i + 1}" for i in range(n)]
    if strategies is None:
        return [f"{p}: first strategy" for p in players]
    return [f"{p}: {s[0]}" for p, s in zip(players, strategies, strict=True)]


def _save(plt: Any, fig: Any, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix), close it, and return the path."""
    out = Path(path)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return out


@validate_params({"trajectory": None, "path": None, "players": None, "strategies": None})
def plot_cube(trajectory: Trajectory, path: str | Path, *, players: Any = None, strategies: Any = None) -> Path:
    r"""Trajectories of a 2x2x2 game in the unit cube :math:`(x, y, z)`, saved to ``path``.

    Parameters
    ----------
    trajectory : Trajectory
        From :func:`gametheory.dynamics.simulate` on a game where three players have two strategies each.
    path : str or Path
        Output file (format from the suffix: ``.png``, ``.pdf``, ``.svg``).
    players, strategies : sequences of str, optional
        Axis labels (e.g. a model's ``players`` and ``strategies``).

    Returns
    -------
    Path
        The file written.

    Notes
    -----
    Axis :math:`i` is the share :math:`x_i` of population :math:`i` on its first strategy; starts are marked with
    dots and end points with crosses.

    References
    ----------
    .. [1] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> game = gt.NormalFormGame([[[[1, 0], [0, 0]], [[0, 0], [0, 1]]]] * 3)
    >>> run = gt.dynamics.simulate(game, [0.7, 0.7, 0.7], t_max=5)
    >>> out = gt.dynamics.plotting.plot_cube(run, pathlib.Path(tempfile.mkdtemp()) / "cube.png")
    >>> out.exists()
    True
    """
    if not isinstance(trajectory, Trajectory) or trajectory.shape != (2, 2, 2):
        raise InvalidParameterError(
            "The 'trajectory' parameter of plot_cube must be a Trajectory of a 2x2x2 game. Got "
            f"{getattr(trajectory, 'shape', type(trajectory).__name__)} instead."
        )
    plt = _pyplot()
    shares = trajectory.first_shares
    fig = plt.figure(figsize=(6, 5))
    ax = fig.add_subplot(projection="3d")
    for run in shares:
        ax.plot(run[:, 0], run[:, 1], run[:, 2], linewidth=1)
        ax.scatter(*run[0], s=12, marker="o", color="black")
        ax.scatter(*run[-1], s=30, marker="x", color="red")
    labels = _labels(players, strategies, 3)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_zlabel(labels[2])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_zlim(0, 1)
    ax.set_title("Replicator dynamics")
    return _save(plt, fig, path)


@validate_params({"trajectory": None, "path": None, "players": None, "strategies": None})
def plot_time_series(trajectory: Trajectory, path: str | Path, *, players: Any = None,
                     strategies: Any = None) -> Path:
    r"""Time series of each population's share on its first strategy (:math:`x, y, z` for 2x2x2), saved to ``path``.

    Parameters
    ----------
    trajectory, path, players, strategies
        As in :func:`plot_cube`, for a game of any shape; the labels name the panels.

    Returns
    -------
    Path
        ``path``, written.

    Notes
    -----
    One panel per population, one line per run: :math:`x_{i,1}(t)` against :math:`t`.

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, Mathematical Biosciences 40 (1978) 145-156.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> run = gt.dynamics.simulate(pennies, [0.7, 0.5], t_max=10)
    >>> gt.dynamics.plotting.plot_time_series(run, pathlib.Path(tempfile.mkdtemp()) / "t.png").suffix
    '.png'
    """
    if not isinstance(trajectory, Trajectory):
        raise InvalidParameterError(
            f"The 'trajectory' parameter of plot_time_series must be a Trajectory. Got "
            f"{type(trajectory).__name__} instead."
        )
    plt = _pyplot()
    shares = trajectory.first_shares
    n = shares.shape[-1]
    fig, axes = plt.subplots(n, 1, figsize=(6, 1.8 * n + 0.6), sharex=True, squeeze=False)
    labels = _labels(players, strategies, n)
    for i in range(n):
        ax = axes[i, 0]
        for run in shares:
            ax.plot(trajectory.times, run[:, i], linewidth=1)
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel(labels[i])
    axes[-1, 0].set_xlabel("t")
    return _save(plt, fig, path)
