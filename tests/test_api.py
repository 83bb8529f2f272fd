"""The top-level Python API: real dtypes for every function, one ValueError per bad argument."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import rt2gaps
from rt2gaps.status import STATUSES

REPO = Path(__file__).resolve().parents[1]
DATETIME = "datetime64[ns]"


def _status_dtype_ok(series: pd.Series) -> None:
    assert isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered
    assert list(series.dtype.categories) == list(STATUSES)


def _no_empty_strings(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        if frame[column].dtype == "string" or frame[column].dtype == object:
            assert not (frame[column] == "").any(), column


def test_status_types() -> None:
    frame = rt2gaps.status("2026-02-03", instruments=["ICRMW", "C029"])
    assert list(frame.columns[:6]) == ["iso3", "name", "region", "subregion", "instrument", "status"]
    _status_dtype_ok(frame["status"])
    for column in ("signature_date", "consent_date", "in_force_date", "in_force_latest", "withdrawal_date",
                   "source_as_of"):  # fmt: skip
        assert frame[column].dtype == DATETIME, column
    _no_empty_strings(frame)
    assert frame["known_until"].dtype == DATETIME
    _status_dtype_ok(frame["last_known_status"])
    assert frame["name"].notna().all() and frame["region"].notna().all()
    angola = frame[(frame["iso3"] == "AGO") & (frame["instrument"] == "C029")].iloc[0]
    assert angola["consent_date"] == pd.Timestamp("1976-01-01") and angola["date_precision"] == "year"
    assert angola["in_force_latest"] == pd.Timestamp("1977-12-31")


def test_status_accepts_a_date_and_a_timestamp_alike() -> None:
    a = rt2gaps.status(date(2010, 1, 1), instruments="ICCPR")
    b = rt2gaps.status(pd.Timestamp("2010-01-01"), instruments="ICCPR")
    pd.testing.assert_frame_equal(a, b)


def test_history_types() -> None:
    frame = rt2gaps.history(instruments="C105", group="sids")
    _status_dtype_ok(frame["status"])
    assert frame["start"].dtype == DATETIME and frame["end"].dtype == DATETIME
    assert frame["start"].isna().sum() == frame[["iso3", "instrument"]].drop_duplicates().shape[0]
    _no_empty_strings(frame)


def test_panel_types_and_date_range() -> None:
    frame = rt2gaps.panel(pd.date_range("1990-12-31", "2025-12-31", freq="YE"), instruments="ICRMW")
    assert frame["date"].dtype == DATETIME
    assert frame["date"].nunique() == 36
    for column in ("iso3", "name", "region", "subregion", "instrument"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    _status_dtype_ok(frame["status"])
    _status_dtype_ok(frame["last_known_status"])


def test_stale_after_changes_panel_history_and_status_alike() -> None:
    """The 1951 Convention's source is of 2015-03-14: with stale_after=0 its 'none' is unknown from the next day."""
    day = "2016-01-01"
    short = rt2gaps.panel([day], instruments="REFUGEE-1951", stale_after=0)
    one = rt2gaps.status(day, instruments="REFUGEE-1951", stale_after=0)
    assert short["status"].astype(str).tolist() == one["status"].astype(str).tolist()
    assert (short["status"] == "none").sum() == 0 and (short["last_known_status"] == "none").sum() > 0
    assert (rt2gaps.panel([day], instruments="REFUGEE-1951")["status"] == "none").sum() > 0
    spells = rt2gaps.history(instruments="REFUGEE-1951", stale_after=0)
    faded = spells[(spells["status"] == "unknown") & (spells["last_known_status"] == "none")]
    assert len(faded) > 0 and set(faded["start"]) == {pd.Timestamp("2015-03-15")}


def test_gaps_types() -> None:
    frame = rt2gaps.gaps("rt2-priority", as_of="2026-02-03", group="ldc")
    assert list(frame.columns[:4]) == ["iso3", "name", "region", "subregion"]
    for column in (*STATUSES, "assessed", "rank"):
        assert frame[column].dtype == "Int64", column
    assert frame["coverage"].dtype == "float64"
    _no_empty_strings(frame)
    assert frame["missing"].isna().any()


