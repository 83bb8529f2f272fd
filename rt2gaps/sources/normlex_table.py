"""NORMLEX's comparative table "Ratification of the Fundamental Conventions and Protocols by country".

One row per ILO member State, one column per instrument; a cell is a ratification year (year
precision only, no status), ``1958den.:1990`` or ``1958 (denounced 1990)`` for a denunciation, empty
for none. Two readings of the same table share one pipeline: the CSV scrapes in
``ilo/normlex-fundamentals-2026-07`` (FORMATS.md §4) and the HTML page itself (reported layout:
``table.grid``). Both first build a :class:`MemberTable` (every member, ratifying or not), then turn it
into a long-format :class:`ParsedSource`.

Member countries with no ratification at all yield no ParticipantRow, yet they are ILO members:
get the full membership from :func:`parse_csv_members` / :func:`parse_html_members`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_numeric_dmy
from rt2gaps.sources.records import RATIFICATION, YEAR, Act, ParsedSource, ParticipantRow

FORMAT = "normlex-table"

# The eleven fundamental instruments the table must show (ILO, since 2022 with C155 and C187).
FUNDAMENTAL_CODES = ("C087", "C098", "C029", "P029", "C105", "C100", "C111", "C138", "C182", "C155", "C187")

# An instrument code, alone or ending a header such as ``Freedom_of_association_C087``.
INSTRUMENT_CODE = re.compile(r"(?:^|[_\s\-])([CP]\d{3})$")

# ``1958``, ``1958den.:1990``, ``1958 (denounced 1990)`` (and French ``dén.`` / ``dénoncée``).
_YEAR_CELL = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:\s*d[eé]n\.?\s*:?\s*(?P<den1>\d{4})"
    r"|\s*\(\s*(?:denounced|d[ée]nonc[ée]e?)\s*:?\s*(?P<den2>\d{4})\s*\))?$",
    re.IGNORECASE,
)

_COUNTRY_HEADERS = {"country", "countries", "pays", "member state", "member states", "état membre", "etat membre"}
_ISO2_HEADERS = {"country_iso", "iso2", "iso", "country_iso2"}
_BUSINESS_DATE_HEADER = "business_date"


def collapse(text: str) -> str:
    """Whitespace (incl. no-break spaces, tabs, newlines) collapsed to single spaces and trimmed."""
    return " ".join(text.split())


def instrument_code(header: str) -> str | None:
    """The instrument code a column header names (``C087`` from ``Freedom_of_association_C087``), else None."""
    match = INSTRUMENT_CODE.search(collapse(header))
    return match.group(1) if match else None


def read_html(data: bytes, source: str) -> lxml.html.HtmlElement:
    """Parse saved HTML bytes (UTF-8, else Windows-1252 as older browsers save) into an lxml tree."""
    try:
        data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    try:
        return lxml.html.fromstring(data, parser=lxml.html.HTMLParser(encoding=encoding))
    except Exception as error:  # lxml raises several types for empty or broken documents
        raise SourceLayoutError(source, "an HTML page", f"unparseable input ({error})") from error


@dataclass(frozen=True)
class Ratification:
    """One filled cell of the table, read: the year ratified and, if denounced, the year denounced."""

    year: int
    denounced: int | None
    raw: str


def read_year_cell(cell: str, source: str, where: str) -> Ratification | None:
    """Read one table cell; None for an empty cell; SourceLayoutError for anything unreadable."""
    text = collapse(cell)
    if not text:
        return None
    match = _YEAR_CELL.match(text)
    if not match:
        raise SourceLayoutError(
            source, f"a year such as '1958' or '1958den.:1990' in {where}", f"unreadable cell {cell!r}"
        )
    denounced = match.group("den1") or match.group("den2")
    return Ratification(int(match.group("year")), int(denounced) if denounced else None, text)


@dataclass
class MemberRow:
    """One member State's row: its name as written, the ISO2 code if the source gives one, its cells."""

    name: str
    iso2: str | None
    source_row: int  # 1-based among the data rows (first country = 1)
    cells: dict[str, Ratification] = field(default_factory=dict)  # instrument code -> filled cell


@dataclass
class MemberTable:
    """The whole comparative table as read, before it is flattened: every member, ratifying or not."""

    columns: list[str]
    instruments: list[str]  # codes in column order
    members: list[MemberRow]
    business_date: date | None = None
    title: str | None = None


def _require_fundamentals(codes: list[str], source: str, columns: list[str]) -> None:
    missing = [code for code in FUNDAMENTAL_CODES if code not in codes]
    if missing:
        raise SourceLayoutError(
            source,
            f"a column for each of the 11 fundamental instruments ({', '.join(FUNDAMENTAL_CODES)})",
            f"no column for {', '.join(missing)} among columns {columns}",
        )
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise SourceLayoutError(source, "one column per instrument", f"several columns for {', '.join(duplicated)}")


