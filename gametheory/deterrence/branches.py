r"""Where an equilibrium branch ends, exactly: roots of its support system's conditions along one parameter.

Fix every parameter but one, :math:`\theta`, and a support :math:`S = (S_1, \dots, S_n)`. With the payoffs
polynomials in :math:`\theta` (:func:`.breakpoints.polynomial_tables`), an equilibrium with support :math:`S`
solves the *support system*

.. math::

    u_i(s, \sigma_{-i}; \theta) = v_i \quad (s \in S_i), \qquad \sum_{s \in S_i} \sigma_i(s) = 1,

square in the unknowns :math:`(\sigma_i(s))_{s \in S_i}, v_i`. Where its Jacobian is regular its solution
:math:`\sigma(\theta)` is an analytic branch, and it stays an equilibrium while every *condition* keeps its sign:
:math:`\sigma_i(s) > 0` (:math:`s \in S_i`) and :math:`v_i - u_i(t, \sigma_{-i}) > 0` (:math:`t \notin S_i`). The
branch ends where one of them vanishes, a root of an algebraic function of :math:`\theta`; the deciding rate may
also change where the branch's counterfeit rate (the rate table's multilinear extension) crosses the target.

:func:`branch_events` follows every equilibrium the solver lists at one end of a bracket :math:`[a, b]` towards
the other (Newton's method on the support system, a predictor from the last two steps), finds the first step
at which a condition changes sign, and solves for its root with Brent's method, each value of the condition
read from the support system solved by Newton's method: the root of the model's formulas to double precision,
not a bisection of the solver's verdict.

A degenerate game has continua of equilibria, and the solver lists their extreme points: there the support system
is singular (e.g. nobody buys, so the seller's payoffs do not depend on its mix and its indifferences say nothing
of it). An extreme point is instead fixed by the conditions that bound the continuum: the unused strategies that
are *tied* (:math:`u_i(t, \sigma_{-i}) = v_i`, :math:`t \notin S_i`) join the system as equations,

.. math::

    u_i(s, \sigma_{-i}; \theta) = v_i \quad (s \in S_i \cup T_i), \qquad \sum_{s \in S_i} \sigma_i(s) = 1,

with :math:`T_i` the tied strategies, an overdetermined system whose Jacobian has full column rank at an extreme
point. It is solved by Gauss-Newton steps (least squares; exact for a consistent system), and followed like a
branch: as the parameter moves, the extreme point moves along polynomial equations of the model, and it stops
being one where a probability or an untied condition vanishes, again a root of the formulas.

Where Newton's method loses a branch between two steps, the branch may *fold*: two equilibria merge and vanish
(the Jacobian is singular there). The branch is then parametrised by its fastest-moving probability, regular
through a simple fold, and the fold is the extreme parameter value along it, located by golden sections (exact to
double precision, the parameter being quadratic in that probability there). An extreme point whose tied
conditions stop holding together (the system is no longer consistent), a system without full column rank (a
continuum not fixed by its conditions), or a loss that is not a fold cannot be followed; the function then
returns None and the caller falls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Event", "branch_events", "limit_rate"]

FloatArray = npt.NDArray[np.float64]
#: a probability above this is in the support
SUPPORT_TOL = 1e-9
#: steps of the path from one end of the bracket to the other
STEPS = 12
#: Newton iterations per solve, and the residual (relative to the payoff scale) that counts as solved
NEWTON_ITER = 30
NEWTON_RTOL = 1e-13
#: a condition within this (relative to the payoff scale) of zero at the start cannot be followed
TIED_RTOL = 1e-9


@dataclass(frozen=True)
class Event:
    """A root along a branch: ``value``, and which condition vanishes there (``why``)."""

    value: float
    why: str


class _Tables:
    """The payoffs and the rate table at any parameter value of one segment (polynomial evaluation)."""

    def __init__(self, payoffs: FloatArray, rate: FloatArray | None) -> None:
        self.payoffs, self.rate = payoffs, rate
        self.scale = max(1.0, float(np.abs(payoffs).max()))

    def at(self, theta: float) -> tuple[FloatArray, FloatArray | None]:
        powers = theta ** np.arange(self.payoffs.shape[-1])
        rate = None if self.rate is None else self.rate @ (theta ** np.arange(self.rate.shape[-1]))
        return self.payoffs @ powers, rate


def _contract(table: FloatArray, sigma: list[FloatArray], keep: tuple[int, ...]) -> FloatArray:
    """``table`` with every player's axis not in ``keep`` (sorted, at most two axes) summed against that player's
    mixed strategy.

    Each sum is one matrix-vector product on a contiguous array, without the transposed copies of
    ``np.tensordot`` (3-7 times faster on these tables of a few dozen entries, the cost of following a branch):
    an axis before the first kept one is summed as the leading axis, ``sigma_k @ table.reshape(s_k, -1)``; one
    after the last kept one as the trailing axis, ``table @ sigma_k``; and one between the two kept axes as the
    second-to-last, ``sigma_k @ table`` (a stack of matrices).
    """
    out = table
    first = keep[0] if keep else len(sigma)
    last = keep[-1] if keep else first
    for k in range(first):
        out = (sigma[k] @ out.reshape(out.shape[0], -1)).reshape(out.shape[1:])
    for k in range(len(sigma) - 1, last, -1):
        out = out @ sigma[k]
    for k in range(last - 1, first, -1):
        out = sigma[k] @ out
    return out


def _others(size: int, used: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The strategies ``0..size-1`` not in ``used``, in order (``np.setdiff1d`` without its sort, whose
    ``np.unique`` imports ``numpy.ma``: 15 ms of a command-line query)."""
    free = np.ones(size, dtype=bool)
    free[used] = False
    return np.flatnonzero(free)


