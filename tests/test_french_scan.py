"""French all the way through: the French workbook, CSV and brief hold no English word the tool wrote.

And in every language, no user-facing text carries the tool's internal words: "seed", rule codes
(``months:3``) or repository names with commit hashes (provenance keeps its own column).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.cli import main
from rt2gaps.i18n import UI_STRINGS_FILE, UiStrings

AS_OF = "2026-02-03"
STEM = f"rt2gaps_rt2-priority_{AS_OF}"
RULE_CODE = re.compile(r"\b(days|months|first_of_month_after_months):\d+|\bon_deposit\b")
REPOSITORY_AT_COMMIT = re.compile(r"\b[\w.-]+/[\w.-]+ [0-9a-f]{7,40}\b")
SEED = re.compile(r"\bseed\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run in each language and a brief in each, into one folder (the two must not overwrite each other)."""
    out = tmp_path_factory.mktemp("reports")
    for lang in ("en", "fr"):
        assert main(["run", "--no-charts", "--as-of", AS_OF, "--lang", lang, "--out", str(out)]) == 0
        assert main(["brief", "MEX", "--as-of", AS_OF, "--lang", lang, "--out", str(out)]) == 0
    return out


def english_words() -> dict[str, str]:
    """Text that must not appear as a whole French cell: English UI strings, State and region names."""
    words: dict[str, str] = {}
    with UI_STRINGS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["fr"] and row["en"] != row["fr"] and "{" not in row["en"] and re.search("[A-Za-z]", row["en"]):
                words[row["en"]] = f"UI string {row['key']}"
    for state in current_snapshot().states:
        if state["name_en"] != state["name_fr"]:
            words[state["name_en"]] = f"English name of {state['iso3']}"
    return words


def workbook_cells(path: Path) -> Iterator[tuple[str, object]]:
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield f"{path.name}!{sheet.title}!{cell.coordinate}", cell.value


def csv_cells(folder: Path) -> Iterator[tuple[str, object]]:
    files = sorted(folder.glob("*.csv"))
    assert files, f"no CSV in {folder}"
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.reader(handle), start=1):
                for column, value in enumerate(row, start=1):
                    yield f"{folder.name}/{path.name}:{line}:{column}", value


def markdown_cells(path: Path) -> Iterator[tuple[str, object]]:
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        yield f"{path.name}:{line}", text.strip().lstrip("#").strip()
        for part in text.split("|")[1:-1]:
            yield f"{path.name}:{line}", part.strip()


def test_en_and_fr_outputs_sit_side_by_side(reports: Path) -> None:
    assert (reports / f"{STEM}.xlsx").is_file() and (reports / f"{STEM}_fr.xlsx").is_file()
    assert (reports / STEM).is_dir() and (reports / f"{STEM}_fr").is_dir()
    assert {p.name for p in (reports / "briefs").glob("MEX_*.md")} == {"MEX_rt2-priority.md", "MEX_rt2-priority_fr.md"}


def test_french_outputs_hold_no_english_cell(reports: Path) -> None:
    english = english_words()
    assert "Party" in english and "Germany" in english and "Sub-Saharan Africa" in english
    cells = [
        *workbook_cells(reports / f"{STEM}_fr.xlsx"),
        *csv_cells(reports / f"{STEM}_fr"),
        *markdown_cells(reports / "briefs" / "MEX_rt2-priority_fr.md"),
    ]
    assert len(cells) > 10_000
    found = [f"{where}: {value!r} ({english[value]})" for where, value in cells
             if isinstance(value, str) and value.strip() in english]  # fmt: skip
    assert found == []


def test_french_text_dates_are_written_out(reports: Path) -> None:
    book = openpyxl.load_workbook(reports / f"{STEM}_fr.xlsx")
    summary = book[UiStrings("fr")("sheet.summary")]
    assert summary["A1"].value == "Synthèse\u202f: Instruments prioritaires de la TR2, au 3 février 2026"
    about = book[UiStrings("fr")("sheet.about")]
    dates = [c.value for row in about.iter_rows() for c in row if getattr(c, "is_date", False)]  # merged: none
    assert dates, "the About sheet's dates are real dates"


def test_no_internal_words_in_any_output(reports: Path) -> None:
    """Provenance (repository and commit) is allowed only in its own column of the About sheet."""
    problems = []
    for lang, suffix in (("en", ""), ("fr", "_fr")):
        provenance = UiStrings(lang)("col.provenance")
        book = openpyxl.load_workbook(reports / f"{STEM}{suffix}.xlsx")
        for sheet in book.worksheets:
            provenance_columns = {c.column for row in sheet.iter_rows() for c in row if c.value == provenance}
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.column not in provenance_columns:
                        problems.extend(_internal(f"{sheet.title}!{cell.coordinate}", cell.value))
        for where, value in csv_cells(reports / f"{STEM}{suffix}"):
            problems.extend(_internal(where, str(value)))
        for where, value in markdown_cells(reports / "briefs" / f"MEX_rt2-priority{suffix}.md"):
            problems.extend(_internal(where, str(value)))
    assert problems == []


def _internal(where: str, text: str) -> list[str]:
    return [f"{where}: {pattern.pattern} in {text!r}" for pattern in (RULE_CODE, REPOSITORY_AT_COMMIT, SEED)
            if pattern.search(text)]  # fmt: skip


def test_snapshot_changes_are_said_in_french() -> None:
    """A Changes table made with --since-snapshot (refresh.diff rows): statuses, acts, sources, days in French."""
    import pandas as pd

    from rt2gaps.catalogue import load_set
    from rt2gaps.refresh.diff import CHANGE_COLUMNS, act_cell, day_cell, describe_source
    from rt2gaps.report import build_report_data
    from rt2gaps.report.localise import Localiser

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), date.fromisoformat(AS_OF))
    day = date.fromisoformat(AS_OF)
    source = describe_source({"source_file": "cmw.html", "source_as_of": AS_OF})
    rows = [  # typed cells, as refresh.diff makes them: nothing is parsed back from English text
        ["ICRMW", "MEX", "Mexico", "new consent", "", act_cell("ratification", "1999-03-08"), ""],
        ["ICRMW", "MEX", "Mexico", "status", "none", "party", day_cell(day, day)],
        ["ICRMW", "", "", "source", describe_source({}), source, "untc-html"],
        ["ICRMW", "MEX", "Mexico", "status", "none", "party", day_cell(date(2020, 1, 1), day)],
    ]
    data.tables["changes"] = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    french = Localiser(data, UiStrings("fr")).table("changes").values.tolist()
    assert french[0][2:6] == ["Mexique", "nouveau consentement", "", "ratification 8 mars 1999"]
    assert french[1][3:] == ["statut", "Aucun acte", "Partie", "le 3 février 2026"]
    assert french[2][4:6] == ["aucune source", "cmw.html au 3 février 2026"]
    english = Localiser(data, UiStrings("en")).table("changes").values.tolist()
    assert english[1][2:] == ["Mexico", "status", "none", "party", "on 2026-02-03"]  # English keeps the codes
    assert english[0][5] == "ratification 1999-03-08" and english[2][4:6] == ["no source", "cmw.html as of 2026-02-03"]
    assert english[3][6] == "2020-01-01 -> 2026-02-03" and french[3][6] == "1er janvier 2020 → 3 février 2026"
