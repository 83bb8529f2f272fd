"""A ratification table a user brings (CSV or Excel): one row per act, read into the common source records.

Columns (header row, any case and order): ``country`` (a name in English or French, or ISO3),
``instrument`` (a catalogue id), ``action`` (signature, ratification, accession, acceptance, approval,
succession, denunciation), ``date`` (YYYY-MM-DD, YYYY-MM or YYYY, kept with its precision) and an
optional ``note``. The reader never guesses: every cell it cannot read is a problem naming the file,
the row and the value, and the caller refuses the whole table when there is any (nothing half-read).

Names and ids are checked by the importer (they need the snapshot's States and the catalogue); this
module checks what the bytes alone can say: the columns, the actions, the dates, empty cells, and that
a denunciation follows a consent of the same participant in the table. A denunciation's date is the
day it was notified (registered), as the depositaries list it; it takes effect under the instrument's
rule. A month or year alone is kept as that month or year.

A table is small: a file over the caps (MAX_COLUMNS, MAX_ROWS, MAX_PART_BYTES expanded per .xlsx part,
MAX_NOTE per note, MAX_NOTES_TOTAL together) is no ratification table and is refused in one line, read
in bounded time and memory; contradictory acts of one participant are problems of their rows.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.parsers.expat import ExpatError

from rt2gaps.errors import Rt2gapsError
from rt2gaps.sources.records import (
    ACCEPTANCE,
    ACCESSION,
    APPROVAL,
    DAY,
    MONTH,
    RATIFICATION,
    SIGNATURE,
    SUCCESSION,
    YEAR,
    Act,
    ParsedSource,
    ParticipantRow,
)

FORMAT = "user-table"
USER_TABLE_KEY = "user_table"  # the manifest entry of an instrument a user's table speaks for
NONE_AS_OF = "none_as_of"  # a partial table over a complete source: the day that source listed every act
REQUIRED_COLUMNS = ("country", "instrument", "action", "date")
OPTIONAL_COLUMNS = ("note",)
DENUNCIATION = "denunciation"
CONSENTS = (RATIFICATION, ACCESSION, ACCEPTANCE, APPROVAL, SUCCESSION)
ACTIONS = (SIGNATURE, *CONSENTS, DENUNCIATION)
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # [0-9]: no fullwidth or Arabic-Indic digits


@dataclass(frozen=True)
class TableRow:
    """One act as the user's table gives it; ``line`` is the row number in the file (the header is row 1)."""

    line: int
    country: str
    instrument: str
    action: str
    date: date  # the first day of the day, month or year given
    precision: str  # DAY, MONTH or YEAR
    date_text: str
    note: str = ""


@dataclass
class UserTable:
    """What the file holds: the rows that could be read and every problem found, by row."""

    name: str
    rows: list[TableRow] = field(default_factory=list)
    found: list[tuple[int, str]] = field(default_factory=list)  # (row, "file row N: column 'value': reason")

    def problem(self, line: int, column: str, value: object, reason: str) -> None:
        self.found.append((line, f"{self.name} row {line}: {column} {str(value)!r}: {reason}"))

    @property
    def problems(self) -> list[str]:
        """Every problem, in row order."""
        return [text for _, text in sorted(self.found, key=lambda item: item[0])]


def parse_table_date(text: str) -> tuple[date, str]:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as (first day, precision); ValueError for anything else."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError("expected YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = match.groups()
    if day is not None:
        return date(int(year), int(month), int(day)), DAY
    if month is not None:
        return date(int(year), int(month), 1), MONTH
    return date(int(year), 1, 1), YEAR


def _cell_text(value: object) -> str:
    """An Excel cell as the text a user typed: a real date cell as YYYY-MM-DD, a whole number without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def user_table_label(entry: dict) -> str:
    """How a user's table is named wherever its facts appear: "user table: <source>, as of <date>, partial"."""
    return f"user table: {entry['source']}, as of {entry['as_of']}, {'complete' if entry['complete'] else 'partial'}"


