"""Gap matrices: the overview (share party per region and sub-region) and one State × instrument grid per region."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rt2gaps.report.charts.base import (
    EDGE_GREY,
    HEADER_IN,
    STYLE,
    WIDTH_IN,
    add_caption,
    add_header,
    add_status_legend,
    axes_in_inches,
    caption,
    caption_height,
    cell_grid,
    draw_status_grid,
    fitted_label,
    hatch_runs,
    instrument_labels,
    label_cells,
    new_figure,
    no_data_note,
    percent,
    region_label,
    share_colours,
    sort_key,
    state_names,
    styled,
    subtitle,
    text_extents,
    text_width_in,
    unknown_runs,
)
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.status import UNKNOWN

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData

ROW_IN = 0.14  # one State row of a gap matrix


@styled
def gap_matrix_region(data: ReportData, region: str, strings: UiStrings) -> Figure:
    """Status of every State of one M49 region on every instrument of the set, grouped by sub-region."""
    matrix = data.tables["matrix"]
    ids = data.instrument_ids
    names = state_names(data, strings)
    block = matrix[matrix["region"] == region].copy()
    block["label"] = block["iso3"].map(names)
    block["order"] = block["label"].map(sort_key)
    block = block.sort_values(["subregion", "order"])
    codes = block[ids].fillna(UNKNOWN).values.tolist()
    rows = len(codes)
    plot_height = max(rows, 1) * ROW_IN
    top_labels_in = 0.42
    legend_in = 0.3
    note = caption(data, strings, no_data_note(data, strings))
    cap_in = caption_height(note)
    height = HEADER_IN + legend_in + top_labels_in + plot_height + cap_in + 0.1
    figure = new_figure(height)
    subregions = block["subregion"].tolist()
    band_names = {name: region_label(strings, name, "subregion") for name in subregions}
    # room on the right for the longest sub-region name ("Amérique latine et Caraïbes"), inside the figure
    left, right = 2.0, max([1.35] + [text_width_in(text, 7, "italic") + 0.3 for text in band_names.values()])
    ax = axes_in_inches(figure, left, cap_in + 0.1, WIDTH_IN - left - right, plot_height)
    draw_status_grid(
        ax,
        codes,
        [fitted_label(label, left - 0.1) for label in block["label"]],
        [instrument_labels(data, strings)[i] for i in ids],
    )
    # sub-region bands: a rule between them and the name on the right
    start = 0
    for position in range(1, rows + 1):
        if position == rows or subregions[position] != subregions[start]:
            if position < rows:
                ax.axhline(position - 0.5, color="black", linewidth=1.0)
            ax.text(len(ids) - 0.3, (start + position - 1) / 2, band_names[subregions[start]], va="center", ha="left",
                    fontsize=7, fontstyle="italic")  # fmt: skip
            start = position
    title = strings("chart.matrix_region_title", region=region_label(strings, region))
    add_header(figure, title, subtitle(data, strings, strings("chart.states_count", n=rows)))
    add_status_legend(figure, strings)
    add_caption(figure, note)
    return figure


@styled
def gap_matrix_overview(data: ReportData, strings: UiStrings) -> Figure:
    """Share of States party per M49 region and sub-region × instrument: the matrix in one page."""
    import math

    regions = data.tables["regions"]
    ids = data.instrument_ids
    ordered = []
    for region in regions.loc[regions["level"] == "region", "region"]:
        ordered.append(regions[(regions["level"] == "region") & (regions["region"] == region)].iloc[0])
        ordered.extend(
            r for _, r in regions[(regions["level"] == "subregion") & (regions["region"] == region)].iterrows()
        )
    values = [[float(row[i]) if row[i] == row[i] else math.nan for i in ids] for row in ordered]
    rows = len(values)
    row_in = 0.2
    plot_height = rows * row_in
    note = caption(data, strings, no_data_note(data, strings))  # how to read the cells: About sheet
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + 0.42 + plot_height + cap_in + 0.55
    figure = new_figure(height)
    left = 2.3
    ax = axes_in_inches(figure, left, cap_in + 0.55, WIDTH_IN - left - 0.3, plot_height)
    colours = share_colours().with_extremes(bad=STATUS_COLOURS[UNKNOWN])
    image = ax.imshow(values, cmap=colours, vmin=0, vmax=1, aspect="auto", interpolation="none")
    codes = [[UNKNOWN if v != v else "" for v in row] for row in values]
    hatch_runs(ax, unknown_runs(codes))
    cells = [(x, y, f"{value * 100:.0f}", "white" if value > 0.55 else "black")
             for y, row in enumerate(values) for x, value in enumerate(row) if value == value]  # fmt: skip
    draw_cell_numbers(ax, cells, fontsize=6)
    labels = []
    for row in ordered:
        if row["level"] == "region":
            labels.append(f"{region_label(strings, row['region'])} ({int(row['states'])})")
        else:
            labels.append(f"   {region_label(strings, row['subregion'], 'subregion')} ({int(row['states'])})")
    texts = label_cells(ax, labels, [instrument_labels(data, strings)[i] for i in ids])
    for text, row in zip(texts, ordered, strict=True):
        if row["level"] == "region":
            text.set_fontweight("bold")
    cell_grid(ax, rows, len(ids))
    bar_ax = axes_in_inches(figure, left, cap_in + 0.28, 2.6, 0.1)
    colourbar = figure.colorbar(image, cax=bar_ax, orientation="horizontal")
    colourbar.set_label(strings("chart.share_party_legend"), fontsize=7)
    colourbar.set_ticks([0, 0.25, 0.5, 0.75, 1], labels=[percent(v, strings) for v in (0, 0.25, 0.5, 0.75, 1)])
    from matplotlib.patches import Patch

    no_data = Patch(facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH,
                    label=strings("chart.no_data"))  # fmt: skip
    figure.legend(
        handles=[no_data], loc="lower left", bbox_to_anchor=((left + 2.9) / WIDTH_IN, (cap_in + 0.18) / height)
    )
    add_header(figure, strings("chart.matrix_overview_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure


@functools.lru_cache(maxsize=256)
def _centred_text_path(text: str, fontsize: float) -> Any:
    """The outline of a short text in points, centred on (0, 0), in the chart font (cached: few strings recur)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    path = TextPath((0, 0), text, size=fontsize, prop=FontProperties(family=STYLE["font.family"]))
    x0, y0, x1, y1 = text_extents(text, fontsize) or path.get_extents().extents  # the outline's box, found fast
    return path.transformed(_shift(-(x0 + x1) / 2, -(y0 + y1) / 2))


