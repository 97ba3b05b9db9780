"""The sequential version of every payment model: tree shape, information sets, payoffs from the payoff tensor."""

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.models.sequential import move_order, terminal_profile
from gametheory.solvers.extensive.subgame_perfect import subgame_perfect

MODELS = [(name, variant) for name in ("direct", "escrow", "cash_on_delivery", "self_operated")
          for variant in ("core", "extended")]


@pytest.mark.parametrize(("name", "variant"), MODELS)
def test_terminal_payoffs_are_the_payoff_tensor(name, variant):
    model = gt.models.get(name, variant=variant)
    tree = model.extensive_game()
    payoffs = model.game().payoffs
    terminals = tree.terminals()
    assert len(terminals) == int(np.prod(model.shape))
    for node in terminals:
        profile = terminal_profile(model, node.path)
        assert node.payoffs == tuple(payoffs[(slice(None), *profile)])
    assert tree.is_perfect_recall


@pytest.mark.parametrize(("name", "variant"), MODELS)
def test_information_sets_hide_the_item_type_but_show_the_policy(name, variant):
    model = gt.models.get(name, variant=variant)
    tree = model.extensive_game()
    sellers = len(model.strategies[0])
    by_label = {h.label: h for h in tree.infosets()}
    leader = "platform" in model.players
    policies = model.strategies[model.players.index("platform")] if leader else (None,)
    for policy in policies:
        suffix = f" after {policy}" if leader else ""
        assert len(by_label["seller" + suffix].nodes) == 1
        buyer = by_label["buyer" + suffix]
        assert len(buyer.nodes) == sellers  # one node per seller choice: the type is not seen
        assert {n.path[-1] for n in buyer.nodes} == set(model.strategies[0])
        if leader:
            assert {n.path[0] for n in buyer.nodes} == {policy}
    assert tree.is_perfect_information is False


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery"])
def test_committed_audit_rate_mixes_the_two_policies(name):
    model = gt.models.get(name)
    x = 0.3
    nf = model.extensive_game(audit_rate=x).to_normal_form()
    g = model.game().payoffs
    expected = (1 - x) * g[..., 0] + x * g[..., 1]
    assert nf.shape == model.shape[:2] + (1,)
    assert np.allclose(nf.payoffs[..., 0], expected)
    assert move_order(model, committed=True) == (0, 1, 2)


def test_spe_of_the_sequential_game_by_hand():
    """Direct payment with a prohibitive verify cost (500) and no capital cost of the deposit: the buyer always
    accepts. By hand, from the module docstring's formulas at the defaults (p = 100, phi = 0.05, premium 2,
    c_g = 60, c_f = 20, P = min(2 p, 500) = 200, F' = min(50, 300) = 50, r = 0.5, a = 3, L = 30):
    after Lax the seller gets 33 (Genuine) or 73 (Counterfeit): it fakes, and the platform gets 5 - 30 = -25;
    after Audit, Counterfeit gives 73 - 0.5 (200 + 50) = -52 < 33: it ships genuine, and the platform gets
    5 - 3 = 2. So the platform audits, and the play is (Audit, Genuine, Accept)."""
    model = gt.models.get("direct", verify_cost=500, deposit_capital_cost=0)
    result = subgame_perfect(model.extensive_game())
    assert len(result) == 1
    (eq,) = result
    assert eq.behaviour["seller after Lax"] == {"Genuine": 0.0, "Counterfeit": 1.0}
    assert eq.behaviour["seller after Audit"] == {"Genuine": 1.0, "Counterfeit": 0.0}
    assert eq.behaviour["buyer after Lax"]["Accept"] == 1.0 and eq.behaviour["buyer after Audit"]["Accept"] == 1.0
    assert eq.behaviour["platform"] == {"Lax": 0.0, "Audit": 1.0}
    assert eq.outcome == ((("Audit", "Genuine", "Accept"), 1.0),)
    assert eq.payoffs[[0, 2]] == pytest.approx([33.0, 2.0])
    assert eq.beliefs["buyer after Lax"] == {("Lax", "Genuine"): 0.0, ("Lax", "Counterfeit"): 1.0}
    # the simultaneous game has no such commitment: the platform cannot deter by auditing for sure
    assert all(e.profile[2][1] < 1 for e in gt.solve(model.game()))


@pytest.mark.parametrize("name", ["direct", "escrow", "cash_on_delivery"])
def test_spe_is_a_nash_equilibrium_of_each_subgame_and_of_the_whole_game(name):
    model = gt.models.get(name)
    g = model.game()
    result = subgame_perfect(model.extensive_game())
    for eq in result:
        assert eq.equilibrium.regret <= 1e-9 * g.scale  # Nash in the reduced normal form
        for b, policy in enumerate(model.strategies[2]):
            seller = np.array([eq.behaviour[f"seller after {policy}"][s] for s in model.strategies[0]])
            buyer = np.array([eq.behaviour[f"buyer after {policy}"][s] for s in model.strategies[1]])
            sub = gt.NormalFormGame(g.payoffs[:2, :, :, b])
            assert gt.Equilibrium.from_profile(sub, [seller, buyer]).regret <= 1e-9 * g.scale
            assert eq.beliefs[f"buyer after {policy}"] == {
                (policy, s): pytest.approx(p) for s, p in zip(model.strategies[0], seller, strict=True)}


def test_reduced_normal_form_equilibria_contain_the_spe_outcomes():
    model = gt.models.get("cash_on_delivery")
    tree = model.extensive_game()
    spe = subgame_perfect(tree)
    nash = gt.solve(tree.to_normal_form())
    nash_values = {tuple(np.round(e.payoffs, 6)) for e in nash}
    for eq in spe:
        assert tuple(np.round(eq.payoffs, 6)) in nash_values or eq.equilibrium.regret <= 1e-9


def test_audit_rate_errors():
    with pytest.raises(InvalidParameterError, match="'audit_rate' parameter of extensive_game"):
        gt.models.get("direct").extensive_game(audit_rate=1.5)
    with pytest.raises(InvalidParameterError, match="platform player"):
        gt.models.get("self_operated").extensive_game(audit_rate=0.5)


def test_exact_tree_has_rational_payoffs():
    tree = gt.models.get("escrow").extensive_game(exact=True)
    assert tree.is_exact
    exact = gt.models.get("escrow").exact_game().payoffs
    for node in tree.terminals():
        profile = terminal_profile(gt.models.get("escrow"), node.path)
        assert node.payoffs == tuple(exact[(slice(None), *profile)])
    assert tree.root.actions == ("Lax", "Audit")
