r"""Closed-form thresholds: the policy value at which an equilibrium's counterfeit rate equals the target, by sympy.

Write :math:`x` for the seller's probability of Counterfeit and :math:`y_j` for opponent :math:`j`'s probability of
its second strategy (Verify, Audit). From the model's symbolic payoffs (the one source of truth) take the seller's
gain from counterfeiting and each opponent's gain from its second strategy, multilinear in the mixed strategies,

.. math::

    G(y;\theta) = u_S(C, y) - u_S(G, y), \qquad
    \Delta_j(x, y_{-j};\theta) = u_j(1_j, x, y_{-j}) - u_j(0_j, x, y_{-j}).

An equilibrium in which the seller counterfeits at exactly the target rate :math:`x = \tau` has, for some
*regime* (each opponent pure 0, pure 1 or mixed),

.. math::

    G(y;\theta) = 0, \qquad \Delta_j(\tau, y_{-j};\theta) = 0 \ (j \text{ mixed}), \qquad
    0 \le y_j \le 1, \qquad y_j = 1 \Rightarrow \Delta_j \ge 0, \quad y_j = 0 \Rightarrow \Delta_j \le 0,

a polynomial system that :func:`sympy.solve` answers for :math:`(\theta, y_{\text{mixed}})`; the remaining
conditions are inequalities. A cap such as :math:`\min(k p, D)` is split into its branches, each with its own
validity inequality (:math:`k p \le D` or :math:`k p \ge D`), so the answer is piecewise where the deposit cap or the
equilibrium type switches. When the counterfeit rate falls as :math:`\theta` rises (the models' case, checked
against the numeric search in the tests), the threshold of ``all_equilibria`` is the *largest* valid candidate
(beyond it every equilibrium counterfeits less than :math:`\tau`) and that of ``some_equilibrium`` the smallest.
Where no candidate is valid the closed form gives no answer and the caller falls back on the numeric search.

With :math:`\tau = 0` and a detection probability :math:`P` that does not depend on anyone's choice this is
Becker's condition: the seller is deterred iff :math:`g \le P \cdot k p`, i.e. :math:`k^* = g / (P p)`.

References
----------
.. [1] Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of Political Economy*, 76(2),
       169-217.
.. [2] Polinsky, A. M., & Shavell, S. (1998). Punitive damages: an economic analysis. *Harvard Law Review*,
       111(4), 869-962.
.. [3] Tsebelis, G. (1989). The abuse of probability in political analysis: the Robinson Crusoe fallacy.
       *American Political Science Review*, 83(1), 77-91.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy

__all__ = ["Regime", "ClosedForm", "derive", "TAU"]

#: the target rate in every formula
TAU = sympy.Symbol("tau", real=True, nonnegative=True)
FloatArray = npt.NDArray[np.float64]
_CACHE: dict[tuple[Any, ...], ClosedForm | None] = {}


@dataclass(frozen=True, eq=False)
class Regime:
    """One way an equilibrium with counterfeit rate :math:`\\tau` can arise, and the parameter value it needs."""

    pattern: tuple[str, ...]
    branch: tuple[str, ...]
    value: sympy.Expr
    mixes: tuple[tuple[str, sympy.Expr], ...]
    conditions: tuple[sympy.Expr, ...]
    function: Callable[..., Any]

    def describe(self) -> str:
        """The regime in words, e.g. ``buyer mixed, platform Lax; Min(D, k*p) = k*p``."""
        text = ", ".join(self.pattern)
        return text + (f"; {', '.join(self.branch)}" if self.branch else "")


@dataclass(frozen=True, eq=False)
class ClosedForm:
    """Every regime of one model and parameter, lambdified for vectorised evaluation."""

    model: str
    parameter: str
    symbol: sympy.Symbol
    regimes: tuple[Regime, ...]
    arguments: tuple[str, ...]

    def candidates(self, values: dict[str, FloatArray], target_rate: float) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Candidate thresholds ``(R, N)`` and their validity ``(R, N)`` at the points ``values`` (every argument)."""
        args = [values[name] for name in self.arguments] + [np.float64(target_rate)]
        n = max(int(np.size(a)) for a in args)
        vals = np.full((len(self.regimes), n), np.nan)
        ok = np.zeros((len(self.regimes), n), dtype=bool)
        with np.errstate(all="ignore"):
            for r, regime in enumerate(self.regimes):
                out = regime.function(*args)
                value = _real(out[0], n)
                good = np.isfinite(value)
                for cond in out[1:]:
                    c = _real(cond, n)
                    good &= np.isfinite(c) & (c >= -1e-9 * (1.0 + np.abs(value)))
                vals[r] = value
                ok[r] = good
        return vals, ok

    def evaluate(
        self, values: dict[str, FloatArray], *, target_rate: float, bounds: tuple[float, float], largest: bool
    ) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
        """Thresholds, where the formula answered, and the regime used (index into :attr:`regimes`, -1 if none)."""
        vals, ok = self.candidates(values, target_rate)
        lo, hi = bounds
        slack = 1e-12 * max(1.0, abs(hi))
        ok &= (vals >= lo - slack) & (vals <= hi + slack)
        fill = -np.inf if largest else np.inf
        masked = np.where(ok, vals, fill)
        if masked.shape[0] == 0:
            n = vals.shape[1]
            return np.full(n, np.nan), np.zeros(n, dtype=bool), np.full(n, -1)
        pick = masked.argmax(axis=0) if largest else masked.argmin(axis=0)
        answered = ok.any(axis=0)
        threshold = np.where(answered, np.clip(masked[pick, np.arange(masked.shape[1])], lo, hi), np.nan)
        return threshold, answered, np.where(answered, pick, -1)

    def expression(self, regime: int) -> sympy.Expr:
        """The threshold of one regime as a piecewise formula (NaN outside the regime's conditions)."""
        reg = self.regimes[regime]
        cond = sympy.And(*[c >= 0 for c in reg.conditions]) if reg.conditions else sympy.true
        return sympy.Piecewise((_tidy(reg.value), cond), (sympy.nan, True))


