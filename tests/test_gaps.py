"""Gap tables on a small made-up snapshot with hand-computed answers, and on the real snapshot.

Fixture (evaluated on 2020-06-30; instruments ICRMW, ICCPR, C029, C189 from the real catalogue):

    State  region  ILO   ICRMW       ICCPR              C029             C189
    AAA    Africa  yes   party       party              party (1990)     unknown (no source)
    BBB    Africa  yes   signatory   pending (05-15)    none             unknown
    CCC    Europe  no    none        party              not_eligible     not_eligible
    DDD    Europe  yes   party       none               unknown (2020)   unknown

BBB's ICCPR ratification of 2020-05-15 enters into force three months later (2020-08-15): pending.
DDD's C029 ratification is year-only (2020): some day in 2020, so on 2020-06-30 it may or may not
have happened: unknown, not a gap.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path

import pandas as pd
import pytest

from rt2gaps.catalogue import RecommendedSet, load_instruments
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.report.tables import build_report_data, events_frame, states_frame, status_frame
from rt2gaps.snapshot.store import Event, Snapshot

gaps = import_module("rt2gaps.gaps")  # the module: ``from rt2gaps import gaps`` is the public function

ON = date(2020, 6, 30)
FIXTURE_INSTRUMENTS = ("ICRMW", "ICCPR", "C029", "C189")
FORMULA_NAME = '=HYPERLINK("http://example.org","click")'  # a hostile source text


def _state(iso3: str, name: str, region: str, subregion: str, ilo: bool) -> dict[str, str]:
    return {
        "iso3": iso3, "iso2": iso3[:2], "m49": "000", "name_en": name, "name_fr": name, "un_name": name,
        "region_code": "", "region": region, "subregion_code": "", "subregion": subregion,
        "intermediate_code": "", "intermediate_region": "", "ldc": "false", "lldc": "false", "sids": "false",
        "un_member": "true", "un_membership_date": "1945-10-24", "ilo_member": "true" if ilo else "false",
        "default_universe": "true",
    }  # fmt: skip


def _event(instrument: str, iso3: str, act: str, when: str, kind: str = "state", who: str = "") -> Event:
    source = "ilo-test" if instrument.startswith("C") else "un-test"
    as_of = "2021-01-31" if source == "ilo-test" else "2020-06-01"
    return Event(
        instrument=instrument, iso3=iso3, participant=who or iso3, participant_kind=kind, act=act, date=when,
        date_precision="year" if len(when) == 4 else "day", notified_date="", source_key=source,
        source_file=f"{source}/{instrument}.html", source_as_of=as_of, note="",
    )  # fmt: skip


def _manifest_entry(source: str, parties: int) -> dict:
    as_of = "2021-01-31" if source == "ilo-test" else "2020-06-01"
    return {
        "source_key": source, "format": "test", "source_file": f"{source}/file", "sha256": "0" * 64,
        "source_as_of": as_of, "retrieved_by": as_of, "as_of_basis": "made up", "origin": "made up",
        "rows_parsed": parties, "parties_parsed": parties, "signatories_parsed": 1,
        "header_counts": {"parties": parties}, "non_state_participants": [],
    }  # fmt: skip


def fixture_snapshot() -> Snapshot:
    """The made-up snapshot of the module docstring; one source's origin text starts with '='."""
    states = [
        _state("AAA", "Aland", "Africa", "Northern Africa", True),
        _state("BBB", "Bland", "Africa", "Sub-Saharan Africa", True),
        _state("CCC", FORMULA_NAME, "Europe", "Western Europe", False),
        _state("DDD", "Dland", "Europe", "Western Europe", True),
    ]
    events = [
        _event("ICRMW", "AAA", "ratification", "2005-01-10"),
        _event("ICCPR", "AAA", "ratification", "2019-01-01"),
        _event("C029", "AAA", "ratification", "1990"),
        _event("ICRMW", "BBB", "signature", "2000-09-22"),
        _event("ICCPR", "BBB", "ratification", "2020-05-15"),
        _event("ICCPR", "CCC", "ratification", "1980-01-01"),
        _event("ICRMW", "CCC", "signature", "2021-01-01"),  # after the as-of date: not counted
        _event("ICRMW", "DDD", "ratification", "2019-03-04"),
        _event("C029", "DDD", "ratification", "2020"),
        _event("ICCPR", "", "signature", "2019-05-05", kind="non_state", who="European Union"),
    ]
    manifest = {
        "sources": {
            "un-test": {
                "as_of": "2020-06-01",
                "retrieved_by": "2020-06-01",
                "as_of_basis": "made up",
                "origin": FORMULA_NAME,
                "url": "https://treaties.un.org/",
            },
            "ilo-test": {
                "as_of": "2021-01-31",
                "retrieved_by": "2021-01-31",
                "as_of_basis": "made up",
                "origin": "NORMLEX (made up)",
                "url": "https://normlex.ilo.org/",
            },
        },  # fmt: skip
        "instruments": {
            "ICRMW": _manifest_entry("un-test", 3),
            "ICCPR": {**_manifest_entry("un-test", 3), "non_state_participants": ["European Union"]},
            "C029": _manifest_entry("ilo-test", 2),
        },
        "no_source": ["C189"],
    }
    return Snapshot(folder=Path("fixture"), events=events, states=states, manifest=manifest)


