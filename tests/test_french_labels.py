"""One French label per instrument: PIDCP and PIDESC wherever the French outputs name the Covenants,
ICRMW for the Migrant Workers Convention everywhere (its procedures included); only the depositary's
quoted texts keep their own words."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.procedures import load_procedures
from rt2gaps.report import build_report_data, table_csv_texts
from rt2gaps.report.excel import build_workbook
from rt2gaps.report.localise import instrument_list_text, procedure_labels

ENGLISH_ACRONYM = re.compile(r"\b(ICCPR|ICESCR)\b")
OTHER_MIGRANT_LABELS = re.compile(r"\b(CIPDTM|CMW)\b")


@pytest.fixture(scope="module")
def data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), date(2026, 2, 3))


def test_the_french_workbook_says_pidcp_and_pidesc_outside_quoted_texts(data) -> None:
    book = build_workbook(data, "fr")
    quoted = book["Réserves"]
    text_column = [c.value for c in quoted[1]].index("Texte publié") + 1
    english, icrmw = [], 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or (ws is quoted and cell.column == text_column):
                    continue
                if ENGLISH_ACRONYM.search(cell.value) or OTHER_MIGRANT_LABELS.search(cell.value):
                    english.append(f"{ws.title}!{cell.coordinate}: {cell.value[:80]}")
                icrmw += "ICRMW" in cell.value
    assert english == []
    assert icrmw > 10
    headers = [c.value for c in book["Procédures de plainte"][1]]
    assert "PIDCP art. 41" in headers and "ICRMW art. 77" in headers and "ICCPR-41" not in headers
    assert "PIDCP" in [c.value for c in book["Matrice"][1]]


def test_french_csv_names_instruments_in_french_and_the_matrix_headers_match_its_cells(data) -> None:
    texts = table_csv_texts(data, "fr")
    for name, text in texts.items():
        if name != "reservations.csv":
            assert not ENGLISH_ACRONYM.search(text), name
    rows = list(csv.reader(io.StringIO(texts["matrix.csv"].lstrip("\ufeff"))))
    header = rows[0]
    assert "PIDCP" in header and "ICRMW" in header  # the instrument, not "ICRMW : part des parties"
    assert not any("part des parties" in h for h in header)
    column = header.index("PIDCP")
    assert {row[column] for row in rows[1:]} <= {"Partie", "En attente", "Signataire", "Retiré", "Aucun acte",
                                                 "Non admissible", "Inconnu"}  # fmt: skip
    country = list(csv.reader(io.StringIO(texts["country_gaps.csv"].lstrip("\ufeff"))))
    assert any("PIDCP" in cell for row in country[1:] for cell in row)


def test_english_keeps_ids_and_french_procedure_labels_follow_the_instrument_labels() -> None:
    assert procedure_labels("en")["ICCPR-41"] == "ICCPR-41"
    french = procedure_labels("fr")
    assert french["ICCPR-41"] == "PIDCP art. 41" and french["ICRMW-77"] == "ICRMW art. 77"
    assert french["OP-ICESCR"] == "PF-PIDESC"
    assert all(p.label_fr.startswith("ICRMW") for p in load_procedures().values() if p.instrument == "ICRMW")
    labels = {"ICCPR": "PIDCP", "ICESCR": "PIDESC"}
    assert instrument_list_text("ICRMW (60), ICCPR (174)", labels) == "ICRMW (60), PIDCP (174)"
    assert instrument_list_text("ICCPR, ICESCR", labels) == "PIDCP, PIDESC"
    assert instrument_list_text("the ICCPR says", labels) == "the ICCPR says"  # prose is never rewritten


BAD_FRENCH_SPACING = re.compile(r"(?:[^\s\u202f\u00a0]|(?<=\S) )[;:!?](?=\s|$)")


def test_french_workbook_puts_a_narrow_space_before_double_punctuation(data) -> None:
    """``Synthèse : …``, `` ; `` between sources: a narrow no-break space before ; : ? ! (quoted texts excepted)."""
    from rt2gaps.i18n import UiStrings, french_spacing

    book = build_workbook(data, "fr")
    wrong = []
    for ws in book.worksheets:
        if ws.title == "Réserves":
            continue  # the depositary's own words
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and BAD_FRENCH_SPACING.search(cell.value) and "://" not in cell.value:
                    wrong.append(f"{ws.title}!{cell.coordinate}: {cell.value[:80]}")
    assert wrong == []
    assert book["Synthèse"]["A1"].value.startswith("Synthèse\u202f: ")
    assert any("vérifié avec" in str(c.value) for row in book["À propos"].iter_rows() for c in row)  # provenance
    assert french_spacing("a ; b: c ! https://x {v:.1f}") == "a\u202f; b\u202f: c\u202f! https://x {v:.1f}"
    assert UiStrings("en")("summary.title", set="s", as_of="d") == "Summary: s, as of d"  # English untouched
