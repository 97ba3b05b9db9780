"""Interactive twins of the report figures: Plotly figures written as plain JSON data, drawn offline in the page.

A :class:`Chart` collects traces (lines, heat maps, category maps, reference lines) and :meth:`Chart.spec` returns
``{"data": [...], "layout": {...}}``, the JSON form Plotly.js draws. Hovering a point shows every column of the
point's row in the table behind the figure (its parameters, equilibrium regime and rates); heat maps and lines
zoom (drag a box; double-click to reset). :func:`plotly_js` is the Plotly.js bundle that ships with the ``plotly``
package, inlined once per page by :func:`gametheory.reports.document.write`, so the page needs no network.

Every string that comes from data (model names, categories, column names, titles) is HTML-escaped before it
goes into the spec, because Plotly renders hover text, legends and titles as a subset of HTML.

>>> c = Chart("T", "x", "y")
>>> c.line(__import__("pandas").DataFrame({"x": [0, 1], "y": [1.0, None]}), "x", "y", name="<b>", colour="#000")
>>> spec = c.spec()
>>> spec["data"][0]["name"], spec["data"][0]["y"]
('&lt;b&gt;', [1.0, None])
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Chart", "plotly_js", "escape"]


def escape(text: Any) -> str:
    """``text`` as a string with ``&``, ``<``, ``>`` and quotes escaped for HTML.

    >>> escape("<img src=x onerror=alert(8)>")
    '&lt;img src=x onerror=alert(8)&gt;'
    """
    return html.escape(str(text), quote=True)


def plotly_js() -> str:
    """The minified Plotly.js bundled with the installed ``plotly`` package (no network)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def _values(series: Any) -> list[Any]:
    """JSON-ready values: floats (NaN and inf as None), ints, or escaped strings."""
    arr = np.asarray(series)
    if arr.dtype.kind in "fc":
        return [None if not np.isfinite(v) else float(v) for v in arr.astype(float).ravel()]
    if arr.dtype.kind in "iub":
        return [v.item() for v in arr.ravel()]
    return [None if v is None or (isinstance(v, float) and not np.isfinite(v)) else escape(v) for v in arr.ravel()]


def _cell(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}" if np.isfinite(value) else ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return int(value)
    return escape(value)


def _axis(title: str, log: bool) -> dict[str, Any]:
    """An axis with its title; a log axis labels the powers of ten only."""
    axis: dict[str, Any] = {"title": {"text": escape(title)}, "type": "log" if log else "linear"}
    if log:
        axis["dtick"] = 1
    return axis


def _hover(columns: Sequence[str], start: int = 0) -> str:
    return "<br>".join(f"{escape(c)} = %{{customdata[{start + i}]}}" for i, c in enumerate(columns))


