"""ILO membership over time (issue 18 item 11): before admission an ILO instrument is not_eligible.

Each case is pinned to ``data/ilo_membership.csv`` and the words of its citation: the date the
source gives, as the source writes it, must be the date the table holds.
"""

from __future__ import annotations

import csv
import importlib
import re
from datetime import date, timedelta

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.history import spell_table
from rt2gaps.ilo_membership import (
    MEMBER,
    MEMBERSHIP_FILE,
    MEMBERSHIP_SOURCES_FILE,
    NOT_MEMBER,
    UNSETTLED,
    MembershipPeriod,
    membership_on,
    parse_window,
    read_membership,
)
from rt2gaps.sources.dates import parse_day_month_year
from rt2gaps.status import NONE, NOT_ELIGIBLE, UNKNOWN, pair_answer

ILO_AS_OF = date(2026, 7, 10)  # the NORMLEX table that lists today's 187 members

# State, the admission as the cited source writes it, a date before admission with no act of the State
ADMISSIONS = [
    ("TON", "24 February 2016", date(2016, 2, 23)),
    ("PLW", "29 May 2012", date(2012, 5, 28)),
    ("MHL", "3 July 2007", date(2007, 7, 2)),
    ("TUV", "27 May 2008", date(2008, 5, 26)),
    ("SSD", "29 April 2012", date(2011, 12, 31)),  # its C029 and C182 ratifications are dated 2012 only
    ("TLS", "19 August 2003", date(2003, 8, 18)),
]


def _rows() -> list[dict[str, str]]:
    with MEMBERSHIP_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _answer(iso3: str, instrument_id: str, on: date):  # noqa: ANN202 (PairStatus)
    snapshot = current_snapshot()
    return pair_answer(snapshot, snapshot.states_by_iso3[iso3], load_instruments()[instrument_id], on)


@pytest.mark.parametrize(("iso3", "written", "before"), ADMISSIONS)
def test_admission_is_the_cited_date(iso3: str, written: str, before: date) -> None:
    current = [row for row in _rows() if row["iso3"] == iso3 and not row["left"]]
    assert len(current) == 1
    row = current[0]
    admitted = parse_day_month_year(written)
    assert row["admitted"] == admitted.isoformat()
    assert f'"{written}"' in row["admitted_citation"]
    assert row["admitted_citation"].startswith("wp-ilo-2025-02: ")


@pytest.mark.parametrize(("iso3", "written", "before"), ADMISSIONS)
@pytest.mark.parametrize("instrument_id", ["C029", "C182"])
def test_not_eligible_before_admission(iso3: str, written: str, before: date, instrument_id: str) -> None:
    admitted = parse_day_month_year(written)
    earlier = _answer(iso3, instrument_id, before)
    assert earlier.status == NOT_ELIGIBLE
    assert earlier.note == "not an ILO member on this date"
    assert _answer(iso3, instrument_id, admitted).status != NOT_ELIGIBLE


def test_tonga_is_none_from_its_admission_day() -> None:
    """Tonga has ratified neither: none from 24 February 2016, not_eligible the day before."""
    assert _answer("TON", "C029", date(2016, 2, 24)).status == NONE
    assert _answer("TON", "C182", date(2016, 2, 23)).status == NOT_ELIGIBLE


def test_corroborating_sources_agree() -> None:
    """Tonga's, South Sudan's and Vanuatu's dates are read in a second source too, quoted in the citation."""
    rows = {row["iso3"]: row for row in _rows() if not row["left"]}
    assert 'kanivatonga-2016-03: "effective from February 24, 2016"' in rows["TON"]["admitted_citation"]
    assert "od 29 kwietnia 2012 r." in rows["SSD"]["admitted_citation"]
    assert "on May 22, 2003" in rows["VUT"]["admitted_citation"] and rows["VUT"]["admitted"] == "2003-05-22"


def test_every_date_has_a_citation_to_a_listed_source() -> None:
    with MEMBERSHIP_SOURCES_FILE.open(encoding="utf-8", newline="") as handle:
        sources = {row["key"]: row for row in csv.DictReader(handle)}
    assert all(s["document"] and s["url"].startswith("http") and "search tool" in s["read_in"]
               for s in sources.values())  # fmt: skip
    for row in _rows():
        for field in ("admitted", "left"):
            if not row[field]:
                continue
            citation = row[f"{field}_citation"]
            assert citation, (row["iso3"], field)
            for part in citation.split("; "):
                key = part.split(":", 1)[0]
                assert key in sources, (row["iso3"], field, part)
                assert re.search(r'"[^"]*\d{4}[^"]*"', part), (row["iso3"], field, part)  # quotes a year


