"""The three UNTC parsers and their shared cell reader, checked against the real files' own counts.

Expected values below were read from the raw files themselves (page headers, Status elements,
cells); none is typed from memory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rt2gaps.errors import Rt2gapsError, SourceLayoutError
from rt2gaps.sources import mtdsg_xml, untc_csv, untc_html
from rt2gaps.sources.records import (
    ACCEPTANCE,
    ACCESSION,
    ADMISSION,
    APPROVAL,
    FORMAL_CONFIRMATION,
    RATIFICATION,
    SIGNATURE,
    SUCCESSION,
    SUCCESSION_TO_SIGNATURE,
)
from rt2gaps.sources.untc_cells import (
    column_kinds,
    count_parties,
    count_signatories,
    denunciation_dates,
    mtdsg_number,
    read_cell,
    split_name,
)

HTML = "untc/viewdetails-html-2026-02-03"
XML = "untc/mtdsg-xml-2018-01"
CSV = "untc/scrape-csv-2015-03-14"
PAGE_NUMBERS = {
    "cerd": "IV-2", "icescr": "IV-3", "icescr_op": "IV-3-a", "iccpr": "IV-4", "iccpr_op1": "IV-5",
    "iccpr_op2": "IV-12", "cedaw": "IV-8", "cedaw_op": "IV-8-b", "cat": "IV-9", "cat_op": "IV-9-b",
    "crc": "IV-11", "crc_op_ac": "IV-11-b", "crc_op_sc": "IV-11-c", "crc_op_ic": "IV-11-d", "cmw": "IV-13",
    "crpd": "IV-15", "crpd_op": "IV-15-a", "ced": "IV-16",
}  # fmt: skip
FULL_XML = [
    "I-1", "IV-3-a", "IV-5", "IV-8-b", "IV-9-b", "IV-11-c", "IV-12", "IV-13", "IV-15-a", "IV-16",
    "V-3", "V-4", "V-5", "XVIII-12-a", "XVIII-12-b",
]  # fmt: skip
HEADER_ONLY_XML = ["IV-2", "IV-3", "IV-4", "IV-8", "IV-9", "IV-11", "IV-11-b", "IV-15", "V-2", "XVIII-12"]


def page(shared: Path, name: str) -> untc_html.ParsedSource:
    return untc_html.parse((shared / HTML / f"{name}.html").read_bytes(), f"{name}.html")


def xml(shared: Path, number: str) -> mtdsg_xml.ParsedSource:
    return mtdsg_xml.parse((shared / XML / f"{number}.en.xml").read_bytes(), f"{number}.en.xml")


def scrape(shared: Path, name: str) -> untc_csv.ParsedSource:
    return untc_csv.parse((shared / CSV / name).read_bytes(), name)


def row(parsed, participant: str):
    return next(r for r in parsed.rows if r.participant == participant)


# --- ViewDetails HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGE_NUMBERS))
def test_every_page_reproduces_its_own_header_counts(shared_sources: Path, name: str) -> None:
    parsed = page(shared_sources, name)
    assert parsed.format == "untc-html" and parsed.as_of == date(2026, 2, 3)
    assert parsed.source_key == PAGE_NUMBERS[name]
    assert count_parties(parsed) == parsed.header_counts["parties"]
    assert count_signatories(parsed) == parsed.header_counts["signatories"]
    assert len(parsed.columns) == 3 and parsed.columns[0] == "Participant"
    assert parsed.title and not parsed.title[0].isdigit() and parsed.entry_into_force
    assert all(r.participant and not r.participant[-1].isdigit() for r in parsed.rows)


def test_icrmw_page(shared_sources: Path) -> None:
    parsed = page(shared_sources, "cmw")
    assert parsed.header_counts == {"signatories": 40, "parties": 60}
    assert (count_parties(parsed), count_signatories(parsed)) == (60, 40)
    assert parsed.title.startswith("International Convention on the Protection of the Rights of All Migrant")
    assert parsed.entry_into_force.startswith("1 July 2003")
    turkiye = row(parsed, "Türkiye")  # the cell is a declarations link
    assert (turkiye.signature.kind, turkiye.signature.date) == (SIGNATURE, date(1999, 1, 13))
    assert (turkiye.consent.kind, turkiye.consent.date) == (RATIFICATION, date(2004, 9, 27))
    # one succession to signature: without it the signatories would be 39
    assert sum(1 for r in parsed.rows if r.signature and r.signature.kind == SUCCESSION_TO_SIGNATURE) == 1


def test_bracketed_acts_are_undone_and_dated_from_their_footnote(shared_sources: Path) -> None:
    parsed = page(shared_sources, "iccpr_op1")
    undone = {r.participant for r in parsed.rows if r.consent and r.consent.undone}
    assert undone == {"Belarus", "Jamaica", "Trinidad and Tobago"}
    jamaica = row(parsed, "Jamaica")
    assert jamaica.footnotes == ("3",)
    assert jamaica.consent.raw == "[ 3 Oct 1975 ]" and jamaica.consent.date == date(1975, 10, 3)
    assert (jamaica.consent.undone_date, jamaica.consent.undone_precision) == (date(1997, 10, 23), "day")
    assert "Jamaica notified the Secretary-General" in jamaica.consent.note
    assert denunciation_dates(jamaica.consent.note) == (date(1997, 10, 23), None)  # no effect date stated
    # Jamaica's signature is bracketed too: it is why the page says 35 signatories, not 36
    assert jamaica.signature.undone and sum(1 for r in parsed.rows if r.signature) == 36
    assert count_signatories(parsed) == parsed.header_counts["signatories"] == 35
    belarus = row(parsed, "Belarus").consent
    assert (belarus.raw, belarus.kind, belarus.undone_date) == ("[30 Sep 1992 a]", ACCESSION, date(2022, 11, 8))


def test_names_come_through_clean(shared_sources: Path) -> None:
    parsed = page(shared_sources, "iccpr_op1")
    netherlands = row(parsed, "Netherlands (Kingdom of the)")
    assert netherlands.footnotes == ("9",) and not netherlands.consent.undone
    assert row(parsed, "Bolivia (Plurinational State of)").footnotes == ()
    assert parsed.columns[0] == "Participant"  # the header's own footnote links are not part of its text


def test_european_union_formal_confirmation(shared_sources: Path) -> None:
    parsed = page(shared_sources, "crpd")
    union = row(parsed, "European Union")
    assert (union.consent.kind, union.consent.date, union.consent.raw) == (
        FORMAL_CONFIRMATION,
        date(2010, 12, 23),
        "23 Dec 2010 c",
    )
    assert count_parties(parsed) == 193  # the page's own count includes the Union


def test_a_grid_that_lost_its_third_column_names_the_file(shared_sources: Path) -> None:
    text = (shared_sources / HTML / "cmw.html").read_text(encoding="utf-8")
    start = text.index("tblgrid")
    end = text.index("</table>", start)
    grid = text[start:end].replace("Ratification, Accession(a), Succession(d)", "")
    rows = grid.split("</tr>")
    rows = [r[: r.rindex("<td")] if "<td" in r else r for r in rows]  # drop each row's last cell
    broken = text[:start] + "</tr>".join(rows) + text[end:]
    with pytest.raises(SourceLayoutError, match=r"cmw-two-columns\.html: expected a 3-column grid header"):
        untc_html.parse(broken.encode("utf-8"), "cmw-two-columns.html")


def test_an_unreadable_date_cell_names_the_file_and_the_row(shared_sources: Path) -> None:
    text = (shared_sources / HTML / "cmw.html").read_text(encoding="utf-8")
    at = text.index("<td>13 Jan\t 1999 <br></td>")  # Türkiye's signature cell
    broken = text[:at] + "<td>13 Janvember 1999<br></td>" + text[at + len("<td>13 Jan\t 1999 <br></td>") :]
    with pytest.raises(SourceLayoutError, match=r"cmw-bad-date\.html: .*Türkiye.*13 Janvember 1999"):
        untc_html.parse(broken.encode("utf-8"), "cmw-bad-date.html")


def test_a_page_without_the_grid_says_so() -> None:
    with pytest.raises(SourceLayoutError, match="saved.html: expected one participant table"):
        untc_html.parse(
            b"<html><body><table id='x_tblDec'><tr><td>Participant</td></tr></table></body></html>", "saved.html"
        )


# --- MTDSG XML --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", FULL_XML)
def test_every_full_xml_table_reproduces_its_status(shared_sources: Path, number: str) -> None:
    parsed = xml(shared_sources, number)
    assert parsed.format == "mtdsg-xml" and parsed.as_of is None and parsed.source_key == number
    assert parsed.rows and count_parties(parsed) == parsed.header_counts["parties"]
    if number == "V-3":
        # The file's own disagreement: Status says 23 signatories, the table holds 22 signature cells
        # (the 2015 CSV scrape of V-3 also has 22). Nothing in the file says which one is missing.
        assert (parsed.header_counts["signatories"], count_signatories(parsed)) == (23, 22)
        assert sum(1 for r in scrape(shared_sources, "5-3.csv").rows if r.signature) == 22
    elif "signatories" in parsed.header_counts:
        assert count_signatories(parsed) == parsed.header_counts["signatories"]
    else:  # I-1 and V-5 have no signature column
        assert len(parsed.columns) == 2 and all(r.signature is None for r in parsed.rows)


@pytest.mark.parametrize("number", HEADER_ONLY_XML)
def test_header_only_xml_gives_counts_and_no_rows(shared_sources: Path, number: str) -> None:
    parsed = xml(shared_sources, number)
    assert parsed.rows == [] and parsed.header_counts["parties"] > 0 and parsed.source_key == number
    assert parsed.title


def test_header_only_totals(shared_sources: Path) -> None:
    assert xml(shared_sources, "V-2").header_counts["parties"] == 145
    assert xml(shared_sources, "XVIII-12").header_counts["parties"] == 189


def test_xml_details(shared_sources: Path) -> None:
    protocol = xml(shared_sources, "IV-11-c")
    assert protocol.title.startswith("Optional Protocol to the Convention on the Rights of the Child on the sale")
    assert protocol.entry_into_force == "18 January 2002, in accordance with article 14(1)."
    trafficking = xml(shared_sources, "XVIII-12-a")
    assert any(r.consent and r.consent.kind == APPROVAL and r.consent.raw == "6 Sep 2006 AA" for r in trafficking.rows)
    madagascar = row(xml(shared_sources, "V-3"), "Madagascar")
    assert madagascar.consent.undone and madagascar.consent.undone_date == date(1965, 4, 2)
    assert denunciation_dates(madagascar.consent.note) == (date(1965, 4, 2), date(1966, 4, 2))
    charter = xml(shared_sources, "I-1")
    assert {r.consent.kind for r in charter.rows} == {RATIFICATION}


def test_un_members_from_i1_and_i2(shared_sources: Path) -> None:
    original, later = xml(shared_sources, "I-1"), xml(shared_sources, "I-2")
    assert later.header_counts == {"members": 144} and len(later.rows) == 144
    assert {r.consent.kind for r in later.rows} == {ADMISSION}
    south_sudan = row(later, "South Sudan").consent
    assert (south_sudan.date, south_sudan.raw) == (date(2011, 7, 14), "14 Jul 2011")
    names = [r.participant for r in original.rows + later.rows]
    assert len(names) == len(set(names)) == 193


def test_control_bytes_and_bare_ampersands_are_repaired() -> None:
    text = mtdsg_xml.sanitise(
        b'<?xml version="1.0" encoding="iso-8859-1"?><a>1990\x132000 \x1cA & B\x1d &amp; \xe9</a>'
    )
    assert text == "<a>1990\u20132000 \u201cA &amp; B\u201d &amp; \xe9</a>"


def test_an_entity_bomb_is_refused_not_expanded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    declarations = f'<!DOCTYPE Document [<!ENTITY l0 "lol">{lol}]>'
    bomb = f'<?xml version="1.0"?>{declarations}<Document><Treaty>&l9;</Treaty></Document>'
    with pytest.raises(Rt2gapsError, match=r"bomb\.xml: refused unsafe XML"):
        mtdsg_xml.parse(bomb.encode("ascii"), "bomb.xml")
    external = b'<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document><Treaty>&x;</Treaty></Document>'
    with pytest.raises(Rt2gapsError, match="refused unsafe XML"):
        mtdsg_xml.parse(external, "external.xml")


def test_broken_xml_is_a_layout_error() -> None:
    with pytest.raises(SourceLayoutError, match="cut.xml: expected well-formed MTDSG XML"):
        mtdsg_xml.parse(b"<Document><Treaty>", "cut.xml")


# --- 2015 CSV scrape --------------------------------------------------------------------------


def test_csv_consent_counts(shared_sources: Path) -> None:
    refugees, crime = scrape(shared_sources, "5-2.csv"), scrape(shared_sources, "18-12.csv")
    assert (count_parties(refugees), count_parties(crime)) == (145, 179)
    assert refugees.as_of is None and refugees.columns[2] == "Accession(a), Succession(d), Ratification"


def test_csv_un_members(shared_sources: Path) -> None:
    original, later = scrape(shared_sources, "1-1.csv"), scrape(shared_sources, "1-2.csv")
    assert {r.consent.kind for r in original.rows} == {RATIFICATION}
    assert {r.consent.kind for r in later.rows} == {ADMISSION}
    names = [r.participant for r in original.rows + later.rows]
    assert len(names) == len(set(names)) == 193
    # "Date of Adoption" is read, not the "Registration Date" beside it ("5 Sept 2000" there)
    assert row(later, "Tuvalu").consent.date == date(2000, 9, 5)


def test_csv_bad_date_cell() -> None:
    table = b"Participant,Signature,Ratification\nTestland,,31 Foo 2001\n"
    with pytest.raises(SourceLayoutError, match=r"made-up\.csv: .*Testland"):
        untc_csv.parse(table, "made-up.csv")


# --- shared cell reading ----------------------------------------------------------------------


def test_header_suffixes() -> None:
    kind, suffixes = column_kinds("Ratification, Acceptance(A), Accession(a), Succession(d)", "consent", "t")
    assert (kind, suffixes) == (RATIFICATION, {"A": ACCEPTANCE, "a": ACCESSION, "d": SUCCESSION})
    assert column_kinds("Signature, Succession to signature(d)", "signature", "t") == (
        SIGNATURE,
        {"d": SUCCESSION_TO_SIGNATURE},
    )
    kind, suffixes = column_kinds("Formal confirmation(c), Accession(a), Ratification", "consent", "t")
    assert (kind, suffixes) == (RATIFICATION, {"c": FORMAL_CONFIRMATION, "a": ACCESSION})
    with pytest.raises(SourceLayoutError, match="t: expected known act words"):
        column_kinds("Ratification, Adhesion(x)", "consent", "t")


def test_date_cells() -> None:
    suffixes = {"a": ACCESSION}
    act = read_cell(" &nbsp;5 Jun\t 2007 a", RATIFICATION, suffixes, "t", "row 1")
    assert (act.kind, act.date, act.raw, act.undone) == (ACCESSION, date(2007, 6, 5), "5 Jun 2007 a", False)
    assert read_cell("[ &nbsp;3 Oct\t 1975 ]", RATIFICATION, suffixes, "t", "row 1").undone
    assert read_cell("&nbsp;", RATIFICATION, suffixes, "t", "row 1") is None
    for bad in ("[3 Oct 1975", "3 Oct 1975 x", "3 Octember 1975"):
        with pytest.raises(SourceLayoutError, match="t: expected"):
            read_cell(bad, RATIFICATION, suffixes, "t", "row 1")


def test_names_and_numbers() -> None:
    assert split_name("China 5, 6") == ("China", ("5", "6"))
    assert split_name("Jamaica 3") == ("Jamaica", ("3",))
    assert split_name("Bolivia (Plurinational State of)") == ("Bolivia (Plurinational State of)", ())
    assert mtdsg_number("CHAPTER IV", "9", "b") == "IV-9-b"
    assert mtdsg_number("CHAPTER XVIII", "12", "") == "XVIII-12"
    assert mtdsg_number("HUMAN RIGHTS", "9") is None


def test_a_reservation_withdrawal_is_not_a_denunciation(shared_sources: Path) -> None:
    notes = page(shared_sources, "iccpr_op1").footnotes
    assert "withdraws the reservation" in notes["11"]
    assert denunciation_dates(notes["11"]) == (None, None)
    # footnote 1 quotes a first denunciation, a re-accession, then a second one: the latest counts
    assert denunciation_dates(notes["1"]) == (date(2000, 3, 27), date(2000, 6, 27))
