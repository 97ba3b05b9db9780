r"""Compiled 2x2 batches: every game, tied or not, solved in one pass and written out in a second.

``u[g, i, r, c]`` is player ``i``'s payoff in game ``g`` when the row plays ``r`` and the column ``c``; ``x, y``
are the probabilities of the row's and the column's first strategies. With the pure differences
:math:`d_{1,c} = u_1(0, c) - u_1(1, c)` and :math:`d_{2,r} = u_2(r, 0) - u_2(r, 1)`, the gains of the first
strategies are

.. math::  D_1(y) = a_1 + b_1 y, \quad D_2(x) = a_2 + b_2 x, \qquad a_i = d_{i,1}, \; b_i = d_{i,0} - d_{i,1},

so every equilibrium component is a union of segments whose end points lie on the grid
:math:`\{0, 1, x^*\} \times \{0, 1, y^*\}`, :math:`x^* = a_2 / (a_2 - d_{2,0})`, :math:`y^* = a_1 / (a_1 - d_{1,0})`
(where :math:`D_2(x^*) = D_1(y^*) = 0`). The candidates, in this order, are the 4 pure profiles
``(1, 1), (1, 0), (0, 1), (0, 0)``, the mixed point :math:`(x^*, y^*)`, and the edge points
:math:`(x^*, 1), (x^*, 0), (1, y^*), (0, y^*)`. ``slack = rel * max |u|`` per game.

**Generic games** (every :math:`|d_{i,s}| > ` ``slack``, the mixed point farther than :data:`BAND` from the
square's edges): a pure profile is listed when each player's gain has the right sign within ``slack``, the mixed one
when it lies inside the square; each listed equilibrium is its own component.

**Tied games** (the others) follow the thorough rule of :mod:`._thorough`, in the same floating-point operations,
so their answers are identical to it bit for bit: every candidate inside the square (within ``1e-9``, then
clipped) whose regret :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-` is at most ``slack`` is kept; candidates equal
within :data:`DEDUP` are merged (sorted by rounded coordinates, an earlier candidate wins); two kept points are
linked when the regret is within ``slack`` at the 7 interior points :math:`t = k/8` of the segment between them,
and the components are the linked groups (numbered by their first point). A game with a link is ``degenerate``:
it has a continuum, described by its listed extreme points. Pairs already in one component are not tested (a link
between them changes nothing).

**Sign patterns.** When every pure difference is exactly 0 or at least :data:`PATTERN_FLOOR` (and
:math:`16\,\mathrm{rel}^{1/3}`) times ``max |u|`` in size, the tie rule's answer depends only on the signs of the
four differences (81 patterns), and is read from a table of one game per pattern (:func:`_patterns`). Then every
test of the rule is decided by a clear margin: a grid value strictly inside the square lies at least
:math:`c/4` (:math:`c` that floor) from its edges and from the other grid values, far beyond :data:`DEDUP`; a
rejected candidate's regret is at least :math:`c^2/4 \cdot \max|u|`, far beyond ``slack``; and on a segment
between two listed points either every point is an equilibrium (the equilibria on an axis-parallel line form an
interval, since each gain is linear in the other player's probability and constant in the player's own) or the
segment is diagonal and at most 3 of its 7 sample points come within ``slack`` of equilibrium (a sample passes only
within :math:`32\,\mathrm{rel}/c^2 \le c/32` of :math:`x^*` and of :math:`y^*`, and the samples lie at least
:math:`c/32` apart) -- unless both players are indifferent everywhere, when the whole square is one continuum.
The tests compare the table's answers with the rule's on every game it covers in their samples.

Every listed profile's payoffs :math:`u_i = u_i(s_2) + p_i D_i` and regret are computed, and a profile whose regret
exceeds ``slack`` is dropped (its slot goes to the next one; components keep their numbers).

Pass 1 (:func:`count`) solves every game into a 64-bit code (listed candidates, degenerate flag, components),
pass 2 (:func:`fill`) writes the padded outputs once the largest count ``K`` is known. Both run on one thread:
numba's parallel loops start an OpenMP thread pool here, after which ``fork()`` (multiprocessing, the process
sweep backend) kills the child. Importing this module imports numba (~0.2 s) and its first call sets up numba's
compiler (~0.3 s, the machine code itself is cached on disk): callers import it lazily. The tie rule stays in this
module, past the usual length: numba's on-disk cache of a function does not notice changes to compiled callees
in another module.

Examples
--------
Battle of the sexes: the pure profiles ``(1, 1)`` and ``(0, 0)`` and the mixed point ``x = 3/4, y = 1/4``:

>>> import numpy as np
>>> bos = np.array([[[[3, 1], [0, 2]], [[2, 1], [0, 3]]]], dtype=float)
>>> counts, codes, degenerate = count(bos, 1e-12)
>>> out = (np.empty((1, 3, 2, 2)), np.empty((1, 3, 2)), np.empty((1, 3)), np.empty((1, 3), dtype=np.int64))
>>> fill(bos, codes, out)
>>> out[0][0, :, :, 0].tolist(), out[1][0, 2].tolist(), out[3][0].tolist()
([[1.0, 1.0], [0.0, 0.0], [0.75, 0.25]], [1.5, 1.5], [0, 1, 2])
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from . import _thorough

__all__ = ["count", "fill", "BAND", "DEGENERATE", "TIED", "PATTERN", "MASK"]

#: boundary band: a mixed candidate this close to 0 or 1 makes its game a tied one
BAND = 1e-7
#: two kept candidates closer than this (max norm) are one equilibrium (the thorough path's rule)
DEDUP = _thorough.DEDUP
#: a candidate coordinate within this of ``[0, 1]`` is inside the square (then clipped)
INSIDE = 1e-9
#: code bits: ``code & MASK`` the listed candidates (bit ``k``: candidate ``k``), then flags, then components
MASK = 511
#: code bit: the game has a continuum of equilibria
DEGENERATE = 1 << 9
#: code bit: the game went through the tie rule (informational)
TIED = 1 << 10
#: code bit: the answer came from the game's sign pattern (every pure difference exactly 0 or far from it)
PATTERN = 1 << 11
#: the sign-pattern table is used when every nonzero pure difference is at least ``max(PATTERN_FLOOR,
#: 16 rel^(1/3)) * max |u|`` in size; it is built with ``rel = PATTERN_REL``
PATTERN_FLOOR = 1e-2
PATTERN_REL = 1e-9
#: first bit of the components: slot ``e``'s component in bits ``COMP + 4e .. COMP + 4e + 3``
COMP = 16
#: ``_SLOTS[f, e]``: the candidate listed in slot ``e`` by the mask ``f`` (its ``e``-th set bit), or -1 (padding)
_SLOTS = np.array([[k for k in range(9) if f >> k & 1] + [-1] * (10 - bin(f).count("1")) for f in range(512)],
                  dtype=np.int8)
#: ``_COUNT[f]``: the number of candidates listed by the mask ``f``
_COUNT = np.array([bin(f).count("1") for f in range(512)], dtype=np.int64)
#: candidate coordinates: 1, 0, or 2 for the mixed value (:math:`x^*` or :math:`y^*`)
_CX = np.array([1, 1, 0, 0, 2, 2, 2, 1, 0], dtype=np.int8)
_CY = np.array([1, 0, 1, 0, 2, 1, 0, 2, 2], dtype=np.int8)

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
def _scale(v: Game) -> float:
    """``max |u|`` (1 for an all-zero game): tolerances are relative to the game's own unit."""
    scale = 0.0
    for w in v:
        scale = max(scale, abs(w))
    return scale if scale > 0 else 1.0


