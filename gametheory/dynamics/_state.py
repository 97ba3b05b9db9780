r"""Private helpers shared by the dynamics modules: checked games, states and payoff contractions.

A *state* of the multi-population replicator dynamics is one probability vector per population (player),
stored flat: ``state[offsets[i]:offsets[i + 1]]`` is population ``i``'s mix, so a state has
``D = s_1 + ... + s_n`` entries. Games in which every player has two strategies also accept the *short form*
``(x_1, ..., x_n)``, the share of each population playing its first strategy (the ``x, y, z`` of the papers).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import float_array
from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame

#: the float array type of the dynamics modules (they import it from here)
FloatArray = npt.NDArray[np.float64]

#: letters for einsum subscripts (the batch axis uses 'Z')
_LETTERS = "abcdefghijklmnopqrstuvwxy"


def as_game(game: Any, func: str) -> NormalFormGame:
    """A float :class:`NormalFormGame` in which every player has at least two strategies.

    Accepts a game, a payoff array or anything with a ``game()`` method (a payment model).
    """
    if not isinstance(game, NormalFormGame):
        if callable(getattr(game, "game", None)):
            game = game.game()
        elif isinstance(game, (list, tuple, np.ndarray)) or hasattr(game, "payoff_matrices"):
            game = NormalFormGame(game)
        else:
            raise InvalidParameterError(
                f"The 'game' parameter of {func} must be a NormalFormGame, a payoff array or a model. "
                f"Got {type(game).__name__} instead."
            )
    if min(game.shape) < 2:
        raise InvalidParameterError(
            f"The 'game' parameter of {func} must give every player at least two strategies (replicator "
            f"dynamics need a simplex of dimension >= 1 per population). Got a game of shape {game.shape} instead."
        )
    checked: NormalFormGame = game.to_float() if game.is_exact else game
    return checked


def offsets(shape: tuple[int, ...]) -> npt.NDArray[np.intp]:
    """Start of each population's block in a flat state, plus the total ``D`` at the end."""
    return np.concatenate([[0], np.cumsum(shape)]).astype(np.intp)


def split(states: FloatArray, shape: tuple[int, ...]) -> list[FloatArray]:
    """Views ``(..., s_i)`` of each population's block of flat states ``(..., D)``."""
    off = offsets(shape)
    return [states[..., off[i] : off[i + 1]] for i in range(len(shape))]


def to_flat(game: NormalFormGame, states: Any, *, name: str, func: str) -> tuple[FloatArray, bool]:
    """Validate states ``(..., D)`` or short-form ``(..., n)`` and return flat states and whether short form.

    Every block must be a probability vector (entries >= -1e-9 summing to 1 within 1e-9); NaN and infinities
    are rejected.
    """
    shape = game.shape
    n, d = len(shape), sum(shape)
    arr = float_array(func, name, states, what="an array of states", copy=True)
    binary = all(s == 2 for s in shape)
    if arr.ndim == 0 or arr.shape[-1] not in ((d, n) if binary else (d,)):
        expect = f"length {d} (one probability vector per player)" + (
            f" or {n} (the share of each population playing its first strategy)" if binary else ""
        )
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must be a state of {expect}. Got shape {arr.shape} instead."
        )
    if not np.all(np.isfinite(arr)):
        raise InvalidParameterError(
            f"The {name!r} parameter of {func} must hold finite numbers. Got {states!r} instead."
        )
    short = binary and arr.shape[-1] == n and n != d
    if short:
        if np.any((arr < -1e-9) | (arr > 1 + 1e-9)):
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must hold shares in [0, 1] (a point of the unit cube). "
                f"Got {states!r} instead."
            )
        arr = np.clip(arr, 0.0, 1.0)
        flat = np.empty(arr.shape[:-1] + (d,))
        flat[..., 0::2] = arr
        flat[..., 1::2] = 1.0 - arr
        return flat, True
    for i, block in enumerate(split(arr, shape)):
        if np.any(block < -1e-9) or np.any(np.abs(block.sum(axis=-1) - 1.0) > 1e-9):
            raise InvalidParameterError(
                f"The {name!r} parameter of {func} must lie in the product of simplices: player {i}'s shares "
                f"must be non-negative and sum to 1. Got {block.tolist()} instead."
            )
    return arr, False


def to_short(flat: FloatArray) -> FloatArray:
    """Short form (first-strategy shares) of flat states of a game where everyone has two strategies."""
    return flat[..., 0::2]


def payoff_vectors(payoffs: FloatArray, xs: list[FloatArray]) -> list[FloatArray]:
    r""":math:`\pi_{i,s} = u_i(s, x_{-i})` for every player, vectorised over leading axes of the states.

    ``payoffs`` has shape ``(n, s_1, ..., s_n)``; ``xs[j]`` has shape ``(M, s_j)``; returns ``(M, s_i)`` arrays.
    """
    n = len(xs)
    letters = _LETTERS[:n]
    out = []
    for i in range(n):
        operands: list[Any] = [payoffs[i]]
        subs = [letters]
        for j in range(n):
            if j != i:
                operands.append(xs[j])
                subs.append("Z" + letters[j])
        spec = ",".join(subs) + "->Z" + letters[i]
        out.append(np.einsum(spec, *operands, optimize=n > 3))
    return out


def replicator_field_flat(payoffs: FloatArray, shape: tuple[int, ...], flat: FloatArray) -> FloatArray:
    r"""The replicator field :math:`\dot x_{i,s} = x_{i,s}(\pi_{i,s} - \bar\pi_i)` at flat states ``(M, D)``.

    Trusted input (the public :func:`gametheory.dynamics.replicator_field` checks it). The mean payoff
    :math:`\bar\pi_i = \sum_s x_{i,s}\pi_{i,s} / \sum_s x_{i,s}` is divided by the block's total (1 on the
    simplex), so that the field sums to exactly 0 per population everywhere and the integrators' preservation of
    linear invariants keeps each sum at 1.

    >>> pennies = np.array([[[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]]])
    >>> replicator_field_flat(pennies, (2, 2), np.array([[0.8, 0.2, 0.5, 0.5]])).round(3).tolist()
    [[0.0, 0.0, -0.3, 0.3]]
    """
    xs = split(flat, shape)
    pis = payoff_vectors(payoffs, xs)
    blocks = [
        x * (pi - np.sum(x * pi, axis=-1, keepdims=True) / np.sum(x, axis=-1, keepdims=True))
        for x, pi in zip(xs, pis, strict=True)
    ]
    return np.concatenate(blocks, axis=-1)


def cross_payoffs(payoffs: FloatArray, xs: list[FloatArray], i: int, j: int) -> FloatArray:
    r""":math:`\partial \pi_{i,s} / \partial x_{j,t} = u_i(s, t, x_{-ij})`, shape ``(M, s_i, s_j)`` (``i != j``)."""
    n = len(xs)
    letters = _LETTERS[:n]
    operands: list[Any] = [payoffs[i]]
    subs = [letters]
    for k in range(n):
        if k not in (i, j):
            operands.append(xs[k])
            subs.append("Z" + letters[k])
    if len(subs) == 1:  # two players: no contraction, broadcast over states
        table = payoffs[i] if i < j else payoffs[i].T
        m = xs[0].shape[0]
        return np.broadcast_to(table, (m, *table.shape)).copy()
    spec = ",".join(subs) + "->Z" + letters[i] + letters[j]
    contracted: FloatArray = np.einsum(spec, *operands, optimize=n > 3)
    return contracted
