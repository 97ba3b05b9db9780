"""n-player support enumeration: known answers, exact algebraic solutions, degenerate games, random generic
games against an exact high-precision check and pygambit's ``enumpoly_solve`` (where installed)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.solvers.n_player import support_enumeration as nse_module
from gametheory.solvers.n_player.support_enumeration import AlgebraicEquilibrium, nplayer_support_enumeration
from tests import _named_games as named_games

TOL = 1e-9


def _jordan_game() -> gt.NormalFormGame:
    """Jordan (1993)'s 3-player matching pennies: 1 matches 2, 2 matches 3, 3 mismatches 1. Its unique
    equilibrium is fully mixed, every player at (1/2, 1/2)."""
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for a in itertools.product(range(2), repeat=3):
        u[(0, *a)] = 1 if a[0] == a[1] else -1
        u[(1, *a)] = 1 if a[1] == a[2] else -1
        u[(2, *a)] = 1 if a[2] != a[0] else -1
    return gt.NormalFormGame(u)


def _exact(game: gt.NormalFormGame) -> gt.NormalFormGame:
    return game.to_exact()


@dataclass(frozen=True)
class Case:
    id: str
    game: gt.NormalFormGame
    equilibria: tuple[tuple[tuple[float, ...], ...], ...]


CASES = [
    Case(g.id, g.game, g.equilibria) for g in named_games.n_player_games()
] + [
    Case("jordan_1993_3_player_pennies", _jordan_game(), (((0.5, 0.5), (0.5, 0.5), (0.5, 0.5)),)),
]


def _high_precision_regret(game: gt.NormalFormGame, algebraic: tuple[tuple[sp.Expr, ...], ...]) -> mpmath.mpf:
    """Regret of an exact algebraic profile, evaluated with 60 digits: an exact check up to 1e-50."""
    with mpmath.workdps(60):
        sigma = [[mpmath.mpf(str(sp.N(x, 65))) for x in v] for v in algebraic]
        pay = game.to_exact().payoffs
        worst = mpmath.mpf(0)
        for i in range(game.n_players):
            dev = [mpmath.mpf(0)] * game.shape[i]
            for a in itertools.product(*[range(s) for s in game.shape]):
                w = mpmath.mpf(pay[(i, *a)].numerator) / pay[(i, *a)].denominator
                for j in range(game.n_players):
                    if j != i:
                        w *= sigma[j][a[j]]
                dev[a[i]] += w
            own = mpmath.fsum(d * p for d, p in zip(dev, sigma[i], strict=True))
            worst = max(worst, max(dev) - own)
        return worst


# ---------------------------------------------------------------------- known answers
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_known_games(case: Case) -> None:
    eqs = nplayer_support_enumeration(case.game)
    assert len(eqs) == len(case.equilibria)
    assert all(e.regret <= TOL * case.game.scale for e in eqs)
    named_games.assert_same_profiles(eqs, case.equilibria, atol=1e-9)
    assert eqs.complete and not eqs.degenerate
    assert eqs.method == "nplayer_support_enumeration"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_known_games_exact_path(case: Case) -> None:
    eqs = nplayer_support_enumeration(_exact(case.game))
    assert len(eqs) == len(case.equilibria)
    assert eqs.exact and eqs.complete
    named_games.assert_same_profiles(eqs, case.equilibria, atol=1e-9)
    for e in eqs:
        assert isinstance(e, AlgebraicEquilibrium)
        assert _high_precision_regret(case.game, e.algebraic) < 1e-50
        if e.exact is not None:  # rational profiles are checked in rationals
            assert e.regret == 0


def test_anti_coordination_symmetric_equilibrium_is_one_over_sqrt2() -> None:
    eqs = nplayer_support_enumeration(named_games.get("anti_coordination_3_players").game)
    assert len(eqs) == 7
    (mixed,) = [e for e in eqs if all(len(s) == 2 for s in e.support)]
    half = sp.sqrt(2) / 2
    assert mixed.algebraic == ((half, 1 - half),) * 3
    rational = [e for e in eqs if e is not mixed]
    assert all(all(x.is_Rational for v in e.algebraic for x in v) for e in rational)


def test_issue_game_missed_by_enumpoly() -> None:
    case = named_games.get("issue_2x2x2_enumpoly_miss")
    eqs = nplayer_support_enumeration(_exact(case.game))
    assert len(eqs) == 1
    assert eqs[0].regret <= TOL
    np.testing.assert_allclose([v[0] for v in eqs[0].profile], [0.2559, 0.5941, 0.8405], atol=1e-4)
    assert sp.sqrt(19296673) in eqs[0].algebraic[0][0].atoms(sp.Pow)  # exact: a quadratic irrationality
    assert _high_precision_regret(case.game, eqs[0].algebraic) < 1e-50


@pytest.mark.parametrize(
    ("shape", "seed", "count"),
    [((3, 3, 2), 11, None), ((2, 2, 3), 12, None), ((3, 2, 2), 13, None), ((2, 2, 2, 2), 14, None)],
    ids=["3x3x2", "2x2x3", "3x2x2", "2x2x2x2"],
)
def test_larger_games_exact_and_float_agree(shape: tuple[int, ...], seed: int, count: int | None) -> None:
    payoffs = np.random.default_rng(seed).integers(-9, 10, size=(len(shape), *shape))
    game = gt.NormalFormGame(payoffs)
    exact = nplayer_support_enumeration(_exact(game))
    floats = nplayer_support_enumeration(game)
    assert exact.complete and floats.complete
    assert len(exact) % 2 == 1  # generic games have an odd number of equilibria (Wilson 1971)
    assert all(e.regret <= TOL * game.scale for e in floats)
    assert all(_high_precision_regret(game, e.algebraic) < 1e-50 for e in exact)
    named_games.assert_same_profiles(floats, exact, atol=1e-9)


def test_3x3x2_known_count() -> None:
    """A seeded 3x3x2 normal game: five equilibria, three with every player mixing, one with supports of
    sizes (2, 3, 2) (a regression value of this solver, cross-checked with pygambit where installed)."""
    payoffs = np.random.default_rng(3).normal(size=(3, 3, 3, 2))
    game = gt.NormalFormGame(payoffs)
    eqs = nplayer_support_enumeration(game)
    assert eqs.complete
    assert len(eqs) == 5
    assert all(e.regret <= TOL * game.scale for e in eqs)
    sizes = sorted(tuple(len(s) for s in e.support) for e in eqs)
    assert sizes == [(2, 1, 2), (2, 2, 1), (2, 2, 2), (2, 2, 2), (2, 3, 2)]
    try:
        theirs = _gambit_equilibria(payoffs)
    except pytest.skip.Exception:
        return
    assert all(named_games.contains_profile(eqs, profile) for profile in theirs)


TWO_PLAYER = [g for g in named_games.two_player_games() if g.id != "random_6x6_seed_1006"]


@pytest.mark.parametrize("case", TWO_PLAYER, ids=lambda c: c.id)
def test_two_player_known_games_including_degenerate(case: named_games.KnownGame) -> None:
    """Any number of players works: the 2-player known games, degenerate ones with their components."""
    eqs = nplayer_support_enumeration(case.game)
    assert len(eqs) == len(case.equilibria)
    assert all(e.regret <= TOL * case.game.scale for e in eqs)
    named_games.assert_same_profiles(eqs, case.equilibria, atol=1e-9)
    if case.components is not None:
        order = [next(k for k, p in enumerate(case.equilibria) if named_games.contains_profile([e], p)) for e in eqs]
        assert named_games.same_partition([e.component for e in eqs], [case.components[k] for k in order])
        assert eqs.degenerate


def test_polynomial_systems_shape_position_and_continua() -> None:
    from gametheory.solvers.n_player._polynomial_systems import solve_system

    ring, x, y = sp.ring("x,y", sp.QQ, sp.lex)
    sol = solve_system([x**2 - 2, y**2 - 1], ring, 2)  # not in shape position: a change of coordinates
    assert sol.status == "finite"
    assert sorted(sol.points, key=str) == sorted(
        [(s * sp.sqrt(2), t) for s in (-1, 1) for t in (-1, 1)], key=str)
    assert solve_system([x * y - 1], ring, 2).status == "continuum"
    assert solve_system([x - 1, x - 2], ring, 2).status == "empty"
    numeric = solve_system([x**2 - 2, y - x], ring, 2, symbolic=False)
    assert numeric.points == [None, None]
    assert [float(v[0]) for v in numeric.values] == pytest.approx([-2**0.5, 2**0.5], abs=1e-15)


# ---------------------------------------------------------------------- numeric path
def test_numeric_path_agrees_with_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(21)
    for shape in [(2, 2, 2), (3, 2, 2), (3, 3, 2)]:
        game = gt.NormalFormGame(rng.normal(size=(3, *shape)))
        exact = nplayer_support_enumeration(game)
        monkeypatch.setattr(nse_module, "FLOAT_EXACT_MAX_VARS", 0)
        monkeypatch.setattr(nse_module, "COMPILED_FLOATS", False)  # the per-profile numeric path
        numeric = nplayer_support_enumeration(game)
        monkeypatch.undo()
        assert exact.complete and not numeric.complete
        assert all(e.regret <= TOL * game.scale for e in numeric)
        named_games.assert_same_profiles(numeric, exact, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_homotopy_finds_every_real_root_of_a_support_system(seed: int) -> None:
    """All real roots (feasible or not) of the full-support system of a 3x3x2 game: homotopy vs exact."""
    from gametheory.solvers.n_player._homotopy import homotopy_roots
    from gametheory.solvers.n_player._polynomial_systems import solve_system
    from gametheory.solvers.n_player._support_systems import SupportSystem, integer_payoffs

    payoffs = np.random.default_rng([31, seed]).integers(-20, 21, size=(3, 3, 3, 2))
    exact_payoffs = gt.NormalFormGame(payoffs).to_exact().payoffs
    supports = ((0, 1, 2), (0, 1, 2), (0, 1))
    system = SupportSystem(exact_payoffs, supports, integer_payoffs(exact_payoffs))
    ring, gens = system.ring()
    solution = solve_system(system.exact_equations(ring, gens)[0], ring, system.n_vars, symbolic=False)
    result = homotopy_roots(SupportSystem(payoffs.astype(float), supports), seed=seed)
    assert result is not None and result.failed == 0
    assert result.n_paths == 4  # McKelvey-McLennan bound for 3x3x2
    real = result.ends[np.max(np.abs(result.ends.imag), axis=1) < 1e-8].real
    assert len(real) == len(solution.values)
    for values in solution.values:
        assert np.min(np.max(np.abs(real - np.array([float(v) for v in values])), axis=1)) < 1e-8


def test_numeric_path_on_four_players_agrees_with_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2x2x2x2 game: the full-support system (trilinear, 9 homotopy paths) solved both ways."""
    game = gt.NormalFormGame(np.random.default_rng(41).integers(-30, 31, size=(4, 2, 2, 2, 2)).astype(float))
    exact = nplayer_support_enumeration(game)
    monkeypatch.setattr(nse_module, "EXACT_MAX_VARS", 0)
    numeric = nplayer_support_enumeration(game)
    assert exact.complete and not numeric.complete
    assert len(exact) % 2 == 1
    assert all(e.regret <= TOL * game.scale for e in numeric)
    named_games.assert_same_profiles(numeric, exact, atol=1e-8)


