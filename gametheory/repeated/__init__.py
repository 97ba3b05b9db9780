r"""Repeated play: the future that keeps a seller honest, store-level deposits, and reputation.

=================================  ==========================================================================
function                           answers
=================================  ==========================================================================
:func:`min_discount_factor`        the smallest discount factor :math:`\delta^*` at which honest selling is a
                                   subgame-perfect equilibrium under grim trigger and delisting (per point)
:func:`min_penalty_multiplier`     the smallest multiplier :math:`k` that does it at the model's :math:`\delta`
:func:`continuation_value`         the future a delisting takes away: the endogenous ``delisting_loss``
:func:`with_continuation_value`    the stage model with that future added to its delisting loss
:func:`grim_trigger`               the same threshold in any normal-form game (the prisoner's dilemma)
:func:`simulate_repeated`          a Monte Carlo of the repeated game, to check the closed forms against
:func:`expected_compensation`      compensation per established fraud when one deposit backs a store's orders
:func:`min_store_deposit`          the smallest store deposit that deters, against store volume
:func:`simulate_depletion`         a Monte Carlo of deposit depletion
:func:`reputation`                 a Bayesian rating: how fast an opportunistic store is recognised, and
                                   whether the rating alone keeps a strategic store honest
:func:`reputation_multiplier`      how the rating substitutes for the multiplier
=================================  ==========================================================================

See ``docs/repeated.md`` for the models and their formulas.

>>> import gametheory as gt
>>> round(gt.repeated.min_discount_factor(gt.models.get("direct")).value, 4)
0.8661
"""

from .depletion import DepletionResult, simulate_depletion
from .discount import continuation_value, grim_trigger, min_discount_factor, with_continuation_value
from .multiplier import min_penalty_multiplier
from .rating import MultiplierComparison, ReputationResult, posterior_honest, reputation, reputation_multiplier
from .result import RepeatedThreshold
from .simulate import SimulationResult, simulate_repeated
from .store_deposit import expected_compensation, min_store_deposit

__all__ = [
    "min_discount_factor",
    "min_penalty_multiplier",
    "grim_trigger",
    "continuation_value",
    "with_continuation_value",
    "simulate_repeated",
    "expected_compensation",
    "min_store_deposit",
    "simulate_depletion",
    "reputation",
    "reputation_multiplier",
    "posterior_honest",
    "RepeatedThreshold",
    "SimulationResult",
    "DepletionResult",
    "ReputationResult",
    "MultiplierComparison",
]
