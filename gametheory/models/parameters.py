r"""The parameter vocabulary shared by every payment model, the CLI, config files and reports.

Every parameter has one name, one sympy symbol, one meaning, one unit, one domain and one documented default.
The defaults form one realistic scenario: an item priced 100 that costs 60 to supply genuine and 20 to fake,
bought by a buyer who values it at 130 (a fake at 20), on a platform taking a 5 % commission; direct payment
uses the seed's "defrauded of 100, 200 deducted from the deposit" (``penalty_multiplier = 2``) with a deposit
of 500 and insurance topping up half the price.

A model may override a default (escrow and cash on delivery refund only, ``penalty_multiplier = 1``) or narrow a
domain (escrow needs ``penalty_multiplier >= 1``); :attr:`Model.params` always shows the values in force.

Units: ``currency`` (money per order), ``probability`` and ``rate`` (numbers in [0, 1]), ``multiple`` (a multiple
of the price), ``count`` (a whole number of orders), ``option`` (one of a few named structural choices; options
have no symbol and cannot be swept).

Examples
--------
>>> from gametheory.models.parameters import VOCABULARY
>>> VOCABULARY["penalty_multiplier"]
Parameter(penalty_multiplier: k = 2, multiple in [0, inf))
>>> str(VOCABULARY["detection_prob"].domain)
'a float in [0, 1]'
"""

from __future__ import annotations

import contextlib
import functools
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._lazy import sympy
from .._validation import Interval, StrOptions, float_array, unknown_name_error
from ..errors import InvalidParameterError

__all__ = ["Parameter", "VOCABULARY", "symbol", "check_value", "check_array", "unknown_parameter"]


@dataclass(frozen=True)
class Parameter:
    """One named model parameter.

    Attributes
    ----------
    name : str
        The one name used by the API, the CLI (``--set name=value``), config files and reports.
    symbol : sympy.Symbol or None
        The symbol in the payoff formulas (``None`` for structural options such as the insurance variant).
    meaning : str
        What it is, in one sentence.
    unit : str
        ``currency``, ``probability``, ``rate``, ``multiple`` or ``option``.
    domain : Interval or StrOptions
        The values allowed.
    default : float or str
        The documented default (the default scenario).

    Examples
    --------
    >>> p = VOCABULARY["price"]
    >>> p.symbol, p.unit, p.default
    (p, 'currency', 100)
    """

    name: str
    _symbol: Any  # a sympy Symbol, a _SymbolSpec (the symbol made on first use: no sympy import before) or None
    meaning: str
    unit: str
    domain: Any
    default: Any

    @property
    def symbol(self) -> sympy.Symbol | None:
        """The symbol in the payoff formulas (``None`` for structural options)."""
        s = self._symbol
        return s.resolve() if isinstance(s, _SymbolSpec) else s

    @property
    def symbol_name(self) -> str | None:
        """The symbol's name (``"k"``), without importing sympy; ``None`` for structural options.

        >>> VOCABULARY["penalty_multiplier"].symbol_name
        'k'
        """
        s = self._symbol
        return None if s is None else str(s.name)

    @property
    def is_option(self) -> bool:
        """True for a structural option (a string choice without a symbol)."""
        return self._symbol is None

    def __repr__(self) -> str:
        sym = self.symbol_name if self._symbol is not None else "option"
        dom = _short_domain(self.domain)
        return f"Parameter({self.name}: {sym} = {self.default!r}, {self.unit} in {dom})"


@dataclass(frozen=True)
class _SymbolSpec:
    """A vocabulary symbol not made yet: ``sympy.Symbol(name, real=True, nonnegative=True)`` on first use."""

    name: str

    def resolve(self) -> sympy.Symbol:
        return _vocabulary_symbol(self.name)


@functools.cache
def _vocabulary_symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True, nonnegative=True)


