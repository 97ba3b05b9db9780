r"""Finite extensive-form games: trees with chance moves, information sets and terminal payoffs.

A game tree (Kuhn 1953) has three kinds of node: *decision* nodes, where a player picks one of a fixed list of
actions; *chance* nodes, where nature picks an action with given probabilities; and *terminal* nodes, which carry
one payoff per player. Decision nodes are grouped into *information sets*: a player cannot tell the nodes of one
set apart, so they belong to the same player and offer the same actions. A game has *perfect information* when
every information set holds a single node.

Build a tree top-down from :attr:`ExtensiveFormGame.root`; each builder call returns the new children in action
order, ready to be unpacked::

    game = ExtensiveFormGame(["Entrant", "Incumbent"], title="Entry deterrence")
    out, enter = game.root.decision("Entrant", ["Out", "In"])
    out.terminal([0, 2])
    fight, accommodate = enter.decision("Incumbent", ["Fight", "Accommodate"])
    fight.terminal([-1, -1])
    accommodate.terminal([1, 1])

A pure strategy (*plan*) of player *i* picks an action at each of *i*'s information sets. Two plans that differ
only at information sets their own earlier choices make unreachable are payoff-equivalent; keeping one plan per
class gives the *reduced* normal form (:meth:`ExtensiveFormGame.to_normal_form`), whose labels show an unreachable
information set as ``*``. The payoff of a pure profile :math:`\pi` is

.. math::

    u_i(\pi) = \sum_{t} \Big(\prod_{c \to t} p_c\Big)\, [\pi \text{ agrees with the path to } t]\, u_i(t).

Nodes, information sets and the checks made while building live in ``gametheory/games/_efg_nodes.py``; plans and
the strategic form in ``gametheory/games/plans.py``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from ._efg_nodes import CHANCE, InformationSet, Node, node_location
from .plans import normal_form, player_plans

if TYPE_CHECKING:
    from .normal_form import NormalFormGame

__all__ = ["ExtensiveFormGame", "Node", "InformationSet", "CHANCE"]


class ExtensiveFormGame:
    r"""A finite game in extensive form (a game tree).

    Parameters
    ----------
    players : sequence of str
        Distinct player names (not ``"chance"``, which names nature).
    title : str, optional
        A title, kept by the Gambit ``.efg`` reader and writer.

    Attributes
    ----------
    root : Node
        The root; build the tree from here with :meth:`Node.decision`, :meth:`Node.chance` and
        :meth:`Node.terminal`.

    Notes
    -----
    The tree model is Kuhn's (1953); subgame perfection is Selten's (1965, 1975). :meth:`to_normal_form`
    builds the (reduced) strategic form, so every normal-form solver applies; subgame-perfect equilibria of
    perfect-information trees come from :func:`gametheory.solvers.extensive.backward_induction.backward_induction`.

    References
    ----------
    .. [1] Kuhn, H. W. (1953). Extensive games and the problem of information. In H. W. Kuhn and A. W. Tucker
       (eds.), *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28, pp. 193-216.
       Princeton University Press.
    .. [2] Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in extensive
       games. *International Journal of Game Theory* 4(1), 25-55.
    .. [3] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*, ch. 6 and 11. MIT Press.

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["Entrant", "Incumbent"], title="Entry deterrence")
    >>> out, enter = game.root.decision("Entrant", ["Out", "In"])
    >>> _ = out.terminal([0, 2])
    >>> fight, accommodate = enter.decision("Incumbent", ["Fight", "Accommodate"])
    >>> _ = fight.terminal([-1, -1]), accommodate.terminal([1, 1])
    >>> game.is_perfect_information
    True
    >>> nf = game.to_normal_form()
    >>> nf.strategies
    (('Out', 'In'), ('Fight', 'Accommodate'))
    """

    def __init__(self, players: Sequence[str], *, title: str = "") -> None:
        if isinstance(players, (str, bytes)) or not isinstance(players, Sequence) or len(players) < 1:
            raise InvalidParameterError(
                f"The 'players' parameter of ExtensiveFormGame must be a non-empty list of names. "
                f"Got {players!r} instead."
            )
        names = tuple(str(p) for p in players)
        if len(set(names)) != len(names) or CHANCE in names or "" in names:
            raise InvalidParameterError(
                f"The 'players' parameter of ExtensiveFormGame must hold distinct non-empty names other than "
                f"{CHANCE!r}. Got {list(players)!r} instead."
            )
        self.players: tuple[str, ...] = names
        self.title = str(title)
        self.root = Node(self)
        self._infosets: dict[str, InformationSet] = {}

    # ------------------------------------------------------------------ description
    @property
    def n_players(self) -> int:
        """Number of (non-chance) players."""
        return len(self.players)

    def infosets(self, player: str | int | None = None) -> tuple[InformationSet, ...]:
        """The information sets of ``player`` (all players when None), in depth-first order of their first node.

        This order (Gambit's) fixes the order of plans and strategy labels, whatever order the tree was built in.

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A", "B"])
        >>> for node in game.root.decision("A", ["L", "R"]):
        ...     _ = node.decision("B", ["x", "y"], infoset="B's set")
        >>> [(h.label, len(h.nodes)) for h in game.infosets("B")]
        [("B's set", 2)]
        """
        order = {}
        for node in self.nodes():
            if node.infoset is not None and id(node.infoset) not in order:
                order[id(node.infoset)] = node.infoset
        if player is None:
            return tuple(order.values())
        name = self.players[self._player_index(player)]
        return tuple(h for h in order.values() if h.player == name)

    def nodes(self) -> Iterator[Node]:
        """Every node, depth first, children in action order (the order of Gambit's ``.efg`` files).

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A"])
        >>> left, right = game.root.decision("A", ["L", "R"])
        >>> [n.path for n in game.nodes()]
        [(), ('L',), ('R',)]
        """
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def terminals(self) -> tuple[Node, ...]:
        """The terminal nodes, left to right.

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A"])
        >>> _ = [node.terminal([k]) for k, node in enumerate(game.root.decision("A", ["L", "R"]))]
        >>> [t.payoffs for t in game.terminals()]
        [(0,), (1,)]
        """
        return tuple(n for n in self.nodes() if n.kind == "terminal")

    @property
    def is_perfect_information(self) -> bool:
        """True when every information set holds exactly one node."""
        return all(len(h.nodes) == 1 for h in self._infosets.values())

    @property
    def is_perfect_recall(self) -> bool:
        """True when no player ever forgets: all nodes of an information set share the player's own history.

        The own history of a node is the sequence of (information set, action) pairs of its player on the path to
        it (Kuhn 1953). Then every mixed strategy has an equivalent behaviour strategy.

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A"])
        >>> for node in game.root.decision("A", ["L", "R"]):
        ...     for leaf in node.decision("A", ["x", "y"], infoset="forgot"):
        ...         _ = leaf.terminal([0])
        >>> game.is_perfect_recall
        False
        """
        histories: dict[int, tuple[tuple[int, str], ...]] = {}
        for node in self.nodes():
            if node.kind != "decision":
                continue
            own = []
            child, parent = node, node.parent
            while parent is not None:
                if parent.kind == "decision" and parent.player == node.player:
                    own.append((id(parent.infoset), str(child.action)))
                child, parent = parent, parent.parent
            history = tuple(reversed(own))
            if histories.setdefault(id(node.infoset), history) != history:
                return False
        return True

    @property
    def is_exact(self) -> bool:
        """True when some payoff or probability was given as an exact rational (then everything is exact)."""
        return any(isinstance(x, Fraction) for n in self.nodes() for x in (*n.payoffs, *n.probabilities))

    @property
    def scale(self) -> float:
        """``max |payoff|`` (1 when every payoff is 0): the unit of tolerances, so ties do not depend on it."""
        largest = max([0.0] + [abs(float(u)) for t in self.terminals() for u in t.payoffs])
        return largest if largest > 0 else 1.0

    def __repr__(self) -> str:
        nodes = list(self.nodes())
        n_term = sum(n.kind == "terminal" for n in nodes)
        kind = "perfect information" if self.is_perfect_information else "imperfect information"
        return (f"ExtensiveFormGame({self.title!r}, players={list(self.players)}, nodes={len(nodes)}, "
                f"terminals={n_term}, infosets={len(self._infosets)}, {kind})")

    # ------------------------------------------------------------------ checks
    def validate(self) -> ExtensiveFormGame:
        """Check the whole tree and return it; raise naming every problem found.

        A valid tree has no open node (every leaf has payoffs) and no information set visited twice on one
        path (absent-mindedness). Information sets, actions and probabilities are checked as they are built.

        Raises
        ------
        InvalidParameterError
            Open nodes (missing payoffs) or an information set met twice along one play.

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A"])
        >>> left, right = game.root.decision("A", ["L", "R"])
        >>> _ = left.terminal([1])
        >>> game.validate()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        gametheory.errors.InvalidParameterError: The game tree is not valid: 1 node(s) have no payoffs ... ('R') ...
        """
        problems: list[str] = []
        open_nodes = [n for n in self.nodes() if n.kind is None]
        if open_nodes:
            shown = ", ".join(node_location(n) for n in open_nodes[:5]) + (" ..." if len(open_nodes) > 5 else "")
            problems.append(
                f"{len(open_nodes)} node(s) have no payoffs and no move: {shown} (call .terminal(payoffs), "
                f".decision(...) or .chance(...) on them)"
            )
        for node in self.nodes():
            if node.kind == "decision":
                seen = node.parent
                while seen is not None and seen.infoset is not node.infoset:
                    seen = seen.parent
                if seen is not None:
                    assert node.infoset is not None
                    problems.append(
                        f"information set {node.infoset.label!r} is met twice along one play (at {node_location(seen)} "
                        f"and {node_location(node)}); absent-minded trees are not supported"
                    )
                    break
        if problems:
            title = f" {self.title!r}" if self.title else ""
            raise InvalidParameterError(f"The game tree{title} is not valid: " + "; ".join(problems) + ".")
        return self

    # ------------------------------------------------------------------ strategic form
    def plans(self, player: str | int, *, reduced: bool = True) -> tuple[dict[str, str], ...]:
        """The pure strategies of ``player`` as dicts ``{information set label: action}``.

        With ``reduced=True`` each plan names only the information sets its own choices leave reachable, and
        plans that agree there are merged; the order is the strategy order of :meth:`to_normal_form`.

        Examples
        --------
        A tree in which a player's own choice makes its later one unreachable is the example of :meth:`to_normal_form`.

        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A", "B"])
        >>> _ = [leaf.terminal([u, 0]) for u, leaf in enumerate(game.root.decision("A", ["Stop", "Go"]))]
        >>> game.plans("A"), game.plans("B")
        (({'root': 'Stop'}, {'root': 'Go'}), ({},))
        """
        self.validate()
        index = self._player_index(player)
        infosets = self.infosets(index)
        return tuple(
            {h.label: h.actions[a] for h, a in zip(infosets, plan, strict=True) if a is not None}
            for plan in player_plans(self, index, reduced=reduced)
        )

    def to_normal_form(self, *, reduced: bool = True) -> NormalFormGame:
        """The game in strategic form, reduced by default (so any normal-form solver applies).

        Parameters
        ----------
        reduced : bool
            Merge plans that differ only at information sets made unreachable by the player's own earlier
            choices (shown as ``*`` in the labels). ``False`` lists every combination of actions.

        Returns
        -------
        NormalFormGame
            Strategy labels join a plan's actions over the player's information sets (depth first) with
            ``/``; a player with one information set gets plain action labels, one with none the label
            ``"-"``. Exact when the tree is (:attr:`is_exact`).

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.ExtensiveFormGame(["A", "B"])
        >>> stop, go = game.root.decision("A", ["Stop", "Go"])
        >>> _ = stop.terminal([1, 0])
        >>> b_stop, b_go = go.decision("B", ["Stop", "Go"])
        >>> _ = b_stop.terminal([0, 2])
        >>> a_stop, a_go = b_go.decision("A", ["Stop", "Go"], infoset="A again")
        >>> _ = a_stop.terminal([3, 1]), a_go.terminal([2, 4])
        >>> game.plans("A")  # after Stop at the root, "A again" is unreachable: 3 reduced plans, not 4
        ({'root': 'Stop'}, {'root': 'Go', 'A again': 'Stop'}, {'root': 'Go', 'A again': 'Go'})
        >>> nf = game.to_normal_form()
        >>> nf.strategies[0], nf.shape
        (('Stop/*', 'Go/Stop', 'Go/Go'), (3, 2))
        >>> game.to_normal_form(reduced=False).shape
        (4, 2)
        """
        return normal_form(self.validate(), reduced=reduced)

    # ------------------------------------------------------------------ internals used by Node
    def _player_index(self, player: str | int) -> int:
        if isinstance(player, numbers.Integral) and not isinstance(player, bool):
            if 0 <= int(player) < self.n_players:
                return int(player)
            raise InvalidParameterError(
                f"A player index of this game must be in [0, {self.n_players - 1}]. Got {player} instead."
            )
        if isinstance(player, str) and player in self.players:
            return self.players.index(player)
        raise unknown_name_error("player", str(player), self.players)

    def _join_infoset(
        self, node: Node, player: str, actions: tuple[str, ...] | None, label: str | None
    ) -> InformationSet:
        if label is None:
            label = "root" if node.parent is None else " > ".join(node.path)
            while label in self._infosets:
                label += "'"
        label = str(label)
        infoset = self._infosets.get(label)
        if infoset is None:
            if actions is None:
                raise InvalidParameterError(
                    f"The decision at {node_location(node)} opens a new information set {label!r}, so it needs its "
                    f"'actions'."
                )
            infoset = self._infosets[label] = InformationSet(player, label, actions)
        elif infoset.player != player:
            raise InvalidParameterError(
                f"Information set {label!r} belongs to player {infoset.player!r}; the decision of {player!r} at "
                f"{node_location(node)} cannot join it (one set, one player)."
            )
        elif actions is not None and actions != infoset.actions:
            raise InvalidParameterError(
                f"Information set {label!r} offers actions {list(infoset.actions)}; the node at {node_location(node)} "
                f"cannot join it with actions {list(actions)} (every node of a set has the same actions)."
            )
        infoset.nodes.append(node)
        return infoset
