"""diff: acts, statuses and sources that changed between snapshots or between two dates."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from rt2gaps.cli import main
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.phrase import Phrase
from rt2gaps.refresh.diff import CHANGE_COLUMNS, changes_frame, diff_dates, diff_snapshots
from rt2gaps.refresh.importer import import_files
from rt2gaps.snapshot.store import load_snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "normlex"


def _import_c189(tmp_path: Path) -> Path:
    page = tmp_path / "C189.html"
    page.write_bytes((FIXTURES / "convention_en.html").read_bytes().replace(b"C098", b"C189"))
    report = import_files([page], tmp_path / "data")
    assert report.exit_code == 0, report.outcomes
    return report.written_to


def test_diff_of_a_snapshot_with_itself_is_empty() -> None:
    bundled = load_snapshot(BUNDLED_SNAPSHOT_DIR)
    assert diff_snapshots(bundled, bundled, date(2026, 1, 1)) == []


def test_import_shows_new_consents_source_and_status_changes(tmp_path: Path) -> None:
    new = load_snapshot(_import_c189(tmp_path))
    rows = diff_snapshots(load_snapshot(BUNDLED_SNAPSHOT_DIR), new, date(2100, 1, 1))
    assert {r["instrument"] for r in rows} == {"C189"}
    assert [str(r["old"]) for r in rows if r["change"] == "source"] == ["no source"]
    consents = {r["iso3"] for r in rows if r["change"] == "new consent"}
    assert consents == {"ALB", "CIV", "COG", "MYS", "TUV", "NPL", "FRA"}
    assert {r["iso3"] for r in rows if r["change"] == "new withdrawal"} == {"MYS", "TUV"}
    france = next(r for r in rows if r["change"] == "status" and r["iso3"] == "FRA")
    assert (france["old"], france["new"]) == ("unknown", "party")
    # typed cells: an act is a Phrase holding the act and a real date, said in each writer's language
    consent = next(r for r in rows if r["change"] == "new consent" and r["iso3"] == "FRA")
    assert isinstance(consent["new"], Phrase) and any(isinstance(v, date) for _, v in consent["new"].values)
    assert str(france["detail"]) == "on 2100-01-01"
    frame = changes_frame(load_snapshot(BUNDLED_SNAPSHOT_DIR), new, date(2100, 1, 1))
    assert list(frame.columns) == CHANGE_COLUMNS and len(frame) == len(rows)


def test_cli_diff_defaults_to_previous_and_current_as_csv(tmp_path: Path, capsys) -> None:
    _import_c189(tmp_path)
    assert main(["diff", "--data", str(tmp_path / "data"), "--format", "csv", "--on", "2100-01-01"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["instrument"] for r in rows} == {"C189"}


def test_two_dates_on_one_snapshot() -> None:
    rows = diff_dates(load_snapshot(BUNDLED_SNAPSHOT_DIR), date(2020, 1, 1), date(2026, 1, 1))
    icrmw = [r for r in rows if r["instrument"] == "ICRMW"]
    assert any(r["change"] == "new consent" for r in icrmw)
    assert any(r["change"] == "status" and r["new"] == "party" for r in icrmw)


def test_run_since_snapshot_puts_the_diff_in_the_changes_sheet(tmp_path: Path, monkeypatch, capsys) -> None:
    from openpyxl import load_workbook

    _import_c189(tmp_path)
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "data"))
    out = tmp_path / "reports"
    code = main(["run", "--set", "migrants", "--as-of", "2100-01-01", "--since-snapshot", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    workbook = load_workbook(out / "rt2gaps_migrants_2100-01-01.xlsx", read_only=True)
    sheet = list(workbook["Changes"].values)
    assert sheet[0][:7] == ("Instrument", "ISO3", "Participant", "Change", "Before", "After", "Detail")
    rows = [dict(zip(CHANGE_COLUMNS, values, strict=True)) for values in sheet[1:]]
    assert {r["instrument"] for r in rows} == {"C189"}  # only C189 changed, and it is in the set
    consents = {r["iso3"] for r in rows if r["change"] == "new consent"}
    assert consents == {"ALB", "CIV", "COG", "MYS", "TUV", "NPL", "FRA"}
    about = {r[0]: r[1] for r in workbook["About"].values if r and r[0]}
    said = about["Changes listed since the snapshot"]  # by its date and sources, not by a folder path
    sources = json.loads((BUNDLED_SNAPSHOT_DIR / "manifest.json").read_text(encoding="utf-8"))["sources"]
    assert said.startswith(f"the snapshot of {max(s['as_of'] for s in sources.values())}, built from: ")
    assert str(BUNDLED_SNAPSHOT_DIR) not in said and all(f"(as of {s['as_of']})" in said for s in sources.values())


def test_run_since_snapshot_without_a_previous_one_is_a_clear_error(tmp_path: Path, capsys) -> None:
    out = tmp_path / "reports"
    assert main(["run", "--since-snapshot", "--out", str(out)]) == 2
    assert "no previous snapshot" in capsys.readouterr().err
    assert not out.exists()
