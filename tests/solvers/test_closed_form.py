"""Closed-form 2x2 / 2x2x2 solver: known games, hand-derived games, degenerate games, and agreement on random
batches with an exact rational oracle written here (and with nashpy / pygambit where installed)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gametheory as gt
from gametheory.errors import InvalidParameterError, SolverError
from gametheory.solvers.closed_form.solver import closed_form, closed_form_batch
from tests import _named_games as named_games

SMALL = [g for g in named_games.all_games() if g.game.shape in ((2, 2), (2, 2, 2))]


# ---------------------------------------------------------------------------------------------- exact oracle
def _sign(x):
    return (x > 0) - (x < 0)


def _sign_surd(a, b, r):
    """Sign of a + b sqrt(r) for integers a, b and r >= 0, exactly."""
    sa, sb = _sign(a), _sign(b)
    if sb == 0 or r == 0:
        return sa
    if sa == 0 or sa == sb:
        return sb
    return sa * _sign(a * a - b * b * r)  # opposite signs: the larger square wins


def _differences(u):
    """d[i][s][t]: player i's gain of its first over its second strategy when its opponents (in increasing
    order) play the pure strategies s and t."""
    d = []
    for i in range(3):
        di = [[0, 0], [0, 0]]
        for s, t in itertools.product((0, 1), repeat=2):
            first, second = [s, t], [s, t]
            first.insert(i, 0)
            second.insert(i, 1)
            di[s][t] = u[i][first[0]][first[1]][first[2]] - u[i][second[0]][second[1]][second[2]]
        d.append(di)
    return d


_OPP = ((1, 2), (0, 2), (0, 1))


def _gain(d, i, p):
    """D_i at the profile p (probabilities of first strategies): the expectation of d_i over the opponents."""
    q, r = p[_OPP[i][0]], p[_OPP[i][1]]
    return q * r * d[i][0][0] + q * (1 - r) * d[i][0][1] + (1 - q) * r * d[i][1][0] + (1 - q) * (1 - r) * d[i][1][1]


def exact_equilibria_2x2x2(u):
    """Every equilibrium of an integer 2x2x2 game, decided exactly in integer arithmetic.

    Two-mixer points are rationals ``n/m``; fully mixed points are ``(P + Q sqrt(D)) / R`` with integers, and every
    sign test (inside the cube, the pure player's best response) is exact. Returns the equilibria as float triples
    (probabilities of first strategies), or None when the game has a continuum or is degenerate in a way this
    oracle does not handle (a zero slope or denominator, a double root).
    """
    d = _differences(u)
    out = []
    for a, b, c in itertools.product((1, 0), repeat=3):
        p = [a, b, c]
        if all((_gain(d, i, p) >= 0) if p[i] == 1 else (_gain(d, i, p) <= 0) for i in range(3)):
            out.append((a, b, c))
    zero, one = Fraction(0), Fraction(1)
    # one player mixes (f), the others pure: needs D_f = 0 there; the others' gains are affine in p_f
    for f in range(3):
        j, k = _OPP[f]
        for vj, vk in itertools.product((1, 0), repeat=2):
            base = [None, None, None]
            base[j], base[k] = vj, vk
            at = lambda x, base=base, f=f: [x if i == f else base[i] for i in range(3)]  # noqa: E731
            if _gain(d, f, at(0)) != 0:
                continue
            lo, hi = zero, one
            for i, v in ((j, vj), (k, vk)):
                g0 = _gain(d, i, at(0))
                g1 = _gain(d, i, at(1)) - g0
                sgn = 1 if v == 1 else -1  # need sgn * (g0 + g1 x) >= 0
                g0, g1 = sgn * g0, sgn * g1
                if g1 == 0:
                    if g0 < 0:
                        lo, hi = one, zero
                elif g1 > 0:
                    lo = max(lo, Fraction(-g0, g1))
                else:
                    hi = min(hi, Fraction(-g0, g1))
            if lo < hi:
                return None  # a segment of equilibria
            if lo == hi and 0 < lo < 1:
                out.append(tuple(float(x) for x in at(lo)))
    # one player pure (f at v), two mix: each mixer's gain is affine in the other mixer's probability
    for f, v in itertools.product(range(3), (1, 0)):
        i, j = _OPP[f]

        def prof(pi, pj, i=i, j=j, f=f, v=v):
            q = [0, 0, 0]
            q[i], q[j], q[f] = pi, pj, v
            return q

        c0, c1 = _gain(d, i, prof(0, 0)), _gain(d, i, prof(0, 1)) - _gain(d, i, prof(0, 0))
        e0, e1 = _gain(d, j, prof(0, 0)), _gain(d, j, prof(1, 0)) - _gain(d, j, prof(0, 0))
        if c1 == 0 or e1 == 0:
            return None
        nj, mj = (-c0, c1) if c1 > 0 else (c0, -c1)  # p_j = nj / mj with mj > 0
        ni, mi = (-e0, e1) if e1 > 0 else (e0, -e1)
        if 0 < ni < mi and 0 < nj < mj:
            # D_f(p_i, p_j) * mi * mj, bilinear in the numerators
            q, r = (ni, mi), (nj, mj)
            lo_, hi_ = (q, r) if i < j else (r, q)
            df = d[f]
            g = (lo_[0] * hi_[0] * df[0][0] + lo_[0] * (hi_[1] - hi_[0]) * df[0][1]
                 + (lo_[1] - lo_[0]) * hi_[0] * df[1][0] + (lo_[1] - lo_[0]) * (hi_[1] - hi_[0]) * df[1][1])
            if (g >= 0) if v == 1 else (g <= 0):
                out.append(tuple(float(x) for x in prof(ni / mi, nj / mj)))

    # all mix, x the main variable: D_2(x, z) = A + B z and D_3(x, y) = C + E y (A, B, C, E affine in x), so
    # z = -A/B, y = -C/E, and B E D_1(y, z) = f0 B E - fy C B - fz A E + fyz A C = 0 is a quadratic in x
    def parts(x):
        A = _gain(d, 1, [x, 0, 0])
        B = _gain(d, 1, [x, 0, 1]) - A
        C = _gain(d, 2, [x, 0, 0])
        E = _gain(d, 2, [x, 1, 0]) - C
        f0 = _gain(d, 0, [x, 0, 0])
        fy = _gain(d, 0, [x, 1, 0]) - f0
        fz = _gain(d, 0, [x, 0, 1]) - f0
        fyz = _gain(d, 0, [x, 1, 1]) - f0 - fy - fz
        return A, B, C, E, f0, fy, fz, fyz

    lo_p, hi_p = parts(0), parts(1)
    affine = [(lo, h - lo) for lo, h in zip(lo_p, hi_p, strict=True)]  # (value at 0, slope)

    def poly(x):
        A, B, C, E, f0, fy, fz, fyz = (c0 + c1 * x for c0, c1 in affine)
        return f0 * B * E - fy * C * B - fz * A * E + fyz * A * C

    v0, v1, v2 = poly(0), poly(1), poly(2)
    qa, qb, qc = (v2 - 2 * v1 + v0) // 2, None, v0
    qb = v1 - v0 - qa
    roots = []  # (P, Q, R, D): x = (P + Q sqrt(D)) / R
    if qa == 0:
        if qb == 0:
            return None
        roots.append((-qc, 0, qb, 0))
    else:
        disc = qb * qb - 4 * qa * qc
        if disc == 0:
            return None
        if disc > 0:
            roots += [(-qb, 1, 2 * qa, disc), (-qb, -1, 2 * qa, disc)]
    for P, Q, R, D in roots:
        sR = _sign(R)
        if not (_sign_surd(P, Q, D) * sR > 0 and _sign_surd(R - P, -Q, D) * sR > 0):
            continue
        # value of an affine c0 + c1 x times R: (c0 R + c1 P) + c1 Q sqrt(D)
        A, B, C, E = ((c0 * R + c1 * P, c1 * Q) for c0, c1 in affine[:4])
        sB, sE = _sign_surd(*B, D), _sign_surd(*E, D)
        if sB == 0 or sE == 0:
            return None
        # z = -A/B in (0, 1) iff -A/B > 0 and (B + A)/B > 0; likewise y = -C/E
        ok = (-_sign_surd(*A, D) * sB > 0 and _sign_surd(B[0] + A[0], B[1] + A[1], D) * sB > 0
              and -_sign_surd(*C, D) * sE > 0 and _sign_surd(E[0] + C[0], E[1] + C[1], D) * sE > 0)
        if ok:
            root = D ** 0.5
            val = lambda z, root=root: z[0] + z[1] * root  # noqa: E731
            out.append(((P + Q * root) / R, -val(C) / val(E), -val(A) / val(B)))
    return out


def _as_triples(sol, g):
    return [tuple(sol.profiles[g, e, :, 0]) for e in range(int(sol.counts[g]))]


def _agree(found, expected, atol=1e-6):
    if len(found) != len(expected):
        return False
    return all(sum(np.max(np.abs(np.subtract(f, e))) <= atol for f in found) == 1 for e in expected)


# ---------------------------------------------------------------------------------------------- known answers
@pytest.mark.parametrize("case", SMALL, ids=lambda c: c.id)
def test_known_games(case):
    eqs = closed_form(case.game)
    named_games.assert_solves(eqs, case)
    assert eqs.degenerate == case.degenerate
    assert eqs.complete and eqs.method == "closed_form"
    if case.degenerate and case.components is not None:
        order = [next(k for k, p in enumerate(case.equilibria) if e.allclose(p)) for e in eqs]
        assert named_games.same_partition([e.component for e in eqs], [case.components[k] for k in order])


def test_nashpy_issue_222_segment_end_points():
    eqs = closed_form([[[-3, 3], [-3, 5]], [[2, 7], [4, 2]]])
    assert len(eqs) == 2
    assert eqs.degenerate and {e.component for e in eqs} == {0}
    named_games.assert_same_profiles(eqs, [((0, 1), (1, 0)), ((2 / 7, 5 / 7), (1, 0))])


def test_issue_game_fully_mixed_only():
    case = named_games.get("issue_2x2x2_enumpoly_miss")
    eqs = closed_form(case.game)
    assert len(eqs) == 1
    assert eqs[0].regret <= 1e-12 * case.game.scale
    np.testing.assert_allclose([v[0] for v in eqs[0].profile], [0.2559, 0.5941, 0.8405], atol=5e-5)
    assert exact_equilibria_2x2x2(case.game.payoffs.astype(int).tolist()) is not None


def test_hand_derived_2x2x2():
    # Player 1 wants to match player 2, player 2 to match player 3, player 3 to mismatch player 1, and the
    # gains are D_1 = 2y - 1, D_2 = 2z - 1, D_3 = 1 - 2x (independent of the third player). No pure profile is
    # stable (a cycle), a two-mixer point needs the pure player's gain to vanish (it cannot: e.g. x = 1/2
    # forces D_3 = 0 but then player 1 must mix), so the only equilibrium is x = y = z = 1/2.
    u = np.zeros((3, 2, 2, 2))
    for a, b, c in itertools.product((0, 1), repeat=3):
        u[0, a, b, c] = 1.0 if a == b else 0.0
        u[1, a, b, c] = 1.0 if b == c else 0.0
        u[2, a, b, c] = 1.0 if a != c else 0.0
    eqs = closed_form(u)
    assert len(eqs) == 1
    assert eqs[0].regret <= 1e-12
    assert eqs[0].allclose(((0.5, 0.5),) * 3)


def test_two_fully_mixed_equilibria():
    # Find (deterministically) a random integer game with two fully mixed equilibria and check both.
    rng = np.random.default_rng(7)
    for _ in range(2000):
        u = rng.integers(-50, 51, size=(3, 2, 2, 2))
        want = exact_equilibria_2x2x2(u.tolist())
        if want is not None and sum(min(e) > 0 and max(e) < 1 for e in want) == 2:
            break
    else:  # pragma: no cover
        pytest.fail("no game with two fully mixed equilibria found")
    eqs = closed_form(u)
    assert _agree([tuple(v[0] for v in e.profile) for e in eqs], want)
    assert all(e.regret <= 1e-9 * 50 for e in eqs)


# ---------------------------------------------------------------------------------------------- degenerate games
def test_all_equal_is_the_whole_cube():
    sol = closed_form_batch(gt.GameBatch(np.zeros((1, 3, 2, 2, 2))))
    assert sol.counts.tolist() == [8]
    assert sol.degenerate.tolist() == [True]
    assert set(sol.component[0].tolist()) == {0}


def test_edge_segment_2x2x2():
    # Player 3 prefers its first strategy always; player 2 prefers its first; player 1 is indifferent when
    # player 2 plays first (and prefers its second otherwise): the edge x in [0, 1], y = z = 1 is a segment.
    u = np.zeros((3, 2, 2, 2))
    u[0, 1, 1, :] = 1.0
    u[1, :, 0, :] = 1.0
    u[2, :, :, 0] = 1.0
    eqs = closed_form(u)
    assert eqs.degenerate
    named_games.assert_same_profiles(eqs, [((1, 0), (1, 0), (1, 0)), ((0, 1), (1, 0), (1, 0))])
    assert {e.component for e in eqs} == {0}


def test_curve_of_fully_mixed_equilibria():
    # Player 3 is indifferent everywhere; players 1, 2 play matching pennies whatever player 3 does:
    # x = y = 1/2 with z anywhere in [0, 1] is a continuum (a segment through the cube).
    u = np.zeros((3, 2, 2, 2))
    for a, b in itertools.product((0, 1), repeat=2):
        u[0, a, b, :] = 1.0 if a == b else -1.0
        u[1, a, b, :] = -1.0 if a == b else 1.0
    eqs = closed_form(u)
    assert eqs.degenerate
    named_games.assert_same_profiles(eqs, [((0.5, 0.5), (0.5, 0.5), (1, 0)), ((0.5, 0.5), (0.5, 0.5), (0, 1))])
    assert len({e.component for e in eqs}) == 1


def test_hyperbola_curve_is_one_component():
    # Player 3 indifferent; D_1 = z - y and D_2 = x z - 1/4: the fully mixed equilibria y = z, x = 1/(4z) for
    # z in (1/4, 1) form a hyperbola arc from (1, 1/4, 1/4) on the face x = 1 to (1/4, 1, 1) on an edge.
    u = np.zeros((3, 2, 2, 2))
    for a, b, c in itertools.product((0, 1), repeat=3):
        x, y, z = 1 - a, 1 - b, 1 - c
        u[0, 0, b, c] = z - y
        u[1, a, 0, c] = x * z - 0.25
    eqs = closed_form(u)
    assert eqs.degenerate
    assert all(e.regret <= 1e-12 for e in eqs)
    ends = [next(e for e in eqs if e.allclose(p)) for p in (((1, 0), (0.25, 0.75), (0.25, 0.75)),
                                                             ((0.25, 0.75), (1, 0), (1, 0)))]
    assert ends[0].component == ends[1].component


def test_degenerate_batch_flags():
    rng = np.random.default_rng(3)
    generic = rng.normal(size=(50, 3, 2, 2, 2))
    degenerate = np.zeros((5, 3, 2, 2, 2))
    sol = closed_form_batch(gt.GameBatch(np.concatenate([generic, degenerate])))
    assert not sol.degenerate[:50].any()
    assert sol.degenerate[50:].all()


# ---------------------------------------------------------------------------------------------- random batches
@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, st.sampled_from([(8, 3, 2, 2, 2), (8, 2, 2, 2)]), elements=st.integers(-3, 3)))
def test_property_small_integer_games(payoffs):
    # small integers: ties, degenerate games and continua are common
    sol = gt.solve_batch(gt.GameBatch(payoffs))
    assert (sol.counts >= 1).all()
    scale = np.maximum(np.abs(payoffs).reshape(len(payoffs), -1).max(axis=1), 1.0)
    valid = sol.valid
    assert (sol.regrets[valid] <= 1e-9 * np.broadcast_to(scale[:, None], valid.shape)[valid]).all()
    assert np.isnan(sol.profiles[~valid]).all() and (sol.component[~valid] == -1).all()
    np.testing.assert_allclose(np.nansum(sol.profiles, axis=-1)[valid], 1.0)
    assert (sol.component[valid] >= 0).all()
    for g in range(len(payoffs)):
        game = gt.NormalFormGame(payoffs[g].astype(float))
        for e in range(sol.counts[g]):
            prof = [sol.profiles[g, e, i] for i in range(game.n_players)]
            assert game.regret(prof) <= 1e-9 * game.scale
        if not sol.degenerate[g]:
            assert sol.component[g, : sol.counts[g]].tolist() == list(range(sol.counts[g]))


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 2, 2, 2)])
def test_random_regret(shape):
    rng = np.random.default_rng(1)
    sol = gt.solve_batch(gt.GameBatch(rng.normal(size=(20000, *shape))))
    assert (sol.counts >= 1).all()
    assert (sol.counts % 2 == 1).all()  # generic games have an odd number of equilibria
    assert np.nanmax(sol.regrets) <= 1e-9
    assert not sol.degenerate.any()


def _random_integer_games(n, seed, high=1000):
    return np.random.default_rng(seed).integers(-high, high + 1, size=(n, 3, 2, 2, 2))


def _agreement(u):
    sol = gt.solve_batch(gt.GameBatch(u))
    checked = 0
    for g in range(len(u)):
        want = exact_equilibria_2x2x2(u[g].tolist())
        if want is None:
            continue
        checked += 1
        assert _agree(_as_triples(sol, g), want), (g, u[g].tolist(), _as_triples(sol, g), want)
    return checked


def test_batch_agrees_with_exact_oracle_10000():
    assert _agreement(_random_integer_games(10_000, 11)) >= 9_900


@pytest.mark.slow
def test_batch_agrees_with_exact_oracle_100000():
    assert _agreement(_random_integer_games(100_000, 12)) >= 99_000


def test_batch_agrees_with_per_game_solve():
    u = np.random.default_rng(5).normal(size=(300, 3, 2, 2, 2))
    sol = gt.solve_batch(gt.GameBatch(u))
    for g in range(len(u)):
        eqs = gt.solve(gt.NormalFormGame(u[g]))
        assert len(eqs) == sol.counts[g]
        named_games.assert_same_profiles(eqs, sol.equilibria(g))


def _solve_2x2_batch(seed):
    u = np.random.default_rng(seed).normal(size=(40_000, 2, 2, 2))
    return int(gt.solve_batch(gt.GameBatch(u)).counts.sum())


def test_forked_children_can_solve_2x2_batches_after_the_parent_did():
    """The compiled 2x2 kernel must leave the process fork-safe (the process sweep backend forks): a parallel numba
    loop started a GNU OpenMP pool, after which every forked child was killed and the pool hung."""
    import multiprocessing

    expected = [_solve_2x2_batch(seed) for seed in (1, 2)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map_async(_solve_2x2_batch, [1, 2]).get(timeout=120) == expected


def test_2x2_batch_agrees_with_nashpy():
    nash = pytest.importorskip("nashpy")
    u = np.random.default_rng(9).normal(size=(500, 2, 2, 2))
    sol = gt.solve_batch(gt.GameBatch(u))
    for g in range(len(u)):
        want = [tuple(np.concatenate(e)) for e in nash.Game(u[g, 0], u[g, 1]).support_enumeration()]
        got = [tuple(sol.profiles[g, e].ravel()) for e in range(sol.counts[g])]
        assert _agree(got, want), (g, got, want)


def test_pygambit_subset():
    gbt = pytest.importorskip("pygambit")
    u = _random_integer_games(40, 13, high=100)
    sol = gt.solve_batch(gt.GameBatch(u))
    for g in range(len(u)):
        game = gbt.Game.from_arrays(*[u[g, i].astype(int) for i in range(3)])
        found = gbt.nash.enumpoly_solve(game).equilibria
        theirs = [tuple(float(eq[list(p.strategies)[0]]) for p in game.players) for eq in found]
        mine = _as_triples(sol, g)
        # enumpoly misses some equilibria; every one it finds must be among ours
        for t in theirs:
            assert any(np.max(np.abs(np.subtract(t, m))) <= 1e-6 for m in mine), (g, theirs, mine)


# ---------------------------------------------------------------------------------------------- interface
def test_single_game_matches_batch_and_exact_rationals():
    half = Fraction(1, 2)
    pennies = gt.NormalFormGame([[[Fraction(1), -1], [-1, 1]], [[-1, 1], [1, -1]]])
    eqs = closed_form(pennies)
    assert eqs.exact and eqs[0].exact == ((half, half), (half, half))
    assert eqs[0].regret == 0


def test_exact_2x2x2_via_solve():
    # the hand-derived cyclic game with Fraction payoffs: gt.solve (auto) returns the exact (1/2, 1/2, 1/2)
    u = np.zeros((3, 2, 2, 2), dtype=object)
    for a, b, c in itertools.product((0, 1), repeat=3):
        u[0, a, b, c] = Fraction(int(a == b))
        u[1, a, b, c] = Fraction(int(b == c))
        u[2, a, b, c] = Fraction(int(a != c))
    eqs = gt.solve(gt.NormalFormGame(u))
    assert len(eqs) == 1
    assert eqs.exact and eqs[0].regret == 0
    assert eqs[0].exact == ((Fraction(1, 2),) * 2,) * 3


def test_batch_equilibria_objects():
    segment = [[[-3, 3], [-3, 5]], [[2, 7], [4, 2]]]
    pennies = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    sol = closed_form_batch(gt.GameBatch([segment, pennies]))
    seg, pennies = sol.equilibria(0), sol.equilibria(1)
    assert seg.degenerate and len(seg) == 2 and {e.component for e in seg} == {0}
    assert not pennies.degenerate and len(pennies) == 1 and pennies[0].component is None
    assert sol.valid.tolist() == [[True, True], [True, False]]


def test_zero_tolerance_keeps_float_equilibria():
    # tol=0 means "as exact as float64 allows" (floor 1e-12): the fully mixed equilibrium is kept
    case = named_games.get("issue_2x2x2_enumpoly_miss")
    assert len(closed_form(case.game, tol=0.0)) == 1
    assert len(closed_form(case.game, tol=1e-15)) == 1


def test_errors():
    with pytest.raises(SolverError):
        closed_form(np.zeros((2, 3, 2)))
    with pytest.raises(SolverError):
        closed_form_batch(gt.GameBatch(np.zeros((2, 2, 3, 3))))
    with pytest.raises(InvalidParameterError, match="'tol' parameter of closed_form"):
        closed_form(np.zeros((2, 2, 2)), tol=-1.0)
    with pytest.raises(InvalidParameterError, match="GameBatch"):
        closed_form_batch(np.zeros((1, 2, 2, 2)))
    with pytest.raises(InvalidParameterError, match="'game' parameter of closed_form"):
        closed_form("pennies")


def test_empty_batch():
    sol = closed_form_batch(gt.GameBatch(np.zeros((0, 3, 2, 2, 2))))
    assert sol.profiles.shape == (0, 0, 3, 2) and sol.counts.shape == (0,)
