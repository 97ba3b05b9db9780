r"""Section "repeated": does the future keep sellers honest?

Repeated play (:mod:`gametheory.repeated`): a seller who sells every period, delisted when fraud is established.
The smallest discount factor :math:`\delta^*` that sustains honest selling for each model with a seller, and
against the share of buyers who verify; the smallest multiplier against the discount factor (the future as a
substitute for the penalty); the smallest store deposit against store volume; a Bayesian rating of stores.

Tables: ``repeated_threshold`` (one row per model at the scenario), ``repeated_delta`` (:math:`\delta^*` per model
and verify rate, from the sweep's ``repeated`` output), ``repeated_multiplier`` (:math:`k^*` per discount factor,
direct payment), ``repeated_store`` (the smallest store deposit per store volume, multiplier and delisting rule)
and ``repeated_rating`` (the rating per false-flag rate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..document import Table
from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, money, pct, sweep

__all__ = ["SECTION"]

#: the models with a seller who can be delisted
MODELS = ("direct", "escrow", "cash_on_delivery")
#: store volumes (orders per period) of the store-deposit table
VOLUMES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
#: false-flag rates of the rating table
FALSE_FLAGS = (0.0, 0.01, 0.02, 0.05)
#: the rating's horizon (periods), buyers' prior that a store is honest, and a patient store's discount factor
HORIZON, PRIOR, PATIENT = 200, 0.9, 0.95


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """The thresholds at the scenario, the delta* and k* curves, the store-deposit table and the rating table."""
    from ... import repeated  # lazy: scipy, sympy
    from ...repeated.incentives import seller_incentives  # lazy: scipy, sympy

    rows = []
    for name in MODELS:
        m = context.models[name]
        values, _ = m.numeric_arguments({})
        stage = {k: float(v[0]) for k, v in seller_incentives(m).evaluate(values, 1).items()}
        delta = repeated.min_discount_factor(m)
        k_now = repeated.min_penalty_multiplier(m)
        k_none = repeated.min_penalty_multiplier(m.with_params(discount_factor=0.0))
        rows.append({"model": name, "verify_rate": float(m.verify_rate), "audit_rate": float(m.audit_rate),
                     "honest_profit": stage["honest"], "counterfeit_profit": stage["deviation"],
                     "detection": stage["detection"], "min_discount_factor": _nan(delta.value),
                     "reason": delta.reason, "discount_factor": float(m.discount_factor),
                     "continuation_value": float(repeated.continuation_value(m)),
                     "min_k_with_future": _nan(k_now.value), "min_k_one_sale": _nan(k_none.value)})
    n = context.resolution
    by_verify = sweep([context.models[name] for name in MODELS], {"verify_rate": {"linspace": [0.0, 1.0, n]}},
                      outputs=["repeated"])
    direct = context.models["direct"]
    by_delta = sweep(direct, {"discount_factor": {"linspace": [0.0, 0.95, n]}}, outputs=["repeated"])
    return {
        "repeated_threshold": pd.DataFrame(rows),
        "repeated_delta": by_verify[["model", "verify_rate", "min_discount_factor"]].sort_values(
            ["model", "verify_rate"], kind="stable").reset_index(drop=True),
        "repeated_multiplier": by_delta[["model", "discount_factor", "repeated_min_penalty_multiplier",
                                         "continuation_value"]].reset_index(drop=True),
        "repeated_store": _store(direct, rows[0]),
        "repeated_rating": _rating(direct),
    }


def _nan(x: Any) -> float:
    return float("nan") if x is None else float(x)


def _store(direct: Any, scenario: Mapping[str, Any]) -> pd.DataFrame:
    """D* per volume at the scenario's multiplier and at twice the one-sale multiplier, with and without delisting."""
    from ... import repeated  # lazy: scipy, sympy

    strong = float(math.ceil(2.0 * scenario["min_k_one_sale"])) if np.isfinite(scenario["min_k_one_sale"]) else 10.0
    volumes = np.array(VOLUMES, dtype=float)
    frames = []
    for k in dict.fromkeys((float(direct.penalty_multiplier), strong)):
        for delisting in (False, True):
            res = repeated.min_store_deposit(direct.with_params(penalty_multiplier=k),
                                             points={"store_orders": volumes}, delisting=delisting)
            frames.append(pd.DataFrame({"penalty_multiplier": k, "delisting": delisting, "store_orders": volumes,
                                        "min_store_deposit": res.value, "deposit_per_order": res.value / volumes,
                                        "reason": res.reason}))
    return pd.concat(frames, ignore_index=True)