# ---------------------------------------------------------------------- degenerate games
def test_all_payoffs_equal_is_one_continuum_of_all_pure_profiles() -> None:
    eqs = nplayer_support_enumeration(gt.NormalFormGame(np.zeros((3, 2, 2, 2))))
    assert eqs.degenerate
    assert len(eqs) == 8
    assert all(e.degenerate and e.is_pure and e.component == 0 for e in eqs)


def test_dummy_player_continuum_reports_end_points() -> None:
    """Player 3 is indifferent everywhere; players 1 and 2 play a 2x2 game that depends on player 3's mix."""
    u = np.zeros((3, 2, 2, 2))
    u[0] = [[[2, 0], [0, 1]], [[0, 1], [2, 0]]]  # player 1's best reply flips with player 3's mix
    u[1] = [[[1, 1], [0, 0]], [[0, 0], [1, 1]]]  # player 2 matches player 1
    eqs = nplayer_support_enumeration(gt.NormalFormGame(u))
    assert eqs.degenerate
    assert all(e.degenerate and e.regret <= TOL for e in eqs)
    assert all(e.component is not None for e in eqs)
    # (1,0),(1,0) is an equilibrium iff player 3's weight on s1 is >= 1/3: the segment's end points are listed
    assert named_games.contains_profile(eqs, ((1, 0), (1, 0), (1, 0)))
    assert named_games.contains_profile(eqs, ((1, 0), (1, 0), (1 / 3, 2 / 3)))
    assert not named_games.contains_profile(eqs, ((1, 0), (1, 0), (2 / 3, 1 / 3)))


