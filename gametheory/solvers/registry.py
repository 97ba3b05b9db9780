"""The registry of solver methods: name -> the module and function that implement it (imported on first use).

:data:`METHODS` is the one list of methods; :func:`get_solver` imports a method's module only when it is asked
for, so ``import gametheory`` loads no solver family it does not use. :mod:`gametheory.solvers` re-exports both.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .._validation import unknown_name_error
from ..games.equilibrium import Equilibria

__all__ = ["METHODS", "get_solver"]

#: name -> (module, function, which games it accepts)
METHODS: dict[str, tuple[str, str, str]] = {
    "pure": ("pure", "pure", "any"),
    "support_enumeration": ("two_player.support_enumeration", "support_enumeration", "any"),
    "vertex_enumeration": ("two_player.vertex_enumeration", "vertex_enumeration", "2 players"),
    "lemke_howson": ("two_player.lemke_howson", "lemke_howson", "2 players"),
    "closed_form": ("closed_form.solver", "closed_form", "2x2 or 2x2x2"),
    "hub_spokes": ("hub_spokes.solver", "hub_spokes", "hub-and-spokes"),
}


def get_solver(method: str) -> Callable[..., Equilibria]:
    """The solver function registered under ``method``.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.solvers import get_solver
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> eqs = get_solver("pure")(pd)
    >>> eqs.method, len(eqs)
    ('pure', 1)
    """
    if method not in METHODS:
        raise unknown_name_error("solver method", method, [*METHODS, "auto"])
    module, function, _ = METHODS[method]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)  # type: ignore[no-any-return]
