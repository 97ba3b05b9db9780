"""Section "insurance": what does insurance add?

The worst-case counterfeit rate on the direct model against the insurer's cover (``top_up``: it pays
:math:`m p` on every established fraud), at a small deposit and at the scenario's, and without insurance.

Tables: ``insurance`` (one row per deposit and cover) and ``insurance_none`` (per deposit, without insurance).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..document import Table
from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, money, pct, sweep

__all__ = ["SECTION"]

#: the largest cover swept, as a multiple of the price
COVER_MAX = 3.0
#: the spread of a rate below which it counts as unchanged
_FLAT = 1e-9


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Sweep the cover at two deposits, and the same deposits without insurance."""
    direct = context.models["direct"]
    price = float(direct.price)
    deposits = sorted({price * 0.5, float(direct.deposit)})
    df = sweep(direct, {"insurance_cover": {"linspace": [0.0, COVER_MAX, context.resolution]}, "deposit": deposits},
               fixed={"insurance": "top_up"})
    none = sweep(direct, {"deposit": deposits}, fixed={"insurance": "none"})
    table = df.assign(deposit_label=[f"deposit {d:g}" for d in df["deposit"]])
    table = table[["deposit_label", "insurance_cover", "counterfeit_rate_max", "deposit", "regime"]]
    table = table.sort_values(["deposit_label", "insurance_cover"], kind="stable").reset_index(drop=True)
    return {"insurance": table,
            "insurance_none": none[["deposit", "counterfeit_rate_max", "regime"]].reset_index(drop=True)}


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """Per deposit: the rate without insurance, at cover 0 and at the largest cover, and whether cover moves it."""
    table, none = tables["insurance"], tables["insurance_none"]
    out = []
    helps, flat = [], []
    for d in sorted(table["deposit"].unique()):
        part = table[table["deposit"] == d].sort_values("insurance_cover")
        rates = part["counterfeit_rate_max"].to_numpy(dtype=float)
        no = float(none.loc[none["deposit"] == d, "counterfeit_rate_max"].iloc[0])
        top = float(part["insurance_cover"].iloc[-1])
        if rates.max() - rates.min() <= _FLAT:
            flat.append(d)
            out.append(Claim(f"Deposit {money(d)}: the worst-case rate is {pct(no)} without insurance and stays at "
                             f"{pct(rates[0])} at every cover from 0 to {top:g}·p: insurance changes nothing here.",
                             ("insurance", "insurance_none")))
        else:
            helps.append(d)
            out.append(Claim(f"Deposit {money(d)}: the worst-case rate is {pct(no)} without insurance, "
                             f"{pct(rates[0])} at cover 0 and {pct(rates[-1])} at cover {top:g}·p (lowest "
                             f"{pct(rates.min())}).", ("insurance", "insurance_none")))
    if helps and flat:
        out.append(Claim(f"Insurance lowers the rate only at a deposit of {', '.join(money(d) for d in helps)}, not at "
                         f"{', '.join(money(d) for d in flat)}: a larger payment to the buyer raises the gain from "
                         "verifying, but where the equilibrium rate is not set by the buyer's indifference it "
                         "does not move.", ("insurance",)))
    elif flat:
        out.append(Claim("Insurance changes the worst-case rate at none of these deposits.", ("insurance",)))
    else:
        out.append(Claim("Insurance lowers the worst-case rate at every deposit shown.", ("insurance",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """The rate against cover, one line per deposit, and the no-insurance table."""
    fig = line_figure(data.tables["insurance"], "insurance_cover", ["counterfeit_rate_max"], by="deposit_label",
                      name="insurance", hover=["deposit", "regime"], title="Counterfeit rate against insurance cover",
                      caption="Direct model, insurer tops up m·p on every established fraud; one line per deposit.")
    return [Table("insurance_none", "Without insurance, per deposit", data.tables["insurance_none"]), fig]


SECTION = Section("insurance", "What does insurance add?", compute, claims, draw)
