r"""Escrow: the buyer pays into the platform's account and the seller is paid when the buyer confirms.

Players and strategies: seller (Genuine, Counterfeit), buyer (Accept, Verify), platform (Lax, Audit); the
extended variant adds NonDelivery, Abstain, FalseClaim and the hunter type (:mod:`gametheory.models.extended`).

The platform holds the price :math:`p` for every order, at a cost :math:`\kappa` per order (holding funds, its
payment licence), and the seller bears the capital cost :math:`\delta p` of waiting. A fake whose fraud is
established is refunded from escrow, so the seller is never paid, and the buyer gets the excess
:math:`(k-1)p` of the multiplier from the seller (a "fake one, pay three" pledge; ``penalty_multiplier >= 1``,
default 1: refund only). An audit that catches a fake also fines the seller :math:`F` (share :math:`s` to the
platform).

Payoffs, with :math:`A = r[\text{Audit}]`, :math:`E = \alpha q [\text{Verify}]` and
:math:`P_\text{est} = 1 - (1-A)(1-E)`:

.. math::

    u_S &= [\text{Genuine}]\big(p(1-\phi) - \delta p - c_g\big) + [\text{Counterfeit}]\big(
           (1 - P_\text{est})(p(1-\phi) - \delta p) - c_f - P_\text{est}((k-1)p + W) - A F\big) \\
    u_B &= -p - e[\text{Verify}] + v[\text{Genuine}] + [\text{Counterfeit}]\big(w + P_\text{est}\, k p\big) \\
    u_P &= -\kappa - a[\text{Audit}] + [\text{Genuine}]\phi p + [\text{Counterfeit}]\big(
           (1 - P_\text{est})(\phi p - L) + A s F\big)

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("escrow")
>>> round(float(m.game().payoffs[0, 1, 1, 0]), 4)   # seller: Counterfeit, Verify, Lax: 0.28 (95 - 1) - 20
6.32
"""

from __future__ import annotations

from typing import Any, ClassVar

from .._validation import Interval
from ._common import COMMON_PARAMETERS, REPEATED_PARAMETERS, audit_row, delivery_rows, fraud_rows, sym, with_fine
from .base import Model
from .events import Event, indicator
from .extended import buyer_types, order_share

__all__ = ["Escrow"]


class Escrow(Model):
    """Escrow (a third-party account): refund from escrow, excess penalty from the seller, audit and fine.

    Examples
    --------
    >>> import gametheory as gt
    >>> gt.models.Escrow(price=80).outcomes([0, 0, 0])["funds_held"]   # the whole price waits in escrow
    80.0
    """

    name: ClassVar[str] = "escrow"
    title: ClassVar[str] = "Escrow (third-party account)"
    PARAMETERS: ClassVar[tuple[str, ...]] = (*COMMON_PARAMETERS, "escrow_cost", "settlement_delay_cost",
                                             *REPEATED_PARAMETERS)
    DEFAULTS: ClassVar[dict[str, Any]] = {"penalty_multiplier": 1}
    DOMAINS: ClassVar[dict[str, Any]] = {"penalty_multiplier": Interval(float, 1, None)}

    def events(self) -> list[Event]:
        """The event table of escrow (see the module docstring)."""
        p, phi, k = sym("price"), sym("commission"), sym("penalty_multiplier")
        w_loss = sym("delisting_loss")
        released = {"seller": p * (1 - phi) - sym("settlement_delay_cost") * p, "platform": phi * p}
        rows = [audit_row()]
        for t in buyer_types(self.variant):
            b = t.party
            refund = {b: k * p, "seller": -(k - 1) * p - w_loss}
            inspects, genuine, fake = delivery_rows(t)
            rows += [
                Event("order: the buyer pays into escrow", t.buys, {b: -p, "platform": -sym("escrow_cost")}, b),
                inspects,
                genuine,
                Event("genuine, funds released to the seller",
                      t.buys * indicator("Genuine") * (1 - sym("false_claim_upheld") * t.false_claims), released, b),
                fake,
            ]
            rows += fraud_rows(
                t,
                caught=with_fine(refund),
                established=refund,
                undetected={"seller": released["seller"], "platform": released["platform"] - sym("reputation_loss")},
                false_upheld=refund,
            )
        return rows

    def metric_expressions(self) -> dict[str, Any]:
        """Default metrics, with ``funds_held`` = :math:`p` per order (the buyer's money in escrow)."""
        out = super().metric_expressions()
        out["funds_held"] = sym("price") * order_share(self.population_shares())
        return out
