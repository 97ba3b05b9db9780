r"""Every Nash equilibrium of 2x2 and 2x2x2 games by formula, vectorised over whole batches.

Derivation
----------
Write :math:`p_i` for the probability that player *i* plays its **first** strategy and
:math:`D_i = u_i(s^i_1, p_{-i}) - u_i(s^i_2, p_{-i})` for its gain of the first over the second strategy. Since
:math:`u_i(p) = p_i u_i(s^i_1, p_{-i}) + (1-p_i) u_i(s^i_2, p_{-i})`, player *i*'s regret is

.. math::

    r_i = (1 - p_i)\, \max(D_i, 0) + p_i\, \max(-D_i, 0),

and :math:`p` is a Nash equilibrium iff every :math:`r_i = 0`: :math:`p_i = 1` needs :math:`D_i \ge 0`,
:math:`p_i = 0` needs :math:`D_i \le 0`, and :math:`0 < p_i < 1` needs :math:`D_i = 0`.

**2x2.** With :math:`d_1(t) = u_1(1, t) - u_1(2, t)` (column plays *t*) and :math:`d_2(s) = u_2(s, 1) - u_2(s, 2)`,

.. math::

    D_1(y) = d_1(2) + (d_1(1) - d_1(2))\, y, \qquad D_2(x) = d_2(2) + (d_2(1) - d_2(2))\, x .

The pure profile :math:`(s, t)` is an equilibrium iff the signs of :math:`d_1(t)` and :math:`d_2(s)` agree with
*s* and *t*; the mixed one is :math:`y^* = d_1(2) / (d_1(2) - d_1(1))`, :math:`x^* = d_2(2) / (d_2(2) - d_2(1))`
when both lie in :math:`(0, 1)`. In a tied game every equilibrium component is a union of segments whose end
points lie on the grid :math:`\{0, 1, x^*\} \times \{0, 1, y^*\}`: the compiled 2x2 kernel lists those grid points
that are equilibria and links two of them when the segment between them consists of equilibria (the thorough
path's rule below, :mod:`._kernel_2x2`).

**2x2x2.** Each :math:`D_i` is bilinear in the probabilities of *i*'s opponents :math:`o_1 < o_2`: with
:math:`d_i(s, t)` the gain at the opponents' pure profile :math:`(s, t)`,

.. math::

    D_i = a_i + b_i p_{o_1} + c_i p_{o_2} + e_i p_{o_1} p_{o_2}, \quad
    a_i = d_i(2,2),\ b_i = d_i(1,2) - d_i(2,2),\ c_i = d_i(2,1) - d_i(2,2),\
    e_i = d_i(1,1) - d_i(1,2) - d_i(2,1) + d_i(2,2).

The equilibria are enumerated by which players mix:

* *none mixes* -- the 8 pure profiles, checked by the signs of the :math:`d_i`;
* *one mixes* (player *i*, the others pure) -- :math:`D_i` is then the constant :math:`d_i(s, t)`, so this needs
  :math:`d_i(s,t) = 0` (a degenerate game) and gives a **segment** of :math:`p_i`, bounded where an opponent's
  linear gain :math:`D_j(p_i)` changes sign: its end points solve one linear equation;
* *two mix* (*i*, *j*; *f* pure at :math:`v \in \{0, 1\}`) -- :math:`D_i = \alpha_i + \beta_i p_j` and
  :math:`D_j = \alpha_j + \beta_j p_i` are linear in the *other* mixer, so
  :math:`p_j = -\alpha_i/\beta_i`, :math:`p_i = -\alpha_j/\beta_j`; then :math:`D_f(p_i, p_j)` must have the sign
  of *f*'s pure choice;
* *all three mix* -- choose a main variable :math:`t = p_m`; for the other players :math:`u < w`,
  :math:`D_u = N_u(t) + P_u(t)\, p_w` and :math:`D_w = N_w(t) + P_w(t)\, p_u` with :math:`N, P` linear in *t*, so
  :math:`p_w = -N_u/P_u`, :math:`p_u = -N_w/P_w`, and :math:`P_u P_w D_m = 0` becomes the **quadratic**

  .. math::

      Q(t) = a_m P_u P_w - b_m N_w P_u - c_m N_u P_w + e_m N_u N_w = 0

  (solved with the cancellation-free formula). A generic game thus has at most two fully mixed equilibria
  (McKelvey & McLennan 1997); with at most 8 pure, 6 two-mixer and 2 fully mixed points, a generic 2x2x2 game has
  at most 9 equilibria (in fact odd many).

Every candidate is verified by its regret (:math:`\le` ``tol * scale``, ``scale = max |u|``), never by the
formula alone.

Degenerate games
----------------
A *fast path* computes the generic candidates (8 pure, 6 two-mixer, 2 fully mixed from the :math:`p_3`-elimination)
for every game. It marks a game *suspect* when a quantity it decides a sign with or relies on is within
``tol * scale`` of zero: a pure difference :math:`d_i(s,t)` (a tie), a *reducible* gain
(:math:`a_i e_i - b_i c_i \approx 0`, relative ``1e-6``: :math:`D_i` then vanishes on a whole plane
:math:`p_j = r`), a near-double root of *Q* (relative discriminant ``1e-9``), or a mixed candidate within ``1e-7``
of a face. About 6 in a million random normal 2x2x2 games are suspect, and about half of the games with integer
payoffs in [-9, 9]; suspect games go to a *thorough path*. Both run per game in a compiled kernel
(:mod:`._kernel_2x2x2`) for batches of 64 games or more, and vectorised in numpy (the reference path the kernel is
tested against) for smaller ones; they give the same listing.

Ties are decided before anything is divided by them: the coefficients :math:`a_i, b_i, c_i, e_i` within
``1e-13 * scale`` of zero are set to zero (rounding leaves an exact tie of payoffs such as :math:`k \cdot 10^{1.5}`
at ~1e-16), a linear equation whose slope is within ``tol * scale`` of zero has no isolated root, and a quadratic
that vanishes identically has no roots (it is a curve). So the answer does not depend on the payoffs' unit.

The thorough path solves every system of three of the equations :math:`p_i = 1`, :math:`p_i = 0`,
:math:`p_i = r` (a *plane value* in (0, 1): :math:`D_j \equiv 0` on the plane :math:`p_i = r`, i.e.
:math:`a_j + b_j r = c_j + e_j r = 0` or :math:`a_j + c_j r = b_j + e_j r = 0`) and :math:`D_i = 0` that has an
isolated solution: the pure profiles; *edge* points (two coordinates fixed, the third from the indifference of a
fixed player, linear; only on edges where the free player is indifferent, as it must be to mix there); *face*
points (one coordinate fixed, two of the three gains zero, two linear equations); and the fully mixed points of all
three elimination orders. Every extreme point of a continuum -- an end of a segment of equilibria, a vertex of a
region on a face, an end of a fully mixed curve -- solves such a system. Candidates are verified by regret,
de-duplicated (``1e-7``), and grouped: two listed equilibria share a **component** when the segment between them
consists of equilibria (decided exactly: along it each :math:`D_i` is a quadratic, known from its values at the
ends and the midpoint; a player pure on the whole segment needs the right sign on it, any other a zero gain) or
both lie on one fully mixed equilibrium curve, which exists exactly when a reduced quadratic *Q* vanishes
identically (the curve is sampled at 129 points). A listed point strictly inside a segment of equilibria between
two other listed points is then dropped: it is not an extreme point, and which such points the systems produce
would depend on rounding. A game is flagged ``degenerate`` exactly when such a segment or curve of equilibria is
found; its listed points are then the extreme points (vertices) of the continua and any isolated equilibria. A
region on a face bounded by a hyperbola is described by these points only (the arc between them is not listed).

References
----------
.. [1] McKelvey, R. D. and McLennan, A. (1997). The maximal number of regular totally mixed Nash equilibria.
   *Journal of Economic Theory* 72(2), 411-425.
.. [2] von Stengel, B. (2007). Equilibrium computation for two-player games in strategic and extensive form.
   In Nisan, Roughgarden, Tardos and Vazirani (eds.), *Algorithmic Game Theory*, ch. 3. Cambridge University Press.
.. [3] Fudenberg, D. and Tirole, J. (1991). *Game Theory*, sec. 1.2. MIT Press.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ..._validation import Interval, validate_params
from ...errors import InvalidParameterError, SolverError
from ...games.batch import GameBatch
from ...games.equilibrium import Equilibria, Equilibrium
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from ..batch_solution import BatchSolution
from ._driver import solve_arrays

__all__ = ["closed_form", "closed_form_batch"]

_SHAPES = ((2, 2), (2, 2, 2))


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def closed_form(game: Any, *, tol: float = DEFAULT_TOL) -> Equilibria:
    r"""Every Nash equilibrium of a 2x2 or 2x2x2 game, by formula.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A game of shape 2x2 or 2x2x2.
    tol : float
        Tolerance on regrets, relative to ``game.scale = max |u|``; values below ``1e-12`` (float64
        rounding of the formulas) are raised to it.

    Returns
    -------
    Equilibria
        Every equilibrium (``complete=True``); for a degenerate game (``degenerate=True``) the extreme points of
        each continuum, with ``component`` telling which continuum each belongs to. Profiles of exact
        (rational) games are returned exactly when they are rational.

    Raises
    ------
    SolverError
        The game is not 2x2 or 2x2x2.

    Notes
    -----
    With :math:`D_i` player *i*'s gain of its first over its second strategy (bilinear in the opponents'
    probabilities :math:`p_{o_1}, p_{o_2}` of their first strategies),

    .. math::

        D_i = a_i + b_i p_{o_1} + c_i p_{o_2} + e_i p_{o_1} p_{o_2},

    the fully mixed equilibria solve :math:`D_1 = D_2 = D_3 = 0`, which reduces to one quadratic in any one
    probability, and each support pattern gives linear or quadratic conditions; the derivation is in the module
    docstring (:mod:`gametheory.solvers.closed_form.solver`). Every candidate's regret
    :math:`\max_i (1-p_i) D_i^+ + p_i D_i^-` is checked against ``max(tol, 1e-12) * scale``.

    References
    ----------
    Those of the module docstring (McKelvey and McLennan 1997; von Stengel 2007; Fudenberg and Tirole 1991).

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.closed_form import closed_form
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = closed_form(bos)
    >>> len(eqs), eqs.degenerate
    (3, False)
    >>> [[round(float(p), 4) for p in v] for v in eqs[2].profile]
    [[0.75, 0.25], [0.25, 0.75]]
    >>> from fractions import Fraction as F
    >>> exact = closed_form(gt.NormalFormGame([[[F(3), 1], [0, 2]], [[2, 1], [0, 3]]]))
    >>> exact.exact, [[str(p) for p in v] for v in exact[2].exact]
    (True, [['3/4', '1/4'], ['1/4', '3/4']])
    """
    if not isinstance(game, NormalFormGame):
        if not (hasattr(game, "payoff_matrices") or isinstance(game, (list, tuple, np.ndarray))):
            raise InvalidParameterError(
                "The 'game' parameter of closed_form must be a NormalFormGame, a payoff array or a nashpy.Game. "
                f"Got {type(game).__name__} instead."
            )
        game = NormalFormGame(game)
    if game.shape not in _SHAPES:
        dims = "x".join(map(str, game.shape))
        raise SolverError(f"The 'closed_form' method handles 2x2 and 2x2x2 games only. Got a {dims} game.")
    flt = game.payoffs.astype(float)
    sol = solve_arrays(flt[None], tol, game.shape)
    degenerate = bool(sol.degenerate[0])
    if not game.is_exact and not degenerate:  # the driver's payoffs and regrets: no second evaluation
        count, n = int(sol.counts[0]), game.n_players

        def members() -> list[Equilibrium]:
            return [Equilibrium(profile=tuple(sol.profiles[0, e, i, :2].copy() for i in range(n)),
                                payoffs=sol.payoffs[0, e].copy(), regret=float(sol.regrets[0, e]))
                    for e in range(count)]

        return Equilibria.deferred(members, count, method="closed_form", complete=True, tol=tol,
                                   parameters={"tol": tol})
    eqs = []
    all_exact = game.is_exact
    for e in range(int(sol.counts[0])):
        profile = [sol.profiles[0, e, i, :2] for i in range(game.n_players)]
        comp = int(sol.component[0, e]) if degenerate else None
        eq = _exact(game, profile, degenerate, comp) if game.is_exact else None
        if eq is None:
            all_exact = False
            eq = Equilibrium.from_profile(game, profile, degenerate=degenerate, component=comp)
        eqs.append(eq)
    message = (
        "degenerate game: continua of equilibria; their extreme points are listed, grouped by component"
        if degenerate
        else ""
    )
    return Equilibria(eqs, method="closed_form", complete=True, degenerate=degenerate, tol=tol,
                      exact=all_exact and bool(eqs), message=message, parameters={"tol": tol})


def _exact(game: NormalFormGame, profile: list[Any], degenerate: bool, comp: int | None) -> Equilibrium | None:
    """The profile as rationals when they verify exactly (regret 0), else None."""
    exact = []
    for v in profile:
        x = Fraction(float(v[0])).limit_denominator(10**6)
        exact.append([x, 1 - x])
    eq = Equilibrium.from_profile(game, exact, degenerate=degenerate, component=comp)
    return eq if eq.regret == 0 else None


@validate_params({"batch": None, "tol": Interval(float, 0, None)})
def closed_form_batch(batch: GameBatch, *, tol: float = DEFAULT_TOL) -> BatchSolution:
    r"""Every Nash equilibrium of every game of a 2x2 or 2x2x2 batch, in numpy over the whole batch.

    Parameters
    ----------
    batch : GameBatch
        ``N`` games of shape 2x2 or 2x2x2.
    tol : float
        Tolerance on regrets, relative to each game's ``max |u|`` (at least ``1e-12``).

    Returns
    -------
    BatchSolution
        ``profiles (N, K, n, 2)`` (NaN beyond ``counts``), ``payoffs``, ``regrets``, ``counts``, ``degenerate``
        and ``component``; ``K`` is the largest count in the batch.

    Raises
    ------
    SolverError
        The batch's games are not 2x2 or 2x2x2.

    Notes
    -----
    2x2 games run a compiled kernel (:mod:`._kernel_2x2`: pure profiles and the mixed point, and for tied games
    the thorough rule's candidates on the grid :math:`\{0, 1, x^*\} \times \{0, 1, y^*\}` linked into continua,
    one pass to solve, one to write the padded outputs, on one thread).
    2x2x2 batches of 64 games or more run another
    (:mod:`._kernel_2x2x2`, one thread): per game the generic candidates -- pure profiles, the two-mixer points
    :math:`p_j = -\alpha_i/\beta_i`, and the roots of the quadratic

    .. math::

        Q(t) = a_m P_u P_w - b_m N_w P_u - c_m N_u P_w + e_m N_u N_w

    -- checked by regret; a game near a degeneracy (a tie) is solved in the same kernel by the thorough path of the
    module docstring, which also finds and groups continua. Smaller batches take the same steps vectorised in
    numpy (chunks of 16384 games), which give the same listing without numba's first-call cost.

    References
    ----------
    Those of :func:`closed_form`.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> from gametheory.solvers.closed_form import closed_form_batch
    >>> pennies = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    >>> equal = np.zeros((2, 2, 2))
    >>> sol = closed_form_batch(gt.GameBatch([pennies, equal]))
    >>> sol.counts.tolist(), sol.degenerate.tolist()
    ([1, 4], [False, True])
    >>> sol.profiles[0, 0].tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of closed_form_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    if batch.shape not in _SHAPES:
        raise SolverError(f"The 'closed_form' batch method handles 2x2 and 2x2x2 games only. Got {batch.shape}.")
    return solve_arrays(batch.payoffs, tol, batch.shape)
