"""Report figures: lines per payment model, categorical regime maps and value heatmaps (matplotlib, Agg).

Each function returns a :class:`~gametheory.reports.document.Figure`: the matplotlib figure (the PNG, for
Markdown and print), its interactive twin (a Plotly figure as plain JSON data, drawn in ``index.html``; see
:mod:`gametheory.reports.charts`) *and* the table of numbers drawn in both, so a report can print the one beside the
other. Columns named in ``hover`` travel with the table and are shown when the pointer rests on a point.
Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state, no display needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import charts
from .document import Figure
from .labels import label

__all__ = ["line_figure", "multi_line_figure", "category_map", "value_map", "map_table"]

_COLOURS = ("#1b6ca8", "#d1495b", "#66a182", "#edae49", "#8d6cab", "#00798c", "#6c757d", "#e07a5f")


def _new(width: float = 6.4, height: float = 4.0) -> Any:
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def line_figure(
    data: pd.DataFrame, x: str, ys: Sequence[str], *, name: str, title: str, caption: str = "",
    by: str = "model", where: dict[str, Any] | None = None, hover: Sequence[str] = (),
    hline: tuple[float, str] | None = None,
) -> Figure:
    """One line per value of ``by`` (the payment model) for each column of ``ys`` against ``x``.

    Parameters
    ----------
    data : DataFrame
        The rows to draw (already restricted to the slice; ``where`` records it).
    x : str
        The axis column.
    ys : list of str
        Output columns; the first is drawn solid, the others dashed.
    name, title, caption : str
        File stem, title and caption.
    by : str
        The column that makes the lines.
    where : dict, optional
        The values at which the other axes are held (recorded with the figure).
    hover : list of str
        More columns kept in the table and shown on hover (e.g. ``regime``).
    hline : (float, str), optional
        A dotted horizontal reference line and its label.

    Returns
    -------
    Figure

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"model": ["direct"] * 3, "deposit": [1, 2, 3], "welfare_min": [0.0, 1.0, 2.0]})
    >>> line_figure(df, "deposit", ["welfare_min"], name="w", title="Welfare").data.shape
    (3, 3)
    """
    fig, ax = _new()
    extra = [c for c in (*(where or {}), *hover) if c in data.columns and c not in (by, x, *ys)]
    table = data[[by, x, *ys, *dict.fromkeys(extra)]].sort_values([by, x], kind="stable").reset_index(drop=True)
    chart = charts.Chart(title, label(x), label(ys[0]), log_x=_is_log(table[x]))
    for i, (group, rows) in enumerate(table.groupby(by, sort=False)):
        colour = _COLOURS[i % len(_COLOURS)]
        for j, y in enumerate(ys):
            style = "-" if j == 0 else "--"
            legend = f"{group}" if len(ys) == 1 else f"{group}: {label(y).split(' (')[0]}"
            ax.plot(rows[x], rows[y], style, color=colour, marker="o" if len(rows) <= 12 else None, markersize=3,
                    label=legend)
            chart.line(rows, x, y, name=legend, colour=colour, dash=j > 0, hover=[by, *extra])
    if hline is not None:
        ax.axhline(hline[0], color="#888", ls=":", lw=1, label=hline[1])
        chart.hline(*hline)
    ax.set_xlabel(_wrap(label(x), 70))
    ax.set_ylabel(_wrap(label(ys[0])))
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    values = table[list(ys)].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size and finite.max() - finite.min() <= 1e-9 * max(1.0, abs(finite.max())):
        centre = float(finite.max())
        pad = 0.05 * abs(centre) or 1.0
        ax.set_ylim(centre - pad, centre + pad)  # a constant: no magnified rounding noise
    if _is_log(table[x]):
        ax.set_xscale("log")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    return Figure(name=name, title=title, caption=caption, figure=fig, data=table, where=dict(where or {}),
                  chart=chart.spec())


def multi_line_figure(
    data: pd.DataFrame, x: str, lines: Sequence[tuple[str, str]], *, name: str, title: str, caption: str = "",
    xlabel: str | None = None, ylabel: str | None = None, hline: tuple[float, str] | None = None,
) -> Figure:
    """One line per column of a wide table against ``x``: ``lines`` is ``[(column, legend label), ...]``.

    The table drawn is ``data`` itself (every column is shown on hover).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [0.0, 1.0], "r1": [1.0, 0.5], "r2": [1.0, 0.9]})
    >>> multi_line_figure(df, "a", [("r1", "one"), ("r2", "two")], name="m", title="M").data.shape
    (2, 3)
    """
    fig, ax = _new()
    xlabel, ylabel = xlabel or label(x), label(ylabel or lines[0][0])
    chart = charts.Chart(title, xlabel, ylabel)
    others = [c for c in data.columns if c != x]
    for i, (column, text) in enumerate(lines):
        colour = _COLOURS[i % len(_COLOURS)]
        ax.plot(data[x], data[column], ("-", "--", "-.", ":")[i % 4], color=colour, label=text)
        chart.line(data, x, column, name=text, colour=colour, dash=i > 0, hover=[c for c in others if c != column])
    if hline is not None:
        ax.axhline(hline[0], color="#888", lw=0.8, ls=":", label=hline[1])
        chart.hline(*hline)
    ax.set_xlabel(_wrap(xlabel, 70))
    ax.set_ylabel(_wrap(ylabel))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title, fontsize=10)
    return Figure(name=name, title=title, caption=caption, figure=fig, data=data.reset_index(drop=True),
                  chart=chart.spec())


def category_map(
    data: pd.DataFrame, x: str, y: str, value: str, *, name: str, title: str, caption: str = "",
    where: dict[str, Any] | None = None, categories: Sequence[str] | None = None, hover: Sequence[str] = (),
) -> Figure:
    """A heatmap of a categorical column (e.g. ``regime``) over two axes, with a legend of the categories.

    Pass the same ``categories`` to several maps to give each category the same colour in all of them; only the
    categories present are listed in the legend.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 1, 2], "regime": ["x", "y", "x", "x"]})
    >>> category_map(df, "a", "b", "regime", name="r", title="Regimes").data.shape
    (4, 3)
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    table = map_table(data, x, y, value, where=where, hover=hover)
    present = set(table[value].astype(str).unique())
    everything = [str(c) for c in categories] if categories is not None else sorted(present)
    everything += sorted(present - set(everything))
    codes = table[value].astype(str).map({c: i for i, c in enumerate(everything)})
    grid = codes.to_numpy(dtype=float).reshape(table[y].nunique(), table[x].nunique())
    fig, ax = _new(6.4, 4.6)
    cmap = ListedColormap([_colour(i) for i in range(len(everything))])
    _mesh(ax, table[x].unique(), table[y].unique(), grid, cmap=cmap, vmin=-0.5, vmax=len(everything) - 0.5)
    handles = [Patch(color=_colour(i), label=c) for i, c in enumerate(everything) if c in present]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(handles)), fontsize=8)
    ax.set_xlabel(_wrap(label(x), 70))
    ax.set_ylabel(_wrap(label(y)))
    ax.set_title(title, fontsize=10)
    chart = charts.Chart(title, label(x), label(y), log_x=_is_log(table[x]), log_y=_is_log(table[y]))
    chart.categories(table, x, y, value, grid, everything,
                     [_hex(_colour(i)) for i in range(len(everything))], hover=_hover_columns(table, x, y, value))
    return Figure(name=name, title=title, caption=caption, figure=fig, data=table, where=dict(where or {}),
                  chart=chart.spec())


