"""Each State's history on each instrument as spells: the status engine's answers, compressed.

The status engine (``rt2gaps.status.pair_answer``) decides status on one date. Its answer for a
pair can only change on a date the engine lists (``rt2gaps.status.change_dates``: an act's earliest
or latest possible day, the entry into force that follows a consent, the instrument's adoption and
entry into force, the day after the source's as-of date and the end of the ``stale_after`` window).
The engine is asked on each such date (and once for "before anything"), and equal neighbours are
merged: a spell is a run of dates on which the engine gives the same full answer (every column of
``STATUS_COLUMNS``). So the status on a date, a panel and the timelines read the spells and never
decide anything themselves.

A spell starts on ``start`` and ends the day before ``end`` (end exclusive); the first spell of a
pair has no start (open since ever) and the last no end. ``start_precision``/``end_precision`` say
whether a boundary comes from a day-exact act (``day``) or from the edge of a year-only act's window
(``year``): such a boundary is where the engine's answer changes, not a day the source gives.

Spells are computed once per snapshot, engine and ``stale_after``, and cached as JSON in the user
cache folder under a key made of their content, so a later process reads them in milliseconds.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.ilo_membership import MEMBERSHIP_FILE
from rt2gaps.snapshot.store import Snapshot
from rt2gaps.status import (
    DEFAULT_STALE_AFTER,
    STATUS_COLUMNS,
    PairStatus,
    change_dates,
    check_query_date,
    check_stale_after,
    ilo_membership_change_dates,
    pair_answer,
    pair_source_dates,
    universe_states,
)

if TYPE_CHECKING:
    import pandas as pd

SPAN_COLUMNS = ["start", "end", "start_precision", "end_precision"]
SPELL_COLUMNS = [*STATUS_COLUMNS[:3], *SPAN_COLUMNS, *STATUS_COLUMNS[3:], "source"]
CACHE_FOLDER = "spells"
OPEN = 10**7  # days: an open end, beyond any date numpy or pandas can hold
# The code whose rules the spells compress: its bytes are part of the cache key, so a changed engine
# never reads spells an older engine made.
_ENGINE_MODULES = ("status.py", "entry_into_force.py", "history.py", "ilo_membership.py")


@dataclass(frozen=True)
class Spell:
    """A run of dates with one engine answer: ``row`` holds every column of ``STATUS_COLUMNS``."""

    start: date | None  # None: since ever
    end: date | None  # None: open-ended; else the first day of the next spell
    start_precision: str
    end_precision: str
    row: PairStatus


def pair_spells(
    state: dict[str, str], instrument: Instrument, snapshot: Snapshot, stale_after: int = DEFAULT_STALE_AFTER
) -> list[Spell]:
    """One State's spells on one instrument, oldest first, covering every date."""
    events = snapshot.events_by_pair.get((state["iso3"], instrument.id), [])
    source_as_of, retrieved_by = pair_source_dates(snapshot, instrument.id, listed=bool(events))
    changes = change_dates(events, instrument, source_as_of, retrieved_by, stale_after)
    for day, precision in ilo_membership_change_dates(state, instrument, source_as_of).items():
        if changes.get(day) != "day":
            changes[day] = precision
    spells: list[Spell] = []
    current = pair_answer(snapshot, state, instrument, date.min, stale_after)
    start: date | None = None
    start_precision = ""
    for day in sorted(changes):
        answer = pair_answer(snapshot, state, instrument, day, stale_after)
        if answer != current:
            spells.append(Spell(start, day, start_precision, changes[day], current))
            current, start, start_precision = answer, day, changes[day]
    spells.append(Spell(start, None, start_precision, "", current))
    return spells


def compute_spells(
    snapshot: Snapshot, catalogue: Iterable[Instrument] | None = None, stale_after: int = DEFAULT_STALE_AFTER
) -> list[Spell]:
    """Spells of every State of the snapshot's table on every catalogue instrument (slow: the engine runs)."""
    instruments = list(catalogue if catalogue is not None else load_instruments().values())
    return [spell for state in snapshot.states for instrument in instruments
            for spell in pair_spells(state, instrument, snapshot, stale_after)]  # fmt: skip


