r"""Gambit's ``.nfg`` (normal form) and ``.efg`` (extensive form) text formats, read and written.

**NFG** (Gambit format version 1). A header ``NFG 1 R "title" { "Player 1" "Player 2" }`` is followed by either the
strategy counts ``{ 2 2 }`` or the strategy labels ``{ { "T" "B" } { "L" "R" } }``, an optional comment string,
and then the payoffs in one of two layouts:

* *payoff* layout: for every pure profile, the payoffs of all players, profiles listed with the **first** player's
  strategy changing fastest;
* *outcome* layout: a list of outcomes ``{ { "name" u1, u2 } ... }`` numbered from 1, then one outcome number per
  profile in the same order (0 means the null outcome, all payoffs 0).

**EFG** (format version 2). A header ``EFG 2 R "title" { "Player 1" "Player 2" }``, an optional comment, then
one line per node in depth-first order (children in action order)::

    p "name" player infoset "infoset name" { "a" "b" } outcome ["outcome name" { u1, u2 }]
    c "name" infoset "infoset name" { "h" 1/2 "t" 1/2 } outcome [...]
    t "name" outcome "outcome name" { u1, u2 }

An information set's name and actions may be omitted after its first node; an outcome's name and payoffs after
its first use. Outcomes on non-terminal nodes add to the payoffs of every terminal below them (Gambit's
convention). Numbers are integers, decimals or rationals ``p/q``; a file with any ``p/q`` is read exactly.

References
----------
.. [1] McKelvey, R. D., McLennan, A. M. and Turocy, T. L. (2016). *Gambit: Software Tools for Game Theory*,
   version 16. https://www.gambit-project.org (file formats: "Game representation formats").
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .. import limits
from ..errors import InvalidParameterError, LimitError
from ..games.extensive_form import ExtensiveFormGame, Node
from ..games.normal_form import NormalFormGame
from ._tokens import Cursor, number_text, quote, read_text, to_number, tokenize

__all__ = ["read_nfg", "write_nfg", "parse_nfg", "format_nfg", "read_efg", "write_efg", "parse_efg", "format_efg"]


# ---------------------------------------------------------------------- NFG
def parse_nfg(text: str, *, source: str = "<nfg>") -> NormalFormGame:
    """A :class:`NormalFormGame` from the text of a Gambit ``.nfg`` file (payoff or outcome layout).

    Examples
    --------
    >>> game = parse_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> game.payoffs[0].tolist(), game.strategies
    ([[3.0, 0.0], [5.0, 1.0]], (('1', '2'), ('1', '2')))
    """
    cur = Cursor(tokenize(text, source), source)
    cur.next("word", "'NFG' at the start of the file", "NFG")
    if cur.integer("the format version") != 1:
        cur.fail("only NFG format version 1 is supported", back=1)
    cur.next("word", "'R' or 'D'")
    cur.string("the quoted title")
    players = cur.strings_in_braces("the player list")
    if not players:
        cur.fail("a game needs at least one player", back=1)
    cur.next("brace", "'{' opening the strategy list", "{")
    if cur.at("brace", "{"):
        strategies = [cur.strings_in_braces(f"the strategies of {p!r}") for p in players]
        cur.next("brace", "'}' closing the strategy list", "}")
        shape = [len(s) for s in strategies]
    else:
        shape = [cur.integer("a strategy count") for _ in players]
        cur.next("brace", "'}' closing the strategy counts", "}")
        if min(shape) < 1:
            cur.fail("every player needs at least one strategy")
        _check_declared_size(cur, shape, source)  # before the labels of the declared strategies are made
        strategies = [[str(k + 1) for k in range(s)] for s in shape]
    if min(shape) < 1:
        cur.fail("every player needs at least one strategy")
    if cur.at("string"):
        cur.pos += 1  # comment
    n_profiles = math.prod(shape)
    n = len(players)
    if cur.at("brace", "{"):  # outcome layout
        cur.pos += 1
        outcomes: list[list[str]] = []
        while cur.at("brace", "{"):
            cur.pos += 1
            if cur.at("string"):
                cur.pos += 1
            values = []
            while not cur.at("brace", "}"):
                values.append(cur.next("number", "an outcome payoff").text)
            cur.pos += 1
            if len(values) != n:
                cur.fail(f"outcome {len(outcomes) + 1} must give {n} payoffs, it gives {len(values)}", back=1)
            outcomes.append(values)
        cur.next("brace", "'}' closing the outcome list", "}")
        index = [cur.integer("an outcome number") for _ in range(n_profiles)]
        bad = [k for k in index if not 0 <= k <= len(outcomes)]
        if bad:
            raise InvalidParameterError(f"{source}: outcome number {bad[0]} is not in [0, {len(outcomes)}].")
        flat = [v for k in index for v in (outcomes[k - 1] if k else ["0"] * n)]
    else:
        flat = [cur.next("number", f"payoff {k + 1} of {n * n_profiles}").text for k in range(n * n_profiles)]
    if cur.peek() is not None:
        cur.fail(f"expected the end of the file after {n * n_profiles} payoffs")
    exact = any("/" in t for t in flat)
    array = np.array([to_number(t, exact) for t in flat], dtype=object if exact else float)
    # profiles with player 1 fastest: reshape reversed, then put players first
    table = array.reshape((*reversed(shape), n))
    payoffs = np.moveaxis(table.transpose((*reversed(range(n)), n)), -1, 0)
    return NormalFormGame(payoffs, players, strategies)


def format_nfg(game: NormalFormGame, *, title: str = "", outcomes: bool = False) -> str:
    """The text of a Gambit ``.nfg`` file for ``game`` (payoff layout, or outcome layout with ``outcomes=True``).

    Examples
    --------
    >>> import gametheory as gt
    >>> print(format_nfg(gt.NormalFormGame([[[1, 0]], [[0, 1]]]), title="tiny"))
    NFG 1 R "tiny" { "Player 1" "Player 2" }
    { { "s1" } { "s1" "s2" } }
    ""
    <BLANKLINE>
    1 0
    0 1
    <BLANKLINE>
    """
    _check_game(game, "format_nfg")
    n = game.n_players
    head = f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in game.players)} }}\n"
    head += "{ " + " ".join("{ " + " ".join(quote(s) for s in labels) + " }" for labels in game.strategies) + " }\n"
    head += '""\n\n'
    profiles = [tuple(reversed(idx)) for idx in np.ndindex(*reversed(game.shape))]  # player 1 fastest
    rows = [[number_text(game.payoffs[(i, *a)]) for i in range(n)] for a in profiles]
    if not outcomes:
        return head + "\n".join(" ".join(r) for r in rows) + "\n"
    listed = "\n".join("{ " + quote("") + " " + ", ".join(r) + " }" for r in rows)
    numbers = " ".join(str(k + 1) for k in range(len(rows)))
    return head + "{\n" + listed + "\n}\n" + numbers + "\n"


def read_nfg(path: str | Path) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file; see :func:`parse_nfg`.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nfg"
    >>> write_nfg(gt.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), path)
    >>> read_nfg(path).shape
    (2, 2)
    """
    return parse_nfg(read_text(path), source=str(path))


