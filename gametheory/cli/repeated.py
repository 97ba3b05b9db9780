"""``gametheory repeated MODEL [--set name=value ...] [--orders 1,10,100] [--prior-honest P] [--json]``.

Repeated play of one payment model (:mod:`gametheory.repeated`): the smallest discount factor at which honest
selling is subgame perfect under grim trigger and delisting (with its formula and the reason where there is
none), the future a delisting takes away, the smallest multiplier at the seller's discount factor, the smallest
store deposit against store volume (models with a deposit), and the Bayesian rating of a store.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from .._validation import Interval, check_param
from ..errors import InvalidParameterError
from ..limits import RATING_HORIZON
from .settings import add_model_command, parse_settings

__all__ = ["register", "run", "summary"]


def register(subparsers: Any) -> None:
    """Add the ``repeated`` sub-command."""
    parser = add_model_command(
        subparsers, "repeated", run, json="text", model_help="a model with a seller: direct, escrow, cash_on_delivery",
        help="repeated play: the discount factor, multiplier and store deposit that keep a seller honest",
        description="Does the future keep sellers honest? Example: gametheory repeated direct --set "
        "discount_factor=0.9 --orders 1,10,100",
    )
    parser.add_argument("--orders", default="1,10,100,1000",
                        help="store volumes (orders per period) for the store deposit (default: 1,10,100,1000)")
    parser.add_argument("--prior-honest", type=float, default=0.9, help="buyers' prior that a store is honest")
    parser.add_argument("--false-flag-rate", type=float, default=0.02,
                        help="probability an honest store's order is flagged anyway (default: 0.02)")
    parser.add_argument("--horizon", type=int, default=200, help="periods of the rating game (default: 200)")


def _orders(text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        values = []
    if not values or any(v < 1 or v != int(v) for v in values):
        raise InvalidParameterError(f"--orders must be whole numbers >= 1 separated by commas. Got {text!r} instead.")
    return values


def summary(model: Any, *, orders: list[float], prior_honest: float, false_flag_rate: float,
            horizon: int) -> dict[str, Any]:
    """Every repeated-play answer for one model, as plain data (what ``--json`` prints).

    Examples
    --------
    >>> import gametheory as gt
    >>> data = summary(gt.models.get("direct"), orders=[1, 10], prior_honest=0.9, false_flag_rate=0.0, horizon=50)
    >>> round(data["min_discount_factor"], 4), data["store_deposit"]["deposit"]      # k = 2: per order, no deposit
    (0.8661, [None, 0.0])
    """
    from .. import repeated  # lazy: pandas, scipy, sympy
    from ..repeated.incentives import seller_incentives  # lazy: pandas, scipy, sympy

    delta = repeated.min_discount_factor(model)
    values, _ = model._arguments({})
    stage = {k: float(v[0]) for k, v in seller_incentives(model).evaluate(values, 1).items()}
    k_now = repeated.min_penalty_multiplier(model)
    k_none = repeated.min_penalty_multiplier(model.with_params(discount_factor=0.0))
    data: dict[str, Any] = {
        "model": model.name,
        "changed": {k: v for k, v in model.params.items() if v != model.parameter(k).default},
        "discount_factor": float(model.discount_factor),
        "stage": stage,
        "min_discount_factor": delta.value,
        "reason": delta.reason,
        "formula": str(delta.formula),
        "verified": delta.verified,
        "continuation_value": repeated.continuation_value(model),
        "min_penalty_multiplier": k_now.value,
        "multiplier_reason": k_now.reason,
        "min_penalty_multiplier_one_sale": k_none.value,
    }
    if "store_orders" in model.parameter_names:
        store = repeated.min_store_deposit(model, points={"store_orders": orders})
        data["store_deposit"] = {"orders": orders, "deposit": [_num(x) for x in store.value],
                                 "reason": [str(x) for x in store.reason]}
    rating = repeated.reputation(model, prior_honest=prior_honest, false_flag_rate=false_flag_rate,
                                 horizon=horizon)
    data["reputation"] = {name: getattr(rating, name) for name in rating.__dataclass_fields__}
    return data


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _text(data: dict[str, Any]) -> str:
    changed = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in data["changed"].items())
    s = data["stage"]
    delta = data["min_discount_factor"]
    lines = [
        f"{data['model']}, {changed or 'defaults'}",
        f"stage:       honest pi_H = {s['honest']:.6g}, counterfeit pi_C = {s['deviation']:.6g}, fraud established "
        f"with P = {s['detection']:.6g} (verify_rate, audit_rate)",
        f"delta*:      {'none' if delta is None else f'{delta:.6g}'}  ({data['reason']})",
        "formula:     delta* = (pi_C - pi_H) / (pi_C - pi_H + P (pi_H - pi_0)), pi_0 = 0 once delisted (--json: in "
        "the model's parameters)",
        f"future:      at delta = {data['discount_factor']:g} delisting takes {data['continuation_value']:.6g} "
        f"(the endogenous delisting loss)",
        f"multiplier:  k* = {_show(data['min_penalty_multiplier'])} at delta = {data['discount_factor']:g}, "
        f"{_show(data['min_penalty_multiplier_one_sale'])} in one sale ({data['multiplier_reason']})",
    ]
    if "store_deposit" in data:
        st = data["store_deposit"]
        cells = ", ".join(f"n={int(n)}: {_show(d)}" + (f" ({d / n:.4g}/order)" if d is not None else "")
                          for n, d in zip(st["orders"], st["deposit"], strict=True))
        lines.append(f"store:       smallest deterring store deposit {cells}")
    r = data["reputation"]
    lines.append(
        f"rating:      trust while belief >= {r['trust_threshold']:.4g}; an always-faking store is recognised after "
        f"{r['expected_recognition']:.4g} orders on average (rate {r['recognition_rate']:.4g} nats/order); an honest "
        f"store loses trust by mistake with probability {r['false_recognition']:.4g}; a strategic store is "
        f"{'honest' if r['honest_at_start'] else 'not honest'} at the start and stays honest "
        f"{r['honest_periods']} periods on a clean record")
    return "\n".join(lines)


def _show(x: Any) -> str:
    return "none" if x is None else f"{x:.6g}"


def run(args: argparse.Namespace) -> int:
    """Build the model, compute, print."""
    from .. import models  # lazy: sympy

    # checked before anything is imported or computed (the rating game comes last)
    check_param("reputation", "horizon", args.horizon, Interval(int, 1, RATING_HORIZON))
    model = models.get(args.model, **parse_settings(args.settings))
    data = summary(model, orders=_orders(args.orders), prior_honest=args.prior_honest,
                   false_flag_rate=args.false_flag_rate, horizon=args.horizon)
    print(json.dumps(data, indent=2, default=float) if args.json else _text(data))
    return 0
