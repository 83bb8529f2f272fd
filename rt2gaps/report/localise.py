"""Table values and headers in the output language, shared by the workbook and the CSV files.

The tables of a run hold codes and English names (``party``, ``Africa``, ``months:3``); a reader
sees them through this one layer: State names from the State table (the UN's short names in both
languages), M49 region names, instrument titles and short names from the catalogue, code labels,
rules as sentences and the tool's notes (``Phrase``) from ``data/ui_strings.csv``, and the
depositary links of the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from rt2gaps.entry_into_force import parse_rule
from rt2gaps.i18n import UiStrings
from rt2gaps.phrase import Phrase

if TYPE_CHECKING:
    from rt2gaps.report.tables import ReportData

# Columns whose cell values are codes shown through a label table: column -> ui_strings key prefix.
LABELLED_VALUES = {"act": "act", "level": "level", "check": "check", "metric": "metric", "body": "body",
                   "measure": "measure", "direction": "direction", "gcm_vote": "vote", "status": "status",
                   "date_precision": "precision", "unranked": "unranked", "change": "change",
                   "mode": "procedure.mode", "section": "statement_section", "procedure_in_force": "value",
                   "dispute_clause_only": "value", "withdrawal": "withdrawal"}  # fmt: skip
REGION_COLUMNS = {"region": "region", "subregion": "subregion"}
INSTRUMENT_LIST = re.compile(r"[A-Z][A-Za-z0-9-]*(?: \(\d+\))?(?:, [A-Z][A-Za-z0-9-]*(?: \(\d+\))?)*")
ID_AND_COUNT = re.compile(r"^([A-Z][A-Za-z0-9-]*)(.*)$")
MID_YEAR = re.compile(r"^mid-(\d{4})$")
# Depositary pages that exist in French: NORMLEX's French interface, UNTC's French language switch.
FRENCH_PAGES = ((re.compile(r"/dyn/nrmlx_en/"), "/dyn/nrmlx_fr/"), (re.compile(r"([?&]clang=)_en\b"), r"\1_fr"))


def page_url(url: str, lang: str) -> str:
    """The depositary page in the reader's language where the depositary has one (NORMLEX, UNTC)."""
    if lang != "fr" or not url:
        return url
    for pattern, replacement in FRENCH_PAGES:
        url = pattern.sub(replacement, url)
    return url


def rule_text(rule: str, strings: UiStrings, body: str = "") -> str:
    """An entry-into-force rule (``months:3``) as the sentence of the treaty's final clause.

    ILO Conventions count from the registration of a ratification, not from a deposit (``eif.months.ILO``).
    """
    parsed = parse_rule(rule, allow_undated=True)
    key = f"eif.{parsed.kind}.{body}" if strings.has(f"eif.{parsed.kind}.{body}") else f"eif.{parsed.kind}"
    return strings(key, n=parsed.amount)


def reference_text(reference: str, strings: UiStrings) -> str:
    """The RT2 paper's passages (``§3.1;§3.1 fn 7;Annex B``) as a reader writes them."""
    parts = []
    for part in (p.strip() for p in reference.split(";") if p.strip()):
        annex = re.fullmatch(r"Annex (\w+)", part)
        footnote = re.fullmatch(r"§\s*([\d.]+) fn (\d+)", part)
        section = re.fullmatch(r"§\s*([\d.]+)", part)
        if annex:
            parts.append(strings("ref.annex", letter=annex.group(1)))
        elif footnote:
            parts.append(strings("ref.footnote", section=footnote.group(1), n=footnote.group(2)))
        elif section:
            parts.append(strings("ref.section", section=section.group(1)))
        else:
            parts.append(part)
    return strings("ref.separator").join(parts)


def source_description(source: dict[str, str], strings: UiStrings) -> str:
    """A manifest source said in the reader's language (its format's name; the origin text when unlisted).

    The origin text, with repository names and commits, is provenance: shown in its own column.
    """
    key = f"source_format.{source.get('format', '')}"
    return strings(key) if strings.has(key) else source.get("origin", source.get("source_key", ""))


def dates_line(data: ReportData, strings: UiStrings) -> str:
    """The query date and each source's own date, from the manifest: what every report says first.

    "Status on 2026-12-03; UN Treaty Collection as of 2026-02-03, ILO NORMLEX as of 2026-07-10".
    """
    items = [strings("dates.source_item", name=source_description(source, strings),
                     as_of=strings.dates_in(source.get("as_of"))) for source in data.sources]  # fmt: skip
    sources = ", ".join(dict.fromkeys(items)) or strings("chart.no_sources")
    return strings("dates.status_on", on=strings.date(data.on), sources=sources)


def sources_text(data: ReportData, strings: UiStrings, instruments: list[str] | None = None) -> str:
    """The sources of the set's instruments with their as-of dates, one phrase each (charts, printed pages);
    with ``instruments``, only the sources of those (a chart credits only what it draws on)."""
    sources = data.sources
    if instruments is not None:
        used = {data.manifest.get("instruments", {}).get(i, {}).get("source_key") for i in instruments}
        sources = [source for source in sources if source["source_key"] in used]
    items = [strings("chart.source_item", name=source_description(source, strings),
                     as_of=strings.dates_in(source.get("as_of"))) for source in sources]  # fmt: skip
    return strings("fmt.list_separator").join(dict.fromkeys(items)) or strings("chart.no_sources")


