r"""The many-points thresholds of a 2x2x2 model as one compiled pass: formulas written as numba code, then run.

:meth:`ClosedForm.thresholds <gametheory.deterrence.closed_form.ClosedForm.thresholds>` evaluates the closed form
over arrays of points (a numpy pass per formula node) and the check solves the games either side of each answer with
:func:`gametheory.solve_batch` (payoff arrays and every equilibrium materialised). For a 2x2x2 model and a Nash
criterion, :func:`fused_thresholds` does both per point in one compiled loop (:mod:`._scan_kernel`), with nothing
materialised but the answers.

The formulas stay written once: the equilibrium types, the candidate rows (crossings and type boundaries), the
payoffs and the metric tables are the :class:`~gametheory._expressions.Program` objects derived from the model's
sympy formulas (the ones the numpy path evaluates). :func:`program_code` writes a program as straight-line Python
(one assignment per node, a node shared by several formulas computed once); the text of :mod:`._scan_kernel` followed
by these functions is one module, compiled by numba and kept, with numba's machine code, under
``<cache dir>/kernels`` (:func:`gametheory._expressions.cache_dir`; a temporary folder when the cache is off). The
text is generated in this process from validated programs (whitelisted operations, numeric constants); a stored copy
is only ever overwritten with it, never read back as code. The first run for a model structure compiles for about
a minute; later processes load the machine code.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._expressions import Program, cache_dir, cache_enabled, sources_digest

__all__ = ["fused_applies", "fused_thresholds", "program_code", "KEYS"]

#: the result arrays of :func:`fused_thresholds` (as :meth:`ClosedForm.thresholds`), in the kernel's column order
KEYS = ("smallest", "robust", "smallest_below", "smallest_above", "robust_below", "robust_above")
#: points per kernel call (the parameter rows of a chunk stay small)
CHUNK = 65_536
#: fewer points than this take the numpy path unless the kernel is compiled already (compiling takes about a
#: minute, once per model structure; the numpy path costs about 10 microseconds a point)
MIN_POINTS = 100_000
#: False turns the compiled pass off (every point then takes the numpy path; the benchmarks time both)
ENABLED = True
_TEMPLATE = Path(__file__).with_name("_scan_kernel.py")
#: the compiled helpers the template imports (their source's digest is part of the generated text)
_HELPERS = Path(__file__).parents[1] / "solvers" / "closed_form" / "_kernel_2x2x2.py"
_MODULES: dict[Any, Any] = {}
#: generated texts of kernels not loaded yet (asked whether they are compiled)
_TEXTS: dict[Any, str] = {}
_TEMP: list[str] = []


def fused_applies(model: Any, crit: Any, cf: Any, n: int) -> bool:
    """True when the compiled pass answers: a closed form, a 2x2x2 game, a Nash criterion (largest/smallest), and
    either at least :data:`MIN_POINTS` points or the kernel compiled already (its machine code on disk)."""
    if not ENABLED or cf is None or crit.extreme is None or tuple(model.shape) != (2, 2, 2):
        return False
    if n < MIN_POINTS and not _compiled(model, cf, crit.extreme == "largest"):
        return False
    numeric = model.numeric_functions()
    programs = [kind.function for kind in cf.types.types] + [numeric["payoffs"]]
    programs += [numeric["metrics"].get(m) for m in ("counterfeit_rate", "trade_rate")]
    for row in cf.all_regimes("bad_end") + cf.all_regimes("good_start"):
        programs += [row.root_function, row.branch_function] if hasattr(row, "root_function") else [row.function]
    return all(isinstance(p, Program) for p in programs)


def program_code(program: Program, args: list[str], prefix: str) -> list[tuple[list[str], str]]:
    """Straight-line code of ``program`` in stages, one per output: the lines (one per node) the output needs
    beyond those of the earlier outputs, and the output's expression. Code that tests the outputs in turn can
    stop after the first stage that fails.

    ``args[i]`` is the expression of argument ``i`` (e.g. ``"x[3]"``). Operations map to their numpy meaning on
    floats: ``min``/``max`` propagate NaN (:func:`._scan_kernel.fmin`), ``pow`` with a constant exponent of -1,
    0.5, 2, -2, 3 or 4 is the reciprocal, square root or products (no call of ``pow``: a loop with one can not be
    vectorised, and it costs more than its arithmetic), a piecewise is NaN where no condition holds.

    Examples
    --------
    >>> import sympy
    >>> from gametheory._sympy_json import from_sympy
    >>> x, y = sympy.symbols("x y")
    >>> program_code(from_sympy(["x", "y"], [x * y + 1, 1 / x]), ["a[0]", "a[1]"], "v")[1]
    (['v5 = -1.0', 'v6 = 1.0 / v1'], 'v6')
    """
    lines = []
    name = [f"{prefix}{k}" for k in range(len(program.nodes))]
    const: dict[int, Any] = {}
    for k, node in enumerate(program.nodes):
        op, rest = node[0], node[1:]
        ops = [name[j] for j in rest] if op not in ("arg", "const") else []
        if op == "arg":
            expr = args[rest[0]]
        elif op == "const":
            const[k] = rest[0]
            expr = _literal(rest[0])
        elif op == "piecewise":
            expr = "np.nan"
            for e, c in reversed(list(zip(ops[0::2], ops[1::2], strict=True))):
                expr = f"({e} if {c} else {expr})"
        elif op in ("add", "mul"):
            expr = (" + " if op == "add" else " * ").join(ops)
        elif op in ("min", "max"):
            expr = ops[0]
            for other in ops[1:]:
                expr = f"f{op}({expr}, {other})"
        elif op in ("and", "or"):
            expr = f" {op} ".join(f"({o})" for o in ops)
        elif op == "pow":
            expr = _power(ops[0], const.get(rest[1]), ops[1])
        elif op in _COMPARE:
            expr = f"({ops[0]} {_COMPARE[op]} {ops[1]})"
        elif op == "not":
            expr = f"(not {ops[0]})"
        else:  # abs, exp, log
            expr = f"{'abs' if op == 'abs' else 'np.' + op}({ops[0]})"
        lines.append(f"{name[k]} = {expr}")
    stages, done = [], set()
    for k in program.outputs:  # each output's nodes not needed by an earlier one
        need = _needed(program, k) - done
        stages.append(([lines[j] for j in sorted(need)], name[k]))
        done |= need
    return stages


def _needed(program: Program, node: int) -> set[int]:
    """The nodes ``node`` depends on (itself included)."""
    seen: set[int] = set()
    todo = [node]
    while todo:
        k = todo.pop()
        if k in seen:
            continue
        seen.add(k)
        op, rest = program.nodes[k][0], program.nodes[k][1:]
        if op not in ("arg", "const"):
            todo.extend(rest)
    return seen


def _flat(program: Program, args: list[str], prefix: str) -> tuple[list[str], list[str]]:
    """Every line of ``program``'s code, and its outputs."""
    stages = program_code(program, args, prefix)
    return [line for lines, _ in stages for line in lines], [expr for _, expr in stages]


