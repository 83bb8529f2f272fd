"""What every chart shares: sizes, fonts, header, caption, status legend and grid, palette use, saving.

Every chart reads the tables of one ``ReportData``, takes its labels from ``data/ui_strings.csv``
and its colours from ``palette``, and carries a title, the set, the as-of date and a source caption.
Figures are ``matplotlib.figure.Figure`` objects built without pyplot (no global state, no screen),
with fixed fonts and sizes, so tests can inspect them and the files do not depend on the machine.
matplotlib is imported inside the functions: importing this module stays cheap. The chart modules
(``matrices``, ``coverage``, ``maps``, ``migrants``, ``scorecards``) import this one and never each other.
"""

from __future__ import annotations

import functools
import math
import textwrap
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from rt2gaps.i18n import UiStrings
from rt2gaps.report.localise import dates_line
from rt2gaps.report.localise import instrument_labels as instrument_labels  # re-exported to the chart modules
from rt2gaps.report.localise import region_label as region_label
from rt2gaps.report.localise import source_description as source_label  # noqa: F401 (re-exported: briefs, excel)
from rt2gaps.report.localise import sources_text as sources_text
from rt2gaps.report.localise import state_names as state_names
from rt2gaps.report.palette import OKABE_ITO, STATUS_COLOURS, UNKNOWN_HATCH
from rt2gaps.status import STATUSES, UNKNOWN

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

    from rt2gaps.report.tables import ReportData

CHART_FORMATS = ("png", "svg")
PNG_DPI = 150
PNG_COMPRESS_LEVEL = 1  # zlib level 1: files about 10 % bigger, encoding twice as fast as the default 6
WIDTH_IN = 7.5  # A4 is 8.27 in wide: the charts print at 100 % with margins, text at 6.5 pt or more
HEADER_IN = 0.62  # title and subtitle band
CAPTION_LINE_IN = 0.105  # one line of the 6.5 pt source caption
CAPTION_WIDTH_CHARS = 158
LABEL_FONT = 7.0  # points: a grid's row and column labels
WRAPPED_FONT = 6.5  # points: a row label on two lines (the charts' smallest text)
EDGE_GREY = "#777777"
# A single-hue ramp ending on the "party" colour: shares and coverage read as "how much is party".
SHARE_RAMP = ("#EDF8F3", OKABE_ITO["bluish_green"], "#00402E")
# Fixed style: the bundled DejaVu Sans (same on every machine), fixed sizes, text kept as text in
# SVG (searchable, small, fast), deterministic SVG ids, no screen backend.
STYLE: dict[RcKeyType, Any] = {
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


P = ParamSpec("P")
R = TypeVar("R")


def styled(function: Callable[P, R]) -> Callable[P, R]:
    """Build the chart under ``chart_style`` (text sizes are fixed when an artist is created)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with chart_style():
            return function(*args, **kwargs)

    return wrapper


FontStyle = Literal["normal", "italic", "oblique"]  # what matplotlib accepts as a font style


def new_figure(height_in: float, width_in: float = WIDTH_IN) -> Figure:
    """A Figure on the Agg canvas, without pyplot: nothing global, nothing on a screen."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(figure)
    return figure


def text_width_in(text: str, fontsize: float, fontstyle: FontStyle = "normal") -> float:
    """How wide a one-line text is, in inches, in the chart font: margins are sized so no label leaves the figure.

    Measured on the glyph outlines (no figure needed), so a layout in inches can make room before drawing.
    """
    extents = text_extents(text, fontsize, fontstyle)
    return 0.0 if extents is None else (extents[2] - extents[0]) / 72


@functools.lru_cache(maxsize=1024)
def text_extents(
    text: str, fontsize: float, fontstyle: FontStyle = "normal"
) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) in points of a one-line text's outline in the chart font, as ``TextPath.get_extents``
    gives them; None where it draws nothing (empty, or spaces only).

    The extents of a text's outline are those of its glyphs, each at its place in the line: the exact
    extents of a glyph's curves (matplotlib finds them in Python, Bézier segment by segment) are found
    once per glyph, not once per text. The same numbers to the last bit, ~14 times faster.
    """
    from matplotlib.font_manager import FontProperties, findfont, get_font
    from matplotlib.textpath import TextPath, text_to_path

    prop = FontProperties(family=STYLE["font.family"], style=fontstyle)
    if "$" in text:  # matplotlib may read it as mathtext: measure the whole path, as drawn
        box = TextPath((0, 0), text, size=fontsize, prop=prop).get_extents()
        return None if box.x0 > box.x1 else (float(box.x0), float(box.y0), float(box.x1), float(box.y1))
    font = get_font(findfont(prop))
    font.set_size(text_to_path.FONT_SCALE, text_to_path.DPI)
    glyphs, outlines, _ = text_to_path.get_glyphs_with_font(font, text)
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for glyph, x, y, _ in glyphs:
        extents = _glyph_extents(glyph, outlines[glyph])
        if extents is not None:
            x0, y0 = min(x0, x + extents[0]), min(y0, y + extents[1])
            x1, y1 = max(x1, x + extents[2]), max(y1, y + extents[3])
    if x0 > x1:
        return None
    scale = fontsize / text_to_path.FONT_SCALE
    return (float(x0 * scale), float(y0 * scale), float(x1 * scale), float(y1 * scale))


_GLYPH_EXTENTS: dict[str, tuple[float, float, float, float] | None] = {}


def _glyph_extents(glyph: str, outline: tuple[Any, Any]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of a glyph's outline in font units (its curves' exact extrema), None if it draws nothing."""
    if glyph not in _GLYPH_EXTENTS:
        from matplotlib.path import Path as CurvePath

        vertices, codes = outline
        if len(vertices) == 0:
            _GLYPH_EXTENTS[glyph] = None
        else:
            box = CurvePath(vertices, codes).get_extents()
            _GLYPH_EXTENTS[glyph] = (float(box.x0), float(box.y0), float(box.x1), float(box.y1))
    return _GLYPH_EXTENTS[glyph]