def value_map(
    data: pd.DataFrame, x: str, y: str, value: str, *, name: str, title: str, caption: str = "",
    where: dict[str, Any] | None = None, log: bool = False, hover: Sequence[str] = (),
    line: tuple[Any, Any, str] | None = None,
) -> Figure:
    """A heatmap of a numeric column over two axes with a colour bar (NaN cells left blank).

    With ``log`` the colours follow the logarithm of the value (rates spread over decades); values at or below
    zero are drawn in the lowest colour. ``line = (xs, ys, label)`` overlays a dashed white line.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 1, 2], "v": [0.0, 1.0, 2.0, float("nan")]})
    >>> value_map(df, "a", "b", "v", name="v", title="V").data["v"].isna().sum()
    np.int64(1)
    """
    table = map_table(data, x, y, value, where=where, hover=hover)
    grid = table[value].to_numpy(dtype=float).reshape(table[y].nunique(), table[x].nunique())
    values = grid.copy()
    fig, ax = _new(6.4, 4.6)
    norm = None
    if log:
        from matplotlib.colors import LogNorm

        positive = grid[np.isfinite(grid) & (grid > 0)]
        if positive.size:
            low = max(float(positive.min()), float(positive.max()) * 1e-4)
            norm = LogNorm(vmin=low, vmax=float(positive.max()))
            grid = np.where(np.isfinite(grid), np.maximum(grid, low), grid)
    mesh = _mesh(ax, table[x].unique(), table[y].unique(), np.ma.masked_invalid(grid), cmap="viridis", norm=norm)
    fig.colorbar(mesh, ax=ax, label=_wrap(label(value)))
    chart = charts.Chart(title, label(x), label(y), log_x=_is_log(table[x]), log_y=_is_log(table[y]))
    chart.heatmap(table, x, y, value, values, log=norm is not None, hover=_hover_columns(table, x, y, value))
    if line is not None:
        ax.plot(line[0], line[1], color="white", lw=1, ls="--")
        ax.set_xlim(*_edges(np.asarray(table[x].unique(), dtype=float))[[0, -1]])
        ax.set_ylim(*_edges(np.asarray(table[y].unique(), dtype=float))[[0, -1]])
        chart.overlay(line[0], line[1], line[2])
    ax.set_xlabel(_wrap(label(x), 70))
    ax.set_ylabel(_wrap(label(y)))
    ax.set_title(title, fontsize=10)
    return Figure(name=name, title=title, caption=caption, figure=fig, data=table, where=dict(where or {}),
                  chart=chart.spec())


