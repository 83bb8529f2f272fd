"""Spells: the status engine's answers compressed; the status on a date, panels and the CLI read them.

The property tests compare the spells with the engine itself over the whole bundled snapshot:
random dates and pairs, and the days on and around every spell boundary.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta

import pytest

from rt2gaps.api import current_snapshot, instruments_for
from rt2gaps.catalogue import load_instruments
from rt2gaps.cli import main
from rt2gaps.history import SPELL_COLUMNS, every, rows_on, spell_table, spells_key, status_rows
from rt2gaps.status import STATUS_COLUMNS, pair_answer, universe_states

START, END = date(1940, 1, 1), date(2030, 12, 31)


def _engine(snapshot, iso3: str, instrument_id: str, on: date, stale_after: int = 365) -> dict[str, str]:
    """The engine asked directly (no spells)."""
    state = snapshot.states_by_iso3[iso3]
    return pair_answer(snapshot, state, load_instruments()[instrument_id], on, stale_after).as_row()


def _engine_rows(snapshot, on: date, stale_after: int = 365) -> list[dict[str, str]]:
    return [pair_answer(snapshot, state, instrument, on, stale_after).as_row()
            for state in universe_states(snapshot, "all") for instrument in instruments_for(None)]  # fmt: skip


def _spell_answer(row: list[str]) -> dict[str, str]:
    return {c: row[SPELL_COLUMNS.index(c)] for c in STATUS_COLUMNS}


def test_random_dates_and_pairs_get_the_spell_covering_them() -> None:
    snapshot = current_snapshot()
    table = spell_table(snapshot)
    pairs = sorted(table.by_pair)
    assert len(pairs) == len(snapshot.states) * len(load_instruments())
    rng = random.Random(20261129)
    for _ in range(3000):
        iso3, instrument = rng.choice(pairs)
        on = START + timedelta(days=rng.randrange((END - START).days))
        row = table.covering(iso3, instrument, on)
        assert (row[3] or "") <= on.isoformat() and (not row[4] or on.isoformat() < row[4])
        assert _spell_answer(row) == _engine(snapshot, iso3, instrument, on), (iso3, instrument, on)


def test_every_boundary_is_exact_and_neighbouring_spells_differ() -> None:
    """The day before a boundary has the earlier spell's answer, the boundary and the day after the later one's."""
    snapshot = current_snapshot()
    table = spell_table(snapshot)
    for (iso3, instrument), numbers in table.by_pair.items():
        spells = [table.rows[n] for n in numbers]
        assert spells[0][3] == "" and spells[-1][4] == ""
        for before, after in zip(spells, spells[1:], strict=False):
            boundary = date.fromisoformat(after[3])
            assert before[4] == after[3]
            assert _spell_answer(before) != _spell_answer(after)
            assert _engine(snapshot, iso3, instrument, boundary - timedelta(days=1)) == _spell_answer(before)
            assert _engine(snapshot, iso3, instrument, boundary) == _spell_answer(after)
            next_day = boundary + timedelta(days=1)
            if not after[4] or next_day.isoformat() < after[4]:  # a spell can last one day
                assert _engine(snapshot, iso3, instrument, next_day) == _spell_answer(after)


@pytest.mark.parametrize(
    ("on", "stale_after"),
    [(date(1950, 6, 1), 365), (date(1990, 12, 31), 365), (date(2018, 12, 19), 365), (date(2026, 2, 3), 365),
     (date(2026, 2, 3), 30), (date(2020, 6, 30), 0), (date(2030, 1, 1), 3650)],
)  # fmt: skip
def test_status_on_a_date_from_the_spells_equals_the_engine(on: date, stale_after: int) -> None:
    """``status_rows`` (every status of every output) reads the spells; they equal the engine asked directly."""
    snapshot = current_snapshot()
    expected = _engine_rows(snapshot, on, stale_after)
    assert [r.as_row() for r in status_rows(snapshot, instruments_for(None), on, "all", stale_after)] == expected
    assert [r.as_row() for r in rows_on(snapshot, instruments_for(None), on, "all", stale_after)] == expected


def test_status_cli_writes_the_engine_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--as-of", "2026-02-03"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == _engine_rows(current_snapshot(), date(2026, 2, 3))


# --- boundaries of real records -------------------------------------------------------------------


def _panel_status(days: list[str], instrument: str, iso3: str) -> list[str]:
    import rt2gaps

    frame = rt2gaps.panel(days, instruments=instrument)
    return frame[frame["iso3"] == iso3]["status"].astype(str).tolist()


def test_entry_into_force_boundary_mexico_icrmw() -> None:
    """Mexico signed 22 May 1991, ratified 8 March 1999; the ICRMW entered into force on 1 July 2003."""
    days = ["1991-05-21", "1991-05-22", "1999-03-07", "1999-03-08", "2003-06-30", "2003-07-01"]
    assert _panel_status(days, "ICRMW", "MEX") == ["none", "signatory", "signatory", "pending", "pending", "party"]
    import rt2gaps

    spells = rt2gaps.history(instruments="ICRMW")
    mexico = spells[spells["iso3"] == "MEX"]
    # before adoption (18 Dec 1990) not eligible; after the source's date (3 Feb 2026) party, as last known
    assert mexico["status"].astype(str).tolist() == ["not_eligible", "none", "signatory", "pending", "party", "party"]
    assert mexico["start"].iloc[-2].date() == date(2003, 7, 1) and mexico["end"].isna().iloc[-1]
    assert mexico["start"].iloc[-1].date() == date(2026, 2, 4) and mexico["last_known_status"].iloc[-1] == "party"
    assert (mexico["start_precision"].dropna() == "day").all()


def test_denunciation_boundary_belarus_iccpr_op1() -> None:
    """Belarus denounced ICCPR-OP1 on 8 November 2022 with effect from 8 February 2023."""
    assert _panel_status(["2023-02-07", "2023-02-08"], "ICCPR-OP1", "BLR") == ["party", "withdrawn"]
    import rt2gaps

    spells = rt2gaps.history(instruments="ICCPR-OP1")
    last = spells[spells["iso3"] == "BLR"].iloc[-2]  # the last runs from the day after the source's date
    assert str(last["status"]) == "withdrawn" and last["start"].date() == date(2023, 2, 8)
    assert last["withdrawal_date"].date() == date(2023, 2, 8)


def test_year_only_ilo_record_angola_c029() -> None:
    """NORMLEX gives Angola's C029 ratification as 1976 only: unknown in 1976, never a day-exact 'party'.

    Angola joined the ILO on 4 June 1976 (data/ilo_membership.csv): not_eligible before, never 'none'.
    """
    days = ["1975-12-31", "1976-06-30", "1977-06-30", "1978-01-01"]
    assert _panel_status(days, "C029", "AGO") == ["not_eligible", "unknown", "pending", "party"]
    import rt2gaps

    spells = rt2gaps.history(instruments="C029")
    angola = spells[spells["iso3"] == "AGO"]
    # not eligible before C029's adoption (28 June 1930), then before Angola's ILO admission (4 June 1976)
    assert angola["status"].astype(str).tolist()[:3] == ["not_eligible", "not_eligible", "unknown"]
    assert angola["note"].astype(str).tolist()[:2] == ["not yet adopted", "not an ILO member on this date"]
    assert angola["start_precision"].iloc[2] == "year" and angola["end_precision"].iloc[1] == "year"
    assert (angola["date_precision"].dropna() == "year").all()


def test_before_and_after_adoption_the_panel_equals_the_engine() -> None:
    """The ICRMW was adopted on 18 December 1990: the panel on both sides is the engine's answer."""
    snapshot = current_snapshot()
    import rt2gaps

    frame = rt2gaps.panel(["1990-12-17", "1990-12-18"], instruments="ICRMW")
    for (on, iso3), found in frame.set_index(["date", "iso3"])["status"].items():
        assert str(found) == _engine(snapshot, str(iso3), "ICRMW", on.date())["status"]


