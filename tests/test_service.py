"""One service behind the command line and the API (issue 20): the same files, the same checks, the same warnings.

THE TABLE IN THIS FILE IS MADE UP FOR THE TEST (C189 has no bundled source): it only gives a user
snapshot month-precision dates, as the README's own example table does.
"""

from __future__ import annotations

import csv
import io
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

import rt2gaps
from rt2gaps.cli import main

AS_OF = "2026-02-03"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_api_run_writes_the_files_the_command_line_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--no-charts", "--as-of", AS_OF, "--out", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out.splitlines()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the mostly-unknown instruments: a warning here, a stderr line there
        lines = rt2gaps.run(out=tmp_path / "api", charts=False, as_of=AS_OF)
    cli, api = _files(tmp_path / "cli"), _files(tmp_path / "api")
    assert len(cli) == 18 and list(cli) == list(api)  # the workbook and 17 CSV tables
    assert [name for name in cli if cli[name] != api[name]] == []
    assert [line.replace(str(tmp_path / "api"), str(tmp_path / "cli")) for line in lines] == printed


def test_dir_shows_only_the_api() -> None:
    import rt2gaps.status  # noqa: F401 - a submodule loaded does not show either

    assert dir(rt2gaps) == sorted(["__version__", "gaps", "history", "instruments", "panel", "procedures", "report",
                                   "reservations", "run", "sets", "states", "status"])  # fmt: skip


@pytest.mark.parametrize(
    ("call", "argument", "args", "option"),
    [
        (lambda: rt2gaps.status(as_of="2026-13-01"), "as_of", ["status", "--as-of", "2026-13-01"], "--as-of"),
        (lambda: rt2gaps.gaps("nope"), "recommended_set", ["gaps", "--set", "nope"], "--set"),
        (lambda: rt2gaps.procedures(procedures="NOPE"), "procedures", ["procedures", "--procedures", "NOPE"],
         "--procedures"),
        (lambda: rt2gaps.history(group="nope"), "group", ["history", "--group", "nope"], "--group"),
        (lambda: rt2gaps.reservations(country="XXX"), "country", ["reservations", "--country", "XXX"], "--country"),
        (lambda: rt2gaps.run(out="/dev/null", charts=False), "out", ["run", "--no-charts", "--out", "/dev/null"],
         "--out"),
        (lambda: rt2gaps.status(stale_after=-1), "stale_after", ["status", "--stale-after", "-1"], "--stale-after"),
    ],
)  # fmt: skip
def test_one_check_names_the_argument_in_the_api_and_the_option_on_the_command_line(
    call, argument: str, args: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: ") as raised:
        call()
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    message = str(raised.value).removeprefix(f"{argument}: ")
    assert captured.err == f"rt2gaps: error: {option}: {message}\n"
    assert "--" not in message  # the library names no option; the command line adds it


def test_a_future_date_warns_the_same_way_in_the_api_and_on_the_command_line(capsys) -> None:
    from rt2gaps.service import ProjectionWarning

    later = (date.today() + timedelta(days=400)).isoformat()
    with pytest.warns(ProjectionWarning, match=rf"^as_of {later}: projected from the acts known on "):
        rt2gaps.status(later, instruments="ICRMW")
    assert main(["status", "--as-of", later, "--instruments", "ICRMW"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"rt2gaps: warning: --as-of {later}: projected from the acts known on ")
    assert err.count("projected") == 1


# --- issue 21: wrong or silent answers, limits on numbers and structures ----------------------------------


MONTHS = """country,instrument,action,date,note
Philippines,C189,ratification,2012-09,made up for the test (month only)
"""


def test_month_precision_dates_type_in_status_and_history(tmp_path: Path, monkeypatch) -> None:
    """Item 8: "2012-09" (a month, as the README's example table has) broke status() and history()."""
    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "data"))
    table = tmp_path / "months.csv"
    table.write_text(MONTHS, encoding="utf-8")
    assert main(["import", str(table), "--source", "made-up test table", "--as-of", "2020-01-01"]) == 0
    status = rt2gaps.status("2019-06-01", instruments="C189").set_index("iso3")
    assert status.loc["PHL", "consent_date"] == pd.Timestamp("2012-09-01")
    spells = rt2gaps.history(instruments="C189")
    phl = spells[spells["iso3"] == "PHL"]
    assert (
        pd.Timestamp("2012-09-01") in set(phl["start"].dropna()) | set(phl["end"].dropna())
        or (phl["consent_date"].dropna() == pd.Timestamp("2012-09-01")).any()
    )


