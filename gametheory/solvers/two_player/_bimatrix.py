r"""Private helpers shared by the 2-player solvers (support and vertex enumeration, Lemke–Howson).

Conventions: ``A`` and ``B`` are the row and column player's payoff matrices of shape ``(m, n)``; the solvers
work on ``A / scale`` and ``B / scale`` (``scale = game.scale``) so that one absolute tolerance fits every game.
Labels follow von Stengel (2007): ``0..m-1`` are the row player's strategies, ``m..m+n-1`` the column
player's. An equilibrium is *degenerate* when some player has more pure best responses than the size of the
other player's support (von Stengel 2007, Definition 3.2), i.e. when a polytope vertex has more tight labels
than dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import SolverError
from ...games.coerce import as_normal_form
from ...games.equilibrium import Equilibria, Equilibrium
from ...games.normal_form import NormalFormGame

FloatArray = npt.NDArray[np.float64]

#: Smallest tolerance used for structural decisions (labels, pivots) in floating point.
TOL_FLOOR = 1e-12
#: Up to this many candidate profiles, :func:`unique_rows` compares them pairwise instead of sorting.
SMALL_UNIQUE = 256


def require_two_players(game: Any, func: str) -> NormalFormGame:
    """Return ``game`` as a :class:`NormalFormGame`, or raise :class:`SolverError` unless it has 2 players."""
    if not isinstance(game, NormalFormGame):
        game = as_normal_form(game, func)
    checked: NormalFormGame = game
    if checked.n_players != 2:
        dims = "x".join(map(str, checked.shape))
        raise SolverError(
            f"{func} handles 2-player games only. Got a {checked.n_players}-player {dims} game; "
            "use support_enumeration or method='auto'."
        )
    return checked


def normalised(game: NormalFormGame) -> tuple[FloatArray, FloatArray]:
    """``(A, B)`` as float64 divided by ``game.scale`` (entries in ``[-1, 1]``)."""
    payoffs = game.float_payoffs / game.scale
    return payoffs[0], payoffs[1]


def shifted_positive(A: FloatArray, B: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``A`` and ``B`` shifted so every entry lies in ``[1, 1 + range]`` (equilibria are unchanged)."""
    return A - A.min() + 1.0, B - B.min() + 1.0


def positive_bimatrix(game: Any, func: str) -> tuple[NormalFormGame, FloatArray, FloatArray]:
    """The checked 2-player ``game`` with its matrices normalised and shifted positive: ``(game, A, B)``."""
    game = require_two_players(game, func)
    A, B = shifted_positive(*normalised(game))
    return game, A, B


def work_tol(tol: float) -> float:
    """The tolerance used for floating-point decisions: ``tol``, but never below :data:`TOL_FLOOR`."""
    return max(float(tol), TOL_FLOOR)


def candidate_tol(tol: float) -> float:
    """Looser tolerance for float candidates that are then confirmed in exact rationals."""
    return max(work_tol(tol), 1e-7)


def unique_rows(Z: FloatArray, atol: float = 1e-7) -> npt.NDArray[np.intp]:
    """Indices of the first occurrence of each distinct row of ``Z`` (entries within ``atol``)."""
    if len(Z) == 0:
        return np.zeros(0, dtype=np.intp)
    if len(Z) <= SMALL_UNIQUE:  # pairwise comparison beats np.unique(axis=0) on a few rows
        distance = np.abs(Z[:, None, :] - Z[None, :, :]).max(axis=2)
        if (distance <= 2 * atol).sum() == len(Z):  # no two profiles near (equal keys are within atol): all kept
            return np.arange(len(Z))
        key = np.round(Z / atol)
        same_key = (key[:, None, :] == key[None, :, :]).all(axis=2)
        keep = np.flatnonzero(same_key.argmax(axis=1) == np.arange(len(Z)))
        close = (distance <= atol).tolist()
        out: list[int] = []
        for k in keep.tolist():
            if not any(close[k][j] for j in out):
                out.append(k)
        return np.asarray(out, dtype=np.intp)
    _, first = np.unique(np.round(Z / atol).astype(np.int64), axis=0, return_index=True)
    keep = np.sort(first)
    # rounding can split two nearby profiles across a grid line: merge those too
    out = []
    for row in keep.tolist():
        if not any(np.max(np.abs(Z[row] - Z[j])) <= atol for j in out):
            out.append(row)
    return np.asarray(out, dtype=np.intp)


