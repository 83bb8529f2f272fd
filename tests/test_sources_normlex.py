"""NORMLEX parsers: the comparative table (real CSVs, made-up HTML) and the per-convention page (made-up)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rt2gaps.errors import SourceLayoutError
from rt2gaps.sources import normlex_convention, normlex_table
from rt2gaps.sources.records import DAY, RATIFICATION, YEAR

FIXTURES = Path(__file__).parent / "fixtures" / "normlex"
TABLE_DIR = "ilo/normlex-fundamentals-2026-07"
CSV_FILES = ("ILO_Conventions.csv", "ilo-core-conventions.csv")


def _csv(shared_sources: Path, name: str) -> bytes:
    return (shared_sources / TABLE_DIR / name).read_bytes()


def _by_key(parsed) -> dict[tuple[str, str], object]:
    return {(row.participant, row.instrument): row for row in parsed.rows}


# --- comparative table, real CSVs -------------------------------------------------------------


@pytest.mark.parametrize("name", CSV_FILES)
def test_real_csv_counts(shared_sources: Path, name: str) -> None:
    parsed = normlex_table.parse_csv(_csv(shared_sources, name), name)
    assert parsed.format == "normlex-table"
    assert parsed.as_of is None
    assert parsed.extra["countries"] == "187"
    assert parsed.header_counts["countries"] == 187
    assert parsed.header_counts["C098"] == 168  # as the English NORMLEX C098 page states (README.md)
    assert sum(1 for row in parsed.rows if row.instrument == "C098") == 168
    assert len(normlex_table.parse_csv_members(_csv(shared_sources, name), name)) == 187
    assert all(row.consent.kind == RATIFICATION and row.consent.precision == YEAR for row in parsed.rows)


@pytest.mark.parametrize("name", CSV_FILES)
def test_real_csv_denunciations(shared_sources: Path, name: str) -> None:
    rows = _by_key(normlex_table.parse_csv(_csv(shared_sources, name), name))
    for country, denounced in (("Malaysia", 1990), ("Singapore", 1979)):
        act = rows[(country, "C105")].consent
        assert act.undone
        assert act.undone_date == date(denounced, 1, 1)
        assert act.undone_precision == YEAR
    assert sum(row.consent.undone for row in rows.values()) == 2


def test_real_csv_business_date_and_iso2(shared_sources: Path) -> None:
    first = normlex_table.parse_csv(_csv(shared_sources, CSV_FILES[0]), CSV_FILES[0])
    second = normlex_table.parse_csv(_csv(shared_sources, CSV_FILES[1]), CSV_FILES[1])
    assert first.extra["business_date"] == "2026-06-04"
    assert "business_date" not in second.extra
    assert all(row.iso2 is None for row in first.rows)
    members = dict(normlex_table.parse_csv_members(_csv(shared_sources, CSV_FILES[1]), CSV_FILES[1]))
    assert members["Namibia"] == "NA"  # not read as a missing value
    assert members["Cook Islands"] == "CK"


def test_real_csvs_agree_except_known_differences(shared_sources: Path) -> None:
    """Same 187 names; same years; the later scrape adds Nepal P029 and writes denunciations in words."""
    first, second = (normlex_table.parse_csv(_csv(shared_sources, name), name) for name in CSV_FILES)
    assert [m for m, _ in normlex_table.parse_csv_members(_csv(shared_sources, CSV_FILES[0]), "a")] == [
        m for m, _ in normlex_table.parse_csv_members(_csv(shared_sources, CSV_FILES[1]), "b")
    ]
    rows_a, rows_b = _by_key(first), _by_key(second)
    assert set(rows_b) - set(rows_a) == {("Nepal", "P029")}
    assert set(rows_a) - set(rows_b) == set()
    assert rows_b[("Nepal", "P029")].consent.date == date(2026, 1, 1)
    raw_differs = {key for key in rows_a if rows_a[key].consent.raw != rows_b[key].consent.raw}
    assert raw_differs == {("Malaysia", "C105"), ("Singapore", "C105")}
    for key, row in rows_a.items():
        a, b = row.consent, rows_b[key].consent
        assert (a.date, a.undone, a.undone_date) == (b.date, b.undone, b.undone_date), key


# --- comparative table, bad input -------------------------------------------------------------

_GOOD_HEADER = "country,country_iso,C087,C098,C029,P029,C105,C100,C111,C138,C182,C155,C187"


def test_csv_lost_instrument_column_names_column_and_file() -> None:
    data = (_GOOD_HEADER.replace(",C155", "") + "\nAlbania,AL,2090,,,,,,,,,\n").encode()
    with pytest.raises(SourceLayoutError) as error:
        normlex_table.parse_csv(data, "lost-column.csv")
    assert "lost-column.csv" in str(error.value)
    assert "C155" in str(error.value)


def test_csv_unreadable_cell_raises() -> None:
    data = (_GOOD_HEADER + "\nAlbania,AL,20x0,,,,,,,,,,\n").encode()
    with pytest.raises(SourceLayoutError, match=r"bad\.csv.*Albania.*C087.*20x0"):
        normlex_table.parse_csv(data, "bad.csv")


def test_csv_without_country_column_raises() -> None:
    data = (_GOOD_HEADER.replace("country,", "nation,") + "\nAlbania,AL,,,,,,,,,,,\n").encode()
    with pytest.raises(SourceLayoutError, match="country column"):
        normlex_table.parse_csv(data, "no-country.csv")


# --- comparative table, made-up HTML ----------------------------------------------------------


def test_html_table_fixture() -> None:
    data = (FIXTURES / "table.html").read_bytes()
    parsed = normlex_table.parse_html(data, "table.html")
    rows = _by_key(parsed)
    assert parsed.format == "normlex-table"
    assert set(rows) == {
        ("Albania", "C087"), ("Albania", "C098"), ("Albania", "C105"), ("Albania", "C100"), ("Albania", "C182"),
        ("Côte d'Ivoire", "C029"), ("Côte d'Ivoire", "P029"), ("Côte d'Ivoire", "C187"),
    }  # fmt: skip
    denounced = rows[("Albania", "C105")].consent
    assert denounced.undone and denounced.date == date(2092, 1, 1) and denounced.undone_date == date(2098, 1, 1)
    assert rows[("Albania", "C100")].consent.raw == "2093"
    assert parsed.header_counts["countries"] == 3 and parsed.header_counts["C111"] == 0
    # Tuvalu ratified nothing, yet is a member; the footnote row is not.
    assert normlex_table.parse_html_members(data, "table.html") == [
        ("Albania", None), ("Côte d'Ivoire", None), ("Tuvalu", None),
    ]  # fmt: skip


def test_html_without_table_names_file() -> None:
    with pytest.raises(SourceLayoutError, match=r"empty-page\.html"):
        normlex_table.parse_html(b"<html><body><p>Access denied</p></body></html>", "empty-page.html")


# --- per-convention page, made-up EN and FR fixtures ------------------------------------------


def _page(language: str):
    name = f"convention_{language}.html"
    return normlex_convention.parse((FIXTURES / name).read_bytes(), name)


def test_convention_page_header() -> None:
    english, french = _page("en"), _page("fr")
    for parsed in (english, french):
        assert parsed.format == "normlex-convention"
        assert parsed.source_key == "C098"
        assert parsed.header_counts == {"ratifications": 7, "denounced": 2}
        assert parsed.extra["entry_into_force_date"] == "2090-07-18"
        assert len(parsed.rows) == 7
        assert all(row.instrument == "C098" for row in parsed.rows)
    assert english.title.startswith("Ratifications of C098 - ")
    assert french.title.startswith("Ratifications de C098 - ")
    assert english.entry_into_force == "18 Jul 2090" and french.entry_into_force == "18 juil. 2090"
    assert (english.extra["language"], french.extra["language"]) == ("en", "fr")
    assert english.columns == ["Country", "Date", "Status", "Note"]
    assert french.columns == ["Pays", "Date", "Statut", "Note"]


def test_convention_page_english_and_french_give_the_same_rows() -> None:
    english, french = _page("en"), _page("fr")

    def facts(parsed):
        return [
            (
                row.consent.kind,
                row.consent.date,
                row.consent.precision,
                row.consent.undone,
                row.consent.undone_date,
                normlex_convention.status_of(row.consent),
                "declaration:" in row.consent.note,
            )
            for row in parsed.rows
        ]

    assert facts(english) == facts(french)
    assert [row.participant for row in english.rows] == [
        "Albania", "Côte d'Ivoire", "Congo", "Malaysia", "Tuvalu", "Nepal", "France",
    ]  # fmt: skip
    assert [row.participant for row in french.rows] == [
        "Albanie", "Côte d'Ivoire", "Congo", "Malaisie", "Tuvalu", "Népal", "France",
    ]  # fmt: skip


def test_convention_page_statuses() -> None:
    rows = {row.participant: row.consent for row in _page("en").rows}
    status = {name: normlex_convention.status_of(act) for name, act in rows.items()}
    assert status == {
        "Albania": normlex_convention.IN_FORCE,
        "Côte d'Ivoire": normlex_convention.IN_FORCE,
        "Congo": normlex_convention.PENDING,
        "Malaysia": normlex_convention.DENOUNCED,
        "Tuvalu": normlex_convention.DENOUNCED,
        "Nepal": normlex_convention.NOT_IN_FORCE_UNSTATED,
        "France": normlex_convention.IN_FORCE,
    }
    assert all(act.kind == RATIFICATION and act.precision == DAY for act in rows.values())
    assert rows["Albania"].date == date(2090, 1, 3)
    assert rows["Albania"].note == "in force | declaration: Declaration (made up): excludes Annex III."
    assert rows["Côte d'Ivoire"].raw == "27 Jan 2091"  # trailing whitespace gone
    pending = rows["Congo"]
    assert not pending.undone and pending.undone_date is None
    assert "will enter into force for Congo on 26 Oct 2099" in pending.note
    assert rows["Malaysia"].undone and rows["Malaysia"].undone_date == date(2096, 3, 12)
    assert rows["Malaysia"].undone_precision == DAY
    assert rows["Tuvalu"].undone and rows["Tuvalu"].undone_date == date(2097, 12, 15)
    assert not rows["Nepal"].undone


def test_convention_page_french_months() -> None:
    rows = {row.participant: row.consent for row in _page("fr").rows}
    assert rows["Albanie"].date == date(2090, 1, 3)  # janv.
    assert rows["Malaisie"].date == date(2092, 2, 28)  # févr.
    assert rows["Tuvalu"].date == date(2093, 9, 3)  # sept.
    assert rows["Tuvalu"].undone_date == date(2097, 12, 15)  # déc.
    assert rows["Malaisie"].undone_date == date(2096, 3, 12)  # mars
    assert rows["Albanie"].note.endswith("declaration: Déclaration (inventée) : exclut l’annexe III.")


# --- per-convention page, bad input -----------------------------------------------------------


def _mangled(old: str, new: str) -> bytes:
    text = (FIXTURES / "convention_en.html").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_convention_page_without_table_names_file() -> None:
    data = _mangled("<th>Status</th>", "<th>Situation</th>")
    with pytest.raises(SourceLayoutError) as error:
        normlex_convention.parse(data, "saved/C098-en.html")
    message = str(error.value)
    assert message.startswith("saved/C098-en.html: expected a table headed Country | Date | Status")
    assert "Country | Date | Situation | Note" in message


def test_convention_page_unreadable_date_raises() -> None:
    data = _mangled("28 Feb 2092", "28 Fbr 2092")
    with pytest.raises(SourceLayoutError, match=r"C098-en\.html.*Malaysia.*28 Fbr 2092"):
        normlex_convention.parse(data, "C098-en.html")


def test_convention_page_unreadable_denunciation_date_raises() -> None:
    data = _mangled("Denounced on 12 Mar 2096", "Denounced on 12 Mrz 2096")
    with pytest.raises(SourceLayoutError, match=r"denunciation date.*Malaysia"):
        normlex_convention.parse(data, "C098-en.html")


def test_convention_page_unknown_status_raises() -> None:
    data = _mangled("<td>Not in force</td><td>Denounced", "<td>Suspended</td><td>Denounced")
    with pytest.raises(SourceLayoutError, match=r"status.*Suspended"):
        normlex_convention.parse(data, "C098-en.html")


def test_convention_page_without_title_raises() -> None:
    data = _mangled("Ratifications of <a", "Ratifizierungen von <a")
    with pytest.raises(SourceLayoutError, match=r"x\.html: expected a title"):
        normlex_convention.parse(data, "x.html")


# --- per-convention page, the layout public scrapers document --------------------------------


def _layout(language: str):
    name = f"convention_layout_{language}.html"
    return normlex_convention.parse((FIXTURES / name).read_bytes(), name)


def test_convention_page_layout_of_public_scrapers() -> None:
    """tests/fixtures/normlex/convention_layout_{en,fr}.html (TEST DATA rows) follow the page structure that
    public scrapers document: FORMATS.md §5; m-g-d-c/crba-etl crba_project/extractor/ilo.py (the table
    ``table.horizontalLine`` with ``cellspacing="0"``, first row the header); the 2026 scraper of FORMATS.md
    §5 (``td.firstCol`` with the country link and its declaration, trailing whitespace). A navigation table
    whose header also says Country comes first and is not taken for the ratification table."""
    english, french = _layout("en"), _layout("fr")
    for parsed in (english, french):
        assert parsed.source_key == "C189" and parsed.header_counts == {"ratifications": 5, "denounced": 2}
        assert parsed.extra["entry_into_force_date"] == "2013-09-05"
    statuses = [normlex_convention.status_of(row.consent) for row in english.rows]
    assert statuses == [normlex_convention.status_of(row.consent) for row in french.rows]
    assert statuses == ["in force", "in force", "denounced", "denounced", "pending"]
    assert [r.participant for r in english.rows] == ["Uruguay", "Philippines", "Italy", "Germany", "Mexico"]
    assert [r.participant for r in french.rows] == ["Uruguay", "Philippines", "Italie", "Allemagne", "Mexique"]
    for parsed in (english, french):
        acts = [row.consent for row in parsed.rows]
        assert [a.date for a in acts] == [date(2020, 6, 14), date(2021, 9, 5), date(2022, 1, 22), date(2023, 9, 20),
                                          date(2025, 7, 3)]  # fmt: skip
        assert acts[0].raw == "14 Jun 2020" or acts[0].raw == "14 juin 2020"  # &nbsp; and trailing spaces gone
        assert [a.undone_date for a in acts[2:4]] == [date(2024, 2, 3), date(2024, 12, 15)]  # "Denounced on", automatic
        assert not acts[4].undone and acts[4].undone_date is None  # "will enter into force": pending, not a gap
    assert english.rows[1].consent.note.endswith("declaration: Declaration (test data): excludes Article 99.")
    assert french.rows[1].consent.note.endswith("declaration: Déclaration (données de test) : exclut l’article 99.")