def axes_in_inches(figure: Figure, left: float, bottom: float, width: float, height: float) -> Axes:
    """Axes placed in inches from the bottom-left corner: layouts stay fixed whatever the content."""
    fig_width, fig_height = figure.get_size_inches()
    return figure.add_axes((left / fig_width, bottom / fig_height, width / fig_width, height / fig_height))


# --- shared text --------------------------------------------------------------------------------


def caption(data: ReportData, strings: UiStrings, *notes: str, sources: str | None = None) -> str:
    """The caption under every chart, wrapped: the sources it draws on and their dates, then what this run's
    data leaves out (no source, stale, not drawn).

    How to read each chart, what unknown means and the freshness rule are in the workbook's About sheet
    (``CHART_NOTES``): a caption of two lines, not six. ``sources`` replaces the set's sources for a chart
    that draws on fewer of them (the procedures: the UN Treaty Collection only).
    """
    parts = [strings("chart.source", sources=sources_text(data, strings) if sources is None else sources)]
    parts.extend(note for note in notes if note)
    return "\n".join(textwrap.wrap(" ".join(parts), CAPTION_WIDTH_CHARS))


def caption_height(text: str) -> float:
    """Inches the wrapped caption needs at the bottom of the figure."""
    return 0.16 + CAPTION_LINE_IN * (text.count("\n") + 1)


def subtitle(data: ReportData, strings: UiStrings, extra: str = "") -> str:
    text = strings("chart.subtitle", set=data.recommended_set.title(strings.lang), dates=dates_line(data, strings))
    if data.group is not None:  # a group's charts must not pass for the whole world's
        text = f"{text} · {strings('chart.group', group=data.group.title(strings))}"
    return f"{text} · {extra}" if extra else text


SUBTITLE_SIZES = (7.5, 7.0, 6.5)  # points: the subtitle shrinks to fit one line, never under 6.5


def fitted_subtitle(sub: str) -> tuple[str, float]:
    """The subtitle and its font size: one line at the largest size that fits the page width, else two
    lines at 6.5 pt broken after a "·" or ";" (the dates of several sources make a long subtitle)."""
    room = WIDTH_IN - 0.2
    if not sub.strip():  # the scorecard's, filled per State
        return sub, SUBTITLE_SIZES[0]
    for size in SUBTITLE_SIZES:
        if text_width_in(sub, size) <= room:
            return sub, size
    size = SUBTITLE_SIZES[-1]
    breaks = [n + 1 for n, char in enumerate(sub) if char in "·;" and n + 1 < len(sub)]
    fitting = [n for n in breaks if text_width_in(sub[:n].rstrip(), size) <= room]
    if not fitting:
        return sub, size
    cut = fitting[-1]
    return f"{sub[:cut].rstrip()}\n{sub[cut:].lstrip()}", size


def set_subtitle(text: Any, sub: str) -> None:
    """Put ``sub`` in a subtitle text artist, fitted to the page width (``fitted_subtitle``)."""
    fitted, size = fitted_subtitle(sub)
    text.set_text(fitted)
    text.set_fontsize(size)


