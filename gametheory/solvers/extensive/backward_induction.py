r"""Every pure subgame-perfect equilibrium of a perfect-information tree, by backward induction.

In a finite game of perfect information every node starts a subgame. Working from the leaves up, a chance node
is worth the probability-weighted average of its children, and a decision node of player *i* is worth the value of
a child that maximises *i*'s payoff:

.. math::

    v(h) = v(h a^*), \qquad a^* \in \arg\max_{a \in A(h)} v_i(h a).

A behaviour plan that picks such an :math:`a^*` at *every* node, on and off the path of play, is a subgame-perfect
equilibrium (Selten 1965, 1975), and every pure subgame-perfect equilibrium arises this way (Kuhn 1953). When a
player is indifferent (within ``tol``) the choice branches, and since a tie off the path changes what earlier
movers expect, the enumeration takes every combination of the children's equilibria before choosing at a node.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from ..._frozen import FrozenResult, Listing
from ..._validation import Interval, validate_params
from ...errors import InvalidParameterError, SolverError
from ...games.equilibrium import Equilibrium
from ...games.extensive_form import ExtensiveFormGame, Node
from ...games.normal_form import DEFAULT_TOL, NormalFormGame
from ...games.plans import player_plans, reduce_plan

__all__ = ["backward_induction", "SubgamePerfectEquilibrium", "BackwardInductionResult", "MAX_EQUILIBRIA"]

#: Largest number of subgame-perfect equilibria enumerated before giving up (ties multiply them).
MAX_EQUILIBRIA = 100_000

Choices = dict[int, int]  # id(node) -> action index


@dataclass(frozen=True, eq=False)
class SubgamePerfectEquilibrium(FrozenResult):
    """One pure subgame-perfect equilibrium.

    Attributes
    ----------
    plan : dict
        ``{player: {information set label: action}}`` at every decision node, on and off the path of play.
    paths : tuple
        ``((actions from the root to a terminal), probability)`` for every terminal reached with positive
        probability (one path, probability 1, when no chance move is on the way).
    payoffs : ndarray
        Each player's expected payoff (float).
    exact_payoffs : tuple of Fraction or None
        The same in rationals, when the game is exact.
    strategies : tuple of str
        Each player's strategy label in the reduced normal form (:meth:`ExtensiveFormGame.to_normal_form`).
    profile : tuple of int
        Each player's strategy index in that normal form.
    equilibrium : Equilibrium
        The equivalent normal-form Nash equilibrium, with its payoffs and regret.

    Examples
    --------
    The example of :func:`backward_induction` builds a tree and shows an equilibrium's ``plan`` and ``paths``.
    """

    plan: dict[str, dict[str, str]]
    paths: tuple[tuple[tuple[str, ...], Any], ...]
    payoffs: npt.NDArray[np.float64]
    exact_payoffs: tuple[Fraction, ...] | None
    strategies: tuple[str, ...]
    profile: tuple[int, ...]
    equilibrium: Equilibrium = field(repr=False)

    @property
    def path(self) -> tuple[str, ...] | None:
        """The path of play, or None when chance makes it random (see :attr:`paths`)."""
        return self.paths[0][0] if len(self.paths) == 1 else None

    def __repr__(self) -> str:
        play = " > ".join(self.path) if self.path is not None else f"{len(self.paths)} paths"
        pay = ", ".join(f"{x:.4g}" for x in self.payoffs)
        return f"SubgamePerfectEquilibrium(strategies={self.strategies}, path={play!r}, payoffs=[{pay}])"


@dataclass(frozen=True, eq=False)
class BackwardInductionResult(FrozenResult, Listing[SubgamePerfectEquilibrium]):
    """Every pure subgame-perfect equilibrium of a tree, and how they were found.

    Behaves as a sequence of :class:`SubgamePerfectEquilibrium` (``len``, indexing, iteration).

    Attributes
    ----------
    equilibria : tuple of SubgamePerfectEquilibrium
    method : str
        ``"backward_induction"``.
    complete : bool
        Always True: every pure subgame-perfect equilibrium is listed.
    ties : bool
        True when some player was indifferent somewhere (then there may be several equilibria).
    exact : bool
        True when computed in rationals.
    tol : float
        Tolerance (relative to the game's payoff scale) within which payoffs count as tied.
    normal_form : NormalFormGame
        The reduced normal form that ``profile`` indexes.
    parameters : dict
        The arguments used.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.extensive.backward_induction import backward_induction
    >>> game = gt.ExtensiveFormGame(["A", "B"])
    >>> _ = [leaf.terminal([1, 0]) for leaf in game.root.decision("A", ["Left", "Right"])]
    >>> result = backward_induction(game)  # A is indifferent: one equilibrium per choice
    >>> len(result), result.ties, result.complete
    (2, True, True)
    """

    equilibria: tuple[SubgamePerfectEquilibrium, ...]
    method: str
    complete: bool
    ties: bool
    exact: bool
    tol: float
    normal_form: NormalFormGame = field(repr=False)
    parameters: dict[str, Any] = field(default_factory=dict)
    _ITEMS = "equilibria"

    def __repr__(self) -> str:
        return self._listed(f"BackwardInductionResult(method={self.method!r}, count={len(self)}, "
                            f"complete={self.complete}, ties={self.ties}, exact={self.exact}, tol={self.tol:g})")


@validate_params({"game": None, "tol": Interval(float, 0, None)})
def backward_induction(game: ExtensiveFormGame, *, tol: float = DEFAULT_TOL) -> BackwardInductionResult:
    r"""Every pure subgame-perfect equilibrium of a perfect-information tree (chance moves allowed).

    Parameters
    ----------
    game : ExtensiveFormGame
        A valid tree in which every information set holds one node.
    tol : float
        Payoffs within ``tol * game.scale`` of the best count as ties, and each tie branches.

    Returns
    -------
    BackwardInductionResult
        The equilibria (behaviour plan, paths of play, expected payoffs, the equivalent reduced-normal-form
        profile), ``complete=True``.

    Raises
    ------
    SolverError
        The game has imperfect information (use ``game.to_normal_form()`` and :func:`gametheory.solve`), or ties
        give more than :data:`MAX_EQUILIBRIA` equilibria.
    InvalidParameterError
        Not an :class:`ExtensiveFormGame`, an invalid tree, or a bad ``tol``.

    Notes
    -----
    See the module docstring for the recursion. With ties the number of equilibria is the product of the
    choices at every node, so it can grow exponentially in the size of the tree.

    References
    ----------
    .. [1] Kuhn, H. W. (1953). Extensive games and the problem of information. In H. W. Kuhn and A. W. Tucker
       (eds.), *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28, pp. 193-216.
       Princeton University Press.
    .. [2] Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit.
       *Zeitschrift für die gesamte Staatswissenschaft* 121, 301-324 and 667-689.
    .. [3] Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in extensive
       games. *International Journal of Game Theory* 4(1), 25-55.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers.extensive.backward_induction import backward_induction
    >>> game = gt.ExtensiveFormGame(["Entrant", "Incumbent"])
    >>> out, enter = game.root.decision("Entrant", ["Out", "In"])
    >>> _ = out.terminal([0, 2])
    >>> fight, accommodate = enter.decision("Incumbent", ["Fight", "Accommodate"])
    >>> _ = fight.terminal([-1, -1]), accommodate.terminal([1, 1])
    >>> spe = backward_induction(game)
    >>> len(spe), spe[0].path, spe[0].strategies
    (1, ('In', 'Accommodate'), ('In', 'Accommodate'))
    >>> [float(u) for u in spe[0].payoffs]
    [1.0, 1.0]
    >>> spe[0].plan, spe[0].paths  # the plan says what each player does at every node, on the path or off it
    ({'Entrant': {'root': 'In'}, 'Incumbent': {'In': 'Accommodate'}}, ((('In', 'Accommodate'), 1.0),))
    """
    if not isinstance(game, ExtensiveFormGame):
        raise InvalidParameterError(
            f"The 'game' parameter of backward_induction must be an ExtensiveFormGame. "
            f"Got {type(game).__name__} instead."
        )
    game.validate()
    shared = [h for h in game.infosets() if len(h.nodes) > 1]
    if shared:
        h = shared[0]
        raise SolverError(
            f"backward_induction needs a game of perfect information; information set {h.label!r} of player "
            f"{h.player!r} holds {len(h.nodes)} nodes. Use gt.solve(game.to_normal_form()) for Nash equilibria."
        )
    exact = game.is_exact
    slack = tol * game.scale
    solutions, ties = _solve_tree(game, exact, slack)
    normal_form = game.to_normal_form(reduced=True)

    indices = [{p: k for k, p in enumerate(player_plans(game, i))} for i in range(game.n_players)]
    found = []
    for choices, value in solutions:
        profile = []
        for i in range(game.n_players):
            full = tuple(choices[id(h.nodes[0])] for h in game.infosets(i))
            profile.append(indices[i][reduce_plan(game, i, full)])
        found.append(_equilibrium(game, normal_form, choices, value, tuple(profile), exact))
    return BackwardInductionResult(
        equilibria=tuple(found), method="backward_induction", complete=True, ties=ties, exact=exact, tol=tol,
        normal_form=normal_form, parameters={"tol": tol},
    )


def _solve_tree(
    game: ExtensiveFormGame, exact: bool, slack: float
) -> tuple[list[tuple[Choices, tuple[Any, ...]]], bool]:
    """Post-order pass: for every node, the list of (choices in its subtree, value vector) of its SPE."""
    convert = Fraction if exact else float
    table: dict[int, list[tuple[Choices, tuple[Any, ...]]]] = {}
    ties = False
    for node in reversed(list(game.nodes())):
        if node.kind == "terminal":
            table[id(node)] = [({}, tuple(convert(u) for u in node.payoffs))]
            continue
        combos = itertools.product(*(table.pop(id(c)) for c in node.children))
        out: list[tuple[Choices, tuple[Any, ...]]] = []
        for combo in combos:
            merged: Choices = {}
            for choices, _ in combo:
                merged.update(choices)
            if node.kind == "chance":
                value = tuple(
                    sum(convert(p) * v[i] for p, (_, v) in zip(node.probabilities, combo, strict=True))
                    for i in range(game.n_players)
                )
                out.append((merged, value))
            else:
                i = game.players.index(str(node.player))
                best = max(v[i] for _, v in combo)
                winners = [a for a, (_, v) in enumerate(combo) if best - v[i] <= slack]  # exact for rationals
                ties = ties or len(winners) > 1
                for a in winners:
                    out.append(({**merged, id(node): a}, combo[a][1]))
            if len(out) > MAX_EQUILIBRIA:
                raise SolverError(
                    f"Ties give more than {MAX_EQUILIBRIA} subgame-perfect equilibria below {_where(node)}; "
                    f"too many to enumerate."
                )
        table[id(node)] = out
    return table[id(game.root)], ties


def _equilibrium(
    game: ExtensiveFormGame,
    normal_form: NormalFormGame,
    choices: Choices,
    value: tuple[Any, ...],
    profile: tuple[int, ...],
    exact: bool,
) -> SubgamePerfectEquilibrium:
    plan: dict[str, dict[str, str]] = {p: {} for p in game.players}
    for h in game.infosets():
        node = h.nodes[0]
        plan[h.player][h.label] = node.actions[choices[id(node)]]
    paths: list[tuple[tuple[str, ...], Any]] = []
    stack: list[tuple[Node, Any]] = [(game.root, Fraction(1) if exact else 1.0)]
    while stack:
        node, prob = stack.pop()
        if node.kind == "terminal":
            paths.append((node.path, prob))
        elif node.kind == "chance":
            for child, p in reversed(list(zip(node.children, node.probabilities, strict=True))):
                if p > 0:
                    stack.append((child, prob * (Fraction(p) if exact else float(p))))
        else:
            stack.append((node.children[choices[id(node)]], prob))
    vectors: list[list[Any]] = []
    for k, s in zip(profile, normal_form.shape, strict=True):
        vec: list[Any] = [Fraction(0) if normal_form.is_exact else 0.0] * s
        vec[k] = Fraction(1) if normal_form.is_exact else 1.0
        vectors.append(vec)
    return SubgamePerfectEquilibrium(
        plan=plan,
        paths=tuple(paths),
        payoffs=np.array([float(v) for v in value]),
        exact_payoffs=tuple(value) if exact else None,
        strategies=tuple(normal_form.strategies[i][k] for i, k in enumerate(profile)),
        profile=profile,
        equilibrium=Equilibrium.from_profile(normal_form, vectors),
    )


def _where(node: Node) -> str:
    return "the root" if node.parent is None else "path (" + ", ".join(node.path) + ")"
