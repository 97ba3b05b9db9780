"""The one-game fast paths of issue 23 against the paths they shortcut: ``closed_form``'s members built from the
driver's payoffs and regrets, ``auto`` sending small general 3-player games to the n-player kernel instead of the
hub-and-spokes solver, the equilibrium pool's merge test, and the batch's coinciding-candidates check; on random
and tied games (no equilibrium or continuum lost, the same ``degenerate`` flag)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba  # noqa: F401  (loaded, as in any process that has run a compiled kernel: auto's n-player route)
import numpy as np
import pytest

import gametheory as gt
from gametheory.games.equilibrium import Equilibrium
from gametheory.solvers.auto import solve_reference
from gametheory.solvers.closed_form import closed_form
from gametheory.solvers.hub_spokes.solver import hub_spokes_solve
from gametheory.solvers.n_player import support_enumeration as nse_module
from gametheory.solvers.n_player._equilibrium_pool import EquilibriumPool
from gametheory.solvers.n_player.batch import _coinciding
from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration
from gametheory.solvers.routing import nplayer_first
from tests import _named_games as named_games

TOL = 1e-9


@pytest.mark.parametrize("shape", [(2, 2), (2, 2, 2)], ids=["2x2", "2x2x2"])
def test_closed_form_members_match_a_fresh_evaluation(shape: tuple[int, ...]) -> None:
    """Random, rescaled and rounded (tied) float games: each member's payoffs and regret are those
    :meth:`Equilibrium.from_profile` computes; the degenerate games keep the evaluated path (components)."""
    degenerate = 0
    for k in range(300):
        rng = np.random.default_rng([23, k, len(shape)])
        u = rng.standard_normal((len(shape), *shape)) * 10.0 ** float(rng.integers(-3, 4))
        if k % 3 == 0:
            u = np.round(u / np.abs(u).max(), 0) + 0.0  # payoffs in {-1, 0, 1}: ties, often a continuum
        game = gt.NormalFormGame(u)
        eqs = closed_form(game)
        degenerate += eqs.degenerate
        assert eqs.complete and len(eqs) >= 1
        for e in eqs:
            ref = Equilibrium.from_profile(game, e.profile, degenerate=e.degenerate, component=e.component)
            np.testing.assert_allclose(e.payoffs, ref.payoffs, rtol=0, atol=1e-12 * game.scale)
            assert abs(e.regret - ref.regret) <= 1e-12 * game.scale and e.regret <= TOL * game.scale
            assert (e.component is not None) == eqs.degenerate
        assert gt.solve(game).degenerate == eqs.degenerate
    assert degenerate > 0  # the continua reach the evaluated path


def _normal(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng([23, 1, *shape, seed]).standard_normal((len(shape), *shape))


def test_which_games_auto_gives_the_nplayer_kernel_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GAMETHEORY_INTERPRETED", raising=False)
    assert nplayer_first(gt.NormalFormGame(_normal((3, 3, 2), 0)))
    monkeypatch.setenv("GAMETHEORY_INTERPRETED", "1")  # no numba asked for: the interpreted hub-and-spokes kernel
    assert not nplayer_first(gt.NormalFormGame(_normal((3, 3, 2), 0)))
    monkeypatch.delenv("GAMETHEORY_INTERPRETED")
    assert nplayer_first(gt.NormalFormGame(_normal((2, 3, 2), 0)))
    assert not nplayer_first(gt.NormalFormGame(_normal((4, 3, 2), 0)))  # supports of 4: no closed form
    ints = np.random.default_rng(3).integers(-3, 4, (3, 3, 3, 2))
    assert not nplayer_first(gt.NormalFormGame(ints))  # exact
    assert not nplayer_first(gt.NormalFormGame(ints * np.pi))  # repeated payoffs: ties
    extended = gt.models.get("self_operated", variant="extended").game()
    assert not nplayer_first(extended) and gt.solve(extended).method == "auto(hub_spokes)"


def test_a_new_process_solves_its_first_small_game_without_loading_numba() -> None:
    """Before numba is loaded, a 3x3x2 game goes to the hub-and-spokes kernel (run interpreted), not to the
    compiled-only n-player kernel: a first call stays in milliseconds; once loaded, the n-player kernel."""
    code = ("import sys, numpy as np, gametheory as gt\n"
            "g = gt.NormalFormGame(np.random.default_rng(0).standard_normal((3, 3, 3, 2)))\n"
            "first = gt.solve(g)\n"
            "loaded = 'numba' in sys.modules\n"
            "import numba\n"
            "again = gt.solve(g)\n"
            "print(first.method, loaded, again.method, len(first) == len(again))\n")
    env = {k: v for k, v in os.environ.items() if k != "GAMETHEORY_INTERPRETED"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                         cwd=Path(__file__).resolve().parents[2], timeout=600)
    assert out.stdout.split() == ["auto(hub_spokes)", "False", "auto(nplayer_support_enumeration)", "True"]


@pytest.mark.parametrize("shape", [(3, 3, 2), (2, 3, 2), (3, 2, 3)], ids=["3x3x2", "2x3x2", "3x2x3"])
def test_small_three_player_games_agree_with_the_hub_and_spokes_solver(shape: tuple[int, ...]) -> None:
    for seed in range(6):
        game = gt.NormalFormGame(_normal(shape, seed))
        ours = gt.solve(game)
        assert ours.method == "auto(nplayer_support_enumeration)"
        assert ours.complete and not ours.degenerate and len(ours) % 2 == 1
        assert all(e.regret <= TOL * game.scale for e in ours)
        hub = hub_spokes_solve(game, TOL)
        if hub is not None:
            named_games.assert_same_profiles(ours, hub, atol=1e-7)


@pytest.mark.slow
def test_small_three_player_games_agree_with_the_per_profile_path(monkeypatch: pytest.MonkeyPatch) -> None:
    for seed in range(3):
        game = gt.NormalFormGame(_normal((3, 3, 2), 10 + seed))
        fast = gt.solve(game)
        monkeypatch.setattr(nse_module, "COMPILED_FLOATS", False)
        slow = nplayer_support_enumeration(game)
        monkeypatch.undo()
        named_games.assert_same_profiles(fast, slow, atol=1e-8)


def test_tied_three_player_games_keep_their_path_and_every_equilibrium() -> None:
    """Integer 3x3x2 games with ties, times pi (a float game, not small rationals) and as they are (exact): the tied
    float game is not sent to the n-player kernel first (repeated payoffs); its equilibria are the exact game's
    where isolated, with the same ``degenerate`` flag, and include every one of the reference path's."""
    flags = []
    for seed in range(4):
        ints = np.random.default_rng([23, 2, seed]).integers(-2, 3, (3, 3, 3, 2))
        game = gt.NormalFormGame(ints * np.pi)
        assert not nplayer_first(game)
        floats = gt.solve(game)
        exact = gt.solve(gt.NormalFormGame(ints))
        assert floats.degenerate == exact.degenerate
        flags.append(exact.degenerate)
        if not exact.degenerate:
            named_games.assert_same_profiles(floats, exact, atol=1e-7)
        for e in solve_reference(game, TOL):
            assert named_games.contains_profile(floats, e.profile, atol=1e-7)
    assert any(flags)


