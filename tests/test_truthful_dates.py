"""Issue 9 §1, §2, §5 on real facts: stale sources, successions, dates the data cannot speak for.

Each case is pinned to the bundled snapshot (built from the raw files by the project's parsers) and,
where the raw files are present, to the raw text itself.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.history import status_rows
from rt2gaps.snapshot.store import Event
from rt2gaps.sources import untc_html
from rt2gaps.status import (
    NONE,
    NOT_ELIGIBLE,
    PARTY,
    PENDING,
    UNKNOWN,
    pair_status,
)

CATALOGUE = load_instruments()


def row_of(iso3: str, instrument: str, on: date, **kwargs):
    rows = status_rows(current_snapshot(), [CATALOGUE[instrument]], on, **kwargs)
    return next(r for r in rows if r.iso3 == iso3)


# §1 freshness --------------------------------------------------------------------------------------


def test_south_sudan_and_the_1951_convention_is_unknown_on_2026_02_03() -> None:
    row = row_of("SSD", "REFUGEE-1951", date(2026, 2, 3))
    assert (row.status, row.last_known_status, row.known_until) == (UNKNOWN, NONE, "2015-03-14")
    assert "not confirmed after 2015-03-14" in row.note


def test_south_sudan_is_absent_from_the_2015_table(shared_sources: Path) -> None:
    with (shared_sources / "untc/scrape-csv-2015-03-14/5-2.csv").open(encoding="utf-8") as handle:
        text = handle.read()
    assert "South Sudan" not in text  # the source is silent: the 2018 accession came after it


def test_within_the_window_none_stands_and_says_it_is_not_confirmed() -> None:
    row = row_of("SSD", "REFUGEE-1951", date(2016, 3, 14))  # 366 days after 2015-03-14
    assert (row.status, row.last_known_status) == (UNKNOWN, NONE)
    row = row_of("SSD", "REFUGEE-1951", date(2016, 3, 13))  # 365 days after
    assert (row.status, row.note) == (NONE, "not confirmed after 2015-03-14")
    assert row_of("SSD", "REFUGEE-1951", date(2026, 2, 3), stale_after=5000).status == NONE
    assert row_of("SSD", "REFUGEE-1951", date(2015, 3, 14)).last_known_status == ""  # not past the source


def test_party_stays_party_after_the_source_date() -> None:
    row = row_of("FRA", "REFUGEE-1951", date(2026, 11, 29))
    assert (row.status, row.last_known_status, row.known_until) == (PARTY, PARTY, "2015-03-14")


def test_pending_becomes_party_on_entry_into_force_after_the_source_date() -> None:
    icrmw = CATALOGUE["ICRMW"]  # first day of the month following three months
    events = [Event("ICRMW", "XXX", "Testland", "state", "ratification", "2026-01-20", "day", "", "t", "t", "", "")]
    known = date(2026, 2, 3)
    before = pair_status("XXX", icrmw, events, date(2026, 4, 30), eligible=True, source_as_of=known, stale_after=0)
    after = pair_status("XXX", icrmw, events, date(2026, 5, 1), eligible=True, source_as_of=known, stale_after=0)
    assert (before.status, before.last_known_status) == (PENDING, PENDING)
    assert (after.status, after.last_known_status) == (PARTY, PENDING)


def test_stale_after_must_be_a_number_of_days() -> None:
    with pytest.raises(ValueError, match="stale_after"):
        status_rows(current_snapshot(), [CATALOGUE["ICRMW"]], date(2026, 2, 3), stale_after=-1)


def test_data_quality_lists_stale_instruments_and_answers_become_unknown() -> None:
    from rt2gaps.catalogue import load_set
    from rt2gaps.report import build_report_data

    data = build_report_data(load_set("annex-b"), current_snapshot(), date(2026, 11, 29))
    quality = data.tables["data_quality"]
    became = quality[quality["check"] == "became_unknown"].set_index("instrument")
    assert "REFUGEE-1951" in became.index and "STATELESS-1961" in became.index
    status = data.status
    expected = int(((status["instrument"] == "REFUGEE-1951") & (status["status"] == UNKNOWN)
                    & (status["last_known_status"] == NONE)).sum())  # fmt: skip
    assert became.loc["REFUGEE-1951", "count"] == expected > 0
    assert "ICRMW" not in became.index  # its source (2026-02-03) is within the year
    fresh = build_report_data(load_set("annex-b"), current_snapshot(), date(2015, 6, 1))
    confirmed = fresh.tables["data_quality"]
    details = " ".join(map(str, confirmed[confirmed["check"] == "not_confirmed"]["detail"]))
    assert "not confirmed after 2015-03-14" in details


def test_stale_after_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--as-of", "2026-02-03", "--instruments", "REFUGEE-1951", "--stale-after", "5000"]) == 0
    rows = {r["iso3"]: r for r in csv.DictReader(capsys.readouterr().out.splitlines())}
    assert (rows["SSD"]["status"], rows["SSD"]["known_until"]) == (NONE, "2015-03-14")
    assert main(["gaps", "--as-of", "2026-02-03", "--stale-after", "-3"]) == 2
    assert "--stale-after" in capsys.readouterr().err


# §2 successions ------------------------------------------------------------------------------------


def _iccpr_page(shared_sources: Path) -> untc_html.ParsedSource:
    return untc_html.parse((shared_sources / "untc/viewdetails-html-2026-02-03/iccpr.html").read_bytes())


@pytest.mark.parametrize(
    ("participant", "cell", "note_words"),
    [
        ("Czech Republic", "22 Feb 1993 d", "Historical Information"),
        ("Montenegro", "23 Oct 2006 d", "Historical Information"),
    ],
)
def test_the_iccpr_page_gives_the_notification_not_the_date_of_succession(
    shared_sources: Path, participant: str, cell: str, note_words: str
) -> None:
    page = _iccpr_page(shared_sources)
    row = next(r for r in page.rows if r.participant == participant)
    assert row.consent is not None and row.consent.raw == cell and row.consent.kind == "succession"
    notes = " ".join(page.footnotes[n] for n in row.footnotes)
    assert note_words in notes and "with effect from" not in notes  # the date of succession is elsewhere


def test_czech_republic_under_the_iccpr() -> None:
    # bound from the date of succession (1 January 1993, not in the source); notified 22 February 1993
    early = row_of("CZE", "ICCPR", date(1993, 1, 15))
    assert early.status == UNKNOWN and "date of succession of States" in early.note
    assert row_of("CZE", "ICCPR", date(1993, 2, 22)).status == PARTY  # no entry-into-force delay
    on_march = row_of("CZE", "ICCPR", date(1993, 3, 1))
    assert (on_march.status, on_march.in_force_date) == (PARTY, "1993-02-22")


def test_montenegro_under_the_iccpr() -> None:
    assert row_of("MNE", "ICCPR", date(2006, 7, 1)).status == UNKNOWN  # independent 3 June 2006: not in the source
    assert row_of("MNE", "ICCPR", date(2006, 10, 22)).status == UNKNOWN
    assert row_of("MNE", "ICCPR", date(2006, 10, 23)).status == PARTY


def test_a_succession_never_reads_none_before_its_notification() -> None:
    snapshot = current_snapshot()
    successions = [e for e in snapshot.events if e.act == "succession" and e.participant_kind == "state"]
    assert len(successions) > 100
    for event in successions:
        day = date.fromisoformat(event.date)
        instrument = CATALOGUE[event.instrument]
        if day.toordinal() - 1 < instrument.adoption_date.toordinal():
            continue
        before = pair_status(event.iso3, instrument, snapshot.events_by_pair[(event.iso3, event.instrument)],
                             date.fromordinal(day.toordinal() - 1), eligible=True,
                             source_as_of=snapshot.source_as_of(event.instrument))  # fmt: skip
        assert before.status != NONE, event


# §5 dates outside what the data can speak for ----------------------------------------------------------


def test_icrmw_in_1950_is_not_eligible_for_every_state() -> None:
    rows = status_rows(current_snapshot(), [CATALOGUE["ICRMW"]], date(1950, 1, 1))
    assert {(r.status, r.note) for r in rows} == {(NOT_ELIGIBLE, "not yet adopted")}
    assert row_of("MEX", "ICRMW", date(1990, 12, 18)).status != NOT_ELIGIBLE  # adopted that day


@pytest.mark.parametrize("day", ["1899-12-31", "2101-01-01"])
def test_dates_out_of_range_are_refused_with_one_line(day: str, capsys: pytest.CaptureFixture[str]) -> None:
    for verb in (["status"], ["gaps"], ["brief", "MEX"], ["run", "--no-charts"]):
        assert main([*verb, "--as-of", day]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1 and "1900-01-01 to 2100-12-31" in captured.err
    with pytest.raises(ValueError, match="outside"):
        status_rows(current_snapshot(), [CATALOGUE["ICRMW"]], date.fromisoformat(day))


def test_a_future_date_is_projected_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    later = date.today().replace(year=date.today().year + 2)
    assert main(["status", "--as-of", later.isoformat(), "--instruments", "ICRMW"]) == 0
    err = capsys.readouterr().err
    assert f"projected from the acts known on {date.today().isoformat()}" in err


def test_the_brief_says_why_an_answer_is_unknown() -> None:
    from rt2gaps.catalogue import load_set
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report import build_report_data
    from rt2gaps.report.briefs import BriefBuilder, render_markdown

    data = build_report_data(load_set("annex-b"), current_snapshot(), date(2026, 2, 3))
    text = render_markdown(BriefBuilder(data).brief("SSD"), data, UiStrings("en"))
    assert "REFUGEE-1951: unknown on the as-of date: the source, dated 2015-03-14, is too old" in text
    assert "none and signatory stand for 365 days" in text
