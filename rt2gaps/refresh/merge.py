"""Build fetched or imported files into a new snapshot, merged over the current one, checked, swapped in.

The same parsers and count checks as ``snapshot build`` run on the new files (``compile_snapshot``
with a plan). Then the refresh checks compare the result with the snapshot it replaces: an
instrument may not lose parties without a withdrawal in the new source, a State may not vanish from
an instrument, and a source's as-of date may not go backwards. Only when every check passes is the
new folder swapped in by rename; the old one is kept as ``snapshot.previous``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pycountry

from rt2gaps.errors import Rt2gapsError
from rt2gaps.names import STATE, NameResolver, Resolution, read_alias_table
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.build import SNAPSHOT_FILES, BuildResult, PlannedSource, _sort_key, compile_snapshot
from rt2gaps.snapshot.declarations import DECLARATION_COLUMNS, DECLARATIONS_FILE, declaration_sort_key
from rt2gaps.snapshot.schema import CONSENT_ACTS, EVENT_COLUMNS, EVENTS_FILE, STATE_COLUMNS, STATES_FILE
from rt2gaps.snapshot.store import Event, Snapshot, load_snapshot
from rt2gaps.snapshot.userdata import (
    REFRESH_KEY,
    current_snapshot_dir,
    file_checksums,
    update_lock,
    user_snapshot_dir,
)
from rt2gaps.snapshot.write import csv_text, json_text, write_folder_atomically
from rt2gaps.sources.dates import today_utc
from rt2gaps.sources.user_table import USER_TABLE_KEY


class RefreshCheckError(Rt2gapsError):
    """The new data would lose facts the current snapshot holds (parties, States, a newer as-of date)."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems  # instrument id -> reasons
        lines = [f"  {instrument}: {reason}" for instrument, reasons in problems.items() for reason in reasons]
        super().__init__("refresh checks failed; the current snapshot is unchanged:\n" + "\n".join(lines))


@dataclass
class MergeResult:
    """The merged snapshot's files and what it changed, before or after it was written."""

    files: dict[str, str]
    manifest: dict
    built: BuildResult
    base_folder: Path
    written_to: Path | None = None
    instruments: list[str] = field(default_factory=list)


def snapshot_resolver(snapshot: Snapshot, extra: list[tuple[str, Resolution]] | None = None) -> NameResolver:
    """A name resolver from the snapshot itself: its State names, every participant name it already
    resolved, pycountry and the alias table; so a refresh needs none of the raw reference files.
    ``extra`` aliases (a user table's ISO3 codes) come before the alias table, which wins."""
    names: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names.append((getattr(country, attribute), country.alpha_3))
    for state in snapshot.states:
        for column in ("name_en", "name_fr", "un_name"):
            if state.get(column):
                names.append((state[column], state["iso3"]))
    aliases = read_alias_table(DATA_DIR / "aliases.csv")
    seen = [(e.participant, Resolution(e.iso3 or None, e.participant_kind)) for e in snapshot.events]
    return NameResolver(names, seen + (extra or []) + aliases)


def table_resolver(snapshot: Snapshot) -> NameResolver:
    """The snapshot's resolver that also reads ISO3 codes, as a user's table may give them instead of names."""
    codes = [(state["iso3"], Resolution(state["iso3"], STATE)) for state in snapshot.states]
    return snapshot_resolver(snapshot, codes)


def _parties(events: list[dict[str, str]] | list[Event]) -> dict[tuple[str, str], bool]:
    """(instrument, participant key) -> consent given and not undone, for every participant with events."""
    state: dict[tuple[str, str], bool] = {}
    undone: set[tuple[str, str]] = set()
    for event in events:
        row = event if isinstance(event, dict) else event.__dict__
        key = (row["instrument"], row["iso3"] or row["participant"])
        state.setdefault(key, False)
        if row["act"] in CONSENT_ACTS:
            state[key] = True
        if row["act"] == "denunciation":
            undone.add(key)
    return {key: given and key not in undone for key, given in state.items()}


