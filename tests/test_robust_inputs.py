"""Issue 14: no wrong value written silently; bad input is one line, exit 2, nothing written.

Each test starts from the reproduction in the issue (a date of 2099, weights of 1e308, /dev/zero, ...).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from rt2gaps.catalogue import load_set
from rt2gaps.cli import main
from rt2gaps.errors import Rt2gapsError
from rt2gaps.refresh.fetch import FAILED, Outcome, check_payload, refresh, source_date
from rt2gaps.refresh.http import CachedResponse, FetchError, HttpSettings
from rt2gaps.refresh.importer import read_saved_file
from rt2gaps.refresh.mirror import DepositaryMirror, xml_path

FIXTURES = Path(__file__).parent / "fixtures" / "normlex"
PAGE = FIXTURES / "convention_en.html"
FAST = HttpSettings(connect_timeout=1.0, read_timeout=1.0, retries=0, backoff=0.0)


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("rt2gaps: error: ") and err.count("\n") == 1, err
    return err


# --- source dates after today --------------------------------------------------------------------------


def test_import_as_of_in_the_future_is_refused(tmp_path: Path, capsys) -> None:
    # issue: `import --as-of 9999-12-31` was accepted and put on every status row
    data = tmp_path / "data"
    assert main(["import", str(PAGE), "--as-of", "9999-12-31", "--data", str(data)]) == 2
    assert "9999-12-31 is after today" in one_error_line(capsys)
    assert listing(data) == []


def test_a_saved_file_dated_in_the_future_is_refused(tmp_path: Path, capsys) -> None:
    # issue: a file dated 2099 (no stamp, no --as-of) dated the imported data 2099
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.read_bytes())
    future = date(2099, 1, 1)
    stamp = (future - date(1970, 1, 1)).days * 86400
    os.utime(page, (stamp, stamp))
    data = tmp_path / "data"
    assert main(["import", str(page), "--data", str(data)]) == 2
    assert "modification date: source date 2099-01-01 is after today" in one_error_line(capsys)
    assert listing(data) == []


def test_a_page_stamped_in_the_future_is_refused(tmp_path: Path, capsys, shared_sources: Path) -> None:
    # issue: a UNTC page stamped 2099 was accepted, and every genuine refresh afterwards was refused
    folder = shared_sources / "untc" / "viewdetails-html-2026-02-03"
    original = next(p for p in sorted(folder.glob("*.html")) if b"STATUS AS AT" in p.read_bytes())
    text = original.read_bytes()
    import re

    stamped = re.sub(rb"STATUS AS AT\s*:?\s*[0-9/.\-]+", lambda m: m.group(0)[:-4] + b"2099", text, count=1)
    assert stamped != text
    page = tmp_path / "page.html"
    page.write_bytes(stamped)
    data = tmp_path / "data"
    assert main(["import", str(page), "--data", str(data)]) == 2
    assert "page stamp: source date 2099" in one_error_line(capsys)
    assert listing(data) == []


def test_a_group_file_dated_in_the_future_is_refused(tmp_path: Path, capsys) -> None:
    group = tmp_path / "group.toml"
    group.write_text('name = "g"\nsource = "a list"\nas_of = 2099-01-01\nmembers = ["MEX"]\n', encoding="utf-8")
    assert main(["gaps", "--group", str(group)]) == 2
    assert "key 'as_of': source date 2099-01-01 is after today" in one_error_line(capsys)


def test_a_source_date_of_today_is_accepted_in_every_time_zone() -> None:
    from rt2gaps.sources.dates import refuse_future_source_date, today_utc

    tomorrow = today_utc() + timedelta(days=1)  # a page stamped in a time zone ahead of UTC
    assert refuse_future_source_date(tomorrow, "x") == tomorrow
    with pytest.raises(Rt2gapsError, match="after today"):
        refuse_future_source_date(tomorrow + timedelta(days=1), "x")


def test_a_future_date_left_by_an_older_rt2gaps_does_not_block_a_genuine_refresh() -> None:
    from rt2gaps.refresh.merge import refresh_checks
    from rt2gaps.snapshot.build import BuildResult
    from rt2gaps.snapshot.store import Snapshot

    base = Snapshot(Path("."), [], [], {"instruments": {"ICRMW": {"source_as_of": "2099-01-01"}}})
    built = BuildResult(events=[], states=[], manifest={"instruments": {"ICRMW": {"source_as_of": "2026-01-01"}}},
                        checks=[])  # fmt: skip
    assert refresh_checks(base, built) == {}


# --- fetched MTDSG XML is dated by its content, never by the day of download ----------------------------


def _response(last_modified: str = "") -> CachedResponse:
    return CachedResponse(url="u", path=Path("p"), status=200, sha256="", etag="", last_modified=last_modified,
                          content_type="", fetched_at="2026-11-29T10:00:00+00:00", size=0)  # fmt: skip


def test_fetched_xml_is_dated_by_its_latest_act_then_last_modified_then_unknown(shared_sources: Path) -> None:
    from rt2gaps.sources import mtdsg_xml

    xml = next((shared_sources / "untc" / "mtdsg-xml-2018-01").rglob("V-5.en.xml"))
    parsed = mtdsg_xml.parse(xml.read_bytes(), xml.name)
    day, basis = source_date(parsed, _response("Mon, 15 Jan 2018 00:00:00 GMT"))
    assert date(2011, 1, 1) < day < date(2018, 1, 16) and basis.startswith("latest date in the file")
    parsed.rows.clear()
    assert source_date(parsed, _response("Mon, 15 Jan 2018 00:00:00 GMT")) == (
        date(2018, 1, 15),
        "the server's Last-Modified date",
    )
    assert source_date(parsed, _response("")) is None


def test_serving_the_2018_xml_does_not_make_the_snapshot_say_today(tmp_path: Path, shared_sources: Path) -> None:
    # issue: serving the 2018 files made `snapshot info` say "as of 2026-11-29" and removed the stale warnings
    xml = next((shared_sources / "untc" / "mtdsg-xml-2018-01").rglob("V-5.en.xml")).read_bytes()
    with DepositaryMirror({xml_path("V-5"): (xml, "text/xml")}, lifetime=30) as server:
        report = refresh(data=tmp_path / "data", cache=tmp_path / "cache", source="untc",
                         instrument_ids=["REFUGEE-1967"], mirror=server.url, settings=FAST, progress=False)  # fmt: skip
    assert report.exit_code == 0, report.outcomes
    (outcome,) = report.outcomes
    assert outcome.as_of < "2018-01-16"


# --- set weights --------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", ["1e308", "0", "-1", "1001", "inf", "nan", "1" + "0" * 400])
def test_set_weights_must_be_finite_positive_and_at_most_1000(tmp_path: Path, capsys, weight: str) -> None:
    # issue: 1e308 overflowed (coverage 0.0, every State ranked 1, exit 0); all-zero weights gave blank coverage
    path = tmp_path / "set.toml"
    path.write_text(f'name = "w"\ninstruments = ["ICRMW", "ICCPR"]\nweights = {{ ICRMW = {weight} }}\n')
    assert main(["gaps", "--set", str(path)]) == 2
    err = one_error_line(capsys)
    assert str(path) in err and "weights.ICRMW" in err and len(err) < 300


def test_a_weight_of_1000_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "set.toml"
    path.write_text('name = "w"\ninstruments = ["ICRMW", "ICCPR"]\nweights = { ICRMW = 1000, ICCPR = 0.5 }\n')
    assert load_set(path).weights == {"ICRMW": 1000.0, "ICCPR": 0.5}


def test_a_set_file_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "set.toml"
    path.write_bytes(b'\xef\xbb\xbfname = "bom"\ninstruments = ["ICRMW"]\n')
    assert load_set(path).name == "bom"


# --- imported pages -----------------------------------------------------------------------------------


def test_an_imported_date_before_the_instruments_adoption_is_refused_with_the_row(tmp_path: Path, capsys) -> None:
    # C098 was adopted on 1 July 1949: a page saying Albania ratified it in 1930 is a misread or a wrong page
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.read_bytes().replace(b"03 Jan 2090", b"03 Jan 1930").replace(b" 209", b" 201"))
    data = tmp_path / "data"
    assert main(["import", str(page), "--as-of", "2025-01-01", "--data", str(data)]) == 2  # before any build
    err = one_error_line(capsys)
    assert "row 1 (Albania)" in err and "before C098 was adopted (1949-07-01)" in err
    assert not (data / "snapshot").exists()


@pytest.mark.parametrize("name", ["/dev/zero", "fifo", "folder"])
def test_import_accepts_only_regular_files(tmp_path: Path, capsys, name: str) -> None:
    # issue: `import /dev/zero` exhausted memory and ended in a traceback; a FIFO hung
    path = Path(name)
    if name == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif name == "folder":
        path = tmp_path
    assert main(["import", str(path), "--data", str(tmp_path / "data")]) == 2
    assert "not a regular file" in one_error_line(capsys)


def test_import_refuses_a_file_over_the_fetch_cap_without_reading_it_whole(tmp_path: Path) -> None:
    # issue: a 24 MB table took 0.96 GB before being refused
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.truncate(24 * 1024 * 1024)
    with pytest.raises(Rt2gapsError, match="exceeds the 20971520-byte cap"):
        read_saved_file(big)
    assert read_saved_file(PAGE) == PAGE.read_bytes()


# --- clear messages for the small ones ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<?xml version="1.0"?><Document/>'.encode("utf-16"), "UTF-16 text"),
        (bytes(range(256)) * 16, "binary data"),
        (b"hello, not a document", "text that is not XML"),
    ],
)
def test_a_mirror_serving_something_else_is_described_as_such(body: bytes, expected: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_payload("mtdsg-xml", body, "http://127.0.0.1/x.xml")
    assert expected in caught.value.reason and "HTML" not in caught.value.reason


def test_diff_blames_the_argument_the_user_gave(capsys) -> None:
    assert main(["diff", "2020-01-01", "2020-13-01"]) == 2
    err = one_error_line(capsys)
    assert "NEW: '2020-13-01'" in err and "--as-of" not in err


@pytest.mark.parametrize("mirror", ["http://[::1", "http://127.0.0.1:99999", "ftp://127.0.0.1/", "http://"])
def test_a_bad_mirror_url_is_one_line(tmp_path: Path, capsys, mirror: str) -> None:
    assert main(["fetch", "--mirror", mirror, "--data", str(tmp_path / "d"), "--cache", str(tmp_path / "c")]) == 2
    assert "--mirror" in one_error_line(capsys)
    assert listing(tmp_path / "d") == []


@pytest.mark.parametrize("variable", ["RT2GAPS_DATA", "RT2GAPS_CACHE"])
def test_a_data_or_cache_folder_that_is_a_file_is_one_line(tmp_path: Path, capsys, monkeypatch, variable) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine")
    monkeypatch.setenv(variable, str(afile))
    assert main(["fetch", "--mirror", "http://127.0.0.1:9/"]) == 2
    assert f"{variable} {afile}: exists and is not a folder" in one_error_line(capsys)
    assert afile.read_text() == "mine"


def test_the_first_fetch_does_not_claim_a_previous_snapshot_was_kept(tmp_path: Path, capsys) -> None:
    from rt2gaps.cli.fetch import end_with_report
    from rt2gaps.refresh.fetch import FetchReport

    written = tmp_path / "snapshot"
    written.mkdir()
    end_with_report(FetchReport([Outcome("untc", "ICRMW", "updated")], written_to=written), "fetch")
    assert "previous kept" not in capsys.readouterr().err
    (tmp_path / "snapshot.previous").mkdir()
    end_with_report(FetchReport([Outcome("untc", "ICRMW", "updated")], written_to=written), "fetch")
    assert "previous kept" in capsys.readouterr().err
    assert FAILED == "failed"
