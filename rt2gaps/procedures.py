"""Complaints and inquiry procedures: which a State accepts on a date, and whether each is in force.

Three ways in, as the catalogue ``data/procedures.csv`` says per procedure:
  declaration  the State recognises the committee's competence under an article (ICRMW art. 77 ...);
               read from the snapshot's ``declarations.csv``. "At a later time" is not an acceptance.
  opt_out      every party is in unless a reservation under the opt-out article (CAT art. 28) stands.
  opt_in       like a declaration, for a procedure of a protocol (OP-ICESCR art. 11).
  protocol     being party to the protocol (read from the status engine, not parsed again).

Statuses: ``accepted``, ``not_accepted``, ``not_party`` (the parent treaty does not bind the State on
the date: no consent, or consent given but not yet in force, ``pending`` in the status engine; a
"party" is a State for which the treaty is in force, VCLT art. 2(1)(g), so Guinea-Bissau's ICRMW
art. 76 declaration of 22 Oct 2018 counts only from its entry into force for it, 1 Feb 2019),
``withdrawn`` and ``unknown`` (no source covers the parent). ``declared`` is the date of the State's
act the status rests on (the declaration, the consent to a protocol, the withdrawal of an opt-out
reservation, a withdrawal or denunciation's notification); ``since`` the day it took effect for the
State: the latest of the stated start of the declaration's term (else the declaration), the State's
entry into force, and the procedure's own entry into force where its treaty sets a threshold (empty
while the procedure is not in force). An accepted ``since`` is the start of the unbroken run of
acceptance (a renewal without a gap keeps it). Whether a declaration-based procedure is itself in
force is computed from the declarations and the threshold its treaty sets (``threshold`` in the
catalogue): the first day that many States Parties had a declaration in effect, never typed.

Time-limited declarations: a declaration stating "for a [further] period of N years" runs N years from
its stated first day ("as from 18 September 1997", "beginning on 16 April 2010", "from 24 January
2022"), else from when it took effect for the State; then it lapses (``not_accepted``) unless a
renewal follows (Switzerland, ICCPR art. 41: gaps 18 Sep 2002 to 16 Apr 2010 and 16 Apr 2015 to
27 Mar 2017). Overlapping declarations (one that "replaces" another) join.

Treaty statuses are read from the status engine's spells (``rt2gaps.history``), every State at once
for a date, never decided here.

Freshness (the status engine's rule, applied to declarations): the page that publishes the
declarations speaks up to its as-of date. A declaration can be made or withdrawn "at any time by
notification" (ICRMW arts. 76-77, ICERD art. 14, CAT arts. 21-22) with no delay, so past that date
an answer read from the declarations stands only for ``stale_after`` days, then is ``unknown``; a
procedure in force on the page's date stays in force (none of these texts lets it lapse), one not
yet in force is then not known. Protocol-based procedures follow the status engine itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.entry_into_force import add_months
from rt2gaps.errors import Rt2gapsError
from rt2gaps.history import spell_table
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.schema import DECLARATIONS_FILE  # not snapshot.declarations: its parsers load only to build
from rt2gaps.snapshot.store import Snapshot, read_csv_rows
from rt2gaps.sources.dates import parse_day_month_year, period_end
from rt2gaps.status import (
    DEFAULT_STALE_AFTER,
    NONE,
    PARTY,
    PENDING,
    SIGNATORY,
    UNKNOWN,
    WITHDRAWN,
    universe_states,
)

if TYPE_CHECKING:
    import numpy as np

PROCEDURES_FILE = DATA_DIR / "procedures.csv"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
NOT_PARTY = "not_party"
PROCEDURE_STATUSES = (ACCEPTED, NOT_ACCEPTED, NOT_PARTY, WITHDRAWN, UNKNOWN)
MODES = ("declaration", "opt_out", "opt_in", "protocol")
PROCEDURE_COLUMNS = [
    "iso3", "procedure", "status", "declared", "since", "procedure_in_force", "source", "source_as_of",
]  # fmt: skip

_COMPETENCE = re.compile(r"competen", re.I)
_REFUSAL = re.compile(
    r"\bnot\s+(?:to\s+)?recogni[sz]e|\bdoes\s+not\s+(?:recogni[sz]e|accept)|\bnot\s+accept"
    r"|at a later (?:time|date|stage)",
    re.I,
)
_INTERSTATE = re.compile(
    r"another\s+(?:State\s+)?Party|another\s+State|State\s+Party\s+(?:claims|alleges)|inter-?State|one\s+State\s+Party",
    re.I,
)
_INDIVIDUAL = re.compile(r"individual|persons\s+subject|from\s+or\s+on\s+behalf\s+of|victims?", re.I)
_OPT_OUT = re.compile(
    r"not\s+(?:to\s+)?recogni[sz]e|without\s+recogni[sz]ing|not\s+consider\s+(?:itself|themselves)\s+bound|not\s+bound"
    r"|does\s+not\s+accept|not\s+undertake",
    re.I,
)
_INQUIRY = re.compile(r"inquir|enquir", re.I)


@dataclass(frozen=True)
class Procedure:
    """One complaints or inquiry procedure of the catalogue."""

    id: str
    instrument: str  # where the declarations are published (or the protocol)
    parent: str  # the treaty a State must be party to, else ``not_party``
    article: str
    opt_article: str
    procedure_kind: str  # individual | interstate | inquiry
    mode: str
    threshold: int | None
    in_force_date: date | None  # the procedure's own entry into force where the page states it, else computed
    label_en: str
    label_fr: str
    basis: str


@dataclass(frozen=True)
class ProcedureStatus:
    """One State's position on one procedure on one date."""

    iso3: str
    procedure: str
    status: str
    declared: str = ""  # the State's act the status rests on (declaration, consent, withdrawal)
    since: str = ""  # the day that act took effect for the State ("" while it has not)
    procedure_in_force: str = ""  # true | false | empty where the text sets no threshold
    source: str = ""
    source_as_of: str = ""

    def as_row(self) -> dict[str, str]:
        return {column: getattr(self, column) for column in PROCEDURE_COLUMNS}


