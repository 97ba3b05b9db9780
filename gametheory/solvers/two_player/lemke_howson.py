r"""The Lemke–Howson algorithm: complementary pivoting on the two best-response polytopes.

Every run follows one path of almost completely labelled vertex pairs from the artificial equilibrium
``(0, 0)`` to an equilibrium; ties in the ratio test are broken lexicographically, so runs terminate on
degenerate games too, and every run is capped at ``max_iter`` pivots. The pivoting runs in a compiled kernel
(:mod:`._lemke_howson_kernel`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._validation import Interval, check_param, validate_params
from ...games.equilibrium import Equilibria, Equilibrium
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from ._bimatrix import TOL_FLOOR, build_equilibria, positive_bimatrix, require_two_players, work_tol

__all__ = ["lemke_howson", "lemke_howson_from"]

#: Default cap on the pivots of one run.
DEFAULT_MAX_ITER = 10_000

@validate_params(
    {"game": None, "tol": Interval(float, 0, 1), "max_iter": Interval(int, 1, None)}
)
def lemke_howson(game: Any, *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER) -> Equilibria:
    r"""Equilibria found by Lemke–Howson from every starting label, de-duplicated.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A 2-player game.
    tol : float, default ``DEFAULT_TOL``
        Tolerance relative to ``game.scale`` (pivot and regret checks); at least ``1e-12`` in floating point.
    max_iter : int, default 10000
        Largest number of pivots of one run.

    Returns
    -------
    Equilibria
        ``complete=False``: Lemke–Howson need not reach every equilibrium. ``success=False`` (and ``message``
        lists the labels) when some run hit ``max_iter``.

    Raises
    ------
    SolverError
        The game does not have exactly 2 players.
    InvalidParameterError
        ``tol`` or ``max_iter`` is out of range.

    Notes
    -----
    With payoffs shifted positive, let :math:`P = \{x \ge 0 : B^\top x \le 1\}` and
    :math:`Q = \{y \ge 0 : Ay \le 1\}`, labelled as in
    :func:`~gametheory.solvers.two_player.vertex_enumeration.vertex_enumeration`. Dropping label :math:`k` from the
    artificial equilibrium :math:`(0, 0)` leaves a path of :math:`k`-almost completely labelled vertex pairs;
    each step pivots in one polytope (the entering variable has the duplicate label, the leaving one is chosen by
    the minimum-ratio test)

    .. math::

        \min_{r:\ t_{rq} > 0} \frac{\beta_r}{t_{rq}}

    and the path ends at a Nash equilibrium, where label :math:`k` is picked up again. Ties are broken by the
    lexicographic rule (rows of the basis inverse divided by :math:`t_{rq}`), which keeps the path well defined
    on degenerate games. This function runs the path from each of the :math:`m + n` labels.

    References
    ----------
    .. [1] C. E. Lemke and J. T. Howson, Jr., "Equilibrium points of bimatrix games", *Journal of the Society
       for Industrial and Applied Mathematics* 12(2), pp. 413-423, 1964.
    .. [2] B. von Stengel, "Equilibrium computation for two-player games in strategic and extensive form",
       in N. Nisan, T. Roughgarden, E. Tardos and V. Vazirani (eds.), *Algorithmic Game Theory*, ch. 3,
       pp. 53-78, Cambridge University Press, 2007.
    .. [3] R. Savani and B. von Stengel, "Hard-to-solve bimatrix games", *Econometrica* 74(2), pp. 397-429, 2006.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.two_player.lemke_howson import lemke_howson
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = lemke_howson(bos)  # the mixed equilibrium (index -1) is not reached from (0, 0)
    >>> len(eqs), eqs.complete, eqs.success
    (2, False, True)
    """
    from ._lemke_howson_kernel import lemke_howson_path  # lazy: numba kernel

    game, A, B = positive_bimatrix(game, "lemke_howson")
    wt = work_tol(tol)
    xs, ys, failed, pivots = [], [], [], 0
    for label in range(sum(A.shape)):
        x, y, nit, converged = lemke_howson_path(A, B, label, max_iter, wt)
        pivots += nit
        if converged:
            xs.append(x)
            ys.append(y)
        else:
            failed.append(label)
    message = f"{pivots} pivots in {sum(A.shape)} runs"
    if failed:
        message = f"runs from labels {failed} hit max_iter={max_iter}; " + message
    return build_equilibria(
        game,
        np.array(xs).reshape(-1, A.shape[0]),
        np.array(ys).reshape(-1, A.shape[1]),
        method="lemke_howson",
        complete=False,
        tol=tol,
        success=not failed,
        message=message,
        parameters={"tol": tol, "max_iter": max_iter},
    )


@validate_params(
    {"game": None, "label": None, "tol": Interval(float, 0, 1), "max_iter": Interval(int, 1, None)}
)
def lemke_howson_from(
    game: Any, label: int, *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER
) -> Equilibria:
    r"""The equilibrium at the end of the Lemke–Howson path that drops ``label``.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A 2-player game of shape ``(m, n)``.
    label : int
        The starting label: ``0..m-1`` are the row player's strategies, ``m..m+n-1`` the column player's.
    tol : float, default ``DEFAULT_TOL``
        Tolerance relative to ``game.scale``.
    max_iter : int, default 10000
        Largest number of pivots.

    Returns
    -------
    Equilibria
        One equilibrium, or none with ``success=False`` when the run hit ``max_iter``; ``message`` gives the
        number of pivots.

    Raises
    ------
    InvalidParameterError
        ``label`` is not below ``m + n``, or ``tol``/``max_iter`` are out of range.

    Notes
    -----
    One path of :func:`lemke_howson`: complementary pivoting with the lexicographic minimum-ratio test
    :math:`\min_r \beta_r / t_{rq}`, from the artificial equilibrium :math:`(0, 0)` with label ``label``
    dropped, to the first completely labelled pair.

    References
    ----------
    Those of :func:`lemke_howson`.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.two_player.lemke_howson import lemke_howson_from
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eq = lemke_howson_from(bos, 0)[0]
    >>> [[round(float(p), 2) for p in v] for v in eq.profile]
    [[1.0, 0.0], [1.0, 0.0]]
    """
    if type(game) is not NormalFormGame or game.payoffs.ndim != 3:  # the full check only off the fast path
        game = require_two_players(game, "lemke_howson_from")
    P = game.float_payoffs
    m, n = P.shape[1], P.shape[2]
    if type(label) is not int or not 0 <= label < m + n:  # the full check only off the fast path
        check_param("lemke_howson_from", "label", label, Interval(int, 0, m + n - 1))
        label = int(label)
    wt = tol if tol >= TOL_FLOOR else TOL_FLOOR
    parameters = {"label": label, "tol": tol, "max_iter": max_iter}
    if game.is_exact:
        from ._lemke_howson_kernel import lemke_howson_checked  # lazy: numba kernel

        Z, payoffs, regret, flags, nit, converged = lemke_howson_checked(P[0], P[1], game.scale, label, max_iter, wt)
        message = f"{nit} pivots" if converged else f"hit max_iter={max_iter} pivots"
        return build_equilibria(game, None, None, checked=(Z, payoffs, regret, flags), method="lemke_howson",
                                complete=False, tol=tol, success=converged, message=message, parameters=parameters)
    # float games: one compiled call returns the checked end point packed in one array, and the member is made
    # on first access (small games should not pay for wrapping)
    out, nit, converged, found, degenerate = _packed()(P, game.scale, label, max_iter, wt)
    return Equilibria.deferred(  # one candidate: nothing to sort or de-duplicate
        lambda: [_packed_member(out, m, n)], 1 if found else 0, method="lemke_howson", complete=False,
        degenerate=degenerate, tol=tol, success=converged,
        message=f"{nit} pivots" if converged else f"hit max_iter={max_iter} pivots", parameters=parameters,
    )


_PACKED: list[Any] = []


def _packed() -> Any:
    """The compiled :func:`~._lemke_howson_kernel.lemke_howson_packed`, imported once (numba loads on first use)."""
    if not _PACKED:
        from ._lemke_howson_kernel import lemke_howson_packed  # lazy: numba kernel

        _PACKED.append(lemke_howson_packed)
    return _PACKED[0]


def _packed_member(out: np.ndarray, m: int, n: int) -> Equilibrium:
    """The :class:`Equilibrium` of :func:`~._lemke_howson_kernel.lemke_howson_packed`'s ``out``."""
    return Equilibrium(profile=(out[:m], out[m : m + n]), payoffs=out[m + n : m + n + 2],
                       regret=float(out[m + n + 2]), degenerate=bool(out[m + n + 3] > 0.0), component=None)
