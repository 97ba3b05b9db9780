"""The `gametheory models` and `gametheory solve` commands."""

import json
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.cli import main

DATA = Path(__file__).parents[1] / "models" / "data"


def test_models_lists_every_model_and_parameter(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for name in gt.models.names():
        assert f"{name}: " in out
    for column in ("parameter", "symbol", "unit", "default", "domain", "meaning"):
        assert column in out
    assert "penalty_multiplier" in out and "multiple" in out and "[0, inf)" in out


def test_models_json_gives_defaults_and_domains(capsys):
    assert main(["models", "escrow", "--json"]) == 0
    (info,) = json.loads(capsys.readouterr().out)
    par = {p["name"]: p for p in info["parameters"]}
    assert par["penalty_multiplier"]["default"] == 1 and par["penalty_multiplier"]["domain"] == "a float in [1, inf)"
    assert info["players"] == ["seller", "buyer", "platform"]


def test_solve_prints_every_equilibrium_with_outcomes(capsys):
    assert main(["solve", "escrow"]) == 0
    out = capsys.readouterr().out
    assert "3 equilibria" in out
    assert out.count("outcomes: counterfeit_rate") == 3


def test_solve_json_with_settings(capsys):
    assert main(["solve", "direct", "--set", "penalty_multiplier=3", "--set", "insurance=none", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed"] == {"penalty_multiplier": 3.0, "insurance": "none"}
    (eq,) = data["equilibria"]
    assert eq["regret"] <= 1e-9
    assert eq["outcomes"]["counterfeit_rate"] == pytest.approx(5 / (0.72 * 300))


def test_solve_custom_model_file(capsys):
    assert main(["solve", "--model-file", str(DATA / "inspection.toml"), "--set", "fine=90", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["equilibria"][0]["outcomes"]["counterfeit_rate"] == pytest.approx(4 / 100)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve", "direct", "--set", "penalty_multiplir=3"], "Did you mean 'penalty_multiplier'?"),
        (["solve", "direct", "--set", "detection_prob=1.2"], "must be a float in [0, 1]. Got 1.2 instead."),
        (["solve", "escrow", "--set", "deposit=100"], "'deposit' parameter does not exist in escrow"),
        (["solve", "direct", "--set", "price"], "--set expects NAME=VALUE"),
        (["solve", "dirct"], "Did you mean 'direct'?"),
        (["solve"], "Name a model"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
