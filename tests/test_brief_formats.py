"""Briefs as Word (python-docx reads them back) and as one self-contained HTML page, with the Markdown's content."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.cli import main
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data
from rt2gaps.report.brief_formats import block_texts
from rt2gaps.report.briefs import BriefBuilder, brief_document, write_briefs

ON = date(2026, 2, 3)


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), ON)


BLOCK_TAGS = ("h1", "h2", "p", "li", "th", "td")


class PageReader(HTMLParser):
    """Collects the text of each heading, paragraph, item and cell (bold and links inside them included),
    the image sources, the tags that would fetch something and the links' targets, of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.current: list[str] | None = None
        self.images: list[str] = []
        self.fetching: list[str] = []
        self.hrefs: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "img":
            self.images.append(found.get("src") or "")
        if tag in ("link", "script", "iframe") or (tag != "a" and found.get("href")):
            self.fetching.append(tag)
        if tag == "a":
            self.hrefs.append(found.get("href") or "")
        if tag in BLOCK_TAGS:
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS and self.current is not None:
            text = " ".join("".join(self.current).split())
            if text:
                self.texts.append(text)
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_docx_has_the_markdowns_content_on_a4(real_data, tmp_path: Path, lang: str) -> None:
    files = write_briefs(real_data, tmp_path, lang, ["PHL"], formats=("md", "docx"))[0]
    assert files.docx is not None and files.docx.suffix == ".docx"
    document = Document(str(files.docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells if cell.text]
    texts = [" ".join(text.replace("\u200b", "").split()) for text in texts]  # a break after a slash
    expected = block_texts(brief_document(BriefBuilder(real_data).brief("PHL"), real_data, UiStrings(lang)))
    assert sorted(texts) == sorted(expected)
    assert document.paragraphs[0].style.name == "Heading 1"
    assert len(document.inline_shapes) == 1  # the scorecard
    assert document.core_properties.language == lang
    again = write_briefs(real_data, tmp_path / "again", lang, ["PHL"], formats=("docx",))[0]
    assert again.docx.read_bytes() == files.docx.read_bytes()  # same brief, same bytes


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_is_one_printable_page_with_the_scorecard_inside(real_data, tmp_path: Path, lang: str) -> None:
    files = write_briefs(real_data, tmp_path, lang, ["PHL"], formats=("html",))[0]
    assert files.markdown is None and files.scorecard is None  # nothing beside the page
    page = files.html.read_text(encoding="utf-8")
    reader = PageReader()
    reader.feed(page)
    assert reader.lang == lang and "size: A4" in page and "@page" in page
    assert len(reader.images) == 1 and reader.images[0].startswith("data:image/png;base64,")
    assert reader.fetching == []  # nothing fetched from elsewhere; the sources' pages are plain links
    assert reader.hrefs and all(href.startswith("https://") for href in reader.hrefs)
    blocks = brief_document(BriefBuilder(real_data).brief("PHL"), real_data, UiStrings(lang))
    assert reader.texts == block_texts(blocks)


def test_brief_verb_formats_and_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("md", "docx", "html"):
        argv = ["brief", "FJI", "--as-of", "2026-02-03", "--format", fmt, "--group", "sids", "--out", str(tmp_path)]
        code = main(argv)
        assert code == 0, capsys.readouterr().err
    written = {p.name for p in (tmp_path / "briefs").iterdir()}
    assert {"FJI_rt2-priority_sids.md", "FJI_rt2-priority_sids.docx", "FJI_rt2-priority_sids.html"} <= written
    markdown = (tmp_path / "briefs" / "FJI_rt2-priority_sids.md").read_text(encoding="utf-8")
    assert "Small island developing States" in markdown or "sids" in markdown.lower()
    assert main(["brief", "FRA", "--group", "sids", "--out", str(tmp_path / "no")]) == 2
    assert "FRA" in capsys.readouterr().err and not (tmp_path / "no").exists()
