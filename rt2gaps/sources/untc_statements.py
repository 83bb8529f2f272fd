"""Reservations, declarations and objections as the UN Treaty Collection publishes them, format-free.

The HTML status page and the MTDSG XML hold the same sections ("Declarations and Reservations",
"Objections", "Declarations recognizing the competence of the Committee ..."): one entry per
participant, and inside it a run of pieces: a date (``<p align=right>12 January 2018</p>``, XML
``<right>``) when the statement was not made upon ratification, a heading (``Reservation:``,
``Declaration under article 77``) and paragraphs of text. Each format's reader turns its markup into
:class:`Piece` runs; this module turns the runs into :class:`Statement` rows (one per heading), reads
the articles a statement names and the withdrawals of reservations told in the footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.untc_cells import collapse

DECLARATIONS = "declarations"  # "Declarations and Reservations"
OBJECTIONS = "objections"
UNDER_ARTICLE = "under_article"  # "Declarations recognizing the competence of the Committee ..."
SECTIONS = (DECLARATIONS, OBJECTIONS, UNDER_ARTICLE)
FOOTNOTE = "footnote"  # a withdrawn reservation quoted in a footnote

DATE, HEADING, TEXT = "date", "heading", "text"

# Words that name a kind of statement, longest first; the kind is kept as the page words it.
_KIND_WORDS = re.compile(
    r"\b(interpretative declarations?|declarations? and reservations?|reservations? and declarations?|"
    r"reservations?|declarations?|understandings?|objections?|statements?|notifications?|communications?)\b",
    re.I,
)
_DATE_TEXT = re.compile(r"^\s*(\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})")
_ARTICLE_REF = re.compile(
    r"\b(?P<word>articles?|art\.)\s*\[?\s*(?P<list>\d+(?:\s*\(\s*\w{1,4}\s*\))*"
    r"(?:\s*(?:,|and|or|&)\s*\d+(?:\s*\(\s*\w{1,4}\s*\))*)*)"
    r"(?P<para>,?\s*(?:paragraphs?|para\.)\s*\d+(?:\s*\(\s*\w{1,4}\s*\))*)?"
    r"(?P<sub>,?\s*(?:sub-?paragraphs?)\s*\(?\s*[a-z]\s*\)?)?",
    re.I,
)
_PARAGRAPH_OF = re.compile(
    r"\b(?:paragraphs?|para\.)\s*(?P<para>\d+(?:\s*\(\s*\w{1,4}\s*\))*)\s*(?:,\s*)?of\s+articles?\s*(?P<art>\d+)", re.I
)
# An article of another text ("article 34 of the Political Constitution"): not an article of the instrument.
_OF_OTHER = re.compile(
    r"^\s*,?\s*of\s+(?!(?:this|the present|the said|said|the above[- ]mentioned|the aforesaid|the|that)?\s*"
    r"\[?\s*(?:said\s+)?(?:international\s+)?(?:convention|covenant|optional protocol|protocol)\b)(?:the\s+)?\S",
    re.I,
)
_LATER_TIME = re.compile(r"at a later (?:time|date|stage)", re.I)
_WITHDRAW_SENTENCE = re.compile(
    r"\bOn\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}),?\s+(?:the\s+Government\s+of\s+)?(?P<who>.{2,80}?)\s+"
    r"(?:notified|informed)\s+the\s+Secretary-General\s+(?:of|that)\s+(?P<what>[^.]*?\b(?:withdraw|withdrawal)[^.]*)\.",
)


@dataclass(frozen=True)
class Piece:
    """One piece of a participant's entry: a date line, a heading or a paragraph of text."""

    kind: str  # DATE, HEADING or TEXT
    text: str


@dataclass(frozen=True)
class Entry:
    """One participant's entry in a section, as the page lists it."""

    section: str
    participant: str  # the heading name, footnote numbers removed
    footnotes: tuple[str, ...]
    pieces: tuple[Piece, ...]
    echoed_name: str = ""  # the name the entry's text repeats (HTML ``p.invisible``), to check attachment
    source_row: int = 0