def fixture_set(**weights: float) -> RecommendedSet:
    return RecommendedSet("fixture", "made-up set", "§3.1", FIXTURE_INSTRUMENTS, dict(weights))


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    snapshot = fixture_snapshot()
    catalogue = load_instruments()
    instruments = [catalogue[i] for i in FIXTURE_INSTRUMENTS]
    states = states_frame(snapshot, "all")
    return {
        "states": states,
        "status": status_frame(snapshot, instruments, ON, "all"),
        "events": events_frame(snapshot),
        "instruments": instruments,  # type: ignore[dict-item]
        "manifest": snapshot.manifest,  # type: ignore[dict-item]
    }


def test_fixture_statuses_are_the_hand_computed_ones(frames: dict) -> None:
    grid = frames["status"].pivot(index="iso3", columns="instrument", values="status")
    assert grid.loc["AAA"].to_dict() == {"ICRMW": "party", "ICCPR": "party", "C029": "party", "C189": "unknown"}
    assert grid.loc["BBB"].to_dict() == {"ICRMW": "signatory", "ICCPR": "pending", "C029": "none", "C189": "unknown"}
    assert grid.loc["CCC"].to_dict() == {
        "ICRMW": "none", "ICCPR": "party", "C029": "not_eligible", "C189": "not_eligible"
    }  # fmt: skip
    assert grid.loc["DDD"].to_dict() == {"ICRMW": "party", "ICCPR": "none", "C029": "unknown", "C189": "unknown"}


def test_country_gaps_counts_coverage_and_rank(frames: dict) -> None:
    """Hand-computed: coverage is an interval over the eligible weight, ranks are the best and worst the
    intervals allow; ``coverage`` and ``rank`` only where exact (CCC has nothing unknown)."""
    table = gaps.country_gaps(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS)).set_index("iso3")
    expected = {  # party, pending, signatory, none, not_eligible, unknown, assessed, low, high, commitment, best, worst
        "AAA": (3, 0, 0, 0, 0, 1, 3, 3 / 4, 1.0, 1.0, 1, 2),
        "BBB": (0, 1, 1, 1, 0, 1, 3, 0.0, 1 / 4, 1 / 3, 3, 4),
        "CCC": (1, 0, 0, 1, 2, 0, 2, 0.5, 0.5, 0.5, 2, 3),
        "DDD": (1, 0, 0, 1, 0, 2, 2, 1 / 4, 3 / 4, 0.5, 1, 4),
    }
    columns = ["party", "pending", "signatory", "none", "not_eligible", "unknown", "assessed", "coverage_low",
               "coverage_high", "commitment", "rank_best", "rank_worst"]  # fmt: skip
    for iso3, values in expected.items():
        assert tuple(table.loc[iso3, columns]) == pytest.approx(values), iso3
    assert table.loc["CCC", "coverage"] == 0.5
    assert table[["coverage"]].drop(index="CCC")["coverage"].isna().all()  # an unknown each: no single figure
    assert table["rank"].isna().all()  # every best differs from its worst (CCC ties with DDD's range)
    assert table.loc["DDD", "known_share"] == 0.5  # half known: still ranked
    assert table.loc["BBB", "missing"] == "ICRMW, C029"
    assert table.loc["BBB", "signed_only"] == "ICRMW"
    assert table.loc["BBB", "pending_instruments"] == "ICCPR"
    assert list(table.index) == ["AAA", "DDD", "CCC", "BBB"]  # by best rank, then worst


