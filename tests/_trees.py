"""Named game trees with known answers, shared by the extensive-form, backward-induction, I/O and CLI tests.

Sources: entry deterrence and the chain store (Selten 1978, "The chain store paradox", Theory and Decision 9);
the centipede game (Rosenthal 1981, JET 25); the ultimatum game with discrete offers (Güth, Schmittberger and
Schwarze 1982); a one-card poker in the style of Kuhn (1950) / von Stengel (1996); entry followed by a
simultaneous battle of the sexes (Osborne and Rubinstein 1994, ex. 101.2 style).
"""

from fractions import Fraction

import gametheory as gt


def entry_deterrence():
    """Entrant Out (0, 2) or In; Incumbent Fight (-1, -1) or Accommodate (1, 1). SPE: (In, Accommodate)."""
    game = gt.ExtensiveFormGame(["Entrant", "Incumbent"], title="Entry deterrence")
    out, enter = game.root.decision("Entrant", ["Out", "In"])
    out.terminal([0, 2])
    fight, accommodate = enter.decision("Incumbent", ["Fight", "Accommodate"])
    fight.terminal([-1, -1])
    accommodate.terminal([1, 1])
    return game


def chain_store():
    """Two markets, entered in turn; the incumbent's payoffs add up. Unique SPE: both enter, both accommodated."""
    game = gt.ExtensiveFormGame(["Entrant 1", "Entrant 2", "Incumbent"], title="Chain store, two markets")
    stage = {"Out": (0, 2), "Fight": (-1, -1), "Accommodate": (1, 1)}

    def second(node, first):
        out, enter = node.decision("Entrant 2", ["Out", "In"])
        out.terminal([first[0], stage["Out"][0], first[1] + stage["Out"][1]])
        fight, acc = enter.decision("Incumbent", ["Fight", "Accommodate"])
        fight.terminal([first[0], -1, first[1] - 1])
        acc.terminal([first[0], 1, first[1] + 1])

    out, enter = game.root.decision("Entrant 1", ["Out", "In"])
    second(out, stage["Out"])
    fight, acc = enter.decision("Incumbent", ["Fight", "Accommodate"])
    second(fight, stage["Fight"])
    second(acc, stage["Accommodate"])
    return game


def centipede(stages=4):
    """Alternating Take/Pass; taking at stage k gives the mover k + 1 and the other k - 1; passing to the end
    gives (stages, stages). Unique SPE: take at once, payoffs (2, 0)."""
    game = gt.ExtensiveFormGame(["Ann", "Bob"], title=f"Centipede, {stages} stages")
    node = game.root
    for k in range(1, stages + 1):
        mover = (k - 1) % 2
        take, node = node.decision(mover, ["Take", "Pass"], infoset=f"stage {k}")
        pay = [k - 1, k - 1]
        pay[mover] = k + 1
        take.terminal(pay)
    node.terminal([stages, stages])
    return game


def ultimatum(pie=3):
    """The proposer offers 0..pie; the responder accepts (pie - x, x) or rejects (0, 0). Two SPE: offer 0 with
    every offer accepted, and offer 1 with only the offer 0 rejected."""
    game = gt.ExtensiveFormGame(["Proposer", "Responder"], title="Ultimatum game")
    offers = game.root.decision("Proposer", [str(x) for x in range(pie + 1)])
    for x, node in enumerate(offers):
        accept, reject = node.decision("Responder", ["Accept", "Reject"], infoset=f"offer {x}")
        accept.terminal([pie - x, x])
        reject.terminal([0, 0])
    return game


