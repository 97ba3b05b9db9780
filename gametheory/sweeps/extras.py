"""The costlier sweep outputs: deterrence thresholds and stable states of the replicator dynamics.

Both work on the whole chunk at once: :func:`gametheory.dynamics.classify_batch` classifies every rest point of
every game of the batch, and :func:`gametheory.deterrence.min_penalty_multiplier` (or ``min_value`` for another
policy parameter) searches the threshold at every point (``points=``), with the closed form where one exists.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["stable_states", "thresholds", "threshold_options", "THRESHOLD_DEFAULTS"]

#: options of the ``threshold`` output (``[threshold]`` table of a spec)
THRESHOLD_DEFAULTS = {"parameter": "penalty_multiplier", "target_rate": 0.0, "criterion": "all_equilibria",
                      "upper": None, "method": "auto"}


def threshold_options(options: dict[str, Any]) -> dict[str, Any]:
    """The ``threshold`` output's options: a spec's ``[threshold]`` table over :data:`THRESHOLD_DEFAULTS`.

    Examples
    --------
    >>> opts = threshold_options({"target_rate": 0.02})
    >>> opts["target_rate"], opts["parameter"], opts["method"]
    (0.02, 'penalty_multiplier', 'auto')
    """
    return {**THRESHOLD_DEFAULTS, **options}


def stable_states(model: Any, arrays: dict[str, npt.NDArray[np.float64]], n: int) -> dict[str, Any]:
    """``n_stable`` and ``stable_states`` (labels of the stable corners joined by ``" + "``) at every point.

    Parameters
    ----------
    model : Model
        The payment model (fixed parameters).
    arrays : dict
        The chunk's axis values.
    n : int
        Points in the chunk.

    Returns
    -------
    dict of column name -> array
        The three columns above, one entry per point.
        ``n_stable`` (int) and ``stable_states`` (str), one entry per point.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> out = stable_states(gt.models.get("direct"), {"penalty_multiplier": np.array([0.0, 4.0])}, 2)
    >>> out["n_stable"].tolist()
    [1, 0]
    """
    from ..dynamics import classify_batch  # lazy: scipy, sympy

    result = classify_batch(model.batch(**arrays))
    stable = result.stable & result.valid
    shape = tuple(len(s) for s in model.strategies)
    corners = ["/".join(p) for p in itertools.product(*model.strategies)]
    mask = np.zeros(n, dtype=np.int64)
    interior = np.zeros(n, dtype=bool)
    for k in range(stable.shape[1]):
        here = stable[:, k]
        if not here.any():
            continue
        profile = np.nan_to_num(result.profiles[:, k], nan=-1.0)
        picks = [np.argmax(profile[:, i, :s], axis=1) for i, s in enumerate(shape)]
        code = np.ravel_multi_index(picks, shape)
        is_pure = here & result.pure[:, k]
        mask |= np.where(is_pure, np.left_shift(1, code), 0)
        interior |= here & ~result.pure[:, k]
    labels = np.empty(n, dtype=object)
    for value in np.unique(mask):
        names = [corners[c] for c in range(len(corners)) if value >> c & 1]
        labels[mask == value] = " + ".join(names) or "none"
    labels[interior] = [f"{lab} + interior" if lab != "none" else "interior" for lab in labels[interior]]
    labels[np.asarray(result.continuum, dtype=bool)] = "continuum"
    return {"n_stable": np.asarray(result.stable_counts, dtype=np.int64), "stable_states": labels}


def thresholds(
    model: Any, arrays: dict[str, npt.NDArray[np.float64]], n: int, options: dict[str, Any]
) -> dict[str, Any]:
    """``threshold_<parameter>``: the smallest deterring value of a policy parameter at every point (NaN: none);
    ``robust_<parameter>``: the smallest value from which every larger one deters (NaN: none);
    ``monotone_<parameter>``: whether the two coincide (False marks the points where they differ).

    Parameters
    ----------
    model, arrays, n
        As in :func:`stable_states`; an axis equal to the searched parameter is ignored.
    options : dict
        ``parameter`` (default ``penalty_multiplier``), ``target_rate`` (0), ``criterion``
        (``all_equilibria``), ``upper`` (the search bound; the deterrence module's default if None), ``method``
        (``auto``, ``closed_form`` or ``search``, as :func:`gametheory.deterrence.min_value`).

    Returns
    -------
    dict of column name -> array

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> out = thresholds(gt.models.get("direct"), {"deposit": np.array([50.0, 5000.0])}, 2,
    ...                  {"target_rate": 0.02, "method": "search"})
    >>> [round(float(k), 3) for k in out["threshold_penalty_multiplier"]]
    [nan, 2.972]
    """
    from .. import deterrence  # lazy: sympy

    opts = threshold_options(options)
    parameter = str(opts["parameter"])
    points = {k: v for k, v in arrays.items() if k != parameter}
    kwargs: dict[str, Any] = {"target_rate": float(opts["target_rate"]), "criterion": str(opts["criterion"]),
                              "method": str(opts["method"])}
    if opts["upper"] is not None:
        kwargs["bounds"] = (0.0, float(opts["upper"]))
    if points:
        many = deterrence.threshold_map(model, parameter, points=points, **kwargs)
        values, robust, feasible, monotone = many.threshold, many.robust_threshold, many.feasible, many.monotone
    else:
        one = deterrence.min_value(model, parameter, **kwargs)
        values, robust = (np.nan if x is None else x for x in (one.threshold, one.robust_threshold))
        feasible, monotone = one.feasible, one.monotone
    values = np.broadcast_to(np.asarray(values, dtype=float), (n,))
    robust = np.broadcast_to(np.asarray(robust, dtype=float), (n,))
    feasible = np.broadcast_to(np.asarray(feasible, dtype=bool), (n,))
    monotone = np.broadcast_to(np.asarray(monotone, dtype=bool), (n,))
    return {f"threshold_{parameter}": np.where(feasible, values, np.nan), f"robust_{parameter}": robust.copy(),
            f"monotone_{parameter}": monotone.copy()}
