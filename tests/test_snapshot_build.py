"""The committed snapshot is exactly what the parsers make of the real sources, and checks fail loudly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rt2gaps.errors import CountMismatchError, Rt2gapsError, SourceLayoutError
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.snapshot.build import build_snapshot, compile_snapshot
from rt2gaps.snapshot.schema import EVENTS_FILE, MANIFEST_FILE, STATES_FILE
from rt2gaps.snapshot.store import load_snapshot


@pytest.fixture(scope="module")
def compiled(shared_sources: Path):
    return compile_snapshot(shared_sources)


def test_build_reproduces_the_committed_snapshot_exactly(compiled) -> None:
    for name, text in compiled.files().items():
        assert (BUNDLED_SNAPSHOT_DIR / name).read_text(encoding="utf-8") == text, f"{name} differs: rebuild it"


def test_every_count_check_passed_and_covers_each_instrument(compiled) -> None:
    assert all(check.ok for check in compiled.checks)
    checked = {check.instrument for check in compiled.checks}
    assert set(compiled.manifest["instruments"]) <= checked


def test_universe_and_memberships(compiled) -> None:
    states = {row["iso3"]: row for row in compiled.states}
    assert len(states) == 197
    assert sum(row["un_member"] == "true" for row in states.values()) == 193
    assert sum(row["ilo_member"] == "true" for row in states.values()) == 187
    assert {"VAT", "PSE", "COK", "NIU"} <= set(states)
    assert states["COK"]["ilo_member"] == "true" and states["COK"]["un_member"] == "false"
    assert states["SSD"]["un_membership_date"] == "2011-07-14"
    assert states["FRA"]["un_membership_date"] == "1945-10-24"
    assert (states["MEX"]["name_fr"], states["DEU"]["name_fr"]) == ("Mexique", "Allemagne")
    not_ilo = {iso for iso, row in states.items() if row["ilo_member"] == "false"}
    assert not_ilo == {"AND", "BTN", "PRK", "LIE", "FSM", "MCO", "NRU", "VAT", "PSE", "NIU"}


def test_non_state_participants_are_kept_without_a_code(compiled) -> None:
    union = [e for e in compiled.events if e["participant"] == "European Union"]
    assert union and all(e["iso3"] == "" and e["participant_kind"] == "non_state" for e in union)
    assert compiled.manifest["instruments"]["CRPD"]["non_state_participants"] == ["European Union"]


def test_manifest_records_source_checksum_and_as_of(compiled, shared_sources: Path) -> None:
    import hashlib

    entry = compiled.manifest["instruments"]["ICRMW"]
    data = (shared_sources / entry["source_file"]).read_bytes()
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry["source_as_of"], entry["header_counts"]) == ("2026-02-03", {"signatories": 40, "parties": 60})
    assert compiled.manifest["no_source"] == ["C081", "C097", "C102", "C118", "C122", "C143", "C181", "C189", "C190"]


def test_a_changed_headcount_stops_the_build_with_numbers(shared_sources: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sources"
    shutil.copytree(shared_sources, copy)
    page = copy / "untc/viewdetails-html-2026-02-03/cmw.html"
    page.write_bytes(re.sub(rb"Parties :\s*60", b"Parties : 61", page.read_bytes()))
    with pytest.raises(CountMismatchError, match=r"cmw.html ICRMW parties: source says 61, parsed 60"):
        compile_snapshot(copy)


def test_a_table_that_lost_a_column_stops_the_build_and_keeps_the_old_snapshot(
    shared_sources: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "sources"
    shutil.copytree(shared_sources, copy)
    table = copy / "ilo/normlex-fundamentals-2026-07/ilo-core-conventions.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(",".join(line.split(",")[:-1]) for line in lines) + "\n", encoding="utf-8")
    out = tmp_path / "snapshot"
    shutil.copytree(BUNDLED_SNAPSHOT_DIR, out)
    before = {name: (out / name).read_bytes() for name in (EVENTS_FILE, STATES_FILE, MANIFEST_FILE)}
    with pytest.raises(SourceLayoutError, match="C187"):
        build_snapshot(copy, out)
    assert {name: (out / name).read_bytes() for name in before} == before


def test_missing_sources_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Rt2gapsError, match="raw sources folder not found"):
        compile_snapshot(tmp_path / "nowhere")


def test_committed_snapshot_loads_without_shared_sources() -> None:
    snapshot = load_snapshot(BUNDLED_SNAPSHOT_DIR)
    assert len(snapshot.states) == 197 and len(snapshot.events) > 6000


def test_both_normlex_scrapes_are_recorded_and_their_one_difference_shown(compiled) -> None:
    instruments = compiled.manifest["instruments"]
    assert instruments["P029"]["source_file"].endswith("ilo-core-conventions.csv")
    assert instruments["P029"]["cross_check"]["file"].endswith("ILO_Conventions.csv")
    differences = [d for entry in instruments.values() for d in entry.get("cross_check", {}).get("differences", [])]
    assert differences == [{"participant": "Nepal", "instrument": "P029", "primary": "2026", "cross_check": ""}]