def _check_unique_names(members: list[MemberRow], source: str) -> None:
    seen: set[str] = set()
    for member in members:
        if member.name in seen:
            raise SourceLayoutError(source, "one row per member State", f"{member.name!r} twice")
        seen.add(member.name)


# --- CSV --------------------------------------------------------------------------------------


def read_csv_table(data: bytes, source: str) -> MemberTable:
    """Read either CSV scrape of the table (LavanyaVaidya's or ofosos's) into a MemberTable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceLayoutError(source, "UTF-8 CSV text", f"undecodable bytes ({error})") from error
    records = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not records:
        raise SourceLayoutError(source, "a CSV header row", "an empty file")
    columns = [collapse(name) for name in records[0]]
    lowered = [name.lower() for name in columns]
    country_at = next((i for i, name in enumerate(lowered) if name in _COUNTRY_HEADERS), None)
    if country_at is None:
        raise SourceLayoutError(source, "a country column (e.g. 'Country' or 'country')", f"columns {columns}")
    iso2_at = next((i for i, name in enumerate(lowered) if name in _ISO2_HEADERS), None)
    date_at = next((i for i, name in enumerate(lowered) if name == _BUSINESS_DATE_HEADER), None)
    code_at = {i: code for i, name in enumerate(columns) if (code := instrument_code(name))}
    _require_fundamentals(list(code_at.values()), source, columns)

    members: list[MemberRow] = []
    business_dates: set[str] = set()
    for number, record in enumerate(records[1:], start=1):
        if len(record) != len(columns):
            raise SourceLayoutError(
                source, f"{len(columns)} fields in data row {number}", f"{len(record)} fields: {record}"
            )
        name = collapse(record[country_at])
        if not name:
            raise SourceLayoutError(source, f"a country name in data row {number}", f"an empty cell: {record}")
        iso2 = (collapse(record[iso2_at]) or None) if iso2_at is not None else None
        member = MemberRow(name, iso2, number)
        for i, code in code_at.items():
            read = read_year_cell(record[i], source, f"row {number} ({name}), column {columns[i]}")
            if read is not None:
                member.cells[code] = read
        members.append(member)
        if date_at is not None and record[date_at].strip():
            business_dates.add(record[date_at].strip())
    _check_unique_names(members, source)
    return MemberTable(columns, list(code_at.values()), members, _business_date(business_dates, source))


def _business_date(values: set[str], source: str) -> date | None:
    if not values:
        return None
    if len(values) > 1:
        raise SourceLayoutError(source, "one BUSINESS_DATE for the whole table", f"{sorted(values)}")
    (text,) = values
    parsed = parse_numeric_dmy(text)
    if parsed is None:
        raise SourceLayoutError(source, "BUSINESS_DATE as DD-MM-YYYY", repr(text))
    return parsed


# --- HTML -------------------------------------------------------------------------------------


def own_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's rows, not those of tables nested inside it."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def expand_grid(rows: list[lxml.html.HtmlElement]) -> list[list[lxml.html.HtmlElement | None]]:
    """Lay rows out on a grid honouring colspan/rowspan; a spanned cell sits at its first position only."""
    grid: list[list[lxml.html.HtmlElement | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(rows):
        line: list[lxml.html.HtmlElement | None] = []
        c = 0
        for cell in row.xpath("./td | ./th"):
            while taken.get((r, c)):
                line.append(None)
                c += 1
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = True
            line.append(cell)
            line.extend([None] * (colspan - 1))
            c += colspan
        while taken.get((r, c)):
            line.append(None)
            c += 1
        grid.append(line)
    return grid


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _cell_text(cell: lxml.html.HtmlElement | None) -> str:
    return collapse(cell.text_content()) if cell is not None else ""


def _year_cell_text(cell: lxml.html.HtmlElement | None) -> str:
    """A data cell's text: ``<span class="noValue">`` counts as empty whatever it shows."""
    if cell is None:
        return ""
    if cell.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' show_year ')]"):
        return _cell_text(cell)
    if cell.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' noValue ')]"):
        return ""
    return _cell_text(cell)


def _find_code_table(root: lxml.html.HtmlElement, source: str) -> tuple[lxml.html.HtmlElement, int]:
    """The table whose header rows name the instrument codes, and the index of the row naming them."""
    best: tuple[lxml.html.HtmlElement, int, int] | None = None
    for table in root.iter("table"):
        for index, row in enumerate(own_rows(table)):
            codes = [code for cell in row.xpath("./td | ./th") if (code := instrument_code(_cell_text(cell)))]
            if len(codes) >= 2:
                if best is None or len(codes) > best[2]:
                    best = (table, index, len(codes))
                break
    if best is None:
        found = len(root.xpath("//table"))
        raise SourceLayoutError(
            source, "a table whose header row names instrument codes (C087 … C187)", f"{found} tables, none such"
        )
    return best[0], best[1]


