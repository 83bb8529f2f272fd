"""A State's position on an instrument on any date, from the snapshot's events.

Statuses:
  party         consent given and in force for the State on the date
  pending       consent given, entry into force for the State not established on the date
  signatory     signed, no consent
  withdrawn     consent given earlier and since undone (denunciation or withdrawal in effect)
  none          the source covers the instrument and records no act of the State by the date
  not_eligible  the State cannot join (an ILO instrument for a State that is not an ILO member)
  unknown       no source covers the instrument, or a year-only date leaves the answer open

Year-only dates (NORMLEX's comparative table gives the year of ratification, not the day) are read
as "some day in that year". The engine evaluates the date both ways, with every year-only act on
1 January and on 31 December of its year. Where both readings agree, that is the answer. Where they
differ but consent is certain either way, the answer is ``pending`` (given, not established in
force). Where they differ on whether consent had been given at all, or whether it had been undone,
the answer is ``unknown``: the engine never turns a year into a false day-exact claim. A month
alone (``YYYY-MM``, only from a user's table) is read like a year: some day in that month.

A denunciation whose date the source does not give is read as "some day between the consent and
the source's as-of date", the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from rt2gaps.catalogue import Instrument
from rt2gaps.entry_into_force import denunciation_effective, entry_into_force
from rt2gaps.snapshot.schema import CONSENT_ACTS, SIGNATURE_ACTS
from rt2gaps.snapshot.store import Event, Snapshot
from rt2gaps.sources.dates import period_end
from rt2gaps.sources.user_table import USER_TABLE_KEY, user_table_label

PARTY = "party"
PENDING = "pending"
SIGNATORY = "signatory"
WITHDRAWN = "withdrawn"
NONE = "none"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"
STATUSES = (PARTY, PENDING, SIGNATORY, WITHDRAWN, NONE, NOT_ELIGIBLE, UNKNOWN)
CONSENT_GIVEN = (PARTY, PENDING)

STATUS_COLUMNS = [
    "iso3",
    "instrument",
    "status",
    "signature_date",
    "consent_date",
    "consent_type",
    "in_force_date",
    "withdrawal_date",
    "date_precision",
    "source_as_of",
    "note",
]


@dataclass(frozen=True)
class DatedAct:
    """An act with the earliest and latest day it can have happened on."""

    act: str
    earliest: date
    latest: date
    text: str  # the date as the snapshot writes it: YYYY-MM-DD or YYYY
    precision: str


@dataclass(frozen=True)
class PairStatus:
    """One State's position on one instrument on one date."""

    iso3: str
    instrument: str
    status: str
    signature_date: str = ""
    consent_date: str = ""
    consent_type: str = ""
    in_force_date: str = ""
    withdrawal_date: str = ""
    date_precision: str = ""
    source_as_of: str = ""
    note: str = ""

    def as_row(self) -> dict[str, str]:
        return {column: getattr(self, column) for column in STATUS_COLUMNS}


def _window(text: str, precision: str) -> tuple[date, date]:
    if precision == "year":
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    if precision == "month":  # a user's table may give YYYY-MM: some day in that month
        first = date.fromisoformat(f"{text}-01")
        return first, period_end(first, "month")
    day = date.fromisoformat(text)
    return day, day


def _format_window(earliest: date, latest: date) -> str:
    if earliest == latest:
        return earliest.isoformat()
    if (earliest.month, earliest.day, latest.month, latest.day) == (1, 1, 12, 31) and earliest.year == latest.year:
        return str(earliest.year)
    if earliest.day == 1 and latest == period_end(earliest, "month"):
        return earliest.isoformat()[:7]
    return f"{earliest.isoformat()}/{latest.isoformat()}"


def dated_acts(
    events: Iterable[Event], instrument: Instrument, source_as_of: date | None, retrieved_by: date | None = None
) -> list[DatedAct]:
    """Turn events into acts with windows; an undone consent gets the day its undoing took effect.

    A year-only act cannot have happened after the source recorded it, so its window ends at
    ``retrieved_by`` where that falls inside its year.
    """
    acts: list[DatedAct] = []
    consents: list[DatedAct] = []
    for event in events:
        if event.act in CONSENT_ACTS or event.act in SIGNATURE_ACTS:
            earliest, latest = _window(event.date, event.date_precision)
            if retrieved_by is not None:
                latest = max(earliest, min(latest, retrieved_by))
            dated = DatedAct(event.act, earliest, latest, event.date, event.date_precision)
            acts.append(dated)
            if event.act in CONSENT_ACTS:
                consents.append(dated)
    for event in events:
        if event.act != "denunciation":
            continue
        if event.date:
            earliest, latest = _window(event.date, event.date_precision)
        elif event.notified_date:
            notified = date.fromisoformat(event.notified_date)
            effective = denunciation_effective(notified, instrument.denunciation_rule)
            earliest, latest = (effective, effective) if effective else (notified, source_as_of or notified)
        else:  # the source says it was undone but not when: some day after the consent, by the as-of date
            earliest = max((c.earliest for c in consents), default=date.min)
            latest = source_as_of or date.max
        acts.append(DatedAct("denunciation", earliest, latest, _format_window(earliest, latest), event.date_precision))
    return acts


