"""Rows shared by the payment models: what happens to a fake, a non-delivery and a false claim.

Every model with a platform treats fraud the same way and differs only in who pays what; the amounts are passed
in. For buyer type ``t`` (see :mod:`gametheory.models.extended`), with an audit catching a fake with
probability :math:`r[\\text{Audit}]` and the buyer's claim on a fake upheld with probability
:math:`\\alpha q [\\text{Verify}] + \\beta [\\text{FalseClaim}]`,

.. math::

    P_\\text{est} = 1 - (1 - r[\\text{Audit}])\\,(1 - \\alpha q [\\text{Verify}] - \\beta [\\text{FalseClaim}]),

the probability that fraud is established (MODELS.md's formula, plus false claims).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._lazy import sympy
from .events import Event, indicator
from .extended import BuyerType
from .parameters import VOCABULARY

__all__ = ["sym", "fraud_rows", "COMMON_PARAMETERS", "REPEATED_PARAMETERS", "audit_row", "delivery_rows",
           "statutory_compensation", "with_fine"]

#: parameters of every model with a third-party seller and a platform
COMMON_PARAMETERS = (
    "price", "value_genuine", "value_counterfeit", "cost_genuine", "cost_counterfeit", "commission",
    "verify_cost", "detection_prob", "claim_upheld", "audit_cost", "audit_detection", "fine",
    "fine_to_platform", "reputation_loss", "delisting_loss", "penalty_multiplier",
)
#: parameters of repeated play (:mod:`gametheory.repeated`): absent from the stage payoffs, they describe the
#: seller's future (discount factor) and the monitoring while it sells honestly (verify and audit rates)
REPEATED_PARAMETERS = ("discount_factor", "verify_rate", "audit_rate")


def sym(name: str) -> sympy.Symbol:
    """The symbol of a vocabulary parameter (shorthand used by the model modules).

    Examples
    --------
    >>> sym("price"), sym("penalty_multiplier")
    (p, k)
    """
    return VOCABULARY[name].symbol


def statutory_compensation() -> Any:
    r"""What an established fraud pays the buyer when the law sets a minimum: the refund plus the punitive part
    :math:`(k-1)p`, raised to the statutory minimum :math:`C_\min` when it falls short,

    .. math::

        C = k p + \max\big(0,\; C_\min - \max(k - 1, 0)\, p\big),

    so :math:`C = \max(k p, p + C_\min)` for :math:`k \ge 1`, and :math:`C = k p` when :math:`C_\min = 0`.
    China's consumer protection law (art. 55) adds three times the price with a minimum of 500 (``k = 4``,
    ``min_compensation = 500``); its food safety law (art. 148) ten times with a minimum of 1,000 (``k = 11``,
    ``min_compensation = 1000``). At a price of 100 the consumer law pays 100 + 500 = 600, ``k = 6`` in effect.

    Examples
    --------
    >>> statutory_compensation().subs({sym("price"): 100, sym("penalty_multiplier"): 4, sym("min_compensation"): 500})
    600
    """
    p, k = sym("price"), sym("penalty_multiplier")
    return k * p + sympy.Max(0, sym("min_compensation") - sympy.Max(k - 1, 0) * p)


def audit_row() -> Event:
    """The platform pays the audit cost :math:`a` when it audits.

    Examples
    --------
    >>> audit_row()
    Event(label='platform audits', prob=[Audit], amounts={'platform': -a}, population=None)
    """
    return Event("platform audits", indicator("Audit"), {"platform": -sym("audit_cost")})


def with_fine(amounts: Mapping[str, Any], fine: Any = None) -> dict[str, Any]:
    """``amounts`` plus the fine of an audit that catches a fake: the seller pays :math:`F`, the platform keeps
    the share :math:`s` and the rest goes outside (the regulator); ``fine`` defaults to :math:`F`.

    Examples
    --------
    >>> with_fine({"buyer": sym("price"), "seller": -sym("price")})
    {'buyer': p, 'seller': -F - p, 'platform': F*s, 'outside': F*(1 - s)}
    """
    fine = sym("fine") if fine is None else fine
    share = sym("fine_to_platform")
    out = dict(amounts)
    for party, amount in (("seller", -fine), ("platform", share * fine), ("outside", (1 - share) * fine)):
        out[party] = out.get(party, 0) + amount
    return out


def delivery_rows(t: BuyerType) -> list[Event]:
    """Rows for buyer type ``t`` once the item is in hand: the claim cost, then a genuine item and a fake received.

    Examples
    --------
    >>> from gametheory.models.extended import buyer_types
    >>> [row.label for row in delivery_rows(buyer_types("core")[0])]
    ['buyer inspects and claims', 'genuine item delivered', 'fake delivered']
    """
    b = t.party
    return [
        Event("buyer inspects and claims", t.buys * (t.verifies + t.false_claims), {b: -t.cost}, b),
        Event("genuine item delivered", t.buys * indicator("Genuine"),
              {b: t.value_genuine, "seller": -sym("cost_genuine")}, b),
        Event("fake delivered", t.buys * indicator("Counterfeit"),
              {b: t.value_fake, "seller": -sym("cost_counterfeit")}, b),
    ]


def fraud_rows(
    t: BuyerType,
    *,
    caught: Mapping[str, Any] | None,
    established: Mapping[str, Any],
    undetected: Mapping[str, Any],
    false_upheld: Mapping[str, Any],
    claim_upheld: Any = None,
    reach: Any = 1,
    reach_genuine: Any = 1,
    nondelivery: bool = True,
) -> list[Event]:
    """Rows for a fake (and a non-delivery) sent to buyer type ``t`` and for a false claim on a genuine item.

    Parameters
    ----------
    t : BuyerType
        The buyer type (its party name is the population of the rows).
    caught, established, undetected : dict
        Amounts when an audit catches the fake (``None``: no audit in this model), when the buyer's claim
        establishes it, and when it is never established.
    false_upheld : dict
        Amounts when a false claim against a genuine item is upheld.
    claim_upheld : sympy expression, optional
        Probability a valid claim is upheld (default ``alpha``; cash on delivery uses ``alpha_out``).
    reach, reach_genuine : sympy expression
        Probability a fake (a genuine item) reaches the buyer's hands (cash on delivery: not refused at the door).
    nondelivery : bool
        Include the NonDelivery rows (extended variant; every paying buyer claims, upheld with ``claim_upheld``).

    Examples
    --------
    >>> from gametheory.models.extended import buyer_types
    >>> rows = fraud_rows(buyer_types("core")[0], caught=None, established={}, undetected={}, false_upheld={})
    >>> len(rows), rows[0].label
    (5, 'fake, established by the buyer claim')
    """
    alpha = sym("claim_upheld") if claim_upheld is None else claim_upheld
    beta = sym("false_claim_upheld")
    audit = sym("audit_detection") * indicator("Audit") if caught is not None else sympy.Integer(0)
    g, c, n = indicator("Genuine"), indicator("Counterfeit"), indicator("NonDelivery")
    claim = alpha * t.detect * t.verifies + beta * t.false_claims
    fake = t.buys * c * reach
    rows = []
    if caught is not None:
        rows.append(Event("fake, caught by an audit", fake * audit, caught, t.party))
    rows.append(Event("fake, established by the buyer claim", fake * (1 - audit) * claim, established, t.party))
    rows.append(Event("fake, never established", fake * (1 - audit) * (1 - claim), undetected, t.party))
    rows.append(Event("genuine, false claim upheld", t.buys * g * reach_genuine * beta * t.false_claims,
                      false_upheld, t.party))
    if nondelivery:
        nd = t.buys * n
        if caught is not None:
            rows.append(Event("nothing delivered, caught by an audit", nd * audit, caught, t.party))
        rows.append(Event("nothing delivered, claim upheld", nd * (1 - audit) * alpha, established, t.party))
        rows.append(Event("nothing delivered, claim rejected", nd * (1 - audit) * (1 - alpha), undetected,
                          t.party))
    return rows