def test_panel_rows_equal_status_on_each_date() -> None:
    import rt2gaps

    days = ["1966-12-31", "2010-06-15", "2026-02-03"]
    frame = rt2gaps.panel(days, instruments="ICCPR,C087,C189")
    assert len(frame) == 3 * len(rt2gaps.states().query("default_universe")) * 3
    for day in days:
        one = rt2gaps.status(day, instruments="ICCPR,C087,C189")
        part = frame[frame["date"] == day].reset_index(drop=True)
        assert part["iso3"].astype(str).tolist() == one["iso3"].tolist()
        assert part["status"].astype(str).tolist() == one["status"].astype(str).tolist()


# --- the panel on the command line, the date steps ---------------------------------------------------


def test_every_counts_from_the_start_and_keeps_month_ends() -> None:
    assert every(date(1945, 1, 31), date(1945, 5, 1), "month") == [
        date(1945, 1, 31), date(1945, 2, 28), date(1945, 3, 31), date(1945, 4, 30)
    ]  # fmt: skip
    assert every(date(2020, 1, 15), date(2020, 12, 31), "quarter") == [
        date(2020, 1, 15), date(2020, 4, 15), date(2020, 7, 15), date(2020, 10, 15)
    ]  # fmt: skip
    assert every(date(1990, 12, 31), date(2025, 12, 31), "year")[-1] == date(2025, 12, 31)
    assert len(every(date(1990, 12, 31), date(2025, 12, 31), "year")) == 36


