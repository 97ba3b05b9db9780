"""The hub-and-spokes batch solver of the extended payment games, checked against the per-game reference path
(dominance reduction, then n-player support enumeration) on the defaults, on random parameter points of every
extended model and on degenerate points (ties), and on games the structure does not fit."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import SolverError
from gametheory.models.random_points import random_points
from gametheory.solvers import solve_reference
from gametheory.solvers.deadline import stop_at
from gametheory.solvers.hub_spokes.solver import canonical, hub_spokes, hub_spokes_batch, hub_spokes_roles

MODELS = ("direct", "escrow", "cash_on_delivery", "self_operated")
TOL = 1e-9


def _flat(eqs):
    return [np.concatenate([np.asarray(v, dtype=float) for v in eq.profile]) for eq in eqs]


def _same_sets(found, expected, atol=1e-6):
    """Every expected equilibrium is found and nothing else (max-norm matching)."""
    a, b = _flat(found), _flat(expected)
    missing = [x for x in b if not any(np.abs(x - y).max() <= atol for y in a)]
    extra = [x for x in a if not any(np.abs(x - y).max() <= atol for y in b)]
    return missing, extra


def _check_against_reference(batch, sol, games, continuum_budget=None):
    """Each game's list against the reference's: what the reference finds is there; nothing else where it is
    complete. With ``continuum_budget`` (seconds), the reference of a game the kernel finds degenerate runs within
    that budget: a continuum is checked only against a complete reference, which these games' references, when
    they take longer, do not reach (10-20 support systems by homotopy, most paths failing)."""
    checked = 0
    for g in games:
        if continuum_budget is not None and sol.degenerate[g]:
            with stop_at(time.monotonic() + continuum_budget):
                ref = solve_reference(batch[g], TOL)
        else:
            ref = solve_reference(batch[g], TOL)
        mine = sol.equilibria(g)
        assert len(mine) >= 1
        assert max(eq.regret for eq in mine) <= TOL * batch[g].scale
        if not ref.degenerate:
            missing, extra = _same_sets(mine, ref)
            assert not missing, (g, missing)  # what the reference finds is always there
            if ref.complete:  # and nothing else when the reference is sure it has everything
                assert not extra, (g, extra)
                checked += 1
        elif ref.complete:  # a continuum: the same extreme points may be listed differently; each one found by
            # the reference that is an extreme point of ours must be there, and the flags agree
            assert mine.degenerate
            missing, _ = _same_sets(mine, [e for e in ref if not _interior(e, mine)])
            assert not missing, (g, missing)
            checked += 1
    return checked


def _interior(eq, eqs):
    """``eq`` lies on a segment between two listed equilibria (junction points of a continuum)."""
    x = np.concatenate(eq.profile)
    pts = _flat(eqs)
    for i, a in enumerate(pts):
        for b in pts[i + 1:]:
            d = b - a
            t = float(np.dot(x - a, d) / max(np.dot(d, d), 1e-300))
            if 0 < t < 1 and np.abs(a + t * d - x).max() <= 1e-6:
                return True
    return False


@pytest.mark.parametrize("name", MODELS)
def test_defaults_complete_and_agree_with_reference(name):
    model = gt.models.get(name, variant="extended")
    game = model.game()
    eqs = gt.solve(game)
    assert eqs.method == "auto(hub_spokes)"
    assert eqs.complete
    ref = solve_reference(game, TOL)
    assert len(eqs) == len(ref)
    missing, extra = _same_sets(eqs, ref)
    assert not missing and not extra
    assert eqs.degenerate == ref.degenerate
    assert max(eq.regret for eq in eqs) <= TOL * game.scale


def test_shapes_and_roles():
    shapes = {name: gt.models.get(name, variant="extended").shape for name in MODELS}
    assert shapes == {"direct": (3, 4, 2, 2), "escrow": (3, 4, 2, 2), "cash_on_delivery": (2, 4, 2, 2),
                      "self_operated": (2, 4, 2)}
    assert hub_spokes_roles((3, 4, 2, 2)).pivot == 2
    assert hub_spokes_roles((5, 4, 2, 2)) is None
    with pytest.raises(SolverError, match="hub-and-spokes"):
        hub_spokes_batch(gt.GameBatch(np.zeros((1, 2, 2, 2))))


@pytest.mark.parametrize("name", MODELS)
def test_model_games_fit_the_structure_exactly(name):
    model = gt.models.get(name, variant="extended")
    batch = model.batch(**random_points(model, 50, seed=3))
    *_, resid = canonical(np.asarray(batch.payoffs), hub_spokes_roles(batch.shape))
    assert resid.max() <= 1e-9


@pytest.mark.parametrize("name", MODELS)
def test_random_points_agree_with_reference(name):
    model = gt.models.get(name, variant="extended")
    batch = model.batch(**random_points(model, 200, seed=11))
    sol = gt.solve_batch(batch)
    assert sol.method == "hub_spokes"
    valid = sol.valid
    assert (sol.counts >= 1).all()
    scale = np.abs(batch.payoffs).reshape(len(batch), -1).max(axis=1).clip(1)
    assert (sol.regrets[valid] <= TOL * np.broadcast_to(scale[:, None], valid.shape)[valid]).all()
    probs = sol.profiles[valid]
    assert np.nanmin(probs) >= 0 and np.allclose(np.nansum(probs, axis=-1), 1)
    assert sol.complete.mean() >= 0.99
    # the references of the continua among these six take 5-16 s each (escrow) and stay incomplete: budgeted
    checked = _check_against_reference(batch, sol, range(6), continuum_budget=2.0)
    assert checked >= 2


@dataclass(frozen=True)
class Tie:
    """A degenerate parameter point: which parameters create the tie."""

    model: str
    params: dict
    why: str


TIES = [
    Tie("direct", {"hunter_share": 0.0}, "hunters affect nobody: the hunter player is a dummy for others"),
    Tie("escrow", {"false_claim_upheld": 0.0}, "Verify and FalseClaim tie against a genuine item"),
    Tie("direct", {"audit_cost": 0.0}, "the platform is indifferent when nobody orders"),
    Tie("cash_on_delivery", {"verify_cost": 0.0, "hunter_share": 0.0}, "free checking and no hunters"),
    Tie("self_operated", {"hunter_share": 0.0}, "no hunters"),
]


@pytest.mark.parametrize("case", TIES, ids=[f"{t.model}-{t.why[:30]}" for t in TIES])
def test_degenerate_points_agree_with_reference(case):
    model = gt.models.get(case.model, variant="extended", **case.params)
    pts = random_points(model, 30, seed=5)
    for key in case.params:
        pts.pop(key, None)
    batch = model.batch(**pts)
    sol = gt.solve_batch(batch)
    assert (sol.counts >= 1).all()
    valid = sol.valid
    assert (sol.regrets[valid] <= TOL * np.abs(batch.payoffs).max()).all()
    assert _check_against_reference(batch, sol, range(6)) >= 3


def test_threads_give_the_answers_of_one_call(monkeypatch):
    """A batch split between threads (the compiled kernel releases the GIL) gives exactly one call's answers."""
    from gametheory.solvers.hub_spokes import solver

    model = gt.models.get("direct", variant="extended")
    batch = model.batch(**random_points(model, 1200, seed=4))
    monkeypatch.setenv("GAMETHEORY_THREADS", "1")
    one = hub_spokes_batch(batch)
    monkeypatch.setenv("GAMETHEORY_THREADS", "3")
    monkeypatch.setattr(solver, "THREAD_GAMES", 256)
    split = hub_spokes_batch(batch)
    for name in ("profiles", "regrets", "counts", "component", "complete", "degenerate", "fallback"):
        assert np.array_equal(getattr(one, name), getattr(split, name), equal_nan=name in ("profiles", "regrets"))