class Chart:
    """A Plotly figure under construction (see the module docstring).

    Parameters
    ----------
    title, xlabel, ylabel : str
    log_x, log_y : bool
        Logarithmic axes.
    """

    def __init__(self, title: str, xlabel: str, ylabel: str, *, log_x: bool = False, log_y: bool = False) -> None:
        self.traces: list[dict[str, Any]] = []
        self.shapes: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {
            "title": {"text": escape(title), "font": {"size": 14}},
            "xaxis": _axis(xlabel, log_x), "yaxis": _axis(ylabel, log_y),
            "hovermode": "closest", "margin": {"l": 70, "r": 20, "t": 80, "b": 60}, "height": 460,
            "legend": {"font": {"size": 11}, "orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "dragmode": "zoom",
        }

    def line(self, rows: pd.DataFrame, x: str, y: str, *, name: str, colour: str, dash: bool = False,
             hover: Sequence[str] = ()) -> None:
        """A line of ``y`` against ``x``; hover shows ``x``, ``y`` and the ``hover`` columns of each row."""
        columns = [x, y, *(c for c in hover if c in rows.columns and c not in (x, y))]
        self.traces.append({
            "type": "scatter", "mode": "lines+markers" if len(rows) <= 12 else "lines", "name": escape(name),
            "x": _values(rows[x]), "y": _values(rows[y]),
            "line": {"color": colour, "dash": "dash" if dash else "solid"},
            "customdata": [[_cell(v) for v in row] for row in rows[columns].itertuples(index=False)],
            "hovertemplate": _hover(columns) + "<extra></extra>",
        })

    def hline(self, y: float, text: str) -> None:
        """A dotted horizontal reference line across the plot, named in the legend."""
        self.shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": float(y), "y1": float(y),
                            "line": {"color": "#888", "dash": "dot", "width": 1}})
        self.traces.append({"type": "scatter", "mode": "lines", "x": [None], "y": [None], "name": escape(text),
                            "line": {"color": "#888", "dash": "dot"}, "hoverinfo": "skip"})

    def overlay(self, xs: Any, ys: Any, text: str) -> None:
        """A dashed white line over a map (e.g. ``k p = D``)."""
        self.traces.append({"type": "scatter", "mode": "lines", "x": _values(xs), "y": _values(ys),
                            "name": escape(text), "line": {"color": "white", "dash": "dash", "width": 1},
                            "hoverinfo": "skip", "showlegend": True})

    def _grid(self, table: pd.DataFrame, x: str, y: str, hover: Sequence[str], shape: tuple[int, int]
              ) -> list[list[list[Any]]]:
        columns = [x, y, *hover]
        cells = [[_cell(v) for v in row] for row in table[columns].itertuples(index=False)]
        return [cells[i * shape[1]:(i + 1) * shape[1]] for i in range(shape[0])]

    def heatmap(self, table: pd.DataFrame, x: str, y: str, value: str, grid: np.ndarray, *, log: bool = False,
                hover: Sequence[str] = ()) -> None:
        """A heat map of ``grid`` (rows: ``y`` values, columns: ``x`` values); log colours for ``log``."""
        shown = np.where(np.isfinite(grid) & (grid > 0), np.log10(np.where(grid > 0, grid, 1.0)), np.nan) \
            if log else grid
        if log and np.isfinite(shown).any():
            finite = shown[np.isfinite(shown)]
            floor = max(float(finite.min()), float(finite.max()) - 4)
            shown = np.where(np.isfinite(grid) & (grid <= 0), floor, np.maximum(shown, floor))
        cdata = self._grid(table, x, y, hover, grid.shape)
        for row, values in zip(cdata, grid, strict=True):
            for cell, v in zip(row, values, strict=True):
                cell.insert(2, f"{v:.6g}" if np.isfinite(v) else "none")
        self.traces.append({
            "type": "heatmap", "x": _values(table[x].unique()), "y": _values(table[y].unique()),
            "z": [[None if not np.isfinite(v) else float(v) for v in row] for row in shown],
            "colorscale": "Viridis", "customdata": cdata,
            "colorbar": {"title": {"text": escape(("log10 " if log else "") + value)}},
            "hovertemplate": _hover([x, y, value, *hover]) + "<extra></extra>",
        })

    def categories(self, table: pd.DataFrame, x: str, y: str, value: str, codes: np.ndarray,
                   names: Sequence[str], colours: Sequence[str], *, hover: Sequence[str] = ()) -> None:
        """A map of categories: ``codes`` index ``names``; one colour per category, named on the colour bar."""
        n = max(len(names), 1)
        scale = []
        for i, colour in enumerate(colours):
            scale += [[i / n, colour], [(i + 1) / n, colour]]
        self.traces.append({
            "type": "heatmap", "x": _values(table[x].unique()), "y": _values(table[y].unique()),
            "z": [[None if not np.isfinite(v) else float(v) for v in row] for row in codes],
            "zmin": -0.5, "zmax": n - 0.5, "colorscale": scale or "Viridis",
            "customdata": self._grid(table, x, y, [value, *hover], codes.shape),
            "colorbar": {"tickvals": list(range(len(names))), "ticktext": [escape(c) for c in names]},
            "hovertemplate": _hover([x, y, value, *hover]) + "<extra></extra>",
        })

    def spec(self) -> dict[str, Any]:
        """``{"data": traces, "layout": layout}`` (JSON-ready)."""
        return {"data": list(self.traces), "layout": {**self.layout, "shapes": list(self.shapes)}}
