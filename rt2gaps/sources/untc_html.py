"""UN Treaty Collection "ViewDetails" status pages (HTML), as saved from treaties.un.org.

The page is an ASP.NET form; the parts read here are found by the end of their element ids, which
have stayed stable while the prefixes changed: the status stamp (``_div3``), the heading
(``rptHead_ctl00_tcHead``, ``rptTreaty_ctl00_tcTreaty``), the sibling ``rpt…_tcText`` divs (place
and date, entry into force, registration, totals), the participant grid (the only table whose id
ends in ``tblgrid``) and the footnotes (``div.divNotesAll``). No network access here.
"""

from __future__ import annotations

import copy
import re

import lxml.html

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_numeric_dmy
from rt2gaps.sources.records import ParsedSource
from rt2gaps.sources.untc_cells import collapse, column_kinds, mtdsg_number, participant_row, read_cell, split_name
from rt2gaps.sources.untc_statements import (
    DATE,
    DECLARATIONS,
    HEADING,
    OBJECTIONS,
    TEXT,
    UNDER_ARTICLE,
    Entry,
    Piece,
    StatementSection,
    statements_of,
)

_STAMP = re.compile(r"STATUS AS AT\s*:\s*(\d{2}-\d{2}-\d{4})")
_TOTALS = re.compile(r"Signatories\s*:\s*(\d+)\s*\.\s*Parties\s*:\s*(\d+)")
_TREATY_HEADING = re.compile(r"^(\d+)\s*\.\s*(?:([a-z])\s+)?(.+)$")  # "9. b Optional Protocol to ..."
_MTDSG_LINK = re.compile(r"mtdsg_no=([IVXL]+-\d+(?:-[a-z])?)")
_BLOCK_BREAKS = ("br", "p", "div", "li")


def _by_id_end(document: lxml.html.HtmlElement, tag: str, id_end: str) -> list[lxml.html.HtmlElement]:
    start = f"string-length(@id) - {len(id_end) - 1}"
    return document.xpath(f"//{tag}[substring(@id, {start}) = '{id_end}']")


def cell_text(element: lxml.html.HtmlElement | None) -> tuple[str, tuple[str, ...]]:
    """Collapsed text of an element without its ``<sup>`` footnote links, and those footnote numbers.

    Line breaks and paragraphs become spaces, so sentences of a footnote stay apart.
    """
    if element is None:
        return "", ()
    element = copy.deepcopy(element)
    refs: list[str] = []
    for sup in element.xpath(".//sup"):
        refs.extend(re.findall(r"\d+", sup.text_content()))
        sup.drop_tree()
    for block in element.xpath(".//*"):
        if block.tag in _BLOCK_BREAKS:
            block.tail = " " + (block.tail or "")
    return collapse(element.text_content()), tuple(refs)


def _div_text(document: lxml.html.HtmlElement, id_end: str) -> str | None:
    found = _by_id_end(document, "div", id_end)
    return cell_text(found[0])[0] or None if found else None


def _footnotes(document: lxml.html.HtmlElement) -> dict[str, str]:
    """Footnote number → text; each ``div.divNotesAll`` starts with ``<a name='N'>N</a>``.

    The text is the div's plain text, whitespace-collapsed. Paragraph breaks are not turned into
    spaces (``27 June 2000.The Secretary-General``): the committed snapshot quotes these notes
    verbatim, so changing that means rebuilding it.
    """
    notes: dict[str, str] = {}
    for div in document.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' divNotesAll ')]"):
        anchor = div.xpath(".//a[@name]")
        if not anchor:
            continue
        number = anchor[0].get("name")
        text = collapse(div.text_content())
        notes[number] = text[len(number) :].strip() if text.startswith(number) else text
    return notes


def _heading(document: lxml.html.HtmlElement, page: str) -> tuple[str | None, str | None]:
    """(title, MTDSG number) from ``CHAPTER IV`` and ``9. b Optional Protocol ...``.

    Falls back to the page's own ``mtdsg_no=`` links when the heading does not give the number.
    """
    chapter = _div_text(document, "rptHead_ctl00_tcHead") or ""
    heading = _TREATY_HEADING.match(_div_text(document, "rptTreaty_ctl00_tcTreaty") or "")
    if heading:
        key = mtdsg_number(chapter, heading.group(1), heading.group(2) or "")
        title = heading.group(3)
    else:
        key, title = None, _div_text(document, "rptTreaty_ctl00_tcTreaty")
    links = sorted(set(_MTDSG_LINK.findall(page)))
    return title, key or (links[0] if len(links) == 1 else None)


