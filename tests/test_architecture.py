"""The package's layers import only downward, and no two modules import each other.

Read statically from the source (every ``import`` statement, at module level or inside a function), so the test
sees what a reader of the code sees. The layers, bottom first, are drawn in docs/contributing.md; keep the two in
step.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gametheory"

#: bottom first; a subpackage may import the ones in lower layers (and, in the base layer, each other)
LAYERS: list[set[str]] = [
    {"errors", "_validation", "limits", "_memory", "_expressions", "_derived", "_sympy_json", "_frozen",
     "_lazy", "_univariate", "_threads"},
    {"games"},
    {"io", "solvers"},
    {"models"},
    {"dynamics", "qre", "policy"},
    {"deterrence"},
    {"repeated"},
    {"sweeps"},
    {"reports"},
    {"cli"},
    {"__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}
#: ``gametheory/__init__.py``: the facade (``solve``, ``solve_batch``, the core types, ``__version__``) sits
#: just above the solvers it re-exports
FACADE_LEVEL = LAYER["solvers"]


def _module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the import statements under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    return out


def _imports(path: Path, package_root: Path = PACKAGE) -> list[tuple[str, int, bool]]:
    """``(imported module, line, at module level)`` for every gametheory import that runs in ``path``."""
    name = _module_name(path, package_root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    skip = _type_checking_only(tree)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [f"{target}.{alias.name}" for alias in node.names]  # a module, or a name in one
            out += [(t, node.lineno, id(node) in top) for t in names if t.startswith("gametheory")]
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) in top) for a in node.names if a.name.startswith("gametheory")]
    return out


def _subpackage(module: str, package_root: Path = PACKAGE) -> str | None:
    """The first-level part of ``gametheory.x.y`` (None for the facade itself and names it defines)."""
    parts = module.split(".")
    if len(parts) < 2 or not ((package_root / parts[1]).is_dir() or (package_root / f"{parts[1]}.py").exists()):
        return None
    return parts[1]


def _source_files(package_root: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package_root.rglob("*.py") if "__pycache__" not in p.parts)


def _cross_imports(package_root: Path = PACKAGE):
    """``(where, target, source subpackage, target subpackage)`` for every import between two subpackages."""
    for path in _source_files(package_root):
        source = _subpackage(_module_name(path, package_root), package_root)
        for target, line, _ in _imports(path, package_root):
            dest = _subpackage(target, package_root)
            if dest != source:
                yield f"{path.relative_to(package_root.parent)}:{line}", target, source, dest


def upward_imports(package_root: Path = PACKAGE) -> list[str]:
    """Every import of a subpackage in the same or a higher layer than the importing one."""
    upward = []
    for where, target, source, dest in _cross_imports(package_root):
        if source in LAYERS[0] and dest in LAYERS[0]:
            continue
        if source is None:  # the facade re-exports the layers up to the solvers
            if _level(dest) > FACADE_LEVEL:
                upward.append(f"{where} imports {target} (facade -> {dest})")
        elif _level(dest) >= _level(source):
            upward.append(f"{where} imports {target} ({source} -> {dest})")
    return upward


def import_cycles(package_root: Path = PACKAGE) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (imports inside functions too)."""
    modules = {_module_name(p, package_root): p for p in _source_files(package_root)}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target, _, _ in _imports(path, package_root):
            while target not in modules and "." in target:  # `from pkg import name`: the module is pkg
                target = target.rsplit(".", 1)[0]
            if target != name and target in modules and not name.startswith(target + "."):
                graph[name].add(target)
    return _cycles(graph)


def _level(sub: str | None) -> int:
    return FACADE_LEVEL if sub is None else LAYER[sub]


def test_every_subpackage_has_a_layer() -> None:
    subs = {_subpackage(_module_name(p)) for p in _source_files()} - {None}
    assert subs <= set(LAYER), f"add {sorted(subs - set(LAYER))} to LAYERS (and to docs/contributing.md)"


