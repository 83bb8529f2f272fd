"""Coverage and timelines: States per status per instrument, and States party since each adoption."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from rt2gaps.gaps import GCM_ADOPTION
from rt2gaps.report.charts.base import (
    HEADER_IN,
    WIDTH_IN,
    add_caption,
    add_header,
    add_status_legend,
    axes_in_inches,
    caption,
    caption_height,
    instrument_labels,
    new_figure,
    stacked_status_bars,
    stale_note,
    styled,
    subtitle,
    text_width_in,
)
from rt2gaps.report.palette import OKABE_ITO, STATUS_COLOURS
from rt2gaps.status import (
    CONSENT_GIVEN,
    DEFAULT_STALE_AFTER,
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
    from matplotlib.figure import Figure

    from rt2gaps.catalogue import Instrument
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData
    from rt2gaps.snapshot.store import Snapshot

BAR_HEADROOM = 1.13  # the x axis runs a little past the longest bar
BAR_STATUSES = (PARTY, PENDING, SIGNATORY, WITHDRAWN, NONE, UNKNOWN)


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
    note = caption(data, strings, stale_note(data, strings))  # how to read the bars: About sheet
    cap_in = caption_height(note)
    height = HEADER_IN + 0.3 + plot_height + 0.35 + cap_in + 0.1
    figure = new_figure(height)
    widest = max(int(coverage[list(BAR_STATUSES)].sum(axis=1).max()), 1)
    ends = {row.instrument: bar_end_label(row, strings) for row in coverage.itertuples()}
    totals = dict(zip(coverage["instrument"], coverage[list(BAR_STATUSES)].sum(axis=1), strict=True))
    left, right = 1.0, bar_labels_margin(ends, totals, widest, 1.0)
    bottom = cap_in + 0.45
    y_top = bottom + plot_height
    axes = []
    for body, frame in groups:
        panel_height = len(frame) * bar_in
        ax = axes_in_inches(figure, left, y_top - gap_in - panel_height + 0.1, WIDTH_IN - left - right, panel_height)
        y_top -= panel_height + gap_in
        axes.append(ax)
        positions = list(range(len(frame)))
        ends_at = stacked_status_bars(ax, {status: frame[status].astype(float).tolist() for status in BAR_STATUSES},
                                      strings)  # fmt: skip
        for y, (total, row) in enumerate(zip(ends_at, frame.itertuples(), strict=True)):
            ax.text(total + widest * 0.01, y, ends[row.instrument], va="center", ha="left", fontsize=6.5)
        ax.set_yticks(positions, [instrument_labels(data, strings)[i] for i in frame["instrument"]])
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlim(0, widest * BAR_HEADROOM)
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


def bar_end_label(row: Any, strings: UiStrings) -> str:
    """What a bar ends with: States party of those eligible, as a share, a range while some are unknown
    (low: unknown counted as not party; high: as party), and how much is known; or 'no source'."""
    if row.no_data:
        return strings("chart.no_source_bar")

    def share(count: int) -> str:
        return strings("chart.percent", value=f"{count / row.eligible * 100:.0f}") if row.eligible else "—"

    if not row.unknown:
        return strings("chart.party_of_all", party=row.party, eligible=row.eligible, share=share(row.party))
    return strings("chart.party_of_known", party=row.party, eligible=row.eligible, low=share(row.party),
                   high=share(row.party + row.unknown),
                   known=strings("chart.percent", value=f"{row.known_share * 100:.0f}"))  # fmt: skip


def bar_labels_margin(labels: dict[str, str], totals: dict[str, float], widest: float, left: float) -> float:
    """The right margin (inches, at least 0.6) that keeps each bar's label, drawn after its bar, inside the figure."""
    right = 0.6
    while right < WIDTH_IN / 2:
        plot = WIDTH_IN - left - right
        if all((totals[i] + widest * 0.01) / (widest * BAR_HEADROOM) * plot + text_width_in(text, 6.5) + 0.12
               <= plot + right for i, text in labels.items()):  # fmt: skip
            return right
        right += 0.05
    return right


