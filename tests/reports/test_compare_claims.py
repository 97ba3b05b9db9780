"""The compare report is honest: every finding is recomputed from the CSV files on the page and must match.

Each registered section's claims are rebuilt by ``recompute_claims`` from ``data/*.csv`` alone and compared with
the bullets the report printed under that section's heading; a table changed on disk must change the sentence.
"""

import html
import re

import pandas as pd
import pytest

import gametheory as gt
from gametheory.reports.sections import SECTIONS, recompute_claims


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return gt.reports.compare(tmp_path_factory.mktemp("cmp") / "report", resolution=9)


def printed_findings(markdown: str) -> dict[str, list[str]]:
    """Section title -> the bullet lines right under its '## N. title' heading."""
    out: dict[str, list[str]] = {}
    current = None
    for line in markdown.splitlines():
        heading = re.match(r"^## \d+\. (.*)$", line)
        if heading:
            current = heading.group(1)
            out[current] = []
        elif current is not None and line.startswith("- "):
            out[current].append(line[2:])
        elif current is not None and line.startswith(("**", "![")):
            current = None  # the findings end where the first table or figure starts
    return out


@pytest.mark.parametrize("section", SECTIONS, ids=[s.key for s in SECTIONS])
def test_every_claim_is_recomputed_from_the_csv_files(report, section):
    printed = printed_findings(report.markdown.read_text())
    recomputed = [html.escape(c.text, quote=False) for c in recompute_claims(report.path, section.key)]
    assert recomputed, section.key
    assert printed[html.escape(section.title, quote=False)] == recomputed


@pytest.mark.parametrize("section", SECTIONS, ids=[s.key for s in SECTIONS])
def test_every_cited_table_is_on_the_page(report, section):
    written = set(report.tables) | set(report.figures)
    for claim in recompute_claims(report.path, section.key):
        assert set(claim.sources) <= written, (section.key, claim.text)


def test_a_table_changed_on_disk_changes_the_claim(report, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(report.path, copy)
    summary = pd.read_csv(copy / "data" / "models_summary.csv")
    before = recompute_claims(copy, "models")[0].text
    summary.loc[summary["model"] == "self_operated", "counterfeit_worst"] = 0.5
    summary.to_csv(copy / "data" / "models_summary.csv", index=False)
    after = recompute_claims(copy, "models")[0].text
    assert before != after and "50.0%" in after
    assert html.escape(after, quote=False) not in report.markdown.read_text()
