"""Reading a built snapshot (events, States, manifest) from a folder; the layer above reads only this."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from rt2gaps.errors import Rt2gapsError
from rt2gaps.snapshot.schema import EVENTS_FILE, MANIFEST_FILE, STATES_FILE


@dataclass(frozen=True)
class Event:
    """One act of one participant on one instrument, as the snapshot records it."""

    instrument: str
    iso3: str
    participant: str
    participant_kind: str
    act: str
    date: str  # ISO day, ISO year, or empty
    date_precision: str
    notified_date: str
    source_key: str
    source_file: str
    source_as_of: str
    note: str


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV as dicts; a missing file is a clear error."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise Rt2gapsError(f"snapshot file missing: {path}") from None


@dataclass
class Snapshot:
    """A snapshot folder: the events table, the State table and the manifest."""

    folder: Path
    events: list[Event] = field(repr=False)
    states: list[dict[str, str]] = field(repr=False)
    manifest: dict = field(repr=False)

    @cached_property
    def states_by_iso3(self) -> dict[str, dict[str, str]]:
        return {row["iso3"]: row for row in self.states}

    @cached_property
    def events_by_pair(self) -> dict[tuple[str, str], list[Event]]:
        """Events of States grouped by (iso3, instrument)."""
        grouped: dict[tuple[str, str], list[Event]] = {}
        for event in self.events:
            if event.participant_kind == "state":
                grouped.setdefault((event.iso3, event.instrument), []).append(event)
        return grouped

    def instrument_source(self, instrument_id: str) -> dict | None:
        """The manifest entry for an instrument, or None when no source covers it."""
        return self.manifest.get("instruments", {}).get(instrument_id)

    def retrieved_by(self, instrument_id: str) -> date | None:
        """Every act the instrument's source records happened no later than this date."""
        entry = self.instrument_source(instrument_id)
        return date.fromisoformat(entry["retrieved_by"]) if entry and entry.get("retrieved_by") else None

    def source_as_of(self, instrument_id: str) -> date | None:
        entry = self.instrument_source(instrument_id)
        return date.fromisoformat(entry["source_as_of"]) if entry and entry.get("source_as_of") else None


def load_snapshot(folder: Path) -> Snapshot:
    """Read the three snapshot files from a folder."""
    events = [Event(**row) for row in read_csv_rows(folder / EVENTS_FILE)]
    states = read_csv_rows(folder / STATES_FILE)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Rt2gapsError(f"snapshot file missing: {folder / MANIFEST_FILE}") from None
    except json.JSONDecodeError as exc:
        raise Rt2gapsError(f"{folder / MANIFEST_FILE}: not valid JSON ({exc})") from None
    return Snapshot(folder=folder, events=events, states=states, manifest=manifest)
