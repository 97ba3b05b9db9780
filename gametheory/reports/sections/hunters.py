"""Section "hunters": do professional hunters keep sellers honest?

On the extended direct game (non-delivery, abstaining, false claims, hunters; solved by the hub-and-spokes batch
solver, :mod:`gametheory.solvers.hub_spokes.solver`):

* the worst-case counterfeit rate and the regular buyer's own checking (its largest probability of Verify over
  the equilibria) against the hunter share, at the scenario's resale value and at twice it (table ``hunters``);
* the deterrence window against the false-claim success rate :math:`\\beta`: on a grid of multipliers, the
  smallest :math:`k` from which the worst-case rate stays at most the target (:math:`k_{min}`; low multipliers
  where the market collapses, nothing sold and so nothing faked, do not count) and the smallest
  :math:`k \\ge k_{min}` at which false claims pay (some equilibrium has them; :math:`k_{max}`); the window is
  :math:`[k_{min}, k_{max})` (tables ``hunters_grid`` and ``hunters_window``; on the grid, so to its step);
* welfare lost to false claims: the worst-case welfare at each :math:`\\beta` against :math:`\\beta = 0` at the
  scenario's multiplier (table ``hunters_welfare``);
* how many points the solver could not complete (column ``complete`` of every table).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...solvers import solve_batch
from ..document import Table
from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, money, pct, pct_change, sweep

__all__ = ["SECTION"]

#: the largest hunter share and the false-claim success rates shown
SHARE_MAX = 0.5
BETAS = (0.0, 0.05, 0.1, 0.2, 0.3)
#: the largest multiplier searched for the window
K_MAX = 6.0


def _model(context: Context) -> Any:
    return context.models["direct"].with_params(variant="extended")


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Sweep the hunter share (two resale values), the (k, beta) grid and beta at the scenario's k."""
    model = _model(context)
    res = max(5, context.resolution // 2)
    shares = np.linspace(0.0, SHARE_MAX, res)
    resale = [float(model.resale_value), 2.0 * float(model.resale_value)]
    theta, rv = (a.ravel() for a in np.meshgrid(shares, resale))
    sol = solve_batch(model.batch(hunter_share=theta, resale_value=rv))
    rates = model.outcome_arrays(sol, hunter_share=theta, resale_value=rv)["counterfeit_rate"]
    verify = model.strategies[1].index("Verify")
    checking = np.where(sol.valid, sol.profiles[:, :, 1, verify], np.nan)
    hunters = pd.DataFrame({
        "resale_label": [f"resale {r:g}" for r in rv], "hunter_share": theta, "resale_value": rv,
        "counterfeit_rate_max": np.fmax.reduce(np.where(sol.valid, rates, np.nan), axis=1),
        "buyer_verify_max": np.fmax.reduce(checking, axis=1), "complete": sol.complete,
    })
    k_lo = float(model.parameter("penalty_multiplier").domain.left or 0.0)
    grid = sweep(model, {"penalty_multiplier": {"linspace": [k_lo, K_MAX, context.resolution]},
                         "false_claim_upheld": list(BETAS)}, variant="extended",
                 outputs=["equilibria", "counterfeit", "welfare", "metrics"])
    grid = grid[["false_claim_upheld", "penalty_multiplier", "counterfeit_rate_max", "false_claim_rate_max",
                 "welfare_min", "complete"]].sort_values(["false_claim_upheld", "penalty_multiplier"])
    grid = grid.reset_index(drop=True)
    grid.insert(4, "false_claims_pay", grid["false_claim_rate_max"].to_numpy(dtype=float) > 1e-9)  # the region
    welfare = sweep(model, {"false_claim_upheld": {"linspace": [0.0, max(BETAS), res]}}, variant="extended",
                    outputs=["equilibria", "welfare", "metrics"])
    welfare = welfare[["false_claim_upheld", "welfare_min", "false_claim_rate_max", "complete"]].reset_index(drop=True)
    return {"hunters": hunters, "hunters_grid": grid, "hunters_window": _window(grid, context.target_rate),
            "hunters_welfare": welfare}


def _window(grid: pd.DataFrame, target: float) -> pd.DataFrame:
    """Per beta: ``k_min`` (the smallest k on the grid from which the worst-case rate stays at most ``target``
    up to the grid's end -- low multipliers where the market collapses, so nothing is faked because nothing is
    sold, do not count) and ``k_max`` (the first k >= k_min at which false claims pay); NaN where none.

    Examples
    --------
    >>> g = pd.DataFrame({"false_claim_upheld": 0.1, "penalty_multiplier": [0.0, 1.0, 2.0, 3.0],
    ...                   "counterfeit_rate_max": [0.0, 0.07, 0.01, 0.01], "false_claim_rate_max": [0, 0, 0, 0.2]})
    >>> _window(g, 0.02)[["k_min", "k_max"]].to_numpy().tolist()
    [[2.0, 3.0]]
    """
    rows = []
    for beta, part in grid.groupby("false_claim_upheld", sort=True):
        k = part["penalty_multiplier"].to_numpy(dtype=float)
        deterred = part["counterfeit_rate_max"].to_numpy(dtype=float) <= target + 1e-12
        pays = part["false_claim_rate_max"].to_numpy(dtype=float) > 1e-9
        stays = np.logical_and.accumulate(deterred[::-1])[::-1]  # deterred here and at every larger k
        k_min = float(k[stays][0]) if stays.any() else np.nan
        after = pays & (k >= k_min) if np.isfinite(k_min) else np.zeros_like(pays)
        k_max = float(k[after][0]) if after.any() else np.nan
        rows.append({"false_claim_upheld": float(beta), "k_min": k_min, "k_max": k_max,
                     "false_claims_pay_from": float(k[pays][0]) if pays.any() else np.nan})
    return pd.DataFrame(rows)


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """Rates with and without hunters, the window per beta, welfare lost, completeness."""
    out: list[Claim] = []
    hunters = tables["hunters"]
    for resale in sorted(hunters["resale_value"].unique()):
        part = hunters[hunters["resale_value"] == resale].sort_values("hunter_share")
        first, last = part.iloc[0], part.iloc[-1]
        out.append(Claim(
            f"At resale value {resale:g}: the worst-case counterfeit rate is "
            f"{pct(first['counterfeit_rate_max'])} without hunters and "
            f"{pct(last['counterfeit_rate_max'])} at a hunter share of {pct(last['hunter_share'])}; the regular "
            f"buyer's own checking {pct_change(first['buyer_verify_max'], last['buyer_verify_max'])}.",
            ("hunters",)))
    window = tables["hunters_window"]
    target = settings.get("target_rate", 0.0)
    for _, row in window.iterrows():
        beta = row["false_claim_upheld"]
        if not np.isfinite(row["k_min"]):
            text = (f"beta = {beta:g}: no deterrence window on the grid: no multiplier keeps the rate at most "
                    f"{pct(target)} up to the largest shown"
                    + (f", and false claims pay from k = {row['false_claims_pay_from']:g}."
                       if np.isfinite(row["false_claims_pay_from"]) else "."))
        elif not np.isfinite(row["k_max"]):
            text = (f"beta = {beta:g}: the rate stays at most {pct(target)} from k = {row['k_min']:g}, and false "
                    f"claims never pay from there on the grid: the window is [{row['k_min']:g}, beyond the grid).")
        elif row["k_max"] <= row["k_min"]:
            text = (f"beta = {beta:g}: no deterrence window: false claims pay from k = "
                    f"{row['false_claims_pay_from']:g}, and the rate stays at most {pct(target)} only from "
                    f"k = {row['k_min']:g}.")
        else:
            text = (f"beta = {beta:g}: the deterrence window is [{row['k_min']:g}, {row['k_max']:g}): the rate "
                    f"stays at most {pct(target)} from k = {row['k_min']:g}, and at k = {row['k_max']:g} and above "
                    f"some equilibrium has false claims.")
        out.append(Claim(text, ("hunters_window",)))
    welfare = tables["hunters_welfare"].sort_values("false_claim_upheld")
    base, worst = welfare.iloc[0], welfare.iloc[-1]
    lost = float(base["welfare_min"]) - float(worst["welfare_min"])
    out.append(Claim(
        f"At the scenario's multiplier, worst-case welfare is {money(base['welfare_min'])} when false claims never "
        f"succeed and {money(worst['welfare_min'])} at beta = {worst['false_claim_upheld']:g}: false claims cost "
        f"{money(lost)} per order.", ("hunters_welfare",)))
    incomplete = sum(int((~t["complete"].astype(bool)).sum()) for t in
                     (hunters, tables["hunters_grid"], welfare))
    total = len(hunters) + len(tables["hunters_grid"]) + len(welfare)
    out.append(Claim(f"The solver listed every equilibrium at {total - incomplete} of the {total} points of this "
                     f"section ({incomplete} incomplete).", ("hunters", "hunters_grid", "hunters_welfare")))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """Rate and checking against the hunter share; rate and false claims against k per beta; the window."""
    grid = data.tables["hunters_grid"].assign(
        beta_label=[f"beta {b:g}" for b in data.tables["hunters_grid"]["false_claim_upheld"]])
    return [
        line_figure(data.tables["hunters"], "hunter_share", ["counterfeit_rate_max", "buyer_verify_max"],
                    by="resale_label", name="hunters", hover=["resale_value", "complete"],
                    title="Counterfeit rate and the buyer's own checking against the hunter share",
                    caption="Extended direct game; one line per resale value (a hunter's value of a genuine item)."),
        line_figure(grid, "penalty_multiplier", ["counterfeit_rate_max", "false_claim_rate_max"], by="beta_label",
                    name="hunters_grid", hover=["false_claim_upheld", "false_claims_pay", "welfare_min", "complete"],
                    hline=(float(context.target_rate), "target rate"),
                    title="Counterfeit rate and false claims against the multiplier, per false-claim success rate",
                    caption=("Where false_claim_rate_max is above 0, false claims pay in some equilibrium (column "
                             "false_claims_pay of the table marks that region).")),
        Table("hunters_window", "Deterrence window [k_min, k_max) per false-claim success rate beta",
              data.tables["hunters_window"]),
        Table("hunters_welfare", "Worst-case welfare against beta at the scenario's multiplier",
              data.tables["hunters_welfare"]),
    ]


SECTION = Section("hunters", "Do professional hunters keep sellers honest?", compute, claims, draw)
