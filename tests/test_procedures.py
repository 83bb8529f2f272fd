"""Complaints procedures on the real pages (issue 10): ICRMW arts. 76/77, ICERD art. 14, CAT art. 22."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.procedures import ACCEPTED, NOT_ACCEPTED, NOT_PARTY, ProcedureEngine, load_procedures

ON = date(2026, 2, 3)
PAGES = "untc/viewdetails-html-2026-02-03"


@pytest.fixture(scope="module")
def engine() -> ProcedureEngine:
    return ProcedureEngine(current_snapshot())


def _at(engine: ProcedureEngine, iso3: str, procedure: str) -> tuple[str, str]:
    found = engine.status(iso3, procedure, ON)
    return found.status, found.since


def test_icrmw_article_77_accepted_on_the_declaration_dates(engine: ProcedureEngine) -> None:
    assert _at(engine, "MEX", "ICRMW-77") == (ACCEPTED, "2008-09-15")
    assert _at(engine, "URY", "ICRMW-77") == (ACCEPTED, "2012-04-13")
    assert _at(engine, "ECU", "ICRMW-77") == (ACCEPTED, "2018-01-12")
    assert _at(engine, "GTM", "ICRMW-77") == (ACCEPTED, "2007-09-11")


def test_guinea_bissau_76_not_77_and_turkiye_later(engine: ProcedureEngine) -> None:
    assert _at(engine, "GNB", "ICRMW-76")[0] == ACCEPTED
    assert _at(engine, "GNB", "ICRMW-77") == (NOT_ACCEPTED, "")
    assert _at(engine, "TUR", "ICRMW-76") == (NOT_ACCEPTED, "")  # "will recognize ... at a later time"
    assert _at(engine, "TUR", "ICRMW-77") == (NOT_ACCEPTED, "")
    assert _at(engine, "FRA", "ICRMW-77") == (NOT_PARTY, "")


def test_icrmw_77_is_not_in_force_and_before_a_declaration_it_was_not_accepted(engine: ProcedureEngine) -> None:
    procedure = load_procedures()["ICRMW-77"]
    assert engine.in_force(procedure, ON) is False
    assert engine.declaration_count("ICRMW-77", ON) < procedure.threshold
    assert engine.status("ECU", "ICRMW-77", date(2018, 1, 11)).status == NOT_ACCEPTED
    assert engine.status("MEX", "ICRMW-77", ON).procedure_in_force == "false"


def test_declarations_follow_the_freshness_rule() -> None:
    """Past the page's date plus stale_after, an answer read from declarations is unknown (a declaration
    can be made or withdrawn at any time); a procedure in force on the page's date stays in force."""
    snapshot = current_snapshot()
    page_date = snapshot.source_as_of("CAT")
    assert page_date == ON
    within, beyond = date(2027, 2, 3), date(2027, 2, 4)  # 365 and 366 days after the page's date
    fresh = ProcedureEngine(snapshot)
    assert fresh.status("MEX", "CAT-22", within).status == ACCEPTED
    assert fresh.status("USA", "CAT-22", within).status == NOT_ACCEPTED
    for iso3 in ("MEX", "USA"):
        late = fresh.status(iso3, "CAT-22", beyond)
        assert (late.status, late.procedure_in_force) == ("unknown", "true")
    assert fresh.status("MEX", "ICRMW-77", beyond).procedure_in_force == ""  # not in force then: not known later
    longer = ProcedureEngine(snapshot, stale_after=800)
    assert longer.status("MEX", "CAT-22", beyond).status == ACCEPTED
    out = subprocess.run(
        [sys.executable, "-m", "rt2gaps", "procedures", "--procedures", "CAT-22", "--as-of", "2027-02-04",
         "--stale-after", "800"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert any(line.startswith("MEX,CAT-22,accepted,") for line in out)


def _section_texts(page: str, table: str = "dgDecUnderArticle") -> list[str]:
    """The raw text of each entry of a declaration section, split on its div ids: no parser involved."""
    parts = re.split(rf'id="[^"]*_{table}_ctl\d+_divText"', page)[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", part.split("</td>")[0]).replace("&nbsp;", " ").split()) for part in parts]


def test_icerd_14_pinned_to_the_page_and_counted_by_text_search(shared_sources: Path, engine: ProcedureEngine) -> None:
    page = (shared_sources / PAGES / "cerd.html").read_text(encoding="utf-8")
    assert "12 September 1989" in page and "22 September 2006" in page and "11 September 1972" in page
    assert _at(engine, "DZA", "ICERD-14") == (ACCEPTED, "1989-09-12")
    assert _at(engine, "AND", "ICERD-14") == (ACCEPTED, "2006-09-22")
    assert _at(engine, "URY", "ICERD-14") == (ACCEPTED, "1972-09-11")
    for iso3, name in (("USA", "United States of America"), ("CHN", "China"), ("IND", "India")):
        assert _at(engine, iso3, "ICERD-14") == (NOT_ACCEPTED, ""), iso3
        assert not any(text.startswith(f'class="content-two"> {name} ') for text in _section_texts(page)), name
    entries = [t for t in _section_texts(page) if re.search(r"competen", t, re.I)]
    assert engine.declaration_count("ICERD-14", ON) == len(entries)


def test_cat_22_pinned_to_the_page_and_counted_by_text_search(shared_sources: Path, engine: ProcedureEngine) -> None:
    page = (shared_sources / PAGES / "cat.html").read_text(encoding="utf-8")
    assert _at(engine, "DZA", "CAT-22") == (ACCEPTED, "1989-09-12")  # upon ratification, 12 Sep 1989
    assert _at(engine, "VEN", "CAT-22") == (ACCEPTED, "1994-04-26")
    assert _at(engine, "AND", "CAT-22") == (ACCEPTED, "2006-11-22")
    for iso3 in ("USA", "CHN", "SLV"):
        assert _at(engine, iso3, "CAT-22") == (NOT_ACCEPTED, ""), iso3
    individual = [
        t for t in _section_texts(page)
        if re.search(r"articles?\s*\[?(?:21\s*and\s*)?22|individual|on behalf of|victims", t, re.I)
    ]  # fmt: skip
    assert engine.declaration_count("CAT-22", ON) == len(individual)


def test_cli_refuses_an_unknown_procedure_and_a_bad_date() -> None:
    for args in (["procedures", "--procedures", "ICRMW-99"], ["procedures", "--as-of", "2026-02-30"]):
        done = subprocess.run([sys.executable, "-m", "rt2gaps", *args], capture_output=True, text=True)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("rt2gaps: error:")


def test_cli_procedures_and_reservations_csv() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rt2gaps", "procedures", "--procedures", "ICRMW-77", "--as-of", "2026-02-03"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert out[0] == "iso3,procedure,status,since,procedure_in_force,source,source_as_of"
    assert any(line.startswith("MEX,ICRMW-77,accepted,2008-09-15,false,") for line in out)
    out = subprocess.run(
        [sys.executable, "-m", "rt2gaps", "reservations", "--instruments", "ICRMW", "--country", "UGA"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.startswith("iso3,instrument,kind,articles,date,withdrawn_date,dispute_clause_only,text,source\n")
    assert "UGA,ICRMW,Reservation,18(3)(d),2025-" not in out  # the date is the accession's, from the grid
    assert "UGA,ICRMW,Reservation,18(3)(d)," in out and ",false," in out


def test_opt_out_procedures(engine: ProcedureEngine) -> None:
    assert _at(engine, "CHN", "CAT-20") == (NOT_ACCEPTED, "")  # art. 28 reservation stands
    assert _at(engine, "AFG", "CAT-20") == (ACCEPTED, "2018-04-17")  # its reservation withdrawn then
    assert _at(engine, "MAR", "CAT-20") == (ACCEPTED, "2006-10-19")
    assert _at(engine, "IDN", "CAT-20")[0] == ACCEPTED  # a declaration on applying art. 20 is not an opt-out
    assert engine.status("AFG", "CAT-20", date(2018, 4, 16)).status == NOT_ACCEPTED
    assert _at(engine, "BGD", "OP-CEDAW-8") == (NOT_ACCEPTED, "")  # "would not undertake ... Articles 8 and 9"
    assert _at(engine, "GNB", "CRPD-OP-6") == (NOT_ACCEPTED, "")
    assert _at(engine, "FIN", "OP-ICESCR-11")[0] == ACCEPTED  # opt-in by declaration


def test_a_withdrawal_told_in_the_section_itself(shared_sources: Path) -> None:
    from rt2gaps.sources import untc_html

    page = untc_html.parse_statements((shared_sources / PAGES / "cat.html").read_bytes(), "cat.html")
    poland = [s for s in page.statements if s.participant == "Poland" and s.section == "declarations"]
    assert [(s.articles, s.upon_signature, s.withdrawn_date) for s in poland] == [
        (("28", "20", "30(1)"), True, None),
        (("30(1)",), False, date(2025, 12, 19)),
    ]
