"""Section "enforcers": does punitive compensation to buyers deter where a fine to the platform does not?

On the direct model, the same amounts taken from a caught counterfeiter are paid to the buyer (:math:`k p`),
fined to the platform (:math:`F`) or fined to a regulator (:math:`F`, the platform keeps none), against the
worst-case counterfeit rate; the deposit is large enough not to cap the penalty and there is no insurance.

Tables: ``enforcers`` (one row per amount: the rate and regime of each arm, and the deposit used) and
``enforcers_thresholds`` (per arm paid to the buyer or fined to the platform: the smallest amount that meets the
target, the robust one from which every larger amount does, and whether they coincide, read from the exact
deterrence set along the arm's parameter, not from the swept grid).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ... import deterrence
from ..document import Table
from ..figures import multi_line_figure
from .base import Claim, Context, Section, SectionData, money, pct, sweep

__all__ = ["SECTION"]

#: the largest multiplier (and amount, in prices) swept
K_MAX = 10.0
_ARMS = (("paid_to_buyer", "paid to the buyer (k·p)"), ("fined_to_platform", "fined to the platform (F)"),
         ("fined_to_regulator", "fined to a regulator (F, platform keeps none)"))


def _base(direct: Any) -> dict[str, float]:
    # insurance would make buyers enforcers in every arm; the deposit must not cap the penalty
    return {"deposit": max(float(direct.deposit), K_MAX * float(direct.price)), "insurance_cover": 0.0}


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Three sweeps of the direct model over the same amounts of money."""
    direct = context.models["direct"]
    price = float(direct.price)
    amounts = np.linspace(0.0, K_MAX * price, context.resolution)
    base = _base(direct)
    via_k = sweep(direct, {"penalty_multiplier": amounts / price}, fixed={**base, "fine": 0.0})
    via_f = sweep(direct, {"fine": amounts}, fixed={**base, "penalty_multiplier": 0.0})
    via_r = sweep(direct, {"fine": amounts}, fixed={**base, "penalty_multiplier": 0.0, "fine_to_platform": 0.0})
    data = {"amount": amounts, "penalty_multiplier": amounts / price,
            "deposit": np.full(amounts.shape, base["deposit"])}
    for (arm, _), df in zip(_ARMS, (via_k, via_f, via_r), strict=True):
        data[f"rate_{arm}"] = df["counterfeit_rate_max"].to_numpy()
    for (arm, _), df in zip(_ARMS, (via_k, via_f, via_r), strict=True):
        data[f"regime_{arm}"] = df["regime"].to_numpy()
    return {"enforcers": pd.DataFrame(data), "enforcers_thresholds": _thresholds(direct, base, context.target_rate)}


def _thresholds(direct: Any, base: dict[str, float], target: float) -> pd.DataFrame:
    """The smallest and the robust amount of the buyer's and the platform's arm, from the exact sets."""
    price = float(direct.price)
    rows = []
    for arm, parameter, fixed, unit in (("paid_to_buyer", "penalty_multiplier", {"fine": 0.0}, price),
                                        ("fined_to_platform", "fine", {"penalty_multiplier": 0.0}, 1.0)):
        model = direct.with_params(**base, **fixed)
        res = deterrence.min_value(model, parameter, target_rate=target, bounds=(0.0, K_MAX * price / unit))
        smallest = np.nan if res.threshold is None else float(res.threshold)
        robust = np.nan if res.robust_threshold is None else float(res.robust_threshold)
        rows.append({"arm": arm, "parameter": parameter, "smallest": smallest, "robust": robust,
                     "monotone": bool(res.monotone), "amount_smallest": smallest * unit,
                     "amount_robust": robust * unit})
    return pd.DataFrame(rows)


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """The rate at no and at the largest amount in each arm, where each arm first meets the target."""
    data = tables["enforcers"]
    target = settings["target_rate"]
    buyer, platform = data["rate_paid_to_buyer"], data["rate_fined_to_platform"]
    arms = tables["enforcers_thresholds"].set_index("arm")
    k_arm, f_arm = arms.loc["paid_to_buyer"], arms.loc["fined_to_platform"]
    first_k, k_at, first_f = (float(x) for x in (k_arm["amount_smallest"], k_arm["smallest"], f_arm["smallest"]))
    src = ("enforcers", "enforcers_thresholds")
    out = [Claim(
        f"With the same amount taken from a caught counterfeiter, paying it to the buyer takes the worst-case "
        f"counterfeit rate from {pct(buyer.iloc[0])} to {pct(buyer.iloc[-1])} over 0 to "
        f"{money(data['amount'].iloc[-1])}; fining it to the platform takes it from {pct(platform.iloc[0])} to "
        f"{pct(platform.iloc[-1])}.", src)]
    out.append(Claim(
        (f"Compensation reaches the target {target:g} at {money(first_k)} (k = {k_at:.2g}); "
         if np.isfinite(first_k) else f"Compensation never reaches the target {target:g} in this range; ")
        + (f"the fine at {money(first_f)}." if np.isfinite(first_f) else "the fine never does.")
        + "".join(_not_robust(row, text) for row, text in ((k_arm, "compensation"), (f_arm, "the fine"))), src))
    out.append(Claim(_regulator_finding(data), src))
    return out


def _not_robust(row: pd.Series, what: str) -> str:
    """The warning when an arm's smallest amount is not robust (the target fails again at a larger amount)."""
    if bool(row["monotone"]) or not np.isfinite(float(row["amount_smallest"])):
        return ""
    robust = float(row["amount_robust"])
    tail = f"holds for every larger amount only from {money(robust)}" if np.isfinite(robust) else \
        "does not hold at the largest amount"
    return f" Not monotone for {what}: the target fails again above its smallest amount and {tail}."


def _regulator_finding(data: pd.DataFrame) -> str:
    """The classic inspection-game result, read off the 'fined to a regulator' arm."""
    rate = data["rate_fined_to_regulator"].to_numpy(dtype=float)
    mixed = np.flatnonzero(rate < 1 - 1e-9)
    head = ("A fine the platform keeps is itself a reason to audit. When the fine goes to a regulator instead (the "
            "classic inspection game), the platform audits only to protect its reputation: ")
    if not len(mixed):
        return head + "the seller counterfeits at every fine in this range."
    low, high = rate[mixed].min(), rate[mixed].max()
    level = pct(low) if np.isclose(low, high) else f"between {pct(low)} and {pct(high)}"
    return head + (f"from a fine of {money(data['amount'].iloc[mixed[0]])} on, the counterfeit rate stays at {level} "
                   "however large the fine: a larger fine lowers the audit rate, not the violation rate.")


def draw(data: SectionData, context: Context) -> list[Any]:
    """One line per arm against the amount, with the target."""
    table = data.tables["enforcers"]
    deposit = float(table["deposit"].iloc[0])
    figure = multi_line_figure(
        table, "amount", [(f"rate_{arm}", text) for arm, text in _ARMS], name="enforcers",
        title="Compensation to buyers against a fine to the platform or to a regulator",
        caption=f"Direct model; deposit {money(deposit)} so that it does not cap the penalty; no insurance; the "
                "other instrument set to 0.",
        xlabel="money taken from a caught counterfeiter (currency per order)", ylabel="counterfeit_rate_max",
        hline=(context.target_rate, f"target {context.target_rate:g}"))
    return [figure, Table("enforcers_thresholds", "The smallest and the robust amount of each arm (exact sets; "
                          "smallest and robust amounts in currency per order)", data.tables["enforcers_thresholds"])]


SECTION = Section("enforcers", "Does punitive compensation to buyers deter where a fine to the platform does not?",
                  compute, claims, draw)
