"""Import pages saved from a browser: say what each file is, parse it, and merge it like a fetch.

Recognised: a UNTC ViewDetails status page, an MTDSG XML file, a NORMLEX per-convention ratification
page (English or French) and the NORMLEX comparative table of fundamental instruments. A file that is
none of these is refused by name before anything is built. A ``.csv`` or ``.xlsx`` file is a user's
own ratification table (``import_table``): the user names its source and date, and says whether it
is complete.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.refresh.fetch import PARSE, UPDATED, FetchReport, Outcome, swap_in
from rt2gaps.refresh.http import CHUNK, DEFAULT_MAX_BYTES
from rt2gaps.snapshot.build import PlannedSource, refuse_before_adoption, rows_for
from rt2gaps.snapshot.store import Snapshot
from rt2gaps.sources import normlex_copy, user_table
from rt2gaps.sources.dates import period_end, refuse_future_source_date
from rt2gaps.sources.records import ParsedSource
from rt2gaps.sources.user_table import UserTable

_CONVENTION_TITLE = re.compile(rb"Ratifications?\s+(?:of|de|du|des)\s+(?:<[^>]*>\s*)*[CP]\d{3}\b", re.IGNORECASE)
_FUNDAMENTAL_CODES = (b"C087", b"C098", b"C029", b"C105", b"C100", b"C111", b"C138", b"C182")


@dataclass(frozen=True)
class IdentifiedFile:
    """A saved file, what it is, what it says, and which catalogue instruments it covers."""

    path: Path
    format: str
    parsed: ParsedSource
    instruments: tuple[str, ...]


def identify_format(data: bytes) -> str | None:
    """The format of a saved page from its own content (never its file name); None when unknown."""
    head = data[:65536]
    if b"<Document" in head and b"<Treaty" in data[:200000]:
        return "mtdsg-xml"
    if b"tblgrid" in data and (b"STATUS AS AT" in data or b"rptStatus" in data):
        return "untc-html"
    if _CONVENTION_TITLE.search(data):
        return "normlex-convention"
    if sum(code in data for code in _FUNDAMENTAL_CODES) >= 6 and (b"show_year" in data or b"grid" in data):
        return "normlex-table-html"
    return None


def _instruments_of(parsed: ParsedSource, fmt: str, catalogue: dict[str, Instrument], name: str) -> tuple[str, ...]:
    if fmt in ("mtdsg-xml", "untc-html"):
        by_mtdsg = {i.mtdsg: i.id for i in catalogue.values() if i.mtdsg}
        if parsed.source_key not in by_mtdsg:
            raise Rt2gapsError(f"{name}: the page is for MTDSG {parsed.source_key or '?'}, not a catalogue instrument")
        return (by_mtdsg[parsed.source_key],)
    if fmt == "normlex-convention":
        if parsed.source_key not in catalogue:
            raise Rt2gapsError(f"{name}: the page is for {parsed.source_key}, not a catalogue instrument")
        return (parsed.source_key,)
    return tuple(sorted({row.instrument for row in parsed.rows if row.instrument in catalogue}))


def read_saved_file(path: Path, limit: int = DEFAULT_MAX_BYTES) -> bytes:
    """A saved page's bytes: a regular file of at most ``limit`` bytes (the cap of a fetch), read in chunks.

    A device (``/dev/zero``), a FIFO or a folder is refused before reading, and reading stops at the
    cap, so no input can exhaust memory or hang the command.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            os.close(descriptor)
            raise Rt2gapsError(f"{path}: not a regular file (a device, a pipe or a folder): save the page first")
        with open(descriptor, "rb", buffering=0) as handle:
            if info.st_size > limit:
                raise Rt2gapsError(f"{path}: {info.st_size} bytes exceeds the {limit}-byte cap of a saved page")
            chunks, size = [], 0
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise Rt2gapsError(f"{path}: more than the {limit}-byte cap of a saved page")
                chunks.append(chunk)
    except OSError as exc:
        raise Rt2gapsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return b"".join(chunks)


def identify_file(path: Path) -> IdentifiedFile:
    """Read, identify and parse one saved file; a clear error naming the file when it is none of the four."""
    data = read_saved_file(path)
    fmt = identify_format(data)
    if fmt is None:
        raise Rt2gapsError(
            f"{path}: not a page rt2gaps can import (expected a UNTC ViewDetails page, an MTDSG XML file, a NORMLEX "
            "ratification page of one convention, or the NORMLEX table of fundamental conventions)"
        )
    parsed = PARSE[fmt](data, path.name)
    catalogue = load_instruments()
    instruments = _instruments_of(parsed, fmt, catalogue, str(path))
    if not instruments:
        raise Rt2gapsError(f"{path}: no catalogue instrument in this {fmt} file")
    for instrument_id in instruments:  # a date before the adoption: refused here, naming the row
        for row in rows_for(parsed, catalogue[instrument_id]):
            refuse_before_adoption(row, catalogue[instrument_id], path.name)
    return IdentifiedFile(path=path, format=fmt, parsed=parsed, instruments=instruments)


