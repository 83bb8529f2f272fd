"""The world map: each State's coverage of the set (the low end of its range), in five classes of the share-party
ramp; a State whose range reaches a higher class is outlined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rt2gaps.report.charts.base import (
    EDGE_GREY,
    HEADER_IN,
    WIDTH_IN,
    add_caption,
    add_header,
    axes_in_inches,
    caption,
    caption_height,
    new_figure,
    no_data_note,
    share_colours,
    sort_key,
    state_names,
    styled,
    subtitle,
)
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.status import UNKNOWN

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData

NOT_ASSESSED_GREY = "#E6E6E6"
RANGE_EDGE = "#000000"  # outline of a State whose coverage range spans more than one colour class
RANGE_LINEWIDTH = 0.6
LEGEND_IN = 0.45  # the legend band: its title, the five classes, then the range marker and the no-score keys
SHARE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SMALL_STATE_AREA = 2e-4  # projected units²: below about 0.5 mm × 0.5 mm on the page, a dot is drawn


@dataclass(frozen=True)
class MapCoverage:
    """What the map shows: a score per drawn M49 code, and the States it cannot draw."""

    scores: dict[str, float]  # m49 -> coverage_low (NaN when too little or nothing is known: no rank, no colour)
    missing: list[str]  # names of States with no shape in the file
    spanning: frozenset[str] = frozenset()  # m49 of States whose range reaches a higher class than its low end


def share_class(value: float) -> int:
    """The colour class of a share (0 = under 20 %, ..., 4 = 80 % to 100 %)."""
    from bisect import bisect_right

    return bisect_right(SHARE_BINS[1:-1], value)


def map_coverage(data: ReportData, strings: UiStrings) -> MapCoverage:
    """Coverage per State keyed by M49 code (the low end of its range), the States whose range spans more
    than one colour class, and the States the shape file lacks (named, not dropped).

    A State without a rank (under half of the set's weight known) gets no score: it is drawn as unknown.
    """
    from rt2gaps.report.worldmap import country_shapes

    shapes = country_shapes()
    names = state_names(data, strings)
    gaps = data.tables["country_gaps"].set_index("iso3")
    ranked = gaps["unranked"] == ""
    low, high = gaps["coverage_low"].where(ranked), gaps["coverage_high"].where(ranked)
    m49_of = dict(zip(data.states["iso3"], data.states["m49"].astype(str).str.zfill(3), strict=True))
    scores = {}
    spanning = set()
    missing = []
    for iso3, m49 in m49_of.items():
        if iso3 not in low.index:
            continue
        if m49 in shapes:
            scores[m49] = float(low[iso3])
            if ranked[iso3] and share_class(low[iso3]) != share_class(high[iso3]):
                spanning.add(m49)
        else:
            missing.append(names[iso3])
    return MapCoverage(scores, sorted(missing, key=sort_key), frozenset(spanning))


@styled
def world_map(data: ReportData, strings: UiStrings) -> Figure:
    """Choropleth of each State's coverage of the set (five classes of the share-party ramp)."""
    import math

    from matplotlib.collections import PatchCollection
    from matplotlib.colors import BoundaryNorm
    from matplotlib.patches import Patch, PathPatch

    from rt2gaps.report.worldmap import SHAPES_DATA, SHAPES_PACKAGE, country_path, country_shapes, world_outline

    shapes = country_shapes()
    found = map_coverage(data, strings)
    colours = share_colours()
    norm = BoundaryNorm(SHARE_BINS, colours.N)
    notes = []  # projection, dots and scores: About sheet
    if found.missing:
        notes.append(strings("chart.map_missing", states=", ".join(found.missing)))
    notes.append(strings("chart.shapes_source", shapes=SHAPES_DATA, package=SHAPES_PACKAGE))
    note = caption(data, strings, *notes, no_data_note(data, strings))
    cap_in = caption_height(note)
    map_height = 3.55
    height = HEADER_IN + LEGEND_IN + map_height + cap_in + 0.2
    figure = new_figure(height)
    ax = axes_in_inches(figure, 0.1, cap_in + 0.2, WIDTH_IN - 0.2, map_height)
    ax.set_axis_off()
    groups: dict[str, list[Any]] = {"scored": [], "unscored": [], "other": [], "spanning": []}
    scored_values = []
    dots_x, dots_y, dots_colour, dots_edge = [], [], [], []
    for m49 in sorted(shapes):
        shape = shapes[m49]
        patch = PathPatch(country_path(shape))
        score = found.scores.get(m49)
        if score is None:
            groups["other"].append(patch)
        elif math.isnan(score):
            groups["unscored"].append(patch)
        else:
            groups["scored"].append(patch)
            scored_values.append(score)
            if m49 in found.spanning:
                groups["spanning"].append(PathPatch(country_path(shape)))
            if shape.area < SMALL_STATE_AREA:
                x, y = shape.anchor
                dots_x.append(x)
                dots_y.append(y)
                dots_colour.append(colours(norm(score)))
                dots_edge.append(RANGE_LINEWIDTH if m49 in found.spanning else 0.3)
    outline = world_outline()
    ax.fill(outline[:, 0], outline[:, 1], color="#F4F8FB", linewidth=0.5, edgecolor="#999999", zorder=0)
    ax.add_collection(PatchCollection(groups["other"], facecolor=NOT_ASSESSED_GREY, edgecolor="white", linewidth=0.2))
    ax.add_collection(PatchCollection(groups["unscored"], facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY,
                                      hatch=UNKNOWN_HATCH, linewidth=0.2))  # fmt: skip
    scored = PatchCollection(groups["scored"], cmap=colours, norm=norm, edgecolor="white", linewidth=0.2)
    scored.set_array(scored_values)
    ax.add_collection(scored)
    ax.add_collection(PatchCollection(groups["spanning"], facecolor="none", edgecolor=RANGE_EDGE,
                                      linewidth=RANGE_LINEWIDTH))  # fmt: skip
    ax.scatter(dots_x, dots_y, s=7, c=dots_colour, edgecolors="black", linewidths=dots_edge, zorder=3)
    ax.set_xlim(outline[:, 0].min() - 0.02, outline[:, 0].max() + 0.02)
    ax.set_ylim(outline[:, 1].min() - 0.02, outline[:, 1].max() + 0.02)
    ax.set_aspect("equal")
    classes = [
        Patch(facecolor=colours(norm((low + high) / 2)), edgecolor=EDGE_GREY, linewidth=0.3,
              label=strings("chart.percent_range", low=f"{low * 100:.0f}", high=f"{high * 100:.0f}"))
        for low, high in zip(SHARE_BINS[:-1], SHARE_BINS[1:], strict=True)
    ]  # fmt: skip
    keys = [
        Patch(facecolor="white", edgecolor=RANGE_EDGE, linewidth=RANGE_LINEWIDTH,
              label=strings("chart.map_range_marker")),
        Patch(facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH,
              label=strings("chart.map_no_score")),
        Patch(facecolor=NOT_ASSESSED_GREY, edgecolor=EDGE_GREY, label=strings("chart.map_not_assessed")),
    ]  # fmt: skip
    top = 1 - (HEADER_IN - 0.1) / height
    figure.legend(handles=classes, loc="upper left", ncols=len(classes), handlelength=1.2, columnspacing=0.9,
                  title=strings("chart.map_legend"), title_fontsize=7, alignment="left",
                  bbox_to_anchor=(0.1 / WIDTH_IN, top))  # fmt: skip
    figure.legend(handles=keys, loc="upper left", ncols=len(keys), handlelength=1.2, columnspacing=0.9,
                  bbox_to_anchor=(0.1 / WIDTH_IN, top - 0.3 / height))  # fmt: skip
    add_header(figure, strings("chart.map_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure
