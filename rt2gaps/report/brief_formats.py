"""A country brief as a Word document or a self-contained HTML page, with the Markdown's content.

``render_markdown`` stays the one place that decides what a brief says. Its output uses a small
subset of Markdown (``#``/``##`` headings, pipe tables, ``-`` items, one image, paragraphs), which
``brief_blocks`` reads back into blocks; ``brief_html`` and ``brief_docx`` lay the blocks out for
A4 paper. So the three formats cannot drift apart: a ministry edits the Word file, the web gets the
Markdown, and anyone can print the HTML page (the scorecard is embedded, nothing else is fetched).
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass
from datetime import date

BRIEF_FORMATS = ("md", "docx", "html")
IMAGE = re.compile(r"^!\[(?P<alt>.*)\]\((?P<src>[^)]*)\)$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Block:
    """One piece of a brief: ``kind`` is title, heading, paragraph, item, table or image."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # table: header row first


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()[1:-1]
    return tuple(cell.strip().replace("\\|", "|") for cell in CELL_SPLIT.split(inner))


def brief_blocks(markdown: str) -> list[Block]:
    """The blocks of a brief written by ``render_markdown`` (its Markdown subset, nothing more)."""
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not set(line) <= set("|-: "):  # the |---|---| rule under the header
                table.append(_cells(line))
            continue
        if table:
            blocks.append(Block("table", rows=tuple(table)))
            table = []
        if not line.strip():
            continue
        if line.startswith("# "):
            blocks.append(Block("title", line[2:]))
        elif line.startswith("## "):
            blocks.append(Block("heading", line[3:]))
        elif line.startswith("- "):
            blocks.append(Block("item", line[2:]))
        elif match := IMAGE.match(line):
            blocks.append(Block("image", match["alt"], rows=((match["src"],),)))
        else:
            blocks.append(Block("paragraph", line))
    if table:
        blocks.append(Block("table", rows=tuple(table)))
    return blocks


PRINT_CSS = """\
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.35; color: #111;
       max-width: 178mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; page-break-inside: auto; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #ddd; }
tr { page-break-inside: avoid; }
img { max-width: 100%; height: auto; }
ul { padding-left: 14pt; }
"""


def brief_html(blocks: list[Block], lang: str, images: dict[str, bytes] | None = None) -> str:
    """The brief as one HTML page: print styles for A4, the scorecard embedded as a data URI."""
    images = images or {}
    title = next((b.text for b in blocks if b.kind == "title"), "")
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>", f"<style>\n{PRINT_CSS}</style>", "</head>", "<body>"]  # fmt: skip
    in_list = False
    for block in blocks:
        if in_list and block.kind != "item":
            out.append("</ul>")
            in_list = False
        text = html.escape(block.text)
        if block.kind == "title":
            out.append(f"<h1>{text}</h1>")
        elif block.kind == "heading":
            out.append(f"<h2>{text}</h2>")
        elif block.kind == "item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{text}</li>")
        elif block.kind == "paragraph":
            out.append(f"<p>{text}</p>")
        elif block.kind == "image":
            data = images.get(block.rows[0][0])
            if data is not None:
                encoded = base64.b64encode(data).decode("ascii")
                out.append(f'<p><img alt="{text}" src="data:image/png;base64,{encoded}"></p>')
        elif block.kind == "table":
            header, *rows = block.rows
            out.append("<table>")
            out.append("<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr></thead>")
            out.append("<tbody>")
            out.extend("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            out.append("</tbody></table>")
    if in_list:
        out.append("</ul>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def brief_docx(blocks: list[Block], lang: str, on: date, images: dict[str, bytes] | None = None) -> bytes:
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
    width = section.page_width - section.left_margin - section.right_margin
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=1)
        elif block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "image":
            data = images.get(block.rows[0][0])
            if data is not None:
                document.add_picture(io.BytesIO(data), width=width)
        elif block.kind == "table":
            header, *rows = block.rows
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            table.style = "Table Grid"
            for r, values in enumerate(block.rows):
                for c, value in enumerate(values):
                    cell = table.cell(r, c)
                    cell.text = value
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(8)
                            run.font.bold = r == 0
    properties = document.core_properties
    stamp = datetime(on.year, on.month, on.day)
    properties.created = properties.modified = stamp
    properties.last_printed = stamp
    properties.author = properties.last_modified_by = "rt2gaps"
    properties.title = next((b.text for b in blocks if b.kind == "title"), "")
    properties.language = lang
    properties.revision = 1
    stream = io.BytesIO()
    document.save(stream)
    return fixed_time_zip(stream.getvalue(), on)
