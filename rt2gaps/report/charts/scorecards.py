"""Country scorecards: one State's status on every instrument of the set, with the dates that back it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rt2gaps.report.charts.base import (
    EDGE_GREY,
    HEADER_IN,
    PNG_DPI,
    WIDTH_IN,
    add_caption,
    add_header,
    axes_in_inches,
    caption,
    caption_height,
    chart_style,
    instrument_labels,
    new_figure,
    no_data_note,
    png_bytes,
    set_subtitle,
    state_names,
    status_handles,
    styled,
    subtitle,
    text_width_in,
)
from rt2gaps.report.palette import STATUS_COLOURS, UNKNOWN_HATCH, WHITE_TEXT_STATUSES
from rt2gaps.status import STATUSES, UNKNOWN

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.tables import ReportData

SCORECARD_COLUMNS = (
    ("instrument", 0.0),
    ("status", 0.7),
    ("signature_date", 1.95),
    ("consent", 2.9),
    ("in_force_date", 4.55),
    ("source_as_of", 6.05),
)  # x of each column, inches from the table's left edge


def consent_text(row: dict[str, str], strings: UiStrings) -> str:
    """'ratification 1995-07-05' in the output language ('ratification 5 juillet 1995'), or '' when none."""
    if not row.get("consent_date"):
        return ""
    act = row.get("consent_type", "")
    label = strings(f"act.{act}") if act and strings.has(f"act.{act}") else act
    return f"{label} {strings.dates_in(row['consent_date'])}".strip()


# inches each column's text may take (to the next column, less a gap)
COLUMN_WIDTHS = {name: SCORECARD_COLUMNS[n + 1][1] - x - 0.08 for n, (name, x) in enumerate(SCORECARD_COLUMNS[:-1])}


def fit_cell(text: str, width_in: float) -> tuple[str, float]:
    """A cell's text and size: a written-out range ("23 mai 1953/31 décembre 1953") too wide for its
    column goes on two lines, a little smaller, rather than over the next column."""
    if "/" not in text or text_width_in(text, 7) <= width_in:
        return text, 7
    return text.replace("/", "/\n", 1), 6.5


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
        self.scores = score_phrases(data, strings)
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
        labels = instrument_labels(data, strings)
        for y, instrument_id in enumerate(ids, start=1):
            ax.text(0, y, labels[instrument_id], va="center_baseline", ha="left", fontsize=7, fontweight="bold")
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
        name = self.names.get(iso3, iso3)
        score = self.scores.get(iso3)
        title = (
            strings("chart.scorecard_heading", state=name, score=score)
            if score
            else strings("chart.scorecard_title", state=name)
        )
        self.title.set_text(title)
        self.title.set_fontsize(title_size(title))
        set_subtitle(self.subtitle, subtitle(self.data, strings, iso3))
        for instrument_id, cell, texts in zip(self.data.instrument_ids, self.cells, self.texts, strict=True):
            row = by_id.get(instrument_id, {"status": UNKNOWN})
            state_status = row["status"]
            cell.set_facecolor(STATUS_COLOURS[state_status])
            cell.set_hatch(UNKNOWN_HATCH if state_status == UNKNOWN else None)
            values = {
                "status": strings.status(state_status),
                "signature_date": strings.dates_in(row.get("signature_date", "")),  # 5 juillet 1995 in French
                "consent": consent_text(row, strings),
                "in_force_date": strings.dates_in(row.get("in_force_date", "")),
                "source_as_of": strings.dates_in(row.get("source_as_of", "")),
            }
            for name, text in texts.items():
                value, size = fit_cell(values[name], COLUMN_WIDTHS.get(name, 9.9))
                text.set_text(value)
                text.set_fontsize(size)
            texts["status"].set_color("white" if state_status in WHITE_TEXT_STATUSES else "black")
        return self.figure


TITLE_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0)  # points: a long State name and its score still fit one line
BOLD_WIDTH = 1.12  # bold DejaVu Sans is about this much wider than the regular face ``text_width_in`` measures


def title_size(title: str) -> float:
    """The largest title size at which ``title`` fits the page width (the smallest when none does)."""
    room = WIDTH_IN - 0.2
    return next((size for size in TITLE_SIZES if text_width_in(title, size) * BOLD_WIDTH <= room), TITLE_SIZES[-1])


def score_phrases(data: ReportData, strings: UiStrings) -> dict[str, str]:
    """Per State, its score in a few words: 'coverage 68%–95%, rank 1–174 of 197' (one figure, one rank
    only where exact), or why it is not ranked."""
    country = data.tables["country_gaps"]
    ranked = int((country["unranked"] == "").sum())

    def percent(value: float) -> str:
        return strings("chart.percent", value=f"{value * 100:.0f}")

    phrases = {}
    for row in country.to_dict("records"):
        if row["unranked"]:
            phrases[row["iso3"]] = strings("chart.score_unranked", reason=strings(f"unranked.{row['unranked']}"))
            continue
        low, high = percent(row["coverage_low"]), percent(row["coverage_high"])
        coverage = (strings("chart.score_exact", coverage=low) if low == high
                    else strings("chart.score_range", low=low, high=high))  # fmt: skip
        best, worst = int(row["rank_best"]), int(row["rank_worst"])
        rank = (strings("chart.rank_single", rank=best, ranked=ranked) if best == worst
                else strings("chart.rank_range", best=best, worst=worst, ranked=ranked))  # fmt: skip
        phrases[row["iso3"]] = f"{coverage}, {rank}"
    return phrases


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
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            canvas = self.figure.canvas
            if not isinstance(canvas, FigureCanvasAgg):  # new_figure puts every figure on Agg, which can blit
                raise TypeError(f"scorecards are blitted on the Agg canvas, not on {type(canvas).__name__}")
            self.canvas = canvas
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