def derive(model: Any, parameter: str) -> ClosedForm | None:
    """The closed form of the threshold in ``parameter`` for ``model``'s structure (cached), or None.

    None when the game is not 2x2 or 2x2x2 (the extended variant) or a payoff depends on the parameter through
    something other than polynomials, ``Min`` and ``Max``.

    Examples
    --------
    >>> import gametheory as gt
    >>> cf = derive(gt.models.get("self_operated"), "penalty_multiplier")
    >>> cf is None or len(cf.regimes) >= 1
    True
    """
    key = (type(model), model.variant, tuple(sorted(model.options.items())), parameter)
    if key not in _CACHE:
        _CACHE[key] = _derive(model, parameter)
    return _CACHE[key]


def _derive(model: Any, parameter: str) -> ClosedForm | None:
    payoffs = model.symbolic_payoffs()
    n = payoffs.shape[0]
    if tuple(payoffs.shape[1:]) != (2,) * n or n not in (2, 3):
        return None
    symbols = model.symbols
    theta = symbols[parameter]
    table = payoffs
    opp = [sympy.Symbol(f"y_{name}", real=True) for name in model.players[1:n]]
    gain = _gain(table, n, [None, *opp], 0)
    deltas = [_gain(table, n, [TAU, *opp], j) for j in range(1, n)]
    exprs = [gain, *deltas]
    if any(e.has(sympy.Piecewise, sympy.Heaviside) and e.has(theta) for e in exprs):
        return None
    names = list(model.numeric_names)
    arg_symbols = [symbols[name] for name in names] + [TAU]
    regimes = []
    for branch_exprs, branch_conditions, branch_text in _branches(exprs, theta):
        gain_b, deltas_b = branch_exprs[0], branch_exprs[1:]
        for pattern in itertools.product(("0", "1", "m"), repeat=n - 1):
            regimes += _solve_regime(model, theta, opp, gain_b, deltas_b, pattern, branch_conditions, branch_text,
                                     arg_symbols)
    return ClosedForm(model.name, parameter, theta, tuple(regimes), tuple(names))


def _solve_regime(model: Any, theta: sympy.Symbol, opp: list[sympy.Symbol], gain: sympy.Expr,
                  deltas: list[sympy.Expr], pattern: tuple[str, ...],
                  branch_conditions: list[sympy.Expr], branch_text: tuple[str, ...],
                  arg_symbols: list[sympy.Symbol]) -> list[Regime]:
    fixed = {y: int(p) for y, p in zip(opp, pattern, strict=True) if p != "m"}
    unknowns = [theta] + [y for y, p in zip(opp, pattern, strict=True) if p == "m"]
    equations = [sympy.expand(gain.xreplace(fixed))]
    equations += [sympy.expand(d.xreplace(fixed)) for d, p in zip(deltas, pattern, strict=True)
                  if p == "m"]
    if any(not eq.has(*unknowns) for eq in equations):
        return []
    solutions = _solve_system(equations, unknowns, theta)
    labels = [s for s in model.strategies[1 : len(opp) + 1]]
    out = []
    for sol in solutions:
        if set(sol) != set(unknowns) or any(v.has(*unknowns) for v in sol.values()):
            continue
        conditions = [c.xreplace({theta: sol[theta]}) for c in branch_conditions]
        for y, p, d in zip(opp, pattern, deltas, strict=True):
            if p == "m":
                conditions += [sol[y], 1 - sol[y]]
            else:
                delta = d.xreplace(fixed).xreplace(sol)
                conditions.append(delta if p == "1" else -delta)
        conditions = [c for c in conditions if not (c.is_number and c >= 0)]
        if any(c.is_number and c < 0 for c in conditions):
            continue
        words = tuple(
            f"{player} mixed" if p == "m" else f"{player} {lab[int(p)]}"
            for player, p, lab in zip(model.players[1:], pattern, labels, strict=False)
        )
        mixes = tuple((str(y), sol[y]) for y in opp if y in sol)
        func = sympy.lambdify(arg_symbols, [sol[theta], *conditions], modules="numpy")
        out.append(Regime(words, branch_text, sol[theta], mixes, tuple(conditions), func))
    return out