# --- timelines ----------------------------------------------------------------------------------


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
    only: set[str] | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """States per status (and with consent given) per instrument on each date of ``sample_dates``.

    Read from the spells (``rt2gaps.history``), the status engine's answers compressed: each spell
    adds one State to its status from the first sample date it covers to the last. Instruments with
    no source are left out: their count is unknown, not zero. ``only``: just these States of the
    universe (ISO3 codes; a run's --group).
    """
    import pandas as pd

    from rt2gaps.history import spell_table
    from rt2gaps.status import universe_states

    table = spell_table(snapshot, stale_after)
    states = [s for s in universe_states(snapshot, universe) if only is None or s["iso3"] in only]
    rows = []
    for instrument in instruments:
        if snapshot.source_as_of(instrument.id) is None:
            continue
        dates = sample_dates(instrument, on)
        days = [d.isoformat() for d in dates]
        # difference arrays: +1 where a spell's first sample date is, -1 after its last
        steps = {status: [0] * (len(dates) + 1) for status in STATUSES}
        for state in states:
            for number in table.by_pair[(state["iso3"], instrument.id)]:
                spell = table.rows[number]
                first = bisect_left(days, spell[3]) if spell[3] else 0
                after = bisect_left(days, spell[4]) if spell[4] else len(dates)
                if first < after:
                    steps[spell[2]][first] += 1
                    steps[spell[2]][after] -= 1
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
    notes = []  # how to read the bands and how they are counted: About sheet
    if not_drawn:
        notes.append(strings("chart.timeline_not_drawn", instruments=", ".join(not_drawn)))
    notes.append(stale_note(data, strings))
    note = caption(data, strings, *notes)
    cap_in = caption_height(note)
    band_in = 0.42
    plot_height = max(len(ids), 1) * band_in
    height = HEADER_IN + 0.3 + 0.15 + plot_height + 0.35 + cap_in + 0.15
    figure = new_figure(height)
    coverage = data.tables["instrument_coverage"].set_index("instrument")
    ends = {i: strings("chart.party_of", party=int(timeline.loc[timeline["instrument"] == i, PARTY].iloc[-1]),
                       assessed=max(int(coverage.loc[i, "eligible"]), 1)) for i in ids}  # fmt: skip
    # room on the right for the longest "n of m party" (French ones are longer), as the figure must hold it
    left, right = 1.1, max([0.85] + [text_width_in(text, 6.5) + 0.2 for text in ends.values()])
    ax = axes_in_inches(figure, left, cap_in + 0.5, WIDTH_IN - left - right, plot_height)
    party_colour = STATUS_COLOURS[PARTY]
    consent_colour = OKABE_ITO["blue"]
    gcm_colour = OKABE_ITO["orange"]
    adoption = {i.id: i.adoption_date for i in data.instruments}
    start = min((decimal_year(adoption[i]) for i in ids), default=decimal_year(data.on) - 1)
    end = decimal_year(data.on)
    fill = 0.78  # share of a band's height between its base and its ceiling
    labels = instrument_labels(data, strings)
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
        ax.text(-0.035, base + fill / 2, labels[instrument_id], transform=ax.get_yaxis_transform(), ha="right",
                va="center", fontsize=7, fontweight="bold")  # fmt: skip
        ax.text(1.01, base + fill / 2, ends[instrument_id], transform=ax.get_yaxis_transform(), ha="left",
                va="center", fontsize=6.5)  # fmt: skip
    gcm = decimal_year(GCM_ADOPTION)
    if start <= gcm <= end:
        ax.axvline(gcm, color=gcm_colour, linewidth=1.0)
    ax.set_xlim(start, end)
    ax.set_ylim(-0.1, max(len(ids), 1))
    # the y-axis: each band's own scale, ticks at none, half and all of its eligible States
    bases = [len(ids) - 1 - n for n in range(len(ids))]
    ax.set_yticks([b + share * fill for b in bases for share in (0, 0.5, 1)])
    ax.set_yticklabels([])
    ax.tick_params(axis="y", length=2.5, width=0.5)
    ax.set_ylabel(strings("chart.timeline_axis"), fontsize=6.5, labelpad=46)
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


def timelines_of_run(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> Figure:
    """The timelines chart with its counts computed from the snapshot (the one chart that needs it).

    With a ``--group``, only the group's States are counted, as in the coverage the bands are scaled to.
    """
    only = set(data.states["iso3"]) if data.group is not None else None
    counts = parties_over_time(snapshot, data.instruments, data.on, data.universe, only=only,
                               stale_after=data.stale_after)  # fmt: skip
    return timelines(data, counts, strings)
