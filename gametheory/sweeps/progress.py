"""Progress of a long sweep: a tqdm bar on a terminal, plain log lines otherwise.

Log lines go to the ``gametheory.sweeps`` logger at INFO level (the command line shows them on stderr), at most
one every ``interval`` seconds plus one at the end, so a log file stays short.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

__all__ = ["Progress", "LOGGER"]

LOGGER = logging.getLogger("gametheory.sweeps")


class Progress:
    """Counts finished points and chunks and shows them.

    Parameters
    ----------
    total : int
        Points in the sweep.
    done : int
        Points already finished (a resumed sweep).
    mode : {"auto", "bar", "log", "off"}
        ``auto`` is ``bar`` when stderr is a terminal, else ``log``.
    interval : float
        Seconds between log lines.

    Examples
    --------
    >>> p = Progress(10, mode="off")
    >>> p.update(4, 1); p.update(6, 1); p.close()
    >>> p.done, p.chunks
    (10, 2)
    """

    def __init__(self, total: int, *, done: int = 0, mode: str = "auto", interval: float = 5.0,
                 label: str = "sweep") -> None:
        if mode == "auto":
            mode = "bar" if _isatty() else "log"
        self.total, self.done, self.chunks, self.mode = total, done, 0, mode
        self.interval, self.label = interval, label
        self.started = self._last = time.perf_counter()
        self._first = done
        self._bar: Any = None
        if mode == "bar":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, initial=done, unit="pt", unit_scale=True, desc=label, file=sys.stderr)
        elif mode == "log" and done:
            LOGGER.info("%s: resuming, %d of %d points already done", label, done, total)

    def update(self, points: int, chunks: int = 1) -> None:
        """Record ``points`` more points finished in ``chunks`` chunks."""
        self.done += points
        self.chunks += chunks
        if self._bar is not None:
            self._bar.update(points)
        elif self.mode == "log":
            now = time.perf_counter()
            if now - self._last >= self.interval:
                self._last = now
                self._log()

    def close(self) -> None:
        """Finish the bar, or write the last log line."""
        if self._bar is not None:
            self._bar.close()
        elif self.mode == "log":
            self._log()

    @property
    def rate(self) -> float:
        """Points per second since the start (of this run)."""
        elapsed = time.perf_counter() - self.started
        return (self.done - self._first) / elapsed if elapsed > 0 else 0.0

    def _log(self) -> None:
        share = 100.0 * self.done / self.total if self.total else 100.0
        LOGGER.info("%s: %d/%d points (%.0f%%), %d chunks, %.0f points/s", self.label, self.done, self.total,
                    share, self.chunks, self.rate)


def _isatty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
