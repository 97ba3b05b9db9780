"""A report as a list of blocks (headings, text, tables, figures), written as HTML and as Markdown.

``REPORT/index.html`` is self-contained and works offline: a figure with an interactive twin
(:attr:`Figure.chart`) is drawn by Plotly.js, inlined once in the page, with its PNG kept for print; a figure
without one is its PNG embedded as base64; each figure's numbers are embedded as a CSV download; tables scroll
inside their own box. ``REPORT/index.md`` is its Markdown twin, which links ``figures/<name>.png``;
``REPORT/data/<name>.csv`` holds the numbers behind every figure and table.

Everything written from data or specs is escaped: HTML text and attributes with :func:`html.escape`, JSON
inside ``<script>`` with ``<``, ``>`` and ``&`` as ``\\u`` escapes, Markdown with :func:`md_escape`; file names are
reduced to a safe stem (:func:`safe_stem`), so a model named ``<img src=x onerror=alert(8)>`` stays text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .charts import plotly_js

__all__ = ["Figure", "Table", "Text", "Heading", "Document", "Report", "write", "md_escape", "safe_stem"]

#: rows of a table shown inline (the full table is always in ``data/<name>.csv``)
MAX_ROWS = 40
#: the largest CSV embedded in the HTML as a download
MAX_EMBED = 2_000_000


@dataclass(eq=False)
class Figure:
    """A figure and the table of the numbers it draws.

    Attributes
    ----------
    name : str
        File stem: ``figures/<name>.png`` and ``data/<name>.csv``.
    title, caption : str
    figure : matplotlib.figure.Figure
    data : pandas.DataFrame
        Exactly the numbers drawn.
    where : dict
        The values at which the axes not drawn are held.
    chart : dict, optional
        The interactive twin: a Plotly figure as JSON data (``{"data": [...], "layout": {...}}``, see
        :mod:`gametheory.reports.charts`), drawn in ``index.html``.
    """

    name: str
    title: str
    caption: str
    figure: Any
    data: pd.DataFrame
    where: dict[str, Any] = field(default_factory=dict)
    chart: dict[str, Any] | None = None


@dataclass(eq=False)
class Table:
    """A table with a title (written to ``data/<name>.csv`` too)."""

    name: str
    title: str
    data: pd.DataFrame
    caption: str = ""


@dataclass(eq=False)
class Text:
    """A paragraph or a bullet list (Markdown-light: ``**bold**`` and lines starting ``- ``)."""

    text: str


@dataclass(eq=False)
class Heading:
    """A section heading (level 2 or 3)."""

    text: str
    level: int = 2


@dataclass(eq=False)
class Document:
    """The blocks of a report, in order."""

    title: str
    blocks: list[Any] = field(default_factory=list)

    def add(self, *blocks: Any) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)


@dataclass(frozen=True)
class Report:
    """What :func:`write` produced.

    Attributes
    ----------
    path : Path
        The report folder (the pages, ``figures/`` and ``data/``).
    html, markdown : Path
        ``index.html`` and ``index.md``.
    figures : dict
        Figure name -> (PNG path, CSV path).
    tables : dict
        Table name -> CSV path.
    """

    path: Path
    html: Path
    markdown: Path
    figures: dict[str, tuple[Path, Path]]
    tables: dict[str, Path]

    def __repr__(self) -> str:
        return f"Report({str(self.html)!r}, {len(self.figures)} figures, {len(self.tables)} tables)"


def write(document: Document, out: str | Path) -> Report:
    """Write a document to ``out/index.html``, ``out/index.md``, ``out/figures/`` and ``out/data/``.

    Parameters
    ----------
    document : Document
        The blocks.
    out : str or Path
        The report folder (created if missing).

    Returns
    -------
    Report
        The paths written (its ``repr`` counts the figures and tables).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> doc = Document("A report", [Text("Hello."), Table("t", "Numbers", pd.DataFrame({"a": [1]}))])
    >>> report = write(doc, tempfile.mkdtemp())
    >>> report.html.name, sorted(report.tables)
    ('index.html', ['t'])
    """
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    charts = [b for b in document.blocks if isinstance(b, Figure) and b.chart is not None]
    html_parts = [_HTML_HEAD.format(title=html.escape(document.title))]
    if charts:
        html_parts.append(f"<script>{plotly_js()}</script>")
    html_parts.append(f"<h1>{html.escape(document.title)}</h1>")
    md_parts = [f"# {md_escape(document.title)}\n"]
    figures: dict[str, tuple[Path, Path]] = {}
    tables: dict[str, Path] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            html_parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
            md_parts.append(f"{'#' * block.level} {md_escape(block.text)}\n")
        elif isinstance(block, Text):
            html_parts.append(_text_html(block.text))
            md_parts.append(_md_text(block.text.strip()) + "\n")
        elif isinstance(block, Table):
            csv = _save_csv(block.data, out / "data" / f"{safe_stem(block.name)}.csv")
            tables[block.name] = csv
            html_parts.append(f"<h4>{html.escape(block.title)}</h4>" + _table_html(block.data, csv))
            md_parts.append(f"**{md_escape(block.title)}**\n\n{_table_md(block.data, csv, out)}\n")
            if block.caption:
                html_parts.append(f"<p class='caption'>{html.escape(block.caption)}</p>")
                md_parts.append(f"*{md_escape(block.caption)}*\n")
        elif isinstance(block, Figure):
            stem = safe_stem(block.name)
            png, csv = out / "figures" / f"{stem}.png", out / "data" / f"{stem}.csv"
            buffer = io.BytesIO()
            block.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            png.write_bytes(buffer.getvalue())
            _save_csv(block.data, csv)
            figures[block.name] = (png, csv)
            held = ", ".join(f"{k} = {_num(v)}" for k, v in block.where.items())
            caption = block.caption + (f" Other axes held at {held}." if held else "")
            encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
            title = html.escape(block.title)
            image = f"<img class='static' alt='{title}' src='data:image/png;base64,{encoded}'/>"
            if block.chart is not None:
                image = (f"<div class='chart' id='chart-{stem}' role='img' aria-label='{title}'></div>"
                         f"<script type='application/json' class='chart-spec' data-target='chart-{stem}'>"
                         f"{_script_json(block.chart)}</script>" + image.replace("class='static'",
                                                                                 "class='static print-only'"))
            html_parts.append(
                f"<figure id='{stem}'>{image}<figcaption><b>{title}.</b> "
                f"{html.escape(caption)}</figcaption></figure>"
                f"<details><summary>Numbers behind this figure ({len(block.data)} rows)</summary>"
                f"{_table_html(block.data, csv)}</details>"
            )
            md_parts.append(
                f"![{md_escape(block.title)}](figures/{stem}.png)\n\n*{md_escape(block.title)}.* "
                f"{md_escape(caption)}\n\n"
                f"<details><summary>Numbers behind this figure</summary>\n\n{_table_md(block.data, csv, out)}\n"
                "</details>\n"
            )
    if charts:
        html_parts.append(_RENDER_CHARTS)
    html_parts.append("</body></html>\n")
    (out / "index.html").write_text("\n".join(html_parts), encoding="utf-8")
    (out / "index.md").write_text("\n".join(md_parts), encoding="utf-8")
    return Report(out, out / "index.html", out / "index.md", figures, tables)


def safe_stem(name: str) -> str:
    """A file stem made of letters, digits, ``_``, ``-`` and ``.`` only; a name that had to change gets a short
    hash of the original, so two names never share a file.

    Examples
    --------
    >>> safe_stem("regime_direct_deposit")
    'regime_direct_deposit'
    >>> safe_stem("regime_<img src=x onerror=alert(8)>")[:22]
    'regime__img_src_x_oner'
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip(".") or "_"
    if stem != name:
        stem = f"{stem[:80]}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
    return stem