def refresh_checks(base: Snapshot, built: BuildResult) -> dict[str, list[str]]:
    """Problems per instrument: lost parties without a withdrawal, vanished States, as-of going backwards."""
    problems: dict[str, list[str]] = {}
    fetched = set(built.manifest["instruments"])
    before = _parties([e for e in base.events if e.instrument in fetched])
    after = _parties(built.events)
    withdrawn_now = {
        (e["instrument"], e["iso3"] or e["participant"]) for e in built.events if e["act"] == "denunciation"
    }
    for instrument in sorted(fetched):
        old_entry = base.instrument_source(instrument)
        new_entry = built.manifest["instruments"][instrument]
        old_as_of = (old_entry or {}).get("source_as_of", "")
        if old_as_of > today_utc().isoformat():
            old_as_of = ""  # a future date recorded before rt2gaps refused them does not block a genuine refresh
        if old_entry and new_entry["source_as_of"] < old_as_of:
            problems.setdefault(instrument, []).append(
                f"source as-of date goes backwards: {new_entry['source_as_of']} < {old_entry['source_as_of']}"
            )
        keys = [key for key in before if key[0] == instrument]
        vanished = sorted(key[1] for key in keys if key not in after)
        if vanished:
            problems.setdefault(instrument, []).append(
                f"{len(vanished)} participant(s) vanish from the source: {', '.join(vanished[:10])}"
                + (" …" if len(vanished) > 10 else "")
            )
        lost = sorted(
            key[1] for key in keys if before[key] and key in after and not after[key] and key not in withdrawn_now
        )
        if lost:
            problems.setdefault(instrument, []).append(
                f"{len(lost)} party(ies) lost without a withdrawal in the source: {', '.join(lost[:10])}"
                + (" …" if len(lost) > 10 else "")
            )
    return problems


def partial_instruments(details: Mapping[str, dict] | None) -> set[str]:
    """Instruments a partial user's table speaks for: it adds to what was known, it does not replace it."""
    return {i for i, entry in (details or {}).items() if entry.get(USER_TABLE_KEY, {}).get("complete") is False}


def keep_unlisted(base: Snapshot, built: BuildResult, partial: set[str], details: dict[str, dict]) -> None:
    """A partial table adds to and overrides what it lists: every participant it does not list keeps its
    earlier events (from a depositary page or an earlier table), with their own source columns.

    Over a complete source (a depositary page, a complete table), a State with no act keeps that source's
    answer as of its date (``none_as_of`` in the table's entry of ``details``): none then, unknown later.
    """
    from rt2gaps.sources.user_table import NONE_AS_OF

    for instrument in sorted(partial):
        earlier = base.instrument_source(instrument) or {}
        earlier_table = earlier.get(USER_TABLE_KEY)
        if earlier_table is not None and earlier_table.get(NONE_AS_OF):
            details[instrument][USER_TABLE_KEY][NONE_AS_OF] = earlier_table[NONE_AS_OF]
        elif earlier.get("source_as_of") and (earlier_table is None or earlier_table.get("complete")):
            details[instrument][USER_TABLE_KEY][NONE_AS_OF] = earlier["source_as_of"]
        listed = {e["iso3"] or e["participant"] for e in built.events if e["instrument"] == instrument}
        kept = [{column: getattr(e, column) for column in EVENT_COLUMNS} for e in base.events
                if e.instrument == instrument and (e.iso3 or e.participant) not in listed]  # fmt: skip
        if not kept:
            continue
        built.events.extend(kept)
        built.manifest["instruments"][instrument]["kept_from_earlier_sources"] = {
            "participants": len({e["iso3"] or e["participant"] for e in kept}),
            "events": len(kept),
            "source_files": sorted({e["source_file"] for e in kept}),
        }
    built.events.sort(key=_sort_key)


