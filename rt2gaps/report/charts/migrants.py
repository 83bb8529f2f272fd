"""The migrant charts of a run: migrants in States not party, the top destinations, origin vs destination.

They draw the migrant tables of ``ReportData.tables`` (``rt2gaps.migrants.report_tables``) with the
helpers of ``base`` (frame, caption, status colours, status grid, stacked bars), so they look like
the other charts. Migrant figures are UN DESA estimates for mid-2020, years before the as-of date of
the ratification side: every chart says so in its title or subtitle and in its caption.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rt2gaps.gaps import GAP_STATUSES
from rt2gaps.migrants import DESTINATION, ORIGIN, TOP_DESTINATIONS_SHOWN
from rt2gaps.report.charts.base import (
    EDGE_GREY,
    HEADER_IN,
    WIDTH_IN,
    add_caption,
    add_header,
    add_status_legend,
    axes_in_inches,
    caption,
    caption_height,
    draw_status_grid,
    fitted_label,
    instrument_labels,
    new_figure,
    no_data_note,
    percent,
    sort_key,
    stacked_status_bars,
    state_names,
    styled,
    subtitle,
)
from rt2gaps.report.palette import OKABE_ITO, STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.snapshot.reference import STOCK_YEAR
from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, PENDING, SIGNATORY, UNKNOWN, WITHDRAWN

if TYPE_CHECKING:
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData

MILLION = 1_000_000
# The gap first, from the axis: its length reads straight off the scale; then joined, then no claim.
NOT_PARTY_ORDER = (NONE, SIGNATORY, WITHDRAWN, PENDING, PARTY, NOT_ELIGIBLE, UNKNOWN)
X_MAX = 118  # percent: room right of a 100 % bar for its count
ROLE_COLOURS = {ORIGIN: OKABE_ITO["blue"], DESTINATION: OKABE_ITO["orange"]}


def millions(value: float, strings: UiStrings) -> str:
    """'50.6 M' (French '50,6 M'): one decimal, the output language's decimal mark."""
    return strings("chart.millions", value=f"{value / MILLION:.1f}".replace(".", strings("chart.decimal_mark")))


def migrant_subtitle(data: ReportData, strings: UiStrings) -> str:
    """Set and as-of date of the ratification side, and the date of the migrant figures."""
    return subtitle(data, strings, strings("chart.migrants_figures", year=STOCK_YEAR))


def migrant_caption(data: ReportData, strings: UiStrings, *notes: str) -> str:
    """The chart caption with the DESA source and its mid-year date named after the treaty sources."""
    desa = strings("chart.migrants_source", year=STOCK_YEAR)
    return caption(data, strings, desa, *notes, no_data_note(data, strings))


def without_figure_note(data: ReportData, strings: UiStrings) -> str:
    """Names the States with no migrant stock figure (``without_figure``), or nothing when there are none."""
    names = state_names(data, strings)
    table = data.tables["migrants_affected"]
    stock = table.loc[table["measure"] == "migrant_stock", "without_figure"]
    codes = {code for text in stock if text for code in text.split(", ")}
    named = sorted((names.get(code, code) for code in codes), key=sort_key)
    return strings("chart.migrants_without_figure", states=", ".join(named)) if named else ""


