r"""Multi-population replicator dynamics of an n-player normal-form game.

Each player is a population; :math:`x_{i,s}` is the share of population :math:`i` playing strategy :math:`s`.
With :math:`\pi_{i,s}(x) = u_i(s, x_{-i})` and the population average :math:`\bar\pi_i = \sum_s x_{i,s}\pi_{i,s}`,

.. math::

    \dot x_{i,s} = x_{i,s}\,\bigl(\pi_{i,s}(x) - \bar\pi_i(x)\bigr),

which keeps every population on its simplex (Taylor & Jonker 1978; Weibull 1995, ch. 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import limits
from .._frozen import FrozenResult
from .._validation import Interval, NoneOr, StrOptions, check_random_state, validate_params
from . import _state
from ._state import FloatArray

__all__ = ["replicator_field", "simulate", "random_states", "Trajectory"]


@validate_params({"game": None, "states": None})
def replicator_field(game: Any, states: Any) -> FloatArray:
    r"""The replicator vector field :math:`\dot x` at one state or at many states at once.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
        An n-player game in which every player has at least two strategies.
    states : array_like, shape (..., D) or (..., n)
        Flat states (each player's probability vector, concatenated: ``D = s_1 + ... + s_n``), or, when every
        player has two strategies, the share of each population playing its first strategy.

    Returns
    -------
    ndarray
        :math:`\dot x`, in the same form and shape as ``states``.

    Notes
    -----
    .. math::

        \dot x_{i,s} = x_{i,s}\bigl(u_i(s, x_{-i}) - u_i(x)\bigr).

    In the short form of a game where everyone has two strategies this is
    :math:`\dot x_i = x_i (1 - x_i)\,\bigl(u_i(1\text{st}, x_{-i}) - u_i(2\text{nd}, x_{-i})\bigr)`.

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, "Evolutionarily stable strategies and game dynamics",
       Mathematical Biosciences 40 (1978) 145-156.
    .. [2] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.
    .. [3] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> gt.dynamics.replicator_field(pennies, [0.5, 0.5]).tolist()
    [0.0, 0.0]
    >>> gt.dynamics.replicator_field(pennies, [0.8, 0.5]).round(3).tolist()
    [0.0, -0.3]
    """
    g = _state.as_game(game, "replicator_field")
    flat, short = _state.to_flat(g, states, name="states", func="replicator_field")
    lead = flat.shape[:-1]
    out = _state.replicator_field_flat(g.payoffs, g.shape, flat.reshape(-1, flat.shape[-1])).reshape(flat.shape)
    return _state.to_short(out) if short else out.reshape(*lead, -1)


@validate_params({"game": None, "n": Interval(int, 1, None), "seed": None})
def random_states(game: Any, n: int, *, seed: None | int | np.random.Generator = None) -> FloatArray:
    r"""``n`` flat states drawn uniformly from the product of simplices (a flat Dirichlet per population).

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    n : int
        Number of states.
    seed : None, int or numpy.random.Generator
        Randomness (see :func:`gametheory._validation.check_random_state`).

    Returns
    -------
    ndarray, shape (n, D)

    Notes
    -----
    Population :math:`i`'s mix is drawn from :math:`\mathrm{Dirichlet}(1, \dots, 1)`, the uniform distribution on
    the simplex :math:`\Delta^{s_i - 1}`, independently across populations.

    References
    ----------
    .. [1] L. Devroye, Non-Uniform Random Variate Generation, Springer, New York, 1986 (uniform spacings and the
       Dirichlet distribution).

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> gt.dynamics.random_states(pennies, 3, seed=0).shape
    (3, 4)
    """
    g = _state.as_game(game, "random_states")
    rng = check_random_state(seed)
    return np.concatenate([rng.dirichlet(np.ones(s), size=n) for s in g.shape], axis=1)


@dataclass(frozen=True, eq=False)
class Trajectory(FrozenResult):
    """Solutions of the replicator dynamics from one or more starting states, on a common time grid.

    Attributes
    ----------
    times : ndarray, shape (T,)
        Output times.
    states : ndarray, shape (M, T, D)
        Flat state of each run at each time.
    shape : tuple of int
        Strategies per player (how a flat state splits into populations).
    success : bool
        True when the integrator reached ``times[-1]``.
    message : str
        The integrator's message.
    method : str
        The ``scipy.integrate.solve_ivp`` method used.
    seed : int or None
        The seed of the random starts (None when starts were given or a Generator was passed).
    nfev : int
        Evaluations of the vector field (each over all runs at once).

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> traj = gt.dynamics.simulate(coordination, [[0.9, 0.1, 0.9, 0.1]], t_max=20.0)
    >>> traj.success, traj.states.shape, [round(float(x), 3) for x in traj.states[0, -1]]
    (True, (1, 201, 4), [1.0, 0.0, 1.0, 0.0])
    """

    times: FloatArray
    states: FloatArray
    shape: tuple[int, ...]
    success: bool
    message: str
    method: str
    seed: int | None
    nfev: int = 0
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def starts(self) -> FloatArray:
        """Starting states ``(M, D)``."""
        return self.states[:, 0, :]

    @property
    def final(self) -> FloatArray:
        """States at the last time ``(M, D)``."""
        return self.states[:, -1, :]

    def shares(self, player: int) -> FloatArray:
        """Population ``player``'s mix over time, shape ``(M, T, s_player)``."""
        return _state.split(self.states, self.shape)[player]

    @property
    def first_shares(self) -> FloatArray:
        """Share playing the first strategy, ``(M, T, n)`` (the papers' ``x, y, z``)."""
        return np.stack([self.shares(i)[..., 0] for i in range(len(self.shape))], axis=-1)

    def __repr__(self) -> str:
        m, t, _ = self.states.shape
        return (
            f"Trajectory(success={self.success}, message={self.message!r}, method={self.method!r}, runs={m}, "
            f"times={t} in [{self.times[0]:g}, {self.times[-1]:g}], seed={self.seed})"
        )


def _softmax(logs: FloatArray, support: npt.NDArray[np.bool_], shape: tuple[int, ...]) -> FloatArray:
    """Shares from log shares, population by population (entries off the support are 0)."""
    out = np.zeros(np.broadcast_shapes(logs.shape, support.shape))
    off = _state.offsets(shape)
    for i in range(len(shape)):
        block = slice(off[i], off[i + 1])
        keep = support[..., block]
        u = np.where(keep, logs[..., block], -np.inf)
        w = np.exp(u - u.max(axis=-1, keepdims=True))
        out[..., block] = w / w.sum(axis=-1, keepdims=True)
    return out


def horizon(game: Any, t_max: float | None, *, what: str) -> float:
    """The integration time of ``game``: ``t_max``, or ``1000 / payoff range`` when None; refused (a
    :class:`~gametheory.errors.LimitError`) when infinite or past ``MAX_HORIZON / payoff range``.

    Cheap (one pass over the payoffs), so a command can check its ``--t-max`` before any other work.

    Examples
    --------
    >>> import gametheory as gt
    >>> horizon(gt.NormalFormGame([[[4, 0], [0, 1]], [[1, 0], [0, 4]]]), None, what="simulate")
    250.0
    """
    g = _state.as_game(game, what)
    spread = max(float(np.ptp(g.payoffs[i])) for i in range(g.n_players))
    if t_max is None:
        return 1000.0 / spread if spread > 0 else 1000.0
    limits.check_horizon(float(t_max), spread, what=what)
    return float(t_max)


@validate_params(
    {
        "game": None,
        "starts": None,
        "n_random": Interval(int, 1, None),
        "t_max": NoneOr(Interval(float, 0, None, closed="neither")),
        "n_times": Interval(int, 2, None),
        "method": StrOptions({"RK45", "RK23", "DOP853", "Radau", "BDF", "LSODA"}),
        "rtol": Interval(float, 0, 1, closed="neither"),
        "atol": Interval(float, 0, 1, closed="neither"),
        "seed": None,
    }
)
def simulate(
    game: Any,
    starts: Any = None,
    *,
    n_random: int = 10,
    t_max: float | None = None,
    n_times: int = 201,
    method: str = "LSODA",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    seed: None | int | np.random.Generator = None,
) -> Trajectory:
    r"""Integrate the replicator dynamics from given or random starts, all runs in one ODE system.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
        The game (every player needs at least two strategies).
    starts : array_like, shape (D,), (M, D), (n,) or (M, n), optional
        Starting states (see :func:`replicator_field`); default: ``n_random`` uniform random states.
    n_random : int
        Number of random starts when ``starts`` is None.
    t_max : float, optional
        Final time; default ``1000 / spread`` where ``spread`` is the largest payoff range of any player, so that
        a payoff difference of 1 % of the payoff range acts for about 10 time units. At most
        ``gametheory.limits.MAX_HORIZON / spread`` (``1e6 / spread``): ``inf`` and longer runs are refused.
    n_times : int
        Number of equally spaced output times in ``[0, t_max]``.
    method : str
        ``scipy.integrate.solve_ivp`` method.
    rtol, atol : float
        Integrator tolerances.
    seed : None, int or numpy.random.Generator
        Seed of the random starts; an int (drawn when None) is recorded in the result.

    Returns
    -------
    Trajectory

    Notes
    -----
    The ``M`` runs are stacked into one system of ``M * D`` equations, integrated in log shares
    :math:`\ell_{i,s} = \log x_{i,s}`:

    .. math::

        \dot \ell^{(m)}_{i,s} = u_i(s, x^{(m)}_{-i}) - u_i(x^{(m)}), \qquad
        x_{i,s} = \frac{e^{\ell_{i,s}}}{\sum_r e^{\ell_{i,r}}},

    which is the replicator equation :math:`\dot x_{i,s} = x_{i,s}(u_i(s, x_{-i}) - u_i(x))` written so that
    every state stays exactly on the product of simplices, shares that approach 0 exponentially (orbits that
    pass close to the boundary, convergence to a corner) stay positive and well resolved, and the vector field is
    evaluated for all runs in one vectorised call. Strategies at share 0 in a start stay at 0 (faces are
    invariant).

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, Mathematical Biosciences 40 (1978) 145-156.
    .. [2] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> run = gt.dynamics.simulate(coordination, [[0.6, 0.6], [0.2, 0.2]], t_max=50)
    >>> run.success, (run.first_shares[:, -1].round(3) + 0.0).tolist()
    (True, [[1.0, 1.0], [0.0, 0.0]])
    """
    g = _state.as_game(game, "simulate")
    recorded: int | None = None
    if starts is None:
        if seed is None or isinstance(seed, (int, np.integer)):
            recorded = int(np.random.default_rng().integers(2**32)) if seed is None else int(seed)
            seed = recorded
        flat = random_states(g, n_random, seed=check_random_state(seed))
    else:
        flat, _ = _state.to_flat(g, starts, name="starts", func="simulate")
        flat = flat.reshape(-1, flat.shape[-1])
    t_max = horizon(g, t_max, what="simulate")
    m, d = flat.shape
    limits.check_memory(8.0 * m * n_times * d * 3, what=f"simulate ({m:,} runs x {n_times:,} times x {d} shares)",
                        remedy="Use fewer starts or output times (n_times).")
    times = np.linspace(0.0, float(t_max), n_times)
    support = flat > 0  # faces are invariant: unused strategies stay at 0
    logs0 = np.where(support, np.log(np.where(support, flat, 1.0)), 0.0)

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        logs = y.reshape(m, d)
        states = _softmax(logs, support, g.shape)
        xs = _state.split(states, g.shape)
        pis = _state.payoff_vectors(g.payoffs, xs)
        growth = [pi - np.sum(x * pi, axis=-1, keepdims=True) for x, pi in zip(xs, pis, strict=True)]
        return np.where(support, np.concatenate(growth, axis=-1), 0.0).ravel()

    from scipy.integrate import solve_ivp  # lazy: scipy.integrate takes ~0.5 s to import

    sol = solve_ivp(rhs, (0.0, float(t_max)), logs0.ravel(), method=method, t_eval=times, rtol=rtol, atol=atol)
    states = np.full((m, n_times, d), np.nan)
    got = sol.y.T.reshape(-1, m, d)  # (T', M, D) log shares
    states[:, : got.shape[0], :] = _softmax(got, support[None], g.shape).transpose(1, 0, 2)
    return Trajectory(
        times=times,
        states=states,
        shape=g.shape,
        success=bool(sol.success),
        message=str(sol.message),
        method=method,
        seed=recorded,
        nfev=int(sol.nfev),
        parameters={"t_max": float(t_max), "n_times": n_times, "rtol": rtol, "atol": atol},
    )
