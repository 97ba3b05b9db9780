r"""Cash on delivery: the buyer pays the courier at the door, after a look at the parcel.

Players and strategies: seller (Genuine, Counterfeit), buyer (Accept, Verify), platform (Lax, Audit). The
extended variant adds the buyer's Abstain and FalseClaim and the hunter type, but no NonDelivery: with nothing
delivered there is nothing to pay for (:mod:`gametheory.models.extended`).

At the door a fake is spotted with probability :math:`q_0` and refused (the fake is lost, the seller pays the
return shipping :math:`s_r` and the cash-handling cost :math:`h`); any item, genuine or not, is also refused with
probability :math:`\rho` (the item comes back and is resold: the seller loses :math:`s_r + h`). Accepted items
are paid in cash, which costs the seller :math:`h` and the capital cost :math:`\delta p` of slow settlement.
The platform never holds money, so fraud found later can only be pursued outside the platform: a verifying
buyer's claim succeeds with probability :math:`\alpha_\text{out}` and recovers :math:`k p` from the seller
(default :math:`k = 1`). An audit that catches a fake fines the seller :math:`F` (share :math:`s` to the
platform) and saves the platform's reputation loss :math:`L`.

Payoffs, with :math:`R_f = (1-q_0)(1-\rho)` (a fake is accepted), :math:`A = r[\text{Audit}]`,
:math:`E = \alpha_\text{out} q [\text{Verify}]`:

.. math::

    u_S &= [\text{Genuine}]\big((1-\rho)(p(1-\phi) - c_g - h - \delta p) - \rho(s_r + h)\big) \\
        &\quad + [\text{Counterfeit}]\big(R_f (p(1-\phi) - c_f - h - \delta p) - q_0 (c_f + s_r + h)
           - (1-q_0)\rho (s_r + h) - R_f (A (F + W) + (1-A) E (k p + W))\big) \\
    u_B &= [\text{Genuine}](1-\rho)(v - p - e[\text{Verify}])
           + [\text{Counterfeit}] R_f \big(w - p - e[\text{Verify}] + (1-A) E\, k p\big) \\
    u_P &= -a[\text{Audit}] + \phi p \big([\text{Genuine}](1-\rho) + [\text{Counterfeit}] R_f\big)
           + [\text{Counterfeit}] R_f \big(A s F - (1-A)(1-E) L\big)

Metrics: a fake refused at the door never reaches the buyer, so ``counterfeit_rate`` (fakes that reach a buyer,
the definition every model uses) is :math:`[\text{Counterfeit}] R_f` per order; ``fakes_shipped`` counts every
fake sent out and ``fakes_refused`` the :math:`1 - R_f` of them refused at the door.

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("cash_on_delivery")
>>> float(m.game().payoffs[1, 0, 0, 0])   # buyer: Genuine, Accept, Lax = 0.95 * 30
28.5
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._common import COMMON_PARAMETERS, REPEATED_PARAMETERS, audit_row, fraud_rows, sym, with_fine
from .base import Model
from .events import Event, indicator
from .extended import buyer_types

__all__ = ["CashOnDelivery"]


class CashOnDelivery(Model):
    """Cash on delivery: door inspection, refusals, cash handling, recovery only outside the platform.

    Examples
    --------
    >>> CashOnDelivery().outcomes([0, 0, 0])["funds_held"]   # cash changes hands at the door
    0.0
    """

    name: ClassVar[str] = "cash_on_delivery"
    title: ClassVar[str] = "Cash on delivery"
    PARAMETERS: ClassVar[tuple[str, ...]] = (
        *(n for n in COMMON_PARAMETERS if n != "claim_upheld"),
        "door_detection", "return_cost", "cod_fee", "refusal_rate", "outside_recovery", "settlement_delay_cost",
        *REPEATED_PARAMETERS)
    DEFAULTS: ClassVar[dict[str, Any]] = {"penalty_multiplier": 1}
    EXTENDED_STRATEGIES: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("Genuine", "Counterfeit"), ("Accept", "Verify", "Abstain", "FalseClaim"), ("Lax", "Audit"),
        ("Pass", "Hunt"))

    def events(self) -> list[Event]:
        """The event table of cash on delivery (see the module docstring)."""
        p, phi, k = sym("price"), sym("commission"), sym("penalty_multiplier")
        q0, rho, h = sym("door_detection"), sym("refusal_rate"), sym("cod_fee")
        back = sym("return_cost") + h
        w_loss = sym("delisting_loss")
        g, c = indicator("Genuine"), indicator("Counterfeit")
        paid = p * (1 - phi) - h - sym("settlement_delay_cost") * p
        accepted_fake = (1 - q0) * (1 - rho)
        rows = [audit_row()]
        for t in buyer_types(self.variant):
            b = t.party
            recovered = {b: k * p, "seller": -k * p - w_loss}
            rows += [
                Event("genuine refused at the door", t.buys * g * rho, {"seller": -back}, b),
                Event("genuine accepted and paid in cash", t.buys * g * (1 - rho),
                      {b: t.value_genuine - p, "seller": paid - sym("cost_genuine"), "platform": phi * p}, b),
                Event("fake spotted at the door and refused", t.buys * c * q0,
                      {"seller": -sym("cost_counterfeit") - back}, b),
                Event("fake refused at the door for other reasons", t.buys * c * (1 - q0) * rho,
                      {"seller": -back}, b),
                Event("fake accepted and paid in cash", t.buys * c * accepted_fake,
                      {b: t.value_fake - p, "seller": paid - sym("cost_counterfeit"), "platform": phi * p}, b),
                Event("buyer inspects and claims after accepting",
                      t.buys * (t.verifies + t.false_claims) * (g * (1 - rho) + c * accepted_fake),
                      {b: -t.cost}, b),
            ]
            rows += fraud_rows(
                t,
                caught=with_fine({"seller": -w_loss}),
                established=recovered,
                undetected={"platform": -sym("reputation_loss")},
                false_upheld=recovered,
                claim_upheld=sym("outside_recovery"),
                reach=accepted_fake,
                reach_genuine=1 - rho,
                nondelivery=False,
            )
        return rows

    def metric_expressions(self) -> dict[str, Any]:
        """Default metrics, with ``counterfeit_rate`` the fakes accepted at the door and ``fakes_refused`` the rest.

        Examples
        --------
        >>> import gametheory as gt
        >>> out = gt.models.CashOnDelivery().outcomes([1, 0, 0])
        >>> out["fakes_shipped"], round(out["fakes_refused"], 3), round(out["counterfeit_rate"], 3)
        (1.0, 0.335, 0.665)
        """
        out = super().metric_expressions()
        accepted = (1 - sym("door_detection")) * (1 - sym("refusal_rate"))
        out["counterfeit_rate"] = out["fakes_shipped"] * accepted
        out["fakes_refused"] = out["fakes_shipped"] * (1 - accepted)
        return out
