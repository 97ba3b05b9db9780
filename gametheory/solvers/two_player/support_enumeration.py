r"""Support enumeration: every Nash equilibrium of a nondegenerate bimatrix game.

For two players the indifference systems of all support pairs of one size are stacked and solved in one
batched :func:`numpy.linalg.solve` (small games, up to 7x7: every size at once, from index tables cached per
shape); games with three or more players are handed to
:mod:`gametheory.solvers.n_player.support_enumeration`.
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._validation import Interval, validate_params
from ...games.coerce import as_normal_form
from ...games.equilibrium import Equilibria
from ...games.normal_form import DEFAULT_TOL
from ._bimatrix import (
    FloatArray,
    build_equilibria,
    candidate_tol,
    normalised,
    pair_dominance,
    support_pair_tables,
    work_tol,
)

__all__ = ["support_enumeration"]

#: Support pairs solved per batch (bounds memory: a batch of k x k systems holds CHUNK * (k+1)^2 floats).
CHUNK = 32768
#: Games with at most this many equal-size support pairs (``C(m + n, m) - 1``; 6x6: 923, 7x7: 3431) take the
#: one-pass path: every size at once, systems padded to the largest size (index tables cached per shape).
SMALL_PAIRS = 4000


@validate_params({"game": None, "tol": Interval(float, 0, 1)})
def support_enumeration(game: Any, *, tol: float = DEFAULT_TOL) -> Equilibria:
    r"""Every Nash equilibrium found by enumerating pairs of supports.

    Parameters
    ----------
    game : NormalFormGame or array_like
        Any number of players; games with three or more are solved by
        :func:`gametheory.solvers.n_player.support_enumeration.nplayer_support_enumeration`.
    tol : float, default ``DEFAULT_TOL``
        Tolerance relative to ``game.scale``: probabilities ``>= -tol`` are accepted (then clipped and
        renormalised) and best responses hold within ``tol * scale``. Values below ``1e-12`` are raised to
        ``1e-12`` in floating point. Exact games (``Fraction`` payoffs) are solved in rationals: every returned
        equilibrium has regret exactly 0.

    Returns
    -------
    Equilibria
        Sorted by support size. ``degenerate`` is True when degeneracy was met on the way (a pure strategy
        with several best responses, or a solved mixed strategy with more best responses than its support
        size); then ``complete`` is False, since the game may have continua and equilibria with supports of
        unequal size, which this method does not list: use
        :func:`~gametheory.solvers.two_player.vertex_enumeration.vertex_enumeration` (which detects degeneracy for
        certain).

    Raises
    ------
    InvalidParameterError
        ``tol`` is outside ``[0, 1]`` (NaN included).

    Notes
    -----
    In a nondegenerate bimatrix game :math:`(A, B)` of size :math:`m \times n` every equilibrium
    :math:`(x, y)` has supports :math:`I, J` of equal size :math:`k` (von Stengel 2007, Prop. 3.3), and
    :math:`y` makes the row player indifferent on :math:`I` while :math:`x` makes the column player
    indifferent on :math:`J`:

    .. math::

        \sum_{j \in J} a_{ij} y_j = v \;(i \in I), \quad \sum_{j\in J} y_j = 1, \qquad
        \sum_{i \in I} b_{ij} x_i = u \;(j \in J), \quad \sum_{i\in I} x_i = 1.

    :math:`(x, y)` is an equilibrium iff both solutions are non-negative and no pure strategy does better:
    :math:`(Ay)_i \le v` and :math:`(x^\top B)_j \le u` for all :math:`i, j`. Support pairs in which a
    strategy is strictly dominated by another pure strategy given the opponent's support are skipped [2]_; the
    other systems of one size (at most :math:`\binom{m}{k}\binom{n}{k}`) are solved as stacked batches.
    Singular systems are rejected, the row player's conditions are checked before the column player's system is
    solved at all, and every candidate is certified by its regret. For exact games the float pass (with a looser
    tolerance, 1e-7) only proposes candidates: each one's tight constraints are re-solved in
    :class:`fractions.Fraction` arithmetic and kept only if the rational profile has regret exactly 0.

    References
    ----------
    .. [1] B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
       in N. Nisan, T. Roughgarden, E. Tardos and V. Vazirani (eds.), *Algorithmic Game Theory*, ch. 3,
       pp. 53-78, Cambridge University Press, 2007.
    .. [2] R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for finding a Nash equilibrium",
       *Games and Economic Behavior* 63(2), pp. 642-662, 2008.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.two_player.support_enumeration import support_enumeration
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = support_enumeration(bos)
    >>> len(eqs), eqs.complete
    (3, True)
    >>> [[round(float(p), 3) for p in v] for v in eqs[-1].profile]
    [[0.75, 0.25], [0.25, 0.75]]
    """
    game = as_normal_form(game, "support_enumeration")
    if game.n_players != 2:
        from ..n_player.support_enumeration import nplayer_support_enumeration  # lazy: sympy

        return nplayer_support_enumeration(game, tol=tol)
    A, B = normalised(game)
    search_tol = candidate_tol(tol) if game.is_exact else work_tol(tol)
    m, n = A.shape
    kernel = _small_kernel if comb(m + n, m) - 1 <= SMALL_PAIRS else _support_enumeration_kernel
    X, Y, degenerate = kernel(A, B, search_tol)
    eqs = build_equilibria(
        game, X, Y, method="support_enumeration", complete=True, tol=tol, game_degenerate=degenerate,
        parameters={"tol": tol},
    )
    if eqs.degenerate:
        return eqs.replace(complete=False, message=(
            "degenerate game: equilibria with supports of unequal size or in continua may be missing; "
            "use vertex_enumeration"
        ))
    return eqs


def _support_enumeration_kernel(A: FloatArray, B: FloatArray, tol: float) -> tuple[FloatArray, FloatArray, bool]:
    """All equal-size support pairs of ``(A, B)`` that give an equilibrium within ``tol`` (absolute).

    The flag is True when degeneracy was met: a pure strategy with several pure best responses, or a mixed
    strategy solved for on the way with more pure best responses than its support size.
    """
    m, n = A.shape
    xs, ys = [], []
    degenerate = _ties(A.T, tol) or _ties(B, tol)
    for k in range(1, min(m, n) + 1):
        rows_k = np.array(list(combinations(range(m), k)), dtype=np.intp)
        cols_k = np.array(list(combinations(range(n), k)), dtype=np.intp)
        ia, jb = _undominated_pairs(A, B, rows_k, cols_k, tol)
        for start in range(0, len(ia), CHUNK):
            X, Y, deg = _solve_pairs(A, B, rows_k[ia[start : start + CHUNK]], cols_k[jb[start : start + CHUNK]], tol)
            xs.append(X)
            ys.append(Y)
            degenerate |= deg
    return np.concatenate(xs), np.concatenate(ys), degenerate


def _undominated_pairs(
    A: FloatArray, B: FloatArray, rows_k: npt.NDArray[np.intp], cols_k: npt.NDArray[np.intp], tol: float
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Indices ``(a, b)`` of the support pairs ``(rows_k[a], cols_k[b])`` that survive conditional dominance.

    A row strictly dominated by another row on the columns ``J`` is never a best response to a mix supported
    on ``J``, so no support ``I`` containing it can pair with ``J`` (Porter, Nudelman and Shoham 2008); the
    same holds for columns given ``I``.
    """
    sub_a = A[:, cols_k]  # (m, b, k)
    dom_rows = np.any(np.all(sub_a[:, None] > sub_a[None, :] + tol, axis=3), axis=0)  # (m, b): dominated given J
    sub_b = B[rows_k, :]  # (a, k, n)
    dom_cols = np.any(np.all(sub_b[:, :, :, None] > sub_b[:, :, None, :] + tol, axis=1), axis=1)  # (a, n)
    ok = ~dom_rows.T[:, rows_k].any(axis=2).T & ~dom_cols[:, cols_k].any(axis=2)  # (a, b)
    ia, jb = np.nonzero(ok)
    return ia, jb