# ---------------------------------------------------------------------- support pairs of small games
@lru_cache(maxsize=32)
def support_pair_tables(m: int, n: int) -> tuple[npt.NDArray[Any], ...]:
    """Every equal-size support pair of an ``m x n`` game, as bit sets and padded index tables.

    Returns ``rows (R, K)`` and ``cols (C, K)`` (every support, by size, padded with ``m`` / ``n`` up to
    ``K = min(m, n)``), their bit sets ``row_bits (R,)``, ``col_bits (C,)``, the pairs ``pa, pb (P,)`` (ordered by
    size, then row support, then column support) and, for each
    pair, the flat indices ``y_sys``, ``x_sys`` ``(P, K + 1, K + 1)`` of its two indifference systems into
    ``[A_pad.ravel(), 0, 1, -1]`` (``A_pad`` is ``A`` with a zero row and column appended): the payoff block on
    the support, ``-1`` in the value column and ``1`` in the sum row, ``1`` on the padding's diagonal (so padded
    unknowns solve to 0).
    """
    K = min(m, n)

    def supports(s: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.int64]]:
        subsets = [c for k in range(1, K + 1) for c in combinations(range(s), k)]
        table = np.full((len(subsets), K), s, dtype=np.intp)
        for t, c in enumerate(subsets):
            table[t, : len(c)] = c
        bits = np.array([sum(1 << i for i in c) for c in subsets], dtype=np.int64)
        return table, np.array([len(c) for c in subsets], dtype=np.intp), bits

    rows, rsize, row_bits = supports(m)
    cols, csize, col_bits = supports(n)
    pa, pb = np.nonzero(np.equal.outer(rsize, csize))  # by size (supports are listed by size), then a, b
    R, C = rows[pa], cols[pb]
    pad = np.equal(R, m)  # (P, K): the padded positions (the same for both supports of a pair)
    width = n + 1
    zero, one, minus = (m + 1) * width, (m + 1) * width + 1, (m + 1) * width + 2
    diag = np.eye(K, dtype=bool)
    tables = []
    for block in (R[:, :, None] * width + C[:, None, :], R[:, None, :] * width + C[:, :, None]):
        sys_idx = np.full((len(pa), K + 1, K + 1), zero, dtype=np.intp)
        padded = pad[:, :, None] | pad[:, None, :]
        sys_idx[:, :K, :K] = np.where(padded, np.where(diag, one, zero), block)
        sys_idx[:, :K, K] = np.where(pad, zero, minus)
        sys_idx[:, K, :K] = np.where(pad, zero, one)
        tables.append(sys_idx)
    out = (rows, cols, row_bits, col_bits, pa, pb, *tables)
    for a in out:
        a.flags.writeable = False
    return out


