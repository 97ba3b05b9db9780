r"""Finite n-player games in normal (strategic) form.

A game with players :math:`1..n`, player :math:`i` having :math:`s_i` pure strategies, is stored as one array
``payoffs`` of shape ``(n, s_1, ..., s_n)``: ``payoffs[i][a_1, ..., a_n]`` is player *i*'s payoff at the pure
profile :math:`(a_1, \dots, a_n)`. A mixed profile :math:`\sigma = (\sigma_1, \dots, \sigma_n)` gives player *i*

.. math::

    u_i(\sigma) = \sum_{a} \Big(\prod_j \sigma_j(a_j)\Big)\, u_i(a),

and its *regret* is the largest gain any player gets from a unilateral deviation,
:math:`\max_i \big(\max_{s} u_i(s, \sigma_{-i}) - u_i(\sigma)\big)`; :math:`\sigma` is a Nash equilibrium iff
its regret is 0. Payoffs given as :class:`fractions.Fraction` or sympy ``Rational`` are kept exact (an object
array of ``Fraction``), so every quantity above is then computed in rationals.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import limits
from ..errors import InvalidParameterError
from .pure import pure_equilibrium_mask

__all__ = ["NormalFormGame", "DEFAULT_TOL", "as_payoff_array", "as_profile", "check_magnitude"]

#: Default tolerance on regrets and probabilities, relative to the largest absolute payoff
#: (:attr:`NormalFormGame.scale`).
DEFAULT_TOL = 1e-9

Profile = Sequence[Any]


class NormalFormGame:
    """An n-player normal-form game.

    Parameters
    ----------
    payoffs : array_like, nashpy.Game or NormalFormGame
        Shape ``(n_players, s_1, ..., s_n)``: ``payoffs[i][a_1, ..., a_n]`` is player ``i``'s payoff.
        A pair ``(A, B)`` of bimatrices or a ``nashpy.Game`` gives a 2-player game.
        ``Fraction`` / sympy ``Rational`` entries keep the game exact.
    players : sequence of str, optional
        Player names; default ``("Player 1", ..., "Player n")``.
    strategies : sequence of sequences of str, optional
        One list of labels per player; default ``("s1", "s2", ...)`` for each player.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> pennies.shape
    (2, 2)
    >>> float(pennies.regret([[0.5, 0.5], [0.5, 0.5]]))
    0.0
    """

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
    ) -> None:
        if isinstance(payoffs, NormalFormGame):
            players = payoffs.players if players is None else players
            strategies = payoffs.strategies if strategies is None else strategies
            payoffs = payoffs.payoffs
        self.payoffs: npt.NDArray[Any] = as_payoff_array(payoffs)
        self.payoffs.setflags(write=False)
        n = self.payoffs.shape[0]
        self.players: tuple[str, ...] = _labels(players, n, "players", lambda k: f"Player {k + 1}")
        if strategies is None:
            strategies = [[f"s{k + 1}" for k in range(s)] for s in self.shape]
        if len(strategies) != n:
            raise InvalidParameterError(
                f"The 'strategies' parameter of NormalFormGame must hold one list of labels per player "
                f"({n}). Got {len(strategies)} lists instead."
            )
        self.strategies: tuple[tuple[str, ...], ...] = tuple(
            _labels(labels, s, f"strategies[{i}]", lambda k: f"s{k + 1}")
            for i, (labels, s) in enumerate(zip(strategies, self.shape, strict=True))
        )

    # ------------------------------------------------------------------ description
    @property
    def n_players(self) -> int:
        """Number of players."""
        return int(self.payoffs.shape[0])

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of pure strategies of each player, ``(s_1, ..., s_n)``."""
        return tuple(int(s) for s in self.payoffs.shape[1:])

    @property
    def is_exact(self) -> bool:
        """True when payoffs are held as exact rationals."""
        return self.payoffs.dtype == object

    @cached_property
    def float_payoffs(self) -> npt.NDArray[np.float64]:
        """The payoffs as a read-only C-contiguous float64 array (the payoffs themselves when they are one)."""
        values = np.ascontiguousarray(self.payoffs, dtype=float)
        values.setflags(write=False)
        return values

    @cached_property
    def scale(self) -> float:
        """``max |payoff|`` (1 for an all-zero game): the unit in which tolerances are expressed.

        Tolerances relative to it make every check independent of the payoffs' unit: the game ``c * A`` has the
        equilibria of ``A`` for every ``c > 0``.

        >>> NormalFormGame([[[2e-10, 0]], [[0, -1e-10]]]).scale
        2e-10
        """
        largest = float(np.max(np.abs(self.float_payoffs)))
        return largest if largest > 0 else 1.0

    def to_exact(self) -> NormalFormGame:
        """The same game with payoffs converted exactly to ``Fraction`` (floats are converted bit for bit)."""
        exact = np.vectorize(_to_fraction, otypes=[object])(self.payoffs)
        return NormalFormGame(exact, self.players, self.strategies)

    def to_float(self) -> NormalFormGame:
        """The same game with float64 payoffs."""
        return NormalFormGame(self.payoffs.astype(float), self.players, self.strategies)

    def to_nashpy(self) -> Any:
        """A ``nashpy.Game`` (2-player games only)."""
        import nashpy

        if self.n_players != 2:
            raise InvalidParameterError(
                f"nashpy handles 2-player games only. This game has {self.n_players} players."
            )
        return nashpy.Game(self.payoffs[0].astype(float), self.payoffs[1].astype(float))

    def __repr__(self) -> str:
        kind = "exact" if self.is_exact else "float"
        dims = "x".join(str(s) for s in self.shape)
        return f"NormalFormGame({dims}, players={list(self.players)}, {kind})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self.payoffs.shape == other.payoffs.shape
            and bool(np.all(self.payoffs == other.payoffs))
            and self.players == other.players
            and self.strategies == other.strategies
        )

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ payoffs of profiles
    def deviation_payoffs(self, profile: Profile) -> list[npt.NDArray[Any]]:
        r"""Each player's payoff from each of its pure strategies against the others' mixes.

        Returns a list whose ``i``-th entry has length ``s_i`` and holds :math:`u_i(s, \sigma_{-i})`.
        """
        sigma = as_profile(self, profile)
        return [self._against(i, sigma) for i in range(self.n_players)]

    def expected_payoffs(self, profile: Profile) -> npt.NDArray[Any]:
        r"""Expected payoff :math:`u_i(\sigma)` of every player, as an array of length ``n_players``.

        ``profile`` holds one probability vector per player, or one pure strategy index per player.
        """
        sigma = as_profile(self, profile)
        values = [self._against(i, sigma) @ sigma[i] for i in range(self.n_players)]
        return np.array(values, dtype=self.payoffs.dtype)

    def regrets(self, profile: Profile) -> npt.NDArray[Any]:
        r"""Each player's gain from its best unilateral deviation, :math:`\max_s u_i(s,\sigma_{-i}) - u_i(\sigma)`."""
        sigma = as_profile(self, profile)
        out = []
        for i in range(self.n_players):
            against = self._against(i, sigma)
            out.append(max(against) - against @ sigma[i])
        return np.array(out, dtype=self.payoffs.dtype)

    def regret(self, profile: Profile) -> Any:
        """The largest gain any player gets from a unilateral deviation (0 exactly at a Nash equilibrium)."""
        return max(self.regrets(profile))

    def is_nash(self, profile: Profile, *, tol: float = DEFAULT_TOL) -> bool:
        """True when the profile's regret is at most ``tol * scale`` (exactly 0 for exact games and ``tol=0``)."""
        return bool(self.regret(profile) <= tol * self.scale)

    def best_responses(self, profile: Profile, *, tol: float = DEFAULT_TOL) -> tuple[tuple[int, ...], ...]:
        """Indices of each player's pure best responses to the others' mixes (ties within ``tol * scale``)."""
        sigma = as_profile(self, profile)
        slack = tol * self.scale
        result = []
        for i in range(self.n_players):
            against = self._against(i, sigma)
            best = max(against)
            result.append(tuple(int(k) for k in np.flatnonzero([best - x <= slack for x in against])))
        return tuple(result)

    def pure_equilibria(self, *, tol: float = DEFAULT_TOL) -> list[tuple[int, ...]]:
        """Every pure Nash equilibrium, as tuples of strategy indices (vectorised over all profiles)."""

        mask = pure_equilibrium_mask(self.payoffs[None, ...], tol=tol * self.scale)[0]
        return [tuple(int(a) for a in idx) for idx in np.argwhere(mask)]

    def restrict(self, kept: Sequence[Sequence[int]]) -> NormalFormGame:
        """The sub-game in which player ``i`` may use only the strategies ``kept[i]``."""
        index = np.ix_(*[np.asarray(k, dtype=int) for k in kept])
        payoffs = np.stack([self.payoffs[i][index] for i in range(self.n_players)])
        strategies = [[self.strategies[i][k] for k in kept[i]] for i in range(self.n_players)]
        return NormalFormGame(payoffs, self.players, strategies)

    def eliminate_dominated(
        self, *, mixed: bool = True, tol: float = DEFAULT_TOL
    ) -> tuple[NormalFormGame, tuple[tuple[int, ...], ...]]:
        """Iterated elimination of strictly dominated strategies; see :func:`gametheory.games.dominance`."""
        from .dominance import eliminate_dominated  # lazy: scipy

        return eliminate_dominated(self, mixed=mixed, tol=tol)

    # ------------------------------------------------------------------ internals
    def _against(self, i: int, sigma: Sequence[npt.NDArray[Any]]) -> npt.NDArray[Any]:
        """``u_i(s, sigma_-i)`` for every pure ``s`` of player ``i``."""
        table = self.payoffs[i]
        for j in reversed(range(self.n_players)):
            if j != i:
                table = np.tensordot(table, sigma[j], axes=([j], [0]))
        return np.asarray(table)


