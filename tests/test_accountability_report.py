"""The workbook's Complaints procedures and Reservations sheets and the Matrix's P* marker (issue 10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.report import write_report
from rt2gaps.report.tables import build_report_data

ON = date(2026, 2, 3)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, openpyxl.Workbook]:
    data = build_report_data(load_set("rt2-priority"), current_snapshot(), ON)
    out = tmp_path_factory.mktemp("report")
    books = {}
    for lang in ("en", "fr"):
        paths = write_report(data, out / lang, lang)
        books[lang] = openpyxl.load_workbook(paths.workbook)
        books[f"{lang}_csv"] = paths.csv_folder
    return books


def _row_of(ws, iso3: str) -> dict[str, object]:
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] == iso3:
            return dict(zip(header, row, strict=False))
    raise AssertionError(iso3)


def test_complaints_sheet_shows_statuses_and_the_procedure_state(workbooks) -> None:
    ws = workbooks["en"]["Complaints procedures"]
    assert _row_of(ws, "MEX")["ICRMW-77"] == "Acc"
    assert _row_of(ws, "TUR")["ICRMW-77"] == "N"
    assert _row_of(ws, "FRA")["ICRMW-77"] == "–"
    own = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]], strict=False))
    assert own["ICRMW-77"] == "not in force (5 of 10)"
    assert own["CAT-22"].startswith("in force (")
    fr = workbooks["fr"]["Procédures de plainte"]
    assert dict(zip([c.value for c in fr[1]], [c.value for c in fr[2]], strict=False))["ICRMW art. 77"].startswith(
        "pas en vigueur"
    )


def test_reservations_sheet_and_matrix_marker(workbooks) -> None:
    ws = workbooks["en"]["Reservations"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    uganda = [r for r in rows if r["ISO3"] == "UGA" and r["Instrument"] == "ICRMW"]
    assert [(r["Kind"], r["Articles"], r["Dispute clause only"]) for r in uganda] == [("Reservation", "18(3)(d)", "no")]
    assert isinstance(uganda[0]["Date"], object) and uganda[0]["Text as published"].startswith(
        '"The Republic of Uganda'
    )
    matrix = workbooks["en"]["Matrix"]
    header = [c.value for c in matrix[1]]
    column = header.index("ICRMW")
    cells = {row[0]: row[column] for row in matrix.iter_rows(min_row=2, values_only=True) if row[0]}
    assert cells["UGA"] == "P*"  # a reservation on art. 18(3)(d)
    assert cells["DZA"] == "P"  # only the dispute clause, art. 92(1)
    legend = workbooks["en"]["Matrix legend"]
    assert any(isinstance(c.value, str) and c.value.startswith("P* =") for row in legend.iter_rows() for c in row)


def test_run_tables_include_the_new_csv(workbooks) -> None:
    folder: Path = workbooks["en_csv"]
    text = (folder / "complaints_procedures.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "iso3,name_en,procedure,status,declared,since,procedure_in_force,source,source_as_of"
    assert "MEX,Mexico,ICRMW-77,accepted,2008-09-15,,false," in text  # declared; not in effect (art. 77 not in force)
    assert (folder / "reservations.csv").is_file() and (folder / "procedure_states.csv").is_file()


def test_brief_section_reservations_and_complaints() -> None:
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.briefs import BriefBuilder, render_markdown

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), ON)
    uganda = render_markdown(BriefBuilder(data).brief("UGA"), data, UiStrings("en"))
    section = uganda.split("## Reservations and complaints", 1)[1].split("\n## ", 1)[0]
    assert "**ICRMW**, Reservation (art. 18(3)(d)), 1995-11-14: “The Republic of Uganda cannot guarantee" in section
    assert "ICRMW art. 77: individual communications (not accepted)" in section
    mexico = render_markdown(BriefBuilder(data).brief("MEX"), data, UiStrings("fr"))
    section = mexico.split("## Réserves et plaintes", 1)[1].split("\n## ", 1)[0]
    assert (
        "ICRMW art. 77\u202f: communications individuelles\u202f: acceptée par une déclaration du "
        "15 septembre 2008 (la procédure elle-même n'est pas encore en vigueur)"
    ) in section
    assert "**PIDCP**" in section or "**ICCPR**" in section
    assert "Réserve (art. 25(b)), 23 mars 1981\u202f: « The Government of Mexico" in section  # the normalised kind
    assert "Objection" not in section  # objections are not the State's reservations


def test_charts_acceptance_and_icrmw77_migrants() -> None:
    from matplotlib.text import Text

    from rt2gaps.i18n import UiStrings
    from rt2gaps.report.charts import icrmw77_migrants, procedure_acceptance

    data = build_report_data(load_set("rt2-priority"), current_snapshot(), ON)
    table = data.tables["complaints_migrants"]
    accepted = table[(table["procedure"] == "ICRMW-77") & (table["status"] == "accepted")].iloc[0]
    assert accepted["states"] == 5 and accepted["figures_as_of"] == "mid-2020"
    texts = {t.get_text() for t in procedure_acceptance(data, UiStrings("en")).findobj(Text)}
    assert "5 of 60 accept (8%)" in texts
    millions = f"{accepted['migrant_stock'] / 1e6:.1f}"
    texts = {t.get_text().strip() for t in icrmw77_migrants(data, UiStrings("fr")).findobj(Text)}
    assert f"{millions.replace('.', ',')} M dans 5 États" in texts
