"""Write a folder of files atomically: all files land together or none do, and nothing rt2gaps did not write is lost.

A folder is swapped in by renames, with a small journal (``.NAME.swap.json``) written before the first
rename: a process killed half-way leaves the journal, and the next write of that folder (or the next
read of a user snapshot) finishes the swap from it. The staging folders and temporary files a killed
process leaves (``.NAME.XXXXXXXX``, ``.NAME.XXXXXXXX.tmp``) are recognised by their exact names and
removed; nothing else is. An existing folder holding anything but the files this writer writes (a
user's own folder given as ``--out``), or a symbolic link where a folder goes, is refused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from rt2gaps.atomic import naming
from rt2gaps.errors import Rt2gapsError

PREVIOUS_SUFFIX = ".previous"
RETIRED_SUFFIX = ".retired"  # the older previous level, deleted only once the new folder is in place
JOURNAL_SUFFIX = ".swap.json"
_RANDOM = r"[a-z0-9_]{8}"  # tempfile's random part


def csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    """CSV text with a fixed column order and Unix line ends, so rebuilds are byte-identical."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_text(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def previous_of(target: Path) -> Path:
    return target.with_name(target.name + PREVIOUS_SUFFIX)


def _retired_of(target: Path) -> Path:
    return target.parent / f".{target.name}{RETIRED_SUFFIX}"


def _journal_of(target: Path) -> Path:
    return target.parent / f".{target.name}{JOURNAL_SUFFIX}"


def _staging_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.{_RANDOM}")


class FolderRefusedError(Rt2gapsError):
    """A folder rt2gaps would have to replace is not its own (a user's files, a symbolic link)."""


def check_own_folder(folder: Path, allowed: Iterable[str] | Callable[[str], bool], what: str) -> None:
    """Refuse ``folder`` unless it is absent, or a real folder holding only regular files ``allowed`` names
    (a collection of names, or a test of a name).

    This is how rt2gaps knows a folder is one it wrote itself before replacing it: a user's folder with
    anything else in it, or a symbolic link, is never replaced.
    """
    if folder.is_symlink():
        raise FolderRefusedError(f"{folder}: is a symbolic link; rt2gaps writes a real folder there and does "
                                 "not replace a link (remove it or choose another folder)")  # fmt: skip
    if not folder.exists():
        return
    if not folder.is_dir():
        raise FolderRefusedError(f"{folder}: exists and is not a folder; rt2gaps does not replace it")
    accept = allowed if callable(allowed) else set(allowed).__contains__
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise Rt2gapsError(f"{folder}: cannot read ({exc.strerror or exc})") from None
    foreign = sorted(entry.name for entry in entries if not accept(entry.name) or entry.is_symlink()
                     or not entry.is_file())  # fmt: skip
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise FolderRefusedError(f"{folder}: not a {what} written by rt2gaps (it holds {shown}); rt2gaps replaces only "
                           "its own folders: choose another folder")  # fmt: skip


def swap_interrupted(target: Path) -> bool:
    """True when a swap of ``target`` was interrupted (its journal is still there)."""
    return _journal_of(target).exists()


def finish_interrupted_swap(target: Path) -> None:
    """Complete (or, when the new folder is gone, roll back) a swap of ``target`` that a kill interrupted.

    Call only while holding the lock that serialises writers of ``target``. Does nothing without a journal.
    """
    journal = _journal_of(target)
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        record = {}
    staging_name = str(record.get("staging", ""))
    staging = target.parent / staging_name if _staging_pattern(target).fullmatch(staging_name) else None
    previous, retired = previous_of(target), _retired_of(target)
    if staging is not None and staging.is_dir() and not staging.is_symlink():
        _rename_steps(target, staging)
        _discard(retired)
        if not record.get("keep_previous", True):
            _discard(previous)
    else:
        roll_back(target)
    journal.unlink(missing_ok=True)


