"""The numba kernels run by the interpreter, for calls too small to pay for loading numba.

Loading a cached numba kernel costs about a second in a new process, whatever its size: numba imports its
implementation registries (0.6-1 s) and, for kernels calling ``np.linalg``, scipy's BLAS bindings (0.3 s). A
single-point command-line query on an extended game solves one game, or a few dozen, in less (1-9 ms a game
interpreted, 0.03-0.09 ms compiled). :func:`interpreted`
gives a copy of a kernel module whose ``@numba.njit`` functions are the plain Python functions of the same
source -- the same statements, so the same answers (the kernels do scalar IEEE arithmetic and call the same numpy
and LAPACK routines either way) -- and :func:`use_interpreted` decides, per call, whether a caller should take
it: only while numba is not loaded yet in this process, for at most ``limit`` games in all. The package's
modules that a kernel imports by ``from ... import`` (the shared elimination) are interpreted with it.

Examples
--------
>>> kernel = interpreted("gametheory.solvers.hub_spokes._kernel")
>>> kernel.__name__, kernel._popcount(0b1011)
('gametheory.solvers.hub_spokes._kernel (interpreted)', 3)
>>> use_interpreted(10**9)
False
"""

from __future__ import annotations

import builtins
import functools
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

__all__ = ["interpreted", "use_interpreted", "kernel_module"]

#: ``GAMETHEORY_INTERPRETED=0`` always loads the compiled kernels; ``1`` runs every call interpreted (tests)
VARIABLE = "GAMETHEORY_INTERPRETED"


#: the package whose modules are interpreted (never a module named by a user or a file)
_PACKAGE = __name__.split(".")[0]

#: games run interpreted in this process so far (see :func:`use_interpreted`)
_SPENT = {"games": 0}


def use_interpreted(n_games: int, limit: int = 64) -> bool:
    """Whether a call on ``n_games`` games should run its kernel interpreted: while numba is not imported in this
    process and this call keeps the games run interpreted in the process within ``limit`` (about half a second of
    work). A loop of single-game calls thus pays at most that before the compiled kernels take over: once numba is
    loaded they cost nothing more to reach."""
    flag = os.environ.get(VARIABLE, "").strip()
    if flag in ("0", "1"):
        return flag == "1"
    return not _numba_loaded() and _SPENT["games"] + n_games <= limit


def _numba_loaded() -> bool:
    return "numba" in sys.modules


class _Numba:
    """What a kernel module sees as ``numba``: ``njit`` leaves the function as written."""

    prange = range

    @staticmethod
    def njit(*args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return lambda function: function

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"numba.{name} has no interpreted stand-in (gametheory.solvers._interpreted)")


_NUMBA = _Numba()


def _import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
    """The import statement of an interpreted module: ``numba`` is the stand-in, and a module of this package
    named in a ``from ... import`` (a kernel's compiled helpers) is interpreted too, so that nothing it calls
    loads numba."""
    if level == 0 and (name == "numba" or name.startswith("numba.")):
        return _NUMBA
    if fromlist:
        package = (globals or {}).get("__package__") or ""
        target = importlib.util.resolve_name("." * level + name, package) if level else name
        if target.split(".")[0] == _PACKAGE:
            return interpreted(target)
    return builtins.__import__(name, globals, locals, fromlist, level)


@functools.cache
def interpreted(module: str) -> ModuleType:
    """A copy of the kernel module ``module`` whose ``@numba.njit`` (``numba.prange``) are the identity
    (``range``), executed from the module's own code; numba is not imported."""
    if module.split(".")[0] != _PACKAGE:
        raise ImportError(f"interpreted runs this package's kernel modules only, not {module!r}")
    spec = importlib.util.find_spec(module)
    if spec is None or spec.loader is None or spec.origin is None:
        raise ImportError(f"no module named {module!r}")
    code = spec.loader.get_code(module)  # type: ignore[attr-defined]  # the byte code cached by the import system
    copy = ModuleType(f"{module} (interpreted)")
    copy.__file__ = spec.origin
    copy.__package__ = spec.parent
    copy.__builtins__ = {**vars(builtins), "__import__": _import}  # type: ignore[attr-defined]
    exec(code, vars(copy))  # the package's own module, not user data
    return copy


def kernel_module(module: str, n_games: int, limit: int = 64) -> ModuleType:
    """The kernel module ``module``, interpreted or compiled as :func:`use_interpreted` decides for ``n_games``
    games (``limit``: the most games run interpreted in this process)."""
    if use_interpreted(n_games, limit):
        _SPENT["games"] += n_games
        return interpreted(module)
    return importlib.import_module(module)
