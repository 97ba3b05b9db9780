r"""Pure plans of an extensive-form game and its (reduced) strategic form.

A *plan* of player *i* is a tuple with one entry per information set of *i* (depth-first order): the index of the
chosen action, or ``None`` where the plan's own earlier choices make that set unreachable (reduced plans only).
Reduced plans are generated directly, by walking the tree and branching only at the player's information sets
that are still reachable, so a long game never enumerates the full product of its action sets.

The strategic-form payoff tensor is built terminal by terminal: for a terminal :math:`t` reached with chance
probability :math:`p_t`, let :math:`\chi_i(t)` be the 0/1 vector over *i*'s plans that agree with the path to
*t*; then :math:`U_i \mathrel{+}= p_t\, u_i(t)\, \chi_1(t) \otimes \dots \otimes \chi_n(t)` (one outer product per
terminal, no loop over profiles).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import limits
from ..errors import SolverError
from .normal_form import NormalFormGame

if TYPE_CHECKING:
    from .extensive_form import ExtensiveFormGame, InformationSet, Node
    from .normal_form import NormalFormGame

__all__ = ["player_plans", "reduce_plan", "normal_form", "plan_labels", "MAX_PROFILES"]

Plan = tuple[int | None, ...]

#: Largest strategic form (number of pure profiles) :func:`normal_form` builds.
MAX_PROFILES = 5_000_000


def player_plans(game: ExtensiveFormGame, index: int, *, reduced: bool = True) -> list[Plan]:
    """Every (reduced) plan of player ``index``, sorted lexicographically (``None`` first).

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> stop, go = game.root.decision("A", ["Stop", "Go"])
    >>> again = go.decision("A", ["Stop", "Go"], infoset="A again")
    >>> _ = stop.terminal([1, 0]), again[0].terminal([3, 1]), again[1].terminal([2, 4])
    >>> player_plans(game.validate(), 0), player_plans(game, 0, reduced=False)
    ([(0, None), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 0), (1, 1)])
    """
    infosets = game.infosets(index)
    if not reduced:
        sizes = [len(h.actions) for h in infosets]
        if math.prod(sizes) > MAX_PROFILES:
            raise SolverError(
                f"Player {game.players[index]!r} has {math.prod(sizes)} plans; the full normal form is too large "
                f"(limit {MAX_PROFILES}). Use reduced=True."
            )
        return [tuple(int(a) for a in p) for p in np.ndindex(*sizes)] if sizes else [()]
    player = game.players[index]
    position = {id(h): k for k, h in enumerate(infosets)}
    plans: list[Plan] = []
    # each job: the nodes still to explore under a partial plan; branching at an unassigned own set forks the job
    jobs: list[tuple[list[Node], list[int | None]]] = [([game.root], [None] * len(infosets))]
    while jobs:
        pending, plan = jobs.pop()
        while pending:
            node = pending.pop()
            if node.kind == "decision" and node.player == player:
                k = position[id(node.infoset)]
                chosen = plan[k]
                if chosen is None:
                    for a, child in enumerate(node.children):
                        branch = plan.copy()
                        branch[k] = a
                        jobs.append(([*pending, child], branch))
                    break
                pending.append(node.children[chosen])
            else:
                pending.extend(node.children)
        else:
            plans.append(tuple(plan))
            if len(plans) > MAX_PROFILES:
                raise SolverError(f"Player {player!r} has more than {MAX_PROFILES} reduced plans; too large.")
    return sorted(set(plans), key=lambda p: tuple(-1 if a is None else a for a in p))


def reduce_plan(game: ExtensiveFormGame, index: int, plan: Plan) -> Plan:
    """The reduced plan of a full plan: ``None`` at the information sets its own choices make unreachable.

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> stop, go = game.root.decision("A", ["Stop", "Go"])
    >>> _ = stop.terminal([1, 0]), [leaf.terminal([2, 2]) for leaf in go.decision("A", ["Stop", "Go"])]
    >>> reduce_plan(game.validate(), 0, (0, 1))  # Stop at the root: the second choice is never reached
    (0, None)
    """
    player = game.players[index]
    position = {id(h): k for k, h in enumerate(game.infosets(index))}
    reached: set[int] = set()
    pending = [game.root]
    while pending:
        node = pending.pop()
        if node.kind == "decision" and node.player == player:
            k = position[id(node.infoset)]
            reached.add(k)
            chosen = plan[k]
            assert chosen is not None
            pending.append(node.children[chosen])
        else:
            pending.extend(node.children)
    return tuple(a if k in reached else None for k, a in enumerate(plan))


def plan_labels(infosets: tuple[InformationSet, ...], plans: list[Plan]) -> list[str]:
    """Readable, distinct labels: the chosen actions joined with ``/`` (``*`` where unreachable).

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> _ = [leaf.terminal([1, 0]) for leaf in game.root.decision("A", ["Stop", "Go"])]
    >>> plan_labels(game.validate().infosets(0), [(0,), (1,), (None,)])
    ['Stop', 'Go', '*']
    """
    if not infosets:
        return ["-"]
    if len(infosets) == 1:
        labels = [infosets[0].actions[p[0]] if p[0] is not None else "*" for p in plans]
    else:
        labels = ["/".join("*" if a is None else h.actions[a] for h, a in zip(infosets, p, strict=True))
                  for p in plans]
    if len(set(labels)) == len(labels):
        return labels
    return ["; ".join(f"{h.label}: {'*' if a is None else h.actions[a]}" for h, a in zip(infosets, p, strict=True))
            for p in plans]


def normal_form(game: ExtensiveFormGame, *, reduced: bool = True) -> NormalFormGame:
    """The (reduced) strategic form of a validated tree; see :meth:`ExtensiveFormGame.to_normal_form`.

    Examples
    --------
    >>> import gametheory as gt
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> _ = [leaf.terminal([1, 0]) for leaf in game.root.decision("B", ["Left", "Right"])]
    >>> normal_form(game.validate()).strategies  # A never moves: one plan, labelled "-"
    (('-',), ('Left', 'Right'))
    """
    n = game.n_players
    plans = [player_plans(game, i, reduced=reduced) for i in range(n)]
    shape = tuple(len(p) for p in plans)
    if math.prod(shape) > MAX_PROFILES:
        raise SolverError(
            f"The normal form would have {math.prod(shape)} pure profiles (shape {shape}); the limit is "
            f"{MAX_PROFILES}."
        )
    terminals = len(game.terminals())  # each terminal's moves are matched against every plan: terminals x plans
    work = terminals * (sum(len(p) * max(len(game.infosets(i)), 1) for i, p in enumerate(plans)) + math.prod(shape))
    limits.check_seconds(work * limits.TREE_STEP_SECONDS, what=f"the normal form of a tree with {terminals:,} "
                         f"terminal nodes and plans {'x'.join(map(str, shape))}",
                         remedy="Solve the tree by backward induction (perfect information), or a smaller tree.")
    exact = game.is_exact
    payoffs: Any = np.zeros((n, *shape), dtype=object if exact else float)
    if exact:
        payoffs[...] = Fraction(0)
    plan_arrays = [_plan_array(p, len(game.infosets(i))) for i, p in enumerate(plans)]
    for terminal, prob, moves in terminal_paths(game):
        if prob == 0:
            continue
        agree = []
        for i in range(n):
            if moves[i]:
                ks, acts = zip(*moves[i], strict=True)
                agree.append((plan_arrays[i][:, list(ks)] == np.array(acts)).all(axis=1).astype(int))
            else:
                agree.append(np.ones(shape[i], dtype=int))
        outer = functools.reduce(np.multiply.outer, agree) if n > 1 else agree[0]
        if not outer.any():
            continue
        for i, u in enumerate(terminal.payoffs):
            weight = _exact(prob) * _exact(u) if exact else float(prob) * float(u)
            payoffs[i] = payoffs[i] + (outer.astype(object) if exact else outer) * weight
    strategies = [plan_labels(game.infosets(i), p) for i, p in enumerate(plans)]
    return NormalFormGame(payoffs, game.players, strategies)


def terminal_paths(game: ExtensiveFormGame) -> list[tuple[Node, Any, list[list[tuple[int, int]]]]]:
    """Each terminal, its chance probability, and per player the ``(information set, action)`` moves to it."""
    position = {}
    for i in range(game.n_players):
        position.update({id(h): (i, k) for k, h in enumerate(game.infosets(i))})
    out = []
    stack: list[tuple[Node, Any, list[list[tuple[int, int]]]]] = [(game.root, 1, [[] for _ in game.players])]
    while stack:
        node, prob, moves = stack.pop()
        if node.kind == "terminal":
            out.append((node, prob, moves))
        elif node.kind == "chance":
            for child, p in zip(node.children, node.probabilities, strict=True):
                stack.append((child, prob * p, moves))
        else:
            i, k = position[id(node.infoset)]
            for a, child in enumerate(node.children):
                branch = [list(m) for m in moves]
                branch[i].append((k, a))
                stack.append((child, prob, branch))
    return out


def _plan_array(plans: list[Plan], width: int) -> np.ndarray:
    arr = np.full((len(plans), max(width, 1)), -1, dtype=int)
    for r, plan in enumerate(plans):
        for k, a in enumerate(plan):
            if a is not None:
                arr[r, k] = a
    return arr


def _exact(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)
