"""import: saved pages are identified by content, parsed, checked and merged atomically; unknown files refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rt2gaps.cli import main
from rt2gaps.errors import Rt2gapsError
from rt2gaps.refresh.fetch import FAILED
from rt2gaps.refresh.importer import identify_format, import_files
from rt2gaps.snapshot.build import compile_snapshot
from rt2gaps.snapshot.store import load_snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "normlex"
HTML = "untc/viewdetails-html-2026-02-03"
XML = "untc/mtdsg-xml-2018-01"


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


@pytest.mark.parametrize(
    ("relative", "expected"),
    [(f"{HTML}/cmw.html", "untc-html"), (f"{XML}/V-3.en.xml", "mtdsg-xml"), (f"{XML}/IV-2.en.xml", "mtdsg-xml")],
)
def test_real_untc_files_are_identified(shared_sources: Path, relative: str, expected: str) -> None:
    assert identify_format((shared_sources / relative).read_bytes()) == expected


def test_normlex_fixtures_are_identified() -> None:
    assert identify_format((FIXTURES / "convention_en.html").read_bytes()) == "normlex-convention"
    assert identify_format((FIXTURES / "convention_fr.html").read_bytes()) == "normlex-convention"
    assert identify_format((FIXTURES / "table.html").read_bytes()) == "normlex-table-html"


def test_import_of_real_pages_equals_snapshot_build(shared_sources: Path, tmp_path: Path) -> None:
    files = [shared_sources / HTML / "cmw.html", shared_sources / XML / "V-4.en.xml"]
    report = import_files(files, tmp_path, as_of=None)
    assert report.exit_code == 0, report.outcomes
    new = load_snapshot(report.written_to)
    built = compile_snapshot(shared_sources)
    columns = ("instrument", "iso3", "participant", "act", "date", "date_precision", "notified_date", "note")
    for instrument in ("ICRMW", "STATELESS-1961"):
        mine = sorted(tuple(getattr(e, c) for c in columns) for e in new.events if e.instrument == instrument)
        theirs = sorted(tuple(e[c] for c in columns) for e in built.events if e["instrument"] == instrument)
        assert mine == theirs
    assert new.manifest["instruments"]["ICRMW"]["source_as_of"] == "2026-02-03"  # the page stamp


def test_older_xml_over_newer_page_is_refused_and_nothing_changes(shared_sources: Path, tmp_path: Path) -> None:
    assert import_files([shared_sources / HTML / "ced.html"], tmp_path).exit_code == 0
    before = _tree(tmp_path)
    report = import_files([shared_sources / XML / "IV-13.en.xml"], tmp_path, as_of=None)
    (outcome,) = report.outcomes
    assert report.exit_code == 1 and outcome.outcome == FAILED
    assert "goes backwards" in outcome.reason or "without a withdrawal" in outcome.reason
    assert _tree(tmp_path) == before


@pytest.mark.parametrize(("fixture", "code"), [("convention_en.html", "C189"), ("convention_fr.html", "C190")])
def test_normlex_page_en_or_fr_gives_data_to_an_instrument(fixture: str, code: str, tmp_path: Path) -> None:
    page = tmp_path / f"{code}.html"
    page.write_bytes((FIXTURES / fixture).read_bytes().replace(b"C098", code.encode()))
    report = import_files([page], tmp_path / "data", as_of=None)
    assert report.exit_code == 0, report.outcomes
    snapshot = load_snapshot(report.written_to)
    assert code not in snapshot.manifest["no_source"]
    events = [e for e in snapshot.events if e.instrument == code]
    assert {e.iso3 for e in events} == {"ALB", "CIV", "COG", "MYS", "TUV", "NPL", "FRA"}
    assert snapshot.manifest["instruments"][code]["as_of_basis"].startswith("modification date")


def test_normlex_page_that_would_drop_parties_is_refused(tmp_path: Path) -> None:
    report = import_files([FIXTURES / "convention_en.html"], tmp_path, as_of=None)  # C098: 7 rows, not 168
    assert report.exit_code == 1 and report.written_to is None
    assert "vanish" in report.outcomes[0].reason


def test_unknown_file_is_refused_by_name(tmp_path: Path, capsys) -> None:
    stray = tmp_path / "notes.html"
    stray.write_text("<html><body>my notes</body></html>", encoding="utf-8")
    with pytest.raises(Rt2gapsError, match="notes.html: not a page rt2gaps can import"):
        import_files([stray], tmp_path / "data")
    assert main(["import", str(stray), "--data", str(tmp_path / "data")]) == 2
    assert "notes.html" in capsys.readouterr().err
    assert not (tmp_path / "data" / "snapshot").exists()