def _solve_system(equations: list[sympy.Expr], unknowns: list[sympy.Symbol],
                  theta: sympy.Symbol) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Solve a multilinear system by elimination: each step solves one equation that is linear in one unknown
    (the opponents' mixes first), the last equation is a polynomial in the last unknown (degree <= 2 by formula).

    Much faster than :func:`sympy.solve` on these systems; returns [] when the system has no isolated solution.
    """
    eqs = [_numerator(e) for e in equations]
    unknowns = list(unknowns)
    eliminated: list[tuple[sympy.Symbol, sympy.Expr]] = []
    while len(eqs) > 1:
        pick = next(((i, u) for i, e in enumerate(eqs) for u in sorted(unknowns, key=lambda u: u == theta)
                     if e.has(u) and sympy.degree(e, u) == 1), None)
        if pick is None:
            return []
        i, u = pick
        poly = sympy.Poly(eqs.pop(i), u)
        value = -poly.coeff_monomial(1) / poly.coeff_monomial(u)
        eliminated.append((u, value))
        unknowns.remove(u)
        eqs = [_numerator(e.xreplace({u: value})) for e in eqs]
        if any(e == 0 or not e.has(*unknowns) for e in eqs):
            return []
    (u,) = unknowns
    poly = sympy.Poly(eqs[0], u)
    coeffs = poly.all_coeffs()
    if len(coeffs) == 2:
        roots = [-coeffs[1] / coeffs[0]]
    elif len(coeffs) == 3:
        a2, b2, c2 = coeffs
        disc = sympy.sqrt(b2**2 - 4 * a2 * c2)
        roots = [(-b2 - disc) / (2 * a2), (-b2 + disc) / (2 * a2)]
    else:
        roots = [r for r in sympy.solve(eqs[0], u, check=False, simplify=False) if not r.has(sympy.I)]
    solutions = []
    for root in roots:
        sol = {u: root}
        for v, expr in reversed(eliminated):
            sol[v] = expr.xreplace(sol)
        solutions.append(sol)
    return solutions


def _numerator(expr: sympy.Expr) -> sympy.Expr:
    return sympy.expand(sympy.numer(sympy.together(sympy.expand(expr))))


def _gain(table: Any, n: int, probs: list[Any], player: int) -> sympy.Expr:
    """Player's payoff from its strategy 1 minus strategy 0 when the others mix with ``probs``."""
    total = sympy.Integer(0)
    for profile in itertools.product(range(2), repeat=n - 1):
        others = list(profile)
        weight = sympy.Integer(1)
        for j, s in zip([j for j in range(n) if j != player], others, strict=True):
            weight *= probs[j] if s == 1 else 1 - probs[j]
        hi = list(others)
        hi.insert(player, 1)
        lo = list(others)
        lo.insert(player, 0)
        total += weight * (table[(player, *hi)] - table[(player, *lo)])
    return sympy.expand(total)


def _branches(exprs: list[sympy.Expr], theta: sympy.Symbol, conditions: tuple[sympy.Expr, ...] = (),
              text: tuple[str, ...] = ()) -> Any:
    """Split every ``Min``/``Max`` that involves ``theta`` into its branches, innermost first.

    Yields ``(expressions, conditions, description)``: the expressions with each cap replaced by one argument,
    the inequalities (``>= 0``) under which those are the right arguments, and the choices in words.
    """
    atoms = [a for e in exprs for a in e.atoms(sympy.Min, sympy.Max) if a.has(theta)]
    inner = sorted({a for a in atoms if not any(b.has(sympy.Min, sympy.Max) and b.has(theta) for b in a.args)},
                   key=sympy.default_sort_key)
    if not inner:
        yield [sympy.expand(e) for e in exprs], list(conditions), text
        return
    atom = inner[0]
    for chosen in atom.args:
        new = [e.xreplace({atom: chosen}) for e in exprs]
        yield from _branches(new, theta, conditions + tuple(_branch_condition(atom, chosen)),
                             text + (f"{atom} = {chosen}",))


def _branch_condition(atom: Any, chosen: Any) -> list[sympy.Expr]:
    others = [a for a in atom.args if a != chosen]
    if isinstance(atom, sympy.Min):
        return [o - chosen for o in others]
    return [chosen - o for o in others]


def _real(x: Any, n: int) -> FloatArray:
    arr = np.asarray(x)
    if np.iscomplexobj(arr):
        arr = np.where(np.abs(arr.imag) <= 1e-12 * (1 + np.abs(arr.real)), arr.real, np.nan)
    return np.broadcast_to(arr.astype(float), (n,))


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    if sympy.count_ops(expr) > 80:
        return expr
    return sympy.factor(sympy.simplify(expr))
