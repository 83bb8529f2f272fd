"""UN Treaty Collection "ViewDetails" status pages (HTML), as saved from treaties.un.org."""

from __future__ import annotations

import re

import lxml.html

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_numeric_dmy
from rt2gaps.sources.records import ParsedSource
from rt2gaps.sources.untc_cells import collapse, column_kinds, participant_row, read_cell, split_name

_STAMP = re.compile(r"STATUS AS AT\s*:\s*(\d{2}-\d{2}-\d{4})")
_TOTALS = re.compile(r"Signatories\s*:\s*(\d+)\s*\.\s*Parties\s*:\s*(\d+)")
_MTDSG = re.compile(r"mtdsg_no=([IVXL]+-\d+(?:-[a-z])?)")


def _div_text(document: lxml.html.HtmlElement, id_suffix: str) -> str | None:
    found = document.xpath(f"//div[substring(@id, string-length(@id) - {len(id_suffix) - 1}) = '{id_suffix}']")
    return collapse(found[0].text_content()) if found else None


def _footnotes(document: lxml.html.HtmlElement) -> dict[str, str]:
    notes: dict[str, str] = {}
    for div in document.xpath("//div[contains(concat(' ', @class, ' '), ' divNotesAll ')]"):
        anchor = div.xpath(".//a[@name]")
        if anchor:
            number = anchor[0].get("name")
            text = collapse(div.text_content())
            notes[number] = text[len(number) :].strip() if text.startswith(number) else text
    return notes


def parse(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """Rows of the participant grid, the page's own totals and its status stamp."""
    document = lxml.html.document_fromstring(data.decode("utf-8", errors="replace"))
    grids = document.xpath("//table[substring(@id, string-length(@id) - 6) = 'tblgrid']")
    if len(grids) != 1:
        raise SourceLayoutError(source, "one participant table whose id ends in 'tblgrid'", f"{len(grids)}")
    rows = grids[0].xpath("./tr|./tbody/tr")
    header = [cell for cell in rows[0].xpath("./td|./th")] if rows else []
    if len(header) != 3 or not collapse(header[0].text_content()).startswith("Participant"):
        texts = [collapse(c.text_content()) for c in header]
        raise SourceLayoutError(source, "a 3-column header Participant | Signature | consent", repr(texts))
    signature_kind, signature_suffixes = column_kinds(header[1].text_content(), "signature", source)
    consent_kind, consent_suffixes = column_kinds(header[2].text_content(), "consent", source)

    stamp = _STAMP.search(_div_text(document, "_div3") or "")
    totals = _TOTALS.search(_div_text(document, "rptStatus_ctl00_tcText") or "")
    if not totals:
        raise SourceLayoutError(source, "a status line 'Signatories : N. Parties : N'", "none")
    footnotes = _footnotes(document)
    parsed = ParsedSource(
        format="untc-html",
        as_of=parse_numeric_dmy(stamp.group(1)) if stamp else None,
        header_counts={"signatories": int(totals.group(1)), "parties": int(totals.group(2))},
        footnotes=footnotes,
        entry_into_force=_div_text(document, "rptEIF_ctl00_tcText"),
        title=_div_text(document, "rptTitle_ctl00_tcText") or _div_text(document, "rptTreaty_ctl00_tcText"),
        columns=[collapse(c.text_content()) for c in header],
    )
    key = _MTDSG.search(data.decode("utf-8", errors="replace"))
    parsed.source_key = key.group(1) if key else None
    for number, row in enumerate(rows[1:], start=1):
        cells = row.xpath("./td")
        if len(cells) != 3:
            raise SourceLayoutError(source, f"3 cells in participant row {number}", f"{len(cells)}")
        name, refs = split_name(cells[0].text_content())
        where = f"row {number} ({name})"
        signature = read_cell(cells[1].text_content(), signature_kind, signature_suffixes, source, where)
        consent = read_cell(cells[2].text_content(), consent_kind, consent_suffixes, source, where)
        parsed.rows.append(participant_row(name, refs, signature, consent, footnotes, number))
    return parsed
