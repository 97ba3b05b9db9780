r"""Self-operated: the platform is the only seller (the JD.com / Dangdang model of the seed).

A two-player game: the platform-as-seller (player ``seller``: Genuine, Counterfeit) against the buyer (Accept,
Verify). There is no third-party seller to audit, so there is no platform player, no deposit and no non-delivery;
the extended variant adds the buyer's Abstain and FalseClaim and the hunter type
(:mod:`gametheory.models.extended`).

The buyer pays the platform :math:`p`. A fake the buyer detects (probability :math:`q`) and claims successfully
(:math:`\alpha`) costs the platform the statutory compensation :math:`C`, a regulatory fine :math:`F` and a
public loss :math:`L_d`; a fake never established costs it the reputation loss :math:`L`. China's consumer
protection law (art. 55) pays the refund plus three times the price, at least 500 on top of the refund: the
defaults :math:`k = 4` and :math:`C_\min = 500`, so
:math:`C = k p + \max(0, C_\min - \max(k-1, 0) p)` (:func:`~gametheory.models._common.statutory_compensation`),
600 at a price of 100 (``k = 6`` in effect).

Payoffs, with :math:`E = \alpha q [\text{Verify}]`:

.. math::

    u_S &= p - c_g [\text{Genuine}] - [\text{Counterfeit}]\big(c_f + E (C + F + L_d) + (1 - E) L\big) \\
    u_B &= -p - e[\text{Verify}] + v[\text{Genuine}] + [\text{Counterfeit}](w + E\, C)

Metrics: the platform is the seller, so ``seller_profit`` and ``platform_profit`` are the same number (welfare
counts it once).

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("self_operated")
>>> m.players, m.shape
(('seller', 'buyer'), (2, 2))
>>> m.symbolic_payoffs()[0, 0, 0]
-c_g + p
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._common import delivery_rows, fraud_rows, statutory_compensation, sym
from .base import Model
from .events import Event, player_total
from .extended import buyer_types

__all__ = ["SelfOperated"]


class SelfOperated(Model):
    """The platform sells its own goods: a 2-player game of platform-as-seller against buyer.

    Examples
    --------
    >>> import gametheory as gt
    >>> gt.models.SelfOperated().penalty_multiplier
    4.0
    """

    name: ClassVar[str] = "self_operated"
    title: ClassVar[str] = "Self-operated platform (the platform is the seller)"
    PARAMETERS: ClassVar[tuple[str, ...]] = (
        "price", "value_genuine", "value_counterfeit", "cost_genuine", "cost_counterfeit", "verify_cost",
        "detection_prob", "claim_upheld", "fine", "reputation_loss", "penalty_multiplier", "min_compensation",
        "disclosure_loss")
    DEFAULTS: ClassVar[dict[str, Any]] = {"penalty_multiplier": 4, "min_compensation": 500}
    PLAYERS: ClassVar[tuple[str, ...]] = ("seller", "buyer")
    STRATEGIES: ClassVar[tuple[tuple[str, ...], ...]] = (("Genuine", "Counterfeit"), ("Accept", "Verify"))
    EXTENDED_PLAYERS: ClassVar[tuple[str, ...]] = ("seller", "buyer", "hunter")
    EXTENDED_STRATEGIES: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("Genuine", "Counterfeit"), ("Accept", "Verify", "Abstain", "FalseClaim"), ("Pass", "Hunt"))

    def events(self) -> list[Event]:
        """The event table of the self-operated platform (see the module docstring)."""
        p, comp = sym("price"), statutory_compensation()
        rows = []
        for t in buyer_types(self.variant):
            b = t.party
            rows += [
                Event("order: the buyer pays the platform", t.buys, {b: -p, "seller": p}, b),
                *delivery_rows(t),
            ]
            rows += fraud_rows(
                t,
                caught=None,
                established={b: comp, "seller": -comp - sym("fine") - sym("disclosure_loss"),
                             "outside": sym("fine")},
                undetected={"seller": -sym("reputation_loss")},
                false_upheld={b: comp, "seller": -comp - sym("disclosure_loss")},
                nondelivery=False,
            )
        return rows

    def metric_expressions(self) -> dict[str, Any]:
        """Default metrics, with ``platform_profit`` equal to the platform-as-seller's profit."""
        out = super().metric_expressions()
        shares = self.population_shares()
        rows = self.events()
        out["platform_profit"] = player_total(rows, "seller", shares)
        return out
