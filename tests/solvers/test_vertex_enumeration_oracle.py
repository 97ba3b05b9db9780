"""Vertex enumeration against an independent exact oracle on degenerate integer games.

The oracle solves every basis of both best-response polytopes in rationals (no search, no tolerance): a
vertex is any feasible solution of ``d`` tight constraints with a unique solution, and the extreme
equilibria are the completely labelled vertex pairs (von Stengel 2007, Thm. 3.4). Small integer payoffs
(and duplicated strategies) make almost every game degenerate, which is where a pivoting search can lose
vertices; the library must find exactly the oracle's extreme equilibria and flag the same games degenerate.
"""

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest

import gametheory as gt


def _unique_solution(rows, rhs):
    """The unique solution of a square rational system, or None when it is singular."""
    size = len(rows)
    aug = [[Fraction(v) for v in row] + [Fraction(b)] for row, b in zip(rows, rhs, strict=True)]
    for c in range(size):
        pivot = next((r for r in range(c, size) if aug[r][c] != 0), None)
        if pivot is None:
            return None
        aug[c], aug[pivot] = aug[pivot], aug[c]
        aug[c] = [v / aug[c][c] for v in aug[c]]
        for r in range(size):
            if r != c and aug[r][c] != 0:
                factor = aug[r][c]
                aug[r] = [a - factor * b for a, b in zip(aug[r], aug[c], strict=True)]
    return [aug[r][-1] for r in range(size)]


def _vertices(G):
    """Vertices of ``{z >= 0 : G z <= 1}`` (``G`` positive, ``(r, d)``) with their label sets: ``i`` for
    ``z_i = 0``, ``d + j`` for ``(G z)_j = 1``."""
    r, d = G.shape
    constraints = [[int(t == i) for t in range(d)] for i in range(d)] + G.tolist()
    rhs = [0] * d + [1] * r
    found = {}
    for tight in combinations(range(d + r), d):
        z = _unique_solution([constraints[t] for t in tight], [rhs[t] for t in tight])
        if z is None or min(z) < 0:
            continue
        values = [sum(Fraction(int(G[j, i])) * z[i] for i in range(d)) for j in range(r)]
        if max(values) <= 1:
            labels = {i for i in range(d) if z[i] == 0} | {d + j for j in range(r) if values[j] == 1}
            found[tuple(z)] = frozenset(labels)
    return found


def exact_extreme_equilibria(A, B):
    """Every extreme equilibrium of the integer game ``(A, B)`` in rationals, and whether it is degenerate."""
    m, n = A.shape
    P = _vertices(B.T - B.min() + 1)  # x: labels i (x_i = 0), m + j (column j a best response)
    Q = _vertices(A - A.min() + 1)  # y: labels j (y_j = 0) and n + i (row i a best response)
    q_labels = {y: frozenset({m + j for j in L if j < n} | {i - n for i in L if i >= n}) for y, L in Q.items()}
    everything = frozenset(range(m + n))
    equilibria = [
        (np.array([float(v / sum(x)) for v in x]), np.array([float(v / sum(y)) for v in y]))
        for x, lx in P.items()
        if sum(x) > 0
        for y, ly in q_labels.items()
        if sum(y) > 0 and lx | ly == everything
    ]
    degenerate = any(len(L) > m for L in P.values()) or any(len(L) > n for L in Q.values())
    return equilibria, degenerate


def _degenerate_integer_games(count, seed):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        m, n = (int(v) for v in rng.integers(2, 6, size=2))
        top = int(rng.choice([1, 2, 3]))
        A, B = rng.integers(0, top + 1, size=(2, m, n))
        if m > 2 and rng.random() < 0.3:  # a duplicated row: a continuum wherever it is played
            A[-1], B[-1] = A[0], B[0]
        if n > 2 and rng.random() < 0.3:
            A[:, -1], B[:, -1] = A[:, 0], B[:, 0]
        yield A, B


def test_oracle_knows_the_segment_of_von_stengels_degenerate_game():
    A = np.array([[3, 3], [2, 5], [0, 6]])
    B = np.array([[3, 3], [2, 6], [3, 1]])
    equilibria, degenerate = exact_extreme_equilibria(A, B)
    assert degenerate and len(equilibria) == 3
    assert any(np.allclose(x, [1, 0, 0]) and np.allclose(y, [2 / 3, 1 / 3]) for x, y in equilibria)


def _is_equilibrium(A, B, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return (A @ y).max() - x @ A @ y <= 1e-9 and (x @ B).max() - x @ B @ y <= 1e-9


def _has_continuum(A, B, extreme):
    """A bimatrix game has a continuum of equilibria iff two distinct extreme equilibria lie in one maximal
    Nash subset (a product of polytopes), i.e. both of their crossed profiles are equilibria too."""
    return any(_is_equilibrium(A, B, x1, y2) and _is_equilibrium(A, B, x2, y1)
               for (x1, y1), (x2, y2) in combinations(extreme, 2))


@pytest.mark.parametrize("seed", range(4))
def test_vertex_enumeration_finds_exactly_the_extreme_equilibria_of_degenerate_games(seed):
    for A, B in _degenerate_integer_games(12, seed):
        expected, degenerate = exact_extreme_equilibria(A, B)
        eqs = gt.solve(gt.NormalFormGame([A.astype(float), B.astype(float)]), method="vertex_enumeration")
        assert len(eqs) == len(expected), (A.tolist(), B.tolist())
        assert eqs.degenerate == _has_continuum(A, B, expected), (A.tolist(), B.tolist())
        assert degenerate or not eqs.degenerate  # a continuum needs a tie
        for eq in eqs:
            assert any(
                np.abs(eq.profile[0] - x).max() <= 1e-9 and np.abs(eq.profile[1] - y).max() <= 1e-9
                for x, y in expected
            ), (A.tolist(), B.tolist(), eq)
