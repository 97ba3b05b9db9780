"""A small JSON format for normal-form games.

A game file is one JSON object::

    {
      "title": "Battle of the sexes",
      "players": ["Alice", "Bob"],
      "strategies": [["Opera", "Football"], ["Opera", "Football"]],
      "payoffs": [[[3, 0], [0, 2]], [[2, 0], [0, 3]]]
    }

``payoffs`` (required) is the nested array ``payoffs[i][a1][a2]...[an]``: player ``i``'s payoff when player 1
plays strategy ``a1``, player 2 ``a2``, and so on (the convention of :class:`gametheory.NormalFormGame`), so its
shape is ``(n_players, s_1, ..., s_n)``. Entries are JSON numbers or strings ``"p/q"`` for exact rationals (one
such string makes the whole game exact). ``players`` and ``strategies`` are optional labels; ``title`` and
``comment`` are optional strings. ``NaN``, ``Infinity``, ragged arrays, unknown keys and arrays nested deeper than
:data:`gametheory.limits.MAX_NESTING` are rejected with an error naming what is wrong.
"""

from __future__ import annotations

import json
import math
import numbers
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame
from ..limits import check_nesting
from ._tokens import read_text

__all__ = ["parse_json", "format_json", "read_json", "write_json", "KEYS"]

#: The keys a JSON game file may hold.
KEYS = ("title", "comment", "players", "strategies", "payoffs")


def parse_json(text: str, *, source: str = "<json>") -> NormalFormGame:
    """A :class:`NormalFormGame` from the text of a JSON game file.

    Examples
    --------
    >>> game = parse_json('{"players": ["A", "B"], "payoffs": [[[1, "1/2"]], [[0, 2]]]}')
    >>> game.players, game.shape, game.is_exact
    (('A', 'B'), (1, 2), True)
    """

    def reject(constant: str) -> None:
        raise InvalidParameterError(f"{source}: payoffs must be finite numbers; got {constant} in the JSON.")

    check_nesting(text, source=source)  # json and the checks below recurse: refuse a deep file first
    try:
        data = json.loads(text, parse_constant=reject)
    except json.JSONDecodeError as exc:
        raise InvalidParameterError(
            f"{source}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}."
        ) from None
    if not isinstance(data, dict):
        raise InvalidParameterError(f"{source}: a game file must hold a JSON object. Got {type(data).__name__}.")
    for key in data:
        if key not in KEYS:
            error = unknown_name_error("key", str(key), KEYS)
            raise InvalidParameterError(f"{source}: {error}") from None
    if "payoffs" not in data:
        raise InvalidParameterError(f"{source}: the game has no 'payoffs' array.")
    for key in ("title", "comment"):
        if key in data and not isinstance(data[key], str):
            raise InvalidParameterError(f"{source}: {key!r} must be a string. Got {data[key]!r}.")
    players = data.get("players")
    if players is not None and not _strings(players):
        raise InvalidParameterError(f"{source}: 'players' must be a list of strings. Got {players!r}.")
    strategies = data.get("strategies")
    if strategies is not None and not (isinstance(strategies, list) and all(_strings(s) for s in strategies)):
        raise InvalidParameterError(
            f"{source}: 'strategies' must be a list of lists of strings, one per player. Got {strategies!r}."
        )
    payoffs = _numbers(data["payoffs"], "payoffs", source)
    try:
        return NormalFormGame(payoffs, players, strategies)
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"{source}: {exc}") from None


def format_json(game: NormalFormGame, *, title: str = "") -> str:
    """The JSON text of ``game``: one key a line, exact payoffs as ``"p/q"`` strings.

    Examples
    --------
    >>> import gametheory as gt
    >>> print(format_json(gt.NormalFormGame([[[1, 0]], [[0, 1]]], players=["A", "B"])))
    {
      "players": ["A", "B"],
      "strategies": [["s1"], ["s1", "s2"]],
      "payoffs": [[[1, 0]], [[0, 1]]]
    }
    """
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError(
            f"The 'game' parameter of format_json must be a NormalFormGame. Got {type(game).__name__} instead."
        )
    payoffs = np.vectorize(_plain, otypes=[object])(game.payoffs).tolist()
    fields: dict[str, Any] = {"title": title} if title else {}
    fields.update(players=list(game.players), strategies=[list(s) for s in game.strategies], payoffs=payoffs)
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
    return "{\n" + body + "\n}"


def read_json(path: str | Path) -> NormalFormGame:
    """Read a JSON game file; see :func:`parse_json`.

    Examples
    --------
    >>> import pathlib, gametheory
    >>> examples = pathlib.Path(gametheory.__file__).parent.parent / "examples" / "games"
    >>> read_json(examples / "battle_of_sexes.json").strategies[0]
    ('Opera', 'Football')
    """
    return parse_json(read_text(path), source=str(path))


def write_json(game: NormalFormGame, path: str | Path, *, title: str = "") -> None:
    """Write ``game`` as a JSON game file; see :func:`format_json`.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_json(gt.NormalFormGame([[[1, 0]], [[0, 1]]]), path)
    >>> read_json(path).shape
    (1, 2)
    """
    Path(path).write_text(format_json(game, title=title) + "\n", encoding="utf-8")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _numbers(value: Any, where: str, source: str) -> Any:
    """Nested lists with ``"p/q"`` strings turned into Fractions; anything else that is not a number is an error."""
    if isinstance(value, list):
        return [_numbers(v, f"{where}[{k}]", source) for k, v in enumerate(value)]
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, int) and abs(value) > 2**1023:
            raise InvalidParameterError(f"{source}: {where} must be a finite number. Got {value!r:.40} instead.")
        return value
    raise InvalidParameterError(f"{source}: {where} must be a number or a \"p/q\" string. Got {value!r} instead.")


def _plain(x: Any) -> Any:
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    value = float(x)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value
