"""What a section of the ``compare`` report is: computing (tables and the claims read off them) apart from drawing.

A :class:`Section` is three plain functions:

``compute(context) -> {name: DataFrame}``
    The numbers: sweeps, solves, thresholds. Every table is written to ``data/<name>.csv`` because ``draw`` shows
    each one as a :class:`~gametheory.reports.document.Table` or as the data of a
    :class:`~gametheory.reports.document.Figure` of the same name.
``claims(tables, settings) -> [Claim, ...]``
    The findings, each a sentence built from the numbers in ``tables`` (and the report's ``settings``) and from
    nothing else. Because the claims are a pure function of the tables, anyone can recompute them from the CSV
    files on the page (:func:`gametheory.reports.sections.recompute_claims`); the tests do, and they fail when a
    sentence and its table disagree.
``draw(data, context) -> [block, ...]``
    The document blocks (figures, tables, explanatory text without numbers of its own) for the computed
    :class:`SectionData`. The heading and the findings are added by :func:`~gametheory.reports.compare`.

>>> Claim("The rate is 1.0%.", ("t",)).text
'The rate is 1.0%.'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ...sweeps import sweep as run_sweep

__all__ = ["Claim", "Context", "Section", "SectionData", "pct", "pct_change", "money", "sweep"]


@dataclass(frozen=True)
class Claim:
    """One finding: a sentence (Markdown-light) and the names of the tables it is computed from.

    Attributes
    ----------
    text : str
        The sentence, with its numbers formatted from the tables.
    sources : tuple of str
        Names of the tables (``data/<name>.csv``) the numbers come from.
    """

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Context:
    """What every section may read: the scenario and the report's settings.

    Attributes
    ----------
    models : mapping
        Model name -> model at the documented defaults with the report's ``params`` applied.
    params : mapping
        The changes to the default scenario (``--set``).
    target_rate : float
        The worst-case counterfeit rate counted as deterred.
    resolution : int
        Values per swept axis.
    """

    models: Mapping[str, Any]
    params: Mapping[str, Any]
    target_rate: float
    resolution: int

    @property
    def settings(self) -> dict[str, float]:
        """The settings a claim may use (also written to ``data/settings.csv``)."""
        return {"target_rate": float(self.target_rate), "resolution": float(self.resolution)}


@dataclass(frozen=True)
class SectionData:
    """The computed part of a section: its tables (read-only) and the claims made from them."""

    key: str
    tables: Mapping[str, pd.DataFrame]
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Section:
    """A report section: a key, a title (the question it answers) and its compute/claims/draw functions.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Section("demo", "A demo", compute=lambda ctx: {"demo_t": pd.DataFrame({"x": [1.0, 3.0]})},
    ...             claims=lambda t, s: [Claim(f"The largest x is {t['demo_t']['x'].max():g}.", ("demo_t",))],
    ...             draw=lambda data, ctx: [])
    >>> s.run(None).claims[0].text
    'The largest x is 3.'
    """

    key: str
    title: str
    compute: Callable[[Context], Mapping[str, pd.DataFrame]]
    claims: Callable[[Mapping[str, pd.DataFrame], Mapping[str, float]], Sequence[Claim]]
    draw: Callable[[SectionData, Context], list[Any]]
    notes: str = field(default="")

    def run(self, context: Context | None) -> SectionData:
        """Compute the tables, then the claims from the tables alone."""
        tables = dict(self.compute(context))  # type: ignore[arg-type]
        settings = context.settings if context is not None else {}
        claims = tuple(self.claims(tables, settings))
        for claim in claims:
            missing = [s for s in claim.sources if s not in tables]
            if missing:
                raise RuntimeError(f"Section {self.key!r}: a claim cites tables it did not compute: {missing}.")
        return SectionData(self.key, MappingProxyType(tables), claims)


def pct(x: float) -> str:
    """A share as a percentage with one decimal ('n/a' when not finite).

    >>> pct(0.0751), pct(float("nan"))
    ('7.5%', 'n/a')
    """
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f}%"


def pct_change(start: float, end: float, verb: str = "goes") -> str:
    """How a share moves, in words: "goes from 7.5% to 3.0%", or "stays at 7.5%" when the two print alike.

    >>> pct_change(0.0751, 0.03), pct_change(0.278, 0.2781)
    ('goes from 7.5% to 3.0%', 'stays at 27.8%')
    """
    a, b = pct(start), pct(end)
    return f"stays at {a}" if a == b else f"{verb} from {a} to {b}"


def money(x: float) -> str:
    """An amount with a thousands separator and one decimal ('n/a' when not finite).

    >>> money(1234.56)
    '1,234.6'
    """
    return "n/a" if not np.isfinite(x) else f"{x:,.1f}"


def sweep(models: Any, grid: dict[str, Any], fixed: dict[str, Any] | None = None, **kw: Any) -> pd.DataFrame:
    """:func:`gametheory.sweep` in-process without a progress bar (one model or a list)."""
    items = models if isinstance(models, list) else [models]
    return run_sweep(items, grid=grid, fixed=fixed, progress="off", **kw)
