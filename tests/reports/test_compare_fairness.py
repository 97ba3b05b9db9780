"""Issue 20's defects of the compare report, each a regression test read off the report's own CSV files."""

import re

import numpy as np
import pandas as pd
import pytest

import gametheory as gt


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return gt.reports.compare(tmp_path_factory.mktemp("fair") / "report", resolution=9)


def csv(report, name):
    return pd.read_csv(report.path / "data" / f"{name}.csv")


def test_escrow_and_direct_are_both_charged_for_the_money_they_tie_up(report):
    """Escrow paid kappa + delta p; direct payment nothing for its deposit. The break-even rate was 0.41 % of D."""
    capital = csv(report, "capital_cost")
    assert (capital["model"] == "direct").all() and capital["deposit"].nunique() == 1
    # welfare falls by D per unit of the rate: the capital cost is a real cost, not a transfer
    slope = np.polyfit(capital["deposit_capital_cost"], capital["welfare_min"], 1)[0]
    assert slope == pytest.approx(-capital["deposit"].iloc[0], rel=1e-9)
    gap = capital["welfare_min"] - capital["escrow_welfare_min"]
    at = capital["deposit_capital_cost"].iloc[0] - gap.iloc[0] / slope
    assert at == pytest.approx(0.0041, abs=5e-5)
    assert f"**{100 * at:.3g}%** of the deposit per order closes the gap" in report.markdown.read_text()
    assert gt.models.get("direct").deposit_capital_cost > 0  # and the default charges it


def test_the_defaults_and_equal_policy_are_shown_side_by_side(report):
    """The defaults differ across models (k = 1, 1, 2 with insurance, 4): equal policy puts them on equal terms."""
    terms = csv(report, "models_terms")
    summary = csv(report, "models_summary")
    assert summary.groupby("terms")["model"].apply(set).to_dict() == {
        "documented defaults": set(gt.models.names()), "equal policy": set(gt.models.names())}
    defaults = terms[terms["terms"] == "documented defaults"].set_index("model")
    assert defaults["penalty_multiplier"].to_dict() == {"cash_on_delivery": 1, "escrow": 1, "direct": 2,
                                                        "self_operated": 4}
    same = terms[terms["terms"] == "equal policy"].set_index("model")
    assert same["penalty_multiplier"].nunique() == 1
    assert (same.loc[same["insurance"].notna(), "insurance"] == "none").all()
    assert (same["min_compensation"].dropna() == 0).all()
    direct = same.loc["direct"]
    assert direct["deposit"] >= direct["penalty_multiplier"] * 100  # the cap does not bind
    text = report.markdown.read_text()
    assert "On **documented defaults**" in text and "On **equal policy**" in text and "equal policy gives" in text
    # a tie names every model in it (on equal policy several models share the lowest rate)
    part = summary[summary["terms"] == "equal policy"]
    tied = part.loc[np.isclose(part["counterfeit_worst"], part["counterfeit_worst"].min()), "model"]
    line = next(li for li in text.splitlines() if li.startswith("- On **equal policy**"))
    head = line.split(" the lowest")[0]
    assert all(f"**{m}**" in head for m in tied) and head.count("**") == 2 * (len(tied) + 1)


def test_cash_on_delivery_reports_fakes_shipped_refused_and_sold(report):
    """Cash on delivery's rate counted fakes refused at the door (0.1128); those that reach buyers are 0.075."""
    summary = csv(report, "models_summary")
    cod = summary[(summary["terms"] == "documented defaults") & (summary["model"] == "cash_on_delivery")].iloc[0]
    assert cod["shipped_worst"] == pytest.approx(0.1128, abs=1e-4)
    assert cod["counterfeit_worst"] == pytest.approx(0.075, abs=1e-4)
    assert cod["refused_worst"] == pytest.approx(cod["shipped_worst"] - cod["counterfeit_worst"])
    assert "11.3% of orders ship a fake: 3.8% are refused at the door and 7.5% reach the buyer" in \
        report.markdown.read_text()
    others = summary[summary["model"] != "cash_on_delivery"]
    np.testing.assert_allclose(others["counterfeit_worst"], others["shipped_worst"])


def test_insurance_is_never_said_to_help_where_its_table_is_flat(report):
    """The section said insurance helps 'even when the deposit is small'; its table showed 71.4 % at every cover."""
    table = csv(report, "insurance")
    text = report.markdown.read_text()
    assert "even when the deposit is small" not in text
    section = text[text.index("What does insurance add?"):]
    for deposit, part in table.groupby("deposit"):
        flat = part["counterfeit_rate_max"].max() - part["counterfeit_rate_max"].min() <= 1e-9
        line = next(li for li in section.splitlines() if li.startswith(f"- Deposit {deposit:,.1f}:"))
        assert ("insurance changes nothing here" in line) == flat, line
    small = table[table["deposit"] == table["deposit"].min()]["counterfeit_rate_max"]
    assert small.round(3).eq(0.714).all()  # the seed scenario's small deposit: flat at 71.4 %


def test_tables_scroll_in_their_own_box_and_figures_are_interactive(report):
    html = report.html.read_text()
    tables = html.count("<table")
    assert tables and html.count("<div class='scroll'><table") == tables
    assert html.count("<script type='application/json' class='chart-spec'") == len(report.figures)
    assert html.count("Plotly.newPlot") == 1  # one renderer for every chart
    from gametheory.reports.charts import plotly_js

    assert html.count(plotly_js()[:500]) == 1  # Plotly.js inlined once, not fetched
    assert not re.search(r"<script[^>]+src=", html)  # nothing loaded from elsewhere
    for png, _ in report.figures.values():
        assert png.name in report.markdown.read_text()
