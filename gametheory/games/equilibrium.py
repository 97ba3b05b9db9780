"""Equilibria and the result of a solver.

An :class:`Equilibrium` is a mixed profile that checks itself: it carries each player's payoff and its regret
(the largest gain from a unilateral deviation), computed from the game when it was made. :class:`Equilibria` is
what every solver returns: a frozen sequence of :class:`Equilibrium` that also says how it was found
(``method``, ``tol``, ``exact``), whether the enumeration is guaranteed complete, and whether the game was found
degenerate (then some equilibria are extreme points of a continuum, grouped by ``component``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult, values_equal

if TYPE_CHECKING:
    from .normal_form import NormalFormGame

__all__ = ["Equilibrium", "Equilibria"]


@dataclass(frozen=True, eq=False)
class Equilibrium(FrozenResult):
    """A (candidate) Nash equilibrium with its certificate.

    Attributes
    ----------
    profile : tuple of ndarray
        One probability vector per player (float64).
    payoffs : ndarray
        Each player's expected payoff at ``profile``.
    regret : float
        Largest gain from a unilateral deviation; at most the solver's tolerance for a returned equilibrium,
        exactly 0 when ``exact`` is set.
    degenerate : bool
        True when this profile is an extreme point of a continuum (component) of equilibria.
    component : int or None
        Index of the connected set of equilibria this point belongs to, when the solver knows it.
    exact : tuple of tuples of Fraction, or None
        The profile in exact rationals, when the solver found it exactly.

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eq = gt.Equilibrium.from_profile(bos, [[1, 0], [1, 0]])
    >>> eq.payoffs.tolist(), eq.regret, eq.support
    ([3.0, 2.0], 0.0, ((0,), (0,)))
    >>> gt.Equilibrium.from_profile(bos, [[1, 0], [0, 1]]).regret  # not an equilibrium
    1.0
    """

    profile: tuple[npt.NDArray[np.float64], ...]
    payoffs: npt.NDArray[np.float64]
    regret: float
    degenerate: bool = False
    component: int | None = None
    exact: tuple[tuple[Any, ...], ...] | None = field(default=None)

    @classmethod
    def from_profile(
        cls,
        game: NormalFormGame,
        profile: Sequence[Any],
        *,
        degenerate: bool = False,
        component: int | None = None,
    ) -> Equilibrium:
        """Build an equilibrium from a profile of ``game``, computing its payoffs and regret.

        An all-rational profile of an exact game is kept exactly (``.exact``) and its regret computed in rationals.
        """
        exact = None
        if game.is_exact and all(isinstance(x, (Fraction, int)) for v in profile for x in v):
            exact = tuple(tuple(Fraction(x) for x in v) for v in profile)
            vectors = [np.array(v, dtype=object) for v in exact]
        else:
            vectors = [np.asarray(v, dtype=float) for v in profile]
            if game.is_exact:
                game = game.to_float()
        payoffs = game.expected_payoffs(vectors)
        regret = game.regret(vectors)
        return cls(
            profile=tuple(np.asarray(v, dtype=float) for v in vectors),
            payoffs=np.asarray(payoffs, dtype=float),
            regret=float(regret),
            degenerate=degenerate,
            component=component,
            exact=exact,
        )

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability (above 1e-12)."""
        return tuple(tuple(int(k) for k in np.flatnonzero(v > 1e-12)) for v in self.profile)

    @property
    def is_pure(self) -> bool:
        """True when every player uses a single strategy."""
        return all(len(s) == 1 for s in self.support)

    def max_regret(self) -> float:
        """The regret (as Gambit's profiles name it)."""
        return self.regret

    def allclose(self, other: Equilibrium | Sequence[Any], *, atol: float = 1e-7) -> bool:
        """True when both profiles agree entry by entry within ``atol``."""
        theirs = other.profile if isinstance(other, Equilibrium) else other
        return len(theirs) == len(self.profile) and all(
            np.shape(a) == np.shape(b) and np.allclose(a, np.asarray(b, dtype=float), atol=atol, rtol=0)
            for a, b in zip(self.profile, theirs, strict=True)
        )

    def __repr__(self) -> str:
        prof = ", ".join("[" + ", ".join(f"{x:.4g}" for x in v) + "]" for v in self.profile)
        pay = ", ".join(f"{x:.4g}" for x in self.payoffs)
        extra = f", degenerate, component={self.component}" if self.degenerate else ""
        return f"Equilibrium(profile=({prof}), payoffs=[{pay}], regret={self.regret:.1e}{extra})"


