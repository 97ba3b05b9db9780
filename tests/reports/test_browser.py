"""The compare report in a real browser: headless Chromium (Debian's package) opens index.html offline, every
chart renders with no console message, and a screenshot is taken. Skips with a message where no browser exists
(CI installs one: see .ci/run)."""

import re
import shutil
import subprocess

import pytest

import gametheory as gt

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
#: flags for a quiet, offline, throw-away headless browser
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000")


def browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium on this machine (apt-get install chromium); the browser test is skipped")


def run(exe, profile, page, *args):
    """One headless run with a fresh profile; (stdout, stderr)."""
    cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    exe = browser()
    tmp = tmp_path_factory.mktemp("browser")
    report = gt.reports.compare(tmp / "report", resolution=9)
    dom, log = run(exe, tmp / "profile-dom", report.html, "--dump-dom")
    return exe, tmp, report, dom, log


def test_every_chart_renders(page):
    _, _, report, dom, _ = page
    assert f'data-charts-rendered="{len(report.figures)}"' in dom
    starts = [m.start() for m in re.finditer(r'<div class="chart[^"]*" id="chart-', dom)]
    assert len(starts) == len(report.figures)
    for begin, end in zip(starts, [*starts[1:], len(dom)], strict=True):
        chart = dom[begin:end]
        assert "js-plotly-plot" in chart[:200], chart[:200]  # Plotly took the div
        assert 'class="main-svg"' in chart
        assert 'class="trace' in chart or re.search(r'class="hm"[^>]*>\s*<image', chart)  # a line or a heat map


def test_no_console_message(page):
    *_, log = page
    messages = [line for line in log.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not messages, "\n".join(messages)


def test_a_screenshot_of_the_report(page):
    from PIL import Image

    exe, tmp, report, _, _ = page
    shot = tmp / "report.png"
    _, log = run(exe, tmp / "profile-shot", report.html, f"--screenshot={shot}", "--window-size=1200,2400",
                 "--hide-scrollbars")
    assert shot.exists(), log[-2000:]
    with Image.open(shot) as image:
        assert image.size == (1200, 2400)
        colours = image.convert("L").getextrema()
        assert colours[1] - colours[0] > 100  # text and charts, not a blank page