@dataclass(frozen=True)
class Statement:
    """One reservation, declaration or objection of one participant, as published."""

    participant: str
    section: str
    kind: str  # as the page words it: "Reservation", "Declaration under article 77", "Objection" ...
    heading: str
    date: date | None  # the date the page gives; None = made upon ratification, accession or succession
    articles: tuple[str, ...]
    text: str
    withdrawn_date: date | None = None
    withdrawal: str = ""  # "", "whole" or "partial"
    footnotes: tuple[str, ...] = ()
    source_row: int = 0
    upon_signature: bool = False  # the heading says it was made upon signature


@dataclass
class StatementSection:
    """What one source says in its declaration sections: the entries listed and the statements read."""

    entries: list[Entry] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


_DEFAULT_KIND = {DECLARATIONS: "Declaration", OBJECTIONS: "Objection", UNDER_ARTICLE: "Declaration"}


def kind_of(heading: str) -> str:
    """The kind a heading opens with, as worded (``Reservation concerning article 4:`` → ``Reservation``).

    Only a heading that starts with the kind (after ``A)``, ``The``) names it: ``With regard to the
    declaration made by Venezuela`` heads an objection, not a declaration.
    """
    found = _KIND_WORDS.match(re.sub(r"^[\W_]*(?:[A-Za-z0-9]{1,3}\)\s*)?(?:the\s+)?", "", heading, flags=re.I))
    if not found:
        return ""
    words = found.group(1)
    return words[0].upper() + words[1:].lower()


def page_date(text: str) -> date | None:
    """A date line (``12 January 2018``, ``20 August 1991*``), or None when it is not one."""
    found = _DATE_TEXT.match(collapse(text))
    return parse_day_month_year(found.group(1)) if found else None


def _label(number: str, parts: str = "") -> str:
    """``18`` and ``paragraph 3(d)`` → ``18(3)(d)``."""
    label = number
    for match in re.finditer(r"(\d+)|\(\s*(\w{1,4})\s*\)", parts):
        label += f"({match.group(1) or match.group(2)})"
    return label


def articles_named(text: str) -> tuple[str, ...]:
    """The instrument's articles a text names, in order, once each: ``18(3)(d)``, ``92(1)``, ``76``.

    Reads ``article 92, paragraph 1``, ``article 92 (1)``, ``paragraph 1 of article 92``,
    ``article 18 paragraph 3(d)``, ``articles 46, 47, 48 and 61, paragraph 4`` (the paragraph goes
    with the last). Articles of another text (``article 34 of the Political Constitution``) are left out.
    """
    text = collapse(text)
    found: list[tuple[int, str]] = []
    covered: list[range] = []
    for match in _PARAGRAPH_OF.finditer(text):
        if _OF_OTHER.match(text[match.end() :]):
            continue
        covered.append(range(match.start(), match.end()))
        found.append((match.start(), _label(match.group("art"), match.group("para"))))
    for match in _ARTICLE_REF.finditer(text):
        if _OF_OTHER.match(text[match.end() :]) or any(match.start() in span for span in covered):
            continue
        items = re.findall(r"\d+(?:\s*\(\s*\w{1,4}\s*\))*", match.group("list"))
        tail = (match.group("para") or "") + (match.group("sub") or "")
        for position, item in enumerate(items):
            number = re.match(r"\d+", item).group(0)
            parts = item[len(number) :]
            if position == len(items) - 1:
                parts += " " + re.sub(r"[A-Za-z-]*paragraphs?|para\.", " ", tail)
            found.append((match.start() + position, _label(number, parts)))
    seen: list[str] = []
    for _, label in sorted(found):
        if label not in seen:
            seen.append(label)
    return tuple(label for label in seen if not any(other.startswith(f"{label}(") for other in seen))


