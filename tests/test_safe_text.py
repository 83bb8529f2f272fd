"""CSV tables and briefs: a byte-order mark for Excel, and no text a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from rt2gaps.catalogue import load_set
from rt2gaps.refresh.importer import import_files
from rt2gaps.report import build_report_data, table_csv_texts, write_report
from rt2gaps.report.safe_text import FORMULA_STARTS, UTF8_BOM, neutralise
from rt2gaps.snapshot.store import load_snapshot

NORMLEX = Path(__file__).parent / "fixtures" / "normlex"
# Issue 14, Security: an imported page named like this put a live formula in instrument_coverage.csv.
# (The name has "http://" in it, which no POSIX file name can hold: the same formula without it.)
EVIL_NAME = '=HYPERLINK("evil.example","x")+cmd|\' -c calc\'!A0.html'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_that_begins_like_a_formula_gets_an_apostrophe(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("text", ["ICRMW", "", "'=already quoted", "a=b", "1951 Refugee Convention", "—"])
def test_other_texts_are_unchanged(text: str) -> None:
    assert neutralise(text) == text


@pytest.fixture(scope="module")
def imported_report(tmp_path_factory: pytest.TempPathFactory):
    """A run over a snapshot holding C189 imported from a page whose file name is a formula."""
    folder = tmp_path_factory.mktemp("evil")
    page = folder / EVIL_NAME
    page.write_bytes((NORMLEX / "convention_en.html").read_bytes().replace(b"C098", b"C189"))
    report = import_files([page], folder / "data", as_of=None)
    assert report.exit_code == 0, report.outcomes
    snapshot = load_snapshot(report.written_to)
    return build_report_data(load_set("migrants"), snapshot, date(2026, 2, 3))


def test_an_imported_file_named_like_a_formula_reaches_no_csv_cell_as_one(imported_report, tmp_path: Path) -> None:
    texts = table_csv_texts(imported_report)
    coverage = list(csv.reader(io.StringIO(texts["instrument_coverage.csv"].removeprefix(UTF8_BOM))))
    sources = [row[coverage[0].index("source")] for row in coverage[1:]]
    assert f"'{EVIL_NAME}" in sources  # shown, as text
    for name, text in texts.items():
        for row in csv.reader(io.StringIO(text.removeprefix(UTF8_BOM))):
            bad = [cell for cell in row if cell.startswith(FORMULA_STARTS) and not _is_number(cell)]
            assert not bad, f"{name}: {bad}"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_files_start_with_a_byte_order_mark_and_pandas_reads_them(imported_report, tmp_path: Path) -> None:
    paths = write_report(imported_report, tmp_path)
    for path in sorted(paths.csv_folder.glob("*.csv")):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
        frame = pd.read_csv(path)
        assert frame.columns[0] == imported_report.tables[path.stem].columns[0]  # the mark is not in the name
    coverage = pd.read_csv(paths.csv_folder / "instrument_coverage.csv")
    assert f"'{EVIL_NAME}" in set(coverage["source"])
    assert not coverage.loc[coverage["instrument"] == "C189", "no_data"].iloc[0]  # the imported page is used


def test_negative_numbers_stay_numbers() -> None:
    from rt2gaps.report.safe_text import report_csv_text

    text = report_csv_text(pd.DataFrame({"n": [-3, 4], "label": ["-x", "y"]}))
    assert text == UTF8_BOM + "n,label\n-3,'-x\n4,y\n"


def test_briefs_neutralise_user_text_in_tables_not_in_prose(imported_report) -> None:
    """A Markdown table may be pasted into a sheet: its cells are neutralised. Prose is not: the apostrophe
    would be read as part of the text (issue 21: "('--as-of given at import)")."""
    from dataclasses import replace

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.briefs import BriefBuilder, render_markdown

    chosen = replace(imported_report.recommended_set, name="=1+2", description="")  # no title: named by its id
    data = replace(imported_report, recommended_set=chosen)
    text = render_markdown(BriefBuilder(data).brief("FRA"), data, UiStrings("en"))
    assert text.startswith("# France: =1+2\n") and "'=1+2" not in text
    cells = [cell.strip() for line in text.splitlines() if line.startswith("|") for cell in line.strip("|").split("|")]
    assert cells and not [cell for cell in cells if cell.startswith(FORMULA_STARTS) and set(cell) != {"-"}]


def test_only_columns_with_something_to_neutralise_change() -> None:
    """A frame with no formula-like text and no Phrase is returned as it is (no copy); otherwise only the
    columns holding one change, a Phrase written as its text."""
    from rt2gaps.phrase import Phrase
    from rt2gaps.report.safe_text import neutralised_frame

    plain = pd.DataFrame({"name": ["Chad", "Mali"], "note": ["a-b", None], "n": [-1, 2]})
    assert neutralised_frame(plain) is plain
    phrase = Phrase.of("dq.no_source")
    mixed = plain.assign(note=["=1+1", None], detail=[phrase, "x"])
    out = neutralised_frame(mixed)
    assert out["note"].iloc[0] == "'=1+1" and pd.isna(out["note"].iloc[1])
    assert out["detail"].tolist() == [str(phrase), "x"]
    assert out["name"].tolist() == ["Chad", "Mali"] and out["n"].tolist() == [-1, 2]
    assert mixed["note"].iloc[0] == "=1+1"  # the table itself is left as it was