# ---------------------------------------------------------------------- random games and pygambit
def _gambit_equilibria(payoffs: np.ndarray) -> list[list[np.ndarray]]:
    gbt = pytest.importorskip("pygambit")
    game = gbt.Game.from_arrays(*[np.asarray(u, dtype=float) for u in payoffs])
    result = gbt.nash.enumpoly_solve(game)
    return [[np.array([float(p[s]) for s in pl.strategies]) for pl in game.players] for p in result.equilibria]


def _check_against_gambit(payoffs: np.ndarray) -> None:
    game = gt.NormalFormGame(payoffs)
    eqs = nplayer_support_enumeration(game)
    exact = nplayer_support_enumeration(game.to_exact())
    assert eqs.complete and exact.complete
    assert all(e.regret <= TOL * game.scale for e in eqs)
    if exact.degenerate:
        return
    named_games.assert_same_profiles(eqs, exact, atol=1e-9)
    for e in exact:  # the exact check decides every equilibrium, including those pygambit misses
        assert _high_precision_regret(game, e.algebraic) < 1e-50
    theirs = _gambit_equilibria(payoffs)
    for profile in theirs:  # where pygambit lists a profile we lack, it must not be an equilibrium
        assert named_games.contains_profile(eqs, profile, atol=1e-6) or game.regret(profile) > 1e-6 * game.scale


