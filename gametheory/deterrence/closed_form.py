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

References: Becker (1968), Polinsky & Shavell (1998) and Tsebelis (1989), cited in full under
:func:`gametheory.deterrence.min_value`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .._derived import argument_names, compile_entry, derived, formula_entry, symbol_table
from .._lazy import sympy
from .equilibrium_types import _SOURCES as _TYPE_SOURCES
from .equilibrium_types import FormulaRow, equilibrium_types
from .symbolic import branches, fake_reach, gain, real, solve_system, support_conditions

__all__ = ["Regime", "ClosedForm", "derive", "TAU"]

#: the name of the target rate in every formula (the symbol, :data:`TAU`, is made on first use: no sympy import for
#: a query answered from the stored formulas)
TAU_NAME = "tau"
TAU: Any  # the symbol itself: the module's __getattr__ makes it on first access
FloatArray = npt.NDArray[np.float64]
#: candidates closer than this (relative to 1 + |value|) are one
MERGE_RTOL = 1e-10
_CACHE: dict[tuple[Any, ...], ClosedForm | None] = {}
#: the code the closed forms are derived by (its hash is part of the disk-cache key)
_SOURCES = (__file__, *_TYPE_SOURCES)


@dataclass(frozen=True, eq=False)
class Regime(FormulaRow):
    """One way an equilibrium with counterfeit rate :math:`\\tau` can arise, and the parameter value it needs
    (the head, :attr:`value`); ``function`` also takes :data:`TAU`, and ``mix_formulas`` are the mixed
    opponents' probabilities (decoded on first use after a disk-cache hit)."""

    branch: tuple[str, ...]
    mix_names: tuple[str, ...]
    mix_formulas: Any

    @property
    def value(self) -> sympy.Expr:
        """The parameter value at which the counterfeit rate equals :math:`\\tau` in this regime."""
        return self.formulas[0]

    @property
    def mixes(self) -> tuple[tuple[str, sympy.Expr], ...]:
        """Each mixed opponent's probability of its second strategy."""
        return tuple(zip(self.mix_names, self.mix_formulas, strict=True))

    def describe(self) -> str:
        """The regime in words, e.g. ``buyer mixed, platform Lax; Min(D, k*p) = k*p``."""
        text = ", ".join(self.pattern)
        return text + (f"; {', '.join(self.branch)}" if self.branch else "")


@dataclass(frozen=True, eq=False)
class Boundary:
    """Where one equilibrium type stops (or starts) existing as the parameter moves: a root of one of its
    inequalities; a threshold when that type is the last one counterfeiting above the target (a *fold*)."""

    pattern: tuple[str, ...]
    branch: tuple[str, ...]
    root: Any
    type_index: int
    condition_index: int
    root_function: Callable[..., Any]
    branch_function: Callable[..., Any]
    kind: str
    conditions: tuple[sympy.Expr, ...] = ()

    @property
    def value(self) -> sympy.Expr:
        """The root: where the type's inequality changes sign."""
        return self.root[0]

    def describe(self) -> str:
        """The boundary in words."""
        what = "end of the equilibrium type" if self.kind == "bad_end" else "start of the equilibrium type"
        return f"{what} ({', '.join(self.pattern)})" + (f"; {', '.join(self.branch)}" if self.branch else "")


