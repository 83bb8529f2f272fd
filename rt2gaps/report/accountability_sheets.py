"""The workbook's "Complaints procedures" and "Reservations" sheets (called by the workbook builder).

Complaints procedures: State × procedure, each cell a coloured status code in the Matrix's palette
(accepted as party, not accepted as no act, not party as not eligible), a first row with each
procedure's own state (in force or not, declarations made), and a legend. Reservations: one row
per statement, text wrapped as published, the instrument linked to its depositary page.
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rt2gaps.procedures import ACCEPTED, NOT_ACCEPTED, NOT_PARTY, PROCEDURE_STATUSES, WITHDRAWN
from rt2gaps.report.cells import (
    BOLD,
    LINE_HEIGHT,
    _status_look,
    header_row,
    put,
    set_style,
    set_widths,
    stamped_text,
    status_fill,
    status_font,
)
from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, UNKNOWN

if TYPE_CHECKING:
    from rt2gaps.report.excel import WorkbookBuilder

# The treaty status whose colours a procedure status borrows.
LOOK = {ACCEPTED: PARTY, NOT_ACCEPTED: NONE, NOT_PARTY: NOT_ELIGIBLE, WITHDRAWN: WITHDRAWN, UNKNOWN: UNKNOWN}
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_WIDTH = 100  # characters of a reservation's text per line
MAX_ROW_HEIGHT = 409  # points: Excel's tallest row


def wrapped_lines(text: str, width: int) -> int:
    """How many lines a text takes wrapped at ``width`` characters, its own line breaks kept."""
    return sum(max(1, math.ceil(len(line) / width)) for line in text.split("\n"))


def procedure_state_label(builder: WorkbookBuilder, row: dict) -> str:
    """``in force (59)``, ``not in force (5 of 10)``, ``no threshold (30)`` or the mode for the others."""
    t = builder.t
    if row["declarations"] is None or row["declarations"] is pd.NA:  # not counted (opt-out, protocol)
        return t(f"procedure.mode.{row['mode']}")
    n = int(row["declarations"])
    if row["procedure_in_force"] == "true":
        return t("procedure.in_force", n=n)
    if row["procedure_in_force"] == "false":
        return t("procedure.not_in_force", n=n, threshold=int(row["threshold"]))
    return t("procedure.no_threshold", n=n)


def complaints_sheet(builder: WorkbookBuilder, ws: Worksheet) -> None:
    t, data = builder.t, builder.data
    frame = data.tables["complaints_procedures"]
    own = data.tables["procedure_states"].to_dict("records")
    ids = [row["procedure"] for row in own]
    header_row(ws, [t.column("iso3"), t.column("name_en"), *(builder.loc.procedure_labels.get(i, i) for i in ids)])
    put(ws, 2, 2, t("procedure.in_force_row")).font = BOLD
    for column, row in enumerate(own, start=3):
        put(ws, 2, column, procedure_state_label(builder, row))
    wide = frame.pivot(index="iso3", columns="procedure", values="status").reindex(columns=ids)
    shown = builder.loc.state_names
    names = {iso3: shown.get(name, name) for iso3, name in zip(frame["iso3"], frame["name_en"], strict=True)}
    centre = Alignment(horizontal="center")
    # one label and one look per status, not per cell: 197 States x 17 procedures
    labels = {status: t(f"procstatus_code.{status}") for status in PROCEDURE_STATUSES}
    looks = {
        status: partial(_status_look, fill=status_fill(LOOK[status]), font=status_font(LOOK[status]), alignment=centre)
        for status in PROCEDURE_STATUSES
    }
    by_state = dict(zip(wide.index, wide.to_numpy().tolist(), strict=True))
    for offset, iso3 in enumerate(sorted(wide.index, key=lambda code: names[code])):
        row = offset + 3
        put(ws, row, 1, iso3)
        put(ws, row, 2, names[iso3])
        for column, status in enumerate(by_state[iso3], start=3):
            stamped_text(ws, row, column, labels[status], builder.stamps, ("procedure", status), looks[status])
    last = 2 + len(ids)
    ws.freeze_panes = ws.cell(row=3, column=3).coordinate
    ws.auto_filter.ref = f"A2:{get_column_letter(last)}{len(wide) + 2}"
    set_widths(ws, {1: 6, 2: 30, **{c: max(10, len(builder.loc.procedure_labels.get(i, i)) + 2)
                                    for c, i in enumerate(ids, start=3)}})  # fmt: skip
    legend = last + 2
    put(ws, 1, legend, t("legend.title")).font = BOLD
    for row, status in enumerate(PROCEDURE_STATUSES, start=2):
        cell = put(ws, row, legend, t(f"procstatus_code.{status}"))
        _status_look(cell, fill=status_fill(LOOK[status]), font=status_font(LOOK[status]), alignment=centre)
        put(ws, row, legend + 1, t(f"procstatus.{status}")).font = BOLD
        put(ws, row, legend + 2, t(f"procstatus_def.{status}"))
    set_widths(ws, {legend: 6, legend + 1: 16, legend + 2: 80})


def reservations_sheet(builder: WorkbookBuilder, ws: Worksheet) -> None:
    t, frame = builder.t, builder.loc.table("reservations")
    columns = [c for c in frame.columns if c != "source_url"]
    header_row(ws, [t.column(c) for c in columns])
    memo: dict[str, int] = {}
    for row, record in enumerate(frame.to_dict("records"), start=2):
        for column, key in enumerate(columns, start=1):
            value = record[key]
            if key in ("date", "withdrawn_date") and value:
                value = date.fromisoformat(value)
            url = record["source_url"] if key == "instrument" else ""
            cell = builder.data_cell(ws, row, column, value or None, url=url)
            if key == "text":
                set_style(cell, memo, alignment=WRAP)
                lines = wrapped_lines(value or "", TEXT_WIDTH)  # nothing measures the row when it opens
                if lines > 1:
                    ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
    ws.freeze_panes = ws.cell(row=2, column=3).coordinate
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame), 1) + 1}"
    widths = {c: max(8, len(t.column(k)) + 2) for c, k in enumerate(columns, start=1)}
    widths[columns.index("name_en") + 1] = 28
    set_widths(ws, widths)
    # wider than set_widths allows: the row heights above are counted at this width
    ws.column_dimensions[get_column_letter(columns.index("text") + 1)].width = TEXT_WIDTH