def merge(base: Snapshot, built: BuildResult, kind: str, details: Mapping[str, dict] | None = None) -> MergeResult:
    """The base snapshot with the built instruments replaced (or added); others keep their data."""
    replaced = set(built.manifest["instruments"])
    events = [
        {column: getattr(e, column) for column in EVENT_COLUMNS} for e in base.events if e.instrument not in replaced
    ]
    events.extend(built.events)
    events.sort(key=_sort_key)
    instruments = dict(base.manifest.get("instruments", {}))
    for instrument, entry in built.manifest["instruments"].items():
        instruments[instrument] = {**entry, **(details or {}).get(instrument, {})}
    from rt2gaps.catalogue import load_instruments

    order = list(load_instruments())
    instruments = {i: instruments[i] for i in sorted(instruments, key=lambda i: order.index(i) if i in order else 999)}
    used_sources = {entry["source_key"] for entry in instruments.values()} | {e["source_key"] for e in events}
    sources = {**base.manifest.get("sources", {}), **built.manifest["sources"]}
    sources = {key: value for key, value in sources.items() if key in used_sources}
    no_source = [i for i in base.manifest.get("no_source", []) if i not in replaced]
    manifest = {
        "sources": sources,
        "instruments": instruments,
        "no_source": no_source,
        "counts": {"events": len(events), "states": len(base.states)},
    }
    files = {EVENTS_FILE: csv_text(events, EVENT_COLUMNS), STATES_FILE: csv_text(base.states, STATE_COLUMNS)}
    files[DECLARATIONS_FILE] = merged_declarations(base, built, replaced - partial_instruments(details))
    manifest[REFRESH_KEY] = {
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "kind": kind,
        "base": str(base.folder),
        "instruments": sorted(replaced),
        "files_sha256": file_checksums(files),
    }
    files["manifest.json"] = json_text(manifest)
    return MergeResult(files=files, manifest=manifest, built=built, base_folder=base.folder,
                       instruments=sorted(replaced))  # fmt: skip


def merged_declarations(base: Snapshot, built: BuildResult, replaced: set[str]) -> str:
    """The statement table: the base's rows of instruments not rebuilt, then the new build's."""
    from rt2gaps.procedures import load_declarations

    rows = [r for r in load_declarations(base) or [] if r["instrument"] not in replaced]
    rows.extend(built.declarations)
    rows.sort(key=declaration_sort_key)
    return csv_text(rows, DECLARATION_COLUMNS)


def _same_content(base: Snapshot, result: MergeResult) -> bool:
    """True when the merged tables and per-instrument facts equal the base's (a refresh that found nothing new)."""
    base_events = csv_text([{c: getattr(e, c) for c in EVENT_COLUMNS} for e in base.events], EVENT_COLUMNS)
    if result.files[EVENTS_FILE] != base_events:
        return False
    volatile = ("url", "downloaded", "origin", "retrieved_by")

    def facts(instruments: dict) -> dict:
        return {i: {k: v for k, v in entry.items() if k not in volatile} for i, entry in instruments.items()}

    return facts(result.manifest["instruments"]) == facts(base.manifest.get("instruments", {}))


def build_and_swap(
    plan: Mapping[str, PlannedSource],
    data: Path,
    kind: str,
    details: Mapping[str, dict] | None = None,
    *,
    scratch_dir: Path | None = None,
) -> MergeResult:
    """Compile the plan over the current snapshot, run every check, and only then swap it in atomically.

    Raises CountMismatchError, SourceLayoutError or RefreshCheckError (the folder is then untouched), or
    Rt2gapsError when another process holds the data folder's update lock.
    """
    with update_lock(data):  # the snapshot read as base is the one replaced: no lost update
        return _build_and_swap(plan, data, kind, details, scratch_dir)


def _build_and_swap(
    plan: Mapping[str, PlannedSource],
    data: Path,
    kind: str,
    details: Mapping[str, dict] | None,
    scratch_dir: Path | None,
) -> MergeResult:
    base = load_snapshot(current_snapshot_dir(data))
    built = compile_snapshot(scratch_dir or data, plan=plan, states=(base.states, table_resolver(base)))
    details = {i: {**entry, **({USER_TABLE_KEY: dict(entry[USER_TABLE_KEY])} if USER_TABLE_KEY in entry else {})}
               for i, entry in (details or {}).items()}  # fmt: skip
    keep_unlisted(base, built, partial_instruments(details), details)
    problems = refresh_checks(base, built)
    if problems:
        raise RefreshCheckError(problems)
    result = merge(base, built, kind, details)
    if _same_content(base, result):
        return result  # nothing new: no write, so "previous" stays the last real change
    target = user_snapshot_dir(data)
    write_folder_atomically(target, result.files, keep_previous=True, allowed=SNAPSHOT_FILES, what="snapshot folder")
    result.written_to = target
    from rt2gaps.snapshot.userdata import forget_loaded_snapshots

    forget_loaded_snapshots()
    return result
