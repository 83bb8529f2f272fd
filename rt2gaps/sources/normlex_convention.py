"""NORMLEX's ratification page for one convention or protocol, English or French (FORMATS.md §5).

No real copy of this page has been seen: the layout is as reported by other people's scrapers, so
everything is found by its words, never by position or CSS class. The title gives the instrument
code; "N ratifications" and "Denounced: N" give the counts the builder checks; the table is the one
whose header reads Country | Date | Status | Note (Pays | Date | Statut | Note).

Each row becomes one ratification with day precision. Its status is kept at the front of
``Act.note`` as one of :data:`STATUSES` (read it back with :func:`status_of`), so the builder can
tell a pending ratification (not a gap) from a denounced one:

- ``in force``;
- ``pending``: "Not in force" with a note saying it *will* enter into force;
- ``denounced``: "Not in force" with a note "Denounced on …" / "Automatic denunciation on …"
  (French "Dénoncée le …", "Dénonciation automatique le …"); ``undone`` is set, with the note's date;
- ``not in force; reason not stated``: "Not in force" with no readable reason. Such a row is kept,
  not undone: refusing the whole page would lose every other row, and calling it denounced would
  invent a fact. The builder should report these rows rather than count them as in force.
"""

from __future__ import annotations

import re
from datetime import date

import lxml.html

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.normlex_table import collapse, own_rows, read_html
from rt2gaps.sources.records import DAY, RATIFICATION, Act, ParsedSource, ParticipantRow

FORMAT = "normlex-convention"

IN_FORCE = "in force"
PENDING = "pending"
DENOUNCED = "denounced"
NOT_IN_FORCE_UNSTATED = "not in force; reason not stated"
STATUSES = (IN_FORCE, PENDING, DENOUNCED, NOT_IN_FORCE_UNSTATED)
_NOTE_SEPARATOR = " | "

# Header words of the ratification table, per language.
_HEADERS = {
    "en": {"country": "country", "date": "date", "status": "status", "note": "note"},
    "fr": {"country": "pays", "date": "date", "status": "statut", "note": "note"},
}
_STATUS_WORDS = {"in force": True, "en vigueur": True, "not in force": False, "pas en vigueur": False}

_DATE = r"\d{1,2}(?:er)?\s+[^\s\d]+\s+\d{4}"
_TITLE = re.compile(r"^\s*Ratifications?\s+(?:of|de|du|des)\s+(?:la\s+|le\s+)?([CP]\d{3})\b.*$", re.IGNORECASE)
_ENTRY_INTO_FORCE = re.compile(
    rf"(?:date of entry into force|date d.entr[ée]e en vigueur)\s*:\s*({_DATE})", re.IGNORECASE
)
_RATIFICATIONS = re.compile(r"^(\d+)\s+ratifications?\b", re.IGNORECASE)
_DENOUNCED_COUNT = re.compile(
    r"(?:^|\s)(?:denounced|d[ée]nonc[ée]e?s?(?:\s*\(s\))?|d[ée]nonciations?)\s*:\s*(\d+)\b", re.IGNORECASE
)
_DENUNCIATION = re.compile(
    rf"(?:denounced on|automatic denunciation on|d[ée]nonc[ée]e?s?\s+le|d[ée]nonciation automatique\s+le)"
    rf"\s+({_DATE})",
    re.IGNORECASE,
)
_DENUNCIATION_WORDS = re.compile(r"\bdenounced\b|\bdenunciation\b|d[ée]nonc", re.IGNORECASE)
_PENDING_WORDS = re.compile(r"will enter into force|entrera en vigueur", re.IGNORECASE)


def status_of(act: Act) -> str:
    """The status this parser put at the front of ``act.note`` (one of :data:`STATUSES`)."""
    for status in sorted(STATUSES, key=len, reverse=True):
        if act.note == status or act.note.startswith(status + ":") or act.note.startswith(status + _NOTE_SEPARATOR):
            return status
    raise ValueError(f"not a NORMLEX convention-page note: {act.note!r}")


