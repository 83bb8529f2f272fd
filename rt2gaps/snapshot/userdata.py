"""Where user snapshots and the raw cache live, and which snapshot every command reads.

The snapshot layer: the history cache and every surface read from here; ``refresh`` writes the folders.

The bundled snapshot (``data/snapshot``) is read-only. ``fetch`` and ``import`` write to
``<data>/snapshot`` (the previous one kept as ``<data>/snapshot.previous``), where ``<data>`` is
``--data DIR``, else ``$RT2GAPS_DATA``, else the platform's user data folder. Every command reads the
newest *valid* snapshot there (all files present, checksums as the manifest records them), else the
bundled one: a damaged or half-written user snapshot is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.snapshot.schema import EVENTS_FILE, MANIFEST_FILE, STATES_FILE

if TYPE_CHECKING:
    from rt2gaps.snapshot.store import Snapshot

APP_NAME = "rt2gaps"
DATA_ENV = "RT2GAPS_DATA"
CACHE_ENV = "RT2GAPS_CACHE"
SNAPSHOT_NAME = "snapshot"
PREVIOUS_NAME = "snapshot.previous"
REFRESH_KEY = "refresh"  # manifest block a refresh adds: created_at, kind, base, file checksums
LOCK_NAME = ".update.lock"


def data_dir(explicit: Path | str | None = None) -> Path:
    """``--data DIR``, else ``$RT2GAPS_DATA``, else the platform user data folder."""
    return _chosen_folder(explicit, DATA_ENV, "user_data_dir")


def cache_dir(explicit: Path | str | None = None) -> Path:
    """``--cache DIR``, else ``$RT2GAPS_CACHE``, else the platform user cache folder."""
    return _chosen_folder(explicit, CACHE_ENV, "user_cache_dir")


def _chosen_folder(explicit: Path | str | None, variable: str, platform_folder: str) -> Path:
    """The option's folder, else the environment variable's, else platformdirs' ``platform_folder`` for rt2gaps."""
    if explicit:
        return Path(explicit)
    if os.environ.get(variable):
        return Path(os.environ[variable])
    import platformdirs

    return Path(getattr(platformdirs, platform_folder)(APP_NAME, appauthor=False))


def user_snapshot_dir(data: Path) -> Path:
    return data / SNAPSHOT_NAME


def previous_snapshot_dir(data: Path) -> Path:
    return data / PREVIOUS_NAME


@contextmanager
def update_lock(data: Path) -> Iterator[None]:
    """Hold the data folder's update lock, so two refreshes (a nightly job and a user) never interleave.

    An OS advisory lock on ``<data>/.update.lock`` (``rt2gaps.locking``): released when the process
    dies. Raises ``Rt2gapsError`` at once rather than waiting.
    """
    from rt2gaps.locking import folder_lock

    busy = f"{data}: another rt2gaps fetch or import is updating this data folder; run again when it has finished"
    with folder_lock(data, LOCK_NAME, busy):
        yield


def file_checksums(files: dict[str, str]) -> dict[str, str]:
    """sha256 of each table's UTF-8 text, recorded in the manifest so a damaged folder is detected."""
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in files.items()}


def read_refresh_block(folder: Path) -> dict | None:
    """The manifest's refresh block of a valid user snapshot; None when anything is missing or damaged."""
    return checked_refresh_block(folder)[0]


def checked_refresh_block(folder: Path) -> tuple[dict | None, str]:
    """(the refresh block, "") of a valid user snapshot, else (None, what is wrong with it)."""
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"{MANIFEST_FILE} is missing"
    except (OSError, ValueError):
        return None, f"{MANIFEST_FILE} cannot be read whole"
    block = manifest.get(REFRESH_KEY) if isinstance(manifest, dict) else None
    if not isinstance(block, dict) or not isinstance(block.get("files_sha256"), dict):
        return None, f"{MANIFEST_FILE} has no checksums of its tables"
    for name in (EVENTS_FILE, STATES_FILE):
        try:
            digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        except OSError:
            return None, f"{name} is missing or unreadable"
        if block["files_sha256"].get(name) != digest:
            return None, f"{name} does not match the checksum in its manifest: truncated or changed"
    return block, ""


