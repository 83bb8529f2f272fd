"""Workbook number formats, labels and layout read back with openpyxl (issue 13, Workbook and CSV)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.report import build_report_data
from rt2gaps.report.excel import COUNT_FORMAT, PERCENT_FORMAT, build_workbook, save_deterministic

ON = date(2026, 2, 3)


def _read_back(data, lang: str = "en") -> openpyxl.Workbook:
    stream = io.BytesIO()
    save_deterministic(build_workbook(data, lang), stream, data.on)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), ON)


@pytest.fixture(scope="module")
def book(real_data) -> openpyxl.Workbook:
    return _read_back(real_data)


def column(sheet, header: str) -> list:
    names = [cell.value for cell in sheet[1]]
    assert names.count(header) == 1, f"{header!r} appears {names.count(header)} times in {sheet.title}"
    return [row[names.index(header)] for row in sheet.iter_rows(min_row=2)]


def test_counts_have_thousands_separators_and_years_do_not(book: openpyxl.Workbook) -> None:
    top = book["Top destinations"]
    stock = column(top, "International migrants, mid-2020")
    assert stock[0].value > 1_000_000 and {c.number_format for c in stock if c.value is not None} == {COUNT_FORMAT}
    coverage = book["Instrument coverage"]
    assert {c.number_format for c in column(coverage, "Party")} == {COUNT_FORMAT}
    assert {c.number_format for c in column(coverage, "Year in force") if c.value} == {"General"}
    affected = book["Migrants affected"]
    assert {c.number_format for c in column(affected, "Party") if c.value is not None} == {COUNT_FORMAT}


def test_every_share_is_a_fraction_shown_as_a_percentage(book: openpyxl.Workbook, real_data) -> None:
    share = column(book["Top destinations"], "Migrants as % of population, mid-2020")
    known = [c for c in share if c.value is not None]
    assert known and all(0 <= c.value <= 1 for c in known) and {c.number_format for c in known} == {PERCENT_FORMAT}
    table = real_data.tables["top_destinations"]
    assert table["migrant_share"].dropna().between(0, 1).all()
    for sheet in book.worksheets[4:]:
        for name in [c.value for c in sheet[1] if isinstance(c.value, str) and ("share" in c.value.lower()
                                                                                 or "%" in c.value)]:  # fmt: skip
            cells = [c for c in column(sheet, name) if isinstance(c.value, float)]
            assert all(c.number_format == PERCENT_FORMAT for c in cells), (sheet.title, name)


def test_no_repeated_columns(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets[2:]:
        names = [c.value for c in sheet[1] if c.value is not None]
        assert len(names) == len(set(names)), sheet.title
    assert "Short name" not in [c.value for c in book["Instrument coverage"][1]]
    affected = [c.value for c in book["Migrants affected"][1]]
    assert sum("no figure" in str(name) for name in affected) == 1


@pytest.mark.parametrize(("lang", "label"), [("en", "No action"), ("fr", "Aucun acte")])
def test_status_none_reads_no_action_but_csv_keeps_the_code(real_data, lang: str, label: str) -> None:
    from rt2gaps.report import table_csv_texts

    book = _read_back(real_data, lang)
    labels = {c.value for row in book.worksheets[3].iter_rows() for c in row}
    assert label in labels and "None" not in labels
    assert "none" in table_csv_texts(real_data)["country_gaps.csv"].splitlines()[0].split(",")


def test_about_of_a_group_describes_the_group(real_data) -> None:
    from rt2gaps.groups import load_group

    snapshot = current_snapshot()
    group = load_group("sids", snapshot.states)
    data = build_report_data(load_set("rt2-priority"), snapshot, ON, group=group)
    about = {row[0].value: row[1].value for row in _read_back(data)["About"].iter_rows() if row[0].value}
    assert about["States assessed"].startswith(f"the States of {group.name}")
    assert "193 UN Member States plus" not in about["States assessed"].split(", within ")[0]
    assert about["Number of States"] == len(data.states) < 193