def md_escape(text: str) -> str:
    """Text from data made inert in Markdown: HTML characters as entities, Markdown punctuation backslashed.

    Examples
    --------
    >>> print(md_escape("<img src=x onerror=alert(8)> [a](b) | *c*"))
    &lt;img src=x onerror=alert(8)&gt; \\[a\\](b) \\| \\*c\\*
    """
    text = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*\[\]|#])", r"\\\1", text)


def _md_text(text: str) -> str:
    """A Text block in Markdown: its own ``**bold**``, backticks and bullets kept; HTML characters escaped outside
    code spans (inside one, Markdown shows ``<`` as it is and an entity would be printed literally).

    >>> print(_md_text("files `data/<name>.csv` <b>"))
    files `data/<name>.csv` &lt;b&gt;
    """
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") and part.endswith("`") and len(part) > 1
                   else html.escape(part, quote=False) for part in parts)


def _script_json(spec: Any) -> str:
    """JSON that cannot end its ``<script>`` element early or open a comment."""
    text = json.dumps(spec, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _save_csv(data: pd.DataFrame, path: Path) -> Path:
    data.to_csv(path, index=False)
    return path


def _fmt_frame(data: pd.DataFrame) -> pd.DataFrame:
    shown = data.head(MAX_ROWS).copy()
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:.4g}")
    return shown


def _table_html(data: pd.DataFrame, csv: Path) -> str:
    more = len(data) > MAX_ROWS
    body: str = "<div class='scroll'>" + _fmt_frame(data).to_html(index=False, border=0, classes="numbers",
                                                                   escape=True) + "</div>"
    raw = csv.read_bytes()
    note = f"<p class='caption'>First {MAX_ROWS} of {len(data)} rows. " if more else "<p class='caption'>"
    if len(raw) <= MAX_EMBED:
        link = base64.b64encode(raw).decode("ascii")
        note += (f"<a download='{html.escape(csv.name)}' href='data:text/csv;base64,{link}'>Download all rows "
                 "(CSV)</a>")
    else:
        note += f"All rows: data/{html.escape(csv.name)}"
    return body + note + "</p>"


def _table_md(data: pd.DataFrame, csv: Path, out: Path) -> str:
    shown = _fmt_frame(data).astype(str)
    header = "| " + " | ".join(md_escape(c) for c in shown.columns) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in shown.to_numpy().tolist()]
    tail = f"\n\nFirst {MAX_ROWS} of {len(data)} rows; " if len(data) > MAX_ROWS else "\n\n"
    return "\n".join([header, rule, *rows]) + tail + f"all rows: [{csv.relative_to(out)}]({csv.relative_to(out)})"


def _text_html(text: str) -> str:
    parts, items = [], []
    for line in text.strip().splitlines():
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(line.strip()))
        escaped = re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)
        if line.strip().startswith("- "):
            items.append(f"<li>{escaped[2:]}</li>")
        else:
            if items:
                parts.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if escaped:
                parts.append(f"<p>{escaped}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(parts)


_HTML_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
h1, h2, h3 {{ color: #123; }} figure {{ margin: 1.5rem 0; }} img {{ max-width: 100%; }}
div.scroll {{ max-width: 100%; max-height: 26rem; overflow: auto; border: 1px solid #e4e4e4; }}
table.numbers {{ border-collapse: collapse; font-size: 0.8rem; }}
table.numbers td, table.numbers th {{ padding: 0.15rem 0.5rem; border-bottom: 1px solid #ddd; text-align: right;
  white-space: nowrap; }}
table.numbers thead th {{ position: sticky; top: 0; background: #fafafa; }}
.caption, figcaption {{ font-size: 0.85rem; color: #444; }} code {{ background: #f4f4f4; }}
div.chart {{ width: 100%; min-height: 440px; }} img.print-only {{ display: none; }}
@media print {{ div.chart {{ display: none; }} img.print-only {{ display: block; }}
  div.scroll {{ max-height: none; }} }}
</style></head><body>"""

#: draws every chart from its JSON spec; records how many were drawn (``data-charts-rendered`` on ``<html>``)
_RENDER_CHARTS = """<script>
(function () {
  var drawn = 0;
  document.querySelectorAll("script.chart-spec").forEach(function (el) {
    var spec = JSON.parse(el.textContent);
    Plotly.newPlot(document.getElementById(el.dataset.target), spec.data, spec.layout,
                   {responsive: true, displaylogo: false});
    drawn += 1;
  });
  document.documentElement.setAttribute("data-charts-rendered", String(drawn));
})();
</script>"""
