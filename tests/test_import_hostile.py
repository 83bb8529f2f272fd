"""Hostile and contradictory tables given to ``rt2gaps import`` (issue 21, items 1-7 and the doubled header).

Every hostile file is built here, small on disk; each refusal is one line on stderr, exit 2, nothing
written, in bounded time. Every row is made up for the test (no real ratification record).
"""

from __future__ import annotations

import json
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

import rt2gaps
from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.history import status_rows
from rt2gaps.snapshot.userdata import user_snapshot_dir

SOURCE = "made-up test table"
AS_OF = "2020-01-01"
HEADER = "country,instrument,action,date,note\n"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "userdata"
    monkeypatch.setenv("RT2GAPS_DATA", str(folder))
    return folder


def _xlsx(path: Path, sheet_rows: str = "", *, shared: bytes | None = None, sheet: bytes | None = None,
          with_sheet: bool = True, dimension: str = "") -> Path:  # fmt: skip
    """A minimal workbook written part by part (no openpyxl), so a test can make any part hostile."""
    rels = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>')  # fmt: skip
    if shared is not None:
        rels += ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'sharedStrings" Target="sharedStrings.xml"/>')  # fmt: skip
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')  # fmt: skip
    if shared is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      'officedocument.spreadsheetml.sharedStrings+xml"/>')  # fmt: skip
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                      'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                      f"{overrides}</Types>")  # fmt: skip
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rns}><sheets><sheet name="S" '
                      'sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        book.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                      f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')  # fmt: skip
        if with_sheet:
            body = (
                sheet
                if sheet is not None
                else (
                    f'<?xml version="1.0"?><worksheet {ns}>{dim}<sheetData>{sheet_rows}</sheetData></worksheet>'
                ).encode()
            )
            book.writestr("xl/worksheets/sheet1.xml", body)
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", shared)
    return path


def _cells(*values: str) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)


GOOD_ROWS = (f"<row>{_cells('country', 'instrument', 'action', 'date')}</row>"
             f"<row>{_cells('Philippines', 'C189', 'ratification', '2012-09-05')}</row>")  # fmt: skip


def _refused(capsys, data_dir: Path, args: list[str], *words: str, seconds: float = 20.0) -> str:
    started = time.monotonic()
    code = main(["import", *args, "--source", SOURCE, "--as-of", AS_OF])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert elapsed < seconds, elapsed
    assert err.startswith("rt2gaps: error: ") and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err
    assert not data_dir.exists()
    return err


# 1. a 5 KB workbook with one cell at XFD1048576: refused by the caps, not padded to 16,384 columns
@pytest.mark.parametrize("dimension", ["", "A1:XFD1048576"])
def test_one_far_cell_is_refused_fast(tmp_path: Path, data_dir: Path, capsys, dimension: str) -> None:
    rows = GOOD_ROWS + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx(tmp_path / "far.xlsx", rows, dimension=dimension)
    assert path.stat().st_size < 5000
    _refused(capsys, data_dir, [str(path)], "far.xlsx", "100,000 rows")


def test_a_sheet_wider_than_any_table_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    wide = "<row>" + "".join(f'<c r="{c}1" t="inlineStr"><is><t>h</t></is></c>' for c in ("A", "B", "AZ")) + "</row>"
    path = _xlsx(tmp_path / "wide.xlsx", wide + GOOD_ROWS.replace("<row>", "<row>", 1))
    _refused(capsys, data_dir, [str(path)], "wide.xlsx", "50 columns")


def test_only_the_needed_columns_are_read(tmp_path: Path, data_dir: Path) -> None:
    """A real table with a few spare columns beside it imports (only the named columns are read)."""
    rows = (f"<row>{_cells('country', 'instrument', 'action', 'date', 'note', 'spare')}</row>"
            f"<row>{_cells('Philippines', 'C189', 'ratification', '2012-09-05', 'made up', 'x')}</row>")  # fmt: skip
    path = _xlsx(tmp_path / "ok.xlsx", rows)
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 0


# 2. shared strings that expand far beyond any table, and a note kept whole
def test_a_part_that_expands_too_far_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    shared = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<si><t>" + b"a" * 40_000_000 + b"</t></si></sst>")  # fmt: skip
    path = _xlsx(tmp_path / "bomb.xlsx", GOOD_ROWS, shared=shared)
    assert path.stat().st_size < 200_000
    _refused(capsys, data_dir, [str(path)], "bomb.xlsx", "xl/sharedStrings.xml", "expands")


