"""NORMLEX's ratification table of one convention as a browser copies it: text or an .xlsx it was pasted into.

Where NORMLEX refuses an automated client, a user selects the table on the convention's page and copies
it. What arrives is the page's own columns, tab-separated (a paste into a text file), comma-separated, or
cells of a sheet: Country | Date | Status | Note (French: Pays | Date | Statut | Note). Lines above the
header (the page's title and counts, when the selection took them) are skipped. Dates read as the page
writes them ("05 Sep 2013", "05 sept. 2013", "5 septembre 2013"), or as a sheet turned them into dates.

Each row is read by the rules of the page parser (``normlex_convention.row_status``) into the user
table's acts: a ratification on its date; "Denounced on …" adds a denunciation on that date; "Not in
force" with "will enter into force" stays a ratification (the instrument's entry-into-force rule makes
it pending, then in force). A row "Not in force" whose note gives no reason, or "denounced" with no
date, is a problem of its row: the reason or the date is on the page, in the Note column.

A declaration copied with the country (``Albania Excludes Annex III``) is split off with ``is_name``
(the caller's name resolver): the longest leading words that name a State are the country, the rest the
declaration, kept in the row's note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rt2gaps.errors import Rt2gapsError
from rt2gaps.sources import normlex_convention
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.records import DAY, RATIFICATION, ParsedSource
from rt2gaps.sources.user_table import (
    DENUNCIATION,
    MAX_CELL,
    MAX_NOTE,
    TableRow,
    UserTable,
    participant_rows,
    read_cells,
    refuse_too_much_note,
)

FORMAT = "copied-normlex-table"  # not "normlex…": one instrument per file, named at import, not in the file
HEADERS = {"en": ("country", "date", "status", "note"), "fr": ("pays", "date", "statut", "note")}
_HEADER_SEARCH = 20  # header row within the first lines (a selection may start at the page's title)


def _header(cells: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """Index of the header row and the position of each of its columns, by the page's words."""
    for index, row in enumerate(cells[:_HEADER_SEARCH]):
        words = [" ".join(cell.split()).casefold() for cell in row]
        for names in HEADERS.values():
            if all(name in words for name in names[:3]):
                return index, {
                    key: words.index(name)
                    for key, name in zip(("country", "date", "status", "note"), names, strict=True)
                    if name in words
                }
    return None


def _split_country(text: str, is_name: Callable[[str], bool] | None) -> tuple[str, str]:
    """Country and declaration of a country cell: a line break or a run of spaces splits them; else the
    longest leading words that ``is_name`` knows."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    head = lines[0] if lines else ""
    rest = " ".join(lines[1:])
    parts = head.split("  ", 1)
    if len(parts) == 2:
        head, rest = parts[0].strip(), " ".join((parts[1].strip(), rest)).strip()
    if is_name is None or is_name(head):
        return head, rest
    words = head.split()
    for count in range(len(words) - 1, 0, -1):
        if is_name(" ".join(words[:count])):
            return " ".join(words[:count]), " ".join((" ".join(words[count:]), rest)).strip()
    return head, rest


def _date(text: str) -> date | None:
    """A day as the page or a sheet writes it; None when it is not one."""
    day = parse_day_month_year(text)
    if day is None and len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            day = date.fromisoformat(text)  # a sheet turned the pasted text into a date cell
        except ValueError:
            day = None
    return day


def read_copy(data: bytes, name: str, instrument: str, is_name: Callable[[str], bool] | None = None) -> UserTable:
    """The copied table as a user's table of ``instrument``: acts by row, and every problem by row."""
    table = UserTable(name)
    cells = read_cells(data, name)
    found = _header(cells)
    if found is None:
        first = next((row for row in cells if any(row)), [])
        table.found.append(
            (
                1,
                f"{name}: no header row Country, Date, Status, Note (or Pays, Date, Statut, Note) "
                f"in its first {_HEADER_SEARCH} lines (first line found: {', '.join(first)[:200]!r})",
            )
        )
        return table
    start, where = found
    previous: TableRow | None = None
    for line, row in enumerate(cells[start + 1 :], start=start + 2):
        values = {key: (row[i].strip() if i < len(row) else "") for key, i in where.items()}
        if not any(values.values()):
            continue
        if values["country"] and not values["date"] and not values["status"] and previous is not None:
            # a declaration the copy put on a line of its own, under its country
            note = "; ".join(text for text in (previous.note, values["country"]) if text)
            table.rows[-1] = previous = TableRow(**{**previous.__dict__, "note": note})
            continue
        previous = None
        long = [(k, v) for k, v in values.items() if len(v) > (MAX_NOTE if k == "note" else MAX_CELL)]
        for key, value in long:
            table.problem(line, key, value[:40] + "…", f"{len(value):,} characters, over the cap of "
                          f"{MAX_NOTE if key == 'note' else MAX_CELL:,} characters")  # fmt: skip
        if long:
            continue
        country, declaration = _split_country(values["country"], is_name)
        note = values.get("note", "")
        missing = [key for key in ("country", "date", "status") if not values[key]]
        for key in missing:
            table.problem(line, key, "", "empty cell")
        if missing:
            continue
        ratified = _date(values["date"])
        if ratified is None:
            table.problem(line, "date", values["date"], "not a date such as '05 Sep 2013', '05 sept. 2013' or "
                          "'5 septembre 2013'")  # fmt: skip
            continue
        in_force = normlex_convention.in_force_of(values["status"])
        if in_force is None:
            table.problem(line, "status", values["status"], "expected In Force or Not in force (En vigueur, Pas en "
                          "vigueur)")  # fmt: skip
            continue
        try:
            status, denounced_on = normlex_convention.row_status(in_force, note)
        except ValueError as error:
            table.problem(line, "note", note, str(error))
            continue
        if status == normlex_convention.NOT_IN_FORCE_UNSTATED:
            table.problem(line, "note", note, "Not in force, and the note does not say why (denounced on a date, or "
                          "will enter into force): copy the Note column with the table")  # fmt: skip
            continue
        if status == normlex_convention.DENOUNCED and denounced_on is None:
            table.problem(line, "note", note, "denounced, but the note gives no date of denunciation")
            continue
        text = "; ".join(t for t in (f"{status}: {note}" if note else status,
                                     f"declaration: {declaration}" if declaration else "") if t)  # fmt: skip
        previous = TableRow(line, country, instrument, RATIFICATION, ratified, DAY, values["date"], text)
        table.rows.append(previous)
        if denounced_on is not None:
            table.rows.append(TableRow(line, country, instrument, DENUNCIATION, denounced_on, DAY,
                                       denounced_on.isoformat(), note))  # fmt: skip
    refuse_too_much_note(table)
    return table


def parse(data: bytes, name: str, instrument: str, is_name: Callable[[str], bool] | None = None) -> ParsedSource:
    """The snapshot builder's entry point (the instrument comes from the import, not the file)."""
    table = read_copy(data, name, instrument, is_name)
    rows = participant_rows(table)
    if table.problems:
        raise Rt2gapsError(f"{name}: {len(table.problems)} problem(s) in the table:\n  " + "\n  ".join(table.problems))
    return ParsedSource(format=FORMAT, rows=rows)
