"""Complaints and inquiry procedures: which a State accepts on a date, and whether each is in force.

Three ways in, as the catalogue ``data/procedures.csv`` says per procedure:
  declaration  the State recognises the committee's competence under an article (ICRMW art. 77 ...);
               read from the snapshot's ``declarations.csv``. "At a later time" is not an acceptance.
  opt_out      every party is in unless a reservation under the opt-out article (CAT art. 28) stands.
  opt_in       like a declaration, for a procedure of a protocol (OP-ICESCR art. 11).
  protocol     being party to the protocol (read from the status engine, not parsed again).

Statuses: ``accepted`` (with the date since), ``not_accepted``, ``not_party`` (to the parent
treaty), ``withdrawn`` (with the date) and ``unknown`` (no source covers the parent). Whether a
declaration-based procedure is itself in force is computed from the declarations and the
threshold its treaty sets (``threshold`` in the catalogue), never typed.

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

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.declarations import DECLARATIONS_FILE
from rt2gaps.snapshot.store import Snapshot, read_csv_rows
from rt2gaps.status import (
    CONSENT_GIVEN,
    DEFAULT_STALE_AFTER,
    NONE,
    SIGNATORY,
    UNKNOWN,
    WITHDRAWN,
    pair_status,
    universe_states,
)

PROCEDURES_FILE = DATA_DIR / "procedures.csv"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
NOT_PARTY = "not_party"
PROCEDURE_STATUSES = (ACCEPTED, NOT_ACCEPTED, NOT_PARTY, WITHDRAWN, UNKNOWN)
MODES = ("declaration", "opt_out", "opt_in", "protocol")
PROCEDURE_COLUMNS = ["iso3", "procedure", "status", "since", "procedure_in_force", "source", "source_as_of"]

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
    label_en: str
    label_fr: str
    basis: str


@dataclass(frozen=True)
class ProcedureStatus:
    """One State's position on one procedure on one date."""

    iso3: str
    procedure: str
    status: str
    since: str = ""
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
            procedures[row["id"]] = Procedure(
                id=row["id"], instrument=row["instrument"], parent=row["parent"], article=row["article"],
                opt_article=row["opt_article"], procedure_kind=row["procedure_kind"], mode=row["mode"],
                threshold=int(threshold) if threshold else None, label_en=row["label_en"],
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
            f"--procedures: unknown procedure id {', '.join(map(repr, unknown)) or repr(text)}; "
            f"known: {', '.join(known)}"
        )
    return wanted


def load_declarations(snapshot: Snapshot) -> list[dict[str, str]] | None:
    """The snapshot's statement table, or None for a snapshot written without one (then unknown)."""
    path = snapshot.folder / DECLARATIONS_FILE
    return read_csv_rows(path) if path.is_file() else None


def _labels(statement: dict[str, str]) -> set[str]:
    return {label.split("(")[0] for label in statement["articles"].split(";") if label}


def recognises(statement: dict[str, str], procedure: Procedure, siblings: set[str]) -> bool:
    """Whether a statement recognises the competence of one declaration or opt-in procedure.

    It must speak of competence and not refuse it (nor put it off "at a later time"). Where it names
    the procedure's article, it counts; otherwise the words decide (another State Party: inter-State;
    individuals: individual; inquiry), and in a section of declarations under one single article,
    being listed is enough (ICERD art. 14).
    """
    text = f"{statement['heading']} {statement['text']}"
    if statement["section"] not in ("declarations", "under_article") or statement["withdrawn_date"]:
        return False
    if not _COMPETENCE.search(text) or _REFUSAL.search(text):
        return False
    named = _labels(statement) & siblings
    if procedure.article in named:
        return True
    if procedure.procedure_kind == "interstate":
        return bool(_INTERSTATE.search(text))
    if procedure.procedure_kind == "individual":
        return bool(_INDIVIDUAL.search(text)) or (statement["section"] == "under_article" and len(siblings) == 1)
    return bool(_INQUIRY.search(text))