# ---------------------------------------------------------------------- conversion helpers
def _labels(labels: Sequence[str] | None, n: int, name: str, default: Any) -> tuple[str, ...]:
    if labels is None:
        return tuple(default(k) for k in range(n))
    if isinstance(labels, str) or len(labels) != n:
        raise InvalidParameterError(
            f"The {name!r} parameter of NormalFormGame must hold {n} labels. Got {labels!r} instead."
        )
    out = tuple(str(x) for x in labels)
    if len(set(out)) != len(out):
        raise InvalidParameterError(
            f"The {name!r} parameter of NormalFormGame must hold distinct labels. Got {labels!r} instead."
        )
    return out


def _is_exact_scalar(x: Any) -> bool:
    if isinstance(x, Fraction):
        return True
    return type(x).__module__.startswith("sympy") and getattr(x, "is_Rational", False)


def _to_fraction(x: Any) -> Fraction:
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if getattr(x, "is_Rational", False):
        return Fraction(int(x.p), int(x.q))
    return Fraction(float(x))


def as_payoff_array(payoffs: Any) -> npt.NDArray[Any]:
    """Validate ``payoffs`` and return a float64 array, or an object array of Fractions for exact input.

    Examples
    --------
    >>> from fractions import Fraction
    >>> as_payoff_array([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]).dtype
    dtype('float64')
    >>> as_payoff_array([[[Fraction(1, 2), 0], [0, 1]], [[1, 0], [0, 1]]]).dtype  # exact input stays exact
    dtype('O')
    """
    if hasattr(payoffs, "payoff_matrices"):  # nashpy.Game
        payoffs = [np.asarray(m, dtype=float) for m in payoffs.payoff_matrices]
    parts = list(payoffs) if isinstance(payoffs, (list, tuple)) else [payoffs]
    if all(isinstance(p, np.ndarray) and p.dtype.kind in "iuf" for p in parts):  # real arrays: no per-entry checks
        try:
            numeric = np.array(payoffs, dtype=float)
        except ValueError:  # matrices of different shapes: reported below
            pass
        else:
            _check_payoff_shape(numeric.shape)
            return _finite(numeric)
    try:
        raw = np.array(payoffs, dtype=object)
    except ValueError as exc:  # ragged nesting numpy cannot even hold
        raise InvalidParameterError(
            f"The 'payoffs' parameter of NormalFormGame must be a rectangular array of shape "
            f"(n_players, s_1, ..., s_n). Got a ragged nested list instead ({exc})."
        ) from None
    flat = raw.ravel()
    if any(isinstance(x, (list, tuple, np.ndarray)) for x in flat[: min(flat.size, 1000)]):
        raise InvalidParameterError(
            "The 'payoffs' parameter of NormalFormGame must be a rectangular array. Got a ragged nested list "
            "instead (some rows are longer than others)."
        )
    _check_payoff_shape(raw.shape)
    for x in flat:
        if isinstance(x, bool) or not (isinstance(x, numbers.Number) or getattr(x, "is_Number", False)):
            raise InvalidParameterError(
                f"The 'payoffs' parameter of NormalFormGame must hold real numbers. Got {x!r} instead."
            )
    if any(_is_exact_scalar(x) for x in flat):
        exact = np.empty(raw.shape, dtype=object)
        exact.ravel()[:] = [_to_fraction(x) for x in flat]
        check_magnitude(np.array([float(min(abs(x), _LARGEST)) for x in exact.ravel()]).reshape(exact.shape))
        return exact
    try:
        values = raw.astype(float)
    except OverflowError:
        raise InvalidParameterError(
            "The 'payoffs' parameter of NormalFormGame must hold numbers within the float range (about 1.8e308). "
            "Got a larger number instead; pass Fractions to keep such a game exact."
        ) from None
    except (TypeError, ValueError):
        raise InvalidParameterError(
            "The 'payoffs' parameter of NormalFormGame must hold real numbers. Got non-real entries instead."
        ) from None
    return _finite(values)