def add_header(figure: Figure, title: str, sub: str) -> tuple[Any, Any]:
    """Title and subtitle in the top band, left-aligned; the subtitle fitted to the width. Returns the two texts."""
    height = figure.get_size_inches()[1]
    fitted, size = fitted_subtitle(sub)
    return (
        figure.text(0.1 / WIDTH_IN, 1 - 0.12 / height, title, fontsize=10.5, fontweight="bold", va="top", ha="left"),
        figure.text(
            0.1 / WIDTH_IN,
            1 - 0.33 / height,
            fitted,
            fontsize=size,
            va="top",
            ha="left",
            color="#333333",
            linespacing=1.1,
        ),
    )


def add_caption(figure: Figure, text: str) -> None:
    """The source caption in the bottom band, wrapped to the page width."""
    height = figure.get_size_inches()[1]
    figure.text(0.1 / WIDTH_IN, 0.06 / height, text, fontsize=6.5, va="bottom", ha="left", color="#333333")


def status_handles(
    strings: UiStrings, statuses: Sequence[str] = STATUSES, looks: Mapping[str, str] | None = None
) -> list[Any]:
    """Legend patches for statuses, in palette colours; unknown hatched grey, never like none.

    With ``looks`` the keys are other statuses (a complaints procedure's) drawn in the colours of the
    treaty status each maps to, and labelled ``procstatus.<status>``.
    """
    from matplotlib.patches import Patch

    def look(status: str) -> str:
        return looks[status] if looks else status

    return [
        Patch(
            facecolor=STATUS_COLOURS[look(s)],
            edgecolor=EDGE_GREY,
            linewidth=0.5,
            hatch=UNKNOWN_HATCH if look(s) == UNKNOWN else None,
            label=strings(f"procstatus.{s}") if looks else strings.status(s),
        )
        for s in statuses
    ]


def fitted_label(text: str, width_in: float, fontsize: float = LABEL_FONT) -> str:
    """A row label that fits ``width_in``: as it is, or on two lines split where the longer line is shortest.

    Never cut: "Royaume-Uni de Grande-Bretagne / et d'Irlande du Nord" is a State's UN name, and "Royaume-Uni
    de Grande-Bre…" is no State. ``label_cells`` draws a two-line label a little smaller (WRAPPED_FONT).
    """
    if text_width_in(text, fontsize) <= width_in:
        return text
    words = text.split(" ")
    splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    if not splits:
        return text
    first, second = min(splits, key=lambda pair: max(text_width_in(part, WRAPPED_FONT) for part in pair))
    return f"{first}\n{second}"


