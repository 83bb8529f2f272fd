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
    """Status and the date of the State's act (``declared``)."""
    found = engine.status(iso3, procedure, ON)
    return found.status, found.declared


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
    # plus Ukraine, listed without text: its declaration is told in note 18 ("On 12 September 2003, Ukraine ...
    # the declarations made under articles 21 and 22"), which a search of the section's texts cannot see
    assert _at(engine, "UKR", "CAT-22") == (ACCEPTED, "2003-09-12")
    assert engine.declaration_count("CAT-22", ON) == len(individual) + 1


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
    assert out[0] == "iso3,procedure,status,declared,since,procedure_in_force,source,source_as_of"
    assert any(line.startswith("MEX,ICRMW-77,accepted,2008-09-15,,false,") for line in out)
    out = subprocess.run(
        [sys.executable, "-m", "rt2gaps", "reservations", "--instruments", "ICRMW", "--country", "UGA"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.startswith(
        "iso3,instrument,kind,kind_as_published,articles,date,withdrawn_date,withdrawal,dispute_clause_only,text,source\n"
    )
    assert "UGA,ICRMW,reservation,Reservation,18(3)(d),2025-" not in out  # the date is the accession's
    assert "UGA,ICRMW,reservation,Reservation,18(3)(d)," in out and ",,false," in out


def test_opt_out_procedures(engine: ProcedureEngine) -> None:
    assert _at(engine, "CHN", "CAT-20") == (NOT_ACCEPTED, "")  # art. 28 reservation stands
    assert _at(engine, "AFG", "CAT-20") == (ACCEPTED, "2018-04-17")  # its reservation withdrawn then
    assert _at(engine, "MAR", "CAT-20") == (ACCEPTED, "2006-10-19")
    assert _at(engine, "IDN", "CAT-20")[0] == ACCEPTED  # a declaration on applying art. 20 is not an opt-out
    assert engine.status("AFG", "CAT-20", date(2018, 4, 16)).status == NOT_ACCEPTED
    assert _at(engine, "BGD", "OP-CEDAW-8") == (NOT_ACCEPTED, "")  # "would not undertake ... Articles 8 and 9"
    assert _at(engine, "GNB", "CRPD-OP-6") == (NOT_ACCEPTED, "")
    assert _at(engine, "FIN", "OP-ICESCR-11")[0] == ACCEPTED  # opt-in by declaration


def test_a_reservation_to_article_20_is_an_opt_out(engine: ProcedureEngine) -> None:
    """Kuwait, cat.html (Reservation, upon accession): "With reservations as to article (20) and the provision of
    paragraph (1) from article (30) of the Convention." Reserving art. 20 refuses the inquiry: no refusal words are
    needed, the kind (reservation) says it; a declaration naming art. 20 still needs them (Indonesia)."""
    from rt2gaps.procedures import opts_out

    assert _at(engine, "KWT", "CAT-20") == (NOT_ACCEPTED, "")
    assert _at(engine, "IDN", "CAT-20")[0] == ACCEPTED
    reservation = _statement(section="declarations", kind="reservation", articles="20;30(1)",
                             text='"With reservations as to article (20) and the provision of paragraph (1) '
                             'from article (30) of the Convention."')  # fmt: skip
    assert opts_out(reservation, load_procedures()["CAT-20"])
    assert not opts_out({**reservation, "kind": "declaration"}, load_procedures()["CAT-20"])


def test_a_withdrawal_told_in_the_section_itself(shared_sources: Path) -> None:
    from rt2gaps.sources import untc_html

    page = untc_html.parse_statements((shared_sources / PAGES / "cat.html").read_bytes(), "cat.html")
    poland = [s for s in page.statements if s.participant == "Poland" and s.section == "declarations"]
    assert [(s.articles, s.upon_signature, s.withdrawn_date) for s in poland] == [
        (("28", "20", "30(1)"), True, None),
        (("30(1)",), False, date(2025, 12, 19)),
    ]


def _page_text(shared_sources: Path, name: str) -> str:
    """A page's visible text, whitespace collapsed: no parser involved."""
    import html

    raw = (shared_sources / PAGES / name).read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def _on(engine: ProcedureEngine, iso3: str, procedure: str, day: str):
    return engine.status(iso3, procedure, date.fromisoformat(day))


def test_switzerland_article_41_runs_five_years_at_a_time(shared_sources: Path, engine: ProcedureEngine) -> None:
    """Issue 18 item 5: the term and renewals are read from the texts, with the gaps between them."""
    page = _page_text(shared_sources, "iccpr.html")
    for quoted in (
        "Switzerland declares, pursuant to article 41, that it shall recognize, for a period of five years,",
        "it shall recognize for a further period of five years, as from 18 September 1997,",
        "that it recognizes for a further period of five years, beginning on 16 April 2010,",
        "recognizes the competence of the Human Rights Committee, for a period of five years from the present "
        "notification,",
        "(This declaration replaces the one transmitted to the Secretary-General on 27 March 2017 and is in effect "
        "for five years from 24 January 2022.)",
    ):
        assert quoted in page, quoted
    expected = {
        "1992-09-18": ACCEPTED,  # the first term runs from the Covenant's entry into force for Switzerland
        "2002-09-17": ACCEPTED, "2002-09-18": NOT_ACCEPTED, "2010-04-15": NOT_ACCEPTED,
        "2010-04-16": ACCEPTED, "2015-04-15": ACCEPTED, "2015-04-16": NOT_ACCEPTED, "2017-03-26": NOT_ACCEPTED,
        "2017-03-27": ACCEPTED, "2026-02-03": ACCEPTED, "2027-01-23": ACCEPTED, "2027-01-24": NOT_ACCEPTED,
    }  # fmt: skip
    assert {day: _on(engine, "CHE", "ICCPR-41", day).status for day in expected} == expected
    now = _on(engine, "CHE", "ICCPR-41", "2026-02-03")
    assert (now.declared, now.since) == ("2022-01-24", "2017-03-27")  # the 2022 renewal overlaps the 2017 term
    gap = _on(engine, "CHE", "ICCPR-41", "2005-01-01")
    assert (gap.status, gap.declared, gap.since) == (NOT_ACCEPTED, "", "")


def test_a_stated_term_is_read_in_any_wording() -> None:
    from rt2gaps.procedures import stated_term

    assert stated_term("recognizes, for a period of three years, the competence") == (3, None)
    assert stated_term("for a further period of 5 years, as from 1 March 2001, the competence") == (5, date(2001, 3, 1))
    assert stated_term("in effect for two years from 24 January 2022") == (2, date(2022, 1, 24))
    # without a term, a date is not a start (it may limit the facts the committee hears)
    assert stated_term("the competence ... in respect of facts arising from 1 January 1990") == (None, None)


def test_guinea_bissau_accepts_article_76_only_once_party(shared_sources: Path, engine: ProcedureEngine) -> None:
    """Issue 18 item 6: accepted only while party. The declaration came with the ratification of 22 Oct 2018
    (grid: "Guinea-Bissau 12 Sep 2000 22 Oct 2018"); the Convention binds it from 1 Feb 2019 (art. 87(2))."""
    page = _page_text(shared_sources, "cmw.html")
    assert "Guinea-Bissau 12 Sep 2000 22 Oct 2018" in page
    assert ("Declaration regarding article 76 (1): The Republic of Guinea-Bissau recognizes the competence of the "
            "Committee to receive and consider communications by which a Party claims") in page  # fmt: skip
    before = _on(engine, "GNB", "ICRMW-76", "2018-12-01")
    assert (before.status, before.declared, before.since) == (NOT_PARTY, "", "")
    assert _on(engine, "GNB", "ICRMW-76", "2019-01-31").status == NOT_PARTY
    after = _on(engine, "GNB", "ICRMW-76", "2019-02-01")
    assert (after.status, after.declared) == (ACCEPTED, "2018-10-22")
    assert after.since == "" and after.procedure_in_force == "false"  # art. 76 itself not in force (76(2))


def test_new_catalogue_procedures_read_from_the_pages(shared_sources: Path, engine: ProcedureEngine) -> None:
    """Issue 18 item 8: OPIC art. 12 (opt-in), OPIC art. 13 (opt-out by art. 13(7)), OP-ICESCR art. 10 (opt-in)."""
    catalogue = load_procedures()
    assert [(catalogue[p].mode, catalogue[p].procedure_kind) for p in ("OPIC-12", "OPIC-13", "OP-ICESCR-10")] == [
        ("opt_in", "interstate"), ("opt_out", "inquiry"), ("opt_in", "interstate")]  # fmt: skip
    opic = _page_text(shared_sources, "crc_op_ic.html")
    assert ("“The Federal Republic of Germany recognizes the competence of the Committee to receive and consider "
            "communications pursuant to Article 12(1) of the Optional Protocol.”") in opic  # fmt: skip
    assert "in accordance and for the purposes of article twelve of the Optional Protocol" in opic  # Portugal
    assert (
        "Pursuant to Article 13, paragraph 7, of the Protocol, the Principality of Monaco wishes to indicate that "
        "it does not recognize the competence of the Committee provided for in the present article"
    ) in opic
    assert _at(engine, "DEU", "OPIC-12") == (ACCEPTED, "2013-02-28")
    assert _at(engine, "PRT", "OPIC-12") == (ACCEPTED, "2013-09-24")  # the article in words
    assert _at(engine, "TUR", "OPIC-12") == (NOT_ACCEPTED, "")  # keeps its reservations; recognises nothing
    assert _at(engine, "MCO", "OPIC-13") == (NOT_ACCEPTED, "")
    assert _at(engine, "DEU", "OPIC-13")[0] == ACCEPTED  # a party that did not opt out
    assert _at(engine, "FRA", "OPIC-12")[0] == NOT_ACCEPTED and _at(engine, "USA", "OPIC-13")[0] == NOT_PARTY
    escr = _page_text(shared_sources, "icescr_op.html")
    assert ("With respect to article 10, the Government of the Republic of El Salvador hereby declares that it "
            "recognizes the competence of the Committee") in escr  # fmt: skip
    for iso3, day in (("SLV", "2011-09-20"), ("FIN", "2014-01-31"), ("BEL", "2014-05-20")):
        assert _at(engine, iso3, "OP-ICESCR-10") == (ACCEPTED, day), iso3
    assert _at(engine, "ARG", "OP-ICESCR-10") == (NOT_ACCEPTED, "")  # its declaration is on the Malvinas


def test_declared_and_since_differ_when_the_effect_comes_later(shared_sources: Path, engine: ProcedureEngine) -> None:
    """Issue 18 item 9: ``declared`` is the declaration's date; ``since`` the later of it, the State's entry into
    force and the procedure's own entry into force."""
    page = _page_text(shared_sources, "cat.html")
    assert "Algeria 26 Nov 1985 12 Sep 1989" in page  # ratified with the art. 22 declaration; in force 30 days on
    algeria = engine.status("DZA", "CAT-22", ON)
    assert (algeria.declared, algeria.since) == ("1989-09-12", "1989-10-12")
    sweden = engine.status("SWE", "CAT-22", ON)  # declared before the Convention (and art. 22) were in force
    assert (sweden.declared, sweden.since) == ("1986-01-08", "1987-06-26")
    uruguay = engine.status("URY", "ICRMW-77", ON)  # art. 77 not in force: declared, not in effect
    assert (uruguay.status, uruguay.declared, uruguay.since) == (ACCEPTED, "2012-04-13", "")


def test_previously_right_facts_stay_right(shared_sources: Path, engine: ProcedureEngine) -> None:
    """Issue 18 regression set, each fact pinned to the page sentence it rests on."""
    op1 = _page_text(shared_sources, "iccpr_op1.html")
    assert ("On 8 November 2022, the Government of Belarus notified the Secretary-General of its denunciation of the "
            "Optional Protocol with effect from 8 February 2023") in op1  # fmt: skip
    assert "denounce the Optional Protocol for the second time with effect from 27 June 2000" in op1
    assert "On 5 January 1999, the Government of Guyana notified" in op1
    belarus = _on(engine, "BLR", "ICCPR-OP1", "2023-02-08")
    assert (belarus.status, belarus.declared, belarus.since) == ("withdrawn", "2022-11-08", "2023-02-08")
    assert _on(engine, "BLR", "ICCPR-OP1", "2023-02-07").status == ACCEPTED
    trinidad = engine.status("TTO", "ICCPR-OP1", ON)
    assert (trinidad.status, trinidad.declared, trinidad.since) == ("withdrawn", "2000-03-27", "2000-06-27")
    assert _on(engine, "TTO", "ICCPR-OP1", "1999-01-01").status == ACCEPTED  # the re-accession of 26 Aug 1998
    guyana = engine.status("GUY", "ICCPR-OP1", ON)  # re-acceded the day its denunciation was notified
    assert (guyana.status, guyana.declared, guyana.since) == (ACCEPTED, "1999-01-05", "1999-04-05")
    assert _at(engine, "AFG", "CAT-20") == (ACCEPTED, "2018-04-17")
    assert _at(engine, "MAR", "CAT-20") == (ACCEPTED, "2006-10-19")
    assert _at(engine, "COL", "OP-CEDAW-8")[0] == ACCEPTED
    assert _at(engine, "URY", "ICRMW-77") == (ACCEPTED, "2012-04-13")


def test_procedures_read_the_spells_not_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed item: treaty statuses come from the spells, every State at once; the status engine is not
    asked again per State and procedure."""
    import importlib

    from rt2gaps.history import spell_table
    from rt2gaps.procedures import procedure_rows

    snapshot = current_snapshot()
    spell_table(snapshot)  # the run has them already

    def refuse(*args, **kwargs):
        raise AssertionError("the procedures asked the status engine instead of reading the spells")

    engine_module = importlib.import_module("rt2gaps.status")  # the package's ``status`` is the API function
    monkeypatch.setattr(engine_module, "pair_status", refuse)
    monkeypatch.setattr(engine_module, "pair_answer", refuse)
    rows = procedure_rows(snapshot, load_procedures(), ON)
    assert len(rows) == len(load_procedures()) * len([s for s in snapshot.states if s["default_universe"] == "true"])
    assert {r.status for r in rows} >= {ACCEPTED, NOT_ACCEPTED, NOT_PARTY}


def test_a_procedure_in_force_date_stated_on_the_page_wins(shared_sources: Path, engine: ProcedureEngine) -> None:
    """ICCPR art. 41 came into force on 28 March 1979 (the page's header); counting the declarations the page
    still lists gives a later day (a lapsed declaration is no longer listed), so the stated date is kept and
    an early declarant's ``since`` is it."""
    page = _page_text(shared_sources, "iccpr.html")
    assert (
        "28 March 1979 for the provisions of article 41 (Human Rights Committee), in accordance with paragraph 2 "
        "of the said article 41"
    ) in page
    procedure = load_procedures()["ICCPR-41"]
    assert procedure.in_force_date == date(1979, 3, 28) == engine.effective_date(procedure)
    from dataclasses import replace

    counted = ProcedureEngine(current_snapshot()).effective_date(replace(procedure, in_force_date=None))
    assert counted is not None and counted >= date(1979, 3, 28)  # the count alone: never earlier
    uk = engine.status("GBR", "ICCPR-41", ON)
    assert (uk.declared, uk.since) == ("1976-05-20", "1979-03-28")
    assert engine.status("GBR", "ICCPR-41", date(1979, 3, 27)).since == ""  # accepted, not yet in effect
    for pid in ("ICERD-14", "CAT-22"):  # no date stated: the count gives the treaty's own record
        assert load_procedures()[pid].in_force_date is None
    assert engine.effective_date(load_procedures()["CAT-22"]) == date(1987, 6, 26)  # cat.html: "26 June 1987"


def _statement(**fields: str) -> dict[str, str]:
    row = {"section": "footnote", "kind": "Declaration", "heading": "", "articles": "", "date": "",
           "withdrawn_date": "", "text": ""}  # fmt: skip
    return {**row, **fields}


def test_a_declaration_told_only_in_a_footnote_counts_and_a_withdrawn_one_ends() -> None:
    """Issue 18 item 1 is the parser's (Ukraine's 12 Sep 2003 declarations, cat.html footnote 18: "Ukraine fully
    recognizes extension to its territory of Article 21 ... as regards recognition of the competence of the
    Committee"); once the parser gives such a footnote row, the procedures read it. A footnote that recognises
    the competence is not an opt-out of art. 20; a withdrawn reservation told in a footnote still is one."""
    from rt2gaps.procedures import opts_out, recognises

    catalogue = load_procedures()
    accepted = _statement(
        articles="21;22",
        date="2003-09-12",
        text="Ukraine fully recognizes extension to its "
        "territory of Article 21 ... as regards recognition of the competence of the Committee",
    )
    assert recognises(accepted, catalogue["CAT-21"], {"21", "22"})
    assert not opts_out({**accepted, "articles": "20;21;22"}, catalogue["CAT-20"])
    lifted = _statement(
        articles="20",
        date="1987-02-24",
        withdrawn_date="2003-09-12",
        text="does not recognize the competence of the Committee against Torture (article 20)",
    )
    assert opts_out(lifted, catalogue["CAT-20"])


def test_a_withdrawn_declaration_accepted_until_its_withdrawal() -> None:
    snapshot = current_snapshot()
    engine = ProcedureEngine(snapshot)
    row = _statement(section="declarations", articles="22", date="2000-01-10", withdrawn_date="2010-05-01",
                     text="recognizes the competence of the Committee to receive communications from individuals",
                     participant_kind="state", iso3="MEX", instrument="CAT")  # fmt: skip
    engine.statements[("MEX", "CAT")] = [row]
    found = engine.acceptances("MEX", load_procedures()["CAT-22"])
    assert [(a.start, a.end, a.ended_by) for a in found] == [(date(2000, 1, 10), date(2010, 5, 1), "withdrawn")]
    assert engine.status("MEX", "CAT-22", date(2010, 4, 30)).status == ACCEPTED
    assert engine.status("MEX", "CAT-22", date(2010, 5, 1)).status == "withdrawn"
