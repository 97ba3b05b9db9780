r"""The flagship report: every payment model on one scenario, and the sweeps that answer the seed's questions.

1. **What happens?** Each model's equilibria at the scenario, with their outcomes.
2. **Does punitive compensation to buyers deter where a fine to the platform does not?** On the direct model,
   the same amounts of money taken from a caught counterfeiter, paid either to the buyer (the multiplier
   :math:`k`, as :math:`k p`) or to the platform (the fine :math:`F`), against the worst-case counterfeit rate.
3. **How small a deposit defeats the multiplier?** The worst-case counterfeit rate over multiplier and deposit:
   the deposit caps the real penalty at :math:`\min(k p, D)`.
4. **What does insurance add?** The counterfeit rate against the insurer's cover, with a small and a large deposit.
5. **What does escrow cost?** All models against detection probability, and escrow's welfare against its cost of
   holding funds, beside direct payment's.

Every sentence of findings is computed from the numbers in the tables beside it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import limits
from .._validation import InstanceOf, Interval, NoneOr, check_param, validate_params
from .document import Document, Figure, Heading, Report, Table, Text, write
from .figures import category_map, line_figure, value_map
from .labels import label

__all__ = ["compare", "scenario"]

_PATH = InstanceOf(str, Path, description="a str or a pathlib.Path")
_MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")
_OUTCOMES = ("counterfeit_rate", "welfare", "buyer_surplus", "seller_profit", "platform_profit", "funds_held")


def scenario(params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every payment model at the default scenario with ``params`` applied where a model has the parameter.

    Parameters
    ----------
    params : dict, optional
        Parameter name -> value (``--set`` on the command line).

    Returns
    -------
    dict
        Model name -> model.

    Raises
    ------
    InvalidParameterError
        A parameter no model has, or a value outside its domain.

    Examples
    --------
    >>> models = scenario({"price": 80})
    >>> sorted(models), models["escrow"].price
    (['cash_on_delivery', 'direct', 'escrow', 'self_operated'], 80.0)
    """
    from .. import models as gm
    from .._validation import unknown_name_error

    params = dict(params or {})
    available = {name: set(gm.get(name).parameter_names) for name in _MODELS}
    everything = set().union(*available.values())
    for key in params:
        if key not in everything:
            raise unknown_name_error("parameter", key, everything)
    return {name: gm.get(name, **{k: v for k, v in params.items() if k in available[name]}) for name in _MODELS}


@validate_params(
    {
        "out": None,
        "params": NoneOr(InstanceOf(Mapping, description="a mapping")),
        "target_rate": Interval(float, 0, 1),
        "resolution": Interval(int, 5, None),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
        "max_points": NoneOr(Interval(int, 1, None)),
    }
)
def compare(out: str | Path, *, params: Mapping[str, Any] | None = None, target_rate: float = 0.02,
            resolution: int = 41, max_seconds: float | None = None, max_points: int | None = None) -> Report:
    """Write the flagship report: all four payment models on one scenario, and the seed's four questions.

    Parameters
    ----------
    out : str or Path
        The report folder (``index.html``, ``index.md``, ``figures/``, ``data/``).
    params : dict, optional
        Changes to the default scenario (applied to every model that has the parameter).
    target_rate : float
        The worst-case counterfeit rate counted as "deterred" in the findings.
    resolution : int
        Values per swept axis (the maps have ``resolution**2`` points).
    max_seconds, max_points : optional
        Raise the limits on the estimated work and the maps' points
        (:func:`gametheory.limits.check_compare`), checked before anything is computed.

    Returns
    -------
    Report

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> report = gt.reports.compare(tempfile.mkdtemp(), resolution=5)
    >>> "models_equilibria" in report.tables
    True
    """
    check_param("compare", "out", out, _PATH)
    limits.check_compare(resolution, max_seconds=max_seconds, max_points=max_points)
    started = time.perf_counter()
    models = scenario(params)
    doc = Document("Payment models compared: cash on delivery, escrow, direct payment, self-operated")
    changed = ", ".join(f"{k} = {v}" for k, v in (params or {}).items()) or "none (the documented defaults)"
    doc.add(Text(f"One scenario, four payment models, and the sweeps that answer the seed's questions. "
                 f"Changes to the default scenario: {changed}. A point is **deterred** when the counterfeit rate "
                 f"is at most {target_rate:g} in every equilibrium (the worst case)."))
    doc.add(*_section_models(models))
    doc.add(*_section_enforcers(models["direct"], resolution, target_rate))
    doc.add(*_section_deposit(models["direct"], resolution, target_rate))
    doc.add(*_section_insurance(models["direct"], resolution))
    doc.add(*_section_escrow(models, resolution))
    doc.add(Text(f"Computed in {time.perf_counter() - started:.1f} s by gametheory {_version()}."))
    return write(doc, out)


