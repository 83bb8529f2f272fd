"""Migrant-weighted gaps: the committed reference tables, the analyses on the real snapshot, and groups."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from rt2gaps import migrants
from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments
from rt2gaps.errors import Rt2gapsError
from rt2gaps.groups import FLAG_GROUPS, in_group, load_group
from rt2gaps.report.tables import states_frame, status_frame
from rt2gaps.snapshot.reference import (
    REFERENCE_DIR,
    ReferenceData,
    compile_reference,
    load_reference,
)
from rt2gaps.status import STATUSES

ON = date(2026, 3, 1)
WORLD_2020 = 280_598_105
INSTRUMENTS = ["ICRMW", "C097", "C105", "C189", "REFUGEE-1951", "UNTOC-SOM"]  # C105: two withdrawals


@pytest.fixture(scope="module")
def reference() -> ReferenceData:
    return load_reference()


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The real snapshot's States (universe 'all') and their status on the instruments above."""
    snapshot = current_snapshot()
    catalogue = load_instruments()
    return states_frame(snapshot, "all"), status_frame(snapshot, [catalogue[i] for i in INSTRUMENTS], ON, "all")


# --- committed reference tables ------------------------------------------------------------------


def test_build_reproduces_the_committed_reference_exactly(shared_sources: Path) -> None:
    for name, text in compile_reference(shared_sources).files.items():
        committed = (REFERENCE_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"data/reference/{name} differs: run rt2gaps snapshot build"


def test_manifest_names_source_checksum_date_and_citation(reference: ReferenceData) -> None:
    tables = reference.manifest["tables"]
    assert set(tables) == {"migrant_stock.csv", "emigrants.csv", "gcm_vote.csv"}
    for entry in tables.values():
        assert entry["source_file"].startswith("ref/") and len(entry["sha256"]) == 64
        assert entry["citation"] and entry["as_of"]
    assert tables["gcm_vote.csv"]["as_of"] == "2018-12-19"


def test_world_total_and_the_countries_sum_to_it(reference: ReferenceData) -> None:
    assert reference.world_total() == WORLD_2020
    stock = reference.migrant_stock
    assert stock["m49"].nunique() == 235 and (stock["m49"].astype(int) < 900).all()
    for year in (1990, 2000, 2010, 2020):
        assert reference.measure("migrant_stock", year).sum() == reference.world_total("migrant_stock", year)


def test_united_states_stock_2020(reference: ReferenceData) -> None:
    assert reference.measure("migrant_stock")["840"] == 50_632_836


def test_missing_figures_stay_missing(reference: ReferenceData) -> None:
    assert math.isnan(reference.measure("migrant_stock", 1990)["728"])  # South Sudan did not exist
    assert math.isnan(reference.measure("refugees")["702"])  # Singapore: "~", fewer than five
    stock = reference.migrant_stock
    assert set(stock.loc[stock["value"].isna(), "missing_mark"]) == {"..", "~"}


def test_gcm_vote_totals(reference: ReferenceData) -> None:
    counts = reference.gcm_vote["vote"].value_counts().to_dict()
    assert counts == {"yes": 152, "no": 5, "abstain": 12, "absent": 24}


def test_emigrants_2020_have_a_figure_for_every_country(reference: ReferenceData) -> None:
    emigrants = reference.emigrants_in(2020)
    assert len(emigrants) == 235 and emigrants.notna().all()


# --- analyses on the real snapshot --------------------------------------------------------------


def test_migrants_affected_adds_up(real, reference: ReferenceData) -> None:
    states, status = real
    table = migrants.migrants_affected(status, states, reference, INSTRUMENTS, ON)
    assert len(table) == 2 * len(INSTRUMENTS)
    figures = migrants.state_figures(states, reference)
    for row in table.itertuples():
        by_status = sum(0.0 if math.isnan(getattr(row, s)) else getattr(row, s) for s in STATUSES)
        assert by_status == row.universe_total == figures[row.measure].sum()
        assert row.universe_total + row.outside_universe == row.world_total
    stock = table[table["measure"] == "migrant_stock"].set_index("instrument")
    assert stock.loc["ICRMW", "world_total"] == WORLD_2020
    assert stock.loc["C105", "withdrawn"] > 0  # Malaysia and Singapore denounced C105
    assert stock.loc["C097", "unknown"] > 0 and stock.loc["C097", "party"] == 0  # no source: unknown, not "none"
    assert (table["figures_as_of"] == "mid-2020").all() and (table["status_as_of"] == ON).all()


def test_state_with_no_figure_is_named_not_zero(real, reference: ReferenceData) -> None:
    states, status = real
    refugees = migrants.migrants_affected(status, states, reference, INSTRUMENTS, ON)
    refugees = refugees[refugees["measure"] == "refugees"].iloc[0]
    assert len(refugees["without_figure"].split(", ")) == 33 and "SGP" in refugees["without_figure"].split(", ")
    figures = migrants.state_figures(states, reference).set_index("iso3")
    assert math.isnan(figures.loc["SGP", "refugees"])
    top = migrants.top_destinations(status, states, reference, INSTRUMENTS, ON).set_index("iso3")
    assert math.isnan(top.loc["SGP", "refugees"])


def test_a_status_held_only_by_states_without_figures_is_nan(real, reference: ReferenceData) -> None:
    states, status = real
    lone = status[status["instrument"] == "ICRMW"].copy()
    lone.loc[lone["iso3"] == "SGP", "status"] = "pending"  # the only pending State has no refugee figure
    table = migrants.migrants_affected(lone, states, reference, ["ICRMW"], ON).set_index("measure")
    assert math.isnan(table.loc["refugees", "pending"])
    assert table.loc["migrant_stock", "pending"] == figures_of(states, reference, "SGP")


def figures_of(states: pd.DataFrame, reference: ReferenceData, iso3: str) -> float:
    return float(migrants.state_figures(states, reference).set_index("iso3").loc[iso3, "migrant_stock"])


def test_top_destinations(real, reference: ReferenceData) -> None:
    states, status = real
    top = migrants.top_destinations(status, states, reference, INSTRUMENTS, ON, n=20)
    first = top.iloc[0]
    assert (first["iso3"], first["migrant_stock"], first["rank_by_stock"]) == ("USA", 50_632_836, 1)
    assert "ICRMW" in first["gap_instruments"].split(", ")
    assert "C097" in first["unknown_instruments"].split(", ") and "C097" not in first["gap_instruments"]
    assert set(top["iso3"]) >= {"USA", "DEU", "SAU", "ARE", "QAT"}  # most migrants and highest shares
    assert ((top["rank_by_stock"] <= 20) | (top["rank_by_share"] <= 20)).all()
    with_gap = top[top["open_gaps"] > 0]
    assert with_gap["migrants_in_gap_states"].is_monotonic_decreasing


def test_origin_and_destination_show_the_icrmw_pattern(real, reference: ReferenceData) -> None:
    states, status = real
    roles = migrants.state_figures(states, reference)["role"].value_counts()
    assert roles.sum() == len(states)
    table = migrants.origin_destination(status, states, reference, INSTRUMENTS, ON).set_index("instrument")
    icrmw = table.loc["ICRMW"]
    assert icrmw["origin_party"] + icrmw["destination_party"] == 60  # the UNTC page: Parties : 60
    assert icrmw["origin_share_party"] > 2 * icrmw["destination_share_party"]
    assert math.isnan(table.loc["C097", "origin_share_party"])  # no source: no share, not 0
    # the range over the eligible States: C097 unknown for every ILO member, so 0 to 1; ICRMW all known, exact
    for role in ("origin", "destination"):
        assert (table.loc["C097", f"{role}_share_party_low"], table.loc["C097", f"{role}_share_party_high"]) == (0, 1)
        assert icrmw[f"{role}_share_party_low"] == icrmw[f"{role}_share_party_high"] == icrmw[f"{role}_share_party"]


def test_gcm_commitment_gap(real, reference: ReferenceData) -> None:
    states, status = real
    summary = migrants.gcm_commitment_summary(status, states, reference, INSTRUMENTS, ON).set_index("instrument")
    icrmw = summary.loc["ICRMW"]
    assert icrmw["yes_joined"] + icrmw["yes_not_joined"] + icrmw["yes_unknown_or_not_eligible"] == 152
    other = icrmw["other_vote_joined"] + icrmw["other_vote_not_joined"] + icrmw["other_vote_unknown_or_not_eligible"]
    assert other == 5 + 12 + 24 and icrmw["no_vote"] == 4
    gap = migrants.gcm_commitment_gap(status, states, reference, INSTRUMENTS, ON)
    of_icrmw = gap[gap["instrument"] == "ICRMW"]
    yes_not = of_icrmw[of_icrmw["direction"] == migrants.VOTED_YES_NOT_PARTY]
    assert len(yes_not) == icrmw["yes_not_joined"] and (yes_not["gcm_vote"] == "yes").all()
    reverse = of_icrmw[of_icrmw["direction"] == migrants.PARTY_NOT_VOTED_YES]
    assert len(reverse) == icrmw["other_vote_joined"] and set(reverse["gcm_vote"]) <= {"no", "abstain", "absent"}
    assert "DEU" in set(yes_not["iso3"])
    assert gap[gap["instrument"] == "C097"].empty  # unknown is neither direction


# --- groups --------------------------------------------------------------------------------------


def test_flag_groups_come_from_the_state_table(real) -> None:
    states, _status = real
    rows = states.to_dict("records")
    for key in FLAG_GROUPS:
        group = load_group(key, rows)
        assert set(group.members) == set(states.loc[states[key] == "true", "iso3"]) and group.members
    assert "AFG" in load_group("ldc", rows).members and "MDV" in load_group("sids", rows).members
    assert set(in_group(states, load_group("lldc", rows))["lldc"]) == {"true"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "group.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = 'name = "Test"\nsource = "a cited page"\nas_of = 2024-06-30\nmembers = ["MEX", "PHL"]\n'


def test_user_group_file(tmp_path: Path, real) -> None:
    states, _status = real
    group = load_group(write(tmp_path, GOOD), states.to_dict("records"))
    assert (group.name, group.as_of, group.members) == ("Test", date(2024, 6, 30), ("MEX", "PHL"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('"PHL"', '"XXX"'), r"key 'members': unknown ISO3 code 'XXX'"),
        (GOOD.replace('"PHL"', '"MEX"'), r"key 'members': duplicate ISO3 code 'MEX'"),
        (GOOD.replace('["MEX", "PHL"]', "[]"), r"key 'members': expected at least one"),
        (GOOD.replace("as_of = 2024-06-30\n", ""), r"missing key 'as_of'"),
        (GOOD.replace('source = "a cited page"', 'source = ""'), r"key 'source': expected a non-empty string"),
        (GOOD + "colour = 1\n", r"unknown key\(s\) colour"),
        ('name = "unclosed\n', r"not valid TOML"),
    ],
)
def test_bad_group_files_give_one_clear_message(tmp_path: Path, real, text: str, message: str) -> None:
    states, _status = real
    path = write(tmp_path, text)
    with pytest.raises(Rt2gapsError, match=message) as caught:
        load_group(path, states.to_dict("records"))
    assert str(path) in str(caught.value) and caught.value.exit_code == 2


def test_snapshot_build_verb_writes_the_reference_folder(shared_sources: Path, tmp_path: Path) -> None:
    from rt2gaps.cli import main

    code = main(["snapshot", "build", "--sources", str(shared_sources), "--out", str(tmp_path / "snapshot"),
                 "--reference-out", str(tmp_path / "reference")])  # fmt: skip
    assert code == 0
    for name in ("migrant_stock.csv", "emigrants.csv", "gcm_vote.csv", "manifest.json"):
        assert (tmp_path / "reference" / name).read_bytes() == (REFERENCE_DIR / name).read_bytes()


def test_report_tables_use_the_bundled_reference_and_migrant_specific_instruments(real) -> None:
    states, status = real
    tables = migrants.report_tables(status, states, INSTRUMENTS, ON)
    assert tuple(tables) == migrants.REPORT_TABLES
    assert migrants.migrant_specific(INSTRUMENTS) == ["ICRMW", "C097", "C189", "REFUGEE-1951", "UNTOC-SOM"]
    assert set(tables["gcm_commitment_summary"]["instrument"]) == set(migrants.migrant_specific(INSTRUMENTS))
    assert len(tables["top_destinations"]) >= migrants.TOP_DESTINATIONS_SHOWN


def test_workbook_sheets_on_the_real_snapshot(tmp_path: Path) -> None:
    import openpyxl

    from rt2gaps.catalogue import load_set
    from rt2gaps.report import build_report_data, write_report

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), ON)
    paths = write_report(data, tmp_path)
    book = openpyxl.load_workbook(paths.workbook)
    for name in ("Migrants affected", "Top destinations", "Origin vs destination", "GCM commitment gap"):
        sheet = book[name]
        assert sheet.freeze_panes.endswith("2") and sheet.auto_filter.ref.startswith("A1:")
        headers = [cell.value for cell in sheet[1]]
        assert "Status as of" in headers
        dated = headers.index("Migrant figures as of") + 1
        assert sheet.cell(row=2, column=dated).value == "mid-2020"
    top = book["Top destinations"]
    headers = [cell.value for cell in top[1]]
    first = {h: top.cell(row=2, column=i).value for i, h in enumerate(headers, start=1)}
    assert (first["ISO3"], first["International migrants, mid-2020"]) == ("USA", 50_632_836)
    singapore = next(r for r in top.iter_rows(min_row=2, values_only=True) if r[0] == "SGP")
    assert singapore[headers.index("Refugees and asylum seekers, mid-2020")] is None  # no figure: empty, not 0
    assert (paths.csv_folder / "migrants_affected.csv").is_file()
    assert (paths.csv_folder / "gcm_commitment_summary.csv").is_file()