def statements_of(entry: Entry) -> list[Statement]:
    """One statement per heading of an entry (text before any heading makes its own statement).

    A heading right after another heading joins it (``Reservation:`` then ``Article 18:``); a heading
    that names no kind (``Article 49:``) keeps the kind of the statement before it. A date line dates
    every statement after it until the next date line.
    """
    statements: list[Statement] = []
    current_date: date | None = None
    heading_parts: list[str] = []
    texts: list[str] = []
    last_kind = ""

    def close() -> None:
        nonlocal last_kind
        if not texts and not heading_parts:
            return
        heading = " ".join(heading_parts).strip()
        kind = kind_of(heading) or last_kind or _DEFAULT_KIND[entry.section]
        last_kind = kind
        body = "\n".join(texts).strip()
        statement = Statement(
            participant=entry.participant,
            section=entry.section,
            kind=kind,
            heading=heading.rstrip(":").strip(),
            date=current_date,
            articles=articles_named(f"{heading} {body}"),
            text=body,
            footnotes=entry.footnotes,
            source_row=entry.source_row,
            upon_signature=bool(re.search(r"\bupon signature\b", heading, re.I)),
        )
        notice = withdrawals_in(body, entry.participant) if _WITHDRAW_SENTENCE.match(collapse(body)) else []
        if notice:  # the entry records a withdrawal ("On 19 December 2025, Poland informed ... withdraws ...")
            withdrawn = notice[0][1]
            statement = replace(statement, kind=withdrawn.kind, withdrawn_date=withdrawn.withdrawn_date,
                                withdrawal=withdrawn.withdrawal, articles=withdrawn.articles or statement.articles)
        statements.append(statement)
        heading_parts.clear()
        texts.clear()

    for piece in entry.pieces:
        if piece.kind == DATE:
            close()
            current_date = page_date(piece.text)
        elif piece.kind == HEADING:
            if texts:
                close()
            heading_parts.append(collapse(piece.text))
        elif collapse(piece.text):
            texts.append(collapse(piece.text))
    close()
    return [s for s in statements if s.text or s.heading]


def _named_kind(text: str) -> str:
    """The first kind word a sentence uses (``withdraw the following declaration`` → ``Declaration``)."""
    found = _KIND_WORDS.search(text)
    words = found.group(1) if found else "reservation"
    return words[0].upper() + words[1:].lower()


def later_time(statement: Statement) -> bool:
    """The State says it will recognise the competence "at a later time": not an acceptance."""
    return bool(_LATER_TIME.search(statement.text))


def withdrawals_in(footnote: str, participant: str, section: str = FOOTNOTE) -> list[tuple[str, Statement]]:
    """Reservations a footnote says were withdrawn (wholly or partly), with who notified it and when.

    ``On 11 July 2014, the Government of Mexico notified the Secretary-General of the withdrawal of
    the reservation to article 22 paragraph 4 made upon ratification. The reservation which has been
    withdrawn read as follows: ...`` gives a ``Reservation`` on ``22(4)`` withdrawn on 2014-07-11,
    with the quoted text, and ``Mexico`` (so the caller can check the note speaks of its participant).
    Only sentences of this shape count; the date is never guessed.
    """
    text = collapse(footnote)
    found: list[tuple[str, Statement]] = []
    for match in _WITHDRAW_SENTENCE.finditer(text):
        what = match.group("what")
        if not re.search(r"reservation|declaration", what, re.I):
            continue
        if re.search(r"withdraw(?:al)? from the (?:Convention|Covenant|Protocol)", what, re.I):
            continue
        withdrawn = parse_day_month_year(match.group("date"))
        partial = bool(re.search(r"partial|partly|in part", what, re.I))
        quoted = text[match.end() :]
        quote = re.search(r"(?:read|reads) as follows:\s*(.*)$", quoted)
        following = _WITHDRAW_SENTENCE.search(quoted)
        body = quote.group(1) if quote else what
        if quote and following and following.start() > quote.start():
            body = quoted[quote.start(1) : following.start()]
        who = re.sub(r"^(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?", "", match.group("who"))
        found.append((who, Statement(
                participant=participant,
                section=section,
                kind=_named_kind(what),
                heading="",
                date=None,
                articles=articles_named(what) or articles_named(body),
                text=body.strip(),
                withdrawn_date=withdrawn,
                withdrawal="partial" if partial else "whole",
            )))  # fmt: skip
    return found
