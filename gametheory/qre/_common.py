"""Helpers shared by the QRE front ends: argument checks, stop rules, the final fixed-lambda solve."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .._validation import Interval
from ..errors import InvalidParameterError
from ..games.coerce import as_normal_form
from ..games.normal_form import NormalFormGame
from . import _tracer
from ._system import FloatArray, LogitSystem

#: corrections below this end the Newton polish of a returned point
POLISH_TOL = 1e-12
#: the tracer's default first arclength step and step growth (Gambit's defaults)
FIRST_STEP = 0.03
MAX_ACCEL = 1.1
#: the largest lambda a branch is traced to when no other limit is given
MAX_LAMBDA = 1e10
#: the batch front ends' defaults: larger first steps and faster growth, the same branches (generic games have no
#: bifurcation on them; tests check that the batch equals the one-game results) in about a third of the steps
BATCH_FIRST_STEP = 0.3
BATCH_MAX_ACCEL = 2.0
#: accepted predictor-corrector steps per branch before giving up
MAX_STEPS = 20_000
#: the validation table of the tracer's step controls, shared by every public function of the package
STEP_CONSTRAINTS = {
    "first_step": Interval(float, 0, None, closed="neither"),
    "max_accel": Interval(float, 1, None, closed="neither"),
    "max_steps": Interval(int, 1, None),
}
#: ... and of the end of a branch
MAX_REGRET_CONSTRAINT = Interval(float, 0, 1, closed="neither")


def as_float_game(game: Any, func: str) -> NormalFormGame:
    """``game`` as a float :class:`NormalFormGame` (arrays and trees accepted as by :func:`gametheory.solve`)."""
    return as_normal_form(game, func).to_float()


def payoff_span(payoffs: FloatArray) -> FloatArray:
    """``max - min`` payoff of each game of a batch (1 where all payoffs are equal): Gambit's regret unit."""
    flat = payoffs.reshape(payoffs.shape[0], -1)
    span = flat.max(axis=1) - flat.min(axis=1)
    return np.where(span > 0, span, 1.0)  # type: ignore[no-any-return]


def check_lambdas(lam: Any, n_games: int, func: str) -> FloatArray:
    """``lam`` (a number or one per game) as an ``(n_games,)`` array of finite non-negative floats."""
    try:
        values = np.asarray(lam, dtype=float) if not isinstance(lam, str) else np.array(np.nan)
    except (TypeError, ValueError):
        values = np.array(np.nan)
    if values.ndim > 1 or (values.ndim == 1 and values.shape[0] != n_games):
        raise InvalidParameterError(
            f"The 'lam' parameter of {func} must be a float in [0, inf) or one such float per game ({n_games}). "
            f"Got an array of shape {values.shape} instead."
        )
    if not np.all(np.isfinite(values) & (values >= 0)):
        raise InvalidParameterError(f"The 'lam' parameter of {func} must be a float in [0, inf). Got {lam!r} instead.")
    return np.broadcast_to(values, (n_games,)).astype(float)


def padded(system: LogitSystem, flat: FloatArray) -> FloatArray:
    """``(N, M)`` stacked probabilities -> ``(N, n_players, max_s)``, NaN beyond a player's strategies."""
    out = np.full((flat.shape[0], system.n_players, max(system.shape)), np.nan)
    for i, part in enumerate(system.split(flat)):
        out[:, i, : part.shape[1]] = part
    return out