def source_provenance(source: dict[str, str], strings: UiStrings) -> str:
    """Where the source's copy came from (repository and commit), in the reader's language where the
    catalogue says it; the manifest's own text otherwise (English, and any source the catalogue does not list)."""
    key = f"source_origin.{source.get('source_key', '')}"
    return strings(key) if strings.lang != "en" and strings.has(key) else source.get("origin", "")


# How to read each chart: said once in the About sheet, not in each chart's caption (chart file stem, UI keys).
CHART_NOTES = (
    ("matrix_overview", ("chart.share_note",)),
    ("coverage_bars", ("chart.coverage_note",)),
    ("timelines", ("chart.timeline_bands", "chart.timeline_note")),
    ("world_map", ("chart.map_note", "chart.map_range_note", "chart.map_known_note")),
    ("migrants_not_party", ("chart.migrants_not_party_note",)),
    ("migrants_top_destinations", ("chart.top_destinations_note",)),
    ("migrants_origin_destination", ("chart.origin_destination_note",)),
    ("*", ("chart.unknown_note", "chart.freshness")),
)


def chart_notes(strings: UiStrings, stale_after: int, year: int) -> list[tuple[str, str]]:
    """(chart file stem, its reading notes) for the About sheet; ``*`` is every chart."""
    return [(stem, " ".join(strings(key, year=year, days=stale_after) for key in keys)) for stem, keys in CHART_NOTES]


def source_basis(source: dict[str, str], strings: UiStrings) -> str:
    """Why the source's as-of date is what it is, in the reader's language where the catalogue says it."""
    key = f"source_basis.{source.get('source_key', '')}"
    return strings(key) if strings.has(key) else source.get("as_of_basis", "")


def region_label(strings: UiStrings, region: str, level: str = "region") -> str:
    """An M49 region or sub-region name in the output language (the English name when not listed)."""
    key = f"{level}.{region}"
    return strings(key) if region and strings.has(key) else region


def state_names(data: ReportData, strings: UiStrings) -> dict[str, str]:
    """ISO3 -> the State's UN short name in the output language (the State table's name_en / name_fr)."""
    column = "name_fr" if strings.lang == "fr" and "name_fr" in data.states else "name_en"
    return dict(zip(data.states["iso3"], data.states[column], strict=True))


def instrument_labels(data: ReportData, strings: UiStrings) -> dict[str, str]:
    """Instrument id -> its label on a chart: the id, or the UN's French acronym in French (PIDCP for ICCPR)."""
    return {i.id: i.short("fr") if strings.lang == "fr" and i.short("fr") != i.short_name else i.id
            for i in data.instruments}  # fmt: skip


@lru_cache(maxsize=2)
def catalogue_labels(lang: str) -> dict[str, str]:
    """Every catalogue instrument's id -> its label in ``lang``: the id in English, the UN's French acronym
    in French where the catalogue has one (PIDCP, PIDESC, PF-PIDESC); the id where it has none (ICRMW)."""
    from rt2gaps.catalogue import load_instruments

    return {i.id: i.short("fr") if lang == "fr" and i.short("fr") != i.short_name else i.id
            for i in load_instruments().values()}  # fmt: skip


@lru_cache(maxsize=2)
def procedure_labels(lang: str) -> dict[str, str]:
    """Procedure id -> its short label: the id in English (``ICCPR-41``, as the CLI takes it); in French the
    instrument's French label and the article (``PIDCP art. 41``), the protocol's label for a protocol."""
    from rt2gaps.procedures import load_procedures

    if lang == "en":
        return {key: key for key in load_procedures()}
    labels = catalogue_labels(lang)
    return {key: f"{labels[p.instrument]} art. {p.article}" if p.article else labels[p.instrument]
            for key, p in load_procedures().items()}  # fmt: skip


def instrument_list_text(text: str, labels: dict[str, str]) -> str:
    """A list of instrument ids (``ICRMW, ICCPR``, ``ICRMW (60), C187 (69)``) with each id as ``labels`` says;
    any other text unchanged (a reservation's text, a note)."""
    if not INSTRUMENT_LIST.fullmatch(text):
        return text
    return ", ".join(ID_AND_COUNT.sub(lambda m: labels.get(m.group(1), m.group(1)) + m.group(2), part)
                     for part in text.split(", "))  # fmt: skip


