"""Issue 18 (items 1-4, 7): acts told only in the UNTC pages' footnotes, "respectively" lists, article
notations, succession, normalised kinds and whole-statement dispute flags, pinned to the 2026-02-03 pages."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.sources import untc_html
from rt2gaps.sources.untc_statements import (
    RESERVATION,
    articles_named,
    dates_listed,
    normal_kind,
    recognitions_in,
    reservations_recalled_in,
    withdrawals_in,
)

PAGES = "untc/viewdetails-html-2026-02-03"


def _notes(shared: Path, name: str) -> dict[str, str]:
    return untc_html.parse((shared / PAGES / name).read_bytes(), name).footnotes


def _table(instrument: str, iso3: str) -> list[dict[str, str]]:
    with (BUNDLED_SNAPSHOT_DIR / "declarations.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["instrument"] == instrument and r["iso3"] == iso3]


def test_cat_note_18_respectively_one_date_per_state(shared_sources: Path) -> None:
    """cat.html fn 18: "Subsequently, on 1 October 1991, 3 October 2001, and 12 September 2003, respectively,
    the Governments of the Union of Soviet Socialist Republics, Belarus and Ukraine notified the
    Secretary-General that it had decided to withdraw the following reservation with regard to article 20"."""
    note = _notes(shared_sources, "cat.html")["18"]
    on_20 = {who: s.withdrawn_date for who, s in withdrawals_in(note, "Ukraine") if s.articles == ("20",)}
    assert on_20 == {
        "Union of Soviet Socialist Republics": date(1991, 10, 1),
        "Belarus": date(2001, 10, 3),
        "Ukraine": date(2003, 9, 12),
    }


def test_cat_art_20_withdrawals_are_in_the_table() -> None:
    """The table carries each withdrawal of the art. 20 opt-out with its date (notes 18, 20, 23, 24)."""
    expected = {"RUS": "1991-10-01", "BLR": "2001-10-03", "UKR": "2003-09-12", "HUN": "1989-09-13",
                "GTM": "1990-05-30", "CHL": "1990-09-07"}  # fmt: skip
    for iso3, day in expected.items():
        rows = [r for r in _table("CAT", iso3) if r["section"] == "footnote" and {"20", "28", "28(1)"} & set(
            r["articles"].split(";"))]  # fmt: skip
        assert [r["withdrawn_date"] for r in rows] == [day], iso3
        # cat.html fn 20: Chile withdrew "the declaration made by virtue of article 28 (1)" (the page's word)
        assert rows[0]["kind"] == ("declaration" if iso3 == "CHL" else RESERVATION), iso3


def test_bulgaria_respectively_one_date_per_article(shared_sources: Path) -> None:
    """cat.html fn 19: "On 24 June 1992 and 25 June 1999, respectively, the Government of Bulgaria notified the
    Secretary-General of its decision to withdraw the reservations to article 30 (1) and 20"."""
    found = withdrawals_in(_notes(shared_sources, "cat.html")["19"], "Bulgaria")
    assert sorted((s.articles, s.withdrawn_date) for _, s in found) == [
        (("20",), date(1999, 6, 25)),
        (("30(1)",), date(1992, 6, 24)),
    ]


def test_ukraine_competence_declarations_told_in_note_18(shared_sources: Path) -> None:
    """cat.html fn 18: "On 12 September 2003, Ukraine not only had decided to withdraw the reservation under
    article 20 but also the declarations made under articles 21 and 22 whic read as follows: ... Ukraine fully
    recognizes extension to its territory of Article 21 ... Article 22 ..."; Ukraine is listed in the
    competence section with that note."""
    found = recognitions_in(_notes(shared_sources, "cat.html")["18"], "Ukraine")
    assert [(who, s.date, s.articles) for who, s in found] == [
        ("Ukraine", date(2003, 9, 12), ("21",)),
        ("Ukraine", date(2003, 9, 12), ("22",)),
    ]
    rows = [r for r in _table("CAT", "UKR") if r["section"] == "under_article"]
    assert [(r["articles"], r["date"], r["date_basis"]) for r in rows] == [
        ("21", "2003-09-12", "footnote"), ("22", "2003-09-12", "footnote")]  # fmt: skip