def _version() -> str:
    from .. import __version__

    return __version__


def _sweep(models: Any, grid: dict[str, Any], fixed: dict[str, Any] | None = None, **kw: Any) -> pd.DataFrame:
    from ..sweeps import sweep

    items = models if isinstance(models, list) else [models]
    return sweep(items, grid=grid, fixed=fixed, progress="off", **kw)


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f}%"


def _money(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:,.1f}"


# ------------------------------------------------------------------------------------------------- 1. models
def _section_models(models: dict[str, Any]) -> list[Any]:
    from .. import solve
    from .sweep_report import scenario_table

    rows = []
    for name, model in models.items():
        eqs = solve(model.game())
        for e, eq in enumerate(eqs):
            probs = {f"P({s[-1]})": float(v[-1]) for s, v in zip(model.strategies, eq.profile, strict=True)}
            outcome = model.outcomes(eq)
            rows.append({"model": name, "equilibrium": e + 1, **probs,
                         **{k: float(outcome.get(k, np.nan)) for k in _OUTCOMES}, "regret": float(eq.regret)})
    table = pd.DataFrame(rows)
    summary = table.groupby("model", sort=False).agg(
        equilibria=("equilibrium", "size"), counterfeit_worst=("counterfeit_rate", "max"),
        welfare_low=("welfare", "min"), welfare_high=("welfare", "max"), funds_held=("funds_held", "max"),
    ).reset_index()
    best = summary.loc[summary["counterfeit_worst"].idxmin()]
    worst = summary.loc[summary["counterfeit_worst"].idxmax()]
    rich = summary.loc[summary["welfare_low"].idxmax()]
    frame = pd.concat([_scenario_frame(m) for m in models.values()], ignore_index=True)
    findings = [
        f"- **{best['model']}** has the lowest worst-case counterfeit rate ({_pct(best['counterfeit_worst'])}); "
        f"**{worst['model']}** the highest ({_pct(worst['counterfeit_worst'])}).",
        f"- Welfare in the worst equilibrium is highest under **{rich['model']}** ({_money(rich['welfare_low'])} per "
        "order).",
    ]
    held = summary[summary["funds_held"] > 0]
    if len(held):
        findings.append("- Only " + ", ".join(f"**{m}**" for m in held["model"]) + " holds buyers' money "
                        f"({_money(float(held['funds_held'].max()))} per order at most).")
    stable = _stable_table(models)
    unstable = stable.loc[stable["stable states"] == 0, "model"].tolist()
    if unstable:
        names = ", ".join(f"**{m}**" for m in unstable)
        findings.append(f"- The replicator dynamics have no asymptotically stable state under {names}: no pure "
                        "profile is stable and the mixed rest point is not attracting, so play does not settle.")
    others = stable[stable["stable states"] > 0]
    for row in others.itertuples(index=False):
        findings.append(f"- Under **{row.model}** the dynamics settle at {row.labels}.")
    return [
        Heading("1. The four payment models on one scenario"),
        Text("\n".join(findings)),
        Table("models_summary", "Summary per model (over its equilibria)", summary),
        Table("models_equilibria", "Every Nash equilibrium: the probability of each player's second strategy "
              "(Counterfeit, Verify, Audit) and the outcomes", table),
        Table("stable_states", "Rest points of the replicator dynamics and the stable ones (gametheory.dynamics)",
              stable),
        Table("scenario", "The scenario: parameters of each model", scenario_table(frame, [])),
    ]


def _stable_table(models: dict[str, Any]) -> pd.DataFrame:
    from .. import dynamics

    rows = []
    for name, model in models.items():
        analysis = dynamics.analyze(model.game())
        kinds = pd.Series([s.classification for s in analysis]).value_counts().to_dict()
        rows.append({"model": name, "rest points": len(analysis), "stable states": len(analysis.stable),
                     "labels": " + ".join(s.label for s in analysis.stable) or "none",
                     "classes": ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
                     "continuum": bool(analysis.continuum)})
    return pd.DataFrame(rows)


def _scenario_frame(model: Any) -> pd.DataFrame:
    return pd.DataFrame([{"model": model.name, **model.params}])


