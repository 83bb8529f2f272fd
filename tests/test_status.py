"""The status engine on small hand-made event lists: every status value, year-only dates, withdrawals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from rt2gaps.catalogue import load_instruments
from rt2gaps.snapshot.store import Event
from rt2gaps.status import (
    NONE,
    NOT_ELIGIBLE,
    PARTY,
    PENDING,
    SIGNATORY,
    UNKNOWN,
    WITHDRAWN,
    pair_status,
)

CATALOGUE = load_instruments()
AS_OF = date(2026, 2, 3)


def event(act: str, day: str, precision: str = "day", notified: str = "", instrument: str = "ICRMW") -> Event:
    return Event(instrument, "XXX", "Testland", "state", act, day, precision, notified, "test", "test.csv", "", "")


def status_of(events: list[Event], on: date, instrument: str = "ICRMW", **kwargs) -> str:
    kwargs.setdefault("eligible", True)
    kwargs.setdefault("source_as_of", AS_OF)
    return pair_status("XXX", CATALOGUE[instrument], events, on, **kwargs).status


def test_none_when_the_source_records_nothing() -> None:
    assert status_of([], AS_OF) == NONE


def test_signatory_after_signature_and_none_before() -> None:
    events = [event("signature", "2005-03-01")]
    assert status_of(events, date(2005, 2, 28)) == NONE
    assert status_of(events, date(2005, 3, 1)) == SIGNATORY


def test_icrmw_pending_until_first_day_of_month_after_three_months() -> None:
    events = [event("ratification", "2020-01-15")]  # +3 months = 15 Apr → in force 1 May 2020
    assert status_of(events, date(2020, 1, 14)) == NONE
    assert status_of(events, date(2020, 4, 30)) == PENDING
    assert status_of(events, date(2020, 5, 1)) == PARTY
    row = pair_status("XXX", CATALOGUE["ICRMW"], events, AS_OF, eligible=True, source_as_of=AS_OF)
    assert (row.consent_date, row.consent_type, row.in_force_date) == ("2020-01-15", "ratification", "2020-05-01")


def test_consent_before_the_treaty_is_in_force_becomes_party_on_its_entry_into_force() -> None:
    events = [event("ratification", "1995-06-01")]
    assert status_of(events, date(2003, 6, 30)) == PENDING
    assert status_of(events, date(2003, 7, 1)) == PARTY


def test_withdrawn_from_the_day_the_denunciation_takes_effect() -> None:
    events = [
        event("ratification", "1975-10-03", instrument="ICCPR-OP1"),
        event("denunciation", "1998-01-23", notified="1997-10-23", instrument="ICCPR-OP1"),
    ]
    assert status_of(events, date(1998, 1, 22), "ICCPR-OP1") == PARTY
    assert status_of(events, date(1998, 1, 23), "ICCPR-OP1") == WITHDRAWN


def test_denunciation_with_only_a_notification_date_uses_the_treaty_clause() -> None:
    events = [
        event("ratification", "1975-10-03", instrument="ICCPR-OP1"),
        event("denunciation", "", precision="none", notified="1997-10-23", instrument="ICCPR-OP1"),
    ]
    assert status_of(events, date(1998, 1, 22), "ICCPR-OP1") == PARTY  # art. 12: three months
    assert status_of(events, date(1998, 1, 23), "ICCPR-OP1") == WITHDRAWN


def test_undated_denunciation_is_unknown_before_the_source_date_and_withdrawn_after() -> None:
    events = [event("accession", "1962-02-20", instrument="STATELESS-1954"), event("denunciation", "", "none")]
    events[1] = replace(events[1], instrument="STATELESS-1954")
    as_of = date(2018, 1, 15)
    assert status_of(events, date(1990, 1, 1), "STATELESS-1954", source_as_of=as_of) == UNKNOWN
    assert status_of(events, date(2018, 1, 15), "STATELESS-1954", source_as_of=as_of) == WITHDRAWN


def test_not_eligible_beats_everything() -> None:
    assert status_of([], AS_OF, "C087", eligible=False) == NOT_ELIGIBLE


def test_unknown_when_no_source_covers_the_instrument() -> None:
    assert status_of([], AS_OF, "C189", source_as_of=None) == UNKNOWN


class TestYearOnlyDates:
    """An ILO ratification known only by its year: the engine answers only what is certain."""

    events = [event("ratification", "2010", "year", instrument="C087")]

    def test_before_the_year_none(self) -> None:
        assert status_of(self.events, date(2009, 12, 31), "C087") == NONE

    def test_inside_the_year_unknown_never_a_false_day_exact_answer(self) -> None:
        row = pair_status("XXX", CATALOGUE["C087"], self.events, date(2010, 6, 1), eligible=True, source_as_of=AS_OF)
        assert row.status == UNKNOWN and "year-only" in row.note

    def test_next_year_consent_certain_entry_into_force_not_established(self) -> None:
        assert status_of(self.events, date(2011, 6, 1), "C087") == PENDING

    def test_two_years_later_party(self) -> None:
        row = pair_status("XXX", CATALOGUE["C087"], self.events, date(2012, 1, 1), eligible=True, source_as_of=AS_OF)
        assert (row.status, row.consent_date, row.in_force_date, row.date_precision) == (PARTY, "2010", "2011", "year")

    def test_retrieval_date_caps_the_year(self) -> None:
        events = [event("ratification", "2026", "year", instrument="P029")]
        kwargs = {"source_as_of": date(2026, 7, 10), "retrieved_by": date(2026, 7, 31)}
        assert status_of(events, date(2026, 8, 1), "P029", **kwargs) == PENDING
        assert status_of(events, date(2026, 3, 1), "P029", **kwargs) == UNKNOWN

    def test_denounced_in_a_year(self) -> None:
        events = [event("ratification", "1958", "year", instrument="C105"), event("denunciation", "1990", "year")]
        events[1] = replace(events[1], instrument="C105")
        # denounced (registered) in 1990; C105 art. 9: effective a year after registration, so in 1991
        assert status_of(events, date(1990, 12, 31), "C105") == PARTY
        assert status_of(events, date(1991, 1, 1), "C105") == UNKNOWN
        assert status_of(events, date(1991, 12, 30), "C105") == UNKNOWN
        row = pair_status("XXX", CATALOGUE["C105"], events, date(1991, 12, 31), eligible=True, source_as_of=AS_OF)
        assert (row.status, row.withdrawal_date) == (WITHDRAWN, "1991")


@pytest.mark.parametrize("status", [PARTY, PENDING, SIGNATORY, WITHDRAWN, NONE, NOT_ELIGIBLE, UNKNOWN])
def test_every_status_value_is_reachable(status: str) -> None:
    cases = {
        PARTY: ([event("ratification", "2010-01-01")], {}),
        PENDING: ([event("ratification", "2026-01-20")], {}),
        SIGNATORY: ([event("signature", "2010-01-01")], {}),
        WITHDRAWN: ([event("ratification", "2010-01-01"), event("denunciation", "2020-01-01")], {}),
        NONE: ([], {}),
        NOT_ELIGIBLE: ([], {"eligible": False}),
        UNKNOWN: ([], {"source_as_of": None}),
    }
    events, kwargs = cases[status]
    assert status_of(events, AS_OF, **kwargs) == status


def test_ilo_year_only_denunciations_take_effect_a_year_after_registration(shared_sources) -> None:
    """NORMLEX's table gives the year denounced (``1958den.:1990``); C105 art. 9: "Such denunciation
    shall not take effect until one year after the date on which it is registered" (the catalogue's
    ``months:12``). Malaysia and Singapore are withdrawn only from the end of the year after."""
    from rt2gaps.api import current_snapshot
    from rt2gaps.status import pair_answer

    table = (shared_sources / "ilo/normlex-fundamentals-2026-07/ILO_Conventions.csv").read_text(encoding="utf-8")
    rows = {line.split(",")[0]: line for line in table.splitlines()}
    assert ",1958den.:1990," in rows["Malaysia"] and ",1965den.:1979," in rows["Singapore"]
    assert CATALOGUE["C105"].denunciation_rule == "months:12"
    snapshot = current_snapshot()
    states = {s["iso3"]: s for s in snapshot.states}
    for iso3, year in (("MYS", 1990), ("SGP", 1979)):

        def on(day: date, iso3: str = iso3) -> str:
            return pair_answer(snapshot, states[iso3], CATALOGUE["C105"], day).status

        assert on(date(year, 12, 31)) == PARTY, iso3  # registered that year: still bound all year
        assert on(date(year + 1, 1, 1)) == UNKNOWN, iso3
        assert on(date(year + 1, 12, 30)) == UNKNOWN, iso3
        assert on(date(year + 1, 12, 31)) == WITHDRAWN, iso3
