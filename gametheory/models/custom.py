r"""Bring your own model: a published game written as a payoff table of formulas, from Python or TOML.

A custom model states its players, their strategies, one formula per player for every pure profile (strings
over named parameters, read by the whitelist parser :mod:`gametheory.models.formula`: a file's formulas are
data, never run as code) and its parameters with defaults. It then gets everything a built-in
model gets: :meth:`~gametheory.models.base.Model.symbolic_payoffs`, ``game()``, ``batch()`` (lambdified, no loop
over points), validation with the standard messages, ``outcomes()`` and the CLI (``--model-file``).

Parameters may be vocabulary names (``price``, ``fine``, ...: their meaning, unit and domain come from
:data:`~gametheory.models.parameters.VOCABULARY`, the default may be changed) or new names, given as a default
or as a table ``{default, meaning, unit, min, max}``. Metrics: ``counterfeit_rate`` is the probability that the
strategy named by ``counterfeit = [player, strategy]`` is played (and ``fakes_shipped`` the same, none refused),
``false_claim_rate`` likewise for
``false_claim``; ``seller_profit``, ``buyer_surplus`` and ``platform_profit`` are the payoffs of players named
``seller``, ``buyer`` and ``platform``; ``welfare`` is the sum of all payoffs.

A TOML file::

    name = "inspection"
    players = ["inspectee", "inspector"]
    counterfeit = ["inspectee", "Violate"]

    [strategies]
    inspectee = ["Comply", "Violate"]
    inspector = ["Rest", "Inspect"]

    [parameters]
    gain = {default = 10, meaning = "gain from violating", unit = "currency", min = 0}
    fine = 30                                  # a vocabulary name
    audit_cost = 4

    [payoffs]
    "Comply,Rest" = ["0", "0"]
    "Comply,Inspect" = ["0", "-audit_cost"]
    "Violate,Rest" = ["gain", "-gain"]
    "Violate,Inspect" = ["-fine", "fine - audit_cost"]

Examples
--------
>>> import gametheory as gt
>>> m = gt.models.from_table(
...     players=["inspectee", "inspector"],
...     strategies=[["Comply", "Violate"], ["Rest", "Inspect"]],
...     payoffs={("Comply", "Rest"): ["0", "0"], ("Comply", "Inspect"): ["0", "-audit_cost"],
...              ("Violate", "Rest"): ["gain", "-gain"], ("Violate", "Inspect"): ["-fine", "fine - audit_cost"]},
...     parameters={"gain": 10, "fine": 30, "audit_cost": 4},
...     counterfeit=("inspectee", "Violate"), name="inspection")
>>> eqs = gt.solve(m.game())
>>> round(m.outcomes(eqs[0])["counterfeit_rate"], 4)     # a / (F + g) = 4 / 40
0.1
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from .._lazy import sympy
from .._validation import closest_name
from ..errors import InvalidParameterError
from ..limits import check_nesting, read_limited
from . import _table as _t
from .base import Model
from .events import Event
from .parameters import Parameter

__all__ = ["CustomModel", "from_table", "load_model_file"]

class CustomModel(Model):
    """Base class of models built by :func:`from_table` (one subclass per table).

    Examples
    --------
    >>> import gametheory as gt
    >>> m = gt.models.from_table(["row", "col"], [["a", "b"], ["a", "b"]],
    ...                          [[["x", "0"], ["0", "1"]], [["x", "0"], ["0", "1"]]], {"x": 2})
    >>> m.with_params(x=3).game().payoffs[0, 0, 0]
    np.float64(3.0)
    """

    _PARAMS: ClassVar[dict[str, Parameter]] = {}
    _PAYOFFS: ClassVar[list[list[Any]]] = []  # per profile (C order), one expression per player
    _MARKED: ClassVar[dict[str, tuple[int, int] | None]] = {}
    DISK_CACHE: ClassVar[bool] = False  # the formulas come from the user's table, not the package sources
    _SPEC: ClassVar[dict[str, Any]] = {}  # the from_table arguments, to rebuild the class (pickling)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._SPEC, self.params))

    def __init__(self, *, variant: str = "core", **params: Any) -> None:
        if variant != "core":
            raise InvalidParameterError(
                f"The 'variant' parameter of {self.name} must be 'core' (a custom model has no extended "
                f"variant). Got {variant!r} instead."
            )
        super().__init__(variant=variant, **params)

    @classmethod
    def parameter(cls, name: str) -> Parameter:
        """The model's own :class:`Parameter` (vocabulary ones keep their meaning, unit and domain)."""
        return cls._PARAMS[name]

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """Strategy labels per player."""
        return self.STRATEGIES

    @property
    def players(self) -> tuple[str, ...]:
        """Player names."""
        return self.PLAYERS

    def events(self) -> list[Event]:
        """One row per pure profile: its payoffs (probability 1 at that profile)."""
        rows = []
        for prof, values in zip(itertools.product(*self.STRATEGIES), self._PAYOFFS, strict=True):
            rows.append(Event(f"profile ({', '.join(prof)})", 1, dict(zip(self.PLAYERS, values, strict=True))))
        return rows

    def live_rows(self, rows: Sequence[Event], absent: Sequence[str]) -> list[list[Event]]:
        """Each profile's own row."""
        return [[row] for row in rows]

    def population_shares(self) -> dict[str, Any]:
        """No buyer populations: every row counts once."""
        return {}

    def metric_expressions(self) -> dict[str, Any]:
        """Counterfeit and false-claim rates from the marked strategies; named players' payoffs."""
        shape = self.shape
        out: dict[str, Any] = {}
        for metric, mark in (("counterfeit_rate", self._MARKED.get("counterfeit")),
                             ("false_claim_rate", self._MARKED.get("false_claim"))):
            values = [int(mark is not None and prof[mark[0]] == mark[1])
                      for prof in itertools.product(*map(range, shape))]
            out[metric] = sympy.Array(values, shape)
        out["fakes_shipped"] = out["counterfeit_rate"]  # no door to refuse a fake at
        out["fakes_refused"] = sympy.Integer(0)
        out["funds_held"] = sympy.Integer(0)
        out["deposit_held"] = sympy.Integer(0)
        out["trade_rate"] = sympy.Integer(1)  # no orders in a custom game: trade always takes place
        return out


