"""Every equilibrium of 2x2 and 2x2x2 games by formula, one game or whole batches.

:mod:`.solver` holds the public functions and the derivation; :mod:`._driver` runs a batch: 2x2 games, tied
ones included, in the compiled kernel (:mod:`._kernel_2x2`); 2x2x2 games by the vectorised fast path, then the
thorough path (:mod:`._thorough`) for the games it flags, with the candidate formulas of :mod:`._formulas_2x2x2`
(:mod:`._formulas_2x2`: the 2x2 thorough path, the reference the kernel's tie rule reproduces).
"""

from .solver import closed_form, closed_form_batch

__all__ = ["closed_form", "closed_form_batch"]
