"""A country brief as blocks (headings, paragraphs of inline runs, lists, tables, the scorecard),
and three renderers: Markdown, a Word document and a self-contained HTML page.

The content code (``briefs.brief_document``) builds the blocks once; each renderer lays them out
in its own format and escapes text its own way. No format is parsed back into another, so text
that looks like markup (``**ICRMW**``, ``</p><script>``) is shown as the characters it is, and bold
or a link exists only where the content code made a run bold or a link.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rt2gaps.report.safe_text import neutralise

if TYPE_CHECKING:
    from rt2gaps.i18n import UiStrings

BRIEF_FORMATS = ("md", "docx", "html")


@dataclass(frozen=True)
class Run:
    """A stretch of inline text: plain, bold, or a link to ``url`` (only http and https become links)."""

    text: str
    bold: bool = False
    url: str = ""


Inline = tuple[Run, ...]


@dataclass(frozen=True)
class Heading:
    """The brief's title (level 1) or a section heading (level 2)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    runs: Inline


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    """The scorecard: ``name`` is its file beside the Markdown, and its key in the images given to Word and HTML."""

    alt: str
    name: str


Block = Heading | Paragraph | BulletList | Table | Image


def plain(text: str) -> Inline:
    return (Run(text),)


def runs(strings: UiStrings, key: str, bold: Iterable[str] = (), links: Iterable[str] = (), **values: object) -> Inline:
    """The UI string ``key`` filled with ``values``, the fields named in ``bold`` as bold runs and those
    in ``links`` as links to themselves (a web address).

    The template is split on its fields, so a value is never read as markup whatever it holds.
    """
    strong, linked = set(bold), set(links)
    out: list[Run] = []
    for literal, field, spec, conversion in string.Formatter().parse(strings(key)):
        if literal:
            out.append(Run(literal))
        if field is not None:
            value = values[field]
            text = format(repr(value) if conversion == "r" else value, spec or "")
            if text:
                out.append(Run(text, bold=field in strong, url=text if field in linked else ""))
    merged: list[Run] = []
    for run in out:  # neighbouring plain runs as one
        if merged and not run.bold and not run.url and not merged[-1].bold and not merged[-1].url:
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)


def blocks_of(content: Sequence[Block | str]) -> list[Block]:
    """The content code's list as blocks: a string is a paragraph of plain text, an empty one nothing."""
    return [Paragraph(plain(item)) if isinstance(item, str) else item for item in content if item != ""]


def title_of(blocks: Sequence[Block]) -> str:
    return next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")


def inline_text(inline: Inline) -> str:
    return "".join(run.text for run in inline)


def block_texts(blocks: Sequence[Block]) -> list[str]:
    """Every heading, paragraph, item and cell text in order, as a reader sees it (for comparing formats)."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            texts.append(block.text)
        elif isinstance(block, Paragraph):
            texts.append(inline_text(block.runs))
        elif isinstance(block, BulletList):
            texts.extend(inline_text(item) for item in block.items)
        elif isinstance(block, Table):
            texts.extend(cell for row in (block.header, *block.rows) for cell in row if cell)
    return [" ".join(text.split()) for text in texts]


def is_web_link(url: str) -> bool:
    return url.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in url)


# --- Markdown -----------------------------------------------------------------------------------

MD_SPECIAL = re.compile(r"([\\`*\[\]~|]|(?<!\w)_|_(?!\w))")  # an underscore inside a word is text already
MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def md_text(text: str) -> str:
    """Text that Markdown shows as written: its markup characters backslashed, HTML as entities, one line."""
    text = re.sub(r"[\r\n]+", " ", text)  # one line (a no-break space stays one)
    return html.escape(MD_SPECIAL.sub(r"\\\1", text), quote=False)


def md_inline(inline: Inline) -> str:
    out = []
    for run in inline:
        text = md_text(run.text)
        if run.url and is_web_link(run.url):
            target = run.url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
            text = f"[{text}]({target})"
        elif run.bold and text.strip():
            text = f"**{text}**"
        out.append(text)
    line = "".join(out)
    return MD_LINE_START.sub(_unmark_line_start, line)


def _unmark_line_start(match: re.Match[str]) -> str:
    """``# x``, ``> x``, ``- x`` or ``1. x`` at a line's start read as text, not as a heading, quote or list."""
    lead, mark = match.group(1), match.group(2)
    return lead + (mark + "\\" if mark[0].isdigit() else "\\" + mark)


def md_cell(text: str) -> str:
    """A table cell: escaped like prose, and never read as a formula if the table is pasted into a sheet."""
    return md_text(neutralise(text))