def opts_out(statement: dict[str, str], procedure: Procedure) -> bool:
    """A reservation or declaration refusing an opt-out procedure (CAT art. 28 on art. 20).

    It must name the procedure's or the opt-out article and, unless it is a withdrawn one told in a
    footnote, refuse the competence ("does not recognize", "not bound"): a declaration on how art. 20
    will be applied is not an opt-out.
    """
    if statement["section"] not in ("declarations", "footnote"):
        return False
    if not _labels(statement) & {procedure.article, procedure.opt_article}:
        return False
    return statement["section"] == "footnote" or bool(_OPT_OUT.search(statement["text"]))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if len(text) == 10 else None


class ProcedureEngine:
    """Evaluates procedures for States on dates from one snapshot (its events and statement table)."""

    def __init__(self, snapshot: Snapshot, stale_after: int = DEFAULT_STALE_AFTER):
        self.snapshot = snapshot
        self.stale_after = stale_after
        self.procedures = load_procedures()
        self.instruments: dict[str, Instrument] = load_instruments()
        self.statements: dict[tuple[str, str], list[dict[str, str]]] = {}
        found = load_declarations(snapshot)
        self.has_statements = found is not None
        self.declarations = found or []
        self._parents: dict[tuple[str, str, date], object] = {}
        self._accepted: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
        for row in self.declarations:
            if row["participant_kind"] == "state":
                self.statements.setdefault((row["iso3"], row["instrument"]), []).append(row)
        self._siblings: dict[str, set[str]] = {}
        for procedure in self.procedures.values():
            if procedure.mode in ("declaration", "opt_in"):
                self._siblings.setdefault(procedure.instrument, set()).add(procedure.article)

    def _parent_status(self, iso3: str, instrument_id: str, on: date):
        key = (iso3, instrument_id, on)
        if key not in self._parents:
            self._parents[key] = self._pair_status(iso3, instrument_id, on)
        return self._parents[key]

    def _pair_status(self, iso3: str, instrument_id: str, on: date):
        instrument = self.instruments[instrument_id]
        return pair_status(
            iso3, instrument, self.snapshot.events_by_pair.get((iso3, instrument_id), []), on,
            eligible=True, source_as_of=self.snapshot.source_as_of(instrument_id),
            retrieved_by=self.snapshot.retrieved_by(instrument_id), stale_after=self.stale_after,
        )  # fmt: skip

    def _source(self, instrument_id: str) -> tuple[str, str]:
        entry = self.snapshot.instrument_source(instrument_id) or {}
        return entry.get("source_file", ""), entry.get("source_as_of", "")

    def acceptances(self, iso3: str, procedure: Procedure) -> list[tuple[date, date | None]]:
        """(made, withdrawn or None) of each declaration by which the State accepted a procedure."""
        key = (iso3, procedure.id)
        if key not in self._accepted:
            self._accepted[key] = self._acceptances(iso3, procedure)
        return self._accepted[key]

    def _acceptances(self, iso3: str, procedure: Procedure) -> list[tuple[date, date | None]]:
        siblings = self._siblings.get(procedure.instrument, set())
        found = []
        for row in self.statements.get((iso3, procedure.instrument), []):
            if recognises(row, procedure, siblings) and _day(row["date"]):
                found.append((_day(row["date"]), None))
        withdrawals = [
            _day(row["withdrawn_date"])
            for row in self.statements.get((iso3, procedure.instrument), [])
            if row["section"] == "footnote" and row["withdrawn_date"] and procedure.article in _labels(row)
            and row["kind"].lower().startswith("declaration")
        ]  # fmt: skip
        if found and withdrawals:
            first = min(day for day, _ in found)
            later = [w for w in withdrawals if w and w >= first]
            if later:
                return [(first, min(later))]
        return found

    def status(self, iso3: str, procedure_id: str, on: date) -> ProcedureStatus:
        """One State and procedure on one date (see the module docstring)."""
        procedure = self.procedures[procedure_id]
        source, as_of = self._source(procedure.instrument)
        parent = self._parent_status(iso3, procedure.parent, on)
        base = {"iso3": iso3, "procedure": procedure_id, "source": source, "source_as_of": as_of}
        if parent.status == UNKNOWN:
            return ProcedureStatus(status=UNKNOWN, **base)
        if parent.status not in CONSENT_GIVEN:
            return ProcedureStatus(status=NOT_PARTY, **base)
        if procedure.mode == "protocol":
            own = self._parent_status(iso3, procedure.instrument, on)
            if own.status in CONSENT_GIVEN:
                return ProcedureStatus(status=ACCEPTED, since=own.in_force_date or own.consent_date, **base)
            if own.status == WITHDRAWN:
                return ProcedureStatus(status=WITHDRAWN, since=own.withdrawal_date, **base)
            if own.status in (NONE, SIGNATORY):
                return ProcedureStatus(status=NOT_ACCEPTED, **base)
            return ProcedureStatus(status=UNKNOWN, **base)
        if not self.has_statements:  # no statement table: acceptance by declaration cannot be told
            return ProcedureStatus(status=UNKNOWN, **base)
        in_force = self.in_force(procedure, on)  # None for opt-out procedures and past the window unless in force
        base["procedure_in_force"] = "" if in_force is None else str(in_force).lower()
        if self.beyond_source(procedure, on):  # a declaration made or withdrawn since would not show
            return ProcedureStatus(status=UNKNOWN, **base)
        if procedure.mode == "opt_out":
            return self._opt_out(iso3, procedure, parent, on, base)
        made = [(day, withdrawn) for day, withdrawn in self.acceptances(iso3, procedure) if day <= on]
        standing = [day for day, withdrawn in made if withdrawn is None or withdrawn > on]
        if standing:
            return ProcedureStatus(status=ACCEPTED, since=_iso(min(standing)), **base)
        if made:
            return ProcedureStatus(status=WITHDRAWN, since=_iso(max(w for _, w in made if w)), **base)
        return ProcedureStatus(status=NOT_ACCEPTED, **base)

    def _opt_out(self, iso3: str, procedure: Procedure, parent, on: date, base: dict) -> ProcedureStatus:
        """In unless a reservation under the opt-out article stands on the date."""
        rows = [r for r in self.statements.get((iso3, procedure.instrument), []) if opts_out(r, procedure)]
        standing = [r for r in rows if not r["withdrawn_date"] and (_day(r["date"]) or date.min) <= on]
        if standing:
            return ProcedureStatus(status=NOT_ACCEPTED, **base)
        lifted = [_day(r["withdrawn_date"]) for r in rows if r["withdrawn_date"] and _day(r["withdrawn_date"]) <= on]
        pending_lift = [r for r in rows if r["withdrawn_date"] and _day(r["withdrawn_date"]) > on]
        if pending_lift:
            return ProcedureStatus(status=NOT_ACCEPTED, **base)
        since = max(lifted) if lifted else None
        joined = parent.in_force_date or parent.consent_date
        if since is not None and _day(joined) and _day(joined) > since:
            since = None
        return ProcedureStatus(status=ACCEPTED, since=_iso(since) or joined, **base)

    @lru_cache(maxsize=256)  # noqa: B019 - one engine per snapshot, few (procedure, date) pairs
    def declaration_count(self, procedure_id: str, on: date) -> int:
        """How many States have a standing declaration accepting the procedure on the date."""
        procedure = self.procedures[procedure_id]
        count = 0
        for iso3, instrument in list(self.statements):
            if instrument != procedure.instrument:
                continue
            made = [(d, w) for d, w in self.acceptances(iso3, procedure) if d <= on]
            if any(w is None or w > on for _, w in made):
                count += 1
        return count

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
        if self.beyond_source(procedure, on):
            known_until = self.snapshot.source_as_of(procedure.instrument)
            assert known_until is not None
            return True if self.declaration_count(procedure.id, known_until) >= procedure.threshold else None
        return self.declaration_count(procedure.id, on) >= procedure.threshold


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
    rows = []
    for state in universe_states(snapshot, universe):
        if only is not None and state["iso3"] not in only:
            continue
        rows.extend(engine.status(state["iso3"], procedure_id, on) for procedure_id in ids)
    return rows
