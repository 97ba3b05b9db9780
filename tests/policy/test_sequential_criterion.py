"""The subgame_perfect deterrence criterion: vectorised plays against the tree solver, thresholds for every model."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.models.sequential import terminal_profile
from gametheory.policy import subgame_perfect_rates
from gametheory.solvers.extensive.subgame_perfect import subgame_perfect


def _reference_rate(model):
    """Largest counterfeit rate over the subgame-perfect equilibria of the tree (the per-point reference)."""
    rates = []
    for eq in subgame_perfect(model.extensive_game()):
        rates.append(sum(p * model.outcomes(list(terminal_profile(model, path)))["counterfeit_rate"]
                         for path, p in eq.outcome))
    return max(rates)


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery", "self_operated"])
def test_vectorised_rates_match_the_tree_solver_on_random_points(name):
    model = gt.models.get(name)
    rng = np.random.default_rng(17)
    lo = 1.0 if name == "escrow" else 0.0
    values = {"penalty_multiplier": rng.uniform(lo, 5, 6), "verify_cost": rng.uniform(0, 40, 6)}
    fast = subgame_perfect_rates(model, values)[0]
    for g in range(6):
        point = model.with_params(**{k: float(v[g]) for k, v in values.items()})
        assert fast[g] == pytest.approx(_reference_rate(point), abs=1e-9)


def test_vectorised_rates_match_on_the_extended_variant():
    model = gt.models.get("cash_on_delivery", variant="extended")
    values = {"penalty_multiplier": np.array([0.0, 3.0])}
    fast = subgame_perfect_rates(model, values)[0]
    for g, k in enumerate(values["penalty_multiplier"]):
        assert fast[g] == pytest.approx(_reference_rate(model.with_params(penalty_multiplier=float(k))), abs=1e-9)


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery", "self_operated"])
def test_min_penalty_multiplier_under_subgame_perfection(name):
    model = gt.models.get(name)
    res = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05, criterion="subgame_perfect")
    assert res.feasible
    at = subgame_perfect_rates(model, {"penalty_multiplier": np.array([res.threshold + 1e-6])})[0][0]
    assert at <= 0.05 + 1e-9
    if res.threshold > (1.0 if name == "escrow" else 0.0) + 1e-6:
        below = subgame_perfect_rates(model, {"penalty_multiplier": np.array([res.threshold - 1e-3])})[0][0]
        assert below > 0.05


def test_commitment_to_audit_deters_where_simultaneous_play_does_not():
    """Cash on delivery at k = 0: simultaneous play leaves more than 5 % fakes, but a platform that moves first
    audits for sure and deters completely."""
    from gametheory.deterrence.criteria import deciding_rates

    model = gt.models.get("cash_on_delivery")
    zero = {"penalty_multiplier": np.array([0.0])}
    assert deciding_rates(model, "all_equilibria", zero, tol=1e-9)[0] > 0.05
    assert subgame_perfect_rates(model, zero)[0][0] == 0.0
    seq = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05, criterion="subgame_perfect")
    assert seq.threshold == 0.0


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery", "self_operated"])
def test_deterrence_set_under_subgame_perfection(name):
    model = gt.models.get(name)
    lo = 1.0 if name == "escrow" else 0.0
    found = gt.deterrence.deterrence_set(model, target_rate=0.05, criterion="subgame_perfect", bounds=(lo, 5.0))
    grid = np.linspace(lo, 5.0, 41)
    rates = subgame_perfect_rates(model, {"penalty_multiplier": grid})[0]
    holds = (*found.intervals, *found.no_trade)
    for k, rate in zip(grid, rates, strict=True):
        if rate <= 0.05 - 1e-6:
            assert any(iv.lower - 1e-6 <= k <= iv.upper + 1e-6 for iv in holds), (k, rate)
        elif rate > 0.05 + 1e-6:
            assert not any(iv.lower + 1e-6 < k < iv.upper - 1e-6 for iv in holds), (k, rate)


def test_sweep_threshold_under_subgame_perfection():
    from gametheory.sweeps.extras import thresholds

    model = gt.models.get("direct")
    out = thresholds(model, {"price": np.array([80.0, 150.0])}, 2,
                     {"target_rate": 0.05, "criterion": "subgame_perfect", "method": "search"})
    for price, k in zip([80.0, 150.0], out["threshold_penalty_multiplier"], strict=True):
        direct = gt.deterrence.min_penalty_multiplier(model.with_params(price=price), target_rate=0.05,
                                                      criterion="subgame_perfect")
        assert k == pytest.approx(direct.threshold, abs=1e-6)
