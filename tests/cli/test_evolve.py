"""``gametheory evolve``."""

import pytest


def test_evolve_prints_rest_points_stability_and_corner_conditions(cli):
    out = cli("evolve", "direct", "--set", "penalty_multiplier=0.1")
    assert "(Counterfeit, Verify, Audit)  yes" in out
    assert "Stable states (evolutionarily stable): (Counterfeit, Verify, Audit)" in out
    assert "Corner conditions" in out and "E8 (Counterfeit, Verify, Audit) | (0, 0, 0)" in out
    assert "Min(D, k*p)" in out


def test_evolve_above_the_threshold_has_no_stable_corner(cli):
    out = cli("evolve", "direct", "--no-symbolic")
    assert "Stable states: none" in out and "undecided" in out and "Corner conditions" not in out


def test_evolve_start_and_plot(tmp_path, cli):
    figure = tmp_path / "cube.png"
    out = cli("evolve", "direct", "--set", "penalty_multiplier=0.1", "--no-symbolic", "--start", "0.5,0.5,0.5",
              "--t-max", "20", "--plot", str(figure))
    assert "Trajectory from 0.5,0.5,0.5" in out and "seller: Genuine=0.0000, Counterfeit=1.0000" in out
    assert figure.exists() and f"Figure written to {figure}" in out


def test_evolve_plot_says_the_file_it_writes(tmp_path, cli):
    stem = tmp_path / "cube"  # no suffix: matplotlib writes cube.png, and the message must say so
    out = cli("evolve", "direct", "--no-symbolic", "--start", "0.5,0.5,0.5", "--t-max", "5", "--plot", str(stem))
    assert f"Figure written to {stem}.png\n" in out
    assert (tmp_path / "cube.png").exists() and not stem.exists()


def test_evolve_plot_to_a_folder_is_refused(tmp_path, cli):
    err = cli("evolve", "direct", "--no-symbolic", "--plot", str(tmp_path), code=2).strip().splitlines()
    assert len(err) == 1 and "--plot names the figure file" in err[0] and "a folder" in err[0]
    assert not tmp_path.with_name(tmp_path.name + ".png").exists()


def test_evolve_latex(cli):
    assert r"\begin{tabular}" in cli("evolve", "direct", "--latex")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["evolve", "direct", "--start", "1.5,0.5,0.5"], "must hold shares in [0, 1]"),
        (["evolve", "direct", "--start", "a,b"], "--start expects comma-separated numbers"),
        (["evolve", "direct", "--set", "penalty_multipler=2"], "Did you mean 'penalty_multiplier'?"),
        (["evolve", "nosuchmodel"], "nosuchmodel"),
    ],
    ids=["start_outside_cube", "start_not_numbers", "misspelled_parameter", "unknown_model"],
)
def test_evolve_errors_are_one_line_with_exit_code_2(argv, message, cli):
    err = cli(*argv, code=2)
    assert err.startswith("gametheory evolve: error:") and message in err and "Traceback" not in err