def sort_key(text: str) -> str:
    """Alphabetical order that ignores accents ("États-Unis" between "Espagne" and "Éthiopie")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in sort_key(text)).strip("-")


# --- status grid and legend -----------------------------------------------------------------------


def cell_grid(ax: Axes, rows: int, columns: int) -> None:
    """White rules between cells: two line collections instead of a minor tick per line."""
    if rows > 1:
        ax.hlines([y - 0.5 for y in range(1, rows)], -0.5, columns - 0.5, colors="white", linewidth=0.6)
    if columns > 1:
        ax.vlines([x - 0.5 for x in range(1, columns)], -0.5, rows - 0.5, colors="white", linewidth=0.6)


def label_cells(ax: Axes, row_labels: Sequence[str], column_labels: Sequence[str]) -> list[Any]:
    """Row names on the left, column names on top, as plain texts (ticks cost ~1 ms each to build).

    Returns the row label texts so that callers can style some of them.
    """
    ax.set_xticks([])
    ax.set_yticks([])
    left = ax.get_yaxis_transform()  # x in axes fraction, y in data
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    rows = [ax.text(-0.008, y, label, transform=left, ha="right", va="center",
                    fontsize=WRAPPED_FONT if "\n" in label else LABEL_FONT, linespacing=0.95)
            for y, label in enumerate(row_labels)]  # fmt: skip
    for x, label in enumerate(column_labels):
        ax.text(x, 1.008, label, transform=top, ha="center", va="bottom", rotation=90, fontsize=7)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return rows


def unknown_runs(codes: list[list[str]]) -> list[tuple[int, int, int]]:
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


def hatch_runs(ax: Axes, runs: list[tuple[int, int, int]]) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    if not runs:
        return
    rectangles = [Rectangle((column - 0.5, row - 0.5), 1, length) for column, row, length in runs]
    ax.add_collection(
        PatchCollection(rectangles, facecolor="none", edgecolor=EDGE_GREY, hatch=UNKNOWN_HATCH, linewidth=0)
    )


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
    hatch_runs(ax, unknown_runs(codes))
    texts = label_cells(ax, row_labels, column_labels)
    cell_grid(ax, len(codes), len(column_labels))
    ax.set_xlim(-0.5, len(column_labels) - 0.5)
    ax.set_ylim(len(codes) - 0.5, -0.5)
    return texts


def add_status_legend(
    figure: Figure,
    strings: UiStrings,
    statuses: Sequence[str] = STATUSES,
    looks: Mapping[str, str] | None = None,
    **options: Any,
) -> None:
    """The status legend in one row under the header band (``looks``: see :func:`status_handles`)."""
    height = figure.get_size_inches()[1]
    settings = {"loc": "upper left", "ncols": len(statuses), "handlelength": 1.2, "columnspacing": 0.9,
                "bbox_to_anchor": (0.1 / WIDTH_IN, 1 - (HEADER_IN - 0.05) / height), **options}  # fmt: skip
    figure.legend(handles=status_handles(strings, statuses, looks), **settings)


def no_data_note(data: ReportData, strings: UiStrings) -> str:
    if not data.no_data_instruments:
        return ""
    return strings("chart.no_data_instruments", instruments=", ".join(data.no_data_instruments))


def share_colours() -> Any:
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("share_party", list(SHARE_RAMP))


def percent(value: float, strings: UiStrings) -> str:
    return strings("chart.percent", value=f"{value * 100:.0f}")


def stacked_status_bars(
    ax: Axes, values: dict[str, list[float]], strings: UiStrings, looks: Mapping[str, str] | None = None
) -> list[float]:
    """Horizontal bars stacked by status in palette colours (unknown hatched), one row per position.

    ``values`` maps each status, in stacking order, to one length per row (NaN draws nothing). Returns
    where each row ends. ``looks``: see :func:`status_handles`.
    """
    lengths = [[0.0 if v != v else v for v in column] for column in values.values()]
    starts = [0.0] * (len(lengths[0]) if lengths else 0)
    positions = list(range(len(starts)))
    for status, widths in zip(values, lengths, strict=True):
        look = looks[status] if looks else status
        ax.barh(positions, widths, left=starts, height=0.72, color=STATUS_COLOURS[look], edgecolor=EDGE_GREY,
                linewidth=0.3, hatch=UNKNOWN_HATCH if look == UNKNOWN else None,
                label=strings(f"procstatus.{status}") if looks else strings.status(status))  # fmt: skip
        starts = [s + w for s, w in zip(starts, widths, strict=True)]
    return starts


def stale_note(data: ReportData, strings: UiStrings) -> str:
    if not data.stale_instruments:
        return ""
    return strings("chart.stale_instruments", instruments=", ".join(data.stale_instruments))


def png_bytes(rgba: Any, dpi: float) -> bytes:
    """Encode an RGBA buffer as PNG: RGB when opaque (every chart), no row filter, zlib level 1, no software
    stamp; the pixels of matplotlib's PNG in fewer bytes, ~3 times faster than Pillow's encoder (which tries
    every row filter): 14 charts 0.55 -> 0.2 s CPU. ``dpi`` is recorded (pHYs) so the charts print at size."""
    import struct
    import zlib

    import numpy as np

    pixels = np.asarray(rgba, dtype=np.uint8)
    height, width = pixels.shape[:2]
    opaque = bool((pixels[..., 3] == 255).all())
    if opaque:
        pixels = pixels[..., :3]
    rows = np.empty((height, 1 + width * pixels.shape[2]), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None on every row
    rows[:, 1:] = pixels.reshape(height, -1)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESS_LEVEL)),
        chunk(b"IEND", b""),
    ))  # fmt: skip


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
        if fmt == "png":  # drawn as for savefig's PNG, encoded by png_bytes
            stream.write(png_bytes(rendered_rgba(figure, PNG_DPI), PNG_DPI))
        else:
            figure.savefig(stream, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return target


def rendered_rgba(figure: Figure, dpi: float) -> Any:
    """The figure drawn at ``dpi`` as savefig draws a PNG (its face colour, no transparency), as an
    (height, width, 4) array of bytes."""
    import io

    import numpy as np

    stream = io.BytesIO()
    figure.savefig(stream, format="rgba", dpi=dpi)
    canvas: Any = figure.canvas  # an Agg canvas (``new_figure``): its last renderer drew it, at ``dpi``
    renderer = canvas.renderer  # its size is the buffer's
    width, height = int(renderer.width), int(renderer.height)
    return np.frombuffer(stream.getvalue(), dtype=np.uint8).reshape(height, width, 4)


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
