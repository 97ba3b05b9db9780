"""The result of solving a whole :class:`~gametheory.games.batch.GameBatch` at once: arrays, not lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from ..games.batch import pad_profiles
from ..games.equilibrium import Equilibria, Equilibrium

__all__ = ["BatchSolution"]


@dataclass(frozen=True, eq=False)
class BatchSolution(FrozenResult):
    """Every equilibrium of every game of a batch, padded to the largest count ``K``.

    Attributes
    ----------
    profiles : ndarray, shape (N, K, n_players, max_strategies)
        ``profiles[g, e, i, s]`` is the probability that player ``i`` plays ``s`` in equilibrium ``e`` of game
        ``g``; NaN beyond ``counts[g]`` and beyond a player's own number of strategies.
    payoffs : ndarray, shape (N, K, n_players)
        Expected payoffs at each equilibrium (NaN padded).
    regrets : ndarray, shape (N, K)
        Regret of each equilibrium (NaN padded).
    counts : ndarray of int, shape (N,)
        Number of equilibria listed for each game.
    degenerate : ndarray of bool, shape (N,)
        True where the game has a continuum of equilibria (then the listed ones are extreme points of it).
    component : ndarray of int, shape (N, K)
        Component index of each listed equilibrium (-1 padding); equal indices lie in one continuum.
    shape : tuple of int
        Strategies per player.
    method : str
        The solver used.
    tol : float
        The tolerance used.
    complete : ndarray of bool, shape (N,)
        True where the list is guaranteed to hold every equilibrium (every extreme point of each continuum);
        all True when not given.
    fallback : ndarray of bool, shape (N,)
        True where the game was solved per game by the reference path instead of the batch kernel; all False
        when not given.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    >>> sol = gt.solve_batch(gt.GameBatch([pennies]))
    >>> sol.counts.tolist(), sol.profiles.shape
    ([1], (1, 1, 2, 2))
    >>> [[float(p) for p in v] for v in sol.equilibria(0)[0].profile]
    [[0.5, 0.5], [0.5, 0.5]]
    """

    profiles: npt.NDArray[np.float64]
    payoffs: npt.NDArray[np.float64]
    regrets: npt.NDArray[np.float64]
    counts: npt.NDArray[np.int64]
    degenerate: npt.NDArray[np.bool_]
    component: npt.NDArray[np.int64]
    shape: tuple[int, ...]
    method: str
    tol: float
    complete: npt.NDArray[np.bool_] | None = None
    fallback: npt.NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        n = self.counts.shape[0]
        if self.complete is None:
            object.__setattr__(self, "complete", np.ones(n, dtype=bool))
        if self.fallback is None:
            object.__setattr__(self, "fallback", np.zeros(n, dtype=bool))

    def __len__(self) -> int:
        return int(self.counts.shape[0])

    def __repr__(self) -> str:
        """A summary that says why the arrays hold NaN (padding past each game's count), not the arrays.

        >>> import gametheory as gt
        >>> gt.solve_batch(gt.GameBatch([[[[1, 0], [0, 1]], [[1, 0], [0, 1]]]]))
        BatchSolution(1 games of shape 2x2, 3 equilibria each, method='closed_form', tol=1e-09)
        """
        dims = "x".join(map(str, self.shape))
        low, high = (int(self.counts.min()), int(self.counts.max())) if len(self) else (0, 0)
        each = f"{low} equilibria each" if low == high else (
            f"{low} to {high} equilibria per game (arrays padded with NaN past each game's count: see .valid)")
        degenerate = f", {int(self.degenerate.sum())} degenerate" if self.degenerate.any() else ""
        return (f"BatchSolution({len(self)} games of shape {dims}, {each}{degenerate}, method={self.method!r}, "
                f"tol={self.tol:g})")

    @property
    def valid(self) -> npt.NDArray[np.bool_]:
        """Boolean ``(N, K)``: True where ``profiles[g, e]`` is a real equilibrium rather than padding."""
        return np.arange(self.profiles.shape[1])[None, :] < self.counts[:, None]

    def equilibria(self, g: int) -> Equilibria:
        """The equilibria of game ``g`` as an :class:`Equilibria` list."""
        eqs = []
        for e in range(int(self.counts[g])):
            profile = tuple(self.profiles[g, e, i, :s].copy() for i, s in enumerate(self.shape))
            degenerate = bool(self.degenerate[g])
            eqs.append(
                Equilibrium(
                    profile=profile,
                    payoffs=self.payoffs[g, e].copy(),
                    regret=float(self.regrets[g, e]),
                    degenerate=degenerate,
                    component=int(self.component[g, e]) if degenerate else None,
                )
            )
        assert self.complete is not None
        return Equilibria(eqs, method=self.method, complete=bool(self.complete[g]),
                          degenerate=bool(self.degenerate[g]), tol=self.tol)

    @classmethod
    def from_lists(
        cls, results: Sequence[Equilibria], shape: tuple[int, ...], *, method: str, tol: float
    ) -> BatchSolution:
        """Pack per-game :class:`Equilibria` lists into arrays (the per-game reference path)."""
        profiles = pad_profiles([[eq.profile for eq in eqs] for eqs in results], shape)
        n_games, k = profiles.shape[:2]
        payoffs = np.full((n_games, k, len(shape)), np.nan)
        regrets = np.full((n_games, k), np.nan)
        component = np.full((n_games, k), -1, dtype=np.int64)
        for g, eqs in enumerate(results):
            for e, eq in enumerate(eqs):
                payoffs[g, e] = eq.payoffs
                regrets[g, e] = eq.regret
                component[g, e] = e if eq.component is None else eq.component
        return cls(
            profiles=profiles,
            payoffs=payoffs,
            regrets=regrets,
            counts=np.array([len(r) for r in results], dtype=np.int64),
            degenerate=np.array([r.degenerate for r in results], dtype=bool),
            component=component,
            shape=tuple(shape),
            method=method,
            tol=tol,
            complete=np.array([r.complete for r in results], dtype=bool),
            fallback=np.ones(len(results), dtype=bool),
        )