@_jit
def _generic(v: Game, slack: float) -> int:
    """The mask of listed candidates of a generic game ``v``, or -1 when the game is tied."""
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    d1 = (a00 - a10, a01 - a11)  # row's gain against column c
    d2 = (b00 - b01, b10 - b11)  # column's gain against row r
    x, y = _mixed(v)
    wx, wy = abs(x - 0.5), abs(y - 0.5)
    tied = (abs(d1[0]) <= slack) | (abs(d1[1]) <= slack) | (abs(d2[0]) <= slack) | (abs(d2[1]) <= slack)
    tied |= (abs(wx - 0.5) <= BAND) | (abs(wy - 0.5) <= BAND)
    if tied:
        return -1
    # branch-free (the signs of random games are unpredictable): every candidate is evaluated
    flags = 0
    for k in range(4):
        a, b = k >> 1, k & 1  # 0: first strategy
        row = d1[b] >= -slack if a == 0 else d1[b] <= slack
        col = d2[a] >= -slack if b == 0 else d2[a] <= slack
        flags |= (row & col & (_evaluate(v, 1.0 - a, 1.0 - b)[2] <= slack)) << k
    flags |= ((wx < 0.5 - BAND) & (wy < 0.5 - BAND) & (_evaluate(v, x, y)[2] <= slack)) << 4
    return flags