def test_todays_187_members_stay_members() -> None:
    """Nothing upstream regresses: every State the NORMLEX table lists is a member today, and only they."""
    snapshot = current_snapshot()
    members = {s["iso3"] for s in snapshot.states if s["ilo_member"] == "true"}
    periods = read_membership()
    assert len(members) == 187
    assert set(periods) == members
    open_periods = {iso3 for iso3, found in periods.items() if any(p.left is None for p in found)}
    assert open_periods == members
    for iso3 in members:
        assert membership_on(periods[iso3], ILO_AS_OF, ILO_AS_OF) == MEMBER, iso3


def test_withdrawal_and_readmission() -> None:
    """The United States withdrew on 6 November 1977 and was readmitted on 18 February 1980."""
    assert _answer("USA", "C029", date(1977, 11, 5)).status == NONE
    assert _answer("USA", "C029", date(1977, 11, 6)).status == NOT_ELIGIBLE
    assert _answer("USA", "C029", date(1980, 2, 17)).status == NOT_ELIGIBLE
    assert _answer("USA", "C029", date(1980, 2, 18)).status == NONE


def test_a_former_member_stays_bound_by_what_it_ratified() -> None:
    """Italy ratified C029 in 1934 and left the ILO in 1939 or 1940: still party while out."""
    assert _answer("ITA", "C029", date(1942, 1, 1)).status == "party"


def test_dates_the_sources_leave_open_are_unknown() -> None:
    """The Soviet Union left in February 1940 (month only); Belarus's two tables give 28 April and 12 May 1954."""
    assert _answer("RUS", "C029", date(1940, 2, 10)).status == UNKNOWN
    assert _answer("RUS", "C029", date(1940, 3, 1)).status == NOT_ELIGIBLE
    assert _answer("BLR", "C029", date(1954, 5, 1)).status == UNKNOWN
    assert _answer("BLR", "C029", date(1954, 5, 1)).note == "ILO membership on this date not established"


def test_an_unsourced_admission_gives_unknown_before_the_ilo_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member whose admission no source dates (an empty cell): unknown, never none nor not_eligible,
    before the ILO table lists it; none from then on."""
    unsourced = {"TON": (MembershipPeriod("TON", None, None, note="no source dates it"),)}
    monkeypatch.setattr(importlib.import_module("rt2gaps.status"), "read_membership", lambda: unsourced)
    for on in (date(1950, 1, 1), date(2016, 2, 23), ILO_AS_OF - timedelta(days=1)):
        answer = _answer("TON", "C029", on)
        assert answer.status == UNKNOWN, on
        assert answer.note == "ILO membership on this date not established"
    assert _answer("TON", "C029", ILO_AS_OF).status == NONE


def test_an_empty_admission_cell_is_unsettled(tmp_path) -> None:  # noqa: ANN001 (pytest fixture)
    table = tmp_path / "membership.csv"
    table.write_text("iso3,admitted,admitted_citation,left,left_citation,note\nTON,,,,,no source dates it\n",
                     encoding="utf-8")  # fmt: skip
    periods = read_membership(table)["TON"]
    assert membership_on(periods, date(2000, 1, 1), ILO_AS_OF) == UNSETTLED
    assert membership_on(periods, ILO_AS_OF, ILO_AS_OF) == MEMBER


def test_a_date_without_citation_is_refused(tmp_path) -> None:  # noqa: ANN001 (pytest fixture)
    table = tmp_path / "membership.csv"
    table.write_text("iso3,admitted,admitted_citation,left,left_citation,note\nTON,2016-02-24,,,,\n",
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(Rt2gapsError, match="row 2: the admitted date has no citation"):
        read_membership(table)


@pytest.mark.parametrize("text", ["２０１６-02-24", "2016-13-01", "2016-02-24/2015", "1940/1946/1950", "1940s"])
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_window(text)


def test_windows() -> None:
    assert parse_window("1940-02") == (date(1940, 2, 1), date(1940, 2, 29))
    assert parse_window("1940/1946") == (date(1940, 1, 1), date(1946, 12, 31))
    assert membership_on(read_membership()["EST"], date(1950, 1, 1), ILO_AS_OF) == NOT_MEMBER


def test_spells_change_on_the_admission_day() -> None:
    """The spells (which every output reads) carry the boundary the engine answers on."""
    table = spell_table(current_snapshot())
    assert table.covering("TON", "C029", date(2016, 2, 23))[2] == NOT_ELIGIBLE
    assert table.covering("TON", "C029", date(2016, 2, 24))[2] == NONE
    assert table.covering("USA", "C182", date(1978, 1, 1))[2] == NOT_ELIGIBLE


def test_each_states_periods_follow_one_another() -> None:
    """Admission before departure, and a readmission after the departure before it: the table is a history."""
    for iso3, periods in read_membership().items():
        for period in periods:
            assert period.admitted is not None, iso3
            assert period.left is None or period.admitted[1] <= period.left[0], iso3
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.left is not None and earlier.left[1] <= later.admitted[0], iso3
