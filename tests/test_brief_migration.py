"""The Migration section of country briefs: figures equal the committed reference tables, votes are the
recorded ones, a missing figure is said in words (never 0), and French briefs have French labels.

Expected values are read through the package's own functions (``load_reference``,
``state_migration_facts``), never typed here.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from test_gaps import fixture_set, fixture_snapshot

from rt2gaps import migrants
from rt2gaps.api import current_snapshot
from rt2gaps.catalogue import load_set
from rt2gaps.i18n import UiStrings
from rt2gaps.report import build_report_data
from rt2gaps.report.briefs import BriefBuilder, render_markdown, separators, write_briefs
from rt2gaps.snapshot.reference import GCM_VOTE_DATE, STOCK_YEAR, ReferenceData, load_reference

ON = date(2026, 2, 3)
EN, FR = UiStrings("en"), UiStrings("fr")


@pytest.fixture(scope="module")
def real_data():
    return build_report_data(load_set("rt2-priority"), current_snapshot(), ON)


@pytest.fixture(scope="module")
def reference() -> ReferenceData:
    return load_reference()


def m49_of(data, iso3: str) -> str:
    return data.states.set_index("iso3").loc[iso3, "m49"]


def thousands(value: float, strings: UiStrings) -> str:
    return f"{value:,.0f}".replace(",", separators(strings)[0])


def row_of(text: str, label: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``label``."""
    line = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.mark.parametrize("iso3", ["PHL", "MEX"])
def test_brief_figures_are_the_reference_tables(real_data, reference: ReferenceData, iso3: str) -> None:
    facts = BriefBuilder(real_data).brief(iso3).migration
    m49 = m49_of(real_data, iso3)
    assert facts.migrant_stock == reference.measure("migrant_stock")[m49]
    assert facts.migrant_share_pct == reference.measure("migrant_share_pct")[m49]
    assert facts.refugees == reference.measure("refugees")[m49]
    assert facts.emigrants == reference.emigrants_in(STOCK_YEAR)[m49]
    votes = dict(zip(reference.gcm_vote["iso3"], reference.gcm_vote["vote"], strict=True))
    assert facts.gcm_vote == votes[iso3] == "yes"  # both voted for the Compact on 19 Dec 2018
    assert (facts.figures_as_of, facts.gcm_vote_date) == ("mid-2020", GCM_VOTE_DATE)
    # the same facts as the one-State function the notebooks use
    one = migrants.state_migration_facts(iso3, real_data.states, reference)
    assert facts.role == one["role"] == migrants.ORIGIN  # many more emigrants than immigrants
    for name in ("migrant_stock", "migrant_share_pct", "emigrants", "refugees", "gcm_vote"):
        assert getattr(facts, name) == one[name]


@pytest.mark.parametrize("iso3", ["PHL", "MEX"])
def test_brief_text_shows_each_figure_with_date_and_source(real_data, reference: ReferenceData, iso3: str) -> None:
    text = render_markdown(BriefBuilder(real_data).brief(iso3), real_data, EN)
    m49 = m49_of(real_data, iso3)
    assert "## Migration (figures for mid-2020)" in text
    stock = row_of(text, "International migrants living in the State")
    assert stock == [stock[0], thousands(reference.measure("migrant_stock")[m49], EN), "mid-2020",
                     "UN DESA, International Migrant Stock 2020, table 1"]  # fmt: skip
    emigrants = row_of(text, "Emigrants (people born in the State living in another country)")
    assert emigrants[1:3] == [thousands(reference.emigrants_in()[m49], EN), "mid-2020"]
    share = row_of(text, "Migrants as a share of the population")
    assert share[1] == f"{reference.measure('migrant_share_pct')[m49]:.2f}%"
    vote = row_of(text, "Vote on the Global Compact for Migration (A/RES/73/195)")
    assert vote[1:] == ["yes", GCM_VOTE_DATE, "UN General Assembly, recorded vote"]
    assert "statuses above are as of 2026-02-03" in text
    for name, entry in reference.manifest["tables"].items():  # cited in the reader's words; provenance stays
        assert entry["citation"]  # in the reference manifest, with the repository it was derived by
        key = "citation." + name.removesuffix(".csv")
        assert f"- {EN(key)}" in text
    assert "stepladderChapter" not in text and "dgrtwo" not in text


def test_state_with_no_figure_says_so_not_zero(real_data, reference: ReferenceData) -> None:
    m49 = m49_of(real_data, "SGP")
    assert math.isnan(reference.measure("refugees")[m49])  # Singapore: "~" in UN DESA table 6
    text = render_markdown(BriefBuilder(real_data).brief("SGP"), real_data, EN)
    assert row_of(text, "Refugees and asylum seekers living in the State")[1] == "no figure in the source"


def test_state_with_no_figure_at_all(tmp_path: Path) -> None:
    """The fixture's made-up States have no migrant figure and no vote: every cell says so."""
    data = build_report_data(fixture_set(), fixture_snapshot(), ON)
    brief = BriefBuilder(data).brief("AAA")
    assert math.isnan(brief.migration.migrant_stock) and brief.migration.role == migrants.NO_FIGURE
    text = render_markdown(brief, data, EN)
    for label in ("International migrants living in the State", "Migrants as a share of the population",
                  "Emigrants (people born in the State living in another country)",
                  "Refugees and asylum seekers living in the State", "Mainly origin or destination"):  # fmt: skip
        assert row_of(text, label)[1] == "no figure in the source"
    assert row_of(text, "Vote on the Global Compact for Migration (A/RES/73/195)")[1] == EN("vote.no_vote")
    section = text[text.index("## Migration") : text.index("## Unknown")]
    assert "| 0 |" not in section and "nan" not in section.lower()
    written = write_briefs(data, tmp_path, "en", ["AAA"], scorecards=False)[0].markdown
    assert "no figure in the source" in written.read_text(encoding="utf-8")


def test_french_brief_has_french_labels(real_data, reference: ReferenceData) -> None:
    text = render_markdown(BriefBuilder(real_data).brief("MEX"), real_data, FR)
    m49 = m49_of(real_data, "MEX")
    assert "## Migrations (chiffres de mi-2020)" in text and "## Migration (" not in text
    stock = row_of(text, "Migrants internationaux vivant dans l'État")
    assert stock[1:] == [thousands(reference.measure("migrant_stock")[m49], FR), "mi-2020",
                         "DAES de l'ONU, International Migrant Stock 2020, tableau 1"]  # fmt: skip
    share = f"{reference.measure('migrant_share_pct')[m49]:.2f}".replace(".", ",")
    assert row_of(text, "Part des migrants dans la population")[1] == f"{share} %"
    assert row_of(text, "Vote sur le Pacte mondial sur les migrations (A/RES/73/195)")[1] == "pour"
    singapore = render_markdown(BriefBuilder(real_data).brief("SGP"), real_data, FR)
    assert row_of(singapore, "Réfugiés et demandeurs d'asile vivant dans l'État")[1] == "aucun chiffre dans la source"
    for english in ("International migrants", "no figure in the source", "Migration (figures"):
        assert english not in text
