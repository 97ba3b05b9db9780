"""Evolutionary dynamics: multi-population replicator dynamics, rest points, stability and stable states.

One population per player (Taylor & Jonker 1978; Friedman 1991): :func:`simulate` integrates the dynamics,
:func:`rest_points` lists every rest point, :func:`analyze` classifies each by the eigenvalues of the analytic
Jacobian, :func:`stable_states` keeps the asymptotically stable ones (in asymmetric games these are the strict
Nash equilibria, Selten 1980), :func:`classify_batch` does it for a whole :class:`~gametheory.GameBatch`,
:func:`corner_conditions` gives the symbolic stability conditions of every pure corner, :func:`basins` the share
of starts reaching each stable state, and :mod:`.plotting` the figures.

>>> import gametheory as gt
>>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
>>> [s.label for s in gt.dynamics.stable_states(coordination)]
['(s1, s1)', '(s2, s2)']
"""

from .attraction import Basins, basins
from .batch import BatchStability, classify_batch
from .replicator import Trajectory, random_states, replicator_field, simulate
from .stability import CLASSES, StabilityAnalysis, StateStability, analyze, classify_state, jacobian, stable_states
from .stationary import RestPoint, RestPoints, rest_points
from .symbolic import CornerConditions, SymbolicReplicator, corner_conditions, replicator_equations

__all__ = [
    "replicator_field",
    "simulate",
    "random_states",
    "Trajectory",
    "rest_points",
    "RestPoint",
    "RestPoints",
    "jacobian",
    "classify_state",
    "analyze",
    "stable_states",
    "StateStability",
    "StabilityAnalysis",
    "CLASSES",
    "classify_batch",
    "BatchStability",
    "replicator_equations",
    "corner_conditions",
    "SymbolicReplicator",
    "CornerConditions",
    "basins",
    "Basins",
]
