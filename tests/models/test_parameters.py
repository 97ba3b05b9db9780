"""The parameter vocabulary and validation shared by every model."""

import math

import numpy as np
import pytest
import sympy

import gametheory as gt
from gametheory.errors import InvalidParameterError
from gametheory.models.parameters import VOCABULARY, Parameter

UNITS = {"currency", "probability", "rate", "multiple", "count", "option"}


def test_every_parameter_is_documented():
    assert len(VOCABULARY) >= 30
    symbols = set()
    for name, par in VOCABULARY.items():
        assert isinstance(par, Parameter)
        assert par.name == name
        assert par.unit in UNITS, name
        assert par.meaning and par.meaning[0].islower(), name
        assert par.default in par.domain, name  # each documented default is allowed
        if par.unit == "option":
            assert par.symbol is None
        else:
            assert isinstance(par.symbol, sympy.Symbol)
            symbols.add(par.symbol.name)
        if par.unit == "probability":
            assert str(par.domain) == "a float in [0, 1]"
    assert len(symbols) == sum(p.symbol is not None for p in VOCABULARY.values())  # one symbol, one name


def test_default_scenario_is_the_documented_one():
    d = {n: p.default for n, p in VOCABULARY.items()}
    assert (d["price"], d["cost_genuine"], d["cost_counterfeit"], d["penalty_multiplier"]) == (100, 60, 20, 2)
    assert d["value_genuine"] > d["price"] > d["cost_genuine"] > d["cost_counterfeit"] > 0
    assert d["value_counterfeit"] < d["price"]
    assert gt.models.get("escrow").penalty_multiplier == 1.0
    assert gt.models.get("cash_on_delivery").penalty_multiplier == 1.0


@pytest.mark.parametrize("name", gt.models.names())
def test_params_hold_every_parameter_with_defaults(name):
    m = gt.models.get(name)
    assert set(m.params) == set(m.parameter_names)
    for key, value in m.params.items():
        assert value == m.parameter(key).default
        assert getattr(m, key) == value
    assert set(m.symbols) == {n for n in m.parameter_names if VOCABULARY[n].symbol is not None}


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"detection_prob": 1.2}, r"The 'detection_prob' parameter of direct must be a float in \[0, 1\]\. Got 1\.2"),
        ({"price": -1}, r"The 'price' parameter of direct must be a float in \(0, inf\)\. Got -1"),
        ({"price": math.nan}, r"'price' parameter of direct .* Got nan instead"),
        ({"fine": math.inf}, r"'fine' parameter of direct must be a float in \[0, inf\)\. Got inf"),
        ({"price": "abc"}, r"'price' parameter of direct .* Got 'abc'"),
        ({"insurance": "full"}, r"'insurance' parameter of direct must be a str among"),
        ({"cost_counterfeit": 70}, r"'cost_counterfeit' parameter of direct must be a float in \[0, cost_genuine\]"),
        ({"detection_prb": 0.5}, r"Unknown parameter of direct 'detection_prb'\. Did you mean 'detection_prob'\?"),
        ({"hunter_share": 0.1}, r"'hunter_share' parameter of direct exists only in the extended variant"),
        ({"variant": "full"}, r"'variant' parameter of Direct must be a str among"),
    ],
)
def test_bad_values_name_parameter_value_and_domain(kwargs, pattern):
    with pytest.raises(InvalidParameterError, match=pattern):
        gt.models.get("direct", **kwargs)


def test_deposit_given_to_a_model_without_one():
    with pytest.raises(InvalidParameterError, match=r"'deposit' parameter does not exist in escrow"):
        gt.models.get("escrow", deposit=100)
    with pytest.raises(InvalidParameterError, match=r"Unknown model 'escro'\. Did you mean 'escrow'\?"):
        gt.models.get("escro")


def test_batch_validates_arrays_vectorised():
    m = gt.models.get("direct")
    with pytest.raises(InvalidParameterError, match=r"'detection_prob' parameter of direct .* Got 1\.5"):
        m.batch(detection_prob=[0.5, 1.5])
    with pytest.raises(InvalidParameterError, match=r"Got nan"):
        m.batch(price=[100, np.nan])
    with pytest.raises(InvalidParameterError, match=r"cost_counterfeit"):
        m.batch(cost_counterfeit=[10, 90])
    with pytest.raises(InvalidParameterError, match=r"option .* cannot vary"):
        m.batch(insurance=["none", "top_up"])
    with pytest.raises(InvalidParameterError, match=r"Did you mean 'penalty_multiplier'"):
        m.batch(penalty_multiplir=[1, 2])


def test_with_params_validates_and_keeps_the_rest():
    m = gt.models.get("direct", price=120)
    m2 = m.with_params(penalty_multiplier=3)
    assert (m2.price, m2.penalty_multiplier, m.penalty_multiplier) == (120.0, 3.0, 2.0)
    assert m2.with_params(variant="extended").price == 120.0
    with pytest.raises(InvalidParameterError):
        m.with_params(claim_upheld=-0.1)


# ---------------------------------------------------------------------- every model, same promises
@pytest.mark.parametrize("name", gt.models.names())
def test_every_model_solves_at_defaults_with_regret_below_1e_9(name):
    m = gt.models.get(name)
    g = m.game()
    assert g.players == m.players and g.strategies == m.strategies
    eqs = gt.solve(g)
    assert len(eqs) >= 1 and eqs.complete
    for eq in eqs:
        assert eq.regret <= 1e-9
        out = m.outcomes(eq)
        assert 0 <= out["counterfeit_rate"] <= 1
        assert out["welfare"] == pytest.approx(
            out["buyer_surplus"] + out["seller_profit"] + out["insurer_result"]
            + (0 if name == "self_operated" else out["platform_profit"]) + _outside(m, eq))