def from_table(
    players: Sequence[str],
    strategies: Sequence[Sequence[str]],
    payoffs: Any,
    parameters: Mapping[str, Any] | None = None,
    *,
    name: str = "custom",
    title: str | None = None,
    counterfeit: Sequence[str] | None = None,
    false_claim: Sequence[str] | None = None,
) -> CustomModel:
    """Build a model from a payoff table of formulas.

    Parameters
    ----------
    players : sequence of str
        Player names (``seller``, ``buyer``, ``platform`` give the profit metrics).
    strategies : sequence of sequences of str
        Strategy labels per player.
    payoffs : mapping or nested sequence
        Either a mapping from a profile (a tuple of labels, or the labels joined by commas) to one formula per
        player, or a nested list of shape ``(n, s_1, ..., s_n)`` of formulas. Formulas are strings (or numbers)
        over the parameter names.
    parameters : mapping, optional
        Parameter name -> default, or -> ``{"default", "meaning", "unit", "min", "max"}``. Vocabulary names
        keep their meaning, unit and domain.
    name, title : str
        How the model is called (CLI, reports).
    counterfeit, false_claim : (player, strategy), optional
        The strategies whose probability is the counterfeit rate / the false-claim rate.

    Returns
    -------
    CustomModel
        A model at the defaults (call ``.with_params`` to change them).

    Raises
    ------
    InvalidParameterError
        A missing or unknown profile, a formula that does not parse or uses an unknown name (the closest
        parameter is suggested), a bad default, or an unknown player/strategy in ``counterfeit``.

    Examples
    --------
    >>> m = from_table(["seller", "buyer"], [["Genuine", "Counterfeit"], ["Accept", "Verify"]],
    ...                {"Genuine,Accept": ["price - cost", "value - price"],
    ...                 "Genuine,Verify": ["price - cost", "value - price - check"],
    ...                 "Counterfeit,Accept": ["price", "-price"],
    ...                 "Counterfeit,Verify": ["-fine", "fine - check"]},
    ...                {"price": 10, "cost": 6, "value": 14, "check": 1, "fine": 20},
    ...                counterfeit=("seller", "Counterfeit"))
    >>> m.shape, sorted(m.params)
    ((2, 2), ['check', 'cost', 'fine', 'price', 'value'])
    """
    players = _t.labels(players, "players")
    strategies_t = tuple(_t.labels(s, f"strategies of {p!r}") for p, s in zip(players, strategies, strict=False))
    if len(strategies) != len(players):
        raise InvalidParameterError(
            f"The 'strategies' parameter of from_table must hold one list per player ({len(players)}). "
            f"Got {len(strategies)} instead."
        )
    params = _t.parameters(parameters or {}, name)
    local = {n: p.symbol for n, p in params.items() if p.symbol is not None}
    table = _t.payoff_table(payoffs, players, strategies_t, local, name)
    marked = {"counterfeit": _t.mark(counterfeit, "counterfeit", players, strategies_t),
              "false_claim": _t.mark(false_claim, "false_claim", players, strategies_t)}
    attrs = {
        "name": name,
        "title": title or name,
        "PARAMETERS": tuple(params),
        "PLAYERS": players,
        "STRATEGIES": strategies_t,
        "_PARAMS": params,
        "_PAYOFFS": table,
        "_MARKED": marked,
        "_SPEC": {"players": players, "strategies": strategies, "payoffs": payoffs, "parameters": parameters,
                  "name": name, "title": title, "counterfeit": counterfeit, "false_claim": false_claim},
    }
    cls = type(f"CustomModel_{name}", (CustomModel,), attrs)
    return cls()  # type: ignore[no-any-return]