def investment():
    """Nature: Good (1/4) or Bad (3/4); Ann sees it and Invests or stays Safe; after a bad investment Bob Helps
    (0, -1) or Ignores (-2, 0). SPE: invest only when Good, Bob ignores; payoffs (7/4, 1/4)."""
    game = gt.ExtensiveFormGame(["Ann", "Bob"], title="Investment under risk")
    good, bad = game.root.chance(["Good", "Bad"], [Fraction(1, 4), Fraction(3, 4)])
    invest, safe = good.decision("Ann", ["Invest", "Safe"], infoset="good")
    invest.terminal([4, 1])
    safe.terminal([1, 0])
    invest, safe = bad.decision("Ann", ["Invest", "Safe"], infoset="bad")
    safe.terminal([1, 0])
    help_, ignore = invest.decision("Bob", ["Help", "Ignore"], infoset="bad investment")
    help_.terminal([0, -1])
    ignore.terminal([-2, 0])
    return game


def one_card_poker():
    """Nature deals High (1/3) or Low (2/3) to the Dealer, who Bets or Checks; the Caller, not seeing the card,
    Calls or Folds a bet. Zero sum; value -1/9 with Dealer (1/6 Bet/Bet, 5/6 Bet/Check), Caller (2/3, 1/3)."""
    game = gt.ExtensiveFormGame(["Dealer", "Caller"], title="One-card poker")
    high, low = game.root.chance(["High", "Low"], [Fraction(1, 3), Fraction(2, 3)])
    for node, card, win in ((high, "high", 1), (low, "low", -1)):
        bet, check = node.decision("Dealer", ["Bet", "Check"], infoset=card)
        check.terminal([win, -win])
        call, fold = bet.decision("Caller", ["Call", "Fold"], infoset="facing a bet")
        call.terminal([2 * win, -2 * win])
        fold.terminal([1, -1])
    return game


def entry_then_battle():
    """Ann stays Out (2, 2) or goes In to a simultaneous battle of the sexes with Bob (Bob's information set holds
    both of Ann's choices). Reduced normal form 3x2: Out/*, In/A, In/B against a, b."""
    game = gt.ExtensiveFormGame(["Ann", "Bob"], title="Outside option then battle of the sexes")
    out, enter = game.root.decision("Ann", ["Out", "In"])
    out.terminal([2, 2])
    a, b = enter.decision("Ann", ["A", "B"], infoset="battle")
    for node, pays in ((a, ([3, 1], [0, 0])), (b, ([0, 0], [1, 3]))):
        left, right = node.decision("Bob", ["a", "b"], infoset="Bob")
        left.terminal(pays[0])
        right.terminal(pays[1])
    return game


TREES = {
    "entry_deterrence": entry_deterrence,
    "chain_store": chain_store,
    "centipede": centipede,
    "ultimatum": ultimatum,
    "investment": investment,
    "one_card_poker": one_card_poker,
    "entry_then_battle": entry_then_battle,
}


def random_tree(seed, *, players=2, depth=3, infosets=True, exact=True):
    """A seeded random tree: decision nodes of random players with 1-3 actions, some chance nodes, integer payoffs.

    With ``infosets=True``, decision nodes of one player at one depth with the same number of actions may share an
    information set (never two nodes on one path, so the tree is never absent-minded).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    game = gt.ExtensiveFormGame([f"P{i + 1}" for i in range(players)], title=f"random tree {seed}")
    frontier = [game.root]
    for level in range(depth):
        grown = []
        for node in frontier:
            if level > 0 and rng.random() < 0.25:
                continue
            k = int(rng.integers(1, 4))
            if rng.random() < 0.2:
                weights = rng.integers(1, 4, size=k)
                probs = [Fraction(int(w), int(weights.sum())) if exact else float(w / weights.sum()) for w in weights]
                grown.extend(node.chance([f"c{j}" for j in range(k)], probs))
                continue
            player = int(rng.integers(players))
            label = f"P{player + 1} d{level} k{k} g{int(rng.integers(2))}" if infosets else None
            grown.extend(node.decision(player, [f"a{j}" for j in range(k)], infoset=label))
        frontier = grown
    for node in game.nodes():
        if node.kind is None:
            node.terminal([int(x) for x in rng.integers(-5, 6, size=players)])
    return game