def _check_payoff_shape(shape: tuple[int, ...]) -> None:
    """Raise unless ``shape`` is ``(n_players, s_1, ..., s_n)`` with every ``s_i >= 1``."""
    if len(shape) < 2:
        raise InvalidParameterError(
            "The 'payoffs' parameter of NormalFormGame must have shape (n_players, s_1, ..., s_n) "
            f"with at least one player. Got an array of shape {shape} instead."
        )
    n = shape[0]
    if len(shape) != n + 1:
        raise InvalidParameterError(
            f"The 'payoffs' parameter of NormalFormGame must have shape (n_players, s_1, ..., s_n), i.e. "
            f"{n + 1} dimensions for {n} players. Got shape {shape} instead."
        )
    if min(shape[1:]) < 1:
        raise InvalidParameterError(f"Every player needs at least one strategy. Got payoffs of shape {shape} instead.")


def _finite(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``values``, or an error naming the first NaN or infinite entry (or one past the magnitude limits)."""
    bad = ~np.isfinite(values)
    if bad.any():
        where = tuple(int(k) for k in np.argwhere(bad)[0])
        raise InvalidParameterError(
            f"The 'payoffs' parameter of NormalFormGame must hold finite numbers. Got {values[where]} at "
            f"index {where} instead."
        )
    check_magnitude(values)
    return values


def check_magnitude(values: npt.NDArray[np.float64], what: str = "The 'payoffs' parameter of NormalFormGame", *,
                    games: bool = False) -> None:
    """Refuse payoffs past :data:`~gametheory.limits.MAX_ABS_PAYOFF`, or a game whose payoffs are all below
    :data:`~gametheory.limits.MIN_PAYOFF_SCALE` without being 0: float64 products of such payoffs overflow or
    underflow, and equilibria do not change when every payoff is multiplied by one positive number, so rescale.
    With ``games=True`` the first axis indexes games (a batch), each checked on its own.

    Examples
    --------
    >>> check_magnitude(np.array([[1e308, -1e308]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: The 'payoffs' parameter of NormalFormGame must hold numbers of at most ...
    """
    if not values.size:
        return
    # one pass of max and min per game, no |values| temporary: batches of millions of games are checked here
    rows = values.reshape(len(values) if games else 1, -1)
    largest = np.maximum(rows.max(axis=1), -rows.min(axis=1))
    worst = int(np.argmax(largest))
    if largest[worst] > limits.MAX_ABS_PAYOFF:
        inner = np.unravel_index(int(np.argmax(np.abs(rows[worst]))), values.shape[1:] if games else values.shape)
        where = (worst, *inner) if games else inner
        place = f"game {worst} at index {tuple(int(k) for k in inner)}" if games else \
            f"index {tuple(int(k) for k in where)}"
        raise InvalidParameterError(
            f"{what} must hold numbers of at most {limits.MAX_ABS_PAYOFF:g} in absolute value "
            f"(gametheory.limits.MAX_ABS_PAYOFF). Got {values[where]:g} at {place} instead; divide every payoff by "
            f"one positive number (the equilibria stay the same)."
        )
    tiny = np.flatnonzero((largest > 0) & (largest < limits.MIN_PAYOFF_SCALE))
    if tiny.size:
        which = f"Game {int(tiny[0])} of {what[4:]}" if games else what
        raise InvalidParameterError(
            f"{which} has no payoff larger than {largest[tiny[0]]:g} in absolute value, below the smallest "
            f"supported scale {limits.MIN_PAYOFF_SCALE:g} (gametheory.limits.MIN_PAYOFF_SCALE); multiply every "
            f"payoff by one positive number (the equilibria stay the same)."
        )


_LARGEST = Fraction(10) ** 300  # exact payoffs are compared in floats, clipped so the conversion cannot overflow


def as_profile(game: NormalFormGame, profile: Profile) -> list[npt.NDArray[Any]]:
    """Validate a mixed (or pure) profile of ``game`` and return one probability vector per player.

    Examples
    --------
    >>> bos = NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> [v.tolist() for v in as_profile(bos, [0, [0.25, 0.75]])]  # a pure strategy index, then a mix
    [[1.0, 0.0], [0.25, 0.75]]
    """
    if len(profile) != game.n_players:
        raise InvalidParameterError(
            f"A profile of this game must give one strategy or probability vector per player "
            f"({game.n_players}). Got {len(profile)} instead."
        )
    exact = game.is_exact
    out: list[npt.NDArray[Any]] = []
    for i, (entry, s) in enumerate(zip(profile, game.shape, strict=True)):
        if isinstance(entry, numbers.Integral) and not isinstance(entry, bool):
            if not 0 <= int(entry) < s:
                raise InvalidParameterError(
                    f"Player {i}'s pure strategy must be an index in [0, {s - 1}]. Got {entry} instead."
                )
            vec = np.zeros(s, dtype=object if exact else float)
            vec[:] = 0
            vec[int(entry)] = 1
            out.append(vec)
            continue
        if exact and all(_is_exact_scalar(x) or isinstance(x, numbers.Integral) for x in np.ravel(entry)):
            vec = np.array([_to_fraction(x) for x in np.ravel(entry)], dtype=object)
        else:
            vec = np.asarray(entry, dtype=float).ravel()
            if not np.all(np.isfinite(vec)):
                raise InvalidParameterError(
                    f"Player {i}'s probabilities must be finite. Got {list(vec)} instead."
                )
        if vec.shape != (s,):
            raise InvalidParameterError(
                f"Player {i}'s probability vector must have length {s}. Got length {vec.size} instead."
            )
        total = sum(vec)
        if min(vec) < -1e-9 or abs(float(total) - 1.0) > 1e-9:
            raise InvalidParameterError(
                f"Player {i}'s probabilities must be non-negative and sum to 1. Got {[float(x) for x in vec]} "
                f"(sum {float(total)}) instead."
            )
        out.append(vec)
    return out
