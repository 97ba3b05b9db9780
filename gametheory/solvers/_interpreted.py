"""The numba kernels run by the interpreter, for calls too small to pay for loading numba.

Loading a cached numba kernel costs a new process about half a second of CPU, whatever its size: numba's import
(0.18 s), its array-math registry, which imports scipy.linalg for its BLAS check (0.17 s), and the CPU target's
registries with the cached code on the first call (0.19 s). A single-point command-line query on an extended game
solves one game, or a few dozen, in less (2-30 ms a game interpreted, 0.03-0.09 ms compiled). :func:`interpreted`
gives a copy of a kernel module whose ``@numba.njit`` functions are the plain Python functions of the same
source -- the same statements, so the same answers (the kernels do scalar IEEE arithmetic and call the same numpy
and LAPACK routines either way) -- and :func:`run_in_parts` decides by the expected work which one runs: the
first games of a process run interpreted and are timed, and the rest stay interpreted while the time they are
predicted to take (the cost per game measured so far) keeps the process's interpreted work within
:data:`LOAD_SECONDS`, the cost of loading the compiled kernels; otherwise, and once numba is loaded, the compiled
kernel runs. The package's modules that a kernel imports by ``from ... import`` (the shared elimination) are
interpreted with it.

Examples
--------
>>> kernel = interpreted("gametheory.solvers.hub_spokes._kernel")
>>> kernel.__name__, kernel._popcount(0b1011)
('gametheory.solvers.hub_spokes._kernel (interpreted)', 3)
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import gc
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, TypeVar

__all__ = ["interpreted", "run_in_parts", "compiled_at_no_cost"]

T = TypeVar("T")

#: ``GAMETHEORY_INTERPRETED=0`` always loads the compiled kernels; ``1`` runs every call interpreted (tests)
VARIABLE = "GAMETHEORY_INTERPRETED"


#: the package whose modules are interpreted (never a module named by a user or a file)
_PACKAGE = __name__.split(".")[0]

#: CPU seconds that loading the compiled kernels costs a new process (module docstring; 0.5-0.6 s measured
#: 2026-12-07 on the 2-core machine): the most interpreted kernel work a process does before it loads them
LOAD_SECONDS = 0.5
#: the games a process first runs interpreted, to measure a kernel's cost per game
PROBE_GAMES = 4

#: the kernel work run interpreted in this process so far: CPU seconds in all, and (games, seconds) per module
_SPENT: dict[str, Any] = {"seconds": 0.0, "modules": {}}


def run_in_parts(module: str, n_games: int, chunk: int, solve: Callable[[ModuleType, int, int], T]) -> list[T]:
    """``solve(kernel, start, stop)`` on consecutive slices of ``range(n_games)`` of at most ``chunk`` games each,
    with ``kernel`` the module ``module`` interpreted or compiled, as the expected work decides (the answers are
    the same either way, and a game's do not depend on the slice it is in).

    While numba is not loaded in this process, the first :data:`PROBE_GAMES` games of the process run interpreted
    and are timed (``time.thread_time``); then slices at most as large as the games timed so far (the estimate is
    refined as the slices double) stay interpreted while the process's interpreted time plus the rest of the
    call's games at the cost per game measured so far stays within :data:`LOAD_SECONDS`. Past it, the rest of
    the call runs compiled. A process thus spends at most :data:`LOAD_SECONDS` interpreted before it loads the
    compiled kernels (a call of many dear games: the probe alone, about 0.03 s; a loop of single-game calls: the
    whole budget), and once numba is loaded they cost nothing more to reach. ``GAMETHEORY_INTERPRETED=0``/``1``
    forces one or the other.
    """
    out = []
    start = 0
    while start < n_games:
        size = _interpreted_slice(module, n_games - start, chunk)
        stop = start + (size or min(chunk, n_games - start))
        if size:
            kernel = interpreted(module)  # executed before the clock starts: its import is not the games' cost
            began = time.thread_time()
            out.append(solve(kernel, start, stop))
            _spend(module, size, time.thread_time() - began)
        elif _numba_loaded():
            out.append(solve(importlib.import_module(module), start, stop))
        else:  # numba's first load: some 10^5 long-lived objects, which the cyclic collector need not chase
            with _collector_paused():
                out.append(solve(importlib.import_module(module), start, stop))
        start = stop
    return out


def compiled_at_no_cost() -> bool:
    """True when a compiled kernel costs this process nothing more to reach: numba is loaded already, or
    ``GAMETHEORY_INTERPRETED=0`` asks for the compiled kernels; False while ``GAMETHEORY_INTERPRETED=1`` asks for
    none. A caller choosing between a kernel that :func:`run_in_parts` may interpret and a compiled-only one takes
    the compiled-only one just then.

    Examples
    --------
    >>> import numba  # loaded: the compiled kernels are a cache read away
    >>> compiled_at_no_cost() or os.environ.get(VARIABLE) == "1"
    True
    """
    flag = os.environ.get(VARIABLE, "").strip()
    if flag in ("0", "1"):
        return flag == "0"
    return _numba_loaded()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside (on again after, if it was on).

    Loading the compiled kernels imports numba (some 460 modules: its types, typing templates, registries and
    the LLVM bindings), and the collections that the allocations trigger on the way (about 200 young ones and two
    full ones, which traverse every object) cost about 0.05 s of the 0.5 s; nothing collectable is made there.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _interpreted_slice(module: str, remaining: int, chunk: int) -> int:
    """How many of the next ``remaining`` games of a call run interpreted (0: the compiled kernel runs)."""
    if os.environ.get(VARIABLE, "").strip() == "1":
        return min(remaining, chunk)
    if compiled_at_no_cost():
        return 0
    games, seconds = _SPENT["modules"].get(module, (0, 0.0))
    if not games:
        return min(remaining, chunk, PROBE_GAMES)
    if _SPENT["seconds"] + seconds / games * remaining > LOAD_SECONDS:
        return 0
    return min(remaining, chunk, games)


def _spend(module: str, games: int, seconds: float) -> None:
    done, spent = _SPENT["modules"].get(module, (0, 0.0))
    _SPENT["modules"][module] = (done + games, spent + seconds)
    _SPENT["seconds"] += seconds


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
