"""Scores that count the unknown (issue 9 §4): known_share, "too little known", the warning line.

Hand-computed cases on made-up triples, then the README's own example set on the bundled snapshot
(ICRMW from the UNTC page of 2026-02-03; C189, C190, C097 have no source, so they are unknown for every
ILO member).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from importlib import import_module
from pathlib import Path

import pytest

from rt2gaps.cli import main

gaps = import_module("rt2gaps.gaps")  # the module: ``from rt2gaps import gaps`` is the public function

ON = "2026-02-03"
README_SET = """name = "domestic-work"
description = "Domestic workers: the conventions our campaign asks for"
instruments = ["ICRMW", "C189", "C190", "C097"]
weights = { ICRMW = 2 }
"""
WARNING = (
    "rt2gaps: warning: no source covers C189, C190, C097, unknown for every State, so the scores are ranges; "
    "to bring them in: rt2gaps fetch --source normlex --instruments C189,C190,C097 (or: rt2gaps import FILE, "
    "a table copied from the depositary's page)\n"
)


def _state(iso3: str) -> dict[str, str]:
    return {"iso3": iso3, "name_en": iso3, "region": "R", "subregion": "S"}


def _rows(triples: list[tuple[str, str, str]], weights: dict[str, float] | None = None) -> dict[str, dict]:
    states = [_state(s) for s in dict.fromkeys(t[0] for t in triples)]
    rows = gaps.country_gap_rows(triples, states, ["A", "B", "C", "D"], weights)
    return {row["iso3"]: row for row in rows}


def test_known_share_is_the_known_part_of_the_eligible_weight() -> None:
    rows = _rows([
        ("FUL", "A", "party"), ("FUL", "B", "party"), ("FUL", "C", "party"), ("FUL", "D", "unknown"),
        ("HLF", "A", "party"), ("HLF", "B", "none"), ("HLF", "C", "unknown"), ("HLF", "D", "unknown"),
        ("LOW", "A", "party"), ("LOW", "B", "unknown"), ("LOW", "C", "unknown"), ("LOW", "D", "unknown"),
        ("NEL", "A", "none"), ("NEL", "B", "not_eligible"), ("NEL", "C", "not_eligible"), ("NEL", "D", "unknown"),
        ("NIL", "A", "unknown"), ("NIL", "B", "unknown"), ("NIL", "C", "not_eligible"), ("NIL", "D", "unknown"),
    ])  # fmt: skip
    assert {iso3: row["known_share"] for iso3, row in rows.items() if iso3 != "NIL"} == {
        "FUL": 0.75, "HLF": 0.5, "LOW": 0.25, "NEL": 0.5
    }  # fmt: skip
    assert rows["NIL"]["known_share"] == 0.0 and math.isnan(rows["NIL"]["coverage"])
    # known share is what the interval leaves settled: 1 - (high - low)
    for row in rows.values():
        assert row["known_share"] == pytest.approx(1 - (row["coverage_high"] - row["coverage_low"]))
    # LOW is party to its one known instrument of four: coverage 25-100 %, a range wider than half, no rank
    assert (rows["LOW"]["coverage_low"], rows["LOW"]["coverage_high"]) == (0.25, 1.0)
    assert math.isnan(rows["LOW"]["coverage"])
    assert (rows["LOW"]["rank"], rows["LOW"]["rank_best"], rows["LOW"]["unranked"]) == (
        None,
        None,
        gaps.TOO_LITTLE_KNOWN,
    )
    assert (rows["NIL"]["rank"], rows["NIL"]["rank_worst"], rows["NIL"]["unranked"]) == (None, None, gaps.NOTHING_KNOWN)
    # exactly half known is enough; ranks are among the ranked States only (FUL 75-100 %, HLF 25-75 %, NEL 0-50 %)
    assert {iso3: (rows[iso3]["rank_best"], rows[iso3]["rank_worst"]) for iso3 in ("FUL", "HLF", "NEL")} == {
        "FUL": (1, 2), "HLF": (1, 3), "NEL": (2, 3)
    }  # fmt: skip
    assert [r for r in rows.values() if r["rank_best"] is not None and r["unranked"]] == []


def test_weights_count_in_the_known_share() -> None:
    triples = [("WGT", "A", "party"), ("WGT", "B", "unknown"), ("WGT", "C", "unknown"), ("WGT", "D", "unknown")]
    assert _rows(triples)["WGT"]["unranked"] == gaps.TOO_LITTLE_KNOWN
    weighted = _rows(triples, {"A": 3.0})["WGT"]
    assert weighted["known_share"] == 0.5 and weighted["rank"] == 1  # 3 of 3 + 1 + 1 + 1


def test_mostly_unknown_names_instruments_unknown_for_more_than_half_of_their_eligible_states() -> None:
    triples = [
        ("S1", "A", "unknown"), ("S2", "A", "unknown"), ("S3", "A", "party"),  # 2 of 3: most
        ("S1", "B", "unknown"), ("S2", "B", "party"),  # 1 of 2: not most
        ("S1", "C", "unknown"), ("S2", "C", "not_eligible"), ("S3", "C", "not_eligible"),  # 1 of 1 eligible
        ("S1", "D", "none"),
    ]  # fmt: skip
    assert gaps.mostly_unknown(triples, ["D", "C", "B", "A"]) == ["C", "A"]


@pytest.fixture
def readme_set(tmp_path: Path) -> Path:
    path = tmp_path / "domestic-work.toml"
    path.write_text(README_SET, encoding="utf-8")
    return path


def test_readme_example_set_ranks_only_the_states_it_knows_enough_about(
    readme_set: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: every State ranked on ICRMW alone. Now ILO members (ICRMW known, weight 2 of 5) are too little
    known; only the ten States outside the ILO, for which ICRMW is the one eligible instrument, are ranked."""
    assert main(["gaps", "--set", str(readme_set), "--as-of", ON]) == 0
    captured = capsys.readouterr()
    assert captured.err == WARNING  # one line, naming the instruments
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 197
    ilo = [r for r in rows if r["not_eligible"] == "0"]
    outside = [r for r in rows if r["not_eligible"] == "3"]
    assert len(ilo) == 187 and {(r["known_share"], r["rank"], r["unranked"]) for r in ilo} == {
        ("0.4", "", "too_little_known")
    }
    assert sorted(r["iso3"] for r in outside) == [
        "AND", "BTN", "FSM", "LIE", "MCO", "NIU", "NRU", "PRK", "PSE", "VAT"
    ]  # fmt: skip
    assert {(r["known_share"], r["unranked"]) for r in outside} == {("1.0", "")}
    assert all(r["rank_best"] and r["rank_worst"] and r["coverage"] == r["coverage_low"] for r in outside)
    assert [r["iso3"] for r in rows[:10]] == sorted(r["iso3"] for r in outside)  # ranked first