@dataclass(frozen=True, eq=False)
class ClosedForm:
    """Every regime of one model and parameter, lambdified for vectorised evaluation."""

    model: str
    parameter: str
    symbol: sympy.Symbol
    regimes: tuple[Regime, ...]
    arguments: tuple[str, ...]
    types: Any
    boundaries: tuple[Boundary, ...] = ()

    def candidates(self, values: dict[str, FloatArray], target_rate: float, kind: str = "bad_end",
                   subset: npt.NDArray[np.intp] | None = None) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Candidate thresholds ``(R, N)`` and their validity at the points ``values`` (every argument).

        Rows are the crossing regimes (:attr:`regimes`) then the boundaries of ``kind`` (see :attr:`all_regimes`).
        Every row is evaluated at every point: skipping rows that a sample of the points never uses lost the
        breakpoint between an answer and its check at 2 of 10^6 cash-on-delivery points (a wrong threshold that
        the two-sided check cannot see). ``subset`` (indices into the points) evaluates the rows at those points
        only (columns in ``subset`` order).
        """
        rows = self.all_regimes(kind)
        if subset is not None:
            values = _take(values, subset)
        base = [np.asarray(values[name], dtype=float) for name in self.arguments]
        args = base + [np.float64(target_rate)]
        n = max(int(np.size(a)) for a in args) if subset is None else int(subset.size)
        vals = np.full((len(rows), n), np.nan)
        ok = np.zeros((len(rows), n), dtype=bool)
        where = self.arguments.index(self.parameter)
        scratch = np.empty(n)
        test = np.empty(n, dtype=bool)
        with np.errstate(all="ignore"):
            for r in range(len(rows)):
                regime = rows[r]
                if isinstance(regime, Regime):
                    out = regime.function(*args)
                    value = real(out[0], n)
                    conds = [real(c, n) for c in out[1:]]
                else:
                    value = real(regime.root_function(*base)[0], n)
                    at = list(base)
                    at[where] = value
                    res = self.types.types[regime.type_index].function(*at)
                    rate = real(res[0], n)
                    conds = [real(c, n) for j, c in enumerate(res[1:]) if j != regime.condition_index]
                    conds += [real(c, n) for c in regime.branch_function(*at)]
                    conds.append(rate - target_rate if regime.kind == "bad_end" else target_rate - rate)
                good = ok[r]
                np.isfinite(value, out=good)
                # a condition c is met where it is finite and c >= -1e-9 (1 + |value|)
                np.abs(value, out=scratch)
                scratch += 1.0
                scratch *= -1e-9
                for c in conds:
                    np.greater_equal(c, scratch, out=test)
                    good &= test
                    np.less(c, np.inf, out=test)
                    good &= test
                vals[r] = value
        return vals, ok

    def all_regimes(self, kind: str = "bad_end") -> list[Regime | Boundary]:
        """The crossing regimes followed by the boundaries of ``kind`` (``bad_end`` or ``good_start``)."""
        return [*self.regimes, *(b for b in self.boundaries if b.kind == kind)]

    def thresholds(
        self, values: dict[str, FloatArray], *, target_rate: float, bounds: tuple[float, float], largest: bool
    ) -> dict[str, Any]:
        """The smallest and the robust threshold per point, by the candidates and the equilibrium types.

        The criterion's verdict (by :mod:`.equilibrium_types`) can change only at a candidate (a crossing of
        the target or a boundary of an equilibrium type), so between two consecutive candidates it is read at the
        midpoint. ``smallest`` is the lower bound where the criterion holds there, else the first candidate (in
        increasing order) on whose right the criterion holds; ``robust`` is the last candidate (in decreasing
        order) on whose left it fails, when it holds at the upper bound (else NaN; the lower bound when it
        never fails). Returns a dict of arrays: ``smallest``, ``robust``, the midpoints either side of each
        (``smallest_below``, ``smallest_above``, ``robust_below``, ``robust_above``; NaN at a bound),
        ``answered`` (False where the types leave the verdict unknown, e.g. no type valid in a degenerate game, or
        contradict themselves). NaN ``smallest`` where answered: infeasible.
        """
        lo, hi = bounds
        n = max(int(np.size(np.asarray(values[name]))) for name in self.arguments)
        values = _constants_as_scalars(values, keep=self.parameter)
        out = {key: np.full(n, np.nan) for key in ("smallest", "robust", "smallest_below", "smallest_above",
                                                    "robust_below", "robust_above")}
        at_lo = self._holds(values, np.full(n, lo), target_rate, largest)
        at_hi = self._holds(values, np.full(n, hi), target_rate, largest)
        answered = (at_lo >= 0) & (at_hi >= 0)
        vals, ok = self.candidates(values, target_rate, "bad_end" if largest else "good_start")
        slack = 1e-12 * max(1.0, abs(hi))
        ok &= (vals > lo + slack) & (vals < hi - slack)
        live = np.flatnonzero(ok.any(axis=1))  # rows valid somewhere in the batch (of ~200, a dozen)
        ranked = np.sort(np.where(ok[live], vals[live], np.inf).T, axis=1)  # (n, R'), per point, inf-padded
        count = np.isfinite(ranked).sum(axis=1)
        ranked = ranked[:, : int(count.max()) if n else 0]
        # equal candidates (two regimes with one root) are one: a zero-width piece between them would put a
        # "midpoint" on the candidate itself, a degenerate game
        with np.errstate(invalid="ignore"):  # inf - inf past the last candidate
            dup = np.diff(ranked, axis=1) <= MERGE_RTOL * (1.0 + np.abs(ranked[:, 1:]))
        if dup.any():
            ranked[:, 1:][dup] = np.inf
            ranked = np.sort(ranked, axis=1)
            count = np.isfinite(ranked).sum(axis=1)
            ranked = ranked[:, : int(count.max()) if n else 0]
        edges = np.concatenate([np.full((n, 1), lo), ranked, np.full((n, 1), np.inf)], axis=1)
        edges[np.arange(n), count + 1] = hi
        first_mid = 0.5 * (edges[:, 0] + edges[:, 1])
        start = answered & (at_lo == 1)
        out["smallest"][start], out["smallest_above"][start] = lo, first_mid[start]
        # smallest: the first candidate on whose right (the midpoint to the next one) the criterion holds
        todo = np.flatnonzero(answered & (at_lo == 0))
        for r in range(1, ranked.shape[1] + 1):
            todo = todo[count[todo] >= r]
            if todo.size == 0:
                break
            mid = 0.5 * (edges[todo, r] + edges[todo, r + 1])
            right = self._holds(_take(values, todo), mid, target_rate, largest)
            hit = todo[right == 1]
            out["smallest"][hit] = edges[hit, r]
            out["smallest_below"][hit] = 0.5 * (edges[hit, r - 1] + edges[hit, r])
            out["smallest_above"][hit] = mid[right == 1]
            answered[todo[right == -1]] = False
            todo = todo[right == 0]
        at_top = np.flatnonzero(answered & np.isnan(out["smallest"]) & (at_hi == 1))  # holds at hi only
        out["smallest"][at_top] = hi
        out["smallest_below"][at_top] = 0.5 * (edges[at_top, count[at_top]] + hi)
        # robust: from the top, the first candidate on whose left the criterion fails
        todo = np.flatnonzero(answered & (at_hi == 1))
        found = np.zeros(n, dtype=bool)
        for r in range(ranked.shape[1]):
            todo = todo[count[todo] > r]
            if todo.size == 0:
                break
            j = count[todo] - r  # column of the candidate in edges
            rows = (todo, j)
            mid = 0.5 * (edges[todo, j - 1] + edges[rows])
            left = self._holds(_take(values, todo), mid, target_rate, largest)
            hit = left == 0
            sel = todo[hit]
            out["robust"][sel] = edges[sel, j[hit]]
            out["robust_below"][sel] = mid[hit]
            out["robust_above"][sel] = 0.5 * (edges[sel, j[hit]] + edges[sel, j[hit] + 1])
            found[sel] = True
            answered[todo[left == -1]] = False
            todo = todo[left == 1]
        never = answered & (at_hi == 1) & ~found
        answered[never & (at_lo == 0)] = False  # holds above every candidate yet fails at lo: inconsistent
        out["robust"][never & (at_lo == 1)] = lo
        out["answered"] = answered
        return out

    def _holds(self, values: dict[str, FloatArray], theta: FloatArray, target: float,
               largest: bool) -> npt.NDArray[np.int8]:
        """1 where the criterion holds at ``theta`` by the equilibrium types, 0 where it fails, -1 unknown."""
        point = {**values, self.parameter: theta}
        verdict: npt.NDArray[np.int8] = self.types.verdict(point, target, largest=largest)
        return verdict

    def expression(self, regime: int, *, largest: bool = True) -> sympy.Expr:
        """The threshold of one regime (index into :meth:`all_regimes`) as a formula, piecewise for a crossing."""
        reg = self.all_regimes("bad_end" if largest else "good_start")[regime]
        if isinstance(reg, Boundary):
            return _tidy(reg.value)
        cond = sympy.And(*[c >= 0 for c in reg.conditions]) if reg.conditions else sympy.true
        return sympy.Piecewise((_tidy(reg.value), cond), (sympy.nan, True))


def _constants_as_scalars(values: dict[str, Any], *, keep: str) -> dict[str, Any]:
    """The point arrays with every constant one (all entries equal) replaced by that number (0-d), but ``keep``.

    The formulas then do scalar arithmetic on the fixed parameters instead of array passes; the results are the
    same numbers, broadcast.
    """
    out = {}
    for name, v in values.items():
        arr = np.asarray(v, dtype=float)
        if name != keep and arr.ndim == 1 and arr.size > 1 and (arr == arr[0]).all():
            arr = arr[0]
        out[name] = arr
    return out


def _take(values: dict[str, Any], idx: npt.NDArray[np.intp]) -> dict[str, Any]:
    return {name: np.asarray(v)[idx] if np.ndim(v) else v for name, v in values.items()}


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
        _CACHE[key] = derived(model, f"closed form of the threshold in {parameter}", _SOURCES,
                              lambda m: _derive(m, parameter), lambda m, data: _assemble(m, parameter, data))
    return _CACHE[key]


@functools.cache
def _tau() -> Any:
    """:data:`TAU`, the target rate's symbol."""
    return sympy.Symbol(TAU_NAME, real=True, nonnegative=True)