# --- the table of spells: text columns, cached ----------------------------------------------------


class SpellTable:
    """All spells of a snapshot, stored by column (each column's distinct texts and a code per spell).

    ``rows`` gives them as lists of text in ``SPELL_COLUMNS`` order (the form ``rt2gaps history``
    writes; dates ISO, "" for an open end), built on first use; ``arrays`` gives what a panel needs
    without building rows. Spells are in pair order (State, then catalogue), oldest first.
    """

    def __init__(self, key: str, values: dict[str, list[str]], codes: Mapping[str, Sequence[int]],
                 pairs: list[list] | None = None) -> None:  # fmt: skip
        self.key = key
        self.values = values  # column -> distinct texts
        self.codes = codes  # column -> per spell, an index into values[column]
        self._rows: list[list[str]] | None = None
        self._by_pair: dict[tuple[str, str], range] | None = None
        if pairs is not None:  # [iso3, instrument, first, count] as the cache file keeps them
            self._by_pair = {(iso3, instrument): range(first, first + count)
                             for iso3, instrument, first, count in pairs}  # fmt: skip
        self._arrays: tuple | None = None

    def pair_list(self) -> list[list]:
        """The pair index as the cache file keeps it: [iso3, instrument, first spell, number of spells]."""
        return [[iso3, instrument, numbers.start, len(numbers)] for (iso3, instrument), numbers in self.by_pair.items()]

    @classmethod
    def from_rows(cls, key: str, rows: list[list[str]]) -> SpellTable:
        values: dict[str, list[str]] = {}
        codes: dict[str, list[int]] = {}
        for position, column in enumerate(SPELL_COLUMNS):
            index: dict[str, int] = {}
            codes[column] = [index.setdefault(row[position], len(index)) for row in rows]
            values[column] = list(index)
        return cls(key, values, codes)

    def __len__(self) -> int:
        return len(self.codes["status"])

    @property
    def rows(self) -> list[list[str]]:
        if self._rows is None:
            columns = [[self.values[c][n] for n in self.codes[c]] for c in SPELL_COLUMNS]
            self._rows = [list(row) for row in zip(*columns, strict=True)]
        return self._rows

    @property
    def by_pair(self) -> dict[tuple[str, str], range]:
        """(iso3, instrument) -> the numbers of its spells (consecutive)."""
        if self._by_pair is None:
            iso3, instrument = self.values["iso3"], self.values["instrument"]
            found: dict[tuple[str, str], range] = {}
            first = 0
            pair_codes = list(zip(self.codes["iso3"], self.codes["instrument"], strict=True))
            for number in range(1, len(pair_codes) + 1):
                if number == len(pair_codes) or pair_codes[number] != pair_codes[first]:
                    found[(iso3[pair_codes[first][0]], instrument[pair_codes[first][1]])] = range(first, number)
                    first = number
            self._by_pair = found
        return self._by_pair

    def arrays(self) -> tuple:
        """NumPy arrays for panels: start and end as days since 1970 (open ends far out), status codes
        and last-known-status codes (indices of ``STATUSES``, the legend order; -1 for none).
        """
        if self._arrays is None:
            import numpy as np

            from rt2gaps.status import STATUSES

            def days(column: str, open_end: int) -> object:
                epoch = date(1970, 1, 1).toordinal()
                lookup = np.array([date.fromisoformat(v).toordinal() - epoch if v else open_end
                                   for v in self.values[column]], dtype=np.int64)  # fmt: skip
                return lookup[np.array(self.codes[column], dtype=np.int64)]

            def statuses(column: str) -> object:  # "" (no last known status) is code -1, NA
                lookup = np.array([STATUSES.index(v) if v else -1 for v in self.values[column]], dtype=np.int8)
                return lookup[np.array(self.codes[column], dtype=np.int64)]

            self._arrays = (days("start", -OPEN), days("end", OPEN), statuses("status"), statuses("last_known_status"))
        return self._arrays

    def covering(self, iso3: str, instrument: str, on: date) -> list[str]:
        """The spell row of a pair that covers ``on``."""
        numbers = self.by_pair[(iso3, instrument)]
        start_values, start_codes = self.values["start"], self.codes["start"]
        # the first spell's start is "" (since ever), which sorts before every ISO date
        starts = [start_values[start_codes[n]] for n in numbers]
        number = numbers[bisect_right(starts, on.isoformat()) - 1]
        return [self.values[c][self.codes[c][number]] for c in SPELL_COLUMNS]


