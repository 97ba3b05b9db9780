r"""Formulas as data: a sympy-free evaluator for derived expressions, and its safe on-disk form.

A :class:`Program` is a list of formulas over named arguments, stored as a shared DAG of nodes: every node is an
argument, a constant, or an operation on earlier nodes, taken from a fixed whitelist (``add``, ``mul``, ``pow``,
``min``, ``max``, ``abs``, ``exp``, ``log``, ``piecewise``, comparisons and ``and``/``or``/``not``). It is built once
from sympy expressions (:func:`gametheory._sympy_json.from_sympy`: identical subexpressions become one node),
evaluated with
numpy over whole arrays of parameter points, or with plain floats for one point, and written to and read from JSON
as *data*: reading one checks every node against the whitelist and never evaluates text, so a cache file can at
worst be rejected, never run.

:func:`cached` keeps programs on disk between processes (and :func:`load` / :func:`store` any derived data:
:mod:`gametheory._sympy_json` encodes sympy expressions for them), in ``$GAMETHEORY_CACHE_DIR``, else
``$XDG_CACHE_HOME/gametheory`` or ``~/.cache/gametheory``, keyed by what they were derived from (package version, a
hash of the defining sources, model, variant, options) and checked by a SHA-256 of their content; where the folder
cannot be written the derivation simply runs again in each process. ``GAMETHEORY_NO_CACHE=1`` turns it off,
:func:`clear` (``gametheory cache clear``) empties it.

Examples
--------
>>> import sympy
>>> from gametheory._sympy_json import from_sympy
>>> x, y = sympy.symbols("x y")
>>> program = from_sympy(["x", "y"], [x * y + 1, sympy.Piecewise((x, x < y), (y, True))])
>>> program(2.0, 3.0)
[7.0, 2.0]
>>> import numpy as np
>>> [v.tolist() for v in program(np.array([2.0, 5.0]), 3.0)]
[[7.0, 16.0], [2.0, 3.0]]
>>> Program.from_json(program.to_json())(2.0, 3.0)
[7.0, 2.0]
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Program", "ProgramFormatError", "cached", "cache_dir", "cache_enabled", "load", "store", "clear",
           "sources_digest"]

#: format version of the JSON form (bump when the node vocabulary changes)
FORMAT = 1

def _scalar_pow(base: float, exponent: float) -> float:
    """``base ** exponent`` with numpy's answers where Python raises or goes complex."""
    try:
        value = base**exponent
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf if base > 0 or float(exponent).is_integer() and exponent % 2 == 0 else -math.inf
    return value if isinstance(value, float | int) else math.nan  # a negative base to a fractional power


def _scalar_exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _scalar_log(value: float) -> float:
    if value == 0:
        return -math.inf
    return math.log(value) if value > 0 else math.nan


#: n-ary operations: (numpy reduction, scalar reduction)
_NARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "add": (np.add, lambda a, b: a + b),
    "mul": (np.multiply, lambda a, b: a * b),
    "min": (np.minimum, min),
    "max": (np.maximum, max),
    "and": (np.logical_and, lambda a, b: a and b),
    "or": (np.logical_or, lambda a, b: a or b),
}
#: binary operations: (numpy, scalar)
_BINARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "pow": (np.power, _scalar_pow),
    "lt": (np.less, lambda a, b: a < b),
    "le": (np.less_equal, lambda a, b: a <= b),
    "gt": (np.greater, lambda a, b: a > b),
    "ge": (np.greater_equal, lambda a, b: a >= b),
    "eq": (np.equal, lambda a, b: a == b),
    "ne": (np.not_equal, lambda a, b: a != b),
}
#: unary operations: (numpy, scalar)
_UNARY: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "abs": (np.abs, abs),
    "exp": (np.exp, _scalar_exp),
    "log": (np.log, _scalar_log),
    "not": (np.logical_not, lambda a: not a),
}
OPERATIONS = frozenset({"arg", "const", "piecewise", *_NARY, *_BINARY, *_UNARY})


class ProgramFormatError(ValueError):
    """A stored program is not one this version writes (unknown operation, bad reference, wrong format)."""


def _scalar_piecewise(node: tuple[Any, ...], values: list[Any]) -> Any:
    """The first branch whose condition holds (NaN if none does)."""
    for k in range(1, len(node), 2):
        if values[node[k + 1]]:
            return values[node[k]]
    return math.nan


def _array_piecewise(node: tuple[Any, ...], values: list[Any]) -> Any:
    """Elementwise, the first branch whose condition holds (NaN where none does)."""
    conditions = [np.asarray(values[c], dtype=bool) for c in node[2::2]]
    choices = [np.asarray(values[e], dtype=float) for e in node[1::2]]
    shape = np.broadcast_shapes(*(a.shape for a in conditions + choices))
    return np.select([np.broadcast_to(c, shape) for c in conditions],
                     [np.broadcast_to(e, shape) for e in choices], default=np.nan)