def __getattr__(name: str) -> Any:
    if name == "TAU":  # the target rate in every formula
        return _tau()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _symbols(model: Any) -> dict[str, Any]:
    return symbol_table(model, _tau(), *(sympy.Symbol(f"y_{name}", real=True) for name in model.players[1:]))


def _assemble(model: Any, parameter: str, data: Any) -> ClosedForm | None:
    """The closed form from its data (fresh or stored; a bad stored entry raises ``ValueError`` or
    ``ProgramFormatError``)."""
    if data is None:
        return None
    types = equilibrium_types(model)
    if types is None:
        return None
    params = argument_names(model)
    table = functools.partial(_symbols, model)
    regimes = []
    for entry in data["regimes"]:
        formulas, function = compile_entry(entry["formulas"], [*params, TAU_NAME], table)
        mixes, _ = compile_entry(entry["mixes"], [*params, TAU_NAME], table)
        names = tuple(str(x) for x in entry["mix_names"])
        if len(names) != len(mixes):
            raise ValueError("one name per mixed opponent")
        regimes.append(Regime(_texts(entry["pattern"]), formulas, function, _texts(entry["branch"]), names, mixes))
    boundaries = []
    for entry in data["boundaries"]:
        root, root_fn = compile_entry(entry["root"], params, table)
        _, branch_fn = compile_entry(entry["branch_conditions"], params, table)
        t, i, kind = int(entry["type_index"]), int(entry["condition_index"]), str(entry["kind"])
        if not (0 <= t < len(types.types) and 0 <= i < len(types.types[t].formulas) - 1 and len(root) == 1
                and kind in ("bad_end", "good_start")):
            raise ValueError("a boundary refers to a type or condition that does not exist")
        boundaries.append(Boundary(_texts(entry["pattern"]), _texts(entry["branch"]), root, t, i, root_fn,
                                   branch_fn, kind))
    return ClosedForm(model.name, parameter, model.symbols[parameter], tuple(regimes),
                      tuple(model.numeric_names), types, tuple(boundaries))


