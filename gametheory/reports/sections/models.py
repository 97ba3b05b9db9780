"""Section "models": every payment model on one scenario, on its documented defaults and on equal policy.

The models' documented defaults differ (escrow and cash on delivery refund only, ``k = 1``; direct payment the
seed's ``k = 2`` with insurance and a deposit that caps the compensation; the self-operated store the consumer
law's ``k = 4`` with a statutory minimum). So the section shows each model twice, side by side: on its
**documented defaults**, and on **equal policy** (:func:`equal_policy`: the same multiplier everywhere, no
insurance, no statutory top-up, a deposit large enough that its cap does not bind).

Tables: ``models_terms`` (the policy of each model under each terms), ``models_summary`` (per terms and model,
over its equilibria), ``models_equilibria`` (every Nash equilibrium), ``stable_states`` (rest points of the
replicator dynamics at the defaults) and ``scenario`` (the parameters of each model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ... import solve
from ..document import Table
from ..sweep_report import scenario_table
from .base import Claim, Context, Section, SectionData, money, pct

__all__ = ["SECTION", "OUTCOMES"]

#: the outcome columns of the equilibrium table
OUTCOMES = ("counterfeit_rate", "fakes_shipped", "fakes_refused", "welfare", "buyer_surplus", "seller_profit",
            "platform_profit", "funds_held", "deposit_held")
DEFAULTS, EQUAL = "documented defaults", "equal policy"
#: the policy instruments shown per model and terms (those a model lacks are blank)
_POLICY = ("penalty_multiplier", "min_compensation", "insurance", "insurance_cover", "deposit",
           "deposit_capital_cost", "escrow_cost", "settlement_delay_cost")


def equal_policy(models: Mapping[str, Any]) -> dict[str, Any]:
    """Every model on the same policy: direct payment's multiplier ``k`` everywhere, no insurance, no statutory
    top-up (``min_compensation = 0``), and a deposit of at least ``k p`` so that its cap does not bind.

    The costs of each way of holding money stay as documented (escrow's ``escrow_cost`` and
    ``settlement_delay_cost``, the deposit's ``deposit_capital_cost``): they are what is being compared.

    Examples
    --------
    >>> import gametheory as gt
    >>> same = equal_policy({n: gt.models.get(n) for n in ("escrow", "direct", "self_operated")})
    >>> [m.penalty_multiplier for m in same.values()], same["direct"].insurance, same["self_operated"].min_compensation
    ([2.0, 2.0, 2.0], 'none', 0.0)
    """
    direct = models["direct"]
    k = float(direct.penalty_multiplier)
    change = {"penalty_multiplier": k, "insurance": "none", "min_compensation": 0.0,
              "deposit": max(float(direct.deposit), k * float(direct.price))}
    return {name: m.with_params(**{p: v for p, v in change.items() if p in m.parameter_names})
            for name, m in models.items()}


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Solve each model on both terms; summarise; classify the rest points of the replicator dynamics."""
    terms = {DEFAULTS: dict(context.models), EQUAL: equal_policy(context.models)}
    table = pd.concat([equilibrium_table(models, terms=t) for t, models in terms.items()], ignore_index=True)
    policy = pd.DataFrame([{"terms": t, "model": name, **{p: m.params.get(p, "") for p in _POLICY}}
                           for t, models in terms.items() for name, m in models.items()])
    frame = pd.concat([pd.DataFrame([{"model": m.name, **m.params}]) for m in context.models.values()],
                      ignore_index=True)
    return {"models_terms": policy, "models_summary": summarise(table), "models_equilibria": table,
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
        shipped_worst=("fakes_shipped", "max"), refused_worst=("fakes_refused", "max"),
        welfare_low=("welfare", "min"), welfare_high=("welfare", "max"), funds_held=("funds_held", "max"),
        deposit_held=("deposit_held", "max"),
    ).reset_index()


def _stable_table(models: Mapping[str, Any]) -> pd.DataFrame:
    from ... import dynamics  # lazy: scipy, sympy

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
    """Per terms: the lowest and highest worst-case rate and the best worst-case welfare; what equal policy is;
    cash on delivery's fakes shipped, refused and sold; who holds money; where the dynamics settle."""
    summary, policy = tables["models_summary"], tables["models_terms"]
    src = ("models_summary",)
    out = []
    for terms in (DEFAULTS, EQUAL):
        part = summary[summary["terms"] == terms]
        low, high = part["counterfeit_worst"].min(), part["counterfeit_worst"].max()
        rich = part["welfare_low"].max()
        out.append(Claim(
            f"On **{terms}**, {_who(part, 'counterfeit_worst', low)} the lowest worst-case counterfeit rate "
            f"({pct(low)}) and {_who(part, 'counterfeit_worst', high)} the highest ({pct(high)}); welfare in the "
            f"worst equilibrium is highest under {_who(part, 'welfare_low', rich, verb=False)} ({money(rich)} per "
            "order).", src))
    same = policy[policy["terms"] == EQUAL]
    k = sorted(set(same["penalty_multiplier"].dropna().astype(float)))
    deposit = same.loc[same["model"] == "direct", "deposit"].astype(float)
    out.append(Claim(
        "The documented defaults are each model's own defaults, which differ (the multiplier k is "
        + ", ".join(f"{r.model} {float(r.penalty_multiplier):g}" for r in policy[policy["terms"] == DEFAULTS]
                    .itertuples(index=False))
        + f"); equal policy gives every model k = {', '.join(f'{v:g}' for v in k)}, no insurance, no statutory "
        "top-up" + (f", and direct payment a deposit of {money(float(deposit.iloc[0]))} so that its cap does not bind"
                    if len(deposit) else "") + ".", ("models_terms",)))
    cod = summary[(summary["terms"] == DEFAULTS) & (summary["refused_worst"] > 0)]
    for row in cod.itertuples(index=False):
        out.append(Claim(
            f"Under **{row.model}** (documented defaults) {pct(row.shipped_worst)} of orders ship a fake: "
            f"{pct(row.refused_worst)} are refused at the door and {pct(row.counterfeit_worst)} reach the buyer and "
            "are sold; the counterfeit rate counts only these, as in every model.", src))
    held = summary[(summary["terms"] == DEFAULTS) & (summary["funds_held"] > 0)]
    if len(held):
        out.append(Claim("Only " + ", ".join(f"**{m}**" for m in held["model"]) + " holds buyers' money "
                         f"({money(float(held['funds_held'].max()))} per order at most).", src))
    deposits = summary[(summary["terms"] == DEFAULTS) & (summary["deposit_held"] > 0)]
    for row in deposits.itertuples(index=False):
        out.append(Claim(f"**{row.model}** holds the seller's deposit instead ({money(row.deposit_held)}), which "
                         "costs the seller its capital (`deposit_capital_cost`).", src))
    stable = tables["stable_states"]
    unstable = stable.loc[stable["stable states"] == 0, "model"].tolist()
    if unstable:
        names = ", ".join(f"**{m}**" for m in unstable)
        out.append(Claim(f"At the documented defaults the replicator dynamics have no asymptotically stable state "
                         f"under {names}: no pure profile is stable and the mixed rest point is not attracting, so "
                         "play does not settle.", ("stable_states",)))
    for row in stable[stable["stable states"] > 0].itertuples(index=False):
        out.append(Claim(f"Under **{row.model}** the dynamics settle at {row.labels}.", ("stable_states",)))
    return out


def _who(part: pd.DataFrame, column: str, value: float, *, verb: bool = True) -> str:
    """The models whose ``column`` equals ``value`` (to 1e-9 relative), in bold: a tie names every model in it.

    >>> t = pd.DataFrame({"model": ["a", "b", "c"], "x": [1.0, 1.0, 2.0]})
    >>> _who(t, "x", 1.0), _who(t, "x", 2.0)
    ('**a** and **b** have', '**c** has')
    """
    names = part.loc[np.isclose(part[column].to_numpy(dtype=float), value, rtol=1e-9, atol=1e-12), "model"]
    bold = [f"**{m}**" for m in names]
    text = bold[0] if len(bold) == 1 else ", ".join(bold[:-1]) + " and " + bold[-1]
    return text + ("" if not verb else " have" if len(bold) > 1 else " has")


def draw(data: SectionData, context: Context) -> list[Any]:
    """The summary, equilibrium, stable-state and scenario tables."""
    t = data.tables
    return [
        Table("models_summary", "Summary per terms and model (over its equilibria): documented defaults, then "
              "equal policy", t["models_summary"],
              caption="counterfeit_worst: fakes that reach a buyer; shipped_worst: fakes sent out; refused_worst: "
                      "fakes refused at the door (cash on delivery only)."),
        Table("models_terms", "The policy of each model: documented defaults and equal policy", t["models_terms"]),
        Table("models_equilibria", "Every Nash equilibrium on both terms: the probability of each player's second "
              "strategy (Counterfeit, Verify, Audit) and the outcomes", t["models_equilibria"]),
        Table("stable_states", "Rest points of the replicator dynamics at the documented defaults, and the stable "
              "ones (gametheory.dynamics)", t["stable_states"]),
        Table("scenario", "The scenario: parameters of each model", t["scenario"]),
    ]


SECTION = Section("models", "The four payment models on one scenario: documented defaults and equal policy",
                  compute, claims, draw)
