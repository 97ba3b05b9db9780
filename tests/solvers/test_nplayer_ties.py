"""Tied n-player games (issue 23) beyond 2x2x2: the compiled kernel's closed forms and its batch path against the
exact path and pygambit's ``enumpoly``, and one ``degenerate`` flag (docs/degenerate.md: two listed equilibria
share a component) from every method and path on the same games."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers import candidates, has_continuum
from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration
from tests import _named_games as named_games

SHAPES = [(2, 2, 3), (2, 2, 2, 2), (3, 3, 3)]
IDS = ["2x2x3", "2x2x2x2", "3x3x3"]
COUNT = {(2, 2, 3): 6, (2, 2, 2, 2): 6, (3, 3, 3): 2}  # the exact path takes ~5 s on a tied 3x3x3 game


def _tied(shape: tuple[int, ...], count: int, high: int = 4, seed: int = 1) -> np.ndarray:
    """Integer payoffs in [-high, high]: ties everywhere; with ``high = 4`` about half the games have a continuum
    (seed 1 holds both kinds for every shape), with ``high = 1`` nearly all."""
    rng = np.random.default_rng([23, *shape, seed])
    return rng.integers(-high, high + 1, (count, len(shape), *shape)).astype(float)


def _named(shape: tuple[int, ...]) -> list[tuple[np.ndarray, bool]]:
    """A generic game (isolated equilibria), a game whose every player is indifferent among everything (one
    continuum: every profile), and a generic game where player 0 is indifferent between its first two strategies
    whatever the others do (a continuum along player 0's mixtures)."""
    rng = np.random.default_rng([23, *shape])
    generic = rng.standard_normal((len(shape), *shape))
    flat = np.zeros((len(shape), *shape))
    copied = generic.copy()
    copied[0, 1] = copied[0, 0]
    copied[0, 0] += 10.0  # strategies 0 and 1 of player 0 tie and beat the rest; the others best-respond
    copied[0, 1] += 10.0
    return [(generic, False), (flat, True), (copied, True)]


def _flags(payoffs: np.ndarray) -> dict[str, bool]:
    game = gt.NormalFormGame(payoffs)
    return {"auto": gt.solve(game).degenerate,
            "support_enumeration": gt.solve(game, method="support_enumeration").degenerate,
            "float (compiled kernel)": gt.solve(gt.NormalFormGame(payoffs * np.pi)).degenerate}


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_every_method_and_batch_path_gives_one_degenerate_flag(shape: tuple[int, ...],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "FALLBACK_SECONDS", 600.0)  # no time budget: the flag, not the clock
    named = _named(shape)
    payoffs = np.concatenate([np.stack([p for p, _ in named]), _tied(shape, COUNT[shape]),
                              _tied(shape, COUNT[shape] // 2, high=1)])
    want = {}
    for g, p in enumerate(payoffs):
        flags = _flags(p)
        assert len(set(flags.values())) == 1, (g, flags)
        ref = gt.solve(gt.NormalFormGame(p))
        assert ref.degenerate == has_continuum(ref)
        want[g] = flags["auto"]
    assert [want[g] for g in range(len(named))] == [w for _, w in named]
    assert set(want.values()) == {True, False}
    expected = [want[g] for g in range(len(payoffs))]
    for batch in (gt.GameBatch(payoffs), gt.GameBatch(payoffs * np.pi)):
        for method in ("auto", "per_game"):
            sol = gt.solve_batch(batch, method=method)
            assert sol.degenerate.tolist() == expected, method
            assert [has_continuum(sol.equilibria(g)) for g in range(len(batch))] == expected, method


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_tied_float_games_through_the_compiled_kernel_match_the_exact_games(shape: tuple[int, ...]) -> None:
    """Integer games times pi (not small rationals: the compiled kernel's closed forms and homotopy run, and
    leave the tied support systems to the exact path) against the integer games themselves (exact path only):
    the same equilibria on every game with isolated equilibria, a continuum on the same games."""
    payoffs = _tied(shape, COUNT[shape])
    isolated, kernel = 0, 0
    for p in payoffs:
        fast = nplayer_support_enumeration(gt.NormalFormGame(p * np.pi))
        exact = nplayer_support_enumeration(gt.NormalFormGame(p))
        assert "compiled" not in exact.message
        kernel += "compiled" in fast.message  # the kernel certified some of its support systems
        assert fast.degenerate == exact.degenerate
        assert all(e.regret <= 1e-9 * np.pi * max(1.0, np.abs(p).max()) for e in fast)
        if not exact.degenerate and exact.complete and fast.complete:
            named_games.assert_same_profiles(fast, exact, atol=1e-7)
            isolated += 1
    assert isolated > 0 and kernel > 0


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_tied_games_with_isolated_equilibria_hold_every_enumpoly_equilibrium(shape: tuple[int, ...]) -> None:
    """Where ties leave only isolated equilibria enumpoly is reliable (its equilibria are regular points of the
    support systems it solves): each of its equilibria is one of ours, float (compiled) and exact alike. (On the
    first 3x3x3 game enumpoly lists nothing; ours lists its one mixed equilibrium, exact.)"""
    gbt = pytest.importorskip("pygambit")
    checked, peer_empty = 0, 0
    for p in _tied(shape, COUNT[shape]):
        exact = gt.solve(gt.NormalFormGame(p))
        if exact.degenerate or not exact.complete:
            continue
        fast = gt.solve(gt.NormalFormGame(p * np.pi))
        gg = gbt.Game.from_arrays(*p)
        theirs = gbt.nash.enumpoly_solve(gg).equilibria
        assert len(exact) > 0 and len(fast) == len(exact)
        peer_empty += len(theirs) == 0
        for q in theirs:
            profile = [np.array([float(q[s]) for s in pl.strategies]) for pl in gg.players]
            if gt.NormalFormGame(p).regret(profile) > 1e-6:
                continue  # enumpoly's own numerical noise
            assert named_games.contains_profile(exact, profile, atol=1e-6)
            assert named_games.contains_profile(fast, profile, atol=1e-6)
            checked += 1
    assert checked > 0 or (shape == (3, 3, 3) and peer_empty > 0)