class Equilibria(Sequence[Equilibrium]):
    """The equilibria a solver found: a frozen sequence of :class:`Equilibrium` plus how they were found.

    It behaves as a read-only list (``len``, indexing, slicing, iteration, ``==`` against any sequence of the same
    equilibria; against another :class:`Equilibria` the attributes count too) and is
    immutable: attributes cannot be set, and :meth:`replace` returns a copy with some attributes changed. A solver
    may build it lazily with :meth:`deferred`: the count is known at once (the solver has verified every
    profile), while the :class:`Equilibrium` objects are made on first access, so a caller that only asks
    ``len(eqs)`` or ``eqs.success`` does not pay for wrapping.

    Attributes
    ----------
    method : str
        The solver that produced them.
    complete : bool
        True when the method guarantees that every equilibrium (every extreme point of every component, for
        degenerate games) is listed.
    degenerate : bool
        True when the game was found degenerate (some equilibria form continua).
    tol : float
        The tolerance used (relative to the game's payoff scale).
    exact : bool
        True when the equilibria were computed and checked in exact rationals.
    success : bool
        False when an iterative method stopped before converging (see ``message``).
    message : str
        A human-readable note on the outcome.
    parameters : mapping
        Every argument the solver was called with (read-only).

    Examples
    --------
    >>> import gametheory as gt
    >>> bos = gt.NormalFormGame([[[3, 1], [0, 2]], [[2, 1], [0, 3]]])
    >>> eqs = gt.solve(bos)
    >>> len(eqs), eqs.complete, max(e.regret for e in eqs) <= eqs.tol
    (3, True, True)
    >>> eqs.replace(message="checked").message, eqs.message
    ('checked', '')
    """

    __slots__ = ("_items", "_build", "_count", "method", "complete", "degenerate", "tol", "exact", "success",
                 "message", "parameters")
    _FIELDS = ("method", "complete", "degenerate", "tol", "exact", "success", "message", "parameters")

    def __init__(
        self,
        equilibria: Iterable[Equilibrium] = (),
        *,
        method: str,
        complete: bool,
        degenerate: bool = False,
        tol: float = 0.0,
        exact: bool = False,
        success: bool = True,
        message: str = "",
        parameters: Mapping[str, Any] | None = None,
    ) -> None:
        items = tuple(equilibria)
        self._set(items=items, build=None, count=len(items), method=method, complete=complete,
                  degenerate=degenerate, tol=tol, exact=exact, success=success, message=message,
                  parameters=parameters)

    @classmethod
    def deferred(cls, build: Callable[[], Sequence[Equilibrium]], count: int, *, method: str, complete: bool,
                 degenerate: bool = False, tol: float = 0.0, exact: bool = False, success: bool = True,
                 message: str = "", parameters: Mapping[str, Any] | None = None) -> Equilibria:
        """Equilibria whose ``count`` members ``build()`` makes on first access (the other arguments: the
        constructor's). ``build`` must return exactly ``count`` verified equilibria. This is the fast path of
        small solves (a few hundred nanoseconds: no keyword dictionaries are merged).

        Examples
        --------
        >>> import gametheory as gt
        >>> game = gt.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
        >>> eqs = Equilibria.deferred(lambda: [Equilibrium.from_profile(game, [[1, 0], [1, 0]])], 1,
        ...                           method="demo", complete=False)
        >>> len(eqs), eqs[0].payoffs.tolist()
        (1, [1.0, 1.0])
        """
        self = cls.__new__(cls)
        self._set_all(None, build, count, method, complete, degenerate, tol, exact, success, message, parameters)
        return self

    def _set(self, *, items: tuple[Equilibrium, ...] | None, build: Callable[[], Sequence[Equilibrium]] | None,
             count: int, method: str, complete: bool, degenerate: bool, tol: float, exact: bool, success: bool,
             message: str, parameters: Mapping[str, Any] | None) -> None:
        self._set_all(items, build, count, method, complete, degenerate, tol, exact, success, message, parameters)

    def _set_all(self, items: tuple[Equilibrium, ...] | None, build: Callable[[], Sequence[Equilibrium]] | None,
                 count: int, method: str, complete: bool, degenerate: bool, tol: float, exact: bool, success: bool,
                 message: str, parameters: Mapping[str, Any] | None) -> None:
        """Every slot, positionally, through the slots' own descriptors (``__setattr__`` refuses; calling a
        descriptor's setter costs a quarter of ``object.__setattr__``)."""
        sets = _SLOT_SETTERS
        sets[0](self, items)
        sets[1](self, build)
        sets[2](self, count)
        sets[3](self, method)
        sets[4](self, complete)
        sets[5](self, degenerate)
        sets[6](self, tol)
        sets[7](self, exact)
        sets[8](self, success)
        sets[9](self, message)
        sets[10](self, MappingProxyType(dict(parameters) if parameters else {}))

    def _members(self) -> tuple[Equilibrium, ...]:
        if self._items is None:
            items = tuple(self._build())  # type: ignore[misc]
            if len(items) != self._count:
                raise RuntimeError(f"a deferred Equilibria built {len(items)} members, not {self._count}")
            object.__setattr__(self, "_items", items)
            object.__setattr__(self, "_build", None)
        return self._items  # type: ignore[return-value]

    def replace(self, **changes: Any) -> Equilibria:
        """A copy with the given attributes changed (the members are shared, built or not).

        Examples
        --------
        >>> import gametheory as gt
        >>> eqs = gt.solve(gt.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
        >>> eqs.replace(method="relabelled").method
        'relabelled'
        """
        unknown = set(changes) - set(self._FIELDS)
        if unknown:
            raise TypeError(f"Equilibria has no attribute {sorted(unknown)[0]!r}; it has {list(self._FIELDS)}")
        attributes = {name: getattr(self, name) for name in self._FIELDS} | changes
        copy = type(self).__new__(type(self))
        copy._set(items=self._items, build=self._build, count=self._count, **attributes)
        return copy

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._members()[index]

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self._members())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Equilibria is immutable: use .replace({name}=...) for a changed copy")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Equilibria is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        attributes = {name: getattr(self, name) for name in self._FIELDS}
        attributes["parameters"] = dict(self.parameters)
        return (_rebuild, (self._members(), attributes))

    def __repr__(self) -> str:
        lines = [
            f"Equilibria(method={self.method!r}, count={len(self)}, complete={self.complete}, "
            f"degenerate={self.degenerate}, exact={self.exact}, success={self.success}, tol={self.tol:g}"
            + (f", message={self.message!r}" if self.message else "")
            + ")"
        ]
        lines += [f"  {k}: {e!r}" for k, e in enumerate(self)]
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same equilibria; to another :class:`Equilibria`, also in every attribute
        (so a pickle round trip gives an equal result)."""
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        if isinstance(other, Equilibria) and not all(
                values_equal(getattr(self, name), getattr(other, name)) for name in self._FIELDS):
            return False
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]




#: the setters of :class:`Equilibria`'s slots, in :meth:`Equilibria._set_all`'s order
_SLOT_SETTERS = tuple(Equilibria.__dict__[name].__set__ for name in Equilibria.__slots__)


def _rebuild(members: tuple[Equilibrium, ...], attributes: dict[str, Any]) -> Equilibria:
    """Unpickle an :class:`Equilibria`."""
    return Equilibria(members, **attributes)