def _tests(stages: list[tuple[list[str], str]], skip: str | None, body: list[str]) -> list[str]:
    """Nested code: each stage's lines, then ``body`` only if the stage's output is at least ``floor`` and
    finite (``skip``: the name of a runtime index of a stage that is not tested)."""
    out = list(body)
    for j in reversed(range(len(stages))):
        lines, expr = stages[j]
        test = f"{expr} >= floor and {expr} < np.inf"
        if skip is not None:
            test = f"{skip} == {j} or ({test})"
        out = [*lines, f"if {test}:", *(f"    {line}" for line in out)]
    return out


_COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return repr(value)
    value = float(value)
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(value)


def _power(base: str, exponent: Any, name: str) -> str:
    special = {-1.0: f"1.0 / {base}", 0.5: f"np.sqrt({base})", 2.0: f"{base} * {base}",
               -2.0: f"1.0 / ({base} * {base})", 1.0: base, 3.0: f"{base} * {base} * {base}",
               4.0: f"({base} * {base}) * ({base} * {base})"}
    if isinstance(exponent, int | float) and not isinstance(exponent, bool) and float(exponent) in special:
        return special[float(exponent)]
    return f"{base} ** {name}"


def _function(header: str, body: list[str]) -> list[str]:
    return ["", "", "@_jit", f"def {header}:", *(f"    {line}" for line in body)]


