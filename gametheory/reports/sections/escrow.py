"""Section "escrow": what does escrow cost?

Every model against the detection probability (worst-case counterfeit rate and welfare), and escrow's welfare and
platform profit against its cost of holding funds, beside direct payment's welfare at the scenario.

Tables: ``models_detection``, ``models_welfare`` (one row per model and detection probability) and
``escrow_cost`` (one row per cost of holding funds, with direct payment's welfare as ``direct_welfare_min``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, pct, sweep

__all__ = ["SECTION"]

#: the largest cost of holding funds swept (currency per order)
KAPPA_MAX = 10.0


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """One sweep of every model over q, one of escrow over kappa, direct's welfare at the scenario."""
    by_q = sweep(list(context.models.values()), {"detection_prob": {"linspace": [0.0, 1.0, context.resolution]}})
    by_q = by_q.sort_values(["model", "detection_prob"], kind="stable").reset_index(drop=True)
    kappa = sweep(context.models["escrow"], {"escrow_cost": {"linspace": [0.0, KAPPA_MAX, context.resolution]}})
    direct_welfare = float(sweep(context.models["direct"], {})["welfare_min"].iloc[0])
    cost = kappa[["model", "escrow_cost", "welfare_min", "platform_profit_min", "regime"]].assign(
        direct_welfare_min=direct_welfare)
    return {"models_detection": by_q[["model", "detection_prob", "counterfeit_rate_max", "regime"]],
            "models_welfare": by_q[["model", "detection_prob", "welfare_min", "regime"]],
            "escrow_cost": cost.reset_index(drop=True)}


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
        text = (f"Escrow's welfare stays at or above direct payment's ({direct:.4g}) for every cost of holding funds "
                f"up to {top:g}.")
    elif len(above):
        text = (f"Escrow matches direct payment's welfare ({direct:.4g}) only while its cost of holding funds is at "
                f"most **{above.max():.3g}** per order; beyond that direct payment does better without holding "
                "anyone's money.")
    else:
        text = (f"At every cost of holding funds from 0 to {top:g}, escrow's welfare stays below direct payment's "
                f"({direct:.4g}).")
    out.append(Claim(text, ("escrow_cost",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """Rate and welfare against q per model; escrow's welfare and platform profit against kappa."""
    t = data.tables
    rate = line_figure(t["models_detection"], "detection_prob", ["counterfeit_rate_max"], name="models_detection",
                       hover=["regime"], title="Worst-case counterfeit rate against detection probability",
                       caption="One line per payment model, each at the scenario.")
    welfare = line_figure(t["models_welfare"], "detection_prob", ["welfare_min"], name="models_welfare",
                          hover=["regime"], title="Welfare (worst equilibrium) against detection probability",
                          caption="One line per payment model, each at the scenario.")
    direct = float(t["escrow_cost"]["direct_welfare_min"].iloc[0])
    kappa = line_figure(t["escrow_cost"], "escrow_cost", ["welfare_min", "platform_profit_min"], name="escrow_cost",
                        hover=["direct_welfare_min", "regime"],
                        title="Escrow: welfare and platform profit against the cost of holding funds",
                        caption=f"Escrow model; direct payment's worst-equilibrium welfare is {direct:.4g} (dotted).",
                        hline=(direct, "direct payment's welfare"))
    return [rate, welfare, kappa]


SECTION = Section("escrow", "What does escrow cost?", compute, claims, draw)