def test_czechoslovak_art_41_declaration_carried_by_successors(shared_sources: Path) -> None:
    """iccpr.html fn 7 (cited by the Czech Republic and Slovakia in the art. 41 section): "Subsequently, on
    12 March 1991, the Government of Czechoslovakia had declared the following: [The Czech and Slovak
    Federal Republic] recognizes the competence of the Human Rights Committee ..."."""
    ((who, made),) = recognitions_in(_notes(shared_sources, "iccpr.html")["7"], "Slovakia")
    assert who == "Czechoslovakia" and made.date == date(1991, 3, 12)
    for iso3 in ("CZE", "SVK"):
        rows = [r for r in _table("ICCPR", iso3) if r["section"] == "under_article"]
        assert [(r["date"], r["date_basis"], r["kind"]) for r in rows] == [("1991-03-12", "succession", "declaration")]


def test_germany_iccpr_reservations_recalled_in_note_23(shared_sources: Path) -> None:
    """iccpr.html fn 23: "... call attention to the reservations made by the Federal Republic of Germany upon
    ratification of the Covenant with regard to articles 19, 21 and 22 in conjunction with articles 2 (1),
    14 (3), 14 (5) and 15 (1)."."""
    ((_, recalled),) = reservations_recalled_in(_notes(shared_sources, "iccpr.html")["23"], "Germany")
    assert recalled.articles == ("19", "21", "22", "2(1)", "14(3)", "14(5)", "15(1)")
    (row,) = [r for r in _table("ICCPR", "DEU") if r["section"] == "declarations"]
    assert (row["kind"], row["date_basis"], row["withdrawn_date"]) == ("reservation", "upon_consent", "")


def test_a_list_of_unrelated_states_is_not_a_recalled_reservation(shared_sources: Path) -> None:
    """crc.html: Indonesia's entry has no reservation recalled from a note about "reservations made by Brunei
    Darussalam, Kiribati and Singapore"."""
    rows = [r for r in _table("CRC", "IDN") if r["section"] == "declarations"]
    assert not any("Brunei" in r["text"] for r in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Bahamas, CAT: "as provided for in Article 20 of the UNCAT"
        ("the Committee against Torture as provided for in Article 20 of the UNCAT.", ("20",)),
        # Kuwait, CAT: "With reservations as to article (20) and the provision of paragraph (1) from article (30)"
        (
            "With reservations as to article (20) and the provision of paragraph (1) from article (30) of the "
            "Convention.",
            ("20", "30(1)"),
        ),
        # Bahrain, OPAC: "With reference to Article (3), Paragraph (2) of the Optional Protocol"
        ("With reference to Article (3), Paragraph (2) of the Optional Protocol to the Convention", ("3(2)",)),
        # Kuwait, OPSC: "with a reservation in respect of paragraph 5 of article 3 of the second protocol."
        ("with a reservation in respect of paragraph 5 of article 3 of the second protocol.", ("3(5)",)),
        # United Kingdom, ICCPR: the Charter's articles are not the Covenant's
        (
            "their obligations under Article 1 of the Covenant and their obligations under the Charter (in "
            "particular, under Articles 1, 2 and 73 thereof)",
            ("1",),
        ),
        # Ukraine, CAT note 18: "Article 21 of the 1984 Convention against Torture"
        ("extension to its territory of Article 21 of the 1984 Convention against Torture", ("21",)),
    ],
)
def test_article_notations(text: str, expected: tuple[str, ...]) -> None:
    assert articles_named(text) == expected


def test_dates_listed_share_month_and_year() -> None:
    assert dates_listed("8 March 1989, 19 and 20 April 1989") == [date(1989, 3, 8), date(1989, 4, 19),
                                                                  date(1989, 4, 20)]  # fmt: skip


