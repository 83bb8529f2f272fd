"""Cells of the workbook: values as openpyxl writes them, header rows, widths, status colours.

Shared by the workbook builder (``report.excel``) and the sheets other modules draw into it
(``report.accountability_sheets``), so neither imports the other's helpers from the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from copy import copy
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_EXCEL_PATTERN, WHITE_TEXT_STATUSES, excel_rgb
from rt2gaps.status import UNKNOWN

if TYPE_CHECKING:
    from rt2gaps.i18n import UiStrings

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"  # counts of States and of persons: 1,234,567 (Excel shows the reader's own separator)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDDDDD", end_color="FFDDDDDD")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WARNING = Font(bold=True, color="FFB00000")
LINK = Font(color="FF0563C1", underline="single")
LINK_BOLD = Font(color="FF0563C1", underline="single", bold=True)
ITALIC = Font(italic=True)
MAX_WIDTH = 60
SUMMARY_LABEL_WIDTH = 70  # a longer Summary label wraps within its cell
HEADER_WIDTH = 16  # characters of a header that widen its column (the header row wraps)
WRAP_WIDTH = 30  # a column of longer texts wraps them at this width
LINE_HEIGHT = 13.0  # points per line of a wrapped cell
FOOTER_CHARS = 200  # Excel refuses a header or footer longer than 255 characters, codes included
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


# openpyxl's cell type of each plain value's exact type (its own inference gives the same; a
# subclass or any other type takes openpyxl's general path)
PLAIN_TYPES: dict[type, str] = {str: "s", int: "n", float: "n", bool: "b", date: "d", type(None): "n"}


def plain_value(value: Any) -> Any:
    """``excel_value``, quicker for the values a table holds most (text, whole numbers, dates)."""
    kind = type(value)
    if kind is str or kind is int or kind is date or kind is bool:
        return value
    if kind is float:
        return None if value != value else value
    return excel_value(value)


def checked_text(value: str) -> str:
    """A text as openpyxl stores it in a cell: cut at Excel's 32,767 characters, control characters refused."""
    value = value[:32767]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


def new_cell(ws: Worksheet, row: int, column: int, value: Any, data_type: str, style: Any = None) -> Cell:
    """A new cell holding a plain value of openpyxl's ``data_type`` (``PLAIN_TYPES``), with a copy of the
    style indices ``style`` (None: unstyled): what ``ws.cell(value=...)`` and the style setters would
    leave, without inferring the type or hashing a style per cell."""
    cell = Cell(ws, row=row, column=column, style_array=style)
    cell._value, cell.data_type = (checked_text(value) if data_type == "s" else value), data_type  # type: ignore[attr-defined]
    ws._add_cell(cell)  # type: ignore[attr-defined]
    return cell


def stamped_text(
    ws: Worksheet, row: int, column: int, text: str, stamps: StyleStamps, look: Hashable, style: Callable[[Cell], None]
) -> Cell:
    """``put`` a text, then ``stamps.apply``: the first cell of a look through openpyxl, the others made
    with the look's style indices (the Matrix and the complaints sheet: ~6,000 status cells)."""
    array = stamps.get(look)
    if array is None or type(text) is not str or (row, column) in ws._cells:
        cell = put(ws, row, column, text)
        stamps.apply(cell, look, style)
        return cell
    return new_cell(ws, row, column, text, "s", array)


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

    def get(self, look: Hashable) -> Any:
        """The style indices of ``look``, or None before its first cell was styled."""
        return self._arrays.get(look)

    def apply(self, cell: Cell, look: Hashable, style: Callable[[Cell], None]) -> None:
        array = self._arrays.get(look)
        if array is None:
            style(cell)
            # _style is private (absent from types-openpyxl), read and set here on purpose: see above
            self._arrays[look] = copy(cell._style)  # type: ignore[attr-defined]
        else:
            cell._style = copy(array)  # type: ignore[attr-defined]


STYLE_IDS = {"font": "fontId", "fill": "fillId", "alignment": "alignmentId"}


def set_style(cell: Cell, memo: dict[str, int], **styles: Any) -> None:
    """``cell.font = ...``, ``cell.alignment = ...``: each style looked up in the workbook once per ``memo``.

    The first cell goes through openpyxl's setter (which hashes the style and registers it, in the
    same order as before); the others get the index it found. ``memo`` belongs to one workbook and
    one set of style values.
    """
    for name, value in styles.items():
        known = memo.get(name)
        if known is None:
            setattr(cell, name, value)
            memo[name] = getattr(cell._style, STYLE_IDS[name])  # type: ignore[attr-defined]
        else:
            # as openpyxl's setter: a cell never styled has no style array yet
            if not cell._style:  # type: ignore[attr-defined]
                cell._style = StyleArray()  # type: ignore[attr-defined]
            setattr(cell._style, STYLE_IDS[name], known)  # type: ignore[attr-defined]


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