def _source(model: Any, cf: Any, largest: bool) -> str:
    """The generated module's text."""
    params = len(model.numeric_names)
    on_x = [f"x[{i}]" for i in range(params)]
    kpos = list(model.numeric_names).index(cf.parameter)
    out: list[str] = []
    types_ = cf.types.types
    for t, kind in enumerate(types_):  # (valid, rate): the rate, then each condition in turn
        (rate_lines, rate), *conds = program_code(kind.function, on_x, "v")
        body = [*rate_lines, f"rate = {rate}", "if ranged and not (rate >= -COND_TOL and rate <= 1.0 + COND_TOL):",
                "    return False, rate"]
        body += _tests(conds, "skip", ["return True, rate"]) + ["return False, rate"]
        out += _function(f"type_{t}(x, floor, skip, ranged)", body)
    # the verdict: types that can settle a point first (as EquilibriumTypes.verdict)
    first = "1" if largest else "0"
    order = sorted(range(len(types_)), key=lambda t: 0 if types_[t].pattern[0] == first
                   else 1 if types_[t].pattern[0] == "m" else 2)
    body = ["floor = -COND_TOL / (1.0 - COND_TOL)", "out = -1"]
    for t in order:
        settles = "rate > target + 1e-9" if largest else "rate <= target + 1e-9"
        body += [f"ok, rate = type_{t}(x, floor, -1, True)", "if ok:", f"    if {settles}:",
                 f"        return {0 if largest else 1}", f"    out = {1 if largest else 0}"]
    out += _function("verdict(x, target)", [*body, "return out"])
    rows = cf.all_regimes("bad_end" if largest else "good_start")
    out += _function("row_values(P, V, n, tau)", _row_values(rows, params))
    out += _function("candidates(x, tau, lo, hi, live, vals, V, j)", _candidates(rows, types_, params, kpos))
    numeric = model.numeric_functions()
    lines, outs = _flat(numeric["payoffs"], on_x, "v")
    out += _function("payoffs(x, u)", [*lines, *(f"u[{k}] = {o}" for k, o in enumerate(outs))])
    body = []
    for table, metric in (("rate", "counterfeit_rate"), ("trade", "trade_rate")):
        lines, outs = _flat(numeric["metrics"][metric], on_x, f"{table[0]}")
        body += [*lines, *(f"{table}[{k}] = {o}" for k, o in enumerate(outs))]
    out += _function("metric_tables(x, rate, trade)", body)
    # numba's cache sees changes of this text only: name the imported kernel's source too
    head = (f"\n\n# --- generated by gametheory.deterrence._fused: the model's formulas (helpers of "
            f"{_HELPERS.name}: {sources_digest(_HELPERS)}) ---\n")
    return _TEMPLATE.read_text() + head + "\n".join(out) + "\n"


def _row_values(rows: list[Any], params: int) -> list[str]:
    """The body of ``row_values``: every candidate row's value at a block of points, one loop per row.

    ``P[i, g]`` is argument ``i`` at point ``g``, ``V[r, g]`` receives row ``r``'s value. A loop with one store
    and straight-line arithmetic is vectorised by LLVM (several points per instruction); one loop over every row
    is not (its stores and loads could overlap, too many pairs to check at run time), and the values are most of
    the candidates' arithmetic.
    """
    on_p = [f"P[{i}, g]" for i in range(params)]
    body = []
    for r, row in enumerate(rows):
        boundary = hasattr(row, "root_function")
        (lines, value), *_ = program_code(row.root_function if boundary else row.function,
                                          on_p if boundary else [*on_p, "tau"], "v")
        body += ["for g in range(n):", *(f"    {line}" for line in lines), f"    V[{r}, g] = {value}"]
    return body


def _candidates(rows: list[Any], types_: list[Any], params: int, kpos: int) -> list[str]:
    """The body of ``candidates``: the arguments read once, every row's value (``V[r, j]``, from ``row_values``),
    then, for each live row whose value lies inside the bounds, its conditions in turn.

    A crossing regime's conditions come from its own program (the nodes they share with its value computed
    again: the rows inside the bounds only); a boundary's are, written inline with the parameter at the root (no
    copy of the point, no call), its type's rate against the target, its branch conditions there and the other
    conditions of its equilibrium type: one conjunction, cheapest tests first.
    """
    args = [f"a{i}" for i in range(params)]
    head = [f"{a} = x[{i}]" for i, a in enumerate(args)] + [f"value{r} = V[{r}, j]" for r in range(len(rows))]
    head.append("m = 0")
    tails = []
    for r, row in enumerate(rows):
        push = [f"vals[m] = value{r}", "m += 1"]
        if hasattr(row, "root_function"):
            at_root = [*args[:kpos], f"value{r}", *args[kpos + 1:]]
            (rate_lines, rate), *kind_conds = program_code(types_[row.type_index].function, at_root, f"r{r}t_")
            skipped = kind_conds.pop(row.condition_index)[0]  # its root: met by construction; its lines may be
            if row.condition_index < len(kind_conds):  # needed by the later conditions
                kind_conds[row.condition_index] = ([*skipped, *kind_conds[row.condition_index][0]],
                                                   kind_conds[row.condition_index][1])
            crossing = ([*rate_lines, f"rate = {rate}"], "rate - tau" if row.kind == "bad_end" else "tau - rate")
            body = _tests([crossing, *program_code(row.branch_function, at_root, f"r{r}b_"), *kind_conds], None,
                          push)
        else:
            program = row.function
            conds = Program(program.arguments, program.nodes, program.outputs[1:])
            body = _tests(program_code(conds, [*args, "tau"], f"r{r}_"), None, push)
        tails += [f"if live[{r}] and value{r} > lo and value{r} < hi:", f"    floor = -1e-9 * (1.0 + abs(value{r}))",
                  *(f"    {line}" for line in body)]
    return [*head, *tails, "return m"]


