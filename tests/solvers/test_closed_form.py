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
from gametheory.solvers.closed_form import closed_form, closed_form_batch
from tests import games

SMALL = [g for g in games.all_games() if g.game.shape in ((2, 2), (2, 2, 2))]


# ---------------------------------------------------------------------------------------------- exact oracle
class _Q2:
    """Exact numbers ``p + q sqrt(r)`` (``p, q`` rational, ``r`` a fixed non-negative rational)."""

    def __init__(self, p, q, r):
        self.p, self.q, self.r = Fraction(p), Fraction(q), r

    def _c(self, o):
        return o if isinstance(o, _Q2) else _Q2(o, 0, self.r)

    def __add__(self, o):
        o = self._c(o)
        return _Q2(self.p + o.p, self.q + o.q, self.r)

    __radd__ = __add__

    def __neg__(self):
        return _Q2(-self.p, -self.q, self.r)

    def __sub__(self, o):
        return self + (-self._c(o))

    def __rsub__(self, o):
        return self._c(o) - self

    def __mul__(self, o):
        o = self._c(o)
        return _Q2(self.p * o.p + self.q * o.q * self.r, self.p * o.q + self.q * o.p, self.r)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = self._c(o)
        den = o.p * o.p - o.q * o.q * self.r
        return self * _Q2(o.p / den, -o.q / den, self.r)

    def sign(self):
        a, b = self.p, self.q
        sa, sb = (a > 0) - (a < 0), (b > 0) - (b < 0)
        if sb == 0 or self.r == 0:
            return sa
        if sa == 0 or sa == sb:
            return sb
        # a and b sqrt(r) of opposite signs: compare squares
        diff = a * a - b * b * self.r
        return sa * ((diff > 0) - (diff < 0))

    def __float__(self):
        return float(self.p) + float(self.q) * float(self.r) ** 0.5


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


def _lin(f):
    """(f(0), f(1) - f(0)) for f affine in one rational variable."""
    f0 = f(Fraction(0))
    return f0, f(Fraction(1)) - f0


