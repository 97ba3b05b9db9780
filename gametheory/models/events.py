r"""Event tables: who pays whom, with which probability, for each strategy profile.

A model is written once as a list of :class:`Event` rows. Each row has a probability and the amount each
*party* (the players, plus ``insurer`` and ``outside`` for a regulator, a court or a courier) gains or loses when
the event happens. Probabilities are formulas in the parameters and in *strategy indicators*: the symbol
``[Counterfeit]`` is 1 when the seller plays Counterfeit and 0 otherwise. Substituting a pure profile's
indicators gives the expected payoff of every player at that profile,

.. math::

    u_i(a) = \sum_{\text{rows } e} \Pr(e \mid a)\; x_{e,i},

so the payoff tensor, and every metric, come from the same rows (and so does ``docs/models.md``).

Rows may belong to a buyer *population* (``"buyer"``, or ``"hunter"`` in the extended variant): a population
that is also a player (an agent of the Harsanyi type, agent form) gets its conditional payoff, from its own rows
only, while every other party's payoff weights those rows by the population's share.

Examples
--------
>>> import sympy
>>> from gametheory.models.events import Event, indicator, tensor
>>> C, p = indicator("Counterfeit"), sympy.Symbol("p")
>>> rows = [Event("sale", 1, {"seller": p}), Event("fake", C, {"seller": -p / 2})]
>>> tensor(rows, ["seller"], [["Genuine", "Counterfeit"]], "seller")
[p, p/2]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._lazy import sympy

__all__ = ["Event", "indicator", "substitute", "tensor", "flatten", "PARTIES"]

#: parties that may appear in an event table besides the players
PARTIES = ("insurer", "outside")


def indicator(strategy: str) -> sympy.Symbol:
    """The 0/1 indicator symbol ``[strategy]`` of a strategy label.

    Examples
    --------
    >>> indicator("Verify")
    [Verify]
    """
    return sympy.Symbol(f"[{strategy}]", nonnegative=True)


@dataclass(frozen=True)
class Event:
    """One row of an event table.

    Attributes
    ----------
    label : str
        What happens ("fake, caught by an audit").
    prob : sympy expression
        Its probability, in the parameters and strategy indicators.
    amounts : dict
        Party name -> amount it gains (negative: pays).
    population : str or None
        The buyer population the row belongs to (weighted by its share), or None for per-order rows.

    Examples
    --------
    >>> Event("verify", indicator("Verify"), {"buyer": -sympy.Symbol("e")}).amounts["buyer"]
    -e
    """

    label: str
    prob: Any
    amounts: Mapping[str, Any] = field(default_factory=dict)
    population: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "prob", _idempotent(sympy.sympify(self.prob)))
        object.__setattr__(self, "amounts", {k: sympy.sympify(v) for k, v in self.amounts.items()})


def _idempotent(expr: Any) -> Any:
    """Indicators are 0 or 1, so ``[Hunt]**2`` is ``[Hunt]``."""
    return expr.replace(
        lambda x: x.is_Pow and x.base.is_Symbol and x.base.name.startswith("[") and x.exp.is_Integer and x.exp > 0,
        lambda x: x.base,
    )


def substitute(expr: Any, strategies: Sequence[Sequence[str]], profile: Sequence[int],
               absent: Sequence[str] = ()) -> Any:
    """``expr`` at a pure profile: the chosen strategies' indicators are 1, all others (and ``absent``) 0.

    Examples
    --------
    >>> substitute(1 - indicator("Verify"), [["Accept", "Verify"]], [1])
    0
    """
    values = {indicator(s): 0 for s in absent}
    for labels, chosen in zip(strategies, profile, strict=True):
        for k, label in enumerate(labels):
            values[indicator(label)] = 1 if k == chosen else 0
    return sympy.sympify(expr).xreplace(values)


def party_total(rows: Sequence[Event], party: str, shares: Mapping[str, Any]) -> Any:
    """A party's expected result over the rows, weighting population rows by their shares."""
    total = sympy.Integer(0)
    for row in rows:
        if party in row.amounts:
            weight = 1 if row.population is None else shares.get(row.population, 1)
            total += weight * row.prob * row.amounts[party]
    return total


def player_total(rows: Sequence[Event], player: str, shares: Mapping[str, Any]) -> Any:
    """A player's payoff: conditional on its own population if it is one, else share-weighted."""
    if player in shares:
        return party_total([r for r in rows if r.population == player], player, {})
    return party_total(rows, player, shares)


def tidy(expr: Any) -> Any:
    """A readable form of a formula for documents: expanded, then collected over its Min/Max terms."""
    expr = sympy.expand(expr)
    mins = sorted(expr.atoms(sympy.Min, sympy.Max), key=sympy.default_sort_key)
    return sympy.collect(expr, mins) if mins else expr


def at_profiles(rows: Sequence[Event], strategies: Sequence[Sequence[str]], absent: Sequence[str] = ()
                ) -> list[list[Event]]:
    """For each pure profile (C order), the rows with non-zero probability, their probabilities evaluated."""
    out = []
    for prof in itertools.product(*(range(len(s)) for s in strategies)):
        live = []
        for row in rows:
            prob = sympy.expand(substitute(row.prob, strategies, prof, absent))
            if prob != 0:
                live.append(Event(row.label, prob, row.amounts, row.population))
        out.append(live)
    return out


def tensor(rows: Sequence[Event], players: Sequence[str], strategies: Sequence[Sequence[str]], party: str,
           shares: Mapping[str, Any] | None = None, absent: Sequence[str] = (),
           live: Sequence[Sequence[Event]] | None = None) -> sympy.Array:
    """The ``(s_1, ..., s_n)`` array of ``party``'s expected result at every pure profile.

    ``party`` is a player (its payoff) or any other party (its share-weighted result); ``live`` may pass
    :func:`at_profiles` computed once.

    Examples
    --------
    >>> rows = [Event("platform audits", indicator("Audit"), {"platform": -3}),
    ...         Event("fake sold", indicator("Counterfeit"), {"seller": 40})]
    >>> tensor(rows, ["seller", "platform"], [["Genuine", "Counterfeit"], ["Lax", "Audit"]], "seller")
    [[0, 0], [40, 40]]
    """
    shares = dict(shares or {})
    live = at_profiles(rows, strategies, absent) if live is None else live
    total = player_total if party in players else party_total
    values = [total(r, party, shares) for r in live]
    return sympy.Array(values, tuple(len(s) for s in strategies))


def flatten(array: sympy.Array) -> list[Any]:
    """The entries of a sympy Array in C order.

    Examples
    --------
    >>> flatten(sympy.Array([[1, 2], [3, 4]]))
    [1, 2, 3, 4]
    """
    return [array[idx] for idx in itertools.product(*map(range, array.shape))]