def test_kinds_normalised_and_page_wording_kept() -> None:
    """Maldives, CRC: headed "Upon signature: Reservations" ("expresses its reservation"); the United Kingdom's
    ICCPR "Declaration" upon ratification reserves "the right to continue to apply such immigration
    legislation" (art. 12 (4))."""
    (maldives,) = [r for r in _table("CRC", "MDV") if r["date"] == "1990-08-21"]
    assert (maldives["kind"], maldives["kind_as_published"]) == ("reservation", "Reservations")
    (uk,) = [r for r in _table("ICCPR", "GBR") if r["section"] == "declarations" and r["date"] == "1976-05-20"]
    assert uk["kind"] == "reservation" and uk["kind_as_published"] == "Declaration" and "12(4)" in uk["articles"]
    assert normal_kind("under_article", "Declaration", "recognizes the competence") == "declaration"
    assert normal_kind("objections", "Declaration", "objects to the reservation") == "objection"
    # op-cedaw: Cuba "does not recognize the competence of the committee established by virtue of articles 8 and 9"
    # under art. 10, which allows that declaration (the Protocol admits no reservation): a declaration
    (cuba,) = [r for r in _table("OP-CEDAW", "CUB") if r["section"] == "declarations"]
    assert cuba["kind"] == "declaration"


def test_dispute_clause_only_reads_the_whole_statement() -> None:
    """Kuwait, ICERD: "its accession does not in any way imply recognition of Israel" besides art. 22;
    Thailand, ICERD: a "General Interpretative Declaration" besides the art. 22 reservation."""
    for iso3 in ("KWT", "THA"):
        rows = [r for r in _table("ICERD", iso3) if "22" in r["articles"].split(";") and r["section"] == "declarations"]
        assert rows and all(r["dispute_clause_only"] == "false" for r in rows), iso3
    (algeria,) = _table("ICRMW", "DZA")
    assert algeria["dispute_clause_only"] == "true"
    (uganda,) = _table("ICRMW", "UGA")
    assert uganda["dispute_clause_only"] == "false" and uganda["articles"] == "18(3)(d)"


def test_procedures_read_the_footnote_acts_and_keep_what_was_right() -> None:
    """The engine reads CAT-20 as not accepted until the art. 20 reservation's withdrawal (notes 18-24), Ukraine's
    art. 21/22 declarations from 12 Sep 2003 and Czechoslovakia's art. 41 declaration for its successors; what
    was right stays right (Afghanistan and Morocco on CAT-20, Colombia on OP-CEDAW-8, Uruguay on ICRMW-77)."""
    from rt2gaps.api import current_snapshot
    from rt2gaps.procedures import ACCEPTED, NOT_ACCEPTED, ProcedureEngine

    engine = ProcedureEngine(current_snapshot())

    def at(iso3: str, procedure: str, day: str) -> tuple[str, str]:
        found = engine.status(iso3, procedure, date.fromisoformat(day))
        return found.status, found.since

    lifted = {"RUS": "1991-10-01", "BLR": "2001-10-03", "UKR": "2003-09-12", "HUN": "1989-09-13",
              "GTM": "1990-05-30", "CHL": "1990-09-07", "BGR": "1999-06-25"}  # fmt: skip
    for iso3, day in lifted.items():
        before = date.fromordinal(date.fromisoformat(day).toordinal() - 1).isoformat()
        assert at(iso3, "CAT-20", before)[0] == NOT_ACCEPTED, iso3
        assert at(iso3, "CAT-20", day) == (ACCEPTED, day), iso3
    for procedure in ("CAT-21", "CAT-22"):
        assert at("UKR", procedure, "2003-09-11")[0] == NOT_ACCEPTED
        assert at("UKR", procedure, "2026-02-03") == (ACCEPTED, "2003-09-12")
    for iso3 in ("CZE", "SVK"):
        assert at(iso3, "ICCPR-41", "2026-02-03")[0] == ACCEPTED
    assert at("AFG", "CAT-20", "2026-02-03") == (ACCEPTED, "2018-04-17")
    assert at("AFG", "CAT-20", "2018-04-16")[0] == NOT_ACCEPTED
    assert at("MAR", "CAT-20", "2026-02-03") == (ACCEPTED, "2006-10-19")
    assert at("COL", "OP-CEDAW-8", "2010-01-01")[0] == NOT_ACCEPTED
    uruguay = engine.status("URY", "ICRMW-77", date(2026, 2, 3))  # declared; art. 77 itself not in force
    assert (uruguay.status, uruguay.declared) == (ACCEPTED, "2012-04-13")
    assert engine.declaration_count("ICERD-14", date(2026, 2, 3)) == 59
    assert engine.declaration_count("CAT-22", date(2026, 2, 3)) == 70  # 69 + Ukraine (note 18)