def _short_domain(domain: Any) -> str:
    text = str(domain)
    for prefix in ("a float in ", "an int in ", "a str among "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


_NONNEG = Interval(float, 0, None)
_POS = Interval(float, 0, None, closed="neither")
_PROB = Interval(float, 0, 1)

_TABLE: list[tuple[str, str | None, str, str, Any, Any]] = [
    # name, symbol, meaning, unit, domain, default
    ("price", "p", "price of the item", "currency", _POS, 100),
    ("value_genuine", "v", "buyer's value of a genuine item", "currency", _NONNEG, 130),
    ("value_counterfeit", "w", "buyer's value of a fake (kept or thrown away)", "currency", _NONNEG, 20),
    ("cost_genuine", "c_g", "seller's unit cost of a genuine item", "currency", _NONNEG, 60),
    ("cost_counterfeit", "c_f", "seller's unit cost of a fake (at most cost_genuine)", "currency", _NONNEG, 20),
    ("commission", "phi", "platform's share of the price on a completed sale", "rate", _PROB, 0.05),
    ("verify_cost", "e", "buyer's cost of checking authenticity and filing a claim", "currency", _NONNEG, 5),
    ("detection_prob", "q", "a verifying buyer detects a fake", "probability", _PROB, 0.8),
    ("claim_upheld", "alpha", "a valid claim is upheld", "probability", _PROB, 0.9),
    ("audit_cost", "a", "platform's cost of auditing the transaction", "currency", _NONNEG, 3),
    ("audit_detection", "r", "an audit catches a fake", "probability", _PROB, 0.5),
    ("fine", "F", "fine on a counterfeiter caught by an audit (a regulatory fine when self-operated)", "currency",
     _NONNEG, 50),
    ("fine_to_platform", "s", "share of the fine the platform keeps (the rest goes to a regulator)", "rate",
     _PROB, 1.0),
    ("reputation_loss", "L", "platform's loss when a fake reaches a buyer undetected", "currency", _NONNEG, 30),
    ("delisting_loss", "W", "seller's future profit lost when fraud is established", "currency", _NONNEG, 0),
    ("penalty_multiplier", "k", "total compensation an established fraud pays the buyer, as a multiple of the "
     "price (refund included)", "multiple", _NONNEG, 2),
    # direct payment
    ("deposit", "D", "seller's deposit held by the platform, from which compensation and fines are paid",
     "currency", _NONNEG, 500),
    ("insurance", None, "insurance variant: 'top_up' pays cover on every established fraud, 'shortfall' pays what "
     "the deposit could not, 'none'", "option", StrOptions({"none", "top_up", "shortfall"}), "top_up"),
    ("deposit_capital_cost", "i_D", "seller's cost of the capital its deposit ties up, per order, as a share of "
     "the deposit (a yearly cost of capital of 10 % over the 50 orders a year the deposit backs: 0.002)", "rate",
     _PROB, 0.002),
    ("insurance_cover", "m", "insurer's cover per established fraud, as a multiple of the price", "multiple",
     _NONNEG, 0.5),
    ("premium", "pi", "insurance premium per order", "currency", _NONNEG, 2),
    ("premium_payer", None, "who pays the insurance premium", "option",
     StrOptions({"seller", "platform", "buyer"}), "seller"),
    # escrow
    ("escrow_cost", "kappa", "platform's per-order cost of holding funds and of its licence", "currency",
     _NONNEG, 1),
    ("settlement_delay_cost", "delta", "seller's capital cost while its money is held, as a share of the price",
     "rate", _PROB, 0.01),
    # cash on delivery
    ("door_detection", "q_0", "a fake is spotted at the door and refused", "probability", _PROB, 0.3),
    ("return_cost", "s_r", "return shipping the seller pays on a refusal", "currency", _NONNEG, 8),
    ("cod_fee", "h", "per-order cash-handling cost (courier time, POS terminal)", "currency", _NONNEG, 2),
    ("refusal_rate", "rho", "buyers who refuse even a genuine item at the door", "probability", _PROB, 0.05),
    ("outside_recovery", "alpha_out", "a later claim succeeds outside the platform (court, card issuer)",
     "probability", _PROB, 0.2),
    # self-operated
    ("min_compensation", "C_min", "statutory minimum of the punitive compensation paid on top of the refund, "
     "whatever the price (China: consumer protection law art. 55, 500; food safety law art. 148, 1,000; 0: none)",
     "currency", _NONNEG, 0),
    ("disclosure_loss", "L_d", "self-operated platform's public loss when a fake it sold is established",
     "currency", _NONNEG, 20),
    # repeated play (gametheory.repeated): the stage game is unchanged, these describe the seller's future
    ("discount_factor", "gamma", "seller's per-period discount factor in repeated play (delta in docs/repeated.md)",
     "rate", Interval(float, 0, 1, closed="left"), 0.8),
    ("verify_rate", "sigma_v", "share of buyers who verify and claim while the seller sells honestly (repeated "
     "play)", "probability", _PROB, 0.1),
    ("audit_rate", "sigma_a", "share of orders the platform audits under its delisting rule (repeated play)",
     "probability", _PROB, 0.05),
    ("store_orders", "n", "orders per period that one store deposit backs (1: the deposit backs one order)",
     "count", Interval(float, 1, None), 1),
    # extended variant
    ("false_claim_upheld", "beta", "a claim without evidence (a false claim) is upheld", "probability", _PROB, 0.01),
    ("hunter_share", "theta", "share of buyers who are professional counterfeit hunters", "probability", _PROB,
     0.05),
    ("hunter_verify_cost", "e_h", "a hunter's cost of checking and claiming", "currency", _NONNEG, 2),
    ("hunter_detection", "q_h", "a hunter detects a fake", "probability", _PROB, 0.95),
    ("resale_value", "R", "a hunter's value of a genuine item (resale value; a fake is worth 0 to it)",
     "currency", _NONNEG, 70),
    ("hunter_entry", None, "how the hunter share is set: 'fixed' (hunter_share is given) or 'free' (hunters "
     "enter until an entered hunter's profit equals hunter_outside_option; hunter_share is then an outcome)",
     "option", StrOptions({"fixed", "free"}), "fixed"),
    ("hunter_outside_option", "O_h", "an entered hunter's outside option: the profit at which hunters stop "
     "entering (free entry only)", "currency", _NONNEG, 1),
]

#: name -> :class:`Parameter`, in documentation order
VOCABULARY: dict[str, Parameter] = {
    name: Parameter(name, _SymbolSpec(sym) if sym else None, meaning, unit, dom, d)
    for name, sym, meaning, unit, dom, d in _TABLE
}


def symbol(name: str) -> sympy.Symbol:
    """The sympy symbol of a numeric parameter.

    Examples
    --------
    >>> symbol("penalty_multiplier")
    k
    """
    par = VOCABULARY.get(name)
    if par is None:
        raise unknown_parameter(name, VOCABULARY, "the vocabulary")
    if par.is_option:
        raise InvalidParameterError(f"The {name!r} parameter is an option and has no symbol.")
    return par.symbol


def unknown_parameter(name: str, allowed: Any, owner: str) -> InvalidParameterError:
    """The error for a parameter name ``owner`` does not have; suggests the closest name.

    Examples
    --------
    >>> print(unknown_parameter("dposit", ["deposit", "price"], "direct"))
    Unknown parameter of direct 'dposit'. Did you mean 'deposit'? Allowed: 'deposit', 'price'.
    """
    err = unknown_name_error(f"parameter of {owner}", name, allowed)
    if name in VOCABULARY:
        err = InvalidParameterError(
            f"The {name!r} parameter does not exist in {owner} (it belongs to other models). "
            f"Allowed: {', '.join(repr(o) for o in sorted(allowed))}."
        )
    return err


def check_value(owner: str, name: str, value: Any, domain: Any) -> Any:
    """Validate one scalar parameter value; return it as a float (numbers) or str (options).

    Raises the standard message, e.g. "The 'price' parameter of direct must be a float in (0, inf). Got -1.0
    instead."

    Examples
    --------
    >>> check_value("direct", "price", 120, VOCABULARY["price"].domain)
    120.0
    """
    if isinstance(domain, StrOptions):
        if value not in domain:
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be {domain}. Got {value!r} instead."
            )
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(float(value))
            or value not in domain):
        raise InvalidParameterError(f"The {name!r} parameter of {owner} must be {domain}. Got {value!r} instead.")
    return float(value)


def check_array(owner: str, name: str, values: Any, domain: Any) -> np.ndarray:
    """Validate an array of parameter values at once (vectorised); return it as float64.

    Examples
    --------
    >>> check_array("direct", "detection_prob", [0.1, 0.5], VOCABULARY["detection_prob"].domain)
    array([0.1, 0.5])
    """
    if isinstance(domain, StrOptions):
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} is an option ({domain}) and cannot vary within a batch; "
            f"build one model per option instead."
        )
    arr = float_array(owner, name, values)
    ok = np.isfinite(arr)
    if domain.left is not None:
        ok &= arr >= domain.left if domain.closed in ("both", "left") else arr > domain.left
    if domain.right is not None:
        ok &= arr <= domain.right if domain.closed in ("both", "right") else arr < domain.right
    if not ok.all():
        bad = arr[~ok].ravel()[0]
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be {domain}. Got {float(bad)!r} (in an array) instead."
        )
    return arr
