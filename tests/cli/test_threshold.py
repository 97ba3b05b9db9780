"""The `gametheory threshold` command: threshold, formula, certificate, infeasibility, JSON, errors."""

import json

import pytest


def test_threshold_prints_value_formula_and_certificate(cli):
    out = cli("threshold", "direct", "--target-rate", "0.05")
    assert "threshold:   penalty_multiplier = 0.8888888889  [closed_form]" in out
    assert "formula:     k* = -m + e/(alpha*p*q*tau)" in out
    assert "certificate:" in out and "(holds: False -> True)" in out
    assert "just below:" in out and "just above:" in out


def test_threshold_json_round_trips(cli):
    data = json.loads(cli("threshold", "direct", "--set", "deposit=1000", "--target-rate", "0.05", "--json"))
    assert data["feasible"] is True and data["changed"] == {"deposit": 1000.0}
    assert data["threshold"] == pytest.approx(5 / (0.72 * 100 * 0.05) - 0.5)
    cert = data["certificate"]
    assert cert["holds_below"] is False and cert["holds_above"] is True
    assert cert["rate_below"] > 0.05 >= cert["rate_above"] - 1e-9
    assert data["formula"] and data["below"] and data["above"]


def test_threshold_infeasible_names_the_smallest_deposit(cli):
    out = cli("threshold", "direct", "--target-rate", "0.01")
    assert "threshold:   none (infeasible)" in out
    assert "deposit caps the penalty" in out
    assert "min deposit: 644.44" in out


def test_threshold_target_zero_says_it_is_never_reached(cli):
    assert "only falls gradually" in cli("threshold", "direct")


def test_threshold_other_parameter_and_bounds(cli):
    data = json.loads(cli("threshold", "direct", "--parameter", "deposit", "--target-rate", "0.05", "--upper", "1000",
                          "--json"))
    assert data["parameter"] == "deposit" and data["bounds"] == [0.0, 1000.0]
    assert data["threshold"] == pytest.approx(5 / (0.72 * 0.05) - 50)


def test_threshold_window(cli):
    out = cli("threshold", "direct", "--target-rate", "0.05", "--window")
    assert "window:      k in [0.888889, 4.5) deters without making false claims pay" in out


def test_threshold_escrow(cli):
    data = json.loads(cli("threshold", "escrow", "--target-rate", "0.05", "--json"))
    assert data["threshold"] == pytest.approx(5 / (0.72 * 100 * 0.05)) and data["bounds"][0] == 1.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["threshold", "direct", "--target-rate", "2"], "The --target-rate option of gametheory threshold must be"),
        (["threshold", "direct", "--target-rate", "1.2", "--window"], "The --target-rate option"),
        (["threshold", "direct", "--parameter", "depositt"], "Did you mean 'deposit'"),
        (["threshold", "direct", "--parameter", "insurance"], "The --parameter option of gametheory threshold"),
        (["threshold", "direct", "--criterion", "most"], "The --criterion option of gametheory threshold"),
        (["threshold", "direct", "--method", "fast"], "The --method option of gametheory threshold"),
        (["threshold", "direct", "--lower", "5", "--upper", "1"], "Got --lower 5 and --upper 1 instead"),
        (["threshold", "direct", "--upper", "nan"], "--lower and --upper must be finite numbers"),
        (["threshold", "nosuchmodel"], "nosuchmodel"),
        (["threshold", "direct", "--set", "price"], "--set expects NAME=VALUE"),
        (["threshold", "direct", "--parameter", "deposit", "--window"], "--window applies to the penalty"),
    ],
)
def test_threshold_errors_are_one_line(cli, argv, message):
    err = cli(*argv, code=2)
    assert err.startswith("gametheory threshold: error:") and message in err
    assert "Traceback" not in err
    # an error names what the user typed (an option), never the Python function behind it
    assert "min_value" not in err and "deterrence_window" not in err and "'target_rate'" not in err


def test_a_stable_states_failure_says_where_no_stable_state_exists_not_nan(cli):
    # at k = 100 the replicator dynamics have no stable state (the deciding rate is undefined there)
    out = cli("threshold", "direct", "--criterion", "stable_states")
    why = next(line for line in out.splitlines() if line.startswith("why:"))
    assert "nan" not in why
    assert "1 at penalty_multiplier = 0 and undefined at 100 (no stable state there)" in why


def test_threshold_prints_the_set_and_marks_a_non_monotone_answer(cli):
    out = cli("threshold", "direct", "--target-rate", "0.08", "--upper", "2")
    assert "deters on:   (0.3, 0.3692076939) U [0.6844525393, 2]  (exact)" in out
    assert "robust:      penalty_multiplier = 0.6844525393" in out and "NOT MONOTONE" in out
    data = json.loads(cli("threshold", "direct", "--target-rate", "0.08", "--upper", "2", "--json"))
    assert data["threshold"] == 0.3 and data["monotone"] is False
    assert data["deterrence_set"]["set"] == "(0.3, 0.3692076939) U [0.6844525393, 2]"
    assert [iv["closed_lower"] for iv in data["deterrence_set"]["intervals"]] == [False, True]


def test_threshold_reaches_the_extended_variant(cli):
    # hunter_share exists only in the extended variant: --variant extended is accepted and builds that model
    err = cli("threshold", "direct", "--variant", "extended", "--set", "hunter_share=2", code=2)
    assert "hunter_share" in err and "exists only in the extended variant" not in err


@pytest.mark.slow
def test_threshold_extended_variant_end_to_end_no_trade_is_not_deterrence(cli):
    # the issue: the extended direct model answered k* = 0 "already holds" because buyers abstain and nothing is
    # sold; now the no-trade stretch is shown apart and the smallest value is where trade resumes with few fakes
    data = json.loads(cli("threshold", "direct", "--variant", "extended", "--target-rate", "0.05", "--window",
                          "--json"))
    assert data["variant"] == "extended" and data["feasible"]
    assert data["threshold"] == pytest.approx(0.3684210526, rel=1e-6) and data["threshold"] > 0
    assert data["deterrence_set"]["no_trade"][0]["lower"] == 0.0
    assert data["deterrence_set"]["no_trade"][0]["upper"] == pytest.approx(data["threshold"], rel=1e-9)
    assert "nothing is sold" in data["reason"] and data["monotone"] is False
    assert data["window"]["k_max"] == pytest.approx(4.5, rel=1e-6)  # false claims pay from (e / beta - m p) / p
    out = cli("threshold", "direct", "--variant", "extended", "--target-rate", "0.05", "--upper", "0.15")
    assert "threshold:   none (infeasible)" in out and "no trade:    [0, 0.15]" in out
    assert "nothing is sold" in out and "already holds" not in out
