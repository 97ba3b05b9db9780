"""The README's Python examples run as written, and print what their comments say they print.

A line ``print(...)  # comment`` quotes its output in the comment: every number in the comment (at the precision
quoted), every ``True``/``False``/``None`` and every quoted string or call-like token (``auto(closed_form)``) must
appear in what that line printed, so the README's numbers cannot drift from the code.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])")
WORD = re.compile(r"\b(?:True|False|None)\b|'[^']*'|\b\w+\(\w+\)")


def quoted_claims(comment: str) -> tuple[list[str], list[str]]:
    """The numbers and the literal tokens a comment says were printed.

    >>> quoted_claims("auto(closed_form) True False; rate 0.0198 at k=3")
    (['0.0198', '3'], ['auto(closed_form)', 'True', 'False'])
    """
    return NUMBER.findall(comment), WORD.findall(comment)


def shows_number(quoted: str, printed: str) -> bool:
    """Some number in ``printed`` equals ``quoted`` at the precision it is quoted with.

    >>> shows_number("0.889", "threshold 0.8888888 and 12"), shows_number("0.89", "0.8812")
    (True, False)
    """
    decimals = len(quoted.split(".")[1]) if "." in quoted and "e" not in quoted else None
    target = float(quoted)
    for text in NUMBER.findall(printed.replace("np.float64(", " ")):
        value = float(text)
        if (round(value, decimals) == round(target, decimals)) if decimals is not None else \
                abs(value - target) <= 1e-9 * max(1.0, abs(target)):
            return True
    return False


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_block_runs_and_prints_what_it_quotes(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    filename = f"README.md python block {index}"
    printed: dict[int, list[str]] = defaultdict(list)

    def record(*args, sep=" ", **_):
        frame = sys._getframe(1)
        while frame.f_code.co_filename != filename:  # a print inside a helper: charge the README line calling it
            frame = frame.f_back
        printed[frame.f_lineno].append(sep.join(map(str, args)))

    exec(compile(BLOCKS[index], filename, "exec"), {"__name__": "__readme__", "print": record})
    checked = 0
    for number, line in enumerate(BLOCKS[index].splitlines(), start=1):
        if "print(" not in line or "#" not in line:
            continue
        numbers, words = quoted_claims(line.split("#", 1)[1])
        out = "\n".join(printed.get(number, []))
        assert out, f"README block {index} line {number} printed nothing: {line.strip()}"
        missing = [q for q in numbers if not shows_number(q, out)] + [w for w in words if w not in out]
        assert not missing, f"README block {index} line {number} quotes {missing}, but printed:\n{out}"
        checked += len(numbers) + len(words)
    if any("print(" in line and "#" in line for line in BLOCKS[index].splitlines()):
        assert checked, f"README block {index}: its print comments quote nothing checkable"
