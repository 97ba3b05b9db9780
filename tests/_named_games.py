"""Named games with known equilibria, shared by every solver test.

Each case is a :class:`KnownGame`: the game, every equilibrium (for degenerate games: every *extreme*
equilibrium, i.e. every vertex of every component), whether the game is degenerate, where the answer comes from,
and what some method is known to miss (``known_missing``: implementation name -> indices into ``equilibria``).

Sources: ``tests/data/known_games.json`` (ten games gathered from nashpy's and QuantEcon's test suites and
issues; see each entry's ``source``), textbook classics (Osborne and Rubinstein 1994, *A Course in Game Theory*,
ch. 2-3; von Stengel 2007, *Algorithmic Game Theory* ch. 3), the random 6x6 game of issue 3, and the 2x2x2
game of issue 3 on which pygambit 16.7's ``enumpoly`` returns nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

import gametheory as gt

DATA = Path(__file__).parent / "data" / "known_games.json"

Profile = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class KnownGame:
    """A named game and its known equilibria.

    ``equilibria`` holds float profiles (one probability tuple per player); ``exact`` the same profiles as
    ``Fraction`` tuples where they are rational (None otherwise); ``known_missing[impl]`` the indices of the
    equilibria that implementation ``impl`` is known not to return (e.g. ``"lemke_howson"``: equilibria no
    Lemke–Howson path from the artificial equilibrium reaches; ``"nashpy.support_enumeration"``).
    ``components`` gives, for degenerate games, the component index of each listed extreme equilibrium.
    """

    id: str
    name: str
    game: gt.NormalFormGame
    equilibria: tuple[Profile, ...]
    degenerate: bool
    source: str
    exact: tuple[tuple[tuple[Fraction, ...], ...], ...] | None = None
    components: tuple[int, ...] | None = None
    known_missing: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    note: str = ""

    @property
    def n_players(self) -> int:
        return self.game.n_players

    def __repr__(self) -> str:
        return f"KnownGame({self.id})"


def _parse(x: Any) -> Any:
    """A JSON probability: a number, a fraction string ``'2/3'``, or ``'1/sqrt(2)'``-style expressions."""
    if isinstance(x, (int, float)):
        return x
    try:
        return Fraction(x)
    except ValueError:
        return float(eval(x, {"sqrt": math.sqrt}))  # trusted data file in this repository


# ids and per-game extras of the JSON cases, in file order
_JSON_EXTRAS: list[dict[str, Any]] = [
    {"id": "von_stengel_2007_3x2", "known_missing": {"lemke_howson": (1,)}},
    {"id": "nashpy_4x3_unique", "degenerate": True,
     "note": "degenerate (row 0 of B is constant: one pure strategy, three best responses); NE unique"},
    {"id": "nashpy_coordination_2x2_a", "known_missing": {"lemke_howson": (2,)}},
    {"id": "nashpy_coordination_2x2_b", "known_missing": {"lemke_howson": (2,)}},
    {"id": "nashpy_battle_of_sexes_type", "known_missing": {"lemke_howson": (2,)}},
    {"id": "matching_pennies_json"},
    {"id": "rock_paper_scissors"},
    {"id": "von_stengel_2007_3x2_degenerate", "degenerate": True, "components": (0, 0, 1),
     "known_missing": {"lemke_howson": (0, 1)}},
    {"id": "nashpy_issue_222_degenerate", "degenerate": True, "components": (0, 0),
     "known_missing": {"lemke_howson": (1,)}},
    {"id": "anti_coordination_3_players"},
]


@cache
def json_games() -> tuple[KnownGame, ...]:
    """The ten games of ``tests/data/known_games.json``."""
    data = json.loads(DATA.read_text())["games"]
    out = []
    for entry, extra in zip(data, _JSON_EXTRAS, strict=True):
        exact_raw = [[[_parse(p) for p in v] for v in prof] for prof in entry["equilibria_exact"]]
        rational = all(isinstance(p, Fraction) for prof in exact_raw for v in prof for p in v)
        equilibria = tuple(tuple(tuple(float(p) for p in v) for v in prof) for prof in exact_raw)
        out.append(
            KnownGame(
                id=extra["id"],
                name=entry["name"],
                game=gt.NormalFormGame(entry["payoffs"]),
                equilibria=equilibria,
                degenerate=extra.get("degenerate", False),
                source=entry["source"],
                exact=tuple(tuple(tuple(v) for v in prof) for prof in exact_raw) if rational else None,
                components=extra.get("components"),
                known_missing=extra.get("known_missing", {}),
                note=extra.get("note", entry.get("note", "")),
            )
        )
    return tuple(out)


def _f(*vectors: tuple[Any, ...]) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(Fraction(p) for p in v) for v in vectors)


def _known(id: str, name: str, payoffs: Any, exact: list[tuple[tuple[Fraction, ...], ...]], source: str,
           **kw: Any) -> KnownGame:
    return KnownGame(
        id=id,
        name=name,
        game=gt.NormalFormGame(payoffs),
        equilibria=tuple(tuple(tuple(float(p) for p in v) for v in prof) for prof in exact),
        degenerate=kw.pop("degenerate", False),
        source=source,
        exact=tuple(exact),
        **kw,
    )


def random_6x6_seed_1006() -> gt.NormalFormGame:
    """Issue 3's random game: ``P = numpy.random.default_rng(1006).standard_normal((2, 6, 6))``,
    ``A = P[0]`` (row player), ``B = P[1]`` (column player)."""
    return gt.NormalFormGame(np.random.default_rng(1006).standard_normal((2, 6, 6)))


#: The 7 equilibria of :func:`random_6x6_seed_1006` (vertex and support enumeration here, pygambit
#: ``enummixed_solve`` agrees), to 1e-6; nashpy 0.0.43 ``support_enumeration`` returns only indices 0, 1, 3, 6
#: on this machine (issue 3 reports 5 of 7: which ones survive its exact float comparisons depends on rounding).
_RANDOM_6X6 = (
    ((1, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 1)),
    ((0, 1, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0)),
    ((0.803983, 0.196017, 0, 0, 0, 0), (0, 0, 0, 0, 0.705125, 0.294875)),
    ((0, 0.84615, 0, 0.15385, 0, 0), (0, 0.04057, 0, 0, 0.95943, 0)),
    ((0.528225, 0, 0, 0.238577, 0.233199, 0), (0.51668, 0.398516, 0, 0, 0, 0.084804)),
    ((0.154398, 0, 0, 0.475941, 0.369661, 0), (0.212758, 0.367773, 0.419468, 0, 0, 0)),
    ((0.118173, 0.316865, 0.275551, 0.289411, 0, 0), (0, 0.296324, 0.172819, 0.214085, 0.316772, 0)),
)

#: Issue 3's 2x2x2 game (``payoffs[player][a1][a2][a3]``): its only equilibrium is fully mixed; pygambit 16.7's
#: ``enumpoly`` returns none. Probabilities of the first strategies found by ``scipy.optimize.fsolve`` on the
#: indifference conditions (residual < 2e-15).
_ISSUE_2X2X2 = [
    [[[33, 20], [29, 19]], [[45, -48], [29, 26]]],
    [[[25, 36], [-22, -57]], [[-44, 25], [-10, -37]]],
    [[[53, 5], [-6, 21]], [[21, -3], [-48, 2]]],
]
_ISSUE_2X2X2_EQ = (0.25586947788161446, 0.59409447790337, 0.8404623662008059)


@cache
def classics() -> tuple[KnownGame, ...]:
    """Textbook games and the issue's regression games."""
    half, third = Fraction(1, 2), Fraction(1, 3)
    return (
        _known(
            "matching_pennies", "Matching pennies", [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
            [_f((half, half), (half, half))], "Osborne and Rubinstein (1994), ex. 17.1",
        ),
        _known(
            "battle_of_the_sexes", "Battle of the sexes (Bach or Stravinsky)",
            [[[2, 0], [0, 1]], [[1, 0], [0, 2]]],
            [_f((1, 0), (1, 0)), _f((0, 1), (0, 1)), _f((2 * third, third), (third, 2 * third))],
            "Osborne and Rubinstein (1994), ex. 15.3 and 34.1",
            known_missing={"lemke_howson": (2,)},
        ),
        _known(
            "prisoners_dilemma", "Prisoner's dilemma", [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
            [_f((0, 1), (0, 1))], "Osborne and Rubinstein (1994), ex. 16.2",
        ),
        _known(
            "identical_payoffs_3x3", "All payoffs equal (3x3): every profile is an equilibrium",
            np.ones((2, 3, 3)),
            [_f(tuple(int(i == a) for i in range(3)), tuple(int(j == b) for j in range(3)))
             for a in range(3) for b in range(3)],
            "issue 3 (a continuum: the whole strategy space, with the 9 pure profiles as its extreme points)",
            degenerate=True, components=(0,) * 9, known_missing={"lemke_howson": tuple(range(8))},
        ),
        KnownGame(
            id="random_6x6_seed_1006",
            name="Random 6x6, standard normal payoffs, default_rng(1006)",
            game=random_6x6_seed_1006(),
            equilibria=tuple(tuple(tuple(float(p) for p in v) for v in prof) for prof in _RANDOM_6X6),
            degenerate=False,
            source="issue 3 (nashpy 0.0.43 support_enumeration misses some of its 7 equilibria)",
            known_missing={"nashpy.support_enumeration": (2, 4, 5), "lemke_howson": (2, 3, 4)},
        ),
        KnownGame(
            id="issue_2x2x2_enumpoly_miss",
            name="Random integer 2x2x2 game with a unique, fully mixed equilibrium",
            game=gt.NormalFormGame(_ISSUE_2X2X2),
            equilibria=(tuple((p, 1 - p) for p in _ISSUE_2X2X2_EQ),),
            degenerate=False,
            source="issue 3 (pygambit 16.7 enumpoly returns no equilibrium)",
            known_missing={"pygambit.enumpoly_solve": (0,)},
        ),
    )


def all_games() -> tuple[KnownGame, ...]:
    """Every named game."""
    return json_games() + classics()


def two_player_games() -> tuple[KnownGame, ...]:
    """The named 2-player games."""
    return tuple(g for g in all_games() if g.n_players == 2)


def n_player_games() -> tuple[KnownGame, ...]:
    """The named games with three or more players (the 3-player anti-coordination game has a known fully
    mixed equilibrium ``p = 1/sqrt(2)`` for every player; the issue's 2x2x2 game has one at about
    ``(0.2559, 0.5941, 0.8405)``)."""
    return tuple(g for g in all_games() if g.n_players >= 3)


def canonical(profiles: Any) -> list[np.ndarray]:
    """Profiles (Equilibrium objects or nested sequences) as flat float arrays, sorted lexicographically."""
    flat = [np.concatenate([np.asarray(v, dtype=float) for v in getattr(p, "profile", p)]) for p in profiles]
    return sorted(flat, key=lambda z: tuple(np.round(z, 6)))


def assert_same_profiles(found: Any, expected: Any, *, atol: float = 1e-6) -> None:
    """Same number of profiles, and the same profiles entry by entry (order-insensitive), within ``atol``."""
    found, expected = list(found), list(expected)
    assert len(found) == len(expected), f"{len(found)} equilibria found, {len(expected)} expected"
    for got, want in zip(canonical(found), canonical(expected), strict=True):
        np.testing.assert_allclose(got, want, atol=atol, rtol=0)


def assert_solves(eqs: Any, case: KnownGame, *, tol: float = 1e-9, atol: float = 1e-6) -> None:
    """A solver's answer on a named game: the known count first, then every regret within ``tol`` relative to the
    game's payoff scale, then the known profiles within ``atol``."""
    assert len(eqs) == len(case.equilibria)
    assert all(e.regret <= tol * case.game.scale for e in eqs)
    assert_same_profiles(eqs, case.equilibria, atol=atol)


def assert_solves_exactly(eqs: Any, case: KnownGame) -> None:
    """A solver's answer on the exact (rational) version of a named game: the known count, an exact result with
    zero regrets, and the known rational profiles."""
    assert len(eqs) == len(case.equilibria)
    assert eqs.exact
    assert all(e.regret == 0 for e in eqs)
    assert sorted(tuple(tuple(v) for v in e.exact) for e in eqs) == sorted(case.exact)


def contains_profile(profiles: Any, target: Any, *, atol: float = 1e-6) -> bool:
    """True when ``target`` equals one of ``profiles`` within ``atol``."""
    t = canonical([target])[0]
    return any(np.max(np.abs(z - t)) <= atol for z in canonical(profiles))


def same_partition(a: Any, b: Any) -> bool:
    """True when the labellings ``a`` and ``b`` group items identically (labels may differ)."""
    a, b = list(a), list(b)
    return len(a) == len(b) and len(set(a)) == len(set(zip(a, b, strict=True))) == len(set(b))


def get(id: str) -> KnownGame:
    """The named game with this id."""
    for g in all_games():
        if g.id == id:
            return g
    raise KeyError(id)
