"""Everything one report run needs, computed once: the set, the statuses and every gap table.

Writers (Excel, CSV, and later charts and briefs) only read a ``ReportData``; none recomputes a
table. Later analyses add their own frames to ``tables`` or objects to ``extras``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd

from rt2gaps import migrants
from rt2gaps.catalogue import Instrument, NonRatifiable, RecommendedSet, load_instruments, load_non_ratifiable
from rt2gaps.history import status_rows
from rt2gaps.phrase import Phrase
from rt2gaps.snapshot.store import Event, Snapshot
from rt2gaps.status import DEFAULT_STALE_AFTER, FADING, STATUS_COLUMNS, UNKNOWN, universe_states

gaps = import_module("rt2gaps.gaps")  # the module: ``from rt2gaps import gaps`` is the public function

if TYPE_CHECKING:
    from rt2gaps.groups import StateGroup

FEWEST_PARTIES_SHOWN = 5

# The tables of a run, in the order the workbook shows them and as CSV file stems.
TABLE_ORDER = (
    "summary",
    "matrix",
    "country_gaps",
    "instrument_coverage",
    "regions",
    "signed_not_ratified",
    "changes",
    "data_quality",
    "migrants_affected",
    "top_destinations",
    "origin_destination",
    "gcm_commitment_gap",
    "gcm_commitment_summary",
    "complaints_procedures",
    "procedure_states",
    "complaints_migrants",
    "reservations",
)


@dataclass
class ReportData:
    """The inputs and tables of one run; built by ``build_report_data`` and handed to every writer."""

    recommended_set: RecommendedSet
    on: date
    since: date
    universe: str
    instruments: list[Instrument]
    states: pd.DataFrame
    status: pd.DataFrame
    manifest: dict
    non_ratifiable: list[NonRatifiable]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    group: StateGroup | None = None  # only this group's States of the universe (``--group``)
    stale_after: int = DEFAULT_STALE_AFTER  # days a source's none/signatory stand past its as-of date

    @property
    def instrument_ids(self) -> list[str]:
        return [i.id for i in self.instruments]

    @property
    def no_data_instruments(self) -> list[str]:
        """Instruments of the set with no source: every eligible State is ``unknown`` on them."""
        coverage = self.tables["instrument_coverage"]
        return coverage.loc[coverage["no_data"], "instrument"].tolist()

    @property
    def no_data_instrument_objects(self) -> list[Instrument]:
        """The instruments of ``no_data_instruments``, as catalogue entries (their body says where to fetch them)."""
        missing = set(self.no_data_instruments)
        return [i for i in self.instruments if i.id in missing]

    @property
    def mostly_unknown_instruments(self) -> list[str]:
        """Instruments of the set unknown for most of their eligible States: the scores leave them out."""
        status = self.status
        return gaps.mostly_unknown(zip(status["iso3"].tolist(), status["instrument"].tolist(),
                                       status["status"].tolist(), strict=True), self.instrument_ids)  # fmt: skip

    @property
    def too_little_known(self) -> int:
        """How many States of the run are not ranked because under half of the set's weight is known."""
        return int((self.tables["country_gaps"]["unranked"] == gaps.TOO_LITTLE_KNOWN).sum())

    @property
    def stale_instruments(self) -> list[str]:
        coverage = self.tables["instrument_coverage"]
        return coverage.loc[coverage["stale"], "instrument"].tolist()

    @property
    def sources(self) -> list[dict[str, str]]:
        """The manifest's sources that feed at least one instrument of the set, with their key."""
        used = {self.manifest["instruments"][i]["source_key"] for i in self.instrument_ids
                if i in self.manifest.get("instruments", {})}  # fmt: skip
        return [{"source_key": key, **entry} for key, entry in self.manifest.get("sources", {}).items() if key in used]

    @property
    def stem(self) -> str:
        """File stem of the run's outputs: ``rt2gaps_<set>_<as-of>``, or ``rt2gaps_<set>_<group>_<as-of>``.

        The group is in the stem so that a group's report never overwrites the full one.
        """
        scope = f"_{set_slug(self.group.slug)}" if self.group is not None else ""
        return f"rt2gaps_{set_slug(self.recommended_set.name)}{scope}_{self.on.isoformat()}"


def use_snapshot_changes(data: ReportData, old: Snapshot, new: Snapshot) -> None:
    """Make the Changes table what changed between two snapshots (``run --since-snapshot``), not since a date.

    Rows come from ``refresh.diff`` (acts, statuses on the as-of date, sources), kept to the set's
    instruments and the run's States (source rows have no State and are kept). The old snapshot is
    recorded by its sources and their dates (the About sheet names it so; a folder path means nothing
    to a reader).
    """
    from rt2gaps.refresh.diff import changes_frame

    frame = changes_frame(old, new, data.on, data.stale_after)
    keep = frame["instrument"].isin(data.instrument_ids) & (
        (frame["iso3"] == "") | frame["iso3"].isin(data.states["iso3"])
    )
    data.tables["changes"] = frame[keep].reset_index(drop=True)
    sources = [{"source_key": key, **entry} for key, entry in old.manifest.get("sources", {}).items()]
    as_of = max((source.get("as_of", "") for source in sources), default="")
    data.extras["since_snapshot"] = {"as_of": as_of, "sources": sources}


