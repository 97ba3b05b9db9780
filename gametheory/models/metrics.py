r"""Outcome metrics of a payment model: per pure profile as formulas, per equilibrium as numbers.

=====================  ==============================================================================
metric                 meaning (per transaction opportunity: one buyer drawn from the population)
=====================  ==============================================================================
``counterfeit_rate``   probability that a fake reaches a buyer (delivered and kept: under cash on delivery,
                       accepted at the door and paid for); the one definition every model uses
``fakes_shipped``      probability that a fake is sent out (Counterfeit played and an order placed)
``fakes_refused``      probability that a fake is refused at the door (cash on delivery; 0 elsewhere)
``false_claim_rate``   probability that a claim is filed against a genuine item (FalseClaim)
``buyer_surplus``      expected result of the buyers (regular and hunters, weighted by their shares)
``seller_profit``      the seller's expected result
``platform_profit``    the platform's expected result (0 for ``self_operated``: the platform is the seller)
``insurer_result``     premiums received minus cover paid
``welfare``            the sum over every party (players, insurer, regulator/outside): transfers cancel
``funds_held``         buyers' money the platform holds in custody per order (escrow: the price)
``deposit_held``       sellers' deposit money the platform holds (direct: the deposit)
``trade_rate``         probability that an order is placed (0: nothing is sold, so nothing is faked either)
=====================  ==============================================================================

A metric :math:`M` given at pure profiles extends to a mixed profile :math:`\sigma` multilinearly,
:math:`M(\sigma) = \sum_a \prod_j \sigma_j(a_j) M(a)`, exactly as payoffs do.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._lazy import sympy
from ..errors import InvalidParameterError
from .events import Event, party_total, substitute

__all__ = ["METRICS", "symbolic", "outcomes", "outcome_arrays", "metric_arrays", "contract"]

METRICS = ("counterfeit_rate", "fakes_shipped", "fakes_refused", "false_claim_rate", "buyer_surplus",
           "seller_profit", "platform_profit", "insurer_result", "welfare", "funds_held", "deposit_held", "trade_rate")


def symbolic(model: Any, live: Sequence[Sequence[Event]], shares: Mapping[str, Any], absent: Sequence[str]
             ) -> dict[str, sympy.Array]:
    """Metric name -> ``sympy.Array`` over pure profiles, from the live rows of each profile
    (:func:`gametheory.models.events.at_profiles`) and the model's own formulas (what
    :meth:`Model.symbolic_metrics` returns).

    Examples
    --------
    >>> import gametheory as gt
    >>> gt.models.get("escrow").symbolic_metrics()["funds_held"][0, 0, 0]
    p
    """
    parties = sorted({p for rows in live for row in rows for p in row.amounts})
    zero = sympy.Integer(0)
    own = model.metric_expressions()
    values: dict[str, list[Any]] = {name: [] for name in METRICS}
    for rows, prof in zip(live, itertools.product(*map(range, model.shape)), strict=True):
        totals = {p: party_total(rows, p, shares) for p in parties}
        exprs = {
            "buyer_surplus": totals.get("buyer", zero) + totals.get("hunter", zero),
            "seller_profit": totals.get("seller", zero),
            "platform_profit": totals.get("platform", zero),
            "insurer_result": totals.get("insurer", zero),
            "welfare": sum(totals.values(), zero),
        }
        for name, expr in own.items():
            if isinstance(expr, sympy.NDimArray):  # given per pure profile already
                exprs[name] = expr[prof]
            else:
                exprs[name] = substitute(expr, model.strategies, prof, absent)
        for name in METRICS:
            values[name].append(sympy.sympify(exprs[name]))
    return {name: sympy.Array(values[name], model.shape) for name in METRICS}


def contract(tensor: np.ndarray, vectors: Sequence[np.ndarray], lead: int = 0) -> np.ndarray:
    """The multilinear extension: contract the last ``n`` axes of ``tensor`` with one vector per player.

    ``tensor`` has ``lead`` leading batch axes, then ``(s_1, ..., s_n)``; each vector has the same leading axes.

    Examples
    --------
    >>> float(contract(np.array([[1.0, 2.0], [3.0, 4.0]]), [np.array([0.5, 0.5]), np.array([1.0, 0.0])]))
    2.0
    """
    value = tensor
    for vec in reversed(vectors):
        value = np.einsum("...s,...s->...", value, vec.reshape(vec.shape[:lead] + (1,) * (value.ndim - lead - 1)
                                                             + vec.shape[lead:]))
    return value


def _profile_vectors(model: Any, profile: Any) -> list[np.ndarray]:
    profile = getattr(profile, "profile", profile)
    shape = model.shape
    if len(profile) != len(shape):
        raise InvalidParameterError(
            f"A profile of {model.name} must give one strategy or probability vector per player "
            f"({len(shape)}). Got {len(profile)} instead."
        )
    out = []
    for entry, s in zip(profile, shape, strict=True):
        if isinstance(entry, (int, np.integer)):
            vec = np.zeros(s)
            vec[int(entry)] = 1.0
        else:
            vec = np.asarray(entry, dtype=float).ravel()
            if vec.shape != (s,) or not np.all(np.isfinite(vec)) or np.any(vec < -1e-9):
                raise InvalidParameterError(
                    f"A mixed strategy of {model.name} must be {s} non-negative probabilities. Got {entry!r} instead."
                )
        out.append(vec)
    return out


def outcomes(model: Any, profile: Any) -> dict[str, float]:
    r"""Every metric at an equilibrium or profile, at the model's parameters (see :meth:`Model.outcomes`).

    The value at a mixed profile is :math:`M(\sigma) = \sum_a \prod_j \sigma_j(a_j) M(a)`.

    Examples
    --------
    >>> import gametheory as gt
    >>> outcomes(gt.models.get("direct"), [[0.5, 0.5], [1, 0], [1, 0]])["counterfeit_rate"]
    0.5
    """
    vectors = _profile_vectors(model, profile)
    funcs = model.numeric_functions()["metrics"]
    values = model.numeric_values()
    result = {}
    for name in METRICS:
        table = np.array([float(x) for x in funcs[name](*values)]).reshape(model.shape)
        result[name] = float(contract(table, vectors))
    return result


def outcome_arrays(model: Any, solution: Any, **arrays: Any) -> dict[str, np.ndarray]:
    """Metric name -> ``(N, K)`` array for a ``BatchSolution`` of ``model.batch(**arrays)`` (NaN padded).

    The metric tables are evaluated at all ``N`` points at once and contracted with the listed profiles
    (:func:`metric_arrays` for every metric).

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("self_operated")
    >>> sol = gt.solve_batch(m.batch(penalty_multiplier=[4.0, 8.0]))
    >>> outcome_arrays(m, sol, penalty_multiplier=[4.0, 8.0])["counterfeit_rate"].round(4).tolist()
    [[0.0116], [0.0087]]
    """
    return metric_arrays(model, solution, arrays, METRICS)


def metric_arrays(model: Any, solution: Any, arrays: Mapping[str, Any], names: Sequence[str]
                  ) -> dict[str, np.ndarray]:
    r"""The metrics ``names`` as ``(N, K)`` arrays for a ``BatchSolution`` of ``model.batch(**arrays)`` (NaN
    padded): :func:`outcome_arrays` for the metrics a caller needs only.

    Only the listed equilibria are valued (``E`` of the ``N K`` slots): each one's weights of the pure profiles,
    :math:`w_a = \prod_j \sigma_j(a_j)` in C order, are built with the equilibria on the last axis (long inner
    loops), the tables are evaluated at each equilibrium's parameter point, and a metric is
    :math:`\sum_a w_a M(a)` -- one product with the table's constant entries plus one term per entry that varies
    over the points.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct")
    >>> sol = gt.solve_batch(m.batch(penalty_multiplier=[0.0, 4.0]))
    >>> metric_arrays(m, sol, {"penalty_multiplier": [0.0, 4.0]}, ["trade_rate"])["trade_rate"].round(3).tolist()
    [[1.0], [1.0]]
    """
    pts, n = model.numeric_arguments(arrays)
    if len(solution) != n:
        raise InvalidParameterError(
            f"The solution has {len(solution)} games but the parameter arrays give {n} points; pass the arrays "
            f"the batch was built from."
        )
    shape = model.shape
    if tuple(solution.shape) != tuple(shape):
        raise InvalidParameterError(f"The solution is for {solution.shape} games, not {shape} ({model.name}).")
    funcs = model.numeric_functions()["metrics"]
    unknown = [name for name in names if name not in funcs]
    if unknown:
        raise InvalidParameterError(f"The 'names' parameter of metric_arrays must list metrics of {model.name} "
                                    f"({', '.join(funcs)}). Got {unknown[0]!r} instead.")
    profiles = solution.profiles
    games, slots = np.nonzero(~np.isnan(profiles[:, :, 0, 0]))  # the listed equilibria (a valid slot)
    # each listed equilibrium's parameter values: the tables are evaluated once per equilibrium
    args = [pts[k][games] if np.ndim(pts[k]) else pts[k] for k in model.numeric_names]
    listed = np.ascontiguousarray(np.moveaxis(profiles[games, slots], 0, -1))  # (players, max_s, E)
    weights = np.ones((1, games.size))
    for i, s in enumerate(shape):
        weights = (weights[:, None, :] * listed[i, :s][None, :, :]).reshape(-1, games.size)
    out = {}
    for name in names:
        table = funcs[name](*args)  # the metric at each pure profile: a float, or an array over the points
        constant = np.array([0.0 if np.ndim(x) else float(x) for x in table])
        values = constant @ weights
        for c, x in enumerate(table):
            if np.ndim(x):
                values += weights[c] * x
        full = np.full(profiles.shape[:2], np.nan)
        full[games, slots] = values
        out[name] = full
    return out
