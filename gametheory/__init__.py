"""gametheory: e-commerce payment models as buyer-seller-platform games, solved.

>>> import gametheory as gt
>>> eqs = gt.solve(gt.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
>>> len(eqs)
1

Subpackages (``models``, ``dynamics``, ``deterrence``, ``policy``, ``repeated``, ``qre``, ``sweeps``, ``reports``,
``io``, ``limits``, ...) are imported on first
use, so ``import gametheory`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import DegenerateGameError, GametheoryError, InvalidParameterError, LimitError, SolverError
from .games import DEFAULT_TOL, Equilibria, Equilibrium, ExtensiveFormGame, GameBatch, NormalFormGame
from .solvers import BatchSolution, solve, solve_batch

__version__ = "0.1.0"

_SUBPACKAGES = (
    "models",
    "dynamics",
    "deterrence",
    "sweeps",
    "reports",
    "io",
    "solvers",
    "games",
    "policy",
    "repeated",
    "qre",
    "limits",
)
_LAZY = {
    "sweep": ("gametheory.sweeps", "sweep"),
}

__all__ = [
    "NormalFormGame",
    "GameBatch",
    "ExtensiveFormGame",
    "Equilibrium",
    "Equilibria",
    "BatchSolution",
    "solve",
    "solve_batch",
    "sweep",
    "DEFAULT_TOL",
    "GametheoryError",
    "InvalidParameterError",
    "DegenerateGameError",
    "SolverError",
    "LimitError",
    *_SUBPACKAGES,
]


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'gametheory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
