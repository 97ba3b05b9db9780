"""The cache rule of compiled kernels that call compiled helpers of other modules.

numba's ``cache=True`` keys a function's machine code by its own source file only, and the code of the helpers it
calls from other modules is compiled into it: after an edit of a helper's module, the callers' cached kernels
would run the old helper. :func:`depends_on` (called at the end of a kernel module, naming the package modules
whose compiled functions it calls) adds a digest of those modules' sources to the cache key of every cached
function defined in the kernel module, so an edit of any of them recompiles the kernel.

numba is imported only when there is something to re-key: a module run interpreted
(:mod:`gametheory.solvers._interpreted`) has no dispatchers, and the call does nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

__all__ = ["depends_on", "source_digest"]


def source_digest(package: str, *modules: str) -> str:
    """SHA-256 of the sources of ``modules`` (names, relative ones resolved in ``package``), in the order given;
    the modules are found, not imported.

    Examples
    --------
    >>> a = source_digest("gametheory.solvers", "._elimination_kernel")
    >>> a == source_digest("gametheory.solvers.n_player", ".._elimination_kernel"), len(a)
    (True, 64)
    """
    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(importlib.util.resolve_name(name, package))
        if spec is None or spec.origin is None:
            raise ImportError(f"depends_on: no module {name!r} in {package!r}")
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def depends_on(namespace: dict[str, Any], *modules: str) -> None:
    """Make the cache key of every cached numba function defined in ``namespace`` (a kernel module's
    ``globals()``) include :func:`source_digest` of ``modules`` (e.g. ``".._elimination_kernel"``, relative to
    the kernel's package), so that editing one of them recompiles those functions.

    numba looks a cached function up by a key of its signature, the target and a hash of its bytecode; the key is
    extended by the digest (the source stamp of the function's own file still invalidates the rest). Compiled
    functions the module only imports keep their own modules' keys.
    """
    name = namespace["__name__"]
    dispatchers = [value for value in list(namespace.values())
                   if hasattr(value, "py_func") and getattr(value.py_func, "__module__", None) == name]
    if not dispatchers:  # the module runs interpreted (gametheory.solvers._interpreted): nothing is cached
        return
    import numba
    from numba.core.caching import FunctionCache

    digest = source_digest(namespace["__package__"], *modules)

    class _Cache(FunctionCache):  # type: ignore[misc]
        def _index_key(self, sig: Any, codegen: Any) -> Any:
            return (*super()._index_key(sig, codegen), digest)

    for value in dispatchers:
        if isinstance(value, numba.core.registry.CPUDispatcher) and isinstance(getattr(value, "_cache", None),
                                                                              FunctionCache):
            value._cache = _Cache(value.py_func)