@lru_cache(maxsize=1)
def load_procedures(path: Path = PROCEDURES_FILE) -> dict[str, Procedure]:
    """The procedure catalogue, checked: known instruments, modes and whole-number thresholds."""
    instruments = load_instruments()
    procedures: dict[str, Procedure] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            for column in ("instrument", "parent"):
                if row[column] not in instruments:
                    raise Rt2gapsError(f"{path}:{line}: {column} {row[column]!r} is not a catalogue instrument")
            if row["mode"] not in MODES:
                raise Rt2gapsError(f"{path}:{line}: mode must be one of {', '.join(MODES)}, not {row['mode']!r}")
            threshold = row["threshold"].strip()
            if threshold and not threshold.isdigit():
                raise Rt2gapsError(f"{path}:{line}: threshold must be a whole number, not {threshold!r}")
            stated = row["in_force_date"].strip()
            try:
                in_force_date = date.fromisoformat(stated) if stated else None
            except ValueError:
                raise Rt2gapsError(f"{path}:{line}: in_force_date must be YYYY-MM-DD, not {stated!r}") from None
            procedures[row["id"]] = Procedure(
                id=row["id"], instrument=row["instrument"], parent=row["parent"], article=row["article"],
                opt_article=row["opt_article"], procedure_kind=row["procedure_kind"], mode=row["mode"],
                threshold=int(threshold) if threshold else None, in_force_date=in_force_date, label_en=row["label_en"],
                label_fr=row["label_fr"], basis=row["basis"],
            )  # fmt: skip
    return procedures


def parse_procedure_ids(text: str | None) -> list[str]:
    """``--procedures ID,ID``: catalogue ids in the order given; every procedure when None."""
    known = load_procedures()
    if text is None:
        return list(known)
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [p for p in wanted if p not in known]
    if unknown or not wanted:
        raise Rt2gapsError(
            f"unknown procedure id {', '.join(map(repr, unknown)) or repr(text)}; known: {', '.join(known)}"
        )
    return wanted


def load_declarations(snapshot: Snapshot) -> list[dict[str, str]] | None:
    """The snapshot's statement table, or None for a snapshot written without one (then unknown)."""
    path = snapshot.folder / DECLARATIONS_FILE
    return read_csv_rows(path) if path.is_file() else None