def test_matrix_mark_follows_the_normalised_kind() -> None:
    """The United Kingdom's ICCPR statement reserving art. 12 (4) makes the pair ``P*``."""
    from rt2gaps.reservations import has_substantive_reservation

    assert has_substantive_reservation(_table("ICCPR", "GBR"))
    assert has_substantive_reservation(_table("ICCPR", "DEU"))
    assert not has_substantive_reservation(_table("ICRMW", "DZA"))  # dispute clause only


def test_one_note_several_withdrawals_each_with_its_reach(shared_sources: Path) -> None:
    """cat.html fn 20: Chile withdrew the art. 28 (1) declaration and "further decided to withdraw the following
    reservations, made upon ratification, to article 2 (3) and article 3"; iccpr.html fn 14: Australia withdrew
    "... with regard to articles 2 and 50, 17, 19, 25 and to partially withdraw its reservations to articles 10
    and 14"; cedaw.html fn 3: Austria's art. 11 reservation "is withdrawn with regard to the night work of
    women. The Republic of Austria maintains the reservation with regard to the special protection"."""
    chile = withdrawals_in(_notes(shared_sources, "cat.html")["20"], "Chile")
    assert [(s.articles, s.withdrawn_date) for _, s in chile] == [
        (("28(1)", "20"), date(1990, 9, 7)), (("2(3)", "3"), date(1990, 9, 7))]  # fmt: skip
    assert chile[1][1].text.startswith("(a) [To] Article 2, paragraph 3")
    australia = withdrawals_in(_notes(shared_sources, "iccpr.html")["14"], "Australia")
    assert [(s.articles, s.withdrawal) for _, s in australia] == [
        (("2", "50", "17", "19", "25"), "whole"), (("10", "14"), "partial")]  # fmt: skip
    austria = withdrawals_in(_notes(shared_sources, "cedaw.html")["3"], "Austria")
    assert [(s.articles, s.withdrawal) for _, s in austria] == [(("7(b)",), "whole"), (("11",), "partial")]
    # the reservation the note quotes stands for what was not withdrawn
    (standing,) = [r for r in _table("CEDAW", "AUT") if r["section"] == "declarations"]
    assert (standing["articles"], standing["withdrawn_date"]) == ("11", "")
    # crc.html fn 62: Thailand's reservation on arts. 7, 22 and 29 withdrawn piece by piece, the last in 2024
    (thailand,) = [r for r in _table("CRC", "THA") if r["section"] == "declarations"]
    assert thailand["withdrawn_date"] == "2024-08-30"


