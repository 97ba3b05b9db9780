"""Human labels for the columns of a sweep table: names, symbols and units from the parameter vocabulary.

>>> label("penalty_multiplier")
'penalty multiplier k (multiple of the price)'
>>> label("counterfeit_rate_max")
'counterfeit rate, worst equilibrium (share of orders)'
"""

from __future__ import annotations

__all__ = ["label", "UNIT_TEXT", "OUTPUT_TEXT"]

#: how a unit is written on an axis
UNIT_TEXT = {
    "currency": "currency per order",
    "probability": "probability",
    "rate": "share of orders",
    "multiple": "multiple of the price",
    "count": "count",
    "option": "option",
    "inverse_currency": "per currency unit",
}

#: names of output columns (without the ``_min``/``_max`` suffix)
OUTPUT_TEXT = {
    "counterfeit_rate": ("counterfeit rate", "rate"),
    "fakes_shipped": ("fakes shipped", "rate"),
    "fakes_refused": ("fakes refused at the door", "rate"),
    "false_claim_rate": ("false-claim rate", "rate"),
    "welfare": ("total welfare", "currency"),
    "buyer_surplus": ("buyer surplus", "currency"),
    "seller_profit": ("seller profit", "currency"),
    "platform_profit": ("platform profit", "currency"),
    "insurer_result": ("insurer result", "currency"),
    "funds_held": ("funds held by the platform", "currency"),
    "n_equilibria": ("number of equilibria", "count"),
    "n_stable": ("number of stable states", "count"),
    "max_regret": ("largest regret", "currency"),
    "counterfeit_rate_qre": ("counterfeit rate at the logit QRE", "rate"),
    "counterfeit_rate_logit": ("counterfeit rate, logit-selected equilibrium", "rate"),
    "logit_precision": ("logit precision λ", "inverse_currency"),
}
_SUFFIX = {"_min": "best equilibrium", "_max": "worst equilibrium"}
_LOWER_IS_BETTER = ("counterfeit_rate", "fakes_shipped", "false_claim_rate", "funds_held")


def label(column: str) -> str:
    """An axis label for a parameter or output column: name, symbol and unit.

    Parameters
    ----------
    column : str
        A column of a sweep table.

    Returns
    -------
    str

    Examples
    --------
    >>> label("deposit")
    'deposit D (currency per order)'
    >>> label("threshold_penalty_multiplier")
    'smallest deterring penalty multiplier k* (multiple of the price)'
    """
    from ..models import VOCABULARY  # lazy: sympy

    if column in VOCABULARY:
        par = VOCABULARY[column]
        sym = f" {par.symbol}" if par.symbol is not None else ""
        return f"{column.replace('_', ' ')}{sym} ({UNIT_TEXT.get(par.unit, par.unit)})"
    if column.startswith("threshold_") and column[10:] in VOCABULARY:
        par = VOCABULARY[column[10:]]
        sym = f" {par.symbol}*" if par.symbol is not None else ""
        return f"smallest deterring {column[10:].replace('_', ' ')}{sym} ({UNIT_TEXT.get(par.unit, par.unit)})"
    for suffix, which in _SUFFIX.items():
        base = column[: -len(suffix)]
        if column.endswith(suffix) and base in OUTPUT_TEXT:
            text, unit = OUTPUT_TEXT[base]
            if base not in _LOWER_IS_BETTER:
                which = {"best equilibrium": "lowest equilibrium", "worst equilibrium": "highest equilibrium"}[which]
            return f"{text}, {which} ({UNIT_TEXT[unit]})"
    if column in OUTPUT_TEXT:
        text, unit = OUTPUT_TEXT[column]
        return f"{text} ({UNIT_TEXT[unit]})"
    return column.replace("_", " ")