def test_enumpoly_false_positive_is_not_an_equilibrium() -> None:
    """On this 3x3x2 game pygambit 16.7's enumpoly also lists ((0, .4624, .5376), (0, .2639, .7361),
    (.2229, .7771)): the only real root of that support system, at which player 1's first strategy earns
    2.6e-4 more than its support. The exact path rejects it; the three equilibria are certified."""
    payoffs = np.random.default_rng([77, 27]).standard_normal((3, 3, 3, 2))
    game = gt.NormalFormGame(payoffs)
    eqs = nplayer_support_enumeration(game)
    assert eqs.complete
    assert len(eqs) == 3
    assert all(e.regret <= TOL * game.scale for e in eqs)
    near = ((0, 0.462427, 0.537573), (0, 0.263865, 0.736135), (0.222897, 0.777103))
    assert not named_games.contains_profile(eqs, near, atol=1e-4)
    assert game.regret(near) == pytest.approx(2.575e-4, abs=2e-6)
    try:
        theirs = _gambit_equilibria(payoffs)
    except pytest.skip.Exception:
        return
    assert all(named_games.contains_profile(eqs, p) or game.regret(p) > 1e-6 for p in theirs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 2, 2), (3, 2, 2)]))
def test_random_generic_games_property(seed: int, shape: tuple[int, ...]) -> None:
    payoffs = np.random.default_rng(seed).integers(-99, 100, size=(3, *shape))
    game = gt.NormalFormGame(payoffs)
    eqs = nplayer_support_enumeration(game)
    assert eqs.complete
    assert len(eqs) >= 1
    for e in eqs:
        assert e.regret <= TOL * game.scale
        assert all(np.all(v >= -TOL) and abs(v.sum() - 1) <= TOL for v in e.profile)


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2)], ids=["2x2x2", "3x2x2"])
def test_random_games_agree_with_pygambit(shape: tuple[int, ...]) -> None:
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(2024)
    for _ in range(12):
        _check_against_gambit(rng.integers(-60, 61, size=(3, *shape)))