def _status_on(acts: list[DatedAct], instrument: Instrument, on: date, early: bool) -> tuple[str, DatedAct | None]:
    """The status under one reading of uncertain dates (all earliest, or all latest)."""

    def when(act: DatedAct) -> date:
        return act.earliest if early else act.latest

    happened = sorted((a for a in acts if when(a) <= on), key=when)
    consent = next((a for a in reversed(happened) if a.act in CONSENT_ACTS), None)
    if consent is not None:
        undone = any(a.act == "denunciation" and when(a) >= when(consent) for a in happened)
        if undone:
            return WITHDRAWN, consent
        in_force = entry_into_force(when(consent), instrument.eif_rule, instrument.entry_into_force_date)
        return (PARTY if on >= in_force else PENDING), consent
    if any(a.act == "denunciation" for a in happened):
        return WITHDRAWN, None
    if any(a.act in SIGNATURE_ACTS for a in happened):
        return SIGNATORY, None
    return NONE, None


def pair_status(
    iso3: str,
    instrument: Instrument,
    events: list[Event],
    on: date,
    *,
    eligible: bool,
    source_as_of: date | None,
    retrieved_by: date | None = None,
) -> PairStatus:
    """Evaluate one State and instrument on one date (see the module docstring for the rules)."""
    as_of_text = source_as_of.isoformat() if source_as_of else ""
    if not eligible:
        return PairStatus(iso3, instrument.id, NOT_ELIGIBLE, source_as_of=as_of_text, note="not an ILO member")
    if source_as_of is None:
        return PairStatus(iso3, instrument.id, UNKNOWN, note="no source covers this instrument")
    acts = dated_acts(events, instrument, source_as_of, retrieved_by)
    early_status, early_consent = _status_on(acts, instrument, on, early=True)
    late_status, late_consent = _status_on(acts, instrument, on, early=False)
    note = ""
    if early_status == late_status:
        status = early_status
    elif early_status in CONSENT_GIVEN and late_status in CONSENT_GIVEN:
        status = PENDING
        note = "year-only date: entry into force on this date not established"
    else:
        status = UNKNOWN
        note = f"year-only or undated act: {late_status} or {early_status} on this date"
    consent = early_consent or late_consent
    signature = next((a for a in sorted(acts, key=lambda a: a.earliest) if a.act in SIGNATURE_ACTS), None)
    withdrawal = next((a for a in acts if a.act == "denunciation"), None)
    in_force = ""
    if consent is not None:
        first = entry_into_force(consent.earliest, instrument.eif_rule, instrument.entry_into_force_date)
        last = entry_into_force(consent.latest, instrument.eif_rule, instrument.entry_into_force_date)
        in_force = _format_window(first, last)
    shown = consent or signature
    return PairStatus(
        iso3=iso3,
        instrument=instrument.id,
        status=status,
        signature_date=signature.text if signature and signature.earliest <= on else "",
        consent_date=consent.text if consent else "",
        consent_type=consent.act if consent else "",
        in_force_date=in_force,
        withdrawal_date=withdrawal.text if withdrawal and withdrawal.earliest <= on else "",
        date_precision=shown.precision if shown else "",
        source_as_of=as_of_text,
        note=note,
    )


def universe_states(snapshot: Snapshot, universe: str) -> list[dict[str, str]]:
    """The States of a universe: ``all`` (UN members and the four others) or ``un-members``."""
    if universe == "all":
        return [s for s in snapshot.states if s["default_universe"] == "true"]
    if universe == "un-members":
        return [s for s in snapshot.states if s["un_member"] == "true"]
    raise ValueError(f"unknown universe {universe!r}; use all or un-members")


def status_rows(
    snapshot: Snapshot,
    instruments: list[Instrument],
    on: date,
    universe: str = "all",
) -> list[PairStatus]:
    """Every State of the universe × every instrument, on one date, in State then catalogue order."""
    rows: list[PairStatus] = []
    states = universe_states(snapshot, universe)
    as_of = {i.id: snapshot.source_as_of(i.id) for i in instruments}
    retrieved = {i.id: snapshot.retrieved_by(i.id) for i in instruments}
    tables = {i.id: (snapshot.instrument_source(i.id) or {}).get(USER_TABLE_KEY) for i in instruments}
    for state in states:
        for instrument in instruments:
            eligible = instrument.body != "ILO" or state["ilo_member"] == "true"
            events = snapshot.events_by_pair.get((state["iso3"], instrument.id), [])
            row = pair_status(
                state["iso3"],
                instrument,
                events,
                on,
                eligible=eligible,
                source_as_of=as_of[instrument.id],
                retrieved_by=retrieved[instrument.id],
            )
            table = tables[instrument.id]
            rows.append(row if table is None else from_user_table(row, table, listed=bool(events)))
    return rows


def from_user_table(row: PairStatus, table: dict, *, listed: bool) -> PairStatus:
    """A row answered by a user's table: it names the table; a partial table says nothing of the States
    it does not list, so they are ``unknown`` there, never ``none``."""
    label = user_table_label(table)
    if not table.get("complete") and not listed and row.status != NOT_ELIGIBLE:
        # a fresh row: nothing the engine inferred from the table's silence (no act, no last known status)
        return PairStatus(row.iso3, row.instrument, UNKNOWN, source_as_of=row.source_as_of,
                          note=f"not listed in the {label}")  # fmt: skip
    return replace(row, note="; ".join(text for text in (row.note, label) if text))
