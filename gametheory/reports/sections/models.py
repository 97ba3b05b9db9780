"""Section "models": every payment model on one scenario, its equilibria, outcomes and stable states.

Tables: ``models_summary`` (per model, over its equilibria), ``models_equilibria`` (every Nash equilibrium),
``stable_states`` (rest points of the replicator dynamics) and ``scenario`` (the parameters of each model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..document import Table
from .base import Claim, Context, Section, SectionData, money, pct

__all__ = ["SECTION", "OUTCOMES"]

#: the outcome columns of the equilibrium table
OUTCOMES = ("counterfeit_rate", "welfare", "buyer_surplus", "seller_profit", "platform_profit", "funds_held")


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Solve each model at the scenario; summarise; classify the rest points of the replicator dynamics."""
    from ..sweep_report import scenario_table

    table = equilibrium_table(context.models)
    frame = pd.concat([pd.DataFrame([{"model": m.name, **m.params}]) for m in context.models.values()],
                      ignore_index=True)
    return {"models_summary": summarise(table), "models_equilibria": table,
            "stable_states": _stable_table(context.models), "scenario": scenario_table(frame, [])}


def equilibrium_table(models: Mapping[str, Any], **columns: Any) -> pd.DataFrame:
    """Every Nash equilibrium of each model: the probability of each player's last strategy, outcomes, regret.

    ``columns`` are constant columns put first (e.g. ``terms="documented defaults"``).

    Examples
    --------
    >>> import gametheory as gt
    >>> t = equilibrium_table({"direct": gt.models.get("direct")})
    >>> t[["model", "equilibrium"]].values.tolist()
    [['direct', 1]]
    """
    from ... import solve

    rows = []
    for name, model in models.items():
        for e, eq in enumerate(solve(model.game())):
            probs = {f"P({s[-1]})": float(v[-1]) for s, v in zip(model.strategies, eq.profile, strict=True)}
            outcome = model.outcomes(eq)
            rows.append({**columns, "model": name, "equilibrium": e + 1, **probs,
                         **{k: float(outcome.get(k, np.nan)) for k in OUTCOMES}, "regret": float(eq.regret)})
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Per model (and per ``terms`` when present): equilibria, worst-case rate, welfare range, funds held."""
    keys = [k for k in ("terms", "model") if k in table.columns]
    return table.groupby(keys, sort=False).agg(
        equilibria=("equilibrium", "size"), counterfeit_worst=("counterfeit_rate", "max"),
        welfare_low=("welfare", "min"), welfare_high=("welfare", "max"), funds_held=("funds_held", "max"),
    ).reset_index()


def _stable_table(models: Mapping[str, Any]) -> pd.DataFrame:
    from ... import dynamics

    rows = []
    for name, model in models.items():
        analysis = dynamics.analyze(model.game())
        kinds = pd.Series([s.classification for s in analysis]).value_counts().to_dict()
        rows.append({"model": name, "rest points": len(analysis), "stable states": len(analysis.stable),
                     "labels": " + ".join(s.label for s in analysis.stable) or "none",
                     "classes": ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
                     "continuum": bool(analysis.continuum)})
    return pd.DataFrame(rows)


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """Lowest and highest worst-case rate, best worst-case welfare, who holds money, where dynamics settle."""
    summary = tables["models_summary"]
    src = ("models_summary",)
    best = summary.loc[summary["counterfeit_worst"].idxmin()]
    worst = summary.loc[summary["counterfeit_worst"].idxmax()]
    rich = summary.loc[summary["welfare_low"].idxmax()]
    out = [
        Claim(f"**{best['model']}** has the lowest worst-case counterfeit rate ({pct(best['counterfeit_worst'])}); "
              f"**{worst['model']}** the highest ({pct(worst['counterfeit_worst'])}).", src),
        Claim(f"Welfare in the worst equilibrium is highest under **{rich['model']}** "
              f"({money(rich['welfare_low'])} per order).", src),
    ]
    held = summary[summary["funds_held"] > 0]
    if len(held):
        out.append(Claim("Only " + ", ".join(f"**{m}**" for m in held["model"]) + " holds buyers' money "
                         f"({money(float(held['funds_held'].max()))} per order at most).", src))
    stable = tables["stable_states"]
    unstable = stable.loc[stable["stable states"] == 0, "model"].tolist()
    if unstable:
        names = ", ".join(f"**{m}**" for m in unstable)
        out.append(Claim(f"The replicator dynamics have no asymptotically stable state under {names}: no pure "
                         "profile is stable and the mixed rest point is not attracting, so play does not settle.",
                         ("stable_states",)))
    for row in stable[stable["stable states"] > 0].itertuples(index=False):
        out.append(Claim(f"Under **{row.model}** the dynamics settle at {row.labels}.", ("stable_states",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """The summary, equilibrium, stable-state and scenario tables."""
    t = data.tables
    return [
        Table("models_summary", "Summary per model (over its equilibria)", t["models_summary"]),
        Table("models_equilibria", "Every Nash equilibrium: the probability of each player's second strategy "
              "(Counterfeit, Verify, Audit) and the outcomes", t["models_equilibria"]),
        Table("stable_states", "Rest points of the replicator dynamics and the stable ones (gametheory.dynamics)",
              t["stable_states"]),
        Table("scenario", "The scenario: parameters of each model", t["scenario"]),
    ]


SECTION = Section("models", "The four payment models on one scenario", compute, claims, draw)
