"""Sweep specifications: models, fixed parameters, axes and outputs, from Python or from TOML.

A sweep spec is plain data. It is built from a dict (what :func:`gametheory.sweep` assembles from its
arguments) or from a TOML file whose tables have the same names, so the two routes give the same spec::

    model = "direct"                 # or: models = ["direct", "escrow"]
    variant = "core"                 # or "extended"
    title = "Multiplier against deposit"
    outputs = ["equilibria", "counterfeit", "welfare"]
    [fixed]
    price = 100
    [axes]
    penalty_multiplier = { linspace = [0, 10, 201] }
    deposit = { logspace = [1, 5, 500] }    # powers of ten, as numpy.logspace
    detection_prob = [0.2, 0.5, 0.8]
    audit_detection = { uniform = [0, 1, 20] }   # 20 random values, drawn from `seed`

Every mistake (an unknown key, an unknown parameter, an empty axis, a value outside a parameter's domain) raises
:class:`~gametheory.errors.InvalidParameterError` whose message names the file and the line.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import tomllib
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import limits
from .._validation import closest_name, unknown_name_error
from ..errors import InvalidParameterError
from ..limits import check_nesting, read_limited

__all__ = ["Axis", "SweepSpec", "OUTPUTS", "AXIS_KINDS", "DEFAULT_OUTPUTS", "DEFAULT_CHUNK_SIZE"]

#: what a sweep can compute at each point (see :mod:`gametheory.sweeps.evaluate`)
OUTPUTS = ("equilibria", "counterfeit", "welfare", "metrics", "per_equilibrium", "threshold", "stable_states",
           "repeated", "logit")
DEFAULT_OUTPUTS = ("equilibria", "counterfeit", "welfare")
#: how an axis may be written: an explicit list, or a table with one of these keys and ``[a, b, n]``
AXIS_KINDS = ("linspace", "logspace", "uniform", "loguniform")
DEFAULT_CHUNK_SIZE = 50_000
_TOP_KEYS = ("title", "model", "models", "variant", "fixed", "axes", "outputs", "seed", "chunk_size", "threshold")
VARIANTS = ("core", "extended")
_THRESHOLD_KEYS = ("parameter", "target_rate", "criterion", "upper", "method")

Locate = Callable[[tuple[str, ...]], str]


@dataclass(frozen=True, eq=False)
class Axis:
    """One axis of a sweep grid: a parameter and the values it takes.

    A ``linspace`` or ``logspace`` axis is never held whole: :meth:`take` computes the values at the indices a
    chunk needs (bit for bit those of :func:`numpy.linspace` / :func:`numpy.logspace`), so an axis of 10^8
    values costs nothing until a chunk asks for its points. Lists and random axes are held as arrays.

    Attributes
    ----------
    name : str
        The parameter (a name of :data:`gametheory.models.VOCABULARY`).
    definition : list or dict
        How it was written (``[0.2, 0.5]`` or ``{"linspace": [0, 1, 11]}``): JSON-able, stored in manifests.

    Examples
    --------
    >>> Axis.from_definition("detection_prob", {"linspace": [0, 1, 5]}).values.tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> Axis.from_definition("deposit", {"logspace": [0, 8, 10**8 + 1]}).take(np.array([0, 10**8])).tolist()
    [1.0, 100000000.0]
    """

    name: str
    definition: Any
    held: npt.NDArray[np.float64] | None = None  # the values of a list or random axis
    spaced: tuple[str, float, float, int] | None = None  # (linspace | logspace, start, stop, count)

    def __len__(self) -> int:
        return int(self.held.shape[0]) if self.held is not None else self._spacing()[3]

    @property
    def values(self) -> npt.NDArray[np.float64]:
        """Every value, in grid order (computed whole for a spaced axis: prefer :meth:`take` for long ones)."""
        return self.take(np.arange(len(self)))

    @property
    def extremes(self) -> npt.NDArray[np.float64]:
        """The smallest and largest value (a spaced axis is monotone: its two ends)."""
        if self.held is not None:
            return np.array([self.held.min(), self.held.max()])
        return np.sort(self.take(np.array([0, len(self) - 1])))

    def take(self, indices: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
        """The values at ``indices`` (0-based positions along the axis)."""
        if self.held is not None:
            return self.held[indices]
        kind, start, stop, count = self._spacing()
        index = np.asarray(indices, dtype=np.int64)
        if count > 1:  # numpy.linspace: start + i * step, and the last value exactly stop
            exponent = np.where(index == count - 1, stop, index * ((stop - start) / (count - 1)) + start)
        else:
            exponent = np.full(index.shape, start)
        return np.power(10.0, exponent) if kind == "logspace" else exponent

    def _spacing(self) -> tuple[str, float, float, int]:
        if self.spaced is None:
            raise TypeError(f"axis {self.name!r} holds its values: it has no spacing")
        return self.spaced

    @classmethod
    def from_definition(cls, name: str, definition: Any, *, seed: int = 0, where: str = "") -> Axis:
        """Build an axis from a list of values or a ``{kind: [a, b, n]}`` table (random kinds use ``seed``)."""
        prefix = f"{where}: " if where else ""
        if isinstance(definition, np.ndarray):
            definition = definition.tolist()
        if isinstance(definition, Mapping):
            kind, start, stop, count = _table_args(name, dict(definition), prefix)
            plain = _plain(dict(definition))
            if kind in ("linspace", "logspace"):
                return cls(name, plain, spaced=(kind, start, stop, count))
            return cls(name, plain, held=_drawn(name, kind, start, stop, count, seed))
        if isinstance(definition, (str, bytes)) or not isinstance(definition, Sequence):
            raise InvalidParameterError(
                f"{prefix}axis {name!r} must be a list of values or a table with one of "
                f"{', '.join(AXIS_KINDS)} = [start, stop, count]. Got {definition!r} instead."
            )
        if len(definition) == 0:
            raise InvalidParameterError(f"{prefix}axis {name!r} is empty; give it at least one value.")
        values = [_number(v, f"{prefix}axis {name!r}") for v in definition]
        return cls(name, values, held=np.asarray(values, dtype=float))


def _plain(value: Any) -> Any:
    """JSON-able copy (numpy scalars to Python numbers)."""
    return json.loads(json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise InvalidParameterError(f"{what} must hold finite numbers. Got {value!r} instead.")
    return float(value)


def _table_args(name: str, definition: dict[str, Any], prefix: str) -> tuple[str, float, float, int]:
    """The checked ``(kind, start, stop, count)`` of a ``{kind: [start, stop, count]}`` axis table."""
    what = f"{prefix}axis {name!r}"
    if len(definition) != 1 or next(iter(definition)) not in AXIS_KINDS:
        keys = ", ".join(repr(k) for k in definition) or "nothing"
        raise InvalidParameterError(
            f"{what} must be a table with exactly one of {', '.join(AXIS_KINDS)} = [start, stop, count]. "
            f"Got {keys} instead."
        )
    kind, args = next(iter(definition.items()))
    if isinstance(args, (str, bytes)) or not isinstance(args, Sequence) or len(args) != 3:
        raise InvalidParameterError(f"{what}: {kind} needs [start, stop, count]. Got {args!r} instead.")
    start, stop = _number(args[0], what), _number(args[1], what)
    count = args[2]
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 1:
        if isinstance(count, numbers.Integral) and not isinstance(count, bool) and count == 0:
            raise InvalidParameterError(f"{what} is empty ({kind} count 0); give it at least one value.")
        raise InvalidParameterError(f"{what}: the count of {kind} must be an int >= 1. Got {count!r} instead.")
    return str(kind), start, stop, int(count)


def _drawn(name: str, kind: str, start: float, stop: float, count: int, seed: int) -> npt.NDArray[np.float64]:
    """The sorted random values of a ``uniform`` or ``loguniform`` axis (reproducible from ``seed``)."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(name.encode())]))
    draws = np.sort(rng.uniform(min(start, stop), max(start, stop), count))
    return draws if kind == "uniform" else np.power(10.0, draws)


