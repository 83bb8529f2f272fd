"""The workbook read back with openpyxl, the run and gaps verbs end to end, and their clear errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from test_gaps import FORMULA_NAME, ON, fixture_set, fixture_snapshot

from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.i18n import UiStrings
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.report import build_report_data, write_report
from rt2gaps.report import excel as excel_module
from rt2gaps.report.excel import write_workbook
from rt2gaps.report.tables import TABLE_ORDER

SHEETS = ["About", "Summary", "Matrix", "Matrix legend", "Country gaps", "Instrument coverage", "Regions",
          "Signed not ratified", "Changes", "Data quality", "Migrants affected", "Top destinations",
          "Origin vs destination", "GCM commitment gap", "Complaints procedures", "Reservations"]  # fmt: skip
TABLE_SHEETS = [name for name in SHEETS[2:-2] if name != "Matrix legend"]


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    return write_workbook(data, tmp_path_factory.mktemp("report") / "fixture.xlsx")


@pytest.fixture(scope="module")
def book(workbook_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(workbook_path)


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def row_of(sheet, column_header: str, value: str) -> dict[str, object]:
    """The first data row whose cell under ``column_header`` equals ``value``, as header -> cell."""
    names = [cell.value for cell in sheet[1]]
    index = names.index(column_header)
    for row in sheet.iter_rows(min_row=2):
        if row[index].value == value:
            return {name: cell for name, cell in zip(names, row, strict=False) if name}
    raise AssertionError(f"{value!r} not found under {column_header!r} in {sheet.title}")


def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == SHEETS


def test_table_headers(book: openpyxl.Workbook) -> None:
    assert headers(book["Country gaps"])[:6] == ["ISO3", "State", "Region", "Sub-region", "Party", "Pending"]
    assert {"Coverage, low (unknown as not party)", "Coverage, high (unknown as party)", "Coverage (where exact)",
            "Missing (signatory, no action, withdrawn)", "Unknown (no data)", "Best rank", "Worst rank",
            "Rank"} <= set(headers(book["Country gaps"]))  # fmt: skip
    assert {"Instrument", "Party", "Share party", "Year in force", "Source as of", "Stale (over 12 months)"} <= set(
        headers(book["Instrument coverage"])
    )
    assert headers(book["Regions"])[:6] == [
        "Level",
        "Region",
        "Sub-region",
        "States",
        "Mean coverage, low",
        "Mean coverage, high",
    ]
    assert "ICRMW: share party" in headers(book["Regions"])
    assert headers(book["Signed not ratified"])[4:7] == ["Instrument", "Signed on", "Years since signature"]
    assert headers(book["Matrix"])[:8] == ["ISO3", "State", "Region", "Sub-region", "ICRMW", "ICCPR", "C029", "C189"]


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_frozen_header_and_filter(book: openpyxl.Workbook, name: str) -> None:
    sheet = book[name]
    assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width >= 6


def test_matrix_freezes_name_columns_and_its_legend_has_its_own_sheet(book: openpyxl.Workbook) -> None:
    sheet = book["Matrix"]
    assert sheet.freeze_panes == "E2"
    # nothing beside the data rows, which a filter would hide: the filter covers every used column
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
    legend = book["Matrix legend"]
    assert legend["A1"].value == "Legend" and [c.value for c in legend[3]] == ["Code", "Status", "Meaning"]
    codes = [legend.cell(row=r, column=1).value for r in range(4, 11)]
    labels = [legend.cell(row=r, column=2).value for r in range(4, 11)]
    assert legend.cell(row=4, column=1).fill.start_color.rgb == excel_module.status_fill("party").start_color.rgb
    assert codes == ["P", "PE", "S", "W", "N", "NE", "?"]
    assert labels == ["Party", "Pending", "Signatory", "Withdrawn", "No action", "Not eligible", "Unknown"]


def test_unknown_cells_look_different_from_none(book: openpyxl.Workbook) -> None:
    sheet = book["Matrix"]
    ddd = row_of(sheet, "ISO3", "DDD")
    unknown, none = ddd["C029"], ddd["ICCPR"]
    assert unknown.value == "?" and none.value == "N"
    assert unknown.fill.fill_type == "lightUp" and none.fill.fill_type == "solid"
    assert unknown.fill.end_color.rgb != none.fill.start_color.rgb


def test_unknown_is_never_counted_as_a_gap(book: openpyxl.Workbook) -> None:
    ddd = row_of(book["Country gaps"], "ISO3", "DDD")
    assert ddd["Missing (signatory, no action, withdrawn)"].value == "ICCPR"
    assert ddd["Unknown (no data)"].value == "C029, C189"
    low, high = ddd["Coverage, low (unknown as not party)"], ddd["Coverage, high (unknown as party)"]
    assert (low.value, high.value) == (0.25, 0.75)  # ICRMW of 4 eligible; with C029 and C189 as party
    assert low.number_format == high.number_format == "0.0%"
    assert ddd["Coverage (where exact)"].value is None  # two unknowns: no single figure
    c189 = row_of(book["Instrument coverage"], "Instrument", "C189")
    assert c189["No source"].value is True and c189["Share party"].value is None and c189["No action"].value == 0


def test_real_excel_dates(book: openpyxl.Workbook) -> None:
    signed = row_of(book["Signed not ratified"], "ISO3", "BBB")["Signed on"]
    assert signed.is_date and signed.value == datetime(2000, 9, 22) and signed.number_format == "yyyy-mm-dd"
    change = row_of(book["Changes"], "ISO3", "BBB")["Date"]
    assert change.is_date and change.value == datetime(2020, 5, 15)
    as_of = [row[1] for row in book["About"].iter_rows(min_row=1, max_row=20) if row[0].value == "As-of date"]
    assert as_of and as_of[0].is_date and as_of[0].value == datetime(2020, 6, 30)


def test_hyperlinks_to_source_pages(book: openpyxl.Workbook) -> None:
    catalogue = load_instruments()
    cell = row_of(book["Instrument coverage"], "Instrument", "ICRMW")["Instrument"]
    assert cell.hyperlink is not None and cell.hyperlink.target == catalogue["ICRMW"].source_url
    header = [c for c in book["Matrix"][1] if c.value == "C189"][0]
    assert header.hyperlink.target == catalogue["C189"].source_url
    about_links = [c.hyperlink.target for row in book["About"].iter_rows() for c in row if c.hyperlink]
    assert "https://normlex.ilo.org/" in about_links


def test_text_starting_with_equals_stays_text(book: openpyxl.Workbook) -> None:
    """A State or source name beginning with '=' is a string cell with its text unchanged, never a formula."""
    name = row_of(book["Matrix"], "ISO3", "CCC")["State"]
    assert name.value == FORMULA_NAME and name.data_type == "s"
    origins = [c for row in book["About"].iter_rows() for c in row if c.value == FORMULA_NAME]
    assert origins and all(c.data_type == "s" for c in origins)
    formulas = [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_about_warns_about_no_data_and_lists_non_ratifiable(book: openpyxl.Workbook) -> None:
    texts = [str(c.value) for row in book["About"].iter_rows() for c in row if c.value is not None]
    warning = [t for t in texts if t.startswith("No source covers C189")]
    assert warning and "NOT 'not ratified'" in warning[0]
    assert {"UDHR", "GCM"} <= set(texts)
    assert "cannot be ratified: never scored" in texts
    assert any(t.startswith("Coverage is a range. Low = ") for t in texts)


def test_data_quality_and_summary(book: openpyxl.Workbook) -> None:
    checks = [row[0] for row in book["Data quality"].iter_rows(min_row=2, values_only=True)]
    assert {"no source", "unknown cells", "non-State participant", "source header count vs parsed"} <= set(checks)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary["States assessed (at least one known, eligible instrument)"] == 4
    assert summary["Signed but not ratified (State-instrument pairs)"] == 1


def test_same_inputs_same_bytes_and_fixed_properties(tmp_path: Path, workbook_path: Path) -> None:
    again = write_workbook(build_report_data(fixture_set(), fixture_snapshot(), ON), tmp_path / "again.xlsx")
    assert again.read_bytes() == workbook_path.read_bytes()
    properties = openpyxl.load_workbook(again).properties
    assert properties.created == properties.modified == datetime(2020, 6, 30)


def test_failed_write_keeps_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous report")

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(excel_module, "save_deterministic", broken)
    with pytest.raises(OSError):
        write_workbook(build_report_data(fixture_set(), fixture_snapshot(), ON), target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_csv_tables_beside_the_workbook(tmp_path: Path) -> None:
    paths = write_report(build_report_data(fixture_set(), fixture_snapshot(), ON), tmp_path)
    assert paths.workbook == tmp_path / "rt2gaps_fixture_2020-06-30.xlsx"
    assert sorted(p.stem for p in paths.csv_folder.iterdir()) == sorted(TABLE_ORDER)
    rows = list(csv.DictReader((paths.csv_folder / "signed_not_ratified.csv").open(encoding="utf-8-sig")))
    assert rows[0]["signature_date"] == "2000-09-22"


def test_every_label_has_french_and_the_french_workbook_builds(tmp_path: Path) -> None:
    french = UiStrings("fr")
    with open(french.path, encoding="utf-8", newline="") as handle:
        missing = [row["key"] for row in csv.DictReader(handle) if not row["fr"].strip()]
    assert missing == []
    path = write_workbook(build_report_data(fixture_set(), fixture_snapshot(), ON), tmp_path / "fr.xlsx", lang="fr")
    assert openpyxl.load_workbook(path).sheetnames[:3] == ["À propos", "Synthèse", "Matrice"]


# --- the verbs ------------------------------------------------------------------------------------

BAD_SETS = {
    "unknown_id": ('name = "x"\ninstruments = ["ICRMW", "C999"]\n', "'instruments'", "C999"),
    "wrong_type": ('name = "x"\ninstruments = "ICRMW"\n', "'instruments'", "expected a list"),
    "duplicate": ('name = "x"\ninstruments = ["ICRMW", "ICRMW"]\n', "'instruments'", "duplicate"),
    "empty": ('name = "x"\ninstruments = []\n', "'instruments'", "at least one"),
    "not_toml": ('name = "x\ninstruments = [\n', "not valid TOML", ""),
    "bad_weight": ('name = "x"\ninstruments = ["ICRMW"]\n[weights]\nICRMW = "high"\n', "'weights.ICRMW'", "number"),
}


@pytest.mark.parametrize("case", sorted(BAD_SETS))
def test_bad_set_file_is_one_clear_line_exit_2_and_nothing_written(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, key, expected = BAD_SETS[case]
    set_file = tmp_path / f"{case}.toml"
    set_file.write_text(text, encoding="utf-8")
    out = tmp_path / "reports"
    code = main(["run", "--set", str(set_file), "--out", str(out), "--as-of", "2026-02-03"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(set_file) in captured.err
    assert key in captured.err and expected in captured.err
    assert not out.exists()


def test_bad_dates_are_clear(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "--since", "19/12/2018", "--out", str(tmp_path / "r")]) == 2
    assert "--since: '19/12/2018' is not a date" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


real_snapshot = pytest.mark.skipif(
    not (BUNDLED_SNAPSHOT_DIR / "events.csv").is_file(), reason=f"no committed snapshot at {BUNDLED_SNAPSHOT_DIR}"
)


@real_snapshot
def test_run_with_a_good_user_set_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_file = tmp_path / "mine.toml"
    set_file.write_text(
        'name = "my set"\ndescription = "test"\ninstruments = ["ICRMW", "C189"]\n[weights]\nICRMW = 2\n',
        encoding="utf-8",
    )
    code = main(["run", "--set", str(set_file), "--as-of", "2026-02-03", "--out", str(tmp_path)])
    assert code == 0
    workbook = tmp_path / "rt2gaps_my-set_2026-02-03.xlsx"
    assert str(workbook) in capsys.readouterr().out
    book = openpyxl.load_workbook(workbook)
    assert headers(book["Matrix"])[4:] == ["ICRMW", "C189"]


@real_snapshot
def test_run_on_the_real_snapshot_icrmw_60_parties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--as-of", "2026-02-03", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    workbook = tmp_path / "rt2gaps_rt2-priority_2026-02-03.xlsx"
    assert f"wrote {workbook}" in out
    book = openpyxl.load_workbook(workbook)
    icrmw = row_of(book["Instrument coverage"], "Instrument", "ICRMW")
    assert icrmw["Party"].value == 60
    about = [str(c.value) for row in book["About"].iter_rows() for c in row if c.value]
    assert any(t.startswith("No source covers C097, C143, C181, C189, C190") for t in about)
    for code in ("C097", "C143", "C181", "C189", "C190"):  # every ILO member unknown, never 'N'
        column = [c for c in book["Matrix"][1] if c.value == code][0].column
        values = {book["Matrix"].cell(row=r, column=column).value for r in range(2, book["Matrix"].max_row + 1)}
        assert values == {"?", "NE"}


@real_snapshot
def test_gaps_verb_csv_and_country(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--set", "migrants", "--as-of", "2026-02-03", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 197 and {"iso3", "coverage", "missing", "rank"} <= set(rows[0])
    assert main(["gaps", "--set", "rt2-priority", "--country", "phl", "--as-of", "2026-02-03"]) == 0
    detail = {row["instrument"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert detail["ICRMW"]["status"] == "party" and detail["C189"]["status"] == "unknown"
    assert detail["C189"]["gap"] == "False"
    assert main(["gaps", "--country", "XXX"]) == 2
    assert "--country: 'XXX'" in capsys.readouterr().err


@real_snapshot
def test_gaps_verb_csv_is_the_country_gaps_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The verb prints without pandas; its CSV must equal the pandas table the workbook uses."""
    from datetime import date

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set

    data = build_report_data(load_set("migrants"), current_snapshot(), date(2026, 2, 3))
    assert main(["gaps", "--set", "migrants", "--as-of", "2026-02-03"]) == 0
    assert capsys.readouterr().out == data.tables["country_gaps"].to_csv(index=False, lineterminator="\n")