def test_status_cli_panel(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--from", "2000-12-31", "--to", "2002-12-31", "--instruments", "ICRMW", "--group", "ldc"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    assert list(rows[0]) == ["date", "iso3", "name", "region", "subregion", "instrument", "status", "last_known_status"]
    assert sorted({r["date"] for r in rows}) == ["2000-12-31", "2001-12-31", "2002-12-31"]
    assert len(rows) == 3 * len({r["iso3"] for r in rows}) and {r["instrument"] for r in rows} == {"ICRMW"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2000-13-01"], "--from: '2000-13-01' is not a date"),
        (["--from", "2001-01-01", "--to", "2000-01-01"], "--to: 2000-01-01 is before --from 2001-01-01"),
        (["--to", "2001-01-01"], "give --from too"),
        (["--as-of", "2001-01-01", "--from", "2000-01-01"], "one or the other"),
    ],
)
def test_status_cli_panel_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["status", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and captured.err.count("\n") == 1


def test_parquet_without_pyarrow_says_so(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    for verb in (["status", "--from", "2000-01-01"], ["history"]):
        assert main([*verb, "--format", "parquet"]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and "needs the pyarrow package" in captured.err


def test_history_cli_writes_the_spells(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--instruments", "ICRMW,C029", "--universe", "un-members"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == SPELL_COLUMNS
    assert len({r["iso3"] for r in rows}) == 193 and {r["instrument"] for r in rows} == {"ICRMW", "C029"}
    assert sum(r["start"] == "" for r in rows) == 193 * 2  # one first spell per pair


# --- the cache -----------------------------------------------------------------------------------


def test_spells_are_cached_by_content_and_a_damaged_cache_is_recomputed(tmp_path, monkeypatch) -> None:
    from rt2gaps.history import _LOADED, _unpacked

    monkeypatch.setenv("RT2GAPS_CACHE", str(tmp_path))
    snapshot = current_snapshot()
    key = spells_key(snapshot, list(load_instruments().values()))
    _LOADED.pop(key, None)
    table = spell_table(snapshot)
    cached = tmp_path / "spells" / f"spells-{key}.json"
    assert list(_unpacked(json.loads(cached.read_text())["codes"]["status"])) == list(table.codes["status"])
    _LOADED.pop(key)
    assert spell_table(snapshot).rows == table.rows  # read back from the cache file: the same spells
    _LOADED.pop(key)
    cached.write_text('{"key": "damaged"')
    assert spell_table(snapshot).rows == table.rows
    assert json.loads(cached.read_text())["key"] == key


# --- diff between two dates: the same as the engine gives -----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"), [(date(2018, 12, 19), date(2026, 2, 3)), (date(1975, 1, 1), date(1999, 12, 31))]
)
def test_diff_between_two_dates_equals_the_engine(start: date, end: date) -> None:
    """``rt2gaps diff DATE DATE`` lists exactly the pairs whose engine answer differs on the two dates."""
    from rt2gaps.refresh.diff import diff_dates

    snapshot = current_snapshot()
    found = {(r["instrument"], r["iso3"]): (r["old"], r["new"]) for r in diff_dates(snapshot, start, end)
             if r["change"] == "status"}  # fmt: skip
    expected = {}
    for state in snapshot.states:
        if state["default_universe"] != "true":
            continue
        for instrument in load_instruments():
            before = _engine(snapshot, state["iso3"], instrument, start)["status"]
            after = _engine(snapshot, state["iso3"], instrument, end)["status"]
            if before != after:
                expected[(instrument, state["iso3"])] = (before, after)
    assert found == expected and len(found) > 100
