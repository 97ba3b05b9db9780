r"""Every equilibrium type of a 2x2 or 2x2x2 model as formulas: which equilibria exist at a parameter point.

An equilibrium *type* fixes each player's support: pure 0, pure 1 or mixed. Writing :math:`\sigma_i` for player
:math:`i`'s probability of its strategy 1 and :math:`g_i(\sigma_{-i})` for its gain from strategy 1 over strategy 0
(multilinear in the others' probabilities, from the model's symbolic payoffs), a type's equilibrium solves

.. math::

    g_i(\sigma_{-i}) = 0 \quad (i \text{ mixed}), \qquad 0 \le \sigma_i \le 1, \qquad
    \sigma_i = 1 \Rightarrow g_i \ge 0, \qquad \sigma_i = 0 \Rightarrow g_i \le 0 ,

whose equations are solved once by sympy for the mixed probabilities (linear elimination, a quadratic at most in a
2x2x2 game), leaving inequalities in the parameters. Evaluated with numpy over many points at once, the types
list every equilibrium of a non-degenerate game (support enumeration by formula; McKelvey & McLennan 1996), which
is how :mod:`.closed_form` checks a formula threshold without calling a solver.

References
----------
.. [1] McKelvey, R. D., & McLennan, A. (1996). Computation of equilibria in finite games. In *Handbook of
       Computational Economics*, vol. 1, 87-142.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._derived import argument_names, compile_entry, derived, formula_entry, symbol_table
from .._lazy import sympy
from .._sympy_json import Formulas
from .symbolic import fake_reach, gain, real, solve_system, support_conditions

__all__ = ["EquilibriumType", "EquilibriumTypes", "equilibrium_types"]

FloatArray = npt.NDArray[np.float64]
#: a type's inequality counts as met down to this (absolute, payoffs and probabilities)
COND_TOL = 1e-9
_CACHE: dict[tuple[Any, ...], EquilibriumTypes | None] = {}
#: the code the types are derived by (its hash is part of the disk-cache key)
_SOURCES = (__file__, Path(__file__).with_name("symbolic.py"))


@dataclass(frozen=True, eq=False)
class FormulaRow:
    """A support ``pattern`` and its formulas ``[head, *conditions]``: a value and the inequalities (each
    ``>= 0``) under which it holds, as sympy expressions (decoded on first use after a disk-cache hit) and as
    ``function``, which evaluates them in the model's numeric parameters."""

    pattern: tuple[str, ...]
    formulas: Formulas
    function: Callable[..., Any]

    @property
    def conditions(self) -> tuple[sympy.Expr, ...]:
        """The inequalities (each ``>= 0``) under which it is an equilibrium."""
        return tuple(self.formulas[1:])


@dataclass(frozen=True, eq=False)
class EquilibriumType(FormulaRow):
    """One support pattern: the seller's counterfeit probability (the head, :attr:`rate`) and the inequalities
    under which it exists; ``function`` is a :class:`~gametheory._expressions.Program`."""

    @property
    def rate(self) -> sympy.Expr:
        """The counterfeit rate of this type's equilibrium."""
        return self.formulas[0]


@dataclass(frozen=True, eq=False)
class EquilibriumTypes:
    """Every equilibrium type of one model structure, lambdified in the model's numeric parameters."""

    types: tuple[EquilibriumType, ...]
    arguments: tuple[str, ...]

    def rates(self, values: dict[str, FloatArray]) -> FloatArray:
        """Counterfeit rate of each type at each point ``(T, N)``, NaN where the type is not an equilibrium."""
        args = [np.asarray(values[name], dtype=float) for name in self.arguments]
        n = max(int(np.size(a)) for a in args)
        out = np.full((len(self.types), n), np.nan)
        with np.errstate(all="ignore"):
            for t, kind in enumerate(self.types):
                res = kind.function(*args)
                rate = real(res[0], n)
                ok = np.isfinite(rate) & (rate >= -COND_TOL) & (rate <= 1 + COND_TOL)
                for cond in res[1:]:
                    c = real(cond, n)
                    ok &= np.isfinite(c) & (c >= -COND_TOL * (1.0 + np.abs(c)))
                out[t] = np.where(ok, np.clip(rate, 0.0, 1.0), np.nan)
        return out

    def verdict(self, values: dict[str, FloatArray], target: float, *, largest: bool) -> npt.NDArray[np.int8]:
        """Whether the deciding rate is at most ``target`` (up to 1e-9): 1 yes, 0 no, -1 no equilibrium found.

        The same verdict as comparing :meth:`deciding_rate` with the target, but a point leaves the computation as
        soon as one type decides it (for ``largest``, a valid type above the target; else one at or below it), so
        the remaining types are evaluated at the undecided points only.
        """
        names = self.arguments
        arrays = {name: np.asarray(values[name], dtype=float) for name in names}
        n = max(int(np.size(a)) for a in arrays.values())
        varying = [name for name in names if arrays[name].ndim and arrays[name].size > 1]
        limit = target + 1e-9
        # c >= -COND_TOL (1 + |c|), for a finite c, is c >= -COND_TOL / (1 - COND_TOL)
        floor = -COND_TOL / (1.0 - COND_TOL)
        decided_as = np.int8(0 if largest else 1)
        out = np.full(n, -1, dtype=np.int8)
        rows = np.arange(n)  # the points the arguments hold
        open_ = np.ones(n, dtype=bool)  # which of them are not settled yet
        args = [arrays[name] for name in names]
        # types that can settle a point first (for largest, those where the seller counterfeits for sure, then
        # the mixed ones; the verdict does not depend on the order)
        first = "1" if largest else "0"
        order = sorted(self.types, key=lambda k: 0 if k.pattern[0] == first else 1 if k.pattern[0] == "m" else 2)
        with np.errstate(all="ignore"):
            for kind in order:
                m = rows.size
                if m == 0:
                    break
                res = kind.function(*args)
                rate = real(res[0], m)
                ok = open_ & (rate >= -COND_TOL) & (rate <= 1 + COND_TOL)
                test = np.empty(m, dtype=bool)
                for cond in res[1:]:
                    c = real(cond, m)
                    np.greater_equal(c, floor, out=test)
                    ok &= test
                    np.less(c, np.inf, out=test)
                    ok &= test
                if not ok.any():
                    continue
                meets = rate <= limit
                # a valid type on the deciding side settles the point; a valid one on the other side gives the
                # default verdict unless a later type settles it
                settles = ok & (~meets if largest else meets)
                sub = out[rows]
                sub[ok] = 1 - decided_as
                sub[settles] = decided_as
                out[rows] = sub
                open_ &= ~settles
                if open_.sum() < 0.75 * m:  # drop the settled points from the arguments once they are many
                    rows = rows[open_]
                    args = [a[open_] if name in varying else a for name, a in zip(names, args, strict=True)]
                    open_ = np.ones(rows.size, dtype=bool)
        return out

    def deciding_rate(self, values: dict[str, FloatArray], *, largest: bool) -> FloatArray:
        """The largest (or smallest) counterfeit rate over the equilibria at each point (NaN if none found)."""
        rates = self.rates(values)
        fill = -np.inf if largest else np.inf
        masked = np.where(np.isnan(rates), fill, rates)
        out = masked.max(axis=0) if largest else masked.min(axis=0)
        return np.where(np.isfinite(out), out, np.nan)