@real_snapshot
def test_gaps_query_path_imports_neither_openpyxl_nor_matplotlib() -> None:
    """Nor pandas, for CSV: that is what keeps the query under 1.2 x ``import pandas``."""
    code = (
        "import sys, io, contextlib\n"
        "from rt2gaps.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['gaps', '--as-of', '2026-02-03'])\n"
        "print(sorted(m for m in ('openpyxl', 'matplotlib', 'pandas') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_run_without_charts_writes_the_workbook_and_tables_only(tmp_path: Path, capsys) -> None:
    assert main(["run", "--set", "un-core", "--as-of", ON.isoformat(), "--no-charts", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"rt2gaps_un-core_{ON.isoformat()}", f"rt2gaps_un-core_{ON.isoformat()}.xlsx"]
    assert "chart files" not in capsys.readouterr().out


def test_data_cells_are_what_openpyxl_setters_make() -> None:
    """The quick path of ``data_cell`` (a look already styled) gives each cell the value, type and
    style that openpyxl's own setters give it: the workbook's bytes do not depend on which path ran."""
    from datetime import date

    import numpy as np
    import pandas as pd
    from openpyxl.cell.cell import Cell
    from openpyxl.utils.exceptions import IllegalCharacterError

    from rt2gaps.report.cells import COUNT_FORMAT, DATE_FORMAT, PERCENT_FORMAT

    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    builder = excel_module.WorkbookBuilder(data, UiStrings("en"))
    ws = builder.workbook.active
    values = ["text", "=SUM(A1)", "#N/A", 7, 2.5, float("nan"), None, True, np.int64(3), np.float64(0.25),
              np.bool_(False), date(2020, 1, 2), pd.Timestamp("2021-03-04"), datetime(2022, 5, 6, 7, 8),
              pd.NA]  # fmt: skip
    looks = [(None, ""), (COUNT_FORMAT, ""), (PERCENT_FORMAT, ""), (None, "https://example.org/a")]
    row = 1
    for number_format, url in looks:
        for value in values:
            for _ in range(2):  # the first cell of a look goes through openpyxl, the next one is stamped
                row += 1
                cell = builder.data_cell(ws, row, 1, value, number_format=number_format, url=url)
                expected = Cell(ws, row=row, column=1)
                plain = excel_module.excel_value(value)
                if plain is not None:
                    expected.value = plain
                if isinstance(plain, str):
                    expected.data_type = "s"
                shown = DATE_FORMAT if isinstance(plain, date) else None if plain is None else number_format
                if shown:
                    expected.number_format = shown
                if url:
                    expected.font = excel_module.LINK
                    expected.hyperlink = url
                assert ws.cell(row=row, column=1) is cell
                assert (cell.value, type(cell.value), cell.data_type) == (
                    expected.value, type(expected.value), expected.data_type), (value, number_format, url)  # fmt: skip
                assert cell._style == expected._style, (value, number_format, url)
                assert (cell.hyperlink.target if cell.hyperlink else None) == (url or None)
    assert ws._current_row == row
    long_text = "x" * 40000
    assert builder.data_cell(ws, row + 1, 1, long_text).value == "x" * 32767  # Excel's limit, as openpyxl cuts
    assert builder.data_cell(ws, row + 2, 1, long_text, number_format=COUNT_FORMAT).value == "x" * 32767
    with pytest.raises(IllegalCharacterError):
        builder.data_cell(ws, row + 3, 1, "bell \x07")


def test_set_style_gives_what_the_setters_give() -> None:
    """``set_style`` copies the index the first cell's setter found: every cell ends as the setters leave it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from rt2gaps.report.cells import BOLD, HEADER_FILL, LINK, set_style

    ws = Workbook().active
    wrap = Alignment(wrap_text=True, vertical="top")
    memo: dict[str, int] = {}
    for row in range(1, 4):
        for column, font in ((1, None), (2, LINK)):
            cell, expected = ws.cell(row=row, column=column, value="x"), ws.cell(row=row, column=column + 2, value="x")
            if font is not None:
                cell.font = expected.font = font
            set_style(cell, memo, fill=HEADER_FILL, alignment=wrap)
            expected.fill, expected.alignment = HEADER_FILL, wrap
            assert cell._style == expected._style
    set_style(ws.cell(row=5, column=1), {}, font=BOLD)
    assert ws.cell(row=5, column=1).font.bold


def test_worksheets_are_written_in_memory_with_openpyxl_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The saved workbook is byte for byte what openpyxl's own writer gives, without its temporary files."""
    from openpyxl.worksheet import _writer
    from openpyxl.writer.excel import ExcelWriter

    from rt2gaps.report.fixed_zip import FixedTimeZip

    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    ExcelWriter(excel_module.build_workbook(data), FixedTimeZip(tmp_path / "openpyxl.xlsx", data.on)).save()

    def no_temporary_file(*_args: object) -> str:
        raise AssertionError("a worksheet went through a temporary file")

    monkeypatch.setattr(_writer, "create_temporary_file", no_temporary_file)
    excel_module.save_deterministic(excel_module.build_workbook(data), tmp_path / "ours.xlsx", data.on)
    assert (tmp_path / "ours.xlsx").read_bytes() == (tmp_path / "openpyxl.xlsx").read_bytes()


def test_the_accountability_tables_load_no_statement_parser() -> None:
    """The procedures engine reads the statement table; the parsers that build it (their ~40 regular
    expressions compiled at import) load only when a snapshot is built."""
    code = "import rt2gaps.procedures, rt2gaps.reservations, rt2gaps.report.accountability"
    command = [sys.executable, "-X", "importtime", "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "rt2gaps.procedures" in imported
    assert sorted(imported & {"rt2gaps.snapshot.declarations", "rt2gaps.sources.untc_statements"}) == []


def test_stamped_text_gives_what_put_and_the_stamp_give() -> None:
    """A status cell made with its look's indices equals one written by ``put`` and styled by ``StyleStamps``."""
    from functools import partial

    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from rt2gaps.report.cells import StyleStamps, _status_look, put, stamped_text, status_fill, status_font

    ws = Workbook().active
    look = partial(_status_look, fill=status_fill("party"), font=status_font("party"), alignment=Alignment())
    ours, theirs = StyleStamps(), StyleStamps()
    for row, text in enumerate(["P", "P*", "=1", "#N/A", "P"], start=1):
        cell = stamped_text(ws, row, 1, text, ours, "party", look)
        expected = put(ws, row, 2, text)
        theirs.apply(expected, "party", look)
        assert (cell.value, cell.data_type, cell._style) == (expected.value, expected.data_type, expected._style)
        assert ws.cell(row=row, column=1) is cell
