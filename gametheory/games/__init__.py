"""Game representations: normal form, batches, extensive form, equilibria."""

from .batch import GameBatch
from .equilibrium import Equilibria, Equilibrium
from .normal_form import DEFAULT_TOL, NormalFormGame

__all__ = ["NormalFormGame", "GameBatch", "Equilibrium", "Equilibria", "DEFAULT_TOL"]