@_jit
def _clip(c: float) -> float:
    return min(max(c, 0.0), 1.0)


@_jit
def _coordinate(kind: int, mixed: float) -> float:
    """A candidate's coordinate: 1, 0, or the (clipped) mixed value."""
    return _clip(mixed) if kind == 2 else float(kind)


@_jit
def _regret(A1: float, B1: float, A2: float, B2: float, x: float, y: float) -> float:
    """Regret at ``(x, y)`` from :math:`D_1 = A_1 + B_1 y`, :math:`D_2 = A_2 + B_2 x` (the thorough path's form)."""
    g1 = A1 + B1 * y
    r1 = _max(g1, 0.0) * (1.0 - x) - _min(g1, 0.0) * x
    g2 = A2 + B2 * x
    r2 = _max(g2, 0.0) * (1.0 - y) - _min(g2, 0.0) * y
    return _max(r1, r2)


@_jit
def _inside(c: float) -> bool:
    return (c >= -INSIDE) & (c <= 1.0 + INSIDE)  # False for NaN and inf


@_inline
def _tied(v: Game, slack: float, px: Any, py: Any, key: Any, order: Any, root: Any, label: Any) -> int:
    """The code of a tied game ``v`` by the thorough rule (module docstring); ``px .. label`` are scratch."""
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    d10, d11 = a00 - a10, a01 - a11
    d20, d21 = b00 - b01, b10 - b11
    A1, B1, A2, B2 = d11, d10 - d11, d21, d20 - d21
    xs, ys = d21 / (d21 - d20), d11 / (d11 - d10)
    inx, iny = _inside(xs), _inside(ys)
    # the kept candidates, sorted by rounded coordinates then candidate (insertion sort, at most 9)
    n = 0
    for k in range(9):
        kx, ky = _CX[k], _CY[k]
        if (kx == 2 and not inx) or (ky == 2 and not iny):
            continue
        x, y = _coordinate(kx, xs), _coordinate(ky, ys)
        if not _regret(A1, B1, A2, B2, x, y) <= slack:
            continue
        kxr, kyr = np.int64(np.rint(x / DEDUP)), np.int64(np.rint(y / DEDUP))
        j = n
        while j > 0:
            o = order[j - 1]
            if key[o, 0] < kxr or (key[o, 0] == kxr and key[o, 1] <= kyr):
                break
            order[j] = o
            j -= 1
        order[j] = k
        key[k, 0], key[k, 1] = kxr, kyr
        px[k], py[k] = x, y
        n += 1
    mask = 0
    for j in range(n):  # an entry equal (within DEDUP) to the one before it in sorted order is a duplicate
        k = order[j]
        if j == 0 or max(abs(px[k] - px[order[j - 1]]), abs(py[k] - py[order[j - 1]])) > DEDUP:
            mask |= 1 << k
    # components: link pairs (in candidate order) whose segment consists of equilibria; root = first point
    n = 0
    for k in range(9):
        if mask >> k & 1:
            order[n] = k
            root[n] = n
            n += 1
    degenerate = False
    for e in range(n):
        for f in range(e + 1, n):
            re, rf = e, f
            while root[re] != re:
                re = root[re]
            while root[rf] != rf:
                rf = root[rf]
            if re == rf:
                continue
            ke, kf = order[e], order[f]
            linked = True
            for s in range(1, 8):
                t = s / 8.0
                x = px[ke] + t * (px[kf] - px[ke])
                y = py[ke] + t * (py[kf] - py[ke])
                if not _regret(A1, B1, A2, B2, x, y) <= slack:
                    linked = False
                    break
            if linked:
                degenerate = True
                root[max(re, rf)] = min(re, rf)
    for e in range(n):  # parents point to smaller indices: one pass in order compresses every path
        root[e] = root[root[e]]
    # certification by the payoff formula; components numbered by their first point
    code = TIED | (DEGENERATE if degenerate else 0)
    slot = 0
    labels = 0
    for e in range(n):
        if root[e] == e:
            label[e] = labels
            labels += 1
        k = order[e]
        if not _evaluate(v, px[k], py[k])[2] <= slack:
            continue
        code |= 1 << k
        code |= (label[root[e]] if degenerate else slot) << (COMP + 4 * slot)
        slot += 1
    return code


