"""Scores as intervals and dates first (issue 17): coverage_low/high, rank_best/worst, the dates line, the
one stderr line on instruments with no source.

On the bundled snapshot: the UNTC pages of 2026-02-03 and the NORMLEX fundamentals table of July 2026
cover 14 of the 19 rt2-priority instruments; C097, C143, C181, C189 and C190 have no source.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import rt2gaps
from rt2gaps.cli import main
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR

ON = "2026-02-03"
NO_SOURCE = "C097, C143, C181, C189, C190"
FETCH = "rt2gaps fetch --source normlex --instruments C097,C143,C181,C189,C190"

pytestmark = pytest.mark.skipif(
    not (BUNDLED_SNAPSHOT_DIR / "events.csv").is_file(), reason=f"no committed snapshot at {BUNDLED_SNAPSHOT_DIR}"
)


@pytest.fixture(scope="module")
def priority() -> pd.DataFrame:
    return rt2gaps.gaps("rt2-priority", as_of=ON).set_index("iso3")


@pytest.fixture(scope="module")
def report_data():
    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.report.tables import build_report_data

    return build_report_data(load_set("rt2-priority"), current_snapshot(), date.fromisoformat(ON))


def test_argentina_is_0_737_to_1_with_a_range_of_ranks(priority: pd.DataFrame) -> None:
    """Party to 14 of 19, the five unknown: 14/19 if none of them is ratified, 19/19 if all are."""
    argentina = priority.loc["ARG"]
    assert round(argentina["coverage_low"], 3) == 0.737 and argentina["coverage_low"] == 14 / 19
    assert argentina["coverage_high"] == 1.0
    assert pd.isna(argentina["coverage"]) and pd.isna(argentina["rank"])
    assert argentina["rank_best"] == 1 and argentina["rank_worst"] > 1
    assert argentina["unknown_instruments"] == NO_SOURCE


def test_every_rank_follows_from_the_intervals(priority: pd.DataFrame) -> None:
    ranked = priority[priority["unranked"].isna()]
    assert len(ranked) > 100
    for iso3, row in ranked.iterrows():
        best = 1 + int((ranked["coverage_low"] > row["coverage_high"]).sum())
        worst = int((ranked["coverage_high"] >= row["coverage_low"]).sum())
        assert (row["rank_best"], row["rank_worst"]) == (best, worst), iso3
        assert (row["rank"] == best) if best == worst else pd.isna(row["rank"]), iso3
        assert row["coverage_low"] <= row["coverage_high"]
        assert row["known_share"] == pytest.approx(1 - (row["coverage_high"] - row["coverage_low"]))
    unranked = priority[priority["unranked"].notna()]
    assert unranked[["rank_best", "rank_worst", "rank"]].isna().all().all()


def test_typed_columns(priority: pd.DataFrame) -> None:
    assert {c: str(priority[c].dtype) for c in ("coverage_low", "coverage_high", "coverage", "known_share")} == {
        "coverage_low": "float64", "coverage_high": "float64", "coverage": "float64", "known_share": "float64"
    }  # fmt: skip
    assert {str(priority[c].dtype) for c in ("rank_best", "rank_worst", "rank")} == {"Int64"}


def test_some_states_have_an_exact_score(priority: pd.DataFrame) -> None:
    """The ten States outside the ILO are eligible only for the three UN treaties, all known."""
    exact = priority[priority["coverage"].notna()]
    assert len(exact) == 10 and "PSE" in exact.index
    assert (exact["coverage"] == exact["coverage_low"]).all() and (exact["coverage"] == exact["coverage_high"]).all()
    assert (priority.loc[priority["coverage"].isna(), "unknown"] > 0).all()


def test_a_single_rank_where_best_and_worst_agree() -> None:
    """On un-core every status is known: a State alone on its coverage has one rank; tied States share a span."""
    table = rt2gaps.gaps("un-core", as_of=ON)
    assert table["coverage"].notna().all()
    single = table[table["rank"].notna()]
    assert len(single) >= 1 and (single["rank"] == single["rank_best"]).all()
    assert (single["rank_best"] == single["rank_worst"]).all()
    tied = table[table["rank"].isna()]
    for _, row in tied.iterrows():
        assert ((table["coverage"] == row["coverage"]).sum()) == row["rank_worst"] - row["rank_best"] + 1


def test_summary_gives_the_mean_interval(report_data) -> None:
    summary = dict(report_data.tables["summary"].values.tolist())
    assert "mean_coverage" not in summary
    country = report_data.tables["country_gaps"]
    assert summary["mean_coverage_low"] == pytest.approx(country["coverage_low"].mean())
    assert summary["mean_coverage_high"] == pytest.approx(country["coverage_high"].mean())
    assert summary["mean_coverage_low"] < summary["mean_coverage_high"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Status on 2026-02-03; UN Treaty Collection as of 2026-02-03, ILO NORMLEX as of 2026-07-10"),
        ("fr", "Statut au 3 février 2026\u202f; Collection des traités des Nations Unies au 3 février 2026, "
               "NORMLEX (OIT) au 10 juillet 2026"),
    ],
)  # fmt: skip
def test_dates_line_names_the_query_date_and_each_sources_own(report_data, lang: str, expected: str) -> None:
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.localise import dates_line

    assert dates_line(report_data, UiStrings(lang)) == expected
    dates = {source["as_of"] for source in report_data.sources}
    assert dates == {"2026-02-03", report_data.manifest["sources"]["normlex-fundamentals-2026-07"]["as_of"]}


def test_the_first_sheet_names_both_source_dates_first(report_data, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from rt2gaps.report.excel import write_workbook

    book = load_workbook(write_workbook(report_data, tmp_path / "book.xlsx"))
    first = book.worksheets[0]
    assert first.title == "About"
    assert first["A2"].value == (
        "Status on 2026-02-03; UN Treaty Collection as of 2026-02-03, ILO NORMLEX as of 2026-07-10"
    )
    gaps_sheet = book["Country gaps"]
    headers = [c.value for c in gaps_sheet[1]]
    argentina = next(r for r in gaps_sheet.iter_rows(min_row=2, values_only=True) if r[0] == "ARG")
    assert argentina[headers.index("Coverage, low (unknown as not party)")] == pytest.approx(14 / 19)
    assert argentina[headers.index("Best rank")] == 1 and argentina[headers.index("Rank")] is None


def test_mexico_brief_gives_an_interval_and_no_single_rank(report_data) -> None:
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.briefs import BriefBuilder, render_markdown

    row = report_data.tables["country_gaps"].set_index("iso3").loc["MEX"]
    text = render_markdown(BriefBuilder(report_data).brief("MEX"), report_data, UiStrings("en"))
    lines = text.splitlines()
    assert lines[2].startswith("Status on 2026-02-03; UN Treaty Collection as of 2026-02-03, ILO NORMLEX as of "
                               "2026-07-10 · set RT2 priority instruments · MEX")  # fmt: skip
    assert (f"Coverage between 68% and 95%: 5 of 19 instruments unknown — {NO_SOURCE} — no source. "
            f"Party to 13 of the 19. Rank 1–{row['rank_worst']} of 197 States") in text  # fmt: skip
    assert row["rank_worst"] > 1
    assert "; rank " not in text and "Rank 8 " not in text
    french = render_markdown(BriefBuilder(report_data).brief("MEX"), report_data, UiStrings("fr"))
    assert (
        f"Couverture entre 68 % et 95 %\u202f: 5 instruments inconnus sur 19 — {NO_SOURCE} — aucune source." in french
    )
    assert f"Rang 1–{row['rank_worst']} sur 197 États" in french


def test_scorecard_title_and_map_follow_the_interval(report_data) -> None:
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.charts.maps import map_coverage, share_class
    from rt2gaps.report.charts.scorecards import score_phrases

    worst = int(report_data.tables["country_gaps"].set_index("iso3").loc["ARG", "rank_worst"])
    assert score_phrases(report_data, UiStrings("en"))["ARG"] == f"coverage 74%–100%, rank 1–{worst} of 197"
    found = map_coverage(report_data, UiStrings("en"))
    m49 = dict(zip(report_data.states["iso3"], report_data.states["m49"].astype(str).str.zfill(3), strict=True))
    assert found.scores[m49["ARG"]] == pytest.approx(14 / 19)  # coloured by the low end
    assert m49["ARG"] in found.spanning  # 74 % to 100 %: two classes
    assert m49["PSE"] not in found.spanning  # exact
    assert share_class(0.79) == 3 and share_class(0.8) == share_class(1.0) == 4


@pytest.mark.parametrize("verb", [["gaps"], ["brief", "MEX"], ["run", "--no-charts"]])
def test_one_stderr_line_names_the_instruments_with_no_source_and_the_command(
    verb: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path)] if verb[0] != "gaps" else []
    assert main([*verb, "--as-of", ON, "-q", *out]) == 0  # -q keeps it: it is about the data asked for
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"no source covers {NO_SOURCE}" in err and FETCH in err


def test_the_line_names_a_fetch_per_depositary_and_other_mostly_unknown_instruments(capsys) -> None:
    from types import SimpleNamespace

    from rt2gaps.cli.options import warn_mostly_unknown

    no_source = [SimpleNamespace(id="C189", body="ILO"), SimpleNamespace(id="ICRMW", body="UN")]
    warn_mostly_unknown(["C189", "ICRMW", "C029"], "en", no_source)  # type: ignore[arg-type]
    assert capsys.readouterr().err == (
        "rt2gaps: warning: no source covers C189, ICRMW, unknown for every State, so the scores are ranges; to bring "
        "them in: rt2gaps fetch --source normlex --instruments C189 and rt2gaps fetch --source untc --instruments "
        "ICRMW (or: rt2gaps import FILE, a table copied from the depositary's page); also unknown for most States: "
        "C029\n"
    )
    warn_mostly_unknown(["C029"], "fr")
    assert capsys.readouterr().err == (
        "rt2gaps\u202f: avertissement\u202f: inconnus pour la plupart des États, "
        "les scores sont donc des intervalles\u202f: C029\n"
    )


def test_a_coverage_bar_ends_with_a_range_while_some_states_are_unknown() -> None:
    from types import SimpleNamespace

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.charts.coverage import bar_end_label

    en = UiStrings("en")
    row = SimpleNamespace(no_data=False, party=60, unknown=20, eligible=200, known_share=0.9)
    assert bar_end_label(row, en) == "60 of 200 party: 30%–40% (90% known)"
    exact = SimpleNamespace(no_data=False, party=60, unknown=0, eligible=200, known_share=1.0)
    assert bar_end_label(exact, en) == "60 of 200 party: 30%"
    assert bar_end_label(SimpleNamespace(no_data=True), en) == "no source: status unknown"
