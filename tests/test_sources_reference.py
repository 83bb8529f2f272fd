"""Reference sources: UN DESA migrant stock workbook, emigrant totals, GCM vote, M49 and HDX taxonomy."""

from __future__ import annotations

import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rt2gaps.errors import CountMismatchError, SourceLayoutError
from rt2gaps.sources import gcm_vote, m49, stock_totals, undesa_stock

STOCK_FILE = "ref/migrant-stock/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
TOTALS_FILE = "ref/migrant-stock/stock_totals_2020.csv"
VOTE_FILE = "ref/gcm-vote/gcm_unga_73-195_vote_2018-12-19.csv"
M49_FILE = "ref/m49/UNSD-M49-en-2024-09.csv"
HDX_FILE = "ref/m49/hdx-country-taxonomy-4.2.5.csv"


@pytest.fixture(scope="module")
def stock(shared_sources: Path) -> pd.DataFrame:
    return undesa_stock.parse((shared_sources / STOCK_FILE).read_bytes(), STOCK_FILE)


def value(frame: pd.DataFrame, code: int, year: int, measure: str) -> float:
    rows = frame[(frame["m49"] == code) & (frame["year"] == year) & (frame["measure"] == measure)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


# --- UN DESA workbook, real file ------------------------------------------------------------


def test_stock_shape_and_types(stock: pd.DataFrame) -> None:
    assert list(stock.columns) == list(undesa_stock.COLUMNS)
    assert stock["m49"].nunique() == undesa_stock.COUNTRY_COUNT == 235
    assert (stock["m49"] < 900).all()
    assert len(stock) == 235 * 7 * 4
    assert set(stock["measure"]) == set(undesa_stock.MEASURES)
    assert str(stock["m49"].dtype) == "int64" and str(stock["year"].dtype) == "int64"
    assert str(stock["value"].dtype) == "float64"


def test_world_total_and_sum_check_every_year(stock: pd.DataFrame) -> None:
    assert stock.attrs["world"]["migrant_stock"][2020] == 280_598_105
    world_2020 = stock[(stock["measure"] == "migrant_stock") & (stock["year"] == 2020)]["value"].sum()
    assert world_2020 == 280_598_105
    for measure in undesa_stock.ADDITIVE_MEASURES:
        undesa_stock.check_world_total(stock, STOCK_FILE, measure=measure)


def test_world_total_mismatch_names_the_numbers(stock: pd.DataFrame) -> None:
    dropped = stock[stock["m49"] != 840]
    with pytest.raises(CountMismatchError, match=r"2020: 234 countries sum to 229,965,269, WORLD row says 280,598,105"):
        undesa_stock.check_world_total(dropped, STOCK_FILE)


def test_united_states_and_other_values(stock: pd.DataFrame) -> None:
    assert value(stock, 840, 2020, "migrant_stock") == 50_632_836
    assert stock[stock["m49"] == 840]["location"].iloc[0] == "United States of America"  # asterisk removed
    assert value(stock, 840, 2020, "population_thousands") == pytest.approx(331_002.647, abs=1)
    assert value(stock, 840, 2020, "migrant_share_pct") == pytest.approx(15.3, abs=0.1)


def test_missing_values_are_nan_not_zero(stock: pd.DataFrame) -> None:
    south_sudan_1990 = value(stock, 728, 1990, "migrant_stock")  # ".." : South Sudan did not exist
    assert math.isnan(south_sudan_1990)
    taiwan = stock[(stock["m49"] == 158) & (stock["measure"] == "migrant_stock")]
    assert taiwan["value"].isna().all() and set(taiwan["missing_mark"]) == {".."}
    assert value(stock, 728, 2020, "migrant_stock") == 882_252


def test_refugees_table(stock: pd.DataFrame) -> None:
    refugees = stock[stock["measure"] == "refugees"]
    assert len(refugees) == 235 * 7
    assert value(stock, 792, 2020, "refugees") > 3_000_000  # Türkiye, the largest host
    seychelles = refugees[refugees["m49"] == 690]
    assert seychelles["value"].isna().all() and set(seychelles["missing_mark"]) == {"~"}  # fewer than five
    assert stock.attrs["world"]["refugees"][2020] == 33_807_795


# --- UN DESA workbook, synthetic layouts ----------------------------------------------------

TITLES = {
    1: ("Table 1: International migrant stock at mid-year by sex and by region, country or area of destination, "
        "1990-2020", "International migrant stock at mid-year, both sexes combined"),
    2: ("Table 2: Total population at mid-year by sex and by region, country or area of destination, 1990-2020 "
        "(thousands)", "Total population at mid-year, both sexes combined (thousands)"),
    3: ("Table 3: International migrant stock as a percentage of the total population by sex and by region, "
        "country or area of destination, 1990-2020", "International migrant stock as a percentage of the total "
        "population, both sexes combined"),
    6: ("Table 6: Estimated refugee stock (including asylum seekers) at mid-year by region, country or area of "
        "destination, 1990-2020", "Refugee and asylum seekers at mid-year, both sexes combined"),
}  # fmt: skip
YEARS = list(undesa_stock.YEARS)


def tiny_workbook(drop_year: int | None = None, title_row_offset: int = 0) -> bytes:
    """A four-table workbook like the real one: WORLD, one region, two countries (one with '..')."""
    book = openpyxl.Workbook()
    book.active.title = "Table of contents"
    for number, (title, block) in TITLES.items():
        sheet = book.create_sheet(f"Table {number}")
        years = [year for year in YEARS if not (number == 1 and year == drop_year)]
        top = 1 + title_row_offset
        sheet.cell(top + 2, 5, title)
        sheet.cell(top + 7, 6, block)
        sheet.cell(top + 7, 6 + len(years), "…, males")
        header = [None, "Region, development group, country or area", "Notes", "Location code", "Type of data"]
        for col, text in enumerate(header + years + years, start=1):
            sheet.cell(top + 10, col, text)
        rows = [
            (1, "WORLD", None, 900, "", [30 + i for i in range(7)]),
            (2, "  AFRICA", None, 903, "", [10 + i for i in range(7)]),
            (3, "   Testland*", 1, 4, "B", [10 + i for i in range(7)]),
            (4, "   Newland", None, 728, "B R", ["..", "..", "..", "..", 20, 20, 20]),
        ]
        for offset, (index, name, note, code, kind, values) in enumerate(rows, start=1):
            values = [v for year, v in zip(YEARS, values, strict=True) if year in years]
            for col, cell in enumerate([index, name, note, code, kind, *values, *values], start=1):
                sheet.cell(top + 10 + offset, col, cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_tiny_workbook_parses_with_nan_for_dots() -> None:
    frame = undesa_stock.parse(tiny_workbook(), "tiny.xlsx")
    assert sorted(frame["m49"].unique()) == [4, 728]
    newland = frame[(frame["m49"] == 728) & (frame["measure"] == "migrant_stock")].set_index("year")["value"]
    assert math.isnan(newland[1990]) and newland[2020] == 20.0
    assert frame[frame["m49"] == 4]["location"].iloc[0] == "Testland"
    with pytest.raises(CountMismatchError, match="1990: 2 countries sum to 10, WORLD row says 30"):
        undesa_stock.check_world_total(frame, "tiny.xlsx")


def test_header_row_found_by_words_not_position() -> None:
    frame = undesa_stock.parse(tiny_workbook(title_row_offset=3), "moved.xlsx")
    assert frame["m49"].nunique() == 2


def test_table_without_a_year_column_raises_layout_error(tmp_path: Path) -> None:
    path = tmp_path / "lost-2020.xlsx"
    path.write_bytes(tiny_workbook(drop_year=2020))
    with pytest.raises(SourceLayoutError, match=r"lost-2020\.xlsx \[Table 1\].*year columns.*found 1990, .*2015$"):
        undesa_stock.parse(path.read_bytes(), path.name)


def test_real_workbook_with_a_deleted_year_column_raises(shared_sources: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(shared_sources / STOCK_FILE)
    book["Table 1"].delete_cols(12)  # column L: 2020, both sexes
    path = tmp_path / "ims-no-2020.xlsx"
    book.save(path)
    with pytest.raises(SourceLayoutError) as caught:
        undesa_stock.parse(path.read_bytes(), path.name)
    assert caught.value.source == "ims-no-2020.xlsx [Table 1]" and "2020" in caught.value.expected


def test_renamed_table_title_raises() -> None:
    data = tiny_workbook()
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Table 6"]["E3"] = "Table 7: Something else"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(SourceLayoutError, match=r"renamed\.xlsx: expected a sheet titled 'Table 6: \.\.\.'"):
        undesa_stock.parse(buffer.getvalue(), "renamed.xlsx")


def test_not_a_workbook_raises() -> None:
    with pytest.raises(SourceLayoutError, match="junk.xlsx"):
        undesa_stock.parse(b"not a zip", "junk.xlsx")


# --- stock_totals (emigrants) --------------------------------------------------------------


def test_stock_totals_emigrants(shared_sources: Path) -> None:
    frame = stock_totals.parse((shared_sources / TOTALS_FILE).read_bytes(), TOTALS_FILE)
    assert list(frame.columns) == list(stock_totals.COLUMNS)
    assert len(frame) == 235 * 7 and frame["m49"].nunique() == 235
    assert str(frame["emigrants"].dtype) == "Int64" and str(frame["m49"].dtype) == "int64"
    channel = frame[frame["m49"] == 830]
    assert set(channel["iso3"]) == {""}  # R's NA, not Namibia
    assert frame[frame["iso3"] == "NAM"]["m49"].iloc[0] == 516


def test_stock_totals_keeps_na_and_checks_columns() -> None:
    text = b"alpha3,name,country_code,year,disp\nAAA,A,4,2020,NA\nBBB,B*,8,2020,12\n"
    frame = stock_totals.parse(text, "mini.csv")
    assert frame["emigrants"].isna().tolist() == [True, False] and frame["name"].tolist() == ["A", "B"]
    with pytest.raises(SourceLayoutError, match="mini.csv.*disp"):
        stock_totals.parse(b"alpha3,name,country_code,year\nAAA,A,4,2020\n", "mini.csv")


# --- GCM vote ------------------------------------------------------------------------------


def test_gcm_vote_totals(shared_sources: Path) -> None:
    frame = gcm_vote.parse((shared_sources / VOTE_FILE).read_bytes(), VOTE_FILE)
    assert gcm_vote.vote_totals(frame) == {"yes": 152, "no": 5, "abstain": 12, "absent": 24}
    assert len(frame) == 193 and frame["iso3"].is_unique
    gcm_vote.check_vote_totals(frame, VOTE_FILE)
    assert frame.set_index("iso3").loc["USA", "vote"] == "no"
    assert frame.set_index("iso3").loc["NAM", "iso2"] == "NA"


def test_gcm_unknown_vote_word_raises() -> None:
    text = b"iso3,iso2,m49,un_name,vote,note\nAFG,AF,004,Afghanistan,maybe,\n"
    with pytest.raises(SourceLayoutError, match=r"votes\.csv: expected votes yes\|no\|abstain\|absent.*'maybe'"):
        gcm_vote.parse(text, "votes.csv")


def test_gcm_wrong_totals_raise() -> None:
    frame = gcm_vote.parse(b"iso3,iso2,m49,un_name,vote,note\nAFG,AF,004,Afghanistan,Yes,\n", "one.csv")
    assert gcm_vote.vote_totals(frame) == {"yes": 1, "no": 0, "abstain": 0, "absent": 0}
    with pytest.raises(CountMismatchError, match="one.csv"):
        gcm_vote.check_vote_totals(frame, "one.csv")


# --- M49 and HDX ---------------------------------------------------------------------------


def test_m49_table(shared_sources: Path) -> None:
    table = m49.parse((shared_sources / M49_FILE).read_bytes(), M49_FILE)
    assert len(table) == 248 and table["iso3"].is_unique and table["m49"].is_unique
    assert int(table["ldc"].sum()) == 45 and int(table["lldc"].sum()) == 32 and int(table["sids"].sum()) == 53
    assert str(table["m49"].dtype) == "int64" and table["ldc"].dtype == bool
    namibia = table.set_index("iso3").loc["NAM"]
    assert (namibia["iso2"], namibia["m49"], namibia["m49_code"]) == ("NA", 516, "516")
    assert table.set_index("iso3").loc["AFG", "m49_code"] == "004"
    assert "Netherlands (Kingdom of the)" in set(table["name"])


def test_hdx_taxonomy(shared_sources: Path) -> None:
    hdx = m49.parse_hdx_taxonomy((shared_sources / HDX_FILE).read_bytes(), HDX_FILE)
    assert int(hdx["un_member"].sum()) == 193
    m49.check_un_members(hdx, HDX_FILE)
    france = hdx.set_index("iso3").loc["FRA"]
    assert france["name_fr_un"] == "France" and france["m49"] == 250 and -90 < france["latitude"] < 90
    kosovo = hdx[hdx["name_en"] == "Kosovo"].iloc[0]
    assert kosovo["iso3"] == "" and pd.isna(kosovo["m49"])
    assert "Preferred Term" in hdx.columns  # source columns are kept for callers that read them


def test_check_un_members_raises() -> None:
    frame = pd.DataFrame({"iso3": ["AAA"], "un_member": [True]})
    with pytest.raises(CountMismatchError, match="1 UN members"):
        m49.check_un_members(frame, "hdx.csv")


def test_m49_lost_column_raises() -> None:
    with pytest.raises(SourceLayoutError, match="m49.csv.*M49 Code"):
        m49.parse(b"Country or Area,ISO-alpha3 Code\nX,XXX\n", "m49.csv")
