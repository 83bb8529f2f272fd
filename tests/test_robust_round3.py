"""Issue 21, third round of faults: each reproduced here first, then fixed.

Items 9 (a damaged user snapshot is skipped with a warning), 10 (``diff --format csv`` neutralises
formulas), 13 (deeply nested TOML), 15 (a trickle without Content-Length, HTTP/1.0 and 1.1), 16 (a
host refusing connections), disk-full errors naming the file, and non-ASCII digits refused as dates.
Every server listens on loopback.
"""

from __future__ import annotations

import csv
import errno
import io
import socket
import time
from pathlib import Path

import pytest

from rt2gaps.api import forget_loaded_snapshots
from rt2gaps.cli import main
from rt2gaps.errors import Rt2gapsError
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.refresh.http import Downloader, FetchError, HttpSettings
from rt2gaps.snapshot.userdata import current_snapshot_dir, previous_snapshot_dir, user_snapshot_dir

# --- 9: a damaged user snapshot is skipped with a warning naming it, every time ----------------------


def _user_snapshot(data: Path) -> Path:
    """A valid user snapshot: the bundled one re-written with a refresh block (as test_refresh_userdata)."""
    from rt2gaps.refresh.merge import merge
    from rt2gaps.snapshot.build import BuildResult
    from rt2gaps.snapshot.store import load_snapshot
    from rt2gaps.snapshot.write import write_folder_atomically

    empty = BuildResult(events=[], states=[], manifest={"instruments": {}, "sources": {}}, checks=[])
    result = merge(load_snapshot(BUNDLED_SNAPSHOT_DIR), empty, "test")
    write_folder_atomically(user_snapshot_dir(data), result.files)
    return user_snapshot_dir(data)


