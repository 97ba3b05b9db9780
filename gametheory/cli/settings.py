"""The ``--set NAME=VALUE`` option shared by every sub-command that takes model parameters.

One parser, one message: ``gametheory solve``, ``threshold``, ``evolve``, ``compare`` (and any sub-command that
sets parameters) add the option with :func:`add_set_option` and read it with :func:`parse_settings`; the names are
then checked by the model, which suggests the closest parameter for a typo. :func:`add_command` adds a
sub-command with its ``run`` function (and ``--json`` where it prints JSON on request); :func:`add_model_command`
one over one payment model: its ``MODEL`` argument and ``--set``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ..errors import InvalidParameterError

__all__ = ["add_command", "add_model_command", "add_set_option", "parse_settings"]

#: the help of a ``MODEL`` argument
MODEL_HELP = "model name (see `gametheory models`)"


def add_command(subparsers: Any, name: str, run: Callable[[argparse.Namespace], int], *, help: str,
                description: str | None, json: str | None = None) -> argparse.ArgumentParser:
    """Add sub-command ``name``, run by ``run(args)`` (``args.run``); with ``json`` (what it prints otherwise,
    e.g. ``"text"``) also the ``--json`` flag (``args.json``). Returns its parser for the rest.

    Examples
    --------
    >>> commands = argparse.ArgumentParser().add_subparsers()
    >>> parser = add_command(commands, "demo", len, help="a demo", description=None, json="text")
    >>> args = parser.parse_args(["--json"])
    >>> args.run is len, args.json
    (True, True)
    """
    parser = subparsers.add_parser(name, help=help, description=description)
    if json is not None:
        parser.add_argument("--json", action="store_true", help=f"print JSON instead of {json}")
    parser.set_defaults(run=run)
    return parser


def add_model_command(subparsers: Any, name: str, run: Callable[[argparse.Namespace], int], *, help: str,
                      description: str | None, json: str | None = None, model_help: str = MODEL_HELP,
                      optional: bool = False, settings: str = "a model parameter") -> argparse.ArgumentParser:
    """:func:`add_command` over one payment model: also the ``MODEL`` argument (``args.model``, None when
    ``optional`` and not given) and ``--set NAME=VALUE`` (``args.settings``, setting ``settings``).

    Examples
    --------
    >>> commands = argparse.ArgumentParser().add_subparsers()
    >>> parser = add_model_command(commands, "demo", len, help="a demo", description=None)
    >>> args = parser.parse_args(["escrow", "--set", "price=80"])
    >>> args.model, args.settings
    ('escrow', ['price=80'])
    """
    parser = add_command(subparsers, name, run, help=help, description=description, json=json)
    parser.add_argument("model", nargs="?" if optional else None, metavar="MODEL", help=model_help)
    add_set_option(parser, settings)
    return parser


def add_set_option(parser: argparse.ArgumentParser, what: str = "a model parameter") -> None:
    """Add the repeatable ``--set NAME=VALUE`` option (parsed into ``args.settings``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_set_option(parser)
    >>> parser.parse_args(["--set", "price=80", "--set", "insurance=none"]).settings
    ['price=80', 'insurance=none']
    """
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help=f"set {what} (repeatable), e.g. --set penalty_multiplier=3")


def parse_settings(settings: list[str]) -> dict[str, Any]:
    """``["k=2", "insurance=none"]`` -> ``{"k": 2.0, "insurance": "none"}`` (numbers become floats).

    Raises
    ------
    InvalidParameterError
        An item is not ``NAME=VALUE`` with a non-empty name and value.

    Examples
    --------
    >>> parse_settings(["penalty_multiplier=3", "insurance=none"])
    {'penalty_multiplier': 3.0, 'insurance': 'none'}
    >>> parse_settings(["k="])
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: --set expects NAME=VALUE (e.g. penalty_multiplier=3). Got 'k=' instead.
    """
    out: dict[str, Any] = {}
    for item in settings:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise InvalidParameterError(f"--set expects NAME=VALUE (e.g. penalty_multiplier=3). Got {item!r} instead.")
        try:
            out[name] = float(value)
        except ValueError:
            out[name] = value
    return out
