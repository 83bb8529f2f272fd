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

import datetime
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
_PARA_ITEM = r"(?:\d+|\(\s*[a-z]{1,4}\s*\))(?:\s*\(\s*\w{1,4}\s*\))*"
_PARAGRAPH_OF = re.compile(
    r"\b(?:sub-?paragraphs?\s*\(\s*(?P<sub>[a-z])\s*\)\s*(?:,\s*)?of\s+)?"
    rf"(?:paragraphs?|para\.|sections?)\s*(?P<para>{_PARA_ITEM}(?:\s*(?:,|and|,\s*and)\s*(?:paragraphs?\s*)?{_PARA_ITEM})*)"
    r"\s*(?:,\s*)?(?:of|from)\s+articles?\s*(?P<art>\d+)",
    re.I,
)
# An article of another text ("article 34 of the Political Constitution"): not an article of the instrument.
_OF_OTHER = re.compile(
    r"^\s*,?\s*of\s+(?!\[?\s*(?:this|the present|the said|said|the above[- ]?mentioned|the afore(?:said|mentioned)|"
    r"the|that)?\s*"
    r"\[?\s*(?:said\s+)?(?:\d{4}\s+)?(?:(?:first|second|optional)\s+)?(?:united\s+nations\s+)?(?:international\s+)?"
    r"(?:convention|covenant|optional protocol|protocol|UNCAT|CAT|ICCPR|ICESCR|ICERD|CERD|CEDAW|CRC|CRPD|ICRMW|"
    r"CPED|OPCAT|OPAC|OPSC)\b)(?:the\s+)?\S",
    re.I,
)
# "Articles 1, 2 and 73 thereof" after "the Charter": articles of the text last named, not of the instrument.
_THEREOF = re.compile(r"^\s*\)?\s*thereof\b", re.I)
_TEXT_NAMED = re.compile(
    r"\b(?P<own>Convention|Covenant|Protocol)\b|\b(?P<other>Charter|Constitution|Code|Act|Law|Statute|Declaration|Decree(?:-Law)?)\b"
)
# "of the International Covenant on Civil and Political Rights": the title an article is said to be of.
_TITLE_AFTER = re.compile(
    r"^\s*,?\s*of\s+(?:the\s+)?(?:International\s+|United\s+Nations\s+)?(?P<title>[^;()]{5,160})", re.I
)
# "its article 60" (after a decree, a law): an article of the text just named, not of the instrument.
_ITS_ARTICLE = re.compile(r"\b(?:its|their)\s+$", re.I)
# "article IV of the Protocol" (the 1967 Refugee Protocol numbers its articles in Roman numerals).
_ROMAN_ARTICLE = re.compile(r"\b([Aa]rticles?\s+)(X{0,3}(?:IX|IV|V?I{0,3}))\b(?=[\s,.;:)]|$)")
_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman(numeral: str) -> str:
    """``IV`` → ``4`` (numerals up to XXXIX)."""
    total = 0
    for position, letter in enumerate(numeral):
        value = _ROMAN[letter]
        following = _ROMAN[numeral[position + 1]] if position + 1 < len(numeral) else 0
        total += -value if value < following else value
    return str(total)


# "articles 12-16", "articles 2 to 34": every article of the range.
_ARTICLE_RANGE = re.compile(r"\b(articles\s+)(\d+)\s*(?:-|–|to)\s*(\d+)\b(?!\s*\()", re.I)


def _spelled_range(match: re.Match[str]) -> str:
    first, last = int(match.group(2)), int(match.group(3))
    if not 0 < first < last <= first + 40:
        return match.group(0)
    return match.group(1) + ", ".join(str(n) for n in range(first, last + 1))