def header_rows(ws: Worksheet) -> str | None:
    """The rows a table sheet prints again on every page: down to its filter's header row (``1:1``, ``1:2``)."""
    if not ws.auto_filter.ref:
        return None
    return f"1:{ws.auto_filter.ref.split(':')[0].lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"


def print_setup(ws: Worksheet, strings: UiStrings, sources: str, title_rows: str | None) -> None:
    """How a sheet prints: A4 landscape, one page wide, its header rows on every page, a footer
    with the sheet's name, the sources' dates and the page number.

    Without it a PDF of the English workbook ran to 243 pages, tables cut column by column.
    """
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages down as the rows need
    # the ignores below: openpyxl always makes these parts, types-openpyxl types them as possibly None
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.5, 0.7, 0.25
    ws.print_options.gridLines = title_rows is not None  # a table prints its grid; a page of text does not
    if title_rows:
        ws.print_title_rows = title_rows
    for footer in (ws.oddFooter, ws.evenFooter):
        footer.left.text, footer.left.size = "&A", 8  # type: ignore[union-attr]  # the sheet's name
        footer.center.text, footer.center.size = sources.replace("&", "&&")[:FOOTER_CHARS], 8  # type: ignore[union-attr]
        footer.right.text, footer.right.size = strings("print.footer_page"), 8  # type: ignore[union-attr]


def wrap_long_columns(ws: Worksheet, widths: dict[int, int], last_row: int) -> None:
    """Columns of long text (lists of instruments, notes) wrap at WRAP_WIDTH instead of widening the sheet,
    so that a page one sheet wide keeps a readable scale; the header row wraps at each column's width.

    Rows get their height from their longest wrapped cell: neither LibreOffice nor Excel measures a
    row again when it opens a file, and wrapped text would overlap the row below.
    """
    wrap, memo = Alignment(wrap_text=True, vertical="top"), dict[str, int]()
    header = [c for c in ws[1] if isinstance(c, Cell)]  # a merged cell holds no text to measure
    lines = {1: max((math.ceil(len(str(c.value or "")) / max(MIN_WIDTH, min(widths.get(c.column, 0), WRAP_WIDTH)))
                     for c in header), default=1)}  # fmt: skip
    for column, width in widths.items():
        if width <= WRAP_WIDTH:
            continue
        widths[column] = WRAP_WIDTH
        for (cell,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=column, max_col=column):
            if isinstance(cell.value, str) and len(cell.value) > WRAP_WIDTH:
                set_style(cell, memo, alignment=wrap)
                needed = math.ceil(len(cell.value) / (WRAP_WIDTH - 2))  # words do not fill a line to the end
                lines[cell.row] = max(lines.get(cell.row, 1), needed)
    for row, count in lines.items():
        if count > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT * count


def wrap_text_page(ws: Worksheet) -> None:
    """A sheet of sentences (About) that prints on its page: a paragraph alone in column A spans the
    sheet's width, a longer cell wraps within its column, and each row gets the height of its lines.

    Text running over the empty cells to its right would widen the printed page and shrink it all.
    """
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = {column: ws.column_dimensions[get_column_letter(column)].width or MIN_WIDTH
              for column in range(1, ws.max_column + 1)}  # fmt: skip
    last = ws.max_column
    for row in ws.iter_rows(min_row=2):
        cells = [cell for cell in row if cell.value is not None]
        lines = 1
        for cell in cells:
            if not isinstance(cell.value, str) or len(cell.value) <= widths[cell.column]:
                continue
            width = widths[cell.column]
            if cell is cells[-1] and cell.column < last:  # the row's last text spans the empty cells to its right
                ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=last)
                width = sum(widths[c] for c in range(cell.column, last + 1))
            cell.alignment = wrap
            lines = max(lines, math.ceil(len(cell.value) / (width - 2)))
        if lines > 1:
            ws.row_dimensions[cells[0].row].height = LINE_HEIGHT * lines


def header_row(ws: Worksheet, labels: list[str], row: int = 1) -> None:
    memo: dict[str, int] = {}
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, label in enumerate(labels, start=1):
        set_style(put(ws, row, column, label), memo, font=BOLD, fill=HEADER_FILL, alignment=wrap)
