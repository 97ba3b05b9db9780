r"""Maximum-likelihood estimation of the logit precision ``lambda`` from observed frequencies of play.

Given counts :math:`n_{ij}` of how often player ``i`` was seen to play strategy ``j``, the log-likelihood of the
principal-branch QRE at precision :math:`\lambda` is

.. math::

    \ell(\lambda) = \sum_{i,j} n_{ij} \log \sigma_{ij}(\lambda),

and the estimate is its global maximiser along the principal branch, as Gambit's ``logit_estimate`` computes
(Bland and Turocy 2023). Its standard error is :math:`1/\sqrt{-\ell''(\hat\lambda)}`, the inverse square root
of the observed Fisher information.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from .._validation import validate_params
from ..errors import InvalidParameterError
from ._common import (
    FIRST_STEP,
    MAX_ACCEL,
    MAX_LAMBDA,
    MAX_REGRET_CONSTRAINT,
    MAX_STEPS,
    STEP_CONSTRAINTS,
    as_float_game,
    polish_at_lambda,
    profile_at,
    trace_branch_points,
)
from ._system import FloatArray, LogitSystem
from .branch import MAX_REGRET

__all__ = ["LogitFit", "fit"]

#: relative step of the central difference that gives the curvature of the log-likelihood
CURVATURE_STEP = 1e-4


@dataclass(frozen=True, eq=False)
class LogitFit(FrozenResult):
    """The maximum-likelihood logit QRE of a game for observed frequencies of play.

    Attributes
    ----------
    lam : float
        The estimate of the precision.
    stderr : float or None
        Its standard error, :math:`1/\\sqrt{-\\ell''(\\hat\\lambda)}`; None when the maximum is at an end of the
        branch (``lambda = 0`` or the traced limit), where the likelihood has no interior curvature.
    profile : tuple of ndarray
        The QRE at ``lam``.
    log_likelihood : float
        :math:`\\ell(\\hat\\lambda)`.
    frequencies : tuple of ndarray
        The observed counts, one vector per player.
    success : bool
        True for an interior maximum with a finite standard error.
    message : str
        Where the maximum is.
    parameters : dict
        Every argument.
    """

    lam: float
    stderr: float | None
    profile: tuple[npt.NDArray[np.float64], ...]
    log_likelihood: float
    frequencies: tuple[npt.NDArray[np.float64], ...]
    success: bool
    message: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        se = "None" if self.stderr is None else f"{self.stderr:.4g}"
        return f"LogitFit(lam={self.lam:.6g}, stderr={se}, log_likelihood={self.log_likelihood:.6g})"


@validate_params(
    {
        "game": None,
        "observed_frequencies": None,
        "max_regret": MAX_REGRET_CONSTRAINT,
        **STEP_CONSTRAINTS,
    }
)
def fit(
    game: Any,
    observed_frequencies: Any,
    *,
    max_regret: float = MAX_REGRET,
    first_step: float = FIRST_STEP,
    max_accel: float = MAX_ACCEL,
    max_steps: int = MAX_STEPS,
) -> LogitFit:
    r"""The maximum-likelihood precision ``lambda`` (with its standard error) of the logit QRE for observed play.

    Parameters
    ----------
    game : NormalFormGame or array_like
        The game.
    observed_frequencies : sequence of array_like
        One vector of counts per player (how often each strategy was played); a flat vector of all players'
        counts, stacked, is accepted too. Counts, not shares, so that the standard error reflects the sample.
    max_regret, first_step, max_accel, max_steps : optional
        How far and how the principal branch is traced (:func:`logit_path`).

    Returns
    -------
    LogitFit

    Notes
    -----
    The branch is traced from ``lambda = 0`` to its limit. Along it :math:`d\ell/ds = \sum n_{ij}\, dy_{ij}/ds`
    (``y`` the log-probabilities, ``s`` the arclength), so every local maximum is bracketed by two accepted points
    where that derivative changes sign from + to -. Each is refined by Brent's root finder on
    :math:`d\ell/d\lambda = \sum n_{ij}\, dy_{ij}/d\lambda`, with :math:`dy/d\lambda = -H_y^{-1} H_\lambda`
    (implicit differentiation of the QRE equations), and the largest is returned.
    :math:`\ell''(\hat\lambda)` is the central difference of that exact derivative.

    References
    ----------
    Bland, J. R. and Turocy, T. L. (2023). Quantal response equilibrium as a structural model for estimation:
    the missing manual. SSRN working paper 4425515.

    McKelvey and Palfrey (1995), the logit QRE itself: cited in full in :func:`~gametheory.qre.logit_path`.

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> res = gt.qre.fit(pd, [[30, 70], [30, 70]])
    >>> round(res.lam, 4), round(res.stderr, 4)
    (0.6518, 0.1349)
    """
    g = as_float_game(game, "fit")
    counts = _check_frequencies(observed_frequencies, g.shape)
    system = LogitSystem(g.payoffs[None])
    _, xs, ts = trace_branch_points(system, max_regret=max_regret, max_lambda=MAX_LAMBDA, first_step=first_step,
                                    max_accel=max_accel, max_steps=max_steps)
    flat = np.concatenate(counts)
    slope = ts[:, :-1] @ flat  # d loglik / d arclength at every point
    rises = np.flatnonzero((slope[:-1] > 0) & (slope[1:] <= 0) & (ts[:-1, -1] > 0) & (ts[1:, -1] > 0))
    candidates = [_refine(system, flat, xs[k], xs[k + 1]) for k in rises]
    ends = [(float(flat @ xs[k, :-1]), xs[k]) for k in (0, len(xs) - 1)]
    best_interior = max(candidates, key=lambda c: c[0], default=None)
    best_end = max(ends, key=lambda c: c[0])
    parameters = {"max_regret": max_regret, "first_step": first_step, "max_accel": max_accel,
                  "max_steps": max_steps}
    frequencies = tuple(c.copy() for c in counts)
    if best_interior is not None and best_interior[0] >= best_end[0]:
        loglik, x = best_interior
        curvature = _curvature(system, flat, x)
        stderr = float(1.0 / np.sqrt(-curvature)) if curvature < 0 else None
        return LogitFit(
            lam=float(x[-1]), stderr=stderr, profile=profile_at(system, x), log_likelihood=loglik,
            frequencies=frequencies, success=stderr is not None,
            message="interior maximum" if stderr is not None else "flat maximum (no curvature)",
            parameters=parameters,
        )
    loglik, x = best_end
    where = "lambda = 0 (play no better than uniform)" if x[-1] == 0 else "the end of the traced branch"
    return LogitFit(
        lam=float(x[-1]), stderr=None, profile=profile_at(system, x), log_likelihood=loglik, frequencies=frequencies,
        success=False, message=f"the likelihood is largest at {where}", parameters=parameters,
    )


def _check_frequencies(observed: Any, shape: tuple[int, ...]) -> list[FloatArray]:
    try:
        if len(observed) == len(shape) and all(np.ndim(v) == 1 for v in observed):
            parts = [np.asarray(v, dtype=float) for v in observed]
        else:
            flat = np.asarray(observed, dtype=float).ravel()
            parts = np.split(flat, np.cumsum(shape)[:-1]) if flat.size == sum(shape) else []
    except (TypeError, ValueError):
        parts = []
    if [p.size for p in parts] != list(shape):
        raise InvalidParameterError(
            f"The 'observed_frequencies' parameter of fit must hold one vector of counts per player, of lengths "
            f"{list(shape)}. Got {observed!r} instead."
        )
    flat = np.concatenate(parts)
    if not np.all(np.isfinite(flat) & (flat >= 0)) or flat.sum() <= 0:
        raise InvalidParameterError(
            f"The 'observed_frequencies' parameter of fit must hold finite non-negative counts, not all zero. "
            f"Got {observed!r} instead."
        )
    return parts


def _at(system: LogitSystem, guess: FloatArray, lam: float) -> FloatArray:
    """The branch point at ``lam`` by Newton's method at fixed lambda from ``guess``."""
    return polish_at_lambda(system, guess[None], lam)[0]


