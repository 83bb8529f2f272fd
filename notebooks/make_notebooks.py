"""Write the notebooks (without outputs) from the cells below: ``python notebooks/make_notebooks.py``.

The notebooks only call the package's public functions (``import rt2gaps``: ``status``, ``panel``,
``history``, ``gaps``, ``states``, ``instruments``, ``sets``, ``report``; no internal module); edit
the cells here, not the .ipynb files, so that the committed notebooks stay output-free and
reviewable. The test suite runs them.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}

SETUP = """\
from datetime import date

import pandas as pd
from IPython.display import Image, Markdown, display

import rt2gaps  # the public API only: status, panel, history, gaps, states, instruments, sets, report

pd.set_option("display.max_columns", 30, "display.width", 200)"""

OVERVIEW = [
    new_markdown_cell("""\
# rt2gaps: overview of the RT2 priority instruments

Which States are party to the instruments the RT2 paper asks States to ratify (ICRMW, ILO C097,
C143, C181, C189, C190, the fundamental ILO instruments) and to implement (ICCPR, ICESCR), where the
gaps are, and how complete the data is.

**Reading guide**

- Every fact comes from the depositaries' records (UN Treaty Collection, ILO NORMLEX); each source
  has an as-of date, shown in every table and chart caption.
- Statuses: *party* (consent given and in force), *pending* (consent given, entry into force not
  established), *signatory* (signed, no consent), *withdrawn*, *none* (the source covers the
  instrument and records no act), *not eligible* (ILO instrument, not an ILO member) and *unknown*.
- **Unknown means no data, never "not ratified".** Today no source covers C097, C143, C181, C189
  and C190: they are unknown for every State, so each State's coverage is a range.
- Coverage runs from `coverage_low` (every unknown counted as not party) to `coverage_high` (every
  unknown counted as party), over the instruments the State is eligible for; `coverage` and `rank`
  are given only where exact, else `rank_best` to `rank_worst`.
- ILO dates are years only: a ratification counts from the end of its year."""),
    new_code_cell(SETUP),
    new_code_cell("""\
SET = "rt2-priority"
AS_OF = date(2026, 2, 3)  # the UN pages' status date; use date.today() for today
run = rt2gaps.report(SET, as_of=AS_OF)
run.tables["summary"]"""),
    new_markdown_cell("## Per instrument: parties, pending, signatories, no act; the source and its age"),
    new_code_cell("""\
columns = ["instrument", "body", "eligible", "party", "pending", "signatory", "none", "unknown", "share_party",
           "source_as_of", "stale", "no_data"]
run.tables["instrument_coverage"][columns]"""),
    new_code_cell('Image(run.chart("coverage_bars"))'),
    new_markdown_cell("## Per State: coverage and gaps (best first)"),
    new_code_cell("""\
rt2gaps.gaps(SET, as_of=AS_OF)[["iso3", "name", "subregion", "party", "unknown", "coverage_low",
                                 "coverage_high", "missing", "rank_best", "rank_worst"]].head(15)"""),
    new_markdown_cell("## Signed but not ratified: the longest-waiting signatures"),
    new_code_cell('run.tables["signed_not_ratified"].head(15)'),
    new_markdown_cell("## By region: share of States party (of those eligible and known)"),
    new_code_cell('Image(run.chart("matrix_overview"))'),
    new_code_cell('Image(run.chart("matrix_asia"))'),
    new_markdown_cell("## Coverage per State on a map, and parties over time"),
    new_code_cell('Image(run.chart("world_map"))'),
    new_code_cell('Image(run.chart("timelines"))'),
    new_markdown_cell("## What the data does not cover"),
    new_code_cell('run.tables["data_quality"]'),
]

COUNTRY = [
    new_markdown_cell("""\
# rt2gaps: one State

Pick a State (ISO3 code), a set and a language in the next cell and run the notebook: the State's
status on each instrument with dates, what it signed and has not ratified, and how its sub-region
compares. Everything comes from the same tables as `rt2gaps brief ISO3`."""),
    new_code_cell(SETUP),
    new_code_cell(
        """\