def test_readme_example_set_unweighted_is_a_quarter_known(readme_set: Path, capsys: pytest.CaptureFixture) -> None:
    readme_set.write_text(README_SET.replace("weights = { ICRMW = 2 }\n", ""), encoding="utf-8")
    assert main(["gaps", "--set", str(readme_set), "--as-of", ON, "--country", "PHL"]) == 0
    assert capsys.readouterr().err == WARNING  # also with --country
    assert main(["gaps", "--set", str(readme_set), "--as-of", ON]) == 0
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["PHL"]["known_share"], rows["PHL"]["coverage"], rows["PHL"]["rank"]) == ("0.25", "", "")
    assert (rows["PHL"]["coverage_low"], rows["PHL"]["coverage_high"], rows["PHL"]["rank_best"]) == ("0.25", "1.0", "")


def test_status_with_a_list_of_instruments_warns_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--instruments", "ICRMW,C189,C190,C097", "--as-of", ON]) == 0
    assert capsys.readouterr().err == WARNING
    assert main(["status", "--instruments", "ICRMW,ICCPR", "--as-of", ON]) == 0
    assert capsys.readouterr().err == ""


def test_workbook_and_brief_say_what_the_scores_leave_out(readme_set: Path, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert main(["run", "--set", str(readme_set), "--as-of", ON, "--out", str(out), "--no-charts"]) == 0
    assert capsys.readouterr().err == WARNING
    book = load_workbook(out / f"rt2gaps_domestic-work_{ON}.xlsx")
    about = [c for row in book["About"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(text.startswith("The scores cannot settle C189, C190, C097:") for text in about)
    assert "187 States have too little known (under half of the set's weight) and are not ranked." in about
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary["States ranked (at least half of the set's weight known)"] == 10
    assert summary["States not ranked: too little known"] == 187
    assert summary["Instruments unknown for most States (they widen the score ranges)"] == "C189, C190, C097"
    assert summary["Mean known share"] == pytest.approx((187 * 0.4 + 10 * 1.0) / 197)
    gaps_sheet = book["Country gaps"]
    headers = [c.value for c in gaps_sheet[1]]
    assert {"Known share", "Not ranked because"} <= set(headers)
    phl = next(r for r in gaps_sheet.iter_rows(min_row=2, values_only=True) if r[0] == "PHL")
    assert phl[headers.index("Not ranked because")] == "too little known"
    assert phl[headers.index("Rank")] is None and phl[headers.index("Best rank")] is None
    folder = out / f"rt2gaps_domestic-work_{ON}"
    csv_rows = list(csv.DictReader((folder / "country_gaps.csv").open(encoding="utf-8-sig")))
    assert {r["unranked"] for r in csv_rows} == {"", "too_little_known"}
    regions = list(csv.DictReader((folder / "regions.csv").open(encoding="utf-8-sig")))
    assert sum(int(r["states_ranked"]) for r in regions if r["level"] == "region") == 10

    assert main(["brief", "PHL", "--set", str(readme_set), "--as-of", ON, "--out", str(out)]) == 0
    assert capsys.readouterr().err == WARNING
    text = (out / "briefs" / "PHL_domestic-work.md").read_text(encoding="utf-8")
    assert (
        "Too little known: coverage between 40% and 100%, 3 of 4 instruments unknown — C189, C190, C097 — "
        "no source; the range is wider than half, so it is not ranked."
    ) in text
    assert "; rank " not in text


def test_a_set_with_every_instrument_known_gives_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--set", "un-core", "--as-of", ON]) == 0
    assert capsys.readouterr().err == ""


def test_world_map_draws_too_little_known_states_as_unknown(readme_set: Path) -> None:
    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.charts.maps import map_coverage
    from rt2gaps.report.tables import build_report_data

    data = build_report_data(load_set(str(readme_set)), current_snapshot(), date.fromisoformat(ON))
    scores = map_coverage(data, UiStrings("en")).scores
    m49 = dict(zip(data.states["iso3"], data.states["m49"].astype(str).str.zfill(3), strict=True))
    assert math.isnan(scores[m49["PHL"]])  # coverage 100 % of what is known, but only 40 % known: no colour
    assert scores[m49["PRK"]] == 0.0  # ICRMW its one eligible instrument, known: scored
    coverage = data.tables["instrument_coverage"].set_index("instrument")["known_share"]
    assert coverage["C189"] == 0.0 and coverage["ICRMW"] == 1.0


def test_a_regions_share_is_empty_where_too_little_is_known() -> None:
    import pandas as pd

    states = pd.DataFrame([{"iso3": i, "name_en": i, "region": "R", "subregion": "S"} for i in ("S1", "S2", "S3")])
    status = pd.DataFrame(
        [("S1", "A", "party"), ("S2", "A", "unknown"), ("S3", "A", "unknown"),  # 1 of 3 known: too little
         ("S1", "B", "party"), ("S2", "B", "none"), ("S3", "B", "not_eligible")],  # 2 of 2 eligible known
        columns=["iso3", "instrument", "status"],
    )  # fmt: skip
    country = gaps.country_gaps(status, states, ["A", "B"])
    table = gaps.regions(country, status, states, ["A", "B"]).set_index("level")
    assert math.isnan(table.loc["region", "A"]) and table.loc["region", "B"] == 0.5