@dataclass(frozen=True, eq=False)
class SweepSpec:
    """What to sweep: payment models, fixed parameters, grid axes and outputs.

    Build one with :meth:`from_dict` or :meth:`from_toml` (equivalent); both check every name against the
    models and the parameter vocabulary.

    Attributes
    ----------
    models : tuple of str
        Payment model names (:func:`gametheory.models.names`).
    fixed : dict
        Parameters held fixed (a parameter a model lacks is ignored for that model).
    axes : tuple of Axis
        The grid: the Cartesian product of the axes, last axis fastest.
    outputs : tuple of str
        Among :data:`OUTPUTS`.
    seed : int
        Seed of the random axes.
    chunk_size : int
        Points per chunk (a chunk never spans two models).
    threshold : dict
        Options of the ``threshold`` output (``parameter``, ``target_rate``, ``criterion``, ``upper``,
        ``method``).
    title : str
        A title for reports.
    variant : str
        ``"core"`` (2x2x2 games, solved by the vectorised closed form) or ``"extended"`` (NonDelivery,
        Abstain, FalseClaim and hunters: solved game by game, so much slower).

    Examples
    --------
    >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"detection_prob": [0.2, 0.8]}})
    >>> spec.models, spec.n_points
    (('direct',), 2)
    """

    models: tuple[str, ...]
    fixed: dict[str, Any]
    axes: tuple[Axis, ...]
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS
    seed: int = 0
    chunk_size: int = DEFAULT_CHUNK_SIZE
    threshold: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    variant: str = "core"

    @property
    def axis_names(self) -> tuple[str, ...]:
        """Names of the axes, in grid order."""
        return tuple(a.name for a in self.axes)

    @property
    def grid_shape(self) -> tuple[int, ...]:
        """Number of values of each axis."""
        return tuple(len(a) for a in self.axes)

    @property
    def points_per_model(self) -> int:
        """Grid points for one model."""
        return math.prod(self.grid_shape)  # a Python int: no overflow, however many axes

    @property
    def n_points(self) -> int:
        """Rows of the result: grid points times models."""
        return self.points_per_model * len(self.models)

    def to_dict(self) -> dict[str, Any]:
        """The spec as JSON-able data; ``SweepSpec.from_dict(spec.to_dict())`` is the same spec.

        Examples
        --------
        >>> spec = SweepSpec.from_dict({"model": "direct", "axes": {"price": {"linspace": [50, 150, 3]}}})
        >>> spec.to_dict()["axes"], SweepSpec.from_dict(spec.to_dict()) == spec
        ({'price': {'linspace': [50, 150, 3]}}, True)
        """
        return {
            "title": self.title,
            "models": list(self.models),
            "fixed": _plain(self.fixed),
            "axes": {a.name: a.definition for a in self.axes},
            "outputs": list(self.outputs),
            "seed": self.seed,
            "chunk_size": self.chunk_size,
            "threshold": _plain(self.threshold),
            "variant": self.variant,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SweepSpec) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        axes = ", ".join(f"{a.name}[{len(a)}]" for a in self.axes)
        return (f"SweepSpec(models={list(self.models)}, axes=[{axes}], points={self.n_points}, "
                f"outputs={list(self.outputs)})")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "", locate: Locate | None = None,
                  max_points: int | None = None) -> SweepSpec:
        """Build and check a spec from a mapping shaped like the TOML file.

        Parameters
        ----------
        data : mapping
            Keys among ``title, model | models, fixed, axes, outputs, seed, chunk_size, threshold``.
        source : str
            Where the data came from, for error messages (a file name).
        locate : callable, optional
            Maps a key path such as ``("axes", "deposit")`` to a location string (``"spec.toml, line 7"``).
        max_points : int, optional
            Refuse a grid of more points (all models together) than this, from the axes' declared lengths and
            before any value is generated; default :data:`gametheory.limits.MAX_POINTS`.

        Returns
        -------
        SweepSpec

        Raises
        ------
        InvalidParameterError
            Unknown keys, models or parameters, empty axes, values outside a parameter's domain.
        LimitError
            More points than ``max_points``.

        Examples
        --------
        >>> SweepSpec.from_dict({"models": ["direct"], "axes": {"price": {"linspace": [50, 150, 3]}}}).n_points
        3
        """
        where = locate or (lambda path: source or "sweep spec")
        return _build(cls, dict(data), where, max_points)

    @classmethod
    def from_toml(cls, path: str | Path, *, max_points: int | None = None) -> SweepSpec:
        """Read a spec from a TOML file; errors name the file and the line.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
        >>> _ = f.write_text('model = "direct"\\n[axes]\\nprice = [50, 100]\\n')
        >>> SweepSpec.from_toml(f).grid_shape
        (2,)
        """
        path = Path(path)
        try:
            text = read_limited(path)
        except OSError as exc:
            raise InvalidParameterError(f"Cannot read sweep spec {str(path)!r}: {exc.strerror}.") from exc
        except UnicodeDecodeError:
            raise InvalidParameterError(f"The sweep spec {str(path)!r} is not UTF-8 text.") from None
        return cls.from_toml_text(text, source=path.name, max_points=max_points)

    @classmethod
    def from_toml_text(cls, text: str, *, source: str = "<toml>", max_points: int | None = None) -> SweepSpec:
        """Read a spec from TOML text (``source`` names it in errors).

        Examples
        --------
        >>> SweepSpec.from_toml_text('model = "direct"\\n[axes]\\nprice = []\\n')
        Traceback (most recent call last):
        ...
        gametheory.errors.InvalidParameterError: <toml>, line 3: axis 'price' is empty; give it at least one value.
        """
        check_nesting(text, source=source)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            found = re.search(r"\s*\(at line (\d+), column \d+\)", message)
            if found:
                line, message = int(found.group(1)), message[: found.start()] + message[found.end():]
            else:
                line = len(text.splitlines()) or 1
                message = message.replace(" (at end of document)", " at the end of the file")
            raise InvalidParameterError(f"{source}, line {line}: invalid TOML: {message.rstrip('.')}.") from exc
        lines = _TomlLines(text)

        def locate(path: tuple[str, ...]) -> str:
            line = lines.line_of(path)
            return f"{source}, line {line}" if line else source

        return cls.from_dict(data, source=source, locate=locate, max_points=max_points)


