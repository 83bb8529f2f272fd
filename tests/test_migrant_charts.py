"""Migrant charts: titles, mid-2020 dating, legends, bar lengths equal to the migrant tables, French labels."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from test_charts import assert_framed, figure_texts, legend_patches
from test_gaps import fixture_snapshot

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.gaps import GAP_STATUSES
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data, charts
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.status import STATUSES, UNKNOWN

REAL_ON = date(2026, 2, 3)
EN = UiStrings("en")
FR = UiStrings("fr")


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), REAL_ON)


def bar_widths(ax) -> list[list[float]]:
    """The widths of each bar container of an axes (one container per ``barh`` call)."""
    return [[patch.get_width() for patch in container] for container in ax.containers]


def assert_dated_mid_2020(figure) -> None:
    """The subtitle dates the migrant figures; the caption names the DESA source and its mid-year date."""
    texts = [t.get_text().replace("\n", " ") for t in figure.texts]
    assert any(t.startswith("RT2 priority instruments · ") and "migrant figures for mid-2020" in t for t in texts)
    assert any("UN DESA, International Migrant Stock 2020, estimates for mid-2020" in t for t in texts)


def test_not_party_bars_are_the_table_in_millions(real_data) -> None:
    figure = charts.migrants_not_party(real_data, EN)
    assert_framed(figure, real_data, "International migrants living in States not party, per instrument (mid-2020)")
    assert_dated_mid_2020(figure)
    ax = figure.axes[0]
    assert ax.get_xlabel() == "International migrants, millions (mid-2020)"
    table = real_data.tables["migrants_affected"]
    stock = table[table["measure"] == "migrant_stock"].set_index("instrument").reindex(real_data.instrument_ids)
    widths = bar_widths(ax)
    assert len(widths) == len(charts.NOT_PARTY_ORDER)
    for status, drawn in zip(charts.NOT_PARTY_ORDER, widths, strict=True):
        expected = [0.0 if math.isnan(v) else v / 1e6 for v in stock[status]]
        assert drawn == pytest.approx(expected)
    assert list(legend_patches(figure)) == [EN.status(s) for s in charts.NOT_PARTY_ORDER]
    assert legend_patches(figure)[EN.status(UNKNOWN)].get_hatch() == UNKNOWN_HATCH
    icrmw_gap = stock.loc["ICRMW", list(GAP_STATUSES)].sum()
    assert f"{icrmw_gap / 1e6:.1f} M in States not party" in figure_texts(figure)
    # an instrument with no source is labelled unknown, never given a "not party" figure
    labels = [t.get_text() for t in ax.texts]
    assert labels[real_data.instrument_ids.index("C189")] == "no source: status unknown"


def test_top_destinations_rows_statuses_and_stock(real_data) -> None:
    figure = charts.migrants_top_destinations(real_data, EN)
    title = "The 20 largest destinations of international migrants (mid-2020): status per instrument"
    assert_framed(figure, real_data, title)
    assert_dated_mid_2020(figure)
    grid_ax, stock_ax = figure.axes
    top = real_data.tables["top_destinations"]
    top = top[top["rank_by_stock"] <= 20].sort_values("rank_by_stock")
    assert len(top) == 20
    row_labels = [t.get_text() for t in grid_ax.texts[:20]]
    assert row_labels[0] == "United States of America" and row_labels[1] == "Germany"
    assert set(real_data.instrument_ids) <= set(figure_texts(figure))
    assert bar_widths(stock_ax) == [pytest.approx((top["migrant_stock"] / 1e6).tolist())]
    assert stock_ax.get_xlabel() == "Migrants, millions (mid-2020)"
    image = grid_ax.images[0].get_array()
    assert image.shape == (20, len(real_data.instrument_ids))
    usa = real_data.tables["matrix"].set_index("iso3").loc["USA", real_data.instrument_ids]
    assert [STATUSES[int(code)] for code in image[0]] == [UNKNOWN if s != s else s for s in usa]
    assert list(legend_patches(figure)) == [EN.status(s) for s in STATUSES]


def test_origin_destination_shares_and_no_data_rows(real_data) -> None:
    figure = charts.migrants_origin_destination(real_data, EN)
    title = "Share of States party: mainly origin vs mainly destination States, per instrument"
    assert_framed(figure, real_data, title)
    assert_dated_mid_2020(figure)
    ax = figure.axes[0]
    assert ax.get_xlabel() == "Share of States party (of those eligible and known)"
    table = real_data.tables["origin_destination"].set_index("instrument").reindex(real_data.instrument_ids)
    origin, destination = bar_widths(ax)
    assert origin == pytest.approx((table["origin_share_party"].dropna() * 100).tolist())
    assert destination == pytest.approx((table["destination_share_party"].dropna() * 100).tolist())
    assert len(origin) == len(real_data.instrument_ids) - len(real_data.no_data_instruments)  # no bar at 0
    patches = legend_patches(figure)
    assert list(patches) == ["Mainly origin (124 States)", "Mainly destination (73 States)", "no data"]
    assert patches["no data"].get_hatch() == UNKNOWN_HATCH
    assert patches["no data"].get_facecolor()[:3] == pytest.approx(
        tuple(int(STATUS_COLOURS[UNKNOWN][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    assert figure_texts(figure).count("no source: status unknown") == len(real_data.no_data_instruments)
    assert "48 of 124 party" in figure_texts(figure)  # ICRMW, mainly origin


def test_french_labels(real_data) -> None:
    not_party = charts.migrants_not_party(real_data, FR)
    texts = figure_texts(not_party)
    assert "Migrants internationaux vivant dans des États non parties, par instrument (mi-2020)" in texts
    assert not_party.axes[0].get_xlabel() == "Migrants internationaux, en millions (mi-2020)"
    assert any(t.endswith(" M dans des États non parties") and "," in t for t in texts)
    assert "Inconnu" in legend_patches(not_party)
    top = charts.migrants_top_destinations(real_data, FR)
    assert any(t.startswith("États-Unis d’Am") for t in figure_texts(top)) and "50,6 M" in " ".join(figure_texts(top))
    roles = charts.migrants_origin_destination(real_data, FR)
    assert "Surtout d'origine (124 États)" in legend_patches(roles)
    assert any("DAES de l'ONU" in t and "mi-2020" in t for t in figure_texts(roles))


def test_run_writes_the_migrant_charts(real_data, tmp_path: Path) -> None:
    written = charts.write_charts(real_data, current_snapshot(), tmp_path, lang="fr")
    names = {p.name for p in written}
    for chart in charts.MIGRANT_CHARTS:
        for fmt in ("png", "svg"):
            path = tmp_path / f"{real_data.stem}_{chart}_fr.{fmt}"
            assert path.name in names and path.stat().st_size > 1000


def test_migrant_charts_on_a_small_fixture(tmp_path: Path) -> None:
    from test_gaps import ON, fixture_set

    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    for name, figure in charts.build_migrant_charts(data, EN):
        for path in charts.save_figure(figure, tmp_path, name):
            assert path.stat().st_size > 1000