def _rating(direct: Any) -> pd.DataFrame:
    """The rating per false-flag rate, for a store at the scenario's discount factor and for a patient one."""
    from ... import repeated  # lazy: scipy, sympy

    rows = []
    for delta in dict.fromkeys((float(direct.discount_factor), PATIENT)):
        for eps in FALSE_FLAGS:
            r = repeated.reputation(direct.with_params(discount_factor=delta), prior_honest=PRIOR,
                                    false_flag_rate=eps, horizon=HORIZON)
            rows.append({"discount_factor": delta, "false_flag_rate": eps, "trust_threshold": r.trust_threshold,
                         "expected_recognition": r.expected_recognition, "recognition_rate": r.recognition_rate,
                         "false_recognition": r.false_recognition, "honest_at_start": r.honest_at_start,
                         "honest_periods": r.honest_periods, "expected_fakes": r.expected_fakes})
    return pd.DataFrame(rows)


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """delta* per model, the future as a multiplier, delta* against verification, store deposits, the rating."""
    th = tables["repeated_threshold"].set_index("model")
    d = th.loc["direct"]
    shown = ", ".join(f"{m} {_delta(th.loc[m, 'min_discount_factor'])}" for m in th.index)
    out = [Claim(f"With {pct(float(d['verify_rate']))} of buyers verifying and {pct(float(d['audit_rate']))} of "
                 f"orders audited, honest selling forever is subgame perfect (grim trigger, delisting on established "
                 f"fraud) from a discount factor of {shown}.", ("repeated_threshold",))]
    out.append(Claim(f"At the scenario's discount factor {float(d['discount_factor']):g}, delisting takes "
                     f"{money(float(d['continuation_value']))} of future profit from a direct-payment seller; the "
                     f"smallest multiplier that keeps it honest falls from {_k(d['min_k_one_sale'])} in a single sale "
                     f"to {_k(d['min_k_with_future'])}.", ("repeated_threshold",)))
    curve = tables["repeated_multiplier"]
    zero = curve[curve["repeated_min_penalty_multiplier"] <= 1e-12]
    if len(zero):
        out.append(Claim(f"On the grid of discount factors the future alone deters (k* = 0) from "
                         f"{float(zero['discount_factor'].min()):.3g} on.", ("repeated_multiplier",)))
    delta = tables["repeated_delta"]
    direct = delta[delta["model"] == "direct"]
    ends = direct.iloc[[0, -1]]["min_discount_factor"].to_numpy(dtype=float)
    out.append(Claim(f"In direct payment delta* falls from {_delta(ends[0])} when no buyer verifies to "
                     f"{_delta(ends[1])} when every buyer does.", ("repeated_delta",)))
    out += _store_claims(tables["repeated_store"])
    rating = tables["repeated_rating"]
    patient = rating[rating["discount_factor"] == rating["discount_factor"].max()].set_index("false_flag_rate")
    exact, noisy = patient.iloc[0], patient.iloc[-1]
    out.append(Claim(f"A Bayesian rating (prior {PRIOR:g} on honest) recognises a store that fakes every order after "
                     f"{float(exact['expected_recognition']):.3g} orders when only frauds are flagged, and after "
                     f"{float(noisy['expected_recognition']):.3g} with a false-flag rate of "
                     f"{float(patient.index[-1]):g}, which also costs an honest store its trust with probability "
                     f"{pct(float(noisy['false_recognition']))} within {HORIZON} periods.", ("repeated_rating",)))
    out.append(Claim(f"A strategic store with discount factor {float(rating['discount_factor'].max()):g} stays honest "
                     f"for {int(exact['honest_periods'])} of {HORIZON} periods when only frauds are flagged, and for "
                     + ", ".join(f"{int(row['honest_periods'])} (false flags {eps:g})"
                                 for eps, row in patient.iloc[1:].iterrows())
                     + ": under a noisy rating a clean record becomes a buffer the store spends.",
                     ("repeated_rating",)))
    return out


