"""Named games with known replicator-dynamics answers, shared by the dynamics tests.

Sources: matching pennies and the coordination game are textbook (Weibull 1995, ch. 5; Hofbauer & Sigmund 1998,
ch. 10). ``HAND_2X2X2`` is constructed here and its answer derived by hand in ``test_stability.py``.
"""

import itertools

import numpy as np

import gametheory as gt

PENNIES = gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
COORDINATION = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])


def _hand_2x2x2() -> gt.NormalFormGame:
    """Player 1 strictly prefers its 2nd strategy (+2); player 2 gets 1 for matching player 1; player 3 gets 1
    for differing from player 2. Unique strict Nash equilibrium: (2nd, 2nd, 1st), i.e. shares (0, 0, 1)."""
    u = np.zeros((3, 2, 2, 2))
    for a in itertools.product((0, 1), repeat=3):
        u[(0, *a)] = 2.0 if a[0] == 1 else 0.0
        u[(1, *a)] = 1.0 if a[1] == a[0] else 0.0
        u[(2, *a)] = 1.0 if a[2] != a[1] else 0.0
    return gt.NormalFormGame(u)


HAND_2X2X2 = _hand_2x2x2()


def random_game(shape, seed):
    """A generic random game (standard normal payoffs)."""
    rng = np.random.default_rng(seed)
    return gt.NormalFormGame(rng.normal(size=(len(shape), *shape)))