# Parameters
ISO3 = "PHL"
SET = "rt2-priority"
LANG = "en"  # or "fr"
AS_OF = date(2026, 2, 3)""",
        metadata={"tags": ["parameters"]},
    ),
    new_code_cell("""\
run = rt2gaps.report(SET, as_of=AS_OF, lang=LANG)
display(Markdown(run.brief(ISO3)))"""),
    new_code_cell("Image(run.scorecard(ISO3))"),
    new_markdown_cell("""\
## The State over time, and its sub-region

Its status on each instrument of the set at the end of every year since 1990 (read from the same
status histories as every other output), then its sub-region's row of the regions table."""),
    new_code_cell("""\
yearly = rt2gaps.panel(pd.date_range("1990-12-31", AS_OF, freq="YE"), instruments=run.instruments)
yearly[yearly["iso3"] == ISO3].pivot(index="date", columns="instrument", values="status").tail(12)"""),
    new_code_cell("""\
state = rt2gaps.states().set_index("iso3").loc[ISO3]
regions = run.tables["regions"]
regions[(regions["level"] == "subregion") & (regions["subregion"] == state["subregion"])]"""),
    new_code_cell('Image(run.chart("matrix_" + state["region"].lower()))'),
]

OVER_TIME = [
    new_markdown_cell("""\
# rt2gaps: what changed since the Global Compact for Migration

Status of every State on the RT2 priority instruments on the day the GCM was adopted (19 December
2018) and on the snapshot date, the instruments whose number of parties moved, and ratifications per
year. Statuses on both dates come from the same status engine. Sources older than a year (see the
data-quality table) miss later acts, so their change is a lower bound."""),
    new_code_cell(SETUP),
    new_code_cell("""\
SET = "rt2-priority"
AS_OF = date(2026, 2, 3)
GCM = date(2018, 12, 19)  # the GCM's adoption (A/RES/73/195)
then = rt2gaps.report(SET, as_of=GCM)
now = rt2gaps.report(SET, as_of=AS_OF, since=GCM)"""),
    new_markdown_cell("## Parties per instrument: at the GCM's adoption and now"),
    new_code_cell("""\
counts = ["party", "pending", "signatory", "none", "unknown"]
moved = (then.tables["instrument_coverage"].set_index("instrument")[counts]
         .join(now.tables["instrument_coverage"].set_index("instrument")[counts], lsuffix="_gcm", rsuffix="_now"))
moved["new_parties"] = moved["party_now"] - moved["party_gcm"]
moved.sort_values("new_parties", ascending=False)"""),
    new_markdown_cell("## States' coverage then and now"),
    new_code_cell("""\
# coverage_low: the share of eligible weight the State is party to (every unknown as not party)
coverage = (rt2gaps.gaps(SET, as_of=GCM).set_index("iso3")[["name", "coverage_low"]]
            .join(rt2gaps.gaps(SET, as_of=AS_OF).set_index("iso3")["coverage_low"], lsuffix="_gcm", rsuffix="_now"))
coverage["change"] = coverage["coverage_low_now"] - coverage["coverage_low_gcm"]
coverage.sort_values("change", ascending=False).head(15)"""),
    new_markdown_cell("""\
## Acts since the GCM's adoption

Signatures, ratifications, accessions and denunciations recorded after 19 December 2018 (year-only ILO
acts of 2018 are listed with a note: they may precede the GCM)."""),
    new_code_cell("""\
changes = now.tables["changes"]
changes.pivot_table(index="instrument", columns="act", values="iso3", aggfunc="count", fill_value=0)"""),
    new_markdown_cell("""\
## New parties per year

The change in the number of States party from one 31 December to the next, from a yearly panel
(`rt2gaps.panel`, read from the status histories); ILO sources give years only, so this is the honest
resolution."""),
    new_code_cell("""\
yearly = rt2gaps.panel(pd.date_range("2009-12-31", AS_OF, freq="YE"), instruments=now.instruments)
parties = (yearly["status"] == "party").groupby([yearly["date"].dt.year, yearly["instrument"]], observed=True).sum()
parties.unstack("instrument").diff().iloc[1:].astype("Int64")"""),
    new_markdown_cell("""\
## Spells: when each State joined

`rt2gaps.history` gives each State's status history as spells (start, end exclusive); here the day
each State became a party to the ICRMW, for event-history models. A `year` precision marks the edge
of a year-only window (ILO records), never a day the source gives."""),
    new_code_cell("""\
spells = rt2gaps.history(instruments="ICRMW")
joined = spells[spells["status"] == "party"].groupby("iso3", observed=True)["start"].min()
joined.sort_values().tail(10)"""),
    new_code_cell('Image(now.chart("timelines"))'),
]

