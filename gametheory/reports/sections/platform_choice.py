"""Section "platform_choice": which payment model should the platform choose?

The platform as designer (:mod:`gametheory.policy`): for each payment model, the policy (multiplier, deposit,
committed audit rate, where the model has them) that maximises its worst-case profit subject to a worst-case
counterfeit rate of at most the report's target; the frontier of that profit against the counterfeit-rate cap; and
what committing to an audit rate before trade (Stackelberg leadership) changes against simultaneous play.

Tables: ``platform_optimum`` (one row per model), ``platform_frontier`` (one row per model and cap) and
``platform_commitment`` (one row per model with a platform).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..document import Table
from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, money, pct

__all__ = ["SECTION", "CAPS"]

#: the counterfeit-rate caps of the frontier
CAPS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2)
#: grid points per policy range and refinement passes (modest: the whole report must stay under a minute)
RESOLUTION, REFINE = 11, 2
_POLICY = ("penalty_multiplier", "deposit", "audit_rate")


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Optimum per model at the target, the profit frontier over :data:`CAPS`, commitment against Nash."""
    from ...policy import choose_model, commitment, profit_frontier  # lazy: sympy

    models = list(context.models.values())
    kw = dict(resolution=RESOLUTION, refine=REFINE)
    choice = choose_model(models, constraints={"counterfeit_rate": ("<=", float(context.target_rate))}, **kw)
    columns = ["model", "feasible", "value", *[c for c in _POLICY if c in choice.table], "counterfeit_rate"]
    optimum = choice.table[columns].rename(columns={"value": "platform_profit"})
    caps = sorted({*CAPS, float(context.target_rate)})
    frames = []
    for model in models:
        f = profit_frontier(model, rates=caps, **kw)
        frames.append(pd.DataFrame({"model": model.name, "target_rate": f["target_rate"],
                                    "platform_profit": f["value"], "counterfeit_rate": f["counterfeit_rate"]}))
    rows = []
    for model in models:
        if "platform" not in model.players:
            continue
        res = commitment(model)
        rows.append({"model": model.name, "nash_audit_rate": res.nash[0].audit_rate if len(res.nash) == 1 else
                     np.nan, "nash_profit": res.nash_value_worst, "nash_counterfeit_rate": res.nash_counterfeit_rate,
                     "commit_audit_rate": res.audit_rate_worst, "commit_profit": res.value_worst,
                     "commit_counterfeit_rate": res.counterfeit_rate_worst, "commit_audit_cost": res.audit_cost_worst,
                     "attained": res.attained_worst})
    return {"platform_optimum": optimum.reset_index(drop=True),
            "platform_frontier": pd.concat(frames, ignore_index=True),
            "platform_commitment": pd.DataFrame(rows)}


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """The ranking at the target, the cost of the tightest cap per model, and what commitment changes."""
    optimum, frontier, commit = tables["platform_optimum"], tables["platform_frontier"], tables["platform_commitment"]
    target = float(settings.get("target_rate", 0.02))
    feasible = optimum[optimum["feasible"].astype(bool)].sort_values("platform_profit", ascending=False)
    out = []
    if len(feasible):
        best = feasible.iloc[0]
        policy = ", ".join(f"{c} {best[c]:.3g}" for c in _POLICY if c in feasible and np.isfinite(best[c]))
        rest = "; ".join(f"{r['model']} {money(r['platform_profit'])}" for _, r in feasible.iloc[1:].iterrows())
        infeasible = [str(m) for m in optimum.loc[~optimum["feasible"].astype(bool), "model"]]
        text = (f"With every equilibrium's counterfeit rate capped at {pct(target)}, the platform earns most under "
                f"**{best['model']}** ({money(best['platform_profit'])} per order, at {policy})"
                + (f"; then {rest}" if rest else "") + "."
                + (f" No searched policy meets the cap under {', '.join(infeasible)}." if infeasible else ""))
    else:
        text = f"No payment model has a searched policy that keeps every equilibrium at or below {pct(target)}."
    out.append(Claim(text, ("platform_optimum",)))
    loosest, tightest = float(frontier["target_rate"].max()), float(frontier["target_rate"].min())
    parts = []
    for model, part in frontier.groupby("model", sort=True):
        lo = part.loc[part["target_rate"] == tightest, "platform_profit"].to_numpy(dtype=float)
        hi = part.loc[part["target_rate"] == loosest, "platform_profit"].to_numpy(dtype=float)
        if len(lo) and np.isfinite(lo[0]) and np.isfinite(hi[0]):
            parts.append(f"{model} {money(hi[0] - lo[0])}")
        else:
            parts.append(f"{model} (no policy reaches {pct(tightest)})")
    out.append(Claim(f"Tightening the cap from {pct(loosest)} to {pct(tightest)} costs the platform, per order: "
                     + ", ".join(parts) + ".", ("platform_frontier",)))
    for _, row in commit.iterrows():
        change = "approached from inside the deterring piece" if not bool(row["attained"]) else "attained"
        out.append(Claim(
            f"{row['model']}: committing to an audit rate of {row['commit_audit_rate']:.3g} before trade moves the "
            f"worst-case counterfeit rate from {pct(row['nash_counterfeit_rate'])} (simultaneous play) to "
            f"{pct(row['commit_counterfeit_rate'])} and the platform's worst-case payoff from "
            f"{money(row['nash_profit'])} to {money(row['commit_profit'])}, at an audit cost of "
            f"{money(row['commit_audit_cost'])} per order ({change}).", ("platform_commitment",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """The optimum per model, the profit frontier, and commitment against simultaneous play."""
    t = data.tables
    frontier = line_figure(t["platform_frontier"], "target_rate", ["platform_profit"], name="platform_frontier",
                           hover=["counterfeit_rate"],
                           title="Platform profit (worst equilibrium) against the cap on the counterfeit rate",
                           caption="For each cap, the best policy found over the multiplier, the deposit and a "
                           "committed audit rate (where the model has them); gaps: no policy meets the cap.")
    return [
        Table("platform_optimum", "The platform's optimal policy per payment model", t["platform_optimum"],
              caption="Worst-case platform profit per order at the best policy with every equilibrium's counterfeit "
              "rate at most the target (audit_rate: a committed audit probability). A self-operated platform is "
              "the seller, so its profit is the retail margin, not a commission."),
        frontier,
        Table("platform_commitment", "Committing to an audit rate against simultaneous play",
              t["platform_commitment"],
              caption="Weak Stackelberg commitment (the followers' worst equilibrium for the platform), exact per "
              "piece of the followers' equilibrium correspondence, against the Nash equilibria."),
    ]


SECTION = Section("platform_choice", "Which payment model should the platform choose?", compute, claims, draw)