def pair_dominance(
    A: FloatArray, B: FloatArray, row_bits: npt.NDArray[np.int64], col_bits: npt.NDArray[np.int64], tol: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Conditional dominance as bit sets: ``(row_dom (C,), col_dom (R,))`` for the supports of
    :func:`support_pair_tables`.

    ``row_dom[c]`` holds the rows strictly dominated (by more than ``tol`` on every column) by another row given
    the column support ``c``; ``col_dom[r]`` the columns dominated by another column given the row support ``r``
    (Porter, Nudelman and Shoham 2008). Row ``i`` is dominated given ``J`` when ``J`` lies inside the set of
    columns on which some row beats it.
    """
    m, n = A.shape
    row_beats = (A[:, None, :] > A[None, :, :] + tol) @ (np.int64(1) << np.arange(n, dtype=np.int64))  # (m, m)
    col_beats = (B.T[:, None, :] > B.T[None, :, :] + tol) @ (np.int64(1) << np.arange(m, dtype=np.int64))  # (n, n)
    row_dominated = ((col_bits[:, None, None] & ~row_beats) == 0).any(axis=1)  # (C, m)
    col_dominated = ((row_bits[:, None, None] & ~col_beats) == 0).any(axis=1)  # (R, n)
    row_dom = row_dominated @ (np.int64(1) << np.arange(m, dtype=np.int64))
    col_dom = col_dominated @ (np.int64(1) << np.arange(n, dtype=np.int64))
    return row_dom, col_dom


# ---------------------------------------------------------------------- exact rationals
def exact_solve(M: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> list[Fraction] | None:
    """The unique solution of the (possibly over-determined) system ``M z = b`` in rationals, or None.

    Gauss–Jordan elimination over :class:`fractions.Fraction`; None when the system is inconsistent or has
    more than one solution.
    """
    rows = [list(r) + [bb] for r, bb in zip(M, b, strict=True)]
    n_cols = len(rows[0]) - 1 if rows else 0
    pivot_row = 0
    pivots = []
    for c in range(n_cols):
        p = next((r for r in range(pivot_row, len(rows)) if rows[r][c] != 0), None)
        if p is None:
            return None  # a free variable: not unique
        rows[pivot_row], rows[p] = rows[p], rows[pivot_row]
        piv = rows[pivot_row][c]
        rows[pivot_row] = [v / piv for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][c] != 0:
                f = rows[r][c]
                rows[r] = [a - f * bb for a, bb in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(c)
        pivot_row += 1
    if any(rows[r][-1] != 0 for r in range(pivot_row, len(rows))):
        return None  # inconsistent
    return [rows[k][-1] for k in range(n_cols)]


def _exact_side(own: Any, x: FloatArray, opp_payoff: FloatArray, tol: float) -> list[Fraction] | None:
    """Solve exactly for one player's mix ``x`` from its float approximation.

    ``own`` is the opponent's exact payoff matrix oriented ``(len(x), k)``: the opponent's payoff from its
    pure strategy ``j`` is ``sum_i x_i own[i, j]``. Tight constraints: ``x_i = 0`` off the support,
    ``(x^T own)_j = u`` for the opponent's best responses ``j``, and ``sum x = 1``; unknowns ``(x, u)``.
    """
    m, k = own.shape
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    zero, one = Fraction(0), Fraction(1)
    for i in range(m):
        if x[i] <= tol:
            rows.append([one if t == i else zero for t in range(m)] + [zero])
            rhs.append(zero)
    best = opp_payoff.max()
    for j in range(k):
        if opp_payoff[j] >= best - tol:
            rows.append([Fraction(own[i, j]) for i in range(m)] + [-one])
            rhs.append(zero)
    rows.append([one] * m + [zero])
    rhs.append(one)
    sol = exact_solve(rows, rhs)
    return None if sol is None else sol[:m]


def to_exact(game: NormalFormGame, x: FloatArray, y: FloatArray, tol: float) -> tuple[list[Fraction], ...] | None:
    """The exact rational equilibrium near the float one ``(x, y)`` of an exact game, or None.

    The tight constraints (zero probabilities, best responses within ``tol`` of the normalised payoffs) are
    solved in rationals; the answer is returned only when unique, non-negative and of regret exactly 0.
    """
    A, B = normalised(game)
    ex = _exact_side(game.payoffs[1], x, x @ B, tol)
    ey = _exact_side(game.payoffs[0].T, y, A @ y, tol)
    if ex is None or ey is None or min(ex) < 0 or min(ey) < 0:
        return None
    if game.regret([np.array(ex, dtype=object), np.array(ey, dtype=object)]) != 0:
        return None
    return ex, ey


# ---------------------------------------------------------------------- results
def float_member(Z: FloatArray, m: int, payoffs: FloatArray, regret: FloatArray, flags: npt.NDArray[np.bool_],
                 k: int, component: int | None) -> Equilibrium:
    """Row ``k`` of checked profiles ``Z = [X | Y]`` (payoffs and regret in the game's own units) as an
    :class:`Equilibrium`."""
    return Equilibrium(profile=(Z[k, :m], Z[k, m:]), payoffs=payoffs[k], regret=float(regret[k]),
                       degenerate=bool(flags[k]), component=component)


def build_equilibria(
    game: NormalFormGame,
    X: FloatArray,
    Y: FloatArray,
    *,
    method: str,
    complete: bool,
    tol: float,
    game_degenerate: bool | None = None,
    components: npt.NDArray[np.intp] | None = None,
    success: bool = True,
    message: str = "",
    parameters: dict[str, Any] | None = None,
    checked: tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]] | None = None,
) -> Equilibria:
    r"""Verify, de-duplicate, sort and wrap float equilibria ``(X[k], Y[k])`` of a 2-player game.

    Profiles are cleaned (clipped, renormalised), kept when their regret
    :math:`\max(\max_i (A y)_i - x^\top A y,\ \max_j (x^\top B)_j - x^\top B y)` is at most ``tol * scale``,
    converted to exact rationals when the game is exact (dropped if no exact equilibrium is near), sorted by
    support size then lexicographically (largest first), and flagged degenerate when their own best-response
    structure is degenerate or their component (``components``: non-negative integers) holds several extreme
    equilibria. ``game_degenerate=None`` means: the game is degenerate iff some returned equilibrium is.
    ``checked``: what :func:`~._profile_check_kernel.check_profiles` returns for ``(X, Y)``, when a compiled solver
    has computed it already (then ``X`` and ``Y`` are not read). Float games get their members made on first
    access (:meth:`Equilibria.deferred`).

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]]).to_float()
    >>> eqs = build_equilibria(bos, np.array([[0.75, 0.25], [0, 1]]), np.array([[0.25, 0.75], [1, 0]]),
    ...                        method="demo", complete=False, tol=1e-9)
    >>> len(eqs), eqs[0].regret   # the second profile has regret 2: dropped
    (1, 0.0)
    """
    A0, B0 = game.float_payoffs
    m, n = A0.shape
    scale = game.scale
    wt = work_tol(tol)
    if checked is None:
        from ._profile_check_kernel import check_profiles  # lazy: numba kernel

        checked = check_profiles(A0, B0, np.ascontiguousarray(np.reshape(X, (-1, m)), float),
                                 np.ascontiguousarray(np.reshape(Y, (-1, n)), float), wt * 100, wt * 100 * scale)
    Z, payoffs, raw_regret, flags = checked
    limit = (candidate_tol(tol) if game.is_exact else wt) * scale
    comp = np.zeros(1, dtype=np.intp) if components is None and len(Z) == 1 else (
        np.arange(len(Z)) if components is None else np.asarray(components))
    if len(Z) == 1 and components is None:  # one candidate (Lemke-Howson): nothing to de-duplicate or sort
        order = [0] if float(raw_regret[0]) <= limit else []
        flagged = bool(order) and bool(flags[0])
    else:
        keep = np.flatnonzero(raw_regret <= limit)
        if len(keep) > 1:
            keep = keep[unique_rows(Z[keep], atol=1e-7)]
        if len(keep) < len(Z):
            Z, comp, payoffs, raw_regret, flags = (a[keep] for a in (Z, comp, payoffs, raw_regret, flags))
        if components is not None and len(comp):  # without components every profile is its own
            flags |= np.bincount(comp)[comp] > 1
        # by support size, then lexicographically largest first (a stable sort)
        sort_keys = list(zip((wt < Z).sum(axis=1).tolist(), (-np.round(Z, 9)).tolist(), strict=True))
        order = sorted(range(len(Z)), key=sort_keys.__getitem__)
        flagged = bool(flags.any())
    game_deg = flagged if game_degenerate is None else bool(game_degenerate or flagged)
    attributes = {"method": method, "complete": complete, "degenerate": game_deg, "tol": tol, "success": success,
                  "message": message, "parameters": parameters}
    if not game.is_exact:  # float members are made on first access: their numbers are all known here

        def members() -> list[Equilibrium]:
            relabel: dict[int, int] = {}
            comp_list: list[int] = comp.tolist()
            return [
                float_member(Z, m, payoffs, raw_regret, flags, k,
                             None if components is None else relabel.setdefault(comp_list[k], len(relabel)))
                for k in order
            ]

        return Equilibria.deferred(members, len(order), exact=False, **attributes)
    X, Y = Z[:, :m], Z[:, m:]
    relabel: dict[int, int] = {}
    eqs: list[Equilibrium] = []
    all_exact = True
    flag_list: list[bool] = flags.tolist()  # type: ignore[assignment]
    comp_list: list[int] = comp.tolist()
    for k in order:
        exact = to_exact(game, X[k], Y[k], candidate_tol(tol))
        if exact is None:
            if raw_regret[k] > wt * scale:  # a near-miss admitted only as an exact candidate
                continue
            all_exact = False  # no exact equilibrium nearby, but a float one within tolerance
        c = relabel.setdefault(comp_list[k], len(relabel))
        component = None if components is None else c
        if exact is not None:  # payoffs and regret in rationals
            profile = [np.array(v, dtype=object) for v in exact]
            eqs.append(Equilibrium.from_profile(game, profile, degenerate=flag_list[k], component=component))
        else:  # payoffs and regret in the game's own units, computed above in one pass
            eqs.append(float_member(Z, m, payoffs, raw_regret, flags, k, component))
    return Equilibria(eqs, exact=all_exact and bool(eqs), **attributes)
