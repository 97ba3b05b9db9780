"""``gametheory cache [info | clear] [--json]``: the on-disk cache of derived formulas.

The first query on a model derives its formulas with sympy (payoff programs, equilibrium types, closed-form
thresholds, corner conditions) and keeps them as checked JSON data in ``$GAMETHEORY_CACHE_DIR`` (else
``$XDG_CACHE_HOME/gametheory``, else ``~/.cache/gametheory``), so later processes skip the derivation.
``info`` (the default) prints the folder, whether it is in use, and its files; ``clear`` deletes them. Set
``GAMETHEORY_NO_CACHE=1`` to neither read nor write it. Compiled numba kernels are cached by numba next to the
package sources (or in numba's own user cache folder), not here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from typing import Any

from .._expressions import cache_dir, cache_enabled, clear
from .settings import add_command

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``cache`` sub-command.

    Examples
    --------
    >>> from gametheory.cli import build_parser
    >>> build_parser("cache").parse_args(["cache", "clear"]).action
    'clear'
    """
    parser = add_command(
        subparsers, "cache", run, json="text",
        help="show or clear the on-disk cache of derived formulas",
        description="Show (info, the default) or delete (clear) the cached derived formulas. "
        "GAMETHEORY_CACHE_DIR moves the folder; GAMETHEORY_NO_CACHE=1 turns the cache off.",
    )
    parser.add_argument("action", nargs="?", choices=("info", "clear"), default="info",
                        help="info (default): folder and files; clear: delete the cached files")


def info() -> dict[str, Any]:
    """The cache folder, whether the cache is on, and the number and total size of its files.

    Examples
    --------
    >>> sorted(info())
    ['bytes', 'enabled', 'files', 'folder']
    """
    folder = cache_dir()
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    size = 0
    for path in files:
        with contextlib.suppress(OSError):  # removed meanwhile by another process
            size += path.stat().st_size
    return {"folder": str(folder), "enabled": cache_enabled(), "files": len(files), "bytes": size}


def run(args: argparse.Namespace) -> int:
    """Print the cache's state, or clear it."""
    data = info()
    if args.action == "clear":
        data["removed"] = clear()
    if args.json:
        print(json.dumps(data, indent=2))
    elif args.action == "clear":
        print(f"removed {data['removed']} cached file(s) from {data['folder']}")
    else:
        state = "on" if data["enabled"] else "off (GAMETHEORY_NO_CACHE is set)"
        print(f"cache folder: {data['folder']}\ncache: {state}\nfiles: {data['files']} "
              f"({data['bytes'] / 1024:.1f} KiB)")
    return 0