def _outside(m, eq):
    """The regulator's receipts (fines it keeps): the only party welfare counts beyond the metrics."""
    import itertools

    from gametheory.models._checks import absent_strategies as _absent_strategies
    from gametheory.models.events import party_total, substitute, tidy

    rows = m.event_table()
    total = party_total(rows, "outside", m.population_shares())
    values = {s: m.params[n] for n, s in m.symbols.items()}
    result = 0.0
    for prof in itertools.product(*map(range, m.shape)):
        w = np.prod([eq.profile[i][a] for i, a in enumerate(prof)])
        result += w * float(tidy(substitute(total, m.strategies, prof, _absent_strategies(m.strategies))).subs(values))
    return result


@pytest.mark.parametrize("name", gt.models.names())
def test_every_model_batch_agrees_with_game_at_random_points(name):
    rng = np.random.default_rng(11)
    m = gt.models.get(name)
    n = 25
    arrays = {}
    for key in m.numeric_names:
        dom = m.parameter(key).domain
        lo = 0.0 if dom.left is None else float(dom.left)
        hi = lo + 2 * max(1.0, float(m.params[key])) if dom.right is None else float(dom.right)
        arrays[key] = rng.uniform(lo + 1e-3, hi, n)
    arrays["cost_counterfeit"] = arrays["cost_genuine"] * rng.uniform(0, 1, n)
    arrays["value_counterfeit"] = arrays["value_genuine"] * rng.uniform(0, 1, n)
    b = m.batch(**arrays)
    assert len(b) == n and b.shape == m.shape
    for i in range(n):
        g = m.with_params(**{k: float(v[i]) for k, v in arrays.items()}).game()
        np.testing.assert_allclose(b.payoffs[i], g.payoffs, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", gt.models.names())
def test_outcome_arrays_agree_with_outcomes(name):
    m = gt.models.get(name)
    ks = np.array([1.0, 2.0, 3.0])
    sol = gt.solve_batch(m.batch(penalty_multiplier=ks))
    arrays = m.outcome_arrays(sol, penalty_multiplier=ks)
    for g in range(len(ks)):
        mg = m.with_params(penalty_multiplier=ks[g])
        for e, eq in enumerate(sol.equilibria(g)):
            for metric, value in mg.outcomes(eq).items():
                assert arrays[metric][g, e] == pytest.approx(value, abs=1e-9), metric
        assert np.all(np.isnan(arrays["welfare"][g, sol.counts[g]:]))


@pytest.mark.parametrize("name", ["direct", "cash_on_delivery"])
def test_metric_arrays_of_extended_games_agree_with_outcomes(name):
    """Several equilibria per point (padded slots) and a subset of the metrics, against ``outcomes``."""
    from gametheory.models.metrics import metric_arrays

    m = gt.models.get(name, variant="extended")
    pts = {"penalty_multiplier": np.array([0.0, 1.0, 2.0, 4.0]), "false_claim_upheld": np.array([0.0, 0.25, 0.5, 0.5])}
    sol = gt.solve_batch(m.batch(**pts))
    assert sol.counts.max() > sol.counts.min()  # some slots are padding
    arrays = metric_arrays(m, sol, pts, ["welfare", "counterfeit_rate"])
    assert set(arrays) == {"welfare", "counterfeit_rate"}
    for g in range(len(sol)):
        mg = m.with_params(**{k: float(v[g]) for k, v in pts.items()})
        for e, eq in enumerate(sol.equilibria(g)):
            expected = mg.outcomes(eq)
            for metric, values in arrays.items():
                assert values[g, e] == pytest.approx(expected[metric], abs=1e-9), metric
        assert np.all(np.isnan(arrays["welfare"][g, sol.counts[g]:]))
    with pytest.raises(InvalidParameterError, match="'names' parameter of metric_arrays"):
        metric_arrays(m, sol, pts, ["welfare", "no_such_metric"])


# ---------------------------------------------------------------------- properties (Hypothesis)
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_prob = st.floats(0, 1)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["direct", "escrow", "cash_on_delivery"]),
    price=st.floats(1, 500), k=st.floats(1, 8), q=_prob, alpha=_prob, r=_prob, fine=st.floats(0, 300),
    sigma=st.lists(_prob, min_size=3, max_size=3),
)
def test_profit_metrics_are_the_players_expected_payoffs(name, price, k, q, alpha, r, fine, sigma):
    m = gt.models.get(name, price=price, penalty_multiplier=k, detection_prob=q, audit_detection=r, fine=fine)
    if "claim_upheld" in m.parameter_names:
        m = m.with_params(claim_upheld=alpha)
    profile = [[1 - s, s] for s in sigma]
    g = m.game()
    b = m.batch(price=[price])
    np.testing.assert_allclose(b.payoffs[0], g.payoffs, rtol=1e-12, atol=1e-9)
    u = g.expected_payoffs(profile)
    out = m.outcomes(profile)
    scale = g.scale
    assert out["seller_profit"] == pytest.approx(u[0], abs=1e-9 * scale)
    assert out["buyer_surplus"] == pytest.approx(u[1], abs=1e-9 * scale)
    assert out["platform_profit"] == pytest.approx(u[2], abs=1e-9 * scale)
    assert out["fakes_shipped"] == pytest.approx(sigma[0])
