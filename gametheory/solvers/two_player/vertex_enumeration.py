r"""Vertex enumeration: every extreme Nash equilibrium of a bimatrix game, degenerate games included.

The vertices of both best-response polytopes are enumerated by a breadth-first search over feasible bases
(every pivot of every frontier basis is computed in one batched solve), completely labelled vertex pairs are
matched through their label sets, and extreme equilibria are grouped into the connected components of the
bipartite graph of compatible pairs (Avis, Rosenberg, Savani and von Stengel 2010). Games with ``m + n <= 62``
first get their equilibria from a compiled kernel (:mod:`._vertex_kernel`) that walks each polytope's vertices by
simplex pivots and matches complementary label sets; when a polytope turns out degenerate (or too large for the
kernel's memory), the search runs instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..._validation import Interval, NoneOr, validate_params
from ...games.equilibrium import Equilibria
from ...games.normal_form import DEFAULT_TOL
from ._bimatrix import (
    FloatArray,
    build_equilibria,
    positive_bimatrix,
    work_tol,
)

__all__ = ["vertex_enumeration", "polytope_vertices"]

BoolArray = npt.NDArray[np.bool_]
#: Bases solved per batched step of the search (bounds memory).
CHUNK = 4096
#: Smallest pivot element accepted in the ratio test.
PIVOT_TOL = 1e-9
#: Largest number of floats held in the frontier's tableaux before they are re-solved instead of pivoted.
MAX_TABLEAU_FLOATS = 30_000_000
#: Games with ``m + n`` up to this take the compiled kernel first (:mod:`._vertex_kernel`; its label sets are bits
#: of one int64), the search where it reports a degenerate polytope (measured 12x12 random normal games: about
#: 4 ms against 30 ms for the search).
KERNEL_MAX_LABELS = 62


@validate_params({"game": None, "tol": Interval(float, 0, 1), "max_vertices": NoneOr(Interval(int, 1, None))})
def vertex_enumeration(game: Any, *, tol: float = DEFAULT_TOL, max_vertices: int | None = None) -> Equilibria:
    r"""Every extreme Nash equilibrium of a 2-player game, by enumerating best-response polytope vertices.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A 2-player game.
    tol : float, default ``DEFAULT_TOL``
        Tolerance relative to ``game.scale`` for labels (tight constraints) and the regret check; values below
        ``1e-12`` are raised to ``1e-12``. Exact games are re-solved in rationals (regret exactly 0).
    max_vertices : int or None, default None
        Stop enumerating a polytope after this many feasible bases (then ``complete=False``,
        ``success=False``); None: no limit.

    Returns
    -------
    Equilibria
        ``complete=True``. When some polytope vertex has more tight labels than dimensions, each equilibrium
        carries ``component`` (the index of its connected set of equilibria) and ``degenerate=True`` when it is
        a degenerate profile or shares its component with other extreme equilibria (a continuum: the component
        is the union of the convex hulls of its maximal cliques). The game's ``degenerate`` is True when two
        extreme equilibria share a component (a continuum; ``docs/degenerate.md``), not on ties alone.

    Raises
    ------
    SolverError
        The game does not have exactly 2 players.
    InvalidParameterError
        ``tol`` is outside ``[0, 1]``, or ``max_vertices`` is neither None nor a positive int.

    Notes
    -----
    Shift the payoffs so that :math:`A, B > 0` (equilibria are unchanged) and let

    .. math::

        P = \{x \in \mathbb R^m : x \ge 0,\ B^\top x \le \mathbf 1\}, \qquad
        Q = \{y \in \mathbb R^n : A y \le \mathbf 1,\ y \ge 0\}.

    A point of :math:`P` has label :math:`i` if :math:`x_i = 0` and label :math:`m + j` if
    :math:`(B^\top x)_j = 1`; a point of :math:`Q` has label :math:`i` if :math:`(Ay)_i = 1` and :math:`m + j`
    if :math:`y_j = 0`. :math:`(x, y) \ne (0, 0)` is *completely labelled* when every label in
    :math:`\{0, \dots, m+n-1\}` appears at :math:`x` or at :math:`y`; then
    :math:`(x / \mathbf 1^\top x,\ y / \mathbf 1^\top y)` is a Nash equilibrium, and the extreme equilibria are
    exactly the completely labelled vertex pairs (von Stengel 2007, Thm. 3.4). Degenerate games, in which a
    vertex has more than :math:`m` (resp. :math:`n`) labels, can have continua of equilibria: the maximal
    Nash subsets are the products of *cliques* of the bipartite graph whose edges are the completely labelled
    vertex pairs, and the components of equilibria are the connected components of that graph (Avis et al.
    2010). Vertices are found by breadth-first search over feasible bases of
    :math:`[B^\top \mid I] (x, s) = \mathbf 1`; every pivot allowed by the ratio test, ties included, is
    followed, so every basis of every (degenerate) vertex is reached. Games with :math:`m + n \le 62` first try a
    compiled walk: while a polytope is nondegenerate each vertex is exactly one basis, whose :math:`m` (:math:`n`)
    nonbasic variables are its labels, and its neighbours are the pivots the minimum-ratio test allows, so the
    vertex graph (connected, Balinski's theorem) is walked from :math:`0`, a vertex known by its label set. A basic
    variable at most ``tol`` means a vertex with more labels than dimensions; the walk then stops and the search
    runs. On nondegenerate polytopes the completely labelled pairs are the vertex pairs with complementary label
    sets, each its own component.

    References
    ----------
    .. [1] B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
       in N. Nisan, T. Roughgarden, E. Tardos and V. Vazirani (eds.), *Algorithmic Game Theory*, ch. 3,
       pp. 53-78, Cambridge University Press, 2007.
    .. [2] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel, "Enumeration of Nash equilibria for
       two-player games", *Economic Theory* 42(1), pp. 9-37, 2010.
    .. [3] D. Avis and K. Fukuda, "A pivoting algorithm for convex hulls and vertex enumeration of arrangements
       and polyhedra", *Discrete & Computational Geometry* 8, pp. 295-313, 1992.

    Examples
    --------
    A degenerate game (von Stengel 2007): the row player's first strategy against any
    :math:`y_1 \ge 2/3` is a segment of equilibria, reported by its two end points in one component.

    >>> import gametheory as gt
    >>> from gametheory.solvers.two_player.vertex_enumeration import vertex_enumeration
    >>> game = gt.NormalFormGame([[[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]])
    >>> eqs = vertex_enumeration(game)
    >>> len(eqs), eqs.degenerate, [e.component for e in eqs]
    (3, True, [0, 0, 1])
    >>> [[round(float(p), 4) for p in v] for v in eqs[1].profile]
    [[1.0, 0.0, 0.0], [0.6667, 0.3333]]
    """
    game, A, B = positive_bimatrix(game, "vertex_enumeration")
    wt = work_tol(tol)
    m, n = A.shape
    if max_vertices is None and m + n <= KERNEL_MAX_LABELS:
        # importing numba costs ~0.25 s: only games that reach this line pay it
        from ._vertex_kernel import small_equilibria  # lazy: numba kernel

        X, Y, degenerate = small_equilibria(A, B, wt)
        if not degenerate:  # nondegenerate: each extreme equilibrium is its own component
            return build_equilibria(
                game, X, Y, method="vertex_enumeration", complete=True, tol=tol, game_degenerate=False,
                components=np.arange(len(X)), parameters={"tol": tol, "max_vertices": max_vertices},
            )
    xs, tight_p, done_p = polytope_vertices(B.T, tol=wt, max_bases=max_vertices)
    ys, tight_q, done_q = polytope_vertices(A, tol=wt, max_bases=max_vertices)
    labels_q = np.hstack([tight_q[:, n:], tight_q[:, :n]])  # Q's variables are (y, r): put row labels first
    deg_p = tight_p.sum(axis=1) > m
    deg_q = labels_q.sum(axis=1) > n
    px, qy = _complete_pairs(tight_p, labels_q, deg_p, deg_q)
    real = xs[px].sum(axis=1) > wt  # drop the artificial pair (0, 0)
    px, qy = px[real], qy[real]
    components = _components(px, qy, len(xs))
    success = done_p and done_q
    eqs = build_equilibria(
        game,
        xs[px],
        ys[qy],
        method="vertex_enumeration",
        complete=success,
        tol=tol,
        game_degenerate=bool(deg_p.any() or deg_q.any()),
        components=components,
        success=success,
        message="" if success else f"stopped after max_vertices={max_vertices} bases of a polytope",
        parameters={"tol": tol, "max_vertices": max_vertices},
    )
    if not eqs.degenerate:
        return eqs
    # the game's flag means a continuum (docs/degenerate.md): two extreme equilibria in one component, not a tie
    components = [e.component for e in eqs]
    return eqs.replace(degenerate=len(components) != len(set(components)))


def polytope_vertices(G: FloatArray, *, tol: float, max_bases: int | None = None) -> tuple[FloatArray, BoolArray, bool]:
    r"""Vertices of :math:`\{z \ge 0 : G z \le \mathbf 1\}` for a positive ``G`` of shape ``(r, d)``.

    Returns the vertices ``(V, d)``, their tight constraints ``(V, d + r)`` (``z_i = 0`` first, then
    ``(G z)_j = 1``) and whether the search finished (False when it stopped at ``max_bases``). The search
    keeps one simplex tableau per frontier basis; a new basis gets its tableau by one pivot from its parent's
    (re-solved from scratch when a level is too wide to hold in memory).

    Examples
    --------
    >>> import numpy as np
    >>> V, tight, done = polytope_vertices(np.array([[1.0, 2.0], [2.0, 1.0]]), tol=1e-9)
    >>> np.round(V, 4).tolist(), tight.shape, done
    ([[0.0, 0.0], [0.5, 0.0], [0.0, 0.5], [0.3333, 0.3333]], (4, 4), True)
    """
    r, d = G.shape
    nv = d + r
    full = np.hstack([G, np.eye(r)])
    aug = np.hstack([full, np.ones((r, 1))])
    bases = np.arange(d, nv)[None, :]
    tableaux = _solve_tableaux(full, aug, bases)
    visited: Any = _keys(bases, nv)
    if visited.dtype.kind == "u":
        visited = set(visited.tolist())
    points, tights = [], []
    n_bases, finished = 0, True
    while len(bases):
        values = np.zeros((len(bases), nv))
        values[np.arange(len(bases))[:, None], bases] = np.clip(tableaux[:, :, -1], 0.0, None)
        points.append(values[:, :d])
        tights.append(values <= tol)
        n_bases += len(bases)
        if max_bases is not None and n_bases >= max_bases:
            finished = False
            break
        moves = [_moves(tableaux[s : s + CHUNK], bases[s : s + CHUNK], tol, s) for s in range(0, len(bases), CHUNK)]
        f, row, q = (np.concatenate(part) for part in zip(*moves, strict=True))
        children = bases[f]
        children[np.arange(len(f)), row] = q
        keys, first = np.unique(_keys(children, nv), return_index=True)
        if isinstance(visited, set):  # small searches: a hash set is cheaper than sorting
            fresh = np.array([k not in visited for k in keys.tolist()], dtype=bool)
            visited.update(keys[fresh].tolist())
        else:
            fresh = ~np.isin(keys, visited)
            visited = np.concatenate([visited, keys[fresh]])
        pick = first[fresh]
        bases = children[pick]
        if len(pick) * r * (nv + 1) <= MAX_TABLEAU_FLOATS:
            tableaux = _pivot(tableaux, f[pick], row[pick], q[pick])
        else:
            tableaux = _solve_tableaux(full, aug, bases)
    Z, T = np.concatenate(points), np.concatenate(tights)
    _, first = np.unique(_keys_mask(T), return_index=True)  # one row per vertex (degenerate ones have many bases)
    first = np.sort(first)
    return Z[first], T[first], finished


def _solve_tableaux(full: FloatArray, aug: FloatArray, bases: npt.NDArray[np.intp]) -> FloatArray:
    r"""The tableau :math:`M_B^{-1} [M \mid \mathbf 1]` of every basis (batched solves, in chunks)."""
    out = np.empty((len(bases), *aug.shape))
    for s in range(0, len(bases), CHUNK):
        chunk = bases[s : s + CHUNK]
        MB = np.swapaxes(full[:, chunk], 0, 1)  # (F, r, r): the basis columns
        out[s : s + CHUNK] = np.linalg.solve(MB, np.broadcast_to(aug, (len(chunk), *aug.shape)))
    return out


def _moves(tableaux: FloatArray, bases: npt.NDArray[np.intp], tol: float, offset: int) -> tuple[
    npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]
]:
    """Every pivot ``(basis, leaving row, entering column)`` the ratio test allows, ties included."""
    F, r, width = tableaux.shape
    rhs = np.clip(tableaux[:, :, -1], 0.0, None)
    basic = np.zeros((F, width - 1), dtype=bool)
    basic[np.arange(F)[:, None], bases] = True
    nonbasic = np.nonzero(~basic)[1].reshape(F, width - 1 - r)  # only these can enter
    cols = np.take_along_axis(tableaux, nonbasic[:, None, :], axis=2)  # (F, r, d)
    positive = cols > PIVOT_TOL
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(positive, rhs[:, :, None] / cols, np.inf)
    best = ratio.min(axis=1, keepdims=True)
    f, row, k = np.nonzero(positive & (ratio <= best + tol))
    return f + offset, row, nonbasic[f, k]


def _pivot(
    tableaux: FloatArray, f: npt.NDArray[np.intp], row: npt.NDArray[np.intp], q: npt.NDArray[np.intp]
) -> FloatArray:
    """The tableaux after pivoting column ``q[k]`` into row ``row[k]`` of ``tableaux[f[k]]``."""
    out = np.empty((len(f), *tableaux.shape[1:]))
    for s in range(0, len(f), 1024):  # blocks small enough for the temporaries to stay in cache
        ff, rr, qq = f[s : s + 1024], row[s : s + 1024], q[s : s + 1024]
        k = np.arange(len(ff))
        T = out[s : s + 1024]
        np.take(tableaux, ff, axis=0, out=T)
        prow = T[k, rr, :] / T[k, rr, qq][:, None]
        T -= T[k, :, qq][:, :, None] * prow[:, None, :]
        T[k, rr, :] = prow
    return out


def _keys(bases: npt.NDArray[np.intp], nv: int) -> npt.NDArray[Any]:
    """One key per basis (a set of column indices), as :func:`_keys_mask` of its indicator."""
    if nv <= 63:
        return _POWERS[bases].sum(axis=1)  # type: ignore[no-any-return]
    mask = np.zeros((len(bases), nv), dtype=bool)
    mask[np.arange(len(bases))[:, None], bases] = True
    return _keys_mask(mask)


_POWERS = np.left_shift(np.uint64(1), np.arange(63, dtype=np.uint64))


def _keys_mask(mask: BoolArray) -> npt.NDArray[Any]:
    """One hashable, sortable key per row of a boolean mask (a uint64 bit set up to 63 columns, bytes beyond)."""
    if mask.shape[1] <= 63:
        return (mask * _POWERS[: mask.shape[1]]).sum(axis=1, dtype=np.uint64)  # type: ignore[no-any-return]
    packed = np.ascontiguousarray(np.packbits(mask, axis=1))
    return packed.view(np.dtype((np.void, packed.shape[1]))).ravel()


def _complete_pairs(tx: BoolArray, ty: BoolArray, deg_x: BoolArray, deg_y: BoolArray) -> tuple[
    npt.NDArray[np.intp], npt.NDArray[np.intp]
]:
    """Index pairs ``(i, j)`` of completely labelled vertex pairs (including the artificial ``(0, 0)``).

    Nondegenerate vertices carry exactly ``m`` (``n``) labels, so their partner's label set is the complement:
    matched by key. Degenerate vertices are checked against every vertex of the other polytope.
    """
    nd_x, nd_y = np.flatnonzero(~deg_x), np.flatnonzero(~deg_y)
    _, ix, iy = np.intersect1d(_keys_mask(~tx[nd_x]), _keys_mask(ty[nd_y]), return_indices=True)
    pairs = [np.stack([nd_x[ix], nd_y[iy]], axis=1)]
    miss_y = (~ty).astype(np.float32)
    for i in np.flatnonzero(deg_x):
        js = np.flatnonzero(miss_y @ (~tx[i]).astype(np.float32) == 0)
        pairs.append(np.stack([np.full(len(js), i), js], axis=1))
    miss_x = (~tx[nd_x]).astype(np.float32)
    for j in np.flatnonzero(deg_y):
        iis = nd_x[np.flatnonzero(miss_x @ (~ty[j]).astype(np.float32) == 0)]
        pairs.append(np.stack([iis, np.full(len(iis), j)], axis=1))
    both = np.concatenate(pairs).astype(np.intp)
    return both[:, 0], both[:, 1]


def _components(px: npt.NDArray[np.intp], qy: npt.NDArray[np.intp], n_x: int) -> npt.NDArray[np.intp]:
    """Connected component of each edge ``(px[k], qy[k])`` of the bipartite graph of extreme equilibria."""
    parent = list(range(n_x + (int(qy.max()) + 1 if len(qy) else 0)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in zip(px.tolist(), qy.tolist(), strict=True):
        parent[root(i)] = root(n_x + j)
    return np.array([root(i) for i in px.tolist()], dtype=np.intp)
