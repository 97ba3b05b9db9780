r"""Section "deposit": how small a deposit defeats the multiplier?

The worst-case counterfeit rate, the equilibrium regime and the stable states over multiplier and deposit on the
direct model (the deposit caps the compensation at :math:`\min(k p, D)`), the smallest deterring multiplier
:math:`k^*` over deposit and detection probability, and :math:`k^*` at the scenario.

Tables: ``deposit_rate``, ``deposit_regime``, ``deposit_stable``, ``threshold_map`` (the maps' data),
``deposit_curve`` (per deposit: the best rate over k and the smallest k on the grid meeting the target) and
``deposit_threshold`` (the exact threshold at the scenario).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..document import Table
from ..figures import category_map, map_table, value_map
from .base import Claim, Context, Section, SectionData, money, pct, sweep

__all__ = ["SECTION"]

K_MAX = 10.0


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """The (k, D) grid, the k* map over (D, q), the per-deposit curve and the threshold at the scenario."""
    from ... import deterrence  # lazy: sympy

    direct, target, n = context.models["direct"], context.target_rate, context.resolution
    price = float(direct.price)
    deposits = {"logspace": [np.log10(price / 10), np.log10(price * 20), n]}
    df = sweep(direct, {"penalty_multiplier": {"linspace": [0.0, K_MAX, n]}, "deposit": deposits},
               outputs=["equilibria", "counterfeit", "stable_states"])
    df = df.assign(price=price)
    rate = map_table(df, "penalty_multiplier", "deposit", "counterfeit_rate_max", hover=["price", "regime"])
    best = rate.groupby("deposit")["counterfeit_rate_max"].min()
    k_grid = rate[rate["counterfeit_rate_max"] <= target + 1e-12].groupby("deposit")["penalty_multiplier"].min()
    curve = pd.DataFrame({"deposit": best.index, "best_rate_over_k": best.to_numpy(),
                          "smallest_k_on_grid": k_grid.reindex(best.index).to_numpy()})
    k_map = sweep(direct, {"deposit": deposits, "detection_prob": {"linspace": [0.05, 1.0, n]}},
                  outputs=["threshold"], threshold={"target_rate": target})
    res = deterrence.min_penalty_multiplier(direct, target_rate=target)
    feasible = bool(np.all(res.feasible)) and res.threshold is not None
    threshold = pd.DataFrame([{
        "deposit": float(direct.deposit), "price": price, "feasible": feasible,
        "threshold_penalty_multiplier": float(np.asarray(res.threshold)) if feasible else np.nan,
        "robust_penalty_multiplier": np.nan if res.robust_threshold is None else float(res.robust_threshold),
        "monotone": bool(res.monotone),
        "method": res.method, "reason": "" if feasible else str(res.reason),
        "min_deposit": np.nan if res.min_deposit is None else float(res.min_deposit)}])
    return {
        "deposit_rate": rate,
        "deposit_regime": map_table(df, "penalty_multiplier", "deposit", "regime", hover=["counterfeit_rate_max"]),
        "deposit_stable": map_table(df, "penalty_multiplier", "deposit", "stable_states", hover=["regime"]),
        "threshold_map": map_table(k_map, "deposit", "detection_prob", "threshold_penalty_multiplier",
                                   hover=["robust_penalty_multiplier", "monotone_penalty_multiplier"]),
        "deposit_curve": curve,
        "deposit_threshold": threshold,
    }


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """The range of the best rate over k, the smallest deposit that deters, the cap, k* and honest selling."""
    target = settings["target_rate"]
    curve, rate, scen = tables["deposit_curve"], tables["deposit_rate"], tables["deposit_threshold"].iloc[0]
    price = float(scen["price"])
    best = curve["best_rate_over_k"]
    out = [Claim(f"Over the grid, the best worst-case rate any multiplier up to {K_MAX:g} achieves at a given deposit "
                 f"ranges from {pct(best.min())} to {pct(best.max())}.", ("deposit_curve",))]
    ok = curve[best <= target + 1e-12]
    if len(ok):
        d = float(ok["deposit"].min())
        out.append(Claim(f"The smallest deposit on the grid at which some multiplier meets the target {target:g} is "
                         f"**{money(d)}** ({d / price:.2g} times the price); below it no multiplier deters.",
                         ("deposit_curve", "deposit_threshold")))
    else:
        out.append(Claim(f"No deposit up to {money(float(curve['deposit'].max()))} lets a multiplier up to "
                         f"{K_MAX:g} meet the target {target:g}.", ("deposit_curve",)))
    flat = rate[rate["penalty_multiplier"] * rate["price"] >= rate["deposit"]]
    if len(flat):
        spread = flat.groupby("deposit")["counterfeit_rate_max"].agg(lambda s: float(s.max() - s.min())).max()
        out.append(Claim(f"Once k·p exceeds the deposit the rate no longer moves with k (largest change "
                         f"{spread:.2g}): the cap binds.", ("deposit_rate",)))
    if bool(scen["feasible"]):
        k = float(scen["threshold_penalty_multiplier"])
        robust = "" if bool(scen["monotone"]) else (
            f" It is not robust: the target fails again at a larger k and holds for every larger k only from "
            f"{float(scen['robust_penalty_multiplier']):.4g}.")
        out.append(Claim(f"At the scenario (deposit {money(float(scen['deposit']))}), the smallest deterring "
                         f"multiplier is **k* = {k:.4g}** ({scen['method']}); the deposit must hold at least "
                         f"k*·p = {money(k * price)}.{robust}", ("deposit_threshold",)))
    else:
        need = "" if pd.isna(scen["min_deposit"]) else \
            f" The smallest sufficient deposit is {money(float(scen['min_deposit']))}."
        out.append(Claim(f"At the scenario no multiplier deters: {scen['reason']}.{need}", ("deposit_threshold",)))
    k_map = tables["threshold_map"]
    bumpy = int((~k_map["monotone_penalty_multiplier"].astype(bool)).sum())
    if bumpy:
        out.append(Claim(f"At {bumpy} of {len(k_map)} points of the k* map the smallest deterring multiplier is not "
                         "robust: the target fails again at a larger k (marked x on the map).", ("threshold_map",)))
    honest = tables["deposit_stable"]["stable_states"].astype(str).str.startswith("Genuine")
    if honest.any():
        out.append(Claim(f"The dynamics settle on honest selling (a stable state with Genuine) at "
                         f"{100 * honest.mean():.0f}% of the grid points.", ("deposit_stable",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """Rate, regime and stable-state maps over (k, D), the k* map, and the per-deposit table."""
    t = data.tables
    price = float(t["deposit_threshold"]["price"].iloc[0])
    target = context.target_rate
    ks = np.linspace(0, K_MAX, 50)
    rate = value_map(t["deposit_rate"], "penalty_multiplier", "deposit", "counterfeit_rate_max", name="deposit_rate",
                     log=True, hover=["price", "regime"], title="Worst-case counterfeit rate, direct payment",
                     caption="Colours on a log scale. The deposit caps the compensation at min(k·p, D): to the "
                             "right of the dashed line k·p = D, raising k changes nothing.",
                     line=(ks, price * ks, "k·p = D"))
    regime = category_map(t["deposit_regime"], "penalty_multiplier", "deposit", "regime", name="deposit_regime",
                          hover=["counterfeit_rate_max"], title="Equilibrium regime, direct payment",
                          caption="Which equilibrium holds where.")
    stable = category_map(t["deposit_stable"], "penalty_multiplier", "deposit", "stable_states",
                          name="deposit_stable", hover=["regime"],
                          title="Stable states of the replicator dynamics, direct payment",
                          caption="Asymptotically stable rest points (gametheory.dynamics.classify_batch); none: "
                                  "play cycles or converges to no corner.")
    k_fig = value_map(t["threshold_map"], "deposit", "detection_prob", "threshold_penalty_multiplier",
                      name="threshold_map",
                      title=f"Smallest deterring multiplier k* (target {target:g}), direct payment",
                      hover=["robust_penalty_multiplier", "monotone_penalty_multiplier"],
                      caption="From gametheory.deterrence: the smallest value of the exact deterrence set, every "
                              "answer checked by the batch solver on both sides; blank: no multiplier deters, "
                              "because the deposit caps the penalty; x: not monotone (the target fails again above "
                              "k*; the robust threshold is in the table).")
    bumpy = t["threshold_map"][~t["threshold_map"]["monotone_penalty_multiplier"].astype(bool)]
    if len(bumpy):
        k_fig.figure.axes[0].scatter(bumpy["deposit"], bumpy["detection_prob"], marker="x", color="black", s=12)
    return [rate, regime, stable, k_fig,
            Table("deposit_curve", "Best worst-case rate over k, and the smallest k on the grid meeting the target, "
                  "per deposit", t["deposit_curve"]),
            Table("deposit_threshold", "The smallest deterring multiplier at the scenario", t["deposit_threshold"])]


SECTION = Section("deposit", "How small a deposit defeats the multiplier?", compute, claims, draw)
