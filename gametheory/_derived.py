"""What is derived from a model's formulas once (equilibrium types, closed-form thresholds, corner conditions), kept
on disk between processes.

:func:`derived` runs ``derive(model)`` -- sympy work that takes seconds -- only when no stored result matches the
model's structure and the sources it is derived by (the key: :meth:`Model._disk_key`); the result is JSON data in
which every formula is encoded by :mod:`gametheory._sympy_json`. Both a fresh derivation and a cache hit are then
turned into objects by the same ``assemble(model, data)``, so the numbers they give are identical. A stored result
that ``assemble`` rejects (a corrupted or tampered file: bad checksum, an operation outside the whitelist, an
unknown symbol) is derived again; nothing read from the file is ever evaluated as code.

Examples
--------
>>> import gametheory as gt
>>> model = gt.models.get("direct")
>>> entry = formula_entry([model.symbols["penalty_multiplier"] * 2])
>>> names = argument_names(model)
>>> formulas, function = compile_entry(entry, names, lambda: symbol_table(model))
>>> function(*[float(model.params[n]) for n in model.numeric_names]), formulas[0]
([4.0], 2*k)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._expressions import ProgramFormatError, load, store
from ._sympy_json import Formulas, encode, to_program

__all__ = ["derived", "formula_entry", "compile_entry", "argument_names", "symbol_table"]

#: errors by which ``assemble`` rejects stored data
REJECTED = (ProgramFormatError, ValueError, TypeError, KeyError, IndexError, AttributeError)


def derived(model: Any, what: str, sources: Sequence[str | Path], derive: Callable[[Any], Any],
            assemble: Callable[[Any, Any], Any]) -> Any:
    """``assemble(model, data)`` for the ``data = derive(model)`` of ``what``, with ``data`` kept on disk.

    ``data`` is JSON-able except for ``"expressions"`` entries (the sympy objects of a fresh derivation, left out of
    the stored copy). Models defined outside the package are derived in every process (no disk key); so is data
    holding a formula the encoding cannot write (:func:`formula_entry` gives ``None``).
    """
    disk = getattr(model, "_disk_key", None)
    key = disk(what, sources) if callable(disk) else None
    if key is not None:
        stored = load(key)
        if isinstance(stored, dict) and "value" in stored:
            try:
                return assemble(model, stored["value"])
            except REJECTED:  # a file this version does not accept: derive again (and overwrite it)
                pass
    data = derive(model)
    result = assemble(model, data)
    if key is not None:
        plain, complete = _plain(data)
        if complete:
            store(key, {"value": plain})
    return result


def _plain(data: Any) -> tuple[Any, bool]:
    """``data`` without its ``"expressions"`` entries, and whether every formula in it is encoded."""
    if isinstance(data, dict):
        if "formulas" in data and data["formulas"] is None:
            return None, False
        out, ok = {}, True
        for k, v in data.items():
            if k != "expressions":
                out[k], good = _plain(v)
                ok &= good
        return out, ok
    if isinstance(data, list | tuple):
        parts = [_plain(v) for v in data]
        return [p for p, _ in parts], all(good for _, good in parts)
    return data, True


def formula_entry(expressions: Sequence[Any]) -> dict[str, Any]:
    """``{"formulas": encoded or None, "expressions": [...]}`` for a list of sympy expressions evaluated together."""
    exprs = list(expressions)
    try:
        encoded = encode(exprs)
    except ProgramFormatError:  # e.g. a complex constant: evaluated by lambdify, not stored
        encoded = None
    return {"formulas": encoded, "expressions": exprs}


def compile_entry(entry: dict[str, Any], arguments: Sequence[str],
                  symbols: Callable[[], dict[str, Any]]) -> tuple[Formulas | Any, Callable[..., Any]]:
    """The formulas (sympy, decoded on first use) and the numeric function of one :func:`formula_entry`, a
    function of the symbols named ``arguments`` (symbol names, e.g. ``k``; ``symbols()`` gives the table).

    The function is the :class:`~gametheory._expressions.Program` of the encoded formulas (the same on a fresh
    derivation and a cache hit); only a formula that could not be encoded falls back on ``sympy.lambdify``.
    """
    data = entry["formulas"]
    exprs = entry.get("expressions")
    if data is None:
        import sympy

        table = symbols()
        return tuple(exprs), sympy.lambdify([table[a] for a in arguments], list(exprs), modules="numpy", cse=True)
    return Formulas(data, symbols, exprs), to_program(arguments, data)


def argument_names(model: Any, *extra: Any) -> list[str]:
    """The symbol names of the model's numeric parameters (in :attr:`numeric_names` order), then of ``extra``."""
    return [model.parameter(n).symbol_name for n in model.numeric_names] + [s.name for s in extra]


def symbol_table(model: Any, *extra: Any) -> dict[str, Any]:
    """Symbol name -> sympy Symbol: the model's parameters and ``extra`` symbols (their assumptions kept)."""
    table = {s.name: s for s in model.symbols.values()}
    table.update({s.name: s for s in extra})
    return table