MAX_COLUMNS = 50  # no ratification table is wider: a wider sheet is not one
MAX_ROWS = 100_000  # about 200 States x a few acts x every instrument, many times over
MAX_PART_BYTES = 10 * 1024 * 1024  # expanded size of one part of an .xlsx (a real table's sheet is < 1 MB)
MAX_NOTE = 2_000  # characters of a note; longer is refused by row (a note is kept in the manifest)
MAX_CELL = 200  # characters of a country, instrument, action or date cell
MAX_NOTES_TOTAL = 1_000_000  # characters of all notes together (one shared string can fill every row's note)
_XLSX_FAULTS = (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError, AttributeError,
                SyntaxError, EOFError, zlib.error, ExpatError)  # fmt: skip


def _refuse_expanding_parts(data: bytes, name: str) -> None:
    """Every part of the workbook, as it would expand, within the cap: a zip bomb is refused unread.

    The sizes are the archive's own; a part that expands past its declared size fails its CRC when read.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Rt2gapsError(f"{name}: not a readable .xlsx workbook ({error})") from None
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise Rt2gapsError(f"{name}: part {info.filename} expands to {info.file_size:,} bytes, over the "
                               f"{MAX_PART_BYTES:,}-byte cap of a ratification table")  # fmt: skip
    if sum(info.file_size for info in infos) > 4 * MAX_PART_BYTES:
        raise Rt2gapsError(f"{name}: the workbook expands to more than {4 * MAX_PART_BYTES:,} bytes")


def _too_big(name: str) -> Rt2gapsError:
    return Rt2gapsError(f"{name}: larger than any ratification table (at most {MAX_COLUMNS} columns and "
                        f"{MAX_ROWS:,} rows); copy the table alone into a new sheet")  # fmt: skip


def _read_xlsx(data: bytes, name: str) -> list[list[str]]:
    """The first sheet's cells as text, read row by row as stored: a cell beyond the caps refuses the sheet
    at once, never padded (openpyxl pads every row to the sheet's width, so one far cell costs gigabytes)."""
    import openpyxl  # only an Excel table pays for it
    from openpyxl.worksheet._reader import WorkSheetParser

    _refuse_expanding_parts(data, name)
    rows: list[list[str]] = []
    try:
        # Any: the private streaming reader below (_get_source, _shared_strings, _date_formats ...) is absent
        # from types-openpyxl
        book: Any = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
                raise _too_big(name)  # the sheet's own dimension says so
            with sheet._get_source() as source:
                parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                         date_formats=book._date_formats,
                                         timedelta_formats=book._timedelta_formats)  # fmt: skip
                for number, cells in parser.parse():
                    if number > MAX_ROWS or any(cell["column"] > MAX_COLUMNS for cell in cells):
                        raise _too_big(name)
                    row = [""] * max((cell["column"] for cell in cells), default=0)
                    for cell in cells:
                        row[cell["column"] - 1] = _cell_text(cell["value"])
                    rows.extend([] for _ in range(number - 1 - len(rows)))  # rows the sheet skips are empty
                    rows.append(row)
        finally:
            book.close()
    except Rt2gapsError:
        raise
    except _XLSX_FAULTS as error:  # malformed XML, a missing part, a damaged archive: one line, never a traceback
        raise Rt2gapsError(f"{name}: not a readable .xlsx workbook ({type(error).__name__}: {error})"[:300]) from None
    return rows


def read_cells(data: bytes, name: str) -> list[list[str]]:
    """The table's rows as text cells: an .xlsx workbook's first sheet, else UTF-8 CSV (a BOM is allowed).

    Old Mac line ends (CR only) are read as line ends; a field over the csv module's limit, or a table
    over the caps, is refused in one line naming the file and row.
    """
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Rt2gapsError(f"{name}: not a UTF-8 CSV table ({error})") from None
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect_of(text))
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                raise _too_big(name)
            rows.append([cell.strip() for cell in row])
    except csv.Error as error:
        raise Rt2gapsError(f"{name} row {reader.line_num}: not a readable CSV row ({error})") from None
    return rows


