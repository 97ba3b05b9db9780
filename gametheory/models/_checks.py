"""Checks across parameters (a fake never costs or is worth more than the genuine item) and variant helpers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["ORDERED", "EXTENDED_STRATEGIES", "absent_strategies", "check_order"]

#: (smaller, larger) pairs that must hold at every parameter point
ORDERED = (("cost_counterfeit", "cost_genuine"), ("value_counterfeit", "value_genuine"))
#: every strategy label of the extended games (a game without one sets its indicator to 0)
EXTENDED_STRATEGIES = (("Genuine", "Counterfeit", "NonDelivery"), ("Accept", "Verify", "Abstain", "FalseClaim"),
                       ("Lax", "Audit"), ("Pass", "Hunt"))


def absent_strategies(strategies: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Strategy labels of the extended game that this game does not have (their indicators are 0).

    Examples
    --------
    >>> absent_strategies([["Genuine", "Counterfeit"], ["Accept", "Verify"], ["Lax", "Audit"]])[:2]
    ('Abstain', 'FalseClaim')
    """
    everything = {s for group in EXTENDED_STRATEGIES for s in group}
    present = {s for group in strategies for s in group}
    return tuple(sorted(everything - present))


def check_order(owner: str, values: Mapping[str, Any]) -> None:
    """Raise the standard error where a counterfeit cost (value) exceeds the genuine one, vectorised.

    Examples
    --------
    >>> check_order("direct", {"cost_counterfeit": np.array([10.0, 20.0]), "cost_genuine": 60.0})
    """
    for small, large in ORDERED:
        if small in values and large in values:
            bad = np.asarray(values[small]) > np.asarray(values[large])
            if np.any(bad):
                i = np.flatnonzero(np.ravel(bad))[0]
                got = float(np.ravel(np.broadcast_to(values[small], np.shape(bad)))[i])
                limit = float(np.ravel(np.broadcast_to(values[large], np.shape(bad)))[i])
                raise InvalidParameterError(
                    f"The {small!r} parameter of {owner} must be a float in [0, {large}] (here {limit:g}). "
                    f"Got {got!r} instead."
                )
