r"""The fused path of :func:`gametheory.solve` for small float bimatrix games: payoffs to sorted equilibria in one
compiled call.

``solve(game)`` on a float 2-player game with :math:`\binom{m+n}{m} \le 1000` (up to 6x6) runs vertex
enumeration on the whole game (no dominance pass: the compiled kernel is quicker). The reference path gets there
through the unit game, the positive shift, the kernel, the profile check and a Python sort, about a hundred
microseconds of wrapping around a few microseconds of arithmetic. :func:`solve_small` does the same in one
kernel call (:func:`~._vertex_kernel.small_solve`) on the game's own payoffs, and wraps the result lazily
(:meth:`Equilibria.deferred`): the answer is the reference path's, member for member (payoffs and regrets are
computed from the same products, and dividing by a power of two is exact). Degenerate polytopes and
near-duplicate profiles go to the reference path.
"""

from __future__ import annotations

from math import comb
from typing import Any

from ...games.equilibrium import Equilibria, Equilibrium
from ...games.normal_form import NormalFormGame
from ._bimatrix import TOL_FLOOR, float_member

__all__ = ["solve_small", "SMALL_AUTO_PAIRS"]

#: support pairs up to which ``solve`` skips the dominance pass (``gametheory.solvers.auto.SKIP_REDUCTION_PAIRS``)
SMALL_AUTO_PAIRS = 12870  # 8x8: the kernel on the whole game (0.12 ms) beats dominance + kernel (0.34 ms)

_KERNEL: list[Any] = []
#: shape -> the ``kept`` strategies (every one) of the shapes this path takes
_KEPT: dict[tuple[int, ...], tuple[tuple[int, ...], ...]] = {}


def solve_small(game: NormalFormGame, tol: float) -> Equilibria | None:
    """``solve(game, tol=tol)`` for a small float bimatrix game (module docstring), or None when the game is
    not one (exact, other shapes, 2x2) or the kernel meets a case the reference path handles (degenerate
    polytopes, near-duplicate profiles). ``tol`` is trusted (checked by the caller).

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3.0, 1.0, 0.0], [0.0, 2.0, 1.0]], [[2.0, 1.0, 0.0], [0.0, 3.0, 1.0]]])
    >>> eqs = solve_small(bos, 1e-9)
    >>> eqs.method, len(eqs), [e.support for e in eqs]
    ('auto(vertex_enumeration)', 3, [((0,), (0,)), ((1,), (1,)), ((0, 1), (0, 1))])
    >>> solve_small(gt.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), 1e-9) is None  # 2x2: closed form
    True
    """
    payoffs = game.payoffs
    if payoffs.ndim != 3 or payoffs.dtype == object:
        return None
    shape = payoffs.shape[1:]
    kept = _KEPT.get(shape)
    if kept is None:
        m, n = shape
        if m < 2 or n < 2 or (m == 2 and n == 2) or comb(m + n, m) > SMALL_AUTO_PAIRS:
            return None
        kept = _KEPT[shape] = (tuple(range(m)), tuple(range(n)))
    m = shape[0]
    if not _KERNEL:
        from ._vertex_kernel import small_solve  # lazy: numba kernel

        _KERNEL.append(small_solve)
    wt = tol if tol >= TOL_FLOOR else TOL_FLOOR
    Z, pay, regret, flags, status = _KERNEL[0](game.float_payoffs, game.scale, wt)
    if status:
        return None

    def members() -> list[Equilibrium]:
        return [float_member(Z, m, pay, regret, flags, k, k) for k in range(len(Z))]

    # the reference path lists each extreme equilibrium of a nondegenerate game as its own component, so the
    # game has no continuum (``degenerate=False``) whatever the profiles' own flags say
    return Equilibria.deferred(members, len(Z), method="auto(vertex_enumeration)", complete=True, degenerate=False,
                               tol=tol, exact=False, success=True, message="",
                               parameters={"tol": tol, "kept": kept})
