"""Vertex enumeration: every extreme equilibrium of the named 2-player games, degenerate ones included."""

from fractions import Fraction

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.solvers.two_player.vertex_enumeration import polytope_vertices, vertex_enumeration
from tests import _named_games as named_games

TWO_PLAYER = named_games.two_player_games()


def _index(case, eq):
    matches = [k for k, p in enumerate(case.equilibria) if eq.allclose(p, atol=1e-6)]
    assert len(matches) == 1, f"{eq!r} is not one of the known equilibria of {case.id}"
    return matches[0]


@pytest.mark.parametrize("case", TWO_PLAYER, ids=lambda c: c.id)
def test_known_games(case):
    eqs = vertex_enumeration(case.game)
    named_games.assert_solves(eqs, case)
    assert eqs.complete and eqs.success
    assert eqs.method == "vertex_enumeration"


@pytest.mark.parametrize("case", TWO_PLAYER, ids=lambda c: c.id)
def test_degeneracy_is_detected(case):
    eqs = vertex_enumeration(case.game)
    # the game's flag means a continuum (docs/degenerate.md): ties with isolated equilibria only do not set it
    continuum = case.components is not None and len(set(case.components)) < len(case.components)
    assert eqs.degenerate == continuum
    assert not continuum or case.degenerate
    if case.components is not None:
        found = [e.component for e in eqs]
        expected = [case.components[_index(case, e)] for e in eqs]
        assert named_games.same_partition(found, expected)
        # equilibria sharing a component with another extreme point lie in a continuum
        for e, c in zip(eqs, expected, strict=True):
            assert e.degenerate == (expected.count(c) > 1 or e.degenerate)
            if expected.count(c) > 1:
                assert e.degenerate


def test_segment_of_equilibria_is_reported_by_its_end_points():
    case = named_games.get("von_stengel_2007_3x2_degenerate")
    eqs = vertex_enumeration(case.game)
    ends = [e for e in eqs if e.component == eqs[0].component]
    assert len(ends) == 2
    # every convex combination of the two end points is an equilibrium too
    for t in np.linspace(0, 1, 11):
        mix = [t * a + (1 - t) * b for a, b in zip(ends[0].profile, ends[1].profile, strict=True)]
        assert case.game.regret(mix) <= 1e-12


@pytest.mark.parametrize("case", [c for c in TWO_PLAYER if c.exact is not None], ids=lambda c: c.id)
def test_exact_games_are_solved_in_rationals(case):
    named_games.assert_solves_exactly(vertex_enumeration(case.game.to_exact()), case)


def test_pure_payoff_scale_does_not_matter():
    case = named_games.get("von_stengel_2007_3x2")
    big = gt.NormalFormGame(case.game.payoffs * 1e6 + 3e7)
    named_games.assert_same_profiles(vertex_enumeration(big), case.equilibria)


def test_polytope_vertices_of_the_unit_simplex():
    # {z >= 0 : z1 + z2 + z3 <= 1} has the origin and the three unit vectors as vertices
    points, tight, finished = polytope_vertices(np.ones((1, 3)), tol=1e-12)
    assert finished
    assert sorted(map(tuple, points.round(12))) == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0)]
    assert tight.sum(axis=1).tolist() == [3, 3, 3, 3]


def test_max_vertices_stops_and_says_so():
    eqs = vertex_enumeration(named_games.random_6x6_seed_1006(), max_vertices=3)
    assert not eqs.success and not eqs.complete
    assert "max_vertices" in eqs.message


@pytest.mark.parametrize("tol", [-1.0, float("nan"), float("inf"), "small"])
def test_bad_tol(tol):
    with pytest.raises(InvalidParameterError, match="'tol' parameter of vertex_enumeration"):
        vertex_enumeration(named_games.get("matching_pennies").game, tol=tol)


@pytest.mark.parametrize("max_vertices", [0, -3, 2.5])
def test_bad_max_vertices(max_vertices):
    with pytest.raises(InvalidParameterError, match="'max_vertices' parameter"):
        vertex_enumeration(named_games.get("matching_pennies").game, max_vertices=max_vertices)


def test_solve_auto_routes_to_vertex_enumeration():
    eqs = gt.solve(named_games.random_6x6_seed_1006())
    assert len(eqs) == 7 and eqs.complete


def test_fraction_payoffs_keep_exact_answer():
    game = gt.NormalFormGame([[[Fraction(1, 3), 0], [0, Fraction(2, 3)]], [[Fraction(2, 3), 0], [0, Fraction(1, 3)]]])
    eqs = vertex_enumeration(game)
    assert eqs.exact and len(eqs) == 3
    assert eqs[-1].exact == ((Fraction(1, 3), Fraction(2, 3)), (Fraction(2, 3), Fraction(1, 3)))


def _search_only(game, monkeypatch):
    """``vertex_enumeration`` with the compiled small-game kernel switched off (every game takes the search)."""
    from gametheory.solvers.two_player import vertex_enumeration as module
    with monkeypatch.context() as patch:
        patch.setattr(module, "KERNEL_MAX_LABELS", 0)
        return vertex_enumeration(game)


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (6, 1), (2, 3), (4, 4), (5, 7), (6, 6), (3, 20), (8, 9), (10, 10),
                                   (12, 11)])
@pytest.mark.parametrize("integer", [False, True], ids=["normal", "integer"])
def test_small_kernel_agrees_with_the_search(shape, integer, monkeypatch):
    rng = np.random.default_rng([*shape, integer])
    for _ in range(3):
        payoffs = rng.integers(-2, 3, size=(2, *shape)) if integer else rng.standard_normal((2, *shape))
        game = gt.NormalFormGame(payoffs.astype(float))
        fast, slow = vertex_enumeration(game), _search_only(game, monkeypatch)
        assert (len(fast), fast.degenerate, fast.complete) == (len(slow), slow.degenerate, slow.complete)
        for a, b in zip(fast, slow, strict=True):
            assert a.allclose(b, atol=1e-9) and (a.degenerate, a.component) == (b.degenerate, b.component)


def test_small_kernel_reports_degenerate_polytopes():
    from gametheory.solvers.two_player._bimatrix import positive_bimatrix
    from gametheory.solvers.two_player._vertex_kernel import small_equilibria

    degenerate = gt.NormalFormGame([[[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]])  # von Stengel 2007
    _, A, B = positive_bimatrix(degenerate, "test")
    X, Y, flag = small_equilibria(A, B, 1e-9)
    assert flag and X.shape == (0, 3) and Y.shape == (0, 2)
    _, A, B = positive_bimatrix(named_games.random_6x6_seed_1006(), "test")
    X, Y, flag = small_equilibria(A, B, 1e-9)
    assert not flag and X.shape == (7, 6) and Y.shape == (7, 6) and (X >= 0).all() and (Y >= 0).all()


@pytest.mark.parametrize("heavy", ["numba", "sympy"])  # ~0.25 s each: loaded by the code that needs them
def test_import_does_not_load_heavy_modules(heavy):
    import subprocess
    import sys
    from pathlib import Path

    code = f"import sys, gametheory; print({heavy!r} in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.strip() == "False"
