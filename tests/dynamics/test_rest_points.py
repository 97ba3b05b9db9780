"""Rest points: every face, exact for 2x2x2, zero field, Nash status against gt.solve."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.dynamics.stationary import _faces
from tests.dynamics._games import COORDINATION, HAND_2X2X2, PENNIES, random_game


def _field_size(game, point):
    return float(np.abs(gt.dynamics.replicator_field(game, point.state)).max())


def test_pennies_has_four_corners_and_the_centre():
    points = gt.dynamics.rest_points(PENNIES)
    assert len(points) == 5 and points.complete and not points.continuum
    assert [p.nash for p in points] == [False] * 4 + [True]
    np.testing.assert_allclose(np.stack(points[4].profile), [[0.5, 0.5], [0.5, 0.5]], atol=1e-15)


def test_coordination_interior_is_exact_for_rational_games():
    points = gt.dynamics.rest_points(COORDINATION.to_exact())
    assert len(points) == 5 and points.exact
    assert points[-1].exact == ((sympy.Rational(1, 3), sympy.Rational(2, 3)),) * 2


def test_exact_2x2x2_with_irrational_interior_points():
    game = gt.NormalFormGame(np.random.default_rng(11).integers(-5, 6, size=(3, 2, 2, 2)))
    exact = gt.dynamics.rest_points(game.to_exact())
    numeric = gt.dynamics.rest_points(game)
    assert len(exact) == len(numeric)
    assert any(any(not x.is_Rational for v in p.exact for x in v) for p in exact)  # a square root appears
    for a in exact:
        assert sum(b.state.size and np.allclose(a.state, b.state, atol=1e-12) for b in numeric) == 1
        for v in a.exact:
            assert sympy.simplify(sum(v)) == 1
    # the exact interior points make every mixing population exactly indifferent
    u = sympy.Array([sympy.Integer(int(v)) for v in game.payoffs.astype(int).ravel()], game.payoffs.shape)
    for a in exact:
        shares = [v[0] for v in a.exact]
        for i in range(3):
            if 0 < float(shares[i]) < 1:
                gain = 0
                for prof in itertools.product((0, 1), repeat=3):
                    if prof[i] == 0:
                        w = 1
                        for j in range(3):
                            if j != i:
                                w *= shares[j] if prof[j] == 0 else 1 - shares[j]
                        alt = list(prof)
                        alt[i] = 1
                        gain += w * (u[(i, *prof)] - u[(i, *alt)])
                assert sympy.simplify(sympy.expand(gain)) == 0


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("n", [2, 3])
def test_closed_form_matches_the_face_by_face_path(n, seed):
    game = random_game((2,) * n, seed)
    closed = gt.dynamics.rest_points(game)
    general = _faces(game, gt.DEFAULT_TOL)
    assert closed.method == "closed_form" and general.method == "faces"
    assert len(closed) == len(general)
    for a in closed:
        assert sum(np.allclose(a.state, b.state, atol=1e-9) for b in general) == 1


@pytest.mark.parametrize(
    "shape", [(2, 2), (3, 3), (2, 4), (2, 2, 2), (3, 2, 2), (2, 3, 3)], ids=lambda s: "x".join(map(str, s))
)
@pytest.mark.parametrize("seed", range(5))
def test_field_vanishes_and_nash_points_are_the_equilibria(shape, seed):
    needs_nplayer = len(shape) > 2 and shape != (2, 2, 2)
    if needs_nplayer:  # faces where 3 populations mix 3+ strategies go through gt.solve's n-player path
        pytest.importorskip("gametheory.solvers.n_player.support_enumeration")
    game = random_game(shape, 100 + seed)
    points = gt.dynamics.rest_points(game)
    assert points.complete and not points.continuum
    assert len(points) >= np.prod(shape)  # every corner
    for p in points:
        assert _field_size(game, p) <= 1e-12
        assert p.nash == (game.regret(p.profile) <= gt.DEFAULT_TOL * game.scale)
    nash = [p for p in points if p.nash]
    try:
        eqs = gt.solve(game)
    except ModuleNotFoundError as exc:  # gt.solve's n-player path is not in the tree yet
        pytest.skip(f"gt.solve cannot solve this game yet: {exc}")
    assert len(nash) == len(eqs)
    for eq in eqs:
        assert sum(np.allclose(np.concatenate(eq.profile), p.state, atol=1e-7) for p in nash) == 1


def test_every_corner_is_listed_first():
    points = gt.dynamics.rest_points(HAND_2X2X2)
    corners = [tuple(int(np.argmax(v)) for v in p.profile) for p in points if p.is_pure]
    assert corners == list(itertools.product((0, 1), repeat=3))


def test_degenerate_game_reports_a_continuum():
    # player 2 is indifferent everywhere: every edge where only player 2 mixes is a line of rest points
    game = gt.NormalFormGame([[[1, 0], [0, 1]], [[0, 0], [0, 0]]])
    points = gt.dynamics.rest_points(game)
    assert points.continuum and "continuum" in points.message
    for p in points:
        assert _field_size(game, p) <= 1e-12


def test_rest_points_accept_fractions():
    game = gt.NormalFormGame([[[Fraction(1, 2), 0], [0, 1]], [[1, 0], [0, Fraction(1, 3)]]])
    points = gt.dynamics.rest_points(game)
    assert points.exact
    assert points[-1].exact == ((sympy.Rational(1, 4), sympy.Rational(3, 4)), (sympy.Rational(2, 3),
                                                                                sympy.Rational(1, 3)))


@pytest.mark.parametrize("n", [2, 3])
def test_float_closed_form_agrees_with_exact_sympy_on_degenerate_integer_games(n):
    # small integer payoffs tie often: continua, free shares, spurious roots of the eliminated quadratic
    for seed in range(60 if n == 3 else 100):
        game = gt.NormalFormGame(np.random.default_rng(seed).integers(-2, 3, size=(n, *(2,) * n)))
        exact = gt.dynamics.rest_points(game.to_exact())
        numeric = gt.dynamics.rest_points(game)
        assert exact.continuum == numeric.continuum, seed
        assert sorted(tuple(np.round(p.state, 9)) for p in exact) == sorted(
            tuple(np.round(p.state, 9)) for p in numeric
        ), seed
