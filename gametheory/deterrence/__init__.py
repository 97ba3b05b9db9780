r"""Deterrence thresholds: the smallest policy value at which counterfeiting disappears or falls below a target.

=============================  ============================================================================
function                       answers
=============================  ============================================================================
:func:`min_penalty_multiplier` the smallest multiplier :math:`k` (compensation :math:`k p` to the buyer)
:func:`min_value`              the same for any policy parameter: deposit, audit rate, insurance cover, fine
:func:`frontier`               a two-parameter frontier table, e.g. the smallest :math:`k` for each deposit
:func:`deterrence_window`      :math:`[k_{\min}, k_{\max}]`: deters fakes without making false claims pay
=============================  ============================================================================

Each answer is a :class:`ThresholdResult`: the threshold or the reason it is infeasible (with the smallest
sufficient deposit when the deposit caps the penalty), the equilibria just below and above it, the closed form
(:mod:`.closed_form`, sympy) where one exists and a :class:`Certificate` a reader can check. Criteria live in
:mod:`.criteria`, the vectorised bracketing search in :mod:`.search`.

>>> import gametheory as gt
>>> res = gt.deterrence.min_penalty_multiplier(gt.models.get("direct"), target_rate=0.05)
>>> round(res.threshold, 4), res.method
(0.8889, 'closed_form')
"""

from .criteria import CRITERIA, Criterion, register_criterion
from .exact_set import deterrence_set
from .frontier import frontier
from .region import DeterrenceSet, Interval, Piece, SetBreakpoint
from .result import Certificate, ThresholdResult, WindowResult
from .thresholds import min_penalty_multiplier, min_value
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
    "frontier",
    "deterrence_window",
    "ThresholdResult",
    "WindowResult",
    "Certificate",
    "CRITERIA",
]
