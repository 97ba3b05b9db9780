"""deterrence_set on the extended variants: breakpoints from the formulas (exact=True), the moving continua of
no-trade equilibria followed by their extreme points, and every piece re-checked by the solver on both sides of
each breakpoint."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.deterrence.branches import branch_events
from gametheory.deterrence.criteria import RATE_TOL, TRADE_TOL, deciding_rates_and_trade
from tests.deterrence._recheck import deciding_rate

#: (model, parameter, target): the sets re-checked piece by piece
CASES = [
    ("direct", "penalty_multiplier", 0.0),
    ("direct", "penalty_multiplier", 0.05),
    ("escrow", "penalty_multiplier", 0.05),
    ("cash_on_delivery", "penalty_multiplier", 0.1),
    ("direct", "deposit", 0.05),
    ("direct", "insurance_cover", 0.02),
]


def solver_status(model, parameter, values, target):
    """The solver's verdict (``fails``/``holds``/``no_trade``) at each value, one batch."""
    rate, trade = deciding_rates_and_trade(model, "all_equilibria", {parameter: np.asarray(values, float)},
                                           tol=1e-9)
    holds = np.isfinite(rate) & (rate <= target + RATE_TOL)
    idle = holds & (trade <= TRADE_TOL)
    return np.where(idle, "no_trade", np.where(holds, "holds", "fails"))


@pytest.fixture(scope="module")
def direct_ext():
    return gt.models.get("direct", variant="extended")


def test_direct_extended_known_answer(direct_ext):
    s = gt.deterrence.deterrence_set(direct_ext, target_rate=0.0)
    assert s.exact and "bisection" not in s.note
    (deters,) = s.intervals
    assert deters.lower == pytest.approx(7 / 19, rel=1e-12) and deters.closed_lower
    assert deters.upper == pytest.approx(0.4, rel=1e-12) and not deters.closed_upper
    assert s.smallest == pytest.approx(7 / 19, rel=1e-12) and s.robust is None and not s.monotone
    (idle,) = s.no_trade
    assert idle.lower == 0.0 and idle.upper == pytest.approx(7 / 19, rel=1e-12) and not idle.closed_upper
    assert all(p.status == "no_trade" for p in s.pieces if p.upper <= 7 / 19 + 1e-12)
    assert "nothing is sold" in s.note
    # both sides of each end, by gt.solve on the games themselves
    eps = 1e-6
    below, above = (direct_ext.with_params(penalty_multiplier=7 / 19 + d) for d in (-eps, eps))
    assert deciding_rate(below) == 0.0 and deciding_rate(above) == 0.0
    trade_below = max(below.outcomes(e)["trade_rate"] for e in gt.solve(below.game()))
    trade_above = max(above.outcomes(e)["trade_rate"] for e in gt.solve(above.game()))
    assert trade_below <= 1e-9 < trade_above  # below 7/19 nobody buys: no trade, not deterrence
    assert deciding_rate(direct_ext.with_params(penalty_multiplier=0.4 - eps)) == pytest.approx(0.0, abs=1e-9)
    assert deciding_rate(direct_ext.with_params(penalty_multiplier=0.4 + eps)) == pytest.approx(0.075, abs=1e-6)
    assert deciding_rate(direct_ext.with_params(penalty_multiplier=0.4)) == pytest.approx(0.075, abs=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[f"{m}-{p}-{t:g}" for m, p, t in CASES])