def _spell_row(spell: Spell, source: str) -> list[str]:
    row = spell.row.as_row()
    span = {
        "start": spell.start.isoformat() if spell.start else "",
        "end": spell.end.isoformat() if spell.end else "",
        "start_precision": spell.start_precision,
        "end_precision": spell.end_precision,
        "source": source,
    }
    return [row[c] if c in row else span[c] for c in SPELL_COLUMNS]


def spells_key(snapshot: Snapshot, catalogue: Iterable[Instrument], stale_after: int = DEFAULT_STALE_AFTER) -> str:
    """What the spells depend on: the snapshot's content, the catalogue, the engine's code and ``stale_after``."""
    digest = hashlib.sha256(f"stale_after={stale_after}\x1e".encode())
    digest.update("\x1e".join("\x1f".join(vars(event).values()) for event in snapshot.events).encode())
    digest.update("\x1e".join("\x1f".join(f"{k}={v}" for k, v in state.items()) for state in snapshot.states).encode())
    digest.update(json.dumps(snapshot.manifest, sort_keys=True, default=str).encode())
    for instrument in catalogue:
        digest.update(repr(instrument).encode())
    here = Path(__file__).resolve().parent
    for name in _ENGINE_MODULES:
        digest.update((here / name).read_bytes())
    digest.update(MEMBERSHIP_FILE.read_bytes())  # the ILO membership periods decide not_eligible
    return digest.hexdigest()[:32]


_LOADED: dict[str, SpellTable] = {}
KEEP_LOADED = 4  # snapshots whose spells stay in memory (a session compares at most a few)
KEEP_CACHED = 8  # spells files kept in the cache folder, newest first (other snapshots, engines, stale_after)
# The content key of the snapshot objects met lately: hashing a snapshot's content takes a moment, so a
# process asking again about the same object reuses it. Bounded like the spells: each entry holds its
# snapshot (so that its id is not reused while the entry lives) and the oldest goes first.
KEEP_KEYS = 2 * KEEP_LOADED
_KEYS: dict[tuple[int, int], tuple[Snapshot, list[Instrument], str]] = {}


def spell_table(snapshot: Snapshot, stale_after: int = DEFAULT_STALE_AFTER) -> SpellTable:
    """The snapshot's spells: from this process's memory, else the cache file, else computed and cached.

    ``stale_after`` is the engine's freshness window (days a source's none/signatory answers stand
    past its as-of date); each window has its own spells.
    """
    catalogue = list(load_instruments().values())
    known = _KEYS.get((id(snapshot), stale_after))
    if known is not None and known[0] is snapshot and known[1] == catalogue:
        key = known[2]
    else:
        key = spells_key(snapshot, catalogue, stale_after)
        _KEYS.pop((id(snapshot), stale_after), None)
        while len(_KEYS) >= KEEP_KEYS:
            _KEYS.pop(next(iter(_KEYS)))
        _KEYS[(id(snapshot), stale_after)] = (snapshot, catalogue, key)  # holding it keeps the id from being reused
    if key in _LOADED:
        return _LOADED[key]
    path = _cache_path(key)
    table = _read_cached(path, key) if path is not None else None
    if table is None:
        sources = {i.id: (snapshot.instrument_source(i.id) or {}).get("source_key", "") for i in catalogue}
        rows = [_spell_row(s, sources[s.row.instrument]) for s in compute_spells(snapshot, catalogue, stale_after)]
        table = SpellTable.from_rows(key, rows)
        if path is not None:
            _write_cached(path, table)
    while len(_LOADED) >= KEEP_LOADED:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = table
    return table


