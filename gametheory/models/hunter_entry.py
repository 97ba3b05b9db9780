r"""Free entry of professional hunters: the hunter share :math:`\theta` as an outcome of the extended game.

With ``hunter_entry="free"`` (extended variant), hunters enter the market until an entered hunter's expected
profit equals its outside option :math:`O` (``hunter_outside_option``). An entered hunter's profit at share
:math:`\theta` is its payoff in the equilibria of the game with that share,

.. math::

    \pi(\theta) = \min_{\sigma \in NE(\theta)} u_H(\sigma) \ge 0

(the ``hunter`` player's payoff: hunting, or passing at 0, whichever is its best response; the minimum over
equilibria is the cautious entrant's view). More hunters make counterfeiting riskier, so sellers fake less and
:math:`\pi` falls as :math:`\theta` grows. The entry share is

.. math::

    \theta^* = \begin{cases} 0 & \pi(0) \le O \\ 1 & \pi(1) \ge O \\
    \text{the crossing } \pi(\theta^*) = O & \text{otherwise,} \end{cases}

found by bisection on :math:`[0, 1]`, vectorised over parameter points (each step solves every point's game at
once with :func:`gametheory.solve_batch`); where :math:`\pi` crosses :math:`O` more than once the bisection
returns one crossing. The share then replaces ``hunter_share`` in every game, batch and metric of the model.

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("direct", variant="extended", hunter_entry="free", hunter_outside_option=1.0)
>>> theta = m.params_in_force()["hunter_share"]
>>> 0.0 <= theta <= 1.0
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..solvers import solve_batch

__all__ = ["free_entry_share", "hunter_profit", "BISECTION_STEPS"]

#: bisection steps on [0, 1] (the share is found to 2**-30)
BISECTION_STEPS = 30


def hunter_profit(model: Any, shares: npt.NDArray[np.float64], args: dict[str, Any]) -> npt.NDArray[np.float64]:
    r"""An entered hunter's profit :math:`\pi(\theta)` at each point (its smallest equilibrium payoff).

    ``model`` has fixed entry; ``args`` are its validated flat parameter arrays (or floats) and ``shares`` the
    hunter share at each point.
    """
    arrays = {k: v for k, v in args.items() if np.ndim(v) > 0}
    arrays["hunter_share"] = shares
    sol = solve_batch(model.batch(**arrays))
    hunter = model.players.index("hunter")
    pay = np.where(sol.valid, sol.payoffs[:, :, hunter], np.inf)
    return np.asarray(pay.min(axis=1, initial=np.inf), dtype=float)


def free_entry_share(model: Any, args: dict[str, Any], n: int) -> npt.NDArray[np.float64]:
    r"""The free-entry hunter share :math:`\theta^*` at each of ``n`` points (module docstring).

    Parameters
    ----------
    model : Model
        An extended model (its ``hunter_entry`` option is ignored: the games are built with fixed shares).
    args : dict
        Parameter name -> flat array of ``n`` values or a float (as :meth:`Model.numeric_arguments` gives).
    n : int
        Number of points.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("escrow", variant="extended")
    >>> args = {k: float(v) for k, v in m.params.items() if not isinstance(v, str)}
    >>> args["hunter_outside_option"] = 0.0
    >>> float(free_entry_share(m, args, 1)[0]) >= 0.0
    True
    """
    fixed = model.with_params(hunter_entry="fixed")
    outside = np.broadcast_to(np.asarray(args["hunter_outside_option"], dtype=float), (n,))
    flat = {k: (np.broadcast_to(v, (n,)) if np.ndim(v) > 0 else v) for k, v in args.items()
            if k not in ("hunter_share", "hunter_outside_option")}
    if not any(np.ndim(v) > 0 for v in flat.values()):  # at least one array, so batches have n games
        name = next(k for k, v in flat.items() if isinstance(v, float))
        flat[name] = np.full(n, flat[name])
    lo, hi = np.zeros(n), np.ones(n)
    at_zero = hunter_profit(fixed, lo, flat) - outside
    at_one = hunter_profit(fixed, hi, flat) - outside
    theta = np.where(at_zero <= 0, 0.0, 1.0)
    open_ = (at_zero > 0) & (at_one < 0)
    idx = np.flatnonzero(open_)
    lo, hi = lo[idx], hi[idx]
    sub = {k: (v[idx] if np.ndim(v) > 0 else v) for k, v in flat.items()}
    for _ in range(BISECTION_STEPS if idx.size else 0):
        mid = 0.5 * (lo + hi)
        above = hunter_profit(fixed, mid, sub) - outside[idx] > 0
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    theta[idx] = 0.5 * (lo + hi)
    return theta
