"""``gametheory solve`` says whether the list of equilibria is complete."""

from __future__ import annotations

import json

from gametheory.cli import main
from gametheory.cli.solve import _text


def test_extended_defaults_are_complete(capsys):
    assert main(["solve", "direct", "--variant", "extended", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is True and data["method"] == "auto(hub_spokes)"
    assert len(data["equilibria"]) == 1


def test_incomplete_solve_is_said_in_words():
    data = {"model": "direct", "variant": "extended", "changed": {}, "equilibria": [], "method": "m",
            "complete": False, "degenerate": False, "message": "8 homotopy paths failed"}
    text = _text(data)
    assert "INCOMPLETE" in text and "8 homotopy paths failed" in text
    assert "INCOMPLETE" not in _text({**data, "complete": True})
