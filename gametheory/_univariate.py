r"""Encoded formulas (:mod:`gametheory._sympy_json`) as exact rational functions of one symbol, without sympy.

Fix every symbol but one, :math:`\theta`, at exact rationals. :func:`along` then reads each formula of the
encoded data as a ratio of two polynomials in :math:`\theta` with :class:`fractions.Fraction` coefficients,
computed node by node over the shared DAG: ``add``, ``mul`` and integer powers exactly, every other operation on
operands free of :math:`\theta` by its value. A cap (``min``/``max``) in :math:`\theta` takes the argument in
force at a given point :math:`\theta = a`, and records the differences of that argument and the others: their
roots are the cap's *kinks*, where the choice may switch. This is what ``sympy.expand`` and ``sympy.Poly`` give on
the same formulas (the same exact coefficients, so the same floats), at a small fraction of the cost, and it
reads only checked data: nothing is evaluated as code.

Examples
--------
>>> import sympy
>>> from gametheory._sympy_json import encode
>>> k, p, d = sympy.symbols("k p d", positive=True)
>>> data = encode([sympy.Min(k * p, d) - 1, (k + 1) ** 2 / 2])
>>> formulas = along(data, "k", {"p": Fraction(2), "d": Fraction(5)}, Fraction(1))
>>> [coefficients(f) for f in formulas.outputs], [coefficients(d) for d in formulas.kinks]
([[-1.0, 2.0], [0.5, 1.0, 0.5]], [[-5.0, 2.0]])
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ._expressions import ProgramFormatError
from ._sympy_json import NAMED, check

__all__ = ["Ratio", "Along", "along", "coefficients", "NotRational"]

#: a polynomial in theta: coefficients lowest degree first, no trailing zero (the zero polynomial is ``(0,)``)
Poly = tuple[Any, ...]


class NotRational(ValueError):
    """A formula is not a ratio of polynomials in the free symbol (e.g. ``exp`` of it, or a fractional power)."""


@dataclass(frozen=True)
class Ratio:
    """``num / den``, two polynomials in theta (``den == (1,)`` for a polynomial)."""

    num: Poly
    den: Poly = (1,)

    @property
    def constant(self) -> bool:
        """True when free of theta."""
        return len(self.num) == 1 and len(self.den) == 1

    def at(self, x: Fraction) -> Any:
        """The value at ``theta = x`` (exact for rational ``x``)."""
        return _eval(self.num, x) / _eval(self.den, x)

    @property
    def value(self) -> Any:
        """The value of a constant."""
        return self.num[0] / self.den[0]


@dataclass(frozen=True)
class Along:
    """The formulas along theta at one point: ``outputs`` (in the data's order) and every cap's ``kinks``."""

    outputs: tuple[Ratio, ...]
    kinks: tuple[Ratio, ...]


def along(data: Any, theta: str, values: Mapping[str, Any], at: Fraction) -> Along:
    """Each formula of ``data`` as a :class:`Ratio` in the symbol ``theta``, the others fixed by ``values``, every
    cap resolved at ``theta = at`` (innermost first); and the differences whose roots are the caps' kinks.

    Raises
    ------
    ProgramFormatError
        ``data`` is not what :func:`gametheory._sympy_json.encode` writes, or names a symbol without a value.
    NotRational
        A formula is not rational in ``theta``.
    """
    nodes, outputs = check(data)
    built: list[Any] = []
    kinks: list[Ratio] = []
    for k, node in enumerate(nodes):
        op, rest = node[0], node[1:]
        try:
            built.append(_node(op, rest, built, theta, values, at, kinks))
        except KeyError:
            raise ProgramFormatError(f"node {k}: unknown symbol {rest[0]!r}") from None
    return Along(tuple(_ratio(built[k]) for k in outputs), tuple(kinks))


def coefficients(r: Ratio) -> list[float]:
    """The float coefficients (lowest first) of a polynomial :class:`Ratio` (its constant denominator divided out).

    Raises
    ------
    NotRational
        The denominator depends on theta.
    """
    if len(r.den) != 1:
        raise NotRational("the formula is a ratio of polynomials, not a polynomial, in the parameter")
    return [float(c / r.den[0]) for c in r.num]


# ------------------------------------------------------------------------------------------ nodes
_LEAF = {"int": lambda r: Fraction(int(r[0])), "rat": lambda r: Fraction(int(r[0]), int(r[1])),
         "float": lambda r: Fraction(r[0]) if math.isfinite(r[0]) else r[0], "bool": lambda r: bool(r[0]),
         "nan": lambda r: math.nan, "inf": lambda r: r[0] * math.inf, "named": lambda r: NAMED[r[0]]}
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq,
            "ne": operator.ne}
_UNARY = {"abs": abs, "exp": math.exp, "log": math.log, "not": operator.not_}


def _node(op: str, rest: list[Any], built: list[Any], theta: str, values: Mapping[str, Any], at: Fraction,
          kinks: list[Ratio]) -> Any:
    """One node: a :class:`Ratio`, or a plain value (a number or a truth value free of theta)."""
    if op == "sym":
        return Ratio((Fraction(0), Fraction(1))) if rest[0] == theta else values[rest[0]]
    if op in _LEAF:
        return _LEAF[op](rest)
    args = [built[c] for c in rest]
    if op == "add":
        return _fold(args, _add)
    if op == "mul":
        return _fold(args, _mul)
    if op == "pow":
        return _pow(*args)
    if op in ("min", "max"):
        return _cap(op, args, at, kinks)
    if any(isinstance(a, Ratio) and not a.constant for a in args):
        raise NotRational(f"{op} of the parameter is not a ratio of polynomials in it")
    args = [a.value if isinstance(a, Ratio) else a for a in args]
    if op in _COMPARE:
        return _COMPARE[op](*args)
    if op in _UNARY:
        return _UNARY[op](args[0])
    if op == "and":
        return all(args)
    if op == "or":
        return any(args)
    # piecewise: the first branch whose condition holds
    return next((e for e, c in zip(args[::2], args[1::2], strict=True) if c), math.nan)


def _ratio(x: Any) -> Ratio:
    return x if isinstance(x, Ratio) else Ratio((x,))


def _fold(args: list[Any], step: Any) -> Any:
    if not any(isinstance(a, Ratio) for a in args):
        out = args[0]
        for a in args[1:]:
            out = out + a if step is _add else out * a
        return out
    out = _ratio(args[0])
    for a in args[1:]:
        out = step(out, _ratio(a))
    return out


def _add(a: Ratio, b: Ratio) -> Ratio:
    if a.den == b.den:
        return _norm(_padd(a.num, b.num), a.den)
    return _norm(_padd(_pmul(a.num, b.den), _pmul(b.num, a.den)), _pmul(a.den, b.den))


def _mul(a: Ratio, b: Ratio) -> Ratio:
    return _norm(_pmul(a.num, b.num), _pmul(a.den, b.den))


def _pow(base: Any, exponent: Any) -> Any:
    if isinstance(exponent, Ratio):
        if not exponent.constant:
            raise NotRational("a power with the parameter in the exponent is not a ratio of polynomials")
        exponent = exponent.value
    if not isinstance(base, Ratio) or base.constant:
        value = base.value if isinstance(base, Ratio) else base
        if isinstance(value, Fraction) and isinstance(exponent, Fraction) and exponent.denominator == 1:
            return value ** int(exponent) if value != 0 or exponent >= 0 else math.inf
        return float(value) ** float(exponent)
    if not (isinstance(exponent, Fraction) and exponent.denominator == 1):
        raise NotRational("a fractional power of the parameter is not a ratio of polynomials")
    n = int(exponent)
    num, den = (base.num, base.den) if n >= 0 else (base.den, base.num)
    out = Ratio((Fraction(1),))
    for _ in range(abs(n)):
        out = _mul(out, Ratio(num, den))
    return out


def _cap(op: str, args: list[Any], at: Fraction, kinks: list[Ratio]) -> Any:
    """The argument in force at ``at`` (the first of equal ones, as :func:`numpy.argmin`); kinks where it is
    equal to another."""
    if not any(isinstance(a, Ratio) and not a.constant for a in args):
        plain = [a.value if isinstance(a, Ratio) else a for a in args]
        return min(plain) if op == "min" else max(plain)
    ratios = [_ratio(a) for a in args]
    vals = [r.at(at) for r in ratios]
    best = vals.index(min(vals) if op == "min" else max(vals))
    pick = ratios[best]
    kinks += [_add(pick, _mul(Ratio((Fraction(-1),)), other)) for j, other in enumerate(ratios) if j != best]
    return pick


# ------------------------------------------------------------------------------------------ polynomials
def _trim(p: list[Any]) -> Poly:
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return tuple(p)


def _padd(a: Poly, b: Poly) -> Poly:
    n = max(len(a), len(b))
    return _trim([(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)])


def _pmul(a: Poly, b: Poly) -> Poly:
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return _trim(out)


def _norm(num: Poly, den: Poly) -> Ratio:
    """Divide out a constant denominator (the polynomials then print as sympy's expansion does)."""
    if len(den) == 1:
        return Ratio(tuple(c / den[0] for c in num)) if den[0] != 1 else Ratio(num)
    return Ratio(num, den)


def _eval(p: Poly, x: Any) -> Any:
    out = p[-1]
    for c in reversed(p[:-1]):
        out = out * x + c
    return out
