"""Reservations and declarations read from the real UNTC pages and MTDSG XML (issue 10)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.snapshot.declarations import dispute_clause_only, load_dispute_clauses
from rt2gaps.sources import mtdsg_xml, untc_html
from rt2gaps.sources.untc_statements import DECLARATIONS, articles_named, later_time, withdrawals_in

PAGES = "untc/viewdetails-html-2026-02-03"


def _page(shared: Path, name: str):
    return untc_html.parse_statements((shared / PAGES / name).read_bytes(), name)


def _by_state(section, participant: str):
    return [s for s in section.statements if s.participant == participant]


def test_icrmw_reservations_articles_and_dispute_clause(shared_sources: Path) -> None:
    cmw = _page(shared_sources, "cmw.html")
    clause = load_dispute_clauses()["ICRMW"]
    (algeria,) = _by_state(cmw, "Algeria")
    assert algeria.kind == "Reservation" and algeria.articles == ("92(1)",)
    assert algeria.text.startswith("The Government of the People's Algerian Democratic Republic does not consider")
    assert dispute_clause_only(algeria, clause)
    (uganda,) = _by_state(cmw, "Uganda")
    assert uganda.kind == "Reservation" and uganda.articles == ("18(3)(d)",)
    assert not dispute_clause_only(uganda, clause)
    assert algeria.date is None and uganda.date is None  # upon ratification: the page gives no date


def test_icrmw_declarations_keep_dates_and_headings(shared_sources: Path) -> None:
    cmw = _page(shared_sources, "cmw.html")
    mexico = [s for s in _by_state(cmw, "Mexico") if s.section == DECLARATIONS]
    assert [(s.kind, s.date, s.articles) for s in mexico] == [
        ("Interpretative declaration", None, ()),
        ("Declaration", date(2008, 9, 15), ("77",)),
    ]
    (uruguay,) = _by_state(cmw, "Uruguay")
    assert uruguay.date == date(2012, 4, 13) and uruguay.articles == ("77",)
    turkiye = _by_state(cmw, "Türkiye")
    assert [s.articles for s in turkiye] == [("15",), ("40",), ("45",), ("46",), ("76", "77")]
    assert turkiye[1].kind == "Reservation" and later_time(turkiye[-1])
    # the objection is Mexico's, dated by the page, with its own kind
    (objection,) = [s for s in _by_state(cmw, "Mexico") if s.section == "objections"]
    assert objection.kind == "Objection" and objection.date == date(2017, 10, 26)


def test_every_listed_participant_is_read_and_attached_to_itself(shared_sources: Path) -> None:
    for name in ("cmw.html", "cat.html", "cerd.html", "iccpr.html", "cedaw.html"):
        page = _page(shared_sources, name)
        with_text = {(e.section, e.source_row) for e in page.entries if any(p.kind == "text" for p in e.pieces)}
        read = {(s.section, s.source_row) for s in page.statements}
        assert with_text and with_text <= read, name
        for entry in page.entries:
            assert not entry.echoed_name or entry.echoed_name == entry.participant, (name, entry.participant)
        for statement in page.statements:
            assert statement.participant in {e.participant for e in page.entries}


def test_xml_and_html_agree_on_the_icrmw(shared_sources: Path) -> None:
    """The 2018 XML has the same statements as the 2026 page, less those made since (Ecuador 2018 ...)."""
    xml = mtdsg_xml.parse_statements((shared_sources / "untc/mtdsg-xml-2018-01/IV-13.en.xml").read_bytes(), "IV-13")
    (algeria,) = [s for s in xml.statements if s.participant == "Algeria"]
    assert algeria.articles == ("92(1)",) and algeria.kind == "Reservation"
    (uganda,) = [s for s in xml.statements if s.participant == "Uganda"]
    assert uganda.articles == ("18(3)(d)",)
    mexico_77 = [s for s in xml.statements if s.participant == "Mexico" and "77" in s.articles]
    assert mexico_77[0].date == date(2008, 9, 15)


def test_footnote_withdrawal_of_a_reservation(shared_sources: Path) -> None:
    page = untc_html.parse((shared_sources / PAGES / "cmw.html").read_bytes(), "cmw.html")
    ((who, withdrawn),) = withdrawals_in(page.footnotes["3"], "Mexico")
    assert who == "Mexico"
    assert withdrawn.withdrawn_date == date(2014, 7, 11) and withdrawn.withdrawal == "whole"
    assert withdrawn.articles == ("22(4)",)
    assert withdrawn.text.startswith("The Government of the United Mexican States makes an express reservation")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bound by paragraph 1 of article 92, according to which", ("92(1)",)),
        ("With respect to articles 46, 47, 48 and 61, paragraph 4, governing", ("46", "47", "48", "61(4)")),
        ("in the cases envisaged in article 34 of the Political Constitution", ()),
        ("contrary to article 19 of the Vienna Convention on the Law of Treaties", ()),
        ("Declaration regarding article 76 (1)", ("76(1)",)),
    ],
)
def test_articles_named(text: str, expected: tuple[str, ...]) -> None:
    assert articles_named(text) == expected


def test_committed_table_carries_the_icrmw_rows() -> None:
    with (BUNDLED_SNAPSHOT_DIR / "declarations.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["instrument"] == "ICRMW"]
    algeria = [r for r in rows if r["iso3"] == "DZA"]
    assert [(r["kind"], r["articles"], r["dispute_clause_only"], r["date_basis"]) for r in algeria] == [
        ("reservation", "92(1)", "true", "upon_consent")
    ]
    assert algeria[0]["date"] == "2005-04-21"
    mexico = [r for r in rows if r["iso3"] == "MEX" and r["withdrawn_date"]]
    assert [(r["articles"], r["withdrawn_date"], r["withdrawal"]) for r in mexico] == [("22(4)", "2014-07-11", "whole")]
