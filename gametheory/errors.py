"""Exceptions raised by gametheory.

Every error this library raises on purpose is a :class:`GametheoryError`, so a caller can catch them all
in one clause; bad arguments are also ``ValueError`` (or ``TypeError``) so generic code keeps working.
"""

from __future__ import annotations

__all__ = ["GametheoryError", "InvalidParameterError", "DegenerateGameError", "SolverError", "SweepStoreError",
           "LimitError"]


class GametheoryError(Exception):
    """Base class of every error raised on purpose by gametheory."""


class InvalidParameterError(GametheoryError, ValueError):
    """An argument or model parameter is outside what is allowed.

    The message names the parameter, the value received and what is allowed, e.g.
    ``The 'tol' parameter of solve must be a float in [0, inf). Got -1.0 instead.``
    """


class DegenerateGameError(GametheoryError):
    """A method that needs a non-degenerate game was given a degenerate one."""


class SolverError(GametheoryError):
    """A solver cannot handle the game it was given (wrong number of players, shape, ...)."""


class SweepStoreError(GametheoryError):
    """A sweep's output folder cannot be used as asked: a chunk fails its check, or another sweep writes there.

    The message is one line naming the folder or the file, e.g.
    ``'out/chunks/chunk-000003.parquet' has 0 bytes; the manifest records 41,230; run the sweep again ...``
    """


class LimitError(GametheoryError, ValueError):
    """A call is refused before it starts: its estimated work or memory passes a documented limit.

    The message names the estimate, the limit and what to do (see :mod:`gametheory.limits` and
    ``docs/limits.md``).
    """
