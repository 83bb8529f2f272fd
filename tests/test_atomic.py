"""Files land whole or not at all, and readable like any report file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rt2gaps.atomic import replaced_on_success, write_bytes_atomically


def test_a_written_file_is_complete_and_public(tmp_path: Path) -> None:
    target = write_bytes_atomically(tmp_path / "sub" / "brief.md", b"hello")
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["brief.md"]


def test_a_failure_half_way_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError), replaced_on_success(target) as temporary:
        temporary.write_bytes(b"half a new rep")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_private_mode_for_the_raw_cache(tmp_path: Path) -> None:
    target = write_bytes_atomically(tmp_path / "page.body", b"x", 0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
