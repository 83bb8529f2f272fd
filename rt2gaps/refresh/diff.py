"""What changed between two snapshots, or between two dates on one snapshot.

Rows: new signatures, consents and withdrawals per participant and instrument, status changes per
State and instrument (evaluated on one date in both snapshots), and instruments whose source
changed (other file, other checksum, other as-of date). ``changes_frame`` is the DataFrame the
report's "Changes" sheet can use.

Cells are typed, never formatted here: ``change`` is a code (``new consent``), a status cell is the
status code, an act, a source or a day is a ``Phrase`` with real dates inside. Each writer says them in
its language (``str()`` gives the English the command line prints); nothing parses text back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.catalogue import load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.phrase import Phrase
from rt2gaps.snapshot.schema import CONSENT_ACTS, SIGNATURE_ACTS, UNDO_ACTS
from rt2gaps.snapshot.store import Event, Snapshot, load_snapshot
from rt2gaps.snapshot.userdata import current_snapshot_dir, data_dir, previous_snapshot_dir, user_snapshot_dir
from rt2gaps.sources.user_table import USER_TABLE_KEY, user_table_label
from rt2gaps.status import DEFAULT_STALE_AFTER

if TYPE_CHECKING:
    import pandas as pd

CHANGE_COLUMNS = ["instrument", "iso3", "participant", "change", "old", "new", "detail"]
KIND_OF_ACT = {
    **{act: "signature" for act in SIGNATURE_ACTS},
    **{act: "consent" for act in CONSENT_ACTS},
    **{act: "withdrawal" for act in UNDO_ACTS},
}


def _key(event: Event) -> tuple[str, str, str]:
    return (event.instrument, event.iso3, event.iso3 or event.participant)


def _acts(snapshot: Snapshot) -> dict[tuple[str, str, str], set[tuple[str, str]]]:
    acts: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    for event in snapshot.events:
        acts.setdefault(_key(event), set()).add((event.act, event.date))
    return acts


def _names(snapshot: Snapshot) -> dict[tuple[str, str, str], str]:
    return {_key(e): e.participant for e in snapshot.events}


# A cell of a Changes row: "" (nothing), a code (``party``, a source format) or a Phrase.
Cell = str | Phrase


def act_cell(act: str, day: str) -> Phrase:
    """An act and its day as the source gives it (``ratification`` on 1999-03-08, a year alone, or no day)."""
    label = Phrase.of(f"act.{act}")
    if not day:
        return label
    return Phrase.of("change.act_on_day", act=label, day=date.fromisoformat(day) if len(day) == 10 else day)


def day_cell(start: date, end: date) -> Phrase:
    """The day statuses were compared on, or the two days of a window."""
    return Phrase.of("change.on_day", day=end) if start == end else Phrase.of("change.window", start=start, end=end)


def act_changes(old: Snapshot, new: Snapshot) -> list[dict[str, Cell]]:
    """Acts one snapshot records and the other does not: new (or removed) signatures, consents, withdrawals."""
    before, after = _acts(old), _acts(new)
    names = {**_names(old), **_names(new)}
    rows: list[dict[str, Cell]] = []
    for key in sorted(set(before) | set(after)):
        for act, day in sorted(after.get(key, set()) - before.get(key, set())):
            rows.append(_row(key, names, f"new {KIND_OF_ACT.get(act, act)}", "", act_cell(act, day)))
        for act, day in sorted(before.get(key, set()) - after.get(key, set())):
            rows.append(_row(key, names, f"removed {KIND_OF_ACT.get(act, act)}", act_cell(act, day), ""))
    return rows


def _row(
    key: tuple[str, str, str], names: dict, change: str, old: Cell, new: Cell, detail: Cell = ""
) -> dict[str, Cell]:
    return {"instrument": key[0], "iso3": key[1], "participant": names.get(key, key[2]), "change": change,
            "old": old, "new": new, "detail": detail}  # fmt: skip


def status_changes(
    old: Snapshot, new: Snapshot, old_on: date, new_on: date, stale_after: int = DEFAULT_STALE_AFTER
) -> list[dict[str, Cell]]:
    """Every State and instrument whose status differs (old snapshot on ``old_on``, new on ``new_on``)."""
    from rt2gaps.history import status_rows

    instruments = list(load_instruments().values())
    before = {(r.instrument, r.iso3): r.status for r in status_rows(old, instruments, old_on, stale_after=stale_after)}
    after = {(r.instrument, r.iso3): r.status for r in status_rows(new, instruments, new_on, stale_after=stale_after)}
    names = {row["iso3"]: row["name_en"] for row in new.states}
    detail = day_cell(old_on, new_on)
    return [
        {"instrument": instrument, "iso3": iso3, "participant": names.get(iso3, iso3), "change": "status",
         "old": before.get((instrument, iso3), ""), "new": after.get((instrument, iso3), ""), "detail": detail}
        for instrument, iso3 in sorted(set(before) | set(after))
        if before.get((instrument, iso3)) != after.get((instrument, iso3))
    ]  # fmt: skip


def describe_source(entry: dict) -> Phrase:
    """An instrument's source in a diff: its file and date; a user's table also by its source and assertion."""
    if not entry:
        return Phrase.of("change.no_source")
    table = entry.get(USER_TABLE_KEY)
    if table:
        return Phrase.of("change.user_table", file=entry["source_file"], table=user_table_label(table))
    as_of = entry["source_as_of"]
    day = date.fromisoformat(as_of) if len(as_of) == 10 else as_of
    return Phrase.of("change.file_as_of", file=entry["source_file"], as_of=day)


def source_changes(old: Snapshot, new: Snapshot) -> list[dict[str, Cell]]:
    """Instruments whose source file, checksum or as-of date changed (or that gained or lost a source)."""
    rows = []
    before, after = old.manifest.get("instruments", {}), new.manifest.get("instruments", {})
    for instrument in sorted(set(before) | set(after)):
        a, b = before.get(instrument, {}), after.get(instrument, {})
        if (a.get("sha256"), a.get("source_as_of"), a.get("source_file")) == (
            b.get("sha256"), b.get("source_as_of"), b.get("source_file")):  # fmt: skip
            continue
        rows.append({"instrument": instrument, "iso3": "", "participant": "", "change": "source",
                     "old": describe_source(a), "new": describe_source(b), "detail": b.get("format", "")})  # fmt: skip
    return rows


def diff_snapshots(
    old: Snapshot, new: Snapshot, on: date | None = None, stale_after: int = DEFAULT_STALE_AFTER
) -> list[dict[str, Cell]]:
    """All changes between two snapshots; statuses compared on ``on`` (default today)."""
    day = on or date.today()
    return source_changes(old, new) + act_changes(old, new) + status_changes(old, new, day, day, stale_after)


def diff_dates(
    snapshot: Snapshot, start: date, end: date, stale_after: int = DEFAULT_STALE_AFTER
) -> list[dict[str, Cell]]:
    """Changes within one snapshot between two dates: acts dated after ``start`` up to ``end``, and statuses."""
    names = _names(snapshot)
    rows = []
    for event in sorted(snapshot.events, key=lambda e: (e.instrument, e.iso3, e.date)):
        day = event.date
        if day and len(day) == 10 and start.isoformat() < day <= end.isoformat():
            rows.append(
                _row(_key(event), names, f"new {KIND_OF_ACT.get(event.act, event.act)}", "", act_cell(event.act, day))
            )
    return rows + status_changes(snapshot, snapshot, start, end, stale_after)


def changes_frame(
    old: Snapshot, new: Snapshot, on: date | None = None, stale_after: int = DEFAULT_STALE_AFTER
) -> pd.DataFrame:
    """The changes as a DataFrame with CHANGE_COLUMNS (for the report's "Changes" sheet)."""
    import pandas as pd

    return pd.DataFrame(diff_snapshots(old, new, on, stale_after), columns=CHANGE_COLUMNS)


def resolve_snapshot(name: str | None, data: Path | None, default: str) -> Path:
    """``current``, ``previous``, ``bundled`` or a folder path -> the snapshot folder."""
    folder_data = data_dir(data)
    choice = name or default
    if choice == "current":
        return current_snapshot_dir(folder_data)
    if choice == "previous":
        current = current_snapshot_dir(folder_data)
        if current == user_snapshot_dir(folder_data) and previous_snapshot_dir(folder_data).is_dir():
            return previous_snapshot_dir(folder_data)
        if current != BUNDLED_SNAPSHOT_DIR:
            return BUNDLED_SNAPSHOT_DIR  # the first user snapshot was made over the bundled one
        raise Rt2gapsError("no previous snapshot: only the bundled one exists (run `rt2gaps fetch` or `import`)")
    if choice == "bundled":
        return BUNDLED_SNAPSHOT_DIR
    path = Path(choice)
    if not path.is_dir():
        raise Rt2gapsError(f"{choice}: not a snapshot folder, a date, or one of current, previous, bundled")
    return path


def load(folder: Path) -> Snapshot:
    return load_snapshot(folder)
