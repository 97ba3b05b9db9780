"""Draw docs/figures/deterrence_nonmonotone.png: the worst-case counterfeit rate against k, and the exact set.

Run: ``python docs/figures/deterrence_nonmonotone.py`` (direct model at its defaults, target rate 0.08).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import gametheory as gt  # noqa: E402
from gametheory.deterrence.criteria import deciding_rates  # noqa: E402

TARGET = 0.08
K_MAX = 1.2


def main() -> Path:
    direct = gt.models.get("direct")
    region = gt.deterrence.deterrence_set(direct, target_rate=TARGET, bounds=(0.0, K_MAX))
    ks = np.linspace(0.0, K_MAX, 2401)
    rate = deciding_rates(direct, "all_equilibria", {"penalty_multiplier": ks}, tol=1e-9)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    for iv in region.intervals:
        ax.axvspan(iv.lower, iv.upper, color="tab:green", alpha=0.15, lw=0)
    ax.plot(ks, rate, color="black", lw=1.4, label="worst-case counterfeit rate (all equilibria)")
    ax.axhline(TARGET, color="tab:red", ls="--", lw=1, label=f"target {TARGET:g}")
    for b in region.breakpoints:
        ax.axvline(b.value, color="grey", lw=0.5, alpha=0.6)
    ax.axvline(region.smallest, color="tab:green", lw=2, label=f"smallest k = {region.smallest:.4g}")
    ax.axvline(region.robust, color="tab:blue", lw=2, label=f"robust k = {region.robust:.4g}")
    ax.set_ylim(0, 0.25)
    ax.set_xlim(0, K_MAX)
    ax.set_xlabel("penalty multiplier k (compensation k·p)")
    ax.set_ylabel("counterfeit rate")
    ax.set_title("Direct payment, defaults: the set where the target holds is "
                 f"{region.describe()}", fontsize=9)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    out = Path(__file__).with_suffix(".png")
    fig.savefig(out, dpi=120)
    return out


if __name__ == "__main__":
    print(main())
