"""UNTC parsers on the real files: every page's own header counts are reproduced; bad layouts fail loudly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rt2gaps.errors import Rt2gapsError, SourceLayoutError
from rt2gaps.sources import m49, mtdsg_xml, untc_csv, untc_html
from rt2gaps.sources.untc_cells import count_parties, count_signatories, denunciation_dates, split_name

HTML = "untc/viewdetails-html-2026-02-03"
XML = "untc/mtdsg-xml-2018-01"
CSV = "untc/scrape-csv-2015-03-14"
PAGES = [
    "cerd", "icescr", "icescr_op", "iccpr", "iccpr_op1", "iccpr_op2", "cedaw", "cedaw_op", "cat", "cat_op",
    "crc", "crc_op_ac", "crc_op_sc", "crc_op_ic", "cmw", "crpd", "crpd_op", "ced",
]  # fmt: skip
FULL_XML = [
    "I-1", "IV-3-a", "IV-5", "IV-8-b", "IV-9-b", "IV-11-c", "IV-12", "IV-13", "IV-15-a", "IV-16",
    "V-3", "V-4", "V-5", "XVIII-12-a", "XVIII-12-b",
]  # fmt: skip


def read(shared: Path, relative: str) -> bytes:
    return (shared / relative).read_bytes()


@pytest.mark.parametrize("page", PAGES)
def test_html_counts_equal_the_page_header(shared_sources: Path, page: str) -> None:
    parsed = untc_html.parse(read(shared_sources, f"{HTML}/{page}.html"), page)
    assert parsed.as_of == date(2026, 2, 3)
    assert count_parties(parsed) == parsed.header_counts["parties"]
    assert count_signatories(parsed) == parsed.header_counts["signatories"]


def test_icrmw_page(shared_sources: Path) -> None:
    parsed = untc_html.parse(read(shared_sources, f"{HTML}/cmw.html"))
    assert parsed.header_counts == {"signatories": 40, "parties": 60}
    assert parsed.source_key == "IV-13"
    names = {row.participant for row in parsed.rows}
    assert "Türkiye" in names and all(not name[-1].isdigit() for name in names)


def test_denounced_acts_carry_the_footnote_dates(shared_sources: Path) -> None:
    parsed = untc_html.parse(read(shared_sources, f"{HTML}/iccpr_op1.html"))
    undone = {row.participant: row.consent for row in parsed.rows if row.consent and row.consent.undone}
    assert set(undone) == {"Belarus", "Jamaica", "Trinidad and Tobago"}
    assert undone["Jamaica"].undone_date == date(1997, 10, 23)
    assert denunciation_dates(undone["Belarus"].note) == (date(2022, 11, 8), date(2023, 2, 8))
    # the footnote quotes an earlier denunciation; the latest one counts
    assert denunciation_dates(undone["Trinidad and Tobago"].note) == (date(2000, 3, 27), date(2000, 6, 27))


def test_european_union_formal_confirmation(shared_sources: Path) -> None:
    parsed = untc_html.parse(read(shared_sources, f"{HTML}/crpd.html"))
    union = next(row for row in parsed.rows if row.participant == "European Union")
    assert union.consent.kind == "formal_confirmation"


@pytest.mark.parametrize("number", FULL_XML)
def test_xml_parties_equal_the_status_element(shared_sources: Path, number: str) -> None:
    parsed = mtdsg_xml.parse(read(shared_sources, f"{XML}/{number}.en.xml"), number)
    assert parsed.rows and count_parties(parsed) == parsed.header_counts["parties"]


def test_header_only_xml_gives_counts_and_no_rows(shared_sources: Path) -> None:
    refugees = mtdsg_xml.parse(read(shared_sources, f"{XML}/V-2.en.xml"))
    crime = mtdsg_xml.parse(read(shared_sources, f"{XML}/XVIII-12.en.xml"))
    assert (refugees.rows, refugees.header_counts["parties"]) == ([], 145)
    assert (crime.rows, crime.header_counts["parties"]) == ([], 189)


def test_xml_undated_footnote_phrasing(shared_sources: Path) -> None:
    parsed = mtdsg_xml.parse(read(shared_sources, f"{XML}/V-3.en.xml"))
    madagascar = next(row for row in parsed.rows if row.participant == "Madagascar")
    assert madagascar.consent.undone and madagascar.consent.undone_date == date(1965, 4, 2)
    assert denunciation_dates(madagascar.consent.note) == (date(1965, 4, 2), date(1966, 4, 2))


def test_un_membership_tables(shared_sources: Path) -> None:
    original = mtdsg_xml.parse(read(shared_sources, f"{XML}/I-1.en.xml"))
    later = mtdsg_xml.parse(read(shared_sources, f"{XML}/I-2.en.xml"))
    names = [row.participant for row in original.rows + later.rows]
    assert len(names) == len(set(names)) == 193
    south_sudan = next(row for row in later.rows if row.participant == "South Sudan")
    assert (south_sudan.consent.kind, south_sudan.consent.date) == ("admission", date(2011, 7, 14))


def test_entity_bomb_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
    <Document><Treaty>&b;</Treaty></Document>"""
    with pytest.raises(Rt2gapsError, match="refused unsafe XML"):
        mtdsg_xml.parse(bomb, "bomb.xml")


def test_csv_scrape(shared_sources: Path) -> None:
    refugees = untc_csv.parse(read(shared_sources, f"{CSV}/5-2.csv"))
    crime = untc_csv.parse(read(shared_sources, f"{CSV}/18-12.csv"))
    assert (count_parties(refugees), count_parties(crime)) == (145, 179)
    original = untc_csv.parse(read(shared_sources, f"{CSV}/1-1.csv"))
    later = untc_csv.parse(read(shared_sources, f"{CSV}/1-2.csv"))
    assert len({row.participant for row in original.rows + later.rows}) == 193
    assert next(r for r in later.rows if r.participant == "St. Lucia").consent.date == date(1979, 9, 18)


def test_grid_that_lost_a_column_names_the_file(shared_sources: Path) -> None:
    page = read(shared_sources, f"{HTML}/cmw.html").decode("utf-8")
    start = page.index("tblgrid")
    broken = page[:start] + page[start:].replace("Ratification, Accession(a)", "", 1)
    broken = broken.replace('<td valign="bottom"><br></td>', "", 1)
    with pytest.raises(SourceLayoutError, match="cmw-broken.html"):
        untc_html.parse(broken.encode("utf-8"), "cmw-broken.html")


def test_unreadable_date_cell_is_a_layout_error() -> None:
    table = b"Participant,Signature,Ratification\nTestland,,31 Foo 2001\n"
    with pytest.raises(SourceLayoutError, match=r"made-up.csv.*Testland"):
        untc_csv.parse(table, "made-up.csv")


def test_footnote_numbers_are_split_from_names() -> None:
    assert split_name("China 5, 6") == ("China", ("5", "6"))
    assert split_name("Bolivia (Plurinational State of)") == ("Bolivia (Plurinational State of)", ())


def test_m49_table(shared_sources: Path) -> None:
    table = m49.parse(read(shared_sources, "ref/m49/UNSD-M49-en-2024-09.csv"))
    assert len(table) == 248 and table["iso3"].is_unique and int(table["ldc"].sum()) == 45
    namibia = table[table["iso3"] == "NAM"].iloc[0]
    assert (namibia["iso2"], int(namibia["m49"])) == ("NA", 516)
    hdx = m49.parse_hdx_taxonomy(read(shared_sources, "ref/m49/hdx-country-taxonomy-4.2.5.csv"))
    assert int(hdx["un_member"].sum()) == 193