def newest_valid_snapshot(data: Path) -> Path | None:
    """The newest valid user snapshot (current or previous, by creation time), or None.

    A user snapshot that is there but damaged is skipped with a warning on stderr naming it, every time.
    """
    candidates = []
    for folder in (user_snapshot_dir(data), previous_snapshot_dir(data)):
        block, damage = checked_refresh_block(folder)
        if block is not None:
            candidates.append((str(block.get("created_at", "")), folder == user_snapshot_dir(data), folder))
        elif folder.is_dir():
            sys.stderr.write(f"rt2gaps: warning: the user snapshot {folder} is damaged ({damage}) and was skipped\n")
    if not candidates:
        return None
    return max(candidates)[2]


def current_snapshot_dir(data: Path | str | None = None) -> Path:
    """The snapshot folder every command reads: the newest valid user snapshot, else the bundled one.

    A swap that a kill interrupted is finished first (when no update holds the folder).
    """
    folder = data_dir(data)
    finish_interrupted_update(folder)
    return newest_valid_snapshot(folder) or BUNDLED_SNAPSHOT_DIR


def finish_interrupted_update(data: Path) -> None:
    """Finish the snapshot swap a killed fetch or import left half-done, if any (under the update lock)."""
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.snapshot.write import finish_interrupted_swap, swap_interrupted

    target = user_snapshot_dir(data)
    if not swap_interrupted(target):
        return
    try:
        with update_lock(data):
            finish_interrupted_swap(target)
    except (Rt2gapsError, OSError):
        pass  # an update is running (it finishes the swap itself), or the folder is read-only


def describe_snapshot_dir(folder: Path) -> str:
    """'bundled (read-only)' or 'user snapshot of <date> (fetch)' for ``snapshot info``."""
    if folder.resolve() == BUNDLED_SNAPSHOT_DIR.resolve():
        return "bundled (read-only)"
    block = read_refresh_block(folder) or {}
    return f"user snapshot made {block.get('created_at', '?')} by {block.get('kind', '?')}"


# --- the snapshot in use ----------------------------------------------------------------------------


def current_snapshot() -> Snapshot:
    """The snapshot every command reads: the newest valid user snapshot (fetch, import), else the bundled one.

    The user data folder is ``$RT2GAPS_DATA`` or the platform's; a user snapshot that cannot be read
    whole falls back to the bundled one rather than stopping every command. The folder is chosen on
    every call and each folder's content loaded once, so a session (a notebook, the tests) that
    points ``RT2GAPS_DATA`` elsewhere reads that folder's snapshot, and one that another process
    refreshed meanwhile reads the new one.
    """
    folder = current_snapshot_dir()
    return _snapshot_in(folder, _content_stamp(folder))


def forget_loaded_snapshots() -> None:
    """Drop the loaded snapshots (a refresh in this process swapped a new one in; ``current_snapshot``
    would see it by its manifest anyway)."""
    _snapshot_in.cache_clear()


def _content_stamp(folder: Path) -> tuple[int, int, int] | None:
    """What says the folder's content changed: its manifest's inode, size and time (a swap writes a new one)."""
    try:
        stat = (folder / MANIFEST_FILE).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=4)
def _snapshot_in(folder: Path, stamp: tuple[int, int, int] | None) -> Snapshot:
    """The snapshot in ``folder`` as it was when its manifest had ``stamp``: loaded once per content."""
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.snapshot.store import load_snapshot

    if folder != BUNDLED_SNAPSHOT_DIR:
        try:
            return load_snapshot(folder)
        except (Rt2gapsError, OSError, TypeError):
            pass
    return load_snapshot(BUNDLED_SNAPSHOT_DIR)
