"""Section "escrow": what does escrow cost, and what does the deposit cost?

Every model against the detection probability (worst-case counterfeit rate and welfare, documented defaults). Then,
on equal policy (:func:`~gametheory.reports.sections.models.equal_policy`), escrow's welfare and platform profit
against its cost of holding funds beside direct payment's welfare, and direct payment's welfare against the
capital cost of the seller's deposit beside escrow's: escrow is charged for holding the buyer's money, direct
payment for tying up the seller's.

Tables: ``models_detection``, ``models_welfare`` (one row per model and detection probability), ``escrow_cost``
(one row per cost of holding funds, with direct payment's welfare as ``direct_welfare_min``) and
``capital_cost`` (one row per capital cost rate of the deposit, with escrow's welfare as ``escrow_welfare_min``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, pct, sweep
from .models import equal_policy

__all__ = ["SECTION"]

#: the largest cost of holding funds swept (currency per order)
KAPPA_MAX = 10.0
#: the largest capital cost of the deposit swept (share of the deposit per order)
CAPITAL_MAX = 0.01


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """One sweep of every model over q; on equal policy, escrow over kappa and direct over the deposit's cost."""
    by_q = sweep(list(context.models.values()), {"detection_prob": {"linspace": [0.0, 1.0, context.resolution]}})
    by_q = by_q.sort_values(["model", "detection_prob"], kind="stable").reset_index(drop=True)
    same = equal_policy(context.models)
    escrow, direct = same["escrow"], same["direct"]
    kappa = sweep(escrow, {"escrow_cost": {"linspace": [0.0, KAPPA_MAX, context.resolution]}})
    direct_welfare = float(sweep(direct, {})["welfare_min"].iloc[0])
    escrow_welfare = float(sweep(escrow, {})["welfare_min"].iloc[0])
    cost = kappa[["model", "escrow_cost", "welfare_min", "platform_profit_min", "regime"]].assign(
        direct_welfare_min=direct_welfare)
    capital = sweep(direct, {"deposit_capital_cost": {"linspace": [0.0, CAPITAL_MAX, context.resolution]}})
    capital = capital[["model", "deposit_capital_cost", "welfare_min", "regime", "deposit"]].assign(
        escrow_welfare_min=escrow_welfare, documented_default=float(direct.deposit_capital_cost))
    return {"models_detection": by_q[["model", "detection_prob", "counterfeit_rate_max", "regime"]],
            "models_welfare": by_q[["model", "detection_prob", "welfare_min", "regime"]],
            "escrow_cost": cost.reset_index(drop=True), "capital_cost": capital.reset_index(drop=True)}


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """The mean rate per model over q, and up to which cost escrow's welfare matches direct payment's."""
    part, kappa = tables["models_detection"], tables["escrow_cost"]
    mean_rate = part.groupby("model")["counterfeit_rate_max"].mean()
    out = [Claim("Averaged over detection probabilities, the worst-case counterfeit rate is "
                 + ", ".join(f"{m} {pct(v)}" for m, v in mean_rate.sort_values().items()) + ".",
                 ("models_detection",))]
    direct = float(kappa["direct_welfare_min"].iloc[0])
    esc = kappa["welfare_min"].to_numpy(dtype=float)
    above = kappa["escrow_cost"].to_numpy(dtype=float)[esc >= direct - 1e-9]
    top = float(kappa["escrow_cost"].max())
    if len(above) == len(esc):
        text = (f"On equal policy, escrow's welfare stays at or above direct payment's ({direct:.4g}) for every cost "
                f"of holding funds up to {top:g}.")
    elif len(above):
        text = (f"On equal policy, escrow matches direct payment's welfare ({direct:.4g}) only while its cost of "
                f"holding funds is at most **{above.max():.3g}** per order (on the grid); beyond that direct payment "
                "does better without holding the buyer's money.")
    else:
        text = (f"On equal policy, at every cost of holding funds from 0 to {top:g}, escrow's welfare stays below "
                f"direct payment's ({direct:.4g}).")
    out.append(Claim(text, ("escrow_cost",)))
    out.append(Claim(_break_even(tables["capital_cost"]), ("capital_cost",)))
    return out


def _break_even(capital: pd.DataFrame) -> str:
    """Where direct payment's welfare, falling with the deposit's capital cost, meets escrow's (interpolated)."""
    rates = capital["deposit_capital_cost"].to_numpy(dtype=float)
    gap = capital["welfare_min"].to_numpy(dtype=float) - float(capital["escrow_welfare_min"].iloc[0])
    default = float(capital["documented_default"].iloc[0])
    deposit = float(capital["deposit"].iloc[0])
    head = (f"On equal policy with a deposit of {deposit:,.0f}, direct payment's welfare at a capital cost of the "
            f"deposit of 0 exceeds escrow's by {gap[0]:.3g}" if gap[0] > 0 else
            f"On equal policy with a deposit of {deposit:,.0f}, direct payment's welfare is below escrow's even at a "
            "capital cost of the deposit of 0")
    cross = np.flatnonzero((gap[:-1] > 0) & (gap[1:] <= 0))
    if gap[0] <= 0:
        return head + "."
    if not len(cross):
        return head + f" and stays above it for every capital cost up to {100 * rates[-1]:.3g}% of the deposit."
    i = int(cross[0])
    at = rates[i] + (rates[i + 1] - rates[i]) * gap[i] / (gap[i] - gap[i + 1])
    side = "below" if default < at else "above"
    return head + (f"; a capital cost of **{100 * at:.3g}%** of the deposit per order closes the gap (the "
                   f"documented default, {100 * default:.3g}%, is {side} it).")


def draw(data: SectionData, context: Context) -> list[Any]:
    """Rate and welfare against q per model; escrow's welfare and platform profit against kappa."""
    t = data.tables
    rate = line_figure(t["models_detection"], "detection_prob", ["counterfeit_rate_max"], name="models_detection",
                       hover=["regime"], title="Worst-case counterfeit rate against detection probability",
                       caption="One line per payment model, each on its documented defaults; the rate counts the "
                               "fakes that reach a buyer.")
    welfare = line_figure(t["models_welfare"], "detection_prob", ["welfare_min"], name="models_welfare",
                          hover=["regime"], title="Welfare (worst equilibrium) against detection probability",
                          caption="One line per payment model, each on its documented defaults.")
    direct = float(t["escrow_cost"]["direct_welfare_min"].iloc[0])
    kappa = line_figure(t["escrow_cost"], "escrow_cost", ["welfare_min", "platform_profit_min"], name="escrow_cost",
                        hover=["direct_welfare_min", "regime"],
                        title="Escrow: welfare and platform profit against the cost of holding funds",
                        caption=f"Escrow on equal policy; direct payment's worst-equilibrium welfare on equal policy "
                                f"is {direct:.4g} (dotted).",
                        hline=(direct, "direct payment's welfare"))
    escrow = float(t["capital_cost"]["escrow_welfare_min"].iloc[0])
    capital = line_figure(t["capital_cost"], "deposit_capital_cost", ["welfare_min"], name="capital_cost",
                          hover=["deposit", "escrow_welfare_min", "documented_default", "regime"],
                          title="Direct payment: welfare against the capital cost of the deposit",
                          caption=f"Direct payment on equal policy; escrow's worst-equilibrium welfare on equal "
                                  f"policy is {escrow:.4g} (dotted).", hline=(escrow, "escrow's welfare"))
    return [rate, welfare, kappa, capital]


SECTION = Section("escrow", "What does escrow cost, and what does the deposit cost?", compute, claims, draw)
