"""The logit-selected equilibrium (batch), the 'logit' and 'logit_selected' criteria and the sweep output."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt


def test_batch_selection_agrees_with_each_games_path():
    model = gt.models.get("escrow")
    values = {"detection_prob": np.linspace(0.1, 0.9, 7)}
    batch = model.batch(**values)
    solution = gt.solve_batch(batch)
    index = gt.qre.logit_selected(batch, solution)
    assert (index >= 0).all()
    for g in range(len(batch)):
        path = gt.qre.logit_path(batch[g])
        selected = solution.equilibria(g)[int(index[g])]
        for a, b in zip(selected.profile, path.selected.profile, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-7)


def test_random_3_player_batch_selection_is_listed():
    batch = gt.GameBatch(np.random.default_rng(8).normal(size=(40, 3, 2, 2, 2)))
    solution = gt.solve_batch(batch)
    index = gt.qre.logit_selected(batch, solution)
    assert (index >= 0).mean() > 0.95  # a generic branch ends at a listed equilibrium
    assert (index < solution.counts).all()


def test_logit_criteria_are_registered_and_lie_between_worst_and_best():
    from gametheory.deterrence.criteria import CRITERIA, deciding_rates

    assert {"logit", "logit_selected"} <= set(CRITERIA)
    model = gt.models.get("escrow")
    values = {"detection_prob": np.linspace(0.1, 0.9, 9)}
    worst = deciding_rates(model, "all_equilibria", values, tol=1e-9)
    best = deciding_rates(model, "some_equilibrium", values, tol=1e-9)
    picked = deciding_rates(model, "logit_selected", values, tol=1e-9)
    assert np.all((best - 1e-9 <= picked) & (picked <= worst + 1e-9))
    qre = deciding_rates(model, "logit", values, tol=1e-9)
    expected = gt.qre.logit_batch(model.batch(**values), gt.qre.criterion.DEFAULT_LAMBDA).profiles[:, 0, 1]
    np.testing.assert_allclose(qre, expected)


@pytest.mark.slow
def test_logit_threshold_is_certified_and_above_the_nash_threshold():
    from gametheory.qre.criterion import logit_rates

    model = gt.models.get("direct")
    nash = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05, bounds=(0.0, 5.0)).threshold
    res = gt.deterrence.min_penalty_multiplier(model, target_rate=0.05, criterion=gt.qre.logit_criterion(1.0),
                                               bounds=(0.0, 5.0))
    assert res.criterion == "logit(lam=1)"
    below, above = logit_rates(model, {"penalty_multiplier": np.array([res.threshold - 1e-3, res.threshold + 1e-4])},
                               lam=1.0)[0]
    assert below > 0.05 >= above
    assert nash < res.threshold < nash + 0.2  # erring sellers need a larger multiplier, less so as lambda grows
    k = {"penalty_multiplier": np.array([res.threshold])}
    rates = [logit_rates(model, k, lam=lam)[0][0] for lam in (0.1, 1.0, 10.0)]
    assert rates[0] > rates[1] > rates[2] > 0.05 * (1 - 0.2)


def test_sweep_logit_output_lies_between_best_and_worst_case():
    df = gt.sweep(gt.models.get("escrow"), grid={"detection_prob": np.linspace(0.1, 0.9, 5)},
                  outputs=["counterfeit", "logit"], progress="off")
    lo, hi, logit = df["counterfeit_rate_min"], df["counterfeit_rate_max"], df["counterfeit_rate_logit"]
    assert logit.notna().all()
    assert ((lo - 1e-9 <= logit) & (logit <= hi + 1e-9)).all()
