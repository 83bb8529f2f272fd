"""Which snapshot every command reads: the newest valid user snapshot, else the bundled one."""

from __future__ import annotations

import shutil
from pathlib import Path

from rt2gaps.api import current_snapshot, forget_loaded_snapshots
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.refresh.merge import merge
from rt2gaps.snapshot.build import BuildResult
from rt2gaps.snapshot.store import load_snapshot
from rt2gaps.snapshot.userdata import current_snapshot_dir, data_dir, previous_snapshot_dir, user_snapshot_dir
from rt2gaps.snapshot.write import write_folder_atomically


def _user_snapshot(data: Path, created_at: str) -> Path:
    """A valid user snapshot: the bundled one re-written with a refresh block."""
    base = load_snapshot(BUNDLED_SNAPSHOT_DIR)
    empty = BuildResult(events=[], states=[], manifest={"instruments": {}, "sources": {}}, checks=[])
    result = merge(base, empty, "test")
    result.manifest["refresh"]["created_at"] = created_at
    from rt2gaps.snapshot.write import json_text

    result.files["manifest.json"] = json_text(result.manifest)
    write_folder_atomically(user_snapshot_dir(data), result.files, keep_previous=True)
    return user_snapshot_dir(data)


def test_no_user_snapshot_means_the_bundled_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path))
    assert data_dir() == tmp_path
    assert current_snapshot_dir() == BUNDLED_SNAPSHOT_DIR


def test_newest_valid_user_snapshot_wins_and_a_damaged_one_is_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path))
    _user_snapshot(tmp_path, "2030-01-01T00:00:00+00:00")
    _user_snapshot(tmp_path, "2030-01-02T00:00:00+00:00")
    assert previous_snapshot_dir(tmp_path).is_dir()
    assert current_snapshot_dir() == user_snapshot_dir(tmp_path)
    forget_loaded_snapshots()
    try:
        assert current_snapshot().folder == user_snapshot_dir(tmp_path)
        with (user_snapshot_dir(tmp_path) / "events.csv").open("a") as handle:
            handle.write("damage\n")
        assert current_snapshot_dir() == previous_snapshot_dir(tmp_path)
        shutil.rmtree(previous_snapshot_dir(tmp_path))
        assert current_snapshot_dir() == BUNDLED_SNAPSHOT_DIR
    finally:
        forget_loaded_snapshots()


def test_explicit_data_folder_beats_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "env"))
    assert data_dir(tmp_path / "flag") == tmp_path / "flag"


def test_snapshot_info_names_the_snapshot_in_use_and_its_sources(tmp_path: Path, monkeypatch, capsys) -> None:
    from rt2gaps.cli import main

    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path))
    forget_loaded_snapshots()
    try:
        assert main(["snapshot", "info"]) == 0
        assert "bundled (read-only)" in capsys.readouterr().out
        _user_snapshot(tmp_path, "2030-01-01T00:00:00+00:00")
        forget_loaded_snapshots()
        assert main(["snapshot", "info"]) == 0
        out = capsys.readouterr().out
        assert "user snapshot made 2030-01-01" in out and "source untc-html-2026-02-03" in out
    finally:
        forget_loaded_snapshots()


def test_a_second_update_of_the_same_data_folder_is_refused_while_one_runs(tmp_path: Path) -> None:
    """A nightly fetch and a user's import never interleave: the second stops at once, nothing written."""
    from rt2gaps.refresh.importer import import_files
    from rt2gaps.snapshot.userdata import update_lock, user_snapshot_dir

    page = tmp_path / "C189.html"
    fixture = Path(__file__).parent / "fixtures" / "normlex" / "convention_en.html"
    page.write_bytes(fixture.read_bytes().replace(b"C098", b"C189"))
    data = tmp_path / "data"
    with update_lock(data):
        report = import_files([page], data)
        assert report.exit_code != 0
        assert any("another rt2gaps fetch or import" in o.reason for o in report.outcomes)
        assert not user_snapshot_dir(data).exists()
    assert import_files([page], data).exit_code == 0  # released when the holder finishes
    assert user_snapshot_dir(data).is_dir()


def test_current_snapshot_follows_the_data_folder_of_the_moment(tmp_path: Path, monkeypatch) -> None:
    """A snapshot loaded for one data folder is never served for another (notebooks, tests switch folders)."""
    from rt2gaps.refresh.importer import import_files

    page = tmp_path / "C189.html"
    fixture = Path(__file__).parent / "fixtures" / "normlex" / "convention_en.html"
    page.write_bytes(fixture.read_bytes().replace(b"C098", b"C189"))
    assert import_files([page], tmp_path / "imported").exit_code == 0
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "imported"))
    assert any(e.instrument == "C189" for e in current_snapshot().events)
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "empty"))
    assert not any(e.instrument == "C189" for e in current_snapshot().events)
    assert current_snapshot().manifest == load_snapshot(BUNDLED_SNAPSHOT_DIR).manifest
