"""Advisory locks that serialise writers of one folder (a data folder, a report folder).

The lock is an OS advisory lock (``flock`` on POSIX, ``msvcrt`` on Windows) on a file inside the
folder: the system releases it when the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rt2gaps.errors import Rt2gapsError

POLL_SECONDS = 0.1


def _try_lock(fileno: int) -> bool:
    try:
        if sys.platform == "win32":  # the test mypy understands, unlike os.name
            import msvcrt

            msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def folder_lock(folder: Path, lock_name: str | None, busy: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock ``<folder>/<lock_name>``; wait up to ``wait`` seconds, then stop with ``busy`` as the error.

    Without ``lock_name`` the folder itself is locked (POSIX), so no lock file is left in a user's
    folder; Windows, which cannot lock a folder, uses ``.rt2gaps.lock``. The folder is created if
    needed; a folder that cannot be created or written is one clear error.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if lock_name is None and os.name != "nt":
            fileno = os.open(folder, os.O_RDONLY)
        else:
            fileno = os.open(folder / (lock_name or ".rt2gaps.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise Rt2gapsError(f"{folder}: cannot write there ({exc.strerror or exc})") from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fileno):
            if time.monotonic() >= deadline:
                raise Rt2gapsError(busy)
            time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fileno)  # closing releases the lock