WHO_IS_AFFECTED = [
    new_markdown_cell("""\
# rt2gaps: who is affected

A ratification count treats Nauru and the United States alike. Here the gaps are weighted by the
people they concern: how many international migrants (and refugees) live in States that are not party
to each migrant-specific instrument, which destinations host the most migrants and what they have not
joined, whether origin and destination States differ, and which States endorsed the Global Compact
for Migration without taking on the binding commitments.

- Migrant figures: UN DESA International Migrant Stock 2020, **mid-2020** estimates; emigrants by
  origin from the same source; the GCM vote is A/RES/73/195 of 19 December 2018.
- `AS_OF` dates the treaty statuses only; the migrant figures stay mid-2020.
- **Unknown means no data, never "not ratified"**: C097, C143, C181, C189 and C190 have no source
  today, so every migrant in an ILO member State is counted under *unknown* for them.
- A State with no migrant figure in the source is counted apart (*without figure*), never as 0."""),
    new_code_cell(SETUP),
    new_code_cell("""\
SET = "migrants"
AS_OF = date(2026, 2, 3)
run = rt2gaps.report(SET, as_of=AS_OF)"""),
    new_markdown_cell("## Migrants living in States by status, per instrument (millions, mid-2020)"),
    new_code_cell("""\
affected = run.tables["migrants_affected"]
stock = affected[affected["measure"] == "migrant_stock"].set_index("instrument")
statuses = ["party", "pending", "signatory", "withdrawn", "none", "not_eligible", "unknown"]
(stock[statuses] / 1e6).round(1).assign(share_party=stock["world_share_party"].round(3))"""),
    new_code_cell('Image(run.chart("migrants_not_party"))'),
    new_markdown_cell("## The 20 States hosting the most migrants, and what they have not joined"),
    new_code_cell("""\
run.tables["top_destinations"][["iso3", "name", "migrant_stock", "migrant_share", "open_gaps",
                                "gap_instruments", "unknown_instruments"]].head(20)"""),
    new_code_cell('Image(run.chart("migrants_top_destinations"))'),
    new_markdown_cell("""\
## Origin and destination States

A State is *mainly origin* when more of its people live abroad than migrants live in it (2020). The
ICRMW's pattern: joined mostly by countries of origin."""),
    new_code_cell("""\
run.tables["origin_destination"][["instrument", "origin_assessed", "origin_share_party", "destination_assessed",
                                  "destination_share_party"]]"""),
    new_code_cell('Image(run.chart("migrants_origin_destination"))'),
    new_markdown_cell("""\
## The GCM commitment gap

States that voted yes to the Global Compact for Migration and are not party to each migrant-specific
instrument (and the reverse), with the migrants they host."""),
    new_code_cell('run.tables["gcm_commitment_summary"]'),
    new_code_cell("""\
gap = run.tables["gcm_commitment_gap"]
gap[(gap["instrument"] == "ICRMW") & (gap["direction"] == "voted_yes_not_party")].sort_values(
    "migrant_stock", ascending=False).head(15)"""),
]