def test_unknown_is_never_a_gap(frames: dict) -> None:
    """DDD's C029 (year-only, open) and every C189 cell (no source) stay out of 'missing' and coverage."""
    table = gaps.country_gaps(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS)).set_index("iso3")
    assert table.loc["DDD", "missing"] == "ICCPR"
    assert table.loc["DDD", "unknown_instruments"] == "C029, C189"
    assert not table["missing"].str.contains("C189").any()
    detail = gaps.country_detail(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS), "DDD")
    assert detail.set_index("instrument")["gap"].to_dict() == {
        "ICRMW": False, "ICCPR": True, "C029": False, "C189": False
    }  # fmt: skip


def test_weights_change_coverage(frames: dict) -> None:
    table = gaps.country_gaps(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS), {"ICRMW": 3.0})
    rows = table.set_index("iso3")
    assert rows.loc["CCC", "coverage"] == pytest.approx(1 / 4)  # party ICCPR (1) of ICRMW (3) + ICCPR (1)
    assert rows.loc["DDD", "coverage_low"] == pytest.approx(3 / 6)  # ICRMW (3) of 3 + 1 + C029 + C189
    assert rows.loc["DDD", "coverage_high"] == pytest.approx(5 / 6)  # with both unknowns counted as party


def test_instrument_coverage(frames: dict) -> None:
    table = gaps.instrument_coverage(frames["status"], frames["instruments"], frames["manifest"], ON)
    rows = table.set_index("instrument")
    assert rows.loc["ICRMW", ["eligible", "assessed", "party", "pending", "signatory", "none"]].tolist() == [
        4, 4, 2, 0, 1, 1
    ]  # fmt: skip
    assert rows.loc["ICRMW", "share_party"] == 0.5
    assert rows.loc["ICCPR", ["party", "pending", "none"]].tolist() == [2, 1, 1]
    assert rows.loc["C029", ["eligible", "assessed", "party", "unknown", "not_eligible"]].tolist() == [3, 2, 1, 1, 1]
    assert rows.loc["C029", "share_party"] == 0.5
    assert rows.loc["C189", "no_data"] and rows.loc["C189", "unknown"] == 3 and pd.isna(rows.loc["C189", "share_party"])
    assert rows.loc["ICRMW", "entry_into_force_year"] == 2003
    assert rows.loc["ICRMW", "source_as_of"] == date(2020, 6, 1)
    assert not rows["stale"].any()
    later = gaps.instrument_coverage(frames["status"], frames["instruments"], frames["manifest"], date(2021, 6, 2))
    assert later.set_index("instrument")["stale"].to_dict() == {
        "ICRMW": True, "ICCPR": True, "C029": False, "C189": False
    }  # fmt: skip


