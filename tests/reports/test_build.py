"""Reports of sweeps: every figure file present, every figure's data table matching the sweep."""

import base64

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.reports.sweep_report import MAX_CELLS


@pytest.fixture(scope="module")
def sweep_and_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    df = gt.sweep(["direct", "escrow"],
                  grid={"penalty_multiplier": {"linspace": [1, 6, 6]}, "detection_prob": [0.2, 0.5, 0.8],
                        "fine": [0, 100]},
                  outputs=["equilibria", "counterfeit", "welfare", "stable_states"], out=out / "run",
                  progress=False)
    report = gt.reports.build(out / "run", out / "report")
    return df, report


def test_every_figure_file_is_present_and_embedded(sweep_and_report):
    df, report = sweep_and_report
    html = report.html.read_text()
    md = report.markdown.read_text()
    expected = {f"regime_{m}_{x}_{y}" for m in ("direct", "escrow")
                for x, y in [("penalty_multiplier", "detection_prob"), ("penalty_multiplier", "fine"),
                             ("detection_prob", "fine")]}
    expected |= {f"{kind}_{a}" for kind in ("counterfeit", "welfare") for a in ("penalty_multiplier",
                                                                               "detection_prob", "fine")}
    expected |= {e.replace("regime_", "stable_") for e in expected if e.startswith("regime_")}
    assert set(report.figures) == expected
    for name, (png, csv) in report.figures.items():
        assert png.exists() and csv.exists(), name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert base64.b64encode(png.read_bytes()).decode() in html  # self-contained
        assert f"figures/{name}.png" in md


def test_every_figure_table_matches_the_sweep(sweep_and_report):
    df, report = sweep_and_report
    axes = ["penalty_multiplier", "detection_prob", "fine"]
    for name, (_, csv) in report.figures.items():
        data = pd.read_csv(csv)
        keys = [c for c in data.columns if c in axes or c == "model"]
        assert set(keys) == {"model", *axes}, name  # drawn and held axes are both in the table
        merged = data.merge(df, on=keys, how="left", suffixes=("", "_sweep"), validate="one_to_one")
        values = [c for c in data.columns if c not in keys]
        for col in values:
            expected = merged[f"{col}_sweep"] if f"{col}_sweep" in merged else merged[col]
            got = merged[col]
            if pd.api.types.is_numeric_dtype(got):
                np.testing.assert_allclose(got.to_numpy(float), expected.to_numpy(float), rtol=0, atol=0,
                                           err_msg=name)
            else:
                assert got.astype(str).tolist() == expected.astype(str).tolist(), name
        # the rows drawn are one slice: the axes not drawn are held at one value each
        drawn = [a for a in axes if a in name]
        held = [a for a in axes if a not in drawn]
        assert all(data[a].nunique() == 1 for a in held), name
        per_model = df[df["model"].isin(data["model"].unique())]
        assert len(merged) == len(data)
        assert len(data) == data["model"].nunique() * np.prod([per_model[a].nunique() for a in drawn])


def test_labels_carry_names_and_units():
    from gametheory.reports.labels import label

    assert label("deposit") == "deposit D (currency per order)"
    assert label("detection_prob") == "detection prob q (probability)"
    assert "worst equilibrium" in label("counterfeit_rate_max")


def test_big_axes_are_thinned_in_maps(tmp_path):
    df = gt.sweep("direct", grid={"penalty_multiplier": {"linspace": [0, 5, MAX_CELLS + 50]},
                                  "detection_prob": [0.3, 0.6]}, progress=False)
    report = gt.reports.build(df, tmp_path)
    data = pd.read_csv(report.figures["regime_direct_penalty_multiplier_detection_prob"][1])
    assert data["penalty_multiplier"].nunique() == MAX_CELLS


def test_an_empty_table_is_an_error(tmp_path):
    with pytest.raises(gt.InvalidParameterError, match="no rows"):
        gt.reports.build(pd.DataFrame({"model": []}), tmp_path)