def test_dispute_only_skips_the_depositary_aside_and_reads_the_said_article() -> None:
    """cerd.html, China: "... will not be bound by it. (The reservation was circulated by the Secretary-General
    on 13 January 1982.)"; cedaw.html, Myanmar under "Article 29": "does not consider itself bound by the
    provision set forth in the said article"."""
    (china,) = [r for r in _table("ICERD", "CHN") if r["articles"] == "22"]
    assert china["dispute_clause_only"] == "true"
    (myanmar,) = [r for r in _table("CEDAW", "MMR") if r["articles"] == "29"]
    assert myanmar["dispute_clause_only"] == "true"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Netherlands on Yemen, ICERD: "article 5 (c) and article 5 (d) (iv), (vi) and (vii)"
        (
            "concerning article 5 (c) and article 5 (d) (iv), (vi) and (vii)",
            ("5(c)", "5(d)(iv)", "5(d)(vi)", "5(d)(vii)"),
        ),
        # Ireland, CEDAW note 28: "its reservation to articles 13(b) and (c)"
        ("withdraw its reservation to articles 13(b) and (c) made upon accession", ("13(b)", "13(c)")),
        # Lebanon, CEDAW: "article 16, paragraph 1 (c) (d) (f) and (g)"
        ("article 16, paragraph 1 (c) (d) (f) and (g)", ("16(1)(c)", "16(1)(d)", "16(1)(f)", "16(1)(g)")),
        ("article 5 (d) (v)", ("5(d)(v)",)),  # a roman numeral after a letter is not another subparagraph
        # Peru, OPAC: "in compliance with its article 3, paragraph 2" (its = the Protocol)
        (
            "the Optional Protocol ... the Government of Peru declares that, in compliance with its article 3, "
            "paragraph 2, the minimum age",
            ("3(2)",),
        ),
        # Cabo Verde, OPAC: "Decree-Law No. 37/96 ... states the following in its article 60"
        ("Decree-Law No. 37/96 of 30 September 1986 ... states the following in its article 60:", ()),
        # Guatemala, OPAC: "In conformity with article 3, paragraph 2 of the aforementioned Protocol"
        ("In conformity with article 3, paragraph 2 of the aforementioned Protocol, the Government", ("3(2)",)),
    ],
)
def test_more_article_notations(text: str, expected: tuple[str, ...]) -> None:
    assert articles_named(text) == expected


def test_articles_of_the_other_covenant_are_not_the_instruments() -> None:
    """icescr.html, Hungary upon signature: "paragraph 1 of article 26 of the International Covenant on Economic,
    Social and Cultural Rights and paragraph 1 of article 48 of the International Covenant on Civil and
    Political Rights": on the ICESCR only 26(1) is its own."""
    from rt2gaps.snapshot.declarations import other_titles

    text = ("paragraph 1 of article 26 of the International Covenant on Economic, Social and Cultural Rights and "
            "paragraph 1 of article 48 of the International Covenant on Civil and Political Rights")  # fmt: skip
    assert articles_named(text, other_titles("ICESCR")) == ("26(1)",)
    assert articles_named(text, other_titles("ICCPR")) == ("48(1)",)
    (hungary,) = [r for r in _table("ICESCR", "HUN") if r["date_basis"] == "upon_signature"]
    assert hungary["articles"] == "26(1)"


def test_more_kinds_and_articles_from_the_pages() -> None:
    """iccpr.html, Guyana: headed "In respect of sub-paragraph (d) of paragraph 3 of article 14", "full application
    cannot be guaranteed at this time", and "In respect of paragraph 6 of article 14", "it is not possible at this
    time to implement such a principle" (reservations in substance); icescr.html, Pakistan: "Upon ratification"
    then "Reservation:"; crc_op_ac.html, Ghana: "Armed Forces Regulations Volume 1, Article 6.01 (1) (c)" is not
    the Protocol's article 6."""
    guyana = _table("ICCPR", "GUY")
    assert [(r["kind"], r["articles"]) for r in guyana if r["section"] == "declarations"] == [
        ("reservation", "14(3)(d)"), ("reservation", "14(6)")]  # fmt: skip
    (pakistan,) = [r for r in _table("ICESCR", "PAK") if r["section"] == "declarations"]
    assert (pakistan["kind"], pakistan["kind_as_published"]) == ("reservation", "Reservation")
    (ghana,) = [r for r in _table("OPAC", "GHA") if r["section"] == "declarations"]
    assert ghana["articles"] == "3(2)"