def render_md(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + md_text(block.text), ""]
        elif isinstance(block, Paragraph):
            out += [md_inline(block.runs), ""]
        elif isinstance(block, BulletList):
            out += [*(f"- {md_inline(item)}" for item in block.items), ""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(md_cell(h) for h in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Image):
            out += [f"![{md_text(block.alt)}]({block.name})", ""]
    return "\n".join(out)


# --- HTML ---------------------------------------------------------------------------------------

PRINT_CSS = """\
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.35; color: #111;
       max-width: 178mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #ddd; }
td.word { white-space: nowrap; }
tr { page-break-inside: avoid; }
img { max-width: 100%; height: auto; }
ul { padding-left: 14pt; }
a { color: inherit; overflow-wrap: anywhere; }
"""


def html_inline(inline: Inline) -> str:
    out = []
    for run in inline:
        text = html.escape(run.text)
        if run.url and is_web_link(run.url):
            text = f'<a href="{html.escape(run.url)}">{text}</a>'
        elif run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _html_cell(text: str) -> str:
    """A body cell; one short word (a date, a code) is kept on one line, not broken at its hyphens;
    a span of dates may break after its slash."""
    one_word = 0 < len(text) <= 24 and not any(c.isspace() or c == "/" for c in text)
    escaped = html.escape(text).replace("/", "/<wbr>")  # a span of dates may break after its slash
    return f'<td class="word">{escaped}</td>' if one_word else f"<td>{escaped}</td>"


def render_html(blocks: Sequence[Block], lang: str, images: dict[str, bytes] | None = None) -> str:
    """The brief as one HTML page: print styles for A4, the scorecard embedded as a data URI."""
    images = images or {}
    out = ["<!DOCTYPE html>", f'<html lang="{html.escape(lang)}">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title_of(blocks))}</title>", f"<style>\n{PRINT_CSS}</style>",
           "</head>", "<body>"]  # fmt: skip
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{html_inline(block.runs)}</p>")
        elif isinstance(block, BulletList):
            out += ["<ul>", *(f"<li>{html_inline(item)}</li>" for item in block.items), "</ul>"]
        elif isinstance(block, Table):
            out.append("<table>")
            out.append("<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in block.header) + "</tr></thead>")
            out.append("<tbody>")
            out += ["<tr>" + "".join(_html_cell(c) for c in row) + "</tr>" for row in block.rows]
            out.append("</tbody></table>")
        elif isinstance(block, Image):
            data = images.get(block.name)
            if data is not None:
                encoded = base64.b64encode(data).decode("ascii")
                out.append(f'<p><img alt="{html.escape(block.alt)}" src="data:image/png;base64,{encoded}"></p>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# --- Word ---------------------------------------------------------------------------------------

TABLE_FONT_PT = 8
DOCUMENT_FONT = "Arial"  # on every system, or a metric twin (Liberation Sans): the widths below hold
CELL_PADDING_CM = 0.45  # Word's default cell margins (0.19 cm a side) and a little room
# Arial's advance widths in thousandths of an em; a letter not listed is 556 (lower case, digits) or 722
ARIAL_WIDTHS = {
    **dict.fromkeys("ijlftI .,;:'!|/()[]", 278), **dict.fromkeys("r-", 333), **dict.fromkeys("cksvxyzJ", 500),
    "m": 833, "w": 722, **dict.fromkeys("ABEKPSVXY", 667), **dict.fromkeys("FTZ", 611), "L": 556,
    **dict.fromkeys("GOQ", 778), "M": 833, "W": 944, "—": 1000, "…": 1000,
}  # fmt: skip
BOLD_WIDER = 1.15  # Arial Bold: lower case about a tenth wider, and some room


@functools.lru_cache(maxsize=4096)  # the same dates, statuses and titles in every State's brief
def text_width_cm(text: str, bold: bool = False, size_pt: float = TABLE_FONT_PT) -> float:
    """``text``'s width in Arial at ``size_pt`` (accented letters as their base letter; others as 0.6 em)."""
    import unicodedata

    thousandths = 0
    for char in text:
        base = unicodedata.normalize("NFD", char)[0]
        if base in ARIAL_WIDTHS:
            thousandths += ARIAL_WIDTHS[base]
        elif base.isascii() and base.isalnum():
            thousandths += 722 if base.isupper() else 556
        else:
            thousandths += 600
    return thousandths / 1000 * size_pt * 2.54 / 72 * (BOLD_WIDER if bold else 1.0)


BREAK_AFTER_SLASH = "/\u200b"  # a zero-width space: Word may break a span of dates after its slash


def words(text: str) -> list[str]:
    """Where a line may break in a table cell: at spaces, and after a slash (``1953-05-23/1953-12-31``)."""
    return [piece for word in text.split() for piece in re.split(r"(?<=/)", word) if piece] or [""]


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total_cm: float) -> list[float]:
    """Column widths (cm) summing to ``total_cm``: each at least its longest word, the rest shared by need.

    A column whose whole texts fit is given that; otherwise the room left after every column's longest
    word goes to the columns in proportion to what they still lack, so a long title is wide and a date
    narrow, and no word is broken inside (unless the longest words alone exceed the page).
    """
    count = len(header)
    least = [CELL_PADDING_CM] * count
    whole = [CELL_PADDING_CM] * count
    for r, row in enumerate((header, *rows)):
        for c, text in enumerate(row[:count]):
            least[c] = max(least[c], max(text_width_cm(w, bold=r == 0) for w in words(text)) + CELL_PADDING_CM)
            whole[c] = max(whole[c], text_width_cm(" ".join(text.split()), bold=r == 0) + CELL_PADDING_CM)
    if sum(whole) <= total_cm:
        return [w * total_cm / sum(whole) for w in whole]
    room = total_cm - sum(least)
    if room <= 0:
        return [w * total_cm / sum(least) for w in least]
    lack = [w - m for w, m in zip(whole, least, strict=True)]
    return [m + room * gap / sum(lack) for m, gap in zip(least, lack, strict=True)]


def _add_runs(paragraph, inline: Inline) -> None:
    """Runs into a Word paragraph: bold as bold, a web link as a hyperlink (blue, underlined)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for run in inline:
        if run.url and is_web_link(run.url):
            r_id = paragraph.part.relate_to(run.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), r_id)
            element = OxmlElement("w:r")
            properties = OxmlElement("w:rPr")
            colour = OxmlElement("w:color")
            colour.set(qn("w:val"), "1F4E79")
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            properties.extend([colour, underline])
            text = OxmlElement("w:t")
            text.text = run.text
            text.set(qn("xml:space"), "preserve")
            element.extend([properties, text])
            link.append(element)
            paragraph._p.append(link)
        else:
            paragraph.add_run(run.text).bold = run.bold or None


def _word_table(document, block: Table, width_cm: float) -> None:
    """A table at the page's width, columns sized to their content, the header row repeated on each page."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    widths = [Cm(w) for w in column_widths(block.header, block.rows, width_cm)]
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False  # a fixed layout: Word keeps the widths below
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid
    for r, values in enumerate((block.header, *block.rows)):
        row = table.rows[r]
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))  # a row is not split across pages
        if r == 0:
            properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value.replace("/", BREAK_AFTER_SLASH))
            run.font.size = Pt(TABLE_FONT_PT)
            run.bold = r == 0 or None


