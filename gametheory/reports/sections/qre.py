r"""Section "qre": what if sellers, buyers and platforms err?

The counterfeit rate at the principal-branch logit QRE of each payment model's game against the precision
:math:`\lambda` (per currency unit of payoff: at :math:`\lambda = 0` everyone mixes uniformly, as
:math:`\lambda \to \infty` play converges to the logit-selected Nash equilibrium), and, per model, that
equilibrium's rate beside the worst and the best equilibrium (the selection rules of :mod:`gametheory.deterrence`).

Tables: ``qre_curve`` (one row per model and precision) and ``qre_selection`` (one row per model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..document import Table
from ..figures import line_figure
from .base import Claim, Context, Section, SectionData, pct

__all__ = ["SECTION", "LAMBDA_RANGE"]

#: the precisions drawn, per currency unit (log-spaced, ``resolution`` values)
LAMBDA_RANGE = (1e-3, 3.0)


def compute(context: Context) -> dict[str, pd.DataFrame]:
    """Every model's QRE counterfeit rate over the precisions (one batch per model), and its selection rules."""
    from ... import qre, solve_batch  # lazy: sympy
    from ...models.equilibrium_metrics import counterfeit_rates  # lazy: sympy
    from ...qre.criterion import logit_rates  # lazy: sympy

    lams = np.geomspace(*LAMBDA_RANGE, context.resolution)
    curve, selection = [], []
    for name, model in context.models.items():
        rates, _ = logit_rates(model, _point(model, len(lams)), lam=lams)
        curve.append(pd.DataFrame({"model": name, "logit_precision": lams, "counterfeit_rate_qre": rates}))
        values = _point(model, 1)
        batch = model.batch(**values)
        solution = solve_batch(batch)
        eq_rates = counterfeit_rates(model, solution, values)[0, : int(solution.counts[0])]
        picked = int(qre.logit_selected(batch, solution)[0])
        selection.append({
            "model": name, "n_equilibria": int(solution.counts[0]),
            "counterfeit_rate_min": float(eq_rates.min()), "counterfeit_rate_max": float(eq_rates.max()),
            "counterfeit_rate_logit": float(eq_rates[picked]) if picked >= 0 else float("nan"),
        })
    return {"qre_curve": pd.concat(curve, ignore_index=True), "qre_selection": pd.DataFrame(selection)}


def _point(model: Any, n: int) -> dict[str, Any]:
    """The scenario repeated ``n`` times, as the parameter arrays a model's batch takes."""
    name = model.numeric_names[0]
    return {name: np.full(n, float(model.params[name]))}


def claims(tables: Mapping[str, pd.DataFrame], settings: Mapping[str, float]) -> list[Claim]:
    """Per model: the QRE rate at the lowest and highest precision, and where the logit selection lands."""
    curve, selection = tables["qre_curve"], tables["qre_selection"]
    out = []
    for name, rows in curve.groupby("model", sort=True):
        rows = rows.sort_values("logit_precision")
        lo, hi = rows.iloc[0], rows.iloc[-1]
        out.append(Claim(
            f"{name}: the counterfeit rate at the logit QRE is {pct(lo['counterfeit_rate_qre'])} at precision "
            f"{lo['logit_precision']:.3g} and {pct(hi['counterfeit_rate_qre'])} at {hi['logit_precision']:.3g}.",
            ("qre_curve",)))
    multiple = selection[selection["n_equilibria"] > 1]
    for row in multiple.itertuples():
        logit, worst, best = row.counterfeit_rate_logit, row.counterfeit_rate_max, row.counterfeit_rate_min
        where = "the worst case" if abs(logit - worst) <= 1e-9 else (
            "the best case" if abs(logit - best) <= 1e-9 else "strictly between the best and the worst case")
        out.append(Claim(
            f"{row.model} has {row.n_equilibria} equilibria (rates {pct(best)} to {pct(worst)}); the logit-selected "
            f"one has {pct(logit)}, {where}.", ("qre_selection",)))
    if multiple.empty:
        out.append(Claim("Every model has a single equilibrium here, so the logit selection agrees with the worst "
                         "and the best case.", ("qre_selection",)))
    return out


def draw(data: SectionData, context: Context) -> list[Any]:
    """The QRE rate against the precision, one line per model, and the selection table."""
    fig = line_figure(data.tables["qre_curve"], "logit_precision", ["counterfeit_rate_qre"], name="qre_curve",
                      title="Counterfeit rate at the logit QRE against the precision",
                      caption="Principal branch of each model's game at the scenario; at low precision everyone "
                              "mixes almost uniformly, at high precision play approaches the logit-selected "
                              "equilibrium.")
    return [fig, Table("qre_selection", "Worst, best and logit-selected equilibrium", data.tables["qre_selection"])]


SECTION = Section("qre", "What if sellers, buyers and platforms err?", compute, claims, draw)
