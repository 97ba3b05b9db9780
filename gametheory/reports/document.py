"""A report as a list of blocks (headings, text, tables, figures), written as HTML and as Markdown.

``REPORT/index.html`` is self-contained: figures are PNGs embedded as base64 and each figure's numbers are
embedded as a CSV download. ``REPORT/index.md`` is its Markdown twin, which links ``figures/<name>.png``;
``REPORT/data/<name>.csv`` holds the numbers behind every figure and table.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Figure", "Table", "Text", "Heading", "Document", "Report", "write"]

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
    """

    name: str
    title: str
    caption: str
    figure: Any
    data: pd.DataFrame
    where: dict[str, Any] = field(default_factory=dict)


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
        The report folder.
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
    html_parts = [_HTML_HEAD.format(title=html.escape(document.title))]
    md_parts = [f"# {document.title}\n"]
    figures: dict[str, tuple[Path, Path]] = {}
    tables: dict[str, Path] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            html_parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
            md_parts.append(f"{'#' * block.level} {block.text}\n")
        elif isinstance(block, Text):
            html_parts.append(_text_html(block.text))
            md_parts.append(block.text.strip() + "\n")
        elif isinstance(block, Table):
            csv = _save_csv(block.data, out / "data" / f"{block.name}.csv")
            tables[block.name] = csv
            html_parts.append(f"<h4>{html.escape(block.title)}</h4>" + _table_html(block.data, csv))
            md_parts.append(f"**{block.title}**\n\n{_table_md(block.data, csv, out)}\n")
            if block.caption:
                html_parts.append(f"<p class='caption'>{html.escape(block.caption)}</p>")
                md_parts.append(f"*{block.caption}*\n")
        elif isinstance(block, Figure):
            png, csv = out / "figures" / f"{block.name}.png", out / "data" / f"{block.name}.csv"
            buffer = io.BytesIO()
            block.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            png.write_bytes(buffer.getvalue())
            _save_csv(block.data, csv)
            figures[block.name] = (png, csv)
            held = ", ".join(f"{k} = {_num(v)}" for k, v in block.where.items())
            caption = block.caption + (f" Other axes held at {held}." if held else "")
            encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
            html_parts.append(
                f"<figure id='{block.name}'><img alt='{html.escape(block.title)}' "
                f"src='data:image/png;base64,{encoded}'/><figcaption><b>{html.escape(block.title)}.</b> "
                f"{html.escape(caption)}</figcaption></figure>"
                f"<details><summary>Numbers behind this figure ({len(block.data)} rows)</summary>"
                f"{_table_html(block.data, csv)}</details>"
            )
            md_parts.append(
                f"![{block.title}](figures/{block.name}.png)\n\n*{block.title}.* {caption}\n\n"
                f"<details><summary>Numbers behind this figure</summary>\n\n{_table_md(block.data, csv, out)}\n"
                "</details>\n"
            )
    html_parts.append("</body></html>\n")
    (out / "index.html").write_text("\n".join(html_parts), encoding="utf-8")
    (out / "index.md").write_text("\n".join(md_parts), encoding="utf-8")
    return Report(out, out / "index.html", out / "index.md", figures, tables)


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
    body: str = _fmt_frame(data).to_html(index=False, border=0, classes="numbers", escape=True)
    raw = csv.read_bytes()
    note = f"<p class='caption'>First {MAX_ROWS} of {len(data)} rows. " if more else "<p class='caption'>"
    if len(raw) <= MAX_EMBED:
        link = base64.b64encode(raw).decode("ascii")
        note += f"<a download='{csv.name}' href='data:text/csv;base64,{link}'>Download all rows (CSV)</a>"
    else:
        note += f"All rows: data/{csv.name}"
    return body + note + "</p>"


def _table_md(data: pd.DataFrame, csv: Path, out: Path) -> str:
    shown = _fmt_frame(data).astype(str)
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = ["| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in shown.to_numpy().tolist()]
    tail = f"\n\nFirst {MAX_ROWS} of {len(data)} rows; " if len(data) > MAX_ROWS else "\n\n"
    return "\n".join([header, rule, *rows]) + tail + f"all rows: [{csv.relative_to(out)}]({csv.relative_to(out)})"


def _text_html(text: str) -> str:
    import re

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
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
h1, h2, h3 {{ color: #123; }} figure {{ margin: 1.5rem 0; }} img {{ max-width: 100%; }}
table.numbers {{ border-collapse: collapse; font-size: 0.8rem; }}
table.numbers td, table.numbers th {{ padding: 0.15rem 0.5rem; border-bottom: 1px solid #ddd; text-align: right; }}
.caption, figcaption {{ font-size: 0.85rem; color: #444; }} code {{ background: #f4f4f4; }}
</style></head><body>
<h1>{title}</h1>"""
