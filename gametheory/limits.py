r"""Limits on what one call may cost, and the estimates checked against them before any work starts.

Every entry point that can be handed a large input estimates its work and memory from the input's *size* alone
(points x game size x method: arithmetic on a few integers, well under a millisecond) and refuses, before it
allocates or computes anything, when an estimate passes a limit. The error, a
:class:`~gametheory.errors.LimitError`, names the estimate, the limit and what to do: raise the limit for this
call (``max_seconds=``/``--max-seconds``, ``max_points=``/``--max-points``), use another method, or send a sweep to
the Dask backend. Every limit is a module attribute read at call time, so a program may also raise one for the
whole process (``gametheory.limits.MAX_POINTS = 10**9``). ``docs/limits.md`` lists them all.

The work estimates are in seconds on the reference machine (2 cores, shared), from the cost model of each method:

=======================  ==========================================================================
method                   estimated seconds for one game of shape :math:`(s_1, \dots, s_n)`
=======================  ==========================================================================
``pure``                 :math:`n \prod_i s_i \cdot 10^{-8}`
``closed_form``          :math:`10^{-3}`
``support_enumeration``  2 players :math:`\binom{m+n}{m} \min(m,n)^3 / 10^9` (support pairs x one
                         solve each); n players :math:`2\cdot 10^{-6} \prod_i (2^{s_i}-1) (\sum_i s_i)^4`
``vertex_enumeration``   the upper-bound-theorem vertex count of both best-response polytopes x one pivot,
                         :math:`(V_P + V_Q)(m+n)\max(m,n) / (2\cdot 10^8)`
``lemke_howson``         :math:`3.3\cdot 10^{-11} (m+n)^5` (m+n paths of O(m+n) pivots)
=======================  ==========================================================================

Examples
--------
>>> solver_seconds((2, 2), "closed_form")
0.001
>>> solver_seconds((200, 200), "vertex_enumeration") > 1e60
True
>>> check_seconds(1e3, what="a 30x30 game", remedy="Use method='lemke_howson'.")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gametheory.errors.LimitError: a 30x30 game: the estimated work is 1,000 s, above the limit of 600 s. Use ...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from .errors import LimitError

__all__ = [
    "MAX_SECONDS", "MAX_POINTS", "MAX_MEMORY_BYTES", "MAX_ABS_PAYOFF", "MIN_PAYOFF_SCALE", "MAX_FILE_BYTES",
    "MAX_NESTING", "MAX_TREE_NODES", "MAX_TREE_DEPTH", "MAX_HORIZON", "RATING_HORIZON", "MAX_FORMULA_CHARS",
    "MAX_FORMULA_NODES",
    "MAX_FORMULA_DEPTH", "MAX_FORMULA_EXPONENT", "MAX_FORMULA_NUMBER",
    "CLOSED_FORM_BATCH_SECONDS", "HUB_SPOKES_BATCH_SECONDS", "TREE_STEP_SECONDS", "COMPARE_MAPS",
    "COMPARE_BASE_SECONDS", "COMPARE_POINT_SECONDS", "SWEEP_POINT_SECONDS", "SWEEP_ROW_BYTES",
    "SWEEP_CHUNK_POINT_BYTES", "THRESHOLD_SET_SECONDS", "THRESHOLD_SET_GAMES", "THRESHOLD_FORMULA_SECONDS",
    "LOGIT_POINT_SECONDS", "LOGIT_LARGE_POINT_SECONDS",
    "solver_seconds", "check_seconds", "check_points", "check_memory", "check_nesting", "check_file_size",
    "check_horizon", "check_compare", "read_limited", "nesting_depth", "format_seconds", "format_bytes",
]

# ---------------------------------------------------------------------- work
#: Largest estimated work of one call, in seconds on the reference machine (solvers, batches, sweeps, reports).
MAX_SECONDS = 600.0
#: Largest number of parameter points (sweep rows, games of a batch, report grid points) of one call.
MAX_POINTS = 10_000_000
#: Largest estimated memory of one call (a table held in memory, a game read from a file, a trajectory).
MAX_MEMORY_BYTES = 4 * 2**30

# ---------------------------------------------------------------------- payoffs
#: Largest absolute payoff of a game: products of two payoffs and sums over a million profiles stay finite.
MAX_ABS_PAYOFF = 1e150
#: Smallest nonzero largest-absolute-payoff of a game (below it, products of payoffs underflow).
MIN_PAYOFF_SCALE = 1e-150

# ---------------------------------------------------------------------- files
#: Largest file read (game files, sweep specs, model files).
MAX_FILE_BYTES = 256 * 2**20
#: Deepest nesting of arrays/tables in a JSON game file or a TOML file (a game needs its number of players + 2).
MAX_NESTING = 64

#: Most nodes of a game tree read from a ``.efg`` file.
MAX_TREE_NODES = 200_000
#: Deepest node of a game tree read from a ``.efg`` file, in moves from the root (reading a tree, and its normal
#: form, cost about nodes x depth: 1000 moves deep takes a few seconds each).
MAX_TREE_DEPTH = 1000

# ---------------------------------------------------------------------- dynamics
#: Largest integration time of the replicator dynamics, times the game's largest payoff range (shares change by
#: at most a factor ``e**(t * range)``: past ``1e6`` every share off a best reply is 0 in floating point).
MAX_HORIZON = 1e6

#: Most periods of the rating game of :func:`gametheory.repeated.reputation` (``horizon=``, ``--horizon``); fixed
#: when the module is imported (the bound of its parameter check).
RATING_HORIZON = 5_000

# ---------------------------------------------------------------------- formulas (gametheory.models.formula)
#: Longest payoff formula, in characters.
MAX_FORMULA_CHARS = 10_000
#: Most syntax nodes (numbers, names, operators, calls) in one formula.
MAX_FORMULA_NODES = 2_000
#: Deepest nesting of one formula's syntax tree.
MAX_FORMULA_DEPTH = 100
#: Largest absolute constant exponent in a formula (``x**100``).
MAX_FORMULA_EXPONENT = 100
#: Largest absolute number written in a formula.
MAX_FORMULA_NUMBER = 1e300

#: Estimated seconds per game of the vectorised closed form (2x2 and 2x2x2 batches).
CLOSED_FORM_BATCH_SECONDS = 2e-6
#: Estimated seconds per game of the vectorised hub-and-spokes batch solver (the extended models: 1-5 ms measured
#: on the 4-player ones, 0.2 s on the 3-player self-operated store, whose games often fall back to the reference).
HUB_SPOKES_BATCH_SECONDS = 0.02

#: Estimated seconds per terminal x plan x information set when a tree is turned into its normal form.
TREE_STEP_SECONDS = 1e-8
#: The flagship report (``compare``): its 2-D maps, the seconds it takes at any resolution and per map point.
COMPARE_MAPS = 4
COMPARE_BASE_SECONDS = 20.0
COMPARE_POINT_SECONDS = 2e-3
#: Estimated seconds per sweep point besides solving its game (payoffs, metrics, the table: about 50,000 core
#: points/s measured with the default outputs).
SWEEP_POINT_SECONDS = 2e-5
#: Estimated seconds per point of a threshold computed by its exact set (the ``search`` method, and ``auto`` where
#: no closed form applies): the breakpoints and the verdicts, besides the games solved (10-60 ms a point measured
#: on the core models).
THRESHOLD_SET_SECONDS = 0.03
#: Estimated games solved per point of a threshold's exact set (20-80 measured on the core models, 70-600 on the
#: extended ones: 0.5-12 s a point).
THRESHOLD_SET_GAMES = 150
#: Estimated seconds per point of a threshold read from its closed form (``auto`` and ``closed_form`` on the 2x2
#: and 2x2x2 games with a Nash criterion: 2-4 us a point measured in chunks of thousands, 20-300 us in chunks of 30).
THRESHOLD_FORMULA_SECONDS = 1e-5
#: Estimated seconds per point of the ``logit`` sweep output (the principal logit branch traced per point) on the
#: 2x2 and 2x2x2 games (0.15-0.25 ms measured on the core models).
LOGIT_POINT_SECONDS = 5e-4
#: The same on larger games (9-30 ms measured on the extended models).
LOGIT_LARGE_POINT_SECONDS = 0.015
#: Estimated bytes per row of a sweep table held in memory (about 300 measured, with 40-50 columns).
SWEEP_ROW_BYTES = 400
#: Estimated bytes per point of a chunk while it is evaluated (payoff arrays, solutions, the chunk's table).
SWEEP_CHUNK_POINT_BYTES = 4000

_RAISE_SECONDS = "Or raise the limit with max_seconds= (--max-seconds on the command line)."
_RAISE_POINTS = "Or raise the limit with max_points= (--max-points on the command line)."


def solver_seconds(shape: Sequence[int], method: str) -> float:
    """Estimated seconds one solver takes on one game of ``shape`` (the cost models in the module docstring).

    ``method`` is a solver name or ``"auto"`` (the method ``solve`` would pick before removing dominated
    strategies). The result is ``inf`` beyond ``1e300``.

    Examples
    --------
    >>> round(solver_seconds((12, 12), "support_enumeration"), 1)
    4.7
    >>> solver_seconds((3, 3, 3), "support_enumeration") < solver_seconds((4, 4, 4), "support_enumeration")
    True
    """
    shape = tuple(int(s) for s in shape)
    n = len(shape)
    if method == "auto":
        if shape in ((2, 2), (2, 2, 2)):
            method = "closed_form"
        else:
            method = "vertex_enumeration" if n == 2 else "support_enumeration"
    if method == "closed_form":
        return 1e-3
    if method == "pure":
        return n * math.prod(shape) * 1e-8 + 1e-4
    if method == "lemke_howson" and n == 2:
        return 3.3e-11 * sum(shape) ** 5 + 1e-3
    if method == "vertex_enumeration" and n == 2:
        m, k = shape
        log_vertices = _logsumexp(_log_ubt(m, m + k), _log_ubt(k, m + k))
        return _exp(log_vertices + math.log((m + k) * max(m, k) / 2e8)) + 1e-3
    if method == "support_enumeration" and n == 2:
        m, k = shape
        return _exp(_log_comb(m + k, m) + math.log(min(m, k) ** 3 / 1e9)) + 1e-3
    if method == "support_enumeration":
        log_supports = sum(s * math.log(2) + math.log1p(-(2.0 ** -s)) for s in shape)
        return _exp(log_supports + math.log(2e-6 * sum(shape) ** 4)) + 1e-3
    return 1e-3  # a method that does not apply: the caller's check of the method raises instead


def check_seconds(seconds: float, *, what: str, remedy: str = "", limit: float | None = None,
                  how_to_raise: str = _RAISE_SECONDS) -> None:
    """Raise :class:`LimitError` when ``seconds`` passes ``limit`` (default :data:`MAX_SECONDS`).

    ``how_to_raise`` ends the message (by default: the ``max_seconds=`` keyword and ``--max-seconds`` option).

    Examples
    --------
    >>> check_seconds(1.0, what="a small game")
    """
    limit = MAX_SECONDS if limit is None else float(limit)
    if seconds > limit:
        hint = f"{remedy} {how_to_raise}" if remedy else how_to_raise[3:].capitalize()
        raise LimitError(f"{what}: the estimated work is {format_seconds(seconds)}, above the limit of "
                         f"{format_seconds(limit)}. {hint}")


def check_points(points: int, *, what: str, remedy: str = "", limit: int | None = None) -> None:
    """Raise :class:`LimitError` when ``points`` passes ``limit`` (default :data:`MAX_POINTS`).

    Examples
    --------
    >>> check_points(10**12, what="sweep spec", remedy="Use a coarser grid.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: sweep spec: 1e+12 points, above the limit of 10,000,000. Use a coarser grid. ...
    """
    limit = MAX_POINTS if limit is None else int(limit)
    if points > limit:
        hint = f"{remedy} {_RAISE_POINTS}" if remedy else _RAISE_POINTS[3:].capitalize()
        raise LimitError(f"{what}: {_count(points)} points, above the limit of {limit:,}. {hint}")


def check_memory(nbytes: float, *, what: str, remedy: str = "") -> None:
    """Raise :class:`LimitError` when an estimated ``nbytes`` passes :data:`MAX_MEMORY_BYTES`.

    Examples
    --------
    >>> check_memory(8e12, what="game.nfg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: game.nfg: the estimated memory is 7.28 TiB, above the limit of 4 GiB ...
    """
    if nbytes > MAX_MEMORY_BYTES:
        tail = f" {remedy}" if remedy else ""
        raise LimitError(f"{what}: the estimated memory is {format_bytes(nbytes)}, above the limit of "
                         f"{format_bytes(MAX_MEMORY_BYTES)} (gametheory.limits.MAX_MEMORY_BYTES).{tail}")


def check_file_size(nbytes: int, *, source: str) -> None:
    """Raise :class:`LimitError` for a file larger than :data:`MAX_FILE_BYTES`.

    Examples
    --------
    >>> check_file_size(100, source="game.json")
    """
    if nbytes > MAX_FILE_BYTES:
        raise LimitError(f"{source}: the file has {format_bytes(nbytes)}, above the limit of "
                         f"{format_bytes(MAX_FILE_BYTES)} (gametheory.limits.MAX_FILE_BYTES).")


def read_limited(path: str | Path) -> str:
    """The UTF-8 text of a file, refused past :data:`MAX_FILE_BYTES` before it is read (``OSError`` as usual).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spec.toml"
    >>> _ = path.write_text("model = 'direct'", encoding="utf-8")
    >>> read_limited(path)
    "model = 'direct'"
    """
    path = Path(path)
    check_file_size(path.stat().st_size, source=str(path))
    return path.read_text(encoding="utf-8")


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings and ``#`` comments (JSON and TOML), in one pass.

    Examples
    --------
    >>> nesting_depth('{"a": [[1, 2], "[[["]}  # [[[[')
    3
    """
    depth = deepest = 0
    k, n = 0, len(text)
    while k < n:
        c = text[k]
        if c in "\"'":
            quote = text[k : k + 3] if text[k : k + 3] in ('"""', "'''") else c
            k += len(quote)
            while k < n and not text.startswith(quote, k):
                k += 2 if text[k] == "\\" and quote[0] == '"' else 1
            k += len(quote)
            continue
        if c == "#":
            end = text.find("\n", k)
            k = n if end < 0 else end
            continue
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
        k += 1
    return deepest


def check_nesting(text: str, *, source: str) -> None:
    """Raise :class:`LimitError` when ``text`` nests deeper than :data:`MAX_NESTING` (before a parser recurses).

    Examples
    --------
    >>> check_nesting("[" * 100 + "]" * 100, source="game.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: game.json: arrays or tables nested 100 levels deep, above the limit of 64 ...
    """
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise LimitError(f"{source}: arrays or tables nested {depth} levels deep, above the limit of {MAX_NESTING} "
                         "(gametheory.limits.MAX_NESTING).")


def check_compare(resolution: int, *, max_seconds: float | None = None, max_points: int | None = None) -> None:
    """Refuse a ``compare`` report whose maps (``COMPARE_MAPS x resolution**2`` points) or estimated work
    (``COMPARE_BASE_SECONDS + COMPARE_POINT_SECONDS x points``) pass the limits.

    Examples
    --------
    >>> check_compare(41)
    >>> check_compare(10**6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: compare(resolution=1000000): 4e+12 points, above the limit of 10,000,000. ...
    """
    points = COMPARE_MAPS * resolution**2
    what = f"compare(resolution={resolution})"
    remedy = "Use a smaller resolution (the default is 41)."
    check_points(points, what=what, remedy=remedy, limit=max_points)
    check_seconds(COMPARE_BASE_SECONDS + COMPARE_POINT_SECONDS * points, what=what, remedy=remedy, limit=max_seconds)


def check_horizon(t_max: float, spread: float, *, what: str) -> None:
    """Refuse an integration time that is infinite or past :data:`MAX_HORIZON` payoff-range units.

    Examples
    --------
    >>> check_horizon(1e18, 4.0, what="simulate")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.LimitError: simulate: t_max=1e+18 is past the limit of 250000 for this game (1e+06 / ...
    """
    limit = MAX_HORIZON / spread if spread > 0 else MAX_HORIZON
    if not math.isfinite(t_max) or t_max > limit:
        raise LimitError(
            f"{what}: t_max={t_max:g} is past the limit of {limit:g} for this game ({MAX_HORIZON:g} / its largest "
            f"payoff range {spread:g}, gametheory.limits.MAX_HORIZON): by then every share off a best reply has "
            f"shrunk by e**-{MAX_HORIZON:g}, so a longer run shows nothing new. Use a smaller t_max (the default "
            f"is 1000 / payoff range)."
        )


def format_seconds(seconds: float) -> str:
    """A duration for a message: ``'3.2 s'``, ``'2.1 h'``, ``'4e+71 years'``.

    Examples
    --------
    >>> format_seconds(0.5), format_seconds(7200), format_seconds(1e80)
    ('0.5 s', '2 h', '3.2e+72 years')
    """
    if math.isinf(seconds):
        return "more than 1e300 s"
    for unit, size, least in (("years", 3.15e7, 3.15e8), ("days", 86400.0, 864000.0), ("h", 3600.0, 3600.0)):
        if seconds >= least:
            return f"{seconds / size:.2g} {unit}"
    return f"{seconds:,.0f} s" if seconds >= 100 else f"{seconds:.2g} s"


def format_bytes(nbytes: float) -> str:
    """A size for a message.

    Examples
    --------
    >>> format_bytes(4 * 2**30), format_bytes(1536)
    ('4 GiB', '1.5 KiB')
    """
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.3g} {unit}" if value < 1e6 else f"{value:.2g} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------- helpers
def _count(points: int) -> str:
    return f"{points:,}" if points < 10**9 else f"{float(points):.2g}"


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _log_ubt(d: int, facets: int) -> float:
    """log of McMullen's upper bound on the vertices of a ``d``-polytope with ``facets`` facets."""
    if facets <= d:
        return 0.0
    half, ceil_half = d // 2, (d + 1) // 2
    return _logsumexp(_log_comb(facets - ceil_half, half), _log_comb(facets - half - 1, ceil_half - 1))


def _logsumexp(a: float, b: float) -> float:
    top = max(a, b)
    return top + math.log(math.exp(a - top) + math.exp(b - top))


def _exp(log_value: float) -> float:
    return math.exp(log_value) if log_value < 690 else math.inf
