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

from .choose import ModelChoice, choose_model, profit_frontier
from .design import PolicyOptimum, optimize
from .sequential import sequential_plays, subgame_perfect_rates
from .stackelberg import CommitmentResult, commitment

__all__ = ["choose_model", "ModelChoice", "profit_frontier", "commitment", "CommitmentResult", "optimize",
           "PolicyOptimum", "subgame_perfect_rates", "sequential_plays"]
