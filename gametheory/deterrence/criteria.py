r"""Deterrence criteria: does the counterfeit rate stay at or below a target in the equilibria of a game?

A criterion maps the equilibria of a game to one *deciding rate* and a verdict:

==================  ======================================================  ==========================
criterion           deciding rate                                           equilibria from
==================  ======================================================  ==========================
``all_equilibria``  the largest counterfeit rate over every Nash equilibrium  :func:`gametheory.solve_batch`
``some_equilibrium`` the smallest (an optimistic planner picks the play)     :func:`gametheory.solve_batch`
``stable_states``   the largest over the asymptotically stable rest points   :func:`gametheory.dynamics.stable_states`
                    of the multi-population replicator dynamics
``subgame_perfect`` the largest over the subgame-perfect equilibria of the    the model's sequential game
                    model's sequential version
``logit``           the rate at the principal-branch logit QRE with          :func:`gametheory.qre.logit_batch`
                    precision lambda (boundedly rational play)
``logit_selected``  the rate of the logit-selected equilibrium (the limit    :func:`gametheory.qre.logit_selected`
                    of the principal branch)
==================  ======================================================  ==========================

and the criterion holds when the deciding rate is at most ``target_rate`` (up to :data:`RATE_TOL`). The first two
are evaluated for a whole batch of parameter points at once: one :class:`~gametheory.BatchSolution` and the
model's ``outcome_arrays``, no loop over points. ``stable_states`` is vectorised too: in the multi-population
replicator dynamics of an asymmetric game the asymptotically stable states are the strict Nash equilibria (Selten
1980), checked corner by corner on the batch's payoffs (tested against :func:`gametheory.dynamics.stable_states`);
``subgame_perfect`` solves the followers' game after each platform choice for the whole batch
(:mod:`gametheory.policy.sequential`).

The criteria are a registry, :data:`CRITERIA` (name -> :class:`Criterion`): :func:`register_criterion` adds one
(a module of its own writes the evaluator, ``rates(model, values, tol) -> (deciding rate, trade rate)``), and
every entry point (:func:`~gametheory.deterrence.deterrence_set`, :func:`~gametheory.deterrence.min_value`, the
CLI) accepts its name from then on. The trade rate (probability that an order is placed, of the deciding play)
tells deterrence from no trade: a rate of 0 because nothing is sold is not deterrence.

For a degenerate game the solver lists the extreme points of each continuum of equilibria; the counterfeit rate
is linear in the seller's mixed strategy, so its largest and smallest values over a (convex) component are
attained at those points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from ..models.equilibrium_metrics import RATE_TOL, constant_metric, counterfeit_rates, extreme_rates, metric_values
from ..policy.sequential import subgame_perfect_rates
from ..qre.criterion import logit_criterion, logit_precision, logit_rates, logit_selected_rates
from ..solvers import solve_batch

__all__ = ["Criterion", "CRITERIA", "RATE_TOL", "register_criterion", "get_criterion", "CriterionName",
           "deciding_rates", "deciding_rates_and_trade", "counterfeit_rates", "metric_values", "has_sequential"]

#: a trade rate at most this counts as "nothing is sold"
TRADE_TOL = 1e-9

FloatArray = npt.NDArray[np.float64]
#: ``rates(model, values, tol) -> (deciding counterfeit rate, trade rate of the deciding play)``, both ``(N,)``
RatesFn = Callable[[Any, dict[str, FloatArray], float], tuple[FloatArray, FloatArray]]


@dataclass(frozen=True)
class Criterion:
    """One deterrence criterion: how to get the deciding counterfeit rate at many parameter points.

    Attributes
    ----------
    name : str
        The name users pass (``criterion="..."``).
    description : str
        One line: whose rate decides.
    rates : callable
        ``rates(model, values, tol) -> (rate, trade)``: at ``N`` points (``values`` maps parameter names to flat
        arrays; the other parameters keep the model's values), the deciding counterfeit rate and the trade rate
        (probability that an order is placed) of the deciding play, both shape ``(N,)``; NaN where there is
        nothing to decide on.
    nash_breakpoints : bool
        True when the verdict can change only where the set of Nash equilibria changes or a Nash equilibrium's
        counterfeit rate crosses the target (the criterion reads the Nash equilibria or a subset defined by
        strict inequalities). :func:`~gametheory.deterrence.deterrence_set` is then exact; otherwise it also
        samples each piece and bisects every change of verdict it sees (``DeterrenceSet.exact`` is False).
    extreme : str or None
        ``"largest"`` / ``"smallest"`` when the deciding rate is the largest / smallest rate over every Nash
        equilibrium (the closed forms of :mod:`.closed_form` then apply); None otherwise.
    applies : callable or None
        ``applies(model) -> None`` when the criterion applies to the model, else the reason (a string).
    """

    name: str
    description: str
    rates: RatesFn
    nash_breakpoints: bool = False
    extreme: str | None = None
    applies: Callable[[Any], str | None] | None = None


class _Registry(Mapping[str, Criterion]):
    """The criteria by name (a live mapping: criteria registered later are seen by every entry point)."""

    def __init__(self) -> None:
        self._items: dict[str, Criterion] = {}

    def __getitem__(self, name: str) -> Criterion:
        if name not in self._items and isinstance(name, str) and (lam := logit_precision(name)) is not None:
            register_criterion(_logit(lam))  # 'logit(lam=...)' at any precision, built on first use
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"CRITERIA({list(self._items)})"


#: every registered criterion, by name (see :func:`register_criterion`)
CRITERIA = _Registry()


def register_criterion(criterion: Criterion, *, replace: bool = False) -> Criterion:
    """Add a criterion to :data:`CRITERIA` (every deterrence entry point accepts its name from then on).

    Examples
    --------
    >>> import numpy as np
    >>> def pessimist(model, values, tol):      # every point deters nothing: rate 1, trade 1
    ...     n = len(next(iter(values.values())))
    ...     return np.ones(n), np.ones(n)
    >>> c = register_criterion(Criterion("doc_example", "rate 1 everywhere", pessimist))
    >>> "doc_example" in CRITERIA
    True
    >>> _ = CRITERIA._items.pop("doc_example")
    """
    if not isinstance(criterion, Criterion):
        raise InvalidParameterError(
            f"The 'criterion' parameter of register_criterion must be a Criterion. Got {type(criterion).__name__} "
            "instead."
        )
    if criterion.name in CRITERIA._items and not replace:
        raise InvalidParameterError(
            f"The 'criterion' parameter of register_criterion must have a new name (or pass replace=True). Got "
            f"{criterion.name!r}, which is registered already."
        )
    CRITERIA._items[criterion.name] = criterion
    return criterion


class CriterionName:
    """Validation constraint: the name of a registered criterion (checked against the live registry)."""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value in CRITERIA

    def __str__(self) -> str:
        return "a str among {" + ", ".join(repr(n) for n in sorted(CRITERIA)) + "}"


def get_criterion(model: Any, name: str) -> Criterion:
    """The registered criterion ``name``, checked to apply to ``model`` (one-line error otherwise)."""
    if name not in CRITERIA:
        raise unknown_name_error("criterion", name, list(CRITERIA))
    crit = CRITERIA[name]
    why = crit.applies(model) if crit.applies is not None else None
    if why:
        raise InvalidParameterError(
            f"The 'criterion' parameter must name a criterion the model supports: {why}. Got {name!r} instead."
        )
    return crit


def deciding_rates(model: Any, criterion: str, values: dict[str, FloatArray], *, tol: float) -> FloatArray:
    """The rate that decides ``criterion`` at each point (NaN where a game has no equilibrium listed)."""
    return deciding_rates_and_trade(model, criterion, values, tol=tol)[0]


def deciding_rates_and_trade(model: Any, criterion: str, values: dict[str, FloatArray], *,
                             tol: float) -> tuple[FloatArray, FloatArray]:
    """``(deciding rate, trade rate of the deciding play)`` at each point, by the registered criterion."""
    rate, trade = get_criterion(model, criterion).rates(model, values, tol)
    return np.asarray(rate, dtype=float), np.asarray(trade, dtype=float)


def _nash_rates(largest: bool) -> RatesFn:
    def rates(model: Any, values: dict[str, FloatArray], tol: float) -> tuple[FloatArray, FloatArray]:
        return nash_rates(model, solve_batch(model.batch(**values), tol=tol), values, largest=largest)

    return rates


def nash_rates(model: Any, solution: Any, values: dict[str, FloatArray], *,
               largest: bool) -> tuple[FloatArray, FloatArray]:
    """``(deciding rate, trade rate)`` of a solved batch when the largest (or smallest) Nash rate decides."""
    rate = counterfeit_rates(model, solution, values)
    trade = metric_values(model, solution, values, "trade_rate")
    return extreme_rates(rate, trade, solution.valid, largest=largest)


def _stable_rates(model: Any, values: dict[str, FloatArray], tol: float) -> tuple[FloatArray, FloatArray]:
    rate_table, trade_table = constant_metric(model, "counterfeit_rate"), constant_metric(model, "trade_rate")
    if rate_table is None or trade_table is None:
        return _per_point(model, values, _stable_rate)
    return _strict_corner_rates(model.batch(**values).payoffs, rate_table, trade_table, tol)


def _spe_rates(model: Any, values: dict[str, FloatArray], tol: float) -> tuple[FloatArray, FloatArray]:
    return subgame_perfect_rates(model, values, tol=tol)


def _needs_sequential(model: Any) -> str | None:
    return None if has_sequential(model) else f"{model.name!r} has no sequential version, so 'subgame_perfect' " \
        "does not apply"


register_criterion(Criterion("all_equilibria", "the largest counterfeit rate over every Nash equilibrium",
                             _nash_rates(True), nash_breakpoints=True, extreme="largest"))
register_criterion(Criterion("some_equilibrium", "the smallest rate over the Nash equilibria (an optimistic "
                             "planner picks the play)", _nash_rates(False), nash_breakpoints=True,
                             extreme="smallest"))
register_criterion(Criterion("stable_states", "the largest rate over the asymptotically stable rest points of the "
                             "multi-population replicator dynamics", _stable_rates, nash_breakpoints=True))
register_criterion(Criterion("subgame_perfect", "the largest rate over the subgame-perfect equilibria of the "
                             "model's sequential version", _spe_rates, applies=_needs_sequential))
def _logit(lam: float) -> Criterion:
    return Criterion(logit_criterion(lam), f"the counterfeit rate at the principal-branch logit QRE with precision "
                     f"lambda = {lam:g}", lambda model, values, tol: logit_rates(model, values, lam=lam, tol=tol))


register_criterion(_logit(logit_precision("logit")))  # type: ignore[arg-type]
register_criterion(Criterion("logit_selected", "the counterfeit rate of the logit-selected equilibrium (the limit of "
                             "the principal logit branch)", logit_selected_rates))


def _strict_corner_rates(payoffs: FloatArray, table: FloatArray, trade_table: FloatArray,
                         tol: float) -> tuple[FloatArray, FloatArray]:
    """Largest rate over the strict pure equilibria of each game (NaN where there is none), vectorised; and the
    largest trade rate among the strict equilibria that attain it.

    In a multi-population replicator dynamics of an asymmetric game the asymptotically stable rest points are
    exactly the strict Nash equilibria, all pure (Selten 1980); this is what :func:`gametheory.dynamics.stable_states`
    lists, computed here for a whole batch at once.
    """
    n_games, n = payoffs.shape[0], payoffs.shape[1]
    shape = payoffs.shape[2:]
    scale = np.maximum(1.0, np.abs(payoffs.reshape(n_games, -1)).max(axis=1))
    best = np.full(n_games, -np.inf)
    trade = np.full(n_games, np.nan)
    for corner in np.ndindex(*shape):
        strict = np.ones(n_games, dtype=bool)
        for i in range(n):
            own = payoffs[(slice(None), i, *corner)]
            for t in range(shape[i]):
                if t != corner[i]:
                    other = list(corner)
                    other[i] = t
                    strict &= own > payoffs[(slice(None), i, *other)] + tol * scale
        higher = strict & (table[corner] > best + RATE_TOL)
        tie = strict & ~higher & (table[corner] >= best - RATE_TOL)
        trade = np.where(higher, trade_table[corner], np.where(tie, np.fmax(trade, trade_table[corner]), trade))
        best = np.where(strict, np.maximum(best, table[corner]), best)
    ok = np.isfinite(best)
    return np.where(ok, best, np.nan), np.where(ok, trade, np.nan)


def has_sequential(model: Any) -> bool:
    """True when the model offers a sequential (extensive-form) version: ``model.extensive_game()``."""
    return callable(getattr(model, "extensive_game", None))


def _per_point(model: Any, values: dict[str, FloatArray], rate_of: Any) -> tuple[FloatArray, FloatArray]:
    n = len(next(iter(values.values()))) if values else 1
    rate, trade = np.empty(n), np.empty(n)
    for g in range(n):
        point = model.with_params(**{name: float(v[g]) for name, v in values.items()})
        rate[g], trade[g] = rate_of(point)
    return rate, trade


def _largest_with_trade(outcomes: list[dict[str, float]], key: str) -> tuple[float, float]:
    if not outcomes:
        return float("nan"), float("nan")
    top = max(o[key] for o in outcomes)
    trade = max(o["trade_rate"] for o in outcomes if o[key] >= top - RATE_TOL)
    return float(top), float(trade)


def _stable_rate(model: Any) -> tuple[float, float]:
    from .. import dynamics  # lazy: scipy

    states = dynamics.stable_states(model.game())
    return _largest_with_trade([model.outcomes(_profile_of(s)) for s in _iter_states(states)], "counterfeit_rate")


def _iter_states(states: Any) -> list[Any]:
    if hasattr(states, "stable") and not callable(states.stable):
        return list(states.stable)
    return list(states)


def _profile_of(state: Any) -> Any:
    for name in ("profile", "state", "point"):
        if hasattr(state, name):
            return getattr(state, name)
    return state
