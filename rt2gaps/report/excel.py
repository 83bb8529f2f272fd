"""The Excel workbook of a run (openpyxl): About, Summary, Matrix, one sheet per gap table, Data quality.

Every label comes from ``data/ui_strings.csv``; every colour from ``palette``. Text is always written
as a string cell, so a source name beginning with "=" stays visible text and never becomes a formula.
The same ReportData gives the same bytes: document times and zip entry times derive from the as-of
date. The file is written beside its target and renamed into place, so a failure leaves the previous
report intact.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from rt2gaps.atomic import replaced_on_success
from rt2gaps.i18n import UiStrings
from rt2gaps.report.cells import (  # noqa: F401 - the workbook's cell helpers, as excel always named them
    BOLD,
    COUNT_FORMAT,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_WIDTH,
    ITALIC,
    LINE_HEIGHT,
    LINK,
    LINK_BOLD,
    MAX_WIDTH,
    MIN_WIDTH,
    PERCENT_FORMAT,
    PLAIN_TYPES,
    SUMMARY_LABEL_WIDTH,
    TITLE,
    WARNING,
    WRAP_WIDTH,
    StyleStamps,
    _status_look,
    excel_value,
    header_row,
    header_rows,
    link,
    new_cell,
    plain_value,
    print_setup,
    put,
    set_widths,
    stamped_text,
    status_fill,
    status_font,
    style_status_cell,
    wrap_long_columns,
    wrap_text_page,
)
from rt2gaps.report.fixed_zip import FixedTimeZip
from rt2gaps.report.localise import (
    Localiser,
    chart_notes,
    dates_line,
    page_url,
    reference_text,
    rule_text,
    source_basis,
    source_description,
    source_provenance,
    sources_text,
)
from rt2gaps.report.tables import ReportData
from rt2gaps.snapshot.reference import STOCK_YEAR
from rt2gaps.status import STATUSES, projection_warning

# Which table columns show as percentages, and how many leading columns stay in view when scrolling.
PERCENT_COLUMNS = frozenset({"coverage", "coverage_low", "coverage_high", "commitment", "mean_coverage_low",
                             "mean_coverage_high", "known_share", "mean_known_share",
                             "share_party", "share_pending",
                             "share_signatory", "share_none", *(f"world_share_{s}" for s in STATUSES),
                             "origin_share_party", "origin_share_joined", "origin_share_party_low",
                             "origin_share_party_high", "destination_share_party", "destination_share_joined",
                             "destination_share_party_low", "destination_share_party_high",
                             "migrant_share"})  # fmt: skip
FROZEN_COLUMNS = {"country_gaps": 2, "signed_not_ratified": 2, "changes": 2, "matrix": 4, "regions": 3,
                  "migrants_affected": 2, "top_destinations": 2, "gcm_commitment_gap": 2}  # fmt: skip
TABLE_SHEETS = ("country_gaps", "instrument_coverage", "regions", "signed_not_ratified", "changes", "data_quality",
                "migrants_affected", "top_destinations", "origin_destination", "gcm_commitment_gap")  # fmt: skip


def text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 10
    if isinstance(value, float):
        return 8
    return len(str(value))


def count_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric columns that hold whole numbers (States, persons, days): shown with thousands separators.

    Years stay plain (2,018 would be wrong), and so do columns with fractions (years since signature).
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    found = []
    for column in frame.columns:
        values = frame[column]
        if "year" in column or not is_numeric_dtype(values) or is_bool_dtype(values):
            continue
        known = values.dropna()
        if len(known) == 0 or (known.astype(float) % 1 == 0).all():
            found.append(column)
    return found


class WorkbookBuilder:
    """Builds the workbook of one ReportData in one language."""

    def __init__(self, data: ReportData, strings: UiStrings) -> None:
        self.data = data
        self.t = strings
        self.loc = Localiser(data, strings)
        self.urls = {i.id: page_url(i.source_url, strings.lang) for i in data.instruments}
        self.short_names = {i.id: i.short(strings.lang) for i in data.instruments}
        # a localised table names an instrument by its label (PIDCP in French): its link is found by either
        self.urls.update({self.short_names[key]: url for key, url in list(self.urls.items())})
        self.titles = {i.id: i.title(strings.lang) for i in data.instruments}
        self.workbook = Workbook()
        self.stamps = StyleStamps()

    def data_cell(
        self, ws: Worksheet, row: int, column: int, value: Any, *, number_format: str | None = None, url: str = ""
    ) -> Cell:
        """``put`` for the bulk of a table: same rules, styles stamped from the first cell of each look.

        A plain value (text, number, date, empty) in a look already styled skips openpyxl's type
        inference and style setters: the cell is made with its type and the look's style indices,
        exactly what the general path gives it (~17,000 cells a run).
        """
        value = plain_value(value)
        if isinstance(value, date):  # a datetime too
            number_format = DATE_FORMAT
        elif value is None:
            number_format = None
        data_type = PLAIN_TYPES.get(type(value))
        array = None
        if number_format or url:
            array = self.stamps.get(("data", number_format, bool(url)))
            if array is None:  # the first cell of its look: styled through openpyxl
                data_type = None
        if data_type is None or (row, column) in ws._cells:
            return self._data_cell(ws, row, column, value, number_format=number_format, url=url)
        cell = new_cell(ws, row, column, value, data_type, array)
        if url:
            cell.hyperlink = url
        return cell

    def _data_cell(
        self, ws: Worksheet, row: int, column: int, value: Any, *, number_format: str | None, url: str
    ) -> Cell:
        """``data_cell`` through openpyxl's setters: the first cell of each look, and unusual values."""
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if number_format or url:
            self.stamps.apply(
                cell, ("data", number_format, bool(url)), lambda c: self._data_style(c, number_format, bool(url))
            )
        if url:
            cell.hyperlink = url
        return cell

    @staticmethod
    def _data_style(cell: Cell, number_format: str | None, linked: bool) -> None:
        if number_format:
            cell.number_format = number_format
        if linked:
            cell.font = LINK

    def build(self) -> Workbook:
        if (default := self.workbook.active) is not None:  # the empty sheet a new Workbook starts with
            self.workbook.remove(default)
        self.about(self.sheet("about"))
        self.summary(self.sheet("summary"))
        self.matrix(self.sheet("matrix"))
        self.legend(self.sheet("matrix_legend"))
        for name in TABLE_SHEETS:
            self.table(self.sheet(name), name)
        if "complaints_procedures" in self.data.tables:
            from rt2gaps.report.accountability_sheets import complaints_sheet, reservations_sheet

            complaints_sheet(self, self.sheet("complaints_procedures"))
            reservations_sheet(self, self.sheet("reservations"))
        footer = self.footer_sources()
        for ws in self.workbook.worksheets:
            print_setup(ws, self.t, footer, header_rows(ws))
        self.fix_properties()
        return self.workbook

    def sheet(self, name: str) -> Worksheet:
        return self.workbook.create_sheet(self.t(f"sheet.{name}"))

    def footer_sources(self) -> str:
        """The printed pages' footer text: the sources of the set and their as-of dates."""
        return self.t("print.footer_sources", sources=sources_text(self.data, self.t))

    def fix_properties(self) -> None:
        """Constant document metadata, so that the same inputs give the same file."""
        stamp = datetime(self.data.on.year, self.data.on.month, self.data.on.day)
        props = self.workbook.properties
        props.created = props.modified = stamp
        props.creator = props.lastModifiedBy = "rt2gaps"
        props.title = self.t("about.title")
        props.subject = f"{self.data.recommended_set.name} {self.data.on.isoformat()}"

    # --- About -----------------------------------------------------------------------------------
    def about(self, ws: Worksheet) -> None:
        data, t = self.data, self.t
        put(ws, 1, 1, t("about.title")).font = TITLE
        put(ws, 2, 1, dates_line(data, t)).font = BOLD  # the query date and each source's own, before anything
        put(ws, 3, 1, t("about.what"))
        row = 4
        chosen = data.recommended_set
        facts = [
            (t("about.set"), chosen.name),
            (t("about.set_description"), t.prose(chosen.describe(t.lang))),
            (t("about.seed_reference"), reference_text(chosen.seed_reference, t)),
            (t("about.as_of"), data.on),
            (t("about.since_snapshot"), self.snapshot_text(data.extras["since_snapshot"]))
            if "since_snapshot" in data.extras
            else (t("about.since"), data.since),
            *(self.group_facts() or [(t("about.universe"), t(f"universe.{data.universe}"))]),
            (t("about.states"), len(data.states)),
            (t("about.instruments"), self.instrument_list(data.instrument_ids)),
        ]
        for label, value in facts:
            put(ws, row, 1, label).font = BOLD
            put(ws, row, 2, value)
            row += 1
        row = self.about_warnings(ws, row + 1)
        row = self.block(ws, row + 1, t("about.sources"),
                         [t("col.source_key"), t("col.origin"), t("col.source_as_of"), t("col.as_of_basis"),
                          t("col.source_url"), t("col.provenance")],
                         ([s["source_key"], source_description(s, t), date.fromisoformat(s["as_of"]),
                           source_basis(s, t), page_url(s["url"], t.lang), source_provenance(s, t)]
                          for s in data.sources),
                         url_column=5)  # fmt: skip
        row = self.block(ws, row + 1, t("about.method_statuses"), [t("col.status"), t("col.code"), t("col.meaning")],
                         ([t.status(s), t.status_code(s), t(f"status_def.{s}")] for s in STATUSES))  # fmt: skip
        put(ws, row + 1, 1, t("about.coverage_title")).font = BOLD
        method = (
            "about.coverage_formula",
            "about.coverage_pending",
            "about.coverage_unknown",
            "about.known_share",
            "about.rank",
            "about.too_little_known",
            "about.year_only",
        )
        for offset, key in enumerate(method):
            put(ws, row + 2 + offset, 1, t(key))
        put(ws, row + 2 + len(method), 1, t("about.freshness", days=data.stale_after))
        row += len(method) + 4
        row = self.block(ws, row, t("about.eif_rules"),
                         [t("col.instrument"), t("col.title"), t("col.entry_into_force"), t("col.eif_rule")],
                         ([self.short_names[i.id], i.title(t.lang), i.entry_into_force_date,
                           rule_text(i.eif_rule, t, i.body)]
                          for i in data.instruments),
                         link_instruments=True)  # fmt: skip
        row = self.block(ws, row + 1, t("about.non_ratifiable"),
                         [t("col.id"), t("col.title"), t("col.kind"), t("col.note")],
                         ([n.id, n.title_fr if t.lang == "fr" else n.title_en, t(f"kind.{n.kind}"),
                           t("about.never_scored")] for n in data.non_ratifiable))  # fmt: skip
        self.block(ws, row + 1, t("about.chart_notes"), [t("col.chart"), t("col.note")],
                   ([t("about.every_chart") if stem == "*" else stem, text]
                    for stem, text in chart_notes(t, data.stale_after, STOCK_YEAR)))  # fmt: skip
        ws.column_dimensions["A"].width = 28
        for letter, width in (("B", 60), ("C", 14), ("D", 50), ("E", 50), ("F", 40)):
            ws.column_dimensions[letter].width = width
        wrap_text_page(ws)

    def instrument_list(self, ids: Iterable[str]) -> str:
        """Instruments named in running text by their labels (PIDCP, PIDESC in French)."""
        return ", ".join(self.short_names.get(i, i) for i in ids)

    def group_facts(self) -> list[tuple[str, str]]:
        """The About row naming the group of States (``--group``), its source and date; none without one."""
        group, t = self.data.group, self.t
        if group is None:
            return []
        return [(t("about.group"), t("about.group_value", name=group.title(t), members=len(self.data.states),
                                     source=group.source, as_of=t.date(group.as_of))),
                (t("about.universe"), t("about.group_universe", name=group.title(t),
                                        universe=t(f"universe.{self.data.universe}")))]  # fmt: skip

    def snapshot_text(self, snapshot: dict[str, Any]) -> str:
        """An older snapshot (``--since-snapshot``) by its date and sources, never by a folder path."""
        from rt2gaps.report.charts.base import source_label

        t = self.t
        sources = "; ".join(t("chart.source_item", name=source_label(source, t), as_of=t.dates_in(source.get("as_of")))
                            for source in snapshot["sources"])  # fmt: skip
        return t("about.snapshot_value", as_of=t.dates_in(snapshot["as_of"]), sources=sources or t("chart.no_sources"))

    def about_warnings(self, ws: Worksheet, row: int) -> int:
        """The plain warning: instruments with no data (unknown, never 'not ratified') and stale ones."""
        t, data = self.t, self.data
        put(ws, row, 1, t("about.warning")).font = WARNING
        row += 1
        projected = projection_warning(data.on)
        if projected:
            put(ws, row, 1, t("about.projected", on=t.date(data.on), today=t.date(date.today()))).font = WARNING
            row += 1
        if data.no_data_instruments:
            text = t("about.no_data", instruments=self.instrument_list(data.no_data_instruments))
            put(ws, row, 1, text).font = WARNING
            row += 1
        coverage = data.tables["instrument_coverage"].set_index("instrument")
        for instrument in data.stale_instruments:
            as_of = coverage.loc[instrument, "source_as_of"]
            text = t("about.stale", instrument=self.short_names[instrument], as_of=t.date(as_of))
            put(ws, row, 1, text).font = WARNING
            row += 1
        row = self.score_warnings(ws, row)
        if (
            not data.no_data_instruments
            and not data.stale_instruments
            and not data.mostly_unknown_instruments
            and not projected
        ):
            put(ws, row, 1, t("about.no_warnings"))
            row += 1
        return row

    def score_warnings(self, ws: Worksheet, row: int) -> int:
        """What the scores leave out: instruments unknown for most States, States with too little known."""
        t, data = self.t, self.data
        if data.mostly_unknown_instruments:
            text = t("about.mostly_unknown", instruments=self.instrument_list(data.mostly_unknown_instruments))
            put(ws, row, 1, text).font = WARNING
            row += 1
        if data.too_little_known:
            put(ws, row, 1, t("about.states_too_little_known", states=data.too_little_known)).font = WARNING
            row += 1
        return row

    def block(
        self,
        ws: Worksheet,
        row: int,
        title: str,
        headers: list[str],
        rows: Iterable[list[Any]],
        *,
        url_column: int | None = None,
        link_instruments: bool = False,
    ) -> int:
        """A titled small table inside a sheet; returns the next free row."""
        put(ws, row, 1, title).font = BOLD
        header_row(ws, headers, row + 1)
        row += 2
        for values in rows:
            for column, value in enumerate(values, start=1):
                cell = put(ws, row, column, value)
                if column == url_column:
                    link(cell, str(value))
                if link_instruments and column == 1:
                    link(cell, self.urls.get(str(value), ""))
            row += 1
        return row

    # --- Summary ---------------------------------------------------------------------------------
    def summary(self, ws: Worksheet) -> None:
        t = self.t
        title = t("summary.title", set=self.data.recommended_set.title(t.lang), as_of=t.date(self.data.on))
        put(ws, 1, 1, title).font = TITLE
        header_row(ws, [t("col.metric"), t("col.value")], 3)
        row = 4
        wrap = Alignment(wrap_text=True, vertical="top")
        labels = [t(f"metric.{metric}") for metric in self.data.tables["summary"]["metric"]]
        for label, (metric, value) in zip(labels, self.data.tables["summary"].itertuples(index=False), strict=True):
            cell = put(ws, row, 1, label)
            cell.font, cell.alignment = BOLD, wrap
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                put(ws, row, 2, t("summary.none")).font = ITALIC  # an empty cell would not say whether it is a gap
            else:
                number_format = PERCENT_FORMAT if metric in PERCENT_COLUMNS else COUNT_FORMAT
                value = self.loc.instruments_text(value)  # "ICRMW (60), PIDCP (174)": labels in French
                put(ws, row, 2, value, number_format=number_format if isinstance(value, int | float) else None)
            ws.cell(row=row, column=2).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            row += 1
        coverage = self.data.tables["instrument_coverage"]
        fewest = coverage[~coverage["no_data"]].sort_values(["party", "instrument"]).head(10)
        self.block(ws, row + 1, t("summary.fewest"),
                   [t("col.instrument"), t("col.title"), t("col.party"), t("col.share_party")],
                   ([self.short_names[r.instrument], self.titles[r.instrument], r.party, r.share_party]
                    for r in fewest.itertuples()),
                   link_instruments=True)  # fmt: skip
        for cell in ws["C"]:
            if isinstance(cell.value, int):
                cell.number_format = COUNT_FORMAT
        for cell in ws["D"]:
            if isinstance(cell.value, float):
                cell.number_format = PERCENT_FORMAT
        ws.column_dimensions["A"].width = min(SUMMARY_LABEL_WIDTH, max(map(len, labels)) + 2)  # labels never cut
        ws.column_dimensions["B"].width = 70
        ws.column_dimensions["C"].width = 10
        ws.column_dimensions["D"].width = 12

    # --- Matrix ----------------------------------------------------------------------------------
    def matrix(self, ws: Worksheet) -> None:
        t, frame = self.t, self.loc.table("matrix")
        ids = self.data.instrument_ids
        state_columns = [c for c in frame.columns if c not in ids]
        header_row(ws, [t.column(c) for c in state_columns] + [self.short_names[i] for i in ids])
        for offset, instrument in enumerate(ids):
            heading = ws.cell(row=1, column=len(state_columns) + 1 + offset)
            if isinstance(heading, Cell):  # always: header_row just wrote it, and nothing here is merged
                link(heading, self.urls[instrument])
        fills = {s: status_fill(s) for s in STATUSES}
        fonts = {s: status_font(s) for s in STATUSES}
        codes = {s: t.status_code(s) for s in STATUSES}
        centre = Alignment(horizontal="center")
        looks = {s: partial(_status_look, fill=fills[s], font=fonts[s], alignment=centre) for s in STATUSES}
        reserved = self.data.extras.get("reserved_pairs", set())
        for row, record in enumerate(frame.itertuples(index=False), start=2):
            values = list(record)
            for column, value in enumerate(values[: len(state_columns)], start=1):
                put(ws, row, column, value)
            iso3 = values[state_columns.index("iso3")]
            for column, status in enumerate(values[len(state_columns) :], start=len(state_columns) + 1):
                marker = "*" if status == "party" and (iso3, ids[column - len(state_columns) - 1]) in reserved else ""
                stamped_text(ws, row, column, codes[status] + marker, self.stamps, ("matrix", status), looks[status])
        last_column = len(state_columns) + len(ids)
        ws.freeze_panes = ws.cell(row=2, column=len(state_columns) + 1).coordinate
        ws.auto_filter.ref = f"A1:{get_column_letter(last_column)}{len(frame) + 1}"
        widths = {c: max([len(t.column(name))] + [text_width(v) for v in frame[name]])
                  for c, name in enumerate(state_columns, start=1)}  # fmt: skip
        widths.update({c: max(6, len(self.short_names[i])) for c, i in enumerate(ids, start=len(state_columns) + 1)})
        set_widths(ws, widths)

    def legend(self, ws: Worksheet) -> None:
        """The Matrix's status codes, colours and meanings, on their own sheet: filtering the Matrix hides no part."""
        t = self.t
        put(ws, 1, 1, t("legend.title")).font = TITLE
        header_row(ws, [t("col.code"), t("col.status"), t("col.meaning")], 3)
        for row, status in enumerate(STATUSES, start=4):
            style_status_cell(put(ws, row, 1, t.status_code(status)), status)
            put(ws, row, 2, t.status(status)).font = BOLD
            put(ws, row, 3, t(f"status_def.{status}"))
        put(ws, len(STATUSES) + 5, 1, t("legend.unknown_note")).font = WARNING
        if self.data.extras.get("reserved_pairs"):
            put(ws, len(STATUSES) + 6, 1, t("legend.reservation_marker"))
        set_widths(ws, {1: 8, 2: 16, 3: 80})

    # --- one table per sheet ---------------------------------------------------------------------
    def header_label(self, column: str) -> str:
        return self.loc.header(column)

    def table(self, ws: Worksheet, name: str) -> None:
        """A gap table with labelled headers, frozen header row, filters, real dates and links."""
        frame = self.loc.table(name)  # State and region names, labels and notes in the workbook's language
        columns = [c for c in frame.columns if c != "source_url"]
        header_row(ws, [self.header_label(c) for c in columns])
        if "instrument" in columns and name == "instrument_coverage":
            columns_linked = {"instrument", "title"}
        else:
            columns_linked = {"instrument"}
        formats = {c: PERCENT_FORMAT for c in columns
                   if c in PERCENT_COLUMNS or (name == "regions" and c in self.short_names)}  # fmt: skip
        formats.update({c: COUNT_FORMAT for c in count_columns(frame[columns]) if c not in formats})
        # a header wraps onto two or three lines: it widens its column only up to HEADER_WIDTH
        widths = {c: min(HEADER_WIDTH, len(self.header_label(n))) for c, n in enumerate(columns, start=1)}
        values = [[plain_value(v) for v in frame[c].tolist()] for c in columns]  # each column converted once
        for column, column_values in enumerate(values, start=1):
            widths[column] = max([widths[column], *map(text_width, column_values)])
        cells = [(column, formats.get(key), key in columns_linked) for column, key in enumerate(columns, start=1)]
        at = columns.index("instrument") if "instrument" in columns else None
        for row, record in enumerate(zip(*values, strict=True), start=2):
            instrument = record[at] if at is not None else None
            url = self.urls.get(instrument, "") if instrument else ""
            for (column, number_format, linked), value in zip(cells, record, strict=True):
                self.data_cell(ws, row, column, value, number_format=number_format, url=url if linked else "")
        frozen = FROZEN_COLUMNS.get(name, 1)
        ws.freeze_panes = ws.cell(row=2, column=frozen + 1).coordinate
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame), 1) + 1}"
        wrap_long_columns(ws, widths, len(frame) + 1)
        set_widths(ws, widths)


