"""The `gametheory optimize` command: one model, every model, commitment, JSON, one-line errors."""

import json

import pytest

import gametheory as gt
from gametheory.cli import main


def test_optimize_one_model_prints_optimum_binding_and_certificate(capsys):
    args = ["optimize", "direct", "--over", "penalty_multiplier=0:5", "--over", "deposit=200,500",
            "--constraint", "counterfeit_rate<=0.02"]
    assert main(args) == 0
    out = capsys.readouterr().out
    expected = gt.policy.optimize(gt.models.get("direct"), over={"penalty_multiplier": (0.0, 5.0),
                                                                 "deposit": [200.0, 500.0]},
                                  constraints={"counterfeit_rate": "<= 0.02"})
    assert f"platform_profit = {expected.value:.6g}" in out
    assert "binding:     counterfeit_rate <= 0.02" in out
    assert "equilibrium: seller [" in out and "platform [" in out


def test_optimize_json_round_trips(capsys):
    assert main(["optimize", "escrow", "--over", "audit_rate=0:1", "--constraint", "counterfeit_rate<=0.01",
                 "--resolution", "11", "--refine", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["feasible"] is True and set(data["policy"]) == {"audit_rate"}
    assert data["outcomes"]["counterfeit_rate"] <= 0.01 + 1e-9
    assert data["certificate"] and set(data["certificate"][0]["profile"]) == {"seller", "buyer"}


def test_optimize_all_models_names_the_best(capsys):
    assert main(["optimize", "all", "--objective", "welfare", "--constraint", "counterfeit_rate<=0.02",
                 "--resolution", "11", "--refine", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["best"] == data["models"][0]["model"]
    assert {row["model"] for row in data["models"]} == {"cash_on_delivery", "escrow", "direct", "self_operated"}


def test_optimize_commitment(capsys):
    assert main(["optimize", "cash_on_delivery", "--commitment", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    res = gt.policy.commitment(gt.models.get("cash_on_delivery"))
    assert data["optimistic"]["audit_rate"] == pytest.approx(res.audit_rate)
    assert data["optimistic"]["platform_payoff"] >= max(n["platform_payoff"] for n in data["simultaneous"]) - 1e-9


@pytest.mark.parametrize(("args", "match"), [
    (["optimize", "direct", "--over", "penalty_multipler=0:5"], "Did you mean 'penalty_multiplier'"),
    (["optimize", "direct", "--over", "penalty_multiplier"], "NAME=LO:HI"),
    (["optimize", "direct", "--constraint", "fakes<0.1"], "METRIC<=X"),
    (["optimize", "all", "--commitment"], "needs one model"),
    (["optimize", "self_operated", "--commitment"], "platform player"),
])
def test_errors_are_one_line_exit_2(capsys, args, match):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert match in err and err.count("\n") == 1
