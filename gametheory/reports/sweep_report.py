"""The report of a sweep: scenario, regime maps, counterfeit rate and welfare per axis, thresholds, stable states.

Each figure draws one slice of the sweep: the axes it does not draw are held at their middle value (recorded in
the caption and in :attr:`Figure.where`), and an axis with more than :data:`MAX_CELLS` values is thinned to that
many evenly spaced values. The table behind each figure holds exactly the rows of the sweep it draws.

A report of an output folder streams: it reads only the columns and the rows of each slice it draws from the
verified chunk files (:class:`~gametheory.reports.sweep_rows.StoreRows`), never the whole table, so a report
on 10^8 rows fits in a few hundred MB.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd

from .._validation import InstanceOf, NoneOr, check_param, validate_params
from ..errors import InvalidParameterError
from .document import Document, Heading, Report, Table, Text, write
from .figures import category_map, line_figure, value_map
from .labels import label
from .sweep_rows import MAX_CELLS, FrameRows, StoreRows, SweepRows

__all__ = ["build", "sweep_sections", "scenario_table", "axes_of", "MAX_CELLS"]

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
        What :func:`gametheory.sweep` returned, or a sweep's output folder (read slice by slice, every chunk
        checked against the manifest first).
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
    rows = FrameRows(source) if isinstance(source, pd.DataFrame) else StoreRows(source)
    if rows.n_rows == 0:
        raise InvalidParameterError("The 'source' parameter of build holds no rows: nothing to report.")
    axes = axes_of(rows)
    models = rows.models
    name = title or rows.spec.get("title") or f"Sweep of {', '.join(models)} over {', '.join(axes) or 'one point'}"
    doc = Document(name)
    doc.add(Text(f"{rows.n_rows:,} rows: {len(models)} payment model(s) ({', '.join(models)}) over "
                 f"{' x '.join(f'{a} ({rows.axis(a).count})' for a in axes) or 'a single point'}."))
    doc.add(*sweep_sections(rows, axes))
    return write(doc, out)


def axes_of(frame: pd.DataFrame | SweepRows) -> list[str]:
    """The swept axes of a sweep table: from its spec, else the parameter columns that vary.

    Examples
    --------
    >>> import pandas as pd
    >>> axes_of(pd.DataFrame({"model": ["direct"] * 2, "price": [1.0, 2.0], "deposit": [5.0, 5.0]}))
    ['price']
    """
    rows = frame if isinstance(frame, SweepRows) else FrameRows(frame)
    if rows.spec.get("axes") is not None:
        return [a for a in rows.spec["axes"] if a in rows.columns]
    from ..models import VOCABULARY  # lazy: sympy

    return [c for c in rows.columns if c in VOCABULARY and rows.axis(c).count > 1]


def scenario_table(frame: pd.DataFrame, axes: list[str]) -> pd.DataFrame:
    """The parameters held fixed, per model: name, symbol, unit, meaning and value.

    Examples
    --------
    >>> import pandas as pd
    >>> t = scenario_table(pd.DataFrame({"model": ["direct"], "price": [100.0]}), [])
    >>> t.loc[0, "parameter"], float(t.loc[0, "direct"])
    ('price', 100.0)
    """
    from ..models import VOCABULARY  # lazy: sympy

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


def _axis_table(rows: SweepRows, axes: list[str]) -> pd.DataFrame:
    from ..models import VOCABULARY  # lazy: sympy

    table = []
    for a in axes:
        values = rows.axis(a)
        par = VOCABULARY.get(a)
        table.append({"axis": a, "symbol": str(par.symbol) if par else "", "unit": par.unit if par else "",
                      "from": values.first, "to": values.last, "values": values.count})
    return pd.DataFrame(table)


def _reference(rows: SweepRows, axes: list[str]) -> dict[str, float]:
    """The middle value of each axis: where the axes a figure does not draw are held."""
    return {a: rows.axis(a).middle for a in axes}


def _slice(frame: pd.DataFrame, keep: list[str], reference: dict[str, float]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Rows where every axis not in ``keep`` is at its reference value; axes in ``keep`` thinned to MAX_CELLS."""
    return FrameRows(frame).slice(keep, reference)


