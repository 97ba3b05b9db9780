r"""Predictor-corrector continuation of the principal logit branch, over a whole batch of games at once.

Each game's branch starts at ``lambda = 0`` (uniform play) and is followed in arclength ``s``: an Euler predictor
``u = x + h t`` along the unit tangent ``t``, then chord-Newton corrector steps back onto ``H = 0``, each solving the
square system :math:`\begin{pmatrix} H'(u) \\ t^\top \end{pmatrix} \delta = \begin{pmatrix} H(u) \\ 0
\end{pmatrix}` (a correction orthogonal to the tangent; the same matrix gives the new tangent,
:math:`\begin{pmatrix} H'(u) \\ t^\top \end{pmatrix} t' = e_{M+1}`, oriented so that :math:`t^\top t' > 0`, which
carries the branch through its turning points in ``lambda``). A change of sign of the determinant of that matrix
between two points marks a bifurcation (symmetric games have them on the principal branch): as in Gambit, the
step is refused and the first equation is offset by :data:`PERTURBATION` for an arclength of twice the step, which
unfolds the bifurcation so that the tracer follows one of the branches leaving it. The step size adapts as in
Allgower and Georg (1990, ch. 6) and Gambit's tracer: a step is refused when the first correction is longer than
``MAX_DIST`` or the corrector contracts worse than ``MAX_CONTRACTION``; otherwise the next step is
``h / decel``, where ``decel`` (in ``[1/max_accel, max_accel]``) grows with the observed distance and contraction.
Every game carries its own ``h``; the arithmetic is numpy over the games still running, no Python loop over games.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._system import FloatArray, LogitSystem

#: corrector: converged when the correction is shorter than this
CORRECTOR_TOL = 1e-4
#: corrector: a first correction this long refuses the step
MAX_DIST = 0.4
#: corrector: a contraction rate above this refuses the step
MAX_CONTRACTION = 0.6
#: guards the contraction rate against cancellation
ETA = 0.1
#: corrector iterations per step
MAX_CORRECTOR_ITER = 20
#: a step size below this ends the branch without success
MIN_STEP = 1e-10
#: bifurcations: the offset added to the first equation while stepping past one, as Gambit does
PERTURBATION = 1e-7

# per-game status codes
RUNNING, DONE, STEP_TOO_SMALL, MAX_STEPS, NEGATIVE_LAMBDA = 0, 1, 2, 3, 4
MESSAGES = {
    DONE: "the branch reached its end criterion",
    STEP_TOO_SMALL: "the step size fell below its minimum (a bifurcation or a very sharp turn)",
    MAX_STEPS: "the step limit was reached before the end criterion",
    NEGATIVE_LAMBDA: "the branch turned back below lambda = 0",
}


@dataclass
class Trace:
    """End state of every game's branch: the last accepted point, the one before it, tangents, status, steps."""

    x: FloatArray
    previous: FloatArray
    tangent: FloatArray
    status: npt.NDArray[np.int64]
    steps: npt.NDArray[np.int64]


StopRule = Callable[[LogitSystem, FloatArray, npt.NDArray[np.intp]], npt.NDArray[np.bool_]]
Recorder = Callable[[npt.NDArray[np.intp], FloatArray, FloatArray], None]


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def trace(
    system: LogitSystem,
    stop: StopRule,
    *,
    first_step: float,
    max_accel: float,
    max_steps: int,
    record: Recorder | None = None,
) -> Trace:
    """Follow every game's principal branch until ``stop(system_of_games, x, index)`` holds for it.

    ``stop`` sees the just-accepted points ``x`` of the games ``index`` (with their own sub-system); ``record``,
    when given, receives ``(index, x, tangent)`` of every accepted point (the start included). A predictor that
    overshoots far off the branch may overflow ``exp``; its corrector then fails and the step is refused, so those
    floating-point warnings are silenced here.
    """
    n_games, m_size = system.payoffs.shape[0], system.size
    x = system.start(n_games)
    tangent = _initial_tangent(system, x)
    previous = x.copy()
    h = np.full(n_games, float(first_step))
    status = np.zeros(n_games, dtype=np.int64)
    steps = np.zeros(n_games, dtype=np.int64)
    pert = np.zeros(n_games)
    countdown = np.zeros(n_games)
    orientation = _orientation(system, x, tangent)
    active = np.arange(n_games)
    if record is not None:
        record(active, x, tangent)
    while active.size:
        sub = system.take(active)
        t = tangent[active]
        u = x[active] + h[active, None] * t
        residual, jac = sub.residual_and_jacobian(u)
        residual[:, 0] += pert[active]
        inverse, det = _inverse(np.concatenate([jac, t[:, None, :]], axis=1))
        new_t = inverse[:, :, -1]
        new_t /= np.linalg.norm(new_t, axis=1, keepdims=True)
        u, accepted, decel = _correct(sub, u, residual, inverse[:, :, :m_size], max_accel, pert[active])
        accepted &= np.isfinite(new_t).all(axis=1)
        sign = np.sign(det)
        flipped = accepted & (sign != orientation[active])
        fresh = active[flipped & (countdown[active] == 0)]
        pert[fresh] = PERTURBATION
        countdown[fresh] = 2 * h[fresh]
        accepted &= ~flipped

        refused = active[~accepted]
        h[refused] /= max_accel
        status[refused[h[refused] < MIN_STEP]] = STEP_TOO_SMALL

        moved = active[accepted]
        previous[moved] = x[moved]
        x[moved] = u[accepted]
        tangent[moved] = new_t[accepted]
        orientation[moved] = sign[accepted]
        h[moved] /= np.minimum(decel[accepted], max_accel)
        steps[moved] += 1
        perturbed = moved[countdown[moved] > 0]
        countdown[perturbed] -= h[perturbed]
        over = perturbed[countdown[perturbed] <= 0]
        pert[over], countdown[over] = 0.0, 0.0
        if record is not None and moved.size:
            record(moved, x[moved], tangent[moved])
        if moved.size:
            ended = stop(sub.take(np.flatnonzero(accepted)), x[moved], moved)
            status[moved[ended]] = DONE
            running = status[moved] == RUNNING
            status[moved[running & (x[moved, -1] < 0)]] = NEGATIVE_LAMBDA
            status[moved[(status[moved] == RUNNING) & (steps[moved] >= max_steps)]] = MAX_STEPS
        active = active[status[active] == RUNNING]
    return Trace(x, previous, tangent, status, steps)


