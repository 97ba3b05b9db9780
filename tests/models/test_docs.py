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


def test_models_md_states_one_definition_of_the_counterfeit_rate():
    text = DOC.read_text(encoding="utf-8")
    assert "`counterfeit_rate` is the probability that a fake reaches\na buyer" in text


def test_the_prose_follows_the_numbers_when_the_defaults_change(monkeypatch):
    """Issue 20: the prose hard-coded 'k of about 0.56' and 'deposit (500)'; they must come from the defaults."""
    import dataclasses

    from gametheory.models import docs, parameters

    vocab = dict(parameters.VOCABULARY)
    for name, value in {"deposit": 400, "cost_counterfeit": 30, "false_claim_upheld": 0.02,
                        "deposit_capital_cost": 0.001}.items():
        vocab[name] = dataclasses.replace(vocab[name], default=value)
    monkeypatch.setattr(parameters, "VOCABULARY", vocab)
    monkeypatch.setattr("gametheory.models.base.VOCABULARY", vocab)
    text = docs._claims()
    # (c_g - c_f) / (q alpha p) = 30 / 72; the deposit caps at D / p = 4; q alpha p = 72 per unit of k
    assert f"`k = (c_g - c_f) / (q alpha p) = {30 / 72:.3g}`" in text and "the 30 saved by faking" in text
    assert "deposit (400) caps the penalty at `k = D / p = 4`" in text
    assert "`k p = D = 400`" in text
    # beta (min(k p, D) + m p) - e = 0 at k = (5 / 0.02 - 50) / 100 = 2
    assert "`beta = 0.02`" in text and "`k = (e / beta - m p) / p = 2`" in text
    assert "about 0.56" not in text and "(500)" not in text
    assert "costs the seller `deposit_capital_cost * deposit = 0.4` per order" in text