def test_a_note_over_the_cap_is_refused_by_row(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + f"Philippines,C189,ratification,2012-09-05,{'n' * 2001}\n", encoding="utf-8")
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 2
    err = capsys.readouterr().err
    assert "row 2: note" in err and "2,000 characters" in err and "n" * 100 not in err
    assert not data_dir.exists()


def test_one_long_shared_string_in_every_row_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    """A note under the cap, shared by 1,000 rows: the notes together would bloat the manifest."""
    shared = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<si><t>" + b"n" * 1_999 + b"</t></si></sst>")  # fmt: skip
    head = f"<row>{_cells('country', 'instrument', 'action', 'date', 'note')}</row>"
    rows = "".join(f"<row>{_cells('Philippines', 'C189', 'ratification', f'{2012 + i // 365:04d}')}"
                   '<c t="s"><v>0</v></c></row>' for i in range(1_000))  # fmt: skip
    path = _xlsx(tmp_path / "notes.xlsx", head + rows, shared=shared)
    assert path.stat().st_size < 50_000
    _refused(capsys, data_dir, [str(path)], "notes.xlsx", "1,000,000")


# 3. a million rows: refused at once, in bounded time
def test_a_million_rows_are_refused_fast(tmp_path: Path, data_dir: Path, capsys) -> None:
    row = b"<row>" + _cells("Philippines", "C189", "ratification", "2012-09-05").encode() + b"</row>"
    head = GOOD_ROWS.encode()
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + head + row * 1_000_000 + b"</sheetData></worksheet>")  # fmt: skip
    path = _xlsx(tmp_path / "million.xlsx", sheet=sheet)
    _refused(capsys, data_dir, [str(path)], "million.xlsx", seconds=15)


def test_rows_over_the_cap_are_refused_while_reading(tmp_path: Path, data_dir: Path, capsys) -> None:
    """Under the part cap but over the row cap, with no dimension to tell it up front."""
    row = "<row>" + _cells("x") + "</row>"
    path = _xlsx(tmp_path / "long.xlsx", GOOD_ROWS + row * 100_001)
    _refused(capsys, data_dir, [str(path)], "long.xlsx", "100,000 rows", seconds=60)


