"""Payment models as games: the parameter vocabulary and the models, payoffs written once as formulas.

==================== ============================================================ ====================
name                 what it is                                                   players
==================== ============================================================ ====================
``cash_on_delivery`` the buyer pays the courier at the door                       seller, buyer, platform
``escrow``           the buyer pays into the platform's account                   seller, buyer, platform
``direct``           the buyer pays the seller; deposit, multiplier, insurance    seller, buyer, platform
``self_operated``    the platform is the only seller                              seller, buyer
==================== ============================================================ ====================

Every model takes ``variant="core"`` (2x2x2, or 2x2 when self-operated) or ``variant="extended"``
(:mod:`gametheory.models.extended`), and its parameters by name (:data:`VOCABULARY`). Bring your own model with
:func:`from_table` or :func:`load_model_file` (TOML).

Examples
--------
>>> import gametheory as gt
>>> "direct" in gt.models.names()
True
>>> m = gt.models.get("direct", penalty_multiplier=3)
>>> m.penalty_multiplier, m.deposit
(3.0, 500.0)
"""

from __future__ import annotations

import importlib
from typing import Any

from .._validation import unknown_name_error
from .base import Model
from .parameters import VOCABULARY, Parameter

__all__ = [
    "names", "get", "Model", "Parameter", "VOCABULARY", "CashOnDelivery", "Escrow", "Direct", "SelfOperated",
    "from_table", "load_model_file", "CustomModel",
]

#: model name -> (module, class)
REGISTRY: dict[str, tuple[str, str]] = {
    "cash_on_delivery": ("cash_on_delivery", "CashOnDelivery"),
    "direct": ("direct", "Direct"),
    "escrow": ("escrow", "Escrow"),
    "self_operated": ("self_operated", "SelfOperated"),
}
_CLASSES = {cls: (module, cls) for module, cls in REGISTRY.values()}
_CUSTOM = {"from_table": ("custom", "from_table"), "load_model_file": ("custom", "load_model_file"),
           "CustomModel": ("custom", "CustomModel")}


def names() -> list[str]:
    """The built-in model names, sorted.

    Examples
    --------
    >>> names()[0]
    'cash_on_delivery'
    """
    return sorted(REGISTRY)


def model_class(name: str) -> type[Model]:
    """The class registered under ``name`` (unknown names suggest the closest one)."""
    if name not in REGISTRY:
        raise unknown_name_error("model", name, REGISTRY)
    module, cls = REGISTRY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)  # type: ignore[no-any-return]


def get(name: str, **params: Any) -> Model:
    """A model by name with parameters (``variant="extended"`` for the extended game).

    Parameters
    ----------
    name : str
        One of :func:`names`.
    **params
        Parameter values by name; the others take the model's defaults.

    Raises
    ------
    InvalidParameterError
        Unknown model or parameter name (the closest is suggested), or a value outside its domain.

    Examples
    --------
    >>> get("direct").penalty_multiplier
    2.0
    >>> get("direct", variant="extended").shape
    (3, 4, 2, 2)
    """
    return model_class(name)(**params)


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        module, cls = _CLASSES[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
    if name in _CUSTOM:
        module, attr = _CUSTOM[name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