@pytest.mark.parametrize("value", ["0", "-2", "two", ""])
def test_bad_thread_count_is_refused_by_name(monkeypatch, value):
    from gametheory._threads import worker_threads

    monkeypatch.setenv("GAMETHEORY_THREADS", value)
    with pytest.raises(gt.errors.InvalidParameterError, match="GAMETHEORY_THREADS must be a positive integer"):
        worker_threads()


def test_generic_three_player_games_use_the_pivot_roles():
    rng = np.random.default_rng(0)
    batch = gt.GameBatch(rng.normal(size=(40, 3, 2, 4, 2)))  # not hub-and-two-spokes: the pivot roles fit
    sol = hub_spokes_batch(batch)
    assert not sol.fallback.all()
    assert _check_against_reference(batch, sol, range(10)) >= 8


def test_unstructured_games_fall_back_per_game():
    rng = np.random.default_rng(1)
    batch = gt.GameBatch(rng.normal(size=(3, 4, 3, 4, 2, 2)))  # random 4-player: no hub-and-spokes structure
    sol = hub_spokes_batch(batch)
    assert sol.fallback.all()
    for g in range(3):
        assert len(sol.equilibria(g)) == len(solve_reference(batch[g], TOL))


def test_all_ties_game_is_solved_per_game():
    batch = gt.GameBatch(np.zeros((1, 4, 3, 4, 2, 2)))  # every profile is an equilibrium
    sol = hub_spokes_batch(batch)
    assert sol.fallback[0] and sol.degenerate[0]


