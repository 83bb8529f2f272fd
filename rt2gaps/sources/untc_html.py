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