# ------------------------------------------------------------------------------------- 2. buyers as enforcers
def _section_enforcers(direct: Any, resolution: int, target: float) -> list[Any]:
    price = float(direct.price)
    kmax = 10.0
    amounts = np.linspace(0.0, kmax * price, resolution)
    big_deposit = max(float(direct.deposit), kmax * price)
    base = {"deposit": big_deposit, "insurance_cover": 0.0}  # insurance would make buyers enforcers in every arm
    via_k = _sweep(direct, {"penalty_multiplier": amounts / price}, fixed={**base, "fine": 0.0})
    via_f = _sweep(direct, {"fine": amounts}, fixed={**base, "penalty_multiplier": 0.0})
    via_r = _sweep(direct, {"fine": amounts}, fixed={**base, "penalty_multiplier": 0.0, "fine_to_platform": 0.0})
    data = pd.DataFrame({
        "amount": amounts,
        "penalty_multiplier": amounts / price,
        "rate_paid_to_buyer": via_k["counterfeit_rate_max"].to_numpy(),
        "rate_fined_to_platform": via_f["counterfeit_rate_max"].to_numpy(),
        "rate_fined_to_regulator": via_r["counterfeit_rate_max"].to_numpy(),
        "regime_paid_to_buyer": via_k["regime"].to_numpy(),
        "regime_fined_to_platform": via_f["regime"].to_numpy(),
        "regime_fined_to_regulator": via_r["regime"].to_numpy(),
    })
    fig, ax = _axes()
    ax.plot(data["amount"], data["rate_paid_to_buyer"], "-", color="#1b6ca8", label="paid to the buyer (k·p)")
    ax.plot(data["amount"], data["rate_fined_to_platform"], "--", color="#d1495b", label="fined to the platform (F)")
    ax.plot(data["amount"], data["rate_fined_to_regulator"], "-.", color="#edae49",
            label="fined to a regulator (F, platform keeps none)")
    ax.axhline(target, color="#888", lw=0.8, ls=":", label=f"target {target:g}")
    ax.set_xlabel("money taken from a caught counterfeiter (currency per order)")
    ax.set_ylabel(label("counterfeit_rate_max"))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    first_k = _first_below(data["amount"], data["rate_paid_to_buyer"], target)
    first_f = _first_below(data["amount"], data["rate_fined_to_platform"], target)
    text = (
        f"With the same amount taken from a caught counterfeiter, paying it to the buyer takes the worst-case "
        f"counterfeit rate from {_pct(data['rate_paid_to_buyer'].iloc[0])} to "
        f"{_pct(data['rate_paid_to_buyer'].iloc[-1])} over 0 to {_money(amounts[-1])}; fining it to the platform "
        f"takes it from {_pct(data['rate_fined_to_platform'].iloc[0])} to "
        f"{_pct(data['rate_fined_to_platform'].iloc[-1])}. "
        + (f"Compensation reaches the target {target:g} at {_money(first_k)} (k = {first_k / price:.2g}); "
           if np.isfinite(first_k) else f"Compensation never reaches the target {target:g} in this range; ")
        + (f"the fine at {_money(first_f)}." if np.isfinite(first_f) else "the fine never does.")
        + _regulator_finding(data)
    )
    figure = Figure("enforcers", "Compensation to buyers against a fine to the platform or to a regulator",
                    f"Direct model; deposit {_money(big_deposit)} so that it does not cap the penalty; no insurance; "
                    "the other instrument set to 0.", fig, data)
    return [Heading("2. Does punitive compensation to buyers deter where a fine to the platform does not?"),
            Text(text), figure]


def _regulator_finding(data: pd.DataFrame) -> str:
    """The classic inspection-game result, read off the 'fined to a regulator' arm."""
    rate = data["rate_fined_to_regulator"].to_numpy()
    mixed = np.flatnonzero(rate < 1 - 1e-9)
    head = (" A fine the platform keeps is itself a reason to audit. When the fine goes to a regulator instead (the "
            "classic inspection game), the platform audits only to protect its reputation: ")
    if not len(mixed):
        return head + "the seller counterfeits at every fine in this range."
    low, high = rate[mixed].min(), rate[mixed].max()
    level = _pct(low) if np.isclose(low, high) else f"between {_pct(low)} and {_pct(high)}"
    return head + (f"from a fine of {_money(data['amount'].iloc[mixed[0]])} on, the counterfeit rate stays at {level} "
                   "however large the fine: a larger fine lowers the audit rate, not the violation rate.")


def _first_below(x: pd.Series, y: pd.Series, target: float) -> float:
    hit = np.flatnonzero(y.to_numpy() <= target + 1e-12)
    return float(x.iloc[hit[0]]) if len(hit) else float("nan")


def _axes() -> Any:
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(6.4, 4.0), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


