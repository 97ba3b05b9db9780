"""Policy design against brute force: random scenarios, grids solved point by point with gt.solve."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.policy._followers import followers_game


def _random_model(seed):
    rng = np.random.default_rng(seed)
    price = float(rng.uniform(50, 200))
    return gt.models.get(
        "direct", price=price, cost_genuine=float(rng.uniform(0.3, 0.8) * price),
        cost_counterfeit=float(rng.uniform(0.05, 0.25) * price), verify_cost=float(rng.uniform(1, 20)),
        reputation_loss=float(rng.uniform(5, 60)), deposit=float(rng.uniform(100, 800)),
    ), float(rng.uniform(0.005, 0.05))


def _worst(model, params, tau, x=None):
    """(feasible, worst platform profit) by gt.solve at one policy point: every equilibrium must meet tau."""
    point = model.with_params(**params)
    if x is None:
        eqs = gt.solve(point.game())
        outs = [point.outcomes(e) for e in eqs]
    else:
        eqs = gt.solve(followers_game(point, x))
        outs = [point.outcomes([*e.profile, np.array([1 - x, x])]) for e in eqs]
    feasible = all(o["counterfeit_rate"] <= tau + 1e-9 for o in outs)
    return feasible, min(o["platform_profit"] for o in outs)


@pytest.mark.parametrize("seed", range(5))
def test_optimum_beats_a_brute_force_grid_of_multipliers(seed):
    model, tau = _random_model(seed)
    res = gt.policy.optimize(model, over={"penalty_multiplier": (0.0, 5.0)},
                             constraints={"counterfeit_rate": f"<= {tau}"})
    brute = -np.inf
    for k in np.linspace(0, 5, 401):
        ok, value = _worst(model, {"penalty_multiplier": float(k)}, tau)
        if ok:
            brute = max(brute, value)
    if not np.isfinite(brute):
        assert not res.feasible
        return
    assert res.feasible
    ok, value = _worst(model, res.policy, tau)  # the optimum is feasible and its value is what it claims
    assert ok and value == pytest.approx(res.value, abs=1e-9)
    assert res.value >= brute - 1e-9
    assert res.value <= brute + 0.01 * max(1.0, abs(brute))
    cert = res.certificate()
    assert len(cert) == int(res.table["equilibria"].iloc[0]) and max(e.regret for e in cert) <= 1e-9 * 1e3


@pytest.mark.parametrize("seed", range(2))
def test_committed_audit_rate_and_multiplier_against_brute_force(seed):
    model, tau = _random_model(10 + seed)
    res = gt.policy.optimize(model, over={"audit_rate": (0.0, 1.0), "penalty_multiplier": (0.0, 5.0)},
                             constraints={"counterfeit_rate": f"<= {tau}"}, resolution=11, refine=3)
    brute = -np.inf
    for x in np.linspace(0, 1, 41):
        for k in np.linspace(0, 5, 21):
            ok, value = _worst(model, {"penalty_multiplier": float(k)}, tau, float(x))
            if ok:
                brute = max(brute, value)
    assert res.feasible and np.isfinite(brute)
    ok, value = _worst(model, {"penalty_multiplier": res.policy["penalty_multiplier"]}, tau, res.policy["audit_rate"])
    assert ok and value == pytest.approx(res.value, abs=1e-9)
    assert res.value >= brute - 1e-9


def test_vectorised_over_scenarios_equals_one_at_a_time():
    model = gt.models.get("escrow")
    prices = [60.0, 100.0, 180.0]
    together = gt.policy.optimize(model, over={"penalty_multiplier": (1.0, 4.0)}, scenarios={"price": prices},
                                  constraints={"counterfeit_rate": "<= 0.03"})
    for s, p in enumerate(prices):
        alone = gt.policy.optimize(model.with_params(price=p), over={"penalty_multiplier": (1.0, 4.0)},
                                   constraints={"counterfeit_rate": "<= 0.03"})
        assert together.table["value"].iloc[s] == pytest.approx(alone.value, nan_ok=True)
        assert together.table["penalty_multiplier"].iloc[s] == pytest.approx(alone.policy["penalty_multiplier"],
                                                                            nan_ok=True)


def test_binding_constraint_and_slack_constraint():
    model = gt.models.get("direct")
    tight = gt.policy.optimize(model, "welfare", over={"penalty_multiplier": (0.0, 1.0)},
                               constraints={"counterfeit_rate": "<= 0.05", "buyer_surplus": ">= -1000"})
    assert tight.feasible
    assert "buyer_surplus >= -1000" not in tight.binding
    loose = gt.policy.optimize(model, over={"penalty_multiplier": (0.0, 1.0)},
                               constraints={"counterfeit_rate": "<= 1.0"})  # never violated
    assert loose.binding == ()


def test_best_equilibrium_is_at_least_the_worst():
    model = gt.models.get("escrow")
    kw = dict(over={"penalty_multiplier": (1.0, 4.0)}, constraints={"counterfeit_rate": "<= 0.05"})
    worst = gt.policy.optimize(model, equilibria="worst", **kw)
    best = gt.policy.optimize(model, equilibria="best", **kw)
    assert best.value >= worst.value - 1e-9


def test_choose_model_ranks_feasible_optima():
    choice = gt.policy.choose_model(constraints={"counterfeit_rate": "<= 0.02"}, resolution=11, refine=2)
    table = choice.table
    assert choice.best == table["model"].iloc[0]
    feasible = table[table["feasible"]]
    assert list(feasible["value"]) == sorted(feasible["value"], reverse=True)
    for name, opt in choice.optima.items():
        if opt.feasible:
            assert opt.table["counterfeit_rate"].iloc[0] <= 0.02 + 1e-9, name


def test_profit_frontier_is_monotone_in_the_cap():
    frontier = gt.policy.profit_frontier(gt.models.get("direct"), rates=[0.0, 0.01, 0.05, 0.2], resolution=11,
                                         refine=2)
    values = frontier["value"].to_numpy()
    finite = values[np.isfinite(values)]
    assert np.all(np.diff(finite) >= -1e-9)
    assert np.all(frontier["counterfeit_rate"].to_numpy()[np.isfinite(values)]
                  <= frontier["target_rate"].to_numpy()[np.isfinite(values)] + 1e-9)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"over": {"penalty_multiplyer": (0, 1)}}, "Did you mean 'penalty_multiplier'"),
    ({"over": {"penalty_multiplier": (2, 1)}}, "lo <= hi"),
    ({"over": {"penalty_multiplier": (0, 1)}, "constraints": {"counterfeit_rate": "< 0.1"}}, "'<= number'"),
    ({"over": {"penalty_multiplier": (0, 1)}, "constraints": {"fakes": "<= 0.1"}}, "names no metric"),
    ({"over": {"deposit": [-5.0]}}, "must be a float in"),
    ({"over": {"penalty_multiplier": (0, 1)}, "objective": "profit"}, "'objective' parameter of optimize"),
    ({"over": {"penalty_multiplier": (0, 1)}, "resolution": 1}, "'resolution' parameter of optimize"),
])
def test_bad_input_is_one_line(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        gt.policy.optimize(gt.models.get("direct"), **kwargs)


def test_audit_rate_needs_a_platform_and_work_is_bounded():
    with pytest.raises(InvalidParameterError, match="no platform player"):
        gt.policy.optimize(gt.models.get("self_operated"), over={"audit_rate": (0, 1)})
    with pytest.raises(gt.LimitError, match="more than the limit"):  # refused before any grid is built
        gt.policy.optimize(gt.models.get("direct", variant="extended"), over={"penalty_multiplier": (0, 5)},
                           resolution=10_000)