def set_slug(name: str) -> str:
    """A set name made safe for a file name (a user's set may be called anything)."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    return slug or "set"


def states_frame(snapshot: Snapshot, universe: str) -> pd.DataFrame:
    """The States of the universe, as the snapshot's State table."""
    return pd.DataFrame(universe_states(snapshot, universe))


def events_frame(snapshot: Snapshot) -> pd.DataFrame:
    """The snapshot's events as a DataFrame of strings (``vars``: ``asdict`` deep-copies and is slow)."""
    return pd.DataFrame([vars(event) for event in snapshot.events], columns=[f.name for f in fields(Event)])


def status_frame(
    snapshot: Snapshot, instruments: list[Instrument], on: date, universe: str, stale_after: int = DEFAULT_STALE_AFTER
) -> pd.DataFrame:
    """Status of every State of the universe on every instrument, as tidy rows."""
    rows = status_rows(snapshot, instruments, on, universe, stale_after)
    return pd.DataFrame([row.as_row() for row in rows], columns=STATUS_COLUMNS)


def build_report_data(
    recommended_set: RecommendedSet,
    snapshot: Snapshot,
    on: date,
    since: date = gaps.GCM_ADOPTION,
    universe: str = "all",
    instruments: dict[str, Instrument] | None = None,
    group: StateGroup | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> ReportData:
    """Compute every table of a run; raises before anything is written if an input is bad.

    With ``group``, only the group's States of the universe are assessed (ranks, regions and
    migrant totals are then within the group).
    """
    catalogue = instruments if instruments is not None else load_instruments()
    chosen = [catalogue[i] for i in recommended_set.instruments]
    ids = [i.id for i in chosen]
    states = states_frame(snapshot, universe)
    status = status_frame(snapshot, chosen, on, universe, stale_after)
    if group is not None:
        from rt2gaps.groups import restrict_to_group

        members = {s["iso3"] for s in restrict_to_group(states.to_dict("records"), group, universe)}
        states = states[states["iso3"].isin(members)].reset_index(drop=True)
        status = status[status["iso3"].isin(members)].reset_index(drop=True)
    data = ReportData(
        recommended_set=recommended_set,
        on=on,
        since=since,
        universe=universe,
        instruments=chosen,
        states=states,
        status=status,
        manifest=snapshot.manifest,
        non_ratifiable=list(load_non_ratifiable().values()),
        group=group,
        stale_after=stale_after,
    )
    country = gaps.country_gaps(status, states, ids, recommended_set.weights)
    coverage = gaps.instrument_coverage(status, chosen, snapshot.manifest, on)
    signed = gaps.signed_not_ratified(status, states, ids, on)
    data.tables["country_gaps"] = country
    data.tables["instrument_coverage"] = coverage
    data.tables["regions"] = gaps.regions(country, status, states, ids)
    data.tables["signed_not_ratified"] = signed
    data.tables["changes"] = gaps.changes_since(events_frame(snapshot), states, ids, since, on)
    data.tables["matrix"] = status_matrix(status, states, ids)
    data.tables["data_quality"] = data_quality(snapshot, status, coverage, chosen, stale_after)
    data.tables["summary"] = summary(country, coverage, signed, data.mostly_unknown_instruments)
    data.tables.update(migrants.report_tables(status, states, ids, on))  # migrant figures: mid-2020
    from rt2gaps.report.accountability import accountability_tables

    extra, data.extras["reserved_pairs"] = accountability_tables(
        snapshot, states, on, ids, {i.id: i.source_url for i in chosen}, stale_after
    )
    data.tables.update(extra)
    return data


def status_matrix(status: pd.DataFrame, states: pd.DataFrame, instruments: list[str]) -> pd.DataFrame:
    """States as rows, instruments as columns, the status word in each cell."""
    wide = status.pivot(index="iso3", columns="instrument", values="status").reindex(columns=instruments)
    frame = states[gaps.STATE_COLUMNS].merge(wide.reset_index(), on="iso3", how="inner")
    return frame.sort_values(["region", "subregion", "name_en"]).reset_index(drop=True)


def summary(
    country: pd.DataFrame, coverage: pd.DataFrame, signed: pd.DataFrame, mostly_unknown: list[str]
) -> pd.DataFrame:
    """Headline figures as (metric, value) rows; instruments with no source never count as 'fewest parties'.

    Mean coverage is an interval (mean of the ranked States' ``coverage_low``, and of their
    ``coverage_high``): the ranked States are those with at least half of the set's weight known; the
    rows before it say how many States that is, and what the scores leave out.
    """
    with_data = coverage[~coverage["no_data"]].sort_values(["party", "instrument"])
    fewest = with_data.head(FEWEST_PARTIES_SHOWN)
    ranked = country[country["unranked"] == ""]
    known = country["known_share"].dropna()
    rows = [
        ("states_assessed", int((country["unranked"] != gaps.NOTHING_KNOWN).sum())),
        ("states_ranked", int(len(ranked))),
        ("states_too_little_known", int((country["unranked"] == gaps.TOO_LITTLE_KNOWN).sum())),
        ("states_exact", int(country["coverage"].notna().sum())),
        ("mean_known_share", float(known.mean()) if len(known) else None),
        ("mean_coverage_low", float(ranked["coverage_low"].mean()) if len(ranked) else None),
        ("mean_coverage_high", float(ranked["coverage_high"].mean()) if len(ranked) else None),
        ("instruments_mostly_unknown", ", ".join(mostly_unknown)),
        ("signed_not_ratified_pairs", len(signed)),
        ("fewest_parties", ", ".join(f"{r.instrument} ({r.party})" for r in fewest.itertuples())),
        ("instruments_no_data", ", ".join(coverage.loc[coverage["no_data"], "instrument"])),
        ("instruments_stale", ", ".join(coverage.loc[coverage["stale"], "instrument"])),
    ]
    return pd.DataFrame(rows, columns=["metric", "value"])


def _header_count_rows(instrument_id: str, entry: dict) -> list[dict[str, Any]]:
    """Source header counts against what the parser read (parties, signatories, or ILO's one total)."""
    parsed_for = {"parties": "parties_parsed", "signatories": "signatories_parsed"}
    rows = []
    for what, header in (entry.get("header_counts") or {}).items():
        parsed = entry.get(parsed_for.get(what, "rows_parsed"))
        rows.append(
            {
                "check": "header_count",
                "instrument": instrument_id,
                "participant": "",
                "detail": Phrase.of(
                    f"dq.header_count.{what if what in parsed_for else 'ratifications'}", header=header, parsed=parsed
                ),
                "count": parsed,
                "ok": header == parsed,
            }
        )
    return rows


def data_quality(
    snapshot: Snapshot,
    status: pd.DataFrame,
    coverage: pd.DataFrame,
    instruments: list[Instrument],
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """One row per finding: no source, stale source, answers not confirmed or become unknown since the
    source's date, other unknown cells, non-State participants, header counts."""
    rows: list[dict[str, Any]] = []
    faded = status["last_known_status"].isin(FADING)
    became_unknown = status[faded & (status["status"] == UNKNOWN)].groupby("instrument").size()
    not_confirmed = status[faded & status["status"].isin(FADING)].groupby("instrument").size()
    unknown_cells = status[~faded & (status["status"] == UNKNOWN)].groupby("instrument").size()
    by_id = coverage.set_index("instrument")
    for instrument in instruments:
        entry = snapshot.instrument_source(instrument.id)
        found = by_id.loc[instrument.id]
        if entry is None:
            detail = Phrase.of("dq.no_source")
            rows.append(_finding("no_source", instrument.id, detail, int(found["unknown"]), ok=False))
            continue
        if found["stale"]:
            as_of = date.fromisoformat(entry["source_as_of"])
            detail = Phrase.of("dq.stale_source", as_of=as_of, days=int(found["source_age_days"]))
            rows.append(_finding("stale_source", instrument.id, detail, None, ok=False))
        if not_confirmed.get(instrument.id, 0):
            detail = Phrase.of("dq.not_confirmed", as_of=date.fromisoformat(entry["source_as_of"]), days=stale_after)
            rows.append(_finding("not_confirmed", instrument.id, detail, int(not_confirmed[instrument.id]), ok=False))
        if became_unknown.get(instrument.id, 0):
            detail = Phrase.of("dq.became_unknown", as_of=date.fromisoformat(entry["source_as_of"]), days=stale_after)
            rows.append(_finding("became_unknown", instrument.id, detail, int(became_unknown[instrument.id]), ok=False))
        if unknown_cells.get(instrument.id, 0):
            detail = Phrase.of("dq.unknown_cells")
            rows.append(_finding("unknown_cells", instrument.id, detail, int(unknown_cells[instrument.id]), ok=False))
        for name in entry.get("non_state_participants", []):
            kept = Phrase.of("dq.non_state_participant")
            rows.append(_finding("non_state_participant", instrument.id, kept, None, ok=True, who=name))
        rows.extend(_header_count_rows(instrument.id, entry))
    columns = ["check", "instrument", "participant", "detail", "count", "ok"]
    return pd.DataFrame(rows, columns=columns)


def _finding(check: str, instrument: str, detail: Phrase, count: int | None, *, ok: bool, who: str = "") -> dict:
    return {"check": check, "instrument": instrument, "participant": who, "detail": detail, "count": count, "ok": ok}


def table_names(data: ReportData) -> list[str]:
    """The run's tables in ``TABLE_ORDER``, then any added later."""
    return [n for n in TABLE_ORDER if n in data.tables] + [n for n in data.tables if n not in TABLE_ORDER]
