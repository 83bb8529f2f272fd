"""Charts of the complaints procedures: acceptance among each treaty's parties, and the migrants concerned.

Built on ``base`` like every chart family; the procedure statuses borrow the Matrix palette (accepted
as party, not accepted as no act, withdrawn as withdrawn, unknown hatched grey).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rt2gaps.procedures import ACCEPTED, NOT_ACCEPTED, NOT_PARTY, WITHDRAWN
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
    new_figure,
    percent,
    sources_text,
    stacked_status_bars,
    styled,
    subtitle,
)
from rt2gaps.report.localise import procedure_labels
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.snapshot.reference import STOCK_YEAR
from rt2gaps.status import NONE, NOT_ELIGIBLE, PARTY, UNKNOWN

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData

LOOK = {ACCEPTED: PARTY, NOT_ACCEPTED: NONE, NOT_PARTY: NOT_ELIGIBLE, WITHDRAWN: "withdrawn", UNKNOWN: UNKNOWN}
AMONG_PARTIES = (ACCEPTED, NOT_ACCEPTED, WITHDRAWN, UNKNOWN)
MIGRANT_ORDER = (ACCEPTED, NOT_ACCEPTED, WITHDRAWN, NOT_PARTY, UNKNOWN)
MILLION = 1_000_000


@styled
def procedure_acceptance(data: ReportData, strings: UiStrings) -> Figure:
    """Per individual complaints procedure: of the parties to its treaty, how many accept it."""
    table = data.tables["complaints_migrants"]
    ids = list(dict.fromkeys(table["procedure"]))
    counts = {(r.procedure, r.status): int(r.states) for r in table.itertuples()}
    values = {status: [float(counts.get((p, status), 0)) for p in ids] for status in AMONG_PARTIES}
    bar_in = 0.22
    plot_height = max(len(ids), 1) * bar_in
    as_of = data.manifest.get("instruments", {}).get("ICRMW", {}).get("source_as_of", "")
    credit = strings("chart.procedures_source", as_of=strings.dates_in(as_of))  # the declarations' one source
    note = caption(data, strings, strings("chart.procedures_note"), sources=credit)
    cap_in = caption_height(note)
    figure = new_figure(HEADER_IN + 0.3 + plot_height + 0.55 + cap_in + 0.1)
    left, right = 1.1, 1.4
    ax = axes_in_inches(figure, left, cap_in + 0.6, WIDTH_IN - left - right, plot_height)
    totals = stacked_status_bars(ax, values, strings, LOOK)
    widest = max(totals + [1.0])
    for y in range(len(ids)):
        parties = int(totals[y])
        accepted = int(values[ACCEPTED][y])
        share = percent(accepted / parties, strings) if parties else "—"
        ax.text(totals[y] + widest * 0.01, y, strings("chart.accept_of", k=accepted, n=parties, share=share),
                va="center", ha="left", fontsize=6.5)  # fmt: skip
    ax.set_yticks(list(range(len(ids))), [procedure_labels(strings.lang).get(i, i) for i in ids])  # PIDCP art. 41
    ax.set_ylim(len(ids) - 0.5, -0.5)
    ax.set_xlim(0, widest * 1.02)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(strings("chart.parties_axis"))
    add_status_legend(figure, strings, AMONG_PARTIES, LOOK)
    add_header(figure, strings("chart.procedures_title"), subtitle(data, strings))
    add_caption(figure, note)
    return figure


@styled
def icrmw77_migrants(data: ReportData, strings: UiStrings) -> Figure:
    """The migrants (mid-2020) living in States that accept ICRMW art. 77, and in the others."""
    table = data.tables["complaints_migrants"]
    rows = table[table["procedure"] == "ICRMW-77"].set_index("status")
    own = data.tables["procedure_states"].set_index("procedure").loc["ICRMW-77"]
    statuses = [s for s in MIGRANT_ORDER if s in rows.index and rows.loc[s, "states"] > 0]
    bar_in = 0.3
    plot_height = max(len(statuses), 1) * bar_in
    state = (
        strings("procedure.in_force", n=int(own["declarations"]))
        if own["procedure_in_force"] == "true"
        else strings("procedure.not_in_force", n=int(own["declarations"]), threshold=int(own["threshold"]))
    )
    missing = [code for s in statuses for code in str(rows.loc[s, "without_figure"] or "").split(", ") if code]
    notes = [strings("chart.icrmw77_note", state=state)]
    if missing:
        notes.append(strings("chart.migrants_without_figure", states=", ".join(sorted(missing))))
    note = caption(data, strings, strings("chart.migrants_source", year=STOCK_YEAR), *notes,
                   sources=sources_text(data, strings, ["ICRMW"]))  # fmt: skip
    cap_in = caption_height(note)
    figure = new_figure(HEADER_IN + 0.3 + plot_height + 0.55 + cap_in + 0.1)
    left, right = 1.6, 1.6
    ax = axes_in_inches(figure, left, cap_in + 0.6, WIDTH_IN - left - right, plot_height)
    for y, status in enumerate(statuses):
        value = float(rows.loc[status, "migrant_stock"]) / MILLION
        look = LOOK[status]
        ax.barh([y], [value], height=0.72, color=STATUS_COLOURS[look], edgecolor=EDGE_GREY, linewidth=0.3,
                hatch=UNKNOWN_HATCH if look == UNKNOWN else None)  # fmt: skip
        label = strings("chart.millions_in_states", value=f"{value:.1f}".replace(".", strings("chart.decimal_mark")),
                        n=int(rows.loc[status, "states"]))  # fmt: skip
        ax.text(value, y, " " + label, va="center", ha="left", fontsize=6.5)
    ax.set_yticks(list(range(len(statuses))), [strings(f"chart.icrmw77_{s}") for s in statuses])
    ax.set_ylim(len(statuses) - 0.5, -0.5)
    widest = max([float(rows.loc[s, "migrant_stock"]) / MILLION for s in statuses] + [1e-9])
    ax.set_xlim(0, widest * 1.3)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(strings("chart.migrants_axis", year=STOCK_YEAR))
    add_header(figure, strings("chart.icrmw77_title", year=STOCK_YEAR),
               subtitle(data, strings, strings("chart.migrants_figures", year=STOCK_YEAR)))  # fmt: skip
    add_caption(figure, note)
    return figure


ACCOUNTABILITY_CHARTS = {"procedures_acceptance": procedure_acceptance, "icrmw77_migrants": icrmw77_migrants}
