r"""Direct (peer-to-peer) payment with a seller deposit, a punitive multiplier, insurance, audits and fines.

The buyer pays the seller directly; the platform only takes its commission. The seller has posted a deposit
:math:`D` with the platform, which costs it :math:`i_D D` per order in capital tied up
(``deposit_capital_cost``; escrow's counterpart is the seller's :math:`\delta p` of waiting for its money).
When fraud is established the buyer receives :math:`k p` from the deposit, capped
by what it holds (the seed: "defrauded of 100 yuan, 200 may be deducted from the deposit", so :math:`k = 2`),
plus the insurer's payment; an audit that catches the fake also fines the seller :math:`F` out of what the
deposit still holds, of which the platform keeps the share :math:`s`.

Players and strategies: seller (Genuine, Counterfeit), buyer (Accept, Verify), platform (Lax, Audit); the
extended variant adds NonDelivery, Abstain, FalseClaim and the hunter type (:mod:`gametheory.models.extended`).

Payoffs. Write :math:`P = \min(k p, D)` (the penalty the deposit can pay), the insurer's payment
:math:`I = m p` (``top_up``), :math:`I = \min(m p, \max(k p - D, 0))` (``shortfall``) or :math:`0`
(``none``), the fine actually collected :math:`F' = \min(F, D - P)`, :math:`A = r[\text{Audit}]` and
:math:`E = \alpha q [\text{Verify}]`. With the premium :math:`\pi` paid by the seller (the default):

.. math::

    u_S &= p(1-\phi) - \pi - i_D D - c_g [\text{Genuine}] - [\text{Counterfeit}]\big(c_f + A (P + F' + W)
           + (1 - A) E (P + W)\big) \\
    u_B &= -p - e[\text{Verify}] + v [\text{Genuine}] + [\text{Counterfeit}]\big(w + P_\text{est} (P + I)\big),
           \qquad P_\text{est} = 1 - (1 - A)(1 - E) \\
    u_P &= \phi p - a [\text{Audit}] + [\text{Counterfeit}]\big(A s F' - (1 - A)(1 - E) L\big)

The insurer gets :math:`\pi - P_\text{est} I` on a fake and :math:`\pi` otherwise; the regulator gets
:math:`(1-s)F'` when an audit catches a fake. The deposit caps the real penalty: once :math:`k p \ge D`, raising
:math:`k` changes nothing for the seller (only the ``shortfall`` insurer keeps paying the buyer more).

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("direct")
>>> g = m.game()
>>> round(float(g.payoffs[1, 1, 1, 0]), 6)    # buyer: Counterfeit, Verify, Lax: 0.72 (200 + 50) - 85
95.0
"""

from __future__ import annotations

from typing import Any, ClassVar

from .._lazy import sympy
from ._common import COMMON_PARAMETERS, REPEATED_PARAMETERS, audit_row, delivery_rows, fraud_rows, sym, with_fine
from .base import Model
from .events import Event
from .extended import buyer_types

__all__ = ["Direct"]


class Direct(Model):
    """Direct payment: deposit :math:`D`, penalty :math:`\\min(k p, D)` to the buyer, insurance, audit and fine.

    The interface is :class:`~gametheory.models.base.Model`'s.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.Direct(penalty_multiplier=2, deposit=1000)
    >>> eqs = gt.solve(m.game())
    >>> len(eqs) >= 1 and max(e.regret for e in eqs) <= 1e-9
    True
    """

    name: ClassVar[str] = "direct"
    title: ClassVar[str] = "Direct (peer-to-peer) payment with deposit, multiplier and insurance"
    PARAMETERS: ClassVar[tuple[str, ...]] = (
        *COMMON_PARAMETERS, "deposit", "deposit_capital_cost", "insurance", "insurance_cover", "premium",
        "premium_payer", *REPEATED_PARAMETERS, "store_orders")
    POLICY_PARAMETERS: ClassVar[dict[str, float | None]] = {
        **Model.POLICY_PARAMETERS, "deposit": None, "insurance_cover": None}
    #: the deposit caps the compensation: the seller pays min(k p, D)
    CAPS: ClassVar[dict[str, tuple[str, str]]] = {"deposit": ("penalty_multiplier", "penalty_multiplier * price")}

    def penalty(self) -> Any:
        """The penalty the deposit pays: :math:`\\min(k p, D)`."""
        return sympy.Min(sym("penalty_multiplier") * sym("price"), sym("deposit"))

    def insurance_payment(self) -> Any:
        """What the insurer pays the buyer on an established fraud, by the ``insurance`` option."""
        p, k, m, d = sym("price"), sym("penalty_multiplier"), sym("insurance_cover"), sym("deposit")
        return {
            "none": sympy.Integer(0),
            "top_up": m * p,
            "shortfall": sympy.Min(m * p, sympy.Max(k * p - d, 0)),
        }[self._params["insurance"]]

    def events(self) -> list[Event]:
        """The event table of direct payment (see the module docstring)."""
        p, phi = sym("price"), sym("commission")
        pen, ins = self.penalty(), self.insurance_payment()
        fine = sympy.Min(sym("fine"), sym("deposit") - pen)  # the deposit left after the penalty
        w_loss = sym("delisting_loss")
        rows = [audit_row()]
        for t in buyer_types(self.variant):
            b = t.party
            payer = b if self._params["premium_payer"] == "buyer" else self._params["premium_payer"]
            established = {b: pen + ins, "seller": -pen - w_loss, "insurer": -ins}
            rows += [
                Event("order: the buyer pays the seller", t.buys, {b: -p, "seller": p * (1 - phi), "platform": phi * p},
                      b),
                Event("insurance premium", t.buys, {payer: -sym("premium"), "insurer": sym("premium")}, b),
                Event("capital cost of the deposit", t.buys, {"seller": -sym("deposit_capital_cost") * sym("deposit")},
                      b),
                *delivery_rows(t),
            ]
            rows += fraud_rows(
                t,
                caught=with_fine(established, fine),
                established=established,
                undetected={"platform": -sym("reputation_loss")},
                false_upheld=established,
            )
        return rows

    def metric_expressions(self) -> dict[str, Any]:
        """Default metrics, plus ``deposit_held`` = :math:`D`."""
        out = super().metric_expressions()
        out["deposit_held"] = sym("deposit")
        return out
