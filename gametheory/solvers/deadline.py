"""A deadline for enumerations: the per-game fallback of the batch solvers runs within a time budget."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

__all__ = ["stop_at", "current_deadline"]

#: the time.monotonic() instant after which enumerations stop (None: never); set by :func:`stop_at`
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("enumeration_deadline", default=None)


@contextlib.contextmanager
def stop_at(deadline: float) -> Iterator[None]:
    """Within the block, support enumerations stop at the ``time.monotonic()`` instant ``deadline``: the
    support profile being solved is finished, the rest skipped, and the result says ``complete=False`` (its
    message names the time budget). The per-game fallback of the batch solvers runs under it.

    Examples
    --------
    >>> import time
    >>> import gametheory as gt
    >>> from gametheory.solvers.n_player.support_enumeration import nplayer_support_enumeration
    >>> game = gt.NormalFormGame([[[[1, 0], [0, 1]], [[0, 1], [1, 0]]]] * 3)
    >>> with stop_at(time.monotonic()):
    ...     eqs = nplayer_support_enumeration(game)
    >>> eqs.complete, "time budget" in eqs.message
    (False, True)
    """
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current_deadline() -> float | None:
    """The deadline set by the innermost :func:`stop_at` block, or None."""
    return _DEADLINE.get()