class _System:
    """The support system of one support, with the tied strategies' indifferences: residual, Jacobian, and the
    conditions of an equilibrium (``tied[i]``: player i's unused strategies whose indifference is an equation)."""

    def __init__(self, support: list[FloatArray], shape: tuple[int, ...], names: list[str],
                 labels: list[list[str]], tied: list[FloatArray] | None = None) -> None:
        self.support = [np.asarray(s, dtype=np.intp) for s in support]
        self.shape, self.names, self.labels = shape, names, labels
        self.n = len(shape)
        self.offsets = np.cumsum([0] + [len(s) for s in self.support])
        tied = tied if tied is not None else [np.zeros(0, dtype=np.intp)] * self.n
        self.tied = [np.asarray(t, dtype=np.intp) for t in tied]
        self.rows = [np.concatenate([s, t]) for s, t in zip(self.support, self.tied, strict=True)]
        self.untied = [_others(self.shape[i], self.rows[i]) for i in range(self.n)]

    def with_tied(self, tied: list[FloatArray]) -> _System:
        """The same support with these tied strategies' indifferences as equations."""
        return _System(self.support, self.shape, self.names, self.labels, tied)

    def sigma(self, z: FloatArray) -> list[FloatArray]:
        out = []
        for i, s in enumerate(self.support):
            full = np.zeros(self.shape[i])
            full[s] = z[self.offsets[i]:self.offsets[i + 1]]
            out.append(full)
        return out

    def start(self, profile: list[FloatArray], payoffs: FloatArray) -> FloatArray:
        sig = [np.asarray(p, dtype=float) for p in profile]
        values = [float(_contract(payoffs[i], sig, (i,)) @ sig[i]) for i in range(self.n)]
        return np.concatenate([*(sig[i][s] for i, s in enumerate(self.support)), values])

    def residual_jacobian(self, z: FloatArray, payoffs: FloatArray) -> tuple[FloatArray, FloatArray]:
        sig = self.sigma(z)
        m = int(self.offsets[-1])
        size = m + self.n
        height = sum(len(r) for r in self.rows) + self.n
        res, jac = np.zeros(height), np.zeros((height, size))
        row = 0
        for i, r_i in enumerate(self.rows):
            own = None
            for j, s_j in enumerate(self.support):
                if j == i:
                    continue
                pair = _contract(payoffs[i], sig, (min(i, j), max(i, j)))
                pair = pair if i < j else pair.T
                jac[row:row + len(r_i), self.offsets[j]:self.offsets[j + 1]] = pair[r_i][:, s_j]
                own = pair @ sig[j] if own is None else own  # player i's payoff of each strategy
            res[row:row + len(r_i)] = own[r_i] - z[m + i]
            jac[row:row + len(r_i), m + i] = -1.0
            row += len(r_i)
        for i in range(self.n):
            res[row] = z[self.offsets[i]:self.offsets[i + 1]].sum() - 1.0
            jac[row, self.offsets[i]:self.offsets[i + 1]] = 1.0
            row += 1
        return res, jac

    def conditions(self, z: FloatArray, payoffs: FloatArray, rate: FloatArray | None,
                   target: float, scale: float) -> tuple[FloatArray, list[str], float]:
        """Every equilibrium condition (positive while the branch is an equilibrium; the regrets divided by the
        payoff scale), what each says, and the counterfeit rate minus the target (NaN without a rate table)."""
        sig = self.sigma(z)
        m = int(self.offsets[-1])
        values, why = [z[:m]], []
        for i, s_i in enumerate(self.support):
            why += [f"{self.names[i]}'s probability of {self.labels[i][int(s)]} reaches zero" for s in s_i]
        for i in range(self.n):
            unused = self.untied[i]
            if unused.size:
                own = _contract(payoffs[i], sig, (i,))
                values.append((z[m + i] - own[unused]) / scale)
                why += [f"{self.names[i]}'s unused {self.labels[i][int(t)]} becomes a best reply" for t in unused]
        crossing = float("nan") if rate is None else float(_contract(rate, sig, ()) - target)
        return np.concatenate(values), why, crossing


