"""Cells of the workbook: values as openpyxl writes them, header rows, widths, status colours.

Shared by the workbook builder (``report.excel``) and the sheets other modules draw into it
(``report.accountability_sheets``), so neither imports the other's helpers from the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from copy import copy
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_EXCEL_PATTERN, WHITE_TEXT_STATUSES, excel_rgb
from rt2gaps.status import UNKNOWN

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"  # counts of States and of persons: 1,234,567 (Excel shows the reader's own separator)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDDDDD", end_color="FFDDDDDD")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WARNING = Font(bold=True, color="FFB00000")
LINK = Font(color="FF0563C1", underline="single")
LINK_BOLD = Font(color="FF0563C1", underline="single", bold=True)
MAX_WIDTH = 60
MIN_WIDTH = 6


def status_fill(status: str) -> PatternFill:
    """The fill of a status cell; unknown is a grey hatch so it cannot be mistaken for any answer."""
    colour = excel_rgb(STATUS_COLOURS[status])
    if status == UNKNOWN:
        return PatternFill(fill_type=UNKNOWN_EXCEL_PATTERN, start_color="FF808080", end_color=colour)
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def status_font(status: str) -> Font:
    return Font(bold=True, color="FFFFFFFF" if status in WHITE_TEXT_STATUSES else "FF000000")


def style_status_cell(cell: Cell, status: str) -> None:
    """A status code cell: the status colour (hatched grey for unknown), bold, centred."""
    cell.fill, cell.font, cell.alignment = status_fill(status), status_font(status), Alignment(horizontal="center")


def excel_value(value: Any) -> Any:
    """A pandas/numpy value as a plain Python value openpyxl writes natively (dates stay dates)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return excel_value(value.item())
    return value


def put(ws: Worksheet, row: int, column: int, value: Any, *, number_format: str | None = None) -> Cell:
    """Write one value; text is forced to a string cell (never a formula), dates get a date format."""
    value = excel_value(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, date | datetime):
        cell.number_format = DATE_FORMAT
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


class StyleStamps:
    """Style each distinct look once, then stamp its style indices onto other cells.

    openpyxl hashes the style object on every ``cell.fill = ...``; on the Matrix and the big tables
    that dominated the run. A cell's ``_style`` is an array of workbook-wide indices, safe to copy.
    """

    def __init__(self) -> None:
        self._arrays: dict[Hashable, Any] = {}

    def apply(self, cell: Cell, look: Hashable, style: Callable[[Cell], None]) -> None:
        array = self._arrays.get(look)
        if array is None:
            style(cell)
            self._arrays[look] = copy(cell._style)
        else:
            cell._style = copy(array)


def _status_look(cell: Cell, *, fill: PatternFill, font: Font, alignment: Alignment) -> None:
    """A Matrix status cell's look, set once per status (``StyleStamps`` copies it to the others)."""
    cell.fill, cell.font, cell.alignment = fill, font, alignment


def link(cell: Cell, url: str) -> None:
    if url:
        cell.hyperlink = url
        cell.font = LINK_BOLD if cell.font.bold else LINK


def set_widths(ws: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))


def header_row(ws: Worksheet, labels: list[str], row: int = 1) -> None:
    for column, label in enumerate(labels, start=1):
        cell = put(ws, row, column, label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
