"""Random parameter points of a model: the sample behind "complete on 99.9 % of random points".

Each numeric parameter is drawn independently and uniformly: probabilities and rates on ``[0, 1]``, every other
parameter on ``[lo, lo + 2 d]`` with ``lo`` the left end of its domain and ``d`` its default (``d = 5`` when the
default is 0); the price is at least 1, and a counterfeit's cost (value) is a uniform fraction of the genuine
item's, so every point is valid.

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.get("direct", variant="extended")
>>> pts = random_points(m, 3, seed=0)
>>> len(m.batch(**pts)), bool((pts["cost_counterfeit"] <= pts["cost_genuine"]).all())
(3, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_random_state
from ._checks import ORDERED

__all__ = ["random_points"]


def random_points(model: Any, n: int, *, seed: Any = None) -> dict[str, np.ndarray]:
    """``n`` random points of ``model``'s numeric parameters (module docstring), as arrays for ``model.batch``.

    ``hunter_share`` is left out under free hunter entry (it is an outcome there).
    """
    rng = check_random_state(seed)
    out: dict[str, np.ndarray] = {}
    for name in model.numeric_names:
        if name == "hunter_share" and model.free_entry:
            continue
        par = model.parameter(name)
        if par.unit in ("probability", "rate"):
            out[name] = rng.uniform(0.0, 1.0, n)
        else:
            lo = float(par.domain.left or 0.0)
            default = float(par.default)
            out[name] = rng.uniform(lo, lo + 2.0 * (default if default > 0 else 5.0), n)
    for small, large in ORDERED:
        if small in out and large in out:
            out[small] = out[large] * rng.uniform(0.0, 1.0, n)
    if "price" in out:
        out["price"] = np.maximum(out["price"], 1.0)
    return out
