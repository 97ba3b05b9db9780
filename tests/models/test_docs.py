"""docs/models.md is generated from the models: the committed file must be up to date."""

from pathlib import Path

from gametheory.models.docs import render

DOC = Path(__file__).parents[2] / "docs" / "models.md"


def test_models_md_is_up_to_date():
    expected = render()
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/models.md is out of date: run `python -m gametheory.models.docs > docs/models.md`"
    )


def test_models_md_states_every_model_and_parameter():
    text = DOC.read_text(encoding="utf-8")
    import gametheory as gt

    for name in gt.models.names():
        assert f"## `{name}`" in text
    for name in gt.models.VOCABULARY:
        assert f"| `{name}` |" in text