def exact_equilibria_2x2x2(u):
    """Every equilibrium of an integer 2x2x2 game, exactly (decisions in rationals and in Q(sqrt(disc))).

    Returns the equilibria as float triples (probabilities of first strategies), or None when the game has a
    continuum or is degenerate in a way this oracle does not handle (a zero slope or denominator, a double root).
    """
    d = _differences(u)
    zero, one = Fraction(0), Fraction(1)
    out = []
    for a, b, c in itertools.product((1, 0), repeat=3):
        p = [Fraction(a), Fraction(b), Fraction(c)]
        g = [_gain(d, i, p) for i in range(3)]
        if all((x >= 0) if q == 1 else (x <= 0) for x, q in zip(g, p, strict=True)):
            out.append((a, b, c))
    # one player mixes (f), the others pure: needs D_f = 0 there; the others' gains are affine in p_f
    for f in range(3):
        j, k = _OPP[f]
        for vj, vk in itertools.product((1, 0), repeat=2):
            base = [None, None, None]
            base[j], base[k] = Fraction(vj), Fraction(vk)
            at = lambda x, base=base, f=f: [x if i == f else base[i] for i in range(3)]  # noqa: E731
            if _gain(d, f, at(zero)) != 0:
                continue
            lo, hi = zero, one
            for i, v in ((j, vj), (k, vk)):
                g0, g1 = _lin(lambda x, i=i: _gain(d, i, at(x)))
                sgn = 1 if v == 1 else -1  # need sgn * (g0 + g1 x) >= 0
                g0, g1 = sgn * g0, sgn * g1
                if g1 == 0:
                    if g0 < 0:
                        lo, hi = one, zero
                elif g1 > 0:
                    lo = max(lo, -g0 / g1)
                else:
                    hi = min(hi, -g0 / g1)
            if lo < hi:
                return None  # a segment of equilibria
            if lo == hi and 0 < lo < 1:
                out.append(tuple(float(x) for x in at(lo)))
    # one player pure (f at v), two mix: each mixer's gain is affine in the other mixer's probability
    for f, v in itertools.product(range(3), (1, 0)):
        i, j = _OPP[f]

        def prof(pi, pj, i=i, j=j, f=f, v=v):
            q = [zero, zero, zero]
            q[i], q[j], q[f] = pi, pj, Fraction(v)
            return q

        c0, c1 = _lin(lambda x: _gain(d, i, prof(zero, x)))
        d0, d1 = _lin(lambda x: _gain(d, j, prof(x, zero)))
        if c1 == 0 or d1 == 0:
            return None
        pj, pi = -c0 / c1, -d0 / d1
        if 0 < pi < 1 and 0 < pj < 1:
            q = prof(pi, pj)
            gf = _gain(d, f, q)
            if (gf >= 0) if v == 1 else (gf <= 0):
                out.append(tuple(float(x) for x in q))

    # all mix, x the main variable: D_2(x, z) = A + B z and D_3(x, y) = C + E y (A, B, C, E affine in x), so
    # z = -A/B, y = -C/E, and B E D_1(y, z) = f0 B E - fy C B - fz A E + fyz A C = 0 is a quadratic in x
    def parts(x):
        A, B = _lin(lambda z: _gain(d, 1, [x, zero, z]))
        C, E = _lin(lambda y: _gain(d, 2, [x, y, zero]))
        return A, B, C, E

    def poly(x):
        A, B, C, E = parts(x)
        f0 = _gain(d, 0, [x, zero, zero])
        fy = _gain(d, 0, [x, one, zero]) - f0
        fz = _gain(d, 0, [x, zero, one]) - f0
        fyz = _gain(d, 0, [x, one, one]) - f0 - fy - fz
        return f0 * B * E - fy * C * B - fz * A * E + fyz * A * C

    v0, v1, v2 = (poly(Fraction(k)) for k in (0, 1, 2))
    qa = (v2 - 2 * v1 + v0) / 2
    qb = v1 - v0 - qa
    qc = v0
    if qa == 0:
        if qb == 0:
            return None
        cands = [_Q2(-qc / qb, 0, zero)]
    else:
        disc = qb * qb - 4 * qa * qc
        if disc < 0:
            cands = []
        elif disc == 0:
            return None
        else:
            cands = [_Q2(-qb / (2 * qa), s / (2 * qa), disc) for s in (1, -1)]
    lo_parts, hi_parts = parts(zero), parts(one)
    for x in cands:
        if not (x.sign() > 0 and (1 - x).sign() > 0):
            continue
        A, B, C, E = (x * (h - lo) + lo for lo, h in zip(lo_parts, hi_parts, strict=True))
        if B.sign() == 0 or E.sign() == 0:
            return None
        z, y = -A / B, -C / E
        if all(t.sign() > 0 and (1 - t).sign() > 0 for t in (y, z)):
            out.append((float(x), float(y), float(z)))
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
    assert len(eqs) == len(case.equilibria)
    assert all(e.regret <= 1e-9 * case.game.scale for e in eqs)
    games.assert_same_profiles(eqs, case.equilibria)
    assert eqs.degenerate == case.degenerate
    assert eqs.complete and eqs.method == "closed_form"
    if case.degenerate and case.components is not None:
        order = [next(k for k, p in enumerate(case.equilibria) if e.allclose(p)) for e in eqs]
        assert games.same_partition([e.component for e in eqs], [case.components[k] for k in order])


def test_nashpy_issue_222_segment_end_points():
    eqs = closed_form([[[-3, 3], [-3, 5]], [[2, 7], [4, 2]]])
    assert len(eqs) == 2
    assert eqs.degenerate and {e.component for e in eqs} == {0}
    games.assert_same_profiles(eqs, [((0, 1), (1, 0)), ((2 / 7, 5 / 7), (1, 0))])


def test_issue_game_fully_mixed_only():
    case = games.get("issue_2x2x2_enumpoly_miss")
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
        if want is not None and sum(0 < min(e) and max(e) < 1 for e in want) == 2:
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
    games.assert_same_profiles(eqs, [((1, 0), (1, 0), (1, 0)), ((0, 1), (1, 0), (1, 0))])
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
    games.assert_same_profiles(eqs, [((0.5, 0.5), (0.5, 0.5), (1, 0)), ((0.5, 0.5), (0.5, 0.5), (0, 1))])
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
        games.assert_same_profiles(eqs, sol.equilibria(g))


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


def test_errors():
    with pytest.raises(SolverError):
        closed_form(np.zeros((2, 3, 2)))
    with pytest.raises(SolverError):
        closed_form_batch(gt.GameBatch(np.zeros((2, 2, 3, 3))))
    with pytest.raises(InvalidParameterError, match="'tol' parameter of closed_form"):
        closed_form(np.zeros((2, 2, 2)), tol=-1.0)
    with pytest.raises(InvalidParameterError, match="GameBatch"):
        closed_form_batch(np.zeros((1, 2, 2, 2)))


def test_empty_batch():
    sol = closed_form_batch(gt.GameBatch(np.zeros((0, 3, 2, 2, 2))))
    assert sol.profiles.shape == (0, 0, 3, 2) and sol.counts.shape == (0,)
