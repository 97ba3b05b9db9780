"""Game files in and out: Gambit ``.nfg`` / ``.efg`` and a small JSON format.

:func:`load_game` and :func:`save_game` pick the format from the file suffix:

==========  ==========================================  =========================================
suffix      format                                      game
==========  ==========================================  =========================================
``.json``   :mod:`gametheory.io.json_format`            :class:`~gametheory.NormalFormGame`
``.nfg``    Gambit normal form (:mod:`.gambit`)         :class:`~gametheory.NormalFormGame`
``.efg``    Gambit extensive form (:mod:`.gambit`)      :class:`~gametheory.ExtensiveFormGame`
==========  ==========================================  =========================================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .._validation import unknown_name_error
from ..errors import InvalidParameterError
from ..games.extensive_form import ExtensiveFormGame
from ..games.normal_form import NormalFormGame
from .gambit import format_efg, format_nfg, parse_efg, parse_nfg, read_efg, read_nfg, write_efg, write_nfg
from .json_format import format_json, parse_json, read_json, write_json

__all__ = [
    "load_game",
    "save_game",
    "SUFFIXES",
    "read_nfg",
    "write_nfg",
    "parse_nfg",
    "format_nfg",
    "read_efg",
    "write_efg",
    "parse_efg",
    "format_efg",
    "read_json",
    "write_json",
    "parse_json",
    "format_json",
]

#: file suffix -> the game class stored in such files
SUFFIXES = {".json": NormalFormGame, ".nfg": NormalFormGame, ".efg": ExtensiveFormGame}


def load_game(path: str | Path) -> NormalFormGame | ExtensiveFormGame:
    """Read a game file, choosing the format by suffix (``.json``, ``.nfg`` or ``.efg``).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    NormalFormGame or ExtensiveFormGame
        A normal-form game for ``.json`` and ``.nfg``, a tree for ``.efg``.

    Raises
    ------
    InvalidParameterError
        Unknown suffix, missing file, or a file that is not a valid game (the message names the file, the line
        when known, and what is wrong).

    Examples
    --------
    >>> import pathlib, gametheory as gt
    >>> examples = pathlib.Path(gt.__file__).parent.parent / "examples" / "games"
    >>> gt.io.load_game(examples / "battle_of_sexes.json").players
    ('Alice', 'Bob')
    """
    suffix = _suffix(path, "load_game")
    if suffix == ".json":
        return read_json(path)
    if suffix == ".nfg":
        return read_nfg(path)
    return read_efg(path)


def save_game(game: NormalFormGame | ExtensiveFormGame, path: str | Path) -> None:
    """Write a game file, choosing the format by suffix (``.json``, ``.nfg`` for normal form; ``.efg`` for trees).

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pd.nfg"
    >>> gt.io.save_game(gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]), path)
    >>> gt.io.load_game(path).shape
    (2, 2)
    """
    suffix = _suffix(path, "save_game")
    wanted = SUFFIXES[suffix]
    if not isinstance(game, wanted):
        raise InvalidParameterError(
            f"A {suffix} file holds a {wanted.__name__}; got a {type(game).__name__}. Use "
            + ("'.efg'" if isinstance(game, ExtensiveFormGame) else "'.json' or '.nfg'")
            + " (or game.to_normal_form() for a tree)."
        )
    writer: Any = {".json": write_json, ".nfg": write_nfg, ".efg": write_efg}[suffix]
    writer(game, path)


def _suffix(path: Any, func: str) -> str:
    if not isinstance(path, (str, Path)):
        raise InvalidParameterError(
            f"The 'path' parameter of {func} must be a str or pathlib.Path. Got {type(path).__name__} instead."
        )
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise unknown_name_error("game file suffix", suffix or "(none)", SUFFIXES)
    return suffix