# ------------------------------------------------------------------------------------------ 3. deposit cap
def _section_deposit(direct: Any, resolution: int, target: float) -> list[Any]:
    price = float(direct.price)
    grid = {"penalty_multiplier": {"linspace": [0.0, 10.0, resolution]},
            "deposit": {"logspace": [np.log10(price / 10), np.log10(price * 20), resolution]}}
    df = _sweep(direct, grid, outputs=["equilibria", "counterfeit", "stable_states"])
    rate = value_map(df, "penalty_multiplier", "deposit", "counterfeit_rate_max", name="deposit_rate", log=True,
                     title="Worst-case counterfeit rate, direct payment",
                     caption="Colours on a log scale. The deposit caps the compensation at min(k·p, D): to the "
                             "right of the dashed line k·p = D, raising k changes nothing.")
    rate.figure.axes[0].plot(np.linspace(0, 10, 50), price * np.linspace(0, 10, 50), color="white", lw=1, ls="--")
    regime = category_map(df, "penalty_multiplier", "deposit", "regime", name="deposit_regime",
                          title="Equilibrium regime, direct payment", caption="Which equilibrium holds where.")
    best = df.groupby("deposit")["counterfeit_rate_max"].min()
    ok = best[best <= target + 1e-12]
    k_grid = df[df["counterfeit_rate_max"] <= target + 1e-12].groupby("deposit")["penalty_multiplier"].min()
    curve = pd.DataFrame({"deposit": best.index, "best_rate_over_k": best.to_numpy(),
                          "smallest_k_on_grid": k_grid.reindex(best.index).to_numpy()})
    text = [f"- Over the grid, the best worst-case rate any multiplier up to 10 achieves at a given deposit ranges "
            f"from {_pct(best.min())} to {_pct(best.max())}."]
    if len(ok):
        text.append(f"- The smallest deposit on the grid at which some multiplier meets the target {target:g} is "
                    f"**{_money(float(ok.index.min()))}** ({float(ok.index.min()) / price:.2g} times the price); "
                    "below it no multiplier deters.")
    else:
        text.append(f"- No deposit up to {_money(float(best.index.max()))} lets a multiplier up to 10 meet the "
                    f"target {target:g}.")
    flat = df[df["penalty_multiplier"] * price >= df["deposit"]]
    if len(flat):
        spread = flat.groupby("deposit")["counterfeit_rate_max"].agg(lambda s: float(s.max() - s.min())).max()
        text.append(f"- Once k·p exceeds the deposit the rate no longer moves with k (largest change "
                    f"{spread:.2g}): the cap binds.")
    text.append(_exact_threshold(direct, target))
    k_map = _sweep(direct, {"deposit": grid["deposit"], "detection_prob": {"linspace": [0.05, 1.0, resolution]}},
                   outputs=["threshold"], threshold={"target_rate": target, "method": "search"})
    k_fig = value_map(k_map, "deposit", "detection_prob", "threshold_penalty_multiplier", name="threshold_map",
                      title=f"Smallest deterring multiplier k* (target {target:g}), direct payment",
                      caption="From gametheory.deterrence (vectorised bracketing search, every bracket certified by "
                              "equilibria); blank: no multiplier deters, because the deposit caps the penalty.")
    stable = category_map(df, "penalty_multiplier", "deposit", "stable_states", name="deposit_stable",
                          title="Stable states of the replicator dynamics, direct payment",
                          caption="Asymptotically stable rest points (gametheory.dynamics.classify_batch); none: "
                                  "play cycles or converges to no corner.")
    honest = df["stable_states"].astype(str).str.startswith("Genuine")
    if honest.any():
        text.append(f"- The dynamics settle on honest selling (a stable state with Genuine) at "
                    f"{100 * honest.mean():.0f}% of the grid points.")
    return [Heading("3. How small a deposit defeats the multiplier?"), Text("\n".join(text)), rate, regime, stable,
            k_fig,
            Table("deposit_curve", "Best worst-case rate over k, and the smallest k on the grid meeting the target, "
                  "per deposit", curve)]


def _exact_threshold(direct: Any, target: float) -> str:
    from .. import deterrence

    res = deterrence.min_penalty_multiplier(direct, target_rate=target, method="search")
    if bool(np.all(res.feasible)) and res.threshold is not None:
        k = float(np.asarray(res.threshold))
        return (f"- At the scenario (deposit {_money(float(direct.deposit))}), the smallest deterring multiplier is "
                f"**k* = {k:.4g}** ({res.method}); the deposit must hold at least k*·p = "
                f"{_money(k * float(direct.price))}.")
    need = "" if res.min_deposit is None else f" The smallest sufficient deposit is {_money(float(res.min_deposit))}."
    return f"- At the scenario no multiplier deters: {res.reason}.{need}"


