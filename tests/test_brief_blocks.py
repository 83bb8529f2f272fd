"""A brief is built once as blocks and laid out three ways (issue 19, Briefs; issue 20; issue 21 item 11).

Word and HTML hold no Markdown, Word tables are sized to their content with a header row repeated on
each page, titles name the set by its title, a closing section says what the State could do, and the
Markdown escapes raw HTML and markup from any text it did not write itself.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data
from rt2gaps.report.accountability import QUOTE_LIMIT, quoted
from rt2gaps.report.brief_formats import (
    CELL_PADDING_CM,
    Paragraph,
    Table,
    column_widths,
    render_docx,
    render_html,
    render_md,
    runs,
    text_width_cm,
)
from rt2gaps.report.briefs import BriefBuilder, render_markdown, write_briefs

ON = date(2026, 2, 3)
MARKDOWN = re.compile(r"\*\*|__|\[[^\]]*\]\([^)]*\)")  # bold, bold, a link
WORD_MARGINS_CM = 0.38  # Word's default cell margins, 0.19 cm a side
TITLES = {"en": "Mexico: RT2 priority instruments", "fr": "Mexique\u202f: Instruments prioritaires de la TR2"}


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), ON)


@pytest.fixture(scope="module")
def mexico(real_data, tmp_path_factory: pytest.TempPathFactory):
    """Mexico's brief in the three formats, in English and French."""
    folder = tmp_path_factory.mktemp("mex")
    return {lang: write_briefs(real_data, folder, lang, ["MEX"], formats=("md", "docx", "html"))[0]
            for lang in ("en", "fr")}  # fmt: skip


