r"""The base class of every payment model: parameters in, symbolic payoffs, games and batches out.

A model is an event table (:mod:`gametheory.models.events`) plus its parameters. From the table it builds,
once per structure (variant and options) and cached:

* :meth:`Model.symbolic_payoffs`, a ``sympy.Array`` of shape ``(n, s_1, ..., s_n)``, the one source of truth;
* :meth:`Model.symbolic_metrics`, one ``sympy.Array`` of shape ``(s_1, ..., s_n)`` per outcome metric;
* numpy functions of every numeric parameter (``sympy.lambdify``), used by :meth:`Model.game` at the model's
  parameters and by :meth:`Model.batch` over whole arrays of parameter points at once.

Metrics of a mixed profile :math:`\sigma` are the multilinear extension of their pure-profile values,
:math:`M(\sigma) = \sum_a \prod_j \sigma_j(a_j)\, M(a)`; see :mod:`gametheory.models.metrics`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .. import __version__
from .._expressions import Program, cached, sources_digest
from .._lazy import sympy
from .._sympy_json import from_sympy
from .._validation import StrOptions, check_param
from ..errors import InvalidParameterError
from ..games.batch import GameBatch
from ..games.extensive_form import ExtensiveFormGame
from ..games.normal_form import NormalFormGame
from . import metrics as _metrics
from ._checks import absent_strategies as _absent_strategies
from ._checks import check_order as _check_order
from .events import Event, at_profiles, flatten, tensor
from .events import indicator as ind
from .extended import order_share
from .hunter_entry import free_entry_share
from .parameters import VOCABULARY, Parameter, check_array, check_value, unknown_parameter
from .sequential import extensive_game

__all__ = ["Model", "CORE_PLAYERS", "EXTENDED_PARAMETERS"]

CORE_PLAYERS = ("seller", "buyer", "platform")
#: parameters every model gains in the extended variant
EXTENDED_PARAMETERS = ("false_claim_upheld", "hunter_share", "hunter_verify_cost", "hunter_detection",
                       "resale_value", "hunter_entry", "hunter_outside_option")

_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}
_NUMERIC: dict[tuple[Any, ...], dict[str, Any]] = {}


@functools.lru_cache(maxsize=16)
def _sources_digest(extra: tuple[str, ...] = ()) -> str:
    """A hash of the model and formula sources (and of ``extra`` files, e.g. the module deriving something from
    the payoffs): a derived formula cached on disk is valid while they are unchanged."""
    here = Path(__file__).resolve().parent
    package = here.parent
    files = sorted([*here.glob("*.py"), package / "_expressions.py", package / "_sympy_json.py"])
    return sources_digest(*files, *extra)


def _package_version() -> str:
    return __version__


class Model:
    r"""A payment model: a game whose payoffs are formulas of named parameters.

    Subclasses set ``name``, ``PARAMETERS`` (core variant), ``DEFAULTS``/``DOMAINS`` overrides, ``STRATEGIES``
    and ``EXTENDED_STRATEGIES``, and implement :meth:`events` (and optionally :meth:`metric_expressions`). Each
    model's module docstring states its payoffs in closed form (collected in ``docs/models.md``).

    Parameters
    ----------
    variant : {"core", "extended"}
        The core 2x2x2 game, or the extended one (non-delivery, abstaining, false claims, hunters).
    **params
        Parameter values by name (see :attr:`parameter_names`); the others take their defaults.

    Raises
    ------
    InvalidParameterError
        An unknown name (the closest is suggested), a value outside its domain, NaN, or
        ``cost_counterfeit > cost_genuine``.

    Notes
    -----
    Player :math:`i`'s payoff at a pure profile :math:`a` is :math:`u_i(a) = \sum_e \Pr(e \mid a)\, x_{e,i}` over
    the rows :math:`e` of :meth:`events`; every numeric game is evaluated from these formulas.

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.get("direct", penalty_multiplier=3)
    >>> m.name, m.variant, m.shape, m.penalty_multiplier
    ('direct', 'core', (2, 2, 2), 3.0)
    """

    name: ClassVar[str] = "model"
    title: ClassVar[str] = "Model"
    #: keep the derived numeric functions on disk between processes (off for models built from user tables)
    DISK_CACHE: ClassVar[bool] = True
    PARAMETERS: ClassVar[tuple[str, ...]] = ()
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    DOMAINS: ClassVar[dict[str, Any]] = {}
    PLAYERS: ClassVar[tuple[str, ...]] = CORE_PLAYERS
    STRATEGIES: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("Genuine", "Counterfeit"), ("Accept", "Verify"), ("Lax", "Audit"))
    EXTENDED_STRATEGIES: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("Genuine", "Counterfeit", "NonDelivery"), ("Accept", "Verify", "Abstain", "FalseClaim"),
        ("Lax", "Audit"), ("Pass", "Hunt"))
    EXTENDED_PLAYERS: ClassVar[tuple[str, ...]] = (*CORE_PLAYERS, "hunter")
    #: the policy parameters (what a platform or regulator sets) -> the upper end a threshold search uses by
    #: default (None: the parameter's domain, or 100 times its value when the domain is unbounded)
    POLICY_PARAMETERS: ClassVar[dict[str, float | None]] = {
        "penalty_multiplier": 100.0, "audit_cost": None, "audit_detection": None, "fine": None}
    #: which parameter caps which: cap -> (the capped parameter, the capped amount in words); the capped
    #: parameter stops having any effect once the amount reaches the cap
    CAPS: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, *, variant: str = "core", **params: Any) -> None:
        check_param(type(self).__name__, "variant", variant, StrOptions({"core", "extended"}))
        self.variant = variant
        names = self.parameter_names
        values: dict[str, Any] = {}
        for key, value in params.items():
            if key not in names:
                raise self._unknown(key)
            values[key] = check_value(self.name, key, value, self.parameter(key).domain)
        full = {n: values.get(n, self.parameter(n).default) for n in names}
        full = {n: v if isinstance(v, str) else float(v) for n, v in full.items()}
        _check_order(self.name, {n: np.asarray(v) for n, v in full.items() if not isinstance(v, str)})
        self._params = full

    # ------------------------------------------------------------------ description
    @classmethod
    def parameters_of(cls, variant: str = "core") -> tuple[str, ...]:
        """Names of this model's parameters in ``variant``."""
        return cls.PARAMETERS + (EXTENDED_PARAMETERS if variant == "extended" else ())

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Every parameter of the model (numeric ones and options), in vocabulary order."""
        return self.parameters_of(self.variant)

    @classmethod
    def parameter(cls, name: str) -> Parameter:
        """The :class:`Parameter` as this model uses it (its own default and domain)."""
        par = VOCABULARY[name]
        return dataclasses.replace(par, default=cls.DEFAULTS.get(name, par.default),
                                   domain=cls.DOMAINS.get(name, par.domain))

    @property
    def params(self) -> dict[str, Any]:
        """Every parameter value in force (defaults filled in)."""
        return dict(self._params)

    @property
    def numeric_names(self) -> tuple[str, ...]:
        """The parameters that have a symbol (everything but options)."""
        return tuple(n for n in self.parameter_names if not self.parameter(n).is_option)

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        """Parameter name -> sympy symbol, for the numeric parameters."""
        return {n: self.parameter(n).symbol for n in self.numeric_names}

    @property
    def options(self) -> dict[str, str]:
        """The structural options in force (they change the formulas, so they cannot be swept)."""
        return {n: v for n, v in self._params.items() if isinstance(v, str)}

    @property
    def players(self) -> tuple[str, ...]:
        """Player names: seller, buyer, platform (and hunter in the extended variant)."""
        if self.variant == "extended":
            return self.EXTENDED_PLAYERS
        return self.PLAYERS

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """Strategy labels per player."""
        return self.EXTENDED_STRATEGIES if self.variant == "extended" else self.STRATEGIES

    @property
    def shape(self) -> tuple[int, ...]:
        """Strategies per player."""
        return tuple(len(s) for s in self.strategies)

    def __getattr__(self, name: str) -> Any:
        params = self.__dict__.get("_params")
        if params is not None and name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def with_params(self, **changes: Any) -> Model:
        """A new, validated model with some parameters changed (``variant=`` may change too).

        Examples
        --------
        >>> import gametheory as gt
        >>> gt.models.get("direct").with_params(penalty_multiplier=3).penalty_multiplier
        3.0
        """
        variant = changes.pop("variant", self.variant)
        for key in changes:
            if key not in self.parameters_of(variant):
                raise self._unknown(key, variant)
        kept = {k: v for k, v in self._params.items() if k in self.parameters_of(variant)}
        return type(self)(variant=variant, **{**kept, **changes})

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._params.items() if v != self.parameter(k).default}
        inner = ", ".join(f"{k}={v!r}" for k, v in changed.items())
        variant = "" if self.variant == "core" else "variant='extended'" + (", " if inner else "")
        return f"{type(self).__name__}({variant}{inner})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return type(self) is type(other) and self.variant == other.variant and self._params == other._params

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ the model itself (subclasses)
    def events(self) -> list[Event]:
        """The event table (rows in parameters and strategy indicators)."""
        raise NotImplementedError

    def live_rows(self, rows: Sequence[Event], absent: Sequence[str]) -> list[list[Event]]:
        """For each pure profile (C order), the rows that can happen there, probabilities evaluated."""
        return at_profiles(rows, self.strategies, absent)

    def population_shares(self) -> dict[str, Any]:
        """Buyer populations and their shares: ``{"buyer": 1}``, or buyers and hunters when extended."""
        if self.variant == "extended":
            theta: Any = VOCABULARY["hunter_share"].symbol
            return {"buyer": 1 - theta, "hunter": theta}
        return {"buyer": sympy.Integer(1)}

    def metric_expressions(self) -> dict[str, Any]:
        """Model-specific metrics as formulas in indicators: counterfeit_rate, false_claim_rate, funds_held, ...

        The default: a fake is shipped, and reaches the buyer, whenever the seller plays Counterfeit and a buyer
        orders (``counterfeit_rate`` = ``fakes_shipped``, none refused); a false claim is a FalseClaim against a
        genuine item; the platform holds no buyer's money; the trade rate is the probability that an order is
        placed.
        """
        shares = self.population_shares()
        shipped = ind("Counterfeit") * order_share(shares)
        return {
            "counterfeit_rate": shipped,
            "fakes_shipped": shipped,
            "fakes_refused": sympy.Integer(0),
            "false_claim_rate": ind("Genuine") * ind("FalseClaim") * shares["buyer"],
            "funds_held": sympy.Integer(0),
            "deposit_held": sympy.Integer(0),
            "trade_rate": order_share(shares),
        }

    # ------------------------------------------------------------------ symbolic (cached per structure)
    def _structure_key(self) -> tuple[Any, ...]:
        return (type(self), self.variant, tuple(sorted(self.options.items())))

    def _structure(self) -> dict[str, Any]:
        key = self._structure_key()
        if key not in _CACHE:
            rows = [row for row in self.events() if row.prob != 0]
            shares = self.population_shares()
            absent = _absent_strategies(self.strategies)
            players, strategies = self.players, self.strategies
            live = self.live_rows(rows, absent)
            flat = [x for p in players for x in flatten(tensor(rows, players, strategies, p, shares, absent, live))]
            _CACHE[key] = {
                "rows": rows,
                "payoffs": sympy.Array(flat, (len(players), *self.shape)),
                "metrics": _metrics.symbolic(self, live, shares, absent),
            }
        return _CACHE[key]

    def numeric_functions(self) -> dict[str, Any]:
        """The payoffs and metrics as sympy-free numeric functions of :attr:`numeric_names` (in that order).

        ``"payoffs"`` returns the flat payoff tensor (C order), ``"metrics"`` maps each metric to a function
        returning its flat table over pure profiles; both take floats (one point) or arrays (broadcast together).
        They are :class:`gametheory._expressions.Program` objects derived once from :meth:`symbolic_payoffs` and
        :meth:`symbolic_metrics`, and for built-in models kept on disk between processes (keyed by the package's
        model sources), so a new process need not derive the formulas again.

        Examples
        --------
        >>> import gametheory as gt
        >>> m = gt.models.get("direct")
        >>> len(m.numeric_functions()["payoffs"](*[float(m.params[n]) for n in m.numeric_names]))
        24
        """
        key = self._structure_key()
        if key not in _NUMERIC:
            disk_key = self._disk_key()
            programs = cached(disk_key, self._derive_programs) if disk_key else self._derive_programs()
            _NUMERIC[key] = {"payoffs": programs["payoffs"],
                             "metrics": {name[len("metric:"):]: p for name, p in programs.items()
                                         if name.startswith("metric:")}}
        return _NUMERIC[key]

    def _derive_programs(self) -> dict[str, Program]:
        structure = self._structure()
        names = [self.parameter(n).symbol.name for n in self.numeric_names]
        programs = {"payoffs": from_sympy(names, flatten(structure["payoffs"]))}
        for metric, table in structure["metrics"].items():
            programs[f"metric:{metric}"] = from_sympy(names, flatten(table))
        return programs

    def _disk_key(self, what: str = "programs", sources: Sequence[str | Path] = ()) -> str | None:
        """The disk-cache key of ``what`` is derived from this model's structure (by the code in ``sources``, whose
        hash is part of the key), or None for models defined outside the package (their formulas may change
        without its sources changing)."""
        cls = type(self)
        if not cls.__module__.startswith("gametheory.models.") or not cls.DISK_CACHE:
            return None
        digest = _sources_digest(tuple(str(Path(f).resolve()) for f in sources))
        return (f"gametheory {_package_version()} sources {digest} {what} model {cls.__module__}."
                f"{cls.__qualname__} variant {self.variant} options {sorted(self.options.items())!r} "
                f"arguments {list(self.numeric_names)!r}")

    def event_table(self) -> list[Event]:
        """The rows the payoffs are built from (see :mod:`gametheory.models.events`)."""
        key = self._structure_key()
        if key in _CACHE:
            return list(_CACHE[key]["rows"])
        return [row for row in self.events() if row.prob != 0]

    def symbolic_payoffs(self) -> sympy.Array:
        r"""The payoff tensor as formulas: ``sympy.Array`` of shape ``(n, s_1, ..., s_n)``.

        Entry ``[i, a_1, ..., a_n]`` is :math:`u_i(a) = \sum_e \Pr(e \mid a)\, x_{e,i}` over the event table.

        Examples
        --------
        >>> import gametheory as gt
        >>> m = gt.models.get("direct")
        >>> m.symbolic_payoffs()[2, 0, 0, 0]          # platform: Genuine, Accept, Lax
        p*phi
        """
        return self._structure()["payoffs"]

    def symbolic_metrics(self) -> dict[str, sympy.Array]:
        """Metric name -> ``sympy.Array`` of its value at each pure profile (shape ``(s_1, ..., s_n)``).

        Examples
        --------
        >>> import gametheory as gt
        >>> gt.models.get("direct").symbolic_metrics()["counterfeit_rate"][1, 0, 0]
        1
        """
        return dict(self._structure()["metrics"])

    # ------------------------------------------------------------------ numeric
    def numeric_values(self) -> list[float]:
        """The model's value of each numeric parameter, in :attr:`numeric_names` order (the arguments of its
        compiled formulas at its own scenario; the free-entry hunter share in place when ``hunter_entry="free"``).

        >>> import gametheory as gt
        >>> m = gt.models.get("self_operated")
        >>> dict(zip(m.numeric_names, m.numeric_values()))["penalty_multiplier"]
        4.0
        """
        values = self.params_in_force()
        return [float(values[n]) for n in self.numeric_names]

    @property
    def free_entry(self) -> bool:
        """True when the hunter share is an outcome (``hunter_entry="free"``, :mod:`.hunter_entry`)."""
        return self._params.get("hunter_entry") == "free"

    def params_in_force(self) -> dict[str, Any]:
        """The parameters the games are built with: :attr:`params`, with the free-entry hunter share in place of
        ``hunter_share`` when ``hunter_entry="free"``.

        Examples
        --------
        >>> import gametheory as gt
        >>> gt.models.get("direct", variant="extended").params_in_force()["hunter_share"]
        0.05
        """
        values = dict(self._params)
        if self.free_entry:
            args, _ = self.numeric_arguments({})
            values["hunter_share"] = float(np.ravel(args["hunter_share"])[0])
        return values

    def game(self) -> NormalFormGame:
        """The numeric game at the model's parameters (float64).

        Examples
        --------
        >>> import gametheory as gt
        >>> g = gt.models.get("direct").game()
        >>> g.shape, g.players
        ((2, 2, 2), ('seller', 'buyer', 'platform'))
        """
        flat = self.numeric_functions()["payoffs"](*self.numeric_values())
        payoffs = np.array([float(x) for x in flat]).reshape(len(self.players), *self.shape)
        return NormalFormGame(payoffs, self.players, self.strategies)

    def exact_game(self) -> NormalFormGame:
        """The game at the model's parameters in exact rationals (each value read as the decimal it prints as).

        Examples
        --------
        >>> import gametheory as gt
        >>> g = gt.models.get("direct").exact_game()
        >>> g.is_exact, g.payoffs[1, 1, 1, 0]
        (True, Fraction(95, 1))
        """
        given = self.params_in_force()
        values = {self.parameter(n).symbol: sympy.Rational(repr(float(given[n]))) for n in self.numeric_names}
        sym = self.symbolic_payoffs()
        flat = [sympy.nsimplify(x.xreplace(values), rational=True) for x in flatten(sym)]
        payoffs = np.empty(len(flat), dtype=object)
        payoffs[:] = flat
        return NormalFormGame(payoffs.reshape(sym.shape), self.players, self.strategies)

    def points(self, **arrays: Any) -> dict[str, np.ndarray]:
        """Broadcast parameter arrays (others fixed at the model's values) to flat arrays of ``N`` points.

        The points are the broadcast shape of ``arrays`` in C order. Every value is validated, vectorised.

        Examples
        --------
        >>> import gametheory as gt
        >>> pts = gt.models.get("direct").points(price=[[100], [200]], penalty_multiplier=[1, 2, 3])
        >>> pts["price"].tolist(), pts["deposit"][:2].tolist()
        ([100.0, 100.0, 100.0, 200.0, 200.0, 200.0], [500.0, 500.0])
        """
        args, n = self.numeric_arguments(arrays)
        return {k: np.broadcast_to(v, (n,)).copy() if np.ndim(v) == 0 else v for k, v in args.items()}

    def numeric_arguments(self, arrays: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
        """``(arguments, n)``: the validated arguments of the model's numpy formulas at ``n`` points, flat arrays of
        ``n`` values for the parameters in ``arrays`` (broadcast together, C order) and floats for the rest
        (:meth:`points` broadcasts those too).

        >>> import gametheory as gt
        >>> args, n = gt.models.get("direct").numeric_arguments({"price": [[100], [200]], "deposit": [1, 2, 3]})
        >>> n, args["price"].tolist()[:4], args["penalty_multiplier"]
        (6, [100.0, 100.0, 100.0, 200.0], 2.0)
        """
        checked = {}
        for key, value in arrays.items():
            if key not in self.parameter_names:
                raise self._unknown(key)
            checked[key] = check_array(self.name, key, value, self.parameter(key).domain)
        shape = np.broadcast_shapes(*(a.shape for a in checked.values())) if checked else ()
        n = int(np.prod(shape))
        args: dict[str, Any] = {}
        for name in self.numeric_names:
            if name in checked:
                args[name] = np.broadcast_to(checked[name], shape).reshape(n)
            else:
                args[name] = float(self._params[name])
        _check_order(self.name, args)
        if self.free_entry:
            if "hunter_share" in checked:
                raise InvalidParameterError(
                    f"The 'hunter_share' parameter of {self.name} is an outcome under hunter_entry='free'; vary "
                    f"hunter_outside_option (or the other parameters) instead, or use hunter_entry='fixed'."
                )
            args["hunter_share"] = self._entry_shares(args, n)
        return args, n

    def _entry_shares(self, args: dict[str, Any], n: int) -> np.ndarray:
        """The free-entry hunter share at each point (cached for the last arguments: a batch and its metrics
        share one bisection)."""
        key = tuple((k, v.tobytes() if isinstance(v, np.ndarray) else v) for k, v in sorted(args.items()))
        cached = self.__dict__.get("_entry_cache")
        if cached is None or cached[0] != key:
            cached = (key, free_entry_share(self, args, max(n, 1)))
            self.__dict__["_entry_cache"] = cached
        return cached[1] if n else cached[1][:0]

    def batch(self, **arrays: Any) -> GameBatch:
        """The games at many parameter points at once: the same formulas, evaluated by numpy.

        Parameters
        ----------
        **arrays
            Parameter name -> array of values; arrays broadcast together and the points are taken in C order
            of the broadcast shape. Parameters not given keep the model's values.

        Returns
        -------
        GameBatch
            ``N`` games, ``N`` the size of the broadcast shape.

        Examples
        --------
        >>> import numpy as np, gametheory as gt
        >>> b = gt.models.get("direct").batch(penalty_multiplier=np.linspace(0, 4, 5), price=[[100], [200]])
        >>> len(b), b.shape
        (10, (2, 2, 2))
        """
        args, n = self.numeric_arguments(arrays)
        flat = self.numeric_functions()["payoffs"](*[args[k] for k in self.numeric_names])
        payoffs = np.empty((len(flat), n))  # a payoff entry per row (contiguous writes), then the points first
        for i, x in enumerate(flat):
            payoffs[i] = x
        return GameBatch(np.ascontiguousarray(payoffs.T).reshape(n, len(self.players), *self.shape), self.players,
                         self.strategies)

    def outcomes(self, equilibrium_or_profile: Any) -> dict[str, float]:
        """The outcome metrics of an equilibrium or a (mixed or pure) profile at the model's parameters.

        Examples
        --------
        >>> import gametheory as gt
        >>> m = gt.models.get("direct")
        >>> round(m.outcomes([1, 0, 0])["counterfeit_rate"], 3)
        1.0
        """
        return _metrics.outcomes(self, equilibrium_or_profile)

    def outcome_arrays(self, solution: Any, **arrays: Any) -> dict[str, np.ndarray]:
        """Metric name -> ``(N, K)`` array for a ``BatchSolution`` of ``self.batch(**arrays)`` (NaN padded).

        Examples
        --------
        >>> import gametheory as gt
        >>> m = gt.models.get("direct")
        >>> sol = gt.solve_batch(m.batch(penalty_multiplier=[1.0, 2.0]))
        >>> m.outcome_arrays(sol, penalty_multiplier=[1.0, 2.0])["counterfeit_rate"].shape[0]
        2
        """
        return _metrics.outcome_arrays(self, solution, **arrays)

    def extensive_game(self, *, audit_rate: float | None = None, exact: bool = False) -> ExtensiveFormGame:
        """The sequential game: the platform commits, the seller ships, the buyers respond without seeing the type.

        See :func:`gametheory.models.sequential.extensive_game` (the terminal payoffs are :meth:`game`'s).

        Examples
        --------
        >>> import gametheory as gt
        >>> gt.models.get("direct").extensive_game().root.actions
        ('Lax', 'Audit')
        """
        return extensive_game(self, audit_rate=audit_rate, exact=exact)

    # ------------------------------------------------------------------ helpers
    def _unknown(self, key: str, variant: str | None = None) -> InvalidParameterError:
        variant = variant or self.variant
        allowed = self.parameters_of(variant)
        if variant == "core" and key in EXTENDED_PARAMETERS:
            return InvalidParameterError(
                f"The {key!r} parameter of {self.name} exists only in the extended variant; "
                f"pass variant='extended' (CLI: --variant extended)."
            )
        return unknown_parameter(key, allowed, self.name)