@pytest.mark.parametrize("damage", ["truncated manifest", "truncated events", "missing states"])
def test_a_damaged_user_snapshot_is_skipped_with_a_warning_every_time(tmp_path: Path, monkeypatch, capsys,
                                                                     damage: str) -> None:  # fmt: skip
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path))
    folder = _user_snapshot(tmp_path)
    assert current_snapshot_dir() == folder
    assert capsys.readouterr().err == ""
    if damage == "truncated manifest":
        text = (folder / "manifest.json").read_text(encoding="utf-8")
        (folder / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "truncated events":
        text = (folder / "events.csv").read_text(encoding="utf-8")
        (folder / "events.csv").write_text(text[: len(text) // 2], encoding="utf-8")
    else:
        (folder / "states.csv").unlink()
    forget_loaded_snapshots()
    try:
        for _ in range(2):  # every time, not once
            assert main(["snapshot", "info"]) == 0
            out, err = capsys.readouterr()
            assert "bundled (read-only)" in out
            lines = err.strip().splitlines()
            assert len(lines) == 1, err
            assert lines[0].startswith("rt2gaps: warning: ") and str(folder) in lines[0]
            assert "damaged" in lines[0] and "skipped" in lines[0]
    finally:
        forget_loaded_snapshots()


def test_no_warning_without_a_user_snapshot(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path))
    assert current_snapshot_dir() == BUNDLED_SNAPSHOT_DIR
    assert not previous_snapshot_dir(tmp_path).exists()
    assert capsys.readouterr().err == ""


# --- 10: diff --format csv writes no live formula ----------------------------------------------------


def test_diff_csv_neutralises_formulas(tmp_path: Path, monkeypatch, capsys) -> None:
    import rt2gaps.refresh.diff as diff

    formula = '=HYPERLINK("http://example.invalid","x").csv'
    rows = [{"instrument": "C189", "iso3": "", "participant": "", "change": "source", "old": "no source",
             "new": f"{formula} (user table: =1+1, as of 2026-01-01, partial)", "detail": "@SUM(A1)"}]  # fmt: skip
    monkeypatch.setattr(diff, "diff_snapshots", lambda *args, **kwargs: rows)
    assert main(["diff", "bundled", "bundled", "--format", "csv", "--data", str(tmp_path)]) == 0
    written = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert written[0]["new"] == "'" + rows[0]["new"]
    assert written[0]["detail"] == "'@SUM(A1)"
    assert written[0]["old"] == "no source"


# --- 13: a set or group TOML nested 5,000 deep -------------------------------------------------------


@pytest.mark.parametrize("kind", ["set", "group"])
@pytest.mark.parametrize("shape", ["array", "inline table", "dotted key"])
def test_deeply_nested_toml_is_one_line_exit_2(tmp_path: Path, capsys, kind: str, shape: str) -> None:
    depth = 5000
    if shape == "array":
        body = "x = " + "[" * depth + "]" * depth + "\n"
    elif shape == "inline table":
        body = "x = " + "{a = " * depth + "1" + "}" * depth + "\n"
    else:
        body = "x." + ".".join(["a"] * depth) + " = 1\n"
    path = tmp_path / f"deep-{kind}.toml"
    path.write_text('name = "deep"\nsource = "made up"\n' + body, encoding="utf-8")
    out_dir = tmp_path / "out"
    argv = ["gaps", "--set", str(path)] if kind == "set" else ["status", "--group", str(path)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert str(path) in err and "nested" in err and "Traceback" not in err
    assert not out_dir.exists()


def test_read_toml_refuses_depth_before_anything_reads_it(tmp_path: Path) -> None:
    from rt2gaps.catalogue import read_toml

    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50 + "]" * 50 + "\n", encoding="utf-8")
    with pytest.raises(Rt2gapsError, match="nested more than"):
        read_toml(path, "group file")
    path.write_text('members = ["KEN", "UGA"]\n[weights]\nICCPR = 2\n', encoding="utf-8")
    assert read_toml(path, "set file")["weights"] == {"ICCPR": 2}


# --- 15: a trickle without Content-Length over HTTP/1.0 and HTTP/1.1: tests/test_robust_fetch.py ----


# --- 16: every host refusing connections -------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_host_fails_its_pages_at_once_unretried(tmp_path: Path) -> None:
    port = _closed_port()
    attempts = 0
    real_connect = socket.socket.connect

    def counting(self, address):  # noqa: ANN001, ANN202 (socket.connect signature)
        nonlocal attempts
        if isinstance(address, tuple) and address[1] == port:
            attempts += 1
        return real_connect(self, address)

    settings = HttpSettings(retries=4, backoff=1.0)
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", counting)
        with Downloader(tmp_path, settings) as downloader:
            for page in range(5):
                with pytest.raises(FetchError) as caught:
                    downloader.get(f"http://127.0.0.1:{port}/page{page}")
                assert caught.value.reason == f"connection to 127.0.0.1:{port} refused (no server answers there)"
    assert time.monotonic() - started < 3
    assert attempts == 1


def test_fetch_from_a_refusing_mirror_is_quick_and_plain(tmp_path: Path, capsys) -> None:
    mirror = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    code = main(["fetch", "--mirror", mirror, "--data", str(tmp_path / "data"), "--cache", str(tmp_path / "cache")])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 1 and elapsed < 10, (elapsed, err)
    assert "Connection" not in out + err and "urllib3" not in out + err and "Retrying" not in err
    table = out.strip().splitlines()
    assert len(table) == 3, out  # header, untc, normlex
    assert all("refused" in line for line in table[1:])
    assert len(err.strip().splitlines()) == 1, err  # "nothing written": no line per page
    assert not (tmp_path / "data" / "snapshot").exists()


# --- disk full: the error names the file ---------------------------------------------------------------


def _disk_full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_names_the_file_an_atomic_write_was_writing(tmp_path: Path, monkeypatch) -> None:
    from rt2gaps.atomic import write_bytes_atomically

    monkeypatch.setattr(Path, "write_bytes", _disk_full)
    target = tmp_path / "report.xlsx"
    with pytest.raises(OSError) as caught:
        write_bytes_atomically(target, b"x")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_names_the_snapshot_file(tmp_path: Path, monkeypatch) -> None:
    from rt2gaps.snapshot.write import write_folder_atomically

    monkeypatch.setattr(Path, "write_text", _disk_full)
    with pytest.raises(OSError) as caught:
        write_folder_atomically(tmp_path / "snapshot", {"events.csv": "a,b\n"})
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(tmp_path / "snapshot" / "events.csv")
    assert not (tmp_path / "snapshot").exists()


# --- dates: only ASCII digits ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["٥ June ٢٠٠٧", "５ June ２００７", "5 June ۲۰۰۷"])
def test_day_month_year_refuses_non_ascii_digits(text: str) -> None:
    from rt2gaps.sources.dates import parse_day_month_year

    assert parse_day_month_year(text) is None


@pytest.mark.parametrize("text", ["٠٣-٠٢-٢٠٢٦", "０3-02-2026"])
def test_numeric_dates_refuse_non_ascii_digits(text: str) -> None:
    from rt2gaps.sources.dates import parse_numeric_dmy

    assert parse_numeric_dmy(text) is None


@pytest.mark.parametrize("text", ["２０２０-01-01", "٢٠٢٠-01-01"])
def test_iso_dates_refuse_non_ascii_digits_plainly(text: str) -> None:
    from rt2gaps.sources.dates import parse_iso_date

    with pytest.raises(ValueError, match="not a date in the form YYYY-MM-DD"):
        parse_iso_date(text)


@pytest.mark.parametrize("text", ["٢٠٢٠-01", "２０２０", "2020-0١-01"])
def test_a_user_tables_dates_refuse_non_ascii_digits(text: str) -> None:
    from rt2gaps.sources.user_table import parse_table_date

    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_table_date(text)


def test_as_of_refuses_fullwidth_digits(capsys) -> None:
    assert main(["status", "--as-of", "２０２０-01-01"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--as-of" in err
