r"""Symbolic replicator dynamics: equations, corner eigenvalues and stability conditions as sympy expressions.

From symbolic payoffs (a model's ``symbolic_payoffs()``, or any ``sympy.Array`` of shape ``(n, s_1, ..., s_n)``)
this module writes the replicator equations and, at every pure corner :math:`a`, the Jacobian's eigenvalues

.. math::

    \lambda_{i,t}(a) = u_i(t, a_{-i}) - u_i(a) \qquad (t \ne a_i),

one per unused strategy of each population (the Jacobian is diagonal at a corner). A corner is asymptotically
stable -- an evolutionarily stable state -- iff every :math:`\lambda_{i,t} < 0`, i.e. iff it is a strict Nash
equilibrium (Selten 1980; Friedman 1991). These are the tables of the tripartite evolutionary-game papers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from .._derived import derived, formula_entry, symbol_table
from .._frozen import FrozenResult, Listing
from .._sympy_json import Formulas
from .._validation import unknown_name_error, validate_params
from ..errors import InvalidParameterError
from ..games.normal_form import NormalFormGame

__all__ = ["SymbolicReplicator", "CornerConditions", "CornerRow", "replicator_equations", "corner_conditions"]


def _symbolic(obj: Any, func: str) -> tuple[sympy.Array, tuple[str, ...], tuple[tuple[str, ...], ...], dict[str, Any]]:
    """Payoffs, players, strategies and parameter symbols (by name) of ``obj``."""
    players = strategies = None
    names: dict[str, Any] = {}
    if callable(getattr(obj, "symbolic_payoffs", None)):
        payoffs = obj.symbolic_payoffs()
        players, strategies = getattr(obj, "players", None), getattr(obj, "strategies", None)
        names = dict(getattr(obj, "symbols", {}) or {})
    elif isinstance(obj, NormalFormGame):
        payoffs = obj.to_exact().payoffs.tolist()
        players, strategies = obj.players, obj.strategies
    else:
        payoffs = obj
        if _has_text(payoffs):  # sympify would parse (and so run) Python in a string: text is refused
            raise InvalidParameterError(
                f"The 'model' parameter of {func} must be a model or an array of numbers or sympy expressions, not "
                "of text: build expressions with sympy (sympy.Symbol, sympy.parse_expr on text you trust)."
            )
    try:
        array = sympy.Array(sympy.sympify(payoffs))
    except (sympy.SympifyError, TypeError, ValueError):
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must be a model, an object with symbolic_payoffs() or an array of "
            f"sympy expressions of shape (n, s_1, ..., s_n). Got {type(obj).__name__} instead."
        ) from None
    shape = array.shape
    if len(shape) < 2 or len(shape) != shape[0] + 1 or min(shape[1:]) < 2:
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must give payoffs of shape (n, s_1, ..., s_n) with every s_i >= 2. "
            f"Got shape {shape} instead."
        )
    for expr in array:
        if expr.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
            raise InvalidParameterError(
                f"The 'model' parameter of {func} must have finite payoffs. Got {expr} instead."
            )
    n = shape[0]
    players = tuple(players) if players is not None else tuple(f"Player {i + 1}" for i in range(n))
    if strategies is None:
        strategies = tuple(tuple(f"s{k + 1}" for k in range(s)) for s in shape[1:])
    for s in sorted(array.free_symbols, key=str):
        names.setdefault(str(s), s)
    return array, players, tuple(tuple(s) for s in strategies), names


def _has_text(value: Any, depth: int = 0) -> bool:
    """Whether a nested list/tuple/array holds a string anywhere (numpy string arrays included)."""
    if isinstance(value, str | bytes):
        return True
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return True
        return value.dtype.kind == "O" and any(_has_text(v, depth + 1) for v in value.ravel().tolist())
    if isinstance(value, list | tuple) and depth < 64:
        return any(_has_text(v, depth + 1) for v in value)
    return False


def _share_symbols(shape: tuple[int, ...]) -> list[list[sympy.Expr]]:
    """Share symbols per population: ``x, y, z`` for 2x2x2; ``x_i`` or ``x_{i,s}`` otherwise; last = 1 - rest."""
    n = len(shape)
    if all(s == 2 for s in shape):
        names = ["x", "y", "z"] if n <= 3 else [f"x_{i + 1}" for i in range(n)]
        syms = [sympy.Symbol(names[i], real=True) for i in range(n)]
        return [[x, 1 - x] for x in syms]
    out = []
    for i, s in enumerate(shape):
        free = [sympy.Symbol(f"x_{i + 1}{t + 1}", real=True) for t in range(s - 1)]
        out.append([*free, 1 - sum(free)])
    return out


def _against(payoffs: sympy.Array, i: int, shares: list[list[sympy.Expr]]) -> list[sympy.Expr]:
    r""":math:`u_i(s, x_{-i})` for each pure ``s`` of player ``i`` (expanded polynomials)."""
    shape = payoffs.shape[1:]
    out = []
    for s in range(shape[i]):
        total = sympy.Integer(0)
        ranges = [range(k) if j != i else [s] for j, k in enumerate(shape)]
        for profile in itertools.product(*ranges):
            weight = sympy.Integer(1)
            for j, a in enumerate(profile):
                if j != i:
                    weight *= shares[j][a]
            total += weight * payoffs[(i, *profile)]
        out.append(total)
    return out


@dataclass(frozen=True, eq=False)
class SymbolicReplicator(FrozenResult):
    """The replicator equations in sympy.

    Attributes
    ----------
    variables : tuple of sympy.Symbol
        Tangent coordinates: the share of each population's first ``s_i - 1`` strategies (``x, y, z`` for 2x2x2).
    equations : tuple of sympy.Expr
        :math:`\\dot v` for each variable ``v``, in the same order.
    gains : tuple of sympy.Expr
        For games where everyone has two strategies: :math:`f_i`, population ``i``'s payoff gain of its first
        strategy over its second (so :math:`\\dot x_i = x_i(1-x_i)f_i`); empty otherwise.
    players, strategies : tuples of str

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> print(gt.dynamics.replicator_equations(coordination))
    dx/dt = x*(1 - x)*(3*y - 1)
    dy/dt = y*(1 - y)*(3*x - 1)
    """

    variables: tuple[sympy.Symbol, ...]
    equations: tuple[sympy.Expr, ...]
    gains: tuple[sympy.Expr, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]

    def jacobian(self) -> sympy.Matrix:
        """The symbolic Jacobian in the tangent coordinates."""
        return sympy.Matrix(self.equations).jacobian(list(self.variables))

    def __str__(self) -> str:
        return "\n".join(f"d{v}/dt = {sympy.sstr(e)}" for v, e in zip(self.variables, self.equations, strict=True))

    def to_latex(self) -> str:
        """The equations as a LaTeX ``cases`` block."""
        rows = [rf"\dot {sympy.latex(v)} = {sympy.latex(e)}" for v, e in zip(self.variables, self.equations,
                                                                                strict=True)]
        return "\\begin{cases}\n" + " \\\\\n".join(rows) + "\n\\end{cases}"


@validate_params({"model": None})
def replicator_equations(model: Any) -> SymbolicReplicator:
    r"""The multi-population replicator equations as sympy expressions.

    Parameters
    ----------
    model : model, object with ``symbolic_payoffs()``, NormalFormGame or array of sympy expressions
        Payoffs of shape ``(n, s_1, ..., s_n)`` with every :math:`s_i \ge 2`.

    Returns
    -------
    SymbolicReplicator

    Notes
    -----
    .. math::

        \dot x_{i,s} = x_{i,s}\bigl(u_i(s, x_{-i}) - \textstyle\sum_r x_{i,r} u_i(r, x_{-i})\bigr),

    and when everyone has two strategies, with :math:`x_i` the share on the first,
    :math:`\dot x_i = x_i(1-x_i)\,f_i`, :math:`f_i = u_i(1\text{st}, x_{-i}) - u_i(2\text{nd}, x_{-i})`.

    References
    ----------
    .. [1] P. D. Taylor and L. B. Jonker, Mathematical Biosciences 40 (1978) 145-156.
    .. [2] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.

    Examples
    --------
    >>> import sympy, gametheory as gt
    >>> a, b = sympy.symbols("a b")
    >>> print(gt.dynamics.replicator_equations(sympy.Array([[[a, 0], [0, b]], [[a, 0], [0, b]]])))
    dx/dt = x*(1 - x)*(-b + y*(a + b))
    dy/dt = y*(1 - y)*(-b + x*(a + b))
    """
    payoffs, players, strategies, _ = _symbolic(model, "replicator_equations")
    shape = tuple(payoffs.shape[1:])
    shares = _share_symbols(shape)
    variables, equations, gains = [], [], []
    binary = all(s == 2 for s in shape)
    for i in range(len(shape)):
        against = _against(payoffs, i, shares)
        if binary:
            gain = sympy.collect(sympy.factor_terms(sympy.expand(against[0] - against[1])),
                                 [v[0] for v in shares], evaluate=True)
            x = shares[i][0]
            variables.append(x)
            gains.append(gain)
            equations.append(x * (1 - x) * gain)
            continue
        mean = sum(x * u for x, u in zip(shares[i], against, strict=True))
        for t in range(shape[i] - 1):
            variables.append(shares[i][t])
            equations.append(shares[i][t] * (against[t] - mean))
    return SymbolicReplicator(tuple(variables), tuple(equations), tuple(gains), players, strategies)


@dataclass(frozen=True, eq=False)
class CornerRow(FrozenResult):
    """One pure corner: its eigenvalues and the condition under which it is stable.

    Attributes
    ----------
    corner : tuple of int
        Strategy index of each population.
    label : str
        The corner in strategy names.
    coordinates : tuple of int
        For 2x2x2 games the papers' ``(x, y, z)``, 1 for the first strategy; else the indices.
    eigenvalues : tuple of sympy.Expr
        :math:`u_i(t, a_{-i}) - u_i(a)` for each player ``i`` and unused ``t``, players in order.
    condition : sympy.Basic
        ``And`` of ``eigenvalue < 0`` (sympy ``true``/``false`` when decided by the parameter signs).
    status : str
        ``"stable"`` (always, given the parameters' domains), ``"unstable"`` (some eigenvalue is positive for all
        parameters), or ``"conditional"``.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> row = gt.dynamics.corner_conditions(coordination).rows[0]
    >>> row.corner, row.label, row.eigenvalues, row.status
    ((0, 0), '(s1, s1)', (-2, -2), 'stable')
    """

    corner: tuple[int, ...]
    label: str
    coordinates: tuple[int, ...]
    eigenvalues: tuple[sympy.Expr, ...]
    condition: sympy.Basic
    status: str


@dataclass(frozen=True, eq=False)
class CornerConditions(FrozenResult, Listing[CornerRow]):
    """Eigenvalues and stability conditions at every pure corner, printable as a table and as LaTeX.

    Attributes
    ----------
    rows : tuple of CornerRow
    players, strategies : tuples of str
    parameters : dict
        Parameter name -> sympy symbol, for :meth:`evaluate` and :meth:`threshold`.

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> conditions = gt.dynamics.corner_conditions(coordination)
    >>> [(r.label, r.status) for r in conditions.rows]
    [('(s1, s1)', 'stable'), ('(s1, s2)', 'unstable'), ('(s2, s1)', 'unstable'), ('(s2, s2)', 'stable')]
    """

    rows: tuple[CornerRow, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    parameters: dict[str, Any] = field(default_factory=dict)

    _ITEMS = "rows"

    def row(self, corner: Any) -> CornerRow:
        """The row of a corner given by strategy indices or labels, e.g. ``("Counterfeit", "Verify", "Lax")``."""
        key = tuple(self.strategies[i].index(c) if isinstance(c, str) else int(c) for i, c in enumerate(corner))
        for r in self.rows:
            if r.corner == key:
                return r
        raise InvalidParameterError(f"No corner {corner!r}. Corners: {[r.label for r in self.rows]}.")

    def _subs(self, values: dict[str, Any]) -> dict[Any, Any]:
        values = {k: v for k, v in values.items() if not isinstance(v, str)}  # a model's options (no symbol)
        unknown = set(values) - set(self.parameters)
        if unknown:
            raise unknown_name_error("parameter", sorted(unknown)[0], self.parameters)
        return {self.parameters[k]: sympy.nsimplify(v) if isinstance(v, float) and float(v).is_integer() else v
                for k, v in values.items()}

    def evaluate(self, **values: Any) -> np.ndarray:
        """Numeric corner eigenvalues ``(corners, d)`` at parameter values given by name (all symbols needed).

        String values (a model's structural options, as in ``**model.params``) are ignored.
        """
        subs = self._subs(values)
        out = [[complex(sympy.N(e.subs(subs))) for e in r.eigenvalues] for r in self.rows]
        return np.real_if_close(np.array(out))

    def stable_corners(self, **values: Any) -> list[str]:
        """Labels of the corners whose eigenvalues are all negative at these parameter values."""
        eig = self.evaluate(**values)
        return [r.label for r, e in zip(self.rows, eig, strict=True) if np.all(np.real(e) < 0)]

    def threshold(self, parameter: str, corner: Any, **values: Any) -> list[float]:
        """Values of ``parameter`` at which an eigenvalue of ``corner`` changes sign, the others fixed by name.

        Each eigenvalue is piecewise polynomial in the parameter (``Min``/``Max`` are rewritten as ``Piecewise``);
        the real roots in the parameter's range (non-negative) are returned, sorted.
        """
        if parameter not in self.parameters:
            raise unknown_name_error("parameter", parameter, self.parameters)
        symbol = self.parameters[parameter]
        subs = self._subs({k: v for k, v in values.items() if k != parameter})
        roots: set[float] = set()
        for expr in self.row(corner).eigenvalues:
            reduced = sympy.piecewise_fold(expr.subs(subs).rewrite(sympy.Piecewise))
            if symbol not in reduced.free_symbols:
                continue
            found = sympy.solveset(reduced, symbol, domain=sympy.Interval(0, sympy.oo))
            if isinstance(found, sympy.FiniteSet):
                roots.update(float(v) for v in found)
        return sorted(roots)

    # ------------------------------------------------------------------ display
    def _headers(self) -> list[str]:
        d = len(self.rows[0].eigenvalues) if self.rows else 0
        return ["corner", "point", *[f"lambda_{k + 1}" for k in range(d)], "stability"]

    def _status_text(self, r: CornerRow, latex: bool = False) -> str:
        if r.status != "conditional":
            return r.status
        parts = [f"{(sympy.latex if latex else sympy.sstr)(e)} < 0" for e in r.eigenvalues
                 if e.is_negative is not True]
        return ("ESS if " if not latex else r"ESS if $") + (", " if not latex else r",\ ").join(parts) + \
            ("" if not latex else "$")

    def __str__(self) -> str:
        rows = [self._headers()]
        for k, r in enumerate(self.rows):
            point = "(" + ", ".join(str(c) for c in r.coordinates) + ")"
            rows.append([f"E{k + 1} {r.label}", point, *[sympy.sstr(e) for e in r.eigenvalues], self._status_text(r)])
        widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
        lines = [" | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        return "\n".join(lines)

    def to_latex(self) -> str:
        """A ``tabular`` in the style of the tripartite evolutionary-game papers."""
        d = len(self.rows[0].eigenvalues) if self.rows else 0
        head = ["Equilibrium point", *[rf"$\lambda_{{{k + 1}}}$" for k in range(d)], "Stability"]
        lines = [r"\begin{tabular}{" + "l" * (d + 2) + "}", r"\hline", " & ".join(head) + r" \\", r"\hline"]
        for k, r in enumerate(self.rows):
            point = rf"$E_{{{k + 1}}}({', '.join(str(c) for c in r.coordinates)})$"
            eig = [f"${sympy.latex(e)}$" for e in r.eigenvalues]
            lines.append(" & ".join([point, *eig, self._status_text(r, latex=True)]) + r" \\")
        lines += [r"\hline", r"\end{tabular}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = {s: sum(r.status == s for r in self.rows) for s in ("stable", "conditional", "unstable")}
        return f"CornerConditions({len(self.rows)} corners, players={list(self.players)}, {counts})"


@validate_params({"model": None})
def corner_conditions(model: Any) -> CornerConditions:
    r"""Eigenvalues at every pure corner and the conditions under which each is stable, in named parameters.

    Parameters
    ----------
    model : as in :func:`replicator_equations`

    Returns
    -------
    CornerConditions
        ``str()`` gives a text table, :meth:`CornerConditions.to_latex` a LaTeX ``tabular``.

    Notes
    -----
    At a corner :math:`a` the tangent Jacobian is diagonal, with eigenvalues

    .. math::

        \lambda_{i,t} = u_i(t, a_{-i}) - u_i(a_i, a_{-i}), \qquad t \ne a_i,

    so :math:`a` is asymptotically stable iff every :math:`\lambda_{i,t} < 0` (a strict Nash equilibrium; in
    asymmetric games only these are evolutionarily stable, Selten 1980), and unstable as soon as one is positive.
    A row's ``status`` is decided from the parameters' sign assumptions when sympy can.

    References
    ----------
    .. [1] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.
    .. [2] R. Selten, "A note on evolutionarily stable strategies in asymmetric animal conflicts",
       Journal of Theoretical Biology 84 (1980) 93-101.
    .. [3] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995.

    Examples
    --------
    >>> import sympy, gametheory as gt
    >>> a, b = sympy.symbols("a b", positive=True)
    >>> table = gt.dynamics.corner_conditions(sympy.Array([[[a, 0], [0, b]], [[a, 0], [0, b]]]))
    >>> [(r.label, r.eigenvalues, r.status) for r in table]  # doctest: +NORMALIZE_WHITESPACE
    [('(s1, s1)', (-a, -a), 'stable'), ('(s1, s2)', (b, a), 'unstable'),
     ('(s2, s1)', (a, b), 'unstable'), ('(s2, s2)', (-b, -b), 'stable')]
    """
    if callable(getattr(model, "_disk_key", None)):  # a built-in model: the table is kept on disk
        return derived(model, "corner conditions", (__file__,), _derive_corners, _assemble_corners)
    payoffs, players, strategies, names = _symbolic(model, "corner_conditions")
    rows = [_row(corner, eigs, strategies) for corner, eigs in _corner_eigenvalues(payoffs)]
    return CornerConditions(tuple(rows), players, strategies, names)


def _corner_eigenvalues(payoffs: sympy.Array) -> Iterator[tuple[tuple[int, ...], list[sympy.Expr]]]:
    """Each pure corner and its eigenvalues (simplified)."""
    shape = tuple(payoffs.shape[1:])
    for corner in itertools.product(*[range(s) for s in shape]):
        eigs = []
        for i, s in enumerate(shape):
            here = payoffs[(i, *corner)]
            for t in range(s):
                if t != corner[i]:
                    other = payoffs[(i, *corner[:i], t, *corner[i + 1:])]
                    eigs.append(sympy.simplify(other - here))
        yield corner, eigs


def _row(corner: tuple[int, ...], eigs: Sequence[sympy.Expr], strategies: tuple[tuple[str, ...], ...]) -> CornerRow:
    binary = all(len(s) == 2 for s in strategies)
    condition = sympy.And(*[e < 0 for e in eigs])
    if any(e.is_positive for e in eigs):
        status = "unstable"
    elif all(e.is_negative for e in eigs):
        status = "stable"
    else:
        status = "conditional"
    label = "(" + ", ".join(strategies[i][a] for i, a in enumerate(corner)) + ")"
    coords = tuple(1 - a for a in corner) if binary else corner
    return CornerRow(tuple(corner), label, coords, tuple(eigs), condition, status)


def _derive_corners(model: Any) -> dict[str, Any]:
    payoffs, _, _, names = _symbolic(model, "corner_conditions")
    return {"rows": [{"corner": list(corner), **formula_entry(eigs)} for corner, eigs in _corner_eigenvalues(payoffs)],
            "parameters": sorted(names)}


def _assemble_corners(model: Any, data: dict[str, Any]) -> CornerConditions:
    """The table from its data (fresh or stored; a bad stored entry raises ``ValueError`` or ``KeyError``)."""
    strategies = tuple(tuple(s) for s in model.strategies)
    table = symbol_table(model)
    names = {**model.symbols, **{name: table[name] for name in data["parameters"] if name not in model.symbols}}
    rows = []
    for entry in data["rows"]:
        corner = tuple(int(a) for a in entry["corner"])
        if len(corner) != len(strategies) or any(not 0 <= a < len(s) for a, s in zip(corner, strategies, strict=True)):
            raise ValueError(f"no corner {corner!r}")
        eigs = (entry["expressions"] if entry["formulas"] is None
                else Formulas(entry["formulas"], lambda: table, entry.get("expressions")).expressions)
        if len(eigs) != sum(len(s) - 1 for s in strategies):
            raise ValueError("one eigenvalue per unused strategy")
        rows.append(_row(corner, eigs, strategies))
    return CornerConditions(tuple(rows), tuple(model.players), strategies, names)