def sweep_sections(frame: pd.DataFrame | SweepRows, axes: list[str], *, prefix: str = "") -> list[Any]:
    """The report blocks for a sweep table (used by :func:`build` and by the ``compare`` report).

    Parameters
    ----------
    frame : DataFrame or SweepRows
        A sweep table, or the rows of an output folder (:class:`~gametheory.reports.sweep_rows.StoreRows`).
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
    rows = frame if isinstance(frame, SweepRows) else FrameRows(frame)
    blocks: list[Any] = [Heading("Scenario and parameters")]
    blocks.append(Table(f"{prefix}scenario", "Parameters held fixed", scenario_table(rows.first_rows(), axes)))
    if axes:
        blocks.append(Table(f"{prefix}axes", "Axes swept", _axis_table(rows, axes)))
    reference = _reference(rows, axes)
    models = rows.models
    pairs = list(itertools.combinations(axes[:_PAIRS], 2))

    def columns(*values: str) -> list[str]:
        return list(dict.fromkeys(["model", *axes, *values]))

    if "regime" in rows.columns:
        blocks.append(Heading("Equilibrium regimes"))
        blocks.append(Text("Which equilibrium holds where: the strategies of a unique pure equilibrium "
                           "(seller/buyer/platform), `mixed` for a unique mixed one, `multiple` when there are "
                           "several, `continuum` for a degenerate game."))
        regimes = rows.categories("regime")
        for model, (x, y) in itertools.product(models, pairs):
            part, where = rows.slice([x, y], reference, model=model, columns=columns("regime"))
            blocks.append(category_map(part, x, y, "regime", name=f"{prefix}regime_{model}_{x}_{y}",
                                       title=f"Equilibrium regime, {model}", where=where, categories=regimes,
                                       caption=f"Regime of the {model} game over {x} and {y}."))
        if len(axes) == 1:
            cols = ["model", axes[0], "regime", "eq_type", "n_equilibria"]
            part, _ = rows.slice(axes, reference, columns=cols)
            blocks.append(Table(f"{prefix}regime_{axes[0]}", f"Equilibrium regime against {axes[0]}",
                                part.reset_index(drop=True)))
    for metric, heading, text in (
        ("counterfeit_rate", "Counterfeit rate", "Solid: the worst equilibrium (highest rate); dashed: the best."),
        ("welfare", "Welfare", "Total welfare (buyer + seller + platform + insurer). Solid: the lowest "
                               "equilibrium; dashed: the highest."),
    ):
        ys = [f"{metric}_max", f"{metric}_min"] if metric == "counterfeit_rate" else [f"{metric}_min",
                                                                                      f"{metric}_max"]
        if not set(ys) <= set(rows.columns) or not axes:
            continue
        blocks.append(Heading(heading))
        blocks.append(Text(text))
        for x in axes:
            part, where = rows.slice([x], reference, columns=columns(*ys))
            short = "counterfeit" if metric == "counterfeit_rate" else metric
            blocks.append(line_figure(part, x, ys, name=f"{prefix}{short}_{x}", where=where,
                                      title=f"{label(ys[0]).split(' (')[0].capitalize()} against {x}",
                                      caption=f"One line per payment model. {text}"))
    thresholds = [c for c in rows.columns if c.startswith("threshold_")]
    if thresholds and axes:
        blocks.append(Heading("Deterrence threshold"))
        for column in thresholds:
            free = [a for a in axes if a != column[len("threshold_"):]]
            blocks.extend(_value_blocks(rows, free, column, reference, prefix, columns(column)))
    if "stable_states" in rows.columns and axes:
        blocks.append(Heading("Stable states of the replicator dynamics"))
        states = rows.categories("stable_states")
        for model, (x, y) in itertools.product(models, pairs):
            part, where = rows.slice([x, y], reference, model=model, columns=columns("stable_states"))
            blocks.append(category_map(part, x, y, "stable_states", name=f"{prefix}stable_{model}_{x}_{y}",
                                       title=f"Stable states, {model}", where=where, categories=states,
                                       caption="Asymptotically stable rest points of the replicator dynamics."))
        if len(axes) == 1:
            part, _ = rows.slice(axes, reference, columns=["model", axes[0], "n_stable", "stable_states"])
            blocks.append(Table(f"{prefix}stable_{axes[0]}", f"Stable states against {axes[0]}",
                                part.reset_index(drop=True)))
    return blocks


def _value_blocks(rows: SweepRows, free: list[str], column: str, reference: dict[str, float], prefix: str,
                  columns: list[str]) -> list[Any]:
    blocks: list[Any] = []
    if len(free) >= 2:
        x, y = free[0], free[1]
        for model in rows.models:
            part, where = rows.slice([x, y], reference, model=model, columns=columns)
            blocks.append(value_map(part, x, y, column, name=f"{prefix}threshold_{model}_{x}_{y}", where=where,
                                    title=f"{label(column).split(' (')[0].capitalize()}, {model}",
                                    caption="Blank cells: no value up to the search bound deters."))
    elif free:
        part, where = rows.slice([free[0]], reference, columns=columns)
        blocks.append(line_figure(part, free[0], [column], name=f"{prefix}threshold_{free[0]}", where=where,
                                  title=f"{label(column).split(' (')[0].capitalize()} against {free[0]}",
                                  caption="One line per payment model; gaps: nothing up to the bound deters."))
    return blocks
