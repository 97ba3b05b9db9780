r"""Every complex root of a support system by multihomogeneous homotopy continuation (private helper).

Player *i*'s equations are multilinear: of degree one in each *mixing* opponent's block of variables. The start
system has the same structure, each equation a product of random complex affine forms, one per mixing opponent,

.. math::

    G_{i,r}(v) = \prod_{j \ne i,\, d_j > 0} \big(a_{i,r,j} \cdot v_j + b_{i,r,j}\big),

whose roots are found by choosing, for every equation, the factor that vanishes, such that player *j*'s
:math:`d_j` variables are fixed by exactly :math:`d_j` chosen affine forms (a linear solve per block). Their number
is the multihomogeneous Bezout number, the bound of McKelvey & McLennan (1997) on totally mixed equilibria.
The paths of :math:`H(v, t) = (1 - t)\,\gamma\, G(v) + t\, F(v)` (random complex :math:`\gamma`, the
"gamma trick") are tracked from :math:`t = 0` to :math:`1` with a Runge-Kutta predictor and a Newton corrector,
all paths at once. With probability one every isolated root of :math:`F` is the end of some path (Morgan &
Sommese 1987; Sommese & Wampler 2005, ch. 8); paths that fail are counted, not hidden.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ._newton_multistart import NumericRoot
from ._support_systems import SupportSystem

__all__ = ["HomotopyResult", "homotopy_roots", "real_homotopy_roots"]

MAX_STEPS = 400


@dataclass(frozen=True)
class HomotopyResult:
    """Finite path ends (complex, shape ``(k, d)``) and the number of paths that did not reach ``t = 1``.

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> result = homotopy_roots(system)
    >>> result.n_paths, result.failed, np.round(result.ends.real, 4).tolist()
    (1, 0, [[0.75, 0.25]])
    """

    ends: npt.NDArray[np.complex128]
    n_paths: int
    failed: int


def homotopy_roots(system: SupportSystem, *, seed: int = 0) -> HomotopyResult | None:
    """Track every path; None when some equation has no mixing opponent (a constant equation).

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> np.round(homotopy_roots(system).ends.real, 4).tolist()
    [[0.75, 0.25]]
    """
    rng = np.random.default_rng(seed)
    mixing = [j for j in range(system.n) if system.d[j]]
    eqs = [(i, [j for j in mixing if j != i]) for i in mixing for _ in range(system.d[i])]
    if any(not opp for _, opp in eqs):
        return None
    d = system.n_vars
    blocks = [slice(int(system.offsets[j]), int(system.offsets[j + 1])) for j in range(system.n)]
    a = {(e, j): _crandn(rng, system.d[j]) for e, (_, opp) in enumerate(eqs) for j in opp}
    b = {(e, j): _crandn(rng, 1)[0] for e, (_, opp) in enumerate(eqs) for j in opp}
    gamma = np.exp(2j * np.pi * rng.random())

    starts = []
    for choice in itertools.product(*[opp for _, opp in eqs]):
        if any(choice.count(j) != system.d[j] for j in mixing):
            continue
        x = np.zeros(d, dtype=complex)
        for j in mixing:
            rows = [e for e, c in enumerate(choice) if c == j]
            mat = np.array([a[e, j] for e in rows])
            x[blocks[j]] = np.linalg.solve(mat, -np.array([b[e, j] for e in rows]))
        starts.append(x)
    if not starts:
        return HomotopyResult(np.zeros((0, d), dtype=complex), 0, 0)

    def start_system(x: npt.NDArray[np.complex128]) -> tuple[npt.NDArray[np.complex128], npt.NDArray[np.complex128]]:
        g = np.ones((x.shape[0], d), dtype=complex)
        jac = np.zeros((x.shape[0], d, d), dtype=complex)
        forms = {(e, j): x[:, blocks[j]] @ a[e, j] + b[e, j] for e, (_, opp) in enumerate(eqs) for j in opp}
        for e, (_, opp) in enumerate(eqs):
            for j in opp:
                g[:, e] *= forms[e, j]
                others = np.prod([forms[e, k] for k in opp if k != j], axis=0) if len(opp) > 1 else 1.0
                jac[:, e, blocks[j]] = np.multiply.outer(others, a[e, j]) if len(opp) > 1 else a[e, j]
        return g, jac

    def homotopy(x: npt.NDArray[np.complex128], t: npt.NDArray[np.float64]
                 ) -> tuple[npt.NDArray[np.complex128], npt.NDArray[np.complex128], npt.NDArray[np.complex128]]:
        g, gx = start_system(x)
        f, fx = system.residual(x), system.jacobian(x)
        s = t[:, None]
        h = (1 - s) * gamma * g + s * f
        hx = (1 - s)[:, :, None] * gamma * gx + s[:, :, None] * fx
        return h, hx, f - gamma * g

    def velocity(x: npt.NDArray[np.complex128], t: npt.NDArray[np.float64]) -> npt.NDArray[np.complex128]:
        _, hx, ht = homotopy(x, t)
        return -_csolve(hx, ht)

    x = np.array(starts)
    m = x.shape[0]
    t = np.zeros(m)
    h = np.full(m, 0.05)
    active = np.ones(m, dtype=bool)
    good = np.zeros(m, dtype=bool)
    streak = np.zeros(m, dtype=int)
    for _ in range(MAX_STEPS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xs, ts, hs = x[idx], t[idx], np.minimum(h[idx], 1 - t[idx])
        k1 = velocity(xs, ts)
        k2 = velocity(xs + 0.5 * hs[:, None] * k1, ts + 0.5 * hs)
        k3 = velocity(xs + 0.5 * hs[:, None] * k2, ts + 0.5 * hs)
        k4 = velocity(xs + hs[:, None] * k3, ts + hs)
        xp = xs + hs[:, None] / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        tn = ts + hs
        ok = np.ones(idx.size, dtype=bool)
        for it in range(3):
            hv, hx, _ = homotopy(xp, tn)
            dx = _csolve(hx, hv)
            xp = xp - dx
            size = np.max(np.abs(dx), axis=1) / (1 + np.max(np.abs(xp), axis=1))
            if it == 0:
                ok &= size < 1e-3
        ok &= (size < 1e-9) & np.all(np.isfinite(xp), axis=1)
        x[idx[ok]], t[idx[ok]] = xp[ok], tn[ok]
        streak[idx[ok]] += 1
        streak[idx[~ok]] = 0
        h[idx[~ok]] = hs[~ok] / 2
        grow = idx[ok & (streak[idx] >= 3)]
        h[grow] = np.minimum(2 * h[grow], 0.2)
        done = idx[ok & (tn >= 1)]
        good[done], active[done] = True, False
        lost = idx[(h[idx] < 1e-10) | (np.max(np.abs(x[idx]), axis=1) > 1e8)]
        active[lost] = False
    return HomotopyResult(_polish(system, x[good]), m, int(m - good.sum()))


def real_homotopy_roots(system: SupportSystem, *, scale: float, seed: int = 0) -> tuple[list[NumericRoot], int] | None:
    """The real path ends, polished by real Newton steps, and the number of failed paths (None: not
    applicable).

    Examples
    --------
    >>> system = SupportSystem(np.array([[[3, 1], [0, 2]], [[2, 1], [0, 3]]], dtype=float), ((0, 1), (0, 1)))
    >>> roots, failed = real_homotopy_roots(system, scale=3.0)
    >>> [np.round(r.v, 4).tolist() for r in roots], failed
    ([[0.75, 0.25]], 0)
    """
    result = homotopy_roots(system, seed=seed)
    if result is None:
        return None
    ends = result.ends
    size = 1 + np.max(np.abs(ends), axis=1, initial=0.0)
    real = ends[np.max(np.abs(ends.imag), axis=1, initial=0.0) <= 1e-7 * size].real
    roots: list[NumericRoot] = []
    for v in real:
        for _ in range(3):
            jac = system.jacobian(v[None])
            try:
                v = v - np.linalg.solve(jac[0], system.residual(v[None])[0])
            except np.linalg.LinAlgError:
                break
        res = float(np.max(np.abs(system.residual(v[None])[0]), initial=0.0))
        if res > 1e-9 * scale or any(np.max(np.abs(v - r.v), initial=0.0) < 1e-7 for r in roots):
            continue
        singular = bool(np.linalg.cond(system.jacobian(v[None])[0]) > 1e10)
        roots.append(NumericRoot(v, res, singular))
    return roots, result.failed


def _polish(system: SupportSystem, x: npt.NDArray[Any]) -> npt.NDArray[Any]:
    for _ in range(4):
        if x.shape[0] == 0:
            break
        x = x - _csolve(system.jacobian(x), system.residual(x))
    return x


def _csolve(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[Any]:
    try:
        return np.asarray(np.linalg.solve(a, b[..., None])[..., 0])
    except np.linalg.LinAlgError:
        ah = np.conj(np.swapaxes(a, 1, 2))
        normal = ah @ a
        mu = 1e-12 * (np.real(np.trace(normal, axis1=1, axis2=2)) + 1e-300)
        return np.asarray(np.linalg.solve(normal + mu[:, None, None] * np.eye(a.shape[1]), ah @ b[..., None])[..., 0])


def _crandn(rng: np.random.Generator, size: int) -> npt.NDArray[np.complex128]:
    return rng.standard_normal(size) + 1j * rng.standard_normal(size)