def _newton(system: _System, z: FloatArray, payoffs: FloatArray, scale: float) -> FloatArray | None:
    for _ in range(NEWTON_ITER):
        res, jac = system.residual_jacobian(z, payoffs)
        if np.abs(res).max() <= NEWTON_RTOL * scale:
            return z
        try:  # square: Newton's step; with tied strategies, Gauss-Newton's (least squares)
            step = np.linalg.solve(jac, res) if jac.shape[0] == jac.shape[1] else np.linalg.lstsq(jac, res)[0]
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(step)):
            return None
        z = z - step
    res, _ = system.residual_jacobian(z, payoffs)
    return z if np.abs(res).max() <= 1e3 * NEWTON_RTOL * scale else None


def _regular(system: _System, z: FloatArray, payoffs: FloatArray) -> bool:
    """Full column rank: the system fixes the point."""
    _, jac = system.residual_jacobian(z, payoffs)
    sv = np.linalg.svd(jac, compute_uv=False)
    return bool(sv[-1] > 1e-10 * sv[0])


def branch_events(payoffs: FloatArray, rate: FloatArray | None, names: list[str], labels: list[list[str]],
                  target: float,
                  ends: tuple[float, float], profiles: tuple[list[list[FloatArray]], list[list[FloatArray]]]
                  ) -> list[Event] | None:
    """Every end of an equilibrium branch, and every crossing of the target by a branch's rate, in ``(a, b)``.

    Parameters
    ----------
    payoffs, rate : ndarray
        :func:`.breakpoints.polynomial_tables` on the segment that holds ``[a, b]``.
    names, labels : list
        The players and their strategies (for the descriptions).
    target : float
        The target rate.
    ends : (float, float)
        The bracket ``(a, b)``.
    profiles : (list, list)
        The equilibria listed at ``a`` and at ``b`` (each a list of mixed strategies, one per player).

    Returns
    -------
    list of Event or None
        The roots, sorted (each branch followed from each end up to where it stops being an equilibrium); None
        when some branch cannot be followed (a singular support system: a continuum, or a fold).

    Examples
    --------
    A 2x2 game: the row player gets 1 at (T, L) and :math:`\\theta` at (B, R), the column player 1 off the
    diagonal. For :math:`\\theta < 0`, (T, R) is the only equilibrium; for :math:`\\theta > 0` the only one is
    mixed, the column playing L with probability :math:`\\theta / (1 + \\theta)`. Both branches end at 0:

    >>> import numpy as np
    >>> pay = np.zeros((2, 2, 2, 2))                     # (player, row, column, power of theta)
    >>> pay[0, 0, 0, 0] = pay[0, 1, 1, 1] = 1.0          # row: 1 at (T, L), theta at (B, R)
    >>> pay[1, 0, 1, 0] = pay[1, 1, 0, 0] = 1.0          # column: 1 off the diagonal
    >>> at_a = [[np.array([1.0, 0.0]), np.array([0.0, 1.0])]]            # (T, R) at theta = -0.5
    >>> at_b = [[np.array([0.5, 0.5]), np.array([1 / 3, 2 / 3])]]        # the mixed one at theta = 0.5
    >>> events = branch_events(pay, None, ["row", "column"], [["T", "B"], ["L", "R"]], 0.0, (-0.5, 0.5),
    ...                        (at_a, at_b))
    >>> [(abs(round(e.value, 12)), e.why) for e in events]
    [(0.0, "row's unused B becomes a best reply"), (0.0, "column's probability of L reaches zero")]
    """
    tables = _Tables(payoffs, rate)
    shape = payoffs.shape[1:-1]
    a, b = ends
    out: list[Event] = []
    for start, stop, listed, other in ((a, b, profiles[0], profiles[1]), (b, a, profiles[1], profiles[0])):
        u0, _ = tables.at(start)
        for profile in listed:
            found = _follow(tables, shape, (names, labels), target, start, stop, profile, u0)
            if found is None and not _listed(profile, other):
                return None  # a singular branch that changes between the ends: not followed
            out += found or []
    return sorted(out, key=lambda e: e.value)


