"""Properties of the 2-player solvers on random games, and agreement with independent implementations.

Random generic games (standard normal payoffs) are nondegenerate with probability 1; random small-integer games
are often degenerate. Peers: pygambit ``enummixed_solve`` (lrs-style vertex enumeration, exact) and nashpy,
compared only where nashpy is right (its support enumeration drops equilibria, see issue 3).
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers.two_player._bimatrix import positive_bimatrix
from gametheory.solvers.two_player.lemke_howson import lemke_howson
from gametheory.solvers.two_player.support_enumeration import support_enumeration
from gametheory.solvers.two_player.vertex_enumeration import polytope_vertices, vertex_enumeration
from tests import _named_games as named_games

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOL = 1e-9


@st.composite
def generic_games(draw, max_size=5):
    m = draw(st.integers(1, max_size))
    n = draw(st.integers(1, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    return gt.NormalFormGame(np.random.default_rng(seed).standard_normal((2, m, n)))


@st.composite
def integer_games(draw, max_size=4, values=3):
    m = draw(st.integers(2, max_size))
    n = draw(st.integers(2, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    return gt.NormalFormGame(np.random.default_rng(seed).integers(0, values, size=(2, m, n)).astype(float))


def _nondegenerate(game):
    """No vertex of either best-response polytope has more tight labels than its dimension (von Stengel 2007):
    the game's ``degenerate`` flag means a continuum (docs/degenerate.md), so ties are tested here directly."""
    _, A, B = positive_bimatrix(game, "test")
    m, n = A.shape
    _, tight_p, _ = polytope_vertices(B.T, tol=1e-9)
    _, tight_q, _ = polytope_vertices(A, tol=1e-9)
    return not ((tight_p.sum(axis=1) > m).any() or (tight_q.sum(axis=1) > n).any())


def _assert_certified(eqs, game):
    for e in eqs:
        for v in e.profile:
            assert np.all(v >= 0) and abs(v.sum() - 1) <= 1e-12
        assert e.regret <= TOL * game.scale
        assert game.regret(e.profile) <= TOL * game.scale  # recomputed independently of the solver


@SETTINGS
@given(generic_games())
def test_generic_games_every_solver_is_certified_and_they_agree(game):
    ve = vertex_enumeration(game)
    se = support_enumeration(game)
    lh = lemke_howson(game)
    for eqs in (ve, se, lh):
        _assert_certified(eqs, game)
    assert not ve.degenerate and not se.degenerate
    assert len(ve) % 2 == 1  # nondegenerate games have an odd number of equilibria (Lemke-Howson 1964)
    named_games.assert_same_profiles(se, ve)
    assert lh.success and 1 <= len(lh) <= len(ve)
    assert all(named_games.contains_profile(ve, e) for e in lh)


@SETTINGS
@given(integer_games())
def test_integer_games_extreme_equilibria_and_components(game):
    ve = vertex_enumeration(game)
    _assert_certified(ve, game)
    assert ve.complete and len(ve) >= 1
    se = support_enumeration(game)
    lh = lemke_howson(game)
    _assert_certified(se, game)
    _assert_certified(lh, game)
    # solutions of nonsingular support systems, and ends of Lemke-Howson paths, are extreme equilibria
    assert all(named_games.contains_profile(ve, e) for e in se)
    assert all(named_games.contains_profile(ve, e) for e in lh)
    if _nondegenerate(game):
        assert not ve.degenerate
        named_games.assert_same_profiles(se, ve)
        assert len(ve) % 2 == 1
    # two extreme equilibria that share one player's strategy span a segment of equilibria in one component
    for a in ve:
        for b in ve:
            for i in (0, 1):
                if np.allclose(a.profile[i], b.profile[i]) and not a.allclose(b):
                    mid = [(u + v) / 2 for u, v in zip(a.profile, b.profile, strict=True)]
                    assert game.regret(mid) <= TOL * game.scale
                    assert a.component == b.component and a.degenerate and b.degenerate


@settings(max_examples=15, deadline=None)
@given(integer_games(max_size=3, values=4))
def test_exact_solvers_agree_with_float_vertex_enumeration(game):
    exact_game = game.to_exact()
    ve_exact = vertex_enumeration(exact_game)
    ve_float = vertex_enumeration(game)
    assert ve_exact.exact and all(e.regret == 0 for e in ve_exact)
    named_games.assert_same_profiles(ve_exact, ve_float)
    assert [e.component for e in ve_exact] == [e.component for e in ve_float]
    se_exact = support_enumeration(exact_game)
    assert all(e.regret == 0 for e in se_exact)
    if not ve_float.degenerate:
        named_games.assert_same_profiles(se_exact, ve_float)


