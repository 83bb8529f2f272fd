"""Charts of a run (matplotlib, Agg): gap matrices, coverage bars, timelines, world map, scorecards.

Every chart reads the tables of one ``ReportData`` (nothing is recomputed here except the timeline,
which asks the status engine about past dates), takes its labels from ``data/ui_strings.csv`` and
its colours from ``palette``, and carries a title, the set, the as-of date and a source caption.
Figures are ``matplotlib.figure.Figure`` objects built without pyplot (no global state, no screen),
with fixed fonts and sizes, so tests can inspect them and the files do not depend on the machine.
matplotlib is imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

import functools
import textwrap
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rt2gaps.errors import Rt2gapsError
from rt2gaps.gaps import GCM_ADOPTION
from rt2gaps.report.i18n import UiStrings
from rt2gaps.report.palette import OKABE_ITO, STATUS_COLOURS, UNKNOWN_HATCH, WHITE_TEXT_STATUSES
from rt2gaps.status import (
    CONSENT_GIVEN,
    NONE,
    PARTY,
    PENDING,
    SIGNATORY,
    STATUSES,
    UNKNOWN,
    WITHDRAWN,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from rt2gaps.catalogue import Instrument
    from rt2gaps.report.tables import ReportData
    from rt2gaps.snapshot.store import Snapshot

CHART_FORMATS = ("png", "svg")
PNG_DPI = 150
PNG_COMPRESS_LEVEL = 1  # zlib level 1: files about 10 % bigger, encoding twice as fast as the default 6
WIDTH_IN = 7.5  # A4 is 8.27 in wide: the charts print at 100 % with margins, text at 6.5 pt or more
ROW_IN = 0.14  # one State row of a gap matrix
HEADER_IN = 0.62  # title and subtitle band
CAPTION_LINE_IN = 0.105  # one line of the 6.5 pt source caption
CAPTION_WIDTH_CHARS = 150
MAX_LABEL_CHARS = 30
EDGE_GREY = "#777777"
NOT_ASSESSED_GREY = "#E6E6E6"
# A single-hue ramp ending on the "party" colour: shares and coverage read as "how much is party".
SHARE_RAMP = ("#EDF8F3", OKABE_ITO["bluish_green"], "#00402E")
SHARE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
BAR_STATUSES = (PARTY, PENDING, SIGNATORY, WITHDRAWN, NONE, UNKNOWN)
# Fixed style: the bundled DejaVu Sans (same on every machine), fixed sizes, text kept as text in
# SVG (searchable, small, fast), deterministic SVG ids, no screen backend.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.titlesize": 8,
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": PNG_DPI,
    "svg.fonttype": "none",
    "svg.hashsalt": "rt2gaps",
    "hatch.linewidth": 0.6,
    "path.simplify": True,
    "image.interpolation": "nearest",
    # Unhinted glyphs: at 150 dpi they look the same, and text (the largest part of a chart's drawing
    # time) lays out and renders faster: all charts' PNG + SVG about 4.3 -> 3.6 s CPU (best of 5).
    "text.hinting": "no_hinting",
}


@contextmanager
def chart_style() -> Iterator[None]:
    """The fixed look of every chart (fonts, sizes, SVG options), restored afterwards."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        yield


F = TypeVar("F", bound=Callable[..., Any])


def styled(function: F) -> F:
    """Build the chart under ``chart_style`` (text sizes are fixed when an artist is created)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with chart_style():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_figure(height_in: float, width_in: float = WIDTH_IN) -> Figure:
    """A Figure on the Agg canvas, without pyplot: nothing global, nothing on a screen."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    return figure


def axes_in_inches(figure: Figure, left: float, bottom: float, width: float, height: float) -> Axes:
    """Axes placed in inches from the bottom-left corner: layouts stay fixed whatever the content."""
    fig_width, fig_height = figure.get_size_inches()
    return figure.add_axes((left / fig_width, bottom / fig_height, width / fig_width, height / fig_height))


# --- shared text --------------------------------------------------------------------------------


def sources_text(data: ReportData, strings: UiStrings) -> str:
    """The sources of the set's instruments with their as-of dates, one phrase each."""
    items = [strings("chart.source_item", name=source_label(source, strings), as_of=source.get("as_of", ""))
             for source in data.sources]  # fmt: skip
    return "; ".join(dict.fromkeys(items)) or strings("chart.no_sources")


def source_label(source: dict[str, str], strings: UiStrings) -> str:
    """A manifest source's short name in the output language (its origin text when not listed)."""
    key = f"source_format.{source.get('format', '')}"
    return strings(key) if strings.has(key) else source.get("origin", source.get("source_key", ""))


def caption(data: ReportData, strings: UiStrings, *notes: str) -> str:
    """The caption under every chart, wrapped: sources and their dates, then the chart's own notes."""
    parts = [strings("chart.source", sources=sources_text(data, strings))]
    parts.extend(note for note in notes if note)
    parts.append(strings("chart.unknown_note"))
    return "\n".join(textwrap.wrap(" ".join(parts), CAPTION_WIDTH_CHARS))


def caption_height(text: str) -> float:
    """Inches the wrapped caption needs at the bottom of the figure."""
    return 0.16 + CAPTION_LINE_IN * (text.count("\n") + 1)


def subtitle(data: ReportData, strings: UiStrings, extra: str = "") -> str:
    text = strings("chart.subtitle", set=data.recommended_set.name, as_of=data.on.isoformat())
    if data.group is not None:  # a group's charts must not pass for the whole world's
        text = f"{text} · {strings('chart.group', group=data.group.name)}"
    return f"{text} · {extra}" if extra else text