def test_emigrant_sum_is_recorded_below_the_world_stock(reference: ReferenceData) -> None:
    entry = reference.manifest["tables"]["emigrants.csv"]
    assert float(entry["sum_of_countries"]["2020"]) == reference.emigrants_in(2020).sum() < WORLD_2020


def test_brief_facts_of_one_state(real) -> None:
    states, _status = real
    usa = migrants.state_migration_facts("USA", states)
    assert (usa["migrant_stock"], usa["gcm_vote"], usa["figures_as_of"]) == (50_632_836, "no", "mid-2020")
    assert usa["role"] == migrants.DESTINATION and usa["emigrants"] > 0
    singapore = migrants.state_migration_facts("SGP", states)
    assert math.isnan(singapore["refugees"])
    assert migrants.state_migration_facts("VAT", states)["gcm_vote"] == migrants.NO_VOTE


def test_migrants_affected_of_the_real_run_adds_up_to_the_universe() -> None:
    """Done-when: on the real snapshot, every instrument of the run's set, the statuses sum to the universe's
    States' total, and that plus what lies outside the universe is UN DESA's world total (mid-2020)."""
    from rt2gaps.catalogue import load_set
    from rt2gaps.report import build_report_data

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), ON)
    reference = load_reference()
    table = data.tables["migrants_affected"]
    figures = migrants.state_figures(data.states, reference)
    assert len(table) == len(migrants.AFFECTED_MEASURES) * len(data.instrument_ids)
    for row in table.itertuples():
        by_status = sum(0.0 if math.isnan(getattr(row, s)) else getattr(row, s) for s in STATUSES)
        assert by_status == row.universe_total == figures[row.measure].sum()
        assert row.universe_total + row.outside_universe == row.world_total == reference.world_total(row.measure)
        named = row.without_figure.split(", ") if row.without_figure else []
        assert named == sorted(figures.loc[figures[row.measure].isna(), "iso3"])
    assert table.loc[table["measure"] == "migrant_stock", "world_total"].eq(WORLD_2020).all()


