r"""Reputation: a Bayesian rating of a store from public feedback on established frauds, solved exactly.

The model (a finite-horizon game, solved by backward induction; chosen over a population game because the
rating, the recognition rate and the store's best reply are then exact numbers, not rest points of a flow):

* A store is *honest* (never fakes) or *opportunistic* (fakes every order), with prior :math:`\mu_0` on honest.
  Each order leaves public feedback: a flag when fraud is established. An opportunistic store's order is flagged
  with probability :math:`o = P + (1-P)\varepsilon` (:math:`P` from the monitoring, as in :mod:`.incentives`), an
  honest store's with the false-flag rate :math:`h = \varepsilon`.
* After :math:`t` orders with :math:`f` flags the buyers' belief that the store is honest is Bayes' posterior,

  .. math::

      \operatorname{logit}\mu(t, f) = \operatorname{logit}\mu_0 + f \log\frac{h}{o}
          + (t - f) \log\frac{1-h}{1-o}.

* A buyer orders iff :math:`\mu U_B(G) + (1-\mu) U_B(C) \ge 0` (not buying is worth 0): the store is trusted
  while :math:`\mu \ge \underline\mu = -U_B(C) / (U_B(G) - U_B(C))`, with :math:`U_B` the buyer's payoffs from the
  model's event table. A store no longer trusted sells nothing again: the rating delists it.
* Recognition: the log-odds of an opportunistic store drift down by the Kullback-Leibler divergence
  :math:`\mathrm{KL}(o \,\|\, h)` per order (the *recognition rate*); the exact distribution of the number of
  orders before it loses trust comes from a forward recursion over :math:`f`.
* A strategic store (its type unknown to buyers, rated as above) chooses Genuine or Counterfeit at every record
  :math:`(t, f)` over :math:`T` periods to maximise its discounted profit,

  .. math::

      V(t, f) = [\mu(t, f) \ge \underline\mu] \max_{a \in \{G, C\}}
          \big(\pi_a + \delta(\rho_a V(t+1, f+1) + (1-\rho_a) V(t+1, f))\big), \qquad V(T, \cdot) = 0,

  with :math:`\rho_G = h`, :math:`\rho_C = o`. The rating is a rule weighing the record against the
  always-faking type, not an equilibrium belief that anticipates this store's mimicking (a sequential equilibrium
  with mixing, as in Kreps and Wilson, is not solved). With :math:`\varepsilon = 0` one flag ends trust and the store is
  honest at the start iff :math:`\delta \ge \delta^*` of :mod:`.incentive_constraint` (as :math:`T \to \infty`): the
  rating does the platform's delisting. A larger :math:`\varepsilon` slows recognition and costs honest stores
  trust by mistake; a larger multiplier compensates buyers, lowers :math:`\underline\mu` and so *weakens* the
  rating while it strengthens the penalty (:func:`reputation_multiplier`).

References
----------
.. [1] Kreps, D. M., & Wilson, R. (1982). Reputation and imperfect information. *Journal of Economic Theory*,
       27(2), 253-279.
.. [2] Dellarocas, C. (2005). Reputation mechanism design in online trading environments with pure moral hazard.
       *Information Systems Research*, 16(2), 209-230.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._frozen import FrozenResult
from .._validation import InstanceOf, Interval, NoneOr, validate_params
from ..limits import RATING_HORIZON
from ._points import evaluation_points
from .incentives import buyer_payoffs, check_payment_model, seller_incentives
from .multiplier import min_penalty_multiplier

__all__ = ["ReputationResult", "MultiplierComparison", "posterior_honest", "reputation", "reputation_multiplier"]

_PRIOR = Interval(float, 0, 1, closed="neither")
_FLAG = Interval(float, 0, 1, closed="left")
_HORIZON = Interval(int, 1, RATING_HORIZON)
_CACHE: dict[tuple[Any, ...], Any] = {}


@dataclass(frozen=True, eq=False)
class ReputationResult(FrozenResult):
    """The rating of a store and the strategic store's best reply to it.

    Attributes
    ----------
    prior_honest, false_flag_rate : float
        :math:`\\mu_0` and :math:`\\varepsilon`.
    horizon : int
        Periods :math:`T` (one order each).
    trust_threshold : float
        :math:`\\underline\\mu`, the belief below which buyers stop ordering.
    flag_honest, flag_opportunist : float
        :math:`h` and :math:`o`, the per-order flag probabilities.
    recognition_rate : float
        :math:`\\mathrm{KL}(o \\| h)` in nats per order (inf when one flag is proof).
    expected_recognition : float
        Expected orders an always-faking store sells before it loses trust (counted up to the horizon).
    recognised_by_horizon : float
        Probability that it has lost trust by the horizon.
    false_recognition : float
        Probability that an honest store loses trust by the horizon.
    honest_at_start : bool
        Whether the strategic store's best first action is Genuine.
    honest_periods : int
        Periods it stays honest on the flag-free record before it cashes in (``horizon``: never).
    expected_fakes : float
        Expected fakes it sells over the horizon, playing its best reply.
    value : float
        Its discounted profit :math:`V(0, 0)`.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.reputation(gt.models.get("direct", discount_factor=0.95), false_flag_rate=0.0)
    >>> res.honest_at_start, round(res.expected_recognition, 2)          # 1 / P orders, P = 0.0952
    (True, 10.5)
    """

    prior_honest: float
    false_flag_rate: float
    horizon: int
    trust_threshold: float
    flag_honest: float
    flag_opportunist: float
    recognition_rate: float
    expected_recognition: float
    recognised_by_horizon: float
    false_recognition: float
    honest_at_start: bool
    honest_periods: int
    expected_fakes: float
    value: float


@dataclass(frozen=True, eq=False)
class MultiplierComparison(FrozenResult):
    """The smallest multiplier that keeps the seller honest with no future, with delisting, and with the rating.

    Attributes
    ----------
    without_future : float or None
        One sale (:math:`\\delta = 0`): Becker's multiplier for the monitoring.
    with_delisting : float or None
        At the model's :math:`\\delta`, delisted on the first established fraud (:func:`min_penalty_multiplier`).
    with_reputation : float or None
        At the model's :math:`\\delta`, rated by buyers (:func:`reputation`): the smallest multiplier on the grid
        (refined by bisection) at which the strategic store is honest at the start. None where none is.
    grid : ndarray
        The multipliers tried for the rating, and ``honest`` whether the store is honest at each.
    honest : ndarray of bool

    Examples
    --------
    >>> import gametheory as gt
    >>> c = gt.repeated.reputation_multiplier(gt.models.get("direct"), false_flag_rate=0.0, horizon=100)
    >>> round(c.without_future, 3), round(c.with_delisting, 3), round(c.with_reputation, 3)
    (4.07, 2.79, 2.79)
    """

    without_future: float | None
    with_delisting: float | None
    with_reputation: float | None
    grid: np.ndarray
    honest: np.ndarray


def posterior_honest(prior: Any, orders: Any, flags: Any, flag_honest: Any, flag_opportunist: Any) -> np.ndarray:
    r"""Bayes' posterior that a store is honest after ``orders`` orders with ``flags`` flags (vectorised).

    Examples
    --------
    >>> round(float(posterior_honest(0.5, 10, 0, 0.0, 0.2)), 4)     # 0.5 / (0.5 + 0.5 * 0.8**10)
    0.903
    >>> float(posterior_honest(0.5, 10, 1, 0.0, 0.2))               # a flag an honest store never gets
    0.0
    """
    prior, orders, flags, h, o = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                                       (prior, orders, flags, flag_honest, flag_opportunist)))
    with np.errstate(all="ignore"):
        flagged = np.where(flags > 0, flags * (np.log(h) - np.log(o)), 0.0)
        clean = np.where(orders - flags > 0, (orders - flags) * (np.log1p(-h) - np.log1p(-o)), 0.0)
        logit = np.log(prior) - np.log1p(-prior) + flagged + clean
        return np.asarray(1.0 / (1.0 + np.exp(-logit)))


@validate_params({"model": None, "prior_honest": _PRIOR, "false_flag_rate": _FLAG, "horizon": _HORIZON})
def reputation(model: Any, *, prior_honest: float = 0.9, false_flag_rate: float = 0.02,
               horizon: int = 200) -> ReputationResult:
    r"""The Bayesian rating of a store: how fast an opportunist is recognised, and the strategic store's reply.

    Parameters
    ----------
    model : Model
        A core payment model with a seller (the monitoring gives :math:`P`; ``discount_factor`` is :math:`\delta`).
    prior_honest : float
        Buyers' prior :math:`\mu_0` that a new store is honest.
    false_flag_rate : float
        :math:`\varepsilon`, the probability that an honest store's order is flagged anyway.
    horizon : int
        Periods :math:`T` solved exactly (one order each).

    Returns
    -------
    ReputationResult

    Notes
    -----
    See the module docstring for the rating, the recognition rate and the backward induction.

    Examples
    --------
    >>> import gametheory as gt
    >>> res = gt.repeated.reputation(gt.models.get("direct"), false_flag_rate=0.02)
    >>> round(res.trust_threshold, 3), round(res.recognition_rate, 3), res.honest_at_start
    (0.658, 0.108, False)
    """
    model = check_payment_model(model, "reputation")
    q = _quantities(model, None)
    solved = _solve(q, float(prior_honest), float(false_flag_rate), int(horizon))
    h, o = float(false_flag_rate), float(solved["o"][0])
    faker = _survival(solved["trusted"][0], np.full(1, o), horizon)
    honest = _survival(solved["trusted"][0], np.full(1, h), horizon)
    from scipy import special  # lazy: scipy.special takes 0.1-0.3 s to import, for this one line

    kl = special.rel_entr(o, h) + special.rel_entr(1.0 - o, 1.0 - h)  # KL(o || h); inf when h = 0 < o
    policy = solved["counterfeit"][0]
    trusted = solved["trusted"][0]
    clean = [t for t in range(horizon) if trusted[t, 0] and policy[t, 0]]
    return ReputationResult(
        float(prior_honest), h, int(horizon), float(solved["threshold"][0]), h, o, float(kl),
        float(faker[:-1].sum()), float(1.0 - faker[-1]), float(1.0 - honest[-1]),
        bool(trusted[0, 0] and not policy[0, 0]), int(clean[0]) if clean else int(horizon),
        float(solved["fakes"][0]), float(solved["value"][0]))


@validate_params({"model": None, "prior_honest": _PRIOR, "false_flag_rate": _FLAG, "horizon": _HORIZON,
                  "bounds": NoneOr(InstanceOf(tuple, list, description="a (lo, hi) pair")),
                  "grid": Interval(int, 3, 10_000)})
def reputation_multiplier(model: Any, *, prior_honest: float = 0.9, false_flag_rate: float = 0.02,
                          horizon: int = 200, bounds: tuple[float, float] | None = None,
                          grid: int = 81) -> MultiplierComparison:
    r"""How reputation substitutes for the multiplier: the smallest :math:`k` with no future, delisting, a rating.

    Parameters
    ----------
    model : Model
        A core payment model with a seller and a penalty multiplier.
    prior_honest, false_flag_rate, horizon
        As for :func:`reputation`.
    bounds : (float, float), optional
        The multipliers tried for the rating (default ``(0, 20)``).
    grid : int
        How many, evenly spaced; the first one at which the store is honest is refined by bisection against the
        one before it.

    Returns
    -------
    MultiplierComparison

    Examples
    --------
    >>> import gametheory as gt
    >>> c = gt.repeated.reputation_multiplier(gt.models.get("direct"), false_flag_rate=0.05, horizon=60, grid=21)
    >>> c.with_reputation is None or c.with_reputation >= c.with_delisting
    True
    """
    model = check_payment_model(model, "reputation_multiplier", needs=("penalty_multiplier",))
    lo, hi = (0.0, 20.0) if bounds is None else (float(bounds[0]), float(bounds[1]))
    ks = np.linspace(lo, hi, grid)

    def honest_at(values: np.ndarray) -> np.ndarray:
        q = _quantities(model, {"penalty_multiplier": values})
        solved = _solve(q, float(prior_honest), float(false_flag_rate), int(horizon))
        return np.asarray(solved["trusted"][:, 0, 0] & ~solved["counterfeit"][:, 0, 0])

    honest = honest_at(ks)
    with_rating = None
    if honest.any():
        first = int(np.argmax(honest))
        if first == 0:
            with_rating = float(ks[0])
        else:
            a, b = float(ks[first - 1]), float(ks[first])
            for _ in range(40):
                mid = 0.5 * (a + b)
                a, b = (a, mid) if honest_at(np.array([mid]))[0] else (mid, b)
            with_rating = b
    none = min_penalty_multiplier(model.with_params(discount_factor=0.0))
    delist = min_penalty_multiplier(model)
    return MultiplierComparison(none.value, delist.value, with_rating, ks, honest)


def _quantities(model: Any, points: dict[str, Any] | None) -> dict[str, np.ndarray]:
    """Stage payoffs, detection, buyers' payoffs and the discount factor at the points, as (K,) arrays."""
    values, n, _ = evaluation_points(model, points, "reputation")
    inc = seller_incentives(model)
    q = dict(inc.evaluate(values, n))
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _CACHE:
        _CACHE[key] = sympy.lambdify(list(inc.symbols), list(buyer_payoffs(model)), modules="numpy")
    genuine, fake = _CACHE[key](*[values[name] for name in inc.arguments])
    q["buyer_genuine"] = np.broadcast_to(np.asarray(genuine, dtype=float), (n,))
    q["buyer_fake"] = np.broadcast_to(np.asarray(fake, dtype=float), (n,))
    q["delta"] = np.broadcast_to(np.asarray(values["discount_factor"], dtype=float), (n,))
    return q


