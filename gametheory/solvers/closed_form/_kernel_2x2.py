r"""Compiled fast path of 2x2 batches: candidates, regret check and padded output, one game at a time.

``u[g, i, r, c]`` is player ``i``'s payoff in game ``g`` when the row plays ``r`` and the column ``c``; ``x, y``
are the probabilities of the row's and the column's first strategies. With the pure differences
:math:`d_{1,c} = u_1(0, c) - u_1(1, c)` and :math:`d_{2,r} = u_2(r, 0) - u_2(r, 1)`, the gains of the first
strategies are

.. math::  D_1(y) = a_1 + b_1 y, \quad D_2(x) = a_2 + b_2 x, \qquad a_i = d_{i,1}, \; b_i = d_{i,0} - d_{i,1},

and the candidates are the 4 pure profiles, in the order ``(1, 1), (1, 0), (0, 1), (0, 0)``, and the mixed point
:math:`x = a_2 / (a_2 - d_{2,0})`, :math:`y = a_1 / (a_1 - d_{1,0})` (where :math:`D_2(x) = D_1(y) = 0`). With
``slack = rel * max |u|`` per game, a pure profile is listed when each player's gain has the right sign
within ``slack``, the mixed one when it lies inside the square by more than :data:`BAND`. A game is *suspect* (and
re-solved by the thorough path of :mod:`._closed_form_common`) when a pure difference is within ``slack`` of 0 or
the mixed point within :data:`BAND` of an edge. Every listed profile's payoffs
:math:`u_i = u_i(s_2) + p_i D_i` and regret :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-` are computed, and a profile
whose regret exceeds ``slack`` is dropped. The other games are nondegenerate: each listed equilibrium is its own
component.

Pass 1 (:func:`count`) gives every game's count and flags, pass 2 (:func:`fill`) writes the padded outputs once
the largest count ``K`` is known. Both run on one thread: numba's parallel loops start an OpenMP thread pool here,
after which ``fork()`` (multiprocessing, the process sweep backend) kills the child, and one thread already meets
issue 3's 10^7 games/s. Importing this module imports numba (~0.2 s) and its first call sets up
numba's compiler (~0.3 s, the machine code itself is cached on disk): callers import it lazily.

Examples
--------
Battle of the sexes: the pure profiles ``(1, 1)`` and ``(0, 0)`` and the mixed point ``x = 3/4, y = 1/4``:

>>> import numpy as np
>>> bos = np.array([[[[3, 1], [0, 2]], [[2, 1], [0, 3]]]], dtype=float)
>>> counts, flags = count(bos, 1e-12)
>>> out = (np.empty((1, 3, 2, 2)), np.empty((1, 3, 2)), np.empty((1, 3)), np.empty((1, 3), dtype=np.int64))
>>> fill(bos, flags, out)
>>> out[0][0, :, :, 0].tolist(), out[1][0, 2].tolist(), out[3][0].tolist()
([[1.0, 1.0], [0.0, 0.0], [0.75, 0.25]], [1.5, 1.5], [0, 1, 2])
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["count", "fill", "BAND", "SUSPECT"]

#: boundary band: a mixed candidate this close to 0 or 1 sends its game to the thorough path
BAND = 1e-7

#: flag bit of a suspect game (bits 0-4: the listed candidates, in candidate order)
SUSPECT = 32
#: ``_SLOTS[f, e]``: the candidate listed in slot ``e`` by the flags ``f`` (its ``e``-th set bit), or -1 (padding)
_SLOTS = np.array([[k for k in range(5) if f >> k & 1] + [-1] * (6 - bin(f).count("1")) for f in range(32)],
                  dtype=np.int64)

_jit = numba.njit(cache=True, error_model="numpy")
_inline = numba.njit(cache=True, error_model="numpy", inline="always")


@_jit
def _max(a: float, b: float) -> float:
    """``np.maximum``: NaN propagates."""
    return a if (a >= b or a != a) else b


@_jit
def _min(a: float, b: float) -> float:
    """``np.minimum``: NaN propagates."""
    return a if (a <= b or a != a) else b


@_jit
def _player(hi0: float, lo0: float, hi1: float, lo1: float, q: float, p: float) -> tuple[float, float]:
    """Payoff and regret of a player playing its first strategy with probability ``p`` against ``q``.

    ``(hi_s, lo_s)`` are its payoffs of strategy ``s`` when the opponent plays its first / second strategy.
    """
    v0 = (hi0 - lo0) * q + lo0
    v1 = (hi1 - lo1) * q + lo1
    D = v0 - v1
    return p * D + v1, _max(D, 0.0) * (1.0 - p) - _min(D, 0.0) * p


Game = tuple[float, float, float, float, float, float, float, float]


@_jit
def _evaluate(v: Game, x: float, y: float) -> tuple[float, float, float]:
    """Payoffs of both players and the regret at ``(x, y)`` in the game ``v`` (see :func:`_game`)."""
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    pay0, r0 = _player(a00, a01, a10, a11, y, x)
    pay1, r1 = _player(b00, b10, b01, b11, x, y)
    return pay0, pay1, _max(_max(0.0, r0), r1)


@_jit
def _mixed(v: Game) -> tuple[float, float]:
    """The mixed candidate ``(x, y)`` of the game ``v`` (inf or NaN where a gain is constant)."""
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    d10, d11 = a00 - a10, a01 - a11
    d20, d21 = b00 - b01, b10 - b11
    return d21 / (d21 - d20), d11 / (d11 - d10)


@_jit
def _flags(v: Game, rel: float) -> int:
    """Bit ``k`` set when candidate ``k`` is a listed equilibrium of the game ``v``, or :data:`SUSPECT` alone."""
    scale = 0.0
    for w in v:
        scale = max(scale, abs(w))
    slack = rel * (scale if scale > 0 else 1.0)  # relative to the game's own unit
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    d1 = (a00 - a10, a01 - a11)  # row's gain against column c
    d2 = (b00 - b01, b10 - b11)  # column's gain against row r
    x, y = _mixed(v)
    wx, wy = abs(x - 0.5), abs(y - 0.5)
    # branch-free (the signs of random games are unpredictable): every candidate is evaluated
    suspect = (abs(d1[0]) <= slack) | (abs(d1[1]) <= slack) | (abs(d2[0]) <= slack) | (abs(d2[1]) <= slack)
    suspect |= (abs(wx - 0.5) <= BAND) | (abs(wy - 0.5) <= BAND)
    flags = 0
    for k in range(4):
        a, b = k >> 1, k & 1  # 0: first strategy
        row = d1[b] >= -slack if a == 0 else d1[b] <= slack
        col = d2[a] >= -slack if b == 0 else d2[a] <= slack
        flags |= (row & col & (_evaluate(v, 1.0 - a, 1.0 - b)[2] <= slack)) << k
    flags |= ((wx < 0.5 - BAND) & (wy < 0.5 - BAND) & (_evaluate(v, x, y)[2] <= slack)) << 4
    return SUSPECT if suspect else flags


# inlined into the loops: a compiled call taking arrays costs reference counting per game
@_inline
def _game(u: npt.NDArray[np.float64], g: int) -> Game:
    """Game ``g`` of ``u`` as a tuple ``u[g].ravel()``: the row's payoffs ``a_rc``, then the column's ``b_rc``."""
    return (u[g, 0, 0, 0], u[g, 0, 0, 1], u[g, 0, 1, 0], u[g, 0, 1, 1],
            u[g, 1, 0, 0], u[g, 1, 0, 1], u[g, 1, 1, 0], u[g, 1, 1, 1])


@_jit
def _count_all(u, rel, counts, flags):  # type: ignore[no-untyped-def]
    for g in range(u.shape[0]):
        f = _flags(_game(u, g), rel)
        flags[g] = f
        counts[g] = (f & 1) + (f >> 1 & 1) + (f >> 2 & 1) + (f >> 3 & 1) + (f >> 4 & 1)


@_jit
def _fill_all(u, flags, profiles, payoffs, regrets, component):  # type: ignore[no-untyped-def]
    nan = np.nan
    for g in range(u.shape[0]):
        v = _game(u, g)
        f = flags[g] & 31
        x, y = _mixed(v)
        for e in range(profiles.shape[1]):  # branch-free: slot e holds candidate c (the e-th listed one) or padding
            c = _SLOTS[f, min(e, 5)]
            p = x if c == 4 else 1.0 - (c >> 1)
            q = y if c == 4 else 1.0 - (c & 1)
            pay0, pay1, reg = _evaluate(v, p, q)
            if c < 0:
                p = q = pay0 = pay1 = reg = nan
            profiles[g, e, 0, 0], profiles[g, e, 0, 1] = p, 1.0 - p
            profiles[g, e, 1, 0], profiles[g, e, 1, 1] = q, 1.0 - q
            payoffs[g, e, 0], payoffs[g, e, 1] = pay0, pay1
            regrets[g, e] = reg
            component[g, e] = e if c >= 0 else -1


def count(u: npt.NDArray[np.float64], rel: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Pass 1: ``counts (N,)`` of listed equilibria and ``flags (N,)`` (listed candidates, or :data:`SUSPECT`)
    of the games ``u (N, 2, 2, 2)``, with ``slack = rel * max |u|``.

    Examples
    --------
    >>> import numpy as np
    >>> bos = np.array([[[[3, 1], [0, 2]], [[2, 1], [0, 3]]]], dtype=float)  # two pure and one mixed
    >>> counts, flags = count(bos, 1e-9)
    >>> counts.tolist(), bin(int(flags[0]))
    ([3], '0b11001')
    >>> count(np.zeros((1, 2, 2, 2)), 1e-9)[1].tolist() == [SUSPECT]  # all ties: the thorough path's job
    True
    """
    N = u.shape[0]
    counts = np.empty(N, dtype=np.int64)
    flags = np.empty(N, dtype=np.uint8)
    _count_all(u, rel, counts, flags)
    return counts, flags


def fill(u: npt.NDArray[np.float64], flags: npt.NDArray[np.uint8], outputs: tuple[npt.NDArray[Any], ...]) -> None:
    """Pass 2: write every listed equilibrium of ``flags`` into ``outputs = (profiles (N, K, 2, 2), payoffs
    (N, K, 2), regrets (N, K), component (N, K))``, padding the rest (NaN, -1); suspect games are padded only.

    Examples
    --------
    >>> import numpy as np
    >>> pennies = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)
    >>> counts, flags = count(pennies, 1e-9)
    >>> out = (np.empty((1, 2, 2, 2)), np.empty((1, 2, 2)), np.empty((1, 2)), np.empty((1, 2), dtype=np.int64))
    >>> fill(pennies, flags, out)
    >>> out[0][0, 0].tolist(), out[1][0, 0].tolist(), out[3].tolist()
    ([[0.5, 0.5], [0.5, 0.5]], [0.0, 0.0], [[0, -1]])
    """
    _fill_all(u, flags, *outputs)
