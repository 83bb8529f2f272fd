"""`rt2gaps import TABLE.csv|.xlsx --source --as-of [--complete]` (issue 9 §6).

THE TABLES IN THIS FILE ARE MADE UP FOR THE TEST. They are not ratification facts: they only exercise
the reader, the checks and the status engine. C189 is used because no source here covers it (so the
bundled snapshot says `unknown` for every ILO member and the table is its only record).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.history import status_rows
from rt2gaps.snapshot.userdata import user_snapshot_dir

MADE_UP = """country,instrument,action,date,note
Philippines,C189,ratification,2012-09-05,made up for the test
Italie,C189,ratification,2013-01,made up for the test (French name; month only)
Italie,C189,denunciation,2016,made up for the test (year only)
URY,C189,signature,2011-06-16,
"""
AS_OF = "2020-01-01"
SOURCE = "made-up test table"


def _write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _statuses(on: str, *iso3: str) -> dict[str, tuple[str, str]]:
    rows = status_rows(current_snapshot(), [load_instruments()["C189"]], date.fromisoformat(on))
    return {r.iso3: (r.status, r.note) for r in rows if not iso3 or r.iso3 in iso3}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "userdata"
    monkeypatch.setenv("RT2GAPS_DATA", str(folder))
    return folder


def test_partial_table_answers_only_for_the_states_it_lists(tmp_path: Path, data_dir: Path, capsys) -> None:
    table = _write(tmp_path, MADE_UP)
    assert main(["import", str(table), "--source", SOURCE, "--as-of", AS_OF]) == 0
    assert (user_snapshot_dir(data_dir) / "events.csv").is_file()
    label = f"user table: {SOURCE}, as of {AS_OF}, partial"
    on = _statuses("2019-06-01", "PHL", "ITA", "URY", "FRA", "AND")
    assert on["PHL"] == ("party", label)  # in force 12 months after registration
    assert on["ITA"] == ("withdrawn", label)
    assert on["URY"] == ("signatory", label)
    assert on["FRA"] == ("unknown", f"not listed in the {label}")  # not in the table: unknown, never none
    rows = status_rows(current_snapshot(), [load_instruments()["C189"]], date(2022, 6, 1))
    fra = next(r for r in rows if r.iso3 == "FRA")
    assert (fra.status, fra.known_until, fra.last_known_status) == ("unknown", AS_OF, "")  # past the table's date too
    assert on["AND"][0] == "not_eligible"  # not an ILO member, whatever the table says
    # the month is kept with its precision: some day in January 2013 (C189 itself in force 2013-09-05)
    assert _statuses("2013-01-15", "ITA")["ITA"][0] == "unknown"
    assert _statuses("2013-06-01", "ITA")["ITA"][0] == "pending"
    assert _statuses("2014-02-01", "ITA")["ITA"][0] == "party"
    manifest = json.loads((user_snapshot_dir(data_dir) / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["instruments"]["C189"]
    assert entry["user_table"]["source"] == SOURCE and entry["user_table"]["complete"] is False
    assert entry["origin"] == label and entry["source_as_of"] == AS_OF
    assert [n["row"] for n in entry["user_table"]["notes"]] == [2, 3, 4]
    events = list(csv.DictReader((user_snapshot_dir(data_dir) / "events.csv").open(encoding="utf-8")))
    c189 = {(e["iso3"], e["act"]): (e["date"], e["date_precision"]) for e in events if e["instrument"] == "C189"}
    assert c189 == {("PHL", "ratification"): ("2012-09-05", "day"), ("ITA", "ratification"): ("2013-01", "month"),
                    ("ITA", "denunciation"): ("2016", "year"), ("URY", "signature"): ("2011-06-16", "day")}  # fmt: skip
    capsys.readouterr()
    # the status verb (through the spells) and the gaps verb say the same
    assert main(["status", "--instruments", "C189", "--as-of", "2019-06-01"]) == 0
    verb = {r["iso3"]: (r["status"], r["note"]) for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert {k: verb[k] for k in ("PHL", "ITA", "URY", "FRA")} == {k: on[k] for k in ("PHL", "ITA", "URY", "FRA")}
    # diff shows what the import changed, naming the table
    assert main(["diff", "--data", str(data_dir), "--on", "2019-06-01", "--format", "csv"]) == 0
    changes = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    source = next(c for c in changes if c["change"] == "source")
    assert (source["instrument"], source["old"]) == ("C189", "no source") and label in source["new"]
    statuses = {c["iso3"]: (c["old"], c["new"]) for c in changes if c["change"] == "status"}
    assert statuses == {"PHL": ("unknown", "party"), "ITA": ("unknown", "withdrawn"), "URY": ("unknown", "signatory")}


def test_complete_table_makes_the_others_none_as_of_its_date(tmp_path: Path, data_dir: Path) -> None:
    table = _write(tmp_path, MADE_UP)
    assert main(["import", str(table), "--source", SOURCE, "--as-of", AS_OF, "--complete"]) == 0
    label = f"user table: {SOURCE}, as of {AS_OF}, complete"
    on = _statuses("2019-06-01", "PHL", "FRA")
    assert on == {"PHL": ("party", label), "FRA": ("none", label)}


def test_excel_table_with_date_cells_and_a_year_as_a_number(tmp_path: Path, data_dir: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Country", "Instrument", "Action", "Date", "Note"])  # any case
    sheet.append(["Philippines", "C189", "ratification", datetime(2012, 9, 5), "made up for the test"])
    sheet.append(["Uruguay", "C189", "ratification", 2012, "made up for the test"])
    path = tmp_path / "table.xlsx"
    book.save(path)
    assert main(["import", str(path), "--source", SOURCE, "--as-of", AS_OF]) == 0
    events = list(csv.DictReader((user_snapshot_dir(data_dir) / "events.csv").open(encoding="utf-8")))
    c189 = {e["iso3"]: (e["date"], e["date_precision"]) for e in events if e["instrument"] == "C189"}
    assert c189 == {"PHL": ("2012-09-05", "day"), "URY": ("2012", "year")}


BAD = """country,instrument,action,date,note
Philippines,C189,ratification,2012-09-05,
Atlantis,C189,ratification,2013,
France,C999,ratification,2013-02,
Spain,C189,ratification,2013-13,
Spain,C189,ratified,2013,
Germany,C189,denunciation,2014,
Philippines,C189,ratification,2012-09-05,
PHL,C189,ratification,2012-09-05,
Chile,C189,ratification,2021-03-01,
Peru,C189,,2014,
Chile,C189,ratification,2011-05,
"""


def test_every_problem_is_listed_by_row_and_nothing_is_written(tmp_path: Path, data_dir: Path, capsys) -> None:
    table = _write(tmp_path, BAD)
    assert main(["import", str(table), "--source", SOURCE, "--as-of", AS_OF]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rt2gaps: error: {table}: 11 problem(s) in the table; nothing imported:\n")
    expected = [
        f"{table} row 3: country 'Atlantis': resolves to no State",
        f"{table} row 4: instrument 'C999': not a catalogue id",
        f"{table} row 5: date '2013-13': not a date",
        f"{table} row 6: action 'ratified': expected one of signature, ratification,",
        f"{table} row 7: action 'denunciation': no earlier consent of 'Germany' to C189",
        f"{table} row 8: row 'Philippines, C189, ratification, 2012-09-05': duplicate of row 2",
        f"{table} row 9: row 'PHL, C189, ratification, 2012-09-05': duplicate of row 2",  # same State by ISO3
        f"{table} row 10: date '2021-03-01': after the table's --as-of 2020-01-01",
        f"{table} row 10: action 'ratification': a second consent of 'Chile' to C189 after row 12",
        f"{table} row 11: action '': empty cell",
        f"{table} row 12: date '2011-05': before C189 was adopted (2011-06-16)",
    ]
    lines = err.splitlines()[1:]
    for wanted in expected:
        assert any(line.strip().startswith(wanted) for line in lines), wanted
    assert not data_dir.exists()


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("country,instrument,when\nPHL,C189,2012\n", ["--source", SOURCE, "--as-of", AS_OF],
         "row 1: missing column(s) action, date"),
        ("", ["--source", SOURCE, "--as-of", AS_OF], "the table is empty"),
        (MADE_UP, ["--as-of", AS_OF], "a table needs --source TEXT"),
        (MADE_UP, ["--source", SOURCE], "a table needs --source TEXT"),
        (MADE_UP, ["--source", SOURCE, "--as-of", "2020-13-01"], "--as-of: '2020-13-01' is not a date"),
    ],
)  # fmt: skip
def test_refusals_of_the_command_line(
    tmp_path: Path, data_dir: Path, capsys, text: str, args: list[str], message: str
) -> None:
    table = _write(tmp_path, text)
    assert main(["import", str(table), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rt2gaps: error: ") and message in err
    assert not data_dir.exists()


def test_an_empty_source_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    table = _write(tmp_path, MADE_UP)
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(table), "--source", "  ", "--as-of", AS_OF])
    assert stopped.value.code == 2 and "--source" in capsys.readouterr().err
    assert not data_dir.exists()


def test_source_and_complete_are_refused_for_saved_pages(tmp_path: Path, data_dir: Path, capsys) -> None:
    page = _write(tmp_path, "<html></html>", "page.html")
    assert main(["import", str(page), "--complete"]) == 2
    assert "--source and --complete are for a table" in capsys.readouterr().err
    table = _write(tmp_path, MADE_UP)
    assert main(["import", str(table), str(page), "--source", SOURCE, "--as-of", AS_OF]) == 2
    assert "import one table at a time" in capsys.readouterr().err
    assert not data_dir.exists()


def test_a_complete_table_that_would_lose_parties_fails_the_same_checks(tmp_path: Path, data_dir: Path, capsys) -> None:
    """C029 has a NORMLEX source; a (made-up) complete table listing one State would drop every other party."""
    table = _write(tmp_path, "country,instrument,action,date\nPhilippines,C029,ratification,2005\n")
    assert main(["import", str(table), "--source", SOURCE, "--as-of", "2026-08-01", "--complete"]) == 1
    captured = capsys.readouterr()
    assert "vanish from the source" in captured.out and "nothing written" in captured.err
    assert not (user_snapshot_dir(data_dir) / "events.csv").exists()


def test_reading_the_table_without_the_snapshot() -> None:
    """The reader alone: precision kept, denunciation folded into the consent before it."""
    from rt2gaps.sources import user_table

    table = user_table.read_table(MADE_UP.encode("utf-8-sig"), "made-up.csv")  # a BOM is fine
    assert table.problems == []
    rows = user_table.participant_rows(table)
    consents = {r.participant: r.consent for r in rows if r.consent}
    assert consents["Italie"].precision == "month" and consents["Italie"].undone
    assert consents["Italie"].undone_precision == "year"
    assert consents["Philippines"].precision == "day" and not consents["Philippines"].undone


def test_the_readme_example_table_imports(data_dir: Path) -> None:
    """docs/examples/made_up_ratification_table.csv (made-up rows, marked so on every row) stays importable."""
    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "made_up_ratification_table.csv"
    rows = list(csv.DictReader(example.open(encoding="utf-8")))
    assert rows and all(row["note"].startswith("MADE-UP EXAMPLE ROW") for row in rows)
    assert main(["import", str(example), "--source", "made-up example", "--as-of", AS_OF]) == 0
    assert _statuses("2019-06-01", "PHL")["PHL"][0] == "party"