def _solve(q: dict[str, np.ndarray], prior: float, eps: float, horizon: int) -> dict[str, np.ndarray]:
    """Backward induction over the record (t, f) for K scenarios at once; then the forward count of fakes."""
    k = q["honest"].size
    o = np.clip(q["detection"] + (1.0 - q["detection"]) * eps, 0.0, 1.0)
    ug, uc = q["buyer_genuine"], q["buyer_fake"]
    with np.errstate(all="ignore"):
        threshold = np.where(uc >= 0, 0.0, np.where(ug <= 0, 1.0 + 1e-12, -uc / (ug - uc)))
    t_idx = np.arange(horizon + 1)
    f_idx = np.arange(horizon + 1)
    post = posterior_honest(prior, t_idx[None, :, None], f_idx[None, None, :], eps, o[:, None, None])
    trusted = (post >= threshold[:, None, None] - 1e-12) & (f_idx[None, None, :] <= t_idx[None, :, None])
    counterfeit = np.zeros((k, horizon, horizon + 1), dtype=bool)
    value = np.zeros((k, horizon + 2))
    delta = q["delta"][:, None]
    ph, pc = q["honest"][:, None], q["deviation"][:, None]
    oo = o[:, None]
    for t in range(horizon - 1, -1, -1):
        stay, up = value[:, : horizon + 1], value[:, 1 : horizon + 2]
        v_g = ph + delta * (eps * up + (1.0 - eps) * stay)
        v_c = pc + delta * (oo * up + (1.0 - oo) * stay)
        here = trusted[:, t, :]
        counterfeit[:, t, :] = here & (v_c > v_g + 1e-12 * (1.0 + np.abs(v_g)))
        new = np.where(here, np.maximum(v_g, v_c), 0.0)
        value = np.concatenate([new, np.zeros((k, 1))], axis=1)
    fakes = np.zeros(k)
    mass = np.zeros((k, horizon + 2))
    mass[:, 0] = 1.0
    for t in range(horizon):
        live = mass[:, : horizon + 1] * trusted[:, t, :]
        cheat = counterfeit[:, t, :]
        fakes += (live * cheat).sum(axis=1)
        rho = np.where(cheat, oo, eps)
        nxt = np.zeros_like(mass)
        nxt[:, : horizon + 1] += live * (1.0 - rho)
        nxt[:, 1 : horizon + 2] += live * rho
        mass = nxt
    return {"o": o, "threshold": threshold, "trusted": trusted, "counterfeit": counterfeit,
            "value": value[:, 0], "fakes": fakes}


def _survival(trusted: np.ndarray, rho: np.ndarray, horizon: int) -> np.ndarray:
    """Pr(still trusted before order t), t = 0..T, for a store flagged with probability ``rho`` per order."""
    mass = np.zeros(horizon + 2)
    mass[0] = 1.0
    out = np.empty(horizon + 1)
    for t in range(horizon + 1):
        live = mass[: horizon + 1] * trusted[t, :]
        out[t] = live.sum()
        if t == horizon:
            break
        nxt = np.zeros_like(mass)
        nxt[: horizon + 1] += live * (1.0 - rho[0])
        nxt[1:] += live * rho[0]
        mass = nxt
    return out