def add_header(figure: Figure, title: str, sub: str) -> tuple[Any, Any]:
    """Title and subtitle in the top band, left-aligned, at fixed sizes; returns the two texts."""
    height = figure.get_size_inches()[1]
    return (
        figure.text(0.1 / WIDTH_IN, 1 - 0.12 / height, title, fontsize=10.5, fontweight="bold", va="top", ha="left"),
        figure.text(0.1 / WIDTH_IN, 1 - 0.36 / height, sub, fontsize=7.5, va="top", ha="left", color="#333333"),
    )


def add_caption(figure: Figure, text: str) -> None:
    """The source caption in the bottom band, wrapped to the page width."""
    height = figure.get_size_inches()[1]
    figure.text(0.1 / WIDTH_IN, 0.06 / height, text, fontsize=6.5, va="bottom", ha="left", color="#333333")


def status_handles(strings: UiStrings, statuses: Sequence[str] = STATUSES) -> list[Any]:
    """Legend patches for statuses, in palette colours; unknown hatched grey, never like none."""
    from matplotlib.patches import Patch

    return [
        Patch(
            facecolor=STATUS_COLOURS[s],
            edgecolor=EDGE_GREY,
            linewidth=0.5,
            hatch=UNKNOWN_HATCH if s == UNKNOWN else None,
            label=strings.status(s),
        )
        for s in statuses
    ]


def state_names(data: ReportData, strings: UiStrings) -> dict[str, str]:
    """ISO3 -> the State's name in the output language (French names from pycountry's catalogue)."""
    column = "name_fr" if strings.lang == "fr" and "name_fr" in data.states else "name_en"
    return dict(zip(data.states["iso3"], data.states[column], strict=True))


def short_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sort_key(text: str) -> str:
    """Alphabetical order that ignores accents ("États-Unis" between "Espagne" and "Éthiopie")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def region_label(strings: UiStrings, region: str, level: str = "region") -> str:
    """An M49 region or sub-region name in the output language (the English name when not listed)."""
    key = f"{level}.{region}"
    return strings(key) if strings.has(key) else region


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in sort_key(text)).strip("-")


# --- gap matrix ---------------------------------------------------------------------------------


def _cell_grid(ax: Axes, rows: int, columns: int) -> None:
    """White rules between cells: two line collections instead of a minor tick per line."""
    if rows > 1:
        ax.hlines([y - 0.5 for y in range(1, rows)], -0.5, columns - 0.5, colors="white", linewidth=0.6)
    if columns > 1:
        ax.vlines([x - 0.5 for x in range(1, columns)], -0.5, rows - 0.5, colors="white", linewidth=0.6)


def _label_cells(ax: Axes, row_labels: Sequence[str], column_labels: Sequence[str]) -> list[Any]:
    """Row names on the left, column names on top, as plain texts (ticks cost ~1 ms each to build).

    Returns the row label texts so that callers can style some of them.
    """
    ax.set_xticks([])
    ax.set_yticks([])
    left = ax.get_yaxis_transform()  # x in axes fraction, y in data
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    rows = [ax.text(-0.008, y, label, transform=left, ha="right", va="center", fontsize=7)
            for y, label in enumerate(row_labels)]  # fmt: skip
    for x, label in enumerate(column_labels):
        ax.text(x, 1.008, label, transform=top, ha="center", va="bottom", rotation=90, fontsize=7)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return rows


def _unknown_runs(codes: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, length) of every vertical run of unknown cells: one hatch patch per run."""
    runs = []
    for column in range(len(codes[0]) if codes else 0):
        start = None
        for row in range(len(codes) + 1):
            is_unknown = row < len(codes) and codes[row][column] == UNKNOWN
            if is_unknown and start is None:
                start = row
            elif not is_unknown and start is not None:
                runs.append((column, start, row - start))
                start = None
    return runs


def _hatch_runs(ax: Axes, runs: list[tuple[int, int, int]]) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    if not runs:
        return
    rectangles = [Rectangle((column - 0.5, row - 0.5), 1, length) for column, row, length in runs]
    ax.add_collection(
        PatchCollection(rectangles, facecolor="none", edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH, linewidth=0)
    )


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
    left, right = 2.0, 1.35
    ax = axes_in_inches(figure, left, cap_in + 0.1, WIDTH_IN - left - right, plot_height)
    draw_status_grid(ax, codes, [short_label(label) for label in block["label"]], ids)
    # sub-region bands: a rule between them and the name on the right
    subregions = block["subregion"].tolist()
    start = 0
    for position in range(1, rows + 1):
        if position == rows or subregions[position] != subregions[start]:
            if position < rows:
                ax.axhline(position - 0.5, color="black", linewidth=1.0)
            ax.text(len(ids) - 0.3, (start + position - 1) / 2, region_label(strings, subregions[start], "subregion"),
                    va="center", ha="left", fontsize=7, fontstyle="italic")  # fmt: skip
            start = position
    title = strings("chart.matrix_region_title", region=region_label(strings, region))
    add_header(figure, title, subtitle(data, strings, strings("chart.states_count", n=rows)))
    add_status_legend(figure, strings)
    add_caption(figure, note)
    return figure


def draw_status_grid(
    ax: Axes, codes: list[list[str]], row_labels: Sequence[str], column_labels: Sequence[str]
) -> list[Any]:
    """A State × instrument grid of status colours (unknown hatched), labelled and ruled; returns the row labels.

    Shared by the region matrices and the migrant charts, so a status looks the same in every chart.
    """
    from matplotlib.colors import ListedColormap

    index = {s: n for n, s in enumerate(STATUSES)}
    grid = [[index[c] for c in row] for row in codes]
    colours = ListedColormap([STATUS_COLOURS[s] for s in STATUSES])
    ax.imshow(grid, cmap=colours, vmin=-0.5, vmax=len(STATUSES) - 0.5, aspect="auto", interpolation="none")
    _hatch_runs(ax, _unknown_runs(codes))
    texts = _label_cells(ax, row_labels, column_labels)
    _cell_grid(ax, len(codes), len(column_labels))
    ax.set_xlim(-0.5, len(column_labels) - 0.5)
    ax.set_ylim(len(codes) - 0.5, -0.5)
    return texts


