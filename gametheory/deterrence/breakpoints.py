r"""Where the equilibrium set can change along one parameter: the roots of the model's own formulas.

Fix every parameter but one, :math:`\theta`. The payoffs (:meth:`Model.symbolic_payoffs`, the one source of truth)
are then polynomials in :math:`\theta` between the *kinks* of their caps (a ``Min``/``Max`` such as
:math:`\min(k p, D)` switches argument where two arguments are equal: a root). On one such *segment*, with
:math:`g_i(\sigma_{-i};\theta)` player :math:`i`'s gain from its strategy 1 over 0 (multilinear in the others'
probabilities), the equilibria of a game with two strategies per player are the solutions of its *support
systems* (:mod:`.equilibrium_types`): each mixed player's indifference :math:`g_i = 0`, solved by elimination for
the mixed probabilities as algebraic functions of :math:`\theta` (at most one square root in a 2x2x2 game), and the
inequalities :math:`0 \le \sigma_i \le 1`, :math:`g_i \ge 0` (pure 1), :math:`g_i \le 0` (pure 0). The set of
equilibria, and so every criterion that reads it, can change only where

* a cap switches argument (a kink);
* an inequality of a support system changes sign: a pure profile's deviation gain crosses zero, or a mixed
  solution reaches the boundary of the simplex;
* a support system's solution appears or disappears: its denominator or its discriminant vanishes;
* a solution's counterfeit probability crosses the target rate :math:`\tau`.

Each is a root of a univariate algebraic expression; :func:`breakpoints` writes it as a polynomial (clearing
denominators; :math:`A + B\sqrt{\Delta} = 0` becomes :math:`A^2 - B^2 \Delta = 0`, a superset of its roots) and
takes the polynomial's real roots (:func:`numpy.roots`, polished by Newton steps on the polynomial). An extra root
only splits a piece in two; none is lost. For larger games (more than two strategies for some player) only the
kinks and the pure deviation gains are found this way; the caller then samples each piece and bisects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.polynomial.polynomial as P

from .. import _univariate
from .._derived import derived
from .._lazy import sympy
from .._sympy_json import check, encode
from . import symbolic
from .symbolic import fake_reach

__all__ = ["Breakpoint", "breakpoints", "polynomial_tables", "KINK"]

#: what a cap's kink says (the payoffs' polynomials change there, nowhere else)
KINK = "kink of a cap (two arguments of a min/max are equal)"
#: roots closer than this (relative to 1 + |theta|) are one root
MERGE_RTOL = 1e-11
#: imaginary parts up to this (relative) count as real (numerical noise of the polynomial roots)
IMAG_RTOL = 1e-7


@dataclass(frozen=True)
class Breakpoint:
    """A parameter value where the equilibrium set (or a rate's side of the target) may change.

    Attributes
    ----------
    value : float
        The root.
    why : str
        Which formula vanishes there, in words.
    """

    value: float
    why: str


def breakpoints(model: Any, parameter: str, bounds: tuple[float, float],
                target_rate: float) -> tuple[list[Breakpoint], bool]:
    """Every root in ``(lo, hi)`` of the formulas at which the equilibrium set may change, sorted and merged.

    Returns ``(breakpoints, complete)``: ``complete`` is True when the game has two strategies per player, so the
    support systems were solved and every change of the equilibrium set is among the roots; False for larger
    games (kinks and pure deviation gains only). The payoffs (and the share of fakes that reach a buyer) are
    read as exact polynomials in the parameter by :mod:`gametheory._univariate` from their encoded form, kept on
    disk for the built-in models: a query runs no sympy.

    Examples
    --------
    >>> import gametheory as gt
    >>> found, complete = breakpoints(gt.models.get("direct"), "penalty_multiplier", (0.0, 10.0), 0.05)
    >>> complete, [round(b.value, 4) for b in found if "kink" in b.why]    # k p = D - F and k p = D
    (True, [4.5, 5.0])
    """
    formulas = _formulas(model)
    theta, values = _fixed(model, parameter)
    shape = formulas["shape"]
    lo, hi = bounds
    found: list[Breakpoint] = []
    memo: dict[Any, _univariate.Along] = {}  # each segment's midpoint is visited twice: the work once

    def at(mid: float, what: str = "payoffs") -> _univariate.Along:
        if (what, mid) not in memo:
            memo[what, mid] = _univariate.along(formulas[what], theta, values, Fraction(mid))
        return memo[what, mid]

    segments = _segments(at, lo, hi, found)
    complete = formulas["reach"] is not None and len(shape) - 1 in (2, 3)
    for a, b in segments:
        mid = 0.5 * (a + b)
        entries = at(mid).outputs
        table = np.empty(len(entries), dtype=object)
        for j, entry in enumerate(entries):
            table[j] = np.array(_univariate.coefficients(entry))
        table = table.reshape(shape)
        if complete:
            share = np.array(_univariate.coefficients(at(mid, "reach").outputs[0]))
            exprs = _support_polynomials(table, model, float(target_rate), share)
        else:
            exprs = _deviation_polynomials(table, model)
        for poly, why in exprs:
            for r in _real_roots(poly):
                if a < r < b:
                    found.append(Breakpoint(float(r), why))
    return _merge(found, lo, hi), complete


def polynomial_tables(model: Any, parameter: str, at: float) -> tuple[Any, Any]:
    r"""The payoffs and the counterfeit rate of every pure profile as polynomials in ``parameter``, valid on the
    segment between the caps' kinks that holds ``at``.

    Returns ``(payoffs, rate)``: float coefficient arrays, lowest degree first along the last axis, of shapes
    ``(n_players, *shape, D)`` and ``(*shape, D)`` (``rate`` is None when the model's rate is not a polynomial in
    the parameter). Read from the same encoded formulas as :func:`breakpoints` (no sympy).

    Examples
    --------
    >>> import gametheory as gt
    >>> pay, rate = polynomial_tables(gt.models.get("direct"), "penalty_multiplier", 1.0)
    >>> pay.shape[:-1], rate.shape[:-1]
    ((3, 2, 2, 2), (2, 2, 2))
    """
    formulas = _formulas(model)
    theta, values = _fixed(model, parameter)
    shape = tuple(formulas["shape"])
    pay = _stack([_univariate.coefficients(r) for r in
                  _univariate.along(formulas["payoffs"], theta, values, Fraction(at)).outputs]).reshape(
        (*shape, -1))
    rate = None
    if formulas["rate"] is not None:
        try:
            rows = [_univariate.coefficients(r)
                    for r in _univariate.along(formulas["rate"], theta, values, Fraction(at)).outputs]
        except _univariate.NotRational:
            rows = None
        if rows is not None:
            rate = _stack(rows).reshape((*shape[1:], -1))
    return pay, rate


def _stack(rows: list[list[float]]) -> Any:
    """Coefficient lists of different lengths as one zero-padded array ``(len(rows), D)``."""
    out = np.zeros((len(rows), max(map(len, rows))))
    for j, row in enumerate(rows):
        out[j, : len(row)] = row
    return out


def _formulas(model: Any) -> dict[str, Any]:
    return derived(model, "breakpoint formulas", (__file__, symbolic.__file__, _univariate.__file__),  # type: ignore[no-any-return]
                   _derive_formulas, _assemble_formulas)


def _fixed(model: Any, parameter: str) -> tuple[str, dict[str, Fraction]]:
    """The parameter's symbol, and every other numeric parameter's symbol at its value as an exact rational."""
    theta = model.parameter(parameter).symbol_name
    values = {model.parameter(n).symbol_name: Fraction(repr(float(model.params[n])))
              for n in model.numeric_names if n != parameter}
    return theta, values


# ------------------------------------------------------------------------------------------ derived once
def _derive_formulas(model: Any) -> dict[str, Any]:
    """The payoffs, the share of fakes reaching a buyer (games with two strategies each) and the counterfeit rate
    of every pure profile, encoded."""
    table = model.symbolic_payoffs()
    shape = tuple(table.shape)
    reach = fake_reach(model) if all(s == 2 for s in shape[1:]) else None
    rate = model.symbolic_metrics().get("counterfeit_rate")
    return {"shape": [int(s) for s in shape], "payoffs": encode(sympy.flatten(table.tolist())),
            "reach": None if reach is None else encode([reach]),
            "rate": None if rate is None else encode(sympy.flatten(rate.tolist()))}


def _assemble_formulas(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The checked data (fresh or stored; a stored file that does not fit the model raises ``ValueError``)."""
    shape = tuple(int(s) for s in data["shape"])
    if shape != (len(model.players), *model.shape):
        raise ValueError(f"payoffs of shape {shape}, not of this model")
    if len(check(data["payoffs"])[1]) != math.prod(shape):
        raise ValueError("one formula per payoff")
    if data["reach"] is not None and len(check(data["reach"])[1]) != 1:
        raise ValueError("one formula for the share of fakes reaching a buyer")
    if "rate" not in data or (data["rate"] is not None and len(check(data["rate"])[1]) != math.prod(shape[1:])):
        raise ValueError("one counterfeit rate per pure profile")
    return {"shape": shape, "payoffs": data["payoffs"], "reach": data["reach"], "rate": data["rate"]}


# ------------------------------------------------------------------------------------------ caps and segments
def _segments(at: Any, lo: float, hi: float, found: list[Breakpoint]) -> list[tuple[float, float]]:
    """Split ``[lo, hi]`` at the caps' kinks until no cap switches inside a segment; kinks go to ``found``."""
    done, todo = [], [(lo, hi)]
    while todo:
        a, b = todo.pop()
        mid = 0.5 * (a + b)
        cuts = set()
        for diff in at(mid).kinks:
            cuts.update(r for r in _roots(diff) if a + _tol(a) < r < b - _tol(b))
        if not cuts or b - a <= _tol(b):
            done.append((a, b))
            continue
        for r in cuts:
            found.append(Breakpoint(float(r), KINK))
        edges = [a, *sorted(cuts), b]
        todo += list(zip(edges[:-1], edges[1:], strict=True))
    return sorted(done)


# ------------------------------------------------------------------------------------------ the formulas
# A polynomial in theta is a float coefficient array, lowest degree first (numpy.polynomial.polynomial).
def _support_polynomials(table: Any, model: Any, tau: float, reach: Any) -> list[tuple[Any, str]]:
    r"""Polynomials whose roots hold every change of the support systems of a game with two strategies each.

    Player :math:`i`'s gain :math:`g_i` is multilinear in the others' probabilities; its coefficients come from
    the payoff differences. Pure profiles: the deviation gains. Two players mixing (the rest pure): each one's
    probability is :math:`-a/b` from the other's indifference :math:`a + b \sigma = 0`, so the boundary of the
    simplex, the pure player's gain and the rate crossing are numerators of rational functions. Three mixing:
    their boundary is a two-mixer boundary (where a probability reaches 0 or 1 the solution also solves the
    smaller system with that player indifferent); what is new is the discriminant and leading coefficient of the
    quadratic the elimination leaves (where the two solutions appear, merge or escape) and the crossing of the
    target, from the system with the seller's probability fixed at :math:`\tau / s` (the counterfeit rate is
    :math:`s\,\sigma_\text{seller}`, :math:`s` the share of fakes that reach a buyer, a polynomial ``reach``).
    """
    n = table.shape[0]
    gains = [_gain(table, i) for i in range(n)]
    out: list[tuple[Any, str]] = []
    for pattern in _patterns(n):
        name = _name(model, pattern)
        mixed = [i for i, p in enumerate(pattern) if p == "m"]
        fixed = {i: int(p) for i, p in enumerate(pattern) if p != "m"}
        if not mixed:
            for i in range(n):
                out.append((_at(gains[i], fixed), f"{name}: {_player(model, i)}'s deviation gain is zero"))
        elif len(mixed) == 2:
            out += _two_mixers(gains, mixed, fixed, name, model, tau, reach)
        elif len(mixed) == 3:
            out += _three_mixers(gains, name, tau, reach)
    return out


def _gain(table: Any, i: int) -> dict[frozenset[int], Any]:
    """Player i's gain from strategy 1 over 0 as {set of others playing 1 weighted by sigma: coefficient}."""
    import itertools

    n = table.shape[0]
    others = [j for j in range(n) if j != i]
    diff = {}
    for prof in itertools.product((0, 1), repeat=n - 1):
        hi_, lo_ = list(prof), list(prof)
        hi_.insert(i, 1)
        lo_.insert(i, 0)
        diff[prof] = P.polysub(table[(i, *hi_)], table[(i, *lo_)])
    out: dict[frozenset[int], Any] = {}
    for subset in itertools.product((0, 1), repeat=n - 1):  # Moebius inversion of the corner values
        coeff = np.zeros(1)
        for prof in itertools.product((0, 1), repeat=n - 1):
            if all(p <= s for p, s in zip(prof, subset, strict=True)):
                sign = (-1) ** (sum(subset) - sum(prof))
                coeff = P.polyadd(coeff, sign * diff[prof])
        out[frozenset(j for j, s in zip(others, subset, strict=True) if s)] = coeff
    return out


def _at(g: dict[frozenset[int], Any], pure: dict[int, int]) -> Any:
    """The gain with the players in ``pure`` at their strategies (a dict keyed by the remaining mixers' sets)."""
    total = np.zeros(1)
    for subset, coeff in g.items():
        if all(j in pure for j in subset) and all(pure[j] == 1 for j in subset):
            total = P.polyadd(total, coeff)
    return total


def _partial(g: dict[frozenset[int], Any], pure: dict[int, int], free: int) -> tuple[Any, Any]:
    """``(a, b)`` with ``g = a + b sigma_free`` when every other player is pure."""
    a, b = np.zeros(1), np.zeros(1)
    for subset, coeff in g.items():
        rest = subset - {free}
        if all(pure[j] == 1 for j in rest):
            if free in subset:
                b = P.polyadd(b, coeff)
            else:
                a = P.polyadd(a, coeff)
    return a, b


def _two_mixers(gains: list[Any], mixed: list[int], fixed: dict[int, int], name: str, model: Any,
                tau: float, reach: Any) -> list[tuple[Any, str]]:
    i, j = mixed
    a_i, b_i = _partial(gains[i], fixed, j)  # i indifferent: sigma_j = -a_i / b_i
    a_j, b_j = _partial(gains[j], fixed, i)  # j indifferent: sigma_i = -a_j / b_j
    out = []
    for who, a, b in ((j, a_i, b_i), (i, a_j, b_j)):
        why = f"{name}: {_player(model, who)} mixes at a pure strategy or the solution escapes"
        out += [(a, why), (b, why), (P.polyadd(a, b), why)]
        if who == 0:  # reach * (-a / b) = tau
            out.append((P.polyadd(P.polymul(reach, a), tau * b), f"{name}: the counterfeit rate equals the target"))
    for k in fixed:  # the pure player's gain at the mixed solution, times b_i b_j (its sign does not matter)
        g = gains[k]
        total = np.zeros(1)
        for subset, coeff in g.items():
            if any(fixed.get(m) == 0 for m in subset if m in fixed):
                continue
            term = coeff
            term = P.polymul(term, -a_j if i in subset else b_j)
            term = P.polymul(term, -a_i if j in subset else b_i)
            total = P.polyadd(total, term)
        out.append((total, f"{name}: {_player(model, k)}'s deviation gain is zero"))
    return out


def _three_mixers(gains: list[Any], name: str, tau: float, reach: Any) -> list[tuple[Any, str]]:
    """Discriminant, leading coefficient and target crossing of the fully mixed system (three players)."""
    def coef(g: dict[frozenset[int], Any], *players: int) -> Any:
        return g.get(frozenset(players), np.zeros(1))

    out = []
    # buyer (1): g1 = a + b s + c p + d s p = 0 -> s = -(a + c p) / (b + d p); platform (2): g2 = e + f s + g y +
    # h s y = 0 -> y = -(e + f s) / (g + h s); seller (0): g0 = u + v y + w p + z y p = 0.
    a, b, c, d = coef(gains[1]), coef(gains[1], 0), coef(gains[1], 2), coef(gains[1], 0, 2)
    e, f, g, h = coef(gains[2]), coef(gains[2], 0), coef(gains[2], 1), coef(gains[2], 0, 1)
    u, v, w, z = coef(gains[0]), coef(gains[0], 1), coef(gains[0], 2), coef(gains[0], 1, 2)
    # with s = S(p) = -(a + c p) / (b + d p): y = -(e (b + d p) - f (a + c p)) / (g (b + d p) - h (a + c p)),
    # numerators and denominators linear in p; g0 * (denominator of y) is quadratic in p
    mul, add, sub = P.polymul, P.polyadd, P.polysub
    yn = [sub(mul(f, a), mul(e, b)), sub(mul(f, c), mul(e, d))]  # y = (yn0 + yn1 p) / (yd0 + yd1 p)
    yd = [sub(mul(g, b), mul(h, a)), sub(mul(g, d), mul(h, c))]
    q0 = add(mul(u, yd[0]), mul(v, yn[0]))
    q1 = add(add(mul(u, yd[1]), mul(v, yn[1])), add(mul(w, yd[0]), mul(z, yn[0])))
    q2 = add(mul(w, yd[1]), mul(z, yn[1]))
    out.append((sub(mul(q1, q1), 4.0 * mul(q2, q0)), f"{name}: two fully mixed solutions merge (discriminant)"))
    out.append((q2, f"{name}: a fully mixed solution escapes (leading coefficient)"))
    # the seller at tau / reach: y from the platform, p from the buyer (both times reach), then the seller's
    # indifference
    yt_n, yt_d = -add(mul(e, reach), tau * f), add(mul(g, reach), tau * h)
    pt_n, pt_d = -add(mul(a, reach), tau * b), add(mul(c, reach), tau * d)
    crossing = add(add(mul(mul(u, yt_d), pt_d), mul(mul(v, yt_n), pt_d)),
                   add(mul(mul(w, yt_d), pt_n), mul(mul(z, yt_n), pt_n)))
    out.append((crossing, f"{name}: the counterfeit rate equals the target"))
    return out


def _deviation_polynomials(table: Any, model: Any) -> list[tuple[Any, str]]:
    """Every pure profile's deviation gains (any shape)."""
    n = table.shape[0]
    shape = table.shape[1:]
    out = []
    for profile in np.ndindex(*shape):
        for i in range(n):
            for t in range(shape[i]):
                if t != profile[i]:
                    other = list(profile)
                    other[i] = t
                    out.append((P.polysub(table[(i, *other)], table[(i, *profile)]),
                                f"a pure deviation gain of {_player(model, i)} is zero"))
    return out


def _patterns(n: int) -> list[tuple[str, ...]]:
    import itertools

    return list(itertools.product(("0", "1", "m"), repeat=n))


def _player(model: Any, i: int) -> str:
    return str(model.players[i]) if i < len(model.players) else f"player {i}"


def _name(model: Any, pattern: tuple[str, ...]) -> str:
    words = []
    for i, p in enumerate(pattern):
        label = "mixed" if p == "m" else str(model.strategies[i][int(p)])
        words.append(f"{_player(model, i)} {label}")
    return "(" + ", ".join(words) + ")"


# ------------------------------------------------------------------------------------------ roots
def _roots(diff: _univariate.Ratio) -> list[float]:
    """Real roots of a rational function of theta: of its numerator and denominator."""
    return _real_roots([float(c) for c in diff.num]) + (_real_roots([float(c) for c in diff.den])
                                                        if len(diff.den) > 1 else [])


def _real_roots(coeffs: Any) -> list[float]:
    """Real roots of a polynomial (coefficients lowest first), polished by Newton steps on it."""
    coeffs = np.asarray(coeffs, dtype=float)
    scale = np.max(np.abs(coeffs)) if coeffs.size else 0.0
    if not np.isfinite(scale) or scale == 0:
        return []
    coeffs = P.polytrim(coeffs / scale, 1e-13)
    if coeffs.size < 2:
        return []
    raw = P.polyroots(coeffs)
    real = raw[np.abs(raw.imag) <= IMAG_RTOL * (1.0 + np.abs(raw.real))].real
    deriv = P.polyder(coeffs)
    out = []
    for r in real:  # numpy's companion-matrix roots lose digits on clustered roots
        x = float(r)
        for _ in range(4):
            d = P.polyval(x, deriv)
            if d == 0:
                break
            step = P.polyval(x, coeffs) / d
            if not np.isfinite(step) or abs(step) > 1e-6 * (1.0 + abs(x)):
                break
            x -= step
        out.append(x)
    return out


def _tol(x: float) -> float:
    return MERGE_RTOL * (1.0 + abs(x))


def _merge(found: list[Breakpoint], lo: float, hi: float) -> list[Breakpoint]:
    inside = sorted((b for b in found if lo + _tol(lo) < b.value < hi - _tol(hi)), key=lambda b: b.value)
    out: list[Breakpoint] = []
    for b in inside:
        if out and b.value - out[-1].value <= _tol(b.value):
            if b.why not in out[-1].why:
                out[-1] = Breakpoint(out[-1].value, f"{out[-1].why}; {b.why}")
            continue
        out.append(b)
    return out