def parse(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """Rows of the participant grid, the page's own totals and its status stamp."""
    page = data.decode("utf-8", errors="replace")
    document = lxml.html.document_fromstring(page)
    grids = _by_id_end(document, "table", "tblgrid")
    if len(grids) != 1:
        raise SourceLayoutError(source, "one participant table whose id ends in 'tblgrid'", f"{len(grids)}")
    rows = grids[0].xpath("./tr|./tbody/tr")
    header = rows[0].xpath("./td|./th") if rows else []
    columns = [cell_text(cell)[0] for cell in header]
    if len(columns) != 3 or not columns[0].startswith("Participant"):
        raise SourceLayoutError(source, "a 3-column grid header Participant | Signature | consent", repr(columns))
    signature_kind, signature_suffixes = column_kinds(columns[1], "signature", source)
    consent_kind, consent_suffixes = column_kinds(columns[2], "consent", source)

    stamp = _STAMP.search(_div_text(document, "_div3") or "")
    totals_text = _div_text(document, "rptStatus_ctl00_tcText") or ""
    totals = _TOTALS.search(totals_text)
    if not totals:
        raise SourceLayoutError(source, "a status line 'Signatories : N. Parties : N'", repr(totals_text[:80]))
    title, key = _heading(document, page)
    footnotes = _footnotes(document)
    parsed = ParsedSource(
        format="untc-html",
        source_key=key,
        title=title,
        as_of=parse_numeric_dmy(stamp.group(1)) if stamp else None,
        header_counts={"signatories": int(totals.group(1)), "parties": int(totals.group(2))},
        footnotes=footnotes,
        entry_into_force=_div_text(document, "rptEIF_ctl00_tcText"),
        columns=columns,
    )
    for extra, id_end in (("conclusion", "rptTreaty_ctl00_tcText"), ("registration", "rptRegistration_ctl00_tcText")):
        text = _div_text(document, id_end)
        if text:
            parsed.extra[extra] = text
    for number, row in enumerate(rows[1:], start=1):
        cells = row.xpath("./td")
        if len(cells) != 3:
            raise SourceLayoutError(source, f"3 cells in participant row {number}", f"{len(cells)}")
        name_text, sup_refs = cell_text(cells[0])
        name, text_refs = split_name(name_text)
        refs = sup_refs + text_refs
        where = f"row {number} ({name})"
        signature = read_cell(cells[1].text_content(), signature_kind, signature_suffixes, source, where)
        consent = read_cell(cells[2].text_content(), consent_kind, consent_suffixes, source, where)
        parsed.rows.append(participant_row(name, refs, signature, consent, footnotes, number))
    return parsed


# The three statement sections of a page, by the end of their table ids.
_STATEMENT_TABLES = (("dgDec", DECLARATIONS), ("dgObj", OBJECTIONS), ("dgDecUnderArticle", UNDER_ARTICLE))


def _plain(element: lxml.html.HtmlElement) -> str:
    """Text of an element without its footnote marks (``<sup>``, ``<superscript>``)."""
    element = copy.deepcopy(element)
    for mark in element.xpath(".//sup|.//superscript"):
        mark.drop_tree()
    return collapse(element.text_content())


def _statement_pieces(div: lxml.html.HtmlElement) -> tuple[list[Piece], str]:
    """The date lines, headings and paragraphs of an entry's text div, and the name it echoes.

    ``<p align=right>`` is a date line, ``<p align=left><i>…</i></p>`` a heading, an ``<i>`` that
    opens a statement (nothing written since the last date or heading) a heading too; ``<br>``
    ends a paragraph; ``<p class=invisible>`` repeats the participant's name.
    """
    pieces: list[Piece] = []
    buffer: list[str] = []
    echoed: list[str] = []
    state = {"written": False}

    def flush() -> None:
        text = collapse(" ".join(buffer))
        buffer.clear()
        if text:
            pieces.append(Piece(TEXT, text))
            state["written"] = True

    def mark(kind: str, text: str) -> None:
        flush()
        if collapse(text):
            pieces.append(Piece(kind, collapse(text)))
            state["written"] = False

    def walk(element: lxml.html.HtmlElement) -> None:
        if element is not div:
            buffer.append(element.text or "")
        for child in element:
            if not isinstance(child.tag, str):
                buffer.append(child.tail or "")
                continue
            align = (child.get("align") or "").lower()
            if child.tag == "p" and "invisible" in (child.get("class") or ""):
                echoed.append(re.sub(r"<superscript>.*?</superscript>", "", _plain(child)))
            elif child.tag == "p" and align == "right":
                mark(DATE, _plain(child))
            elif child.tag == "p" and align == "left":
                nested = child.xpath("./p")
                for inner in nested:
                    inner.drop_tree()
                mark(HEADING, _plain(child))
                for inner in nested:
                    mark(HEADING, _plain(inner))
            elif child.tag == "i" and not state["written"] and not collapse(" ".join(buffer)):
                mark(HEADING, _plain(child))
            elif child.tag == "br":
                flush()
            elif child.tag in ("sup", "superscript"):
                pass
            else:
                walk(child)
            buffer.append(child.tail or "")

    div = copy.deepcopy(div)
    buffer.append(div.text or "")
    walk(div)
    flush()
    return pieces, " ".join(e for e in echoed if e)


def parse_statements(data: bytes, source: str = "<bytes>") -> StatementSection:
    """Every entry of the page's "Declarations and Reservations", "Objections" and "Declarations
    recognizing the competence ..." sections, and the statements each holds.

    The participant grid's reader (:func:`parse`) is separate: a page without statement sections
    gives an empty result, a statement table without its participant and text divs is a layout error.
    """
    document = lxml.html.document_fromstring(data.decode("utf-8", errors="replace"))
    found = StatementSection()
    for table_id, section in _STATEMENT_TABLES:
        for table in _by_id_end(document, "table", f"_{table_id}"):
            for number, row in enumerate(table.xpath("./tr|./tbody/tr"), start=1):
                name_div = _by_id_end_in(row, "divParticipant")
                text_div = _by_id_end_in(row, "divText")
                if name_div is None or text_div is None:
                    raise SourceLayoutError(source, f"participant and text divs in {table_id} row {number}", "none")
                name_text, sup_refs = cell_text(name_div)
                name, text_refs = split_name(name_text)
                pieces, echoed = _statement_pieces(text_div)
                entry = Entry(section, name, sup_refs + text_refs, tuple(pieces), split_name(echoed)[0], number)
                found.entries.append(entry)
                found.statements.extend(statements_of(entry))
    return found


def _by_id_end_in(row: lxml.html.HtmlElement, id_end: str) -> lxml.html.HtmlElement | None:
    start = f"string-length(@id) - {len(id_end) - 1}"
    hits = row.xpath(f".//div[substring(@id, {start}) = '{id_end}']")
    return hits[0] if hits else None