@pytest.mark.slow
@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2), (3, 3, 2)], ids=["2x2x2", "3x2x2", "3x3x2"])
def test_many_random_games_agree_with_pygambit(shape: tuple[int, ...]) -> None:
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(77)
    for _ in range(60 if shape == (2, 2, 2) else 20):
        _check_against_gambit(rng.integers(-60, 61, size=(3, *shape)))


@pytest.mark.slow
def test_3x3x3_float_game_regrets_and_gambit() -> None:
    payoffs = np.random.default_rng(5).normal(size=(3, 3, 3, 3))
    eqs = nplayer_support_enumeration(gt.NormalFormGame(payoffs))
    assert len(eqs) % 2 == 1
    assert all(e.regret <= TOL * 3 for e in eqs)
    for profile in _gambit_equilibria(payoffs):
        assert named_games.contains_profile(eqs, profile, atol=1e-6)


# ---------------------------------------------------------------------- dispatch and validation
def test_reached_through_solve() -> None:
    game = named_games.get("anti_coordination_3_players").game
    eqs = gt.solve(game, method="support_enumeration")
    assert len(eqs) == 7
    assert all(e.regret <= TOL for e in eqs)


def test_rational_equilibria_of_exact_games_are_fractions() -> None:
    eqs = nplayer_support_enumeration(_jordan_game().to_exact())
    assert eqs[0].exact == ((Fraction(1, 2),) * 2,) * 3
    assert eqs[0].regret == 0


@pytest.mark.parametrize("tol", [-1.0, float("nan"), "1e-9"])
def test_bad_tolerance(tol: object) -> None:
    with pytest.raises(InvalidParameterError, match="The 'tol' parameter of nplayer_support_enumeration"):
        nplayer_support_enumeration(_jordan_game(), tol=tol)


def test_bad_game() -> None:
    with pytest.raises(InvalidParameterError, match="The 'game' parameter of nplayer_support_enumeration"):
        nplayer_support_enumeration("not a game")


def test_exact_algebraic_solutions_survive_dominance_reduction_in_auto() -> None:
    payoffs = np.random.default_rng(11).integers(-9, 10, size=(3, 3, 3, 2))
    dominated = payoffs[:, :1].copy()
    dominated[0] -= 1  # player 1's fourth strategy: its first, one unit worse
    game = gt.NormalFormGame(np.concatenate([payoffs, dominated], axis=1))
    eqs = gt.solvers.solve_reference(game, 1e-9)  # auto's dominance path (gt.solve takes the hub-spokes kernel here)
    assert eqs.parameters["kept"] == ((0, 1, 2), (0, 1, 2), (0, 1))
    assert len(eqs) == 5 and all(e.algebraic is not None for e in eqs)
    irrational = [e for e in eqs if not all(x.is_Rational for v in e.algebraic for x in v)]
    assert len(irrational) == 1 and sp.sqrt(53329) in irrational[0].algebraic[0][0].atoms(sp.Pow)
    for e in eqs:
        assert e.algebraic[0][3] == 0 and len(e.algebraic[0]) == 4
        np.testing.assert_allclose([float(x) for x in e.algebraic[0]], e.profile[0], atol=1e-12)
        assert _high_precision_regret(game, e.algebraic) < 1e-50