def _cache_path(key: str) -> Path | None:
    try:
        from rt2gaps.snapshot.userdata import cache_dir

        return cache_dir() / CACHE_FOLDER / f"spells-{key}.json"
    except Exception:  # noqa: BLE001 - no usable cache folder: compute every time
        return None


def _packed(codes: Sequence[int]) -> str:
    """A column's codes as base64 of little-endian int32: JSON then parses one string per column
    instead of 41,000 numbers (the cache is read by every command that asks a status)."""
    packed = array("i", codes)
    if sys.byteorder != "little":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unpacked(text: object) -> array | None:
    if not isinstance(text, str):
        return None
    try:
        packed = array("i", base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:  # not base64, or not a whole number of int32
        return None
    if sys.byteorder != "little":
        packed.byteswap()
    return packed


def _read_cached(path: Path, key: str) -> SpellTable | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("key") != key or document.get("columns") != SPELL_COLUMNS:
        return None
    values, packed = document.get("values"), document.get("codes")
    if not isinstance(values, dict) or not isinstance(packed, dict):
        return None
    codes: dict[str, Sequence[int]] = {}
    for column, text in packed.items():
        column_codes = _unpacked(text)
        if column_codes is None:
            return None
        codes[column] = column_codes
    if not set(values) == set(codes) == set(SPELL_COLUMNS):
        return None
    if len({len(c) for c in codes.values()}) != 1:
        return None
    pairs = document.get("pairs")
    if not isinstance(pairs, list) or sum(p[3] for p in pairs) != len(codes["status"]):
        return None
    return SpellTable(key, values, codes, pairs)


def _write_cached(path: Path, table: SpellTable) -> None:
    """Best effort: a read-only or full cache folder only costs speed."""
    from rt2gaps.atomic import write_bytes_atomically

    document = {"key": table.key, "columns": SPELL_COLUMNS, "values": table.values,
                "codes": {column: _packed(codes) for column, codes in table.codes.items()},
                "pairs": table.pair_list()}  # fmt: skip
    with contextlib.suppress(OSError):
        write_bytes_atomically(path, json.dumps(document, separators=(",", ":")).encode("utf-8"))
        older = sorted(path.parent.glob("spells-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[KEEP_CACHED:]:  # only files named as this module names them, in its own folder
            stale.unlink(missing_ok=True)


# --- reading the spells ---------------------------------------------------------------------------

_PAIR_FIELDS = [f.name for f in fields(PairStatus)]


def rows_on(
    snapshot: Snapshot, instruments: list[Instrument], on: date, universe: str = "all",
    stale_after: int = DEFAULT_STALE_AFTER,
) -> list[PairStatus]:  # fmt: skip
    """Every State of the universe × every instrument on one date, from the spells (State then catalogue order).

    Raises ValueError for a date before 1900 or after 2100, or a negative ``stale_after``. An
    instrument that is not the catalogue's (a changed copy) is answered by the engine directly.
    """
    check_query_date(on)
    check_stale_after(stale_after)
    table = spell_table(snapshot, stale_after)
    catalogue = load_instruments()
    position = {c: n for n, c in enumerate(SPELL_COLUMNS)}
    picks = [position[c] for c in _PAIR_FIELDS]
    result = []
    for state in universe_states(snapshot, universe):
        for instrument in instruments:
            if catalogue.get(instrument.id) != instrument:
                result.append(pair_answer(snapshot, state, instrument, on, stale_after))
                continue
            row = table.covering(state["iso3"], instrument.id, on)
            result.append(PairStatus(*(row[p] for p in picks)))
    return result


def status_rows(
    snapshot: Snapshot,
    instruments: list[Instrument],
    on: date,
    universe: str = "all",
    stale_after: int = DEFAULT_STALE_AFTER,
) -> list[PairStatus]:
    """Every State of the universe × every instrument, on one date, in State then catalogue order.

    Read from the spells (``rows_on``): the answers of ``pair_answer`` compressed.
    Raises ValueError for a date before 1900 or after 2100, or a negative ``stale_after``.
    """
    return rows_on(snapshot, instruments, on, universe, stale_after)


def spell_rows(
    snapshot: Snapshot, instruments: list[Instrument], universe: str = "all", stale_after: int = DEFAULT_STALE_AFTER
) -> list[list[str]]:
    """The spells of the universe's States on the instruments, State then catalogue order, oldest first."""
    table = spell_table(snapshot, check_stale_after(stale_after))
    return [table.rows[n] for state in universe_states(snapshot, universe) for instrument in instruments
            for n in table.by_pair[(state["iso3"], instrument.id)]]  # fmt: skip


def panel_frame(snapshot: Snapshot, instruments: list[Instrument], states: list[dict[str, str]],
                days: list[date], stale_after: int = DEFAULT_STALE_AFTER) -> pd.DataFrame:  # fmt: skip
    """The long panel of ``rt2gaps.panel``: for each date (sorted), State and instrument, the covering spell's
    ``status`` and ``last_known_status`` (what the source last showed, on a date after its as-of date).

    Vectorised: each spell is repeated once per date it covers (the spells of a pair cover every
    date exactly once), which gives the rows pair by pair; a transpose puts them date by date.
    """
    import numpy as np
    import pandas as pd

    from rt2gaps.status import STATUSES

    for day in days:
        check_query_date(day)
    table = spell_table(snapshot, check_stale_after(stale_after))
    pairs = [(state["iso3"], instrument.id) for state in states for instrument in instruments]
    starts, ends, codes, last_codes = table.arrays()
    epoch = date(1970, 1, 1).toordinal()
    wanted = np.array([d.toordinal() - epoch for d in days], dtype=np.int64)
    rows = np.fromiter((n for pair in pairs for n in table.by_pair[pair]), dtype=np.int64)
    counts = np.searchsorted(wanted, ends[rows]) - np.searchsorted(wanted, starts[rows])
    # each spell's status once per date it covers: pair by pair, then turned date by date
    status_codes, last_known = (np.repeat(c[rows], counts).reshape(len(pairs), len(days)).T.ravel()
                                for c in (codes, last_codes))  # fmt: skip
    iso3_order = [s["iso3"] for s in states]
    state_codes = np.tile(np.repeat(np.arange(len(states), dtype=np.int16), len(instruments)), len(days))

    def place(column: str) -> pd.Categorical:
        values = [s.get(column) or None for s in states]
        categories = sorted({v for v in values if v is not None})
        lookup = np.array([categories.index(v) if v is not None else -1 for v in values], dtype=np.int16)
        return pd.Categorical.from_codes(lookup[state_codes], categories=categories)

    instrument_codes = np.tile(np.arange(len(instruments), dtype=np.int8), len(states) * len(days))
    return pd.DataFrame({
        "date": np.repeat(np.array(days, dtype="datetime64[D]").astype("datetime64[ns]"), len(pairs)),
        "iso3": pd.Categorical.from_codes(state_codes, categories=iso3_order),
        "name": place("name_en"),
        "region": place("region"),
        "subregion": place("subregion"),
        "instrument": pd.Categorical.from_codes(instrument_codes, categories=[i.id for i in instruments]),
        "status": pd.Categorical.from_codes(status_codes, categories=list(STATUSES), ordered=True),
        "last_known_status": pd.Categorical.from_codes(last_known, categories=list(STATUSES), ordered=True),
    }, copy=False)  # fmt: skip


def every(start: date, end: date, step: str) -> list[date]:
    """``start`` and every year, quarter or month after it up to ``end``.

    Months are counted from ``start`` (31 January + 1 month = 28 or 29 February); a start on the last
    day of its month gives the last day of every month (31 January, 28 February, 31 March, ...).
    """
    import calendar

    from rt2gaps.entry_into_force import add_months

    months = {"year": 12, "quarter": 3, "month": 1}[step]
    month_end = start.day == calendar.monthrange(start.year, start.month)[1]
    days = []
    day, k = start, 0
    while day <= end:
        days.append(day)
        k += 1
        day = add_months(start, k * months)
        if month_end:
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return days