def load_model_file(path: str | Path) -> CustomModel:
    """Read a custom model from a TOML file (format in the module docstring).

    Raises
    ------
    InvalidParameterError
        The file cannot be read or parsed, or its table is invalid (the message names the file).

    Examples
    --------
    >>> import tempfile, pathlib, gametheory as gt
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pd.toml"
    >>> _ = path.write_text('''players = ["a", "b"]
    ... strategies = [["C", "D"], ["C", "D"]]
    ... parameters = {t = 5}
    ... [payoffs]
    ... "C,C" = ["3", "3"]
    ... "C,D" = ["0", "t"]
    ... "D,C" = ["t", "0"]
    ... "D,D" = ["1", "1"]
    ... ''')
    >>> m = load_model_file(path)
    >>> m.name, [e.profile[0].tolist() for e in gt.solve(m.game())]
    ('pd', [[0.0, 1.0]])
    """
    path = Path(path)
    try:
        text = read_limited(path)
        check_nesting(text, source=str(path))
        data = tomllib.loads(text)
    except OSError as exc:
        raise InvalidParameterError(f"Cannot read the model file {str(path)!r}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise InvalidParameterError(f"The model file {str(path)!r} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidParameterError(f"The model file {str(path)!r} is not valid TOML: {exc}.") from None
    known = {"name", "title", "players", "strategies", "parameters", "payoffs", "counterfeit", "false_claim"}
    for key in data:
        if key not in known:
            guess = closest_name(key, known)
            hint = f" Did you mean {guess!r}?" if guess else ""
            raise InvalidParameterError(f"Unknown key {key!r} in the model file {str(path)!r}.{hint}")
    for key in ("players", "strategies", "payoffs"):
        if key not in data:
            raise InvalidParameterError(f"The model file {str(path)!r} has no {key!r} entry.")
    strategies = data["strategies"]
    if isinstance(strategies, Mapping):
        missing = [p for p in data["players"] if p not in strategies]
        if missing:
            raise InvalidParameterError(f"The model file {str(path)!r} gives no strategies for {missing[0]!r}.")
        strategies = [strategies[p] for p in data["players"]]
    try:
        return from_table(data["players"], strategies, data["payoffs"], data.get("parameters", {}),
                          name=data.get("name", path.stem), title=data.get("title"),
                          counterfeit=data.get("counterfeit"), false_claim=data.get("false_claim"))
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"{path}: {exc}") from None


# ---------------------------------------------------------------------- helpers
def _rebuild(spec: dict[str, Any], params: dict[str, Any]) -> CustomModel:
    """Unpickle a custom model: rebuild its class from the table, then set the parameters."""
    return from_table(**spec).with_params(**params)  # type: ignore[return-value]
