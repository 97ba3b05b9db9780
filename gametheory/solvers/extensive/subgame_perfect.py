r"""Subgame-perfect equilibria of any finite tree, imperfect information included, by subgame decomposition.

A *subgame* starts at a node :math:`h` when every information set that meets the subtree of :math:`h` lies wholly
inside it. Selten's (1965, 1975) subgame-perfect equilibria are found from the smallest subgames up: solve each
subgame that contains no smaller one (its reduced normal form, by :func:`gametheory.solve`: every Nash
equilibrium, mixed ones included), replace it by a terminal carrying the equilibrium's payoffs, and repeat on the
truncated tree. Every combination of the subgames' equilibria is followed, so the list is every subgame-perfect
equilibrium whose restriction to each *minimal* piece is one the normal-form solver lists (all of them, for the
complete solvers; the extreme points of a continuum in a degenerate piece).

In a perfect-information tree every decision node starts a subgame and this is backward induction
(:func:`gametheory.solvers.extensive.backward_induction.backward_induction`), mixed ties included.

Each equilibrium is given in *behaviour strategies* (Kuhn 1953): at information set :math:`I` of player
:math:`i`, with :math:`\sigma_i` the mixed plan found for the piece containing :math:`I`,

.. math::

    b_i(a \mid I) = \frac{\sum_{\pi \ni (I, a)} \sigma_i(\pi)}{\sum_{\pi \ni I} \sigma_i(\pi)},

and its *beliefs* are Bayes' rule within the piece: :math:`\mu(h \mid I) = \Pr(h) / \Pr(I)` wherever
:math:`\Pr(I) > 0`. When every information set is reached with positive probability within its piece (as in the
payment models' sequential games) the assessment is consistent and sequentially rational: the equilibrium is
also sequential (Kreps and Wilson 1982) and perfect Bayesian.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._frozen import FrozenResult, Listing
from ..._validation import Interval, validate_params
from ...errors import InvalidParameterError, SolverError
from ...games.equilibrium import Equilibrium
from ...games.extensive_form import ExtensiveFormGame, Node
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from .backward_induction import MAX_EQUILIBRIA

__all__ = ["subgame_perfect", "BehaviourEquilibrium", "SubgamePerfectResult", "subgame_roots"]

Behaviour = dict[str, dict[str, float]]


@dataclass(frozen=True, eq=False)
class BehaviourEquilibrium(FrozenResult):
    """One subgame-perfect equilibrium in behaviour strategies, with its beliefs.

    Attributes
    ----------
    behaviour : dict
        ``{information set label: {action: probability}}`` at every information set, on and off the path.
    beliefs : dict
        ``{information set label: {node path: probability}}`` (Bayes' rule within the set's subgame), or None for a
        set its subgame's equilibrium never reaches.
    payoffs : ndarray
        Each player's expected payoff.
    outcome : tuple
        ``((terminal path, probability), ...)`` for every terminal reached with positive probability.
    regret : float
        The largest regret of the equilibria of the pieces (each below ``tol * scale``).
    equilibrium : Equilibrium
        The same profile as a mixed profile of the reduced normal form (:meth:`ExtensiveFormGame.to_normal_form`),
        with its regret there: a Nash equilibrium of the whole game.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.extensive.subgame_perfect import subgame_perfect
    >>> spe = subgame_perfect(gt.models.get("direct").extensive_game())[0]
    >>> spe.behaviour["platform"]
    {'Lax': 1.0, 'Audit': 0.0}
    """

    behaviour: Behaviour
    beliefs: dict[str, dict[tuple[str, ...], float] | None]
    payoffs: npt.NDArray[np.float64]
    outcome: tuple[tuple[tuple[str, ...], float], ...]
    regret: float
    equilibrium: Equilibrium = field(repr=False)

    def __repr__(self) -> str:
        pay = ", ".join(f"{x:.4g}" for x in self.payoffs)
        return f"BehaviourEquilibrium(terminals reached={len(self.outcome)}, payoffs=[{pay}], regret={self.regret:.1e})"


@dataclass(frozen=True, eq=False)
class SubgamePerfectResult(FrozenResult, Listing[BehaviourEquilibrium]):
    """Every subgame-perfect equilibrium found, and how.

    Behaves as a sequence of :class:`BehaviourEquilibrium`.

    Attributes
    ----------
    equilibria : tuple of BehaviourEquilibrium
    method : str
        ``"subgame_perfect"``.
    complete : bool
        True when every piece's normal-form solve was complete.
    degenerate : bool
        True when some piece had a continuum of equilibria (its extreme points were followed).
    subgames : int
        Number of subgames (the whole game included).
    tol : float
    parameters : dict

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.extensive.subgame_perfect import subgame_perfect
    >>> result = subgame_perfect(gt.models.get("direct").extensive_game())
    >>> len(result), result.subgames, result.complete
    (1, 3, True)
    """

    equilibria: tuple[BehaviourEquilibrium, ...]
    method: str
    complete: bool
    degenerate: bool
    subgames: int
    tol: float
    parameters: dict[str, Any] = field(default_factory=dict)
    _ITEMS = "equilibria"

    def __repr__(self) -> str:
        return self._listed(f"SubgamePerfectResult(method={self.method!r}, count={len(self)}, "
                            f"complete={self.complete}, degenerate={self.degenerate}, subgames={self.subgames}, "
                            f"tol={self.tol:g})")


@dataclass
class _Piece:
    behaviour: Behaviour
    beliefs: dict[str, dict[tuple[str, ...], float] | None]
    value: tuple[float, ...]
    regret: float


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def subgame_perfect(game: ExtensiveFormGame, *, tol: float = DEFAULT_TOL) -> SubgamePerfectResult:
    r"""Every subgame-perfect equilibrium of a finite tree (chance moves and information sets allowed).

    Parameters
    ----------
    game : ExtensiveFormGame
        A valid tree with perfect recall.
    tol : float
        Tolerance of the normal-form solves, relative to each piece's payoff scale.

    Returns
    -------
    SubgamePerfectResult
        The equilibria in behaviour strategies, with beliefs, payoffs, outcome and the equivalent reduced-normal-
        form profile.

    Raises
    ------
    InvalidParameterError
        Not an :class:`ExtensiveFormGame`, an invalid tree or a bad ``tol``.
    SolverError
        Imperfect recall (behaviour strategies would not represent mixed ones), or more than
        :data:`~gametheory.solvers.extensive.backward_induction.MAX_EQUILIBRIA` equilibria.

    Notes
    -----
    See the module docstring. The pieces are solved by :func:`gametheory.solve` on their reduced normal form, so
    the guarantees (completeness, degeneracy) are that solver's, reported in ``complete`` and ``degenerate``.

    References
    ----------
    .. [1] Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in extensive
       games. *International Journal of Game Theory* 4(1), 25-55.
    .. [2] Kreps, D. M. and Wilson, R. (1982). Sequential equilibria. *Econometrica* 50(4), 863-894.
    .. [3] Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to the Theory
       of Games II*, Annals of Mathematics Studies 28, pp. 193-216. Princeton University Press.

    Examples
    --------
    Matching pennies after an entry decision: the entrant anticipates the mixed equilibrium (value 0) of the
    simultaneous subgame and stays out for 0.5.

    >>> import gametheory as gt
    >>> from gametheory.solvers.extensive.subgame_perfect import subgame_perfect
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> out, enter = game.root.decision("A", ["Out", "In"])
    >>> _ = out.terminal([0.5, 0])
    >>> for a, node in zip("HT", enter.decision("A", ["H", "T"], infoset="A plays")):
    ...     for b, leaf in zip("HT", node.decision("B", ["H", "T"], infoset="B guesses")):
    ...         _ = leaf.terminal([1, -1] if a == b else [-1, 1])
    >>> result = subgame_perfect(game)
    >>> len(result), result[0].behaviour["root"], result[0].behaviour["B guesses"]
    (1, {'Out': 1.0, 'In': 0.0}, {'H': 0.5, 'T': 0.5})
    """
    if not isinstance(game, ExtensiveFormGame):
        raise InvalidParameterError(
            f"The 'game' parameter of subgame_perfect must be an ExtensiveFormGame. Got {type(game).__name__} instead."
        )
    game.validate()
    if not game.is_perfect_recall:
        raise SolverError("subgame_perfect needs a game of perfect recall (behaviour strategies are used).")
    roots = subgame_roots(game)
    flags = {"complete": True, "degenerate": False}
    pieces = _solve(game.root, roots, tol, flags)
    normal_form = game.to_normal_form()
    found = tuple(_finish(game, normal_form, piece) for piece in pieces)
    return SubgamePerfectResult(equilibria=found, method="subgame_perfect", complete=flags["complete"],
                                degenerate=flags["degenerate"], subgames=len(roots), tol=tol,
                                parameters={"tol": tol})


def subgame_roots(game: ExtensiveFormGame) -> set[int]:
    """``id`` of every non-terminal node that starts a subgame (the root always does).

    Examples
    --------
    >>> import gametheory as gt
    >>> len(subgame_roots(gt.models.get("direct").extensive_game()))
    3
    """
    inside: dict[int, set[int]] = {}
    for node in reversed(list(game.nodes())):
        inside[id(node)] = {id(node)}.union(*(inside[id(c)] for c in node.children))
    roots = set()
    for node in game.nodes():
        if node.kind == "terminal":
            continue
        sets = {id(n.infoset) for n in game.nodes() if id(n) in inside[id(node)] and n.infoset is not None}
        if all(id(m) in inside[id(node)] for h in game.infosets() if id(h) in sets for m in h.nodes):
            roots.add(id(node))
    return roots


def _solve(top: Node, roots: set[int], tol: float, flags: dict[str, bool]) -> list[_Piece]:
    """Every equilibrium of the subgame at ``top``: first of the subgames inside it, then of the truncated tree."""
    inner = list(_inner_roots(top, roots))
    below = [_solve(node, roots, tol, flags) for node in inner]
    out: list[_Piece] = []
    for combo in itertools.product(*below):
        replaced = {id(node): piece.value for node, piece in zip(inner, combo, strict=True)}
        for piece in _solve_truncated(top, replaced, tol, flags):
            for sub in combo:
                piece.behaviour.update(sub.behaviour)
                piece.beliefs.update(sub.beliefs)
                piece.regret = max(piece.regret, sub.regret)
            out.append(piece)
        if len(out) > MAX_EQUILIBRIA:
            raise SolverError(f"More than {MAX_EQUILIBRIA} subgame-perfect equilibria; too many to enumerate.")
    return out


def _inner_roots(top: Node, roots: set[int]) -> Iterator[Node]:
    """The largest subgames strictly inside the one at ``top``."""
    stack = list(reversed(top.children))
    while stack:
        node = stack.pop()
        if id(node) in roots:
            yield node
        else:
            stack.extend(reversed(node.children))


def _solve_truncated(top: Node, replaced: dict[int, tuple[float, ...]], tol: float,
                     flags: dict[str, bool]) -> list[_Piece]:
    """The Nash equilibria of the subtree at ``top`` with the inner subgames replaced by their values."""
    piece = ExtensiveFormGame(top.game.players)
    _copy(top, piece.root, replaced)
    infosets = piece.infosets()
    if not infosets:  # chance and terminals only
        value = tuple(float(v) for v in _expected(piece.root, {}))
        return [_Piece({}, {}, value, 0.0)]
    from .. import solve  # lazy: facade callback

    normal_form = piece.to_normal_form()
    eqs = solve(normal_form, tol=tol)
    flags["complete"] = flags["complete"] and bool(eqs.complete)
    flags["degenerate"] = flags["degenerate"] or bool(eqs.degenerate)
    out = []
    for eq in eqs:
        behaviour = _behaviour(piece, [np.asarray(p, dtype=float) for p in eq.profile])
        reach = _reach(piece.root, behaviour)
        beliefs: dict[str, dict[tuple[str, ...], float] | None] = {}
        for h in infosets:
            total = sum(reach[id(n)] for n in h.nodes)
            beliefs[h.label] = {top.path + n.path: reach[id(n)] / total for n in h.nodes} if total > 0 else None
        out.append(_Piece(behaviour, beliefs, tuple(float(u) for u in eq.payoffs), float(eq.regret)))
    return out


def _copy(src: Node, dst: Node, replaced: dict[int, tuple[float, ...]]) -> None:
    if id(src) in replaced:
        dst.terminal(list(replaced[id(src)]))
    elif src.kind == "terminal":
        dst.terminal(list(src.payoffs), label=src.label)
    else:
        if src.kind == "chance":
            children = dst.chance(src.actions, list(src.probabilities))
        else:
            assert src.infoset is not None
            children = dst.decision(str(src.player), src.actions, infoset=src.infoset.label)
        for s, d in zip(src.children, children, strict=True):
            _copy(s, d, replaced)


def _behaviour(game: ExtensiveFormGame, profile: list[np.ndarray]) -> Behaviour:
    """Kuhn's behaviour strategy of each mixed reduced plan (see the module docstring)."""
    out: Behaviour = {}
    for i in range(game.n_players):
        plans = game.plans(i)
        sigma = profile[i]
        for h in game.infosets(i):
            weight = {a: 0.0 for a in h.actions}
            for plan, s in zip(plans, sigma, strict=True):
                if h.label in plan:
                    weight[plan[h.label]] += float(s)
            total = sum(weight.values())
            if total <= 0:  # the player's own plan never reaches h: take the first plan that does
                first = next(plan[h.label] for plan in plans if h.label in plan)
                weight = {a: float(a == first) for a in h.actions}
                total = 1.0
            out[h.label] = {a: w / total for a, w in weight.items()}
    return out


