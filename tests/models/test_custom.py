"""Bring your own model: payoff tables of formulas from Python and TOML."""

from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError

DATA = Path(__file__).parent / "data"

INSPECTION = {
    "players": ["inspectee", "inspector"],
    "strategies": [["Comply", "Violate"], ["Rest", "Inspect"]],
    "payoffs": {
        ("Comply", "Rest"): ["0", "0"],
        ("Comply", "Inspect"): ["0", "-audit_cost"],
        ("Violate", "Rest"): ["gain", "-gain"],
        ("Violate", "Inspect"): ["-fine", "fine - audit_cost"],
    },
    "parameters": {"gain": {"default": 10, "min": 0, "unit": "currency", "meaning": "gain from violating"},
                   "fine": 30, "audit_cost": 4},
}


def _inspection(**kw):
    return gt.models.from_table(**INSPECTION, counterfeit=("inspectee", "Violate"), name="inspection", **kw)


def test_inspection_game_from_python_known_answer():
    # mixed equilibrium: inspector indifferent at violation rate h / (F + g) = 4 / 40; inspectee at g / (g + F)
    m = _inspection()
    eqs = gt.solve(m.game())
    assert len(eqs) == 1
    assert eqs[0].regret <= 1e-9
    assert eqs[0].allclose([[0.9, 0.1], [0.75, 0.25]])
    out = m.outcomes(eqs[0])
    assert out["counterfeit_rate"] == pytest.approx(0.1)
    assert out["welfare"] == pytest.approx(sum(eqs[0].payoffs))


def test_toml_file_gives_the_same_model():
    m = gt.models.load_model_file(DATA / "inspection.toml")
    py = _inspection()
    assert m.name == "inspection" and m.players == py.players and m.strategies == py.strategies
    np.testing.assert_array_equal(m.game().payoffs, py.game().payoffs)
    assert m.parameter("fine").unit == "currency" and m.fine == 30.0  # vocabulary parameter


def test_custom_model_batches_and_validates():
    m = _inspection()
    fines = np.array([10.0, 30.0, 90.0])
    b = m.batch(fine=fines)
    for i, f in enumerate(fines):
        np.testing.assert_allclose(b.payoffs[i], m.with_params(fine=f).game().payoffs)
    sol = gt.solve_batch(b)
    rates = m.outcome_arrays(sol, fine=fines)["counterfeit_rate"][:, 0]
    np.testing.assert_allclose(rates, 4 / (fines + 10))  # violation rate h / (F + g)
    with pytest.raises(InvalidParameterError, match=r"'gain' parameter of inspection must be a float in \[0, inf\)"):
        m.with_params(gain=-1)
    with pytest.raises(InvalidParameterError, match=r"Did you mean 'gain'"):
        m.with_params(gian=1)
    with pytest.raises(InvalidParameterError, match=r"no extended variant"):
        m.with_params(variant="extended")


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"payoffs": {**INSPECTION["payoffs"], ("Violate", "Inspect"): ["-fien", "fine"]}},
         r"uses 'fien', which is not a parameter\. Did you mean 'fine'\?"),
        ({"payoffs": {k: v for k, v in INSPECTION["payoffs"].items() if k != ("Comply", "Rest")}},
         r"misses the profile 'Comply,Rest'"),
        ({"payoffs": {**INSPECTION["payoffs"], ("Comply", "Rest"): ["0"]}}, r"must give 2 formulas"),
        ({"payoffs": {**INSPECTION["payoffs"], ("Comply", "Rest"): ["0", "1 +* 2"]}}, r"does not parse"),
        ({"payoffs": {**INSPECTION["payoffs"], ("Comply", "Nap"): ["0", "0"]}}, r"not one of the game's profiles"),
        ({"parameters": {"gain": 10, "fine": 30, "audit_cost": -4}}, r"default of parameter 'audit_cost'"),
        ({"parameters": {"gain": {"meaning": "x"}, "fine": 30, "audit_cost": 4}}, r"'gain' .* needs a default"),
    ],
)
def test_bad_tables_raise_clear_errors(change, pattern):
    spec = {**INSPECTION, **change}
    with pytest.raises(InvalidParameterError, match=pattern):
        gt.models.from_table(**spec)


def test_bad_toml_names_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('players = ["a"]\nstrategies = [["x"]]\npayofs = {}\n')
    with pytest.raises(InvalidParameterError, match=r"Unknown key 'payofs' .*bad\.toml.* Did you mean 'payoffs'"):
        gt.models.load_model_file(bad)
    bad.write_text("players = [")
    with pytest.raises(InvalidParameterError, match=r"not valid TOML"):
        gt.models.load_model_file(bad)
    with pytest.raises(InvalidParameterError, match=r"Cannot read"):
        gt.models.load_model_file(tmp_path / "missing.toml")


def test_nested_list_payoffs_and_three_players():
    # a 2x2x2 table given as a nested list (n, s1, s2, s3) of formulas
    payoffs = [[[["a", "0"], ["0", "0"]], [["0", "0"], ["0", "1"]]] for _ in range(3)]
    m = gt.models.from_table(["x", "y", "z"], [["L", "R"]] * 3, payoffs, {"a": 2})
    g = m.game()
    assert g.shape == (2, 2, 2) and g.payoffs[2, 0, 0, 0] == 2.0
    eqs = gt.solve(g)
    assert len(eqs) >= 2 and max(e.regret for e in eqs) <= 1e-9


def test_custom_models_pickle_for_process_and_dask_backends():
    import pickle

    m = gt.models.load_model_file(DATA / "inspection.toml").with_params(fine=50)
    back = pickle.loads(pickle.dumps(m))
    assert back.fine == 50.0 and back.name == "inspection"
    np.testing.assert_array_equal(back.game().payoffs, m.game().payoffs)
    built_in = gt.models.get("direct", variant="extended", penalty_multiplier=3)
    assert pickle.loads(pickle.dumps(built_in)) == built_in
