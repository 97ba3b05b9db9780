"""Every sweep the documentation shows is one the library accepts: each example TOML in ``examples/`` and the TOML
and Python examples of docs/sweeps.md load, pass the limits on points and estimated work, and the small ones run.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.sweeps import SweepSpec
from gametheory.sweeps.cost import check_cost

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.toml"))
DOCS = (ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8")
#: examples of at most this many points are run, not only checked (threshold_map's 3,600 per-point exact searches
#: take over a minute: the threshold output's work is not in the sweep's cost estimate)
SMALL = 1_000
#: the largest regret (currency) of a listed equilibrium: payoffs are at most ~10^5, regrets ~10^-9 of that
REGRET = 1e-3


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS, flags=re.S)


def _check_limits(spec: SweepSpec) -> None:
    """The checks ``gt.sweep`` and ``gametheory sweep`` make before they start, with the default limits."""
    for in_memory in (True, False):
        check_cost(spec, in_memory=in_memory, backend="inprocess", workers=None, scheduler=None,
                   max_seconds=None, max_points=None)


def _assert_ran(spec: SweepSpec, df) -> None:
    assert len(df) == spec.n_points
    assert (df["n_equilibria"] >= 1).all()  # every finite game has an equilibrium (Nash 1951)
    assert np.nanmax(df["max_regret"]) <= REGRET


def test_every_example_toml_is_a_sweep_spec():
    assert len(EXAMPLES) >= 5
    assert all(path.parent.name == "sweeps" for path in EXAMPLES), "examples/ holds only sweep specs as TOML"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_toml_loads_within_the_limits(path):
    spec = SweepSpec.from_toml(path)
    assert spec.n_points >= 1
    declared = re.search(r"\(([\d x]+) = ([\d,]+) points\)", path.read_text(encoding="utf-8"))
    if declared:  # the count the file's own comment quotes
        assert int(declared.group(2).replace(",", "")) == spec.n_points
    _check_limits(spec)
    if spec.n_points <= SMALL:
        _assert_ran(spec, gt.sweep(spec, progress=False))


def test_docs_toml_example_loads_within_the_limits():
    (toml,) = [block for block in _blocks("toml") if "[axes]" in block]
    spec = SweepSpec.from_toml_text(toml, source="docs/sweeps.md")
    assert [(axis.name, len(axis.values)) for axis in spec.axes] == [
        ("penalty_multiplier", 21), ("deposit", 50), ("detection_prob", 3), ("audit_detection", 10),
        ("reputation_loss", 5)]
    assert spec.n_points == 157_500  # as its comment says
    _check_limits(spec)


def test_docs_python_example_runs():
    (code,) = [block for block in _blocks("python") if "gt.sweep(" in block]
    namespace: dict = {}
    exec(compile(code, "docs/sweeps.md", "exec"), namespace)  # the project's own documentation
    df = namespace["df"]
    assert len(df) == 21 * 50 * 3
    assert df.attrs["units"]["deposit"] == "currency"
    assert (df["n_equilibria"] >= 1).all()
    assert np.nanmax(df["max_regret"]) <= REGRET