def test_layers_import_only_downward() -> None:
    upward = upward_imports()
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_no_import_cycles_between_modules() -> None:
    """No two modules (or longer chains) import each other, at module level or inside functions."""
    cycles = import_cycles()
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def throwaway_package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A ``gametheory`` package under ``tmp_path`` with ``files`` (path -> text); every folder gets an
    ``__init__.py`` (empty unless ``files`` gives one). Returns the package's root, for the checks' tests."""
    root = tmp_path / "gametheory"
    for name, text in files.items():
        path = root / name
        for folder in [root, *path.relative_to(root).parents]:
            (root / folder).mkdir(parents=True, exist_ok=True)
            init = root / folder / "__init__.py"
            if not init.exists():
                init.write_text("")
        path.write_text(text)
    return root


@pytest.mark.parametrize("source, target", [("games", "solvers"), ("deterrence", "reports"), ("solvers", "models"),
                                            ("qre", "deterrence")])
def test_the_checks_catch_an_upward_import_and_a_cycle(tmp_path: Path, source: str, target: str) -> None:
    """The rules themselves, on a throwaway package: an import against the layers, and two modules importing each
    other from inside functions, are both reported."""
    root = throwaway_package(tmp_path, {
        f"{source}/low.py": f"def f():\n    from ..{target}.high import g\n    return g\n",
        f"{target}/high.py": f"from ..{source} import low\n\ndef g():\n    return low\n"})
    found = upward_imports(root)
    assert len(found) == 1 and f"({source} -> {target})" in found[0]
    assert import_cycles(root) == [sorted([f"gametheory.{source}.low", f"gametheory.{target}.high"])]


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def lazy_imports_without_reason(package_root: Path = PACKAGE) -> list[str]:
    """Imports of gametheory modules inside functions that do not say why they are not at module level.

    An import stays inside a function only for a reason written on its line, ``# lazy: <reason>``: the target
    pulls in a heavy library the importing module does not (``sympy``, ``scipy``, ``pandas``, ``numba kernel``),
    it calls back into a facade that is still being imported (``facade callback``), or a registry loads its members
    on first use (``loaded on first use``). Everything else is imported at module level, so the import graph can be
    read from the top of each file.
    """
    out = []
    for path in _source_files(package_root):
        lines = path.read_text(encoding="utf-8").splitlines()
        for target, line, top in _imports(path, package_root):
            if not top and "# lazy:" not in lines[line - 1]:
                out.append(f"{path.relative_to(package_root.parent)}:{line} imports {target} inside a function")
    return sorted(set(out))


def test_imports_inside_functions_say_why() -> None:
    found = lazy_imports_without_reason()
    assert not found, "move these imports to module level, or say why not (# lazy: ...):\n" + "\n".join(found)


def test_the_lazy_import_check_catches_an_unexplained_one(tmp_path: Path) -> None:
    root = throwaway_package(tmp_path, {
        "games/a.py": "def f():\n    from .b import g  # lazy: sympy\n    from .b import h\n",
        "games/b.py": "def g():\n    pass\n\n\ndef h():\n    pass\n"})
    expected = "gametheory/games/a.py:3 imports gametheory.games.b.h inside a function"
    assert lazy_imports_without_reason(root) == [expected]


def private_imports_across_subpackages(package_root: Path = PACKAGE) -> list[str]:
    """Imports of another subpackage's private module or name (``from ..deterrence._common import x``)."""
    out = []
    for where, target, _, dest in _cross_imports(package_root):
        private = [part for part in target.split(".")[2:] if part.startswith("_") and not part.startswith("__")]
        if dest is not None and private and "kernel" not in target:
            out.append(f"{where} imports {target}")
    return out


def test_no_private_imports_across_subpackages() -> None:
    found = private_imports_across_subpackages()
    assert not found, "another package's private module or name (make it public where it is shared):\n" + \
        "\n".join(found)


