"""Charts: each is written, non-empty, and says what it should (Figure objects inspected, not pixels)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_gaps import FIXTURE_INSTRUMENTS, ON, fixture_set, fixture_snapshot

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_instruments, load_set
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data, charts
from rt2gaps.report.briefs import BriefBuilder
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.report.worldmap import country_shapes, equal_earth, split_at_antimeridian
from rt2gaps.status import STATUSES, UNKNOWN, pair_answer, pair_status

REAL_ON = date(2026, 2, 3)
EN = UiStrings("en")


@pytest.fixture(scope="module")
def fixture_data():
    return build_report_data(fixture_set(), fixture_snapshot(), ON)


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), REAL_ON)


def figure_texts(figure) -> list[str]:
    """Every visible string of a figure: figure texts, axes texts, tick labels, titles, legends."""
    texts = [t.get_text() for t in figure.texts]
    for legend in figure.legends:
        texts += [t.get_text() for t in legend.get_texts()]
        texts.append(legend.get_title().get_text())
    for ax in figure.axes:
        texts += [t.get_text() for t in ax.texts]
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        texts += [ax.get_title(loc) for loc in ("left", "center", "right")]
        texts.append(ax.get_xlabel())
        legend = ax.get_legend()
        if legend:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def legend_patches(figure) -> dict[str, object]:
    return {text.get_text(): handle for legend in figure.legends
            for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)}  # fmt: skip


def assert_framed(figure, data, title: str) -> None:
    """Title, set, as-of date and a source caption: on every chart."""
    texts = figure_texts(figure)
    assert title in texts
    assert any(data.recommended_set.title("en") in t and data.on.isoformat() in t for t in texts)  # title, not id
    assert any(t.startswith("Source:") for t in texts)


def test_status_legend_is_the_palette_and_unknown_is_hatched(fixture_data) -> None:
    figure = charts.gap_matrix_region(fixture_data, "Africa", EN)
    patches = legend_patches(figure)
    assert list(patches) == [EN.status(s) for s in STATUSES]
    for status in STATUSES:
        patch = patches[EN.status(status)]
        assert patch.get_facecolor()[:3] == pytest.approx(tuple(int(STATUS_COLOURS[status][i:i + 2], 16) / 255
                                                                 for i in (1, 3, 5)))  # fmt: skip
        assert (patch.get_hatch() == UNKNOWN_HATCH) == (status == UNKNOWN)


def test_region_matrix_lists_states_and_instruments(fixture_data) -> None:
    figure = charts.gap_matrix_region(fixture_data, "Europe", EN)
    assert_framed(figure, fixture_data, "Status per State and instrument: Europe")
    texts = figure_texts(figure)
    assert {"Dland", *FIXTURE_INSTRUMENTS} <= set(texts)
    assert "Aland" not in texts  # Africa
    image = figure.axes[0].images[0].get_array()
    assert image.shape == (2, len(FIXTURE_INSTRUMENTS))


def test_overview_shares_and_no_data(fixture_data) -> None:
    figure = charts.gap_matrix_overview(fixture_data, EN)
    assert_framed(figure, fixture_data, "Share of States party, by region and sub-region")
    texts = figure_texts(figure)
    assert "Africa (2)" in texts and "no data" in texts
    assert any("Western Europe (2)" in t for t in texts)


def test_coverage_bars_separate_un_and_ilo(fixture_data) -> None:
    figure = charts.coverage_bars(fixture_data, EN)
    assert_framed(figure, fixture_data, "States party, pending, signatory only or with no act, per instrument")
    titles = [ax.get_title("left") for ax in figure.axes]
    assert titles == ["UN instruments", "ILO instruments"]
    un_labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert set(un_labels) == {"ICRMW", "ICCPR"}
    assert "no source: status unknown" in figure_texts(figure)  # C189


def engine_counts(snapshot, instruments, on: date) -> pd.DataFrame:
    """The timeline's counts asked of the status engine on every sample date (as the chart did before spells)."""
    from rt2gaps.report.charts.coverage import sample_dates
    from rt2gaps.status import CONSENT_GIVEN, universe_states

    rows = []
    for instrument in instruments:
        if snapshot.source_as_of(instrument.id) is None:
            continue
        for day in sample_dates(instrument, on):
            # the engine's full answer (ILO membership on the date included), not the spells
            found = [pair_answer(snapshot, state, instrument, day).status for state in universe_states(snapshot, "all")]
            row = {"instrument": instrument.id, "date": day, "year": day.year}
            row.update({status: found.count(status) for status in STATUSES})
            row["consent_given"] = sum(found.count(s) for s in CONSENT_GIVEN)
            rows.append(row)
    return pd.DataFrame(rows, columns=["instrument", "date", "year", *STATUSES, "consent_given"])


