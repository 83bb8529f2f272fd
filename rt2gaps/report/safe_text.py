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

    text_columns = [c for c in frame.columns if (is_object_dtype(frame[c]) or is_string_dtype(frame[c]))
                    and any(map(_to_neutralise, frame[c].tolist()))]  # fmt: skip
    if not text_columns:  # most tables: no text to change, no copy
        return frame
    out = frame.copy()
    for column in text_columns:
        # a Phrase (a Changes cell naming a user's file) is written as its text: neutralised like any text
        out[column] = out[column].map(lambda v: neutralise(str(v)) if isinstance(v, str | Phrase) else v)
    return out


def _to_neutralise(value: object) -> bool:
    """Whether ``neutralised_frame`` changes the cell: a Phrase (written as its text) or a formula-like text."""
    return isinstance(value, Phrase) or (isinstance(value, str) and value.startswith(FORMULA_STARTS))


CSV_SEPARATORS = (",", ";")


def report_csv_text(frame: pd.DataFrame, sep: str = ",") -> str:
    """A report table as CSV text: byte-order mark first (Excel), Unix line ends, text cells neutralised.

    pandas reads the mark as part of the encoding (``read_csv`` with the default UTF-8), so the first
    column keeps its name. ``sep=";"`` is the file Excel opens in a comma-decimal locale (French, German):
    semicolons between cells and decimal commas (0,75), where a comma file would land in one column.
    """
    if sep not in CSV_SEPARATORS:
        raise ValueError(f"CSV separator must be one of {' '.join(CSV_SEPARATORS)}, not {sep!r}")
    decimal = "," if sep == ";" else "."
    return UTF8_BOM + neutralised_frame(frame).to_csv(index=False, lineterminator="\n", sep=sep, decimal=decimal)