def test_a_table_written_before_the_normalised_kinds_still_reads(tmp_path: Path) -> None:
    """A user's snapshot built by an earlier version has the page's wording in ``kind`` and no
    ``kind_as_published``: the reservations rows and the ``P*`` test still work on it."""
    import shutil

    from rt2gaps.reservations import has_substantive_reservation, reservation_rows
    from rt2gaps.snapshot.store import load_snapshot

    folder = tmp_path / "snapshot"
    shutil.copytree(BUNDLED_SNAPSHOT_DIR, folder)
    path = folder / "declarations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c != "kind_as_published"]
        rows = [{**{c: r[c] for c in columns}, "kind": r["kind_as_published"]} for r in reader]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    found = reservation_rows(load_snapshot(folder), "ICRMW", "DZA")
    assert [(r["kind"], r["kind_as_published"], r["articles"]) for r in found] == [
        ("Reservation", "Reservation", "92(1)")]  # fmt: skip
    assert not has_substantive_reservation(found)
    assert has_substantive_reservation(reservation_rows(load_snapshot(folder), "ICRMW", "UGA"))


def test_notes_worded_otherwise(shared_sources: Path) -> None:
    """cerd.html fn 10: Denmark "notified the Secretary-General that it withdrew the reservation made with regard to
    the implementation on the Faroe Islands" (4 October 1972); iccpr_op1.html fn 2: "On that same date, the
    Government of Guyana re-acceded to the Optional Protocol with a reservation."; crc.html, Kiribati: "the rights
    defined in articles 12-16"."""
    ((_, denmark),) = withdrawals_in(_notes(shared_sources, "cerd.html")["10"], "Denmark")
    assert denmark.withdrawn_date == date(1972, 10, 4)
    ((who, guyana),) = reservations_recalled_in(_notes(shared_sources, "iccpr_op1.html")["2"], "Guyana")
    assert who == "Guyana" and guyana.kind == "Reservation"
    (row,) = [r for r in _table("ICCPR-OP1", "GUY") if r["section"] == "declarations"]
    assert (row["kind"], row["date"], row["withdrawn_date"]) == ("reservation", "1999-01-05", "")
    assert articles_named("the rights defined in articles 12-16 shall be") == ("12", "13", "14", "15", "16")


def test_withdrawal_and_notification_entries() -> None:
    """cat.html, Poland's entry: "On 19 December 2025, Poland informed the Secretary-General that it withdraws its
    reservation to Article 30 paragraph 1 made upon signature." is a withdrawal, not a reservation."""
    (poland,) = [r for r in _table("CAT", "POL") if r["date"] == "2025-12-19"]
    assert (poland["kind"], poland["articles"], poland["withdrawn_date"]) == ("withdrawal", "30(1)", "2025-12-19")
    assert (
        normal_kind(
            "declarations",
            "Declaration",
            "On 10 December 2009, the Secretary-General received from the "
            "Government of Brazil, the following communication: In reference to",
        )
        == "notification"
    )


def test_a_withdrawal_keeps_the_text_it_quotes_after_the_following(shared_sources: Path) -> None:
    """crc.html fn 22: Andorra "notified the Secretary-General that it had decided to withdraw the following
    declaration made upon ratification:B. The Principality of Andorra will apply the provisions of articles 7 and 8
    ..."; cat.html fn 20's first act keeps its own words, not those of the reservations "further" withdrawn."""
    ((_, andorra),) = [w for w in withdrawals_in(_notes(shared_sources, "crc.html")["22"], "Andorra")]
    assert andorra.text.startswith("B. The Principality of Andorra will apply") and andorra.articles == ("7", "8")
    chile = withdrawals_in(_notes(shared_sources, "cat.html")["20"], "Chile")
    assert chile[0][1].text.startswith("it had decided to withdraw the declaration made by virtue of article 28 (1)")


def test_a_partly_withdrawn_reservation_still_marks_the_matrix() -> None:
    """iccpr.html fn 30: Kuwait decided "to partially withdraw the reservation to article 25 (b)": the rest stands."""
    from rt2gaps.reservations import has_substantive_reservation

    rows = _table("ICCPR", "KWT")
    assert [(r["articles"], r["withdrawal"]) for r in rows if r["withdrawn_date"]] == [("25(b)", "partial")]
    assert has_substantive_reservation(rows)


