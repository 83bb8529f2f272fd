"""The record types every parser returns, so the snapshot builder reads all formats alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date

# Kinds of act a source cell can record.
SIGNATURE = "signature"
SUCCESSION_TO_SIGNATURE = "succession_to_signature"
RATIFICATION = "ratification"
ACCESSION = "accession"
SUCCESSION = "succession"
ACCEPTANCE = "acceptance"
APPROVAL = "approval"
FORMAL_CONFIRMATION = "formal_confirmation"
ADMISSION = "admission"  # admission to UN membership (MTDSG I-2), not a treaty consent
ACT_KINDS = (
    SIGNATURE,
    SUCCESSION_TO_SIGNATURE,
    RATIFICATION,
    ACCESSION,
    SUCCESSION,
    ACCEPTANCE,
    APPROVAL,
    FORMAL_CONFIRMATION,
    ADMISSION,
)
CONSENT_KINDS = (RATIFICATION, ACCESSION, SUCCESSION, ACCEPTANCE, APPROVAL, FORMAL_CONFIRMATION)

DAY = "day"
MONTH = "month"  # only a user's table gives a month alone (YYYY-MM)
YEAR = "year"


@dataclass(frozen=True)
class Act:
    """One dated act in a source cell, e.g. ``5 Jun 2007 a`` (an accession on 5 June 2007).

    ``undone`` is True where the source shows the act was later undone (UNTC square brackets,
    NORMLEX ``den.``). ``undone_date``/``undone_precision`` hold when it was undone where the
    source says so (a footnote's notification date, NORMLEX's denunciation year); None where
    the source is silent: never guessed.
    """

    kind: str
    date: date
    precision: str  # DAY, MONTH or YEAR; a MONTH or YEAR date is stored as the first day of it
    raw: str
    undone: bool = False
    undone_date: datetime.date | None = None  # `date` here would name the field above
    undone_precision: str | None = None
    note: str = ""


DENUNCIATION = "denunciation"


@dataclass(frozen=True)
class FootnoteAct:
    """An act a participant's footnote states that the grid does not show (UNTC: Guyana's 1993 accession).

    ``date`` is the deposit of an accession or the notification of a denunciation; ``effective`` is
    when it took effect where the footnote says so ("with effect from ...", "took effect on ...").
    """

    kind: str  # ACCESSION or DENUNCIATION
    date: date
    effective: datetime.date | None  # `date` here would name the field above
    footnote: str  # the footnote's number on the page
    text: str  # the sentence, as the footnote words it


@dataclass(frozen=True)
class ParticipantRow:
    """One participant's row in a source table, for one instrument."""

    participant: str  # the name as the source writes it, footnote numbers removed
    instrument: str | None = None  # catalogue id or source column code where one table holds many
    signature: Act | None = None
    consent: Act | None = None
    footnotes: tuple[str, ...] = ()
    source_row: int = 0  # 1-based row number in the source table, for error messages
    iso2: str | None = None  # only where the source itself gives a code
    footnote_acts: tuple[FootnoteAct, ...] = ()  # acts only the participant's footnotes state


@dataclass
class ParsedSource:
    """What one source file says: its rows plus the counts and stamps used to validate them."""

    format: str  # e.g. "untc-html", "mtdsg-xml", "untc-csv", "normlex-table", "normlex-convention"
    source_key: str | None = None  # MTDSG number or instrument code the document names itself
    title: str | None = None
    as_of: date | None = None  # the source's own stamp, None where it has none
    header_counts: dict[str, int] = field(default_factory=dict)  # e.g. {"parties": 60, "signatories": 40}
    rows: list[ParticipantRow] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    entry_into_force: str | None = None  # the source's own entry-into-force text
    columns: list[str] = field(default_factory=list)  # header text as found
    extra: dict[str, str] = field(default_factory=dict)  # format-specific facts, e.g. a BUSINESS_DATE
