r"""A whitelist parser for the payoff formulas of model files: text to sympy, never evaluated as code.

A formula read from a file is data. :func:`parse_formula` reads it with Python's :mod:`ast` (which only
*parses*: nothing is executed), checks every node against a whitelist and builds the sympy expression node by
node. Allowed are

* numbers (integers and decimals, at most :data:`~gametheory.limits.MAX_FORMULA_NUMBER` in absolute value),
* the declared names (a model's parameters; the caller says which),
* ``+ - * /``, unary ``-``/``+``, parentheses and ``**`` with a *constant* exponent of at most
  :data:`~gametheory.limits.MAX_FORMULA_EXPONENT` in absolute value,
* the functions ``min``, ``max``, ``abs`` (also spelt ``Min``, ``Max``, ``Abs``), ``exp``, ``log``, ``sqrt`` and
  ``Piecewise((value, condition), ..., (value, True))``, whose conditions may compare (``<``, ``<=``, ``>``,
  ``>=``) and combine comparisons with ``and`` / ``or``.

Everything else (attribute access, subscripts, lambdas, calls of any other name, keywords, strings, dunder
names, comprehensions, ...) raises :class:`~gametheory.errors.InvalidParameterError` in one line that names
where the formula is and the offending token. A formula is also bounded in size: at most
:data:`~gametheory.limits.MAX_FORMULA_CHARS` characters, :data:`~gametheory.limits.MAX_FORMULA_NODES` syntax
nodes and :data:`~gametheory.limits.MAX_FORMULA_DEPTH` levels of nesting, so no input can make parsing slow;
a constant that would be larger than ``1e300`` (``9**9**9``) or a division by zero is refused before sympy
computes it.

Examples
--------
>>> import sympy
>>> g, F = sympy.symbols("g F")
>>> parse_formula("max(g - F, 0) / 2", {"g": g, "F": F})
Max(0, -F + g)/2
>>> parse_formula("__import__('os').system('true')", {"g": g}, where="The payoff")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gametheory.errors.InvalidParameterError: The payoff may call only min, max, ... Got "__import__('os')..." (column 1) ...
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import Any

from .. import limits
from .._lazy import sympy
from .._validation import closest_name
from ..errors import InvalidParameterError

__all__ = ["parse_formula", "FUNCTIONS"]

#: The functions a formula may call, by the names it may use.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": sympy.Min, "Min": sympy.Min, "max": sympy.Max, "Max": sympy.Max, "abs": sympy.Abs, "Abs": sympy.Abs,
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "Piecewise": sympy.Piecewise,
}
_ARITY = {"exp": (1, 1), "log": (1, 1), "sqrt": (1, 1), "abs": (1, 1), "Abs": (1, 1)}
_LISTED = "min, max, abs, exp, log, sqrt and Piecewise"
_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
}
_LARGEST_LOG10 = 300.0  # a constant of 1e300 or more is refused before it is computed


def parse_formula(text: str, names: Mapping[str, sympy.Symbol], *, where: str = "The formula") -> Any:
    """Parse ``text`` into a sympy expression over the declared ``names``, admitting only the whitelist.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"price - cost_genuine"``.
    names : mapping of str to sympy.Symbol
        The names the formula may use and the symbols they stand for.
    where : str
        Where the formula comes from, starting the error message (``"model.toml: the payoff of a at (C,D)"``).

    Returns
    -------
    sympy.Expr
        The expression (evaluated as sympy does on construction: ``2*g - g`` is ``g``).

    Raises
    ------
    InvalidParameterError
        The text does not parse, uses anything outside the whitelist, an undeclared name (the closest declared
        one is suggested), is too long or too deep, or computes a constant that is too large or divides by zero.

    Examples
    --------
    >>> import sympy
    >>> k, p = sympy.symbols("k p")
    >>> parse_formula("Piecewise((k * p, k < 2), (2 * p, True))", {"k": k, "p": p})
    Piecewise((k*p, k < 2), (2*p, True))
    >>> parse_formula("9**9**9", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: The formula raises to the power 387420489, beyond the limit of 100 ...
    """
    if not isinstance(text, str):
        raise InvalidParameterError(f"{where} must be a string. Got {text!r} instead.")
    if len(text) > limits.MAX_FORMULA_CHARS:
        raise InvalidParameterError(
            f"{where} has {len(text)} characters, more than the limit of {limits.MAX_FORMULA_CHARS}. "
            f"Got {text[:40]!r}... instead."
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else "it is too complex"
        raise InvalidParameterError(f"{where} does not parse: {text[:80]!r} ({reason}).") from None
    _check_size(tree, text, where)
    return _Builder(text, names, where).expression(tree.body)


def _check_size(tree: ast.AST, text: str, where: str) -> None:
    """Bound the number of nodes and the nesting depth (iteratively, so a deep tree cannot overflow the stack)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += isinstance(node, ast.expr)  # numbers, names, operations, calls (not operator or context tokens)
        if count > limits.MAX_FORMULA_NODES:
            raise InvalidParameterError(
                f"{where} has more than {limits.MAX_FORMULA_NODES} terms and operators, the limit. "
                f"Got {text[:40]!r}... instead."
            )
        if depth > limits.MAX_FORMULA_DEPTH:
            raise InvalidParameterError(
                f"{where} is nested more than {limits.MAX_FORMULA_DEPTH} levels deep, the limit. "
                f"Got {text[:40]!r}... instead."
            )
        for child in ast.iter_child_nodes(node):  # a chain a + b - c ... (or a * b / c ...) does not nest
            stack.append((child, depth if _continues_chain(node, child) else depth + 1))


_SUMS, _PRODUCTS = (ast.Add, ast.Sub), (ast.Mult, ast.Div)


def _continues_chain(parent: ast.AST, child: ast.AST) -> bool:
    """True for the left operand of a sum that is itself a sum (likewise products), and for a chain's operator."""
    if not isinstance(parent, ast.BinOp):
        return False
    if isinstance(child, ast.operator):
        return True
    for ops in (_SUMS, _PRODUCTS):
        if isinstance(parent.op, ops) and child is parent.left and isinstance(child, ast.BinOp) \
                and isinstance(child.op, ops):
            return True
    return False


class _Builder:
    """Turns whitelisted nodes into sympy; any other node is an error naming its text and column."""

    def __init__(self, text: str, names: Mapping[str, sympy.Symbol], where: str) -> None:
        self.text, self.names, self.where = text.strip(), names, where

    def fail(self, node: ast.AST, message: str) -> InvalidParameterError:
        token = ast.get_source_segment(self.text, node) or type(node).__name__
        token = token if len(token) <= 60 else token[:57] + "..."
        column = getattr(node, "col_offset", 0) + 1
        quoted = f'"{token}"' if "'" in token and '"' not in token else repr(token)
        return InvalidParameterError(f"{self.where} {message}. Got {quoted} (column {column}) instead.")

    # ------------------------------------------------------------------ values
    def expression(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.expression(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return self.power(node)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.chain(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            raise self.fail(node, "may compare values only in the conditions of Piecewise")
        raise self.fail(node, "may hold only numbers, parameters, + - * / **, parentheses and the functions "
                              f"{_LISTED}")

    def chain(self, node: ast.BinOp) -> Any:
        """``a + b - c ...`` (or ``a * b / c ...``) left to right without recursing down the chain."""
        ops = _SUMS if isinstance(node.op, _SUMS) else _PRODUCTS
        links: list[ast.BinOp] = []
        head: ast.AST = node
        while isinstance(head, ast.BinOp) and isinstance(head.op, ops):
            links.append(head)
            head = head.left
        value = self.expression(head)
        for link in reversed(links):
            right = self.expression(link.right)
            if isinstance(link.op, ast.Div) and right.is_zero:
                raise self.fail(link, "divides by zero")
            value = self.bounded(link, _BINARY[type(link.op)](value, right))
        return value

    def number(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, "may hold only numbers, parameters, + - * / **, parentheses and the functions "
                                  f"{_LISTED}")
        if abs(value) > limits.MAX_FORMULA_NUMBER or not math.isfinite(value):  # a huge int is compared first
            raise self.fail(node, f"may hold numbers up to {limits.MAX_FORMULA_NUMBER:g} in absolute value")
        if isinstance(value, int):
            return sympy.Integer(value)
        return sympy.Integer(int(value)) if value.is_integer() else sympy.Float(repr(value))

    def name(self, node: ast.Name) -> Any:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in FUNCTIONS:
            raise self.fail(node, f"uses the function {node.id!r} without calling it")

        guess = closest_name(node.id, list(self.names))
        hint = f" Did you mean {guess!r}?" if guess else ""
        declared = ", ".join(sorted(self.names)) or "none"
        raise InvalidParameterError(f"{self.where} uses {node.id!r}, which is not a parameter.{hint} Parameters: "
                                    f"{declared} (column {node.col_offset + 1}).")

    def power(self, node: ast.BinOp) -> Any:
        exponent = self.expression(node.right)
        if not exponent.is_number:
            raise self.fail(node, "may raise only to a constant power (a number, not a parameter)")
        if not exponent.is_real or abs(float(exponent)) > limits.MAX_FORMULA_EXPONENT:
            raise self.fail(node, f"raises to the power {exponent}, beyond the limit of "
                                  f"{limits.MAX_FORMULA_EXPONENT} in absolute value")
        base = self.expression(node.left)
        if base.is_zero and float(exponent) < 0:
            raise self.fail(node, "divides by zero")
        if base.is_number:
            size = abs(float(exponent)) * _log10(base)
            if size >= _LARGEST_LOG10:
                raise self.fail(node, "computes a constant larger than 1e300 in absolute value")
        return self.bounded(node, base**exponent)

    def bounded(self, node: ast.AST, value: Any) -> Any:
        """``value``, unless it is a number that left the float range (a product of huge constants) or is not finite."""
        if value.is_number and (value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)
                                or _log10(value) >= _LARGEST_LOG10):
            raise self.fail(node, "computes a constant larger than 1e300 in absolute value or not finite")
        if value.is_number and value.is_real is False:
            raise self.fail(node, "computes a constant that is not a real number")
        return value

    # ------------------------------------------------------------------ calls
    def call(self, node: ast.Call) -> Any:
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            raise self.fail(node, f"may call only {_LISTED}")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, f"passes {func.id} plain arguments only (no keywords, no *)")
        low, high = _ARITY.get(func.id, (1, limits.MAX_FORMULA_NODES))
        if not low <= len(node.args) <= high:
            count = "one argument" if high == 1 else "at least one argument"
            raise self.fail(node, f"calls {func.id} with {count}")
        if func.id == "Piecewise":
            return self.piecewise(node)
        args = [self.expression(a) for a in node.args]
        return self.bounded(node, FUNCTIONS[func.id](*args))

    def piecewise(self, node: ast.Call) -> Any:
        pieces = []
        for arg in node.args:
            if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                raise self.fail(arg, "gives Piecewise pairs (value, condition)")
            pieces.append((self.expression(arg.elts[0]), self.condition(arg.elts[1])))
        return sympy.Piecewise(*pieces)

    def condition(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return sympy.true if node.value else sympy.false
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(v) for v in node.values]
            return sympy.And(*parts) if isinstance(node.op, ast.And) else sympy.Or(*parts)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            terms = [self.expression(node.left), *(self.expression(c) for c in node.comparators)]
            return sympy.And(*(_COMPARE[type(op)](a, b) for op, a, b in zip(node.ops, terms, terms[1:],
                                                                               strict=False)))
        raise self.fail(node, "needs a Piecewise condition: a comparison (<, <=, >, >=), and/or of comparisons, "
                              "or True")


def _log10(value: Any) -> float:
    """``log10 |value|`` of a sympy number without computing a huge power (0 for zero)."""
    if value.is_zero:
        return 0.0
    magnitude = abs(sympy.N(value, 5))
    if magnitude.has(sympy.zoo, sympy.oo, sympy.nan) or not magnitude.is_real:
        return math.inf
    return float(sympy.log(magnitude, 10).evalf(5))