def test_reserving_the_right_to_reserve_later_is_not_a_reservation() -> None:
    """crc.html, United Kingdom upon signature: "reserves the right to formulate, upon ratifying the Convention, any
    reservations or interpretative declarations"; ced.html, Venezuela: "Reservation made upon signature: ... hereby
    formulates a specific reservation concerning the provisions of paragraph 1 of that article"."""
    (uk,) = [r for r in _table("CRC", "GBR") if r["date_basis"] == "upon_signature"]
    assert uk["kind"] == "declaration"
    (venezuela,) = [r for r in _table("CPED", "VEN") if r["section"] == "declarations"]
    found = (venezuela["kind"], venezuela["articles"], venezuela["dispute_clause_only"])
    assert found == ("reservation", "42(2)", "true")


def test_the_remaining_reservation_a_withdrawal_notice_quotes_stands() -> None:
    """cedaw.html, DPR Korea: "On 23 November 2015, ... withdraw the reservations to paragraph (f) of article 2 and
    paragraph 2 of article 9 of the Convention. The remaining reservation reads as follows: “The Government of the
    Democratic People’s Republic of Korea does not consider itself bound by the provisions article 29 ...”"."""
    rows = [r for r in _table("CEDAW", "PRK") if r["section"] == "declarations"]
    assert sorted((r["kind"], r["articles"], r["withdrawn_date"]) for r in rows) == [
        ("reservation", "29", ""), ("withdrawal", "2(f);9(2)", "2015-11-23")]  # fmt: skip


def test_paragraph_lists_and_roman_article_numbers() -> None:
    """crpd.html, Bhutan: "paragraph 1(a) and paragraph 2 of Article 18, paragraphs 1(b) and (c) of Article 23,
    paragraphs 1(c) of Article 27, and section (a) (ii) of Article 29 of the United Nations Convention"; the 1967
    Refugee Protocol numbers its articles in Roman numerals (Ghana: "not ... bound by article IV of the Protocol
    regarding the settlement of disputes", the dispute clause)."""
    text = ("does not consider itself bound by paragraph 1(a) and paragraph 2 of Article 18, paragraphs 1(b) and (c) "
            "of Article 23, paragraphs 1(c) of Article 27, and section (a) (ii) of Article 29 of the United Nations "
            "Convention on [the] Rights of Persons with Disabilities.")  # fmt: skip
    assert articles_named(text) == ("18(1)(a)", "18(2)", "23(1)(b)", "23(1)(c)", "27(1)(c)", "29(a)(ii)")
    assert articles_named("the reservations to the provisions of paragraphs 5 and 7 of article 14 and article 22") == (
        "14(5)", "14(7)", "22")  # fmt: skip
    (ghana,) = [r for r in _table("REFUGEE-1967", "GHA") if r["section"] == "declarations"]
    assert (ghana["articles"], ghana["dispute_clause_only"]) == ("4", "true")


def test_a_reservation_is_listed_once_and_a_withdrawn_portion_is_whole(shared_sources: Path) -> None:
    """iccpr.html fn 34: Mexico's 2002 "partial withdrawal of its reservation to article 25 (b)" quotes the text as
    made, while the entry carries what stands; in 2014 "The portion of the reservation which has been withdrawn
    read as follows: Article 13 ..." (that portion is withdrawn whole)."""
    from rt2gaps.reservations import standing_reservations

    found = {s.articles: s.withdrawal for _, s in withdrawals_in(_notes(shared_sources, "iccpr.html")["34"], "Mexico")}
    assert found == {("25(b)",): "partial", ("13",): "whole"}
    standing = standing_reservations(_table("ICCPR", "MEX"))
    assert [(r["section"], r["articles"]) for r in standing] == [("declarations", "25(b)")]
    assert [r["articles"] for r in standing_reservations(_table("ICCPR", "KWT"))] == ["25(b)"]