def test_timeline_counts_come_from_the_status_engine() -> None:
    snapshot = fixture_snapshot()
    catalogue = load_instruments()
    instruments = [catalogue[i] for i in FIXTURE_INSTRUMENTS]
    sampled = charts.parties_over_time(snapshot, instruments, ON)
    assert sampled.equals(engine_counts(snapshot, instruments, ON))
    assert "C189" not in set(sampled["instrument"])  # no source: not drawn as zero
    iccpr = sampled[sampled["instrument"] == "ICCPR"].set_index("date")
    states = {s["iso3"]: s for s in snapshot.states}
    for day in (date(1979, 12, 31), date(2019, 12, 31), ON):
        expected = sum(
            pair_status(iso3, catalogue["ICCPR"], snapshot.events_by_pair.get((iso3, "ICCPR"), []), day,
                        eligible=True, source_as_of=snapshot.source_as_of("ICCPR")).status == "party"
            for iso3 in states
        )  # fmt: skip
        assert iccpr.loc[day, "party"] == expected


def test_timeline_on_the_real_snapshot_ends_at_the_coverage_counts(real_data) -> None:
    chosen = [i for i in real_data.instruments if i.id in ("ICRMW", "P029")]
    timeline = charts.parties_over_time(current_snapshot(), chosen, REAL_ON)
    assert timeline.equals(engine_counts(current_snapshot(), chosen, REAL_ON))
    last = timeline.groupby("instrument").tail(1).set_index("instrument")
    coverage = real_data.tables["instrument_coverage"].set_index("instrument")
    for instrument in ("ICRMW", "P029"):
        assert last.loc[instrument, "party"] == coverage.loc[instrument, "party"]
    assert timeline["date"].min() == date(1990, 12, 18)  # the ICRMW's adoption


def test_timeline_from_the_spells_equals_the_engine_on_every_sample_date() -> None:
    """The same counts as before spells (the engine asked on each date), for UN and ILO records with
    denunciations, year-only dates and successions."""
    catalogue = load_instruments()
    chosen = [catalogue[i] for i in ("ICCPR", "ICCPR-OP1", "CRC", "REFUGEE-1951", "C029", "C105", "C189")]
    snapshot = current_snapshot()
    for on in (REAL_ON, date(2018, 12, 19)):
        assert charts.parties_over_time(snapshot, chosen, on).equals(engine_counts(snapshot, chosen, on))


def test_timeline_chart_marks_the_gcm(fixture_data) -> None:
    timeline = charts.parties_over_time(fixture_snapshot(), fixture_data.instruments, ON)
    figure = charts.timelines(fixture_data, timeline, EN)
    assert_framed(figure, fixture_data, "States party over time, from each instrument's adoption")
    assert "GCM adopted, 19 Dec 2018" in legend_patches(figure)
    assert any("C189" in t and "Not drawn" in t for t in figure_texts(figure))
    gcm_x = charts.decimal_year(date(2018, 12, 19))
    assert any(list(line.get_xdata()) == [gcm_x, gcm_x] for line in figure.axes[0].lines)


def test_world_map_names_the_states_it_cannot_draw(real_data) -> None:
    found = charts.map_coverage(real_data, EN)
    assert found.missing == ["Tuvalu"]
    assert len(found.scores) == len(real_data.states) - 1
    figure = charts.world_map(real_data, EN)
    assert_framed(figure, real_data, "Coverage of the set per State")
    assert any("Not on the map (no shape in the file): Tuvalu." in t.replace("\n", " ") for t in figure_texts(figure))
    assert "80–100%" in legend_patches(figure)


def test_world_shapes_are_cut_at_the_antimeridian() -> None:
    shapes = country_shapes()
    assert len(shapes) > 230 and "010" not in shapes  # Antarctica left off
    edge_x, _ = equal_earth(np.array([180.0]), np.array([0.0]))
    for code in ("643", "242"):  # Russia, Fiji
        for rings in shapes[code].polygons:
            xs = rings[0][:, 0]
            assert xs.max() - xs.min() < edge_x[0]  # no ring spans the whole map
    ring = np.array([[170.0, 0], [-170, 0], [-170, 10], [170, 10], [170, 0]])
    parts = split_at_antimeridian(ring)
    assert len(parts) == 2 and {round(p[:, 0].max()) for p in parts} == {180, -170}