def test_month_windows_give_their_first_and_last_day() -> None:
    from rt2gaps.frames import typed_frame

    frame = typed_frame([{"iso3": "PHL", "in_force_date": "2012-09/2013-02"}], ["iso3", "in_force_date"])
    assert frame.loc[0, "in_force_date"] == pd.Timestamp("2012-09-01")
    assert frame.loc[0, "in_force_latest"] == pd.Timestamp("2013-02-28")


@pytest.mark.parametrize("days", [10**12, 100_001, -1])
def test_stale_after_out_of_range_is_a_value_error_naming_it(days: int) -> None:
    """Item 12: a huge stale_after ended in OverflowError."""
    for call in (lambda: rt2gaps.status(AS_OF, stale_after=days), lambda: rt2gaps.history(stale_after=days),
                 lambda: rt2gaps.gaps(as_of=AS_OF, stale_after=days)):  # fmt: skip
        with pytest.raises(ValueError, match=r"^stale_after: .*from 0 to 100000"):
            call()


@pytest.mark.parametrize("args", [["gaps", "--stale-after", "999999999999"], ["history", "--stale-after", "100000000"]])
def test_stale_after_out_of_range_is_one_line_and_exit_2(args: list[str], capsys) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("rt2gaps: error: --stale-after: ")
    assert captured.err.count("\n") == 1


def test_a_panel_too_large_to_build_is_refused_up_front_naming_its_size() -> None:
    """Item 14: 70,000 daily dates over every instrument would be 620 million rows (MemoryError at 3 GB)."""
    days = pd.date_range("1901-01-01", periods=70_000, freq="D")
    refused = r"^dates: 70,000 dates x 197 States x \d+ instruments is [\d,]+ rows; at most"
    with pytest.raises(ValueError, match=refused), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the dates reach past today: a projection
        rt2gaps.panel(days)


@pytest.mark.parametrize("aware", [datetime(2026, 2, 3, 23, tzinfo=UTC),
                                   pd.Timestamp("2026-02-03 23:00", tz="Asia/Tokyo")])  # fmt: skip
def test_time_zone_aware_datetimes_are_refused(aware: datetime) -> None:
    """Which day an aware datetime is depends on its zone: the API refuses it rather than guess."""
    with pytest.raises(ValueError, match=r"^as_of: .*time-zone aware"):
        rt2gaps.status(aware, instruments="ICRMW")
    with pytest.raises(ValueError, match=r"^dates: .*time-zone aware"):
        rt2gaps.panel([aware], instruments="ICRMW")


# --- issue 19, one command line: --country on every verb that takes a State, instruments, sets -------------


def test_instruments_and_sets_list_what_exists(capsys) -> None:
    assert main(["instruments"]) == 0
    instruments = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    c189 = next(row for row in instruments if row["id"] == "C189")
    assert (c189["body"], c189["adoption_date"]) == ("ILO", "2011-06-16")
    assert {row["id"] for row in instruments} == set(rt2gaps.instruments()["id"])
    assert main(["sets"]) == 0
    sets = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    priority = [row["instrument"] for row in sets if row["set"] == "rt2-priority"]
    assert priority == rt2gaps.sets().query("set == 'rt2-priority'")["instrument"].tolist() and "C189" in priority


