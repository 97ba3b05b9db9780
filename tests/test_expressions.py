"""Derived formulas as data: programs match sympy, cache files are data, a read-only cache folder is harmless."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory._expressions import Program, ProgramFormatError, cached
from gametheory._sympy_json import decode, encode, from_sympy


@pytest.mark.parametrize("name", ["cash_on_delivery", "direct", "escrow", "self_operated"])
@pytest.mark.parametrize("variant", ["core", "extended"])
def test_payoff_program_matches_sympy_at_random_points(name: str, variant: str) -> None:
    model = gt.models.get(name, variant=variant)
    program = model.numeric_functions()["payoffs"]
    symbols = [model.parameter(n).symbol for n in model.numeric_names]
    exact = sympy.lambdify(symbols, [x for x in model.symbolic_payoffs().reshape(len(model.symbolic_payoffs()))
                                     .tolist()], modules="numpy")
    rng = np.random.default_rng(7)
    base = np.array([float(model.params[n]) for n in model.numeric_names])
    for _ in range(5):
        point = [float(v) for v in base * rng.uniform(0.5, 1.5, size=len(base))]
        assert np.allclose(np.array(program(*point), dtype=float), np.array(exact(*point), dtype=float),
                           rtol=1e-12, atol=1e-9)
    arrays = [np.full(4, v) for v in base]  # the array path gives the same numbers as the float path
    assert np.allclose(np.stack([np.broadcast_to(v, 4) for v in program(*arrays)]),
                       np.array(program(*map(float, base)))[:, None])


def test_functions_of_sympy_survive_the_round_trip() -> None:
    x, y = sympy.symbols("x y")
    exprs = [sympy.sqrt(x) + sympy.exp(-y), sympy.Min(x, 2 * y), sympy.Max(x, y) ** 3, sympy.log(x) / y,
             sympy.Piecewise((x, (x > 1) & (y < 4)), (y, sympy.Ne(x, y)), (0, True)), sympy.Abs(x - y)]
    program = Program.from_json(from_sympy(["x", "y"], exprs).to_json())
    reference = sympy.lambdify([x, y], exprs, modules="numpy")
    for point in [(2.0, 3.0), (0.5, 5.0), (3.0, 3.0)]:
        assert np.allclose(program(*point), reference(*point))


@pytest.mark.parametrize("payload", [
    '{"format": 1, "arguments": ["x"], "nodes": [["__import__", 0]], "outputs": [0]}',
    '{"format": 1, "arguments": ["x"], "nodes": [["arg", 0], ["add", 0, 5]], "outputs": [1]}',
    '{"format": 1, "arguments": ["x"], "nodes": [["const", "os.system(\'touch /tmp/pwned\')"]], "outputs": [0]}',
    '{"format": 1, "arguments": ["x"], "nodes": [["arg", 3]], "outputs": [0]}',
    '{"format": 1, "arguments": ["x"], "nodes": [["pow", 0]], "outputs": [0]}',
    '{"format": 2, "arguments": [], "nodes": [], "outputs": []}',
    "not json",
])
def test_hostile_or_broken_program_files_are_rejected(payload: str) -> None:
    with pytest.raises(ProgramFormatError):
        Program.from_json(payload)


def test_a_rejected_cache_file_is_derived_again(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(tmp_path))
    x = sympy.Symbol("x")
    calls = []

    def derive() -> dict[str, Program]:
        calls.append(1)
        return {"f": from_sympy(["x"], [x + 1])}

    assert cached("demo", derive)["f"](1.0) == [2.0]
    assert cached("demo", derive)["f"](1.0) == [2.0] and len(calls) == 1   # read back from the file
    (path,) = tmp_path.glob("*.json")
    data = json.loads(path.read_text())
    payload = json.loads(data["payload"])
    payload["f"] = '{"format": 1, "arguments": ["x"], "nodes": [["eval", 0]], "outputs": [0]}'
    data["payload"] = json.dumps(payload)
    path.write_text(json.dumps(data))  # the checksum no longer matches
    assert cached("demo", derive)["f"](1.0) == [2.0] and len(calls) == 2   # rejected, derived again
    data["sha256"] = hashlib.sha256(data["payload"].encode()).hexdigest()
    path.write_text(json.dumps(data))  # a matching checksum, but an operation outside the whitelist
    assert cached("demo", derive)["f"](1.0) == [2.0] and len(calls) == 3   # rejected, derived again
    assert cached("demo", derive)["f"](1.0) == [2.0] and len(calls) == 3   # the rewritten file is read back


def test_a_read_only_cache_folder_falls_back_quietly(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file cannot be made
    x = sympy.Symbol("x")
    assert cached("demo", lambda: {"f": from_sympy(["x"], [2 * x])})["f"](3.0) == [6.0]


def test_text_is_refused_not_parsed(tmp_path, monkeypatch) -> None:
    target = tmp_path / "pwned"
    with pytest.raises(ProgramFormatError, match="not text|sympy objects or numbers"):
        from_sympy(["x"], [f"__import__('os').system('touch {target}')"])
    assert not target.exists()


def test_named_constants_are_exact_in_the_encoding_and_floats_in_the_program() -> None:
    x = sympy.Symbol("x")
    exprs = [2 * sympy.pi * x, sympy.E ** 2 + x, sympy.exp(x) * sympy.pi]
    assert decode(encode(exprs), {"x": x}) == exprs
    assert np.allclose(from_sympy(["x"], exprs)(0.5), [np.pi, np.e ** 2 + 0.5, np.exp(0.5) * np.pi], rtol=1e-15)


def test_building_a_program_is_encoding_then_reading_it() -> None:
    """One path: a fresh program and the one read back from the encoded (disk-cache) form are node for node the
    same."""
    x, y = sympy.symbols("x y")
    exprs = [sympy.Rational(1, 3) * x + sympy.Min(x, y) ** 2, sympy.Piecewise((x, x < y), (sympy.pi, True))]
    fresh = from_sympy(["x", "y"], exprs)
    again = Program.from_json(fresh.to_json())
    assert fresh.nodes == again.nodes and fresh.outputs == again.outputs
    assert fresh(1.0, 2.0) == [1.0 / 3.0 + 1.0, 1.0]
    with pytest.raises(ProgramFormatError, match="not an argument"):
        from_sympy(["x"], exprs)
