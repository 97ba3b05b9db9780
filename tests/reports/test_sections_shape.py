"""Every report section computes (tables, then claims from the tables) apart from drawing: read from the source,
``draw`` uses only its section's data and the report's settings, never the models, and computes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gametheory.reports.sections import SECTIONS

SECTIONS_DIR = Path(__file__).resolve().parents[2] / "gametheory" / "reports" / "sections"
#: what a drawing may read from the context: the report's settings
DRAWING_READS = {"target_rate", "resolution", "settings"}
#: calls that compute (sweeps, solves, searches): they belong in ``compute``
COMPUTING = {"sweep", "solve", "solve_batch", "compute", "optimize", "commitment", "min_penalty_multiplier",
             "min_value", "deterrence_set", "logit_path", "classify_batch"}


def _functions(key: str, folder: Path = SECTIONS_DIR) -> dict[str, ast.FunctionDef]:
    tree = ast.parse((folder / f"{key}.py").read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def drawing_violations(key: str, folder: Path = SECTIONS_DIR) -> list[str]:
    """What the ``draw`` of section ``key`` reads or calls that is not its data or the settings."""
    functions = _functions(key, folder)
    draw = functions["draw"]
    context = draw.args.args[1].arg
    out = []
    for node in ast.walk(draw):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == context \
                and node.attr not in DRAWING_READS:
            out.append(f"line {node.lineno}: reads {context}.{node.attr}")
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in COMPUTING:
                out.append(f"line {node.lineno}: calls {name}")
            helper = functions.get(name)
            if helper is not None and helper.args.args and helper.args.args[0].arg in ("context", "direct", "model"):
                out.append(f"line {node.lineno}: calls {name}, which reads the models")
    return sorted(out)


@pytest.mark.parametrize("key", [s.key for s in SECTIONS])
def test_draw_reads_only_the_data_and_the_settings(key: str) -> None:
    found = drawing_violations(key)
    assert not found, f"section {key!r}: move this into compute (as a column of a table):\n" + "\n".join(found)


@pytest.mark.parametrize("key", [s.key for s in SECTIONS])
def test_claims_read_only_tables_and_settings(key: str) -> None:
    claims = _functions(key)["claims"]
    assert [a.arg for a in claims.args.args] == ["tables", "settings"]
    names = {n.id for n in ast.walk(claims) if isinstance(n, ast.Name)}
    assert not names & {"context", "sweep", "gt"}, f"section {key!r}: claims must be a function of the tables"


def test_the_check_catches_a_drawing_that_reads_the_models(tmp_path: Path) -> None:
    (tmp_path / "demo.py").write_text(
        "def _base(direct):\n    return direct.deposit\n\n"
        "def draw(data, context):\n    d = _base(context.models['direct'])\n    return [context.target_rate, d]\n")
    assert drawing_violations("demo", tmp_path) == ["line 5: calls _base, which reads the models",
                                                   "line 5: reads context.models"]