def _dialect_of(text: str) -> type[csv.Dialect]:
    """Tab-separated when one of the first lines has three tab-separated cells (a table copied from a browser,
    perhaps under the page's title), else comma-separated."""
    head = text[:20_000].replace("\r", "\n").split("\n")[:20]
    return csv.excel_tab if any(line.count("\t") >= 2 for line in head) else csv.excel


def _refuse_long_cells(table: UserTable, line: int, values: dict[str, str]) -> bool:
    """A note over MAX_NOTE characters, or another cell over MAX_CELL, is a problem of its row (shown cut)."""
    long = [(c, v) for c, v in values.items() if len(v) > (MAX_NOTE if c == "note" else MAX_CELL)]
    for column, value in long:
        cap = MAX_NOTE if column == "note" else MAX_CELL
        table.problem(line, column, value[:40] + "…", f"{len(value):,} characters, over the cap of {cap:,} characters")
    return bool(long)


def refuse_too_much_note(table: UserTable) -> None:
    """All the notes together within MAX_NOTES_TOTAL characters: they are kept in the snapshot's manifest,
    which every command reads."""
    total = sum(len(row.note) for row in table.rows)
    if total > MAX_NOTES_TOTAL:
        raise Rt2gapsError(f"{table.name}: the notes hold {total:,} characters together, over the cap of "
                           f"{MAX_NOTES_TOTAL:,}; keep each note short")  # fmt: skip


