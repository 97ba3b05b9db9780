"""The nodes and information sets of a game tree, and the checks applied while a tree is built.

Users reach these through :class:`gametheory.ExtensiveFormGame` (``game.root`` and the builder methods of
:class:`Node`); see :mod:`gametheory.games.extensive_form` for the model.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._validation import unknown_name_error
from ..errors import InvalidParameterError

if TYPE_CHECKING:
    from .extensive_form import ExtensiveFormGame

__all__ = ["Node", "InformationSet", "CHANCE", "node_location"]

#: The name of nature, the player who moves at chance nodes.
CHANCE = "chance"
_PROB_TOL = 1e-9
_LARGEST = 2**1023


@dataclass(eq=False)
class InformationSet:
    """Decision nodes of one player that the player cannot tell apart.

    Attributes
    ----------
    player : str
        The player who moves here.
    label : str
        A name unique within the game (default: the path of its first node, ``"root"`` at the root).
    actions : tuple of str
        The actions available at every node of the set.
    nodes : list of Node
        The member nodes, in the order they were added.

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> _ = game.root.decision("A", ["Left", "Right"])
    >>> game.root.infoset
    InformationSet('root', player='A', actions=('Left', 'Right'), nodes=1)
    """

    player: str
    label: str
    actions: tuple[str, ...]
    nodes: list[Node] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"InformationSet({self.label!r}, player={self.player!r}, actions={self.actions}, "
                f"nodes={len(self.nodes)})")


class Node:
    """A node of an :class:`ExtensiveFormGame`; call one builder method on it to say what happens there.

    Attributes
    ----------
    parent : Node or None
        The node above (None at the root).
    action : str or None
        The action at ``parent`` that leads here.
    kind : str or None
        ``"decision"``, ``"chance"``, ``"terminal"``, or None while the node is still open.
    infoset : InformationSet or None
        The information set of a decision node.
    children : tuple of Node
        One child per action, in action order.
    probabilities : tuple
        The chance probabilities (chance nodes only), exact when given exactly.
    payoffs : tuple
        One payoff per player (terminal nodes only).
    label : str
        An optional name (terminal nodes).

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> left, right = game.root.decision("A", ["Left", "Right"])
    >>> right.parent is game.root, right.action
    (True, 'Right')
    """

    __slots__ = ("game", "parent", "action", "kind", "infoset", "children", "probabilities", "payoffs", "label",
                 "_actions")

    def __init__(self, game: ExtensiveFormGame, parent: Node | None = None, action: str | None = None) -> None:
        self.game = game
        self.parent = parent
        self.action = action
        self.kind: str | None = None
        self.infoset: InformationSet | None = None
        self.children: tuple[Node, ...] = ()
        self.probabilities: tuple[Any, ...] = ()
        self.payoffs: tuple[Any, ...] = ()
        self.label = ""
        self._actions: tuple[str, ...] = ()

    # ------------------------------------------------------------------ description
    @property
    def path(self) -> tuple[str, ...]:
        """The actions (chance moves included) from the root to this node."""
        steps: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            steps.append(str(node.action))
            node = node.parent
        return tuple(reversed(steps))

    @property
    def player(self) -> str | None:
        """Who moves here: a player name, :data:`CHANCE`, or None (terminal or open node)."""
        if self.kind == "decision":
            assert self.infoset is not None
            return self.infoset.player
        return CHANCE if self.kind == "chance" else None

    @property
    def actions(self) -> tuple[str, ...]:
        """The action labels at this node (empty for terminal and open nodes)."""
        return self._actions

    def __getitem__(self, action: str) -> Node:
        """The child reached by ``action``."""
        if action not in self._actions:
            raise unknown_name_error(f"action at node {node_location(self)}", action, self._actions)
        return self.children[self._actions.index(action)]

    def __repr__(self) -> str:
        where = node_location(self)
        if self.kind == "terminal":
            return f"Node({where}, terminal, payoffs={list(self.payoffs)})"
        if self.kind is None:
            return f"Node({where}, open)"
        return f"Node({where}, {self.kind} of {self.player!r}, actions={list(self._actions)})"

    # ------------------------------------------------------------------ builders
    def decision(
        self, player: str | int, actions: Sequence[str] | None = None, *, infoset: str | None = None
    ) -> tuple[Node, ...]:
        """Make this a decision node of ``player`` and return its children, one per action.

        Parameters
        ----------
        player : str or int
            A player name (or 0-based index) of the game.
        actions : sequence of str, optional
            Distinct action labels. May be omitted when ``infoset`` names an existing set.
        infoset : str, optional
            Label of the information set. Nodes given the same label form one set, so they must belong to the
            same player and offer the same actions. Default: a new set of its own (perfect information here).

        Returns
        -------
        tuple of Node
            The new (open) children, in action order.

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A", "B"])
        >>> left, right = game.root.decision("A", ["L", "R"])
        >>> left.path
        ('L',)
        """
        self._check_open()
        name = self.game.players[self.game._player_index(player)]
        if actions is not None:
            actions = _check_actions(actions, f"the decision of {name!r} at {node_location(self)}")
        self.infoset = self.game._join_infoset(self, name, actions, infoset)
        self.kind = "decision"
        return self._grow(self.infoset.actions)

    def chance(self, actions: Sequence[str], probabilities: Sequence[Any]) -> tuple[Node, ...]:
        """Make this a chance node: nature picks ``actions[k]`` with probability ``probabilities[k]``.

        Probabilities must be finite, non-negative and sum to one (exactly when they are all ``int`` /
        ``Fraction`` / ``"p/q"`` strings, else within 1e-9). Exact values keep the whole game exact.

        Examples
        --------
        >>> from fractions import Fraction
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A"])
        >>> heads, tails = game.root.chance(["H", "T"], [Fraction(1, 2), Fraction(1, 2)])
        >>> game.root.probabilities
        (Fraction(1, 2), Fraction(1, 2))
        """
        self._check_open()
        where = f"the chance node at {node_location(self)}"
        actions = _check_actions(actions, where)
        if isinstance(probabilities, (str, bytes)) or len(probabilities) != len(actions):
            raise InvalidParameterError(
                f"The 'probabilities' of {where} must hold one probability per action ({len(actions)}). "
                f"Got {probabilities!r} instead."
            )
        probs = tuple(_number(p, f"probability of action {a!r} at {where}") for a, p in zip(actions, probabilities,
                                                                                          strict=True))
        negative = [a for a, p in zip(actions, probs, strict=True) if p < 0]
        if negative:
            raise InvalidParameterError(
                f"The probabilities of {where} must be non-negative. Got {[_show(p) for p in probs]} "
                f"(negative for {negative}) instead."
            )
        total = sum(probs)
        exact = all(isinstance(p, (int, Fraction)) for p in probs)
        if (total != 1) if exact else abs(float(total) - 1.0) > _PROB_TOL:
            raise InvalidParameterError(
                f"The probabilities of {where} must sum to 1. Got {[_show(p) for p in probs]} "
                f"(sum {_show(total)}) instead."
            )
        self.probabilities = probs
        self.kind = "chance"
        return self._grow(actions)

    def terminal(self, payoffs: Sequence[Any] | Mapping[str, Any], *, label: str = "") -> Node:
        """Make this a terminal node with one payoff per player (a sequence in player order, or a dict by name).

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A", "B"])
        >>> game.root.terminal({"A": 1, "B": -1}).payoffs
        (1, -1)
        """
        self._check_open()
        players = self.game.players
        where = f"the terminal node at {node_location(self)}"
        if isinstance(payoffs, Mapping):
            unknown = [k for k in payoffs if k not in players]
            if unknown:
                raise unknown_name_error(f"player in the payoffs of {where}:", str(unknown[0]), players)
            missing = [p for p in players if p not in payoffs]
            if missing:
                raise InvalidParameterError(f"The payoffs of {where} miss players {missing}.")
            payoffs = [payoffs[p] for p in players]
        if isinstance(payoffs, (str, bytes)) or not isinstance(payoffs, Sequence) and not hasattr(payoffs, "__len__"):
            raise InvalidParameterError(f"The payoffs of {where} must be a sequence of numbers. Got {payoffs!r}.")
        if len(payoffs) != len(players):
            raise InvalidParameterError(
                f"The payoffs of {where} must give one number per player ({len(players)}: {list(players)}). "
                f"Got {list(payoffs)!r} instead."
            )
        self.payoffs = tuple(_number(u, f"payoff of {p!r} at {where}") for p, u in zip(players, payoffs,
                                                                                        strict=True))
        self.label = str(label)
        self.kind = "terminal"
        return self

    def _check_open(self) -> None:
        if self.kind is not None:
            raise InvalidParameterError(
                f"The node at {node_location(self)} is already a {self.kind} node; each node is built once."
            )

    def _grow(self, actions: tuple[str, ...]) -> tuple[Node, ...]:
        self._actions = actions
        self.children = tuple(Node(self.game, self, a) for a in actions)
        return self.children




# ---------------------------------------------------------------------- helpers
def node_location(node: Node) -> str:
    """``"the root"`` or ``"path ('In', 'Fight')"``: where a node is, for error messages.

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> node_location(game.root), node_location(game.root.decision("A", ["Left", "Right"])[1])
    ('the root', "path ('Right')")
    """
    path = node.path
    return "the root" if not path else "path (" + ", ".join(repr(a) for a in path) + ")"


def _check_actions(actions: Any, where: str) -> tuple[str, ...]:
    if isinstance(actions, (str, bytes)) or not isinstance(actions, Sequence) or len(actions) < 1:
        raise InvalidParameterError(f"The 'actions' of {where} must be a non-empty list of labels. Got {actions!r}.")
    labels = tuple(str(a) for a in actions)
    if len(set(labels)) != len(labels) or "" in labels:
        raise InvalidParameterError(
            f"The 'actions' of {where} must be distinct non-empty labels. Got {list(actions)!r}."
        )
    return labels


def _number(x: Any, what: str) -> Any:
    """An int, Fraction or float from a user number; exact inputs stay exact, NaN/inf/bool are rejected."""
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidParameterError(f"The {what} must be a number. Got {x!r} instead.") from None
    if isinstance(x, bool) or not (isinstance(x, numbers.Real) or getattr(x, "is_Number", False)):
        raise InvalidParameterError(f"The {what} must be a real number. Got {x!r} instead.")
    if isinstance(x, numbers.Integral):
        if abs(int(x)) > _LARGEST:
            raise InvalidParameterError(f"The {what} must be finite. Got an integer too large for a float instead.")
        return int(x)
    if isinstance(x, Fraction):
        return x
    if getattr(x, "is_Rational", False):
        return Fraction(int(x.p), int(x.q))
    value = float(x)
    if not math.isfinite(value):
        raise InvalidParameterError(f"The {what} must be finite. Got {value} instead.")
    return value


def _show(x: Any) -> str:
    return str(x) if isinstance(x, (int, Fraction)) else f"{float(x):.6g}"