def test_the_private_import_check_catches_one(tmp_path: Path) -> None:
    root = throwaway_package(tmp_path, {"games/_inner.py": "def g():\n    pass\n",
                                        "solvers/a.py": "from ..games._inner import g\nfrom ..games import _inner\n"})
    assert len(private_imports_across_subpackages(root)) == 2


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_names_across_modules(package_root: Path = PACKAGE) -> list[str]:
    """Uses of another module's private name: ``from .replicator import _field`` or ``replicator._field``.

    A private name (``_helper``) belongs to its module; a private *module* (``_state.py``) is shared inside its
    package through its public names. A helper two modules need is made public in a proper home (a docstring, no
    underscore), not imported under its private name.
    """
    modules = {_module_name(p, package_root) for p in _source_files(package_root)}
    found: set[str] = set()
    for path in _source_files(package_root):
        name = _module_name(path, package_root)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(package_root.parent)
        aliases: dict[str, str] = {}  # local name -> gametheory module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                if not target.startswith("gametheory"):
                    continue
                for alias in node.names:
                    if f"{target}.{alias.name}" in modules:
                        aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
                    elif _private(alias.name) and target != name:
                        found.add(f"{where}:{node.lineno} imports {target}.{alias.name}")
            elif isinstance(node, ast.Import):
                aliases.update({a.asname or a.name: a.name for a in node.names if a.name.startswith("gametheory")})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and _private(node.attr) and f"{aliases[node.value.id]}.{node.attr}" not in modules):
                found.add(f"{where}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return sorted(found)


def test_the_private_name_check_catches_an_import_and_an_attribute(tmp_path: Path) -> None:
    root = throwaway_package(tmp_path, {
        "dynamics/_state.py": "def split():\n    pass\n\n\ndef _hidden():\n    pass\n",
        "dynamics/replicator.py": "def _field():\n    pass\n",
        "dynamics/stability.py": "from . import _state\nfrom .replicator import _field\n\n\ndef f():\n"
                                 "    return _state.split, _state._hidden\n"})
    assert private_names_across_modules(root) == [
        "gametheory/dynamics/stability.py:2 imports gametheory.dynamics.replicator._field",
        "gametheory/dynamics/stability.py:6 uses gametheory.dynamics._state._hidden",
    ]


def shadowed_submodules(package_root: Path = PACKAGE) -> list[str]:
    """Submodules whose package binds their name to something else (``from .basins import basins``).

    ``gametheory.dynamics.basins`` would then be the function when the package is imported, and the module once an
    import system (pytest's doctest collection, ``importlib.reload``) sets the submodule as the package's attribute
    again: ``gt.dynamics.basins(...)`` fails with "'module' object is not callable". A module is named after what
    it holds, not after the one function it exports.
    """
    out = []
    for init in sorted(package_root.rglob("__init__.py")):
        if "__pycache__" in init.parts:
            continue
        submodules = {p.stem for p in init.parent.glob("*.py")} | {p.name for p in init.parent.iterdir()
                                                                     if (p / "__init__.py").exists()}
        tree = ast.parse(init.read_text(encoding="utf-8"))
        for node in tree.body:
            bound: list[str] = []
            if isinstance(node, ast.ImportFrom) and not (node.level == 1 and node.module is None):
                bound = [a.asname or a.name for a in node.names]
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                bound = [node.name]
            elif isinstance(node, ast.Assign):
                bound = [t.id for t in node.targets if isinstance(t, ast.Name)]
            for name in bound:
                if name in submodules - {"__init__"}:
                    out.append(f"{init.relative_to(package_root.parent)}:{node.lineno} binds {name!r}, the name "
                               f"of its submodule")
    return out


def test_the_shadow_check_catches_one(tmp_path: Path) -> None:
    root = throwaway_package(tmp_path, {
        "dynamics/__init__.py": "from . import plotting\nfrom .basins import Basins, basins\n",
        "dynamics/basins.py": "class Basins:\n    pass\n\n\ndef basins():\n    pass\n", "dynamics/plotting.py": ""})
    assert shadowed_submodules(root) == ["gametheory/dynamics/__init__.py:2 binds 'basins', the name of its submodule"]


@pytest.mark.parametrize(("check", "advice"), [
    (private_names_across_modules, "another module's private name (make it public in a proper home)"),
    (shadowed_submodules, "a package attribute shadows its submodule (rename the module after what it holds)"),
], ids=["private_names_across_modules", "shadowed_submodules"])
def test_the_tree_passes_the_check(check: Callable[[], list[str]], advice: str) -> None:
    found = check()
    assert not found, f"{advice}:\n" + "\n".join(found)