def _folder() -> Path:
    if cache_enabled():
        folder = cache_dir() / "kernels"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            pass
    if not _TEMP:
        _TEMP.append(tempfile.mkdtemp(prefix="gametheory-kernels-"))
    return Path(_TEMP[0])


def _compiled(model: Any, cf: Any, largest: bool) -> bool:
    """Whether numba's machine code for this kernel is on disk (or the module is loaded in this process)."""
    if _key(model, cf, largest) in _MODULES:
        return True
    key = _key(model, cf, largest)
    if key not in _TEXTS:
        _TEXTS[key] = _source(model, cf, largest)
    name = _name(_TEXTS[key])
    return any((_folder() / "__pycache__").glob(f"{name}.scan_points-*.nbi"))


def _key(model: Any, cf: Any, largest: bool) -> tuple[Any, ...]:
    return (type(model), model.variant, tuple(sorted(model.options.items())), cf.parameter, largest)


def _name(text: str) -> str:
    return "gametheory_scan_" + hashlib.sha256(text.encode()).hexdigest()[:24]


def _module(model: Any, cf: Any, largest: bool) -> Any:
    """The compiled module of ``model``'s structure (generated text, executed from memory; stored for numba's
    cache of the machine code, rewritten only when its text differs)."""
    key = _key(model, cf, largest)
    if key in _MODULES:
        return _MODULES[key]
    text = _TEXTS.pop(key, None) or _source(model, cf, largest)
    name = _name(text)
    path = _folder() / f"{name}.py"
    try:
        current = path.read_text() if path.exists() else None
    except OSError:
        current = None
    if current != text:
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".", suffix=".tmp", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(text, str(path), "exec"), module.__dict__)  # noqa: S102 - text generated above, not read
    _MODULES[key] = module
    return module


def _constant(v: npt.NDArray[Any]) -> bool:
    """Whether every entry of ``v`` equals its first (a column of one value: broadcast, or a model default)."""
    v = np.asarray(v)
    return v.strides == (0,) or bool((v == v.flat[0]).all())


def fused_thresholds(model: Any, cf: Any, values: dict[str, Any], *, target_rate: float,
                     bounds: tuple[float, float], largest: bool, tol: float) -> dict[str, npt.NDArray[Any]]:
    """The smallest and robust thresholds of every point, each checked by solving the games either side of it.

    ``values`` maps every numeric parameter to a flat array (or a number). Returns the arrays of :data:`KEYS`,
    ``confirmed`` (the games either side of the answer, solved, agree with it) and ``deferred`` (one of those
    games is near a degeneracy: check it with :func:`gametheory.solve_batch`); elsewhere the closed form does not
    answer (the equilibrium types leave a verdict unknown) or the solver contradicts it.
    """
    module = _module(model, cf, largest)
    names = list(model.numeric_names)
    n = max(int(np.size(values[name])) for name in names)
    # every row is live (as in the numpy path): skipping the rows a sample of the points never uses can drop
    # the one breakpoint between an answer and the midpoint that checks it, and the check cannot see that
    live = np.ones(len(cf.all_regimes("bad_end" if largest else "good_start")), dtype=bool)
    kpos = names.index(cf.parameter)
    args = (kpos, float(bounds[0]), float(bounds[1]), float(target_rate), float(tol), bool(largest))
    # the parameters that vary between points are copied in chunks, the others passed once
    base = np.array([float(np.asarray(values[name]).flat[0]) if np.size(values[name]) else np.nan for name in names])
    cols = np.array([a for a, name in enumerate(names) if np.size(values[name]) > 1 and not _constant(values[name])],
                    dtype=np.int64)
    out = np.empty((n, len(KEYS)))
    state = np.empty(n, dtype=np.int8)
    X = np.empty((min(n, CHUNK), cols.size))
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        for j, a in enumerate(cols):
            X[: stop - start, j] = np.asarray(values[names[a]])[start:stop]
        module.scan_points(X[: stop - start], cols, base, *args, live, out[start:stop], state[start:stop])
    result = {key: out[:, k] for k, key in enumerate(KEYS)}
    result["confirmed"] = state == module.CONFIRMED
    result["deferred"] = state == module.DEFERRED
    return result
