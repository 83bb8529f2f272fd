"""What the three UN Treaty Collection formats share: header suffixes, date cells, names, footnotes.

HTML pages, MTDSG XML and the CSV scrape all hold the same table: participant, signature, consent
to be bound. The header defines the suffixes (``Accession(a)``); a cell reads ``5 Jun 2007 a``;
a date in square brackets was later undone (denunciation, withdrawal).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.sources.records import (
    ACCEPTANCE,
    ACCESSION,
    APPROVAL,
    DAY,
    DENUNCIATION,
    FORMAL_CONFIRMATION,
    RATIFICATION,
    SIGNATURE,
    SUCCESSION,
    SUCCESSION_TO_SIGNATURE,
    Act,
    FootnoteAct,
    ParsedSource,
    ParticipantRow,
)

# Words of a header cell and the act kind they name.
_HEADER_WORDS = {
    "ratification": RATIFICATION,
    "accession": ACCESSION,
    "succession": SUCCESSION,
    "acceptance": ACCEPTANCE,
    "approval": APPROVAL,
    "formal confirmation": FORMAL_CONFIRMATION,
    "signature": SIGNATURE,
}
_SUFFIX_IN_HEADER = re.compile(r"([A-Za-z][A-Za-z ]*?)\s*\(\s*([A-Za-z]{1,2})\s*\)")
_CELL = re.compile(r"^(\[)?\s*(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4})\s*([A-Za-z]{1,2})?\s*(\])?$")
_FOOTNOTE_REFS = re.compile(r"(?:\s+\d+(?:\s*,\s*\d+)*)\s*$")
_DATE_TEXT = r"(\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})"
_ON_DATE = re.compile(rf"\b[Oo]n\s+{_DATE_TEXT}")  # "On 8 November 2022, ..." / "received ... on 2 April 1965"
_EFFECTIVE = re.compile(
    rf"(?:with effect from|effective(?: as)? (?:from|on)?|took effect on|takes effect on)\s+{_DATE_TEXT}"
)
# Words that undo a State's consent; "withdraws the reservation" and "withdrawing from military service" do not.
_UNDOING_WORDS = ("denounc", "denunciation", "withdraw from the", "withdrawal from the")
_SENTENCE_BREAK = re.compile(r"(?<=\.)\s*(?=On\s+\d)|(?<=\.)\s+(?=[A-Z])")
_CHAPTER = re.compile(r"CHAPTER\s+([IVXL]+)\b", re.I)


def collapse(text: str) -> str:
    """Unescape entities and collapse every run of whitespace (tabs, non-breaking spaces) to one space."""
    return re.sub(r"\s+", " ", html.unescape(text).replace("\xa0", " ")).strip()


def column_kinds(header: str, column: str, source: str) -> tuple[str, dict[str, str]]:
    """The default act kind of a column and its suffix map, read from the header cell's own words.

    ``Ratification, Acceptance(A), Accession(a), Succession(d)`` gives (ratification,
    {A: acceptance, a: accession, d: succession}); ``Signature, Succession to signature(d)`` gives
    (signature, {d: succession_to_signature}).
    """
    text = collapse(header)
    suffixes: dict[str, str] = {}
    for words, suffix in _SUFFIX_IN_HEADER.findall(text):
        name = words.strip().lower()
        kind = SUCCESSION_TO_SIGNATURE if "succession to signature" in name else _HEADER_WORDS.get(name)
        if kind is None:
            raise SourceLayoutError(source, f"known act words in the {column} header", repr(text))
        suffixes[suffix] = kind
    plain = [p.strip().lower() for p in _SUFFIX_IN_HEADER.sub("", text).split(",") if p.strip()]
    if column == "signature":
        if not text.lower().startswith("signature"):
            raise SourceLayoutError(source, "a signature column header", repr(text))
        return SIGNATURE, suffixes
    defaults = [_HEADER_WORDS[p] for p in plain if p in _HEADER_WORDS]
    if not defaults and not suffixes:
        raise SourceLayoutError(source, "a consent column header (Ratification, Accession(a) ...)", repr(text))
    return (defaults[0] if defaults else RATIFICATION), suffixes


def read_cell(text: str, default_kind: str, suffixes: dict[str, str], source: str, where: str) -> Act | None:
    """An Act from a date cell, or None for an empty cell; an unreadable cell is a layout error."""
    cell = collapse(text)
    if not cell:
        return None
    match = _CELL.match(cell)
    if not match or bool(match.group(1)) != bool(match.group(4)):
        raise SourceLayoutError(source, f"a date cell like '5 Jun 2007 a' at {where}", repr(cell))
    day = parse_day_month_year(match.group(2))
    if day is None:
        raise SourceLayoutError(source, f"a readable date at {where}", repr(cell))
    suffix = match.group(3)
    if suffix and suffix not in suffixes:
        raise SourceLayoutError(source, f"a suffix the header defines ({', '.join(suffixes)}) at {where}", repr(cell))
    kind = suffixes[suffix] if suffix else default_kind
    return Act(kind=kind, date=day, precision=DAY, raw=cell, undone=bool(match.group(1)))


def split_name(text: str) -> tuple[str, tuple[str, ...]]:
    """``China 5, 6`` → (``China``, (``5``, ``6``)): the participant and its footnote references."""
    name = collapse(text)
    match = _FOOTNOTE_REFS.search(name)
    if not match:
        return name, ()
    refs = tuple(re.findall(r"\d+", match.group(0)))
    return name[: match.start()].strip(), refs


def denunciation_dates(footnote: str) -> tuple[date | None, date | None]:
    """(notified, effective) dates of the latest denunciation or withdrawal a footnote states.

    Only sentences that speak of denouncing or withdrawing from the treaty and say when
    ("On 8 November 2022, ...", "received ... on 2 April 1965") count; the latest such notification
    wins (footnotes often quote an earlier denunciation followed by re-accession). The effective date
    comes from the same sentence ("with effect from ...", "took effect on ..."), else None. A
    sentence without a notification date gives nothing: dates are never guessed.
    """
    found: list[tuple[date, date | None]] = []
    for sentence in _SENTENCE_BREAK.split(collapse(footnote)):
        if not any(word in sentence.lower() for word in _UNDOING_WORDS):
            continue
        takes = _EFFECTIVE.search(sentence)
        effect_at = takes.start(1) if takes else -1
        said = [m for m in _ON_DATE.finditer(sentence) if m.start(1) != effect_at]
        notified = parse_day_month_year(said[0].group(1)) if said else None
        if notified is not None:
            found.append((notified, parse_day_month_year(takes.group(1)) if takes else None))
    if not found:
        return None, None
    return max(found, key=lambda pair: pair[0])


# Acts a participant's footnote states that the grid does not show (UNTC): an earlier accession, a
# denunciation with its effective date, a re-accession.
_ACCEDED = re.compile(rf"\bacceded to the [A-Za-z ]*?(?:Protocol|Convention|Covenant) on {_DATE_TEXT}")
_REACCEDED = re.compile(r"\bre-?acceded\b")
_SAME_DATE = re.compile(r"^\s*On that same date\b")
_TOOK_EFFECT = re.compile(rf"\bnew accession took effect on {_DATE_TEXT}")
_DENOUNCE = re.compile(r"\bdenounce\b")
_FIRST_CLAUSE = re.compile(r"^(.*?\.)(?=\S|$)")  # up to the first full stop, even without a space after it


def _is_subject(participant: str, sentence: str) -> bool:
    """The participant itself acts in the sentence ("the Government of Guyana ..."), not a predecessor.

    "The Yemen Arab Republic had acceded" and "Czechoslovakia acceded" speak of another State.
    """
    name = re.escape(participant)
    return re.search(rf"(?:Government of (?:the )?|^(?:The )?){name}(?![\w-]| [A-Z])", sentence) is not None


def footnote_acts(participant: str, number: str, footnote: str) -> list[FootnoteAct]:
    """Accessions, denunciations and re-accessions of ``participant`` a footnote states, with their dates.

    Read sentence by sentence, only where the participant is the subject: "... acceded to the
    Optional Protocol on D"; "On D, ... decided to denounce ... with effect from E" (a denunciation
    without a stated effective date is left to the grid's brackets); "On D [or: On that same date,
    the date of the sentence before] ... re-acceded ..."; and "The new accession took effect on E" for
    the re-accession just read. The same act stated twice is kept once. Pure: text in, acts out.
    """
    found: list[FootnoteAct] = []
    last_date: date | None = None
    for whole in _SENTENCE_BREAK.split(collapse(footnote)):
        clause = _FIRST_CLAUSE.match(whole)
        sentence = (clause.group(1) if clause else whole).strip()
        said = _ON_DATE.search(sentence)
        on = parse_day_month_year(said.group(1)) if said else None
        if _SAME_DATE.search(sentence):
            on = last_date
        took = _TOOK_EFFECT.search(sentence)
        if took and found and found[-1].kind == ACCESSION:
            found[-1] = replace(found[-1], effective=parse_day_month_year(took.group(1)))
        elif not _is_subject(participant, sentence):
            pass
        elif _REACCEDED.search(sentence):
            if on is not None:
                found.append(FootnoteAct(ACCESSION, on, None, number, sentence))
        elif acceded := _ACCEDED.search(sentence):
            day = parse_day_month_year(acceded.group(1))
            if day is not None:
                found.append(FootnoteAct(ACCESSION, day, None, number, sentence))
        elif _DENOUNCE.search(sentence) and on is not None and (takes := _EFFECTIVE.search(sentence)):
            effective = parse_day_month_year(takes.group(1))
            if effective is not None:
                found.append(FootnoteAct(DENUNCIATION, on, effective, number, sentence))
        if on is not None:
            last_date = on
    unique: dict[tuple, FootnoteAct] = {}
    for act in found:
        unique.setdefault((act.kind, act.date, act.effective), act)
    return list(unique.values())


def mtdsg_number(chapter_heading: str, number: str, sub: str = "") -> str | None:
    """``CHAPTER IV``, ``9``, ``b`` → ``IV-9-b``: the MTDSG number a document states in its heading."""
    chapter = _CHAPTER.search(chapter_heading or "")
    number, sub = (number or "").strip(), (sub or "").strip()
    if not chapter or not number.isdigit() or (sub and not sub.isalpha()):
        return None
    return "-".join(part for part in (chapter.group(1).upper(), number, sub) if part)


def attach_undoing(act: Act | None, refs: tuple[str, ...], footnotes: dict[str, str]) -> Act | None:
    """For an undone act, record when it was undone from the participant's footnotes, where they say.

    The first of the participant's footnotes that states a denunciation date gives ``undone_date``
    and, whitespace-collapsed, ``note`` (so the builder can read the effective date from it with
    :func:`denunciation_dates`). Where none does, the act stays undone with no date.
    """
    if act is None or not act.undone:
        return act
    for ref in refs:
        text = footnotes.get(ref, "")
        notified, _effective = denunciation_dates(text)
        if notified is not None:
            return replace(act, undone_date=notified, undone_precision=DAY, note=collapse(text))
    return act


def participant_row(
    name: str,
    refs: tuple[str, ...],
    signature: Act | None,
    consent: Act | None,
    footnotes: dict[str, str],
    number: int,
) -> ParticipantRow:
    """A grid row with any undone act dated from the participant's footnotes, and the acts only they state."""
    return ParticipantRow(
        participant=name,
        signature=attach_undoing(signature, refs, footnotes),
        consent=attach_undoing(consent, refs, footnotes),
        footnotes=refs,
        source_row=number,
        footnote_acts=tuple(
            act for ref in dict.fromkeys(refs) for act in footnote_acts(name, ref, footnotes.get(ref, ""))
        ),
    )


def count_parties(parsed: ParsedSource) -> int:
    """Participants whose consent stands (not bracketed): UNTC's ``Parties : N``."""
    return sum(1 for row in parsed.rows if row.consent is not None and not row.consent.undone)


def count_signatories(parsed: ParsedSource) -> int:
    """Participants with a standing signature (not bracketed), whether or not they later consented.

    Found empirically: this reproduces UNTC's ``Signatories : N`` exactly on all 18 Chapter IV
    pages of 2026-02-03 and on 14 of the 15 full MTDSG XML tables. A signature counts even when
    followed by ratification; a succession to signature (``d`` in the signature column) counts as a
    signature (CMW, OPCAT and ICCPR-OP1 would be one short otherwise); a bracketed signature does
    not (ICCPR-OP1: Jamaica's, which would make 36 instead of 35). Counting only signatures without
    consent, or bracketed ones too, fails. The exception is MTDSG V-3 (2018): its table holds 22
    signature cells while its Status says 23 (the 2015 CSV scrape of V-3 also has 22); nothing in
    the file tells which signature the Status counts.
    """
    return sum(1 for row in parsed.rows if row.signature is not None and not row.signature.undone)