@styled
def migrants_not_party(data: ReportData, strings: UiStrings) -> Figure:
    """Per instrument, the migrants (millions, mid-2020) living in States by status, the gap first.

    "Not party" is the gap of the gap tables (no act, signatory only, withdrawn): pending and unknown
    are drawn apart and never counted in it.
    """
    table = data.tables["migrants_affected"]
    stock = table[table["measure"] == "migrant_stock"].set_index("instrument").reindex(data.instrument_ids)
    rows = len(stock)
    bar_in = 0.2
    plot_height = max(rows, 1) * bar_in
    note = migrant_caption(data, strings, without_figure_note(data, strings))
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + plot_height + 0.55 + cap_in + 0.1
    figure = new_figure(height)
    left, right = 0.8, 1.8
    ax = axes_in_inches(figure, left, cap_in + 0.6, WIDTH_IN - left - right, plot_height)
    values = {status: (stock[status] / MILLION).tolist() for status in NOT_PARTY_ORDER}
    totals = stacked_status_bars(ax, values, strings)
    widest = max([t for t in totals if t == t] + [1e-9])
    no_data = set(data.no_data_instruments)
    for y, (instrument, row) in enumerate(stock.iterrows()):
        if instrument in no_data:
            text = strings("chart.no_source_bar")
        else:
            text = strings("chart.migrants_in_gap", value=millions(row[list(GAP_STATUSES)].sum(), strings))
        ax.text(totals[y] + widest * 0.01, y, text, va="center", ha="left", fontsize=6.5)
    ax.set_yticks(list(range(rows)), [instrument_labels(data, strings)[i] for i in stock.index])
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xlim(0, widest * 1.02)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(strings("chart.migrants_axis", year=STOCK_YEAR))
    add_status_legend(figure, strings, NOT_PARTY_ORDER, columnspacing=0.7)
    add_header(figure, strings("chart.migrants_not_party_title", year=STOCK_YEAR), migrant_subtitle(data, strings))
    add_caption(figure, note)
    return figure


def top_destination_rows(data: ReportData, n: int = TOP_DESTINATIONS_SHOWN) -> list[dict]:
    """The ``n`` States hosting the most migrants (``rank_by_stock``), largest first, from the run's table."""
    table = data.tables["top_destinations"]
    top = table[table["rank_by_stock"] <= n].sort_values(["rank_by_stock", "iso3"])
    return top.to_dict("records")


@styled
def migrants_top_destinations(data: ReportData, strings: UiStrings) -> Figure:
    """The 20 States hosting the most migrants (mid-2020) × the set's instruments, with each one's stock."""
    ids = data.instrument_ids
    top = top_destination_rows(data)
    names = state_names(data, strings)
    matrix = data.tables["matrix"].set_index("iso3")
    codes = [[UNKNOWN if s != s else s for s in matrix.loc[row["iso3"], ids]] for row in top]
    rows = len(top)
    row_in = 0.17
    plot_height = max(rows, 1) * row_in
    note = migrant_caption(data, strings)
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + 0.42 + plot_height + 0.5 + cap_in + 0.1
    figure = new_figure(height)
    left, bars_in = 1.75, 1.3
    grid_in = WIDTH_IN - left - bars_in - 0.55
    bottom = cap_in + 0.55
    ax = axes_in_inches(figure, left, bottom, grid_in, plot_height)
    if codes:
        draw_status_grid(
            ax,
            codes,
            [fitted_label(names.get(r["iso3"], r["iso3"]), left - 0.1) for r in top],
            [instrument_labels(data, strings)[i] for i in ids],
        )
    else:  # no State of the run has a migrant figure (a small group, a test snapshot)
        ax.set_axis_off()
        ax.text(0, 0.5, strings("chart.no_migrant_figures"), transform=ax.transAxes, va="center", fontsize=7)
    stock_ax = axes_in_inches(figure, left + grid_in + 0.15, bottom, bars_in, plot_height)
    stock = [r["migrant_stock"] / MILLION for r in top]
    stock_ax.barh(list(range(rows)), stock, height=0.7, color=OKABE_ITO["blue"])
    for y, r in enumerate(top):
        stock_ax.text(stock[y], y, " " + millions(r["migrant_stock"], strings), va="center", ha="left", fontsize=6)
    stock_ax.set_ylim(max(rows, 1) - 0.5, -0.5)
    stock_ax.set_xlim(0, max(stock + [1e-9]) * 1.45)
    stock_ax.set_yticks([])
    stock_ax.spines["left"].set_visible(False)
    stock_ax.set_xlabel(strings("chart.top_destinations_axis", year=STOCK_YEAR))
    title = strings("chart.top_destinations_title", n=rows, year=STOCK_YEAR)
    add_header(figure, title, migrant_subtitle(data, strings))
    add_status_legend(figure, strings)
    add_caption(figure, note)
    return figure


