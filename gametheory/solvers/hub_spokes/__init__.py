"""Every equilibrium of hub-and-spokes games (the extended payment games), vectorised over batches.

:mod:`.solver` finds the hub (the player whose payoffs couple the others) and solves every game of a batch with
the compiled kernel of :mod:`._kernel`; games where a tie is met go to the reference path of
:func:`gametheory.solvers.solve_reference`.
"""

from .solver import Roles, hub_spokes, hub_spokes_batch, hub_spokes_roles

__all__ = ["hub_spokes", "hub_spokes_batch", "hub_spokes_roles", "Roles"]