def test_committed_projected_shapes_are_the_decoded_topojson() -> None:
    from rt2gaps.report import worldmap

    read = worldmap.read_projected()
    assert read is not None, "run worldmap.write_projected() and commit the file"
    (sha256, step), stored = read
    assert (sha256, step) == (worldmap._sha256(worldmap.COUNTRIES_FILE), worldmap.THIN_DEGREES)
    decoded = worldmap.decode_shapes()
    assert list(stored) == sorted(decoded)
    for code, shape in decoded.items():
        assert stored[code].name == shape.name
        # the projection's last bits differ between numpy versions (SIMD trig): compare within a tolerance
        assert [[ring.shape for ring in rings] for rings in stored[code].polygons] == [
            [ring.shape for ring in rings] for rings in shape.polygons
        ]
        for stored_rings, decoded_rings in zip(stored[code].polygons, shape.polygons, strict=True):
            for stored_ring, decoded_ring in zip(stored_rings, decoded_rings, strict=True):
                np.testing.assert_allclose(stored_ring, decoded_ring, rtol=1e-9, atol=1e-9)


def test_scorecard_rows_and_fast_renderer_match_a_full_draw(real_data) -> None:
    from PIL import Image

    figure = charts.scorecard(real_data, "PHL", EN)
    texts = figure_texts(figure)
    worst = real_data.tables["country_gaps"].set_index("iso3").loc["PHL", "rank_worst"]
    assert f"Philippines: coverage 63%–89%, rank 1–{worst} of 197" in texts  # its score, a range: 5 unknown
    assert {"ratification 1995-07-05", "2003-07-01", "1993-11-15"} <= set(texts)  # ICRMW
    renderer = charts.ScorecardRenderer(real_data, EN)
    fast = np.asarray(Image.open(io.BytesIO(renderer.png("PHL", BriefBuilder(real_data).status_rows("PHL")))))
    stream = io.BytesIO()
    with charts.chart_style():
        figure.savefig(stream, format="png", dpi=charts.PNG_DPI)
    full = np.asarray(Image.open(stream).convert("RGB"))
    assert fast.shape == full.shape and (fast == full).all()


def test_write_charts_writes_png_and_svg(fixture_data, tmp_path: Path) -> None:
    written = charts.write_charts(fixture_data, fixture_snapshot(), tmp_path)
    names = {p.name for p in written}
    stem = fixture_data.stem
    for chart in ("matrix_overview", "matrix_africa", "matrix_europe", "coverage_bars", "timelines", "world_map"):
        for fmt in ("png", "svg"):
            assert f"{stem}_{chart}.{fmt}" in names
    for path in written:
        content = path.read_bytes()
        assert len(content) > 1000
        assert content.startswith(b"\x89PNG") if path.suffix == ".png" else b"<svg" in content[:500]
        assert path.stat().st_mode & 0o777 == 0o644  # readable like the workbook, not private like a temp file
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_svg_is_reproducible(fixture_data, tmp_path: Path) -> None:
    first = charts.save_figure(charts.coverage_bars(fixture_data, EN), tmp_path / "a", "bars")
    second = charts.save_figure(charts.coverage_bars(fixture_data, EN), tmp_path / "b", "bars")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_chart_png_has_the_pixels_and_resolution_of_matplotlibs_png(fixture_data, tmp_path: Path) -> None:
    from PIL import Image

    from rt2gaps.report.charts import base

    figure = charts.coverage_bars(fixture_data, EN)
    (written,) = charts.save_figure(figure, tmp_path, "bars", ("png",))
    reference = io.BytesIO()
    with charts.chart_style():
        figure.savefig(reference, format="png", dpi=charts.PNG_DPI)
    ours, theirs = Image.open(written), Image.open(reference)
    assert ours.mode == "RGB" and ours.size == theirs.size  # opaque: no alpha channel written
    assert np.array_equal(np.asarray(ours), np.asarray(theirs.convert("RGB")))
    assert ours.info["dpi"] == pytest.approx((charts.PNG_DPI, charts.PNG_DPI), abs=0.05)
    see_through = np.zeros((3, 2, 4), dtype=np.uint8)
    see_through[0, 0] = (255, 0, 0, 128)
    decoded = Image.open(io.BytesIO(base.png_bytes(see_through, 72)))
    assert decoded.mode == "RGBA" and np.array_equal(np.asarray(decoded), see_through)


def test_importing_charts_and_the_gaps_query_stay_free_of_matplotlib() -> None:
    code = "import sys, rt2gaps.report.charts, rt2gaps.report.briefs; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "rt2gaps", "gaps", "--as-of", "2026-02-03"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert "matplotlib" not in result.stderr


