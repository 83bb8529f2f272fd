"""Text from files and users, made safe for CSV and Markdown: no spreadsheet runs it as a formula.

A file name, a source label or a set name is chosen by whoever made the file, and reaches the CSV
tables and the briefs verbatim. Excel, LibreOffice and Google Sheets run a cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (CSV injection), and a Markdown
table pasted into a spreadsheet is read the same way. One rule for every writer: such a text gets
an apostrophe in front, which spreadsheets show as text and never run. The workbook's cells are
safe already (always written as string cells).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rt2gaps.phrase import Phrase

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"  # Excel on Windows reads a CSV file as UTF-8 only when it starts with this mark


def neutralise(text: str) -> str:
    """``text`` with an apostrophe in front when it begins like a formula; otherwise unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralised (numbers, dates and empty cells untouched)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    text_columns = [c for c in frame.columns if is_object_dtype(frame[c]) or is_string_dtype(frame[c])]
    if not text_columns:
        return frame
    out = frame.copy()
    for column in text_columns:
        # a Phrase (a Changes cell naming a user's file) is written as its text: neutralised like any text
        out[column] = out[column].map(lambda v: neutralise(str(v)) if isinstance(v, str | Phrase) else v)
    return out


def report_csv_text(frame: pd.DataFrame) -> str:
    """A report table as CSV text: byte-order mark first (Excel), Unix line ends, text cells neutralised.

    pandas reads the mark as part of the encoding (``read_csv`` with the default UTF-8), so the first
    column keeps its name.
    """
    return UTF8_BOM + neutralised_frame(frame).to_csv(index=False, lineterminator="\n")