ACCOUNTABILITY = [
    new_markdown_cell("""\
# rt2gaps: accountability — reservations and complaints procedures

A State can be party to a treaty and still shut out the people it protects: by reservations to the
articles on their rights, or by never letting them complain to the treaty body. This notebook reads
the reservations, declarations and complaints procedures from the UN Treaty Collection pages
(Chapter IV, status as at 2026-02-03) through the package's two public functions,
`rt2gaps.procedures()` and `rt2gaps.reservations()`.

- A procedure is `accepted` (`declared`: the date of the State's act; `since`: the day it took
  effect for the State, empty while the procedure itself is not in force), `not_accepted` (a
  promise to recognise the committee's competence "at a later time" is not an acceptance, nor is a
  time-limited declaration that has run out), `not_party` (the treaty does not bind the State yet or
  any more), `withdrawn` or `unknown` (no data, never "not accepted").
- `procedure_in_force`: whether the procedure itself is in force, from the declarations made and the
  threshold its treaty sets (ICRMW art. 77: ten declarations)."""),
    new_code_cell("""\
import pandas as pd

import rt2gaps

AS_OF = "2026-02-03"  # the UN pages' status date
pd.set_option("display.max_columns", 20, "display.width", 200, "display.max_colwidth", 120)
procedures = rt2gaps.procedures(AS_OF)
procedures.head()"""),
    new_markdown_cell("## Each procedure: how many States accept it, and is it in force?"),
    new_code_cell("""\
counts = procedures.groupby(["procedure", "status"], observed=False).size().unstack(fill_value=0)
in_force = procedures.groupby("procedure")["procedure_in_force"].first()
counts.assign(procedure_in_force=in_force).loc[procedures["procedure"].unique()]"""),
    new_markdown_cell("""\
## Individual complaints: acceptance among the parties to each treaty

States not party to the treaty are left out; unknown is shown apart, never as "not accepted"."""),
    new_code_cell("""\
individual = ["ICRMW-77", "ICERD-14", "CAT-22", "CPED-31", "ICCPR-OP1", "OP-ICESCR", "OP-CEDAW", "OP-CRPD", "OPIC"]
among_parties = counts.loc[individual, ["accepted", "not_accepted", "withdrawn", "unknown"]]
ax = among_parties.plot.barh(stacked=True, figsize=(7.5, 3.5), color=["#009E73", "#D55E00", "#CC79A7", "#BBBBBB"],
                             title=f"Individual complaints procedures, parties accepting (as of {AS_OF})")
ax.invert_yaxis()
ax.set_xlabel("States party to the treaty");"""),
    new_markdown_cell("""\
## The migrant workers' Convention: who accepts arts. 76 and 77

Art. 77 (individual communications) needs ten declarations to come into force."""),
    new_code_cell("""\
icrmw = procedures[procedures["procedure"].isin(["ICRMW-76", "ICRMW-77"]) & (procedures["status"] == "accepted")]
icrmw[["iso3", "name", "procedure", "declared", "since", "procedure_in_force", "source"]].sort_values(
    ["procedure", "declared"])"""),
    new_code_cell("""\
years = [f"{year}-12-31" for year in (2005, 2010, 2015, 2020, 2025)]
over_time = pd.Series(
    {day: int((rt2gaps.procedures(day, procedures="ICRMW-77")["status"] == "accepted").sum()) for day in years},
    name="States accepting ICRMW art. 77",
)
over_time"""),
    new_markdown_cell("""\
## Reservations to the ICRMW

As the depositary published them: the kind as the page words it, the articles named, the date
(upon ratification unless the page gives another), any withdrawal, and whether the reservation only
excludes the dispute clause (art. 92)."""),
    new_code_cell("""\
reservations = rt2gaps.reservations("ICRMW")
standing = reservations[reservations["withdrawn_date"].isna() & (reservations["section"] == "declarations")]
standing[["iso3", "name", "kind", "articles", "date", "dispute_clause_only"]]"""),
    new_code_cell("""\
substantive = standing[~standing["dispute_clause_only"] & standing["kind"].str.contains("eservation")]
substantive[["name", "articles", "text"]]"""),
    new_code_cell("""\
withdrawn = reservations[reservations["withdrawn_date"].notna()]
withdrawn[["name", "kind", "articles", "withdrawn_date", "withdrawal", "text"]]"""),
]

NOTEBOOKS = {
    "01_overview.ipynb": OVERVIEW,
    "02_country.ipynb": COUNTRY,
    "03_over_time.ipynb": OVER_TIME,
    "04_who_is_affected.ipynb": WHO_IS_AFFECTED,
    "05_accountability.ipynb": ACCOUNTABILITY,
}


def build(name: str) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=NOTEBOOKS[name], metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"{Path(name).stem}-{number:02d}"  # stable ids: regenerating gives the same file
    return notebook


def main() -> None:
    for name in NOTEBOOKS:
        nbformat.write(build(name), HERE / name)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