def _ties(M: FloatArray, tol: float) -> bool:
    """True when some row of ``M`` (a pure strategy's payoffs to the opponent) has a tied maximum."""
    return bool(((M.max(axis=1, keepdims=True) - tol <= M).sum(axis=1) > 1).any())


def _too_many_best_responses(payoffs: FloatArray, mix: FloatArray, tol: float) -> bool:
    """True when some mix (rows of ``mix``) has more best responses (``payoffs`` rows) than its support size."""
    best = (payoffs >= payoffs.max(axis=1, keepdims=True) - tol).sum(axis=1)
    return bool((best > (mix > tol).sum(axis=1)).any())


def _solve_pairs(
    A: FloatArray, B: FloatArray, rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp], tol: float
) -> tuple[FloatArray, FloatArray, bool]:
    """Equilibria with supports ``rows[p]``, ``cols[p]`` (each ``(P, k)``): the column player's mix first.

    Also returns whether a solved mix had more best responses than its support size (degeneracy).
    """
    m, n = A.shape
    y, v, ok = _indifference(A[rows[:, :, None], cols[:, None, :]])
    ok &= (y >= -tol).all(axis=1)
    row_payoffs = np.einsum("mpk,pk->pm", A[:, cols], y)  # (P, m)
    degenerate = _too_many_best_responses(row_payoffs[ok], y[ok], tol)
    ok &= (row_payoffs <= v[:, None] + tol).all(axis=1)
    rows, cols, y = rows[ok], cols[ok], y[ok]
    sub_b = B[rows[:, :, None], cols[:, None, :]]  # (P, k, k): x^T sub_b = u 1
    x, u, ok = _indifference(np.swapaxes(sub_b, 1, 2))
    ok &= (x >= -tol).all(axis=1)
    col_payoffs = np.einsum("pk,pkn->pn", x, B[rows])  # (P, n)
    degenerate |= _too_many_best_responses(col_payoffs[ok], x[ok], tol)
    ok &= (col_payoffs <= u[:, None] + tol).all(axis=1)
    rows, cols, x, y = rows[ok], cols[ok], x[ok], y[ok]
    X = np.zeros((len(rows), m))
    Y = np.zeros((len(rows), n))
    np.put_along_axis(X, rows, x, axis=1)
    np.put_along_axis(Y, cols, y, axis=1)
    return X, Y, degenerate


