"""The numba cache key of a kernel covers the sources of the modules whose compiled helpers it calls
(``gametheory.solvers._kernel_cache.depends_on``): an edit of a helper's module recompiles its callers."""

from __future__ import annotations

import importlib
import sys
import textwrap

import numba
import pytest

from gametheory.solvers._kernel_cache import depends_on, source_digest

KERNEL = textwrap.dedent("""
    import numba

    from gametheory.solvers._kernel_cache import depends_on

    from .helper import plus_one


    @numba.njit(cache=True)
    def twice_plus_one(x):
        return plus_one(2.0 * x)


    depends_on(globals(), ".helper")
""")
HELPER = "import numba\n\n\n@numba.njit(cache=True)\ndef plus_one(x):\n    return x + {}\n"
SIG = (numba.float64,)


def _key(dispatcher):
    return dispatcher._cache._index_key(SIG, dispatcher.targetctx.codegen())


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package ``kcpkg`` with a kernel module calling a compiled helper of a sibling module."""
    root = tmp_path / "kcpkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "kernel.py").write_text(KERNEL)
    (root / "helper.py").write_text(HELPER.format("1.0"))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "kcpkg" or m.startswith("kcpkg.")]:
        del sys.modules[name]


def _fresh_kernel():
    for name in ("kcpkg.kernel", "kcpkg.helper"):
        sys.modules.pop(name, None)
    importlib.invalidate_caches()
    return importlib.import_module("kcpkg.kernel")


def test_editing_a_dependency_changes_the_cache_key(package):
    kernel = _fresh_kernel()
    before = _key(kernel.twice_plus_one)
    assert before[-1] == source_digest("kcpkg", ".helper")
    assert kernel.twice_plus_one(1.0) == 3.0  # compiled and cached on disk
    assert _key(_fresh_kernel().twice_plus_one) == before  # same sources, same key
    (package / "helper.py").write_text(HELPER.format("10.0"))  # another size: no stale .pyc either
    kernel = _fresh_kernel()
    after = _key(kernel.twice_plus_one)
    assert after != before and after[:-1] == before[:-1]  # only the dependency's digest moved
    assert kernel.twice_plus_one(1.0) == 12.0  # the new helper runs, not the cached kernel with the old one
    # the helper the kernel only imports keeps the key of its own module (no digest of itself appended)
    assert _key(kernel.plus_one)[-1] != after[-1]


def test_digest_covers_every_named_module_in_order():
    one = source_digest("gametheory.solvers", "._elimination_kernel")
    both = source_digest("gametheory.solvers", "._elimination_kernel", ".n_player._closed_form_kernel")
    swapped = source_digest("gametheory.solvers", ".n_player._closed_form_kernel", "._elimination_kernel")
    assert len({one, both, swapped}) == 3
    with pytest.raises(ImportError, match="no module"):
        source_digest("gametheory.solvers", "._no_such_kernel")


def test_support_kernel_key_covers_the_closed_form_kernel():
    from gametheory.solvers.n_player import _support_kernel as kernel

    expected = source_digest("gametheory.solvers.n_player", ".._elimination_kernel", "._closed_form_kernel")
    assert _key(kernel.solve_profiles)[-1] == expected
    from gametheory.solvers.hub_spokes import _kernel as hub

    assert _key(hub.solve_games)[-1] == source_digest("gametheory.solvers", "._elimination_kernel")


def test_interpreted_namespace_is_left_alone():
    namespace = {"__name__": "demo", "__package__": "", "f": lambda x: x}
    depends_on(namespace, ".no_such_module")  # no dispatchers: nothing to key, no lookup
    assert namespace["f"](3) == 3