def _labels(statement: dict[str, str]) -> set[str]:
    return {label.split("(")[0] for label in statement["articles"].split(";") if label}


@dataclass(frozen=True)
class _Reading:
    """What the words of a statement say, read once however many procedures ask."""

    competent: bool  # speaks of a committee's competence and neither refuses it nor puts it off
    interstate: bool
    individual: bool
    inquiry: bool
    in_words: frozenset[str]  # articles named in words ("article twelve", Portugal on OPIC)


@lru_cache(maxsize=8192)
def _read(text: str) -> _Reading:
    if not _COMPETENCE.search(text) or _REFUSAL.search(text):  # most statements: read no further
        return _Reading(False, False, False, False, frozenset())
    return _Reading(
        competent=True,
        interstate=bool(_INTERSTATE.search(text)),
        individual=bool(_INDIVIDUAL.search(text)),
        inquiry=bool(_INQUIRY.search(text)),
        in_words=frozenset(str(n) for m in _ARTICLE_IN_WORDS.finditer(text) if (n := _number(m.group(1))) is not None),
    )


def recognises(statement: dict[str, str], procedure: Procedure, siblings: set[str]) -> bool:
    """Whether a statement recognises the competence of one declaration or opt-in procedure.

    It must speak of competence and not refuse it (nor put it off "at a later time"). Where it names
    the procedure's article (in figures, or in words: "article twelve"), it counts; otherwise the words
    decide (another State Party: inter-State; individuals: individual; inquiry), and in a section of
    declarations under one single article, being listed is enough (ICERD art. 14). A declaration told
    only in a footnote counts like one listed; one since withdrawn (``withdrawn_date``) still recognised
    the competence until then (the caller ends it there).
    """
    if statement["section"] not in ("declarations", "under_article", "footnote"):
        return False
    reading = _read(f"{statement['heading']} {statement['text']}")
    if not reading.competent:
        return False
    named = (_labels(statement) | reading.in_words) & siblings
    if procedure.article in named:
        return True
    if procedure.procedure_kind == "interstate":
        return reading.interstate
    if procedure.procedure_kind == "individual":
        return reading.individual or (statement["section"] == "under_article" and len(siblings) == 1)
    return reading.inquiry


def opts_out(statement: dict[str, str], procedure: Procedure) -> bool:
    """A reservation or declaration refusing an opt-out procedure (CAT art. 28 on art. 20).

    It must name the procedure's or the opt-out article and either be a reservation (Kuwait's "With
    reservations as to article (20)": reserving the article is refusing it), be a withdrawn one told in
    a footnote, or refuse the competence in words ("does not recognize", "not bound"): a declaration on
    how art. 20 will be applied is not an opt-out, nor is a footnote telling that the competence is now
    recognised.
    """
    if statement["section"] not in ("declarations", "footnote"):
        return False
    if not _labels(statement) & {procedure.article, procedure.opt_article}:
        return False
    if statement.get("kind") == "reservation":
        return True
    withdrawn_in_footnote = statement["section"] == "footnote" and bool(statement["withdrawn_date"])
    return withdrawn_in_footnote or bool(_OPT_OUT.search(statement["text"]))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if len(text) == 10 else None


def _last_day(text: str) -> date | None:
    """The latest day a date the engine writes can stand for: ``YYYY-MM-DD``, ``YYYY``, ``a/b``."""
    if not text:
        return None
    last = text.split("/")[-1]
    if len(last) == 4:
        return date(int(last), 12, 31)
    if len(last) == 7:
        return period_end(date.fromisoformat(f"{last}-01"), "month")
    return date.fromisoformat(last)


