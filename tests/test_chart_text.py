"""No chart text leaves its figure: every text drawn lies inside the figure, in English and in French.

The French labels are longer (the timelines' "181 parties sur 187", "Amérique latine et Caraïbes"):
the charts make room for them instead of cutting them at the edge.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from matplotlib.text import Text

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.groups import load_group
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data
from rt2gaps.report.charts import chart_builders, chart_style, scorecard

ON = date(2026, 2, 3)
TOLERANCE_PX = 0.5


@contextmanager
def drawn_texts():
    """Every Text artist actually drawn meanwhile (tick labels outside the view are not drawn)."""
    seen: list[Text] = []
    original = Text.draw

    def draw(self: Text, renderer) -> None:  # noqa: ANN001 - matplotlib's renderer
        if self.get_visible() and self.get_text().strip():
            seen.append(self)
        original(self, renderer)

    Text.draw = draw  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Text.draw = original  # type: ignore[method-assign]


def outside(figure) -> list[str]:
    """The drawn texts whose window extent reaches outside the figure, described."""
    with drawn_texts() as seen:
        figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    width, height = figure.bbox.width, figure.bbox.height
    found = []
    for text in seen:
        box = text.get_window_extent(renderer)
        if min(box.x0, box.y0) < -TOLERANCE_PX or box.x1 > width + TOLERANCE_PX or box.y1 > height + TOLERANCE_PX:
            found.append(f"{text.get_text()[:40]!r} at x {box.x0:.0f}–{box.x1:.0f} of {width:.0f}, "
                         f"y {box.y0:.0f}–{box.y1:.0f} of {height:.0f}")  # fmt: skip
    return found


@pytest.mark.parametrize(("lang", "group"), [("en", None), ("fr", None), ("fr", "sids")])
def test_every_chart_text_stays_inside_its_figure(lang: str, group: str | None) -> None:
    snapshot = current_snapshot()
    chosen = load_group(group, snapshot.states) if group else None
    data = build_report_data(load_set("rt2-priority"), snapshot, ON, group=chosen)
    strings = UiStrings(lang)
    builders = [*chart_builders(data, snapshot, strings), ("scorecard", lambda: scorecard(data, "FJI", strings))]
    assert len(builders) > 10
    problems = {}
    for name, build in builders:
        with chart_style():
            found = outside(build())
        if found:
            problems[name] = found
    assert problems == {}


def test_the_check_sees_a_text_that_leaves_the_figure() -> None:
    from rt2gaps.report.charts.base import new_figure

    with chart_style():
        figure = new_figure(1.0, 2.0)
        figure.text(0.9, 0.5, "a label too long for the figure", fontsize=7)
        figure.text(0.1, 0.5, "inside", fontsize=7)
        assert [problem.split(" at ")[0] for problem in outside(figure)] == ["'a label too long for the figure'"]


def drawn_text_strings(figure) -> list[str]:
    with drawn_texts() as seen:
        figure.canvas.draw()
    return [text.get_text() for text in seen]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_label_is_cut_and_captions_are_two_lines(lang: str) -> None:
    """No "…" in any chart (a long State name wraps on two lines); the caption under a chart is at most two
    lines (how to read each chart is in the workbook's About sheet)."""
    snapshot = current_snapshot()
    data = build_report_data(load_set("rt2-priority"), snapshot, ON)
    strings = UiStrings(lang)
    builders = [*chart_builders(data, snapshot, strings), ("scorecard", lambda: scorecard(data, "GBR", strings))]
    cut, long_captions, wrapped = {}, {}, []
    for name, build in builders:
        with chart_style():
            texts = drawn_text_strings(build())
        if any("…" in text for text in texts):
            cut[name] = [text for text in texts if "…" in text]
        caption_text = [text for text in texts if text.startswith(strings("chart.source", sources="")[:6])]
        if caption_text and caption_text[-1].count("\n") > 1:
            long_captions[name] = caption_text[-1]
        wrapped += [text for text in texts if "\n" in text and ("Northern" in text or "Irlande du Nord" in text)]
    assert cut == {} and long_captions == {}
    assert wrapped  # the United Kingdom's UN name, whole, on two lines in the Europe matrix


def test_timelines_have_a_y_axis_and_the_procedures_chart_credits_its_own_source() -> None:
    from rt2gaps.report.charts import procedure_acceptance

    snapshot = current_snapshot()
    data = build_report_data(load_set("rt2-priority"), snapshot, ON)
    strings = UiStrings("en")
    charts = dict(chart_builders(data, snapshot, strings))
    with chart_style():
        timelines = charts["timelines"]()
        axis = timelines.axes[0]
        assert len(axis.get_yticks()) >= 3 and axis.get_ylabel() == strings("chart.timeline_axis")
        texts = drawn_text_strings(procedure_acceptance(data, strings))
    caption_text = next(text for text in texts if text.startswith("Source:"))
    assert "UN Treaty Collection" in caption_text and "NORMLEX" not in caption_text