def test_states_instruments_sets_types() -> None:
    states = rt2gaps.states()
    assert states["un_member"].dtype == bool and int(states["un_member"].sum()) == 193
    assert states["un_membership_date"].dtype == DATETIME
    _no_empty_strings(states)
    instruments = rt2gaps.instruments()
    assert instruments["adoption_date"].dtype == DATETIME and instruments["has_data"].dtype == bool
    assert not instruments.set_index("id").loc["C189", "has_data"]
    _no_empty_strings(instruments)
    sets = rt2gaps.sets()
    assert sets["position"].dtype == "Int64" and sets["weight"].dtype == "float64"
    assert "rt2-priority" in set(sets["set"])


@pytest.mark.parametrize(
    ("call", "argument", "value"),
    [
        (lambda: rt2gaps.status("2026-13-01"), "as_of", "2026-13-01"),
        (lambda: rt2gaps.status(20260203), "as_of", "20260203"),
        (lambda: rt2gaps.status(instruments="XYZ"), "instruments", "XYZ"),
        (lambda: rt2gaps.status(universe="world"), "universe", "world"),
        (lambda: rt2gaps.status(group="nowhere"), "group", "nowhere"),
        (lambda: rt2gaps.panel("2020-01-01"), "dates", "2020-01-01"),
        (lambda: rt2gaps.panel([]), "dates", "[]"),
        (lambda: rt2gaps.panel(["2020-01-01", "soon"]), "dates", "soon"),
        (lambda: rt2gaps.history(instruments=["ICCPR", 3]), "instruments", "3"),
        (lambda: rt2gaps.gaps("no-such-set"), "recommended_set", "no-such-set"),
        (lambda: rt2gaps.report(lang="de"), "lang", "de"),
        (lambda: rt2gaps.report(since="2018-19-12"), "since", "2018-19-12"),
        (lambda: rt2gaps.panel(["2020-01-01"], stale_after=-1), "stale_after", "-1"),
        (lambda: rt2gaps.history(stale_after="long"), "stale_after", "long"),
        (lambda: rt2gaps.gaps(stale_after=1.5), "stale_after", "1.5"),
        (lambda: rt2gaps.panel(["1850-01-01"]), "dates", "1850-01-01"),
    ],
)
def test_bad_arguments_raise_one_value_error_naming_them(call, argument: str, value: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: .*{re.escape(value)}"):
        call()


def test_public_names_stay_functions_after_submodule_imports() -> None:
    import rt2gaps.gaps
    import rt2gaps.history
    import rt2gaps.status  # noqa: F401

    for name in ("status", "gaps", "history", "panel", "states", "instruments", "sets"):
        assert callable(getattr(rt2gaps, name)) and getattr(rt2gaps, name).__doc__, name


def test_no_module_imports_a_submodule_by_its_public_function_name() -> None:
    """``from rt2gaps import gaps`` is the function: code that wants the module must import it by full name."""
    pattern = re.compile(r"^\s*from rt2gaps import .*\b(status|gaps|history)\b", re.MULTILINE)
    offenders = [str(p.relative_to(REPO)) for folder in ("rt2gaps", "tests", "benchmarks", "notebooks")
                 for p in (REPO / folder).rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert offenders == []


def test_import_rt2gaps_stays_light() -> None:
    code = "import sys, rt2gaps; print(sorted(m for m in ('pandas', 'numpy', 'rt2gaps.api') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout.strip()  # fmt: skip
    assert out == "[]"


def test_docstring_examples_run() -> None:
    import doctest

    import rt2gaps.api

    result = doctest.testmod(rt2gaps.api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 7 and result.failed == 0


def test_report_tables_charts_and_briefs() -> None:
    run = rt2gaps.report("migrants", as_of="2026-02-03", group="sids")
    assert set(run.tables) >= {"summary", "country_gaps", "instrument_coverage", "changes", "migrants_affected"}
    assert "timelines" in run.chart_names() and run.chart("timelines").startswith(b"\x89PNG")
    assert run.scorecard("jam").startswith(b"\x89PNG")
    assert "Jamaica" in run.brief("JAM")
    timeline = run.timeline()
    coverage = run.tables["instrument_coverage"].set_index("instrument")
    last = timeline.groupby("instrument").tail(1).set_index("instrument")["party"]
    assert last.to_dict() == coverage.loc[last.index, "party"].to_dict()
    for call, argument in ((lambda: run.chart("pie"), "name"), (lambda: run.brief("FRA"), "iso3")):
        with pytest.raises(ValueError, match=rf"^{argument}: "):
            call()
