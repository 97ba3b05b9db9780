"""The JSON game format: the example file, round trips, exact payoffs, and every kind of bad file."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.io import format_json, load_game, parse_json, read_json, save_game, write_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"


def test_example_battle_of_the_sexes():
    game = read_json(EXAMPLES / "battle_of_sexes.json")
    assert game.players == ("Alice", "Bob")
    assert game.strategies == (("Opera", "Football"), ("Opera", "Football"))
    np.testing.assert_array_equal(game.payoffs, [[[3, 0], [0, 2]], [[2, 0], [0, 3]]])
    eqs = gt.solve(game)
    assert len(eqs) == 3
    assert all(eq.regret <= 1e-9 for eq in eqs)


def test_round_trip_three_players(tmp_path):
    rng = np.random.default_rng(3)
    game = gt.NormalFormGame(rng.normal(size=(3, 2, 2, 3)), players=["S", "B", "P"])
    path = tmp_path / "g.json"
    write_json(game, path, title="random")
    assert read_json(path) == game
    assert json.loads(path.read_text())["title"] == "random"


def test_exact_payoffs_as_strings():
    game = gt.NormalFormGame([[[Fraction(1, 3), 2]], [[0, Fraction(-5, 4)]]])
    text = format_json(game)
    assert '"1/3"' in text and '"-5/4"' in text
    back = parse_json(text)
    assert back.is_exact and back == game


def test_labels_are_optional():
    game = parse_json('{"payoffs": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}')
    assert game.players == ("Player 1", "Player 2") and game.strategies[0] == ("s1", "s2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"payoffs": [[1, 2], [3 4]]}', r"g\.json: invalid JSON at line 1 column 25: Expecting ',' delimiter"),
        ('{"payoffs": [[[1, NaN]], [[0, 1]]]}', r"must be finite numbers; got NaN"),
        ('{"payoffs": [[[1, Infinity]], [[0, 1]]]}', r"got Infinity"),
        ('{"payoffs": [[[1, 2], [3]], [[0, 1], [1, 0]]]}', r"ragged"),
        ('{"payoffs": [[[1e400]], [[1]]]}', r"payoffs\[0\]\[0\]\[0\] must be a finite number. Got inf"),
        ('{"payoffs": [[[1' + "0" * 400 + ']], [[1]]]}', r"payoffs\[0\]\[0\]\[0\] must be a finite number"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]], "strategy": [["a"]]}',
         r"Unknown key 'strategy'\. Did you mean 'strategies'"),
        ('{"players": ["A", "B"]}', r"has no 'payoffs' array"),
        ('[1, 2]', r"must hold a JSON object"),
        ('{"payoffs": [[[1, "x"]], [[0, 1]]]}', r"payoffs\[0\]\[0\]\[1\] must be a number or a \"p/q\" string"),
        ('{"payoffs": [[[1, true]], [[0, 1]]]}', r"payoffs\[0\]\[0\]\[1\] must be a number"),
        ('{"payoffs": [[[1, null]], [[0, 1]]]}', r"must be a number"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]], "players": "AB"}', r"'players' must be a list of strings"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]], "players": ["A"]}', r"must hold 2 labels"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]], "strategies": [["a"], "b"]}', r"'strategies' must be a list of lists"),
        ('{"payoffs": [[[1, 2]], [[0, 1]]], "strategies": [["a"], ["b"]]}', r"must hold 2 labels"),
        ('{"payoffs": [[1, 2], [0, 1]]}', r"3 dimensions for 2 players"),
        ('{"payoffs": 3}', r"shape"),
        ('{"payoffs": [[[1]]], "title": 5}', r"'title' must be a string"),
    ],
    ids=[
        "syntax",
        "nan",
        "infinity",
        "ragged",
        "overflow_float",
        "overflow_int",
        "unknown_key",
        "no_payoffs",
        "not_object",
        "string_payoff",
        "bool_payoff",
        "null_payoff",
        "players_string",
        "players_count",
        "strategies_type",
        "strategies_count",
        "wrong_shape",
        "scalar_payoffs",
        "title_type",
    ],
)
def test_bad_files_give_one_clear_error(text, message):
    with pytest.raises(InvalidParameterError, match=message):
        parse_json(text, source="g.json")


def test_load_and_save_choose_by_suffix(tmp_path):
    game = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], players=["Row", "Col"])
    for suffix in (".json", ".nfg", ".JSON"):
        path = tmp_path / f"pd{suffix}"
        save_game(game, path)
        assert load_game(path) == game
    allowed = r"Unknown game file suffix '\.txt'.*Allowed: '\.efg', '\.json', '\.nfg'"
    with pytest.raises(InvalidParameterError, match=allowed):
        load_game(tmp_path / "pd.txt")
    with pytest.raises(InvalidParameterError, match=r"Unknown game file suffix '\(none\)'"):
        save_game(game, tmp_path / "pd")
    with pytest.raises(InvalidParameterError, match="The 'path' parameter of load_game must be a str"):
        load_game(3)


def test_missing_file_and_binary_file(tmp_path):
    with pytest.raises(InvalidParameterError, match="No such game file"):
        load_game(tmp_path / "missing.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InvalidParameterError, match="not a text file"):
        load_game(tmp_path / "bin.json")


def test_tree_cannot_be_saved_as_json(tmp_path):
    from tests import _trees as trees

    with pytest.raises(InvalidParameterError, match=r"Use '\.efg'"):
        save_game(trees.entry_deterrence(), tmp_path / "tree.json")