def _file_day(path: Path) -> date:
    return refuse_future_source_date(date.fromtimestamp(path.stat().st_mtime), f"{path}: modification date")


def plan_imports(files: list[IdentifiedFile], as_of: date | None) -> tuple[dict[str, PlannedSource], list[Outcome]]:
    """One PlannedSource per instrument; a per-convention page wins over the comparative table."""
    plan: dict[str, PlannedSource] = {}
    outcomes: list[Outcome] = []
    ranked = sorted(files, key=lambda f: f.format == "normlex-table-html", reverse=True)  # tables first, pages win
    for item in ranked:
        if item.parsed.as_of:
            day, basis = refuse_future_source_date(item.parsed.as_of, f"{item.path}: page stamp"), "page stamp"
        elif as_of:
            day, basis = as_of, "--as-of given at import"
        else:
            day, basis = _file_day(item.path), "modification date of the saved file (no stamp, no --as-of)"
        source = "untc" if item.format in ("mtdsg-xml", "untc-html") else "normlex"
        for instrument in item.instruments:
            plan[instrument] = PlannedSource(
                format=item.format, path=item.path.resolve(), as_of=day, source_key=f"{item.format}-import-{day}",
                label=item.path.name, as_of_basis=basis, origin=f"page saved from a browser, imported from {item.path}",
            )  # fmt: skip
            outcomes = [o for o in outcomes if o.instrument != instrument]
            outcomes.append(Outcome(source, instrument, UPDATED, url=str(item.path), format=item.format,
                                    as_of=day.isoformat(), downloaded=True))  # fmt: skip
    return plan, outcomes


def import_files(paths: list[Path], data: Path, as_of: date | None = None) -> FetchReport:
    """Identify every file (refusing any unknown one), build them over the current snapshot, swap atomically."""
    if as_of is not None:
        refuse_future_source_date(as_of, "import --as-of")
    files = [identify_file(Path(path)) for path in paths]
    plan, outcomes = plan_imports(files, as_of)
    return swap_in(FetchReport(outcomes), outcomes, plan, data, "import", others="another file")


TABLE_SUFFIXES = (".csv", ".xlsx")


def is_user_table(path: Path) -> bool:
    """A user's ratification table is told from a saved page by its file type (.csv or .xlsx)."""
    return Path(path).suffix.casefold() in TABLE_SUFFIXES


def table_problems(table: UserTable, as_of: date, base: Snapshot) -> list[str]:
    """Every problem of a table that needs the catalogue and the States: unknown ids, names that resolve to
    no State, acts after ``as_of`` or before the instrument's adoption, duplicate rows; in row order."""
    from rt2gaps.refresh.merge import table_resolver

    catalogue = load_instruments()
    resolver = table_resolver(base)
    seen: dict[tuple[str, str, str, str], int] = {}
    codes: dict[int, str] = {}  # row line -> the participant it names (ISO3 where it resolves)
    for row in table.rows:
        if row.instrument not in catalogue:
            table.problem(row.line, "instrument", row.instrument, "not a catalogue id (data/instruments.csv)")
        resolution = resolver.resolve(row.country)
        if resolution is None:
            table.problem(row.line, "country", row.country, "resolves to no State (English or French name, or "
                          "ISO3; aliases in data/aliases.csv)")  # fmt: skip
        if row.date > as_of:
            table.problem(row.line, "date", row.date_text, f"after the table's --as-of {as_of.isoformat()}")
        adopted = catalogue[row.instrument].adoption_date if row.instrument in catalogue else None
        if adopted and period_end(row.date, row.precision) < adopted:
            table.problem(row.line, "date", row.date_text, f"before {row.instrument} was adopted ({adopted})")
        who = (resolution.code if resolution else None) or row.country.casefold()
        codes[row.line] = who
        key = (who, row.instrument, row.action, row.date_text)
        if key in seen:
            table.problem(row.line, "row", f"{row.country}, {row.instrument}, {row.action}, {row.date_text}",
                          f"duplicate of row {seen[key]}")  # fmt: skip
        seen.setdefault(key, row.line)
    user_table.contradictions(table, lambda row: codes[row.line])
    return table.problems


