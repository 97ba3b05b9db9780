"""Shared helpers for the deterrence tests: the criterion re-checked with gt.solve on the games themselves."""

from __future__ import annotations

import gametheory as gt


def deciding_rate(model, criterion="all_equilibria"):
    """Largest (all) or smallest (some) counterfeit rate over every equilibrium, by gt.solve on model.game()."""
    eqs = gt.solve(model.game())
    assert len(eqs) >= 1
    assert max(eq.regret for eq in eqs) <= 1e-7 * model.game().scale
    rates = [model.outcomes(eq)["counterfeit_rate"] for eq in eqs]
    return max(rates) if criterion == "all_equilibria" else min(rates)


def check_switch(model, parameter, threshold, target, criterion="all_equilibria", rel=1e-5):
    """At threshold + eps the criterion holds and at threshold - eps it fails (gt.solve)."""
    eps = rel * max(1.0, abs(threshold))
    above = deciding_rate(model.with_params(**{parameter: threshold + eps}), criterion)
    below = deciding_rate(model.with_params(**{parameter: threshold - eps}), criterion)
    assert above <= target + 1e-9, (parameter, threshold, above)
    assert below > target + 1e-9, (parameter, threshold, below)