def _counted_by_filters(status: pd.DataFrame, figures: pd.DataFrame, instrument: str, column: str) -> pd.DataFrame:
    """One instrument's status rows of the universe's States, with the State's ``column`` (role or vote)."""
    chosen = status[(status["instrument"] == instrument) & status["iso3"].isin(figures["iso3"])]
    return chosen.assign(**{column: chosen["iso3"].map(figures.set_index("iso3")[column])})


def test_origin_destination_counts_as_filters_per_instrument_and_role(real, reference: ReferenceData) -> None:
    """The one-pass counts equal a filter per instrument and role (States outside the universe left out)."""
    states, status = real
    states = states[states["region"] != "Europe"]  # the status rows of European States are outside the universe
    figures = migrants.state_figures(states, reference)
    table = migrants.origin_destination(status, states, reference, ["C097", "ICRMW"], ON).set_index("instrument")
    assert list(table.index) == ["C097", "ICRMW"]
    for instrument in ("C097", "ICRMW"):
        chosen = _counted_by_filters(status, figures, instrument, "role")
        for role in (migrants.ORIGIN, migrants.DESTINATION):
            of_role = chosen[chosen["role"] == role]
            assessed = of_role[of_role["status"].isin(migrants.ASSESSED_STATUSES)]
            assert table.loc[instrument, f"{role}_states"] == len(of_role)
            assert table.loc[instrument, f"{role}_assessed"] == len(assessed)
            assert table.loc[instrument, f"{role}_party"] == (assessed["status"] == "party").sum()
            joined = assessed["status"].isin(("party", "pending")).sum()
            eligible = (of_role["status"] != "not_eligible").sum()
            high = (assessed["status"] == "party").sum() + (of_role["status"] == "unknown").sum()
            assert table.loc[instrument, f"{role}_share_party_high"] == high / eligible
            expected = joined / len(assessed) if len(assessed) else math.nan  # none assessed: no share
            assert table.loc[instrument, f"{role}_share_joined"] == pytest.approx(expected, nan_ok=True)
        assert table.loc[instrument, "states_without_role"] == (chosen["role"] == migrants.NO_FIGURE).sum()