def _read_copied_table(raw: bytes, path: Path, instrument: str, base: Snapshot) -> UserTable:
    """A NORMLEX table copied from a browser, for one ILO convention of the catalogue."""
    from rt2gaps.refresh.merge import table_resolver

    catalogue = load_instruments()
    if instrument not in catalogue or catalogue[instrument].body != "ILO":
        raise Rt2gapsError(f"--instrument {instrument}: not an ILO convention of the catalogue (data/instruments.csv); "
                           "a NORMLEX table is the ILO's")  # fmt: skip
    resolver = table_resolver(base)
    return normlex_copy.read_copy(raw, str(path), instrument, lambda name: resolver.lookup(name) is not None)


def not_states(table: UserTable, base: Snapshot) -> list[str]:
    """Rows naming a participant that is not a State of the universe (the European Union, the USSR,
    Yugoslavia, ...), as "name (row N)": imported as the source says, but no State's status shows them."""
    from rt2gaps.names import STATE
    from rt2gaps.refresh.merge import table_resolver

    resolver = table_resolver(base)
    found = []
    for row in table.rows:
        resolution = resolver.resolve(row.country)
        if resolution is not None and resolution.kind != STATE:
            found.append(f"{row.country} (row {row.line})")
    return found


def import_table(
    path: Path, data: Path, source: str, as_of: date, complete: bool, instrument: str | None = None
) -> FetchReport:
    """Import a user's ratification table as the source of the instruments it names, swapped in atomically.

    Every problem is listed (file, row, value) and nothing is written when there is any. Without
    ``complete``, the table adds to and overrides what it lists and leaves the rest as it was (States
    with no act anywhere stay ``unknown``); with it, the user asserts the table lists every act up to
    ``as_of``: it replaces the instrument's data, and the States it does not list are ``none``.

    With ``instrument``, the file is NORMLEX's ratification table of that convention as a browser copies
    it (``normlex_copy``): the page's own columns, every row one ratification.
    """
    from rt2gaps.snapshot.build import sha256_of
    from rt2gaps.snapshot.store import load_snapshot
    from rt2gaps.snapshot.userdata import current_snapshot_dir

    path = Path(path)
    if not source.strip():
        raise Rt2gapsError("--source: say where the table comes from (a ministry's list, the ILO page of ...)")
    refuse_future_source_date(as_of, "import --as-of")
    raw = read_saved_file(path)
    base = load_snapshot(current_snapshot_dir(data))
    if instrument is None:
        table, fmt = user_table.read_table(raw, str(path)), user_table.FORMAT
    else:
        table, fmt = _read_copied_table(raw, path, instrument, base), normlex_copy.FORMAT
    user_table.participant_rows(table)  # a denunciation with no consent before it is a problem too
    problems = table_problems(table, as_of, base)
    if problems:
        raise Rt2gapsError(f"{path}: {len(problems)} problem(s) in the table; nothing imported:\n  "
                           + "\n  ".join(problems))  # fmt: skip
    if not table.rows:
        raise Rt2gapsError(f"{path}: the table lists no act; nothing imported")
    entry = {"source": source.strip(), "as_of": as_of.isoformat(), "complete": complete, "file": path.name}
    if instrument is not None:
        entry["layout"] = "NORMLEX ratification table copied from the convention's page"
    label = user_table.user_table_label(entry)
    key = f"{fmt}-{as_of.isoformat()}-{sha256_of(raw)[:8]}"
    plan: dict[str, PlannedSource] = {}
    details: dict[str, dict] = {}
    outcomes: list[Outcome] = []
    for instrument_id in sorted({row.instrument for row in table.rows}, key=list(load_instruments()).index):
        notes = [{"row": r.line, "country": r.country, "action": r.action, "date": r.date_text, "note": r.note}
                 for r in table.rows if r.instrument == instrument_id and r.note]  # fmt: skip
        plan[instrument_id] = PlannedSource(
            format=fmt, path=path.resolve(), as_of=as_of, source_key=key, label=path.name,
            as_of_basis="--as-of given at import", origin=label,
        )  # fmt: skip
        details[instrument_id] = {user_table.USER_TABLE_KEY: {**entry, "notes": notes}}
        outcomes.append(Outcome("user table", instrument_id, UPDATED, url=str(path), format=fmt,
                                as_of=as_of.isoformat(), downloaded=True))  # fmt: skip
    report = FetchReport(outcomes)
    outside = not_states(table, base)
    if outside:
        report.notices.append(f"{len(outside)} row(s) name participants that are not States of the universe, kept "
                              f"as the table says but shown in no State's status: {', '.join(outside)}")  # fmt: skip
    return swap_in(report, outcomes, plan, data, "import", details, others="another instrument")
