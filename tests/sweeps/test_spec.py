"""Sweep specs: Python and TOML give the same spec and the same table; mistakes name the line."""

import textwrap

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.sweeps import SweepSpec, spec

TOML = """\
title = "multiplier against deposit"
model = "direct"
outputs = ["equilibria", "counterfeit", "welfare"]
chunk_size = 7

[fixed]
price = 120

[axes]
penalty_multiplier = { linspace = [0, 10, 6] }
deposit = { logspace = [1, 3, 3] }
detection_prob = [0.2, 0.5, 0.8]
"""


def test_python_and_toml_give_identical_tables(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text(TOML)
    from_toml = gt.sweep(SweepSpec.from_toml(path), progress=False)
    from_python = gt.sweep(
        "direct",
        grid={"penalty_multiplier": np.linspace(0, 10, 6), "deposit": np.logspace(1, 3, 3),
              "detection_prob": [0.2, 0.5, 0.8]},
        fixed={"price": 120}, outputs=["equilibria", "counterfeit", "welfare"], chunk_size=7,
        title="multiplier against deposit", progress=False,
    )
    assert len(from_toml) == 6 * 3 * 3
    pd.testing.assert_frame_equal(from_python, from_toml)
    assert from_python.attrs["units"] == from_toml.attrs["units"]
    same_words = gt.sweep(
        "direct",
        grid={"penalty_multiplier": {"linspace": [0, 10, 6]}, "deposit": {"logspace": [1, 3, 3]},
              "detection_prob": [0.2, 0.5, 0.8]},
        fixed={"price": 120}, chunk_size=7, title="multiplier against deposit", progress=False,
    )
    pd.testing.assert_frame_equal(same_words, from_toml)
    assert same_words.attrs == from_toml.attrs


def test_table_layout_and_units():
    df = gt.sweep("direct", grid={"deposit": [100, 1000], "detection_prob": [0.2, 0.5, 0.8]}, progress=False)
    assert list(df.columns[:4]) == ["model", "point", "deposit", "detection_prob"]
    assert df["point"].tolist() == list(range(6))
    assert df["deposit"].tolist() == [100.0] * 3 + [1000.0] * 3  # last axis fastest
    assert (df["price"] == 100).all()  # parameters held fixed are columns too
    assert df.attrs["units"]["deposit"] == "currency"
    assert df.attrs["units"]["counterfeit_rate_max"] == "rate"


def test_random_axes_are_reproducible_from_the_seed():
    grid = {"detection_prob": {"uniform": [0, 1, 5]}, "deposit": {"loguniform": [1, 3, 2]}}
    a = SweepSpec.from_dict({"model": "direct", "axes": grid, "seed": 3})
    b = SweepSpec.from_dict({"model": "direct", "axes": grid, "seed": 3})
    c = SweepSpec.from_dict({"model": "direct", "axes": grid, "seed": 4})
    assert np.array_equal(a.axes[0].values, b.axes[0].values)
    assert not np.array_equal(a.axes[0].values, c.axes[0].values)
    assert ((a.axes[1].values >= 10) & (a.axes[1].values <= 1000)).all()


def test_the_module_docstring_example_is_a_valid_spec():
    example = textwrap.dedent(spec.__doc__.split("::\n\n", 1)[1].split("\n\n", 1)[0])
    documented = SweepSpec.from_toml_text(example)  # within the default limit on points
    assert [(a.name, len(a.values)) for a in documented.axes] == [
        ("penalty_multiplier", 201), ("deposit", 500), ("detection_prob", 3), ("audit_detection", 20)]
    assert np.allclose(documented.axes[1].values[[0, -1]], [10, 1e5])


def test_spec_round_trips_through_its_dict():
    spec = SweepSpec.from_toml_text(TOML)
    assert SweepSpec.from_dict(spec.to_dict()) == spec


BAD = [
    pytest.param('model = "direct"\naxis = 1\n', 2, "Unknown sweep spec key 'axis'. Did you mean 'axes'?",
                 id="unknown_top_key"),
    pytest.param('model = "direkt"\n', 1, "Unknown payment model 'direkt'. Did you mean 'direct'?", id="unknown_model"),
    pytest.param('model = "direct"\n[axes]\n# comment\ndeposti = [1, 2]\n', 4, "Did you mean 'deposit'?",
                 id="misspelled_parameter"),
    pytest.param('model = "direct"\n[axes]\nprice = []\n', 3, "axis 'price' is empty", id="empty_list"),
    pytest.param('model = "direct"\n[axes]\nprice = { linspace = [1, 2, 0] }\n', 3, "is empty",
                 id="empty_linspace"),
    pytest.param('model = "direct"\n[axes]\nprice = { linspace = [1, 2] }\n', 3, "needs [start, stop, count]",
                 id="short_linspace"),
    pytest.param('model = "direct"\n[axes]\nprice = { range = [1, 2, 3] }\n', 3, "exactly one of",
                 id="unknown_axis_kind"),
    pytest.param('model = "direct"\n\n[fixed]\nprice = 100\ndetection_prob = 1.5\n', 5,
                 "'detection_prob' parameter of direct must be a float in [0, 1]", id="fixed_out_of_domain"),
    pytest.param('model = "direct"\n[axes]\ndetection_prob = [0.5, 2]\n', 3, "must be a float in [0, 1]",
                 id="axis_out_of_domain"),
    pytest.param('models = ["direct", "escrow"]\n[axes]\ndeposit = [1, 2]\n', 3,
                 "'deposit' is not a parameter of model 'escrow'", id="axis_not_in_every_model"),
    pytest.param('model = "direct"\noutputs = ["equilibria", "welfair"]\n', 2, "Did you mean 'welfare'?",
                 id="unknown_output"),
    pytest.param('model = "direct"\nchunk_size = 0\n', 2, "'chunk_size' must be an int >= 1", id="bad_chunk_size"),
    pytest.param('model = "direct"\n[axes]\nprice = [1, 2\n', 3, "invalid TOML", id="toml_syntax"),
    pytest.param('model = "direct"\n[axes]\nprice = [100, 200]\n[fixed]\nprice = 3\n', 5, "both fixed and an axis",
                 id="fixed_and_axis"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_malformed_specs_name_the_line(text, line, message):
    with pytest.raises(InvalidParameterError) as info:
        SweepSpec.from_toml_text(text, source="spec.toml")
    assert f"spec.toml, line {line}" in str(info.value)
    assert message in str(info.value)


def test_python_errors_use_the_same_messages():
    with pytest.raises(InvalidParameterError, match="axis 'price' is empty"):
        gt.sweep("direct", grid={"price": []}, progress=False)
    with pytest.raises(InvalidParameterError, match="Did you mean 'deposit'"):
        gt.sweep("direct", grid={"deposti": [1]}, progress=False)
    with pytest.raises(InvalidParameterError, match="The 'backend' parameter of sweep"):
        gt.sweep("direct", grid={"price": [1]}, backend="cluster")


def test_model_instances_bring_their_parameters():
    model = gt.models.get("direct", deposit=250, price=80)
    df = gt.sweep(model, grid={"deposit": [100, 200]}, progress=False)
    assert df["price"].tolist() == [80.0, 80.0]
    assert df["deposit"].tolist() == [100.0, 200.0]


def test_domains_that_depend_on_fixed_parameters():
    text = 'model = "direct"\n[fixed]\ncost_genuine = 120\n[axes]\ncost_counterfeit = [10, 100]\n'
    ok = SweepSpec.from_toml_text(text)
    assert ok.grid_shape == (2,)
    with pytest.raises(InvalidParameterError, match=r"spec.toml, line 2: .*'cost_counterfeit'"):
        SweepSpec.from_toml_text('model = "direct"\n[fixed]\ncost_counterfeit = 100\n', source="spec.toml")


def test_the_extended_variant():
    with pytest.raises(InvalidParameterError, match='line 3: .*set variant = "extended"'):
        SweepSpec.from_toml_text('model = "direct"\n[axes]\nhunter_share = [0.1]\n')
    with pytest.raises(InvalidParameterError, match="line 2: Unknown model variant 'extnded'"):
        SweepSpec.from_toml_text('model = "direct"\nvariant = "extnded"\n')
    df = gt.sweep("direct", grid={"penalty_multiplier": [0.0, 6.0]}, variant="extended",
                  outputs=["equilibria", "metrics"], progress=False)
    assert df.attrs["spec"]["variant"] == "extended"
    assert "hunter_share" in df.columns and "false_claim_rate_max" in df.columns
    model = gt.models.get("direct", variant="extended", penalty_multiplier=6.0)
    eqs = gt.solve(model.game())
    assert df["n_equilibria"].iloc[1] == len(eqs)
    assert df["false_claim_rate_max"].iloc[1] == pytest.approx(max(model.outcomes(e)["false_claim_rate"] for e in eqs))