def _store_claims(store: pd.DataFrame) -> list[Claim]:
    out = []
    for k, part in store.groupby("penalty_multiplier", sort=True):
        alone = part[~part["delisting"].astype(bool)]
        ok = alone[alone["min_store_deposit"].notna()]
        if not len(ok):
            out.append(Claim(f"With k = {k:g} no store deposit deters on its own, at any volume: compensation is "
                             f"capped at k·p per established fraud.", ("repeated_store",)))
            continue
        first, last = ok.iloc[0], ok.iloc[-1]
        out.append(Claim(f"With k = {k:g} the deterring store deposit per order falls from "
                         f"{money(float(first['deposit_per_order']))} at {int(first['store_orders'])} order(s) per "
                         f"period to {money(float(last['deposit_per_order']))} at {int(last['store_orders'])}: one "
                         f"deposit for the store binds in expectation, not per order.", ("repeated_store",)))
    listed = store[store["delisting"].astype(bool) & (store["min_store_deposit"] <= 1e-9)]
    if len(listed):
        out.append(Claim(f"With delisting, a store of {int(listed['store_orders'].min())} or more orders per period "
                         f"needs no deposit at all: one established fraud costs it its whole future.",
                         ("repeated_store",)))
    return out


def _delta(x: Any) -> str:
    return "none (not sustainable)" if not np.isfinite(float(x)) else f"**{float(x):.3g}**"


def _k(x: Any) -> str:
    return "none" if not np.isfinite(float(x)) else f"k* = {float(x):.3g}"


def draw(data: SectionData, context: Context) -> list[Any]:
    """delta* against the verify rate, k* against delta, the store deposit per order against volume, two tables."""
    t = data.tables
    delta = line_figure(t["repeated_delta"], "verify_rate", ["min_discount_factor"], name="repeated_delta",
                        title="Smallest discount factor that keeps a seller honest",
                        caption="Grim trigger with delisting on established fraud (gametheory.repeated); the platform "
                                "audits at the scenario's audit_rate. Missing: not sustainable at any discount factor.")
    mult = line_figure(t["repeated_multiplier"], "discount_factor", ["repeated_min_penalty_multiplier"],
                       name="repeated_multiplier", hover=["continuation_value"],
                       title="Smallest multiplier that keeps a repeatedly selling seller honest (direct payment)",
                       caption="The future substitutes for the multiplier: each unit of continuation value lost on "
                               "detection replaces a unit of penalty.")
    store = t["repeated_store"].assign(
        rule=lambda f: [f"k = {k:g}" + (", delisting" if d else ", deposit alone")
                        for k, d in zip(f["penalty_multiplier"], f["delisting"], strict=True)])
    per_order = line_figure(store, "store_orders", ["deposit_per_order"], name="repeated_store", by="rule",
                            hover=["penalty_multiplier", "delisting", "min_store_deposit", "reason"],
                            title="Smallest deterring store deposit per order, against store volume",
                            caption="One deposit backs all of a store's orders in a period (topped up after it); "
                                    "established frauds draw k·p each until it is exhausted.")
    return [delta, mult, per_order,
            Table("repeated_threshold", "Repeated play at the scenario, per model", t["repeated_threshold"]),
            Table("repeated_rating", "A Bayesian rating of stores, per false-flag rate", t["repeated_rating"])]


SECTION = Section("repeated", "Does the future keep sellers honest?", compute, claims, draw)