class Localiser:
    """Display values and headers of a run's tables in one language."""

    def __init__(self, data: ReportData, strings: UiStrings) -> None:
        self.data = data
        self.t = strings
        lang = strings.lang
        name_column = "name_fr" if lang == "fr" else "name_en"
        self.state_names = dict(zip(data.states["name_en"], data.states[name_column], strict=True))
        self.titles = {i.title_en: i.title(lang) for i in data.instruments}
        self.short_names = {i.short_name: i.short(lang) for i in data.instruments}
        self.by_id = {i.id: i for i in data.instruments}
        self.instrument_labels = catalogue_labels(lang)  # PIDCP for ICCPR in French, the id in English
        self.procedure_labels = procedure_labels(lang)

    def instruments_text(self, text: Any) -> Any:
        """A cell listing instrument ids, with the reader's labels (French acronyms in French)."""
        if self.t.lang == "en" or not isinstance(text, str):
            return text
        return instrument_list_text(text, self.instrument_labels)

    def region(self, name: str, level: str = "region") -> str:
        return region_label(self.t, name, level)

    def header(self, column: str, table: str = "") -> str:
        """A column's header; per-instrument columns say whose status (Matrix) or share (Regions) they hold."""
        if column in self.by_id and not self.t.has(f"col.{column}"):
            label = self.by_id[column].short(self.t.lang)
            return label if table == "matrix" else self.t("col.share_party_of", instrument=label)
        return self.t.column(column)

    def value_function(self, column: str) -> Callable[[Any], Any] | None:
        """How a column's cells are shown, or None where they are shown as they are (numbers, dates, ids)."""
        t = self.t
        if column == "instrument" and t.lang != "en":
            return lambda v: self.instrument_labels.get(v, v) if isinstance(v, str) else v
        if column == "procedure" and t.lang != "en":
            return lambda v: self.procedure_labels.get(v, v) if isinstance(v, str) else v
        if column in LABELLED_VALUES:
            prefix = LABELLED_VALUES[column]
            return lambda v: t(f"{prefix}.{v}") if isinstance(v, str) and v and t.has(f"{prefix}.{v}") else v
        if column == "name_en":
            return lambda v: self.state_names.get(v, v)
        if column in REGION_COLUMNS:
            return lambda v: self.region(v, REGION_COLUMNS[column]) if isinstance(v, str) else v
        if column == "title":
            return lambda v: self.titles.get(v, v)
        if column == "short_name":
            return lambda v: self.short_names.get(v, v)
        if column in ("source_url", "url"):
            return lambda v: page_url(v, t.lang) if isinstance(v, str) else v
        if column == "figures_as_of":
            return lambda v: self.mid_year(v)
        if column in ("old", "new", "detail"):  # a Changes cell: a status code, or a Phrase (an act, a source, a day)
            french = t.lang != "en"
            return lambda v: t.status(v) if french and isinstance(v, str) and t.has(f"status.{v}") else self.cell(v)
        if column in ("kind", "kind_as_published"):  # a statement's kind (and the page's word) in the output language
            return lambda v: kind_label(v, t) if isinstance(v, str) else v
        return None

    def mid_year(self, value: Any) -> Any:
        match = MID_YEAR.match(value) if isinstance(value, str) else None
        return self.t("fmt.mid_year", year=match.group(1)) if match else value

    def cell(self, value: Any) -> Any:
        """Any cell: a Phrase is said in the output language."""
        return value.say(self.t) if isinstance(value, Phrase) else value

    def table(self, name: str) -> pd.DataFrame:
        """The table with every cell as the reader sees it; column keys unchanged."""
        frame = self.data.tables[name].copy()
        for column in frame.columns:
            shown = self.value_function(column)
            if shown is not None:
                frame[column] = frame[column].astype(object).map(shown)
            elif frame[column].dtype == object:
                values = frame[column].tolist()
                if self.t.lang != "en" or any(isinstance(v, Phrase) for v in values):  # else: nothing to change
                    frame[column] = frame[column].map(self.cell).map(self.instruments_text)
            elif self.t.lang != "en" and pd.api.types.is_string_dtype(frame[column]):  # lists of instruments
                frame[column] = frame[column].map(self.instruments_text)
        if self.t.lang != "en" and {"iso3", "participant"} <= set(frame.columns):
            # a State's participant name is the source's spelling; the reader gets the State's UN name
            names = state_names(self.data, self.t)
            is_state = frame["iso3"].isin(names.keys())
            frame.loc[is_state, "participant"] = frame.loc[is_state, "iso3"].map(names)
        return frame

    def csv_texts(self, names: list[str], sep: str = ",") -> dict[str, str]:
        """The tables ``names`` as CSV text in the output language: headers and values localised."""
        from rt2gaps.report.safe_text import report_csv_text

        texts = {}
        for name in names:
            frame = self.table(name)
            for column in frame.columns:
                if frame[column].dtype == bool:  # True/False are English words in a text file
                    frame[column] = frame[column].map({True: self.t("value.true"), False: self.t("value.false")})
                elif name == "matrix" and column in self.by_id:  # a status code as the reader's word: Partie
                    frame[column] = frame[column].map(lambda v: self.t.status(v) if isinstance(v, str) and v else v)
            frame.columns = [self.header(c, name) for c in frame.columns]
            texts[f"{name}.csv"] = report_csv_text(frame, sep)  # byte-order mark, no formula (safe_text)
        return texts


def kind_label(kind: str, strings: UiStrings) -> str:
    """A statement's kind in the output language (``reservation`` → ``Réserve``); as given when unlisted."""
    key = "statement_kind." + "_".join(kind.lower().split())
    return strings(key) if strings.has(key) else kind
