r"""Deterrence: where along a policy parameter counterfeiting disappears or falls below a target, exactly.

=============================  ============================================================================
function                       answers
=============================  ============================================================================
:func:`deterrence_set`         the exact set of values where the criterion holds: intervals, pieces with
                               their regimes, breakpoints, and the thresholds ``smallest``, ``robust``
:func:`min_penalty_multiplier` the smallest multiplier :math:`k` (compensation :math:`k p` to the buyer)
:func:`min_value`              the same for any policy parameter: deposit, audit rate, insurance cover, fine
:func:`threshold_map`          both at many parameter points at once (a :class:`ThresholdMap` of arrays)
:func:`frontier`               a two-parameter frontier table, e.g. the smallest :math:`k` for each deposit
:func:`deterrence_window`      :math:`[k_{\min}, k_{\max}]`: deters fakes without making false claims pay
=============================  ============================================================================

Each threshold is a :class:`ThresholdResult`: the smallest value of the set (or the reason none deters, with the
smallest sufficient deposit when the deposit caps the penalty), the robust threshold, whether they coincide, the
set itself, the equilibria just below and above, the closed form (:mod:`.closed_form`, sympy) where one matches,
and a :class:`Certificate` a reader can check. Criteria are a registry (:data:`CRITERIA`,
:func:`register_criterion`); the breakpoints come from :mod:`.breakpoints`.

>>> import gametheory as gt
>>> res = gt.deterrence.min_penalty_multiplier(gt.models.get("direct"), target_rate=0.05)
>>> round(res.threshold, 4), res.method
(0.8889, 'closed_form')
"""

from .criteria import CRITERIA, Criterion, register_criterion
from .exact_set import deterrence_set
from .frontier_table import frontier
from .region import DeterrenceSet, Interval, Piece, SetBreakpoint
from .result import Certificate, ThresholdMap, ThresholdResult, WindowResult
from .thresholds import min_penalty_multiplier, min_value, threshold_map
from .window import deterrence_window

__all__ = [
    "deterrence_set",
    "DeterrenceSet",
    "Interval",
    "Piece",
    "SetBreakpoint",
    "Criterion",
    "register_criterion",
    "min_penalty_multiplier",
    "min_value",
    "threshold_map",
    "frontier",
    "deterrence_window",
    "ThresholdResult",
    "ThresholdMap",
    "WindowResult",
    "Certificate",
    "CRITERIA",
]
