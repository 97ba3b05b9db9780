"""Parsing and checking a custom model's table: labels, parameters, formulas, marked strategies.

Used by :func:`gametheory.models.custom.from_table`; every problem raises
:class:`~gametheory.errors.InvalidParameterError` naming what is wrong and what is allowed.
"""

from __future__ import annotations

import itertools
import keyword
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import limits
from .._lazy import sympy
from .._validation import Interval
from ..errors import InvalidParameterError
from .formula import parse_formula
from .parameters import VOCABULARY, Parameter

__all__ = ["labels", "parameters", "formula", "payoff_table", "mark"]

_UNITS = ("currency", "probability", "rate", "multiple", "count", "other")


def labels(labels: Any, what: str) -> tuple[str, ...]:
    """Distinct, non-empty names (players or one player's strategies).

    Examples
    --------
    >>> labels(["C", "D"], "strategies")
    ('C', 'D')
    """
    if isinstance(labels, str) or not isinstance(labels, Sequence) or not labels:
        raise InvalidParameterError(f"The {what} must be a non-empty list of names. Got {labels!r} instead.")
    out = tuple(str(x) for x in labels)
    if len(set(out)) != len(out):
        raise InvalidParameterError(f"The {what} must be distinct. Got {list(out)!r} instead.")
    return out


def parameters(spec: Mapping[str, Any], owner: str) -> dict[str, Parameter]:
    """Parameters from ``name -> default`` or ``name -> {default, meaning, unit, min, max}``.

    Examples
    --------
    >>> parameters({"gain": {"default": 2, "min": 0}, "fine": 30}, "game")["gain"].domain.left
    0
    """
    out: dict[str, Parameter] = {}
    seen_symbols: dict[str, str] = {}
    for pname, value in spec.items():
        if not pname.isidentifier() or keyword.iskeyword(pname):
            raise InvalidParameterError(f"A parameter name of {owner} must be an identifier. Got {pname!r} instead.")
        entry = dict(value) if isinstance(value, Mapping) else {"default": value}
        unknown = set(entry) - {"default", "meaning", "unit", "min", "max"}
        if unknown:
            raise InvalidParameterError(
                f"The parameter {pname!r} of {owner} has unknown fields {sorted(unknown)}; allowed: default, "
                f"meaning, unit, min, max."
            )
        if pname in VOCABULARY:
            base = VOCABULARY[pname]
            if base.symbol is None:
                raise InvalidParameterError(
                    f"The parameter {pname!r} of {owner} is a structural option of the built-in models and cannot be "
                    f"used in a payoff formula; choose another name."
                )
            default = entry.get("default", base.default)
            par = Parameter(pname, base.symbol, base.meaning, base.unit, base.domain, default)
        else:
            if "default" not in entry:
                raise InvalidParameterError(f"The parameter {pname!r} of {owner} needs a default.")
            unit = entry.get("unit", "other")
            if unit not in _UNITS:
                raise InvalidParameterError(
                    f"The unit of parameter {pname!r} of {owner} must be one of {', '.join(_UNITS)}. Got {unit!r}."
                )
            lo, hi = entry.get("min"), entry.get("max")
            if unit in ("probability", "rate"):
                lo, hi = (0 if lo is None else lo), (1 if hi is None else hi)
            par = Parameter(pname, sympy.Symbol(pname, real=True), str(entry.get("meaning", pname)), unit,
                            Interval(float, lo, hi), entry["default"])
        assert par.symbol is not None  # options were rejected above
        sym_name = par.symbol.name
        if sym_name in seen_symbols:
            raise InvalidParameterError(
                f"The parameters {seen_symbols[sym_name]!r} and {pname!r} of {owner} share the symbol {sym_name!r}; "
                f"rename one."
            )
        seen_symbols[sym_name] = pname
        default = par.default
        if isinstance(default, bool) or not isinstance(default, (int, float)) or default not in par.domain:
            raise InvalidParameterError(
                f"The default of parameter {pname!r} of {owner} must be {par.domain}. Got {default!r} instead."
            )
        out[pname] = par
    return out