_NUMBER_WORDS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
))}  # fmt: skip
_TERM = re.compile(r"(?:period\s+of|\bfor)\s+(\d{1,2}|[a-z]+)\s+years?\b", re.I)
_TERM_START = re.compile(r"(?:as\s+from|beginning\s+on|with\s+effect\s+from|\bfrom)\s+(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4})")
_ARTICLE_IN_WORDS = re.compile(r"\barticle\s+([a-z]+)\b", re.I)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def stated_term(text: str) -> tuple[int | None, date | None]:
    """(years, first day) of a time-limited declaration: "for a [further] period of five years[, as from /
    beginning on / from 18 September 1997]"; (None, None) for one that states no term.

    The first day is read only where a term is stated (elsewhere "from <date>" may limit the facts the
    committee may hear, not the declaration's life).
    """
    term = next((n for m in _TERM.finditer(text) if (n := _number(m.group(1)))), None)
    if term is None:
        return None, None
    first = next((d for m in _TERM_START.finditer(text) if (d := parse_day_month_year(m.group(1)))), None)
    return term, first


@dataclass(frozen=True)
class Acceptance:
    """One declaration accepting a procedure, as it ran for the State.

    ``start`` is when it took effect for the State: the first day of its stated term (else the
    declaration), never before the State was party to the parent treaty. ``end`` (exclusive) is the
    earliest of: the end of a stated term (``lapsed``), a withdrawal (``withdrawn``), the State ceasing
    to be party (``not_party``); None while none of these has come.
    """

    declared: date
    start: date
    end: date | None
    ended_by: str = ""

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