def add_status_legend(figure: Figure, strings: UiStrings, statuses: Sequence[str] = STATUSES, **options: Any) -> None:
    """The status legend in one row under the header band."""
    height = figure.get_size_inches()[1]
    settings = {"loc": "upper left", "ncols": len(statuses), "handlelength": 1.2, "columnspacing": 0.9,
                "bbox_to_anchor": (0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.05) / height), **options}  # fmt: skip
    figure.legend(handles=status_handles(strings, statuses), **settings)


def no_data_note(data: ReportData, strings: UiStrings) -> str:
    if not data.no_data_instruments:
        return ""
    return strings("chart.no_data_instruments", instruments=", ".join(data.no_data_instruments))


def share_colours() -> Any:
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("share_party", list(SHARE_RAMP))


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
    note = caption(data, strings, strings("chart.share_note"), no_data_note(data, strings))
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + 0.42 + plot_height + cap_in + 0.55
    figure = new_figure(height)
    left = 2.3
    ax = axes_in_inches(figure, left, cap_in + 0.55, WIDTH_IN - left - 0.3, plot_height)
    colours = share_colours().with_extremes(bad=STATUS_COLOURS[UNKNOWN])
    image = ax.imshow(values, cmap=colours, vmin=0, vmax=1, aspect="auto", interpolation="none")
    codes = [[UNKNOWN if v != v else "" for v in row] for row in values]
    _hatch_runs(ax, _unknown_runs(codes))
    cells = [(x, y, f"{value * 100:.0f}", "white" if value > 0.55 else "black")
             for y, row in enumerate(values) for x, value in enumerate(row) if value == value]  # fmt: skip
    draw_cell_numbers(ax, cells, fontsize=6)
    labels = []
    for row in ordered:
        if row["level"] == "region":
            labels.append(f"{region_label(strings, row['region'])} ({int(row['states'])})")
        else:
            labels.append(f"   {region_label(strings, row['subregion'], 'subregion')} ({int(row['states'])})")
    texts = _label_cells(ax, labels, ids)
    for text, row in zip(texts, ordered, strict=True):
        if row["level"] == "region":
            text.set_fontweight("bold")
    _cell_grid(ax, rows, len(ids))
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
    box = path.get_extents()
    return path.transformed(_shift(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2))


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


def percent(value: float, strings: UiStrings) -> str:
    return strings("chart.percent", value=f"{value * 100:.0f}")


# --- coverage bars ------------------------------------------------------------------------------


