"""Collect the package's own modules (doctests) as the modules the package itself imports.

With ``--import-mode=importlib`` pytest imports a collected file by its spec. For ``gametheory/dynamics/stability.py``
collected before anything imported ``gametheory.dynamics``, pytest first imports the package, whose ``__init__``
imports ``stability`` (one module object), and then executes the file again as a second module object that replaces
the first in ``sys.modules``: the classes the package exports are then not the ones pickle finds by name
(``Can't pickle <class ...StabilityAnalysis>: it's not the same object``). Importing the module by its name first,
with the normal import system, leaves pytest the one module object to reuse.
"""

from __future__ import annotations

import importlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent / "gametheory"


def pytest_collect_file(file_path: Path, parent: object) -> None:
    if file_path.suffix != ".py" or file_path.name == "__main__.py" or PACKAGE not in file_path.parents:
        return None
    parts = list(file_path.relative_to(PACKAGE.parent).with_suffix("").parts)
    importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return None
