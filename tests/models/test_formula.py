"""The whitelist formula parser: model files are data, never code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.models.formula import parse_formula

G, F, P = sympy.symbols("g F p", real=True)
NAMES = {"gain": G, "fine": F, "price": P}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gain - fine", G - F),
        ("-gain + 2 * fine / 4", -G + F / 2),
        ("price ** 2 - 0.5", P**2 - sympy.Float("0.5")),
        ("min(gain, fine)", sympy.Min(G, F)),
        ("Max(gain, 0)", sympy.Max(G, 0)),
        ("abs(gain - fine)", sympy.Abs(G - F)),
        ("exp(gain) + log(fine) + sqrt(price)", sympy.exp(G) + sympy.log(F) + sympy.sqrt(P)),
        ("Piecewise((gain, gain < fine), (fine, True))", sympy.Piecewise((G, G < F), (F, True))),
        ("Piecewise((1, 0 <= gain <= 1 and fine > 2), (0, True))",
         sympy.Piecewise((1, (G >= 0) & (G <= 1) & (F > 2)), (0, True))),
        ("2 ** 10", sympy.Integer(1024)),
        ("9 ** 9", sympy.Integer(387420489)),
        ("(gain)", G),
        ("+".join(["gain"] * 500) + " - 499 * gain", G),
        ("*".join(["price"] * 50) + " / price ** 49", P),
    ],
    ids=["difference", "arithmetic", "power", "min", "Max", "abs", "exp_log_sqrt", "piecewise",
         "piecewise_chained", "constant_power", "nine_to_nine", "parentheses", "long_sum", "long_product"],
)
def test_allowed_formulas_build_the_expected_expression(text, expected):
    assert sympy.simplify(parse_formula(text, NAMES) - expected) == 0


HOSTILE = [
    ("__import__('os').system('touch /tmp/x')", r"may call only"),
    ("().__class__.__bases__[0].__subclasses__()", r"may hold only|may call only"),
    ("gain.__class__", r"may hold only"),
    ("(lambda: 1)()", r"may call only"),
    ("lambda x: x", r"may hold only"),
    ("sympy.sympify('1')", r"may call only"),
    ("gain.real.imag", r"may hold only"),
    ("[x for x in (1, 2)]", r"may hold only"),
    ("open('/etc/passwd')", r"may call only"),
    ("eval('1')", r"may call only"),
    ("exp(x=1)", r"plain arguments only"),
    ("min(*[1, 2])", r"plain arguments only"),
    ("'text'", r"may hold only"),
    ("gain[0]", r"may hold only"),
    ("gain if fine else price", r"may hold only"),
    ("gain < fine", r"only in the conditions of Piecewise"),
    ("9**9**9", r"raises to the power 387420489, beyond the limit of 100"),
    ("10**(10**10)", r"beyond the limit of 100"),
    ("gain ** price", r"constant power"),
    ("(10**100)**10", r"larger than 1e300"),
    ("1e300 * 1e300", r"larger than 1e300"),
    ("1 / 0", r"divides by zero"),
    ("0 ** -1", r"divides by zero"),
    ("log(0)", r"not finite"),
    ("sqrt(-1)", r"not a real number"),
    ("1" * 400, r"numbers up to 1e\+300"),
    ("-" * 200 + "gain", r"nested more than 100 levels"),
    ("(" * 250 + "gain" + ")" * 250, r"does not parse"),
    ("+".join(["gain"] * 1500), r"more than 2000 terms"),
    ("*".join(["(gain"] * 120) + ")" * 120, r"nested more than 100 levels"),
    ("gain " * 3000, r"more than the limit of 10000|does not parse"),
    ("gian", r"uses 'gian', which is not a parameter\. Did you mean 'gain'\?"),
    ("min", r"without calling it"),
    ("exp(gain, fine)", r"calls exp with one argument"),
    ("Piecewise(gain)", r"pairs \(value, condition\)"),
    ("Piecewise((gain, fine))", r"Piecewise condition"),
    ("1 +* 2", r"does not parse"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[f"payload{k}" for k in range(len(HOSTILE))])
def test_hostile_and_malformed_formulas_are_one_line_errors(text, message):
    with pytest.raises(InvalidParameterError, match=message) as info:
        parse_formula(text, NAMES, where="pwn.toml: The payoff formula of a at (C,C)")
    text_of_error = str(info.value)
    assert "\n" not in text_of_error
    assert text_of_error.startswith("pwn.toml: The payoff formula of a at (C,C)")


def _model_file(path: Path, formula: str) -> Path:
    """A prisoner's dilemma whose (C, C) payoff of player a is ``formula`` (a JSON string is a TOML string)."""
    path.write_text(
        'players = ["a", "b"]\nstrategies = [["C", "D"], ["C", "D"]]\nparameters = {t = 5}\n[payoffs]\n'
        f'"C,C" = [{json.dumps(formula)}, "3"]\n"C,D" = ["0", "t"]\n"D,C" = ["t", "0"]\n"D,D" = ["1", "1"]\n',
        encoding="utf-8",
    )
    return path


def test_a_model_file_that_runs_a_command_is_refused_and_the_command_never_runs(tmp_path):
    """The issue's payload: before the parser, loading this file created the file (sympify evaluates Python)."""
    target = tmp_path / "pwned"
    model = _model_file(tmp_path / "pwn.toml", f"__import__('os').system('touch {target}')")
    with pytest.raises(InvalidParameterError, match=r"pwn\.toml: The payoff formula of a at \(C,C\) may call only"):
        gt.models.load_model_file(model)
    for command in (["models", "--model-file", str(model)], ["solve", "--model-file", str(model)]):
        done = subprocess.run([sys.executable, "-m", "gametheory", *command], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "may call only" in done.stderr
    assert not target.exists()


def test_a_huge_exponent_in_a_model_file_is_refused_before_it_is_computed(tmp_path):
    model = _model_file(tmp_path / "power.toml", "9**9**9")
    with pytest.raises(InvalidParameterError, match=r"power\.toml: .*raises to the power 387420489"):
        gt.models.load_model_file(model)


def test_a_legitimate_model_file_still_solves(tmp_path):
    model = _model_file(tmp_path / "pd.toml", "min(3, t) - 0")
    eqs = gt.solve(gt.models.load_model_file(model).game())
    assert len(eqs) == 1 and max(e.regret for e in eqs) <= eqs.tol
    assert [v.tolist() for v in eqs[0].profile] == [[0.0, 1.0], [0.0, 1.0]]