def limit_rate(payoffs: FloatArray, rate: FloatArray, profile: list[FloatArray], start: float, stop: float,
               tol: float) -> float | None:
    """The counterfeit rate at ``stop`` of the equilibrium branch through ``profile`` at ``start`` (close to it:
    one Newton solve), when the point found there is an equilibrium of the game at ``stop`` (regret at most
    ``tol`` times the payoff scale, a profile of mixed strategies); None otherwise.

    By upper hemicontinuity the end of a branch is an equilibrium at a breakpoint; checked by its regret, it
    decides a worst-case criterion there when its rate fails the target, without solving the breakpoint's
    (degenerate) game.
    """
    tables = _Tables(payoffs, rate)
    shape = payoffs.shape[1:-1]
    text = ([f"player {i}" for i in range(len(shape))], [[str(s) for s in range(k)] for k in shape])
    found = _start(tables, shape, text, profile, tables.at(start)[0])
    if found is None:
        return None
    system, z = found
    u, r = tables.at(stop)
    z = _newton(system, z, u, tables.scale)
    if z is None or r is None:
        return None
    sig = system.sigma(z)
    if any((p < -SUPPORT_TOL).any() for p in sig):
        return None
    sig = [np.clip(p, 0.0, None) / np.clip(p, 0.0, None).sum() for p in sig]
    for i in range(len(shape)):
        own = _contract(u[i], sig, (i,))
        if own.max() - own @ sig[i] > tol * tables.scale:
            return None
    return float(_contract(r, sig, ()))


def _listed(profile: list[FloatArray], others: list[list[FloatArray]]) -> bool:
    """True when the same profile is listed among ``others`` (an equilibrium that does not move)."""
    return any(all(np.abs(np.asarray(p) - np.asarray(q)).max() <= SUPPORT_TOL for p, q in zip(profile, o, strict=True))
               for o in others)


def _follow(tables: _Tables, shape: tuple[int, ...], text: tuple[list[str], list[list[str]]], target: float,
            start: float, stop: float, profile: list[FloatArray], u0: FloatArray) -> list[Event] | None:
    """The events of one branch from ``start`` towards ``stop`` (None: it cannot be followed)."""
    system = _start(tables, shape, text, profile, u0)
    if system is None:
        return None
    system, z = system
    scale = tables.scale
    _, r0 = tables.at(start)
    cond0, why, cross0 = system.conditions(z, u0, r0, target, scale)
    # the tied strategies are equations of the system: they stay tied along the branch, or Newton's method finds
    # no solution (the start was a degenerate point, not a branch to follow); a probability tied at zero is one
    # the solver reports as used, e.g. a mix at the end of a continuum, and is not followed either
    tied = np.abs(cond0) <= TIED_RTOL
    sign_cross = np.sign(cross0) if abs(cross0) > TIED_RTOL else 0.0
    prev_t, prev_z, older_z = start, z, None
    events: list[Event] = []
    for t in np.linspace(start, stop, STEPS + 1)[1:]:
        guess = prev_z if older_z is None else 2 * prev_z - older_z
        u, r = tables.at(float(t))
        z = _newton(system, guess, u, scale)
        if z is None:
            z = _newton(system, prev_z, u, scale)
        if z is None:  # the branch may turn back: two equilibria merge between prev_t and t
            end = _fold(system, tables, prev_t, float(t), prev_z)
            if end is None:
                return None
            u, r = tables.at(end[0])
            cond, _, cross = system.conditions(end[1], u, r, target, scale)
            if (cond[~tied] <= 0).any() or (sign_cross and np.sign(cross) != sign_cross):
                return None  # something else happened first on the way: not followed
            return [*events, Event(float(end[0]), "two equilibria merge (the support system folds)")]
        cond, _, cross = system.conditions(z, u, r, target, scale)
        if (np.abs(cond[tied]) > TIED_RTOL).any():
            return None
        hits = []
        for j in np.flatnonzero((cond <= 0) & ~tied):
            root = _root(system, tables, prev_t, float(t), prev_z, lambda zz, uu, rr, j=j:
                         system.conditions(zz, uu, rr, target, scale)[0][j])
            if root is None:
                return None
            hits.append(Event(root, why[j]))
        if sign_cross and np.isfinite(cross) and np.sign(cross) != sign_cross and cross != 0:
            root = _root(system, tables, prev_t, float(t), prev_z,
                         lambda zz, uu, rr: system.conditions(zz, uu, rr, target, scale)[2])
            if root is None:
                return None
            events.append(Event(root, "a branch's counterfeit rate equals the target"))
            sign_cross = np.sign(cross)
        if hits:
            first = min(hits, key=lambda e: abs(e.value - start))
            events = [e for e in events if abs(e.value - start) <= abs(first.value - start)]
            return [*events, first]
        older_z, prev_z, prev_t = prev_z, z, float(t)
    return events


