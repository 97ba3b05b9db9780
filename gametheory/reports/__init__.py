"""Reports: tables and matplotlib figures of sweeps, written as self-contained HTML and Markdown.

>>> import tempfile, gametheory as gt
>>> df = gt.sweep("direct", grid={"penalty_multiplier": [0, 2, 4]}, progress=False)
>>> gt.reports.build(df, tempfile.mkdtemp()).html.name
'index.html'

:func:`build` reports one sweep (``gametheory report``); :func:`compare` is the flagship report over every payment
model (``gametheory compare``). See ``docs/reports.md``.
"""

from __future__ import annotations

from .document import Document, Figure, Report, Table, Text, write
from .flagship import compare, scenario
from .sweep_report import build

__all__ = ["build", "compare", "scenario", "Report", "Document", "Figure", "Table", "Text", "write"]
