"""A run's tables as CSV texts (``<table>.csv``): the one writer of the CSV folder, English or localised."""

from __future__ import annotations

from rt2gaps.i18n import UiStrings
from rt2gaps.report.localise import Localiser
from rt2gaps.report.safe_text import report_csv_text
from rt2gaps.report.tables import ReportData, table_names


def table_csv_texts(data: ReportData, lang: str = "en", sep: str = ",") -> dict[str, str]:
    """Each table as CSV text (``<table>.csv``); dates as ISO.

    Written for Excel as much as for pandas: a byte-order mark first, and no text cell a spreadsheet
    would run as a formula (``safe_text``). English keeps the column keys and codes scripts read;
    French is French all the way through (headers, State and region names, labels, notes:
    ``localise.Localiser``). ``sep=";"``: semicolons and decimal commas, as French-locale Excel reads.
    """
    if lang != "en":
        return Localiser(data, UiStrings(lang)).csv_texts(table_names(data), sep)
    return {f"{name}.csv": report_csv_text(data.tables[name], sep) for name in table_names(data)}