def _wrap(text: str, width: int = 42) -> str:
    """Break a long axis label over lines."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _colour(i: int) -> Any:
    """A distinct colour per category index (tab20 beyond the first eight)."""
    if i < len(_COLOURS):
        return _COLOURS[i]
    from matplotlib import colormaps

    return colormaps["tab20"]((i - len(_COLOURS)) % 20)


def map_table(data: pd.DataFrame, x: str, y: str, value: str, *, where: dict[str, Any] | None = None,
              hover: Sequence[str] = ()) -> pd.DataFrame:
    """The table a map draws: the model (when there is one), ``x``, ``y``, ``value``, the held axes and the
    ``hover`` columns; rows ordered by ``y`` then ``x``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [2, 1], "b": [1, 1], "v": [0.5, 0.25], "w": ["x", "y"]})
    >>> map_table(df, "a", "b", "v").columns.tolist(), map_table(df, "a", "b", "v")["a"].tolist()
    (['a', 'b', 'v'], [1, 2])
    """
    lead = ["model"] if "model" in data.columns and data["model"].nunique() == 1 else []
    columns = [x, y, value]
    extra = [c for c in (*(where or {}), *hover) if c in data.columns and c not in columns and c not in lead]
    return data[[*lead, *columns, *dict.fromkeys(extra)]].sort_values([y, x], kind="stable").reset_index(drop=True)


def _hover_columns(table: pd.DataFrame, x: str, y: str, value: str) -> list[str]:
    return [c for c in table.columns if c not in (x, y, value)]


def _hex(colour: Any) -> str:
    from matplotlib.colors import to_hex

    return str(to_hex(colour))


def _mesh(ax: Any, xs: Any, ys: Any, grid: Any, **style: Any) -> Any:
    """pcolormesh on cell edges halfway between the values (log-spaced axes get a log scale)."""
    mesh = ax.pcolormesh(_edges(np.asarray(xs, dtype=float)), _edges(np.asarray(ys, dtype=float)), grid,
                         shading="flat", **style)
    if _is_log(pd.Series(xs)):
        ax.set_xscale("log")
    if _is_log(pd.Series(ys)):
        ax.set_yscale("log")
    return mesh


def _edges(values: Any) -> Any:
    if len(values) == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5]) if values[0] <= 0.5 else values[0] * np.array([0.5, 1.5])
    if _is_log(pd.Series(values)):
        logs = np.log10(values)
        mids = (logs[1:] + logs[:-1]) / 2
        return 10 ** np.concatenate([[2 * logs[0] - mids[0]], mids, [2 * logs[-1] - mids[-1]]])
    mids = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mids[0]], mids, [2 * values[-1] - mids[-1]]])


def _is_log(values: pd.Series) -> bool:
    """True for positive values spread over two decades or more with roughly constant ratios."""
    v = np.sort(pd.unique(values.astype(float)))
    if len(v) < 3 or v[0] <= 0 or v[-1] / v[0] < 100:
        return False
    ratios = v[1:] / v[:-1]
    return bool(ratios.max() / ratios.min() < 1.5)
