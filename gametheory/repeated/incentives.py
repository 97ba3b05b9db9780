r"""The stage-game incentives of a long-run player, as formulas taken from the model's own payoffs.

Repeated play needs four numbers per period, each read off the model's symbolic payoff tensor (the one source
of truth; nothing is retyped):

=================  ======================================================================================
``honest``         :math:`\pi_H`, the long-run player's payoff in a period in which it cooperates
``deviation``      :math:`\pi_C`, its payoff in the period in which it deviates (the others still cooperate)
``detection``      :math:`P`, the probability that the deviation is established (publicly known) that period
``punishment``     :math:`\pi_0`, its payoff in every period after an established deviation
=================  ======================================================================================

For a payment model (:func:`seller_incentives`) the long-run player is the seller, cooperating is Genuine and
deviating is Counterfeit. While it sells honestly the buyer verifies with probability :math:`\sigma_v`
(``verify_rate``) and the platform audits with probability :math:`\sigma_a` (``audit_rate``), so with
:math:`u_S(s, b, a)` the stage payoffs,

.. math::

    \pi_s = \sum_{b, a} \Pr(b)\Pr(a)\, u_S(s, b, a), \qquad
    P = -\frac{\partial \pi_C}{\partial W},

because the event table charges the delisting loss :math:`W` exactly when fraud is established. A delisted
seller earns its outside option, :math:`\pi_0 = 0`. For any normal-form game (:func:`game_incentives`: the
repeated prisoner's dilemma) the deviation is seen at once (:math:`P = 1`) and the punishment is a stage profile
played forever (Nash reversion).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .._frozen import FrozenResult
from ..errors import InvalidParameterError
from ..models.base import Model
from ..models.parameters import symbol

__all__ = ["Incentives", "seller_incentives", "buyer_payoffs", "game_incentives", "check_payment_model",
           "check_store_model", "expected_payoff"]

_CACHE: dict[tuple[Any, ...], Incentives] = {}
#: the monitoring while the seller sells honestly: opponent player -> the parameter giving its second strategy
MONITORING = {"buyer": "verify_rate", "platform": "audit_rate"}


@dataclass(frozen=True, eq=False)
class Incentives(FrozenResult):
    """The four stage quantities of a long-run player as formulas in the model's numeric parameters.

    Attributes
    ----------
    honest, deviation, detection, punishment : sympy.Expr
        :math:`\\pi_H`, :math:`\\pi_C`, :math:`P` and :math:`\\pi_0` (see the module docstring).
    arguments : tuple of str
        The model's numeric parameter names, the arguments of :meth:`evaluate`.

    Examples
    --------
    >>> import gametheory as gt
    >>> inc = seller_incentives(gt.models.get("direct"))
    >>> inc.honest
    -D*i_D - c_g - p*phi + p - pi
    """

    honest: sympy.Expr
    deviation: sympy.Expr
    detection: sympy.Expr
    punishment: sympy.Expr
    arguments: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]

    def evaluate(self, values: dict[str, Any], n: int) -> dict[str, np.ndarray]:
        """The four quantities at ``n`` points ``values`` (name -> float or length-``n`` array)."""
        out = _lambdified(self)(*[values[name] for name in self.arguments])
        return {key: np.broadcast_to(np.asarray(x, dtype=float), (n,))
                for key, x in zip(("honest", "deviation", "detection", "punishment"), out, strict=True)}


def _lambdified(inc: Incentives) -> Callable[..., Any]:
    cached: Callable[..., Any] | None = inc.__dict__.get("_function")
    if cached is None:
        cached = sympy.lambdify(list(inc.symbols), [inc.honest, inc.deviation, inc.detection, inc.punishment],
                                modules="numpy", cse=True)
        object.__setattr__(inc, "_function", cached)
    return cached


def check_payment_model(model: Any, func: str, *, needs: Sequence[str] = ()) -> Any:
    """``model`` if it is a core payment model with a seller who can be delisted (and the parameters ``needs``)."""
    if not isinstance(model, Model):
        raise InvalidParameterError(f"The 'model' parameter of {func} must be a payment model. Got {model!r} instead.")
    required = ("delisting_loss", "verify_rate", "audit_rate", "discount_factor", *needs)
    missing = [n for n in required if n not in model.parameter_names]
    if missing or model.variant != "core" or model.players[:3] != ("seller", "buyer", "platform"):
        raise InvalidParameterError(
            f"The 'model' parameter of {func} must be a core payment model with a seller who can be delisted "
            f"(parameters {', '.join(required)}). Got {model!r} instead."
        )
    return model


def check_store_model(model: Any, func: str) -> Any:
    """``model`` if it is a payment model (:func:`check_payment_model`) with a store deposit (``deposit``,
    ``store_orders``, ``penalty_multiplier``) from which it pays compensation (a ``penalty``: direct)."""
    model = check_payment_model(model, func, needs=("deposit", "store_orders", "penalty_multiplier"))
    if not hasattr(model, "penalty"):
        raise InvalidParameterError(f"The 'model' parameter of {func} must pay compensation from a deposit "
                                    f"(direct). Got {model!r} instead.")
    return model


def seller_incentives(model: Any) -> Incentives:
    """The seller's stage incentives under the honest-path monitoring (cached per model structure).

    Examples
    --------
    >>> import gametheory as gt
    >>> inc = seller_incentives(gt.models.get("direct"))
    >>> inc.detection          # 1 - (1 - r sigma_a)(1 - alpha q sigma_v)
    -alpha*q*r*sigma_a*sigma_v + alpha*q*sigma_v + r*sigma_a
    """
    check_payment_model(model, "seller_incentives")
    key = (type(model), model.variant, tuple(sorted(model.options.items())))
    if key not in _CACHE:
        table = model.symbolic_payoffs()
        mixes = [[1 - symbol(MONITORING[p]), symbol(MONITORING[p])] for p in model.players[1:]]
        honest = expected_payoff(table, 0, 0, mixes)
        deviation = expected_payoff(table, 0, 1, mixes)
        w = symbol("delisting_loss")
        detection = sympy.expand(-sympy.diff(deviation, w))
        if sympy.diff(detection, w) != 0 or sympy.diff(honest, w) != 0:
            raise InvalidParameterError(
                f"The delisting loss of {model.name} must be charged exactly when fraud is established (linear in W, "
                f"never on a genuine sale)."
            )
        _CACHE[key] = Incentives(honest, deviation, detection, sympy.Integer(0), *_arguments(model))
    return _CACHE[key]


def buyer_payoffs(model: Any) -> tuple[sympy.Expr, sympy.Expr]:
    """The buyer's expected payoff from an order of a Genuine and of a Counterfeit seller, under the monitoring.

    The buyer verifies with probability ``verify_rate`` and the platform audits with ``audit_rate``; not buying
    is worth 0 (the event table's payoffs are net of the price).

    Examples
    --------
    >>> import gametheory as gt
    >>> buyer_payoffs(gt.models.get("direct"))[0]
    -e*sigma_v - p + v
    """
    check_payment_model(model, "buyer_payoffs")
    table = model.symbolic_payoffs()
    sv, sa = (symbol(MONITORING[p]) for p in ("buyer", "platform"))
    verify, audit = [1 - sv, sv], [1 - sa, sa]
    out = []
    for s in (0, 1):
        total = sympy.Integer(0)
        for b, a in itertools.product(range(2), range(2)):
            total += verify[b] * audit[a] * table[(1, s, b, a)]
        out.append(sympy.expand(total))
    return out[0], out[1]


def game_incentives(model: Any, *, player: str, cooperate: Sequence[str], deviation: str,
                    punishment: Sequence[str]) -> Incentives:
    """A player's incentives in any normal-form model under grim trigger with perfect monitoring.

    ``cooperate`` and ``punishment`` are pure profiles (one strategy label per player); ``deviation`` is the
    player's own strategy in the period it deviates while the others keep to ``cooperate``.

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.models.from_table(["row", "col"], [["C", "D"], ["C", "D"]],   # a prisoner's dilemma in numbers
    ...                           [[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> inc = game_incentives(pd, player="col", cooperate=("C", "C"), deviation="D", punishment=("D", "D"))
    >>> inc.honest, inc.deviation, inc.punishment
    (3, 5, 1)
    """
    if not isinstance(model, Model):
        raise InvalidParameterError(f"The 'model' parameter of grim_trigger must be a model. Got {model!r} instead.")
    if player not in model.players:
        raise InvalidParameterError(
            f"The 'player' parameter of grim_trigger must be one of {list(model.players)}. Got {player!r} instead.")
    i = model.players.index(player)
    coop = _profile(model, cooperate, "cooperate")
    pun = _profile(model, punishment, "punishment")
    if deviation not in model.strategies[i] or deviation == cooperate[i]:
        raise InvalidParameterError(
            f"The 'deviation' parameter of grim_trigger must be a strategy of {player} other than {cooperate[i]!r} "
            f"(one of {list(model.strategies[i])}). Got {deviation!r} instead.")
    dev = list(coop)
    dev[i] = model.strategies[i].index(deviation)
    table = model.symbolic_payoffs()
    return Incentives(table[(i, *coop)], table[(i, *dev)], sympy.Integer(1), table[(i, *pun)], *_arguments(model))


def _arguments(model: Any) -> tuple[tuple[str, ...], tuple[sympy.Symbol, ...]]:
    names = tuple(model.numeric_names)
    return names, tuple(model.symbols[n] for n in names)


def _profile(model: Any, labels: Sequence[str], what: str) -> tuple[int, ...]:
    ok = (not isinstance(labels, str) and len(labels) == len(model.players)
          and all(s in strategies for s, strategies in zip(labels, model.strategies, strict=False)))
    if not ok:
        raise InvalidParameterError(
            f"The {what!r} parameter of grim_trigger must be one strategy per player "
            f"({', '.join(f'{p} in {list(s)}' for p, s in zip(model.players, model.strategies, strict=True))}). "
            f"Got {labels!r} instead.")
    return tuple(s.index(label) for label, s in zip(labels, model.strategies, strict=True))


def expected_payoff(table: Any, player: int, own: int, mixes: Sequence[Sequence[Any]]) -> sympy.Expr:
    """``player``'s payoff from pure strategy ``own`` when every other player ``j`` mixes with ``mixes[j']``
    (the opponents in player order): the multilinear extension of the payoff tensor.

    Examples
    --------
    >>> import sympy
    >>> y = sympy.Symbol("y")
    >>> expected_payoff(sympy.Array([[[1, 3], [0, 0]]]), 0, 0, [[1 - y, y]])
    2*y + 1
    """
    shape = table.shape[1:]
    others = [j for j in range(len(shape)) if j != player]
    total = sympy.Integer(0)
    for picks in itertools.product(*(range(shape[j]) for j in others)):
        weight = sympy.Integer(1)
        index = [0] * len(shape)
        index[player] = own
        for j, s, mix in zip(others, picks, mixes, strict=True):
            weight *= mix[s]
            index[j] = s
        total += weight * table[(player, *index)]
    return sympy.expand(total)
