"""French output: labels, titles, captions and legends in French, State names the UN's French short names."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest
from test_charts import figure_texts, legend_patches

from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.i18n import UI_STRINGS_FILE, UiStrings
from rt2gaps.report import build_report_data, charts
from rt2gaps.report.briefs import BriefBuilder, render_markdown

FR = UiStrings("fr")
OUR_PREFIXES = ("chart.", "brief.", "region.", "subregion.", "source_format.")


@pytest.fixture(scope="module")
def data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), date(2026, 2, 3))


def test_every_chart_and_brief_string_has_a_french_text() -> None:
    with UI_STRINGS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["key"].startswith(OUR_PREFIXES)]
    assert len(rows) > 80
    assert [r["key"] for r in rows if not r["fr"].strip()] == []


@pytest.mark.parametrize(
    ("region", "state"), [("Asia", "Philippines"), ("Americas", "Mexique"), ("Europe", "Allemagne")]
)
def test_region_matrix_in_french(data, region: str, state: str) -> None:
    figure = charts.gap_matrix_region(data, region, FR)
    texts = figure_texts(figure)
    assert state in texts
    assert f"Statut par État et par instrument\u202f: {FR(f'region.{region}')}" in texts
    assert list(legend_patches(figure))[:2] == ["Partie", "En attente"] and "Inconnu" in legend_patches(figure)
    source = "Source\u202f: Collection des traités des Nations Unies (au 3 février 2026)"
    assert any(t.startswith(source) for t in texts)
    assert "United States of America" not in texts and "Germany" not in texts


def test_other_charts_in_french(data) -> None:
    bars = figure_texts(charts.coverage_bars(data, FR))
    assert {"Instruments de l'ONU", "Instruments de l'OIT", "Nombre d'États"} <= set(bars)
    assert "aucune source\u202f: statut inconnu" in bars
    overview = figure_texts(charts.gap_matrix_overview(data, FR))
    assert "Afrique subsaharienne (48)" in [t.strip() for t in overview]
    world = charts.world_map(data, FR)
    assert "Couverture de l'ensemble par État" in figure_texts(world)
    assert "80–100 %" in legend_patches(world)
    card = figure_texts(charts.scorecard(data, "DEU", FR))
    assert any(text.startswith("Allemagne\u202f: couverture ") and ", rang 1–" in text for text in card)
    assert (
        "Instruments prioritaires de la TR2 · Statut au 3 février 2026\u202f; Collection des traités des Nations "
        "Unies au 3 février 2026, NORMLEX (OIT) au 10 juillet 2026 · DEU"
    ) in [t.replace("\n", " ") for t in card]
    assert "PIDCP" in card and "ICCPR" not in card  # the UN's French acronyms


def test_brief_in_french(data) -> None:
    builder = BriefBuilder(data)
    text = render_markdown(builder.brief("MEX"), data, FR)
    assert text.startswith("# Mexique\u202f: Instruments prioritaires de la TR2\n")
    assert "## Statut pour chaque instrument" in text
    assert "Convention internationale sur la protection des droits de tous les travailleurs migrants" in text
    assert "| Partie | 22 mai 1991 | ratification 8 mars 1999 | 1er juillet 2003 |" in text  # dates written out
    assert "adhésion 23 mars 1981" in text
    assert "## Comparaison avec la sous-région Amérique latine et Caraïbes" in text
    published = re.sub(r"« [^»]* » \(texte publié par le dépositaire\)", "", text)  # reservations as published
    assert "Mexico" not in published and "Party" not in published
    assert "Philippines" in render_markdown(builder.brief("PHL"), data, FR).splitlines()[0]


def test_run_in_french_writes_french_workbook_and_charts(tmp_path) -> None:
    import openpyxl

    from rt2gaps.cli import main

    assert main(["run", "--as-of", "2026-02-03", "--lang", "fr", "--out", str(tmp_path)]) == 0
    book = openpyxl.load_workbook(tmp_path / "rt2gaps_rt2-priority_2026-02-03_fr.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["À propos", "Synthèse", "Matrice"]
    written = {p.name for p in (tmp_path / "charts").iterdir()}
    for chart in ("matrix_overview", "matrix_asia", "coverage_bars", "timelines", "world_map"):
        assert {
            f"rt2gaps_rt2-priority_2026-02-03_{chart}_fr.png",
            f"rt2gaps_rt2-priority_2026-02-03_{chart}_fr.svg",
        } <= written
    svg = (tmp_path / "charts" / "rt2gaps_rt2-priority_2026-02-03_matrix_europe_fr.svg").read_text(encoding="utf-8")
    assert "Allemagne" in svg and "Statut par État et par instrument" in svg
