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
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

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
REQUIRED_COLUMNS = ("country", "instrument", "action", "date")
OPTIONAL_COLUMNS = ("note",)
DENUNCIATION = "denunciation"
CONSENTS = (RATIFICATION, ACCESSION, ACCEPTANCE, APPROVAL, SUCCESSION)
ACTIONS = (SIGNATURE, *CONSENTS, DENUNCIATION)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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


def read_cells(data: bytes, name: str) -> list[list[str]]:
    """The table's rows as text cells: an .xlsx workbook's first sheet, else UTF-8 CSV (a BOM is allowed)."""
    if data[:4] == b"PK\x03\x04":
        import openpyxl  # only an Excel table pays for it

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise Rt2gapsError(f"{name}: not a readable .xlsx workbook ({error})") from None
        try:
            return [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Rt2gapsError(f"{name}: not a UTF-8 CSV table ({error})") from None
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


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
    where = {c: header.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in header}
    for line, row in enumerate(cells[1:], start=2):
        values = {c: (row[i].strip() if i < len(row) else "") for c, i in where.items()}
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
        earlier = [i for i in consents.get(key, []) if rows[i].consent and rows[i].consent.date <= item.date
                   and not rows[i].consent.undone]  # fmt: skip
        if not earlier:
            table.problem(item.line, "action", item.action, f"no earlier consent of {item.country!r} to "
                          f"{item.instrument} in the table (write a State's name the same way on each of its rows)")
            continue
        index = max(earlier, key=lambda i: rows[i].consent.date)  # type: ignore[union-attr]
        consent = rows[index].consent
        assert consent is not None
        undone = Act(consent.kind, consent.date, consent.precision, consent.raw, undone=True,
                     undone_date=item.date, undone_precision=item.precision)  # fmt: skip
        rows[index] = ParticipantRow(rows[index].participant, rows[index].instrument, consent=undone,
                                     source_row=rows[index].source_row)  # fmt: skip
    return rows


def parse(data: bytes, name: str) -> ParsedSource:
    """The snapshot builder's entry point: the table as source records; any problem stops it, listed."""
    table = read_table(data, name)
    rows = participant_rows(table)
    if table.problems:
        raise Rt2gapsError(f"{name}: {len(table.problems)} problem(s) in the table:\n  " + "\n  ".join(table.problems))
    return ParsedSource(format=FORMAT, rows=rows)
