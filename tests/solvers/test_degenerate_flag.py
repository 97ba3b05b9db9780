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
