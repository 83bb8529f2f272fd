"""UNTC status tables scraped to CSV (2015): the same cells as the pages, without brackets or footnotes.

The scraper stripped square brackets and footnote numbers, so an undone act looks like a standing
one here (README: Madagascar's denunciation of the 1954 Convention); the manifest says so.
``1-1.csv`` holds the UN's original members, ``1-2.csv`` the later ones with their admission date.
"""

from __future__ import annotations

import csv
import io

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.records import ADMISSION, DAY, RATIFICATION, Act, ParsedSource, ParticipantRow
from rt2gaps.sources.untc_cells import collapse, column_kinds, read_cell


def parse(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """Rows of one scraped table; the header row is UNTC's own column header."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if not table or not table[0] or collapse(table[0][0]) != "Participant":
        raise SourceLayoutError(source, "a first column headed 'Participant'", repr(table[0] if table else []))
    header = [collapse(cell) for cell in table[0]]
    parsed = ParsedSource(format="untc-csv", columns=header)
    if "Date of Adoption" in header:
        _admission_rows(table, header, parsed, source)
        return parsed
    if len(header) not in (2, 3):
        raise SourceLayoutError(source, "2 or 3 columns (participant, [signature,] consent)", repr(header))
    consent_suffixes: dict[str, str]
    if header[-1] == "Ratification":  # 1-1.csv: ratification of the Charter
        consent_kind, consent_suffixes = RATIFICATION, {}
    else:
        consent_kind, consent_suffixes = column_kinds(header[-1], "consent", source)
    if len(header) == 3:
        signature_kind, signature_suffixes = column_kinds(header[1], "signature", source)
    for number, cells in enumerate(table[1:], start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise SourceLayoutError(source, f"{len(header)} cells in row {number}", f"{len(cells)}")
        name = collapse(cells[0])
        where = f"row {number} ({name})"
        signature = read_cell(cells[1], signature_kind, signature_suffixes, source, where) if len(header) == 3 else None
        consent = read_cell(cells[-1], consent_kind, consent_suffixes, source, where)
        parsed.rows.append(ParticipantRow(participant=name, signature=signature, consent=consent, source_row=number))
    return parsed


def _admission_rows(table: list[list[str]], header: list[str], parsed: ParsedSource, source: str) -> None:
    """1-2.csv: later UN members and the General Assembly's admission date (``5 Sept 2000`` spellings too)."""
    date_at = header.index("Date of Adoption")
    for number, cells in enumerate(table[1:], start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise SourceLayoutError(source, f"{len(header)} cells in row {number}", f"{len(cells)}")
        name = collapse(cells[0])
        admitted = parse_day_month_year(collapse(cells[date_at]))
        if admitted is None:
            raise SourceLayoutError(source, f"an admission date at row {number} ({name})", repr(cells[date_at]))
        act = Act(kind=ADMISSION, date=admitted, precision=DAY, raw=collapse(cells[date_at]))
        parsed.rows.append(ParticipantRow(participant=name, consent=act, source_row=number))
