r"""Commitment to a mixed audit rate: the platform as Stackelberg leader of the inspection game.

The platform announces, and keeps to, an audit probability :math:`x \in [0, 1]`; the followers (seller, buyer,
hunter) then play an equilibrium of the game their payoffs define at :math:`x`. The platform's value is

.. math::

    V^{\text{opt}}(x) = \max_{e \in E(x)} v_P(e, x), \qquad V^{\text{worst}}(x) = \min_{e \in E(x)} v_P(e, x),

the *strong* (followers break ties for the leader) and *weak* (against it) Stackelberg values. Both are computed
exactly per piece of the followers' equilibrium correspondence :math:`E(x)`
(:mod:`gametheory.policy._correspondence`): on each piece every equilibrium is a rational function of :math:`x`,
so the best :math:`x` on it is an endpoint, a root of a derivative's numerator, or (for the lower envelope of the
worst case) a point where two branches cross. At each breakpoint the followers' game is solved at that point.
:math:`V^{\text{opt}}` attains its supremum (the equilibrium correspondence is closed); :math:`V^{\text{worst}}`
may only approach it, as :math:`x` tends to a breakpoint (the textbook case: audit a little more than the seller's
indifference rate), which ``attained_worst`` reports.

The Nash equilibria of the simultaneous game are the benchmark. Commitment never pays less than Nash for the
optimistic value (the Nash audit rate is a feasible commitment), and in the inspection game it lowers violation:
the leader audits just enough to make honesty the seller's strict best reply (von Stengel 2016).

References
----------
.. [1] Avenhaus, R., von Stengel, B. and Zamir, S. (2002). Inspection games. In R. J. Aumann and S. Hart (eds.),
   *Handbook of Game Theory with Economic Applications* 3, ch. 51, pp. 1947-1987. Elsevier.
.. [2] von Stengel, B. (2016). Recursive inspection games. *Mathematics of Operations Research* 41(3), 935-952.
.. [3] Conitzer, V. and Sandholm, T. (2006). Computing the optimal strategy to commit to. *Proc. 7th ACM
   Conference on Electronic Commerce*, 82-90.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from .._frozen import FrozenResult
from .._validation import Interval, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import DEFAULT_TOL
from ..solvers import solve
from ._correspondence import Branch, X, correspondence
from ._followers import followers_game, leader_index

__all__ = ["commitment", "CommitmentResult", "NashBenchmark"]

#: how far inside a piece a limit point is evaluated when the supremum is not attained
_INSIDE = 1e-9


@dataclass(frozen=True, eq=False)
class CommitmentResult(FrozenResult):
    """The platform's best committed audit rate, optimistic and worst case, against simultaneous play.

    Attributes
    ----------
    audit_rate, value, counterfeit_rate : float
        Strong Stackelberg: the best commitment when the followers break ties for the platform, the platform's
        payoff and the counterfeit rate there.
    audit_rate_worst, value_worst, counterfeit_rate_worst : float
        Weak Stackelberg: the best commitment against the followers' worst equilibrium (a supremum).
    attained_worst : bool
        False when ``value_worst`` is only approached as the audit rate tends to ``audit_rate_worst`` from inside
        the better piece (``counterfeit_rate_worst`` is the limit from there).
    audit_cost, audit_cost_worst : float
        The platform's expected audit spending, :math:`a x`.
    nash : tuple of NashBenchmark
        Every Nash equilibrium of the simultaneous game.
    breakpoints : tuple of float
        Where the followers' equilibria change, in (0, 1).
    branches : tuple of Branch
        The followers' support systems with their formulas in :math:`x` (``gametheory.policy._correspondence.X``).
    degenerate : bool
        True when some support system is singular for every :math:`x` (a continuum of followers' equilibria).
    """

    audit_rate: float
    value: float
    counterfeit_rate: float
    audit_rate_worst: float
    value_worst: float
    counterfeit_rate_worst: float
    attained_worst: bool
    audit_cost: float
    audit_cost_worst: float
    nash: tuple[NashBenchmark, ...]
    breakpoints: tuple[float, ...]
    branches: tuple[Branch, ...] = field(repr=False)
    degenerate: bool = False

    @property
    def nash_value_worst(self) -> float:
        """The platform's least payoff over the simultaneous game's Nash equilibria."""
        return min(n.platform_payoff for n in self.nash)

    @property
    def nash_counterfeit_rate(self) -> float:
        """The largest counterfeit rate over the simultaneous game's Nash equilibria."""
        return max(n.counterfeit_rate for n in self.nash)


@dataclass(frozen=True, eq=False)
class NashBenchmark(FrozenResult):
    """One Nash equilibrium of the simultaneous game: the platform's audit rate, its payoff, the counterfeit rate."""

    audit_rate: float
    platform_payoff: float
    counterfeit_rate: float


@validate_params({"model": None, "tol": Interval(float, 0, None)})
def commitment(model: Any, *, tol: float = DEFAULT_TOL) -> CommitmentResult:
    r"""The audit probability the platform should commit to, exactly, and how it compares with simultaneous play.

    Parameters
    ----------
    model : Model
        A payment model with a platform player (every built-in model but ``self_operated``), core or extended.
    tol : float
        Tolerance of the point solves at the breakpoints and of the Nash benchmark.

    Returns
    -------
    CommitmentResult

    Raises
    ------
    InvalidParameterError
        ``model`` is not a model with a platform player.
    SolverError
        The followers' game is not polymatrix (never for the built-in models).

    Notes
    -----
    See the module docstring: the optimum over each piece of the followers' equilibrium correspondence is found
    among the piece's endpoints, the real roots of :math:`N'D - ND'` for each branch value :math:`N/D` and, for the
    worst case, the roots of :math:`V_c - V_d` for pairs of branches, all from the model's exact payoffs.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.policy.commitment(gt.models.get("direct", verify_cost=60, fine_to_platform=0))
    >>> round(res.audit_rate, 4), round(res.counterfeit_rate, 4), round(res.nash_counterfeit_rate, 4)
    (0.32, 0.0, 0.2)
    >>> res.value >= max(n.platform_payoff for n in res.nash)
    True
    """
    lead = leader_index(model)
    if lead is None or not hasattr(model, "exact_game"):
        raise InvalidParameterError(
            f"The 'model' parameter of commitment must be a payment model with a platform player. Got {model!r} "
            f"instead."
        )
    corr = correspondence(model)
    cuts = [0.0, *corr.breakpoints, 1.0]
    best: dict[str, Any] = {"value": -np.inf, "x": 0.0, "how": None}
    worst: dict[str, Any] = {"value": -np.inf, "x": 0.0, "how": None, "limit": False}
    for x in cuts:  # the followers' game solved at the breakpoint itself
        values = _point_values(model, lead, x, tol)
        if values:
            hi, lo = max(values, key=lambda t: t[0]), min(values, key=lambda t: t[0])
            if hi[0] > best["value"]:
                best = {"value": hi[0], "x": x, "how": hi[1]}
            if lo[0] > worst["value"]:
                worst = {"value": lo[0], "x": x, "how": lo[1], "limit": False}
    for lo_x, hi_x in zip(cuts[:-1], cuts[1:], strict=True):
        mid = sympy.Rational(repr((lo_x + hi_x) / 2))
        valid = [b for b in corr.branches if b.holds_at(mid)]
        if not valid:
            continue
        for x in _candidates(valid, lo_x, hi_x, worst_case=False):
            inside = min(max(x, lo_x + _INSIDE), hi_x - _INSIDE)
            v, b = max(((_value(b, inside), b) for b in valid), key=lambda t: t[0])
            if v > best["value"] + _slack(v, tol):
                best = {"value": v, "x": inside, "how": b}
        for x in _candidates(valid, lo_x, hi_x, worst_case=True):
            inside = min(max(x, lo_x + _INSIDE), hi_x - _INSIDE)
            v, b = min(((_value(b, inside), b) for b in valid), key=lambda t: t[0])
            if v > worst["value"] + _slack(v, tol):
                worst = {"value": v, "x": x, "how": b, "at": inside, "limit": x in (lo_x, hi_x)}
    nash = _nash(model, lead, tol)
    rate_best = _rate(model, lead, best["x"], best["how"])
    rate_worst = _rate(model, lead, worst.get("at", worst["x"]), worst["how"])
    attained = True
    if worst["limit"]:  # a limit from inside a piece: attained only if the point itself gives as much
        point = _point_values(model, lead, worst["x"], tol)
        attained = bool(point) and min(v for v, _ in point) >= worst["value"] - _slack(worst["value"], tol)
    cost = float(model.params.get("audit_cost", 0.0))
    return CommitmentResult(
        audit_rate=float(best["x"]), value=float(best["value"]), counterfeit_rate=rate_best,
        audit_rate_worst=float(worst["x"]), value_worst=float(worst["value"]), counterfeit_rate_worst=rate_worst,
        attained_worst=attained, audit_cost=cost * float(best["x"]), audit_cost_worst=cost * float(worst["x"]),
        nash=nash, breakpoints=corr.breakpoints, branches=corr.branches, degenerate=corr.degenerate,
    )


def _slack(v: float, tol: float) -> float:
    return tol * max(1.0, abs(v))


def _value(branch: Branch, x: float) -> float:
    return float(branch.leader_value.subs(X, sympy.Float(x, 30)))


def _candidates(valid: list[Branch], lo: float, hi: float, *, worst_case: bool) -> list[float]:
    """Endpoints, critical points of each branch value and (worst case) crossings of two branches in (lo, hi)."""
    exprs = [sympy.diff(b.leader_value, X) for b in valid]
    if worst_case:
        exprs += [b.leader_value - c.leader_value for k, b in enumerate(valid) for c in valid[k + 1:]]
    points = [lo, hi]
    for expr in exprs:
        num = sympy.fraction(sympy.together(expr))[0]
        poly = sympy.Poly(sympy.expand(num), X)
        if poly.degree() > 0:
            points += [float(r) for r in sympy.real_roots(poly) if lo < float(r) < hi]
    return points


def _point_values(model: Any, lead: int, x: float, tol: float) -> list[tuple[float, Any]]:
    """(platform payoff, followers' profile) of every followers' equilibrium at the audit rate ``x``."""
    out = []
    for eq in solve(followers_game(model, x), tol=tol):
        profile = [np.asarray(p, dtype=float) for p in eq.profile]
        out.append((model.outcomes(_full(model, lead, x, profile))["platform_profit"], profile))
    return out


def _full(model: Any, lead: int, x: float, followers: list[np.ndarray]) -> list[np.ndarray]:
    full = list(followers)
    full.insert(lead, np.array([1 - x, x]))
    return full


def _rate(model: Any, lead: int, x: float, how: Any) -> float:
    """Counterfeit rate at ``x`` for a followers' profile or a branch evaluated at ``x``."""
    if how is None:
        return float("nan")
    if isinstance(how, Branch):
        profile = [np.array([float(p.subs(X, sympy.Float(x, 30))) for p in s]) for s in how.strategies]
    else:
        profile = how
    return float(model.outcomes(_full(model, lead, x, profile))["counterfeit_rate"])


def _nash(model: Any, lead: int, tol: float) -> tuple[NashBenchmark, ...]:
    out = []
    for eq in solve(model.game(), tol=tol):
        metrics = model.outcomes(eq)
        out.append(NashBenchmark(float(eq.profile[lead][1]), float(eq.payoffs[lead]),
                                 float(metrics["counterfeit_rate"])))
    return tuple(out)
