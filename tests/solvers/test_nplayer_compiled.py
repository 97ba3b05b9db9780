"""The compiled n-player paths (issue 23): the support kernel of float games against the per-profile path and
pygambit's ``enumpoly``, on generic and tied games; the batch kernel against ``gt.solve`` game by game."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers import batch_path, candidates
from gametheory.solvers.n_player import _support_kernel as kernel
from gametheory.solvers.n_player import support_enumeration as nse_module
from gametheory.solvers.n_player.support_enumeration import compiled_path_applies, nplayer_support_enumeration
from tests import _named_games as named_games

TOL = 1e-9
SHAPES = [(3, 3, 2), (2, 2, 3), (2, 2, 2, 2)]


def _normal(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng([23, *shape, seed]).standard_normal((len(shape), *shape))


@pytest.mark.parametrize("shape", [*SHAPES, (3, 3, 3)], ids=lambda s: "x".join(map(str, s)))
def test_compiled_path_agrees_with_the_per_profile_path(shape: tuple[int, ...], monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    for seed in range(2):
        game = gt.NormalFormGame(_normal(shape, seed))
        assert compiled_path_applies(game)
        fast = nplayer_support_enumeration(game)
        monkeypatch.setattr(nse_module, "COMPILED_FLOATS", False)
        slow = nplayer_support_enumeration(game)
        monkeypatch.undo()
        assert fast.complete and not fast.degenerate
        assert "certified homotopy" in fast.message
        assert len(fast) % 2 == 1  # generic games have an odd number of equilibria (Wilson 1971)
        assert all(e.regret <= TOL * game.scale for e in fast)
        named_games.assert_same_profiles(fast, slow, atol=1e-8)


@pytest.mark.parametrize("shape", [*SHAPES, (3, 3, 3)], ids=lambda s: "x".join(map(str, s)))
def test_every_equilibrium_enumpoly_finds_is_found(shape: tuple[int, ...]) -> None:
    gbt = pytest.importorskip("pygambit")
    for seed in range(2 if shape == (3, 3, 3) else 4):
        payoffs = _normal(shape, 10 + seed)
        game = gt.NormalFormGame(payoffs)
        ours = gt.solve(game)
        assert ours.complete and all(e.regret <= TOL * game.scale for e in ours)
        gg = gbt.Game.from_arrays(*payoffs)
        for p in gbt.nash.enumpoly_solve(gg).equilibria:
            profile = [np.array([float(p[s]) for s in pl.strategies]) for pl in gg.players]
            assert named_games.contains_profile(ours, profile, atol=1e-6) or game.regret(profile) > 1e-6


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_kernel_never_certifies_a_tied_support_system_it_misses(shape: tuple[int, ...]) -> None:
    """Integer payoffs in [-2, 2] (most games tied) times pi, so the float game is not a small rational: every
    mixed equilibrium of the exact integer game lies on a profile the kernel solved with that equilibrium among
    its answers, or on one it left to the per-profile path."""
    profiles = kernel.profile_table(shape)[3]
    index = {p: k for k, p in enumerate(profiles)}
    left = 0
    for seed in range(4):
        ints = np.random.default_rng([7, *shape, seed]).integers(-2, 3, size=(len(shape), *shape))
        u = (ints * np.pi).reshape(len(shape), -1)
        status, where, found = kernel.solve_profiles(u, np.array(shape), kernel.kernel_tables(shape),
                                                     1e-9 * np.pi * 2)
        left += int(np.count_nonzero(status == kernel.FALLBACK))
        for eq in nplayer_support_enumeration(gt.NormalFormGame(ints)):
            if eq.is_pure:
                continue
            k = index[eq.support]
            listed = [[f[j, :s] for j, s in enumerate(shape)] for f in found[where == k]]
            assert status[k] == kernel.FALLBACK or (
                status[k] == kernel.SOLVED and named_games.contains_profile(listed, eq.profile, atol=1e-7))
    assert left > 0  # the ties do reach the per-profile path


def test_tied_float_game_through_solve_matches_the_exact_game() -> None:
    ints = np.random.default_rng([7, 2, 2, 2, 2, 1]).integers(-2, 3, size=(4, 2, 2, 2, 2))
    fast = gt.solve(gt.NormalFormGame(ints * np.pi))
    exact = gt.solve(gt.NormalFormGame(ints))
    named_games.assert_same_profiles(fast, exact, atol=1e-7)


@pytest.mark.parametrize(("shape", "count"), [((2, 2, 2, 2), 30), ((3, 3, 3), 4), ((2, 2, 3), 20)],
                         ids=["2x2x2x2", "3x3x3", "2x2x3"])
def test_batch_kernel_agrees_with_solve_game_by_game(shape: tuple[int, ...], count: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidates, "FALLBACK_SECONDS", 600.0)  # the tied game's fallback finishes on a busy machine
    payoffs = np.random.default_rng([5, *shape]).standard_normal((count, len(shape), *shape))
    payoffs[0] = np.round(payoffs[0])  # a tied game: solved per game
    batch = gt.GameBatch(payoffs)
    assert batch_path(shape) == "n_player"
    sol = gt.solve_batch(batch)
    assert sol.method == "nplayer_support_enumeration"
    assert bool(sol.fallback[0]) and not sol.fallback[1:].all()
    for g in range(count):
        ref = gt.solve(batch[g])
        named_games.assert_same_profiles(sol.equilibria(g), ref, atol=1e-7)
        assert sol.complete[g] == ref.complete
    scale = np.abs(payoffs.reshape(count, -1)).max(axis=1)
    assert (sol.regrets[sol.valid] <= TOL * np.repeat(scale, sol.counts)).all()


def test_batch_threads_give_the_answers_of_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch split between threads (the kernel releases the GIL) gives exactly one call's answers, tied games
    (a fallback among them) included."""
    from gametheory.solvers.n_player import batch as nplayer

    monkeypatch.setattr(candidates, "FALLBACK_SECONDS", 600.0)  # a fallback's completeness must not hang on time
    payoffs = np.random.default_rng(23).standard_normal((90, 4, 2, 2, 2, 2))
    payoffs[::30] = np.round(payoffs[::30])
    batch = gt.GameBatch(payoffs)
    monkeypatch.setenv("GAMETHEORY_THREADS", "1")
    one = nplayer.nplayer_batch(batch)
    monkeypatch.setenv("GAMETHEORY_THREADS", "3")
    monkeypatch.setattr(nplayer, "THREAD_GAMES", 7)
    split = nplayer.nplayer_batch(batch)
    assert one.fallback.any() and not one.fallback.all()
    for name in ("profiles", "regrets", "counts", "complete", "degenerate", "fallback"):
        assert np.array_equal(getattr(one, name), getattr(split, name), equal_nan=name in ("profiles", "regrets"))


def test_batch_paths_by_shape() -> None:
    assert batch_path((3, 3, 3)) == batch_path((2, 2, 2, 2)) == "n_player"
    assert batch_path((3, 3, 2)) == batch_path((3, 4, 2, 2)) == "hub_spokes"  # the hub-and-spokes kernel's
    assert batch_path((2, 2, 2)) == "closed_form"
    assert batch_path((7, 7, 7)) == "per_game"  # too many support profiles