def test_pool_merges_candidates_within_1e7_entry_by_entry() -> None:
    game = gt.NormalFormGame(_normal((2, 2, 2, 2), 0))
    pool = EquilibriumPool(game, game, TOL)
    a = [np.array([0.3, 0.7]), np.array([0.5, 0.5]), np.array([1.0, 0.0]), np.array([0.2, 0.8])]
    for shift in (0.0, 5e-8, 2e-7):
        pool._keep(Equilibrium(profile=tuple(v + shift * np.array([1, -1]) for v in a), payoffs=np.zeros(4),
                               regret=0.0))
    assert len(pool.items) == 2  # the 5e-8 copy merged, the 2e-7 one kept
    assert Equilibrium(profile=tuple(a), payoffs=np.zeros(4), regret=0.0).allclose(pool.items[0])
    assert not pool.items[0].allclose(pool.items[1])


def test_coinciding_candidates_match_a_pairwise_check() -> None:
    rng = np.random.default_rng(23)
    for _ in range(20):
        n_games, size = 60, 300
        games = rng.integers(0, n_games, size)
        profiles = rng.integers(0, 2, (size, 4, 2)).astype(float)
        profiles[:, :2] = 0.0  # few distinct profiles: many coincide
        profiles += rng.choice([0.0, 5e-8, 3e-7], size)[:, None, None]
        profiles[:, 3, 1] = np.nan  # padding
        flat = np.nan_to_num(profiles.reshape(size, -1))
        want = np.zeros(n_games, dtype=bool)
        for a in range(size):
            for b in range(a):
                if games[a] == games[b] and np.abs(flat[a] - flat[b]).max() <= 1e-7:
                    want[games[a]] = True
        got = _coinciding(games, profiles, n_games)
        assert (got == want).all() and want.any() and not want.all()


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "seeds"), [((2, 2, 2, 2), range(2, 22)), ((3, 3, 3), range(2, 12))],
                         ids=["2x2x2x2", "3x3x3"])
def test_closed_form_kernel_agrees_with_the_per_profile_path_on_more_games(
        shape: tuple[int, ...], seeds: range, monkeypatch: pytest.MonkeyPatch) -> None:
    """The four-binary and three-ternary eliminations (polynomials in (t, s) built once per system) against the
    per-profile path, which solves no system by them."""
    for seed in seeds:
        game = gt.NormalFormGame(_normal(shape, seed))
        fast = nplayer_support_enumeration(game)
        monkeypatch.setattr(nse_module, "COMPILED_FLOATS", False)
        slow = nplayer_support_enumeration(game)
        monkeypatch.undo()
        assert fast.complete and not fast.degenerate
        named_games.assert_same_profiles(fast, slow, atol=1e-8)
