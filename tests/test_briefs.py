"""Country briefs: the facts for PHL and MEX are the status engine's, and the files are written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_gaps import ON, fixture_set, fixture_snapshot

from rt2gaps.api import current_snapshot, instruments_for
from rt2gaps.catalogue import load_set
from rt2gaps.cli import main
from rt2gaps.gaps import ASSESSED_STATUSES, GAP_STATUSES
from rt2gaps.history import status_rows
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data
from rt2gaps.report.briefs import BriefBuilder, brief_stem, render_markdown, write_briefs

REAL_ON = date(2026, 2, 3)
EN = UiStrings("en")


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), REAL_ON)


@pytest.fixture(scope="module")
def engine() -> dict[tuple[str, str], object]:
    """The status engine's own answer for every State and instrument of the set."""
    instruments = instruments_for(list(load_set("rt2-priority").instruments))
    return {(r.iso3, r.instrument): r for r in status_rows(current_snapshot(), instruments, REAL_ON)}


@pytest.mark.parametrize("iso3", ["PHL", "MEX"])
def test_brief_facts_are_the_status_engines(real_data, engine, iso3: str) -> None:
    brief = BriefBuilder(real_data).brief(iso3)
    assert [line.instrument for line in brief.lines] == real_data.instrument_ids
    for line in brief.lines:
        expected = engine[(iso3, line.instrument)]
        assert (line.status, line.consent_date, line.consent_type, line.signature_date, line.in_force_date) == (
            expected.status, expected.consent_date, expected.consent_type, expected.signature_date,
            expected.in_force_date)  # fmt: skip
    # neighbours: the other States of the sub-region, counted straight from the engine
    subregion = {s["iso3"]: s["subregion"] for s in current_snapshot().states}
    others = [s for s in subregion if subregion[s] == subregion[iso3] and s != iso3 and (s, "ICCPR") in engine]
    assert brief.neighbours == len(others)
    gaps = [line.instrument for line in brief.lines if line.status in GAP_STATUSES]
    assert [c.instrument for c in brief.compared] == gaps
    for compared in brief.compared:
        statuses = [engine[(s, compared.instrument)].status for s in others]
        assert compared.party == statuses.count("party")
        assert compared.assessed == sum(s in ASSESSED_STATUSES for s in statuses)


def test_phl_and_mex_in_words(real_data) -> None:
    builder = BriefBuilder(real_data)
    phl = render_markdown(builder.brief("PHL"), real_data, EN)
    assert phl.startswith("# Philippines: RT2 priority instruments\n")  # the set's title, not its id
    assert "| ICRMW | International Convention on the Protection of the Rights of All Migrant Workers" in phl
    assert "| Party | 1993-11-15 | ratification 1995-07-05 | 2003-07-01 |" in phl
    assert "## Compared with South-eastern Asia" in phl
    assert "| P029 | No action |" in phl and "| C155 | No action |" in phl
    assert "No source covers C097, C143, C181, C189, C190" in phl
    assert "as of 2026-02-03" in phl and "as of 2026-07-10" in phl  # the sources and their dates
    mex = builder.brief("MEX")
    assert mex.status_of("ICRMW") == "party" and mex.status_of("C187") == "none"
    assert [c.instrument for c in mex.compared] == ["C187"]
    assert "accession 1981-03-23" in render_markdown(mex, real_data, EN)  # ICCPR: the kind of act


def test_signed_not_ratified_and_how_long(real_data) -> None:
    signed = real_data.tables["signed_not_ratified"]
    row = signed[signed["iso3"] == "USA"].iloc[0]
    brief = BriefBuilder(real_data).brief("USA")
    assert [(s.instrument, s.years_since_signature) for s in brief.signed_only] == [
        (row.instrument, row.years_since_signature)
    ]
    text = render_markdown(brief, real_data, EN)
    assert f"signed on {row.signature_date.isoformat()}, not ratified {row.years_since_signature:.1f} years" in text


def test_stale_and_unknown_are_said(tmp_path: Path) -> None:
    data = build_report_data(fixture_set(), fixture_snapshot(), date(2022, 6, 1))  # the fixture's sources are stale
    brief = BriefBuilder(data).brief("AAA")
    assert brief.no_source == ("C189",)
    assert {s.instrument for s in brief.stale} == {"ICRMW", "ICCPR", "C029"}
    text = render_markdown(brief, data, EN)
    assert "ICCPR: the source is dated 2020-06-01" in text
    files = write_briefs(data, tmp_path, "en")
    assert len(files) == len(data.states)
    assert all(f.markdown.stat().st_size > 0 and f.scorecard.stat().st_size > 0 for f in files)


def test_brief_verb_writes_markdown_and_scorecard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "phl", "--as-of", "2026-02-03", "--out", str(tmp_path)]) == 0
    stem = brief_stem("PHL", "rt2-priority", "en")
    markdown = tmp_path / "briefs" / f"{stem}.md"
    assert markdown.read_text(encoding="utf-8").count(f"]({stem}.png)") == 1
    assert (tmp_path / "briefs" / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
    assert str(markdown) in capsys.readouterr().out


def test_brief_verb_refuses_an_unknown_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "XXX", "--as-of", "2026-02-03", "--out", str(tmp_path)]) != 0
    assert "XXX" in capsys.readouterr().err
    assert not (tmp_path / "briefs").exists()


def test_fixture_brief_day_of_the_fixture() -> None:
    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    brief = BriefBuilder(data).brief("BBB")
    assert brief.status_of("ICRMW") == "signatory"
    assert [(s.instrument, s.signature_date) for s in brief.signed_only] == [("ICRMW", "2000-09-22")]
    assert [(c.instrument, c.party, c.assessed) for c in brief.compared] == [("ICRMW", 0, 0), ("C029", 0, 0)]


def test_briefs_drawn_by_the_run_workers_equal_the_serial_ones(tmp_path: Path) -> None:
    """``run --briefs`` spreads the briefs over the chart workers: same files, same order, same bytes."""
    from rt2gaps.groups import StateGroup
    from rt2gaps.report.briefs import write_briefs_with
    from rt2gaps.report.charts import ChartPool

    snapshot = current_snapshot()
    few = StateGroup("test group", "made up for this test", date(2026, 1, 1), ("PHL", "MEX", "DEU", "NPL", "SEN"))
    data = build_report_data(load_set("migrants"), snapshot, REAL_ON, group=few)
    serial = write_briefs(data, tmp_path / "serial")
    with ChartPool(snapshot) as pool:
        parallel = write_briefs_with(pool, data, tmp_path / "parallel", chunk_size=2)
    assert [f.markdown.name for f in parallel] == [f.markdown.name for f in serial] and len(serial) == 5
    for one, other in zip(serial, parallel, strict=True):
        assert one.markdown.read_bytes() == other.markdown.read_bytes()
        assert one.scorecard.read_bytes() == other.scorecard.read_bytes()