def read_table(data: bytes, name: str) -> UserTable:
    """Read and check the table: columns, actions, dates, empty cells; problems are collected, not raised."""
    table = UserTable(name)
    cells = [row for row in read_cells(data, name) if any(row)]
    if not cells:
        table.found.append((0, f"{name}: the table is empty (expected a header row: {', '.join(REQUIRED_COLUMNS)})"))
        return table
    header = [cell.strip().casefold() for cell in cells[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        table.found.append((1, f"{name} row 1: missing column(s) {', '.join(missing)} (found: {', '.join(header)})"))
        return table
    doubled = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if header.count(c) > 1]
    if doubled:
        table.found.extend((1, f"{name} row 1: column {c!r} appears {header.count(c)} times (which one is meant?)")
                           for c in doubled)  # fmt: skip
        return table
    where = {c: header.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in header}
    for line, row in enumerate(cells[1:], start=2):
        values = {c: (row[i].strip() if i < len(row) else "") for c, i in where.items()}
        if _refuse_long_cells(table, line, values):
            continue
        empty = [c for c in REQUIRED_COLUMNS if not values[c]]
        for column in empty:
            table.problem(line, column, "", "empty cell")
        action = values["action"].casefold()
        if values["action"] and action not in ACTIONS:
            table.problem(line, "action", values["action"], f"expected one of {', '.join(ACTIONS)}")
        try:
            day, precision = parse_table_date(values["date"]) if values["date"] else (None, "")
        except ValueError as error:
            table.problem(line, "date", values["date"], f"not a date: {error}")
            continue
        if empty or action not in ACTIONS or day is None:
            continue
        table.rows.append(TableRow(line, values["country"], values["instrument"], action, day, precision,
                                   values["date"], values.get("note", "")))  # fmt: skip
    refuse_too_much_note(table)
    return table


def participant_rows(table: UserTable) -> list[ParticipantRow]:
    """The source records of the table: one row per signature and per consent, each denunciation folded
    into the latest earlier consent of the same participant and instrument (a problem when there is none)."""
    rows: list[ParticipantRow] = []
    consents: dict[tuple[str, str], list[int]] = {}  # participant, instrument -> indexes of consent rows
    ordered = sorted(table.rows, key=lambda r: (r.action == DENUNCIATION, r.date, r.line))
    for item in ordered:
        key = (item.country.casefold(), item.instrument)
        act = Act(kind=item.action, date=item.date, precision=item.precision, raw=item.date_text)
        if item.action == SIGNATURE:
            rows.append(ParticipantRow(item.country, item.instrument, signature=act, source_row=item.line))
        elif item.action in CONSENTS:
            consents.setdefault(key, []).append(len(rows))
            rows.append(ParticipantRow(item.country, item.instrument, consent=act, source_row=item.line))
    for item in (r for r in ordered if r.action == DENUNCIATION):
        key = (item.country.casefold(), item.instrument)
        earlier = [(consent.date, i) for i in consents.get(key, []) if (consent := rows[i].consent)
                   and consent.date <= item.date and not consent.undone]  # fmt: skip
        if not earlier:
            table.problem(
                item.line,
                "action",
                item.action,
                f"no earlier consent of {item.country!r} to "
                f"{item.instrument} in the table (write a State's name the same way on each of its rows)",
            )
            continue
        _, index = max(earlier, key=lambda pair: pair[0])  # the latest consent, the first listed on a tie
        consent = rows[index].consent
        assert consent is not None
        undone = Act(consent.kind, consent.date, consent.precision, consent.raw, undone=True,
                     undone_date=item.date, undone_precision=item.precision)  # fmt: skip
        rows[index] = ParticipantRow(rows[index].participant, rows[index].instrument, consent=undone,
                                     source_row=rows[index].source_row)  # fmt: skip
    return rows


def contradictions(table: UserTable, who: Callable[[TableRow], str]) -> None:
    """Acts of one participant and instrument that cannot all be true, each a problem naming both rows.

    Two consents with no denunciation between (the status would depend on the query date), a signature
    after a consent still in effect, a denunciation on the very day of the consent it undoes (the State
    would stay party). ``who`` keys a row by participant, so a name and its ISO3 code are one participant.
    """
    order = {action: rank for rank, action in enumerate((SIGNATURE, *CONSENTS, DENUNCIATION))}
    pairs: dict[tuple[str, str], list[TableRow]] = {}
    repeated: set[tuple[str, str, str, str]] = set()
    for row in table.rows:
        if (key := (who(row), row.instrument, row.action, row.date_text)) not in repeated:  # a duplicate row is
            repeated.add(key)  # a problem of its own, not a contradiction
            pairs.setdefault((who(row), row.instrument), []).append(row)
    for rows in pairs.values():
        active: TableRow | None = None  # the consent in effect, walking the acts in date order
        for row in sorted(rows, key=lambda r: (r.date, order.get(r.action, 0), r.line)):
            if row.action in CONSENTS:
                if active is not None:
                    table.problem(row.line, "action", row.action, f"a second consent of {row.country!r} to "
                                  f"{row.instrument} after row {active.line} with no denunciation between")  # fmt: skip
                active = active or row
            elif row.action == DENUNCIATION and active is not None:
                if row.date == active.date and row.precision == active.precision == DAY:
                    table.problem(row.line, "action", row.action, f"the same day as the consent of row {active.line}"
                                  " (the State would stay party): check the dates")  # fmt: skip
                active = None
            elif row.action == SIGNATURE and active is not None and row.date > active.date:
                table.problem(row.line, "action", row.action, f"after the consent of row {active.line} "
                              "(a State signs before it ratifies)")  # fmt: skip


def parse(data: bytes, name: str) -> ParsedSource:
    """The snapshot builder's entry point: the table as source records; any problem stops it, listed."""
    table = read_table(data, name)
    rows = participant_rows(table)
    if table.problems:
        raise Rt2gapsError(f"{name}: {len(table.problems)} problem(s) in the table:\n  " + "\n  ".join(table.problems))
    return ParsedSource(format=FORMAT, rows=rows)
