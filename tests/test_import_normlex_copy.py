"""``rt2gaps import FILE --instrument C189``: NORMLEX's ratification table as a browser copies it.

The layout is the page's (FORMATS.md §5: Country | Date | Status | Note, French Pays | Date | Statut |
Note, "dd Mon yyyy" dates, notes "Denounced on …" / "will enter into force …"). EVERY ROW HERE IS TEST
DATA, made up for the test: the dates are not any State's real record.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

import rt2gaps
from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.history import status_rows
from rt2gaps.snapshot.userdata import user_snapshot_dir
from rt2gaps.sources import normlex_copy

SOURCE = "TEST DATA: made-up copy of the NORMLEX C189 table"
AS_OF = "2019-12-01"
# what a selection of the page pasted into a text editor gives: the line above the header is skipped
COPIED_EN = (
    "TEST DATA - made up for the test, not a real record\n"
    "Country\tDate\tStatus\tNote\n"
    "Italy\t14 Mar 2016\tIn Force\t\n"
    "Philippines\t10 Jan 2015\tIn Force\t\n"
    "Mexico\t03 Jul 2019\tNot in force\tThe Convention will enter into force for Mexico on 03 Jul 2020.\n"
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "userdata"
    monkeypatch.setenv("RT2GAPS_DATA", str(folder))
    return folder


def _c189(on: str) -> dict[str, str]:
    rows = status_rows(current_snapshot(), [load_instruments()["C189"]], date.fromisoformat(on))
    return {r.iso3: r.status for r in rows}


def _import(path: Path, *extra: str) -> int:
    return main(["import", str(path), "--instrument", "C189", "--source", SOURCE, "--as-of", AS_OF, *extra])


def test_a_copied_three_state_table_makes_them_party_and_the_rest_none(tmp_path: Path, data_dir: Path) -> None:
    before = rt2gaps.gaps("rt2-priority", as_of=AS_OF).set_index("iso3")
    assert set(_c189(AS_OF).values()) <= {"unknown", "not_eligible"}  # no C189 source before
    path = tmp_path / "c189.txt"
    path.write_text(COPIED_EN, encoding="utf-8")
    assert _import(path) == 0
    on = _c189(AS_OF)
    assert (on["ITA"], on["PHL"], on["FRA"]) == ("party", "party", "none")  # complete: France listed nowhere
    assert on["MEX"] == "pending"  # "will enter into force": ratified, in force 12 months after registration
    assert _c189("2020-08-01")["MEX"] == "party"
    assert _c189("2016-06-01")["ITA"] == "pending" and _c189("2017-03-14")["ITA"] == "party"
    entry = json.loads((user_snapshot_dir(data_dir) / "manifest.json").read_text(encoding="utf-8"))["instruments"]
    assert entry["C189"]["format"] == normlex_copy.FORMAT and entry["C189"]["user_table"]["complete"] is True
    after = rt2gaps.gaps("rt2-priority", as_of=AS_OF).set_index("iso3")
    for iso3 in ("ITA", "PHL", "MEX", "FRA"):  # the interval narrows: one unknown fewer, a larger known share
        assert after.loc[iso3, "unknown"] == before.loc[iso3, "unknown"] - 1
        assert after.loc[iso3, "known_share"] > before.loc[iso3, "known_share"]
    eligible = sum(status != "not_eligible" for status in on.values())
    assert before["unknown"].sum() - after["unknown"].sum() == eligible


def test_partial_copy_leaves_the_others_unknown(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "c189.tsv"
    path.write_text(COPIED_EN, encoding="utf-8")
    assert _import(path, "--partial") == 0
    on = _c189(AS_OF)
    assert (on["ITA"], on["FRA"]) == ("party", "unknown")


def test_french_copy_with_denunciation_and_pending_notes() -> None:
    text = (
        "Pays\tDate\tStatut\tNote\n"
        "Italie\t05 sept. 2013\tEn vigueur\t\n"
        "Philippines\t5 septembre 2013\tEn vigueur\t\n"
        "Allemagne\t20 sept. 2013\tPas en vigueur\tDénoncée le 01 févr. 2019 (données de test)\n"
        "Congo\t26 oct. 2023\tPas en vigueur\tLa convention entrera en vigueur pour Congo le 26 oct. 2024.\n"
    )  # TEST DATA
    table = normlex_copy.read_copy(text.encode("utf-8"), "copie.txt", "C189")
    assert table.problems == []
    acts = [(r.country, r.action, r.date) for r in table.rows]
    assert acts == [
        ("Italie", "ratification", date(2013, 9, 5)),
        ("Philippines", "ratification", date(2013, 9, 5)),
        ("Allemagne", "ratification", date(2013, 9, 20)),
        ("Allemagne", "denunciation", date(2019, 2, 1)),
        ("Congo", "ratification", date(2023, 10, 26)),
    ]
    assert table.rows[-1].note.startswith("pending: La convention entrera en vigueur")


def test_comma_separated_copy_with_a_declaration_in_the_country_cell() -> None:
    text = ('Country,Date,Status,Note\n"Albania Excludes Annex III (test data)",05 Sep 2013,In Force,\n'
            '"Tuvalu\nExcludes Annex I (test data)",06 Sep 2013,In Force,\n'
            "Malaysia,07 Sep 2013,Not in force,Denounced on 12 Mar 2018 (test data)\n")  # fmt: skip
    table = normlex_copy.read_copy(text.encode(), "copy.csv", "C097", is_name=lambda n: n in {"Albania", "Malaysia"})
    assert table.problems == []
    rows = {(r.country, r.action): r for r in table.rows}
    assert rows[("Albania", "ratification")].note == "in force; declaration: Excludes Annex III (test data)"
    assert rows[("Tuvalu", "ratification")].note == "in force; declaration: Excludes Annex I (test data)"
    assert rows[("Malaysia", "denunciation")].date == date(2018, 3, 12)


def test_a_copy_pasted_into_a_sheet(tmp_path: Path, data_dir: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Country", "Date", "Status", "Note"])
    sheet.append(["Italy", datetime(2016, 3, 14), "In Force", "test data"])  # the sheet made it a date
    sheet.append(["Philippines", "10 Jan 2015", "In Force", "test data"])
    path = tmp_path / "c189.xlsx"
    book.save(path)
    assert _import(path) == 0
    on = _c189(AS_OF)
    assert (on["ITA"], on["PHL"], on["FRA"]) == ("party", "party", "none")


def test_every_problem_of_a_copy_is_listed_by_row(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(
        "Country\tDate\tStatus\tNote\n"
        "Italy\t31 Foo 2016\tIn Force\t\n"
        "Spain\t14 Mar 2016\tSuspended\t\n"
        "Chile\t14 Mar 2016\tNot in force\t\n"
        "Peru\t14 Mar 2016\tNot in force\tDenounced (test data)\n"
        "Atlantis\t14 Mar 2016\tIn Force\t\n", encoding="utf-8")  # fmt: skip
    assert _import(path) == 2
    err = capsys.readouterr().err
    for wanted in ("row 2: date '31 Foo 2016': not a date", "row 3: status 'Suspended'",
                   "row 4: note '': Not in force, and the note does not say why",
                   "row 5: note 'Denounced (test data)': denounced, but the note gives no date",
                   "row 6: country 'Atlantis': resolves to no State"):  # fmt: skip
        assert wanted in err, err
    assert not data_dir.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instrument", "ICRMW"], "not an ILO convention"),
        (["--instrument", "C189", "--complete"], "complete unless --partial"),
        (["--partial"], "give --instrument ID too"),
    ],
)
def test_refusals_of_the_copy_options(tmp_path: Path, data_dir: Path, capsys, args: list[str], message: str) -> None:
    path = tmp_path / "c189.txt"
    path.write_text(COPIED_EN, encoding="utf-8")
    assert main(["import", str(path), *args, "--source", SOURCE, "--as-of", AS_OF]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not data_dir.exists()


def test_a_generic_table_given_as_a_copy_is_refused(tmp_path: Path, data_dir: Path, capsys) -> None:
    path = tmp_path / "generic.csv"
    path.write_text("country,instrument,action,date\nPhilippines,C189,ratification,2012-09-05\n", encoding="utf-8")
    assert _import(path) == 2
    assert "no header row Country, Date, Status, Note" in capsys.readouterr().err