def _shift(dx: float, dy: float) -> Any:
    from matplotlib.transforms import Affine2D

    return Affine2D().translate(dx, dy)


def draw_cell_numbers(ax: Axes, cells: Sequence[tuple[float, float, str, str]], fontsize: float) -> None:
    """Short texts centred on data points ((x, y, text, colour) each), as one path collection per distinct text.

    Hundreds of ``Text`` artists cost about 1 ms each to lay out and draw, in PNG and again in SVG;
    the outlines of the few distinct numbers are built once and stamped (SVG: defined once, reused).
    """
    from matplotlib.collections import PathCollection
    from matplotlib.transforms import Affine2D

    points_to_pixels = Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans
    by_text: dict[str, list[tuple[float, float, str]]] = {}
    for x, y, text, colour in cells:
        by_text.setdefault(text, []).append((x, y, colour))
    for text in sorted(by_text, key=lambda t: (len(t), t)):
        placed = by_text[text]
        ax.add_collection(
            PathCollection([_centred_text_path(text, fontsize)], offsets=[(x, y) for x, y, _ in placed],
                           offset_transform=ax.transData, transform=points_to_pixels,
                           facecolors=[colour for _, _, colour in placed], edgecolors="none", linewidths=0),
            autolim=False,
        )  # fmt: skip