# inlined into the loops: a compiled call taking arrays costs reference counting per game
@_inline
def _game(u: npt.NDArray[np.float64], g: int) -> Game:
    """Game ``g`` of ``u`` as a tuple ``u[g].ravel()``: the row's payoffs ``a_rc``, then the column's ``b_rc``."""
    return (u[g, 0, 0, 0], u[g, 0, 0, 1], u[g, 0, 1, 0], u[g, 0, 1, 1],
            u[g, 1, 0, 0], u[g, 1, 0, 1], u[g, 1, 1, 0], u[g, 1, 1, 1])


@_jit
def _pattern(v: Game, scale: float, floor: float) -> int:
    """The sign pattern of the pure differences, ``sum_k 3^k s_k`` (``s``: 0 zero, 1 positive, 2 negative), when
    each is exactly zero or at least ``floor * scale`` in size; else -1 (see :data:`PATTERN`)."""
    a00, a01, a10, a11, b00, b01, b10, b11 = v
    index, weight, ok = 0, 1, True
    for d in (a00 - a10, a01 - a11, b00 - b01, b10 - b11):
        ok &= (d == 0.0) | (abs(d) >= floor * scale)
        index += weight * ((d > 0.0) + 2 * (d < 0.0))
        weight *= 3
    return index if ok else -1


@_jit
def _solve_all(u, rel, floor, table, counts, codes, degenerate):  # type: ignore[no-untyped-def]
    px, py = np.empty(9), np.empty(9)
    key = np.empty((9, 2), dtype=np.int64)
    order, root, label = np.empty(9, dtype=np.int64), np.empty(9, dtype=np.int64), np.empty(9, dtype=np.int64)
    for g in range(u.shape[0]):
        v = _game(u, g)
        scale = _scale(v)
        slack = rel * scale
        code = _generic(v, slack)
        if code < 0:
            k = _pattern(v, scale, floor)
            code = table[k] if k >= 0 else _tied(v, slack, px, py, key, order, root, label)
        codes[g] = code
        counts[g] = _COUNT[code & MASK]
        degenerate[g] = code & DEGENERATE != 0