def _build(cls: type[SweepSpec], data: dict[str, Any], where: Callable[[tuple[str, ...]], str],
           max_points: int | None = None) -> SweepSpec:
    from .. import models as gm  # lazy: sympy

    for key in data:
        if key not in _TOP_KEYS:
            raise _located(where((key,)), unknown_name_error("sweep spec key", key, _TOP_KEYS))
    if ("model" in data) == ("models" in data):
        raise InvalidParameterError(f"{where(())}: give exactly one of 'model' or 'models'.")
    key = "model" if "model" in data else "models"
    names = data[key]
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, Sequence) or not names or not all(isinstance(n, str) for n in names):
        raise InvalidParameterError(f"{where((key,))}: {key!r} must name payment models. Got {names!r} instead.")
    for name in names:
        if name not in gm.names():
            raise _located(where((key,)), unknown_name_error("payment model", name, gm.names()))
    if len(set(names)) != len(names):
        raise InvalidParameterError(f"{where((key,))}: {key!r} lists a model twice: {names!r}.")
    variant = data.get("variant", "core")
    if variant not in VARIANTS:
        raise _located(where(("variant",)), unknown_name_error("model variant", str(variant), VARIANTS))
    known = {n: set(gm.get(n, variant=variant).parameter_names) for n in names}
    fixed = _table(data, "fixed", where)
    axes_data = _table(data, "axes", where)
    for name, value in fixed.items():
        _check_parameter(name, where(("fixed", name)), known, every=False)
        if name in axes_data:
            raise InvalidParameterError(f"{where(('fixed', name))}: {name!r} is both fixed and an axis.")
        for model in names:
            if name in known[model]:
                _check_values(gm, model, name, [value], where(("fixed", name)))
    for model in names:  # cross-parameter rules (e.g. cost_counterfeit <= cost_genuine) on the fixed values
        try:
            gm.get(model, variant=variant, **{k: v for k, v in fixed.items() if k in known[model]})
        except InvalidParameterError as exc:
            raise InvalidParameterError(f"{where(('fixed',))}: {exc}") from exc
    seed = _int(data.get("seed", 0), "seed", where, low=0)
    _check_size(axes_data, len(names), where, max_points)  # before any axis is generated
    axes = []
    for name, definition in axes_data.items():
        loc = where(("axes", name))
        _check_parameter(name, loc, known, every=True)
        axis = Axis.from_definition(name, definition, seed=seed, where=loc)
        for model in names:
            _check_values(gm, model, name, axis.extremes, loc)  # domains are intervals: the extremes decide
        axes.append(axis)
    outputs = data.get("outputs", list(DEFAULT_OUTPUTS))
    if isinstance(outputs, str) or not isinstance(outputs, Sequence) or not outputs:
        raise InvalidParameterError(f"{where(('outputs',))}: 'outputs' must be a non-empty list. Got {outputs!r}.")
    for out in outputs:
        if out not in OUTPUTS:
            raise _located(where(("outputs",)), unknown_name_error("sweep output", str(out), OUTPUTS))
    threshold = _table(data, "threshold", where)
    for name in threshold:
        if name not in _THRESHOLD_KEYS:
            raise _located(where(("threshold", name)), unknown_name_error("threshold option", name, _THRESHOLD_KEYS))
    title = data.get("title", "")
    if not isinstance(title, str):
        raise InvalidParameterError(f"{where(('title',))}: 'title' must be a string. Got {title!r} instead.")
    return cls(
        models=tuple(names),
        fixed=_plain(fixed),
        axes=tuple(axes),
        outputs=tuple(dict.fromkeys(outputs)),
        seed=seed,
        chunk_size=_int(data.get("chunk_size", DEFAULT_CHUNK_SIZE), "chunk_size", where, low=1),
        threshold=_plain(threshold),
        title=title,
        variant=variant,
    )


