"""Commitment to a mixed audit rate: the textbook inspection-game results, and the exact pieces against grids.

The inspection game is direct payment with a buyer who never verifies (verify cost 500) and a fine that goes
to a regulator (``fine_to_platform = 0``): seller (inspectee) against platform (inspector). Its unique Nash
equilibrium is mixed: the audit rate makes the seller indifferent, so it falls as the fine grows; the violation
rate makes the platform indifferent, and the fine is not in the platform's payoff, so it does not move
(Tsebelis 1989; Avenhaus, von Stengel and Zamir 2002).
"""

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.policy._correspondence import X
from gametheory.policy._followers import followers_game


def inspection(**changes):
    return gt.models.get("direct", verify_cost=500, fine_to_platform=0, **changes)


def _nash(model):
    (eq,) = gt.solve(model.game())
    return float(eq.profile[2][1]), model.outcomes(eq)["counterfeit_rate"], float(eq.payoffs[2])


def test_simultaneous_inspection_game_the_fine_lowers_inspection_not_violation():
    fines = [20.0, 50.0, 100.0, 200.0]
    audits, violations = zip(*[_nash(inspection(fine=f))[:2] for f in fines], strict=True)
    assert all(a > b for a, b in zip(audits, audits[1:], strict=False))  # strictly decreasing inspection
    assert np.ptp(violations) < 1e-9 and 0 < violations[0] < 1  # the same violation rate
    # by hand: seller indifferent when x r (P + F) = c_g - c_f (gain 40, P = 200): x = 80 / (200 + F)
    assert audits == pytest.approx([80 / (200 + f) for f in fines])
    # platform indifferent when c r L = a (its fine share is 0): c = 3 / (0.5 * 30) = 0.2
    assert violations[0] == pytest.approx(0.2)


@pytest.mark.parametrize("fine", [20.0, 50.0, 200.0])
def test_commitment_pays_at_least_nash_and_lowers_violation(fine):
    model = inspection(fine=fine)
    res = gt.policy.commitment(model)
    audit, violation, value = _nash(model)
    assert res.value >= value - 1e-9 and res.value_worst >= value - 1e-9
    assert res.counterfeit_rate < violation and res.counterfeit_rate_worst < violation
    assert res.counterfeit_rate == 0.0
    # the leader audits at the seller's indifference rate (optimistic) or just above it (worst case, not attained)
    assert res.audit_rate == pytest.approx(audit, abs=1e-9)
    assert res.audit_rate_worst == pytest.approx(audit, abs=1e-9) and not res.attained_worst
    assert res.audit_cost == pytest.approx(3.0 * res.audit_rate)
    assert res.nash_counterfeit_rate == pytest.approx(violation)


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery"])
def test_commitment_beats_a_brute_force_grid_of_audit_rates(name):
    model = gt.models.get(name)
    res = gt.policy.commitment(model)
    grid = np.linspace(0, 1, 201)
    best, worst = -np.inf, -np.inf
    for x in grid:
        values = []
        for eq in gt.solve(followers_game(model, float(x))):
            full = [*eq.profile, np.array([1 - x, x])]
            values.append(model.outcomes(full)["platform_profit"])
        best, worst = max(best, max(values)), max(worst, min(values))
    assert res.value >= best - 1e-9
    assert res.value_worst >= worst - 1e-9
    assert res.value <= best + 0.05 and res.value_worst <= worst + 0.05  # the grid approaches the exact optimum
    assert res.value >= max(n.platform_payoff for n in res.nash) - 1e-9


@pytest.mark.parametrize("name", ["direct", "cash_on_delivery"])
def test_every_branch_is_an_equilibrium_where_it_holds(name):
    model = gt.models.get(name)
    res = gt.policy.commitment(model)
    rng = np.random.default_rng(3)
    for x in rng.uniform(0, 1, 5):
        game = followers_game(model, float(x))
        held = [b for b in res.branches if b.holds_at(sympy.Rational(repr(float(x))))]
        assert held, "some equilibrium exists at every audit rate"
        for branch in held:
            profile = [np.array([float(p.subs(X, x)) for p in s]) for s in branch.strategies]
            assert gt.Equilibrium.from_profile(game, profile).regret <= 1e-8 * game.scale
        assert len(held) >= len(gt.solve(game)) or gt.solve(game).degenerate


def test_commitment_errors():
    with pytest.raises(InvalidParameterError, match="platform player"):
        gt.policy.commitment(gt.models.get("self_operated"))


def test_a_custom_two_player_inspection_game_by_hand():
    """Inspectee gains g = 10 by violating, pays F = 30 when audited; the platform loses L = 20 to an unseen
    violation and pays a = 4 per audit. Nash: x = g / (g + F) = 0.25, violation a / L = 0.2, platform payoff
    -L * 0.2 = -4. Commitment: audit at 0.25 (the inspectee complies), payoff -a * 0.25 = -1."""
    model = gt.models.from_table(
        players=["inspectee", "platform"], strategies=[["Comply", "Violate"], ["Lax", "Audit"]],
        parameters={"g": 10, "F": 30, "a": 4, "L": 20},
        payoffs={("Comply", "Lax"): ["0", "0"], ("Comply", "Audit"): ["0", "-a"],
                 ("Violate", "Lax"): ["g", "-L"], ("Violate", "Audit"): ["-F", "-a"]},
        counterfeit=("inspectee", "Violate"), name="inspection")
    res = gt.policy.commitment(model)
    (nash,) = res.nash
    assert (nash.audit_rate, nash.counterfeit_rate, nash.platform_payoff) == pytest.approx((0.25, 0.2, -4.0))
    assert (res.audit_rate, res.value, res.counterfeit_rate) == pytest.approx((0.25, -1.0, 0.0))
    assert res.value_worst == pytest.approx(-1.0) and not res.attained_worst
    assert res.breakpoints == pytest.approx((0.25,))


def test_extended_variant_commitment_against_a_grid():
    """Three followers (seller, buyer, hunter): the polymatrix support systems still give the exact optimum."""
    model = gt.models.get("cash_on_delivery", variant="extended")
    res = gt.policy.commitment(model)
    best = -np.inf
    for x in np.linspace(0, 1, 11):
        for eq in gt.solve(followers_game(model, float(x))):
            best = max(best, model.outcomes([*eq.profile[:2], np.array([1 - x, x]), eq.profile[2]])["platform_profit"])
    assert res.value >= best - 1e-9
    assert res.value >= max(n.platform_payoff for n in res.nash) - 1e-9