def formula(text: Any, local: Mapping[str, sympy.Symbol], where: str) -> Any:
    """Parse one payoff formula over the parameter names (:func:`~.formula.parse_formula`: a whitelist, never eval).

    Numbers are taken as they are; strings go through the whitelist parser, whose errors name the formula's cell
    and the offending token, and suggest the closest parameter for an unknown name.

    Examples
    --------
    >>> g = sympy.Symbol("g")
    >>> formula("2*g - 1", {"g": g}, "here")
    2*g - 1
    """
    if isinstance(text, np.generic):
        text = text.item()
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if not math.isfinite(text) or abs(text) > limits.MAX_FORMULA_NUMBER:
            raise InvalidParameterError(
                f"The payoff formula {where} must be a finite number of at most {limits.MAX_FORMULA_NUMBER:g} in "
                f"absolute value. Got {text!r} instead."
            )
        return sympy.nsimplify(text) if float(text).is_integer() else sympy.Float(text)
    if not isinstance(text, str):
        raise InvalidParameterError(f"The payoff formula {where} must be a string or a number. Got {text!r}.")
    return parse_formula(text, local, where=f"The payoff formula {where}")


def payoff_table(payoffs: Any, players: tuple[str, ...], strategies: tuple[tuple[str, ...], ...],
                 local: Mapping[str, sympy.Symbol], owner: str) -> list[list[Any]]:
    """One list of formulas (one per player) for every pure profile, in C order.

    Examples
    --------
    >>> payoff_table({"a": ["1"], "b": ["2"]}, ("p",), (("a", "b"),), {}, "game")
    [[1], [2]]
    """
    n = len(players)
    if isinstance(payoffs, Mapping):
        by_key: dict[tuple[str, ...], Any] = {}
        for key, value in payoffs.items():
            labels = tuple(s.strip() for s in key.split(",")) if isinstance(key, str) else tuple(key)
            if len(labels) != n or any(a not in s for a, s in zip(labels, strategies, strict=False)):
                raise InvalidParameterError(
                    f"The payoff table of {owner} has the profile {key!r}, which is not one of the game's "
                    f"profiles (one label per player, in player order: {', '.join(players)})."
                )
            by_key[labels] = value
        declared = math.prod(len(s) for s in strategies)
        if declared > len(by_key):  # the first missing profile is among the first len(by_key) + 1: never list all
            first = next(p for p in itertools.product(*strategies) if p not in by_key)
            raise InvalidParameterError(
                f"The payoff table of {owner} misses the profile {','.join(first)!r} "
                f"({declared - len(by_key)} missing)."
            )
        profiles = list(itertools.product(*strategies))
        rows = [by_key[p] for p in profiles]
    else:
        shape = tuple(len(s) for s in strategies)
        try:
            arr = np.array(payoffs, dtype=object) if not isinstance(payoffs, str) else None
        except ValueError:  # ragged
            arr = None
        if arr is None or arr.shape != (n, *shape):
            raise InvalidParameterError(
                f"The payoff table of {owner} must be a mapping from profiles to formulas or a nested list of shape "
                f"{(n, *shape)}."
            )
        profiles = list(itertools.product(*strategies))  # as many as the array holds
        rows = [[arr[(i, *idx)] for i in range(n)] for idx in itertools.product(*map(range, shape))]
    table = []
    for prof, values in zip(profiles, rows, strict=True):
        if isinstance(values, str) or len(values) != n:
            raise InvalidParameterError(
                f"The payoff table of {owner} must give {n} formulas (one per player) for {','.join(prof)}. "
                f"Got {values!r} instead."
            )
        table.append([formula(v, local,
                               f"of {players[i]} at ({','.join(prof)})") for i, v in enumerate(values)])
    return table


def mark(mark: Sequence[str] | None, what: str, players: tuple[str, ...],
         strategies: tuple[tuple[str, ...], ...]) -> tuple[int, int] | None:
    """``(player, strategy)`` as indices, or None.

    Examples
    --------
    >>> mark(("s", "Fake"), "counterfeit", ("s", "b"), (("Real", "Fake"), ("x",)))
    (0, 1)
    """
    if mark is None:
        return None
    if isinstance(mark, str) or len(mark) != 2:
        raise InvalidParameterError(f"The {what!r} parameter of from_table must be (player, strategy). Got {mark!r}.")
    player, strategy = mark
    if player not in players:
        raise InvalidParameterError(f"The {what!r} player {player!r} is not one of {list(players)}.")
    i = players.index(player)
    if strategy not in strategies[i]:
        raise InvalidParameterError(f"The {what!r} strategy {strategy!r} is not one of {list(strategies[i])}.")
    return i, strategies[i].index(strategy)