def test_gcm_summary_counts_as_filters_per_instrument_and_vote(real, reference: ReferenceData) -> None:
    states, status = real
    figures = migrants.state_figures(states, reference)
    table = migrants.gcm_commitment_summary(status, states, reference, ["ICRMW", "C189"], ON).set_index("instrument")
    for instrument in ("ICRMW", "C189"):
        chosen = _counted_by_filters(status, figures, instrument, "gcm_vote")
        joined = chosen["status"].isin(("party", "pending"))
        gap = chosen["status"].isin(migrants.GAP_STATUSES)
        yes, other = chosen["gcm_vote"] == "yes", ~chosen["gcm_vote"].isin(("yes", migrants.NO_VOTE))
        assert table.loc[instrument, "yes_joined"] == (yes & joined).sum()
        assert table.loc[instrument, "yes_not_joined"] == (yes & gap).sum()
        assert table.loc[instrument, "other_vote_joined"] == (other & joined).sum()
        assert table.loc[instrument, "other_vote_unknown_or_not_eligible"] == (other & ~joined & ~gap).sum()
        assert table.loc[instrument, "no_vote"] == (chosen["gcm_vote"] == migrants.NO_VOTE).sum() > 0


def test_report_tables_equal_the_tables_computed_one_by_one(real, reference: ReferenceData) -> None:
    """The report computes the State figures once for its five tables: the same tables as each alone."""
    states, status = real
    tables = migrants.report_tables(status, states, INSTRUMENTS, ON, reference)
    specific = migrants.migrant_specific(INSTRUMENTS)
    pd.testing.assert_frame_equal(tables["top_destinations"],
                                  migrants.top_destinations(status, states, reference, INSTRUMENTS, ON))  # fmt: skip
    pd.testing.assert_frame_equal(tables["gcm_commitment_gap"],
                                  migrants.gcm_commitment_gap(status, states, reference, specific, ON))  # fmt: skip
    pd.testing.assert_frame_equal(tables["migrants_affected"],
                                  migrants.migrants_affected(status, states, reference, INSTRUMENTS, ON))  # fmt: skip
