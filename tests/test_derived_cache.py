"""The on-disk cache of derived formulas: a hit gives exactly what a fresh derivation gives, a bad file is derived
again (never run), an unwritable folder is harmless, and the key follows what the formulas come from."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory import _expressions
from gametheory._derived import derived, formula_entry
from gametheory._expressions import ProgramFormatError
from gametheory._sympy_json import check, decode, encode, to_program
from gametheory.cli import main
from gametheory.deterrence import closed_form, equilibrium_types
from gametheory.dynamics.symbolic import corner_conditions

MODELS = ("cash_on_delivery", "escrow", "direct", "self_operated")
#: the same, with cash on delivery marked slow (deriving its closed form takes about a minute here)
TIMED = [pytest.param("cash_on_delivery", marks=pytest.mark.slow), "escrow", "direct", "self_operated"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and no formulas held in this process."""
    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("GAMETHEORY_NO_CACHE", raising=False)
    monkeypatch.setattr(equilibrium_types, "_CACHE", {})
    monkeypatch.setattr(closed_form, "_CACHE", {})
    return tmp_path


def _forget() -> None:
    """Drop what this process holds, so the next call reads the disk."""
    equilibrium_types._CACHE.clear()
    closed_form._CACHE.clear()


def _points(model: gt.models.Model, n: int = 64) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    return {name: float(model.params[name]) * rng.uniform(0.5, 1.5, n) + rng.uniform(0, 0.1, n)
            for name in model.numeric_names}