def read_html_table(data: bytes, source: str) -> MemberTable:
    """Read the NORMLEX comparative table page (reported ``table.grid`` layout) into a MemberTable."""
    root = read_html(data, source)
    table, code_row = _find_code_table(root, source)
    rows = own_rows(table)
    grid = expand_grid(rows)
    width = max(len(line) for line in grid)
    header_lines = grid[: code_row + 1]
    header_text = [
        " / ".join(t for line in header_lines if (t := _cell_text(line[c] if c < len(line) else None)))
        for c in range(width)
    ]
    code_at: dict[int, str] = {}
    for c in range(width):
        for line in header_lines:
            code = instrument_code(_cell_text(line[c] if c < len(line) else None))
            if code:
                code_at[c] = code
    _require_fundamentals(list(code_at.values()), source, header_text)
    country_at = next(
        (c for c in range(width) if c not in code_at and header_text[c].lower() in _COUNTRY_HEADERS),
        0 if 0 not in code_at else None,
    )
    if country_at is None:
        raise SourceLayoutError(source, "a country column before the instrument columns", f"header {header_text}")

    members: list[MemberRow] = []
    for row, line in zip(rows[code_row + 1 :], grid[code_row + 1 :], strict=True):
        if "note" in (row.get("class") or "").split() or not row.xpath("./td"):
            continue  # footnote rows and repeated header rows
        cells = {c: line[c] if c < len(line) else None for c in range(width)}
        if all(code == instrument_code(_cell_text(cells[c])) for c, code in code_at.items()):
            continue  # a repeated code header
        name = _cell_text(cells[country_at])
        values = {code: _year_cell_text(cells[c]) for c, code in code_at.items()}
        if not name:
            if any(values.values()):
                raise SourceLayoutError(source, "a country name in every data row", f"a row without one: {values}")
            continue
        member = MemberRow(name, None, len(members) + 1)
        for code, text in values.items():
            read = read_year_cell(text, source, f"row {member.source_row} ({name}), column {code}")
            if read is not None:
                member.cells[code] = read
        members.append(member)
    if not members:
        raise SourceLayoutError(source, "country rows below the instrument header", "none")
    _check_unique_names(members, source)
    title = root.findtext(".//title")
    return MemberTable(header_text, list(code_at.values()), members, None, collapse(title) if title else None)


# --- the long format both readings share ------------------------------------------------------


def to_parsed_source(table: MemberTable, variant: str) -> ParsedSource:
    """Flatten a MemberTable into one ParticipantRow per (country, instrument) with a filled cell."""
    rows: list[ParticipantRow] = []
    for member in table.members:
        for code in table.instruments:
            cell = member.cells.get(code)
            if cell is None:
                continue
            consent = Act(
                kind=RATIFICATION,
                date=date(cell.year, 1, 1),
                precision=YEAR,
                raw=cell.raw,
                undone=cell.denounced is not None,
                undone_date=date(cell.denounced, 1, 1) if cell.denounced is not None else None,
                undone_precision=YEAR if cell.denounced is not None else None,
            )
            rows.append(
                ParticipantRow(
                    participant=member.name,
                    instrument=code,
                    consent=consent,
                    source_row=member.source_row,
                    iso2=member.iso2,
                )
            )
    header_counts = {code: sum(code in m.cells for m in table.members) for code in table.instruments}
    header_counts["countries"] = len(table.members)
    extra = {"variant": variant, "countries": str(len(table.members))}
    if table.business_date is not None:
        extra["business_date"] = table.business_date.isoformat()
    return ParsedSource(
        format=FORMAT,
        title=table.title,
        as_of=None,  # BUSINESS_DATE is NORMLEX's latest listed ratification, not a stamp: provenance dates it
        header_counts=header_counts,
        rows=rows,
        columns=list(table.columns),
        extra=extra,
    )


def parse_csv(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """Either CSV scrape of the comparative table, as long-format rows (filled cells only)."""
    return to_parsed_source(read_csv_table(data, source), "csv")


def parse_html(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """The comparative table page as HTML, as long-format rows (filled cells only)."""
    return to_parsed_source(read_html_table(data, source), "html")


def parse_csv_members(data: bytes, source: str = "<bytes>") -> list[tuple[str, str | None]]:
    """Every member State in the CSV, ratifying or not, as (name as written, ISO2 if given), in file order."""
    return [(member.name, member.iso2) for member in read_csv_table(data, source).members]


def parse_html_members(data: bytes, source: str = "<bytes>") -> list[tuple[str, str | None]]:
    """Every member State in the HTML table, as (name as written, None), in page order."""
    return [(member.name, member.iso2) for member in read_html_table(data, source).members]