def _orientation(system: LogitSystem, x: FloatArray, tangent: FloatArray) -> FloatArray:
    """The sign of ``det [H'(x); t]``: constant along a branch between bifurcations."""
    _, jac = system.residual_and_jacobian(x)
    return np.sign(_inverse(np.concatenate([jac, tangent[:, None, :]], axis=1))[1])  # type: ignore[no-any-return]


def _initial_tangent(system: LogitSystem, x: FloatArray) -> FloatArray:
    """The unit tangent at lambda = 0, oriented towards increasing lambda."""
    _, jac = system.residual_and_jacobian(x)
    lam_row = np.zeros((x.shape[0], 1, x.shape[1]))
    lam_row[:, 0, -1] = 1.0
    t = _inverse(np.concatenate([jac, lam_row], axis=1))[0][:, :, -1]
    return t / np.linalg.norm(t, axis=1, keepdims=True)  # type: ignore[no-any-return]


def _correct(
    system: LogitSystem, u: FloatArray, residual: FloatArray, step_map: FloatArray, max_accel: float,
    pert: FloatArray,
) -> tuple[FloatArray, npt.NDArray[np.bool_], FloatArray]:
    """Chord-Newton corrector for every game at once (``pert`` offsets the first equation); returns
    ``(u, accepted, decel)``. Each iteration works on the games still correcting only."""
    n = u.shape[0]
    u = u.copy()
    accepted = np.zeros(n, dtype=bool)
    decel = np.full(n, 1.0 / max_accel)
    previous_dist = np.zeros(n)
    running = np.arange(n)
    for iteration in range(1, MAX_CORRECTOR_ITER + 1):
        if iteration > 1:
            residual = system.take(running).residual(u[running])
            residual[:, 0] += pert[running]
        delta = (step_map[running] * residual[:, None, :]).sum(axis=2)
        dist = np.linalg.norm(delta, axis=1)
        dist = np.where(np.isfinite(dist), dist, np.inf)
        u[running] -= delta
        bad = dist >= MAX_DIST
        slow = np.sqrt(np.minimum(dist, MAX_DIST) / MAX_DIST) * max_accel
        if iteration >= 2:
            contraction = dist / (previous_dist[running] + CORRECTOR_TOL * ETA)
            bad |= contraction > MAX_CONTRACTION
            slow = np.maximum(slow, np.sqrt(np.minimum(contraction, 1.0) / MAX_CONTRACTION) * max_accel)
        decel[running] = np.maximum(decel[running], slow)
        previous_dist[running] = dist
        done = ~bad & (dist <= CORRECTOR_TOL)
        accepted[running[done]] = True
        running = running[~(bad | done)]
        if not running.size:
            break
    return u, accepted, decel


def _inverse(matrices: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Batched inverse and determinant (compiled, :mod:`._inverse_kernel`); a singular matrix gives NaN entries
    (its game's step is refused) and determinant 0, never an exception."""
    from ._inverse_kernel import inverse_and_det  # lazy: numba kernel

    return inverse_and_det(np.ascontiguousarray(matrices, dtype=np.float64))  # type: ignore[no-any-return]


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def polish(system: LogitSystem, x: FloatArray, direction: FloatArray, *, tol: float, max_iter: int = 30) -> FloatArray:
    r"""Newton's method on :math:`H(x) = 0,\ d^\top (x - x_0) = 0` for every point at once.

    ``direction = e_lambda`` keeps lambda fixed (the QRE at a given lambda); the tangent keeps the point on the
    normal plane through ``x_0`` (well conditioned at turning points). Stops when every correction is below
    ``tol``; points whose Newton matrix is singular keep NaN.
    """
    x = x.copy()
    m_size = system.size
    active = np.arange(x.shape[0])
    for _ in range(max_iter):
        sub = system.take(active)
        residual, jac = sub.residual_and_jacobian(x[active])
        inverse, _ = _inverse(np.concatenate([jac, direction[active, None, :]], axis=1))
        delta = np.einsum("gab,gb->ga", inverse[:, :, :m_size], residual)
        x[active] -= delta
        size = np.linalg.norm(delta, axis=1)
        x[active[~np.isfinite(size)]] = np.nan
        active = active[np.isfinite(size) & (size > tol)]
        if not active.size:
            break
    return x
