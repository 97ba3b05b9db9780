"""``sympy``, imported on first use: ``from .._lazy import sympy`` in a module that needs sympy only inside
functions.

Importing sympy takes 0.5-1 s, most of a warm command-line query, whose numbers come from the cached sympy-free
programs (:mod:`gametheory._expressions`). Modules that build formulas (the payment models, the derivations) name
sympy at module level for readability; the proxy imports it when an attribute is first read (``sympy.Symbol``),
so a query that never builds a formula never imports it.

Examples
--------
>>> from gametheory._lazy import sympy
>>> sympy.Integer(2) + 1
3
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["sympy"]


class LazyModule:
    """A module imported on first attribute access (then every access reads the module itself)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # copy, pickle and the like probe dunder names: no import for them
            raise AttributeError(attr)
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{' (imported)' if self._module is not None else ''}>"


sympy: Any = LazyModule("sympy")
