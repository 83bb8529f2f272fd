"""Official MTDSG XML files of the UN Treaty Collection (status tables; also I-1 and I-2 membership).

As published they are not well-formed: C0 control bytes stand where U+20xx characters lost their
high byte, and bare ``&`` appear. Both are repaired before parsing with defusedxml, which refuses
entity declarations and external references (this XML may come from the network).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from rt2gaps.errors import Rt2gapsError, SourceLayoutError
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.records import ADMISSION, DAY, RATIFICATION, Act, ParsedSource, ParticipantRow
from rt2gaps.sources.untc_cells import (
    collapse,
    column_kinds,
    mtdsg_number,
    participant_row,
    read_cell,
    split_name,
)
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

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_MEMBERS = re.compile(r"^(\d+)\s+Members\b")  # I-2's Status: "144 Members. See also ..."
_SUPERSCRIPT = re.compile(r"<superscript>(.*?)</superscript>", re.S)
_TAG = re.compile(r"<[^>]+>")


def sanitise(data: bytes) -> str:
    """Repair the published files: control bytes back to U+20xx, bare ampersands escaped."""
    text = data.decode("iso-8859-1")  # as declared; every byte maps to one character
    text = _CONTROL_CHARACTERS.sub(lambda m: chr(0x2000 + ord(m.group(0))), text)
    text = _BARE_AMPERSAND.sub("&amp;", text)
    return re.sub(r"^<\?xml[^>]*\?>", "", text)  # the text is decoded now: drop the encoding declaration


def plain_text(escaped: str | None) -> tuple[str, tuple[str, ...]]:
    """Entry text with its escaped inline markup removed, and the superscript footnote numbers."""
    raw = html.unescape(escaped or "")
    refs = tuple(re.findall(r"\d+", " ".join(_SUPERSCRIPT.findall(raw))))
    return collapse(_TAG.sub(" ", _SUPERSCRIPT.sub(" ", raw))), refs


def _root(data: bytes, source: str) -> ElementTree.Element:
    try:
        return SafeElementTree.fromstring(sanitise(data), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise Rt2gapsError(f"{source}: refused unsafe XML ({type(exc).__name__}: entities or DTD)") from None
    except ElementTree.ParseError as exc:
        raise SourceLayoutError(source, "well-formed MTDSG XML", f"a parse error ({exc})") from None


def _int(element: ElementTree.Element | None) -> int | None:
    text = (element.text or "").strip() if element is not None else ""
    return int(text) if text.isdigit() else None


def parse(data: bytes, source: str = "<bytes>") -> ParsedSource:
    """Header counts, title, entry into force and (where present) the participant rows."""
    root = _root(data, source)
    treaty = root.find("Treaty")
    if root.tag != "Document" or treaty is None:
        raise SourceLayoutError(source, "Document/Treaty", f"root <{root.tag}>")
    header = treaty.find("Header/ExternalData")
    parsed = ParsedSource(format="mtdsg-xml")
    footnotes = {
        (note.findtext("index") or "").strip(): plain_text(note.findtext("text"))[0]
        for note in treaty.findall("EndNotes/Note")
    }
    parsed.footnotes = footnotes
    if header is not None:
        _read_header(treaty, header, parsed)
    if treaty.find("Participants") is not None:
        _participant_rows(treaty, parsed, footnotes, source)
    elif (table := treaty.find("SpecialTables/Table")) is not None:
        _admission_rows(table, parsed, source)
    return parsed


def _read_header(treaty: ElementTree.Element, header: ElementTree.Element, parsed: ParsedSource) -> None:
    """Title (``Subtitlesect`` for a protocol), MTDSG number, entry into force and Status counts."""
    title = header.findtext("Titlesect") or header.findtext("Subtitlesect")
    parsed.title = plain_text(title)[0] or None
    chapter = treaty.findtext("Header/Chapter/Header") or ""
    parsed.source_key = mtdsg_number(chapter, header.findtext("Numsect") or "", header.findtext("Subnumsect") or "")
    parsed.entry_into_force = plain_text(header.findtext("EIF/Labeltext"))[0] or None
    conclusion = plain_text(header.findtext("Conclusion"))[0]
    if conclusion:
        parsed.extra["conclusion"] = conclusion
    for key in ("Parties", "Signatories"):
        count = _int(header.find(f"Status/{key}"))
        if count is not None:
            parsed.header_counts[key.lower()] = count
    members = _MEMBERS.match(plain_text(header.findtext("Status/CustomText"))[0])
    if members:
        parsed.header_counts["members"] = int(members.group(1))


def _participant_rows(treaty: ElementTree.Element, parsed: ParsedSource, footnotes: dict, source: str) -> None:
    head = treaty.findall("Participants/Table/TGroup/Thead/Row/Entry")
    columns = [plain_text(e.text)[0] for e in head]
    parsed.columns = columns
    if len(columns) not in (2, 3) or not columns[0].startswith("Participant"):
        raise SourceLayoutError(source, "a 2- or 3-column participant header", repr(columns))
    has_signature = len(columns) == 3
    if has_signature:
        signature_kind, signature_suffixes = column_kinds(columns[1], "signature", source)
    consent_kind, consent_suffixes = column_kinds(columns[-1], "consent", source)
    if columns[-1] == "Ratification":  # I-1: original members' ratification of the Charter
        consent_kind = RATIFICATION
    for number, row in enumerate(treaty.findall("Participants/Table/TGroup/Tbody/Rows/Row"), start=1):
        entries = [e.text for e in row.findall("Entry")]
        if len(entries) != len(columns):
            raise SourceLayoutError(source, f"{len(columns)} entries in participant row {number}", f"{len(entries)}")
        name, refs = plain_text(entries[0])
        name, more_refs = split_name(name)
        refs = refs + more_refs
        where = f"row {number} ({name})"
        signature = (
            read_cell(plain_text(entries[1])[0], signature_kind, signature_suffixes, source, where)
            if has_signature
            else None
        )
        consent = read_cell(plain_text(entries[-1])[0], consent_kind, consent_suffixes, source, where)
        parsed.rows.append(participant_row(name, refs, signature, consent, footnotes, number))


def _admission_rows(table: ElementTree.Element, parsed: ParsedSource, source: str) -> None:
    """MTDSG I-2 (its ``SpecialTables/Table``): later UN members and the General Assembly's admission date."""
    titles = [plain_text(t.text)[0] for t in table.findall("TableHeader/Title")]
    parsed.columns = titles
    if "Participant" not in titles or "Date of Adoption" not in titles:
        raise SourceLayoutError(source, "columns Participant and Date of Adoption", repr(titles))
    name_at, date_at = titles.index("Participant"), titles.index("Date of Adoption")
    for number, row in enumerate(table.findall("Rows/Row"), start=1):
        cells = [plain_text(c.text)[0] for c in row.findall("Column")]
        name, refs = plain_text(row.findall("Column")[name_at].text)
        admitted = parse_day_month_year(cells[date_at])
        if admitted is None:
            raise SourceLayoutError(source, f"an admission date at row {number} ({name})", repr(cells[date_at]))
        act = Act(kind=ADMISSION, date=admitted, precision=DAY, raw=cells[date_at])
        parsed.rows.append(ParticipantRow(participant=name, consent=act, footnotes=refs, source_row=number))