def write_nfg(game: NormalFormGame, path: str | Path, *, title: str = "", outcomes: bool = False) -> None:
    """Write ``game`` as a Gambit ``.nfg`` file; see :func:`format_nfg`.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nfg"
    >>> write_nfg(gt.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), path, outcomes=True)
    >>> read_nfg(path).payoffs[1].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    Path(path).write_text(format_nfg(game, title=title, outcomes=outcomes), encoding="utf-8")


# ---------------------------------------------------------------------- EFG
def parse_efg(text: str, *, source: str = "<efg>") -> ExtensiveFormGame:
    """An :class:`ExtensiveFormGame` from the text of a Gambit ``.efg`` file.

    Examples
    --------
    >>> game = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" } ""
    ... p "" 1 1 "root" { "Out" "In" } 0
    ... t "" 1 "" { 0, 2 }
    ... p "" 2 1 "In" { "Fight" "Accommodate" } 0
    ... t "" 2 "" { -1, -1 }
    ... t "" 3 "" { 1, 1 }
    ... ''')
    >>> game.title, game.to_normal_form().shape
    ('Entry', (2, 2))
    """
    cur = Cursor(tokenize(text, source), source)
    cur.next("word", "'EFG' at the start of the file", "EFG")
    if cur.integer("the format version") != 2:
        cur.fail("only EFG format version 2 is supported", back=1)
    cur.next("word", "'R' or 'D'")
    title = cur.string("the quoted title")
    players = cur.strings_in_braces("the player list")
    if not players:
        cur.fail("a game needs at least one player", back=1)
    if cur.at("string"):
        cur.pos += 1  # comment
    exact = any(t.kind == "number" and "/" in t.text for t in cur.tokens)
    game = ExtensiveFormGame(players, title=title)
    reader = _EfgReader(cur, game, exact)
    pending: list[tuple[Node, tuple[Any, ...], int]] = [(game.root, (0,) * len(players), 0)]
    count = 0
    while pending:
        node, above, depth = pending.pop()
        count += 1
        _check_tree_size(count, depth, source, cur)
        children, here = reader.node(node, above)
        pending.extend((child, here, depth + 1) for child in reversed(children))
    if cur.peek() is not None:
        cur.fail("expected the end of the file after the last node")
    return game.validate()


class _EfgReader:
    def __init__(self, cur: Cursor, game: ExtensiveFormGame, exact: bool) -> None:
        self.cur, self.game, self.exact = cur, game, exact
        self.infosets: dict[tuple[int, int], tuple[str, list[str] | None, list[Any] | None]] = {}
        self.outcomes: dict[int, tuple[Any, ...]] = {}
        self.labels: dict[int, str] = {}

    def node(self, node: Node, above: tuple[Any, ...]) -> tuple[tuple[Node, ...], tuple[Any, ...]]:
        cur = self.cur
        kind = cur.next("word", "a node line starting with 'p', 'c' or 't'").text
        if kind not in ("p", "c", "t"):
            cur.fail("expected a node line starting with 'p', 'c' or 't'", back=1)
        if cur.at("string"):
            cur.pos += 1  # node name
        if kind == "t":
            outcome = self.outcome()
            label = self.labels.get(outcome, "")
            node.terminal([a + b for a, b in zip(above, self.outcomes.get(outcome, (0,) * len(above)), strict=True)],
                          label=label)
            return (), above
        player = 0 if kind == "c" else cur.integer("a player number")
        if kind == "p" and not 1 <= player <= self.game.n_players:
            cur.fail(f"player numbers run from 1 to {self.game.n_players}", back=1)
        number = cur.integer("an information set number")
        name = cur.string("") if cur.at("string") else None
        actions: list[str] | None = None
        probs: list[Any] | None = None
        if cur.at("brace", "{"):
            cur.pos += 1
            actions, probs = [], []
            while not cur.at("brace", "}"):
                actions.append(cur.string("a quoted action label"))
                if kind == "c":
                    probs.append(to_number(cur.next("number", "a chance probability").text, self.exact))
            cur.pos += 1
            actions = [a if a and a not in actions[:k] else f"{a}{k + 1}" for k, a in enumerate(actions)]
        key = (player, number)
        if key not in self.infosets:
            if actions is None:
                cur.fail(f"information set {number} of player {player} is used before its actions are given")
            who = "chance" if player == 0 else self.game.players[player - 1]
            taken = name is None or name == "" or any(v[0] == name for v in self.infosets.values())
            self.infosets[key] = (f"{who} {number}" if taken else str(name), actions, probs)
        label, known_actions, known_probs = self.infosets[key]
        here = self.add(above, self.outcome())
        if kind == "c":
            return node.chance(actions or known_actions or [], probs or known_probs or []), here
        if actions is not None and actions != known_actions:
            cur.fail(f"information set {number} of player {player} has different actions at two nodes")
        return node.decision(player - 1, known_actions, infoset=label), here

    def outcome(self) -> int:
        cur = self.cur
        number = cur.integer("an outcome number")
        name = cur.string("") if cur.at("string") else None
        if cur.at("brace", "{"):
            values = cur.numbers_in_braces("the outcome payoffs")
            if len(values) != self.game.n_players:
                cur.fail(f"outcome {number} must give {self.game.n_players} payoffs, it gives {len(values)}")
            self.outcomes[number] = tuple(to_number(v, self.exact) for v in values)
            self.labels[number] = name or ""
        elif number != 0 and number not in self.outcomes:
            cur.fail(f"outcome {number} is used before its payoffs are given")
        return number

    def add(self, above: tuple[Any, ...], outcome: int) -> tuple[Any, ...]:
        if outcome == 0:
            return above
        return tuple(a + b for a, b in zip(above, self.outcomes[outcome], strict=True))


def format_efg(game: ExtensiveFormGame) -> str:
    """The text of a Gambit ``.efg`` file for ``game`` (one outcome per terminal node).

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"], title="tiny")
    >>> left, right = game.root.decision("A", ["L", "R"])
    >>> _ = left.terminal([1, 0]), right.terminal([0, 1])
    >>> print(format_efg(game))
    EFG 2 R "tiny" { "A" "B" }
    ""
    <BLANKLINE>
    p "" 1 1 "root" { "L" "R" } 0
    t "" 1 "" { 1, 0 }
    t "" 2 "" { 0, 1 }
    <BLANKLINE>
    """
    if not isinstance(game, ExtensiveFormGame):
        raise InvalidParameterError(
            f"The 'game' parameter of format_efg must be an ExtensiveFormGame. Got {type(game).__name__} instead."
        )
    game.validate()
    numbers: dict[int, int] = {}
    for i in range(game.n_players):
        numbers.update({id(h): k + 1 for k, h in enumerate(game.infosets(i))})
    lines = [f"EFG 2 R {quote(game.title)} {{ {' '.join(quote(p) for p in game.players)} }}", '""', ""]
    chance, outcome = 0, 0
    for node in game.nodes():
        if node.kind == "terminal":
            outcome += 1
            pay = ", ".join(number_text(u) for u in node.payoffs)
            lines.append(f't "" {outcome} {quote(node.label)} {{ {pay} }}')
        elif node.kind == "chance":
            chance += 1
            moves = " ".join(f"{quote(a)} {number_text(p)}" for a, p in zip(node.actions, node.probabilities,
                                                                            strict=True))
            lines.append(f'c "" {chance} "" {{ {moves} }} 0')
        else:
            h = node.infoset
            assert h is not None
            player = game.players.index(h.player) + 1
            acts = " ".join(quote(a) for a in h.actions)
            lines.append(f'p "" {player} {numbers[id(h)]} {quote(h.label)} {{ {acts} }} 0')
    return "\n".join(lines) + "\n"


def read_efg(path: str | Path) -> ExtensiveFormGame:
    """Read a Gambit ``.efg`` file; see :func:`parse_efg`.

    Examples
    --------
    >>> import pathlib, gametheory
    >>> examples = pathlib.Path(gametheory.__file__).parent.parent / "examples" / "games"
    >>> read_efg(examples / "entry_deterrence.efg").players
    ('Entrant', 'Incumbent')
    """
    return parse_efg(read_text(path), source=str(path))


def write_efg(game: ExtensiveFormGame, path: str | Path) -> None:
    """Write ``game`` as a Gambit ``.efg`` file; see :func:`format_efg`.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A"])
    >>> _ = game.root.decision("A", ["x", "y"])[0].terminal([1])
    >>> _ = game.root["y"].terminal([2])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.efg"
    >>> write_efg(game, path)
    >>> read_efg(path).to_normal_form().payoffs.tolist()
    [[1.0, 2.0]]
    """
    Path(path).write_text(format_efg(game), encoding="utf-8")


# ---------------------------------------------------------------------- helpers
def _check_declared_size(cur: Cursor, shape: list[int], source: str) -> None:
    """Refuse declared strategy counts the file cannot hold, before their labels are made: every strategy of a
    player needs a profile, and every profile at least one number token after here (reading the payoffs then
    stops at the end of the file, so memory stays bounded by the file's size)."""
    left = len(cur.tokens) - cur.pos
    if max(shape) > left:
        dims = "x".join(map(str, shape))
        players = f"{len(shape)} player" + ("s" if len(shape) > 1 else "")
        raise InvalidParameterError(
            f"{source}: the header declares {players} with {dims} strategies, but only {left} tokens follow; give "
            f"one payoff per player and profile (or one outcome number per profile)."
        )


def _check_tree_size(count: int, depth: int, source: str, cur: Cursor) -> None:
    """Refuse a tree past :data:`~gametheory.limits.MAX_TREE_NODES` nodes or
    :data:`~gametheory.limits.MAX_TREE_DEPTH` moves deep (building and solving a tree costs nodes x depth)."""
    if count > limits.MAX_TREE_NODES or depth > limits.MAX_TREE_DEPTH:
        tok = cur.peek()
        line = f"line {tok.line}: " if tok else ""
        what, limit = (f"more than {limits.MAX_TREE_NODES:,} nodes", "gametheory.limits.MAX_TREE_NODES") \
            if count > limits.MAX_TREE_NODES else (f"a node {depth} moves deep, more than {limits.MAX_TREE_DEPTH}",
                                                    "gametheory.limits.MAX_TREE_DEPTH")
        raise LimitError(f"{source}: {line}the tree has {what}, the limit ({limit}).")


def _check_game(game: Any, func: str) -> None:
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError(
            f"The 'game' parameter of {func} must be a NormalFormGame. Got {type(game).__name__} instead."
        )
