"""Symbolic replicator equations and corner conditions (own sympy payoffs, NormalFormGame, models)."""


import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError
from tests.dynamics._games import HAND_2X2X2

SYMS = sympy.symbols("a0:24", real=True)


def _symbolic_2x2x2():
    return sympy.Array(list(SYMS), (3, 2, 2, 2))


def test_equations_match_the_numeric_field_at_random_points():
    eqs = gt.dynamics.replicator_equations(_symbolic_2x2x2())
    assert [str(v) for v in eqs.variables] == ["x", "y", "z"]
    rng = np.random.default_rng(0)
    for _ in range(5):
        values = rng.normal(size=24)
        game = gt.NormalFormGame(values.reshape(3, 2, 2, 2))
        state = rng.uniform(size=3)
        subs = {**dict(zip(SYMS, values, strict=True)), **dict(zip(eqs.variables, state, strict=True))}
        symbolic = [float(e.subs(subs)) for e in eqs.equations]
        np.testing.assert_allclose(symbolic, gt.dynamics.replicator_field(game, state), atol=1e-12)


def test_symbolic_jacobian_matches_the_analytic_one():
    eqs = gt.dynamics.replicator_equations(_symbolic_2x2x2())
    jac = eqs.jacobian()
    rng = np.random.default_rng(1)
    values, state = rng.normal(size=24), rng.uniform(size=3)
    subs = {**dict(zip(SYMS, values, strict=True)), **dict(zip(eqs.variables, state, strict=True))}
    numeric = np.array(jac.subs(subs), dtype=float)
    game = gt.NormalFormGame(values.reshape(3, 2, 2, 2))
    np.testing.assert_allclose(numeric, gt.dynamics.jacobian(game, state), atol=1e-12)


def test_general_shapes_use_one_variable_per_free_share():
    payoffs = sympy.Array(list(sympy.symbols("b0:12")), (2, 3, 2))
    eqs = gt.dynamics.replicator_equations(payoffs)
    assert len(eqs.variables) == 3 and eqs.gains == ()
    assert "dx_11/dt" in str(eqs)


def test_corner_eigenvalues_equal_the_numeric_ones_at_random_parameter_points():
    table = gt.dynamics.corner_conditions(_symbolic_2x2x2())
    assert len(table) == 8
    rng = np.random.default_rng(2)
    for _ in range(10):
        values = rng.normal(size=24)
        game = gt.NormalFormGame(values.reshape(3, 2, 2, 2))
        symbolic = table.evaluate(**{str(s): v for s, v in zip(SYMS, values, strict=True)})
        corners = [s for s in gt.dynamics.analyze(game) if s.point.is_pure]
        assert len(corners) == 8
        for row, eig, state in zip(table, symbolic, corners, strict=True):
            assert row.corner == tuple(int(np.argmax(v)) for v in state.profile)
            np.testing.assert_allclose(np.sort(np.real(eig)), np.sort(state.eigenvalues.real), atol=1e-12)
        # and the stable corners agree
        assert table.stable_corners(**{str(s): v for s, v in zip(SYMS, values, strict=True)}) == [
            s.label for s in gt.dynamics.stable_states(game)
        ]


def test_corner_conditions_of_a_numeric_game_are_exact():
    table = gt.dynamics.corner_conditions(HAND_2X2X2)
    statuses = {r.label: r.status for r in table}
    assert statuses["(s2, s2, s1)"] == "stable"
    assert sum(s == "stable" for s in statuses.values()) == 1
    assert all(s in ("stable", "unstable") for s in statuses.values())


def test_status_uses_the_parameter_signs():
    a, b = sympy.symbols("a b", positive=True)
    table = gt.dynamics.corner_conditions(sympy.Array([[[a, 0], [0, b]], [[a, 0], [0, b]]]))
    assert [r.status for r in table] == ["stable", "unstable", "unstable", "stable"]
    c = sympy.Symbol("c", real=True)
    table = gt.dynamics.corner_conditions(sympy.Array([[[c, 0], [0, 1]], [[1, 0], [0, 1]]]))
    assert table[0].status == "conditional"
    assert table[0].condition.subs(c, 1) is sympy.true and table[0].condition.subs(c, -1) is sympy.false


def test_table_and_latex():
    table = gt.dynamics.corner_conditions(_symbolic_2x2x2())
    text = str(table)
    assert [c.strip() for c in text.splitlines()[0].split(" | ")] == ["corner", "point", "lambda_1", "lambda_2",
                                                                       "lambda_3", "stability"]
    assert "E1 (s1, s1, s1)" in text and "(1, 1, 1)" in text and "(0, 0, 0)" in text
    latex = table.to_latex()
    assert latex.startswith(r"\begin{tabular}") and r"$E_{1}(1, 1, 1)$" in latex and r"\lambda_{3}" in latex


def test_accepts_any_object_with_symbolic_payoffs():
    class Toy:
        players = ("row", "column")
        strategies = (("Up", "Down"), ("Left", "Right"))

        def symbolic_payoffs(self):
            t = sympy.Symbol("t", positive=True)
            return sympy.Array([[[t - 1, 0], [0, 1]], [[1, 0], [0, t]]])

    table = gt.dynamics.corner_conditions(Toy())
    assert table[0].label == "(Up, Left)" and "t" in table.parameters
    # at (Up, Left): row's eigenvalue 0 - (t - 1) = 1 - t changes sign at t = 1
    assert table.threshold("t", ("Up", "Left")) == [1.0]
    assert table.row(("Up", "Left")).eigenvalues == (1 - sympy.Symbol("t", positive=True), -1)


def test_bad_symbolic_input():
    with pytest.raises(InvalidParameterError, match="every s_i >= 2"):
        gt.dynamics.corner_conditions(sympy.Array([[[1], [0]], [[0], [1]]]))
    with pytest.raises(InvalidParameterError, match="finite"):
        gt.dynamics.corner_conditions(sympy.Array([[[sympy.oo, 0], [0, 1]], [[1, 0], [0, 1]]]))
    with pytest.raises(InvalidParameterError, match="model"):
        gt.dynamics.corner_conditions(object())


def test_text_payoffs_are_refused_and_never_parsed(tmp_path):
    # sympify would evaluate the string as Python: text is data, never code
    target = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {target}')"
    for payoffs in ([[[payload, 1], [0, 2]], [[1, 0], [0, 1]]],
                    np.array([[["1", "2"], ["0", "2"]], [["1", "0"], ["0", "1"]]])):
        with pytest.raises(gt.InvalidParameterError, match="not of text"):
            gt.dynamics.replicator_equations(payoffs)
    assert not target.exists()
