"""One writer per sweep folder: an exclusive OS file lock on ``DIR/.lock``, held while a sweep writes there.

:func:`fcntl.flock` locks belong to the open file: the OS releases them when the process that took them dies,
however it dies (``SIGKILL`` included), so a lock left by a killed sweep is simply taken over by the next one; no
pid needs to be probed and no lock file can go stale. The owner's pid, host and start time are written into the
file for the message a second writer gets. (``flock`` works on local file systems; some network file systems
ignore it.)
"""

from __future__ import annotations

import contextlib
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from ..errors import SweepStoreError

__all__ = ["FolderLock", "LOCK"]

LOCK = ".lock"


class FolderLock:
    """The write lock of one folder.

    Parameters
    ----------
    folder : str or Path
        The sweep's output folder (it must exist).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> first = FolderLock(folder)
    >>> first.acquire()
    >>> try:
    ...     FolderLock(folder).acquire()
    ... except SweepStoreError as exc:
    ...     print("is being written by another sweep (pid" in str(exc))
    True
    >>> first.release()
    >>> FolderLock(folder).acquire()  # free again
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`~gametheory.errors.SweepStoreError` naming its owner (never waits)."""
        import fcntl  # POSIX only: imported here so that the package still imports where it is missing

        if self._fd is not None:
            return
        fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 512, 0).decode(errors="replace").split()
            os.close(fd)
            who = f"pid {owner[0]} on {owner[1]}, since {owner[2]}" if len(owner) >= 3 else "another process"
            raise SweepStoreError(
                f"{str(self.folder)!r} is being written by another sweep ({who}); wait for it to end or use "
                "another folder."
            ) from None
        os.ftruncate(fd, 0)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {now}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (a no-op if not held); the file is emptied, as it has no owner any more."""
        import fcntl

        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
