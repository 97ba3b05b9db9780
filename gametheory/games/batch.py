"""Batches of same-shaped games held as one array — the form a parameter sweep produces."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InvalidParameterError
from .normal_form import NormalFormGame, check_magnitude

__all__ = ["GameBatch"]


class GameBatch:
    """``N`` games of one shape, payoffs in one float64 array ``(N, n_players, s_1, ..., s_n)``.

    Parameters
    ----------
    payoffs : array_like
        Shape ``(N, n_players, s_1, ..., s_n)``; every entry finite.
    players, strategies : optional
        Names shared by every game of the batch (as in :class:`NormalFormGame`).

    Attributes
    ----------
    payoffs : ndarray
        The payoffs, float64 of shape ``(N, n_players, s_1, ..., s_n)``.
    players, strategies, n_players, shape
        Those of every game of the batch (:class:`NormalFormGame`'s, e.g. ``shape = (s_1, ..., s_n)``).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> batch = gt.GameBatch(np.random.default_rng(0).normal(size=(1000, 3, 2, 2, 2)))
    >>> len(batch), batch.shape
    (1000, (2, 2, 2))
    >>> batch[0]
    NormalFormGame(2x2x2, players=['Player 1', 'Player 2', 'Player 3'], float)
    """

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
    ) -> None:
        values = _float_array(payoffs)
        if values.ndim < 3 or values.ndim != values.shape[1] + 2:
            raise InvalidParameterError(
                "The 'payoffs' parameter of GameBatch must have shape (N, n_players, s_1, ..., s_n). "
                f"Got shape {values.shape} instead."
            )
        rows = values.reshape(len(values), -1) if values.size else values
        if values.size and not (np.isfinite(rows.max(axis=1)).all() and np.isfinite(rows.min(axis=1)).all()):
            bad = tuple(int(k) for k in np.argwhere(~np.isfinite(values))[0])
            raise InvalidParameterError(
                f"The 'payoffs' parameter of GameBatch must hold finite numbers. Got {values[bad]} in game "
                f"{bad[0]} at index {bad[1:]} instead."
            )
        check_magnitude(values, "The 'payoffs' parameter of GameBatch", games=True)
        self.payoffs = values
        template = NormalFormGame(np.zeros(values.shape[1:]), players, strategies)  # one game's checks and labels
        self.players = template.players
        self.strategies = template.strategies
        self.n_players: int = template.n_players
        self.shape: tuple[int, ...] = template.shape

    @classmethod
    def from_games(cls, games: Sequence[NormalFormGame]) -> GameBatch:
        """Stack games of one shape (labels are taken from the first)."""
        if not games:
            raise InvalidParameterError("GameBatch.from_games needs at least one game. Got none.")
        shapes = {g.payoffs.shape for g in games}
        if len(shapes) != 1:
            raise InvalidParameterError(
                f"GameBatch.from_games needs games of one shape. Got shapes {sorted(shapes)} instead."
            )
        return cls(np.stack([g.payoffs.astype(float) for g in games]), games[0].players, games[0].strategies)

    def __len__(self) -> int:
        return int(self.payoffs.shape[0])

    def __getitem__(self, k: int) -> NormalFormGame:
        return NormalFormGame(self.payoffs[k], self.players, self.strategies)

    def __iter__(self) -> Iterator[NormalFormGame]:
        return (self[k] for k in range(len(self)))

    def take(self, index: npt.ArrayLike) -> GameBatch:
        """A sub-batch (fancy or boolean index over games)."""
        return GameBatch(self.payoffs[np.asarray(index)], self.players, self.strategies)

    def __repr__(self) -> str:
        dims = "x".join(str(s) for s in self.shape)
        return f"GameBatch({len(self)} games, {dims}, players={list(self.players)})"


def _float_array(payoffs: Any) -> npt.NDArray[np.float64]:
    """``payoffs`` as float64, or a one-line error naming the first entry that is not a real number."""
    try:
        return np.asarray(payoffs, dtype=float)
    except (TypeError, ValueError, OverflowError):
        pass
    try:
        raw = np.asarray(payoffs, dtype=object)
    except ValueError:
        raw = None
    if raw is None or any(isinstance(x, (list, tuple, np.ndarray)) for x in raw.ravel()[:1000]):
        raise InvalidParameterError(
            "The 'payoffs' parameter of GameBatch must be a rectangular array of shape (N, n_players, s_1, ..., "
            "s_n). Got a ragged nested list instead."
        ) from None
    for index, x in np.ndenumerate(raw):
        try:
            float(x)
        except (TypeError, ValueError, OverflowError):
            raise InvalidParameterError(
                f"The 'payoffs' parameter of GameBatch must hold real numbers. Got {x!r:.40} in game {index[0]} at "
                f"index {index[1:]} instead."
            ) from None
    raise InvalidParameterError("The 'payoffs' parameter of GameBatch must hold real numbers.")  # pragma: no cover


def pad_profiles(
    per_game: Sequence[Sequence[Sequence[npt.NDArray[Any]]]], shape: Sequence[int]
) -> npt.NDArray[np.float64]:
    """Stack each game's list of profiles into one ``(N, K, n, max_s)`` array, ``K`` the longest list.

    Entries beyond a game's own number of profiles and beyond a player's own number of strategies are NaN: the
    padded layout of :class:`~gametheory.BatchSolution` and :class:`~gametheory.dynamics.BatchStability`.
    """
    k = max((len(profiles) for profiles in per_game), default=0)
    out = np.full((len(per_game), k, len(shape), max(shape)), np.nan)
    for g, profiles in enumerate(per_game):
        for e, profile in enumerate(profiles):
            for i, v in enumerate(profile):
                out[g, e, i, : len(v)] = v
    return out
