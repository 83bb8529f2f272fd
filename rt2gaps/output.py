"""The output folder of a run: locked, written in a staging folder, published only when everything succeeded.

Every file of a run (workbook, CSV folder, charts, briefs) is first written into a hidden staging folder
inside ``--out``; only when the whole run succeeded are they moved to their final names. A run that
fails or is stopped leaves no file of its own under a final name, and nothing it did not write is
touched. Two runs into one folder take turns (an advisory lock), so the CSV-folder swap never races.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rt2gaps.errors import Rt2gapsError
from rt2gaps.locking import folder_lock
from rt2gaps.snapshot.write import check_own_folder, previous_of, remove_leftovers, swap_in_folder

STAGING_PREFIX = ".rt2gaps-run."
_STAGING = re.compile(rf"{re.escape(STAGING_PREFIX)}[a-z0-9_]{{8}}")
LOCK_WAIT_SECONDS = 600.0


def writable_folder(folder: Path, label: str | None = None) -> Path:
    """A folder that exists, or can be created, and can be written; anything else is one clear error.

    Nothing is created here (a run refused later must leave no trace): the nearest existing folder on
    the path is checked instead. ``label`` names where the folder came from in the message (the caller
    that knows: an option, an environment variable); without it the message starts with the folder.
    """
    folder = Path(folder)
    where = f"{label} {folder}" if label else str(folder)
    if folder.exists() and not folder.is_dir():
        raise Rt2gapsError(f"{where}: exists and is not a folder")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise Rt2gapsError(f"{where}: cannot create the folder ({existing} is not a folder)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise Rt2gapsError(f"{where}: {'the folder' if existing == folder else existing} is not writable")
    return folder


@contextmanager
def staged_output(out: Path, folders: dict[str, Callable[[str], bool]]) -> Iterator[Path]:
    """Yield a staging folder inside ``out``; on success publish its content into ``out``, else discard it.

    ``folders`` names the staged sub-folders that replace their namesake whole (the CSV folder), each
    with the test its existing files must pass to be recognised as rt2gaps's own; other sub-folders
    (charts, briefs) are merged file by file.
    """
    writable_folder(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Rt2gapsError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    try:
        with _published(out, folders) as staging:
            yield staging
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()  # the folder this failed run created, if it is still empty
        raise


@contextmanager
def _published(out: Path, folders: dict[str, Callable[[str], bool]]) -> Iterator[Path]:
    busy = f"{out}: another rt2gaps run is still writing into this folder"
    with folder_lock(out, None, busy, wait=LOCK_WAIT_SECONDS):
        for entry in out.iterdir():  # what a killed run left
            if _STAGING.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        try:
            yield staging
            publish(staging, out, folders)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path, folders: dict[str, Callable[[str], bool]]) -> None:
    """Move the staged files to their final names; every check is made before the first move."""
    entries = sorted(staging.iterdir())
    for entry in entries:
        final = out / entry.name
        if entry.is_dir() and entry.name in folders:
            check_own_folder(final, folders[entry.name], "report folder")
            check_own_folder(previous_of(final), folders[entry.name], "report folder")
        elif entry.is_dir():
            if final.is_symlink() or (final.exists() and not final.is_dir()):
                raise Rt2gapsError(f"{final}: exists and is not a folder; rt2gaps does not replace it")
        elif final.is_dir() and not final.is_symlink():
            raise Rt2gapsError(f"{final}: is a folder; rt2gaps does not replace it with a file")
    for entry in entries:
        final = out / entry.name
        if entry.is_dir() and entry.name in folders:
            remove_leftovers(final)
            swap_in_folder(entry, final)
        else:
            _merge(entry, final)


def _merge(staged: Path, final: Path) -> None:
    """A staged folder's files into ``final`` file by file (sub-folders too), or a staged file to its name."""
    if staged.is_dir():
        final.mkdir(exist_ok=True)
        for item in sorted(staged.iterdir()):
            _merge(item, final / item.name)
    else:
        _replace(staged, final)


def _replace(staged: Path, final: Path) -> None:
    """Move a staged file to its final name, removing the temporary files a killed writer of it left."""
    remove_leftovers(final)
    os.replace(staged, final)