def _slope(system: LogitSystem, flat: FloatArray, x: FloatArray) -> float:
    """:math:`d\\ell/d\\lambda` at the branch point ``x``, by implicit differentiation."""
    _, jac = system.residual_and_jacobian(x[None])
    dy = -np.linalg.solve(jac[0, :, :-1], jac[0, :, -1])
    return float(flat @ dy)


def _refine(system: LogitSystem, flat: FloatArray, lo: FloatArray, hi: FloatArray) -> tuple[float, FloatArray]:
    """The local maximum of the log-likelihood between two branch points (Brent on its lambda-derivative)."""
    from scipy.optimize import brentq

    def point(lam: float) -> FloatArray:
        w = (lam - lo[-1]) / (hi[-1] - lo[-1])
        return _at(system, lo + w * (hi - lo), lam)

    def slope(lam: float) -> float:
        return _slope(system, flat, point(lam))

    a, b = float(lo[-1]), float(hi[-1])
    if slope(a) * slope(b) > 0:  # the sign change in arclength is a rounding artefact: keep the better end
        x = max((lo, hi), key=lambda p: float(flat @ p[:-1]))
        return float(flat @ x[:-1]), x
    lam = brentq(slope, a, b, xtol=1e-14, rtol=1e-13, maxiter=200)
    x = point(lam)
    return float(flat @ x[:-1]), x


def _curvature(system: LogitSystem, flat: FloatArray, x: FloatArray) -> float:
    r""":math:`\ell''(\lambda)` at ``x`` by the central difference of the exact first derivative."""
    delta = CURVATURE_STEP * max(abs(float(x[-1])), 1e-3)
    up = _slope(system, flat, _at(system, x, float(x[-1]) + delta))
    down = _slope(system, flat, _at(system, x, float(x[-1]) - delta))
    return (up - down) / (2 * delta)
