r"""Numeric roots of a support system: damped Newton from many starts, vectorised (private helper).

Starts are drawn uniformly from the product of simplices (Dirichlet(1) per player) and from a 1.5x dilation of
it, so real roots near the feasible region are approached from every side. All starts iterate together: one
batched residual, Jacobian and ``numpy.linalg.solve`` per step,

.. math::

    v^{(t+1)} = v^{(t)} - \lambda_t\, J(v^{(t)})^{-1} F(v^{(t)}), \qquad
    \lambda_t = \min\big(1, 1/\lVert J^{-1}F \rVert_\infty\big),

then a few undamped polishing steps. Converged points are clustered; a root whose Jacobian is (numerically)
singular is flagged, since it may lie on a continuum. This path cannot prove that it found every root: callers
certify each root by its regret and report the enumeration as not complete.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._support_systems import SupportSystem

__all__ = ["NumericRoot", "newton_roots"]


@dataclass(frozen=True)
class NumericRoot:
    """One root ``v`` of a support system, its residual and whether its Jacobian is singular.

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> root = newton_roots(system, scale=3.0)[0]
    >>> np.round(root.v, 4).tolist(), root.singular
    ([0.75, 0.25], False)
    """

    v: npt.NDArray[np.float64]
    residual: float
    singular: bool


def newton_roots(
    system: SupportSystem,
    *,
    scale: float,
    n_starts: int | None = None,
    max_iter: int = 60,
    seed: int = 0,
) -> list[NumericRoot]:
    """Distinct roots of ``system`` found from many starts (residual below ``1e-11 * scale``).

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> [np.round(r.v, 4).tolist() for r in newton_roots(system, scale=3.0)]
    [[0.75, 0.25]]
    """
    d = system.n_vars
    rng = np.random.default_rng(seed)
    m = n_starts or max(64, 32 * d)
    starts = []
    for j in range(system.n):
        sigma = rng.dirichlet(np.ones(system.k[j]), size=m)
        centre = np.full(system.k[j], 1.0 / system.k[j])
        wide = np.arange(m) % 4 == 3  # a quarter of the starts outside the simplex
        sigma[wide] = centre + 1.5 * (sigma[wide] - centre)
        starts.append(sigma[:, :-1])
    v = np.concatenate(starts, axis=1)
    for it in range(max_iter + 4):
        f = system.residual(v)
        jac = system.jacobian(v)
        step = _solve(jac, f)
        if it < max_iter:
            size = np.max(np.abs(step), axis=1, initial=0.0)
            step *= np.minimum(1.0, 1.0 / np.maximum(size, 1e-300))[:, None]
        v = v - step
        keep = np.all(np.isfinite(v), axis=1) & (np.max(np.abs(v), axis=1, initial=0.0) < 1e6)
        v = v[keep]
        if v.shape[0] == 0:
            return []
    f = np.max(np.abs(system.residual(v)), axis=1, initial=0.0)
    good = f <= 1e-11 * scale
    v, f = v[good], f[good]
    roots: list[NumericRoot] = []
    for k in np.argsort(f):
        if any(np.max(np.abs(v[k] - r.v), initial=0.0) < 1e-7 for r in roots):
            continue
        jac = system.jacobian(v[k][None])[0]
        singular = bool(d and np.linalg.cond(jac) > 1e10)
        roots.append(NumericRoot(v[k].copy(), float(f[k]), singular))
    return roots


def _solve(jac: npt.NDArray[np.float64], f: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Batched ``J^{-1} F``; a Levenberg-Marquardt step ``(J^T J + mu I)^{-1} J^T F`` when some ``J`` is
    singular."""
    try:
        return np.asarray(np.linalg.solve(jac, f[..., None])[..., 0], dtype=float)
    except np.linalg.LinAlgError:
        jt = np.swapaxes(jac, 1, 2)
        normal = jt @ jac
        mu = 1e-12 * (np.trace(normal, axis1=1, axis2=2) + 1e-300)
        normal += mu[:, None, None] * np.eye(jac.shape[1])
        return np.asarray(np.linalg.solve(normal, (jt @ f[..., None]))[..., 0], dtype=float)