_STATEMENT_SECTIONS = (
    ("Declarations", "Declaration", DECLARATIONS),
    ("Objections", "Objection", OBJECTIONS),
    ("DeclarationsUnderArticle", "Declaration", UNDER_ARTICLE),
)
_RIGHT = re.compile(r"^\s*<right>(.*?)</right>\s*$", re.S)


def parse_statements(data: bytes, source: str = "<bytes>") -> StatementSection:
    """Every entry of the file's Declarations, Objections and DeclarationsUnderArticle sections.

    A ``text`` of type ``title`` is a heading, ``<right>date</right>`` a date line, the rest paragraphs.
    """
    treaty = _root(data, source).find("Treaty")
    if treaty is None:
        raise SourceLayoutError(source, "Document/Treaty", "none")
    found = StatementSection()
    for container, tag, section in _STATEMENT_SECTIONS:
        for number, element in enumerate(treaty.findall(f"{container}/{tag}"), start=1):
            name, refs = plain_text(element.findtext("Participant"))
            name, more_refs = split_name(name)
            pieces: list[Piece] = []
            for text in element.findall("text"):
                raw = html.unescape(text.text or "")
                right = _RIGHT.match(raw)
                if right:
                    pieces.append(Piece(DATE, plain_text(right.group(1))[0]))
                elif text.get("type") == "title":
                    pieces.append(Piece(HEADING, plain_text(text.text)[0]))
                else:
                    pieces.append(Piece(TEXT, plain_text(text.text)[0]))
            entry = Entry(section, name, refs + more_refs, tuple(pieces), "", number)
            found.entries.append(entry)
            found.statements.extend(statements_of(entry))
    return found