def test_single_game_method():
    game = gt.models.get("escrow", variant="extended").game()
    eqs = hub_spokes(game)
    assert eqs.method == "hub_spokes" and eqs.complete and eqs.degenerate
    assert len(gt.solve(game, method="hub_spokes")) == len(eqs)
    with pytest.raises(SolverError):
        gt.solve(gt.NormalFormGame(np.zeros((2, 2, 2))), method="hub_spokes")


def test_batch_solution_flags_default():
    sol = gt.solve_batch(gt.GameBatch(np.zeros((3, 2, 2, 2))))
    assert sol.complete.tolist() == [True] * 3 and sol.fallback.tolist() == [False] * 3


@pytest.mark.slow
def test_knife_edge_multiplier_resolved_in_the_kernel():
    """k = 2/3 exactly (the grid 0..4 in 13 steps): the seller is indifferent between Genuine and NonDelivery
    under Lax whatever the buyers do, and the platform's best response changes inside that continuum. The
    kernel lists the points where the platform becomes indifferent and needs no per-game fallback; the
    reference path (incomplete there: homotopy paths fail) finds nothing it does not. (At k = 2/3, beta = 1/3,
    theta = 0 the reference takes about 2 minutes and lists the kernel's 10 equilibria exactly.)"""
    model = gt.models.get("direct", variant="extended")
    batch = model.batch(penalty_multiplier=[2 / 3, 2 / 3, 2 / 3, 1.0], false_claim_upheld=[0.0, 0.25, 1 / 3, 0.5],
                        hunter_share=[0.125, 0.5, 0.0, 0.0])
    sol = hub_spokes_batch(batch)
    assert not sol.fallback.any() and sol.complete.all() and sol.degenerate[:3].all()
    # hunter share 0: the hunter's two strategies are the same to everyone (no curve of mixing-platform
    # candidates); where the reference is quick it lists the same equilibria
    ref = solve_reference(batch[3], TOL)
    assert _same_sets(sol.equilibria(3), ref) == ([], [])
    scale = np.abs(batch.payoffs).reshape(len(batch), -1).max(axis=1)
    assert (sol.regrets[sol.valid] <= TOL * np.broadcast_to(scale[:, None], sol.valid.shape)[sol.valid]).all()
    ref = solve_reference(batch[0], TOL)
    missing, _ = _same_sets(sol.equilibria(0), ref)
    assert not missing
    assert len(sol.equilibria(0)) >= len(ref)
    # a cut point: the platform indifferent at pure Lax, the seller mixing Genuine, Counterfeit, NonDelivery
    cut = [eq for eq in sol.equilibria(0) if eq.profile[2][0] == 1.0 and eq.profile[0][2] > 0 and eq.profile[1][1] > 0]
    assert cut
    u = np.asarray(batch[0].payoffs)
    for eq in cut:
        x, y, h = eq.profile[0], eq.profile[1], eq.profile[3]
        gain = np.einsum("sbh,s,b,h->", u[2, :, :, 1, :] - u[2, :, :, 0, :], x, y, h)
        assert abs(gain) <= 1e-9 * scale[0]