class VisibleText(HTMLParser):
    """The text a reader sees in an HTML page (not its style sheet), and the text set in bold."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []
        self.bold: list[str] = []
        self.in_bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("style", "head")
        self.in_bold = self.in_bold or tag == "strong"

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "head")
        self.in_bold = self.in_bold and tag != "strong"

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
            if self.in_bold:
                self.bold.append(data)


def html_text(page: str) -> VisibleText:
    reader = VisibleText()
    reader.feed(page)
    return reader


def docx_texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    return texts + [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end >= 0 else None]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_word_and_html_show_no_markdown(mexico, lang: str) -> None:
    """Issue 19: "Reservations and complaints" showed literal **ICRMW** in Word and HTML."""
    files = mexico[lang]
    document = Document(str(files.docx))
    texts = docx_texts(document)
    page = html_text(files.html.read_text(encoding="utf-8"))
    visible = "".join(page.parts)
    for text in [*texts, visible]:
        assert not MARKDOWN.search(text), MARKDOWN.search(text)
    # the instrument of each reservation is bold as a run, as the Markdown makes it bold with **
    bold_runs = {run.text for p in document.paragraphs for run in p.runs if run.bold}
    assert {"ICRMW", "ICCPR" if lang == "en" else "PIDCP"} <= bold_runs
    assert {"ICRMW", "ICCPR" if lang == "en" else "PIDCP"} <= set(page.bold)
    assert "**ICRMW**" in files.markdown.read_text(encoding="utf-8")


def test_a_value_that_looks_like_markup_stays_text_in_every_format() -> None:
    hostile = "**x** __y__ [a](https://e.example) </p><script>alert(1)</script>\n# z"
    blocks = [Paragraph(runs(UiStrings("en"), "brief.todo_accept_item", bold=("label",), label=hostile)),
              Table(("h",), ((hostile,),))]  # fmt: skip
    markdown = render_md(blocks)
    assert "<script>" not in markdown and "&lt;/p&gt;&lt;script&gt;" in markdown
    assert "\\*\\*x\\*\\*" in markdown and "\\[a\\](https://e.example)" in markdown
    assert len([line for line in markdown.splitlines() if line]) == 4  # a paragraph, a table: "# z" is no heading
    page = render_html(blocks, "en")
    assert "<script>" not in page and "&lt;/p&gt;&lt;script&gt;" in page and "<a " not in page
    document = Document(__import__("io").BytesIO(render_docx(blocks, "en", ON)))
    assert document.paragraphs[0].runs[0].text == hostile and document.paragraphs[0].runs[0].bold
    assert [run.bold for p in document.paragraphs for run in p.runs] == [True]  # nothing else made bold


def test_markdown_escapes_raw_html_from_a_source_and_keeps_prose_without_apostrophes(real_data) -> None:
    """Issue 21 item 11: the Markdown brief carried raw HTML from ``--source``; and the spreadsheet
    apostrophe was put in prose: "('--as-of given at import)"."""
    source = {"source_key": "import-1", "format": "user-table", "origin": "</p><script>alert(1)</script>",
              "as_of": "2026-02-03", "as_of_basis": "--as-of given at import",
              "url": "javascript:alert(1)"}  # fmt: skip
    brief = replace(BriefBuilder(real_data).brief("MEX"), sources=(source,))
    text = render_markdown(brief, real_data, UiStrings("en"))
    assert "<script" not in text and "</p>" not in text
    assert "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "(--as-of given at import)" in text and "'--as-of" not in text
    assert "](javascript:" not in text  # only web addresses become links


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_word_tables_fit_the_page_sized_to_content_with_a_repeated_header(mexico, lang: str) -> None:
    document = Document(str(mexico[lang].docx))
    section_ = document.sections[0]
    page_cm = (section_.page_width - section_.left_margin - section_.right_margin) / 360000
    assert document.tables
    for table in document.tables:
        widths = [column.width / 360000 for column in table.columns]
        assert sum(widths) == pytest.approx(page_cm, abs=0.05)  # the page's width, not wider
        assert len(set(round(w, 2) for w in widths)) > 1  # not equal columns
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
        for r, row in enumerate(table.rows):  # no word wider than its column: none is broken inside
            for cell, width in zip(row.cells, widths, strict=True):
                pieces = re.split(r"\s+|(?<=\u200b)", cell.text)  # where Word may break a line
                longest = max((text_width_cm(w.strip("\u200b"), bold=r == 0) for w in pieces), default=0)
                assert longest <= width - WORD_MARGINS_CM, (cell.text, width)
    status = document.tables[0]
    widths = [column.width for column in status.columns]
    header = [cell.text for cell in status.rows[0].cells]
    title = widths[1]  # the instrument titles: the widest
    assert title == max(widths)
    signed, source_as_of = widths[header.index(UiStrings(lang)("col.signature_date"))], widths[-1]
    assert max(signed, source_as_of) < 2.2 * 360000 < title  # dates narrow (a date is about 1.5 cm at 8 pt)


def test_column_widths_share_the_room_by_need() -> None:
    header = ("Instrument", "Title", "Signed on")
    rows = [("ICRMW", "International Convention on the Protection of the Rights of All Migrant Workers", "1991-05-22")]
    widths = column_widths(header, rows, 17.4)
    assert sum(widths) == pytest.approx(17.4)
    assert widths[1] > widths[0] > 0 and widths[1] > widths[2]
    assert widths[1] >= text_width_cm("International") + CELL_PADDING_CM
    short = column_widths(("a", "bb"), [("c", "dd")], 10.0)  # everything fits: shared in proportion
    assert sum(short) == pytest.approx(10.0) and short[1] > short[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_titles_name_the_set_by_its_title_and_point_to_no_sheet(mexico, lang: str) -> None:
    files = mexico[lang]
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.splitlines()[0] == f"# {TITLES[lang]}"
    document = Document(str(files.docx))
    assert document.paragraphs[0].text == TITLES[lang] == document.core_properties.title
    page = files.html.read_text(encoding="utf-8")
    assert f"<title>{TITLES[lang].replace(chr(39), '&#x27;')}</title>" in page
    prose = [line for line in markdown.splitlines() if not line.startswith("![")]  # the scorecard's file name
    for texts in (prose, docx_texts(document), html_text(page).parts):
        joined = "\n".join(texts)
        assert "rt2-priority" not in joined
        assert "Data quality" not in joined and "Qualité des données" not in joined


# Mexico on 2026-02-03, checked by hand against the command line (rt2gaps status / procedures /
# reservations --country MEX, same date): of the set, C187 is "none" and C097, C143, C181, C189, C190
# unknown, the rest party, nothing signed only; of the individual procedures OP-ICESCR and OPIC are
# "not_accepted", the others accepted; the one standing reservation not only on a dispute clause is
# the ICCPR's on article 25(b) of 1981-03-23 (the other standing statements are declarations).
MEXICO_COULD_DO: dict[str, list[str | re.Pattern[str]]] = {
    "en": [
        "## What this State could do",
        "**Ratify or join (those it signed first):**",
        "- **C187** (Promotional Framework for Occupational Safety and Health Convention, 2006 (No. 187)): "
        "ratify",  # an ILO Convention: no accession
        "**Accept the individual complaints procedures:**",
        "- **OP-ICESCR: individual communications**",
        "- **OP-CRC on a communications procedure**",
        "**Withdraw the reservations that go beyond the dispute clause:**",
        re.compile(r"- \*\*ICCPR\*\*: Reservations? \(art\. 25\(b\)\), 1981-03-23"),  # the page's kind word, or one
        "Not listed, because their status is unknown (no data, never read as 'not ratified'): "
        "C097, C143, C181, C189, C190.",
    ],
    "fr": [
        "## Ce que cet État pourrait faire",
        "**Ratifier ou adhérer (d'abord ce qu'il a signé)\u202f:**",
        "- **C187** (Convention (n° 187) sur le cadre promotionnel pour la sécurité et la santé au travail, "
        "2006)\u202f: ratifier",
        "**Accepter les procédures de plainte individuelle\u202f:**",
        "- **PF-PIDESC\u202f: communications individuelles**",
        "- **PF-CDE établissant une procédure de présentation de communications**",
        "**Retirer les réserves qui vont au-delà de la clause de règlement des différends\u202f:**",
        re.compile(r"- \*\*PIDCP\*\*\u202f: Réserves? \(art\. 25\(b\)\), 23 mars 1981"),
        "Non mentionnés, car leur statut est inconnu (pas de données, jamais lu comme « non ratifié »)\u202f: "
        "C097, C143, C181, C189, C190.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_closing_section_says_what_mexico_could_do(mexico, lang: str) -> None:
    markdown = mexico[lang].markdown.read_text(encoding="utf-8")
    heading = MEXICO_COULD_DO[lang][0].removeprefix("## ")
    lines = [line for line in section(markdown, heading).splitlines() if line.strip()]
    assert len(lines) == len(MEXICO_COULD_DO[lang])
    for line, expected in zip(lines, MEXICO_COULD_DO[lang], strict=True):
        assert expected.fullmatch(line) if isinstance(expected, re.Pattern) else line == expected
    page = html_text(mexico[lang].html.read_text(encoding="utf-8"))
    assert heading in page.parts and "C187" in page.bold
    assert heading in docx_texts(Document(str(mexico[lang].docx)))


def test_what_it_signed_comes_first(real_data) -> None:
    signed = real_data.tables["signed_not_ratified"]
    row = signed[signed["iso3"] == "USA"].iloc[0]
    markdown = render_markdown(BriefBuilder(real_data).brief("USA"), real_data, UiStrings("en"))
    items = [line for line in section(markdown, "What this State could do").splitlines() if line.startswith("- ")]
    assert items[0].startswith(f"- **{row.instrument}** (")
    assert items[0].endswith(f"ratify what it signed on {row.signature_date.isoformat()}")
    assert len(items) > 1 and all("ratify what it signed" not in item for item in items[1:])
    # the United States on 2026-02-03 (rt2gaps status): ICRMW and C029 "none"; only a UN treaty is acceded to
    assert (
        "- **ICRMW** (International Convention on the Protection of the Rights of All Migrant Workers and Members "
        "of their Families): ratify or accede"
    ) in items
    assert "- **C029** (Forced Labour Convention, 1930 (No. 29)): ratify" in items


def test_reservation_quotes_whole_or_cut_at_a_sentence_with_the_whole_text_in_the_annex(mexico) -> None:
    assert quoted("Short text, whole.") == ("Short text, whole.", False)
    long = "First sentence about art. 5 of the Covenant. " * 20 + "Last words"
    shown, cut = quoted(long)
    assert cut and shown.endswith("Covenant.") and len(shown) <= QUOTE_LIMIT and long.startswith(shown)
    one_sentence = "word " * 200  # no sentence end: whole, never cut inside
    assert quoted(one_sentence) == (one_sentence.strip(), False)
    markdown = mexico["en"].markdown.read_text(encoding="utf-8")
    assert "…" not in section(markdown, "Reservations and complaints").replace("\\[…\\]", "")
    item = next(line for line in markdown.splitlines() if line.startswith("- **ICCPR**, Declaration (art. 9(5), 18)"))
    assert item.endswith("just compensation. \\[…\\]” (whole text in the annex, no. 1)")
    annex = section(markdown, "Annex: reservation and declaration texts in full")
    assert "1\\. **ICCPR**, Declaration (art. 9(5), 18), 1981-03-23" in annex
    assert "are included among those established in paragraph 3 of this article.”" in annex


def test_a_brief_is_the_same_bytes_from_the_same_data(real_data, mexico, tmp_path: Path) -> None:
    again = write_briefs(real_data, tmp_path, "en", ["MEX"], formats=("md", "docx", "html"))[0]
    for name in ("markdown", "docx", "html"):
        assert getattr(again, name).read_bytes() == getattr(mexico["en"], name).read_bytes()
