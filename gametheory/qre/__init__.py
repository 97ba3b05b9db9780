"""Logit quantal response equilibria: the principal branch, the QRE at a given precision, fitting, selection.

============================  =====================================================================
function                      what it returns
============================  =====================================================================
:func:`logit_path`            the principal branch from uniform play to its limit, a Nash equilibrium
:func:`logit`                 the principal-branch QRE at one precision ``lambda``
:func:`logit_batch`           the same for every game of a :class:`~gametheory.GameBatch` at once
:func:`fit`                   the maximum-likelihood ``lambda`` (and its standard error) for observed play
:func:`logit_selected`        which listed equilibrium each game's branch converges to (a selection rule)
============================  =====================================================================
"""

from .at_lambda import LogitBatch, LogitQRE, logit, logit_batch
from .branch import MATCH_TOL, MAX_REGRET, LogitPath, logit_path
from .criterion import logit_criterion
from .estimation import LogitFit, fit
from .selection import logit_selected

__all__ = [
    "LogitQRE", "LogitBatch", "LogitPath", "LogitFit", "logit", "logit_batch", "logit_path", "fit", "logit_selected",
    "logit_criterion",
    "MATCH_TOL", "MAX_REGRET",
]