@pytest.mark.parametrize("style", ["normal", "italic"])
def test_text_width_is_the_width_of_the_text_outline(style: str) -> None:
    """Measured glyph by glyph (each glyph's curves once), the box and width are exactly the whole outline's."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    from rt2gaps.report.charts.base import text_extents, text_width_in

    prop = FontProperties(family="DejaVu Sans", style=style)
    for text in ("Latin America and the Caribbean", "Amérique latine et Caraïbes", "Côte d’Ivoire", "1 234 (56 %)",
                 " Afrique du Nord ", "AVAWAY", "7", "48", "100", "193", "gjpqy"):  # fmt: skip
        for size in (5.5, 6.5, 7.0):
            box = TextPath((0, 0), text, size=size, prop=prop).get_extents()
            assert text_width_in(text, size, style) == float(box.width) / 72
            assert text_extents(text, size, style) == tuple(box.extents)
    assert text_width_in("   ", 7.0, style) == text_width_in("", 7.0, style) == 0.0  # nothing drawn


def test_a_run_without_charts_imports_no_chart_module_and_no_source_parser(tmp_path: Path) -> None:
    """``run --no-charts`` draws nothing: no chart module, no worker pool, no source page parser is loaded."""
    command = [sys.executable, "-X", "importtime", "-m", "rt2gaps", "run", "--no-charts", "--as-of", "2026-02-03",
               "--set", "migrants", "--out", str(tmp_path), "-q"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "rt2gaps.procedures" in imported  # the accountability tables are written
    unwanted = {"rt2gaps.report.charts", "rt2gaps.report.charts.pool", "multiprocessing", "matplotlib",
                "rt2gaps.sources.untc_html", "rt2gaps.sources.mtdsg_xml"}  # fmt: skip
    assert sorted(imported & unwanted) == []


def test_the_chart_workers_inherit_matplotlib_loaded_once_before_the_fork() -> None:
    """The parent loads matplotlib and the font once before forking (~0.3-0.5 s of CPU less per run)."""
    code = ("import importlib, sys\n"
            "from rt2gaps.api import current_snapshot\n"
            "pool = importlib.import_module('rt2gaps.report.charts.pool')\n"
            "with pool.ChartPool(current_snapshot()) as workers:\n"
            "    print(workers.executor is not None, 'matplotlib.backends.backend_agg' in sys.modules)\n")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]


def test_chart_pool_writes_what_write_charts_writes(fixture_data, tmp_path: Path) -> None:
    snapshot = fixture_snapshot()
    with charts.ChartPool(snapshot) as pool:
        assert pool.executor is not None  # forked workers on this platform
        parallel = pool.start(fixture_data, tmp_path / "pool").result()
    serial = charts.write_charts(fixture_data, snapshot, tmp_path / "here")
    assert [p.name for p in parallel] == [p.name for p in serial]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(parallel, serial, strict=True))


def test_a_failing_chart_in_a_worker_is_one_clear_error(fixture_data, tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise ValueError("no bars today")

    monkeypatch.setattr(charts.pool, "coverage_bars", broken)  # the forked workers inherit the patch
    with charts.ChartPool(fixture_snapshot()) as pool:
        job = pool.start(fixture_data, tmp_path)
        with pytest.raises(charts.ChartError, match="chart coverage_bars could not be written: ValueError: no bars"):
            job.result()
    assert charts.ChartError.exit_code == 1
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
    assert not list(tmp_path.glob("*coverage_bars*"))


def test_timeline_of_a_group_counts_only_its_states() -> None:
    from rt2gaps.groups import load_group

    snapshot = current_snapshot()
    group = load_group("sids", snapshot.states)
    data = build_report_data(load_set("rt2-priority"), snapshot, REAL_ON, group=group)
    figure = charts.timelines_of_run(data, snapshot, EN)
    coverage = data.tables["instrument_coverage"].set_index("instrument")
    eligible = int(coverage.loc["ICRMW", "eligible"])
    assert f"{int(coverage.loc['ICRMW', 'party'])} of {eligible} party" in figure_texts(figure)
    only = set(data.states["iso3"])
    counts = charts.parties_over_time(snapshot, data.instruments[:1], REAL_ON, only=only)
    assert counts.iloc[-1]["party"] == coverage.loc[data.instruments[0].id, "party"]
    assert (counts[list(STATUSES)].sum(axis=1) == len(only)).all()
    assert any(f"States of {group.name} only" in text for text in figure_texts(figure))  # never passes for the world
