"""Country briefs: one State's position on a set, in Markdown, Word or HTML, with its scorecard chart.

A brief says, from the run's tables only (never recomputing a status): the State's status on each
instrument with dates and the kind of act, what it signed and has not ratified and for how long, how
many of its sub-region's other States are party to each instrument it has not joined, which answers
are unknown or rest on stale sources, and the sources with their as-of dates; and the State's
migration figures (UN DESA, mid-2020) and GCM vote, each with its source and date, a missing figure
said as such and never as 0.

``BriefBuilder`` indexes the run's status table once, so ``rt2gaps run --briefs`` writes a brief per
State without filtering the big table ~200 times; ``CountryBrief`` holds the facts (tests compare
them with the status engine) and ``brief_document`` turns them into blocks in English or French,
which ``brief_formats`` renders as Markdown, Word and HTML (one content, three layouts).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt2gaps.atomic import write_bytes_atomically
from rt2gaps.gaps import ASSESSED_STATUSES, GAP_STATUSES, NOTHING_KNOWN, TOO_LITTLE_KNOWN
from rt2gaps.i18n import UiStrings
from rt2gaps.report.brief_formats import (
    Block,
    BulletList,
    Heading,
    Image,
    Inline,
    Paragraph,
    Run,
    Table,
    blocks_of,
    plain,
    render_md,
    runs,
)
from rt2gaps.status import (
    FADING,
    NONE,
    NOT_ELIGIBLE,
    PARTY,
    SIGNATORY,
    SUCCESSION_NOTE_MARK,
    UNKNOWN,
    WITHDRAWN,
    projection_warning,
)

if TYPE_CHECKING:
    from rt2gaps.report.charts.pool import ChartPool
    from rt2gaps.report.tables import ReportData

BRIEFS_FOLDER = "briefs"


@dataclass(frozen=True)
class InstrumentLine:
    """The State's status on one instrument, as the status engine gave it, with its dates."""

    instrument: str
    status: str
    signature_date: str
    consent_type: str
    consent_date: str
    in_force_date: str
    withdrawal_date: str
    date_precision: str
    source_as_of: str
    note: str
    last_known_status: str = ""  # what the source last showed, where the date is past it
    known_until: str = ""


@dataclass(frozen=True)
class SignedOnly:
    """An instrument the State signed and has not ratified, and for how long."""

    instrument: str
    signature_date: str
    years_since_signature: float


@dataclass(frozen=True)
class NeighbourShare:
    """For an instrument the State has not joined: how many other States of its sub-region are party."""

    instrument: str
    status: str
    party: int
    assessed: int  # other States of the sub-region whose status is known and who are eligible

    @property
    def share(self) -> float:
        return self.party / self.assessed if self.assessed else math.nan


@dataclass(frozen=True)
class StaleSource:
    instrument: str
    source_as_of: str
    age_days: int


