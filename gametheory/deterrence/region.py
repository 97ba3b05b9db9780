r"""The deterrence region along one parameter as exact sets: intervals, pieces, breakpoints, three thresholds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .breakpoints import Breakpoint

__all__ = ["Interval", "Piece", "SetBreakpoint", "DeterrenceSet"]

#: status of a point or a piece: the criterion fails / holds with trade / holds only because nothing is sold
FAILS, HOLDS, NO_TRADE = "fails", "holds", "no_trade"


@dataclass(frozen=True)
class Interval:
    """An interval of parameter values, each end closed or open.

    Examples
    --------
    >>> iv = Interval(0.3, 0.369, closed_lower=True, closed_upper=False)
    >>> str(iv), 0.3 in iv, 0.369 in iv
    ('[0.3, 0.369)', True, False)
    """

    lower: float
    upper: float
    closed_lower: bool = True
    closed_upper: bool = True

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, (int, float)):
            return False
        x = float(value)
        above = x > self.lower or (self.closed_lower and x == self.lower)
        below = x < self.upper or (self.closed_upper and x == self.upper)
        return above and below

    def __str__(self) -> str:
        left = "[" if self.closed_lower else "("
        right = "]" if self.closed_upper else ")"
        return f"{left}{self.lower:.10g}, {self.upper:.10g}{right}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return {"lower": self.lower, "upper": self.upper, "closed_lower": self.closed_lower,
                "closed_upper": self.closed_upper}


@dataclass(frozen=True)
class SetBreakpoint(Breakpoint):
    """A :class:`~gametheory.deterrence.breakpoints.Breakpoint` of a computed set (its ``value`` and ``why``; a
    change found by the solver between samples says ``bisection``), with the criterion at the value itself.

    Attributes
    ----------
    rate : float
        The deciding counterfeit rate at the value (NaN: no equilibrium listed). Where the worst case fails at a
        breakpoint of an extended model, the game there is not solved: the ends of the deciding equilibria of the
        pieces beside it, checked by their regrets, decide it, and ``rate`` is the largest of their rates (at most
        the deciding rate).
    status : str
        ``fails``, ``holds`` or ``no_trade`` at the value.
    """

    rate: float
    status: str


@dataclass(frozen=True)
class Piece:
    """An open interval between consecutive breakpoints, on which the equilibrium set keeps its supports.

    Attributes
    ----------
    lower, upper : float
        The ends (not included: they are breakpoints or the bounds).
    regime : str
        The supports of every equilibrium at the interior point, e.g.
        ``seller {Genuine, Counterfeit}, buyer {Accept}, platform {Lax, Audit}``, one equilibrium per ``|``.
    rate : float
        The deciding counterfeit rate at the interior point.
    at : float
        The interior point at which the solver was run.
    status : str
        ``fails``, ``holds`` or ``no_trade`` on the whole piece.
    confirmed : bool
        The solver's verdict is the same at a second interior point and, where the equilibrium types of
        :mod:`.equilibrium_types` apply, its deciding rate equals theirs.
    """

    lower: float
    upper: float
    regime: str
    rate: float
    at: float
    status: str
    confirmed: bool


@dataclass(frozen=True)
class DeterrenceSet:
    r"""Where a deterrence criterion holds along one parameter, exactly: a union of intervals.

    Attributes
    ----------
    model, parameter, criterion : str
        What was computed.
    target_rate : float
        The counterfeit rate the criterion asks for (at most).
    bounds : (float, float)
        The parameter range.
    intervals : tuple of Interval
        The values in ``bounds`` where the criterion holds and something is sold.
    no_trade : tuple of Interval
        The values where it holds only because nothing is sold (no order is placed in the deciding play).
    pieces : tuple of Piece
        The open pieces between breakpoints, with their regime and deciding rate.
    breakpoints : tuple of SetBreakpoint
        The breakpoints inside ``bounds``, in order.
    smallest : float or None
        :math:`\inf` of the set (None when empty): the smallest value that deters.
    robust : float or None
        The smallest value from which every larger value in ``bounds`` deters (None when the upper bound does
        not deter).
    monotone : bool
        True when ``smallest == robust`` (the set is one interval reaching the upper bound, or empty).
    exact : bool
        True when every breakpoint is a root of the model's formulas (games with two strategies per player and a
        criterion that reads the Nash equilibria); False when some were found by bisection with the solver.
    note : str
        What to know about the answer, in words.

    Examples
    --------
    >>> import gametheory as gt
    >>> s = gt.deterrence.deterrence_set(gt.models.get("direct"), target_rate=0.08, bounds=(0.0, 2.0))
    >>> [str(iv) for iv in s.intervals]
    ['(0.3, 0.3692076939)', '[0.6844525393, 2]']
    >>> round(s.smallest, 4), round(s.robust, 4), s.monotone
    (0.3, 0.6845, False)
    """

    model: str
    parameter: str
    criterion: str
    target_rate: float
    bounds: tuple[float, float]
    intervals: tuple[Interval, ...]
    no_trade: tuple[Interval, ...]
    pieces: tuple[Piece, ...]
    breakpoints: tuple[SetBreakpoint, ...]
    smallest: float | None
    robust: float | None
    monotone: bool
    exact: bool
    note: str

    def __contains__(self, value: object) -> bool:
        return any(value in iv for iv in self.intervals)

    @property
    def empty(self) -> bool:
        """True when no value in the bounds deters."""
        return not self.intervals

    def describe(self) -> str:
        """The set in one line, e.g. ``[0.3, 0.369) U [0.684, 100]``."""
        return " U ".join(str(iv) for iv in self.intervals) or "empty"

    def as_dict(self) -> dict[str, Any]:
        """Plain data (what the CLI's ``--json`` prints)."""
        def num(x: float | None) -> float | None:
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

        return {
            "parameter": self.parameter, "criterion": self.criterion, "target_rate": self.target_rate,
            "bounds": list(self.bounds), "set": self.describe(),
            "intervals": [iv.as_dict() for iv in self.intervals],
            "no_trade": [iv.as_dict() for iv in self.no_trade],
            "smallest": self.smallest, "robust": self.robust, "monotone": self.monotone, "exact": self.exact,
            "note": self.note,
            "breakpoints": [{"value": b.value, "why": b.why, "rate": num(b.rate), "status": b.status}
                            for b in self.breakpoints],
            "pieces": [{"lower": p.lower, "upper": p.upper, "regime": p.regime, "rate": num(p.rate),
                        "status": p.status, "confirmed": p.confirmed} for p in self.pieces],
        }

    def __repr__(self) -> str:
        robust = "None" if self.robust is None else f"{self.robust:.10g}"
        smallest = "None" if self.smallest is None else f"{self.smallest:.10g}"
        extra = f", no_trade={' U '.join(map(str, self.no_trade))}" if self.no_trade else ""
        return (f"DeterrenceSet({self.parameter} in {self.describe()}{extra}; smallest={smallest}, robust={robust}, "
                f"monotone={self.monotone}, exact={self.exact}, {len(self.pieces)} pieces)")