# "(vi) and (vii)" after "article 5 (d) (iv)": more last parts of the same article.
_MORE_PARTS = re.compile(r"^(?:\s*(?:,|and|or|,\s*and)\s*\(\s*(?:[a-z]|[ivx]{1,5}|\d{1,2})\s*\))+")
# "article (20)", "Article (3), Paragraph (2)": numbers in brackets.
_BRACKETED_NUMBER = re.compile(r"\b(articles?|paragraphs?|art\.|para\.)\s*\(\s*(\d+)\s*\)", re.I)
_LATER_TIME = re.compile(r"at a later (?:time|date|stage)", re.I)
# A list of dates sharing months and years: "8 March 1989, 19 and 20 April 1989", "24 June 1992 and 25 June 1999".
_DATES = r"\d{1,2}(?:\s+[A-Z][a-z]+\.?)?(?:\s+\d{4})?(?:\s*,?\s*(?:and\s+)?\d{1,2}(?:\s+[A-Z][a-z]+\.?)?(?:\s+\d{4})?)*"
_WITHDRAW_SENTENCE = re.compile(
    rf"\b(?:[Oo]n|in)\s+(?P<date>{_DATES}),?(?P<resp>\s*respectively)?,?\s+(?:the\s+)?(?:Governments?\s+of\s+)?"
    r"(?P<who>[^.]{2,160}?)\s+(?:notified|informed)\s+the\s+Secretary-General\s+"
    r"(?:(?:as follows\s+)?of|that|its)?\s*(?P<what>[^.]*?\b(?:withdraw|wihdraw|withdrawal|withdrew)[^.]*)\.",
)
# The start of the next act told in a note ("On 12 September 2003, ...", "Further, on 7 June 1991, ...").
_NEXT_ACT = re.compile(
    r"(?:(?<=[.”\"])|\b(?:Subsequently|Further|Furthermore|Thereafter|Then),?)\s*(?:[Oo]n|In|in)\s+\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4},"
)
_ACT_DATED = re.compile(
    r"\b[Oo]n\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}),\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?"
    r"(?P<who>[A-Z][^.,:]{1,80}?)\s+(?:not only|had|has|notified|informed|declared|made|deposited|decided)\b"
)
# "The remaining reservation reads as follows: “...”" in a withdrawal notice: what is not withdrawn.
_REMAINING = re.compile(
    r"\b[Tt]he\s+remaining\s+(?P<kind>reservations?|declarations?)\s+reads?\s+as\s+follows:\s*(?P<text>.+)$"
)
_RECOGNITION = re.compile(r"\brecogni[sz]\w*\b.*\bcompetence\b|\bcompetence\b.*\brecogni[sz]\w*", re.I)
_REFUSES = re.compile(r"\b(?:not|never)\s+(?:\w+\s+){0,2}recogni[sz]e|\bwithdraw", re.I)
_SENTENCE_END = re.compile(r"(?<=[.”\"])\s*(?=[A-Z“\"\[])")
# "the reservations made by the Federal Republic of Germany upon ratification of the Covenant with regard to
# articles 19, 21 and 22": a note recalling a standing reservation (not a withdrawal).
_RECALLED = re.compile(
    r"\breservations?\s+made\s+by\s+(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?(?P<who>[^.]{2,80}?)\s+upon\s+"
    r"(?:ratification|accession|succession)\b[^.]*?\bwith\s+regard\s+to\s+(?P<what>[^.]*)\."
)
# "On that same date, the Government of Guyana re-acceded to the Optional Protocol with a reservation.": the text of
# the reservation is not given, but that there is one is.
_JOINED_WITH_RESERVATION = re.compile(
    r"(?:[Tt]he\s+)?Government\s+of\s+(?:the\s+)?(?P<who>[^.,]{2,60}?)\s+(?:re-?acceded|acceded|ratified)\s+to\s+"
    r"the\s+[^.]{0,80}?\bwith\s+a\s+reservation\b[^.]*\."
)
# "Upon ratification, the Government of Austria made the following reservation: “...”".
_MADE_FOLLOWING = re.compile(
    r"(?:Upon\s+(?:ratification|accession|succession),\s*)?(?:[Tt]he\s+)?Government\s+of\s+(?:the\s+)?"
    r"(?P<who>[^.:]{2,80}?)\s+made\s+the\s+following\s+(?P<kind>reservations?|declarations?)\b[^:.]*:\s*"
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
    withdrawn_date: datetime.date | None = None  # `date` here would name the field above
    withdrawal: str = ""  # "", "whole" or "partial"
    footnotes: tuple[str, ...] = ()
    source_row: int = 0
    upon_signature: bool = False  # the heading says it was made upon signature
    date_basis: str = ""  # where ``date`` was read when not on the entry: "footnote" or "succession" (a predecessor's)


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
    heading = re.sub(r"^\s*upon\s+\w+(?:\s+and\s+confirmed\s+upon\s+\w+)?\s*[:,]?\s*", "", heading, flags=re.I)
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


def _of_other(text: str, end: int, other_titles: tuple[str, ...] = ()) -> bool:
    """Whether the articles ending at ``end`` belong to another text ("of the Political Constitution",
    "(... Articles 1, 2 and 73 thereof)" after "the Charter", "of the International Covenant on Civil and
    Political Rights" in a statement on the other Covenant when ``other_titles`` names it)."""
    if _OF_OTHER.match(text[end:]):
        return True
    named = _TITLE_AFTER.match(text[end:])
    if named and any(named.group("title").lower().startswith(title) for title in other_titles):
        return True
    return bool(_THEREOF.match(text[end:])) and _last_named_is_other(text[:end])


def _last_named_is_other(before: str) -> bool:
    """Whether the text last named before an article (for "thereof", "its article") is another text."""
    named = list(_TEXT_NAMED.finditer(before))
    return bool(named) and named[-1].group("other") is not None


def _split_letter_run(label: str) -> list[str]:
    """``16(1)(c)(d)(f)`` ("paragraph 1 (c) (d) (f)") → one label per subparagraph; ``5(d)(v)`` stays."""
    parts = re.findall(r"\(([^()]+)\)", label)
    run = 0
    while run < len(parts) and re.fullmatch(r"[a-z]", parts[-1 - run]):
        run += 1
    letters = parts[len(parts) - run :]
    if run < 2 or any(p in "ivx" for p in letters[1:]) or letters != sorted(letters):
        return [label]
    stem = label[: label.index("(")] + "".join(f"({p})" for p in parts[: len(parts) - run])
    return [f"{stem}({letter})" for letter in letters]


def articles_named(text: str, other_titles: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The instrument's articles a text names, in order, once each: ``18(3)(d)``, ``92(1)``, ``76``.

    Reads ``article 92, paragraph 1``, ``article 92 (1)``, ``paragraph 1 of article 92``,
    ``article 18 paragraph 3(d)``, ``articles 46, 47, 48 and 61, paragraph 4`` (the paragraph goes
    with the last). Articles of another text (``article 34 of the Political Constitution``, ``its article
    60`` after a decree, or of an instrument whose title ``other_titles`` lists, lower case, without
    "International") are left out.
    """
    text = _ROMAN_ARTICLE.sub(lambda m: f"{m.group(1)}{_roman(m.group(2))}", collapse(text))
    text = _ARTICLE_RANGE.sub(_spelled_range, _BRACKETED_NUMBER.sub(r"\1 \2", text))
    found: list[tuple[int, str]] = []
    covered: list[range] = []
    for match in _PARAGRAPH_OF.finditer(text):
        if _of_other(text, match.end(), other_titles):
            continue
        covered.append(range(match.start(), match.end()))
        sub = f"({match.group('sub')})" if match.group("sub") else ""
        stem = ""
        for position, item in enumerate(re.findall(_PARA_ITEM, match.group("para"))):
            # "paragraphs 1(b) and (c) of Article 23": a bare "(c)" is another part of the paragraph before
            label = _label(match.group("art"), item + sub)
            if item.lstrip().startswith("(") and stem:
                label = stem + label[len(match.group("art")) :]
            elif "(" in label[len(match.group("art")) + 1 :]:
                stem = label[: label.rindex("(")]
            found.append((match.start() + position, label))
    for match in _ARTICLE_REF.finditer(text):
        if _of_other(text, match.end(), other_titles) or any(match.start() in span for span in covered):
            continue
        if _ITS_ARTICLE.search(text[max(0, match.start() - 8) : match.start()]) and _last_named_is_other(
            text[: match.start()]
        ):
            continue
        if re.match(r"\.\d{2}", text[match.end("list") :]):  # "Article 6.01" of regulations: a section number
            continue
        # each item: its article number, then its paragraph parts ("2 (a)")
        items = re.findall(r"(\d+)((?:\s*\(\s*\w{1,4}\s*\))*)", match.group("list"))
        tail = (match.group("para") or "") + (match.group("sub") or "")
        for position, (number, parts) in enumerate(items):
            if position == len(items) - 1:
                parts += " " + re.sub(r"[A-Za-z-]*paragraphs?|para\.", " ", tail)
            found.append((match.start() + position, _label(number, parts)))
        more = _MORE_PARTS.match(text[match.end() :])
        last = found[-1][1] if items else ""
        if more and "(" in last:  # "article 5 (d) (iv), (vi) and (vii)": the same stem, another last part
            stem = last[: last.rindex("(")]
            for offset, part in enumerate(re.findall(r"\(\s*(\w{1,5})\s*\)", more.group(0)), start=len(items)):
                found.append((match.start() + offset, f"{stem}({part})"))
    seen: list[str] = []
    for _, found_label in sorted(found):
        for label in _split_letter_run(found_label):
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
            statement = replace(
                statement,
                kind=withdrawn.kind,
                withdrawn_date=withdrawn.withdrawn_date,
                withdrawal=withdrawn.withdrawal,
                articles=withdrawn.articles or statement.articles,
            )
            remaining = _REMAINING.search(collapse(body))
            if remaining:  # "The remaining reservation reads as follows: “...”": it still stands
                kept = remaining.group("text").strip()
                statements.append(replace(
                    statement, kind=_named_kind(remaining.group("kind")), date=None, withdrawn_date=None,
                    withdrawal="", text=kept, articles=articles_named(kept),
                ))  # fmt: skip
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


def dates_listed(text: str) -> list[date]:
    """``8 March 1989, 19 and 20 April 1989`` → three dates (a day takes the month and year after it)."""
    parts = re.findall(r"(\d{1,2})(?:\s+([A-Z][a-z]+)\.?)?(?:\s+(\d{4}))?", text)
    found: list[date] = []
    month, year = "", ""
    for day, month_word, year_text in reversed(parts):
        month, year = month_word or month, year_text or year
        parsed = parse_day_month_year(f"{day} {month} {year}") if month and year else None
        if parsed is None:
            return []
        found.append(parsed)
    return found[::-1]


def _names_listed(text: str) -> list[str]:
    """``the Union of Soviet Socialist Republics, Belarus and Ukraine`` → three names."""
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text)
    return [re.sub(r"^(?:the\s+)?(?:Governments?\s+of\s+(?:the\s+)?)?", "", n).strip() for n in names if n.strip()]


def _quoted_after(text: str) -> str:
    """The text a note quotes ("reads as follows: ...") up to the next act it tells, else ""."""
    quote = re.search(r"(?:read|reads|as follows)\s*:\s*", text)
    act = _NEXT_ACT.search(text)
    if not quote or (act and act.start() < quote.start()):  # the quote belongs to a later act
        return ""
    if re.search(r"\bremaining\b", text[max(0, quote.start() - 40) : quote.start()]):  # what was not withdrawn
        return ""
    rest = text[quote.end() :]
    following = _NEXT_ACT.search(rest)
    return rest[: following.start()] if following else rest


def withdrawals_in(footnote: str, participant: str, section: str = FOOTNOTE) -> list[tuple[str, Statement]]:
    """Reservations a footnote says were withdrawn (wholly or partly), with who notified it and when.

    ``On 11 July 2014, the Government of Mexico notified the Secretary-General of the withdrawal of
    the reservation to article 22 paragraph 4 made upon ratification. The reservation which has been
    withdrawn read as follows: ...`` gives a ``Reservation`` on ``22(4)`` withdrawn on 2014-07-11,
    with the quoted text, and ``Mexico`` (so the caller can check the note speaks of its participant).
    Dates listed "respectively" go one to each State listed (``on 1 October 1991, 3 October 2001,
    and 12 September 2003, respectively, the Governments of the Union of Soviet Socialist Republics,
    Belarus and Ukraine``) or, for one State, one to each article (``withdraw the reservations to
    article 30 (1) and 20``). Only sentences of this shape count; the date is never guessed.
    """
    text = collapse(footnote)
    found: list[tuple[str, Statement]] = []
    for match in _WITHDRAW_SENTENCE.finditer(text):
        what = match.group("what")
        if not re.search(r"reservation|declaration", what, re.I):
            continue
        if re.search(r"withdraw(?:al)? from the (?:Convention|Covenant|Protocol)", what, re.I):
            continue
        days = dates_listed(match.group("date"))
        if not days:
            continue
        following = _NEXT_ACT.search(text, match.end())
        told = text[match.start() : following.start() if following else len(text)]  # this act's whole telling
        partial = bool(re.search(r"partial|partly|in part", what, re.I))
        partial = partial or bool(re.search(r"\bmaintains? the reservation", told))  # "... maintains the reservation"
        quote = _quoted_after(text[match.end() :])
        following_colon = re.search(r"\bthe following\b[^:.]*:\s*(?=\S)", what)
        if not quote and following_colon:  # "withdraw the following declaration ...:B. The Principality ..."
            quote = told[match.start("what") - match.start() + following_colon.end() :]
        body = (quote or what).strip()
        if quote and re.search(r"\bportion of the reservation which has been withdrawn", told):
            partial = False  # the part quoted is withdrawn whole (Mexico, ICCPR art. 13, 2014)
        articles = articles_named(what) or articles_named(body)
        whos = _names_listed(match.group("who"))
        respectively = bool(match.group("resp")) or "respectively" in what
        if respectively and len(days) > 1 and len(whos) == len(days):
            pairs = [(who, day, articles) for who, day in zip(whos, days, strict=True)]
        elif respectively and len(days) > 1 and len(whos) == 1 and len(articles) == len(days):
            pairs = [(whos[0], day, (article,)) for day, article in zip(days, articles, strict=True)]
        else:
            who = re.sub(r"^(?:the\s+)?(?:Government\s+of\s+(?:the\s+)?)?", "", match.group("who"))
            pairs = [(who, days[0], articles)]
        further = re.match(
            r"\s*(?:The\s+)?Government\s+of\s+[^.]{2,80}?\s+further\s+decided\s+to\s+withdraw\s+(?P<what>[^:]*)",
            text[match.end() :],
        )
        if further and len(pairs) == 1 and articles_named(further.group("what")):  # "... further decided to withdraw"
            rest = text[match.end() + further.end() :].lstrip(": ")
            pairs.append((pairs[0][0], pairs[0][1], articles_named(further.group("what"))))
            body_of = {len(pairs) - 1: rest.split("It will be recalled")[0].strip() or further.group("what")}
            kind_by = {len(pairs) - 1: _named_kind(further.group("what"))}
        else:
            body_of, kind_by = {}, {}
        split = re.search(r"\band\s+(?:to\s+)?partially\s+(?:to\s+)?withdraw", what, re.I)
        partial_of: dict[int, bool] = {}
        if split and len(pairs) == 1 and articles_named(what[: split.start()]):  # "... and to partially withdraw"
            who, day, _ = pairs[0]
            pairs = [(who, day, articles_named(what[: split.start()])), (who, day, articles_named(what[split.end() :]))]
            partial_of = {0: False, 1: True}
        for position, (who, day, named) in enumerate(pairs):
            found.append((who, Statement(
                participant=participant,
                section=section,
                kind=kind_by.get(position, _named_kind(what)),
                heading="",
                date=None,
                articles=named,
                text=body_of.get(position, body),
                withdrawn_date=day,
                withdrawal="partial" if partial_of.get(position, partial) else "whole",
            )))  # fmt: skip
    return found


def recognitions_in(footnote: str, participant: str) -> list[tuple[str, Statement]]:
    """Declarations recognising a committee's competence that a note quotes, with who made them and when.

    For a State listed in the "Declarations recognizing the competence" section whose text is only in a
    note: ``On 12 September 2003, Ukraine ... read as follows: “... Ukraine fully recognizes extension to
    its territory of Article 21 ... as regards recognition of the competence of the Committee ...”`` gives
    a declaration under article 21 (and one under 22) made on 2003-09-12. Sentences that withdraw or
    refuse are left out.
    """
    text = collapse(footnote)
    found: list[tuple[str, Statement]] = []
    for match in _ACT_DATED.finditer(text):
        rest = text[match.end() :]
        following = _NEXT_ACT.search(rest)
        segment = rest[: following.start()] if following else rest
        for sentence in _SENTENCE_END.split(segment):
            if not _RECOGNITION.search(sentence) or _REFUSES.search(sentence):
                continue
            sentence = re.sub(r"^.*?(?:the following|as follows)\s*:\s*", "", sentence).strip(' “”"')
            found.append((match.group("who").strip(), Statement(
                participant=participant, section=UNDER_ARTICLE, kind="Declaration", heading="",
                date=parse_day_month_year(match.group("date")), articles=articles_named(sentence), text=sentence,
            )))  # fmt: skip
    return found


def reservations_recalled_in(footnote: str, participant: str) -> list[tuple[str, Statement]]:
    """Standing reservations a note states for a State whose entry has no text of its own.

    ``... call attention to the reservations made by the Federal Republic of Germany upon ratification
    of the Covenant with regard to articles 19, 21 and 22 in conjunction with articles 2 (1), ...`` and
    ``Upon ratification, the Government of Austria made the following reservation: “...”``: made upon
    consent (the date is the participant's), withdrawn only where the same note says so.
    """
    text = collapse(footnote)
    found: list[tuple[str, Statement]] = []
    for match in _RECALLED.finditer(text):
        if re.search(r"withdraw", match.group(0), re.I):
            continue
        found.append((match.group("who"), Statement(
            participant=participant, section=DECLARATIONS, kind="Reservation", heading="", date=None,
            articles=articles_named(f"articles {match.group('what')}"), text=match.group(0).strip(),
        )))  # fmt: skip
    for match in _JOINED_WITH_RESERVATION.finditer(text):
        found.append((match.group("who"), Statement(
            participant=participant, section=DECLARATIONS, kind="Reservation", heading="", date=None,
            articles=(), text=match.group(0).strip(),
        )))  # fmt: skip
    for match in _MADE_FOLLOWING.finditer(text):
        rest = text[match.end() :]
        following = _NEXT_ACT.search(rest)
        body = (rest[: following.start()] if following else rest).strip()
        body = re.sub(r"\s*(?:Subsequently|Further|Thereafter),?\s*$", "", body)
        found.append((match.group("who"), Statement(
            participant=participant, section=DECLARATIONS, kind=_named_kind(match.group("kind")), heading="",
            date=None, articles=articles_named(body), text=body,
        )))  # fmt: skip
    return found


# The statement kinds the table uses (the page's wording is kept beside): short and fixed.
RESERVATION, DECLARATION, INTERPRETATIVE = "reservation", "declaration", "interpretative declaration"
OBJECTION, WITHDRAWAL, NOTIFICATION = "objection", "withdrawal", "notification"
KINDS = (RESERVATION, DECLARATION, INTERPRETATIVE, OBJECTION, WITHDRAWAL, NOTIFICATION)
# Words by which a statement reserves, whatever its heading.
_RESERVES = re.compile(
    # "reserves the right not to apply", not "reserves the right to formulate ... reservations" (at a later time)
    r"\breserv(?:e|es|ed|ing)\s+(?:\w+\s+){0,2}right(?!\s+to\s+(?:formulate|make|enter|attach|submit|lodge)\b)"
    r"|\b(?:enters?|make|makes|formulates?|expresses|with|has|subject\s+to)\s+(?:a|its|the\s+following|the|following)?\s*"
    r"(?:general\s+|specific\s+|partial\s+)?reservations?\b(?!\s+(?:or|and)\s+(?:interpretative\s+)?declarations?\s+it)"
    r"|^\W*reservations?\s+(?:to|on|in respect of|with regard to|concerning|as to|regarding)\b"
    r"|^\W*reservations?\s+made\s+upon\s+\w+\s*:"
    r"|\bnot\s+consider\s+(?:itself|themselves)\s+(?:to\s+be\s+)?(?:bound|obliged)\b"
    r"|\bnot\s+(?:be\s+|deem\s+(?:itself|themselves)\s+)?bound\b"
    r"|\b(?:is|are)\s+not\s+(?:possible|in\s+a\s+position)\s+(?:at\s+(?:this|the\s+present)\s+time\s+)?to\s+"
    r"(?:implement|apply|guarantee)|\bcannot\s+(?:be\s+)?(?:guarantee|implement|apply)",
    re.I,
)


def reserves(text: str) -> bool:
    """Whether a statement's words reserve anything (``reserve the right``, ``not consider itself bound``)."""
    return bool(_RESERVES.search(collapse(text)))


_RECEIVED_COMMUNICATION = re.compile(
    r"^\W*On\s+\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4},\s+the\s+Secretary-General\s+received\b[^:]*\bcommunication"
)


def normal_kind(section: str, published: str, text: str, heading: str = "") -> str:
    """The table's kind (see :data:`KINDS`) of a statement, from its section, its page wording and its text.

    A statement that reserves anything is a reservation whatever its heading (the Maldives' CRC
    statement headed "Upon signature: Reservations"; the United Kingdom's ICCPR "Declaration" reserving
    the right to apply its immigration law); one accepting a committee's competence is a declaration, and
    so is one declining it under the clause that allows it (OP-CEDAW art. 10, which forbids reservations)
    unless the page calls it a reservation (CAT art. 28 opt-outs often are);
    an entry telling a withdrawal ("On 19 December 2025, Poland informed the Secretary-General that it
    withdraws its reservation ...") is a withdrawal, one telling a communication received a notification.
    A note quoting a withdrawn reservation gives the reservation (with its withdrawal date), not a withdrawal.
    """
    words = published.lower()
    said = collapse(text).strip()
    if section == OBJECTIONS or "objection" in words:
        return OBJECTION
    if section == UNDER_ARTICLE:
        return DECLARATION
    if section == DECLARATIONS and _WITHDRAW_SENTENCE.match(said):
        return WITHDRAWAL
    if section == DECLARATIONS and _RECEIVED_COMMUNICATION.match(said):
        return NOTIFICATION
    if "reservation" in words or reserves(f"{heading} {text}"):
        return RESERVATION
    if "interpretative" in words or "understanding" in words:
        return INTERPRETATIVE
    if "notification" in words or "communication" in words:
        return NOTIFICATION
    return DECLARATION
