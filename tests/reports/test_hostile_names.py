"""Names from data are text, never markup: a sweep whose model name or title is HTML gives no live element."""

import re

import pandas as pd
import pytest

import gametheory as gt
from gametheory.reports.document import Document, Heading, Table, Text, md_escape, safe_stem, write

HOSTILE = "<img src=x onerror=alert(8)>"
TITLE = "</title><script>alert(9)</script> [click](javascript:alert(10)) | # *x*"


def parse(html):
    """Every start tag and its attributes, as an HTML parser reads the page."""
    from html.parser import HTMLParser

    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Tags().feed(html)
    return tags


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    df = gt.sweep(["direct", "escrow"], grid={"penalty_multiplier": [1, 2, 3], "detection_prob": [0.4, 0.8]},
                  outputs=["equilibria", "counterfeit", "welfare", "stable_states"], progress=False)
    df["model"] = df["model"].astype(str).replace({"direct": HOSTILE, "escrow": "a'b\"c/../../evil"})
    df.to_parquet(tmp / "sweep.parquet")  # a Parquet sweep as someone else wrote it
    frame = pd.read_parquet(tmp / "sweep.parquet")
    return gt.reports.build(frame, tmp / "report", title=TITLE), tmp


def test_no_live_markup_in_index_html(hostile_report):
    report, _ = hostile_report
    html = report.html.read_text()
    assert HOSTILE not in html and "<script>alert" not in html and "</title><script>" not in html
    assert "&lt;img src=x onerror=alert(8)&gt;" in html  # shown as text
    # parsed as a browser would: no img with src=x, no event-handler attribute, no script but the writer's own
    tags = parse(html)
    assert not [a for t, a in tags if t == "img" and a.get("src") == "x"]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    scripts = [a for t, a in tags if t == "script"]
    assert all(a.get("type") in (None, "application/json") for a in scripts)
    assert len([a for a in scripts if a.get("type") is None]) == 2  # Plotly.js and the renderer
    for spec in re.findall(r"<script type='application/json'[^>]*>(.*?)</script>", html, flags=re.S):
        assert "<" not in spec and ">" not in spec  # JSON cannot close its script element


def test_no_live_markup_in_index_md(hostile_report):
    report, _ = hostile_report
    md = report.markdown.read_text()
    assert HOSTILE not in md and "<script>" not in md and "[click](javascript" not in md
    assert md.splitlines()[0] == "# " + md_escape(TITLE)


def test_file_names_are_safe_stems_inside_the_report(hostile_report):
    report, tmp = hostile_report
    for png, csv in report.figures.values():
        for path in (png, csv):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+", path.name), path.name
            assert path.resolve().parent.parent == report.path.resolve()
    assert not (tmp / "evil").exists()
    assert {p.parent.name for p in report.path.rglob("*") if p.is_file()} <= {"report", "figures", "data"}


def test_every_block_escapes_what_it_writes(tmp_path):
    doc = Document(HOSTILE, [Heading(HOSTILE), Text(f"- a claim about {HOSTILE}"),
                             Table(HOSTILE, HOSTILE, pd.DataFrame({HOSTILE: [HOSTILE]}), caption=HOSTILE)])
    report = write(doc, tmp_path)
    for text in (report.html.read_text(), report.markdown.read_text()):
        assert HOSTILE not in text
    assert report.tables[HOSTILE].name == safe_stem(HOSTILE) + ".csv"


def test_safe_stems_keep_ordinary_names_and_separate_changed_ones():
    assert safe_stem("regime_direct_deposit") == "regime_direct_deposit"
    assert safe_stem("a<b") != safe_stem("a>b")
    assert safe_stem("../x") != "../x" and "/" not in safe_stem("../x")

