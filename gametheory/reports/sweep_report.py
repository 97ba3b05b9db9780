"""The report of a sweep: scenario, regime maps, counterfeit rate and welfare per axis, thresholds, stable states.

Each figure draws one slice of the sweep: the axes it does not draw are held at their middle value (recorded in
the caption and in :attr:`Figure.where`), and an axis with more than :data:`MAX_CELLS` values is thinned to that
many evenly spaced values. The table behind each figure holds exactly the rows of the sweep it draws.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._validation import InstanceOf, NoneOr, check_param, validate_params
from ..errors import InvalidParameterError
from .document import Document, Heading, Report, Table, Text, write
from .figures import category_map, line_figure, value_map
from .labels import label

__all__ = ["build", "sweep_sections", "scenario_table", "axes_of", "MAX_CELLS"]

#: values per axis drawn at most in a map (more are thinned evenly)
MAX_CELLS = 200
_PAIRS = 3  # regime maps over pairs of the first three axes


@validate_params(
    {
        "source": None,
        "out": None,
        "title": NoneOr(InstanceOf(str, description="a str")),
    }
)
def build(source: pd.DataFrame | str | Path, out: str | Path, *, title: str | None = None) -> Report:
    """Write the report of a sweep to ``out/index.html`` (self-contained) and ``out/index.md``.

    Parameters
    ----------
    source : DataFrame or path
        What :func:`gametheory.sweep` returned, or a sweep's output folder.
    out : str or Path
        The report folder.
    title : str, optional
        Defaults to the spec's title, else one made from the models and axes.

    Returns
    -------
    Report
        Paths of the HTML, the Markdown, and every figure's PNG and CSV.

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> df = gt.sweep("direct", grid={"penalty_multiplier": [0, 2, 4], "deposit": [100, 1000]}, progress=False)
    >>> report = gt.reports.build(df, tempfile.mkdtemp())
    >>> sorted(report.figures)[:2]
    ['counterfeit_deposit', 'counterfeit_penalty_multiplier']
    """
    check_param("build", "source", source, InstanceOf(pd.DataFrame, str, Path,
                                                      description="a DataFrame, a str or a pathlib.Path"))
    check_param("build", "out", out, InstanceOf(str, Path, description="a str or a pathlib.Path"))
    if not isinstance(source, pd.DataFrame):
        from ..sweeps.store import load

        source = load(source)
    if source.empty:
        raise InvalidParameterError("The 'source' parameter of build holds no rows: nothing to report.")
    spec = source.attrs.get("spec", {})
    axes = axes_of(source)
    models = list(dict.fromkeys(source["model"]))
    name = title or spec.get("title") or f"Sweep of {', '.join(models)} over {', '.join(axes) or 'one point'}"
    doc = Document(name)
    doc.add(Text(f"{len(source):,} rows: {len(models)} payment model(s) ({', '.join(models)}) over "
                 f"{' x '.join(f'{a} ({source[a].nunique()})' for a in axes) or 'a single point'}."))
    doc.add(*sweep_sections(source, axes))
    return write(doc, out)


def axes_of(frame: pd.DataFrame) -> list[str]:
    """The swept axes of a sweep table: from ``attrs["spec"]``, else the parameter columns that vary.

    Examples
    --------
    >>> import pandas as pd
    >>> axes_of(pd.DataFrame({"model": ["direct"] * 2, "price": [1.0, 2.0], "deposit": [5.0, 5.0]}))
    ['price']
    """
    spec = frame.attrs.get("spec") or {}
    if spec.get("axes") is not None:
        return [a for a in spec["axes"] if a in frame.columns]
    from ..models import VOCABULARY

    return [c for c in frame.columns if c in VOCABULARY and frame[c].nunique(dropna=True) > 1]


def scenario_table(frame: pd.DataFrame, axes: list[str]) -> pd.DataFrame:
    """The parameters held fixed, per model: name, symbol, unit, meaning and value.

    Examples
    --------
    >>> import pandas as pd
    >>> t = scenario_table(pd.DataFrame({"model": ["direct"], "price": [100.0]}), [])
    >>> t.loc[0, "parameter"], float(t.loc[0, "direct"])
    ('price', 100.0)
    """
    from ..models import VOCABULARY

    rows = []
    models = list(dict.fromkeys(frame["model"]))
    for name in VOCABULARY:
        if name not in frame.columns or name in axes:
            continue
        par = VOCABULARY[name]
        row: dict[str, Any] = {"parameter": name, "symbol": str(par.symbol or ""), "unit": par.unit,
                               "meaning": par.meaning}
        values = [_scalar(frame.loc[frame["model"] == m, name].iloc[0]) for m in models]
        if all(pd.isna(v) for v in values):
            continue
        for model, value in zip(models, values, strict=True):
            row[model] = "" if pd.isna(value) else value
        rows.append(row)
    return pd.DataFrame(rows)


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _axis_table(frame: pd.DataFrame, axes: list[str]) -> pd.DataFrame:
    from ..models import VOCABULARY

    rows = []
    for a in axes:
        values = np.sort(frame[a].unique())
        par = VOCABULARY.get(a)
        rows.append({"axis": a, "symbol": str(par.symbol) if par else "", "unit": par.unit if par else "",
                     "from": values[0], "to": values[-1], "values": len(values)})
    return pd.DataFrame(rows)


def _reference(frame: pd.DataFrame, axes: list[str]) -> dict[str, float]:
    """The middle value of each axis: where the axes a figure does not draw are held."""
    return {a: float(np.sort(frame[a].unique())[len(frame[a].unique()) // 2]) for a in axes}


def _slice(frame: pd.DataFrame, keep: list[str], reference: dict[str, float]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Rows where every axis not in ``keep`` is at its reference value; axes in ``keep`` thinned to MAX_CELLS."""
    where = {a: v for a, v in reference.items() if a not in keep}
    mask = np.ones(len(frame), dtype=bool)
    for a, v in where.items():
        mask &= frame[a].to_numpy() == v
    for a in keep:
        values = np.sort(frame[a].unique())
        if len(values) > MAX_CELLS:
            picked = values[np.unique(np.linspace(0, len(values) - 1, MAX_CELLS).round().astype(int))]
            mask &= frame[a].isin(picked).to_numpy()
    return frame.loc[mask], where


