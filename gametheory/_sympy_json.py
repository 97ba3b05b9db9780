r"""Sympy expressions as data: an exact JSON form that is read back without parsing or evaluating any text.

:func:`encode` writes sympy expressions as one DAG of nodes (identical subexpressions become one node), each a
symbol by name, an exact number, a named constant (``pi``, ``E``), or an operation on earlier nodes from a fixed
whitelist (the operations of :mod:`gametheory._expressions` plus exact integers and rationals); :func:`decode`
rebuilds the expressions from the sympy classes of that whitelist, looking symbols up by name in a table the caller
gives (so their assumptions are the caller's, and an unknown name is refused). :func:`to_program` turns the same
data into a sympy-free :class:`~gametheory._expressions.Program` for numeric evaluation, without importing sympy,
and :func:`from_sympy` is the two in one: the one way expressions become programs. A derived formula kept on disk
is therefore at worst rejected, never run.

Examples
--------
>>> import sympy
>>> k, p = sympy.symbols("k p", positive=True)
>>> data = encode([sympy.Rational(1, 3) * k * p + sympy.Min(k, 2)])
>>> decode(data, {"k": k, "p": p}) == [sympy.Rational(1, 3) * k * p + sympy.Min(k, 2)]
True
>>> to_program(["k", "p"], data)(3.0, 1.0)
[3.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._expressions import OPERATIONS, Program, ProgramFormatError

__all__ = ["encode", "decode", "to_program", "from_sympy", "check"]

#: leaf nodes: ``["sym", name]``, ``["int", digits]``, ``["rat", p, q]``, ``["float", value]``, ``["bool", b]``,
#: ``["nan"]``, ``["inf", sign]``, ``["named", name]``
LEAVES = frozenset({"sym", "int", "rat", "float", "bool", "nan", "inf", "named"})
#: the named constants a ``named`` leaf may hold, with their float values
NAMED = {"pi": math.pi, "E": math.e}
#: operations (children are indices of earlier nodes)
OPS = frozenset(OPERATIONS - {"arg", "const"})


def _classes() -> dict[str, Any]:
    import sympy

    return {"add": sympy.Add, "mul": sympy.Mul, "pow": sympy.Pow, "min": sympy.Min, "max": sympy.Max,
            "and": sympy.And, "or": sympy.Or, "not": sympy.Not, "lt": sympy.StrictLessThan, "le": sympy.LessThan,
            "gt": sympy.StrictGreaterThan, "ge": sympy.GreaterThan, "eq": sympy.Equality, "ne": sympy.Unequality,
            "abs": sympy.Abs, "exp": sympy.exp, "log": sympy.log, "piecewise": sympy.Piecewise}


def encode(expressions: Sequence[Any]) -> dict[str, list[Any]]:
    """The JSON-able form ``{"nodes": [...], "outputs": [...]}`` of sympy ``expressions``.

    Raises
    ------
    ProgramFormatError
        An expression is text (never parsed), or uses an operation or a number outside the whitelist (e.g.
        ``I``, ``EulerGamma``, an unknown function); the caller then simply does not store it.
    """
    import sympy

    names = {cls: name for name, cls in _classes().items()}
    nodes: list[list[Any]] = []
    memo: dict[Any, int] = {}

    def visit(expr: Any) -> int:
        if expr not in memo:
            node = convert(expr)
            nodes.append(node)
            memo[expr] = len(nodes) - 1
        return memo[expr]

    def convert(expr: Any) -> list[Any]:
        if isinstance(expr, sympy.Symbol):
            return ["sym", expr.name]
        if expr is sympy.true or expr is sympy.false:
            return ["bool", bool(expr)]
        if isinstance(expr, sympy.Integer):
            return ["int", str(int(expr))]
        if isinstance(expr, sympy.Rational):
            return ["rat", str(int(expr.p)), str(int(expr.q))]
        if isinstance(expr, sympy.Float):
            return ["float", float(expr)]
        if expr is sympy.nan:
            return ["nan"]
        if expr is sympy.oo or expr is sympy.S.NegativeInfinity:
            return ["inf", 1 if expr is sympy.oo else -1]
        if expr is sympy.pi or expr is sympy.E:
            return ["named", "pi" if expr is sympy.pi else "E"]
        if isinstance(expr, sympy.Piecewise):
            return ["piecewise", *(visit(part) for pair in expr.args for part in pair)]
        op = names.get(type(expr))
        if op is None:
            raise ProgramFormatError(f"operation {type(expr).__name__} is not in the whitelist")
        return [op, *(visit(arg) for arg in expr.args)]

    try:  # strict: text is refused, never parsed (sympify would evaluate it as Python)
        exprs = [sympy.sympify(e, strict=True) for e in expressions]
    except sympy.SympifyError as exc:
        raise ProgramFormatError(f"expressions must be sympy objects or numbers, not {exc.expr!r}") from None
    outputs = [visit(e) for e in exprs]
    return {"nodes": nodes, "outputs": outputs}


def check(data: Any) -> tuple[list[list[Any]], list[int]]:
    """The nodes and outputs of ``data`` after checking every node against the whitelist (no sympy needed).

    Raises
    ------
    ProgramFormatError
        ``data`` is not what :func:`encode` writes.

    Examples
    --------
    >>> check({"nodes": [["sym", "x"], ["system", 0]], "outputs": [1]})
    Traceback (most recent call last):
    ...
    gametheory._expressions.ProgramFormatError: node 1: 'system' is not in the whitelist
    """
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) \
            or not isinstance(data.get("outputs"), list):
        raise ProgramFormatError("encoded expressions need lists 'nodes' and 'outputs'")
    nodes, outputs = data["nodes"], data["outputs"]
    for k, node in enumerate(nodes):
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise ProgramFormatError(f"node {k}: not a node")
        op, rest = node[0], node[1:]
        if op in LEAVES:
            ok = {"sym": len(rest) == 1 and isinstance(rest[0], str) and rest[0].isidentifier(),
                  "int": len(rest) == 1 and _digits(rest[0]),
                  "rat": len(rest) == 2 and _digits(rest[0]) and _digits(rest[1]) and rest[1].lstrip("-") != "0",
                  "float": len(rest) == 1 and type(rest[0]) in (int, float),
                  "bool": len(rest) == 1 and type(rest[0]) is bool,
                  "nan": not rest,
                  "inf": len(rest) == 1 and rest[0] in (1, -1) and type(rest[0]) is int,
                  "named": len(rest) == 1 and isinstance(rest[0], str) and rest[0] in NAMED}[op]
            if not ok:
                raise ProgramFormatError(f"node {k}: bad {op} {rest!r}")
        elif op in OPS:
            arity = {"pow": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2, "eq": 2, "ne": 2, "abs": 1, "exp": 1, "log": 1,
                     "not": 1}.get(op)
            if not rest or (arity is not None and len(rest) != arity) or (op == "piecewise" and len(rest) % 2):
                raise ProgramFormatError(f"node {k}: {op} cannot take {len(rest)} operands")
            if any(type(c) is not int or not 0 <= c < k for c in rest):
                raise ProgramFormatError(f"node {k}: operands must be earlier nodes, got {rest!r}")
        else:
            raise ProgramFormatError(f"node {k}: {op!r} is not in the whitelist")
    if any(type(k) is not int or not 0 <= k < len(nodes) for k in outputs):
        raise ProgramFormatError("an output refers to a node that does not exist")
    return nodes, outputs


def _digits(text: Any) -> bool:
    return isinstance(text, str) and 0 < len(text) <= 4000 and text.lstrip("-").isdigit() and text.count("-") <= 1


def decode(data: Any, symbols: Mapping[str, Any]) -> list[Any]:
    """The sympy expressions of ``data`` (checked by :func:`check`), with symbols taken from ``symbols``.

    Raises
    ------
    ProgramFormatError
        ``data`` is not what :func:`encode` writes, or names a symbol not in ``symbols``.
    """
    import sympy

    nodes, outputs = check(data)
    classes = _classes()
    built: list[Any] = []
    for k, node in enumerate(nodes):
        op, rest = node[0], node[1:]
        if op == "sym":
            if rest[0] not in symbols:
                raise ProgramFormatError(f"node {k}: unknown symbol {rest[0]!r}")
            value = symbols[rest[0]]
        elif op == "int":
            value = sympy.Integer(int(rest[0]))
        elif op == "rat":
            value = sympy.Rational(int(rest[0]), int(rest[1]))
        elif op == "float":
            value = sympy.Float(rest[0])
        elif op == "bool":
            value = sympy.true if rest[0] else sympy.false
        elif op == "nan":
            value = sympy.nan
        elif op == "inf":
            value = sympy.oo if rest[0] == 1 else -sympy.oo
        elif op == "named":
            value = sympy.pi if rest[0] == "pi" else sympy.E
        elif op == "piecewise":
            value = sympy.Piecewise(*[(built[e], built[c]) for e, c in zip(rest[::2], rest[1::2], strict=True)],
                                    evaluate=False)
        else:
            value = classes[op](*[built[c] for c in rest], evaluate=False)
        built.append(value)
    return [built[k] for k in outputs]


def to_program(arguments: Sequence[str], data: Any) -> Program:
    """The numeric :class:`~gametheory._expressions.Program` of ``data`` over ``arguments`` (sympy-free).

    Raises
    ------
    ProgramFormatError
        ``data`` is not what :func:`encode` writes, or uses a symbol not in ``arguments``.
    """
    nodes, outputs = check(data)
    index = {name: k for k, name in enumerate(arguments)}
    out: list[list[Any]] = []
    for k, node in enumerate(nodes):
        op, rest = node[0], node[1:]
        if op == "sym":
            if rest[0] not in index:
                raise ProgramFormatError(f"node {k}: symbol {rest[0]!r} is not an argument {list(arguments)}")
            out.append(["arg", index[rest[0]]])
        elif op in ("int", "rat"):
            try:
                out.append(["const", float(int(rest[0])) if op == "int" else int(rest[0]) / int(rest[1])])
            except OverflowError:
                raise ProgramFormatError(f"node {k}: number out of the float range") from None
        elif op in ("float", "bool"):
            out.append(["const", rest[0]])
        elif op == "nan":
            out.append(["const", math.nan])
        elif op == "inf":
            out.append(["const", rest[0] * math.inf])
        elif op == "named":
            out.append(["const", NAMED[rest[0]]])
        else:
            out.append(list(node))
    return Program(arguments, out, outputs)


def from_sympy(arguments: Sequence[str], expressions: Sequence[Any]) -> Program:
    """The numeric :class:`~gametheory._expressions.Program` of sympy ``expressions`` whose free symbols are named
    in ``arguments``: :func:`to_program` of :func:`encode`, so a program built now and one read back from the disk
    cache are the same.

    Raises
    ------
    ProgramFormatError
        An expression is text (never parsed), or uses a symbol not in ``arguments`` or an operation or a number
        outside the whitelist.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> from_sympy(["x"], [2 * sympy.pi * x, sympy.exp(x)])(1.0)
    [6.283185307179586, 2.718281828459045]
    """
    return to_program(arguments, encode(expressions))


class Formulas:
    """Encoded expressions that become sympy expressions on first use (a cache hit needs no sympy work).

    Parameters
    ----------
    data : dict
        What :func:`encode` returns.
    symbols : callable
        Returns the name -> sympy Symbol table for :func:`decode` (called once, on first use).
    expressions : sequence, optional
        The expressions themselves when the caller has them (a cold derivation): nothing is decoded.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> Formulas(encode([x + 1]), lambda: {"x": x})[0]
    x + 1
    """

    __slots__ = ("data", "_symbols", "_exprs")

    def __init__(self, data: Any, symbols: Any, expressions: Sequence[Any] | None = None) -> None:
        self.data = data
        self._symbols = symbols
        self._exprs = None if expressions is None else tuple(expressions)

    @property
    def expressions(self) -> tuple[Any, ...]:
        """The sympy expressions (decoded once)."""
        if self._exprs is None:
            self._exprs = tuple(decode(self.data, self._symbols()))
        return self._exprs

    def __getitem__(self, k: Any) -> Any:
        return self.expressions[k]

    def __len__(self) -> int:
        return len(self.data["outputs"])
