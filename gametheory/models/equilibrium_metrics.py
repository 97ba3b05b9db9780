"""Metrics of a model at the equilibria of a batch: each equilibrium's counterfeit rate, trade rate, or any metric.

A model's metric is a table of its values at the pure profiles (:meth:`symbolic_metrics`); at a mixed profile its
value is the multilinear extension. :func:`metric_values` evaluates it at every equilibrium of a
:class:`~gametheory.BatchSolution` at once, and :func:`extreme_rates` reduces the equilibria of each game to the
largest (or smallest) rate and the trade rate of the play attaining it -- what the deterrence criteria, the QRE
columns and the sequential (leader) games all decide on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["metric_values", "counterfeit_rates", "constant_metric", "extreme_rates", "RATE_TOL"]

FloatArray = npt.NDArray[np.float64]

#: absolute tolerance on rates: ``rate <= target_rate + RATE_TOL`` counts as meeting the target
RATE_TOL = 1e-9


def counterfeit_rates(model: Any, solution: Any, values: dict[str, FloatArray]) -> FloatArray:
    """The counterfeit rate of every equilibrium ``(N, K)``: the metric's multilinear extension.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> model = gt.models.get("direct")
    >>> values = {"penalty_multiplier": np.array([0.0, 4.0])}
    >>> counterfeit_rates(model, gt.solve_batch(model.batch(**values)), values)[:, 0].round(4).tolist()
    [1.0, 0.0154]
    """
    return metric_values(model, solution, values, "counterfeit_rate")


def metric_values(model: Any, solution: Any, values: dict[str, FloatArray], metric: str) -> FloatArray:
    """One metric at every equilibrium ``(N, K)``: the metric's multilinear extension.

    When the metric's pure-profile values are numbers (the counterfeit and trade rates of every built-in core
    model), this is a contraction of the table with the profiles; otherwise the model's ``outcome_arrays``. A
    player whose strategy does not change the table is left out of the contraction (its probabilities sum to
    one): in a core model the counterfeit rate is the seller's probability of Counterfeit and the trade rate 1,
    with no pass over the other players' probabilities.
    """
    table = constant_metric(model, metric)
    if table is None:
        return np.asarray(model.outcome_arrays(solution, **values)[metric], dtype=float)
    n = len(solution.shape)
    keep = [i for i in range(n) if np.ptp(table, axis=i).max(initial=0.0) > 0]
    table = table[tuple(slice(None) if i in keep else 0 for i in range(n))]
    with np.errstate(invalid="ignore"):
        if not keep:  # NaN where an entry is padding
            out: FloatArray = solution.profiles[:, :, 0, 0] * 0.0 + float(table)
            return out
        if len(keep) == 1:  # sum_s table[s] * sigma_i(s) (NaN padding stays NaN)
            i = keep[0]
            out = solution.profiles[:, :, i, 0] * table[0]
            for k in range(1, len(table)):
                out += solution.profiles[:, :, i, k] * table[k]
            return out
        letters = "abcdefgh"[: len(keep)]
        operands = [solution.profiles[:, :, i, : solution.shape[i]] for i in keep]
        spec = ",".join(f"ge{c}" for c in letters) + f",{letters}->ge"
        out = np.einsum(spec, *operands, table)
    return out


_METRIC_CACHE: dict[Any, Any] = {}


def constant_metric(model: Any, metric: str) -> npt.NDArray[np.float64] | None:
    """The metric's values at the pure profiles as a float array ``(s_1, ..., s_n)`` when they are numbers (no
    parameter in them: the counterfeit and trade rates of every built-in core model), else None. Cached per model
    class, variant and options.

    Examples
    --------
    >>> import gametheory as gt
    >>> constant_metric(gt.models.get("escrow"), "counterfeit_rate")[1].tolist()   # seller plays Counterfeit
    [[1.0, 1.0], [1.0, 1.0]]
    """
    key = (type(model), model.variant, tuple(sorted(model.options.items())), metric)
    if key not in _METRIC_CACHE:  # from the cached program: no sympy (the table of symbolic_metrics, flattened)
        entries = model.numeric_functions()["metrics"][metric].constants()
        _METRIC_CACHE[key] = None if entries is None else np.array(entries, dtype=float).reshape(model.shape)
    return _METRIC_CACHE[key]  # type: ignore[no-any-return]


def extreme_rates(rates: FloatArray, trade: FloatArray, valid: npt.NDArray[np.bool_], *,
            largest: bool) -> tuple[FloatArray, FloatArray]:
    r"""The largest (or smallest) rate per game, and the largest trade rate over the equilibria attaining it.

    ``rates`` and ``trade`` are ``(N, K)`` (one value per listed equilibrium, ``valid`` marks the listed ones): the
    result is :math:`r_g = \max_k r_{gk}` (or :math:`\min`) and :math:`t_g = \max\{t_{gk} : |r_{gk} - r_g| \le
    \text{RATE\_TOL}\}`, both ``(N,)``, NaN where game ``g`` lists no equilibrium.

    Examples
    --------
    >>> import numpy as np
    >>> rates, trade = np.array([[0.1, 0.3]]), np.array([[1.0, 0.5]])
    >>> extreme_rates(rates, trade, np.array([[True, True]]), largest=True)
    (array([0.3]), array([0.5]))
    """
    if rates.shape[1] == 0:
        empty = np.full(rates.shape[0], np.nan)
        return empty, empty.copy()
    fill = -np.inf if largest else np.inf
    masked = np.where(valid & np.isfinite(rates), rates, fill)
    out = masked.max(axis=1) if largest else masked.min(axis=1)
    attains = np.isfinite(masked) & (np.abs(masked - out[:, None]) <= RATE_TOL)
    best_trade = np.where(attains & np.isfinite(trade), trade, -np.inf).max(axis=1)
    ok = np.isfinite(out)
    return np.where(ok, out, np.nan), np.where(ok & np.isfinite(best_trade), best_trade, np.nan)


