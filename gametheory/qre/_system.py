r"""The logit QRE equations of a batch of same-shaped games, their Jacobian and the profiles' regrets.

A point of the logit correspondence of an n-player game is ``x = (y, lambda)``, ``y`` the logarithms of every
player's strategy probabilities stacked player after player (length :math:`M = \sum_i s_i`). It solves the
:math:`M` equations

.. math::

    \sum_j e^{y_{ij}} - 1 = 0, \qquad
    y_{ij} - y_{i1} - \lambda\,\big(u_i(j, \sigma_{-i}) - u_i(1, \sigma_{-i})\big) = 0 \quad (j = 2..s_i),

that is :math:`\sigma_{ij} \propto e^{\lambda u_i(j, \sigma_{-i})}`. Their Jacobian has the entries
:math:`\partial / \partial y_{km}` of the ratio rows :math:`-\lambda\,\sigma_{km}\,(u_i(j, m, \cdot) -
u_i(1, m, \cdot))` for :math:`k \ne i` (the payoff against ``m`` and the others' mixes) and :math:`\pm 1` for
``k = i``; the sum rows have :math:`\sigma_{im}`; the column of :math:`\lambda` holds the payoff differences
with a minus sign. Everything here is numpy over the whole batch (leading axis ``g``), no loop over games.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

@dataclass(frozen=True, eq=False)
class LogitSystem:
    """The QRE equations of ``payoffs`` (``(N, n, s_1, ..., s_n)``, float64) as functions of ``x`` (``(N, M+1)``)."""

    payoffs: FloatArray
    shape: tuple[int, ...] = field(init=False)
    offsets: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        shape = tuple(int(s) for s in self.payoffs.shape[2:])
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "offsets", tuple(int(o) for o in np.concatenate([[0], np.cumsum(shape)])))

    @property
    def n_players(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        """``M``, the number of log-probabilities (and of equations)."""
        return self.offsets[-1]

    def take(self, index: npt.NDArray[np.intp]) -> LogitSystem:
        """The system of the games ``index`` only."""
        return LogitSystem(self.payoffs[index])

    # ------------------------------------------------------------------ profiles and payoffs
    def split(self, flat: FloatArray) -> list[FloatArray]:
        """``(N, M)`` stacked per-player vectors -> one ``(N, s_i)`` array per player."""
        return [flat[:, self.offsets[i]: self.offsets[i + 1]] for i in range(self.n_players)]

    def start(self, n_games: int) -> FloatArray:
        """``x`` at lambda = 0: every player mixes uniformly."""
        y = np.concatenate([np.full(s, -np.log(s)) for s in self.shape])
        return np.tile(np.append(y, 0.0), (n_games, 1))

    def cross_payoffs(self, sigma: list[FloatArray], i: int, k: int) -> FloatArray:
        """``C[g, j, m] = u_i(j, m, sigma_{-ik})``: player i's payoff from ``j`` when player ``k`` plays ``m``.

        The other players' axes are summed out one at a time, last first, as an explicit sum over their few
        strategies (elementwise products over the whole batch: faster than ``einsum`` or axis reductions on
        batches of tiny tables).
        """
        table = self.payoffs[:, i]
        for j in reversed(range(self.n_players)):
            if j not in (i, k):
                table = _contract(table, j + 1, sigma[j])
        return table if i < k else np.swapaxes(table, 1, 2)

    def deviation_payoffs(self, sigma: list[FloatArray]) -> list[FloatArray]:
        """``u_i(j, sigma_{-i})`` for every player ``i``: one ``(N, s_i)`` array each."""
        n = self.n_players
        if n == 1:
            return [self.payoffs[:, 0]]
        out = []
        for i in range(n):
            k = 1 if i == 0 else 0
            out.append(_contract(self.cross_payoffs(sigma, i, k), 2, sigma[k]))
        return out

    def regrets(self, sigma: list[FloatArray]) -> FloatArray:
        """The largest gain from a unilateral deviation at each profile, ``(N,)``."""
        worst = np.zeros(sigma[0].shape[0])
        for s, u in zip(sigma, self.deviation_payoffs(sigma), strict=True):
            worst = np.maximum(worst, u.max(axis=1) - np.einsum("gj,gj->g", s, u))
        return worst

    # ------------------------------------------------------------------ equations
    def residual(self, x: FloatArray) -> FloatArray:
        """``H(x)``, shape ``(N, M)``."""
        y, lam = x[:, :-1], x[:, -1]
        sigma = self.split(np.exp(y))
        return self._rows(y, lam, sigma, self.deviation_payoffs(sigma))

    def residual_and_jacobian(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``H(x)`` ``(N, M)`` and its Jacobian ``(N, M, M+1)`` (the last column is ``dH/dlambda``)."""
        y, lam = x[:, :-1], x[:, -1]
        sigma = self.split(np.exp(y))
        n, o, m_size = self.n_players, self.offsets, self.size
        jac = np.zeros((x.shape[0], m_size, m_size + 1))
        payoffs: list[FloatArray] = []
        for i in range(n):
            rows = slice(o[i] + 1, o[i + 1])
            jac[:, o[i], o[i]: o[i + 1]] = sigma[i]  # the sum-to-one row
            jac[:, rows, o[i]] = -1.0
            jac[:, rows, o[i] + 1: o[i + 1]] += np.eye(self.shape[i] - 1)
            u_i = self.payoffs[:, 0] if n == 1 else None
            for k in range(n):
                if k == i:
                    continue
                cross = self.cross_payoffs(sigma, i, k)  # (N, s_i, s_k)
                if u_i is None:
                    u_i = _contract(cross, 2, sigma[k])
                diff = cross[:, 1:, :] - cross[:, :1, :]
                jac[:, rows, o[k]: o[k + 1]] = -lam[:, None, None] * diff * sigma[k][:, None, :]
            assert u_i is not None
            payoffs.append(u_i)
            jac[:, rows, -1] = -(u_i[:, 1:] - u_i[:, :1])
        return self._rows(y, lam, sigma, payoffs), jac

    def _rows(self, y: FloatArray, lam: FloatArray, sigma: list[FloatArray], u: list[FloatArray]) -> FloatArray:
        out = np.empty_like(y)
        o = self.offsets
        for i in range(self.n_players):
            out[:, o[i]] = sigma[i].sum(axis=1) - 1.0
            logs = y[:, o[i]: o[i + 1]]
            out[:, o[i] + 1: o[i + 1]] = (logs[:, 1:] - logs[:, :1]) - lam[:, None] * (u[i][:, 1:] - u[i][:, :1])
        return out


def _contract(table: FloatArray, axis: int, weights: FloatArray) -> FloatArray:
    """``sum_m table[..., m (at axis), ...] * weights[g, m]`` for a table whose axis 0 is the game."""
    shape = (weights.shape[0],) + (1,) * (table.ndim - 2)
    lead = (slice(None),) * axis
    out = table[(*lead, 0)] * weights[:, 0].reshape(shape)
    for m in range(1, weights.shape[1]):
        out += table[(*lead, m)] * weights[:, m].reshape(shape)
    return out
