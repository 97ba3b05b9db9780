"""The fused small-game path of ``gt.solve`` (``solvers/two_player/small.py``) against the reference path.

``gt.solve(game, max_seconds=...)`` takes the reference path (unit game, vertex enumeration, Python checks and
sort); the default call takes the fused kernel when it applies. Both must give the same answer member for member,
bit for bit, on random, integer (tied) and badly scaled games; the fused path must actually be taken on generic
games and hand degenerate ones back.
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.two_player.small import solve_small


def _same(a: gt.Equilibria, b: gt.Equilibria) -> bool:
    head = (len(a), a.method, a.complete, a.degenerate, a.exact, a.success, a.tol, a.parameters)
    if head != (len(b), b.method, b.complete, b.degenerate, b.exact, b.success, b.tol, b.parameters):
        return False
    return all(
        all(np.array_equal(x, y) for x, y in zip(e.profile, f.profile, strict=True))
        and np.array_equal(e.payoffs, f.payoffs) and e.regret == f.regret and e.degenerate == f.degenerate
        and e.component == f.component
        for e, f in zip(a, b, strict=True)
    )


def _game(seed: int) -> gt.NormalFormGame:
    rng = np.random.default_rng(seed)
    m, n = (int(s) for s in rng.integers(2, 10, size=2))
    kind = seed % 3
    if kind == 0:  # generic, in any unit
        payoffs = rng.standard_normal((2, m, n)) * 10.0 ** rng.uniform(-8, 8)
    elif kind == 1:  # small integers: ties, degenerate polytopes, continua
        payoffs = rng.integers(-3, 4, (2, m, n)).astype(float)
    else:
        payoffs = rng.integers(-100, 100, (2, m, n)).astype(float)
    return gt.NormalFormGame(payoffs)


@pytest.mark.parametrize("block", range(4))
def test_fused_path_is_the_reference_path(block: int) -> None:
    taken = 0
    for seed in range(block * 100, block * 100 + 100):
        game = _game(seed)
        fused = gt.solve(game)
        assert _same(fused, gt.solve(game, max_seconds=600.0)), seed
        taken += solve_small(game, 1e-9) is not None
    assert taken >= 40  # the generic games (a third of them, and most integer ones in [-100, 100]) take it


def test_every_answer_is_an_equilibrium_and_complete() -> None:
    """Cross-check with the breadth-first search (no kernel: ``max_vertices``) on random games."""
    from gametheory.solvers.two_player.vertex_enumeration import vertex_enumeration

    for seed in range(30):
        game = gt.NormalFormGame(np.random.default_rng([seed, 1]).standard_normal((2, 5, 6)))
        fused = gt.solve(game)
        search = vertex_enumeration(game, max_vertices=10**6)
        assert len(fused) == len(search)
        for e in fused:
            assert game.regret(e.profile) <= 1e-9 * game.scale
            assert any(all(np.allclose(x, y, atol=1e-9) for x, y in zip(e.profile, f.profile, strict=True))
                       for f in search)


def test_degenerate_and_out_of_scope_games_take_the_reference_path() -> None:
    segment = gt.NormalFormGame(np.array([[[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]], dtype=float))
    assert solve_small(segment, 1e-9) is None  # a degenerate polytope
    eqs = gt.solve(segment)
    assert eqs.degenerate and [e.component for e in eqs] == [0, 0, 1]
    assert solve_small(gt.NormalFormGame(np.zeros((2, 2, 2))), 1e-9) is None  # 2x2: closed form
    assert solve_small(gt.NormalFormGame([[[1, 0, 2], [0, 1, 1]], [[1, 0, 2], [0, 1, 1]]]), 1e-9) is None  # exact
    assert solve_small(gt.NormalFormGame(np.ones((3, 2, 2, 2))), 1e-9) is None  # 3 players