def build_workbook(data: ReportData, lang: str = "en") -> Workbook:
    """The workbook in memory (tests read it without saving)."""
    return WorkbookBuilder(data, UiStrings(lang)).build()


class InMemoryExcelWriter(ExcelWriter):
    """openpyxl's writer, each worksheet's XML kept in memory: openpyxl writes it to a temporary
    file, reads it back into the zip and removes the file (the same bytes either way)."""

    def write_worksheet(self, ws: Worksheet) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()  # type: ignore[attr-defined]
        ws._drawing.charts = ws._charts  # type: ignore[attr-defined]
        ws._drawing.images = ws._images  # type: ignore[attr-defined]
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out)
        writer.write()
        ws._rels = writer._rels  # type: ignore[attr-defined]
        self._archive.writestr(ws.path[1:], out.getvalue())  # type: ignore[attr-defined]
        self.manifest.append(ws)


def save_deterministic(workbook: Workbook, path: Path, stamp: date) -> None:
    """openpyxl's save, without its 'modified = now' and with fixed zip entry times."""
    writer = InMemoryExcelWriter(workbook, FixedTimeZip(path, stamp))
    writer.save()


def write_workbook(data: ReportData, path: Path, lang: str = "en") -> Path:
    """Write the workbook to ``path`` atomically (temporary file beside it, then rename)."""
    workbook = build_workbook(data, lang)
    with replaced_on_success(path) as temporary:
        save_deterministic(workbook, temporary, data.on)
    return path
