"""A fuzz campaign over the file readers and every CLI sub-command (see docs/limits.md, "Fuzzing").

The property, for every input: either a result whose equilibria all pass the regret check
(``regret <= tol * scale``), or a one-line error (exit code 2 on the command line), within a time bound: a
watchdog turns an example that uses more than ``HANG_SECONDS`` of CPU time into a failure, so a hang is found,
not waited for (CPU time, so that a loaded machine does not make it flaky).

Inputs are the example files (games, sweep specs, a model file) mutated by random edits (deletions, insertions
of hostile tokens: huge counts, ``1e308``, ``inf``, ``9**9**9``, deep brackets, dunder calls) and argument
lists built from each sub-command's options with valid and hostile values. The default suite runs a few
examples per target; a long run::

    GAMETHEORY_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py -p no:cacheprovider -q
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.cli import COMMANDS, build_parser, main
from gametheory.errors import GametheoryError

EXAMPLES = int(os.environ.get("GAMETHEORY_FUZZ_EXAMPLES", "6"))
HANG_SECONDS = 60
ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    ".json": (ROOT / "examples/games/battle_of_sexes.json").read_text(),
    ".nfg": (ROOT / "examples/games/prisoners_dilemma.nfg").read_text(),
    ".efg": (ROOT / "examples/games/entry_deterrence.efg").read_text(),
    "spec": (ROOT / "examples/sweeps/models_vs_detection.toml").read_text(),
    "model": (ROOT / "tests/models/data/inspection.toml").read_text(),
}
HOSTILE = ["{", "}", "[", "]", '"', "'", ",", "\n", "=", "/", "-", "0", "1", "-1", "2", "1e308", "-1e308", "1e-320",
           "inf", "nan", "NaN", "Infinity", "1/0", "0/0", "9**9**9", "10**400", "99999999999", "1000000000",
           "{ 100000 100000 }", "[0, 1, 100000000000]", "[" * 80, "{" * 80, "__import__('os').system('true')",
           "().__class__", "lambda: 0", "min(", "Piecewise((1, True))", "exp(1000)", "log(0)", "p", "t", "x"]
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


class Hang(Exception):
    """An example ran past HANG_SECONDS."""


@contextlib.contextmanager
def watchdog(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` once the process has used ``seconds`` of CPU time (a loaded machine does not count)."""

    def fire(_signum: int, _frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, fire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@st.composite
def mutated(draw: Any, seed: str) -> str:
    """``seed`` with a few random edits (or, rarely, random text)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=200))
    text = seed
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "replace"]))
        piece = draw(st.sampled_from(HOSTILE) | st.text(alphabet="{}[]\",0123456789.-e/ =\nabc", max_size=6))
        span = draw(st.integers(1, 12))
        if kind == "delete":
            text = text[:at] + text[at + span:]
        elif kind == "insert":
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + piece + text[at + span:]
    return text


def assert_one_line(exc: BaseException) -> None:
    message = str(exc)
    assert message and "\n" not in message, repr(message)


def assert_equilibria_check(game: Any, tol_slack: float = 1e-12) -> None:
    """Solve (within a work limit) and check every equilibrium's regret, or accept a one-line refusal."""
    nf = game.to_normal_form() if isinstance(game, gt.ExtensiveFormGame) else game
    try:
        eqs = gt.solve(nf, max_seconds=5.0)
    except GametheoryError as exc:  # LimitError, SolverError: refused in one line
        assert_one_line(exc)
        return
    assert len(eqs) >= 1 or not eqs.complete
    for eq in eqs:
        assert float(nf.regret(eq.profile)) <= (eqs.tol + tol_slack) * nf.scale
        assert eq.regret <= (eqs.tol + tol_slack) * nf.scale


# ---------------------------------------------------------------------- readers
@pytest.mark.parametrize("suffix", [".json", ".nfg", ".efg"])
def test_game_readers_answer_or_refuse_in_one_line(tmp_path: Path, suffix: str) -> None:
    @SETTINGS
    @given(text=mutated(SEEDS[suffix]))
    def run(text: str) -> None:
        path = tmp_path / f"game{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        with watchdog():
            try:
                game = gt.io.load_game(path)
            except GametheoryError as exc:
                assert_one_line(exc)
                return
            assert_equilibria_check(game)

    run()


def test_sweep_specs_validate_or_refuse_in_one_line() -> None:
    @SETTINGS
    @given(text=mutated(SEEDS["spec"]))
    def run(text: str) -> None:
        with watchdog():
            try:
                spec = gt.sweeps.SweepSpec.from_toml_text(text, source="spec.toml")
            except GametheoryError as exc:
                assert_one_line(exc)
                return
            assert spec.n_points >= 1 and all(np.isfinite(a.values).all() for a in spec.axes)

    run()


def test_model_files_load_and_solve_or_refuse_in_one_line(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payloads = [f"__import__('os').system('touch {marker}')", f"open('{marker}', 'w')"]
    seed = SEEDS["model"]

    @SETTINGS
    @given(text=mutated(seed) | st.sampled_from(payloads).map(lambda p: seed.replace('"gain"', json.dumps(p))))
    def run(text: str) -> None:
        path = tmp_path / "model.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        with watchdog():
            try:
                model = gt.models.load_model_file(path)
                game = model.game()
            except GametheoryError as exc:
                assert_one_line(exc)
                return
            assert_equilibria_check(game)
        assert not marker.exists()

    run()
    assert not marker.exists()


# ---------------------------------------------------------------------- the command line
NUMBERS = ["0", "1", "-1", "0.5", "2", "1e308", "-1e308", "1e18", "inf", "-inf", "nan", "abc", "", "100000000000"]
PARAMS = ["penalty_multiplier", "deposit", "price", "detection_prob", "fine", "insurance", "nosuch", "gain"]


def _value() -> Any:
    return st.sampled_from(NUMBERS)


def _sets() -> Any:
    return st.lists(st.tuples(st.sampled_from(PARAMS), _value()).map(lambda t: ["--set", f"{t[0]}={t[1]}"]),
                    max_size=2).map(lambda xs: [a for x in xs for a in x])


def _options(*pairs: tuple[str, Any]) -> Any:
    """Each option present or not, with a drawn value (``None``: a flag)."""
    parts = [st.one_of(st.just([]), (st.just([name]) if values is None else values.map(lambda v, n=name: [n, v])))
             for name, values in pairs]
    return st.tuples(*parts).map(lambda xs: [a for x in xs for a in x])


MODELS = st.sampled_from(["direct", "escrow", "cash_on_delivery", "self_operated", "nosuch"])
METHODS = st.sampled_from(["auto", "pure", "support_enumeration", "vertex_enumeration", "lemke_howson",
                           "closed_form", "backward_induction", "nosuch"])


def _argv(command: str, files: dict[str, Path]) -> Any:
    common = _options(("--max-seconds", st.sampled_from(["20", "0.001", "-1", "inf", "nan"])))
    if command == "models":
        return st.tuples(st.lists(MODELS, max_size=2), _options(("--model-file", st.just(str(files["model"]))),
                                                                 ("--json", None),
                                                                 ("--variant", st.sampled_from(["core", "extended",
                                                                                                "x"])))).map(
            lambda t: ["models", *t[0], *t[1]])
    if command == "solve":
        return st.tuples(MODELS, _sets(), _options(("--method", METHODS), ("--tol", _value())), common).map(
            lambda t: ["solve", t[0], *t[1], *t[2], *t[3], "--json"])
    if command == "solve_game":
        return st.tuples(st.sampled_from([".json", ".nfg", ".efg"]), _options(("--method", METHODS),
                                                                             ("--tol", _value())), common).map(
            lambda t: ["solve-game", str(files[t[0]]), *t[1], *t[2], "--json"])
    if command == "evolve":
        return st.tuples(MODELS, _sets(), _options(("--t-max", _value()),
                                                   ("--start", st.sampled_from(["0.5,0.5,0.5", "2,0,0", "a",
                                                                                "0.1,0.9"])))).map(
            lambda t: ["evolve", t[0], *t[1], *t[2], "--no-symbolic"])
    if command == "threshold":
        return st.tuples(MODELS, _sets(), _options(("--target-rate", _value()), ("--upper", _value()),
                                                   ("--lower", _value()),
                                                   ("--parameter", st.sampled_from(PARAMS)),
                                                   ("--method", st.sampled_from(["auto", "closed_form", "search",
                                                                                 "x"])))).map(
            lambda t: ["threshold", t[0], *t[1], *t[2]])
    if command == "sweep":
        return _options(("--resume", None), ("--overwrite", None)).map(
            lambda opts: ["sweep", str(files["spec"]), "--out", str(files["out"]), "--quiet", "--max-points", "400",
                          "--max-seconds", "20", *opts])
    if command == "report":
        return st.sampled_from([str(files["out"]), str(files["missing"]), str(files["garbage"])]).map(
            lambda d: ["report", d, "--out", str(files["report"])])
    if command == "compare":  # a valid resolution builds the whole report (20 s): fuzz what must be refused
        return st.tuples(st.sampled_from(["4", "-3", "0", "x", "1e3", "100000", "1000000000"]), _sets()).map(
            lambda t: ["compare", "--out", str(files["report"]), "--resolution", t[0], *t[1]])
    if command == "optimize":  # small grids answer in a second; huge ones must be refused up front
        return st.tuples(MODELS, _sets(), _options(
            ("--resolution", st.sampled_from(["3", "5", "1", "x", "100000000"])),
            ("--refine", st.sampled_from(["0", "1", "-1", "1000000000"])),
            ("--over", st.sampled_from(["penalty_multiplier=0:5", "deposit=1,2", "audit_rate=0:1", "nosuch=0:1",
                                        "deposit=5:1", "price=inf:1"])),
            ("--constraint", st.sampled_from(["counterfeit_rate<=0.02", "welfare>=1e308", "x<=1", "<="])),
            ("--equilibria", st.sampled_from(["worst", "best", "x"])), ("--json", None))).map(
            lambda t: ["optimize", t[0], *t[1], *t[2]])
    if command == "repeated":
        return st.tuples(MODELS, _sets(), _options(
            ("--orders", st.sampled_from(["1,10", "0", "1e15", "a", "1,-1"])),
            ("--prior-honest", _value()), ("--false-flag-rate", _value()),
            ("--horizon", st.sampled_from(["1", "50", "0", "1000000000000", "x"])), ("--json", None))).map(
            lambda t: ["repeated", t[0], *t[1], *t[2]])
    # a sub-command added later: its own arguments drawn from a generic soup
    return st.lists(st.sampled_from([*NUMBERS, *PARAMS, "--json", "--set", "direct", "--help-x"]),
                    max_size=4).map(lambda rest: [command.replace("_", "-"), *rest])


def _check_output(argv: list[str], out: str) -> None:
    """A JSON answer of solve/solve-game: every listed profile passes the regret check on the game it names."""
    if argv[0] not in ("solve", "solve-game") or "--json" not in argv:
        return
    answer = json.loads(out)
    args = build_parser(argv[0]).parse_args(argv)
    tol = args.tol if args.tol is not None else answer.get("tol") or 1e-9
    if argv[0] == "solve-game":
        game = gt.io.load_game(argv[1])
        if isinstance(game, gt.ExtensiveFormGame):
            if answer.get("method") == "backward_induction":
                return  # subgame-perfect plans, checked in tests/solvers/test_backward_induction.py
            game = game.to_normal_form()
    else:
        from gametheory.cli.solve import _model

        game = _model(args).game()
    for eq in answer["equilibria"]:
        profile = eq["profile"]
        if isinstance(profile, dict):  # solve: player -> strategy -> probability
            profile = [[profile[p][s] for s in labels] for p, labels in zip(game.players, game.strategies,
                                                                           strict=True)]
        assert float(game.regret(profile)) <= (tol + 1e-12) * game.scale


@pytest.fixture(scope="module")
def files(tmp_path_factory: Any) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    paths = {key: root / f"seed{key}" for key in (".json", ".nfg", ".efg")}
    for key, path in paths.items():
        path.write_text(SEEDS[key])
    paths["model"] = root / "model.toml"
    paths["model"].write_text(SEEDS["model"])
    paths["spec"] = root / "spec.toml"
    paths["spec"].write_text('model = "direct"\n[axes]\ndetection_prob = { linspace = [0, 1, 5] }\n')
    paths["out"], paths["report"], paths["missing"] = root / "out", root / "report", root / "missing"
    paths["garbage"] = root / "garbage"
    paths["garbage"].mkdir()
    (paths["garbage"] / "manifest.json").write_text("{not json")
    return paths


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_answers_or_refuses_in_one_line(command: str, files: dict[str, Path]) -> None:
    @SETTINGS
    @given(argv=_argv(command, files))
    def run(argv: list[str]) -> None:
        out, err = io.StringIO(), io.StringIO()
        with watchdog(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
                code = int(stop.code or 0)
        assert code in (0, 2), (argv, code, err.getvalue())
        if code == 2:
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith("gametheory"), (argv, err.getvalue())
        else:
            _check_output(argv, out.getvalue())

    run()