def _texts(items: Any) -> tuple[str, ...]:
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
        raise ValueError("expected a list of texts")
    return tuple(items)


def _derive(model: Any, parameter: str) -> dict[str, Any] | None:
    payoffs = model.symbolic_payoffs()
    n = payoffs.shape[0]
    if tuple(payoffs.shape[1:]) != (2,) * n or n not in (2, 3):
        return None
    symbols = model.symbols
    theta = symbols[parameter]
    table = payoffs
    reach = fake_reach(model)
    if reach is None:
        return None
    opp = [sympy.Symbol(f"y_{name}", real=True) for name in model.players[1:n]]
    seller_gain = gain(table, n, [None, *opp], 0)
    # the counterfeit rate is reach * x: the seller counterfeits with x = tau / reach
    deltas = [gain(table, n, [_tau() / reach, *opp], j) for j in range(1, n)]
    exprs = [seller_gain, *deltas]
    if any(e.has(sympy.Piecewise, sympy.Heaviside) and e.has(theta) for e in exprs):
        return None
    regimes = []
    for branch_exprs, branch_conditions, branch_text in branches(exprs, theta):
        gain_b, deltas_b = branch_exprs[0], branch_exprs[1:]
        for pattern in itertools.product(("0", "1", "m"), repeat=n - 1):
            regimes += _solve_regime(model, theta, opp, gain_b, deltas_b, pattern, branch_conditions, branch_text)
    types = equilibrium_types(model)
    if types is None:
        return None
    return {"regimes": regimes, "boundaries": _type_boundaries(model, types, theta)}