def _indifference(M: FloatArray) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    r"""Solve :math:`M z = v \mathbf 1,\ \mathbf 1^\top z = 1` for a stack ``M`` of shape ``(P, k, k)``.

    Returns ``z`` ``(P, k)``, ``v`` ``(P,)`` and a mask of the systems with a usable solution. Payoffs are
    normalised to ``[-1, 1]``, so a genuine solution has ``|z|, |v| <= 1``; a singular system (exactly, or so
    nearly that the solution is meaningless, ``> 1e6``) is rejected. Every kept candidate is certified later
    by its regret, so no determinant test is needed.
    """
    P, k, _ = M.shape
    K = np.zeros((P, k + 1, k + 1))
    K[:, :k, :k] = M
    K[:, :k, k] = -1.0
    K[:, k, :k] = 1.0
    rhs = np.zeros((P, k + 1, 1))
    rhs[:, k] = 1.0
    try:
        sol = np.linalg.solve(K, rhs)[..., 0]
    except np.linalg.LinAlgError:  # some system is exactly singular: solve the others
        singular = np.linalg.slogdet(K)[0] == 0
        K[singular] = np.eye(k + 1)
        sol = np.linalg.solve(K, rhs)[..., 0]
        sol[singular] = np.nan
    with np.errstate(invalid="ignore"):
        ok = np.all(np.abs(sol) <= 1e6, axis=1)
    return sol[:, :k], sol[:, k], ok