@styled
def migrants_origin_destination(data: ReportData, strings: UiStrings) -> Figure:
    """Per instrument, the share of mainly-origin and of mainly-destination States that are party.

    Shares are of the States eligible and with a known status; where none is (no source), the row
    is a hatched grey band that says so, never a bar at 0.
    """
    table = data.tables["origin_destination"].set_index("instrument").reindex(data.instrument_ids)
    rows = len(table)
    band_in = 0.25
    plot_height = max(rows, 1) * band_in
    without_role = int(table["states_without_role"].max()) if rows else 0
    note = migrant_caption(data, strings,
                           strings("chart.states_without_role", n=without_role) if without_role else "")  # fmt: skip
    cap_in = caption_height(note)
    height = HEADER_IN + 0.35 + plot_height + 0.55 + cap_in + 0.1
    figure = new_figure(height)
    left, right = 0.8, 0.3
    ax = axes_in_inches(figure, left, cap_in + 0.6, WIDTH_IN - left - right, plot_height)
    no_data = set(data.no_data_instruments)
    handles: list[BarContainer | Patch] = []
    for offset, role in ((-0.19, ORIGIN), (0.19, DESTINATION)):
        known = [(y, row) for y, (_, row) in enumerate(table.iterrows()) if not math.isnan(row[f"{role}_share_party"])]
        shares = [row[f"{role}_share_party"] * 100 for _, row in known]
        label = strings(f"chart.role_{role}", n=int(table[f"{role}_states"].max()) if rows else 0)
        handles.append(ax.barh([y + offset for y, _ in known], shares, height=0.36, color=ROLE_COLOURS[role],
                               label=label))  # fmt: skip
        for (y, row), share in zip(known, shares, strict=True):
            ax.text(share + 1, y + offset, strings("chart.party_of", party=int(row[f"{role}_party"]),
                                                   assessed=int(row[f"{role}_assessed"])),
                    va="center", ha="left", fontsize=5.5)  # fmt: skip
    for y, (instrument, row) in enumerate(table.iterrows()):
        if math.isnan(row[f"{ORIGIN}_share_party"]) and math.isnan(row[f"{DESTINATION}_share_party"]):
            ax.axhspan(y - 0.4, y + 0.4, xmax=100 / X_MAX, facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY,
                       hatch=UNKNOWN_HATCH, linewidth=0)  # fmt: skip
            text = strings("chart.no_source_bar") if instrument in no_data else strings("chart.no_data")
            ax.text(2, y, text, va="center", ha="left", fontsize=6.5,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
    from matplotlib.patches import Patch

    handles.append(Patch(facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH,
                         label=strings("chart.no_data")))  # fmt: skip
    ax.set_yticks(list(range(rows)), [instrument_labels(data, strings)[i] for i in table.index])
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xlim(0, X_MAX)
    ticks = [0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [percent(t / 100, strings) for t in ticks])
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(strings("chart.share_party_legend"))
    figure.legend(handles=handles, loc="upper left", ncols=len(handles), handlelength=1.2, columnspacing=1.2,
                  bbox_to_anchor=(0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.05) / height))  # fmt: skip
    add_header(figure, strings("chart.origin_destination_title"), migrant_subtitle(data, strings))
    add_caption(figure, note)
    return figure


# name of the chart file -> builder, in the order a run writes them
MIGRANT_CHARTS = {
    "migrants_not_party": migrants_not_party,
    "migrants_top_destinations": migrants_top_destinations,
    "migrants_origin_destination": migrants_origin_destination,
}


def build_migrant_charts(data: ReportData, strings: UiStrings) -> Iterator[tuple[str, Figure]]:
    """(name, figure) of the three migrant charts, one at a time so each can be saved and freed."""
    for name, build in MIGRANT_CHARTS.items():
        yield name, build(data, strings)