@styled
def coverage_bars(data: ReportData, strings: UiStrings) -> Figure:
    """Per instrument: States party, pending, signatory only, withdrawn, none, unknown; UN and ILO apart."""
    coverage = data.tables["instrument_coverage"]
    groups = [(body, coverage[coverage["body"] == body]) for body in ("UN", "ILO")]
    groups = [(body, frame.sort_values(["party", "pending", "instrument"], ascending=[False, False, True]))
              for body, frame in groups if len(frame)]  # fmt: skip
    bar_in = 0.2
    gap_in = 0.35
    plot_height = sum(len(frame) * bar_in + gap_in for _, frame in groups)
    note = caption(data, strings, strings("chart.coverage_note"), stale_note(data, strings))
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + plot_height + 0.35 + cap_in + 0.1
    figure = new_figure(height)
    left, right = 1.0, 0.6
    bottom = cap_in + 0.45
    widest = max(int(coverage[list(BAR_STATUSES)].sum(axis=1).max()), 1)
    y_top = bottom + plot_height
    axes = []
    for body, frame in groups:
        panel_height = len(frame) * bar_in
        ax = axes_in_inches(figure, left, y_top - gap_in - panel_height + 0.1, WIDTH_IN - left - right, panel_height)
        y_top -= panel_height + gap_in
        axes.append(ax)
        positions = list(range(len(frame)))
        totals = stacked_status_bars(ax, {status: frame[status].astype(float).tolist() for status in BAR_STATUSES},
                                     strings)  # fmt: skip
        for y, (total, row) in enumerate(zip(totals, frame.itertuples(), strict=True)):
            text = (
                strings("chart.no_source_bar")
                if row.no_data
                else strings("chart.party_of", party=row.party, assessed=row.assessed)
            )
            ax.text(total + widest * 0.01, y, text, va="center", ha="left", fontsize=6.5)
        ax.set_yticks(positions, frame["instrument"].tolist())
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlim(0, widest * 1.13)
        ax.set_title(strings("chart.body_group", body=strings(f"body.{body}")), loc="left", fontsize=8,
                     fontweight="bold")  # fmt: skip
        ax.tick_params(axis="y", length=0)
    axes[-1].set_xlabel(strings("chart.states_axis"))
    for ax in axes[:-1]:
        ax.set_xticklabels([])
    add_status_legend(figure, strings, BAR_STATUSES, columnspacing=2.0)
    add_header(figure, strings("chart.coverage_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure


def stacked_status_bars(ax: Axes, values: dict[str, list[float]], strings: UiStrings) -> list[float]:
    """Horizontal bars stacked by status in palette colours (unknown hatched), one row per position.

    ``values`` maps each status, in stacking order, to one length per row (NaN draws nothing). Returns
    where each row ends.
    """
    lengths = [[0.0 if v != v else v for v in column] for column in values.values()]
    starts = [0.0] * (len(lengths[0]) if lengths else 0)
    positions = list(range(len(starts)))
    for status, widths in zip(values, lengths, strict=True):
        ax.barh(positions, widths, left=starts, height=0.72, color=STATUS_COLOURS[status], edgecolor=EDGE_GREY,
                linewidth=0.3, hatch=UNKNOWN_HATCH if status == UNKNOWN else None,
                label=strings.status(status))  # fmt: skip
        starts = [s + w for s, w in zip(starts, widths, strict=True)]
    return starts


def stale_note(data: ReportData, strings: UiStrings) -> str:
    if not data.stale_instruments:
        return ""
    return strings("chart.stale_instruments", instruments=", ".join(data.stale_instruments))


# --- timelines ----------------------------------------------------------------------------------


def _change_dates(
    events: list[Any], instrument: Instrument, source_as_of: date, retrieved_by: date | None
) -> set[date]:
    """Every date on which the status engine's answer for this pair can change (acts and entry into force)."""
    from rt2gaps.entry_into_force import entry_into_force
    from rt2gaps.snapshot.schema import CONSENT_ACTS
    from rt2gaps.status import dated_acts

    dates: set[date] = set()
    for act in dated_acts(events, instrument, source_as_of, retrieved_by):
        dates.update((act.earliest, act.latest))
        if act.act in CONSENT_ACTS:
            for when in (act.earliest, act.latest):
                dates.add(entry_into_force(when, instrument.eif_rule, instrument.entry_into_force_date))
    return dates


def sample_dates(instrument: Instrument, on: date) -> list[date]:
    """The instrument's adoption, 31 December of every year since, and the as-of date."""
    start = instrument.adoption_date
    dates = [start] + [date(year, 12, 31) for year in range(start.year, on.year) if date(year, 12, 31) > start]
    return [d for d in dates if d < on] + [on]


def parties_over_time(
    snapshot: Snapshot,
    instruments: list[Instrument],
    on: date,
    universe: str = "all",
    exhaustive: bool = False,
    only: set[str] | None = None,
) -> pd.DataFrame:
    """States party (and with consent given, and unknown) per instrument on each date of ``sample_dates``.

    Every status comes from the status engine (``pair_status``). To stay fast it is asked only on
    the sample dates where a pair's answer can have changed since the previous one (an act or an
    entry into force fell in between); ``exhaustive=True`` asks on every date (tests compare both).
    Instruments with no source are left out: their count is unknown, not zero. ``only``: just these
    States of the universe (ISO3 codes; a run's --group).
    """
    import pandas as pd

    from rt2gaps.status import pair_status, universe_states

    states = [s for s in universe_states(snapshot, universe) if only is None or s["iso3"] in only]
    rows = []
    for instrument in instruments:
        source_as_of = snapshot.source_as_of(instrument.id)
        if source_as_of is None:
            continue
        retrieved_by = snapshot.retrieved_by(instrument.id)
        dates = sample_dates(instrument, on)
        # difference arrays: +1 where a pair enters a status at a sample date, -1 where it leaves
        steps = {status: [0] * (len(dates) + 1) for status in STATUSES}
        for state in states:
            eligible = instrument.body != "ILO" or state["ilo_member"] == "true"
            events = snapshot.events_by_pair.get((state["iso3"], instrument.id), [])
            if exhaustive:
                starts = list(range(len(dates)))
            else:
                changes = _change_dates(events, instrument, source_as_of, retrieved_by) if eligible else set()
                starts = sorted({0} | {bisect_left(dates, c) for c in changes} - {len(dates)})
            for position, start in enumerate(starts):
                end = starts[position + 1] if position + 1 < len(starts) else len(dates)
                found = pair_status(state["iso3"], instrument, events, dates[start], eligible=eligible,
                                    source_as_of=source_as_of, retrieved_by=retrieved_by).status  # fmt: skip
                steps[found][start] += 1
                steps[found][end] -= 1
        counts = {status: list(accumulate(steps[status][:-1])) for status in STATUSES}
        for position, when in enumerate(dates):
            row = {"instrument": instrument.id, "date": when, "year": when.year}
            row.update({status: counts[status][position] for status in STATUSES})
            row["consent_given"] = sum(counts[s][position] for s in CONSENT_GIVEN)
            rows.append(row)
    columns = ["instrument", "date", "year", *STATUSES, "consent_given"]
    return pd.DataFrame(rows, columns=columns)


def decimal_year(day: date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


@styled
def timelines(data: ReportData, timeline: pd.DataFrame, strings: UiStrings) -> Figure:
    """Cumulative States party per instrument since its adoption, one band each, the GCM's adoption marked.

    One axes with a band per instrument (a shared time axis, cheaper than one axes each): each band
    runs from no State (its base) to every eligible State (its faint ceiling).
    """
    from matplotlib.lines import Line2D

    drawn = set(timeline["instrument"])
    ids = [i for i in data.instrument_ids if i in drawn]
    not_drawn = [i for i in data.instrument_ids if i not in drawn]
    notes = [strings("chart.timeline_bands"), strings("chart.timeline_note")]
    if not_drawn:
        notes.append(strings("chart.timeline_not_drawn", instruments=", ".join(not_drawn)))
    notes.append(stale_note(data, strings))
    note = caption(data, strings, *notes)
    cap_in = caption_height(note)
    band_in = 0.42
    plot_height = max(len(ids), 1) * band_in
    height = HEADER_IN + 0.3 + 0.15 + plot_height + 0.35 + cap_in + 0.15
    figure = new_figure(height)
    left, right = 0.75, 0.85
    ax = axes_in_inches(figure, left, cap_in + 0.5, WIDTH_IN - left - right, plot_height)
    party_colour = STATUS_COLOURS[PARTY]
    consent_colour = OKABE_ITO["blue"]
    gcm_colour = OKABE_ITO["orange"]
    coverage = data.tables["instrument_coverage"].set_index("instrument")
    adoption = {i.id: i.adoption_date for i in data.instruments}
    start = min((decimal_year(adoption[i]) for i in ids), default=decimal_year(data.on) - 1)
    end = decimal_year(data.on)
    fill = 0.78  # share of a band's height between its base and its ceiling
    for n, instrument_id in enumerate(ids):
        base = len(ids) - 1 - n
        frame = timeline[timeline["instrument"] == instrument_id]
        eligible = max(int(coverage.loc[instrument_id, "eligible"]), 1)
        x = [decimal_year(d) for d in frame["date"]]
        scale = fill / eligible
        ax.plot([x[0], end], [base + fill, base + fill], color="#CCCCCC", linewidth=0.5)
        ax.plot([x[0], end], [base, base], color="#999999", linewidth=0.5)
        ax.step(x, [base + v * scale for v in frame["consent_given"]], where="post", color=consent_colour,
                linewidth=0.8, linestyle="--")  # fmt: skip
        ax.step(x, [base + v * scale for v in frame[PARTY]], where="post", color=party_colour, linewidth=1.4)
        ax.text(-0.01, base + fill / 2, instrument_id, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontsize=7, fontweight="bold")  # fmt: skip
        last = frame.iloc[-1]
        ax.text(1.01, base + fill / 2, strings("chart.party_of", party=int(last[PARTY]), assessed=eligible),
                transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=6.5)  # fmt: skip
    gcm = decimal_year(GCM_ADOPTION)
    if start <= gcm <= end:
        ax.axvline(gcm, color=gcm_colour, linewidth=1.0)
    ax.set_xlim(start, end)
    ax.set_ylim(-0.1, max(len(ids), 1))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.5)
    ax.set_axisbelow(True)
    handles = [
        Line2D([], [], color=party_colour, linewidth=1.4, label=strings("chart.timeline_party")),
        Line2D([], [], color=consent_colour, linewidth=0.8, linestyle="--", label=strings("chart.timeline_consent")),
        Line2D([], [], color=gcm_colour, linewidth=1.0, label=strings("chart.gcm")),
    ]
    figure.legend(handles=handles, loc="upper left", ncols=3,
                  bbox_to_anchor=(0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.05) / height))  # fmt: skip
    add_header(figure, strings("chart.timeline_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure


# --- world map ----------------------------------------------------------------------------------

SMALL_STATE_AREA = 2e-4  # projected units²: below about 0.5 mm × 0.5 mm on the page, a dot is drawn


@dataclass(frozen=True)
class MapCoverage:
    """What the map shows: a score per drawn M49 code, and the States it cannot draw."""

    scores: dict[str, float]  # m49 -> coverage (NaN when nothing is known)
    missing: list[str]  # names of States with no shape in the file


def map_coverage(data: ReportData, strings: UiStrings) -> MapCoverage:
    """Coverage per State keyed by M49 code, and the States the shape file lacks (named, not dropped)."""
    from rt2gaps.report.worldmap import country_shapes

    shapes = country_shapes()
    names = state_names(data, strings)
    country = data.tables["country_gaps"].set_index("iso3")["coverage"]
    m49_of = dict(zip(data.states["iso3"], data.states["m49"].astype(str).str.zfill(3), strict=True))
    scores = {}
    missing = []
    for iso3, m49 in m49_of.items():
        if iso3 not in country.index:
            continue
        if m49 in shapes:
            scores[m49] = float(country[iso3])
        else:
            missing.append(names[iso3])
    return MapCoverage(scores, sorted(missing, key=sort_key))


@styled
def world_map(data: ReportData, strings: UiStrings) -> Figure:
    """Choropleth of each State's coverage of the set (five classes of the share-party ramp)."""
    import math

    from matplotlib.collections import PatchCollection
    from matplotlib.colors import BoundaryNorm
    from matplotlib.patches import Patch, PathPatch

    from rt2gaps.report.worldmap import SHAPES_ORIGIN, country_path, country_shapes, world_outline

    shapes = country_shapes()
    found = map_coverage(data, strings)
    colours = share_colours()
    norm = BoundaryNorm(SHARE_BINS, colours.N)
    notes = [strings("chart.map_note")]
    if found.missing:
        notes.append(strings("chart.map_missing", states=", ".join(found.missing)))
    notes.append(strings("chart.shapes_source", origin=SHAPES_ORIGIN))
    note = caption(data, strings, *notes, no_data_note(data, strings))
    cap_in = caption_height(note)
    map_height = 3.55
    height = HEADER_IN + 0.3 + map_height + cap_in + 0.2
    figure = new_figure(height)
    ax = axes_in_inches(figure, 0.1, cap_in + 0.2, WIDTH_IN - 0.2, map_height)
    ax.set_axis_off()
    groups: dict[str, list[Any]] = {"scored": [], "unscored": [], "other": []}
    scored_values = []
    dots_x, dots_y, dots_colour = [], [], []
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
            if shape.area < SMALL_STATE_AREA:
                x, y = shape.anchor
                dots_x.append(x)
                dots_y.append(y)
                dots_colour.append(colours(norm(score)))
    outline = world_outline()
    ax.fill(outline[:, 0], outline[:, 1], color="#F4F8FB", linewidth=0.5, edgecolor="#999999", zorder=0)
    ax.add_collection(PatchCollection(groups["other"], facecolor=NOT_ASSESSED_GREY, edgecolor="white", linewidth=0.2))
    ax.add_collection(PatchCollection(groups["unscored"], facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY,
                                      hatch=UNKNOWN_HATCH, linewidth=0.2))  # fmt: skip
    scored = PatchCollection(groups["scored"], cmap=colours, norm=norm, edgecolor="white", linewidth=0.2)
    scored.set_array(scored_values)
    ax.add_collection(scored)
    ax.scatter(dots_x, dots_y, s=7, c=dots_colour, edgecolors="black", linewidths=0.3, zorder=3)
    ax.set_xlim(outline[:, 0].min() - 0.02, outline[:, 0].max() + 0.02)
    ax.set_ylim(outline[:, 1].min() - 0.02, outline[:, 1].max() + 0.02)
    ax.set_aspect("equal")
    handles = [
        Patch(facecolor=colours(norm((low + high) / 2)), edgecolor=EDGE_GREY, linewidth=0.3,
              label=strings("chart.percent_range", low=f"{low * 100:.0f}", high=f"{high * 100:.0f}"))
        for low, high in zip(SHARE_BINS[:-1], SHARE_BINS[1:], strict=True)
    ]  # fmt: skip
    handles.append(Patch(facecolor=STATUS_COLOURS[UNKNOWN], edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH,
                         label=strings("chart.map_no_score")))  # fmt: skip
    handles.append(Patch(facecolor=NOT_ASSESSED_GREY, edgecolor=EDGE_GREY, label=strings("chart.map_not_assessed")))
    figure.legend(handles=handles, loc="upper left", ncols=len(handles), handlelength=1.2, columnspacing=0.9,
                  title=strings("chart.map_legend"), title_fontsize=7, alignment="left",
                  bbox_to_anchor=(0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.1) / height))  # fmt: skip
    add_header(figure, strings("chart.map_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure


# --- country scorecard --------------------------------------------------------------------------

SCORECARD_COLUMNS = (
    ("instrument", 0.0),
    ("status", 0.7),
    ("signature_date", 1.95),
    ("consent", 2.9),
    ("in_force_date", 4.55),
    ("source_as_of", 6.05),
)  # x of each column, inches from the table's left edge


def consent_text(row: dict[str, str], strings: UiStrings) -> str:
    """'ratification 1995-07-05' in the output language, or '' when no consent is recorded."""
    if not row.get("consent_date"):
        return ""
    act = row.get("consent_type", "")
    label = strings(f"act.{act}") if act and strings.has(f"act.{act}") else act
    return f"{label} {row['consent_date']}".strip()


SCORECARD_VALUE_COLUMNS = ("status", "signature_date", "consent", "in_force_date", "source_as_of")


class Scorecard:
    """The scorecard figure of a run: the parts every State shares are built once, ``fill`` sets one State.

    Shared: legend, column headers, instrument column, caption. Per State: title, subtitle, each
    row's status cell and dates. ``animated=True`` keeps the per-State artists out of a normal draw,
    so ``ScorecardRenderer`` can draw the shared parts once and only the State's own cells after.
    """

    def __init__(self, data: ReportData, strings: UiStrings, *, animated: bool = False) -> None:
        from matplotlib.patches import Rectangle

        self.data = data
        self.strings = strings
        self.names = state_names(data, strings)
        ids = data.instrument_ids
        row_in = 0.2
        note = caption(data, strings, strings("chart.scorecard_note"), no_data_note(data, strings))
        cap_in = caption_height(note)
        height = HEADER_IN + 0.3 + row_in * (len(ids) + 1) + cap_in + 0.1
        self.figure = figure = new_figure(height)
        ax = axes_in_inches(figure, 0.15, cap_in + 0.1, WIDTH_IN - 0.3, row_in * (len(ids) + 1))
        ax.set_axis_off()
        ax.set_xlim(0, WIDTH_IN - 0.3)
        ax.set_ylim(len(ids) + 0.5, -0.6)
        headers = {
            "instrument": strings("col.instrument"),
            "status": strings("col.status"),
            "signature_date": strings("col.signature_date"),
            "consent": strings("chart.scorecard_consent"),
            "in_force_date": strings("chart.scorecard_in_force"),
            "source_as_of": strings("col.source_as_of"),
        }
        x_of = dict(SCORECARD_COLUMNS)
        for name, x in SCORECARD_COLUMNS:
            ax.text(x, -0.1, headers[name], fontweight="bold", va="center", ha="left", fontsize=7)
        ax.axhline(0.45, color="#999999", linewidth=0.5)
        self.cells: list[Any] = []
        self.texts: list[dict[str, Any]] = []
        for y, instrument_id in enumerate(ids, start=1):
            ax.text(0, y, instrument_id, va="center_baseline", ha="left", fontsize=7, fontweight="bold")
            cell = Rectangle((0.67, y - 0.4), 1.15, 0.8, edgecolor=EDGE_GREY, linewidth=0.3, animated=animated)
            self.cells.append(ax.add_patch(cell))
            self.texts.append({
                name: ax.text(x_of[name] + (0.05 if name == "status" else 0), y, "", va="center_baseline", ha="left",
                              fontsize=7, fontweight="bold" if name == "status" else "normal", animated=animated)
                for name in SCORECARD_VALUE_COLUMNS
            })  # fmt: skip
        self.title, self.subtitle = add_header(figure, "", "")
        self.title.set_animated(animated)
        self.subtitle.set_animated(animated)
        figure.legend(handles=status_handles(strings), loc="upper left", ncols=len(STATUSES), handlelength=1.2,
                      columnspacing=0.9, bbox_to_anchor=(0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.05) / height))  # fmt: skip
        add_caption(figure, note)

    @property
    def state_artists(self) -> list[Any]:
        """Everything ``fill`` changes, in drawing order."""
        return [self.title, self.subtitle, *self.cells, *(t for row in self.texts for t in row.values())]

    def fill(self, iso3: str, rows: list[dict[str, str]]) -> Figure:
        """Show one State: ``rows`` are its status rows, one per instrument in set order."""
        strings = self.strings
        by_id = {row["instrument"]: row for row in rows}
        self.title.set_text(strings("chart.scorecard_title", state=self.names.get(iso3, iso3)))
        self.subtitle.set_text(subtitle(self.data, strings, iso3))
        for instrument_id, cell, texts in zip(self.data.instrument_ids, self.cells, self.texts, strict=True):
            row = by_id.get(instrument_id, {"status": UNKNOWN})
            state_status = row["status"]
            cell.set_facecolor(STATUS_COLOURS[state_status])
            cell.set_hatch(UNKNOWN_HATCH if state_status == UNKNOWN else None)
            values = {
                "status": strings.status(state_status),
                "signature_date": row.get("signature_date", ""),
                "consent": consent_text(row, strings),
                "in_force_date": row.get("in_force_date", ""),
                "source_as_of": row.get("source_as_of", ""),
            }
            for name, text in texts.items():
                text.set_text(values[name])
            texts["status"].set_color("white" if state_status in WHITE_TEXT_STATUSES else "black")
        return self.figure


def state_status_rows(data: ReportData, iso3: str) -> list[dict[str, str]]:
    """One State's status rows from the run's status table, in set order."""
    frame = data.status[data.status["iso3"] == iso3]
    by_id = {r["instrument"]: r for r in frame.to_dict("records")}
    return [by_id[i] for i in data.instrument_ids if i in by_id]


@styled
def scorecard(data: ReportData, iso3: str, strings: UiStrings, rows: list[dict[str, str]] | None = None) -> Figure:
    """One State's status on every instrument of the set, with the dates that back it."""
    return Scorecard(data, strings).fill(iso3, rows if rows is not None else state_status_rows(data, iso3))


class ScorecardRenderer:
    """Writes many States' scorecard PNGs fast (``rt2gaps run --briefs``).

    The shared parts are drawn once and kept as a pixel background; each State restores it and
    draws only its own cells (matplotlib blitting). The pixels equal a full draw of ``scorecard``.
    """

    def __init__(self, data: ReportData, strings: UiStrings, dpi: int = PNG_DPI) -> None:
        with chart_style():
            self.card = Scorecard(data, strings, animated=True)
            self.figure = self.card.figure
            self.figure.set_dpi(dpi)
            self.canvas = self.figure.canvas
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def png(self, iso3: str, rows: list[dict[str, str]]) -> bytes:
        """The State's scorecard as PNG bytes."""
        with chart_style():
            self.card.fill(iso3, rows)
            self.canvas.restore_region(self.background)
            for artist in self.card.state_artists:
                self.figure.draw_artist(artist)
            return png_bytes(self.canvas.buffer_rgba(), self.figure.dpi)


def png_bytes(rgba: Any, dpi: float) -> bytes:
    """Encode an opaque RGBA buffer as an RGB PNG, fast (zlib level 1) and with no software stamp."""
    import io

    from PIL import Image

    height, width = rgba.shape[:2]
    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
    stream = io.BytesIO()
    image.save(stream, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(dpi, dpi))
    return stream.getvalue()


# --- writing ------------------------------------------------------------------------------------


def save_figure(figure: Figure, folder: Path, stem: str, formats: Sequence[str] = CHART_FORMATS) -> list[Path]:
    """Write the figure as ``stem.<format>`` for each format, each file atomically (temp file, rename).

    No timestamps or software strings: the same figure gives the same bytes.
    """
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with chart_style():
        for fmt in formats:
            written.append(_save_one(figure, folder, stem, fmt, metadata.get(fmt)))
    return written


def _save_one(figure: Figure, folder: Path, stem: str, fmt: str, metadata: dict | None) -> Path:
    from rt2gaps.atomic import replaced_on_success

    target = folder / f"{stem}.{fmt}"
    with replaced_on_success(target) as temporary, open(temporary, "wb") as stream:
        if fmt == "png":
            figure.savefig(stream, format=fmt, dpi=PNG_DPI, metadata=metadata,
                           pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})  # fmt: skip
        else:
            figure.savefig(stream, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return target


def to_png(figure: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes, for notebooks (``IPython.display.Image(to_png(figure))``): no pyplot needed."""
    import io

    stream = io.BytesIO()
    with chart_style():
        figure.savefig(stream, format="png", dpi=dpi)
    return stream.getvalue()


def chart_stem(data: ReportData, chart: str, lang: str) -> str:
    suffix = "" if lang == "en" else f"_{lang}"
    return f"{data.stem}_{chart}{suffix}"


def chart_builders(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> list[tuple[str, Callable[[], Figure]]]:
    """(name, builder) of every chart of a run, in the order a run writes them; nothing is drawn yet.

    Builders take no argument, so a worker process can build any chart by its position in the list.
    """
    from rt2gaps.report.migrant_charts import MIGRANT_CHARTS

    builders: list[tuple[str, Callable[[], Figure]]] = [
        ("matrix_overview", partial(gap_matrix_overview, data, strings))
    ]
    for region in sorted(data.tables["matrix"]["region"].dropna().unique()):
        builders.append((f"matrix_{slug(region)}", partial(gap_matrix_region, data, region, strings)))
    builders.append(("coverage_bars", partial(coverage_bars, data, strings)))
    builders.append(("timelines", partial(timelines_of_run, data, snapshot, strings)))
    builders.append(("world_map", partial(world_map, data, strings)))
    builders.extend((name, partial(build, data, strings)) for name, build in MIGRANT_CHARTS.items())
    return builders


def timelines_of_run(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> Figure:
    """The timelines chart with its counts computed from the snapshot (the one chart that needs it).

    With a ``--group``, only the group's States are counted, as in the coverage the bands are scaled to.
    """
    only = set(data.states["iso3"]) if data.group is not None else None
    counts = parties_over_time(snapshot, data.instruments, data.on, data.universe, only=only)
    return timelines(data, counts, strings)


def build_charts(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> Iterator[tuple[str, Figure]]:
    """(name, figure) of every chart of a run, one at a time so each can be saved and freed."""
    for name, build in chart_builders(data, snapshot, strings):
        yield name, build()


def write_charts(
    data: ReportData, snapshot: Snapshot, out_dir: Path, lang: str = "en", formats: Sequence[str] = CHART_FORMATS
) -> list[Path]:
    """Every chart of a run into ``out_dir`` (``reports/charts/``) as PNG and SVG, drawn here; returns the files."""
    return ChartPool(snapshot, workers=1).start(data, out_dir, lang, formats).result()


# --- charts in worker processes -----------------------------------------------------------------

CHART_WORKERS = 2  # the machines this runs on have 2 cores; the caller's process writes the workbook meanwhile


class ChartError(Rt2gapsError):
    """A chart could not be drawn or written: one line naming the chart, exit code 1 (not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class _ChartTask:
    """Everything needed to draw any chart of a run by its position among the builders."""

    data: ReportData
    builders: list[tuple[str, Callable[[], Figure]]]
    out_dir: Path
    lang: str
    formats: tuple[str, ...]


def _task(data: ReportData, snapshot: Snapshot, out_dir: Path, lang: str, formats: Sequence[str]) -> _ChartTask:
    return _ChartTask(data, chart_builders(data, snapshot, UiStrings(lang)), Path(out_dir), lang, tuple(formats))


def _draw(task: _ChartTask, position: int) -> list[Path]:
    """Build and save one chart, by its position among the builders; returns the files."""
    name, build = task.builders[position]
    with chart_style():
        return save_figure(build(), task.out_dir, chart_stem(task.data, name, task.lang), task.formats)


def _failed(name: str, exc: Exception) -> ChartError:
    return ChartError(f"chart {name} could not be written: {type(exc).__name__}: {exc}")


# In a forked worker: the snapshot inherited from the parent at fork time, and the last task unpickled.
_FORKED_SNAPSHOT: Snapshot | None = None
_WORKER_TASK: tuple[bytes, _ChartTask] | None = None


def _warm_up() -> None:
    """Worker initializer: load matplotlib, the font and its glyphs once, while the parent builds the data."""
    with chart_style():
        figure = new_figure(1.0, 2.0)
        figure.text(0.1, 0.5, "Warm-up 0123456789 %", fontsize=7)
        figure.text(0.1, 0.2, "Warm-up", fontsize=7, fontweight="bold", fontstyle="italic")
        figure.canvas.draw()


def _ready() -> None:
    """A no-op task: submitting it makes the executor fork its workers at once."""


def _draw_in_worker(pickled: bytes, position: int) -> list[str]:
    """``_draw`` in a forked worker; the run's data arrives pickled and is unpickled once per worker."""
    import pickle

    global _WORKER_TASK
    if _WORKER_TASK is None or _WORKER_TASK[0] != pickled:
        data, out_dir, lang, formats = pickle.loads(pickled)
        assert _FORKED_SNAPSHOT is not None, "charts worker forked without a snapshot"
        _WORKER_TASK = (pickled, _task(data, _FORKED_SNAPSHOT, out_dir, lang, formats))
    return [str(p) for p in _draw(_WORKER_TASK[1], position)]


class ChartPool:
    """Worker processes for a run's charts, forked early: they load matplotlib while the parent builds the data.

    Forked (``fork`` start method) right after the snapshot is loaded, the workers share it without
    pickling; the report data, once built, is pickled once (about 0.4 MB, 10 ms) and sent with each
    chart. Each chart is written through a temporary file, so a failure leaves no half-written file.
    Where ``fork`` is not available, or with one worker, ``start`` draws in this process instead.
    Use as a context manager, or call ``close``.
    """

    def __init__(self, snapshot: Snapshot, workers: int = CHART_WORKERS) -> None:
        import multiprocessing

        global _FORKED_SNAPSHOT
        self.snapshot = snapshot
        self.executor: Any = None
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            _FORKED_SNAPSHOT = snapshot
            try:
                context = multiprocessing.get_context("fork")
                self.executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)
                self.executor.submit(_ready)  # forks every worker now
            finally:
                _FORKED_SNAPSHOT = None  # only the workers keep it

    def start(
        self, data: ReportData, out_dir: Path, lang: str = "en", formats: Sequence[str] = CHART_FORMATS
    ) -> ChartJob:
        """Start drawing every chart of the run; ``.result()`` on the job waits for the files."""
        import pickle

        Path(out_dir).mkdir(parents=True, exist_ok=True)
        task = _task(data, self.snapshot, Path(out_dir), lang, formats)
        if self.executor is None:
            return ChartJob(task, [])
        pickled = pickle.dumps((data, Path(out_dir), lang, tuple(formats)), protocol=pickle.HIGHEST_PROTOCOL)
        return ChartJob(task, [self.executor.submit(_draw_in_worker, pickled, n) for n in range(len(task.builders))])

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Any:
        """``function(*args)`` in a worker, as a future; without workers it runs here, now (same interface).

        ``function`` must be a module-level function and ``args`` picklable (e.g. the report data).
        """
        if self.executor is not None:
            return self.executor.submit(function, *args)
        from concurrent.futures import Future

        done: Future = Future()
        try:
            done.set_result(function(*args))
        except Exception as exc:  # re-raised by .result(), as a worker's would be
            done.set_exception(exc)
        return done

    def close(self) -> None:
        """Stop the workers; charts not started are not drawn (for when the caller fails first)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ChartJob:
    """Charts being drawn: ``result`` waits and returns every file in chart order (as ``write_charts`` does).

    A chart that fails stops the job with one ``ChartError`` naming it (the caller's run exits 1).
    Without futures, ``result`` draws the charts in this process.
    """

    def __init__(self, task: _ChartTask, futures: list[Any]) -> None:
        self.task = task
        self.futures = futures

    def result(self) -> list[Path]:
        written: list[Path] = []
        for position, (name, _) in enumerate(self.task.builders):
            try:
                if self.futures:
                    written.extend(Path(p) for p in self.futures[position].result())
                else:
                    written.extend(_draw(self.task, position))
            except Exception as exc:
                for future in self.futures:
                    future.cancel()
                raise _failed(name, exc) from exc
        return written