def roll_back(target: Path) -> None:
    """Undo the renames of a swap whose new folder is not in place: the old folder and its previous return."""
    previous, retired = previous_of(target), _retired_of(target)
    if not target.exists() and previous.is_dir() and not previous.is_symlink():
        os.rename(previous, target)
    if retired.is_dir() and not retired.is_symlink() and not previous.exists():
        os.rename(retired, previous)
    _discard(retired)


def _rename_steps(target: Path, staging: Path) -> None:
    """previous -> retired, target -> previous, staging -> target; each step skipped once done."""
    if target.exists():
        previous = previous_of(target)
        if previous.exists():
            os.rename(previous, _retired_of(target))
        os.rename(target, previous)
    os.rename(staging, target)


def _discard(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the staging folders and temporary files a killed writer of ``target`` left; nothing else.

    Call only while holding the lock that serialises writers of ``target``.
    """
    finish_interrupted_swap(target)
    removed: list[Path] = []
    staging = _staging_pattern(target)
    temporary = re.compile(rf"\.{re.escape(target.name)}\.{_RANDOM}\.tmp")
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in siblings:
        if entry.is_symlink():
            continue
        if staging.fullmatch(entry.name) and entry.is_dir():
            shutil.rmtree(entry)
            removed.append(entry)
        elif temporary.fullmatch(entry.name) and entry.is_file():
            entry.unlink()
            removed.append(entry)
    _discard(_retired_of(target))
    return removed


def swap_in_folder(staging: Path, target: Path, keep_previous: bool = False) -> None:
    """Put the complete folder ``staging`` (a sibling of ``target``) in place of ``target`` by renames.

    A journal written first lets ``finish_interrupted_swap`` complete the swap after a kill.
    """
    journal = _journal_of(target)
    from rt2gaps.atomic import write_bytes_atomically

    record = {"staging": staging.name, "keep_previous": keep_previous}
    write_bytes_atomically(journal, json_text(record).encode("utf-8"))
    _rename_steps(target, staging)
    _discard(_retired_of(target))
    if not keep_previous:
        _discard(previous_of(target))
    journal.unlink(missing_ok=True)


def write_folder_atomically(
    target: Path,
    files: dict[str, str],
    keep_previous: bool = False,
    *,
    allowed: Iterable[str] | Callable[[str], bool] | None = None,
    what: str = "folder",
) -> None:
    """Write ``files`` (name -> text) into a fresh folder beside ``target``, then swap it in by rename.

    The old folder stays intact until the new one is complete; with ``keep_previous`` it is kept
    as ``<target>.previous``. ``target`` and its previous level must be absent or folders holding only
    files named in ``allowed`` (default: the names being written); anything else is refused before
    anything is written. Writers of one ``target`` take turns (a lock on its parent folder).
    """
    target = Path(target)
    names = allowed if allowed is not None else set(files)
    check_own_folder(target, names, what)
    check_own_folder(previous_of(target), names, what)
    from rt2gaps.locking import folder_lock

    busy = f"{target}: another rt2gaps process is still writing this folder"
    with folder_lock(target.parent, None, busy, wait=600.0):  # writers of one folder take turns
        remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        staging.chmod(0o755)
        try:
            for name, text in files.items():
                try:
                    (staging / name).write_text(text, encoding="utf-8", newline="")
                except OSError as exc:
                    raise naming(exc, target / name) from None  # a full disk: say which file
            swap_in_folder(staging, target, keep_previous)
        except BaseException:
            _undo(target, staging)
            raise


def _undo(target: Path, staging: Path) -> None:
    """After an error or a signal during a write: finish a swap whose new folder is in place, else roll back."""
    journal = _journal_of(target)
    try:
        if journal.exists() and not staging.exists():
            finish_interrupted_swap(target)
        else:
            shutil.rmtree(staging, ignore_errors=True)
            roll_back(target)
            journal.unlink(missing_ok=True)
    except OSError:
        pass  # the journal stays: the next write or read finishes or rolls back
