"""Atomic snapshot writing: a failure half-way leaves the previous folder byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from rt2gaps.snapshot import write
from rt2gaps.snapshot.write import write_folder_atomically


def test_swap_replaces_all_files_together(tmp_path: Path) -> None:
    target = tmp_path / "snapshot"
    write_folder_atomically(target, {"a.csv": "old\n", "b.csv": "old\n"})
    write_folder_atomically(target, {"a.csv": "new\n"}, keep_previous=True, allowed=("a.csv", "b.csv"))
    assert sorted(p.name for p in target.iterdir()) == ["a.csv"]
    assert (target / "a.csv").read_text() == "new\n"
    assert (tmp_path / "snapshot.previous" / "b.csv").read_text() == "old\n"


def test_failure_leaves_previous_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "snapshot"
    write_folder_atomically(target, {"a.csv": "old\n"})

    def broken_rename(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(write.os, "rename", broken_rename)
    with pytest.raises(OSError):
        write_folder_atomically(target, {"a.csv": "new\n"})
    assert (target / "a.csv").read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot"]  # no staging folder left behind
