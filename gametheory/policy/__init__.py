r"""The platform as leader: sequential play, commitment to an audit rate, policy design and the choice of model.

=================================  ===========================================================================
function                           answers
=================================  ===========================================================================
:func:`commitment`                 the audit probability the platform should commit to (Stackelberg), exact per
                                   piece of the followers' equilibrium correspondence, against simultaneous play
:func:`optimize`                   the policy (multiplier, deposit, audit rate, cover, fees) that maximises
                                   platform profit or welfare subject to outcome constraints
:func:`choose_model`               which payment model a platform with given costs should pick, at which policy
:func:`profit_frontier`            the best profit for each cap on the counterfeit rate
:func:`subgame_perfect_rates`      the ``subgame_perfect`` deterrence criterion over many points at once
=================================  ===========================================================================

The sequential game itself is :meth:`gametheory.models.base.Model.extensive_game`; its equilibria come from
:func:`gametheory.solvers.extensive.subgame_perfect.subgame_perfect`.
"""


from __future__ import annotations

import importlib
from typing import Any

from .sequential import sequential_plays, subgame_perfect_rates

#: imported on first access: the commitment solver is exact (sympy), which the deterrence criteria, importing
#: :mod:`.sequential` through this package, do not need
_LAZY = {"choose_model": "choose", "ModelChoice": "choose", "profit_frontier": "choose", "optimize": "design",
         "PolicyOptimum": "design", "commitment": "stackelberg", "CommitmentResult": "stackelberg"}

__all__ = ["choose_model", "ModelChoice", "profit_frontier", "commitment", "CommitmentResult", "optimize",
           "PolicyOptimum", "subgame_perfect_rates", "sequential_plays"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