def solve_at_lambdas(
    system: LogitSystem, lam: FloatArray, *, first_step: float, max_accel: float, max_steps: int
) -> tuple[FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The principal-branch point at ``lam[g]`` of every game: ``(x, status, steps)``.

    Each branch is traced until it first reaches its ``lam``; the point is then found by Newton's method at that
    fixed lambda from the interpolation between the two points that bracket it. Games whose branch fails keep
    NaN in ``x``.
    """
    n_games = lam.shape[0]
    run = np.flatnonzero(lam > 0)
    x = system.start(n_games)
    status = np.full(n_games, _tracer.DONE, dtype=np.int64)
    steps = np.zeros(n_games, dtype=np.int64)
    if run.size:
        sub = system.take(run)
        sub_lam = lam[run]

        def reached(_: LogitSystem, xx: FloatArray, index: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
            return xx[:, -1] >= sub_lam[index]  # type: ignore[no-any-return]

        end = _tracer.trace(sub, reached, first_step=first_step, max_accel=max_accel, max_steps=max_steps)
        lo, hi = end.previous, end.x
        weight = np.clip((sub_lam - lo[:, -1]) / np.where(hi[:, -1] > lo[:, -1], hi[:, -1] - lo[:, -1], 1.0), 0, 1)
        polished = polish_at_lambda(sub, lo + weight[:, None] * (hi - lo), sub_lam)
        failed = end.status != _tracer.DONE
        polished[failed] = np.nan
        x[run], status[run], steps[run] = polished, end.status, end.steps
    return x, status, steps


def polish_at_lambda(system: LogitSystem, guess: FloatArray, lam: FloatArray | float) -> FloatArray:
    """The branch points at ``lam`` (one per row of ``guess``, or one for all) by Newton's method at that fixed
    lambda, from ``guess`` ``(N, M + 1)`` (its lambda column is replaced by ``lam``)."""
    start = guess.copy()
    start[:, -1] = lam
    fixed = np.zeros_like(start)
    fixed[:, -1] = 1.0
    return _tracer.polish(system, start, fixed, tol=POLISH_TOL)


def profile_at(system: LogitSystem, x: FloatArray) -> tuple[npt.NDArray[np.float64], ...]:
    """The profile (one probability vector per player) of the first game of ``system`` at the branch point ``x``,
    in the coordinates ``(log probabilities, lambda)``."""
    return tuple(np.exp(v[0]) for v in system.split(x.reshape(1, -1)[:, :-1]))


def status_message(status: npt.NDArray[np.int64]) -> str:
    """One line for the worst status of a batch."""
    bad = status[status != _tracer.DONE]
    if not bad.size:
        return "every branch reached its end criterion"
    codes, counts = np.unique(bad, return_counts=True)
    parts = [f"{int(c)} game(s): {_tracer.MESSAGES[int(k)]}" for k, c in zip(codes, counts, strict=True)]
    return "; ".join(parts)


def trace_to_limit(
    system: LogitSystem,
    *,
    max_regret: float,
    max_lambda: float,
    first_step: float,
    max_accel: float,
    max_steps: int,
    record: _tracer.Recorder | None = None,
) -> _tracer.Trace:
    """Follow every game's principal branch until its profile's regret is at most ``max_regret`` times the
    game's payoff span (``max - min``, Gambit's unit) or lambda passes ``max_lambda``."""
    limit = max_regret * payoff_span(system.payoffs)

    def close_enough(sub: LogitSystem, x: FloatArray, index: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        regret = sub.regrets(sub.split(np.exp(x[:, :-1])))
        return (regret <= limit[index]) | (x[:, -1] >= max_lambda)  # type: ignore[no-any-return]

    return _tracer.trace(
        system, close_enough, first_step=first_step, max_accel=max_accel, max_steps=max_steps, record=record
    )


def trace_branch_points(
    system: LogitSystem, *, max_regret: float, max_lambda: float, first_step: float, max_accel: float,
    max_steps: int,
) -> tuple[_tracer.Trace, FloatArray, FloatArray]:
    """Trace the principal branch of a one-game ``system`` to its limit (:func:`trace_to_limit`) and keep every
    accepted point: ``(end, points, tangents)``, the points ``(K, M + 1)`` in the coordinates
    ``(log probabilities, lambda)`` and the unit tangent at each."""
    points: list[FloatArray] = []
    tangents: list[FloatArray] = []

    def keep(_: npt.NDArray[np.intp], x: FloatArray, t: FloatArray) -> None:
        points.append(x[0].copy())
        tangents.append(t[0].copy())

    end = trace_to_limit(system, max_regret=max_regret, max_lambda=max_lambda, first_step=first_step,
                         max_accel=max_accel, max_steps=max_steps, record=keep)
    return end, np.array(points), np.array(tangents)


def nearest_equilibrium(profiles: FloatArray, candidates: FloatArray, valid: npt.NDArray[np.bool_]) -> tuple[
    npt.NDArray[np.int64], FloatArray
]:
    """Index of the listed equilibrium nearest each game's profile (largest probability difference) and that
    distance: ``profiles (N, n, max_s)``, ``candidates (N, K, n, max_s)``; -1 and inf where none is listed."""
    gap = np.nan_to_num(np.abs(candidates - profiles[:, None]), nan=0.0)
    distance = np.where(valid, gap.reshape(gap.shape[0], gap.shape[1], -1).max(axis=2, initial=0.0), np.inf)
    if distance.shape[1] == 0:
        return np.full(profiles.shape[0], -1, dtype=np.int64), np.full(profiles.shape[0], np.inf)
    best = np.argmin(distance, axis=1)
    gap_best = distance[np.arange(distance.shape[0]), best]
    return np.where(np.isfinite(gap_best), best, -1).astype(np.int64), gap_best