def _merged(periods: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    """Touching or overlapping (start, end-exclusive) periods joined, in order."""
    out: list[tuple[date, date | None]] = []
    for start, end in sorted(periods):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            last_end = out[-1][1]
            out[-1] = (out[-1][0], None if last_end is None or end is None else max(last_end, end))
        else:
            out.append((start, end))
    return out


class _SpellReader:
    """The status engine's answers for procedures, read from the spells (``rt2gaps.history``), never
    recomputed: every pair's status on one date at once (vectorised), and the periods a State is party."""

    COLUMNS = ("status", "consent_date", "in_force_date", "withdrawal_date")

    def __init__(self, snapshot: Snapshot, stale_after: int) -> None:
        self.table = spell_table(snapshot, stale_after)
        self._on: dict[tuple[date, str], dict[str, dict[str, str]]] = {}
        self._party: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
        self._spells: dict[str, tuple[list[str], np.ndarray | None]] = {}  # instrument -> (iso3s, its spells' numbers)
        self._pairs: dict[str, tuple[list[str], list[range]]] = {}  # instrument -> (iso3s, their spells)

    def on(self, instrument: str, day: date) -> dict[str, dict[str, str]]:
        """iso3 -> the engine's answer (``COLUMNS``) on ``day`` for every State of the spells, one instrument."""
        key = (day, instrument)
        if key not in self._on:
            import numpy as np

            table = self.table
            iso3s, numbers = self._instrument_spells(instrument)
            if numbers is None:  # no spells for it (not a catalogue instrument): every answer unknown
                self._on[key] = {}
                return self._on[key]
            starts, ends, _, _ = table.arrays()
            wanted = day.toordinal() - _EPOCH
            # a pair's spells cover every date exactly once: one spell per pair, in pair order
            hits = numbers[(starts[numbers] <= wanted) & (ends[numbers] > wanted)]
            columns = [[table.values[c][k] for k in np.asarray(table.codes[c], dtype=np.int64)[hits]]
                       for c in self.COLUMNS]  # fmt: skip
            self._on[key] = {iso3: dict(zip(self.COLUMNS, row, strict=True))
                             for iso3, row in zip(iso3s, zip(*columns, strict=True), strict=True)}  # fmt: skip
        return self._on[key]

    def _instrument_spells(self, instrument: str) -> tuple[list[str], np.ndarray | None]:
        """The States with spells on an instrument and the numbers of those spells (pair order)."""
        if not self._pairs:
            for (iso3, code), pair_spells in self.table.by_pair.items():
                states, ranges = self._pairs.setdefault(code, ([], []))
                states.append(iso3)
                ranges.append(pair_spells)
        if instrument not in self._spells:
            import numpy as np

            states, ranges = self._pairs.get(instrument, ([], []))
            numbers = np.fromiter((n for r in ranges for n in r), dtype=np.int64) if ranges else None
            self._spells[instrument] = (states, numbers)
        return self._spells[instrument]

    def answer(self, iso3: str, instrument: str, day: date) -> dict[str, str]:
        found = self.on(instrument, day).get(iso3)
        return found if found is not None else {"status": UNKNOWN, **dict.fromkeys(self.COLUMNS[1:], "")}

    def party_periods(self, iso3: str, instrument: str) -> list[tuple[date, date | None]]:
        """The (start, end-exclusive) periods in which the engine says ``party``, joined."""
        key = (iso3, instrument)
        if key not in self._party:
            table = self.table
            values, codes = table.values, table.codes
            found = []
            for n in table.by_pair.get(key, range(0)):
                if values["status"][codes["status"][n]] == PARTY:
                    start, end = values["start"][codes["start"][n]], values["end"][codes["end"][n]]
                    found.append((date.fromisoformat(start) if start else date.min,
                                  date.fromisoformat(end) if end else None))  # fmt: skip
            self._party[key] = _merged(found)
        return self._party[key]


_EPOCH = date(1970, 1, 1).toordinal()


class ProcedureEngine:
    """Evaluates procedures for States on dates from one snapshot (its spells and statement table).

    Treaty statuses come from the status engine's spells (``rt2gaps.history``), read for every State
    on a date at once: this engine decides only what the declarations add.
    """

    def __init__(self, snapshot: Snapshot, stale_after: int = DEFAULT_STALE_AFTER):
        self.snapshot = snapshot
        self.stale_after = stale_after
        self.procedures = load_procedures()
        self.instruments: dict[str, Instrument] = load_instruments()
        self.statements: dict[tuple[str, str], list[dict[str, str]]] = {}
        found = load_declarations(snapshot)
        self.has_statements = found is not None
        self.declarations = found or []
        self.spells = _SpellReader(snapshot, stale_after)
        self._accepted: dict[tuple[str, str], list[Acceptance]] = {}
        self._effective: dict[str, date | None] = {}
        for row in self.declarations:
            if row["participant_kind"] == "state":
                self.statements.setdefault((row["iso3"], row["instrument"]), []).append(row)
        self._siblings: dict[str, set[str]] = {}
        for procedure in self.procedures.values():
            if procedure.mode in ("declaration", "opt_in"):
                self._siblings.setdefault(procedure.instrument, set()).add(procedure.article)

    def _source(self, instrument_id: str) -> tuple[str, str]:
        entry = self.snapshot.instrument_source(instrument_id) or {}
        return entry.get("source_file", ""), entry.get("source_as_of", "")

    def acceptances(self, iso3: str, procedure: Procedure) -> list[Acceptance]:
        """Each declaration by which the State accepted a procedure, as it ran for the State (oldest first)."""
        key = (iso3, procedure.id)
        if key not in self._accepted:
            self._accepted[key] = self._acceptances(iso3, procedure)
        return self._accepted[key]

    def _acceptances(self, iso3: str, procedure: Procedure) -> list[Acceptance]:
        siblings = self._siblings.get(procedure.instrument, set())
        rows = self.statements.get((iso3, procedure.instrument), [])
        if not rows:
            return []
        withdrawals = sorted(
            day for row in rows
            if row["section"] == "footnote" and row["withdrawn_date"] and procedure.article in _labels(row)
            and row["kind"].lower().startswith("declaration") and (day := _day(row["withdrawn_date"]))
        )  # fmt: skip
        found = []
        for row in rows:
            declared = _day(row["date"])
            if declared is None or not recognises(row, procedure, siblings):
                continue
            periods = self.spells.party_periods(iso3, procedure.parent)
            years, first = stated_term(row["text"])
            begins = first or declared
            period = next(((start, end) for start, end in periods if end is None or end > begins), None)
            if period is None:  # never party on or after it: the declaration never took effect
                continue
            start = max(begins, period[0])
            ends = [(add_months(start, 12 * years), "lapsed")] if years else []
            own = _day(row["withdrawn_date"])  # a declaration told with its own withdrawal
            later = [w for w in withdrawals if w >= declared][:1]  # a withdrawal told apart, in a footnote
            ends += [(w, "withdrawn") for w in ([own] if own else []) + later]
            ends += [(period[1], "not_party")] if period[1] is not None else []
            end, why = min(ends) if ends else (None, "")
            if end is None or end > start:
                found.append(Acceptance(declared, start, end, why))
        return sorted(found, key=lambda a: (a.start, a.declared))

    def effective_date(self, procedure: Procedure) -> date | None:
        """When a procedure with a threshold came into force: the date the page states (the catalogue's
        ``in_force_date``: ICCPR art. 41, 28 March 1979), else the first day that many States Parties had
        a declaration standing (none of these texts lets it lapse); None if not yet, or without a threshold.

        The count can only be late, never early: a declaration since lapsed or withdrawn that the page no
        longer lists is missing from it, which is why a stated date wins.
        """
        if procedure.threshold is None or procedure.mode not in ("declaration", "opt_in"):
            return None
        if procedure.in_force_date is not None:
            return procedure.in_force_date
        if procedure.id not in self._effective:
            spans = [a for iso3, instrument in list(self.statements) if instrument == procedure.instrument
                     for a in self.acceptances(iso3, procedure)]  # fmt: skip
            self._effective[procedure.id] = next(
                (day for day in sorted({a.start for a in spans})
                 if sum(a.covers(day) for a in spans) >= procedure.threshold), None)  # fmt: skip
        return self._effective[procedure.id]

    def status(self, iso3: str, procedure_id: str, on: date) -> ProcedureStatus:
        """One State and procedure on one date (see the module docstring)."""
        procedure = self.procedures[procedure_id]
        source, as_of = self._source(procedure.instrument)
        parent = self.spells.answer(iso3, procedure.parent, on)
        base = {"iso3": iso3, "procedure": procedure_id, "source": source, "source_as_of": as_of}
        if parent["status"] == UNKNOWN:
            return ProcedureStatus(status=UNKNOWN, **base)
        if parent["status"] != PARTY:
            # a procedure binds only a party: consent given but not yet in force is not party (VCLT art.
            # 2(1)(g)); a year-only window that may already have opened is not known
            window = parent["in_force_date"]
            undecided = parent["status"] == PENDING and ("/" in window or len(window) in (4, 7))
            return ProcedureStatus(status=UNKNOWN if undecided else NOT_PARTY, **base)
        if procedure.mode == "protocol":
            return self._protocol(iso3, procedure, on, base)
        if not self.has_statements:  # no statement table: acceptance by declaration cannot be told
            return ProcedureStatus(status=UNKNOWN, **base)
        in_force = self.in_force(procedure, on)  # None for opt-out procedures and past the window unless in force
        base["procedure_in_force"] = "" if in_force is None else str(in_force).lower()
        if self.beyond_source(procedure, on):  # a declaration made or withdrawn since would not show
            return ProcedureStatus(status=UNKNOWN, **base)
        if procedure.mode == "opt_out":
            return self._opt_out(iso3, procedure, parent, on, base)
        found = self.acceptances(iso3, procedure)
        standing = [a for a in found if a.covers(on)]
        if standing:
            run = _merged([(a.start, a.end) for a in found])
            began = next(start for start, end in run if start <= on and (end is None or on < end))
            effective = self.effective_date(procedure)
            since: date | None = began
            if procedure.threshold is not None:  # in effect only once the procedure itself is
                since = max(began, effective) if effective is not None and effective <= on else None
            return ProcedureStatus(status=ACCEPTED, declared=_iso(max(a.declared for a in standing)),
                                   since=_iso(since), **base)  # fmt: skip
        ended = [a for a in found if a.end is not None and a.end <= on]
        if ended and max(ended, key=lambda a: a.end or date.min).ended_by == "withdrawn":  # every end is set
            withdrawn = _iso(max(a.end for a in ended if a.end))
            return ProcedureStatus(status=WITHDRAWN, declared=withdrawn, since=withdrawn, **base)
        return ProcedureStatus(status=NOT_ACCEPTED, **base)

    def _protocol(self, iso3: str, procedure: Procedure, on: date, base: dict) -> ProcedureStatus:
        """Accepted while party to the protocol: declared the day of consent, in effect from its entry into force."""
        own = self.spells.answer(iso3, procedure.instrument, on)
        if own["status"] == PARTY:
            return ProcedureStatus(status=ACCEPTED, declared=own["consent_date"],
                                   since=_iso(_last_day(own["in_force_date"])), **base)  # fmt: skip
        if own["status"] == PENDING:  # consent given, not yet in force for the State
            return ProcedureStatus(status=NOT_ACCEPTED, declared=own["consent_date"], **base)
        if own["status"] == WITHDRAWN:
            # the latest denunciation in effect (Trinidad and Tobago denounced twice: 1998 and 2000)
            events = self.snapshot.events_by_pair.get((iso3, procedure.instrument), [])
            done = [(day, e.notified_date) for e in events
                    if e.act == "denunciation" and (day := _day(e.date)) and day <= on]  # fmt: skip
            if done:
                effective, notified = max(done)
                return ProcedureStatus(status=WITHDRAWN, declared=notified, since=_iso(effective), **base)
            return ProcedureStatus(status=WITHDRAWN, since=own["withdrawal_date"], **base)
        if own["status"] in (NONE, SIGNATORY):
            return ProcedureStatus(status=NOT_ACCEPTED, **base)
        return ProcedureStatus(status=UNKNOWN, **base)

    def _opt_out(
        self, iso3: str, procedure: Procedure, parent: dict[str, str], on: date, base: dict
    ) -> ProcedureStatus:
        """In unless a reservation under the opt-out article stands on the date."""
        rows = [r for r in self.statements.get((iso3, procedure.instrument), []) if opts_out(r, procedure)]
        standing = [r for r in rows if not r["withdrawn_date"] and (_day(r["date"]) or date.min) <= on]
        if standing:
            return ProcedureStatus(status=NOT_ACCEPTED, **base)
        # a withdrawal date is always a full ISO day (snapshot.declarations writes it so)
        withdrawals = [date.fromisoformat(r["withdrawn_date"]) for r in rows if r["withdrawn_date"]]
        if any(day > on for day in withdrawals):  # a lift still pending
            return ProcedureStatus(status=NOT_ACCEPTED, **base)
        joined = _last_day(parent["in_force_date"])
        last_lift = max(withdrawals, default=None)
        if last_lift is not None and (joined is None or last_lift > joined):  # in from the reservation's withdrawal
            return ProcedureStatus(status=ACCEPTED, declared=_iso(last_lift), since=_iso(last_lift), **base)
        return ProcedureStatus(status=ACCEPTED, declared=parent["consent_date"], since=_iso(joined), **base)

    @lru_cache(maxsize=256)  # noqa: B019 - one engine per snapshot, few (procedure, date) pairs
    def declaration_count(self, procedure_id: str, on: date) -> int:
        """How many States Parties have a declaration accepting the procedure standing on the date."""
        procedure = self.procedures[procedure_id]
        return sum(
            any(a.covers(on) for a in self.acceptances(iso3, procedure))
            for iso3, instrument in list(self.statements) if instrument == procedure.instrument
        )  # fmt: skip

    def beyond_source(self, procedure: Procedure, on: date) -> bool:
        """Whether ``on`` is more than ``stale_after`` days past the as-of date of the declarations' page."""
        known_until = self.snapshot.source_as_of(procedure.instrument)
        return known_until is not None and on > known_until + timedelta(days=self.stale_after)

    def in_force(self, procedure: Procedure, on: date) -> bool | None:
        """Whether the procedure is in force on the date (threshold of declarations met); None without one.

        Past the freshness window only "in force" is certain (it was on the page's date and cannot
        lapse); "not yet" is then unknown (None).
        """
        if procedure.mode not in ("declaration", "opt_in") or procedure.threshold is None:
            return None
        effective = self.effective_date(procedure)
        if effective is not None and effective <= on:
            return True
        return None if self.beyond_source(procedure, on) else False


def procedure_rows(
    snapshot: Snapshot,
    procedure_ids: Iterable[str],
    on: date,
    universe: str = "all",
    only: set[str] | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> list[ProcedureStatus]:
    """Every State of the universe (or of ``only``) × every procedure asked, on one date."""
    engine = ProcedureEngine(snapshot, stale_after)
    ids = list(procedure_ids)
    rows: list[ProcedureStatus] = []
    for state in universe_states(snapshot, universe):
        if only is not None and state["iso3"] not in only:
            continue
        rows.extend(engine.status(state["iso3"], procedure_id, on) for procedure_id in ids)
    return rows