class Program:
    """Formulas of named arguments as a DAG of whitelisted operations (see the module docstring).

    Parameters
    ----------
    arguments : sequence of str
        The argument names, in the order :meth:`__call__` takes them.
    nodes : sequence of list
        ``["arg", i]``, ``["const", value]``, ``["piecewise", e1, c1, e2, c2, ...]`` or ``[op, *children]``:
        children are indices of earlier nodes.
    outputs : sequence of int
        The node of each formula.
    """

    __slots__ = ("arguments", "nodes", "outputs")

    def __init__(self, arguments: Sequence[str], nodes: Sequence[Sequence[Any]], outputs: Sequence[int]) -> None:
        self.arguments = tuple(arguments)
        self.nodes = tuple(tuple(node) for node in nodes)
        self.outputs = tuple(int(k) for k in outputs)
        self._check()

    def _check(self) -> None:
        for k, node in enumerate(self.nodes):
            if not node or node[0] not in OPERATIONS:
                raise ProgramFormatError(f"node {k}: operation {node[:1]!r} is not in the whitelist")
            op, rest = node[0], node[1:]
            if op == "arg":
                if len(rest) != 1 or type(rest[0]) is not int or not 0 <= rest[0] < len(self.arguments):
                    raise ProgramFormatError(f"node {k}: bad argument reference {rest!r}")
            elif op == "const":
                if len(rest) != 1 or type(rest[0]) not in (int, float, bool):
                    raise ProgramFormatError(f"node {k}: a constant must be one number, not {rest!r}")
            else:
                arity = {"pow": 2, **dict.fromkeys(_BINARY, 2), **dict.fromkeys(_UNARY, 1)}.get(op)
                if (arity is not None and len(rest) != arity) or not rest or (op == "piecewise" and len(rest) % 2):
                    raise ProgramFormatError(f"node {k}: {op} cannot take {len(rest)} operands")
                if any(type(c) is not int or not 0 <= c < k for c in rest):
                    raise ProgramFormatError(f"node {k}: operands must be earlier nodes, got {rest!r}")
        if any(not 0 <= k < len(self.nodes) for k in self.outputs):
            raise ProgramFormatError("an output refers to a node that does not exist")

    # ------------------------------------------------------------------ evaluating
    def __call__(self, *args: Any) -> list[Any]:
        """The formulas' values at ``args`` (in :attr:`arguments` order): floats for float arguments, numpy
        arrays broadcast together otherwise."""
        if len(args) != len(self.arguments):
            raise TypeError(f"the program takes {len(self.arguments)} arguments, got {len(args)}")
        scalar = all(isinstance(a, float | int) and not isinstance(a, bool) for a in args)
        mode = 1 if scalar else 0  # the column of the operation tables: numpy (0) or plain floats (1)
        values: list[Any] = []
        with np.errstate(all="ignore"):
            for node in self.nodes:
                op = node[0]
                if op == "arg":
                    value = float(args[node[1]]) if scalar else np.asarray(args[node[1]], dtype=float)
                elif op == "const":
                    value = node[1]
                elif op == "piecewise":
                    value = (_scalar_piecewise if scalar else _array_piecewise)(node, values)
                elif op in _NARY:
                    reduce = _NARY[op][mode]
                    value = values[node[1]]
                    for child in node[2:]:
                        value = reduce(value, values[child])
                elif op in _BINARY:
                    base = values[node[1]] if scalar or op != "pow" else np.asarray(values[node[1]], dtype=float)
                    value = _BINARY[op][mode](base, values[node[2]])
                else:
                    value = _UNARY[op][mode](values[node[1]])
                values.append(value)
        return [values[k] for k in self.outputs]

    def constants(self) -> list[Any] | None:
        """The formulas' values when none of them depends on an argument, else None.

        Examples
        --------
        >>> Program(["x"], [["const", 2.0], ["arg", 0], ["mul", 0, 0]], [0, 2]).constants()
        [2.0, 4.0]
        >>> Program(["x"], [["const", 2.0], ["arg", 0], ["mul", 0, 1]], [0, 2]).constants() is None
        True
        """
        varies: list[bool] = []  # whether each node depends on an argument
        for node in self.nodes:
            varies.append(node[0] == "arg" or (node[0] != "const" and any(varies[c] for c in node[1:])))
        if any(varies[k] for k in self.outputs):
            return None
        return self(*[0.0] * len(self.arguments))  # the outputs do not depend on these values

    # ------------------------------------------------------------------ storing
    def to_json(self) -> str:
        """The program as JSON text (data only)."""
        return json.dumps({"format": FORMAT, "arguments": self.arguments, "nodes": self.nodes,
                           "outputs": self.outputs}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Program:
        """Read a program written by :meth:`to_json`, checking every node.

        Raises
        ------
        ProgramFormatError
            The text is not such a program.

        Examples
        --------
        >>> Program.from_json('{"format": 1, "arguments": ["x"], "nodes": [["system", 0]], "outputs": [0]}')
        Traceback (most recent call last):
        ...
        gametheory._expressions.ProgramFormatError: node 0: operation ('system',) is not in the whitelist
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProgramFormatError(f"not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProgramFormatError(f"not a format-{FORMAT} program")
        arguments, nodes, outputs = data.get("arguments"), data.get("nodes"), data.get("outputs")
        if not (isinstance(arguments, list) and all(isinstance(a, str) for a in arguments)
                and isinstance(nodes, list) and all(isinstance(n, list) for n in nodes)
                and isinstance(outputs, list)):
            raise ProgramFormatError("a program needs lists 'arguments' (str), 'nodes' (lists) and 'outputs'")
        return cls(arguments, nodes, outputs)


#: environment variables: the cache folder, and a switch that turns the cache off ("1", "true", "yes")
CACHE_DIR_VARIABLE, NO_CACHE_VARIABLE = "GAMETHEORY_CACHE_DIR", "GAMETHEORY_NO_CACHE"


def cache_dir() -> Path:
    """Where derived formulas are kept between processes: ``$GAMETHEORY_CACHE_DIR`` (or its older name
    ``$GAMETHEORY_CACHE``), else ``$XDG_CACHE_HOME/gametheory``, else ``~/.cache/gametheory``."""
    explicit = os.environ.get(CACHE_DIR_VARIABLE) or os.environ.get("GAMETHEORY_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gametheory"


def cache_enabled() -> bool:
    """False when ``$GAMETHEORY_NO_CACHE`` is set to 1/true/yes: nothing is then read from or written to disk."""
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in ("1", "true", "yes", "on")


def _path(key: str) -> Path:
    return cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def _digest(payload_text: str) -> str:
    return hashlib.sha256(payload_text.encode()).hexdigest()


def load(key: str) -> Any:
    """The JSON data stored under ``key`` by :func:`store`, or None (no file, another key, a bad checksum, not
    JSON, or the cache turned off). Only ``json.loads`` touches the file: nothing in it is evaluated."""
    if not cache_enabled():
        return None
    try:
        data = json.loads(_path(key).read_text())
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("key") == key and isinstance(data.get("payload"), str)
            and data.get("sha256") == _digest(data["payload"])):
        return None
    try:
        return json.loads(data["payload"])
    except ValueError:
        return None


def store(key: str, payload: Any) -> bool:
    """Write ``payload`` (JSON data) under ``key``, atomically (a temporary file renamed over the old one, so
    concurrent processes read either the old or the new file, never half of one). False, quietly, when the
    folder cannot be written or the cache is turned off."""
    if not cache_enabled():
        return False
    path = _path(key)
    try:
        text = json.dumps(payload, separators=(",", ":"))
        record = json.dumps({"key": key, "sha256": _digest(text), "payload": text})
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".", suffix=".tmp", delete=False) as handle:
            handle.write(record)
        try:
            os.replace(handle.name, path)
        except OSError:
            os.unlink(handle.name)
            raise
    except (OSError, TypeError, ValueError):  # a read-only cache folder (or unstorable data): derive each time
        return False
    return True


def clear() -> int:
    """Delete every cached file (``*.json`` and leftover temporaries) in :func:`cache_dir`; returns how many."""
    folder = cache_dir()
    removed = 0
    for path in [*folder.glob("*.json"), *folder.glob(".*.tmp")]:
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def cached(key: str, derive: Callable[[], dict[str, Program]]) -> dict[str, Program]:
    """Named programs derived by ``derive()``, kept on disk under ``key`` (any text: it is hashed).

    A missing, unreadable or rejected file means the derivation runs (and its result is written, atomically, when
    the folder can be written; otherwise quietly not).
    """
    data = load(key)
    if isinstance(data, dict):
        try:
            return {name: Program.from_json(text) for name, text in data.items()
                    if isinstance(name, str) and isinstance(text, str)}
        except ProgramFormatError:  # one this version rejects: derive again
            pass
    programs = derive()
    store(key, {name: p.to_json() for name, p in programs.items()})
    return programs


def sources_digest(*files: str | Path) -> str:
    """A hash of source files (the formulas a cached result is derived from): editing one invalidates it."""
    digest = hashlib.sha256()
    for path in files:
        path = Path(path)
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:16]