def _start(tables: _Tables, shape: tuple[int, ...], text: tuple[list[str], list[list[str]]],
           profile: list[FloatArray], u0: FloatArray) -> tuple[_System, FloatArray] | None:
    """The system of a listed equilibrium and its solution there: the support system, or, where that is singular
    (an extreme point of a continuum), the support system with the tied strategies' indifferences added."""
    support = [np.flatnonzero(np.asarray(p) > SUPPORT_TOL) for p in profile]
    system = _System(support, shape, *text)
    scale = tables.scale
    guess = system.start(profile, u0)
    z = _newton(system, guess, u0, scale)
    if z is not None and _regular(system, z, u0):
        return system, z
    sig = [np.asarray(p, dtype=float) for p in profile]
    tied = []
    for i in range(len(shape)):
        own = _contract(u0[i], sig, (i,))
        value = float(own @ sig[i])
        unused = _others(shape[i], support[i])
        tied.append(unused[np.abs(value - own[unused]) <= TIED_RTOL * scale])
    system = system.with_tied(tied)
    z = _newton(system, guess, u0, scale)
    if z is None or not _regular(system, z, u0):
        return None
    return system, z


def _fold(system: _System, tables: _Tables, lo: float, hi: float, z_lo: FloatArray
          ) -> tuple[float, FloatArray] | None:
    """Where the branch followed from ``lo`` towards ``hi`` turns back, when it does before ``hi``: the extreme
    parameter value along it. The branch is parametrised by the probability that moves fastest at ``lo`` (regular
    through a simple fold), each point solved by Newton's method in the other unknowns and the parameter; the
    extreme is located by golden sections, and, the parameter being quadratic in that probability there, is exact
    to double precision. Returns ``(value, solution)`` or None (no fold found between)."""
    sign = 1.0 if hi > lo else -1.0
    jac, (slope, _) = _jacobian_and_slope(system, tables, z_lo, lo)
    tangent = np.linalg.lstsq(jac, -slope, rcond=None)[0]  # dz / dtheta
    m = int(system.offsets[-1])
    j = int(np.argmax(np.abs(tangent[:m])))
    if not np.isfinite(tangent[j]) or tangent[j] == 0:
        return None
    keep = np.arange(z_lo.size) != j

    def point(s: float, theta: float, z: FloatArray) -> tuple[float, FloatArray] | None:
        z = z.copy()
        z[j] = s
        for _ in range(NEWTON_ITER):
            jac, (slope, res) = _jacobian_and_slope(system, tables, z, theta)
            if np.abs(res).max() <= NEWTON_RTOL * tables.scale:
                return theta, z
            full = np.column_stack([jac[:, keep], slope])
            delta = np.linalg.lstsq(full, res, rcond=None)[0]
            if not np.all(np.isfinite(delta)):
                return None
            z[keep] += delta[:-1]
            theta += float(delta[-1])
        return None

    def predicted(s: float) -> tuple[float, FloatArray]:
        """Along the secant of the last two points (the tangent at the first)."""
        if len(path) == 1:
            dtheta = (s - z_lo[j]) / tangent[j]
            return lo + dtheta, z_lo + tangent * dtheta
        (s1, t1, z1), (s2, t2, z2) = path[-2], path[-1]
        w = (s - s2) / (s2 - s1)
        return t2 + w * (t2 - t1), z2 + w * (z2 - z1)

    step = np.sign(tangent[j]) * sign * abs(tangent[j]) * abs(hi - lo) / 8.0
    path = [(float(z_lo[j]), lo, z_lo)]
    while len(path) < 80:
        for _ in range(12):  # halve the step until the corrector converges
            s = path[-1][0] + step
            found = point(s, *predicted(s))
            if found is not None:
                break
            step /= 2.0
        else:
            return None
        path.append((s, *found))
        if sign * (found[0] - hi) >= 0:
            return None  # the branch reaches hi: Newton's method had failed for another reason
        if len(path) >= 3 and sign * path[-1][1] < sign * path[-2][1]:
            break
    else:
        return None
    a, b = sorted((path[-3][0], path[-1][0]))
    best = path[-2]
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    x1, x2 = b - ratio * (b - a), a + ratio * (b - a)
    f1, f2 = point(x1, best[1], best[2]), point(x2, best[1], best[2])
    for _ in range(100):  # golden sections: sign * theta is largest inside (a, b)
        if f1 is None or f2 is None:
            return None
        if b - a <= 1e-13 * (1.0 + abs(b)):
            break
        if sign * f1[0] > sign * f2[0]:
            b, x2, f2 = x2, x1, f1
            x1 = b - ratio * (b - a)
            f1 = point(x1, *f2)
        else:
            a, x1, f1 = x1, x2, f2
            x2 = a + ratio * (b - a)
            f2 = point(x2, *f1)
    if f1 is None or f2 is None:
        return None
    theta, z = max((f1, f2, best[1:]), key=lambda f: sign * f[0])
    return (theta, z) if sign * (theta - lo) > 0 and sign * (hi - theta) > 0 else None


