"""Gambit .nfg/.efg files: hand-written samples in Gambit's documented layouts, round trips, errors, and pygambit
as an independent oracle for the file format (skipped when pygambit is not installed)."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.io import (
    format_efg,
    format_nfg,
    load_game,
    parse_efg,
    parse_nfg,
    read_efg,
    read_nfg,
    save_game,
    write_efg,
    write_nfg,
)
from tests import _trees as trees

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"

# Gambit's documentation sample (Selten 1975, figure 2), outcome layout: 3x2, player 1 fastest
SELTEN_OUTCOMES = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""

# the same game in the payoff layout
SELTEN_PAYOFFS = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""

# Myerson's (1991) one-card poker, as distributed with Gambit (poker.efg)
MYERSON_POKER = """EFG 2 R "A simple Poker game" { "Fred" "Alice" }
"This is a simple game of one-card poker from Myerson (1991)."

c "" 1 "" { "Red" 1/2 "Black" 1/2 } 0
p "" 1 1 "" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 1 "Win Big" { 2, -2 }
t "" 2 "Win" { 1, -1 }
t "" 2
p "" 1 2 "" { "Raise" "Fold" } 0
p "" 2 1 0
t "" 3 "Lose Big" { -2, 2 }
t "" 2
t "" 4 "Lose" { -1, 1 }
"""


# ---------------------------------------------------------------------- NFG
@pytest.mark.parametrize("text", [SELTEN_OUTCOMES, SELTEN_PAYOFFS], ids=["outcome_layout", "payoff_layout"])
def test_selten_sample_in_both_layouts(text):
    game = parse_nfg(text)
    assert game.players == ("Player 1", "Player 2")
    assert game.shape == (3, 2)
    # profile order: (1,1), (2,1), (3,1), (1,2), (2,2), (3,2)
    np.testing.assert_array_equal(game.payoffs[0], [[1, 1], [0, 0], [0, 2]])
    np.testing.assert_array_equal(game.payoffs[1], [[1, 1], [2, 3], [2, 0]])


def test_three_player_order_first_player_fastest():
    payoffs = np.arange(3 * 2 * 3 * 2).reshape(3, 2, 3, 2).astype(float)
    game = gt.NormalFormGame(payoffs, players=["a", "b", "c"])
    text = format_nfg(game)
    body = [float(x) for x in text.split('""\n')[1].split()]
    # the second entry is player 1's strategy 2 against (1, 1): payoffs[:, 1, 0, 0]
    assert body[3:6] == payoffs[:, 1, 0, 0].tolist()
    assert parse_nfg(text) == game


@pytest.mark.parametrize("outcomes", [False, True], ids=["payoffs", "outcomes"])
def test_nfg_round_trip(tmp_path, outcomes):
    rng = np.random.default_rng(7)
    game = gt.NormalFormGame(rng.normal(size=(3, 2, 3, 4)), players=["Seller", "Buyer", 'The "platform"'],
                             strategies=[["G", "C"], ["Accept", "Verify", "Abstain"], list("wxyz")])
    path = tmp_path / "game.nfg"
    write_nfg(game, path, title="random", outcomes=outcomes)
    assert read_nfg(path) == game  # floats written to round-trip exactly


def test_nfg_exact_round_trip():
    game = gt.NormalFormGame([[[Fraction(1, 3), 2], [0, Fraction(-7, 2)]], [[1, 0], [Fraction(5, 9), 1]]])
    back = parse_nfg(format_nfg(game, outcomes=True))
    assert back.is_exact and back == game


def test_null_outcome_is_zero():
    text = 'NFG 1 R "" { "A" "B" } { { "x" "y" } { "z" } } "" { { "win" 1 2 } } 0 1'
    game = parse_nfg(text)
    assert game.payoffs[:, :, 0].tolist() == [[0, 1], [0, 2]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('NFG 1 R "" { "A" "B" } { 2 2 } 1 2 3', r"bad.nfg: expected payoff 4 of 8, got the end of the file"),
        ('NFG 1 R "" { "A" "B" } { 2 2 }\n1 2 3 4 5 6 7 8 9', r"line 2: got '9'"),
        ('EFG 2 R "" { "A" }', r"expected 'NFG' at the start of the file"),
        ('NFG 1 R "" { "A" "B" } { 2 x }', r"expected a strategy count"),
        ('NFG 1 R "" { "A" } { 1 } "" { { "" 1 } } 2', r"outcome number 2 is not in \[0, 1\]"),
        ('NFG 1 R "" { "A" "B" } { 1 1 } "" { { "" 1 } } 1', r"outcome 1 must give 2 payoffs"),
        ('NFG 1 R "" { "A" } { 1 } ;', r"unexpected text ';'"),
        ('NFG 1 R "" { "A" } { 1 } 1e400', r"The number '1e400' is too large"),
    ],
    ids=["too_few", "too_many", "wrong_magic", "bad_count", "bad_outcome_number", "short_outcome", "junk",
         "overflow"],
)
def test_nfg_errors_name_the_problem(text, message):
    with pytest.raises(InvalidParameterError, match=message):
        parse_nfg(text, source="bad.nfg")


# ---------------------------------------------------------------------- EFG
def test_myerson_poker_with_omitted_repeats():
    game = parse_efg(MYERSON_POKER)
    assert game.title == "A simple Poker game" and game.players == ("Fred", "Alice")
    assert not game.is_perfect_information and game.is_exact
    nf = game.to_normal_form()
    assert nf.shape == (4, 2)
    assert nf.strategies == (("Raise/Raise", "Raise/Fold", "Fold/Raise", "Fold/Fold"), ("Meet", "Pass"))
    eqs = gt.solve(nf)
    assert len(eqs) == 1
    (eq,) = eqs
    assert eq.regret <= 1e-9
    assert eq.allclose([[1 / 3, 2 / 3, 0, 0], [2 / 3, 1 / 3]])
    assert abs(eq.payoffs[0] - 1 / 3) < 1e-12  # Myerson: the game is worth 1/3 to Fred


def test_outcomes_on_inner_nodes_add_up():
    text = """EFG 2 R "stages" { "A" "B" } ""
    p "" 1 1 "" { "x" "y" } 1 "entry fee" { -1, 1/2 }
    t "" 2 "" { 3, 0 }
    t "" 0
    """
    game = parse_efg(text)
    assert [t.payoffs for t in game.terminals()] == [(2, Fraction(1, 2)), (-1, Fraction(1, 2))]


def test_decimal_payoffs_and_unlabelled_actions():
    text = 'EFG 2 R "" { "A" } "" p "" 1 1 "" { "" "" } 0 t "" 1 "" { .80 } t "" 2 "" { 1.6 }'
    game = parse_efg(text)
    assert game.root.actions == ("1", "2")
    assert [t.payoffs for t in game.terminals()] == [(0.8,), (1.6,)]


@pytest.mark.parametrize("name", ["entry_deterrence", "chain_store", "centipede", "investment", "one_card_poker",
                                  "entry_then_battle", "ultimatum"])
def test_efg_round_trip(tmp_path, name):
    game = trees.TREES[name]()
    path = tmp_path / f"{name}.efg"
    write_efg(game, path)
    back = read_efg(path)
    assert format_efg(back) == format_efg(game)
    assert back.to_normal_form() == game.to_normal_form()
    assert back.is_perfect_information == game.is_perfect_information


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('EFG 2 R "" { "A" } "" p "" 2 1 "" { "x" } 0 t "" 1 "" { 1 }', r"player numbers run from 1 to 1"),
        ('EFG 2 R "" { "A" } "" p "" 1 1 "" { "x" "y" } 0 t "" 1 "" { 1 }', r"expected a node line.*end of the file"),
        ('EFG 2 R "" { "A" } "" p "" 1 1 0', r"information set 1 of player 1 is used before its actions"),
        ('EFG 2 R "" { "A" } "" t "" 3', r"outcome 3 is used before its payoffs"),
        ('EFG 2 R "" { "A" } "" c "" 1 "" { "h" 1/2 "t" 1/3 } 0 t "" 0 t "" 0', r"must sum to 1"),
        ('EFG 2 R "" { "A" "B" } "" t "" 1 "" { 1 }', r"outcome 1 must give 2 payoffs"),
        ('EFG 2 R "" { "A" } "" p "" 1 1 "" { "x" } 0 t "" 0 t "" 0', r"expected the end of the file"),
        ('EFG 2 R "" { "A" "B" } "" p "" 1 1 "" { "x" "y" } 0 p "" 2 1 "" { "l" "r" } 0 t "" 0 t "" 0 '
         'p "" 2 1 "" { "l" "m" } 0 t "" 0 t "" 0', r"information set 1 of player 2 has different actions"),
    ],
    ids=["bad_player", "missing_node", "infoset_undeclared", "outcome_undeclared", "bad_probabilities",
         "short_payoffs", "extra_node", "infoset_actions_differ"],
)
def test_efg_errors_name_the_problem(text, message):
    with pytest.raises(InvalidParameterError, match=message):
        parse_efg(text, source="bad.efg")


def test_example_file_and_dispatch(tmp_path):
    game = load_game(EXAMPLES / "entry_deterrence.efg")
    assert isinstance(game, gt.ExtensiveFormGame)
    assert [t.label for t in game.terminals()] == ["Monopoly", "Price war", "Shared market"]
    save_game(game.to_normal_form(), tmp_path / "entry.nfg")
    assert load_game(tmp_path / "entry.nfg") == game.to_normal_form()
    with pytest.raises(InvalidParameterError, match=r"A \.efg file holds a ExtensiveFormGame"):
        save_game(game.to_normal_form(), tmp_path / "x.efg")
    with pytest.raises(InvalidParameterError, match=r"No such game file"):
        read_efg(tmp_path / "missing.efg")


# ---------------------------------------------------------------------- pygambit as an oracle
def _gambit():
    return pytest.importorskip("pygambit")


def _read_with_gambit(gbt, path):
    reader = getattr(gbt, "read_nfg", None) if str(path).endswith(".nfg") else getattr(gbt, "read_efg", None)
    return reader(str(path)) if reader is not None else gbt.Game.read_game(str(path))


def _gambit_payoffs(game):
    players = list(game.players)
    shape = [len(p.strategies) for p in players]
    out = np.zeros((len(players), *shape), dtype=object)
    for idx in np.ndindex(*shape):
        profile = game[tuple(int(k) for k in idx)]
        for i, player in enumerate(players):
            out[(i, *idx)] = Fraction(str(profile[player]))
    return out


@pytest.mark.parametrize("outcomes", [False, True], ids=["payoffs", "outcomes"])
def test_pygambit_reads_our_nfg(tmp_path, outcomes):
    gbt = _gambit()
    game = gt.NormalFormGame([[[[3, 1], [0, 2]], [[Fraction(1, 2), 0], [4, -1]]],
                              [[[1, 0], [2, 2]], [[0, 3], [1, 1]]],
                              [[[0, 0], [1, 5]], [[2, 2], [3, -2]]]], players=["A", "B", "C"])
    path = tmp_path / "g.nfg"
    write_nfg(game, path, outcomes=outcomes)
    theirs = _read_with_gambit(gbt, path)
    assert [p.label for p in theirs.players] == ["A", "B", "C"]
    assert (_gambit_payoffs(theirs) == game.payoffs).all()


def test_pygambit_reads_our_efg(tmp_path):
    gbt = _gambit()
    for name in ("entry_deterrence", "one_card_poker", "investment"):
        path = tmp_path / f"{name}.efg"
        write_efg(trees.TREES[name](), path)
        theirs = _read_with_gambit(gbt, path)
        assert len(theirs.players) == len(trees.TREES[name]().players)
        assert len(list(theirs.nodes)) == len(list(trees.TREES[name]().nodes()))


def test_we_read_pygambit_nfg(tmp_path):
    gbt = _gambit()
    a = np.array([[3, 0], [5, 1]])
    theirs = gbt.Game.from_arrays(a, a.T, title="PD")
    text = theirs.to_nfg() if hasattr(theirs, "to_nfg") else theirs.write(format="nfg")
    ours = parse_nfg(text)
    assert ours.payoffs[0].tolist() == a.tolist() and ours.payoffs[1].tolist() == a.T.tolist()


def _gambit_arrays(gbt, game, tmp_path):
    path = tmp_path / "tree.efg"
    write_efg(game, path)
    theirs = _read_with_gambit(gbt, path)
    return theirs, [np.asarray(a, dtype=float) for a in theirs.to_arrays()]


@pytest.mark.parametrize("name", sorted(trees.TREES))
def test_reduced_normal_form_agrees_with_gambit(tmp_path, name):
    gbt = _gambit()
    game = trees.TREES[name]()
    theirs, arrays = _gambit_arrays(gbt, game, tmp_path)
    nf = game.to_normal_form()
    assert arrays[0].shape == nf.shape
    for i, array in enumerate(arrays):
        np.testing.assert_allclose(array, nf.payoffs[i].astype(float), atol=1e-12)
    back = parse_efg(theirs.to_efg() if hasattr(theirs, "to_efg") else theirs.write(format="native"))
    assert back.to_normal_form() == nf  # and Gambit's own .efg output reads back to the same game


@pytest.mark.parametrize("seed", range(40))
def test_reduced_normal_form_of_random_trees_agrees_with_gambit(tmp_path, seed):
    """Same strategies in the same order, same payoffs. Gambit orders the strategies of trees without perfect recall
    differently, so those are compared up to a permutation of each player's strategies."""
    gbt = _gambit()
    game = trees.random_tree(seed, players=2 + seed % 2, depth=3 + seed % 2)
    theirs, arrays = _gambit_arrays(gbt, game, tmp_path)
    nf = game.to_normal_form()
    assert arrays[0].shape == nf.shape
    ours = nf.payoffs.astype(float)
    if theirs.is_perfect_recall:
        np.testing.assert_allclose(np.stack(arrays), ours, atol=1e-12)
    else:
        assert sorted(np.stack(arrays).round(9).ravel().tolist()) == sorted(ours.round(9).ravel().tolist())


@pytest.mark.parametrize("seed", range(20))
def test_random_tree_round_trip_keeps_the_normal_form(seed):
    """random_tree builds breadth first and the reader depth first: the order of plans must not depend on it."""
    game = trees.random_tree(seed, players=2 + seed % 2, infosets=seed % 3 != 0, exact=seed % 2 == 0)
    back = parse_efg(format_efg(game))
    assert back.to_normal_form() == game.to_normal_form()
    assert format_efg(back) == format_efg(game)


@pytest.mark.parametrize("seed", range(60))
def test_perfect_recall_agrees_with_gambit(tmp_path, seed):
    gbt = _gambit()
    game = trees.random_tree(seed, players=2 + seed % 2, depth=3 + seed % 2)
    theirs, _ = _gambit_arrays(gbt, game, tmp_path)
    assert game.is_perfect_recall == theirs.is_perfect_recall