# ---------------------------------------------------------------------- small games: one pass over every size
def _small_kernel(A: FloatArray, B: FloatArray, tol: float) -> tuple[FloatArray, FloatArray, bool]:
    """:func:`_support_enumeration_kernel` for small games: all sizes in one vectorised pass, same answers.

    Conditional dominance prunes pairs exactly as :func:`_undominated_pairs` does (with bit sets: row ``i`` is
    dominated given ``J`` when ``J`` lies inside the set of columns on which some row beats it), then the column
    player's systems of every surviving pair are solved in one stacked :func:`numpy.linalg.solve` (each padded
    to ``K + 1`` unknowns), the row player's conditions checked, and the row player's systems of the pairs left
    solved in a second one.
    """
    m, n = A.shape
    K = min(m, n)
    rows, cols, row_bits, col_bits, pa, pb, y_sys, x_sys = support_pair_tables(m, n)
    degenerate = _ties(np.concatenate([A.T, B]), tol) if m == n else _ties(A.T, tol) or _ties(B, tol)
    row_dom_bits, col_dom_bits = pair_dominance(A, B, row_bits, col_bits, tol)
    sel = np.flatnonzero(((row_bits[pa] & row_dom_bits[pb]) | (col_bits[pb] & col_dom_bits[pa])) == 0)
    R, C = rows[pa[sel]], cols[pb[sel]]
    # the column player's mix y: A[I, J] y = v 1, 1^T y = 1
    size = (m + 1) * (n + 1)
    src = np.zeros(size + 3)  # [A with a zero row and column appended, 0, 1, -1]: what the systems index
    src[size + 1 :] = 1.0, -1.0
    Ae = src[:size].reshape(m + 1, n + 1)
    Ae[:m, :n] = A
    y, v, ok = _padded_solve(src[y_sys[sel]], K)
    ok &= (y >= -tol).all(axis=1)
    row_payoffs = np.einsum("mpk,pk->pm", Ae[:m][:, C], y)  # (P, m)
    degenerate |= _too_many_best_responses(row_payoffs[ok], y[ok], tol)
    ok &= (row_payoffs <= v[:, None] + tol).all(axis=1)
    sel, R, C, y = sel[ok], R[ok], C[ok], y[ok]
    # the row player's mix x: x^T B[I, J] = u 1^T, 1^T x = 1
    Ae[:m, :n] = B
    x, u, ok = _padded_solve(src[x_sys[sel]], K)
    ok &= (x >= -tol).all(axis=1)
    col_payoffs = np.einsum("pk,pkn->pn", x, Ae[:, :n][R])  # (P, n)
    degenerate |= _too_many_best_responses(col_payoffs[ok], x[ok], tol)
    ok &= (col_payoffs <= u[:, None] + tol).all(axis=1)
    R, C, x, y = R[ok], C[ok], x[ok], y[ok]
    X = np.zeros((len(R), m + 1))
    Y = np.zeros((len(R), n + 1))
    at = np.arange(len(R))[:, None]
    X[at, R] = x
    Y[at, C] = y
    return X[:, :m], Y[:, :n], degenerate


def _padded_solve(system: FloatArray, K: int) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Solve the stacked ``(P, K + 1, K + 1)`` indifference systems for ``e_K``: ``(z, v, usable)`` as in
    :func:`_indifference`."""
    rhs = np.zeros(K + 1)
    rhs[K] = 1.0
    try:
        sol = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:  # some system is exactly singular: solve the others
        singular = np.linalg.slogdet(system)[0] == 0
        system[singular] = np.eye(K + 1)
        sol = np.linalg.solve(system, rhs)
        sol[singular] = np.nan
    with np.errstate(invalid="ignore"):
        ok = np.all(np.abs(sol) <= 1e6, axis=1)
    return sol[:, :K], sol[:, K], ok  # type: ignore[return-value]