def sweep_sections(frame: pd.DataFrame, axes: list[str], *, prefix: str = "") -> list[Any]:
    """The report blocks for a sweep table (used by :func:`build` and by the ``compare`` report).

    Parameters
    ----------
    frame : DataFrame
        A sweep table.
    axes : list of str
        Its axes.
    prefix : str
        Prepended to figure names (to keep several sweeps apart in one report).

    Returns
    -------
    list of blocks

    Examples
    --------
    >>> import gametheory as gt
    >>> df = gt.sweep("escrow", grid={"escrow_cost": [0, 2, 4]}, progress=False)
    >>> [b.name for b in sweep_sections(df, ["escrow_cost"]) if hasattr(b, "figure")]
    ['counterfeit_escrow_cost', 'welfare_escrow_cost']
    """
    blocks: list[Any] = [Heading("Scenario and parameters")]
    blocks.append(Table(f"{prefix}scenario", "Parameters held fixed", scenario_table(frame, axes)))
    if axes:
        blocks.append(Table(f"{prefix}axes", "Axes swept", _axis_table(frame, axes)))
    reference = _reference(frame, axes)
    models = list(dict.fromkeys(frame["model"]))
    pairs = list(itertools.combinations(axes[:_PAIRS], 2))
    if "regime" in frame.columns:
        blocks.append(Heading("Equilibrium regimes"))
        blocks.append(Text("Which equilibrium holds where: the strategies of a unique pure equilibrium "
                           "(seller/buyer/platform), `mixed` for a unique mixed one, `multiple` when there are "
                           "several, `continuum` for a degenerate game."))
        for model, (x, y) in itertools.product(models, pairs):
            part, where = _slice(frame[frame["model"] == model], [x, y], reference)
            blocks.append(category_map(part, x, y, "regime", name=f"{prefix}regime_{model}_{x}_{y}",
                                       title=f"Equilibrium regime, {model}", where=where,
                                       categories=_present(frame["regime"]),
                                       caption=f"Regime of the {model} game over {x} and {y}."))
        if len(axes) == 1:
            cols = ["model", axes[0], "regime", "eq_type", "n_equilibria"]
            blocks.append(Table(f"{prefix}regime_{axes[0]}", f"Equilibrium regime against {axes[0]}",
                                frame[cols].reset_index(drop=True)))
    for metric, heading, text in (
        ("counterfeit_rate", "Counterfeit rate", "Solid: the worst equilibrium (highest rate); dashed: the best."),
        ("welfare", "Welfare", "Total welfare (buyer + seller + platform + insurer). Solid: the lowest "
                               "equilibrium; dashed: the highest."),
    ):
        ys = [f"{metric}_max", f"{metric}_min"] if metric == "counterfeit_rate" else [f"{metric}_min",
                                                                                      f"{metric}_max"]
        if not set(ys) <= set(frame.columns) or not axes:
            continue
        blocks.append(Heading(heading))
        blocks.append(Text(text))
        for x in axes:
            part, where = _slice(frame, [x], reference)
            short = "counterfeit" if metric == "counterfeit_rate" else metric
            blocks.append(line_figure(part, x, ys, name=f"{prefix}{short}_{x}", where=where,
                                      title=f"{label(ys[0]).split(' (')[0].capitalize()} against {x}",
                                      caption=f"One line per payment model. {text}"))
    thresholds = [c for c in frame.columns if c.startswith("threshold_")]
    if thresholds and axes:
        blocks.append(Heading("Deterrence threshold"))
        for column in thresholds:
            free = [a for a in axes if a != column[len("threshold_"):]]
            blocks.extend(_value_blocks(frame, models, free, column, reference, prefix, "threshold"))
    if "stable_states" in frame.columns and axes:
        blocks.append(Heading("Stable states of the replicator dynamics"))
        for model, (x, y) in itertools.product(models, pairs):
            part, where = _slice(frame[frame["model"] == model], [x, y], reference)
            blocks.append(category_map(part, x, y, "stable_states", name=f"{prefix}stable_{model}_{x}_{y}",
                                       title=f"Stable states, {model}", where=where,
                                       categories=_present(frame["stable_states"]),
                                       caption="Asymptotically stable rest points of the replicator dynamics."))
        if len(axes) == 1:
            blocks.append(Table(f"{prefix}stable_{axes[0]}", f"Stable states against {axes[0]}",
                                frame[["model", axes[0], "n_stable", "stable_states"]].reset_index(drop=True)))
    return blocks


def _present(column: pd.Series) -> list[str]:
    """The values of a column in a fixed order (sorted), for consistent colours across maps."""
    return sorted(column.astype(str).unique())


def _value_blocks(frame: pd.DataFrame, models: list[str], free: list[str], column: str,
                  reference: dict[str, float], prefix: str, stem: str) -> list[Any]:
    blocks: list[Any] = []
    if len(free) >= 2:
        x, y = free[0], free[1]
        for model in models:
            part, where = _slice(frame[frame["model"] == model], [x, y], reference)
            blocks.append(value_map(part, x, y, column, name=f"{prefix}{stem}_{model}_{x}_{y}", where=where,
                                    title=f"{label(column).split(' (')[0].capitalize()}, {model}",
                                    caption="Blank cells: no value up to the search bound deters."))
    elif free:
        part, where = _slice(frame, [free[0]], reference)
        blocks.append(line_figure(part, free[0], [column], name=f"{prefix}{stem}_{free[0]}", where=where,
                                  title=f"{label(column).split(' (')[0].capitalize()} against {free[0]}",
                                  caption="One line per payment model; gaps: nothing up to the bound deters."))
    return blocks