def _gambit_equilibria(game):
    gbt = pytest.importorskip("pygambit")
    A, B = (np.asarray(p, dtype=float) for p in game.payoffs)
    integral = np.all(np.round(A) == A) and np.all(np.round(B) == B)
    if integral:  # exact arithmetic in Gambit for integer games
        A, B = A.astype(int), B.astype(int)
    g = gbt.Game.from_arrays(A, B)
    result = gbt.nash.enummixed_solve(g, rational=bool(integral))
    profiles = [[[float(eq[s]) for s in player.strategies] for player in g.players] for eq in result.equilibria]
    unique = []  # pygambit 16.7 lists some extreme equilibria of degenerate games twice (one per basis)
    for p in profiles:
        if not named_games.contains_profile(unique, p, atol=1e-12):
            unique.append(p)
    return unique


@settings(max_examples=20, deadline=None)
@given(generic_games(max_size=6))
def test_agrees_with_pygambit_enummixed(game):
    theirs = _gambit_equilibria(game)
    named_games.assert_same_profiles(vertex_enumeration(game), theirs, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(integer_games())
def test_degenerate_integer_games_agree_with_pygambit_enummixed(game):
    """Every extreme equilibrium, degenerate games included: the same set as Gambit's lrs-style enumeration."""
    theirs = _gambit_equilibria(game)
    named_games.assert_same_profiles(vertex_enumeration(game), theirs, atol=1e-9)


def test_random_6x6_agrees_with_pygambit():
    case = named_games.get("random_6x6_seed_1006")
    named_games.assert_same_profiles(_gambit_equilibria(case.game), case.equilibria, atol=1e-6)


def _nashpy_game(game):
    nashpy = pytest.importorskip("nashpy")
    return nashpy.Game(*(np.asarray(p, dtype=float) for p in game.payoffs))


@settings(max_examples=20, deadline=None)
@given(generic_games(max_size=5))
def test_nashpy_answers_are_a_subset_of_ours(game):
    g = _nashpy_game(game)
    ours = vertex_enumeration(game)
    theirs = []
    for algorithm in (g.support_enumeration, g.vertex_enumeration):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                theirs += list(algorithm())
            except Exception:  # nashpy 0.0.43 / Qhull fail on some games (e.g. 1 x n): no answer to compare
                continue
    for x, y in theirs:
        if game.regret([x, y]) <= TOL:  # where nashpy is right, we have it too
            assert named_games.contains_profile(ours, (x, y))


def test_nashpy_misses_what_we_find_on_the_random_6x6():
    case = named_games.get("random_6x6_seed_1006")
    g = _nashpy_game(case.game)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(g.support_enumeration())
    assert len(theirs) < len(case.equilibria)
    assert all(named_games.contains_profile(case.equilibria, p) for p in theirs)
    missed = [k for k, p in enumerate(case.equilibria) if not named_games.contains_profile(theirs, p)]
    assert set(missed) >= set(case.known_missing["nashpy.support_enumeration"]) - {3}


@pytest.mark.slow
@pytest.mark.parametrize("n", [8, 10])
def test_larger_random_games_support_and_vertex_enumeration_agree(n):
    for seed in range(3):
        game = gt.NormalFormGame(np.random.default_rng([n, seed]).standard_normal((2, n, n)))
        ve = vertex_enumeration(game)
        _assert_certified(ve, game)
        named_games.assert_same_profiles(support_enumeration(game), ve)


@settings(max_examples=25, deadline=None)
@given(st.one_of(generic_games(max_size=6), integer_games(max_size=5)))
def test_auto_without_the_dominance_pass_finds_what_gambit_finds(game):
    """Small float games skip the dominance reduction in ``auto``: dominated strategies (frequent in these games)
    must still be left out, and every extreme equilibrium found, degenerate games included."""
    eqs = gt.solve(game)
    _assert_certified(eqs, game)
    named_games.assert_same_profiles(eqs, _gambit_equilibria(game), atol=1e-6)
    if min(game.shape) >= 2 and game.shape != (2, 2):
        assert eqs.method == "auto(vertex_enumeration)"
        assert eqs.parameters["kept"] == tuple(tuple(range(s)) for s in game.shape)


@pytest.mark.parametrize(("method", "solver", "message"), [("lemke_howson", lemke_howson, "2-player games only"),
                                                           ("vertex_enumeration", vertex_enumeration, "3-player")])
def test_three_players_is_a_solver_error(method, solver, message):
    three = named_games.get("anti_coordination_3_players").game
    with pytest.raises(SolverError, match="3-player"):
        gt.solve(three, method=method)
    with pytest.raises(SolverError, match=message):
        solver(three)