def test_regions(frames: dict) -> None:
    country = gaps.country_gaps(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS))
    table = gaps.regions(country, frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS))
    regions = table[table["level"] == "region"].set_index("region")
    assert regions.loc["Africa", "mean_coverage_low"] == 0.375  # (3/4 + 0) / 2
    assert regions.loc["Africa", "mean_coverage_high"] == 0.625  # (1 + 1/4) / 2
    assert regions.loc["Europe", "mean_coverage_low"] == 0.375  # (1/2 + 1/4) / 2
    assert regions.loc["Europe", "mean_coverage_high"] == 0.625  # (1/2 + 3/4) / 2
    assert regions.loc["Africa", "ICCPR"] == 0.5  # AAA party, BBB pending
    assert regions.loc["Europe", "ICRMW"] == 0.5
    assert pd.isna(regions.loc["Europe", "C029"])  # DDD unknown, CCC not eligible
    sub = table[table["level"] == "subregion"].set_index("subregion")
    assert sub.loc["Western Europe", "states"] == 2


def test_signed_not_ratified(frames: dict) -> None:
    table = gaps.signed_not_ratified(frames["status"], frames["states"], list(FIXTURE_INSTRUMENTS), ON)
    assert table[["iso3", "instrument"]].values.tolist() == [["BBB", "ICRMW"]]
    assert table.loc[0, "signature_date"] == date(2000, 9, 22)
    assert table.loc[0, "years_since_signature"] == 19.8  # 7221 days / 365.25


def test_changes_since_gcm_newest_first(frames: dict) -> None:
    table = gaps.changes_since(frames["events"], frames["states"], list(FIXTURE_INSTRUMENTS), gaps.GCM_ADOPTION, ON)
    assert table[["iso3", "instrument", "act"]].values.tolist() == [
        ["DDD", "C029", "ratification"],
        ["BBB", "ICCPR", "ratification"],
        ["DDD", "ICRMW", "ratification"],
        ["AAA", "ICCPR", "ratification"],
    ]
    assert table.loc[0, "date"] is None and table.loc[0, "year"] == 2020
    assert "may follow" in str(table.loc[0, "note"])
    assert table.loc[1, "date"] == date(2020, 5, 15)
    later = gaps.changes_since(frames["events"], frames["states"], list(FIXTURE_INSTRUMENTS), date(2020, 1, 1), ON)
    assert later["iso3"].tolist() == ["DDD", "BBB"]


def test_report_data_has_every_table_and_data_quality() -> None:
    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    assert set(data.tables) >= {"summary", "matrix", "country_gaps", "instrument_coverage", "regions",
                                "signed_not_ratified", "changes", "data_quality"}  # fmt: skip
    assert data.no_data_instruments == ["C189"]
    assert data.stem == "rt2gaps_fixture_2020-06-30"
    quality = data.tables["data_quality"]
    assert quality[quality["check"] == "no_source"]["instrument"].tolist() == ["C189"]
    assert quality[quality["check"] == "unknown_cells"][["instrument", "count"]].values.tolist() == [["C029", 1]]
    assert quality[quality["check"] == "non_state_participant"]["participant"].tolist() == ["European Union"]
    summary = dict(data.tables["summary"].values.tolist())
    assert summary["states_assessed"] == 4
    assert summary["mean_coverage_low"] == pytest.approx(0.375)
    assert summary["mean_coverage_high"] == pytest.approx(0.625)
    assert summary["states_exact"] == 1  # CCC
    assert summary["signed_not_ratified_pairs"] == 1
    assert "C189" not in summary["fewest_parties"]  # no source: never 'fewest parties'


real_snapshot = pytest.mark.skipif(
    not (BUNDLED_SNAPSHOT_DIR / "events.csv").is_file(), reason=f"no committed snapshot at {BUNDLED_SNAPSHOT_DIR}"
)


@real_snapshot
def test_real_snapshot_icrmw_has_60_parties_on_2026_02_03() -> None:
    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), date(2026, 2, 3))
    coverage = data.tables["instrument_coverage"].set_index("instrument")
    assert coverage.loc["ICRMW", "party"] == 60  # UNTC page header: "Parties : 60"
    assert coverage.loc["ICRMW", "source_as_of"] == date(2026, 2, 3)
    assert set(data.no_data_instruments) == {"C097", "C143", "C181", "C189", "C190"}
    country = data.tables["country_gaps"]
    for instrument in data.no_data_instruments:
        assert not country["missing"].str.contains(instrument).any()