# --------------------------------------------------------------------------------------------- 4. insurance
def _section_insurance(direct: Any, resolution: int) -> list[Any]:
    price = float(direct.price)
    deposits = sorted({price * 0.5, float(direct.deposit)})
    grid = {"insurance_cover": {"linspace": [0.0, 3.0, resolution]}, "deposit": deposits}
    df = _sweep(direct, grid, fixed={"insurance": "top_up"})
    none = _sweep(direct, {"deposit": deposits}, fixed={"insurance": "none"})
    df = df.assign(deposit_label=[f"deposit {d:g}" for d in df["deposit"]])
    fig = line_figure(df, "insurance_cover", ["counterfeit_rate_max"], by="deposit_label", name="insurance",
                      title="Counterfeit rate against insurance cover",
                      caption="Direct model, insurer tops up m·p on every established fraud; one line per deposit.")
    text = []
    for d in deposits:
        part = df[df["deposit"] == d]
        no = float(none.loc[none["deposit"] == d, "counterfeit_rate_max"].iloc[0])
        text.append(f"- Deposit {_money(d)}: worst-case rate {_pct(no)} without insurance, "
                    f"{_pct(float(part['counterfeit_rate_max'].iloc[0]))} at cover 0 and "
                    f"{_pct(float(part['counterfeit_rate_max'].iloc[-1]))} at cover 3·p.")
    return [Heading("4. What does insurance add?"),
            Text("Insurance pays the buyer on top of the deposit, so it raises the buyer's gain from verifying and "
                 "claiming even when the deposit is small.\n" + "\n".join(text)), fig]


# --------------------------------------------------------------------------------------------- 5. escrow cost
def _section_escrow(models: dict[str, Any], resolution: int) -> list[Any]:
    from .sweep_report import _slice

    all_models = [models[n] for n in _MODELS]
    by_q = _sweep(all_models, {"detection_prob": {"linspace": [0.0, 1.0, resolution]}})
    part, where = _slice(by_q, ["detection_prob"], {})
    rate = line_figure(part, "detection_prob", ["counterfeit_rate_max"], name="models_detection",
                       title="Worst-case counterfeit rate against detection probability",
                       caption="One line per payment model, each at the scenario.")
    welfare = line_figure(part, "detection_prob", ["welfare_min"], name="models_welfare",
                          title="Welfare (worst equilibrium) against detection probability",
                          caption="One line per payment model, each at the scenario.")
    kappa = _sweep(models["escrow"], {"escrow_cost": {"linspace": [0.0, 10.0, resolution]}})
    direct_welfare = float(_sweep(models["direct"], {})["welfare_min"].iloc[0])
    kappa_fig = line_figure(kappa, "escrow_cost", ["welfare_min", "platform_profit_min"], name="escrow_cost",
                            title="Escrow: welfare and platform profit against the cost of holding funds",
                            caption=f"Escrow model; direct payment's worst-equilibrium welfare is {direct_welfare:.4g} "
                                    "(dotted).")
    kappa_fig.figure.axes[0].axhline(direct_welfare, color="#888", ls=":", lw=1)
    esc = kappa["welfare_min"].to_numpy()
    above = kappa["escrow_cost"].to_numpy()[esc >= direct_welfare - 1e-9]
    mean_rate = part.groupby("model")["counterfeit_rate_max"].mean()
    text = ["- Averaged over detection probabilities, the worst-case counterfeit rate is "
            + ", ".join(f"{m} {_pct(v)}" for m, v in mean_rate.sort_values().items()) + "."]
    if len(above) == len(esc):
        text.append(f"- Escrow's welfare stays at or above direct payment's ({direct_welfare:.4g}) for every cost of "
                    f"holding funds up to {kappa['escrow_cost'].max():g}.")
    elif len(above):
        text.append(f"- Escrow matches direct payment's welfare ({direct_welfare:.4g}) only while its cost of holding "
                    f"funds is at most **{above.max():.3g}** per order; beyond that direct payment does better "
                    "without holding anyone's money.")
    else:
        text.append(f"- At every cost of holding funds from 0 to {kappa['escrow_cost'].max():g}, escrow's welfare "
                    f"stays below direct payment's ({direct_welfare:.4g}): direct payment with deposit, multiplier "
                    "and insurance does at least as well without holding buyers' money.")
    return [Heading("5. What does escrow cost?"), Text("\n".join(text)), rate, welfare, kappa_fig]