@dataclass(frozen=True)
class MigrationFacts:
    """One State's migration figures and GCM vote (``migrants.state_migration_facts``); NaN = no figure."""

    migrant_stock: float
    migrant_share_pct: float
    emigrants: float
    refugees: float
    role: str  # origin, destination or no_figure
    gcm_vote: str  # yes, no, abstain, absent or no_vote
    figures_as_of: str
    gcm_vote_date: str

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> MigrationFacts:
        return cls(**{name: facts[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class CountryBrief:
    """Every fact of one State's brief; language-neutral (names and labels are chosen when rendering)."""

    iso3: str
    set_name: str
    on: date
    region: str
    subregion: str
    neighbours: int  # other States of the sub-region in the universe
    lines: tuple[InstrumentLine, ...]
    signed_only: tuple[SignedOnly, ...]
    compared: tuple[NeighbourShare, ...]
    no_source: tuple[str, ...]  # instruments no source covers: unknown for every State
    unknown: tuple[InstrumentLine, ...]  # unknown for this State although a source exists
    stale: tuple[StaleSource, ...]
    coverage: float  # exact coverage; NaN unless nothing eligible is unknown
    rank: int | None  # only where rank_best == rank_worst
    ranked: int
    known_share: float  # share of the set's eligible weight whose status is known for the State
    unranked: str  # why no rank: gaps.TOO_LITTLE_KNOWN, gaps.NOTHING_KNOWN, or "" when ranked
    sources: tuple[dict[str, str], ...]
    migration: MigrationFacts | None = None
    migration_sources: tuple[str, ...] = ()  # full citations of the migration figures and the vote
    group: str = ""  # the group of States the run is restricted to (``--group``), else empty
    coverage_low: float = math.nan  # every unknown counted as not party
    coverage_high: float = math.nan  # every unknown counted as party
    rank_best: int | None = None
    rank_worst: int | None = None

    def status_of(self, instrument: str) -> str:
        return next(line.status for line in self.lines if line.instrument == instrument)


class BriefBuilder:
    """Indexes one run's tables once; ``brief(iso3)`` then costs little per State."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        ids = data.instrument_ids
        order = {i: n for n, i in enumerate(ids)}
        self.rows: dict[str, list[dict[str, str]]] = {}
        for row in data.status.to_dict("records"):
            if row["instrument"] in order:
                self.rows.setdefault(row["iso3"], []).append(row)
        for rows in self.rows.values():
            rows.sort(key=lambda r: order[r["instrument"]])
        states = data.states.to_dict("records")
        self.state = {s["iso3"]: s for s in states}
        self.members: dict[str, list[str]] = {}
        for state in states:
            self.members.setdefault(state["subregion"], []).append(state["iso3"])
        # per sub-region and instrument: States party, and States eligible and known
        self.party: dict[tuple[str, str], int] = {}
        self.assessed: dict[tuple[str, str], int] = {}
        for iso3, rows in self.rows.items():
            subregion = self.state[iso3]["subregion"] if iso3 in self.state else ""
            for row in rows:
                key = (subregion, row["instrument"])
                self.party[key] = self.party.get(key, 0) + (row["status"] == PARTY)
                self.assessed[key] = self.assessed.get(key, 0) + (row["status"] in ASSESSED_STATUSES)
        self.signed: dict[str, list[SignedOnly]] = {}
        for row in data.tables["signed_not_ratified"].itertuples():
            self.signed.setdefault(row.iso3, []).append(
                SignedOnly(row.instrument, _iso(row.signature_date), float(row.years_since_signature))
            )
        country = data.tables["country_gaps"]
        self.country = {r["iso3"]: r for r in country.to_dict("records")}
        self.ranked = int((country["unranked"] == "").sum())
        coverage = data.tables["instrument_coverage"]
        self.stale = tuple(
            StaleSource(r.instrument, _iso(r.source_as_of), int(r.source_age_days))
            for r in coverage[coverage["stale"]].itertuples()
        )
        self.no_source = tuple(data.no_data_instruments)
        self.sources = tuple(data.sources)
        self.migration, self.migration_citations = _migration_facts(data)

    @property
    def iso3s(self) -> list[str]:
        """The States of the run, in the State table's order."""
        return [iso3 for iso3 in self.state if iso3 in self.rows]

    def status_rows(self, iso3: str) -> list[dict[str, str]]:
        """The State's status rows in set order (for the scorecard)."""
        return self.rows[iso3]

    def brief(self, iso3: str) -> CountryBrief:
        from rt2gaps.errors import Rt2gapsError

        iso3 = iso3.strip().upper()
        if iso3 not in self.rows or iso3 not in self.state:
            scope = f"universe {self.data.universe}" + (f", group {self.data.group.name}" if self.data.group else "")
            raise Rt2gapsError(f"{iso3!r} is not the ISO3 code of a State in {scope}")
        state = self.state[iso3]
        subregion = state["subregion"]
        lines = tuple(_line(row) for row in self.rows[iso3])
        compared = []
        for line in lines:
            if line.status not in GAP_STATUSES:
                continue
            key = (subregion, line.instrument)
            own_party = int(line.status == PARTY)
            own_assessed = int(line.status in ASSESSED_STATUSES)
            compared.append(
                NeighbourShare(line.instrument, line.status, self.party.get(key, 0) - own_party,
                               self.assessed.get(key, 0) - own_assessed)
            )  # fmt: skip
        country = self.country.get(iso3, {})
        rank, best, worst = (_whole(country.get(key)) for key in ("rank", "rank_best", "rank_worst"))
        return CountryBrief(
            iso3=iso3,
            set_name=self.data.recommended_set.name,
            on=self.data.on,
            region=state["region"],
            subregion=subregion,
            neighbours=len(self.members.get(subregion, [])) - 1,
            lines=lines,
            signed_only=tuple(self.signed.get(iso3, [])),
            compared=tuple(compared),
            no_source=self.no_source,
            unknown=tuple(line for line in lines if line.status == UNKNOWN and line.instrument not in self.no_source),
            stale=self.stale,
            coverage=float(country.get("coverage", math.nan)),
            rank=rank,
            ranked=self.ranked,
            known_share=float(country.get("known_share", math.nan)),
            unranked=country.get("unranked", "") or "",
            sources=self.sources,
            migration=self.migration.get(iso3),
            migration_sources=self.migration_citations,
            group=self.data.group.name if self.data.group is not None else "",
            coverage_low=float(country.get("coverage_low", math.nan)),
            coverage_high=float(country.get("coverage_high", math.nan)),
            rank_best=best,
            rank_worst=worst,
        )


def _whole(value: Any) -> int | None:
    """A rank cell (an int, or Int64's NA, NaN or None when there is no rank) as an int or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _migration_facts(data: ReportData) -> tuple[dict[str, MigrationFacts], tuple[str, ...]]:
    """Every State's migration facts, from one pass over the committed reference, and their citations.

    Same facts as ``migrants.state_migration_facts`` per State, which would cost a table scan each.
    """
    from rt2gaps import migrants
    from rt2gaps.snapshot.reference import GCM_VOTE_DATE, bundled_reference

    reference = bundled_reference()
    figures = migrants.state_figures(data.states, reference)
    extra = {"figures_as_of": migrants.figures_label(), "gcm_vote_date": GCM_VOTE_DATE}
    facts = {row["iso3"]: MigrationFacts.from_facts({**row, **extra}) for row in figures.to_dict("records")}
    tables = reference.manifest.get("tables", {})
    citations = tuple(dict.fromkeys(
        f"citation.{Path(name).stem}" if strings_have(f"citation.{Path(name).stem}") else entry["citation"]
        for name, entry in tables.items() if entry.get("citation")
    ))  # fmt: skip
    return facts, citations


def strings_have(key: str) -> bool:
    """Whether the UI strings table has ``key`` (a citation written for readers, in both languages)."""
    return UiStrings("en").has(key)


def _iso(value: Any) -> str:
    """A date cell (date, Timestamp, string or missing) as ISO text."""
    if value is None or value != value:
        return ""
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def _line(row: dict[str, Any]) -> InstrumentLine:
    return InstrumentLine(
        instrument=row["instrument"],
        status=row["status"],
        signature_date=row.get("signature_date") or "",
        consent_type=row.get("consent_type") or "",
        consent_date=row.get("consent_date") or "",
        in_force_date=row.get("in_force_date") or "",
        withdrawal_date=row.get("withdrawal_date") or "",
        date_precision=row.get("date_precision") or "",
        source_as_of=row.get("source_as_of") or "",
        note=row.get("note") or "",
        last_known_status=row.get("last_known_status") or "",
        known_until=row.get("known_until") or "",
    )


# --- content ------------------------------------------------------------------------------------


def _table(headers: list[str], rows: Iterable[Sequence[object]]) -> list[Block | str]:
    """A table block, as a one-item list to add to the content."""
    return [Table(tuple(str(h) for h in headers), tuple(tuple(str(v) for v in row) for row in rows))]


def _percent(value: float, strings: UiStrings) -> str:
    return "—" if value != value else strings("chart.percent", value=f"{value * 100:.0f}")


def render_markdown(brief: CountryBrief, data: ReportData, strings: UiStrings, scorecard_file: str = "") -> str:
    """The brief as Markdown in the strings' language (State names and instrument titles too)."""
    return render_md(brief_document(brief, data, strings, scorecard_file))


def brief_document(brief: CountryBrief, data: ReportData, strings: UiStrings, scorecard_file: str = "") -> list[Block]:
    """The brief's blocks in the strings' language, which the Markdown, Word and HTML renderers lay out.

    A plain string in the list below is a paragraph of text (an empty one nothing); nothing here is markup.
    """
    from rt2gaps.report.charts.base import region_label, source_label, sources_text, state_names
    from rt2gaps.report.charts.scorecards import consent_text
    from rt2gaps.report.localise import dates_line, instrument_labels, page_url, source_basis

    t = strings
    name = state_names(data, t).get(brief.iso3, brief.iso3)
    titles = {i.id: i.title(t.lang) for i in data.instruments}
    labels = instrument_labels(data, t)  # ids, or the UN's French acronyms in French (PIDCP)
    set_name = data.recommended_set.title(t.lang)  # its title, never its id
    out: list[Block | str] = [Heading(t("brief.title_of_set", state=name, set=set_name), level=1), ""]
    out.append(t("brief.subtitle", dates=dates_line(data, t), set=set_name, iso3=brief.iso3,
                  subregion=region_label(t, brief.subregion, "subregion")))  # fmt: skip
    if brief.group:
        out += ["", t("brief.group_note", name=data.group.title(t) if data.group else brief.group)]
    out.append("")
    if scorecard_file:
        out += [Image(t("chart.scorecard_title", state=name), scorecard_file), ""]
    out += score_lines(brief, t, labels)
    out.append("")

    out += [Heading(t("brief.status_heading")), ""]
    out += _table(
        [t("col.instrument"), t("col.title"), t("col.status"), t("col.signature_date"), t("chart.scorecard_consent"),
         t("chart.scorecard_in_force"), t("brief.withdrawn_on"), t("col.source_as_of")],
        ([labels[line.instrument], titles.get(line.instrument, ""), t.status(line.status),
          t.dates_in(line.signature_date), t.dates_in(consent_text(vars(line), t)), t.dates_in(line.in_force_date),
          t.dates_in(line.withdrawal_date), t.dates_in(line.source_as_of)] for line in brief.lines),
    )  # fmt: skip
    if any(line.date_precision == "year" for line in brief.lines):
        out += ["", t("brief.year_only")]
    out.append("")

    out += [Heading(t("brief.signed_heading")), ""]
    if brief.signed_only:
        out.append(BulletList(tuple(
            runs(t, "brief.signed_item", bold=("instrument",), instrument=labels[item.instrument],
                 title=titles.get(item.instrument, ""), signed=t.dates_in(item.signature_date),
                 years=f"{item.years_since_signature:.1f}", as_of=t.date(brief.on))
            for item in brief.signed_only
        )))  # fmt: skip
    else:
        out.append(t("brief.signed_none"))
    out.append("")

    subregion = region_label(t, brief.subregion, "subregion")
    out += [Heading(t("brief.compare_heading", subregion=subregion)), ""]
    if brief.compared:
        out += [t("brief.compare_intro", n=brief.neighbours, subregion=subregion), ""]
        out += _table(
            [t("col.instrument"), t("brief.status_of", state=name), t("brief.neighbours_party"), t("col.share_party")],
            ([labels[c.instrument], t.status(c.status), t("brief.k_of_n", k=c.party, n=c.assessed),
              _percent(c.share, t)] for c in brief.compared),
        )  # fmt: skip
    else:
        out.append(t("brief.compare_none"))
    out.append("")

    if brief.migration is not None:
        out += migration_section(brief.migration, brief.migration_sources, brief.on, t)
    from rt2gaps.report.accountability import brief_section

    annex: list[Inline] = []  # reservation texts too long to quote whole in their line
    out += brief_section(brief.iso3, data, t, annex)

    out += [Heading(t("brief.data_heading")), ""]
    known_issues: list[str] = []
    if brief.no_source:
        known_issues.append(t("brief.no_source", instruments=", ".join(labels.get(i, i) for i in brief.no_source)))
    for line in brief.unknown:
        known_issues.append(unknown_item(line, labels[line.instrument], t))
    for stale in brief.stale:
        known_issues.append(t("brief.stale_item", instrument=labels.get(stale.instrument, stale.instrument),
                              as_of=t.dates_in(stale.source_as_of), days=stale.age_days))  # fmt: skip
    if known_issues:
        out.append(BulletList(tuple(plain(text) for text in known_issues)))
    if not (brief.no_source or brief.unknown or brief.stale):
        out.append(t("brief.data_ok"))
    out += ["", t("brief.freshness", days=data.stale_after)]
    if projection_warning(data.on):
        out.append(t("about.projected", on=t.date(data.on), today=t.date(date.today())))
    out.append("")

    out += what_it_could_do(brief, data, t)

    out += [Heading(t("about.sources")), ""]
    items = []
    for source in brief.sources:
        url = page_url(source.get("url", ""), t.lang)
        items.append(runs(t, "brief.source_item", links=("url",), name=source_label(source, t),
                          as_of=t.dates_in(source.get("as_of")), basis=source_basis(source, t), url=url))  # fmt: skip
    if items:
        out.append(BulletList(tuple(items)))
    out += ["", t("brief.footer", sources=sources_text(data, t)), ""]
    if annex:
        out += [Heading(t("brief.annex_heading")), *(Paragraph(text) for text in annex)]
    return blocks_of(out)


def what_it_could_do(brief: CountryBrief, data: ReportData, strings: UiStrings) -> list[Block | str]:
    """The closing section, from the brief's own facts: instruments to ratify (those signed first),
    individual complaints procedures to accept, reservations beyond the dispute clause to withdraw.

    An unknown status is never an action: it is said as unknown at the end.
    """
    from rt2gaps.procedures import ACCEPTED, NOT_ACCEPTED, NOT_PARTY, load_procedures
    from rt2gaps.report.accountability import kind_label
    from rt2gaps.reservations import standing_reservations

    t = strings
    labels = _instrument_labels(data, t)
    titles = {i.id: i.title(t.lang) for i in data.instruments}
    out: list[Block | str] = [Heading(t("brief.todo_heading")), ""]

    signed = {item.instrument for item in brief.signed_only}
    ilo = {i.id for i in data.instruments if i.body == "ILO"}  # ILO Conventions are ratified, never acceded to
    ratify = [runs(t, "brief.todo_ratify_signed", bold=("instrument",), instrument=labels.get(item.instrument,
                   item.instrument), title=titles.get(item.instrument, ""), signed=t.dates_in(item.signature_date))
              for item in brief.signed_only]  # fmt: skip
    for line in brief.lines:
        if line.instrument in signed or line.status not in (NONE, WITHDRAWN, SIGNATORY):
            continue
        key = "brief.todo_join_ilo" if line.instrument in ilo else "brief.todo_join"
        key = "brief.todo_rejoin" if line.status == WITHDRAWN else key
        ratify.append(runs(t, key, bold=("instrument",), instrument=labels.get(line.instrument, line.instrument),
                           title=titles.get(line.instrument, ""),
                           withdrawn=t.dates_in(line.withdrawal_date)))  # fmt: skip
    out.append(Paragraph((Run(t("brief.todo_ratify"), bold=True),)))
    out.append(BulletList(tuple(ratify)) if ratify else t("brief.todo_ratify_none"))

    accept: list[Inline] = []
    if "complaints_procedures" in data.tables:
        catalogue = load_procedures()
        rows = data.tables["complaints_procedures"]
        for row in rows[rows["iso3"] == brief.iso3].to_dict("records"):
            procedure = catalogue[row["procedure"]]
            if procedure.procedure_kind != "individual" or row["status"] == ACCEPTED:
                continue
            label = t.prose(procedure.label_fr) if t.lang == "fr" else procedure.label_en
            if row["status"] in (NOT_ACCEPTED, WITHDRAWN):
                accept.append(runs(t, "brief.todo_accept_item", bold=("label",), label=label))
            elif row["status"] == NOT_PARTY:
                accept.append(runs(t, "brief.todo_accept_after", bold=("label",), label=label,
                                   parent=labels.get(procedure.parent, procedure.parent)))  # fmt: skip
        out.append(Paragraph((Run(t("brief.todo_accept"), bold=True),)))
        out.append(BulletList(tuple(accept)) if accept else t("brief.todo_accept_none"))

    if "reservations" in data.tables:
        table = data.tables["reservations"]
        standing = standing_reservations(table[table["iso3"] == brief.iso3].to_dict("records"))
        withdraw = []
        for row in standing:
            cited = row["articles"].replace(";", ", ")
            articles = f" ({t('brief.articles', articles=cited)})" if cited else ""
            day = t.date(date.fromisoformat(row["date"])) if row["date"] else "—"
            withdraw.append(runs(t, "brief.todo_withdraw_item", bold=("instrument",),
                                 instrument=labels.get(row["instrument"], row["instrument"]),
                                 kind=kind_label(row["kind"], t), articles=articles, date=day))  # fmt: skip
        out.append(Paragraph((Run(t("brief.todo_withdraw"), bold=True),)))
        out.append(BulletList(tuple(withdraw)) if withdraw else t("brief.todo_withdraw_none"))

    unknown = [labels.get(line.instrument, line.instrument) for line in brief.lines if line.status == UNKNOWN]
    if unknown:
        out += ["", t("brief.todo_unknown", instruments=", ".join(unknown))]
    return [*out, ""]


def _instrument_labels(data: ReportData, strings: UiStrings) -> dict[str, str]:
    from rt2gaps.report.localise import instrument_labels

    return instrument_labels(data, strings)


def score_lines(brief: CountryBrief, strings: UiStrings, labels: dict[str, str]) -> list[str]:
    """The brief's score: coverage (a range while anything is unknown, with the unknowns named and why),
    the rank (a range unless best and worst agree), the known share; the too-little-known sentence instead.
    """
    t = strings
    eligible = [line for line in brief.lines if line.status != NOT_ELIGIBLE]
    unknown = [line.instrument for line in eligible if line.status == UNKNOWN]
    party = sum(line.status == PARTY for line in eligible)
    if not eligible or brief.unranked == NOTHING_KNOWN:
        return [t("brief.no_coverage")]
    no_source = [i for i in unknown if i in brief.no_source]
    others = [i for i in unknown if i not in brief.no_source]
    named = {"no_source": ", ".join(labels.get(i, i) for i in no_source),
             "others": ", ".join(labels.get(i, i) for i in others)}  # fmt: skip
    why = (t("brief.why_no_source") if not others else t("brief.why_unsettled") if not no_source
           else t("brief.why_mixed", **named))  # fmt: skip
    facts = {"low": _percent(brief.coverage_low, t), "high": _percent(brief.coverage_high, t),
             "unknown": len(unknown), "eligible": len(eligible), "party": party, "why": why,
             "instruments": ", ".join(labels.get(i, i) for i in unknown)}  # fmt: skip
    if brief.unranked == TOO_LITTLE_KNOWN:
        return [t("brief.too_little_known", **facts)]
    if unknown:
        lines = [t("brief.coverage_range", **facts)]
    else:
        lines = [t("brief.coverage_exact", coverage=_percent(brief.coverage, t), party=party, eligible=len(eligible))]
    if brief.rank is not None:
        lines.append(t("brief.rank_single", rank=brief.rank, ranked=brief.ranked))
    else:
        lines.append(t("brief.rank_range", best=brief.rank_best, worst=brief.rank_worst, ranked=brief.ranked))
    return [" ".join(lines), t("brief.known_share", known_share=_percent(brief.known_share, t))]


def unknown_item(line: InstrumentLine, label: str, strings: UiStrings) -> str:
    """Why the State's status is unknown although a source exists: a stale source, an undated succession, a year."""
    if line.last_known_status in FADING:
        return strings("brief.unknown_stale", instrument=label, last=strings.status(line.last_known_status),
                       as_of=strings.date(date.fromisoformat(line.known_until)))  # fmt: skip
    if SUCCESSION_NOTE_MARK in line.note:
        return strings("brief.unknown_succession", instrument=label)
    return strings("brief.unknown_item", instrument=label, note=line.note)


def separators(strings: UiStrings) -> tuple[str, str]:
    """The language's thousands and decimal marks, read off ``fmt.number_example`` (1,234,567.89)."""
    example = strings("fmt.number_example")
    return example[1], example[-3]


def _number(value: float, strings: UiStrings) -> str:
    """A count with the language's thousands separator; a missing figure in words, never 0."""
    if value != value:
        return strings("brief.no_figure")
    return f"{value:,.0f}".replace(",", separators(strings)[0])


def _share(value: float, strings: UiStrings) -> str:
    """A percentage (already ×100) to two decimals, since many States are below 1%."""
    if value != value:
        return strings("brief.no_figure")
    return strings("chart.percent", value=f"{value:.2f}".replace(".", separators(strings)[1]))


def migration_section(
    facts: MigrationFacts, citations: Iterable[str], on: date, strings: UiStrings
) -> list[Block | str]:
    """The brief's Migration section: one row per fact with its figure, date and source, then the citations.

    The figures are for mid-2020 whatever the as-of date; the section says so next to the as-of date.
    """
    from rt2gaps.snapshot.reference import STOCK_YEAR

    t = strings
    mid = t("fmt.mid_year", year=STOCK_YEAR)
    role = t(f"brief.role_{facts.role}") if facts.role in ("origin", "destination") else t("brief.no_figure")
    rows = [
        [t("brief.mig_stock"), _number(facts.migrant_stock, t), mid, t("brief.src_ims", table=1)],
        [t("brief.mig_share"), _share(facts.migrant_share_pct, t), mid, t("brief.src_ims", table=3)],
        [t("brief.mig_emigrants"), _number(facts.emigrants, t), mid, t("brief.src_emigrants")],
        [t("brief.mig_refugees"), _number(facts.refugees, t), mid, t("brief.src_ims", table=6)],
        [t("brief.mig_role"), role, mid, t("brief.src_role")],
        [
            t("brief.mig_vote"),
            t(f"vote.{facts.gcm_vote}"),
            t.date(date.fromisoformat(facts.gcm_vote_date)),
            t("brief.src_vote"),
        ],
    ]
    out: list[Block | str] = [Heading(t("brief.migration_heading", year=STOCK_YEAR)), ""]
    out += _table([t("brief.mig_fact"), t("brief.mig_figure"), t("brief.mig_date"), t("brief.mig_source")], rows)
    out += ["", t("brief.mig_note", year=STOCK_YEAR, as_of=t.date(on))]
    cited = list(citations)
    if cited:
        # a citation key is said in the brief's language; the manifest keeps the full provenance
        out += ["", t("brief.mig_citations"),
                BulletList(tuple(plain(t(c) if c.startswith("citation.") else c) for c in cited))]  # fmt: skip
    return [*out, ""]


# --- files --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefFiles:
    """The files of one State's brief; a format not asked for is None (HTML and Word embed the scorecard)."""

    markdown: Path | None
    scorecard: Path | None
    docx: Path | None = None
    html: Path | None = None

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.markdown, self.scorecard, self.docx, self.html) if p is not None]


def brief_stem(iso3: str, set_name: str, lang: str, group: str = "") -> str:
    """``PHL_rt2-priority`` (English) or ``PHL_rt2-priority_fr`` (French), safe for a file name.

    A run restricted to a group adds it (``PHL_rt2-priority_ldc``): its neighbours and rank differ,
    so it must not overwrite the full run's brief.
    """
    from rt2gaps.i18n import lang_suffix
    from rt2gaps.report.tables import set_slug

    stem = f"{iso3}_{set_slug(set_name)}" + (f"_{set_slug(group)}" if group else "")
    return stem + lang_suffix(lang)


def write_briefs(
    data: ReportData,
    out_dir: Path,
    lang: str = "en",
    iso3s: Iterable[str] | None = None,
    scorecards: bool = True,
    formats: Sequence[str] = ("md",),
) -> list[BriefFiles]:
    """Write each State's brief (all States of the run when None) in ``formats``: md, docx, html.

    Markdown comes with its scorecard PNG beside it; Word and HTML carry the scorecard inside. One
    builder and one figure style for all States: the status table is indexed once.
    """
    from rt2gaps.report.brief_formats import BRIEF_FORMATS, render_docx, render_html
    from rt2gaps.report.charts.scorecards import ScorecardRenderer

    unknown = [f for f in formats if f not in BRIEF_FORMATS]
    if unknown or not formats:
        from rt2gaps.errors import Rt2gapsError

        raise Rt2gapsError(f"brief format {', '.join(unknown) or 'none'}: expected {', '.join(BRIEF_FORMATS)}")
    strings = UiStrings(lang)
    builder = BriefBuilder(data)
    chosen = [builder.brief(iso3) for iso3 in (builder.iso3s if iso3s is None else iso3s)]  # bad codes stop here
    renderer = ScorecardRenderer(data, strings) if scorecards else None
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for brief in chosen:
        stem = brief_stem(brief.iso3, data.recommended_set.name, lang, data.group.slug if data.group else "")
        image = renderer.png(brief.iso3, builder.status_rows(brief.iso3)) if renderer is not None else None
        image_name = f"{stem}.png" if image is not None else ""
        blocks = brief_document(brief, data, strings, image_name)
        files: dict[str, Path] = {}
        if "md" in formats:
            if image is not None:
                files["scorecard"] = folder / image_name
                write_bytes_atomically(files["scorecard"], image)
            files["markdown"] = folder / f"{stem}.md"
            write_bytes_atomically(files["markdown"], render_md(blocks).encode("utf-8"))
        images = {image_name: image} if image is not None else {}
        if "docx" in formats:
            files["docx"] = folder / f"{stem}.docx"
            write_bytes_atomically(files["docx"], render_docx(blocks, lang, data.on, images))
        if "html" in formats:
            files["html"] = folder / f"{stem}.html"
            write_bytes_atomically(files["html"], render_html(blocks, lang, images).encode("utf-8"))
        written.append(BriefFiles(files.get("markdown"), files.get("scorecard"), files.get("docx"), files.get("html")))
    return written


def write_briefs_with(
    pool: ChartPool,
    data: ReportData,
    out_dir: Path,
    lang: str = "en",
    chunk_size: int = 20,
    formats: Sequence[str] = ("md",),
) -> list[BriefFiles]:
    """Every State's brief, in chunks spread over the run's chart workers (the scorecards are the slow part).

    The same files as ``write_briefs``, in the same order; a failing chunk raises its error here.
    """
    iso3s = BriefBuilder(data).iso3s
    chunks = [iso3s[start : start + chunk_size] for start in range(0, len(iso3s), chunk_size)]
    futures = [pool.submit(write_briefs, data, Path(out_dir), lang, chunk, True, tuple(formats)) for chunk in chunks]
    written: list[BriefFiles] = []
    for future in futures:
        written.extend(future.result())
    return written