def test_extended_pieces_agree_with_the_solver_on_both_sides(case):
    name, parameter, target = case
    model = gt.models.get(name, variant="extended")
    s = gt.deterrence.deterrence_set(model, parameter, target_rate=target)
    assert s.exact, s.note
    assert all(p.confirmed for p in s.pieces)
    lower = np.array([p.lower for p in s.pieces])
    upper = np.array([p.upper for p in s.pieces])
    width = upper - lower
    eps = 1e-6 * (1.0 + np.abs(upper))
    # inside each piece (three points), and just beside each of its ends
    probes = [lower + f * width for f in (0.25, 0.5, 0.75)]
    near = width > 4 * eps
    probes += [np.where(near, lower + eps, lower + 0.5 * width), np.where(near, upper - eps, lower + 0.5 * width)]
    values = np.concatenate(probes)
    got = solver_status(model, parameter, values, target).reshape(len(probes), -1)
    want = np.array([p.status for p in s.pieces])
    bad = np.nonzero(got != want[None, :])
    assert bad[0].size == 0, [(s.pieces[j], values.reshape(len(probes), -1)[i, j], got[i, j])
                              for i, j in zip(*bad, strict=True)][:3]
    # membership follows the statuses: a no-trade piece is not in the set
    for p in s.pieces:
        mid = 0.5 * (p.lower + p.upper)
        assert (mid in s) == (p.status == "holds") and any(mid in iv for iv in s.no_trade) == (p.status == "no_trade")


def test_a_moving_continuum_is_followed_by_its_extreme_point():
    # 2x2: the column player is indifferent everywhere (a continuum); the row gets theta at (T, L) and 1 at (B, R).
    # (T, q) is an equilibrium for q >= 1 / (1 + theta): the extreme point q* = 1 / (1 + theta) moves with theta;
    # its support system is singular (the column's indifference is 0 = 0), the row's tied B fixes it. With the
    # "rate" the probability of (T, L), the extreme point's rate q* meets the target 0.6 at theta = 2/3 exactly.
    pay = np.zeros((2, 2, 2, 2))  # (player, row, column, power of theta)
    pay[0, 0, 0, 1] = 1.0
    pay[0, 1, 1, 0] = 1.0
    rate = np.zeros((2, 2, 2))
    rate[0, 0, 0] = 1.0
    def vertex(theta):
        q = 1.0 / (1.0 + theta)
        return [[np.array([1.0, 0.0]), np.array([q, 1.0 - q])]]

    events = branch_events(pay, rate, ["row", "column"], [["T", "B"], ["L", "R"]], 0.6, (0.5, 1.0),
                           (vertex(0.5), vertex(1.0)))
    assert events is not None and len(events) >= 1
    assert {e.why for e in events} == {"a branch's counterfeit rate equals the target"}
    assert all(e.value == pytest.approx(2 / 3, rel=1e-13) for e in events)


def test_a_window_between_two_samples_and_a_fold_escrow_extended():
    # a random scenario (tests/deterrence/test_brute_force.py's ranges): the deciding equilibrium's rate crosses
    # the target 0.05 at k = 1.11764 and the equilibrium is gone past k = 1.12806 (where the hunters' Hunt becomes
    # a best reply, on a branch that turns back at k = 1.12723: two equilibria merge); all between two samples
    # of one piece, (1.1111, 1.1311). With two samples a piece it was missed; the fold was bisected (exact=False).
    params = dict(price=42.73405239556442, verify_cost=13.890182353549665, detection_prob=0.921656061603183,
                  audit_detection=0.6535679991649397, fine=6.690253349406339, audit_cost=1.991966570110757,
                  reputation_loss=54.74792780007868)
    model = gt.models.get("escrow", variant="extended", **params)
    s = gt.deterrence.deterrence_set(model, target_rate=0.05, bounds=(1.0, 20.0))
    assert s.exact, s.note
    first, second = s.intervals[:2]
    assert first.upper == pytest.approx(1.1176380906, rel=1e-9) and first.closed_upper
    assert second.lower == pytest.approx(1.1280605198, rel=1e-9) and not second.closed_lower
    assert any("folds" in b.why and b.value == pytest.approx(1.1272258237, rel=1e-9) for b in s.breakpoints)
    ks = np.array([1.1176380906 - 1e-6, 1.1176380906 + 1e-6, 1.1225, 1.1280605198 - 1e-6, 1.1280605198 + 1e-6])
    assert solver_status(model, "penalty_multiplier", ks, 0.05).tolist() == ["holds", "fails", "fails", "fails",
                                                                              "holds"]