def render_docx(blocks: Sequence[Block], lang: str, on: date, images: dict[str, bytes] | None = None) -> bytes:
    """The brief as a Word document on A4, editable: real headings, tables and list items, the scorecard.

    Document times are the as-of date and the zip entries carry it too: the same brief, the same bytes.
    """
    from datetime import datetime

    from docx import Document
    from docx.shared import Cm, Pt

    from rt2gaps.report.fixed_zip import fixed_time_zip

    images = images or {}
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.8)
    document.styles["Normal"].font.size = Pt(10)
    document.styles["Normal"].font.name = DOCUMENT_FONT
    width = section.page_width - section.left_margin - section.right_margin
    after_table = False
    for block in blocks:
        first = None  # the block's first paragraph
        if isinstance(block, Heading):
            first = document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _add_runs(first := document.add_paragraph(), block.runs)
        elif isinstance(block, BulletList):
            for item in block.items:
                _add_runs(paragraph := document.add_paragraph(style="List Bullet"), item)
                first = first or paragraph
        elif isinstance(block, Table):
            _word_table(document, block, width / 360000)  # EMU to cm
        elif isinstance(block, Image):
            data = images.get(block.name)
            if data is not None:
                document.add_picture(io.BytesIO(data), width=width)
        if after_table and first is not None and isinstance(block, Paragraph | BulletList):
            first.paragraph_format.space_before = Pt(6)  # a little room under a table
        after_table = isinstance(block, Table)
    properties = document.core_properties
    stamp = datetime(on.year, on.month, on.day)
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.author = properties.last_modified_by = "rt2gaps"
    properties.title = title_of(blocks)
    properties.language = lang
    properties.revision = 1
    stream = io.BytesIO()
    document.save(stream)
    return fixed_time_zip(stream.getvalue(), on)
