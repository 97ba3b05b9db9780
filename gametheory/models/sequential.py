r"""The sequential version of a payment model: the platform moves first, then the seller, then the buyers.

The seed's platform sets its rules before anyone trades. :func:`extensive_game` writes this as a game tree whose
terminal payoffs are the model's own payoff tensor (:meth:`Model.game`, itself evaluated from the event table),
so nothing is typed twice: the terminal reached by the actions :math:`a` carries :math:`u(a)`.

The order of moves and what each mover knows:

1. the **platform** (when the model has one) picks Lax or Audit, and everyone sees its choice: its policy is
   public;
2. the **seller** ships (Genuine, Counterfeit, and in the extended variant NonDelivery), knowing the policy;
3. the **buyer**, who does not see the item's type before inspecting, picks Accept or Verify (extended: also
   Abstain, FalseClaim): one information set per platform choice, holding every seller choice;
4. the **hunter** (extended variant) acts likewise, seeing neither the seller's nor the buyer's move.

With ``audit_rate=x`` the platform has already committed to audit with probability :math:`x`: it makes no move,
and a chance node after the followers' moves draws the audit (probability :math:`x`), which no one observes.
The self-operated model has no platform player (the platform is the seller), so its tree is the simultaneous
game written as a tree.

Every information set of a follower lies inside the subgame that starts at the seller's node and is reached with
probability 1 there, so beliefs follow from Bayes' rule everywhere: the subgame-perfect equilibria
(:func:`~gametheory.solvers.extensive.subgame_perfect.subgame_perfect`) are also the perfect-Bayesian and
sequential ones, their belief at a buyer's information set being the seller's mixed strategy.

Examples
--------
>>> import gametheory as gt
>>> tree = gt.models.get("direct").extensive_game()
>>> [h.label for h in tree.infosets()]
['platform', 'seller after Lax', 'buyer after Lax', 'seller after Audit', 'buyer after Audit']
>>> tree.root["Audit"]["Counterfeit"]["Verify"].payoffs == tuple(gt.models.get("direct").game().payoffs[:, 1, 1, 1])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import Interval, check_param
from ..errors import InvalidParameterError
from ..games.extensive_form import ExtensiveFormGame, Node

__all__ = ["LEADER", "extensive_game", "move_order", "terminal_profile"]

#: the player who moves first and whose choice everyone sees
LEADER = "platform"


def move_order(model: Any, *, committed: bool = False) -> tuple[int, ...]:
    """Player indices in the order they move in the tree (the platform first, or last as chance when committed).

    Examples
    --------
    >>> import gametheory as gt
    >>> move_order(gt.models.get("direct")), move_order(gt.models.get("direct"), committed=True)
    ((2, 0, 1), (0, 1, 2))
    """
    players = list(model.players)
    if LEADER not in players:
        return tuple(range(len(players)))
    lead = players.index(LEADER)
    followers = tuple(i for i in range(len(players)) if i != lead)
    return (*followers, lead) if committed else (lead, *followers)


def extensive_game(model: Any, *, audit_rate: float | None = None, exact: bool = False) -> ExtensiveFormGame:
    r"""The model's sequential game: platform commits, seller ships, the buyers (blind to the type) respond.

    Parameters
    ----------
    model : Model
        Any payment model, core or extended (the terminal payoffs are its payoff tensor).
    audit_rate : float in [0, 1], optional
        The platform's committed audit probability :math:`x`. ``None`` (the default): the platform picks Lax or
        Audit at the root, seen by all. Given: the platform does not move; a chance node draws Audit with
        probability :math:`x` after the followers' moves. Only for models with a platform player.
    exact : bool
        Terminal payoffs in exact rationals (:meth:`Model.exact_game`) instead of floats.

    Returns
    -------
    ExtensiveFormGame
        Players in the model's order. Information sets ``"platform"``, ``"seller after Lax"``,
        ``"buyer after Lax"``, ... (``"seller"``, ``"buyer"`` when nobody moves before the seller).

    Raises
    ------
    InvalidParameterError
        ``audit_rate`` outside [0, 1], or given for a model without a platform player.

    Notes
    -----
    The terminal after actions :math:`a` (one per player, in :func:`move_order`) carries the model's
    :math:`u(a) = \sum_e \Pr(e \mid a)\, x_e` from the event table. Under commitment the expected terminal payoff
    given the followers' actions is :math:`(1-x)\,u(a_F, \text{Lax}) + x\,u(a_F, \text{Audit})`.

    Examples
    --------
    >>> import gametheory as gt
    >>> tree = gt.models.get("escrow").extensive_game(audit_rate=0.25)
    >>> tree.root.player, tree.is_perfect_information
    ('seller', False)
    >>> tree.root["Genuine"]["Accept"].probabilities
    (0.75, 0.25)
    """
    players = list(model.players)
    if audit_rate is not None:
        check_param("extensive_game", "audit_rate", audit_rate, Interval(float, 0, 1))
        if LEADER not in players:
            raise InvalidParameterError(
                f"The 'audit_rate' parameter of extensive_game needs a model with a platform player; "
                f"{model.name!r} has players {players}. Got {audit_rate!r} instead."
            )
    payoffs = model.exact_game().payoffs if exact else model.game().payoffs
    order = move_order(model, committed=audit_rate is not None)
    game = ExtensiveFormGame(model.players, title=f"{model.name} ({model.variant}), sequential")
    _grow(game.root, model, order, (), payoffs, audit_rate)
    return game.validate()


def terminal_profile(model: Any, path: Sequence[str], *, committed: bool = False) -> tuple[int, ...]:
    """The pure profile (model player order) a root-to-terminal path of :func:`extensive_game` stands for.

    Examples
    --------
    >>> import gametheory as gt
    >>> terminal_profile(gt.models.get("direct"), ("Audit", "Counterfeit", "Accept"))
    (1, 0, 1)
    """
    order = move_order(model, committed=committed)
    profile = [0] * len(order)
    for player, action in zip(order, path, strict=True):
        profile[player] = model.strategies[player].index(action)
    return tuple(profile)


def _grow(node: Node, model: Any, order: tuple[int, ...], done: tuple[int, ...], payoffs: np.ndarray,
          audit_rate: float | None) -> None:
    """Build the subtree below ``node`` after the actions ``done`` (indices, in move order)."""
    depth = len(done)
    if depth == len(order):
        profile = [0] * len(order)
        for player, action in zip(order, done, strict=True):
            profile[player] = action
        labels = ",".join(model.strategies[i][a] for i, a in enumerate(profile))
        node.terminal([payoffs[(i, *profile)] for i in range(len(order))], label=labels)
        return
    player = order[depth]
    name = model.players[player]
    actions = model.strategies[player]
    if audit_rate is not None and name == LEADER:
        children = node.chance(actions, [1 - audit_rate, audit_rate])
    else:
        children = node.decision(name, actions, infoset=_infoset_label(model, order, done))
    for action, child in enumerate(children):
        _grow(child, model, order, (*done, action), payoffs, audit_rate)


def _infoset_label(model: Any, order: tuple[int, ...], done: tuple[int, ...]) -> str:
    """A follower sees the platform's move (when it moved first), nothing else; the leader moves at the root."""
    name = model.players[order[len(done)]]
    if name == LEADER or not done or model.players[order[0]] != LEADER:
        return name
    return f"{name} after {model.strategies[order[0]][done[0]]}"