def test_procedures_list_prints_the_ids(capsys) -> None:
    from rt2gaps.procedures import load_procedures

    assert main(["procedures", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == list(load_procedures())


@pytest.mark.parametrize("name", ["Philippines", "philippines", "PHL", "Philippines (les)"])
def test_country_takes_a_code_or_a_name(name: str, capsys) -> None:
    french = rt2gaps.states().set_index("iso3").loc["PHL", "name_fr"]
    country = french if name.endswith("(les)") else name
    assert main(["gaps", "--country", country, "--as-of", AS_OF]) == 0
    by_name = capsys.readouterr().out
    assert main(["gaps", "--country", "PHL", "--as-of", AS_OF]) == 0
    assert by_name == capsys.readouterr().out
    for verb in (["status", "--as-of", AS_OF], ["history"], ["procedures", "--as-of", AS_OF]):
        assert main([*verb, "--country", country]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert rows and {row["iso3"] for row in rows} == {"PHL"}


def test_brief_takes_country_and_keeps_its_positional_code(tmp_path: Path, capsys) -> None:
    assert main(["brief", "--country", "Mexico", "--as-of", AS_OF, "--out", str(tmp_path / "a")]) == 0
    assert main(["brief", "MEX", "--as-of", AS_OF, "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    written = [(tmp_path / folder / "briefs" / "MEX_rt2-priority.md").read_bytes() for folder in ("a", "b")]
    assert written[0] == written[1]


# --- issue 20: typed report tables, one dtype for codes, caches that stay bounded ---------------------------


def test_report_tables_are_typed_like_the_other_frames() -> None:
    from rt2gaps.phrase import Phrase

    run = rt2gaps.report("rt2-priority", as_of=AS_OF)
    for name, table in run.tables.items():
        assert "name_en" not in table.columns, name
        for column in table.columns:
            if table[column].dtype == object:
                kinds = {type(v) for v in table[column] if v is not None and v == v}
                assert not any(issubclass(k, date | Phrase) for k in kinds), (name, column, kinds)
    assert run.tables["changes"]["date"].dtype == "datetime64[ns]"
    assert run.tables["data_quality"]["detail"].dtype == "string"
    assert "name" in run.tables["country_gaps"].columns
    status = rt2gaps.status(AS_OF, instruments="ICRMW")
    panel = rt2gaps.panel([AS_OF], instruments="ICRMW")
    for column in ("iso3", "instrument"):
        assert status[column].dtype == panel[column].dtype, column
        assert isinstance(run.tables["country_gaps"]["iso3"].dtype, pd.CategoricalDtype)


def test_the_snapshot_key_memo_is_bounded() -> None:
    import copy
    from importlib import import_module

    from rt2gaps.snapshot.userdata import current_snapshot

    history = import_module("rt2gaps.history")  # the module: ``rt2gaps.history`` is the public function
    snapshot = current_snapshot()
    for _ in range(history.KEEP_KEYS + 3):  # new objects of one content: one spells table, a bounded memo
        table = history.spell_table(copy.copy(snapshot))
    assert len(history._KEYS) <= history.KEEP_KEYS
    assert table is history.spell_table(snapshot)


def test_a_panel_reaching_past_today_warns_once(capsys) -> None:
    later = date.today() + timedelta(days=800)
    assert main(["status", "--from", "2025-01-01", "--to", later.isoformat(), "--instruments", "ICRMW"]) == 0
    err = capsys.readouterr().err
    assert err.count("projected") == 1 and err.startswith(f"rt2gaps: warning: --to {later.isoformat()}: ")


def test_a_snapshot_refreshed_by_another_process_is_read_anew(tmp_path: Path, monkeypatch) -> None:
    """The loaded snapshots are keyed by their content (the manifest), not only by their folder."""
    from rt2gaps.snapshot import userdata

    monkeypatch.setenv("RT2GAPS_DATA", str(tmp_path / "data"))
    monkeypatch.setattr(userdata, "forget_loaded_snapshots", lambda: None)  # as if another process refreshed
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(MONTHS, encoding="utf-8")
    second.write_text(MONTHS.replace("2012-09", "2013-02"), encoding="utf-8")
    assert main(["import", str(first), "--source", "made-up test table", "--as-of", "2020-01-01"]) == 0
    before = userdata.current_snapshot()
    assert main(["import", str(second), "--source", "made-up test table", "--as-of", "2020-01-01"]) == 0
    after = userdata.current_snapshot()
    assert after is not before
    assert {e.date for e in after.events if e.instrument == "C189" and e.iso3 == "PHL"} == {"2013-02"}
