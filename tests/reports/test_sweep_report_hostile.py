"""A sweep folder crafted with a hostile model name and title gives a report with no live markup (issue 22).

The folder is a consistent store (records and hashes match), as an attacker who writes Parquet files would make
it: the store's checks pass, so it is the report's escaping (``reports/document.py``) that must hold.
"""

import re
from html.parser import HTMLParser

import gametheory as gt
from gametheory.sweeps.evaluate import evaluate_chunk
from gametheory.sweeps.grid import Chunk
from gametheory.sweeps.run import _execute
from gametheory.sweeps.spec import SweepSpec
from gametheory.sweeps.store import SweepStore

HOSTILE = "<img src=x onerror=alert(8)>"
TITLE = "<script>alert(9)</script> [x](javascript:alert(10)) | # *"


class _Elements(HTMLParser):
    """Every element a browser would build from the page: its tag, its attributes, and the text of scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


class _Hostile:
    """Evaluates the direct model and names it HOSTILE in the table (picklable, like a real task)."""

    def __init__(self, real: SweepSpec) -> None:
        self.real = real

    def __call__(self, chunk: Chunk):
        frame = evaluate_chunk(self.real, Chunk(chunk.index, "direct", chunk.start, chunk.stop))
        frame["model"] = frame["model"].cat.rename_categories([HOSTILE])
        return frame


def test_a_hostile_model_name_and_title_are_inert_in_html_and_markdown(tmp_path):
    real = SweepSpec.from_dict({"model": "direct", "title": TITLE, "chunk_size": 4, "outputs": ["equilibria"],
                                "axes": {"penalty_multiplier": [0, 2, 4], "deposit": [10, 1000]}})
    crafted = SweepSpec(models=(HOSTILE,), fixed=real.fixed, axes=real.axes, outputs=real.outputs,
                        chunk_size=real.chunk_size, title=TITLE)
    _execute(crafted, SweepStore(tmp_path / "run"), resume=False, overwrite=False, backend="inprocess",
             workers=None, scheduler=None, progress="off", task=_Hostile(real))
    report = gt.reports.build(tmp_path / "run", tmp_path / "report")
    html = report.html.read_text()
    md = report.markdown.read_text()
    assert HOSTILE not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(8)&gt;" in html  # shown, as text
    page = _Elements()
    page.feed(html)
    handlers = [(tag, name) for tag, attrs in page.tags for name, _ in attrs if name.startswith("on")]
    assert handlers == []  # no onerror= (nor any on...=) attribute came out of the data
    assert all(dict(attrs).get("src", "data:").startswith("data:") for tag, attrs in page.tags if tag == "img")
    assert not any(text.lstrip().startswith("alert(") for text in page.scripts)
    assert HOSTILE not in md and "<script>" not in md and "[x](javascript:" not in md  # no live link
    assert "&lt;img src=x onerror=alert(8)&gt;" in md
    for png, csv in report.figures.values():  # file names made safe: no markup, no path separator
        for path in (png, csv):
            assert path.parent.parent == tmp_path / "report" and re.fullmatch(r"[A-Za-z0-9_.-]+", path.name)
