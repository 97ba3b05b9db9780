"""docs/repeated.md: its Python example runs as written, and every public function of gt.repeated is named there."""

import re
from pathlib import Path

import gametheory as gt

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "repeated.md"


def test_the_example_runs():
    (block,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    exec(compile(block, "docs/repeated.md", "exec"), {"__name__": "__docs__"})


def test_every_function_is_documented():
    text = DOC.read_text(encoding="utf-8")
    functions = [n for n in gt.repeated.__all__ if n[0].islower()]
    missing = [n for n in functions if n not in text]
    assert not missing, missing