@_jit
def _patterns(rel):  # type: ignore[no-untyped-def]
    """:data:`PATTERN`'s table: the tie rule's code of one game of each of the 81 sign patterns (differences in
    {-1, 0, 1})."""
    table = np.empty(81, dtype=np.int64)
    px, py = np.empty(9), np.empty(9)
    key = np.empty((9, 2), dtype=np.int64)
    order, root, label = np.empty(9, dtype=np.int64), np.empty(9, dtype=np.int64), np.empty(9, dtype=np.int64)
    for k in range(81):
        d = [float(k // 3**j % 3) for j in range(4)]
        d = [(1.0 if s == 1.0 else -1.0) if s > 0 else 0.0 for s in d]
        v = (d[0], d[1], 0.0, 0.0, d[2], 0.0, d[3], 0.0)
        table[k] = _tied(v, rel * _scale(v), px, py, key, order, root, label) | PATTERN
    return table


_TABLE: list[npt.NDArray[np.int64]] = []


@_jit
def _fill_all(u, codes, profiles, payoffs, regrets, component):  # type: ignore[no-untyped-def]
    nan = np.nan
    for g in range(u.shape[0]):
        v = _game(u, g)
        code = codes[g]
        f = code & MASK
        tied = code & TIED != 0
        x, y = _mixed(v)
        for e in range(profiles.shape[1]):  # branch-free: slot e holds candidate c (the e-th listed one) or padding
            c = _SLOTS[f, min(e, 9)]
            cc = max(c, 0)
            p, q = _coordinate(_CX[cc], x), _coordinate(_CY[cc], y)
            pay0, pay1, reg = _evaluate(v, p, q)
            comp = (code >> (COMP + 4 * e)) & 15 if tied else e
            if c < 0:
                p = q = pay0 = pay1 = reg = nan
                comp = -1
            profiles[g, e, 0, 0], profiles[g, e, 0, 1] = p, 1.0 - p
            profiles[g, e, 1, 0], profiles[g, e, 1, 1] = q, 1.0 - q
            payoffs[g, e, 0], payoffs[g, e, 1] = pay0, pay1
            regrets[g, e] = reg
            component[g, e] = comp


def count(u: npt.NDArray[np.float64], rel: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                           npt.NDArray[np.bool_]]:
    """Pass 1: ``counts (N,)`` of listed equilibria, ``codes (N,)`` (listed candidates, flags and components, see
    :data:`MASK`) and ``degenerate (N,)`` of the games ``u (N, 2, 2, 2)``, with ``slack = rel * max |u|``.

    Examples
    --------
    >>> import numpy as np
    >>> bos = np.array([[[[3, 1], [0, 2]], [[2, 1], [0, 3]]]], dtype=float)  # two pure and one mixed
    >>> counts, codes, degenerate = count(bos, 1e-9)
    >>> counts.tolist(), bin(int(codes[0]) & MASK), degenerate.tolist()
    ([3], '0b11001', [False])
    >>> counts, codes, degenerate = count(np.zeros((1, 2, 2, 2)), 1e-9)  # all ties: the square
    >>> counts.tolist(), degenerate.tolist()
    ([4], [True])
    """
    N = u.shape[0]
    counts = np.empty(N, dtype=np.int64)
    codes = np.empty(N, dtype=np.int64)
    degenerate = np.empty(N, dtype=np.bool_)
    if not _TABLE:
        _TABLE.append(_patterns(PATTERN_REL))
    floor = max(PATTERN_FLOOR, 16.0 * rel ** (1 / 3))
    _solve_all(u, rel, floor, _TABLE[0], counts, codes, degenerate)
    return counts, codes, degenerate


def fill(u: npt.NDArray[np.float64], codes: npt.NDArray[np.int64], outputs: tuple[npt.NDArray[Any], ...]) -> None:
    """Pass 2: write every listed equilibrium of ``codes`` into ``outputs = (profiles (N, K, 2, 2), payoffs
    (N, K, 2), regrets (N, K), component (N, K))``, padding the rest (NaN, -1).

    Examples
    --------
    >>> import numpy as np
    >>> pennies = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)
    >>> counts, codes, _ = count(pennies, 1e-9)
    >>> out = (np.empty((1, 2, 2, 2)), np.empty((1, 2, 2)), np.empty((1, 2)), np.empty((1, 2), dtype=np.int64))
    >>> fill(pennies, codes, out)
    >>> out[0][0, 0].tolist(), out[1][0, 0].tolist(), out[3].tolist()
    ([[0.5, 0.5], [0.5, 0.5]], [0.0, 0.0], [[0, -1]])
    """
    _fill_all(u, codes, *outputs)
