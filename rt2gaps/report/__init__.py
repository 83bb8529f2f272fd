"""Reports of a run: ``build_report_data`` computes every table once; writers turn it into files.

This package module stays light: ``tables`` (pandas) loads on first use of its names, so the
pandas-free ``rt2gaps gaps`` stays free of it; the Excel writer imports openpyxl and is loaded
only when a workbook is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt2gaps.i18n import lang_suffix

if TYPE_CHECKING:
    from rt2gaps.report.csv_tables import table_csv_texts
    from rt2gaps.report.tables import TABLE_ORDER, ReportData, build_report_data

_FROM_TABLES = ("TABLE_ORDER", "ReportData", "build_report_data")


def __getattr__(name: str) -> Any:
    if name in _FROM_TABLES:
        from rt2gaps.report import tables

        return getattr(tables, name)
    if name == "table_csv_texts":
        from rt2gaps.report.csv_tables import table_csv_texts

        return table_csv_texts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "TABLE_ORDER",
    "ReportData",
    "ReportPaths",
    "build_report_data",
    "lang_suffix",
    "table_csv_texts",
    "write_report",
]


@dataclass(frozen=True)
class ReportPaths:
    """Where a run wrote: the workbook and the folder of CSV tables beside it."""

    workbook: Path
    csv_folder: Path


def write_report(data: ReportData, out_dir: Path, lang: str = "en", csv_sep: str = ",") -> ReportPaths:
    """Write ``<stem>.xlsx`` and ``<stem>/<table>.csv`` into ``out_dir``; each lands whole or not at all.

    ``csv_sep=";"`` writes the tables as Excel reads a CSV file in a comma-decimal locale (French):
    semicolons between cells, decimal commas.
    """
    from rt2gaps.report.csv_tables import table_csv_texts
    from rt2gaps.report.excel import write_workbook
    from rt2gaps.snapshot.write import write_folder_atomically

    out_dir = Path(out_dir)
    stem = data.stem + lang_suffix(lang)  # English and French reports of one run never overwrite each other
    csv_folder = out_dir / stem
    texts = table_csv_texts(data, lang, csv_sep)  # computed before anything touches the disk
    workbook = write_workbook(data, out_dir / f"{stem}.xlsx", lang)
    write_folder_atomically(csv_folder, texts)
    return ReportPaths(workbook=workbook, csv_folder=csv_folder)
