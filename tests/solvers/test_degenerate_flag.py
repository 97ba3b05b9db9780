"""One meaning of ``degenerate`` across methods (docs/degenerate.md): the game has a continuum of equilibria,
i.e. two listed equilibria share a component. Checked on the same games through every method that applies."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers import has_continuum

METHODS_2X2 = ["closed_form", "vertex_enumeration", "support_enumeration", "auto"]
METHODS_2X2X2 = ["closed_form", "support_enumeration", "auto"]


def _flags(game: gt.NormalFormGame, methods: list[str]) -> dict[str, bool]:
    return {m: gt.solve(game, method=m).degenerate for m in methods}


def test_ties_with_only_isolated_equilibria_are_not_degenerate_in_any_method() -> None:
    # both players indifferent at the bottom-right profile, yet both equilibria are isolated
    game = gt.NormalFormGame([[[1, 0], [0, 0]], [[1, 0], [0, 0]]])
    assert set(_flags(game, METHODS_2X2).values()) == {False}
    assert len(gt.solve(game)) == 2


def test_a_continuum_is_degenerate_in_every_method() -> None:
    game = gt.NormalFormGame(np.zeros((2, 2, 2)))  # every profile is an equilibrium
    assert set(_flags(game, METHODS_2X2).values()) == {True}
    assert set(_flags(gt.NormalFormGame(np.zeros((3, 2, 2, 2))), METHODS_2X2X2).values()) == {True}


@pytest.mark.parametrize(("shape", "high", "methods"), [((2, 2), 1, METHODS_2X2), ((2, 2, 2), 2, METHODS_2X2X2),
                                                        ((3, 3), 1, ["vertex_enumeration", "support_enumeration",
                                                                     "auto"])])
def test_every_method_gives_the_same_flag_on_tied_integer_games(shape: tuple[int, ...], high: int,
                                                                methods: list[str]) -> None:
    rng = np.random.default_rng(23)
    payoffs = rng.integers(-high, high + 1, (40, len(shape), *shape)).astype(float)
    seen = set()
    for p in payoffs:
        game = gt.NormalFormGame(p)
        flags = _flags(game, methods)
        assert len(set(flags.values())) == 1, flags
        reference = gt.solve(game, method="vertex_enumeration" if len(shape) == 2 else "closed_form")
        assert flags["auto"] == has_continuum(reference)
        seen.add(flags["auto"])
    assert seen == {True, False}  # the sample holds both kinds
    if shape in ((2, 2), (2, 2, 2)):
        batch = gt.solve_batch(gt.GameBatch(payoffs))
        per_game = gt.solve_batch(gt.GameBatch(payoffs), method="per_game")
        singles = [gt.solve(gt.NormalFormGame(p)).degenerate for p in payoffs]
        assert batch.degenerate.tolist() == singles == per_game.degenerate.tolist()


# ------------------------------------------------------------------ named sets: generic, tied but isolated, continuum
BOS = [[[3, 1], [0, 2]], [[2, 1], [0, 3]]]
TIED = [[[1, 0], [0, 0]], [[1, 0], [0, 0]]]  # both tie at the bottom right; two isolated equilibria
EDGE = [[[2, 1], [0, 0]], [[1, 1], [1, 1]]]  # the column is indifferent: the edge x = 1 is a continuum


def _embed_3x3(two: list) -> np.ndarray:
    """A 3x3 game with the 2x2 game ``two`` (payoffs >= 0) and a third strategy each player's strictly dominated
    one (same equilibria, the third strategies unplayed)."""
    out = np.zeros((2, 3, 3))
    out[:, :2, :2] = two
    out[0, 2, :] = -5.0
    out[1, :, 2] = -5.0
    return out


def _embed_2x2x2(two: list) -> np.ndarray:
    """A 2x2x2 game: players 1 and 2 play ``two``; player 3 strictly prefers its first strategy (same equilibria)."""
    out = np.empty((3, 2, 2, 2))
    out[:2] = np.asarray(two, dtype=float)[:, :, :, None]
    out[2] = np.array([1.0, 0.0])[None, None, :]
    return out


def _named(shape: tuple[int, ...]) -> list[tuple[np.ndarray, bool]]:
    rng = np.random.default_rng(7)
    generic = rng.standard_normal((len(shape), *shape))
    embed = {(2, 2): lambda g: np.asarray(g, dtype=float), (3, 3): _embed_3x3, (2, 2, 2): _embed_2x2x2}[shape]
    return [(generic, False), (embed(BOS), False), (embed(TIED), False), (embed(EDGE), True)]


DIRECT = {(2, 2): ["closed_form", "vertex_enumeration"], (3, 3): ["vertex_enumeration"],
          (2, 2, 2): ["closed_form", "support_enumeration"]}
SOLVE = {(2, 2): METHODS_2X2, (3, 3): ["vertex_enumeration", "support_enumeration", "auto"],
         (2, 2, 2): METHODS_2X2X2}


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (2, 2, 2)])
def test_generic_tied_and_continuum_games_get_one_flag_from_every_method_and_path(shape: tuple[int, ...]) -> None:
    from gametheory.solvers import get_solver

    games = _named(shape)
    for payoffs, want in games:
        game = gt.NormalFormGame(payoffs)
        flags = _flags(game, SOLVE[shape])
        # the registered solver functions themselves (2-player support_enumeration lists no components: gt.solve
        # looks the continua up for it, docs/degenerate.md)
        flags |= {f"{m} (direct)": get_solver(m)(game).degenerate for m in DIRECT[shape]}
        assert flags == dict.fromkeys(flags, want), flags
        assert has_continuum(gt.solve(game)) == want
    batch = gt.GameBatch(np.stack([p for p, _ in games]))
    want = [w for _, w in games]
    paths = ["auto", "per_game"] + (["closed_form"] if shape != (3, 3) else [])
    for method in paths:
        sol = gt.solve_batch(batch, method=method)
        assert sol.degenerate.tolist() == want, method
        assert [has_continuum(sol.equilibria(g)) for g in range(len(batch))] == want, method