def _check_size(axes: Mapping[str, Any], n_models: int, where: Callable[[tuple[str, ...]], str],
                max_points: int | None) -> None:
    """Refuse a grid past the points limit from the axes' declared lengths alone (nothing is generated yet)."""
    lengths = {name: _declared_length(definition) for name, definition in axes.items()}
    points = math.prod(n for n in lengths.values() if n is not None) * n_models
    largest = max(lengths, key=lambda name: lengths[name] or 0, default=None)
    axis = f" (the largest axis, {largest!r}, has {lengths[largest]:,} values)" if largest and len(axes) > 1 else ""
    limits.check_points(points, what=f"{where(('axes',))}: the sweep grid", limit=max_points,
                        remedy=f"Use fewer values per axis{axis} or split the sweep; a grid this large "
                               "belongs on the Dask backend (--scheduler tcp://host:8786) with a raised limit.")


def _declared_length(definition: Any) -> int | None:
    """The number of values an axis definition declares (None when it is malformed: reported later)."""
    if isinstance(definition, Mapping) and len(definition) == 1:
        args = next(iter(definition.values()))
        if isinstance(args, Sequence) and not isinstance(args, (str, bytes)) and len(args) == 3:
            count = args[2]
            if isinstance(count, numbers.Integral) and not isinstance(count, bool) and count >= 0:
                return int(count)
        return None
    if isinstance(definition, (Sequence, np.ndarray)) and not isinstance(definition, (str, bytes)):
        return len(definition)
    return None


