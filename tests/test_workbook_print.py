"""The workbook prints: every sheet set up for paper (landscape, one page wide, a footer with the page
number and the sources' dates), tables repeat their header row on each page, the Summary cuts no label."""

from __future__ import annotations

import openpyxl
import pytest
from test_gaps import ON, fixture_set, fixture_snapshot

from rt2gaps.report import build_report_data
from rt2gaps.report.excel import write_workbook


@pytest.fixture(scope="module", params=["en", "fr"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    path = write_workbook(data, tmp_path_factory.mktemp("print") / "fixture.xlsx", lang=request.param)
    return openpyxl.load_workbook(path)


def test_every_sheet_prints_landscape_one_page_wide_with_a_footer(book: openpyxl.Workbook) -> None:
    french = book.sheetnames[0] == "À propos"
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as the rows need
        footer = ws.oddFooter
        assert "&P" in footer.right.text and "&N" in footer.right.text, ws.title
        assert footer.center.text.startswith("Sources"), ws.title
        assert ("30 juin 2020" if french else "2020-06-30") in footer.center.text or "(" in footer.center.text
        assert len(footer.left.text or "") + len(footer.center.text) + len(footer.right.text) < 255


def test_long_sheets_repeat_their_header_row(book: openpyxl.Workbook) -> None:
    tables = [ws for ws in book.worksheets if ws.auto_filter.ref]
    assert len(tables) >= 12
    for ws in tables:
        first_data_row = int(ws.auto_filter.ref.split(":")[0][1:])  # A1 (A2 on the complaints sheet)
        assert ws.print_title_rows == f"$1:${first_data_row}", ws.title


def test_summary_labels_are_not_cut_and_an_empty_value_says_why(book: openpyxl.Workbook) -> None:
    ws = book.worksheets[1]
    none = "aucun" if book.sheetnames[0] == "À propos" else "none"
    labels = [ws.cell(row=row, column=1) for row in range(4, ws.max_row + 1) if ws.cell(row=row, column=1).font.bold]
    width = ws.column_dimensions["A"].width
    for label in labels[:10]:
        if isinstance(label.value, str):
            assert len(label.value) <= width or label.alignment.wrap_text, label.value
    last = next(row for row in range(4, ws.max_row + 2) if ws.cell(row=row, column=1).value is None)
    values = [ws.cell(row=row, column=2).value for row in range(4, last)]
    assert None not in values
    assert none in values  # the fixture has no stale instrument: "none", not an empty cell


def test_wrapped_rows_are_tall_enough(book: openpyxl.Workbook) -> None:
    """A wrapped cell's row is given its height: nothing re-measures rows when the file is opened."""
    found = 0
    for ws in (ws for ws in book.worksheets if ws.auto_filter.ref):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.alignment.wrap_text and isinstance(cell.value, str) and len(cell.value) > 40:
                    width = ws.column_dimensions[cell.column_letter].width
                    if width and len(cell.value) > 1.2 * width:
                        found += 1
                        assert (ws.row_dimensions[cell.row].height or 0) > 15, (ws.title, cell.coordinate)
    assert found