def _reach(root: Node, behaviour: Behaviour) -> dict[int, float]:
    reach = {id(root): 1.0}
    for node in _preorder(root):
        for k, child in enumerate(node.children):
            reach[id(child)] = reach[id(node)] * _move_prob(node, k, behaviour)
    return reach


def _move_prob(node: Node, k: int, behaviour: Behaviour) -> float:
    if node.kind == "chance":
        return float(node.probabilities[k])
    assert node.infoset is not None
    return behaviour[node.infoset.label][node.actions[k]]


def _preorder(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _expected(root: Node, behaviour: Behaviour) -> list[float]:
    reach = _reach(root, behaviour)
    total = [0.0] * len(root.game.players)
    for node in _preorder(root):
        if node.kind == "terminal":
            for i, u in enumerate(node.payoffs):
                total[i] += reach[id(node)] * float(u)
    return total


def _finish(game: ExtensiveFormGame, normal_form: NormalFormGame, piece: _Piece) -> BehaviourEquilibrium:
    reach = _reach(game.root, piece.behaviour)
    outcome = tuple((n.path, reach[id(n)]) for n in game.terminals() if reach[id(n)] > 0)
    vectors = []
    for i in range(game.n_players):
        infosets = {h.label for h in game.infosets(i)}
        vec = [float(np.prod([piece.behaviour[h][a] for h, a in plan.items() if h in infosets]))
               for plan in game.plans(i)]
        vectors.append(vec)
    return BehaviourEquilibrium(
        behaviour=piece.behaviour, beliefs=piece.beliefs, payoffs=np.array(piece.value), outcome=outcome,
        regret=piece.regret, equilibrium=Equilibrium.from_profile(normal_form, vectors),
    )
