"""Game representations: normal form, batches, extensive form, equilibria."""

from .batch import GameBatch
from .equilibrium import Equilibria, Equilibrium
from .extensive_form import ExtensiveFormGame
from .normal_form import DEFAULT_TOL, NormalFormGame

__all__ = ["NormalFormGame", "GameBatch", "ExtensiveFormGame", "Equilibrium", "Equilibria", "DEFAULT_TOL"]