# 4. tracebacks
def test_a_huge_csv_field_is_refused_in_one_line(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "field.csv"
    path.write_text(HEADER + f"{'P' * 140_000},C189,ratification,2012-09-05,\n", encoding="utf-8")
    _refused(capsys, data_dir, [str(path)], "field.csv", "row 2")


def test_old_mac_line_ends_are_read(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"country,instrument,action,date\rPhilippines,C189,ratification,2012-09-05\r")
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 0
    assert (user_snapshot_dir(data_dir) / "events.csv").is_file()


def test_malformed_sheet_xml_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = _xlsx(tmp_path / "broken.xlsx", sheet=b'<?xml version="1.0"?><worksheet><sheetData><row><c')
    _refused(capsys, data_dir, [str(path)], "broken.xlsx", "not a readable .xlsx")


def test_missing_sheet_part_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = _xlsx(tmp_path / "nosheet.xlsx", with_sheet=False)
    _refused(capsys, data_dir, [str(path)], "nosheet.xlsx", "not a readable .xlsx")


def test_country_twice_in_the_header_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("country,instrument,action,date,country\nPhilippines,C189,ratification,2012-09-05,France\n",
                    encoding="utf-8")  # fmt: skip
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 2
    assert "row 1: column 'country' appears 2 times" in capsys.readouterr().err
    assert not data_dir.exists()


# 5. contradictory acts, refused naming the rows
@pytest.mark.parametrize(
    ("rows", "wanted"),
    [
        ("Philippines,C189,ratification,2012-09-05\nPHL,C189,ratification,2014-01-01\n",
         "row 3: action 'ratification': a second consent of 'PHL' to C189 after row 2 with no denunciation between"),
        ("Philippines,C189,ratification,2012-09-05\nPhilippines,C189,signature,2013-01-01\n",
         "row 3: action 'signature': after the consent of row 2"),
        ("Philippines,C189,ratification,2012-09-05\nPhilippines,C189,denunciation,2012-09-05\n",
         "row 3: action 'denunciation': the same day as the consent of row 2"),
    ],
)  # fmt: skip
def test_contradictory_acts_are_refused(tmp_path: Path, data_dir: Path, capsys, rows: str, wanted: str) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("country,instrument,action,date\n" + rows, encoding="utf-8")
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 2
    err = capsys.readouterr().err
    assert wanted in err, err
    assert not data_dir.exists()


def test_a_ratification_after_a_denunciation_is_fine(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "again.csv"
    path.write_text("country,instrument,action,date\nPhilippines,C189,ratification,2012-09-05\n"
                    "Philippines,C189,denunciation,2015-01-01\nPhilippines,C189,ratification,2017-01-01\n",
                    encoding="utf-8")  # fmt: skip
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 0


# 6. participants that are not States of the universe: said on stderr, not a failure
def test_non_state_participants_are_named_on_stderr(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "non_states.csv"
    path.write_text(
        "country,instrument,action,date\nPhilippines,C189,ratification,2012-09-05\n"
        "European Union,CRPD,approval,2010-12-23\nYugoslavia,C189,ratification,2013\n"
        "USSR,C189,ratification,2013\nCzechoslovakia,C189,ratification,2013\n",
        encoding="utf-8",
    )
    assert main(["import", str(path), "--source", SOURCE, "--as-of", "2026-03-01"]) == 0  # after the CRPD source
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "not States" in line)
    for name in ("European Union (row 3)", "Yugoslavia (row 4)", "USSR (row 5)", "Czechoslovakia (row 6)"):
        assert name in line, line


# 7. partial tables add to and override what they list; only a complete one replaces
def _c189(on: str) -> dict[str, str]:
    rows = status_rows(current_snapshot(), [load_instruments()["C189"]], date.fromisoformat(on))
    return {r.iso3: r.status for r in rows}


def test_a_second_partial_table_adds_to_the_first(tmp_path: Path, data_dir: Path) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("country,instrument,action,date\nPhilippines,C189,ratification,2012-09-05\n"
                     "Uruguay,C189,ratification,2012-06-14\n", encoding="utf-8")  # fmt: skip
    second.write_text("country,instrument,action,date\nItaly,C189,ratification,2013-01-22\n"
                      "Uruguay,C189,ratification,2012-06-15\n", encoding="utf-8")  # fmt: skip
    assert main(["import", str(first), "--source", SOURCE, "--as-of", AS_OF]) == 0
    assert main(["import", str(second), "--source", "another made-up table", "--as-of", AS_OF]) == 0
    status = _c189("2019-06-01")
    assert (status["PHL"], status["ITA"], status["FRA"]) == ("party", "party", "unknown")
    events = (user_snapshot_dir(data_dir) / "events.csv").read_text(encoding="utf-8")
    uruguay = [line for line in events.splitlines() if line.startswith("C189,URY")]
    assert len(uruguay) == 1 and ",2012-06-15," in uruguay[0]  # the second table's rows override the first's
    manifest = json.loads((user_snapshot_dir(data_dir) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["instruments"]["C189"]["user_table"]["complete"] is False


def test_a_partial_table_over_a_depositary_source_keeps_its_rows(tmp_path: Path, data_dir: Path) -> None:
    """C029 has a NORMLEX source: a made-up partial row for one State leaves every other party as it was."""
    before = _all_c029("2026-08-01")
    table = tmp_path / "c029.csv"
    table.write_text("country,instrument,action,date\nPhilippines,C029,ratification,2005\n", encoding="utf-8")
    assert main(["import", str(table), "--source", SOURCE, "--as-of", "2026-08-01"]) == 0
    after = _all_c029("2026-08-01")
    parties_before = {k for k, v in before.items() if v == "party"}
    assert parties_before and parties_before <= {k for k, v in after.items() if v == "party"}
    # a State the complete NORMLEX table lists nowhere stays none, as of that table's date: a partial table
    # says nothing of it (Philippines is the one State the partial table speaks for)
    untouched = {k for k, v in before.items() if v in ("none", "unknown", "not_eligible") and k != "PHL"}
    assert untouched and {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    spells = rt2gaps.history(instruments="C029")  # the spells say the same as the day's answer
    marshall = spells[spells["iso3"] == "MHL"]
    assert before["MHL"] == "none" and marshall["status"].iloc[-1] == "unknown"  # past the window: unknown
    on_day = marshall[(marshall["start"] <= "2026-08-01") & (marshall["end"].isna() | (marshall["end"] > "2026-08-01"))]
    assert list(on_day["status"]) == ["none"], marshall


def _all_c029(on: str) -> dict[str, str]:
    rows = status_rows(current_snapshot(), [load_instruments()["C029"]], date.fromisoformat(on))
    return {r.iso3: r.status for r in rows}