def _jacobian_and_slope(system: _System, tables: _Tables, z: FloatArray, theta: float
                        ) -> tuple[FloatArray, tuple[FloatArray, FloatArray]]:
    """The system's Jacobian in the unknowns at ``(z, theta)``, and (its derivative in theta, by a central
    difference on the polynomial tables; minus its residual)."""
    u, _ = tables.at(theta)
    res, jac = system.residual_jacobian(z, u)
    h = 1e-6 * (1.0 + abs(theta))
    plus = system.residual_jacobian(z, tables.at(theta + h)[0])[0]
    minus = system.residual_jacobian(z, tables.at(theta - h)[0])[0]
    return jac, ((plus - minus) / (2.0 * h), -res)


def _root(system: _System, tables: _Tables, lo: float, hi: float, z_lo: FloatArray, condition: Any) -> float | None:
    """The root of one condition along the branch between ``lo`` (where it is positive) and ``hi`` (Brent)."""
    memo = {"z": z_lo}

    def f(t: float) -> float:
        u, r = tables.at(t)
        z = _newton(system, memo["z"], u, tables.scale)
        if z is None:
            raise _Lost
        memo["z"] = z
        return float(condition(z, u, r))

    try:
        f_lo, f_hi = f(lo), f(hi)
        if f_lo == 0:
            return lo
        if f_hi == 0:
            return hi
        if np.sign(f_lo) == np.sign(f_hi):
            return None
        return _brent(f, lo, hi, f_lo, f_hi)
    except _Lost:
        return None


def _brent(f: Any, a: float, b: float, fa: float, fb: float, maxiter: int = 200) -> float:
    """Brent's method on a bracket with ``fa``, ``fb`` of opposite signs, to the last bits of ``b`` (written out
    here: importing :mod:`scipy.optimize` for it costs a single-point query a quarter of a second)."""
    eps = np.finfo(float).eps
    c, fc, d = a, fa, b - a
    e = d
    for _ in range(maxiter):
        if np.sign(fb) == np.sign(fc):
            c, fc, d = a, fa, b - a
            e = d
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2.0 * eps * abs(b) + 0.5e-15
        m = 0.5 * (c - b)
        if abs(m) <= tol or fb == 0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):  # interpolate: secant or inverse quadratic
            s = fb / fa
            if a == c:
                p, q = 2.0 * m * s, 1.0 - s
            else:
                q, r = fa / fc, fb / fc
                p = s * (2.0 * m * q * (q - r) - (b - a) * (r - 1.0))
                q = (q - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0:
                q = -q
            p = abs(p)
            if 2.0 * p < min(3.0 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = m
        else:
            d = e = m
        a, fa = b, fb
        b += d if abs(d) > tol else (tol if m > 0 else -tol)
        fb = f(b)
    return b


class _Lost(Exception):
    """Newton's method lost the branch."""
