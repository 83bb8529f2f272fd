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
the source's as-of date", the same way. A denunciation known only by its year (or month) is known by
when the State denounced (NORMLEX's ``1958den.:1990``, a user's table): it takes effect under the
instrument's denunciation rule, so its window is the rule applied to the first and last day of that
year (C105 art. 9, a year after registration: denounced in 1990, withdrawn from some day in 1991, so
``unknown`` through 1991 and ``withdrawn`` from 31 December 1991). Where the rule gives no date
(``none``, ``unknown``), the year itself is the window.

Freshness. Every row carries ``known_until``: the as-of date of the source that speaks for the
instrument (a user snapshot's too). On a date after it, what was known stays known where the law
keeps it so: ``party`` stays ``party`` (a State stops being bound only by a notified denunciation,
which takes effect months later), ``pending`` becomes ``party`` on its entry into force,
``withdrawn`` stays ``withdrawn``. ``none`` and ``signatory`` only say that the source recorded no
later act, so they stand for ``stale_after`` days (365 by default) past ``known_until`` and are
``unknown`` after that; ``last_known_status`` then says what the source last showed. Within the
window the row's note says "not confirmed after <known_until>".

Successions. A notification of succession binds the successor from the date of succession of
States, never after the notification, so no entry-into-force delay applies: the successor is a
party from the notification at the latest. Where the source gives the date the succession took
effect ("with effect from ..."), the snapshot event carries that date with the notification in
``notified_date``, and the successor is a party from it. Where it does not (the UNTC pages refer to
a "Historical Information" section that is not among the sources, and no other file here dates the
succession of States), the date from which the successor was bound is unknown: every date before the
notification (from the instrument's adoption) is ``unknown``, never ``none``. A UN admission date
is not a substitute: States are admitted after they come into being (the Czech Republic was bound
by the ICCPR from 1 January 1993 and admitted on 19 January 1993).

ILO membership. A State the ILO does not list as a member is ``not_eligible`` for ILO instruments on
every date. For a member, the periods of ``data/ilo_membership.csv`` (``rt2gaps.ilo_membership``)
decide the dates the source's silence speaks for: where the State was not a member, ``none`` is
``not_eligible``; where the sources leave membership open, it is ``unknown``. A ratification, a
pending consent or a withdrawal stands either way (a former member stays bound by what it ratified).

Before an instrument's adoption every State is ``not_eligible`` ("not yet adopted"). Query dates
before 1900 or after 2100 are refused (Excel cannot show them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rt2gaps.catalogue import Instrument
from rt2gaps.entry_into_force import denunciation_effective, entry_into_force
from rt2gaps.ilo_membership import (
    NOT_MEMBER,
    UNSETTLED,
    MembershipPeriod,
    membership_changes,
    membership_on,
    read_membership,
)
from rt2gaps.snapshot.schema import CONSENT_ACTS, SIGNATURE_ACTS
from rt2gaps.snapshot.store import Event, Snapshot
from rt2gaps.sources.dates import period_end
from rt2gaps.sources.user_table import NONE_AS_OF, USER_TABLE_KEY, user_table_label

PARTY = "party"
PENDING = "pending"
SIGNATORY = "signatory"
WITHDRAWN = "withdrawn"
NONE = "none"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"
STATUSES = (PARTY, PENDING, SIGNATORY, WITHDRAWN, NONE, NOT_ELIGIBLE, UNKNOWN)
CONSENT_GIVEN = (PARTY, PENDING)
# what the source's silence says: these stand only for a while after the source's as-of date
FADING = (NONE, SIGNATORY)

DEFAULT_STALE_AFTER = 365  # days past a source's as-of date that its none/signatory answers stand
MAX_STALE_AFTER = 100_000  # days (about 274 years): past any source date and query date (1900-2100)
EARLIEST_QUERY_DATE = date(1900, 1, 1)
LATEST_QUERY_DATE = date(2100, 12, 31)
NOT_ADOPTED_NOTE = "not yet adopted"
NOT_MEMBER_NOTE = "not an ILO member on this date"
UNSETTLED_MEMBER_NOTE = "ILO membership on this date not established"
SUCCESSION = "succession"
SUCCESSION_NOTE_MARK = "date of succession of States"
UNDATED_SUCCESSION_NOTE = (
    "succession notified on {notified}: bound from the date of succession of States, earlier than the "
    "notification; that date is not in the source"
)

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
    "known_until",
    "last_known_status",
]


@dataclass(frozen=True)
class DatedAct:
    """An act with the earliest and latest day it can have happened on."""

    act: str
    earliest: date
    latest: date
    text: str  # the date as the snapshot writes it: YYYY-MM-DD or YYYY
    precision: str
    notified: date | None = None  # a denunciation's notification, where the source gives it
    effective: date | None = None  # a consent's effect, where the source gives it (no final-clause rule)


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
    known_until: str = ""  # the as-of date of the source speaking for the instrument
    last_known_status: str = ""  # the status on known_until, where the date asked is after it

    def as_row(self) -> dict[str, str]:
        return {column: getattr(self, column) for column in STATUS_COLUMNS}


def consent_in_force(kind: str, consent_date: date, instrument: Instrument) -> date:
    """When a consent makes the State a party: a succession at once, any other act by the final clause.

    Never before the instrument's own entry into force.
    """
    if kind == SUCCESSION:
        return max(consent_date, instrument.entry_into_force_date) if instrument.entry_into_force_date else consent_date
    return entry_into_force(consent_date, instrument.eif_rule, instrument.entry_into_force_date)


def undated_succession(events: Iterable[Event]) -> Event | None:
    """The State's succession whose effective date the source does not give (notification only), if any."""
    return next((e for e in events if e.act == SUCCESSION and e.date and not e.notified_date), None)


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
        if event.act in CONSENT_ACTS and event.notified_date and event.date:
            # the source gives when the consent took effect (``date``) besides its deposit (``notified_date``)
            deposit, effective = date.fromisoformat(event.notified_date), date.fromisoformat(event.date)
            given = min(deposit, effective)  # a succession takes effect before its notification
            dated = DatedAct(event.act, given, given, event.notified_date, event.date_precision, effective=effective)
            acts.append(dated)
            consents.append(dated)
            continue
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
        if event.date and not event.notified_date and event.date_precision in (YEAR, "month"):
            # the year (or month) the source gives is when the State denounced (registered): the act takes
            # effect under the instrument's rule, so the window moves with it (C105 art. 9: a year later)
            earliest, latest = _window(event.date, event.date_precision)
            first = denunciation_effective(earliest, instrument.denunciation_rule)
            last = denunciation_effective(latest, instrument.denunciation_rule)
            if first is not None and last is not None:
                earliest, latest = first, last
        elif event.date:
            earliest, latest = _window(event.date, event.date_precision)
        elif event.notified_date:
            notified = date.fromisoformat(event.notified_date)
            takes_effect = denunciation_effective(notified, instrument.denunciation_rule)
            earliest, latest = (takes_effect, takes_effect) if takes_effect else (notified, source_as_of or notified)
        else:  # the source says it was undone but not when: some day after the consent, by the as-of date
            earliest = max((c.earliest for c in consents), default=date.min)
            latest = source_as_of or date.max
        notified_on = date.fromisoformat(event.notified_date) if event.notified_date else None
        acts.append(DatedAct("denunciation", earliest, latest, _format_window(earliest, latest), event.date_precision,
                             notified=notified_on))  # fmt: skip
    return acts


def _status_on(acts: list[DatedAct], instrument: Instrument, on: date, early: bool) -> tuple[str, DatedAct | None]:
    """The status under one reading of uncertain dates (all earliest, or all latest)."""

    def when(act: DatedAct) -> date:
        return act.earliest if early else act.latest

    happened = sorted((a for a in acts if when(a) <= on), key=when)
    denunciations = [a for a in happened if a.act == "denunciation"]

    def undone(consent: DatedAct) -> bool:
        # a denunciation in effect undoes the consents given before it was notified (a re-accession
        # deposited the day the denunciation was notified stands: UNTC footnotes, Guyana 1999)
        return any(d.notified > when(consent) if d.notified else when(d) >= when(consent) for d in denunciations)

    consents = [a for a in happened if a.act in CONSENT_ACTS]
    standing = [c for c in consents if not undone(c)]
    in_force = [c for c in standing if on >= (c.effective or consent_in_force(c.act, when(c), instrument))]
    if in_force:
        return PARTY, in_force[-1]
    if standing:
        return PENDING, standing[-1]
    if consents:
        return WITHDRAWN, consents[-1]
    if denunciations:
        return WITHDRAWN, None
    if any(a.act in SIGNATURE_ACTS for a in happened):
        return SIGNATORY, None
    return NONE, None


DAY = "day"
YEAR = "year"


def change_dates(
    events: list[Event],
    instrument: Instrument,
    source_as_of: date | None,
    retrieved_by: date | None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> dict[date, str]:
    """Every date on which the engine's answer for a pair can change, with the precision of its cause.

    The instrument's adoption and entry into force; an act's earliest and latest possible day; the
    day a consent makes the State a party from each of those; the day after the source's as-of date
    (what is known stops being confirmed) and the day ``stale_after`` days later (none and signatory
    become unknown). A date caused by a day-exact act is ``day`` even when a year-only window edge
    falls on it too.
    """
    found: dict[date, str] = {instrument.adoption_date: DAY}
    if instrument.entry_into_force_date:
        found[instrument.entry_into_force_date] = DAY
    if source_as_of is None:
        return found
    for boundary in (source_as_of + timedelta(days=1), source_as_of + timedelta(days=stale_after + 1)):
        found[boundary] = DAY
    for act in dated_acts(events, instrument, source_as_of, retrieved_by):
        precision = DAY if act.earliest == act.latest else ("month" if act.precision == "month" else YEAR)
        days = {act.earliest, act.latest}
        if act.act in CONSENT_ACTS:
            days |= {act.effective or consent_in_force(act.act, d, instrument) for d in tuple(days)}
        for day in days:
            if found.get(day) != DAY:
                found[day] = precision
    return found


def check_query_date(on: date) -> date:
    """A date the engine may be asked about: 1900-01-01 to 2100-12-31 (Excel cannot show the others)."""
    if not EARLIEST_QUERY_DATE <= on <= LATEST_QUERY_DATE:
        raise ValueError(
            f"date {on.isoformat()} is outside {EARLIEST_QUERY_DATE.isoformat()} to {LATEST_QUERY_DATE.isoformat()}"
        )
    return on


def projection_warning(on: date, today: date | None = None) -> str:
    """The warning a date after today gets (its answers are projected from what is known today); else ""."""
    today = today or date.today()
    if on <= today:
        return ""
    return f"projected from the acts known on {today.isoformat()}"


def check_stale_after(days: object) -> int:
    """A number of days, 0 to ``MAX_STALE_AFTER``: how long a source's none/signatory answers stand past its date."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_STALE_AFTER:
        raise ValueError(f"stale_after must be a whole number of days from 0 to {MAX_STALE_AFTER}, not {days!r}")
    return days


def _resolved(acts: list[DatedAct], instrument: Instrument, on: date) -> tuple[str, str, DatedAct | None]:
    """(status, note, consent) on a date, both readings of uncertain dates reconciled."""
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
    return status, note, early_consent or late_consent


def _freshness(
    status: str, note: str, acts: list[DatedAct], instrument: Instrument, on: date, known_until: date, stale_after: int
) -> tuple[str, str, str]:
    """(status, note, last_known_status) once the date asked is past the source's as-of date.

    Consent and withdrawal keep (the engine already moves pending to party on entry into force);
    the source's silence (none, signatory) stands for ``stale_after`` days, then is unknown.
    """
    if on <= known_until:
        return status, note, ""
    last_known = _resolved(acts, instrument, known_until)[0]
    if status not in FADING:
        return status, note, last_known
    when = known_until.isoformat()
    if (on - known_until).days > stale_after:
        return UNKNOWN, f"not confirmed after {when}: last known {last_known}", last_known
    return status, f"not confirmed after {when}", last_known


def pair_status(
    iso3: str,
    instrument: Instrument,
    events: list[Event],
    on: date,
    *,
    eligible: bool,
    source_as_of: date | None,
    retrieved_by: date | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> PairStatus:
    """Evaluate one State and instrument on one date (see the module docstring for the rules)."""
    as_of_text = source_as_of.isoformat() if source_as_of else ""
    if on < instrument.adoption_date:
        return PairStatus(iso3, instrument.id, NOT_ELIGIBLE, source_as_of=as_of_text, note=NOT_ADOPTED_NOTE,
                          known_until=as_of_text)  # fmt: skip
    if not eligible:
        return PairStatus(iso3, instrument.id, NOT_ELIGIBLE, source_as_of=as_of_text, note="not an ILO member",
                          known_until=as_of_text)  # fmt: skip
    if source_as_of is None:
        return PairStatus(iso3, instrument.id, UNKNOWN, note="no source covers this instrument")
    acts = dated_acts(events, instrument, source_as_of, retrieved_by)
    status, note, consent = _resolved(acts, instrument, on)
    status, note, last_known = _freshness(status, note, acts, instrument, on, source_as_of, stale_after)
    succession = undated_succession(events)
    if succession is not None:
        notified = succession.date
        if status in FADING and on < date.fromisoformat(notified):
            status = UNKNOWN
        note = note or UNDATED_SUCCESSION_NOTE.format(notified=notified)
    signature = next((a for a in sorted(acts, key=lambda a: a.earliest) if a.act in SIGNATURE_ACTS), None)
    withdrawal = next((a for a in acts if a.act == "denunciation"), None)
    in_force = ""
    if consent is not None:
        first = consent.effective or consent_in_force(consent.act, consent.earliest, instrument)
        last = consent.effective or consent_in_force(consent.act, consent.latest, instrument)
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
        known_until=as_of_text,
        last_known_status=last_known,
    )


def universe_states(snapshot: Snapshot, universe: str) -> list[dict[str, str]]:
    """The States of a universe: ``all`` (UN members and the four others) or ``un-members``."""
    if universe == "all":
        return [s for s in snapshot.states if s["default_universe"] == "true"]
    if universe == "un-members":
        return [s for s in snapshot.states if s["un_member"] == "true"]
    raise ValueError(f"unknown universe {universe!r}; use all or un-members")


def pair_answer(
    snapshot: Snapshot, state: dict[str, str], instrument: Instrument, on: date, stale_after: int = DEFAULT_STALE_AFTER
) -> PairStatus:
    """The full answer for one State of the snapshot and one instrument on one date.

    The engine's status (``pair_status``) with the snapshot's facts for the pair, and, where a
    user's table speaks for the instrument, that table's reading (``from_user_table``). Every
    status anywhere comes from here: the spells (``rt2gaps.history``) ask it on each date where its
    answer can change (``change_dates``), and everything else reads the spells.
    """
    events = snapshot.events_by_pair.get((state["iso3"], instrument.id), [])
    source_as_of, retrieved_by = pair_source_dates(snapshot, instrument.id, listed=bool(events))
    row = pair_status(
        state["iso3"],
        instrument,
        events,
        on,
        eligible=instrument.body != "ILO" or state["ilo_member"] == "true",
        source_as_of=source_as_of,
        retrieved_by=retrieved_by,
        stale_after=stale_after,
    )
    periods = ilo_membership_periods(state, instrument)
    if periods is not None and row.status in FADING:
        row = with_ilo_membership(row, periods, on, source_as_of)
    table = (snapshot.instrument_source(instrument.id) or {}).get(USER_TABLE_KEY)
    return row if table is None else from_user_table(row, table, listed=bool(events))


def pair_source_dates(snapshot: Snapshot, instrument_id: str, *, listed: bool) -> tuple[date | None, date | None]:
    """The as-of and retrieved-by dates that speak for one pair: the instrument's, except for a State with
    no act after a partial table was added over a complete source: that source's date (it said none then,
    the partial table says nothing of it)."""
    table = (snapshot.instrument_source(instrument_id) or {}).get(USER_TABLE_KEY) or {}
    if not listed and table.get(NONE_AS_OF):
        day = date.fromisoformat(table[NONE_AS_OF])
        return day, day
    return snapshot.source_as_of(instrument_id), snapshot.retrieved_by(instrument_id)


def ilo_membership_periods(state: dict[str, str], instrument: Instrument) -> tuple[MembershipPeriod, ...] | None:
    """The State's ILO membership periods where they matter (an ILO instrument, a member today), else None.

    A State the table does not list is read as before, a member throughout (the bundled table lists
    all 187 members; a test checks it). A row whose admission no source dates makes the dates before
    the ILO table's as-of date unknown.
    """
    if instrument.body != "ILO" or state["ilo_member"] != "true":
        return None
    return read_membership().get(state["iso3"])


def with_ilo_membership(row: PairStatus, periods: tuple[MembershipPeriod, ...], on: date,
                        member_by: date | None) -> PairStatus:  # fmt: skip
    """The source's silence (none, signatory) read against membership on the date: a State cannot join
    an ILO instrument before its admission (``not_eligible``), nor be said to have not joined it where
    the sources leave its membership open (``unknown``)."""
    found = membership_on(periods, on, member_by)
    if found == NOT_MEMBER:
        return PairStatus(row.iso3, row.instrument, NOT_ELIGIBLE, source_as_of=row.source_as_of, note=NOT_MEMBER_NOTE,
                          known_until=row.known_until)  # fmt: skip
    if found == UNSETTLED:
        return PairStatus(row.iso3, row.instrument, UNKNOWN, source_as_of=row.source_as_of,
                          note=UNSETTLED_MEMBER_NOTE, known_until=row.known_until)  # fmt: skip
    return row


def ilo_membership_change_dates(
    state: dict[str, str], instrument: Instrument, member_by: date | None
) -> dict[date, str]:
    """The days the State's ILO membership can change on (nothing for another instrument or a non-member)."""
    periods = ilo_membership_periods(state, instrument)
    return {} if periods is None else membership_changes(periods, member_by)


def from_user_table(row: PairStatus, table: dict, *, listed: bool) -> PairStatus:
    """A row answered by a user's table: it names the table; a partial table says nothing of the States
    it does not list, so they are ``unknown`` there, never ``none``."""
    label = user_table_label(table)
    if not listed and table.get(NONE_AS_OF):
        return replace(
            row,
            note="; ".join(
                text
                for text in (row.note, f"not listed in the {label}; complete record as of {table[NONE_AS_OF]}")
                if text
            ),
        )
    if not table.get("complete") and not listed and row.status != NOT_ELIGIBLE:
        # a fresh row: nothing the engine inferred from the table's silence (no act, no last known status)
        return PairStatus(row.iso3, row.instrument, UNKNOWN, source_as_of=row.source_as_of,
                          note=f"not listed in the {label}", known_until=row.known_until)  # fmt: skip
    return replace(row, note="; ".join(text for text in (row.note, label) if text))
