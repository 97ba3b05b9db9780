r"""The flagship report: every payment model on one scenario, and the sweeps that answer the seed's questions.

The report is the sections of :data:`gametheory.reports.sections.SECTIONS`, in order; each section computes its
tables, makes its claims from those tables alone, and draws them (see :mod:`gametheory.reports.sections.base`):

1. **What happens?** Each model's equilibria at the scenario, with their outcomes (``models``).
2. **Does punitive compensation to buyers deter where a fine to the platform does not?** (``enforcers``)
3. **How small a deposit defeats the multiplier?** The deposit caps the real penalty at :math:`\min(k p, D)`
   (``deposit``).
4. **What does insurance add?** (``insurance``)
5. **What does escrow cost?** (``escrow``)
6. **Which payment model should the platform choose?** The optimal policy per model, the frontier of profit
   against the counterfeit rate, and commitment to an audit rate against simultaneous play (``platform_choice``).
7. **Does the future keep sellers honest?** Repeated play, store deposits and ratings (``repeated``).
8. **What if sellers, buyers and platforms err?** The counterfeit rate at the logit QRE against the precision, and
   the logit-selected equilibrium beside the worst and the best case (``qre``).

Every finding is a sentence built from the numbers in the tables it cites, which are written to
``data/<name>.csv``; :func:`gametheory.reports.sections.recompute_claims` rebuilds them from those files.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__, limits
from .._validation import InstanceOf, Interval, NoneOr, check_param, unknown_name_error, validate_params
from .document import Document, Figure, Heading, Report, Table, Text, write
from .sections import SECTIONS, Claim, Context, SectionData

__all__ = ["compare", "scenario", "findings"]

_PATH = InstanceOf(str, Path, description="a str or a pathlib.Path")
_MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")


def scenario(params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every payment model at the default scenario with ``params`` applied where a model has the parameter.

    Parameters
    ----------
    params : dict, optional
        Parameter name -> value (``--set`` on the command line).

    Returns
    -------
    dict
        Model name -> model.

    Raises
    ------
    InvalidParameterError
        A parameter no model has, or a value outside its domain.

    Examples
    --------
    >>> models = scenario({"price": 80})
    >>> sorted(models), models["escrow"].price
    (['cash_on_delivery', 'direct', 'escrow', 'self_operated'], 80.0)
    """
    from .. import models as gm  # lazy: sympy

    params = dict(params or {})
    available = {name: set(gm.get(name).parameter_names) for name in _MODELS}
    everything = set().union(*available.values())
    for key in params:
        if key not in everything:
            raise unknown_name_error("parameter", key, everything)
    return {name: gm.get(name, **{k: v for k, v in params.items() if k in available[name]}) for name in _MODELS}


@validate_params(
    {
        "out": None,
        "params": NoneOr(InstanceOf(Mapping, description="a mapping")),
        "target_rate": Interval(float, 0, 1),
        "resolution": Interval(int, 5, None),
        "max_seconds": NoneOr(Interval(float, 0, None, closed="neither")),
        "max_points": NoneOr(Interval(int, 1, None)),
    }
)
def compare(out: str | Path, *, params: Mapping[str, Any] | None = None, target_rate: float = 0.02,
            resolution: int = 41, max_seconds: float | None = None, max_points: int | None = None) -> Report:
    """Write the flagship report: all four payment models on one scenario, and the seed's four questions.

    Parameters
    ----------
    out : str or Path
        The report folder (``index.html``, ``index.md``, ``figures/``, ``data/``).
    params : dict, optional
        Changes to the default scenario (applied to every model that has the parameter).
    target_rate : float
        The worst-case counterfeit rate counted as "deterred" in the findings.
    resolution : int
        Values per swept axis (the maps have ``resolution**2`` points).
    max_seconds, max_points : optional
        Raise the limits on the estimated work and the maps' points
        (:func:`gametheory.limits.check_compare`), checked before anything is computed.

    Returns
    -------
    Report

    Examples
    --------
    >>> import tempfile, gametheory as gt
    >>> report = gt.reports.compare(tempfile.mkdtemp(), resolution=5)
    >>> "models_equilibria" in report.tables
    True
    """
    check_param("compare", "out", out, _PATH)
    limits.check_compare(resolution, max_seconds=max_seconds, max_points=max_points)
    started = time.perf_counter()
    context = Context(scenario(params), dict(params or {}), target_rate, resolution)
    doc = Document("Payment models compared: cash on delivery, escrow, direct payment, self-operated")
    changed = ", ".join(f"{k} = {v}" for k, v in context.params.items()) or "none (the documented defaults)"
    doc.add(Text(f"One scenario, four payment models, and the sweeps that answer the seed's questions. "
                 f"Changes to the default scenario: {changed}. A point is **deterred** when the counterfeit rate "
                 f"is at most {target_rate:g} in every equilibrium (the worst case). Every finding below is "
                 "computed from the table or figure data it cites (`data/<name>.csv`)."))
    doc.add(Table("settings", "Settings of this report",
                  pd.DataFrame({"setting": list(context.settings), "value": list(context.settings.values())})))
    for number, section in enumerate(SECTIONS, 1):
        data = section.run(context)
        doc.add(Heading(f"{number}. {section.title}"), findings(data.claims))
        doc.add(*_shown(section.key, data, section.draw(data, context)))
    doc.add(Text(f"Computed in {time.perf_counter() - started:.1f} s by gametheory {_version()}."))
    return write(doc, out)


def findings(claims: Sequence[Claim]) -> Text:
    """The claims of a section as a bullet list (each claim one bullet).

    Examples
    --------
    >>> print(findings([Claim("A.", ()), Claim("B.", ())]).text)
    - A.
    - B.
    """
    return Text("\n".join(f"- {c.text}" for c in claims))


def _shown(key: str, data: SectionData, blocks: list[Any]) -> list[Any]:
    """The blocks, checked: every table a claim cites is drawn under its name with all of its columns (so the
    CSV written for it holds every number the claim used)."""
    drawn = {b.name: b.data for b in blocks if isinstance(b, (Figure, Table))}
    for name in {s for claim in data.claims for s in claim.sources}:
        if name not in drawn or not set(data.tables[name].columns) <= set(drawn[name].columns):
            raise RuntimeError(f"Section {key!r} cites table {name!r} but does not draw all of it.")
    return blocks


def _version() -> str:
    return __version__