def _type_boundaries(model: Any, types: Any, theta: sympy.Symbol) -> list[dict[str, Any]]:
    """Where an equilibrium type with a rate above the target ends (``bad_end``), or one at or below it starts
    (``good_start``): a root in :math:`\\theta` of one of the type's inequalities (the others checked numerically)."""
    out = []
    for t, kind in enumerate(types.types):
        seller = kind.pattern[0]
        labels = [label for label, ok in (("bad_end", seller in ("1", "m")), ("good_start", seller in ("0", "m")))
                  if ok]
        words = [f"{p} {_word(model, k, s)}" for k, (p, s) in enumerate(zip(model.players, kind.pattern, strict=False))]
        for i, cond in enumerate(kind.conditions):
            if not cond.has(theta):
                continue
            for (expr,), branch_conditions, branch_text in branches([cond], theta, expand=False):
                for root in _roots(expr, theta):
                    root_entry, branch_entry = formula_entry([root]), formula_entry(list(branch_conditions))
                    for label in labels:
                        out.append({"pattern": words, "branch": list(branch_text), "root": root_entry,
                                    "branch_conditions": branch_entry, "type_index": t, "condition_index": i,
                                    "kind": label})
    return out


def _word(model: Any, k: int, s: str) -> str:
    return "mixed" if s == "m" else model.strategies[k][int(s)]


def _roots(expr: sympy.Expr, theta: sympy.Symbol) -> list[sympy.Expr]:
    """Roots in ``theta`` of a rational expression whose numerator has degree 1 or 2 in it (else none)."""
    if any(isinstance(a, sympy.Pow) and not a.exp.is_integer for a in sympy.preorder_traversal(expr)):
        return []
    num = sympy.expand(sympy.numer(sympy.together(expr)))
    if not num.has(theta):
        return []
    try:
        coeffs = sympy.Poly(num, theta).all_coeffs()
    except sympy.PolynomialError:
        return []
    if len(coeffs) == 2:
        return [-coeffs[1] / coeffs[0]]
    if len(coeffs) == 3:
        a, b, c = coeffs
        disc = sympy.sqrt(b**2 - 4 * a * c)
        return [(-b - disc) / (2 * a), (-b + disc) / (2 * a)]
    return []


def _solve_regime(model: Any, theta: sympy.Symbol, opp: list[sympy.Symbol], seller_gain: sympy.Expr,
                  deltas: list[sympy.Expr], pattern: tuple[str, ...],
                  branch_conditions: list[sympy.Expr], branch_text: tuple[str, ...]) -> list[dict[str, Any]]:
    fixed = {y: int(p) for y, p in zip(opp, pattern, strict=True) if p != "m"}
    unknowns = [theta] + [y for y, p in zip(opp, pattern, strict=True) if p == "m"]
    equations = [sympy.expand(seller_gain.xreplace(fixed))]
    equations += [sympy.expand(d.xreplace(fixed)) for d, p in zip(deltas, pattern, strict=True)
                  if p == "m"]
    if any(not eq.has(*unknowns) for eq in equations):
        return []
    solutions = solve_system(equations, unknowns, theta)
    labels = [s for s in model.strategies[1 : len(opp) + 1]]
    out = []
    for sol in solutions:
        if set(sol) != set(unknowns) or any(v.has(*unknowns) for v in sol.values()):
            continue
        conditions = [c.xreplace({theta: sol[theta]}) for c in branch_conditions]
        conditions += support_conditions(opp, deltas, pattern, fixed, sol)
        conditions = [c for c in conditions if not (c.is_number and c >= 0)]
        if any(c.is_number and c < 0 for c in conditions):
            continue
        words = [f"{player} mixed" if p == "m" else f"{player} {lab[int(p)]}"
                 for player, p, lab in zip(model.players[1:], pattern, labels, strict=False)]
        mixed = [y for y in opp if y in sol]
        out.append({"pattern": words, "branch": list(branch_text), "formulas": formula_entry([sol[theta], *conditions]),
                    "mix_names": [str(y) for y in mixed], "mixes": formula_entry([sol[y] for y in mixed])})
    return out


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of a few equivalent forms (expanded, factored), for display."""
    if sympy.count_ops(expr) > 80:
        return expr
    forms = [expr, sympy.expand(expr), sympy.factor(expr), sympy.simplify(expr)]
    return min(forms, key=sympy.count_ops)
