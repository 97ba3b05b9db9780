"""Every case of "no input can hang the machine": refused up front with a message naming estimate, limit, remedy."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory import limits
from gametheory.cli import main
from gametheory.errors import InvalidParameterError, LimitError
from gametheory.sweeps import SweepSpec


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_one_line_refusal(code: int, err: str, *words: str) -> None:
    assert code == 2
    assert err.count("\n") == 1, err
    for word in words:
        assert word in err, err


# ---------------------------------------------------------------------- sweeps
@pytest.mark.parametrize(
    ("axes", "points"),
    [
        ({"deposit": {"linspace": [10, 1000, 10**9]}}, "1e+09 points"),
        ({"deposit": {"linspace": [10, 1000, 10**6]}, "penalty_multiplier": {"linspace": [0, 10, 10**6]}},
         "1e+12 points"),
        ({"deposit": {"logspace": [1, 3, 10**10]}, "penalty_multiplier": {"linspace": [0, 10, 10**10]},
          "detection_prob": {"uniform": [0, 1, 10**10]}}, "1e+30 points"),
    ],
    ids=["linspace_1e9", "product_1e12", "product_1e30"],
)
def test_huge_sweep_specs_are_refused_before_any_value_is_generated(axes, points):
    with pytest.raises(LimitError,
                       match=rf"{re.escape(points)}, above the limit of 10,000,000\. .*Dask backend.*max_points="):
        SweepSpec.from_dict({"model": "direct", "axes": axes})
    with pytest.raises(LimitError, match=re.escape(points)):
        gt.sweep("direct", grid=axes, progress=False)


def test_a_huge_toml_sweep_is_refused_on_the_command_line(tmp_path):
    spec = tmp_path / "huge.toml"
    spec.write_text('model = "direct"\n[axes]\npenalty_multiplier = { linspace = [0, 10, 1000000] }\n'
                    'deposit = { linspace = [10, 1000, 1000000] }\n')
    code, _, err = run_cli("sweep", str(spec), "--out", str(tmp_path / "out"))
    assert_one_line_refusal(code, err, "huge.toml, line 2", "1e+12 points", "--max-points")
    assert not (tmp_path / "out").exists()


def test_raising_max_points_lets_a_sweep_past_the_default():
    axes = {"deposit": {"linspace": [10, 1000, 30]}}
    with pytest.raises(LimitError, match="30 points, above the limit of 20"):
        gt.sweep("direct", grid=axes, progress=False, max_points=20)
    assert len(gt.sweep("direct", grid=axes, progress=False, max_points=30)) == 30


def test_an_extended_sweep_estimates_its_work_and_suggests_dask_or_the_core_variant():  # 50,000 x 0.02 s
    with pytest.raises(LimitError, match=r"estimated work is .*above the limit of 600 s\. Run it on the Dask "
                                         r"backend.*core variant.*max_seconds="):
        gt.sweep("direct", grid={"deposit": {"linspace": [10, 1000, 50000]}}, variant="extended", progress=False)


def test_a_sweep_table_held_in_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MEMORY_BYTES", 10_000)
    with pytest.raises(LimitError, match="returned as one table.*out="):
        gt.sweep("direct", grid={"deposit": {"linspace": [10, 1000, 30]}}, progress=False, chunk_size=1)


# ---------------------------------------------------------------------- solvers
@pytest.mark.parametrize("method", ["auto", "support_enumeration", "vertex_enumeration"])
def test_a_200x200_game_is_refused_with_cheaper_methods_named(method):
    game = gt.NormalFormGame(np.random.default_rng(0).normal(size=(2, 200, 200)))
    with pytest.raises(LimitError, match=r"200x200 game( \(left once dominated strategies are removed; auto "
                                         r"runs vertex_enumeration on it\))?: the estimated work is .* years, above "
                                         r"the limit of 600 s\. Use another method: method='pure'.*max_seconds="):
        gt.solve(game, method=method)


def test_solve_game_refuses_a_200x200_file_in_one_line(tmp_path):
    path = tmp_path / "big.json"
    gt.io.save_game(gt.NormalFormGame(np.random.default_rng(1).integers(-9, 9, size=(2, 200, 200))), path)
    code, _, err = run_cli("solve-game", str(path))
    assert_one_line_refusal(code, err, "200x200", "above the limit of 600 s", "method='pure'", "--max-seconds")
    code, out, _ = run_cli("solve-game", str(path), "--method", "pure", "--json")
    assert code == 0 and json.loads(out)["method"] == "pure"


def test_max_seconds_lowers_and_raises_the_limit():
    game = gt.NormalFormGame(np.random.default_rng(2).normal(size=(2, 9, 9)))
    assert limits.solver_seconds((9, 9), "vertex_enumeration") > 1e-3
    with pytest.raises(LimitError, match="above the limit of 0.001 s"):
        gt.solve(game, method="vertex_enumeration", max_seconds=1e-3)
    eqs = gt.solve(game, method="vertex_enumeration", max_seconds=60.0)
    assert len(eqs) >= 1 and max(e.regret for e in eqs) <= eqs.tol * game.scale


def test_solve_batch_refuses_too_many_games_and_explains_its_padding():
    batch = gt.GameBatch(np.random.default_rng(0).normal(size=(4, 2, 3, 3)))
    with pytest.raises(LimitError, match="4 points, above the limit of 3"):
        gt.solve_batch(batch, max_points=3)
    sol = gt.solve_batch(batch)
    assert "padded with NaN past each game's count" in repr(sol) and "4 games of shape 3x3" in repr(sol)
    assert np.isnan(sol.profiles[~sol.valid]).all() and not np.isnan(sol.profiles[sol.valid]).any()


@pytest.mark.parametrize("entry", ["a", {"x": 1}, "1/0"])
def test_a_non_numeric_batch_entry_is_named(entry):
    payoffs = [[[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, entry]]]]
    with pytest.raises(InvalidParameterError, match=r"must hold real numbers\. Got .* in game 0 at index \(1, 1, 1\)"):
        gt.GameBatch(payoffs)


# ---------------------------------------------------------------------- payoffs and scale
def test_payoffs_near_1e308_are_refused_not_solved_to_nothing():
    with pytest.raises(InvalidParameterError, match=r"at most 1e\+150 in absolute value.*divide every payoff"):
        gt.NormalFormGame([[[1e308, -1e308], [-1e308, 1e308]], [[-1e308, 1e308], [1e308, -1e308]]])
    with pytest.raises(InvalidParameterError, match=r"GameBatch must hold numbers of at most 1e\+150.*game 1"):
        gt.GameBatch(np.stack([np.ones((2, 2, 2)), np.full((2, 2, 2), 1e200)]))
    with pytest.raises(InvalidParameterError, match=r"smallest supported scale 1e-150"):
        gt.NormalFormGame([[[1e-200, 0]], [[0, 1e-200]]])


TINY = [[[8e-11, 9e-11, 0], [0, 8e-11, 9e-11], [9e-11, 0, 8e-11]],
        [[0, 8e-11, 9e-11], [9e-11, 0, 8e-11], [8e-11, 9e-11, 0]]]


def test_payoffs_scaled_by_1e_minus_10_have_the_equilibria_of_the_unscaled_game():
    """Before: the absolute tolerance made every pure profile of this game an 'equilibrium' (9 of them)."""
    tiny = gt.NormalFormGame(TINY)
    unit = gt.NormalFormGame(np.array(TINY) * 1e10)
    small, big = gt.solve(tiny), gt.solve(unit)
    assert len(small) == len(big) == 1
    np.testing.assert_allclose(np.concatenate(small[0].profile), np.concatenate(big[0].profile), atol=1e-9)
    assert small[0].regret <= small.tol * tiny.scale
    np.testing.assert_allclose(small[0].payoffs, big[0].payoffs * 1e-10, rtol=1e-9)


@settings(max_examples=25, deadline=None, derandomize=True)  # the same examples on every run (CI is repeatable)
@given(seed=st.integers(0, 10**6), exponent=st.floats(-12, 12), shape=st.sampled_from([(2, 2), (3, 3), (2, 4),
                                                                                      (2, 2, 2), (3, 2, 2)]))
def test_equilibria_do_not_depend_on_the_payoffs_unit(seed, exponent, shape):
    """Equilibria of c*A equal those of A for c in [1e-12, 1e12] (count, profiles), and every regret is <= tol*scale."""
    rng = np.random.default_rng(seed)
    base = rng.integers(-5, 6, size=(len(shape), *shape)).astype(float)  # ties included: degenerate games too
    c = 10.0**exponent
    game, scaled = gt.NormalFormGame(base), gt.NormalFormGame(base * c)
    eqs, eqs_c = gt.solve(game), gt.solve(scaled)
    assert len(eqs) == len(eqs_c)

    def listed(found):  # the same set, whatever the order (exact and float paths list continua differently)
        return np.array(sorted(tuple(np.round(np.concatenate(e.profile), 6)) for e in found))

    np.testing.assert_allclose(listed(eqs), listed(eqs_c), atol=1e-5)
    assert all(f.regret <= eqs_c.tol * scaled.scale for f in eqs_c)
    batch = gt.GameBatch(np.stack([base, base]) * np.array([1.0, c])[:, None, *([None] * len(shape))])
    if shape in ((2, 2), (2, 2, 2)):
        sol = gt.solve_batch(batch)
        assert sol.counts[0] == sol.counts[1] == len(eqs)


# ---------------------------------------------------------------------- files
def test_an_nfg_declaring_a_huge_game_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.nfg"
    path.write_text('NFG 1 R "huge" { "A" "B" } { 1000000000 1000000000 }\n1 2 3 4\n')
    with pytest.raises(InvalidParameterError, match=r"huge\.nfg: the header declares 2 players with "
                                                    r"1000000000x1000000000 strategies, but only 4 tokens follow"):
        gt.io.load_game(path)


def test_a_deeply_nested_json_game_is_a_one_line_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"payoffs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(LimitError, match=r"deep\.json: arrays or tables nested 100001 levels deep, above the limit "
                                         r"of 64"):
        gt.io.load_game(path)
    code, _, err = run_cli("solve-game", str(path))
    assert_one_line_refusal(code, err, "nested 100001 levels deep")


def test_deeply_nested_toml_specs_and_model_files_are_refused(tmp_path):
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(LimitError, match="nested 5000 levels deep"):
        SweepSpec.from_toml_text(deep, source="spec.toml")
    model = tmp_path / "m.toml"
    model.write_text(deep)
    with pytest.raises(LimitError, match=r"m\.toml: arrays or tables nested 5000 levels deep"):
        gt.models.load_model_file(model)


def test_a_deep_game_tree_is_refused_by_its_depth():
    lines = ['EFG 2 R "deep" { "A" "B" } ""']
    for k in range(limits.MAX_TREE_DEPTH + 1):
        lines += [f'p "" 1 {k + 1} "h{k}" {{ "stop" "go" }} 0', f't "" {k + 1} "" {{ {k}, 0 }}']
    lines.append(f't "" {limits.MAX_TREE_DEPTH + 2} "" {{ 0, 1 }}')
    with pytest.raises(LimitError, match=r"deep\.efg: line \d+: the tree has a node 1001 moves deep"):
        gt.io.parse_efg("\n".join(lines), source="deep.efg")


def test_files_past_the_size_limit_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"payoffs": [[[1] * 50], [[2] * 50]]}))
    with pytest.raises(LimitError, match=r"big\.json: the file has .* above the limit of 100 B"):
        gt.io.load_game(path)


def test_a_model_file_declaring_billions_of_profiles_is_an_error_not_a_hang(tmp_path):
    labels = json.dumps([f"s{k}" for k in range(1000)])
    path = tmp_path / "wide.toml"
    path.write_text(f'players = ["a", "b", "c"]\nstrategies = [{labels}, {labels}, {labels}]\n'
                    '[payoffs]\n"s0,s0,s0" = ["0", "0", "0"]\n')
    with pytest.raises(InvalidParameterError, match=r"misses the profile 's0,s0,s1' \(999999999 missing\)"):
        gt.models.load_model_file(path)


# ---------------------------------------------------------------------- dynamics and reports
@pytest.mark.parametrize("t_max", ["1e18", "inf"])
def test_evolve_refuses_an_endless_horizon(t_max):
    code, out, err = run_cli("evolve", "escrow", "--start", "0.5,0.5,0.5", "--t-max", t_max)
    assert_one_line_refusal(code, err, f"t_max={float(t_max):g} is past the limit", "MAX_HORIZON")
    assert out == ""  # refused up front: no rest points, no symbolic conditions computed first


def test_simulate_accepts_the_horizon_limit_and_refuses_past_it():
    game = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])  # payoff range 2: limit 5e5
    with pytest.raises(LimitError, match=r"t_max=1e\+06 is past the limit of 500000"):
        gt.dynamics.simulate(game, [[0.6, 0.6]], t_max=1e6)
    run = gt.dynamics.simulate(game, [[0.6, 0.6]], t_max=5e5, n_times=3)
    assert run.success and run.first_shares[0, -1].round(6).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("resolution", "match"), [(10**6, "4e+12 points"), (1000, "estimated work is")])
def test_compare_refuses_a_huge_resolution_before_any_work(tmp_path, resolution, match):
    code, _, err = run_cli("compare", "--out", str(tmp_path / "report"), "--resolution", str(resolution))
    assert_one_line_refusal(code, err, match, "Use a smaller resolution")
    assert not (tmp_path / "report").exists()


def test_the_estimates_are_monotone_in_size():
    for method in ("pure", "support_enumeration", "vertex_enumeration", "lemke_howson"):
        times = [limits.solver_seconds((k, k), method) for k in (3, 6, 12, 24)]
        assert times == sorted(times)
    assert math.isinf(limits.solver_seconds((2000, 2000), "vertex_enumeration"))


@pytest.mark.parametrize(("upper", "words"), [("1e308", ("--lower/--upper", "at most 1e+150", "1e+308")),
                                              ("inf", ("finite numbers", "Got --upper inf"))])
def test_threshold_search_bounds_past_the_payoff_limit_are_one_line_errors(upper, words):
    """Before: --upper 1e308 overflowed inside the search (a RuntimeWarning, then 'Got inf (in an array)'). The
    refusal names the options the user typed, not the library function behind them."""
    code, _, err = run_cli("threshold", "direct", "--upper", upper, "--target-rate", "0.01")
    assert_one_line_refusal(code, err, *words)
    assert "min_value" not in err


@pytest.mark.parametrize("c", [1e-10, 1e10])
def test_a_batch_of_extended_games_has_the_same_equilibria_in_any_unit(c):
    """The hub-and-spokes batch kernel's tolerance is relative to each game's scale too (it had a floor of 1)."""
    batch = gt.models.get("direct", variant="extended").batch(price=np.linspace(50, 150, 20))
    base, scaled = gt.solve_batch(batch), gt.solve_batch(gt.GameBatch(batch.payoffs * c))
    assert base.method == scaled.method
    np.testing.assert_array_equal(base.counts, scaled.counts)
    np.testing.assert_allclose(base.profiles[base.valid], scaled.profiles[scaled.valid], atol=1e-9)
    assert (scaled.regrets[scaled.valid] <= scaled.tol * np.abs(batch.payoffs * c).reshape(20, -1).max(axis=1)
            [np.nonzero(scaled.valid)[0]]).all()


# ---------------------------------------------------------------------- policy search and repeated play
@pytest.mark.parametrize(("option", "match"), [
    (["--resolution", "100000000"], "The search would solve 1e+24 games in one pass"),
    (["--refine", "1000000000"], "the estimated work is"),
])
def test_optimize_refuses_a_huge_grid_or_endless_refinement_before_any_work(option, match):
    """Before: --resolution 1e8 allocated its grids, --refine 1e9 ran a billion passes (both past 30 s)."""
    code, out, err = run_cli("optimize", "direct", *option)
    assert_one_line_refusal(code, err, match)
    assert out == ""
    assert "--resolution" in err or "--refine" in err


def test_repeated_refuses_a_huge_horizon_before_the_rest_of_its_work(monkeypatch):
    import gametheory.cli.repeated as command

    def no_work(*args, **kwargs):
        raise AssertionError("computed before the horizon was checked")

    monkeypatch.setattr(command, "summary", no_work)
    code, _, err = run_cli("repeated", "direct", "--horizon", "1000000000000")
    assert_one_line_refusal(code, err, "'horizon' parameter of reputation", f"[1, {limits.RATING_HORIZON}]")


# ---------------------------------------------------------------------- ordinary work is not refused
def test_ordinary_work_passes_every_check():
    rng = np.random.default_rng(0)
    for shape, method in [((12, 12), "auto"), ((9, 9), "support_enumeration"), ((14, 14), "vertex_enumeration"),
                          ((80, 80), "lemke_howson"), ((3, 3, 3), "support_enumeration"),
                          ((3, 4, 2, 2), "auto"), ((200, 200), "pure")]:
        assert limits.solver_seconds(shape, method) < limits.MAX_SECONDS, (shape, method)
    eqs = gt.solve(gt.NormalFormGame(rng.random((2, 12, 12))))
    assert len(eqs) >= 1
    limits.check_compare(41)  # the default report
    spec = SweepSpec.from_dict({"model": "direct", "axes": {"penalty_multiplier": {"linspace": [0, 10, 1000]},
                                                            "deposit": {"logspace": [1, 4, 10_000]}}})
    assert spec.n_points == 10**7  # at the limit, accepted
    from gametheory.sweeps.cost import check_cost

    check_cost(spec, in_memory=False, backend="inprocess", workers=None, scheduler=None, max_seconds=None)
    design = gt.policy.optimize(gt.models.get("direct"), "platform_profit",
                                over={"penalty_multiplier": (0, 5), "deposit": (0, 1000), "audit_rate": (0, 1)},
                                resolution=41, refine=10, constraints={"counterfeit_rate": "<= 0.02"})
    assert design.feasible


def test_degenerate_2x2x2_listing_does_not_depend_on_the_payoffs_unit():
    # issue 23 (found by the property test above): the closed form listed interior points of a segment of
    # equilibria besides its end points, how many depending on rounding; now only the region's extreme points
    base = np.random.default_rng(820).integers(-5, 6, size=(3, 2, 2, 2)).astype(float)
    small, big = gt.solve(gt.NormalFormGame(base)), gt.solve(gt.NormalFormGame(base * 10**1.5))
    assert len(small) == len(big) == 3
    assert all(a.allclose(b.profile) for a, b in zip(small, big, strict=True))
    assert {e.component for e in small} == {0}
