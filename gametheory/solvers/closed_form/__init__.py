"""Every equilibrium of 2x2 and 2x2x2 games by formula, one game or whole batches.

:mod:`.solver` holds the public functions and the derivation; :mod:`._driver` runs a batch: the compiled fast
path for 2x2 batches (:mod:`._kernel_2x2`), then the thorough path (:mod:`._thorough`) for games a fast path
flags, with the candidate formulas of :mod:`._formulas_2x2` and :mod:`._formulas_2x2x2`.
"""

from .solver import closed_form, closed_form_batch

__all__ = ["closed_form", "closed_form_batch"]