def _located(location: str, exc: InvalidParameterError) -> InvalidParameterError:
    return InvalidParameterError(f"{location}: {exc}")


def _table(data: dict[str, Any], key: str, where: Callable[[tuple[str, ...]], str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise InvalidParameterError(f"{where((key,))}: [{key}] must be a table. Got {value!r} instead.")
    return dict(value)


def _int(value: Any, key: str, where: Callable[[tuple[str, ...]], str], *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise InvalidParameterError(f"{where((key,))}: {key!r} must be an int >= {low}. Got {value!r} instead.")
    return int(value)


def _check_parameter(name: str, location: str, known: dict[str, set[str]], *, every: bool) -> None:
    from ..models import VOCABULARY  # lazy: sympy

    if name not in VOCABULARY:
        raise _located(location, unknown_name_error("parameter", name, set().union(*known.values())))
    lacking = [m for m, params in known.items() if name not in params]
    if (every and lacking) or len(lacking) == len(known):
        from .. import models as gm  # lazy: sympy

        guess = closest_name(name, set().union(*known.values()))
        hint = f" Did you mean {guess!r}?" if guess else ""
        if name in gm.get(lacking[0], variant="extended").parameter_names:
            hint = " It exists in the extended variant: set variant = \"extended\"."
        raise InvalidParameterError(
            f"{location}: {name!r} is not a parameter of model {lacking[0]!r}; an axis must belong to every "
            f"model swept.{hint}"
        )


def _check_values(gm: Any, model: str, name: str, values: Any, location: str) -> None:
    """Each value inside the parameter's domain for ``model`` (cross-parameter rules are checked per point)."""
    from ..models.parameters import check_array, check_value  # lazy: sympy

    domain = gm.model_class(model).parameter(name).domain
    try:
        if isinstance(values, np.ndarray):
            check_array(model, name, values, domain)
        else:
            for value in values:
                check_value(model, name, value, domain)
    except InvalidParameterError as exc:
        raise InvalidParameterError(f"{location}: {exc}") from exc


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+)""", text)
    return tuple(a or b or c for a, b, c in parts)


class _TomlLines:
    """Best-effort map from a key path to the line of a TOML text that defines it."""

    def __init__(self, text: str) -> None:
        self.entries: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        depth = 0  # inside a multi-line array or inline table
        for number, line in enumerate(text.splitlines(), start=1):
            if depth == 0:
                header = _HEADER.match(line)
                if header:
                    table = _split_key(header.group(1))
                    self.entries.append((table, number))
                    continue
                key = _KEY.match(line)
                if key:
                    path = table + _split_key(key.group(1))
                    self.entries.append((path, number))
                    inline = re.search(r"\{([^}]*)", line[key.end():])
                    for sub in re.finditer(r"([A-Za-z0-9_\-]+)\s*=", inline.group(1) if inline else ""):
                        self.entries.append((path + (sub.group(1),), number))
            stripped = re.sub(r""""[^"]*"|'[^']*'|#.*$""", "", line)
            opened = stripped.count("[") + stripped.count("{")
            depth = max(0, depth + opened - stripped.count("]") - stripped.count("}"))

    def line_of(self, path: tuple[str, ...]) -> int | None:
        """The line defining ``path``, else the line of its closest enclosing table, else None."""
        for length in range(len(path), 0, -1):
            for entry, number in self.entries:
                if entry == path[:length]:
                    return number
        return None
