"""Lemke–Howson: equilibria reached from every label, iteration caps, bad input."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.solvers.two_player.lemke_howson import lemke_howson, lemke_howson_from
from tests import _named_games as named_games

TWO_PLAYER = named_games.two_player_games()


@pytest.mark.parametrize("case", TWO_PLAYER, ids=lambda c: c.id)
def test_known_games(case):
    """Exactly the known equilibria minus those no path reaches (recorded in ``known_missing``)."""
    missing = set(case.known_missing.get("lemke_howson", ()))
    expected = [p for k, p in enumerate(case.equilibria) if k not in missing]
    eqs = lemke_howson(case.game)
    assert len(eqs) == len(expected)
    assert all(e.regret <= 1e-9 * case.game.scale for e in eqs)
    named_games.assert_same_profiles(eqs, expected)
    assert eqs.success and not eqs.complete
    assert eqs.method == "lemke_howson"


@pytest.mark.parametrize("case", [c for c in TWO_PLAYER if not c.degenerate], ids=lambda c: c.id)
def test_every_run_ends_at_a_known_equilibrium(case):
    m, n = case.game.shape
    for label in range(m + n):
        eqs = lemke_howson_from(case.game, label)
        assert eqs.success
        assert len(eqs) == 1
        assert named_games.contains_profile(case.equilibria, eqs[0])


def test_label_zero_of_battle_of_the_sexes():
    eqs = lemke_howson_from(named_games.get("battle_of_the_sexes").game, 0)
    named_games.assert_same_profiles(eqs, [((1, 0), (1, 0))])
    assert eqs.message.endswith("pivots")


def test_iteration_cap_reports_failure():
    game = named_games.random_6x6_seed_1006()
    eqs = lemke_howson(game, max_iter=1)
    assert not eqs.success
    assert "max_iter=1" in eqs.message
    one = lemke_howson_from(game, 3, max_iter=1)
    assert not one.success and len(one) == 0


@pytest.mark.parametrize("n", [10, 20])
def test_random_games_terminate(n):
    # nashpy 0.0.43's lemke_howson loops forever from some labels of random 10x10 games
    for seed in range(5):
        game = gt.NormalFormGame(np.random.default_rng(seed).standard_normal((2, n, n)))
        eqs = lemke_howson(game)
        assert eqs.success
        assert len(eqs) >= 1
        assert all(e.regret <= 1e-9 for e in eqs)


def test_exact_game():
    case = named_games.get("von_stengel_2007_3x2")
    eqs = lemke_howson(case.game.to_exact())
    assert eqs.exact and all(e.regret == 0 for e in eqs)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"tol": -1.0}, "tol"), ({"tol": float("nan")}, "tol"), ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 1.5}, "max_iter"),
])
def test_bad_parameters(kwargs, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of lemke_howson"):
        lemke_howson(named_games.get("matching_pennies").game, **kwargs)


@pytest.mark.parametrize("label", [-1, 4, 1.0])
def test_bad_label(label):
    with pytest.raises(InvalidParameterError, match="'label' parameter of lemke_howson_from"):
        lemke_howson_from(named_games.get("matching_pennies").game, label)


def _reference_end(game, label, tol=1e-9):
    """The reference path of lemke_howson_from: shift and scale in numpy, run the path, check the end point."""
    from gametheory.solvers.two_player._bimatrix import positive_bimatrix
    from gametheory.solvers.two_player._lemke_howson_kernel import lemke_howson_path
    from gametheory.solvers.two_player._profile_check_kernel import check_profiles

    game, A, B = positive_bimatrix(game, "test")
    x, y, nit, converged = lemke_howson_path(A, B, label, 10_000, tol)
    A0, B0 = game.float_payoffs
    Z, payoffs, regret, flags = check_profiles(A0, B0, x[None], y[None], tol * 100, tol * 100 * game.scale)
    return Z[0], payoffs[0], regret[0], bool(flags[0]), nit, converged


@pytest.mark.parametrize("kind", ["normal", "integer", "tied"])
def test_packed_fast_path_matches_the_reference_path(kind):
    """The float fast path (one packed kernel call, shift written into the tableaux) follows the same path bit for
    bit as shifting the payoffs in numpy first, on random games and degenerate (tied-payoff) ones."""
    rng = np.random.default_rng({"normal": 1, "integer": 2, "tied": 3}[kind])
    for _ in range(40):
        m, n = rng.integers(2, 9, size=2)
        if kind == "normal":
            P = rng.standard_normal((2, m, n)) * 10.0 ** rng.integers(-3, 4)
        elif kind == "integer":
            P = rng.integers(-9, 10, size=(2, m, n)).astype(float)
        else:
            P = rng.integers(0, 2, size=(2, m, n)).astype(float)
        game = gt.NormalFormGame(P)
        for label in range(m + n):
            eqs = lemke_howson_from(game, label)
            Z, payoffs, regret, degenerate, nit, converged = _reference_end(game, label)
            assert eqs.success == converged
            assert eqs.message == (f"{nit} pivots" if converged else "hit max_iter=10000 pivots")
            if not converged or regret > 1e-9 * game.scale:
                assert len(eqs) == 0
                continue
            assert len(eqs) == 1 and eqs.degenerate == degenerate
            eq = eqs[0]
            np.testing.assert_array_equal(np.concatenate(eq.profile), Z)
            np.testing.assert_array_equal(eq.payoffs, payoffs)
            assert eq.regret == regret and eq.degenerate == degenerate
            assert game.is_nash([np.asarray(v) for v in eq.profile], tol=1e-7)


@pytest.mark.parametrize("kind", ["normal", "integer"])
def test_paths_end_where_quantecon_s_do(kind):
    """The dictionary kernel (nonbasic columns only) follows the classical complementary path: from every label it
    ends at QuantEcon's end point (an independent implementation with the same lexicographic rule), and every end
    point is an equilibrium."""
    qe = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng({"normal": 11, "integer": 12}[kind])
    for _ in range(15):
        m, n = (int(s) for s in rng.integers(2, 12, size=2))
        P = rng.standard_normal((2, m, n)) if kind == "normal" else rng.integers(-50, 51, (2, m, n)).astype(float)
        game = gt.NormalFormGame(P)
        peer = qe.NormalFormGame((qe.Player(P[0]), qe.Player(P[1].T)))
        for label in range(m + n):
            ours = lemke_howson_from(game, label)
            assert len(ours) == 1 and game.is_nash(ours[0].profile, tol=1e-9)
            theirs = qe.lemke_howson(peer, init_pivot=label)
            assert all(np.allclose(a, b, atol=1e-9) for a, b in zip(ours[0].profile, theirs, strict=True)), label
