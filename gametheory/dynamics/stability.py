r"""Linear stability of rest points: analytic Jacobian in tangent coordinates, eigenvalues, classification.

At a rest point :math:`x^*` the dynamics on the product of simplices linearise to :math:`\dot\xi = J\xi` with
:math:`J` the Jacobian in tangent coordinates (each population's last share eliminated). With real parts
compared to ``thr = tol * scale``:

* **stable** -- every real part :math:`< 0`: asymptotically stable (a sink). In the multi-population replicator
  dynamics these are exactly the strict Nash equilibria, i.e. the evolutionarily stable states of the
  asymmetric game (Selten 1980; Ritzberger & Weibull 1995);
* **unstable** -- some real part :math:`> 0` and none :math:`< 0` (a source, unstable by Lyapunov's
  instability theorem even when another eigenvalue is 0);
* **saddle** -- real parts of both signs (unstable);
* **undecided** -- none positive and at least one zero: the linearisation cannot decide (e.g. the centre of
  matching pennies); we say so and never guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult, Listing
from .._validation import Interval, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from . import _state
from ._jacobian import CLASSES, classify_codes, sort_eigenvalues, tangent_jacobian
from ._state import FloatArray
from .stationary import RestPoint, rest_points

__all__ = ["CLASSES", "jacobian", "classify_state", "analyze", "stable_states", "StateStability",
           "StabilityAnalysis"]


@validate_params({"game": None, "state": None})
def jacobian(game: Any, state: Any) -> FloatArray:
    r"""The analytic Jacobian of the replicator field in tangent coordinates, shape ``(d, d)``.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    state : array_like
        A flat state ``(D,)`` or, when everyone has two strategies, the shares ``(n,)``.

    Returns
    -------
    ndarray
        :math:`J = P\,DF\,E`, ``d = sum(s_i - 1)``; coordinates are the first ``s_i - 1`` shares of each
        population (for 2x2x2 games, the papers' ``x, y, z``).

    Notes
    -----
    .. math::

        \frac{\partial \dot x_{i,s}}{\partial x_{i,t}} = \delta_{st}(\pi_{i,s} - \bar\pi_i) - x_{i,s}\pi_{i,t},
        \qquad
        \frac{\partial \dot x_{i,s}}{\partial x_{j,t}} = x_{i,s}\Bigl(u_i(s,t,x_{-ij})
            - \sum_r x_{i,r}\,u_i(r,t,x_{-ij})\Bigr),

    then :math:`J = P\,DF\,E` with :math:`E` the embedding of tangent directions
    :math:`e_{i,t} - e_{i,s_i}` and :math:`P` the projection on the kept shares. At a pure corner :math:`a` it is
    diagonal with entries :math:`u_i(t, a_{-i}) - u_i(a)`.

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, "Evolutionarily stable strategies and game dynamics",
       Mathematical Biosciences 40 (1978) 145-156.
    .. [2] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> gt.dynamics.jacobian(coordination, [1.0, 1.0]).tolist()
    [[-2.0, 0.0], [0.0, -2.0]]
    """
    g = _state.as_game(game, "jacobian")
    flat, _ = _state.to_flat(g, state, name="state", func="jacobian")
    if flat.ndim != 1:
        raise InvalidParameterError(
            f"The 'state' parameter of jacobian must be one state. Got an array of shape {flat.shape} instead."
        )
    jac: FloatArray = tangent_jacobian(g.payoffs, g.shape, flat[None])[0]
    return jac


@dataclass(frozen=True, eq=False)
class StateStability(FrozenResult):
    """A rest point with its eigenvalues and classification.

    Attributes
    ----------
    point : RestPoint
        The rest point (profile, support, Nash flag, regret).
    eigenvalues : ndarray of complex
        Eigenvalues of the tangent-space Jacobian, by decreasing real part.
    classification : str
        One of :data:`CLASSES`: ``"stable"``, ``"unstable"``, ``"saddle"``, ``"undecided"``.
    label : str
        The profile in strategy names (pure corners) or shares.
    tol : float
        Tolerance used for "zero" real parts (relative to the payoff scale).

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> state = gt.dynamics.analyze(coordination)[0]
    >>> state.label, state.classification, state.is_ess, state.eigenvalues.real.tolist()
    ('(s1, s1)', 'stable', True, [-2.0, -2.0])
    """

    point: RestPoint
    eigenvalues: npt.NDArray[np.complex128]
    classification: str
    label: str
    tol: float

    @property
    def profile(self) -> tuple[FloatArray, ...]:
        """The rest point's profile."""
        return self.point.profile

    @property
    def is_stable(self) -> bool:
        """True when asymptotically stable."""
        return self.classification == "stable"

    @property
    def is_ess(self) -> bool:
        """True for an evolutionarily stable state: an asymptotically stable pure corner (a strict Nash equilibrium)."""
        return self.is_stable and self.point.is_pure

    def __repr__(self) -> str:
        eig = ", ".join(_fmt_complex(z) for z in self.eigenvalues)
        return f"StateStability({self.label}, {self.classification}, eigenvalues=[{eig}], nash={self.point.nash})"


def _fmt_complex(z: complex) -> str:
    re = 0.0 if abs(z.real) <= 1e-10 * max(1.0, abs(z)) else z.real
    if abs(z.imag) <= 1e-10 * max(1.0, abs(z)):
        return f"{re:.4g}"
    return f"{re:.4g}{z.imag:+.4g}j"


@dataclass(frozen=True, eq=False)
class StabilityAnalysis(FrozenResult, Listing[StateStability]):
    """Every rest point of a game, classified; iterate it, or print it as a table.

    Attributes
    ----------
    states : tuple of StateStability
        The rest points of :func:`~gametheory.dynamics.rest_points`, each classified.
    continuum, complete, tol, message
        As in :class:`~gametheory.dynamics.RestPoints`, the rest points classified here.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> analysis = gt.dynamics.analyze(coordination)
    >>> len(analysis), [s.label for s in analysis.stable]
    (5, ['(s1, s1)', '(s2, s2)'])
    >>> print(str(analysis).splitlines()[2])
    (s1, s1)          yes   -2, -2           stable
    """

    states: tuple[StateStability, ...]
    continuum: bool
    complete: bool
    tol: float
    message: str = ""

    _ITEMS = "states"

    @property
    def stable(self) -> tuple[StateStability, ...]:
        """The asymptotically stable states."""
        return tuple(s for s in self.states if s.is_stable)

    def __str__(self) -> str:
        rows = [("rest point", "Nash", "eigenvalues", "stability")]
        for s in self.states:
            eig = ", ".join(_fmt_complex(z) for z in s.eigenvalues)
            rows.append((s.label, "yes" if s.point.nash else "no", eig, s.classification))
        widths = [max(len(r[c]) for r in rows) for c in range(4)]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if self.message:
            lines.append(f"note: {self.message}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"StabilityAnalysis(count={len(self)}, stable={len(self.stable)}, continuum={self.continuum}, "
                f"complete={self.complete})")


def _label(game: Any, point: RestPoint) -> str:
    if point.is_pure:
        return "(" + ", ".join(game.strategies[i][s[0]] for i, s in enumerate(point.support)) + ")"
    if all(len(v) == 2 for v in point.profile):
        return "(" + ", ".join(f"{v[0]:.4g}" for v in point.profile) + ")"
    return "(" + "; ".join(", ".join(f"{x:.3g}" for x in v) for v in point.profile) + ")"


def _classify(game: Any, points: list[RestPoint], tol: float) -> list[StateStability]:
    if not points:
        return []
    flat = np.stack([p.state for p in points])
    jac = tangent_jacobian(game.payoffs, game.shape, flat)
    eigs = sort_eigenvalues(np.asarray(np.linalg.eigvals(jac), dtype=complex))
    codes = classify_codes(eigs.real, np.full(len(points), tol * game.scale), np.ones(len(points), dtype=bool))
    return [
        StateStability(p, e, CLASSES[c], _label(game, p), tol)
        for p, e, c in zip(points, eigs, codes, strict=True)
    ]


@validate_params({"game": None, "state": None, "tol": Interval(float, 0, None)})
def classify_state(game: Any, state: Any, *, tol: float = DEFAULT_TOL) -> StateStability:
    r"""Classify one rest point by the eigenvalues of the Jacobian there.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    state : array_like
        A rest point, flat ``(D,)`` or shares ``(n,)``; the field there must vanish (within ``tol * scale``).
    tol : float
        Real parts within ``tol * scale`` of 0 count as zero.

    Returns
    -------
    StateStability

    Notes
    -----
    With :math:`\lambda_k` the eigenvalues of the tangent Jacobian :math:`J`: stable iff
    :math:`\max_k \operatorname{Re}\lambda_k < 0`; unstable or saddle iff some :math:`\operatorname{Re}\lambda_k > 0`;
    undecided otherwise.

    References
    ----------
    .. [1] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.
    .. [2] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> gt.dynamics.classify_state(pennies, [0.5, 0.5]).classification
    'undecided'
    """
    g = _state.as_game(game, "classify_state")
    flat, _ = _state.to_flat(g, state, name="state", func="classify_state")
    if flat.ndim != 1:
        raise InvalidParameterError(
            f"The 'state' parameter of classify_state must be one state. Got shape {flat.shape} instead."
        )
    speed = float(np.abs(_state.replicator_field_flat(g.payoffs, g.shape, flat[None])).max())
    if speed > tol * g.scale:
        raise InvalidParameterError(
            f"The 'state' parameter of classify_state must be a rest point. Got {flat.tolist()} where the "
            f"replicator field has size {speed:.3g} instead."
        )
    blocks = _state.split(flat, g.shape)
    regret = float(g.regret(blocks))
    support = tuple(tuple(int(k) for k in np.flatnonzero(v > tol)) for v in blocks)
    point = RestPoint(tuple(np.asarray(v) for v in blocks), support, regret <= tol * g.scale, regret)
    return _classify(g, [point], tol)[0]


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def analyze(game: Any, *, tol: float = DEFAULT_TOL) -> StabilityAnalysis:
    r"""Every rest point of the replicator dynamics with its eigenvalues and stability.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    tol : float
        Tolerance relative to the payoff scale (rest points and zero real parts).

    Returns
    -------
    StabilityAnalysis
        Printable as a table.

    Notes
    -----
    Rest points come from :func:`rest_points`; each is classified by :func:`classify_state`'s rule on the
    eigenvalues of :math:`J = P\,DF\,E`. At a corner :math:`a` they are the payoff advantages
    :math:`u_i(t, a_{-i}) - u_i(a)` of the unused strategies, so a corner is stable iff it is a strict Nash
    equilibrium. At a point that mixes, each mixing population's block of :math:`J` has trace zero, so it is
    never asymptotically stable: in asymmetric games only strict (pure) equilibria are evolutionarily stable.

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, "Evolutionarily stable strategies and game dynamics",
       Mathematical Biosciences 40 (1978) 145-156.
    .. [2] R. Selten, "A note on evolutionarily stable strategies in asymmetric animal conflicts",
       Journal of Theoretical Biology 84 (1980) 93-101.
    .. [3] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> [s.classification for s in gt.dynamics.analyze(coordination)]
    ['stable', 'unstable', 'unstable', 'stable', 'saddle']
    """
    g = _state.as_game(game, "analyze")
    points = rest_points(game if not isinstance(game, (list, tuple, np.ndarray)) else g, tol=tol)
    states = _classify(g, list(points), tol)
    return StabilityAnalysis(tuple(states), points.continuum, points.complete, tol, points.message)


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def stable_states(game: Any, *, tol: float = DEFAULT_TOL) -> tuple[StateStability, ...]:
    r"""The asymptotically stable rest points (evolutionarily stable states), with their eigenvalues.

    Parameters
    ----------
    game : NormalFormGame, array_like or model
    tol : float
        Tolerance relative to the payoff scale.

    Returns
    -------
    tuple of StateStability
        Each with ``classification == "stable"``; all are strict Nash equilibria (pure corners).

    Notes
    -----
    A corner :math:`a` is stable iff :math:`u_i(t, a_{-i}) < u_i(a)` for every player :math:`i` and every
    :math:`t \ne a_i` (all eigenvalues negative). A corner with a zero eigenvalue is reported as undecided by
    :func:`analyze` and is not listed here.

    References
    ----------
    .. [1] R. Selten, "A note on evolutionarily stable strategies in asymmetric animal conflicts",
       Journal of Theoretical Biology 84 (1980) 93-101.
    .. [2] K. Ritzberger and J. W. Weibull, "Evolutionary selection in normal-form games",
       Econometrica 63 (1995) 1371-1399.

    Examples
    --------
    >>> import gametheory as gt
    >>> prisoners = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> [(s.label, s.eigenvalues.real.tolist()) for s in gt.dynamics.stable_states(prisoners)]
    [('(s2, s2)', [-1.0, -1.0])]
    """
    return analyze(game, tol=tol).stable