def equilibrium_types(model: Any) -> EquilibriumTypes | None:
    """The equilibrium types of ``model``'s structure (cached), or None unless the game is 2x2 or 2x2x2.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> m = gt.models.get("direct")
    >>> types = equilibrium_types(m)
    >>> values = {name: np.array([m.params[name]]) for name in m.numeric_names}
    >>> round(float(types.deciding_rate(values, largest=True)[0]), 4)    # e / (alpha q (k p + m p))
    0.0278
    """
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _CACHE:
        _CACHE[key] = derived(model, "equilibrium types", _SOURCES, _derive, _assemble)
    return _CACHE[key]


def _assemble(model: Any, data: Any) -> EquilibriumTypes | None:
    """The types from their stored form (checked: a bad entry raises ``ProgramFormatError`` or ``ValueError``)."""
    if data is None:
        return None
    args = argument_names(model)
    n = len(model.players)
    types = []
    for entry in data:
        pattern = tuple(entry["pattern"])
        if len(pattern) != n or any(p not in ("0", "1", "m") for p in pattern):
            raise ValueError(f"bad pattern {pattern!r}")
        formulas, function = compile_entry(entry, args, lambda: symbol_table(model))
        types.append(EquilibriumType(pattern, formulas, function))
    return EquilibriumTypes(tuple(types), tuple(model.numeric_names))


def _derive(model: Any) -> list[dict[str, Any]] | None:
    """Every type of ``model`` as data: pattern and encoded ``[rate, *conditions]`` (None: the closed forms do not
    apply)."""
    payoffs = model.symbolic_payoffs()
    n = payoffs.shape[0]
    if tuple(payoffs.shape[1:]) != (2,) * n or n not in (2, 3):
        return None
    reach = fake_reach(model)
    if reach is None:
        return None
    sig = [sympy.Symbol(f"sigma_{name}", real=True) for name in model.players[:n]]
    gains = [gain(payoffs, n, list(sig), i) for i in range(n)]
    types = []
    for pattern in itertools.product(("0", "1", "m"), repeat=n):
        fixed = {s: int(p) for s, p in zip(sig, pattern, strict=True) if p != "m"}
        unknowns = [s for s, p in zip(sig, pattern, strict=True) if p == "m"]
        equations = [sympy.expand(g.xreplace(fixed)) for g, p in zip(gains, pattern, strict=True) if p == "m"]
        if unknowns:
            if any(not eq.has(*unknowns) for eq in equations):
                continue  # generically no equilibrium of this type (a player indifferent whatever the others do)
            solutions = solve_system(equations, unknowns)
        else:
            solutions = [{}]
        for sol in solutions:
            conditions = support_conditions(sig, gains, pattern, fixed, sol)
            if any(c.is_number and c < 0 for c in conditions):
                continue
            conditions = [c for c in conditions if not c.is_number]
            mix = sympy.Integer(int(pattern[0])) if pattern[0] != "m" else sol[sig[0]]
            rate = reach * mix  # the counterfeit rate: the fakes that reach a buyer
            types.append({"pattern": list(pattern), **formula_entry([rate, *conditions])})
    return types
