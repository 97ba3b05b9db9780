r"""The extended variant: non-delivery, abstaining, false claims and professional counterfeit hunters.

Every model's event table is written once for both variants; the core game is the extended one with the extra
strategies removed (their indicators are 0). The extended variant adds:

* seller **NonDelivery**: ships nothing (cost 0). Non-delivery is obvious, so every buyer who paid claims
  (no inspection needed) and the claim is upheld with probability :math:`\alpha`; an audit catches it with
  probability :math:`r`. Impossible under cash on delivery (nothing to pay for) and for a self-operated
  platform, which then keep two seller strategies.
* buyer **Abstain**: no order; the buyer gets 0 and no sale happens.
* buyer **FalseClaim**: claims whatever arrives, without inspecting and without evidence, at the claim cost
  :math:`e`; the claim is upheld with probability :math:`\beta` (``false_claim_upheld``) against a genuine item
  *and* against a fake (there is no evidence either way), and an upheld claim is paid as an established fraud.
  This is the extortion a large multiplier invites.
* **professional hunters**, a share :math:`\theta` (``hunter_share``) of buyers, modelled as a *type* in
  **agent form** (Selten 1975): the hunter type is a fourth player ``hunter`` with strategies ``Pass`` (no
  order) and ``Hunt`` (order, always verify at cost :math:`e_h`, detect a fake with probability :math:`q_h`,
  claim). It values a genuine item at its resale value :math:`R` and a fake at 0. Each buyer type's payoff is its
  payoff conditional on being that type; the seller's, platform's and insurer's results weight the regular
  buyer's rows by :math:`1-\theta` and the hunter's by :math:`\theta`. Agent form keeps the game small
  (hunter: 2 strategies) where the Harsanyi form would give the buyer 4 x 2 = 8 composite strategies; both have
  the same equilibria, because the two types' choices do not interact in anyone's payoff except additively.

With :math:`\theta = 0` hunters do not affect anyone else, and the extended game's equilibria restricted to the
core strategies are the core equilibria whenever the extra strategies are dominated (tests show it).

References
----------
R. Selten, "Reexamination of the perfectness concept for equilibrium points in extensive games",
International Journal of Game Theory 4 (1975), 25-55 (the agent normal form).
J. C. Harsanyi, "Games with incomplete information played by 'Bayesian' players, I-III", Management Science
14 (1967-68), 159-182, 320-334, 486-502.

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("direct", variant="extended")
>>> m.players, m.shape
(('seller', 'buyer', 'platform', 'hunter'), (3, 4, 2, 2))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._lazy import sympy
from .events import indicator
from .parameters import VOCABULARY

__all__ = ["BuyerType", "buyer_types", "order_share"]


def _s(name: str) -> sympy.Symbol:
    return VOCABULARY[name].symbol


@dataclass(frozen=True)
class BuyerType:
    """How one buyer type (regular buyer or hunter) acts, as formulas in its strategy indicators.

    Attributes
    ----------
    party : str
        ``"buyer"`` or ``"hunter"``; also the population name of its rows.
    buys, verifies, false_claims : sympy expressions
        Indicators: it orders; it inspects and claims on detected fakes; it claims without evidence.
    detect : sympy expression
        Probability it detects a fake when it verifies (``q`` or ``q_h``).
    cost : sympy expression
        Its cost of inspecting and claiming (``e`` or ``e_h``), paid when it verifies or claims falsely.
    value_genuine, value_fake : sympy expressions
        Its value of a genuine item and of a fake.

    Examples
    --------
    >>> regular = buyer_types("core")[0]
    >>> regular.buys, regular.cost
    (1 - [Abstain], e)
    """

    party: str
    buys: Any
    verifies: Any
    false_claims: Any
    detect: Any
    cost: Any
    value_genuine: Any
    value_fake: Any


def buyer_types(variant: str) -> list[BuyerType]:
    """The buyer types of a variant: the regular buyer, and the hunter when extended.

    Examples
    --------
    >>> [t.party for t in buyer_types("extended")]
    ['buyer', 'hunter']
    """
    verify, false_claim = indicator("Verify"), indicator("FalseClaim")
    types = [
        BuyerType("buyer", 1 - indicator("Abstain"), verify, false_claim, _s("detection_prob"),
                  _s("verify_cost"), _s("value_genuine"), _s("value_counterfeit"))
    ]
    if variant == "extended":
        hunt = indicator("Hunt")
        types.append(BuyerType("hunter", hunt, hunt, sympy.Integer(0), _s("hunter_detection"),
                               _s("hunter_verify_cost"), _s("resale_value"), sympy.Integer(0)))
    return types


def order_share(shares: Mapping[str, Any]) -> Any:
    r"""Probability that an order is placed: :math:`(1-\theta)(1-[\text{Abstain}]) + \theta [\text{Hunt}]`.

    Examples
    --------
    >>> order_share({"buyer": 1})
    1 - [Abstain]
    """
    total = shares["buyer"] * (1 - indicator("Abstain"))
    if "hunter" in shares:
        total += shares["hunter"] * indicator("Hunt")
    return total