def test_fallback_time_budget_keeps_the_kernel_list(monkeypatch):
    """Past the fallback's time budget, a game the kernel hands to the per-game solver keeps the kernel's
    certified equilibria and says complete=False (a sweep never stalls on it). The kernel resolves every random
    point in its own unit, so the hand-over is forced here for the first game."""
    from gametheory.solvers import candidates
    from gametheory.solvers.hub_spokes import solver

    model = gt.models.get("direct", variant="extended")
    pts = random_points(model, 2000, seed=1)
    batch = model.batch(**{k: v[[1380, 0]] for k, v in pts.items()})
    solve_chunk = solver._solve_chunk

    def first_game_suspect(*args, **kwargs):
        out = solve_chunk(*args, **kwargs)
        out["fallback"][0] = True
        return out

    monkeypatch.setattr(solver, "_solve_chunk", first_game_suspect)
    monkeypatch.setattr(candidates, "FALLBACK_SECONDS", -1.0)
    sol = hub_spokes_batch(batch)
    assert sol.fallback.tolist() == [True, False]
    assert sol.complete.tolist() == [False, True]
    assert sol.counts[0] >= 1
    assert (sol.regrets[0, : sol.counts[0]] <= TOL * np.abs(batch.payoffs[0]).max()).all()


def _coarse_points(model, n, seed):
    """Random points rounded to a coarse lattice (quarters of probabilities, halves of each default): ties."""
    from gametheory.models._checks import ORDERED

    pts = random_points(model, n, seed=seed)
    for key, values in pts.items():
        par = model.parameter(key)
        if par.unit in ("probability", "rate"):
            pts[key] = np.round(values * 4) / 4
            if key == "discount_factor":
                pts[key] = np.minimum(pts[key], 0.75)
        else:
            step = max(float(par.default), 1.0) / 2
            pts[key] = np.round(values / step) * step
    for small, large in ORDERED:
        if small in pts and large in pts:
            pts[small] = np.minimum(pts[small], pts[large])
    if "price" in pts:
        pts["price"] = np.maximum(pts["price"], 1.0)
    return pts


def _grid_points(model, side=5):
    k_lo = float(model.parameter("penalty_multiplier").domain.left or 0.0)
    axes = np.meshgrid(np.linspace(k_lo, k_lo + 4, side), np.linspace(0, 0.5, side), np.linspace(0, 0.5, side),
                       indexing="ij")
    return dict(zip(("penalty_multiplier", "false_claim_upheld", "hunter_share"), (a.ravel() for a in axes),
                    strict=True))


@pytest.mark.parametrize("name", MODELS)
def test_coarse_and_grid_points_agree_with_reference(name):
    """Tied points (a coarse lattice) and a sweep grid: the games the kernel answers itself, degenerate ones first,
    agree with the per-point reference; every game's list is certified and complete where the kernel says so."""
    model = gt.models.get(name, variant="extended")
    for pts, n_checked in ((_coarse_points(model, 120, seed=8), 3), (_grid_points(model), 2)):
        batch = model.batch(**pts)
        sol = gt.solve_batch(batch)
        assert (sol.counts >= 1).all()
        valid = sol.valid
        scale = np.abs(batch.payoffs).reshape(len(batch), -1).max(axis=1).clip(1)
        assert (sol.regrets[valid] <= TOL * np.broadcast_to(scale[:, None], valid.shape)[valid]).all()
        own = np.flatnonzero(~sol.fallback)
        assert own.size
        assert sol.complete[own].all()  # what the kernel answers itself it answers completely
        picked = np.r_[own[sol.degenerate[own]][:n_checked], own[~sol.degenerate[own]][:1]]
        assert sol.degenerate[picked].sum() >= 1  # continua are among the checked games
        assert _check_against_reference(batch, sol, picked.tolist()) >= len(picked) - 1
