"""The sections of the ``compare`` report, in order, and how to recompute their claims from the files written.

:data:`SECTIONS` is the registry :func:`gametheory.reports.compare` iterates: each entry is a
:class:`~gametheory.reports.sections.base.Section` defined in its own module of this package. To add a section,
write ``gametheory/reports/sections/<key>.py`` with ``compute``, ``claims`` and ``draw`` and a module-level
``SECTION``, import it here and put it in :data:`SECTIONS` where it belongs (docs/reports.md, "Adding a section").

>>> [s.key for s in SECTIONS]
['models', 'enforcers', 'deposit', 'insurance', 'escrow', 'platform_choice', 'repeated', 'qre', 'hunters']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..._validation import unknown_name_error
from . import deposit, enforcers, escrow, hunters, insurance, models, platform_choice, qre, repeated
from .base import Claim, Context, Section, SectionData

__all__ = ["SECTIONS", "Claim", "Context", "Section", "SectionData", "recompute_claims", "section"]

#: the sections of the report, in the order they appear
SECTIONS: tuple[Section, ...] = (
    models.SECTION,
    enforcers.SECTION,
    deposit.SECTION,
    insurance.SECTION,
    escrow.SECTION,
    platform_choice.SECTION,
    repeated.SECTION,
    qre.SECTION,
    hunters.SECTION,
)


def section(key: str) -> Section:
    """The registered section with this key.

    >>> section("deposit").title
    'How small a deposit defeats the multiplier?'
    """
    for s in SECTIONS:
        if s.key == key:
            return s

    raise unknown_name_error("section", key, [s.key for s in SECTIONS])


def recompute_claims(report: str | Path, key: str) -> list[Claim]:
    """The claims of section ``key`` recomputed from the CSV files of a written report alone.

    Reads ``data/settings.csv`` and ``data/<table>.csv`` for every table the section's claims cite, and runs the
    section's ``claims`` on them. A report is honest when these sentences are the ones it printed.

    Parameters
    ----------
    report : str or Path
        The report folder written by :func:`gametheory.reports.compare`.
    key : str
        A section key (see :data:`SECTIONS`).

    Returns
    -------
    list of Claim
    """
    data = Path(report) / "data"
    settings_table = pd.read_csv(data / "settings.csv")
    settings: Mapping[str, float] = dict(zip(settings_table["setting"], settings_table["value"], strict=True))
    tables = _LazyTables(data)
    return list(section(key).claims(tables, settings))


class _LazyTables(dict):  # type: ignore[type-arg]
    """``data/<name>.csv`` read on first use (a claim reads only the tables it cites)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = folder

    def __missing__(self, name: str) -> pd.DataFrame:
        frame = pd.read_csv(self._folder / f"{name}.csv", keep_default_na=True)
        self[name] = frame
        return frame
