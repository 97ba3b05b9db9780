"""A tokenizer and cursor for Gambit's text formats, with errors that name the file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from ..errors import InvalidParameterError
from ..limits import read_limited

__all__ = ["Token", "Cursor", "tokenize", "quote", "number_text", "to_number", "read_text"]

_TOKEN = re.compile(
    r"""(?P<space>[ \t\r\n,]+)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)
      | (?P<brace>[{}])
      | (?P<word>[A-Za-z_]+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One token of a Gambit file: its kind, its text as written, and its line (for error messages).

    Examples
    --------
    >>> tokenize('"Row" 1/2 {', "game.nfg")[1]
    Token(kind='number', text='1/2', line=1)
    """

    kind: str  # "string", "number", "brace", "word"
    text: str
    line: int

    @property
    def value(self) -> str:
        """The text of a string token without quotes and escapes."""
        return re.sub(r"\\(.)", r"\1", self.text[1:-1]) if self.kind == "string" else self.text


def tokenize(text: str, source: str) -> list[Token]:
    """Split ``text`` into tokens; commas count as white space.

    Examples
    --------
    >>> [t.kind for t in tokenize('NFG 1 R "A game" { "Row" "Col" }', "game.nfg")]
    ['word', 'number', 'word', 'string', 'brace', 'string', 'string', 'brace']
    """
    tokens = []
    pos, line = 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            snippet = text[pos : pos + 20].split("\n")[0]
            raise InvalidParameterError(f"{source}: line {line}: unexpected text {snippet!r}.")
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append(Token(kind, match.group(), line))
        line += match.group().count("\n")
        pos = match.end()
    return tokens


class Cursor:
    """Walks a token list; every ``expect_*`` raises a one-line error naming the file, line and token.

    Examples
    --------
    >>> cursor = Cursor(tokenize('{ "Row" "Column" } 3', "game.nfg"), "game.nfg")
    >>> cursor.strings_in_braces("player names"), cursor.integer("a count")
    (['Row', 'Column'], 3)
    """

    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == kind and (text is None or tok.text == text)

    def next(self, kind: str, what: str, text: str | None = None) -> Token:
        tok = self.peek()
        if tok is None or tok.kind != kind or (text is not None and tok.text != text):
            self.fail(f"expected {what}")
        assert tok is not None
        self.pos += 1
        return tok

    def integer(self, what: str) -> int:
        tok = self.next("number", what)
        if not re.fullmatch(r"[+-]?\d+", tok.text):
            self.fail(f"expected {what} (an integer)", back=1)
        return int(tok.text)

    def string(self, what: str) -> str:
        return self.next("string", what).value

    def strings_in_braces(self, what: str) -> list[str]:
        self.next("brace", f"'{{' opening {what}", "{")
        out = []
        while not self.at("brace", "}"):
            out.append(self.string(f"a quoted label in {what}"))
        self.pos += 1
        return out

    def numbers_in_braces(self, what: str) -> list[str]:
        self.next("brace", f"'{{' opening {what}", "{")
        out = []
        while not self.at("brace", "}"):
            out.append(self.next("number", f"a number in {what}").text)
        self.pos += 1
        return out

    def fail(self, message: str, back: int = 0) -> NoReturn:
        tok = self.tokens[self.pos - back] if self.pos - back < len(self.tokens) else None
        where = f"line {tok.line}: got {tok.text!r}" if tok else "got the end of the file"
        raise InvalidParameterError(f"{self.source}: {message}, {where}.")


def to_number(text: str, exact: bool) -> Any:
    """A number token as ``int``/``Fraction`` (exact files) or ``int``/``float``.

    Examples
    --------
    >>> to_number("1/3", True), to_number("0.25", False)
    (Fraction(1, 3), 0.25)
    """
    if "/" in text or exact:
        return Fraction(text)
    value: int | float = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    if abs(value) > 2**1023:
        raise InvalidParameterError(f"The number {text[:40]!r} is too large (it does not fit in a float).")
    return value


def number_text(x: Any) -> str:
    """A payoff or probability as Gambit writes it: ``p/q`` for rationals, positional decimals for floats.

    Examples
    --------
    >>> from fractions import Fraction
    >>> number_text(Fraction(1, 3)), number_text(0.5)
    ('1/3', '0.5')
    """
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    value = float(x)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return np.format_float_positional(value, unique=True, trim="-")


def quote(text: str) -> str:
    """A Gambit string literal.

    Examples
    --------
    >>> print(quote("Row player"))
    "Row player"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_text(path: str | Path) -> str:
    """The text of a game file (:func:`gametheory.limits.read_limited`), or a one-line error when it is missing,
    not UTF-8 or past the size limit.

    Examples
    --------
    >>> read_text("no/such/game.nfg")
    Traceback (most recent call last):
    ...
    gametheory.errors.InvalidParameterError: No such game file: 'no/such/game.nfg'.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidParameterError(f"No such game file: {str(path)!r}.")
    try:
        return read_limited(p)
    except UnicodeDecodeError:
        raise InvalidParameterError(f"{path}: not a text file (it is not UTF-8).") from None
