"""``gametheory solve-game FILE``: the table, the JSON, trees, and one-line errors for bad input."""

import json
from pathlib import Path

import pytest

from gametheory.cli import main
from gametheory.io import save_game, write_efg
from tests import _trees as trees

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"


def run(capsys, *argv):
    code = main(["solve-game", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_for_battle_of_the_sexes(capsys):
    code, out, err = run(capsys, EXAMPLES / "battle_of_sexes.json")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].endswith("battle_of_sexes.json: 2 players (Alice, Bob), 2x2 normal form")
    assert lines[1].startswith("method: auto(") and "complete: yes" in lines[1] and "equilibria: 3" in lines[1]
    header = next(line for line in lines if line.startswith("#"))
    assert header.split() == ["#", "player", "strategies", "payoff", "regret"]
    rows = lines[lines.index(header) + 1:]
    assert len(rows) == 6
    assert "Opera=0.6, Football=0.4" in out and "Opera=0.4, Football=0.6" in out
    # aligned: every row has its payoff ending in the same column as the header's "payoff"
    end = header.index("payoff") + len("payoff")
    assert all(row[:end].rstrip()[-1].isdigit() for row in rows)


def test_json_output(capsys):
    code, out, _ = run(capsys, EXAMPLES / "battle_of_sexes.json", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["players"] == ["Alice", "Bob"] and data["complete"] is True
    assert len(data["equilibria"]) == 3
    mixed = [e for e in data["equilibria"] if min(e["profile"][0]) > 0]
    assert len(mixed) == 1
    assert mixed[0]["profile"][0] == pytest.approx([0.6, 0.4])
    assert mixed[0]["payoffs"] == pytest.approx([1.2, 1.2])
    assert all(e["regret"] <= 1e-9 for e in data["equilibria"])


def test_nfg_file_with_pure_method(capsys, tmp_path):
    game = trees.entry_deterrence().to_normal_form()
    save_game(game, tmp_path / "entry.nfg")
    code, out, _ = run(capsys, tmp_path / "entry.nfg", "--method", "pure")
    assert code == 0
    assert "method: pure" in out and "equilibria: 2" in out
    assert "Fight=1" in out and "Accommodate=1" in out


def test_efg_file_is_solved_on_its_reduced_normal_form(capsys):
    code, out, _ = run(capsys, EXAMPLES / "entry_deterrence.efg")
    assert code == 0
    assert "reduced normal form 2x2 of a game tree" in out
    assert "degenerate" in out  # (Out, Fight with prob >= 1/2) is a continuum


def test_backward_induction_table_and_json(capsys, tmp_path):
    code, out, _ = run(capsys, EXAMPLES / "entry_deterrence.efg", "--method", "backward_induction")
    assert code == 0
    assert "subgame-perfect equilibria: 1" in out
    assert "root: In" in out and "In: Accommodate" in out and "In > Accommodate" in out
    write_efg(trees.ultimatum(2), tmp_path / "ultimatum.efg")
    code, out, _ = run(capsys, tmp_path / "ultimatum.efg", "--method", "backward_induction", "--json")
    data = json.loads(out)
    assert code == 0 and data["ties"] is True and len(data["equilibria"]) == 2
    assert sorted(e["paths"][0]["path"][0] for e in data["equilibria"]) == ["0", "1"]


def test_exact_games_print_fractions(capsys, tmp_path):
    write_efg(trees.investment(), tmp_path / "investment.efg")
    code, out, _ = run(capsys, tmp_path / "investment.efg", "--method", "backward_induction")
    assert code == 0 and "exact: yes" in out
    assert "good: Invest, bad: Safe" in out and "Good > Invest (1/4); Bad > Safe (3/4)" in out
    assert out.split("Invest/Safe")[1].split()[0] == "7/4"
    code, out, _ = run(capsys, tmp_path / "investment.efg", "--json")
    data = json.loads(out)
    assert data["exact"] is True and data["equilibria"][0]["profile_exact"] is not None


@pytest.mark.parametrize(
    ("content", "name", "extra", "message"),
    [
        (None, "missing.json", [], "No such game file"),
        ('{"payoffs": [[1, 2]', "bad.json", [], "invalid JSON at line 1"),
        ('{"payoffs": [[[1, 2], [3]], [[0, 1], [1, 0]]]}', "ragged.json", [], "ragged"),
        ('{"payoffs": [[[1, NaN]], [[0, 1]]]}', "nan.json", [], "NaN"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]]}', "game.txt", [], "Unknown game file suffix '.txt'"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]]}', "ok.json", ["--method", "vertex_enum"], "'method' parameter of solve"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]]}', "ok.json", ["--method", "backward_induction"], "needs a game tree"),
        ('{"payoffs": [[[[1]]], [[[1]]], [[[1]]]]}', "three.json", ["--method", "lemke_howson"], "2 players"),
        ('NFG 1 R "" { "A" } { 2 } 1', "short.nfg", [],
         "short.nfg: the header declares 1 player with 2 strategies, but only 1 tokens follow"),
        ('EFG 2 R "" { "A" } "" p "" 1 1 "" { "x" } 0', "open.efg", [], "expected a node line"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]]}', "ok.json", ["--tol", "-1"], "'tol' parameter"),
    ],
    ids=["missing", "bad_json", "ragged", "nan", "suffix", "unknown_method", "bi_on_nfg", "lh_3_players",
         "short_nfg", "open_efg", "negative_tol"],
)
def test_bad_input_gives_one_line_and_exit_2(capsys, tmp_path, content, name, extra, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, path, *extra)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("gametheory solve-game: error: ")
    assert message in err


def test_imperfect_information_tree_with_backward_induction(capsys, tmp_path):
    write_efg(trees.one_card_poker(), tmp_path / "poker.efg")
    code, _, err = run(capsys, tmp_path / "poker.efg", "--method", "backward_induction")
    assert code == 2 and "perfect information" in err and err.count("\n") == 1
    code, out, _ = run(capsys, tmp_path / "poker.efg")
    assert code == 0
    assert "Bet/Bet=1/6, Bet/Check=5/6" in out and "Call=2/3, Fold=1/3" in out and "-1/9" in out


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_every_example_file_solves(capsys, path):
    code, out, err = run(capsys, path)
    assert code == 0 and err == ""
    assert "complete: yes" in out


def test_example_poker_value(capsys):
    code, out, _ = run(capsys, EXAMPLES / "one_card_poker.efg")
    assert code == 0 and "-1/9" in out and "Bet/Bet=1/6, Bet/Check=5/6" in out