def _innermost_text(root: lxml.html.HtmlElement, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The match in the deepest element whose whole collapsed text matches ``pattern`` (first in page order).

    Whole-element matching keeps "168 ratifications" apart from neighbouring lines, whatever tags
    NORMLEX wraps them in.
    """
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        match = pattern.search(collapse(element.text_content()))
        if match and not any(
            isinstance(child.tag, str) and pattern.search(collapse(child.text_content())) for child in element
        ):
            return match
    return None


def _column_of(words: list[str], name: str) -> int | None:
    """Position of the header cell reading ``name`` (alone or followed by more words, e.g. a sort mark)."""
    return next((i for i, word in enumerate(words) if word == name or word.startswith(name + " ")), None)


def _find_ratification_table(
    root: lxml.html.HtmlElement, source: str
) -> tuple[str, dict[str, int], list[str], list[lxml.html.HtmlElement]]:
    """Language, column positions, header texts as found and data rows of the Country|Date|Status(|Note) table."""
    headers_seen: list[str] = []
    for table in root.iter("table"):
        rows = own_rows(table)
        if not rows:
            continue
        headers = [collapse(cell.text_content()) for cell in rows[0].xpath("./td | ./th")]
        words = [header.lower() for header in headers]
        headers_seen.append(" | ".join(headers))
        for language, names in _HEADERS.items():
            needed = ("country", "date", "status")
            if all(_column_of(words, names[key]) is not None for key in needed):
                columns = {key: at for key, name in names.items() if (at := _column_of(words, name)) is not None}
                return language, columns, headers, rows[1:]
    raise SourceLayoutError(
        source,
        "a table headed Country | Date | Status | Note (or Pays | Date | Statut | Note)",
        f"{len(headers_seen)} tables with first rows {headers_seen}" if headers_seen else "no table",
    )


def _split_country_cell(cell: lxml.html.HtmlElement) -> tuple[str, str]:
    """Country name (the cell's first link) and the declaration text that follows the link."""
    links = cell.xpath(".//a")
    if not links:
        return collapse(cell.text_content()), ""
    link = links[0]
    after: list[str] = []
    node = link
    while node is not cell:  # the link's tail and everything after it, climbing up to the cell
        after.append(node.tail or "")
        for sibling in node.itersiblings():
            after.extend((sibling.text_content(), sibling.tail or ""))
        node = node.getparent()
    return collapse(link.text_content()), collapse("".join(after))


def in_force_of(status_text: str) -> bool | None:
    """ "In Force"/"En vigueur" True, "Not in force"/"Pas en vigueur" False, anything else None."""
    return _STATUS_WORDS.get(" ".join(status_text.split()).lower())


def row_status(in_force: bool, note: str) -> tuple[str, date | None]:
    """One row's status (one of :data:`STATUSES`) from its Status and Note cells, and the denunciation's date.

    A denounced row whose note gives no date has none (none is invented); ValueError when the note
    gives a denunciation date that cannot be read.
    """
    if in_force:
        return IN_FORCE, None
    if (denunciation := _DENUNCIATION.search(note)) is not None:
        undone_date = parse_day_month_year(denunciation.group(1))
        if undone_date is None:
            raise ValueError(f"unreadable denunciation date {denunciation.group(1)!r}")
        return DENOUNCED, undone_date
    if _PENDING_WORDS.search(note):
        return PENDING, None
    if _DENUNCIATION_WORDS.search(note):
        return DENOUNCED, None
    return NOT_IN_FORCE_UNSTATED, None


def _row_act(cells: dict[str, str], declaration: str, source: str, where: str) -> Act:
    date_text = cells["date"]
    ratified = parse_day_month_year(date_text)
    if ratified is None:
        raise SourceLayoutError(source, f"a date such as '03 Jun 1957' or '19 oct. 1962' in {where}", repr(date_text))
    status_text = cells["status"]
    in_force = in_force_of(status_text)
    if in_force is None:
        raise SourceLayoutError(
            source, f"status 'In Force'/'Not in force' ('En vigueur'/'Pas en vigueur') in {where}", repr(status_text)
        )
    note = cells.get("note", "")
    try:
        status, undone_date = row_status(in_force, note)
    except ValueError:
        raise SourceLayoutError(source, f"a readable denunciation date in the note of {where}", repr(note)) from None
    undone = status == DENOUNCED
    text = status + (f": {note}" if note else "")
    if declaration:
        text += f"{_NOTE_SEPARATOR}declaration: {declaration}"
    return Act(
        kind=RATIFICATION,
        date=ratified,
        precision=DAY,
        raw=date_text,
        undone=undone,
        undone_date=undone_date,
        undone_precision=DAY if undone_date else None,
        note=text,
    )


def parse(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """One NORMLEX per-convention ratification page (English or French) as dated ratification rows."""
    root = read_html(data, source)
    language, columns, header_names, table_rows = _find_ratification_table(root, source)

    title = _innermost_text(root, _TITLE)
    if title is None:
        raise SourceLayoutError(
            source, "a title 'Ratifications of C098 - …' / 'Ratifications de C098 - …'", "no such text"
        )
    header_counts: dict[str, int] = {}
    ratifications = _innermost_text(root, _RATIFICATIONS)
    if ratifications is None:
        raise SourceLayoutError(source, "a count such as '168 ratifications'", "no such text")
    header_counts["ratifications"] = int(ratifications.group(1))
    denounced = _innermost_text(root, _DENOUNCED_COUNT)
    if denounced is not None:
        header_counts["denounced"] = int(denounced.group(1))

    extra = {"language": language}
    entry_text = None
    entry = _innermost_text(root, _ENTRY_INTO_FORCE)
    if entry is not None:
        entry_text = collapse(entry.group(1))
        entry_date = parse_day_month_year(entry_text)
        if entry_date is None:
            raise SourceLayoutError(source, "a readable date of entry into force", repr(entry_text))
        extra["entry_into_force_date"] = entry_date.isoformat()

    rows: list[ParticipantRow] = []
    for number, row in enumerate(table_rows, start=1):
        tds = row.xpath("./td | ./th")
        if not any(collapse(td.text_content()) for td in tds):
            continue
        if len(tds) <= max(columns["country"], columns["date"], columns["status"]):
            raise SourceLayoutError(source, f"{len(header_names)} cells in table row {number}", f"{len(tds)} cells")
        name, declaration = _split_country_cell(tds[columns["country"]])
        if not name:
            raise SourceLayoutError(source, f"a country name in table row {number}", "an empty cell")
        cells = {key: collapse(tds[index].text_content()) for key, index in columns.items() if index < len(tds)}
        act = _row_act(cells, declaration, source, f"table row {number} ({name})")
        rows.append(ParticipantRow(participant=name, instrument=title.group(1).upper(), consent=act, source_row=number))

    return ParsedSource(
        format=FORMAT,
        source_key=title.group(1).upper(),
        title=collapse(title.group(0)),
        as_of=None,  # the page carries no stamp: provenance (the save date) supplies it
        header_counts=header_counts,
        rows=rows,
        entry_into_force=entry_text,
        columns=header_names,
        extra=extra,
    )