def _candidates(model: gt.models.Model, parameter: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    cf = closed_form.derive(model, parameter)
    vals, ok = cf.candidates(_points(model), 0.02)
    return vals, ok, [str(cf.expression(r)) for r in range(len(cf.all_regimes()))]


@pytest.mark.parametrize("name", TIMED)
def test_a_cache_hit_gives_the_numbers_of_a_fresh_derivation(name: str, cache: Path) -> None:
    model = gt.models.get(name)
    fresh_types = equilibrium_types.equilibrium_types(model)
    fresh = _candidates(model, "penalty_multiplier")
    fresh_rates = fresh_types.rates(_points(model))
    fresh_corners = corner_conditions(model)
    assert len(list(cache.glob("*.json"))) >= 3  # types, closed form, corner conditions (and payoff programs)
    _forget()
    hit_types = equilibrium_types.equilibrium_types(model)
    assert hit_types is not fresh_types and hit_types.types[0].formulas._exprs is None  # read, not derived
    hit = _candidates(model, "penalty_multiplier")
    np.testing.assert_array_equal(hit[0], fresh[0])  # bit for bit, NaN where NaN
    np.testing.assert_array_equal(hit[1], fresh[1])
    assert hit[2] == fresh[2]  # the formulas shown to the user
    np.testing.assert_array_equal(hit_types.rates(_points(model)), fresh_rates)
    for a, b in zip(hit_types.types, fresh_types.types, strict=True):
        assert a.pattern == b.pattern and a.rate == b.rate and a.conditions == b.conditions
    hit_corners = corner_conditions(model)
    assert str(hit_corners) == str(fresh_corners)
    for a, b in zip(hit_corners.rows, fresh_corners.rows, strict=True):
        assert a.eigenvalues == b.eigenvalues and a.status == b.status and a.condition == b.condition
    assert hit_corners.parameters == fresh_corners.parameters


@pytest.mark.parametrize("name", ["direct", "escrow"])
def test_a_threshold_from_the_cache_is_the_fresh_one(name: str, cache: Path) -> None:
    model = gt.models.get(name)
    fresh = gt.deterrence.min_value(model, "penalty_multiplier", target_rate=0.05)
    _forget()
    hit = gt.deterrence.min_value(model, "penalty_multiplier", target_rate=0.05)
    assert fresh.feasible and hit.threshold == fresh.threshold and hit.closed_form == fresh.closed_form
    assert hit.deterrence_set.as_dict() == fresh.deterrence_set.as_dict()


@pytest.mark.parametrize("name", TIMED)
def test_every_formula_survives_the_encoding(name: str, cache: Path) -> None:
    model = gt.models.get(name)
    cf = closed_form.derive(model, "penalty_multiplier")
    table = {s.name: s for s in [*model.symbols.values(), closed_form.TAU]}
    exprs = [f for r in cf.regimes for f in r.formulas.expressions]
    exprs += [f for t in cf.types.types for f in t.formulas.expressions]
    exprs += [b.value for b in cf.boundaries]
    assert exprs
    data = json.loads(json.dumps(encode(exprs)))
    assert decode(data, table) == exprs
    assert [str(e) for e in decode(data, table)] == [str(e) for e in exprs]


def _stored(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def _counting(model: gt.models.Model) -> tuple[list[int], object]:
    calls: list[int] = []
    x = model.symbols["penalty_multiplier"]

    def derive(m: object) -> dict[str, object]:
        calls.append(1)
        return formula_entry([2 * x + 1])

    def assemble(m: object, data: dict[str, object]) -> object:
        return to_program([x.name], data["formulas"])

    return calls, lambda: derived(model, "test", (), derive, assemble)


@pytest.mark.parametrize("tamper", ["checksum", "operation", "symbol", "not json", "truncated"])
def test_a_tampered_or_corrupted_file_is_derived_again_never_run(tamper: str, cache: Path) -> None:
    model = gt.models.get("self_operated")
    calls, get = _counting(model)
    assert get()(3.0) == [7.0] and get()(3.0) == [7.0] and len(calls) == 1  # stored, then read back
    (path,) = _stored(cache)
    record = json.loads(path.read_text())
    payload = json.loads(record["payload"])
    marker = cache / "pwned"
    if tamper == "operation":  # a node that would be a call if anything evaluated it
        payload["value"]["formulas"]["nodes"][0] = ["__import__", f"os.system('touch {marker}')"]
    elif tamper == "symbol":
        payload["value"]["formulas"]["nodes"][0] = ["sym", "__import__"]
    if tamper in ("operation", "symbol"):  # with a matching checksum: the whitelist rejects it
        record["payload"] = json.dumps(payload)
        record["sha256"] = __import__("hashlib").sha256(record["payload"].encode()).hexdigest()
        path.write_text(json.dumps(record))
    elif tamper == "checksum":  # a changed formula, the old checksum
        payload["value"]["formulas"]["nodes"][-1] = ["int", "5"]
        record["payload"] = json.dumps(payload)
        path.write_text(json.dumps(record))
    elif tamper == "not json":
        path.write_text("{not json")
    else:
        path.write_text(path.read_text()[:40])
    assert get()(3.0) == [7.0] and len(calls) == 2  # rejected: derived again, right answer
    assert get()(3.0) == [7.0] and len(calls) == 2  # and the file was rewritten
    assert not marker.exists()


def test_a_tampered_closed_form_file_is_derived_again(cache: Path) -> None:
    model = gt.models.get("self_operated")
    fresh = _candidates(model, "penalty_multiplier")
    for path in _stored(cache):  # every stored formula now names a symbol the model does not have
        path.write_text(path.read_text().replace('[\\"sym\\",\\"k\\"]', '[\\"sym\\",\\"exec\\"]'))
    _forget()
    again = _candidates(model, "penalty_multiplier")
    np.testing.assert_array_equal(again[0], fresh[0])
    assert again[2] == fresh[2]


def test_an_unwritable_cache_folder_falls_back_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file cannot be made
    model = gt.models.get("self_operated")
    calls, get = _counting(model)
    assert get()(1.0) == [3.0] and get()(1.0) == [3.0] and len(calls) == 2  # derived each time, no error
    assert corner_conditions(model).rows[0].status in ("stable", "unstable", "conditional")


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAMETHEORY_NO_CACHE", "1")
    model = gt.models.get("self_operated")
    calls, get = _counting(model)
    assert get()(1.0) == [3.0] and get()(1.0) == [3.0] and len(calls) == 2
    assert _stored(cache) == []


def test_the_key_follows_model_variant_options_sources_and_version(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    direct = gt.models.get("direct")
    assert direct.params["insurance"] == "top_up"
    keys = {direct._disk_key("x"), gt.models.get("direct", variant="extended")._disk_key("x"),
            gt.models.get("escrow")._disk_key("x"), direct._disk_key("y"),
            direct.with_params(insurance="shortfall")._disk_key("x")}
    assert len(keys) == 5
    assert direct.with_params(penalty_multiplier=7.0)._disk_key("x") == direct._disk_key("x")  # values are not
    source = tmp_path / "derive.py"
    source.write_text("# version 1\n")
    before = direct._disk_key("x", (source,))
    source.write_text("# version 2\n")
    from gametheory.models import base

    base._sources_digest.cache_clear()
    assert direct._disk_key("x", (source,)) != before  # editing the deriving code invalidates
    monkeypatch.setattr(base, "_package_version", lambda: "0.0.0-other")
    assert direct._disk_key("x") not in keys  # so does another package version
    custom = gt.models.from_table(["seller", "buyer"], [["Genuine", "Counterfeit"], ["Accept", "Verify"]],
                                  [[["p", "p"], ["0", "0"]], [["1", "0"], ["0", "1"]]], {"p": 1.0})
    assert custom._disk_key("x") is None  # a user's formulas are not keyed by the package sources


@pytest.mark.parametrize("data", [
    {"nodes": [["sym", "x"], ["call", 0]], "outputs": [1]},
    {"nodes": [["sym", "os.system"]], "outputs": [0]},
    {"nodes": [["int", "1e5"]], "outputs": [0]},
    {"nodes": [["rat", "1", "0"]], "outputs": [0]},
    {"nodes": [["sym", "x"], ["add", 0, 1]], "outputs": [1]},
    {"nodes": [["pow", 0]], "outputs": [0]},
    {"nodes": [], "outputs": [3]},
    ["not", "a", "dict"],
])
def test_malformed_encodings_are_rejected(data: object) -> None:
    with pytest.raises(ProgramFormatError):
        check(data)


def test_unknown_symbols_are_refused_on_decoding() -> None:
    x = sympy.Symbol("x")
    with pytest.raises(ProgramFormatError, match="unknown symbol"):
        decode(encode([x + 1]), {"y": sympy.Symbol("y")})
    with pytest.raises(ProgramFormatError, match="not an argument"):
        to_program(["y"], encode([x + 1]))
    with pytest.raises(ProgramFormatError, match="whitelist"):
        encode([sympy.sin(x)])


def test_cache_command_shows_and_clears(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _expressions.store("some key", {"value": 1})
    assert main(["cache", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["folder"] == str(cache) and shown["files"] == 1 and shown["enabled"]
    assert main(["cache", "clear"]) == 0
    assert "removed 1" in capsys.readouterr().out
    assert _stored(cache) == [] and _expressions.load("some key") is None
