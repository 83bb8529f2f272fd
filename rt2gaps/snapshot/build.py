"""Build the normalised snapshot from the raw source files: parse, resolve names, validate, write.

Reads only the sources layer (parsers) and catalogues; writes ``events.csv``, ``states.csv`` and
``manifest.json`` into one folder atomically. Every check that fails stops the build with its
numbers; nothing is written half-way.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rt2gaps.catalogue import Instrument, load_instruments
from rt2gaps.entry_into_force import denunciation_effective
from rt2gaps.errors import CountMismatchError, Rt2gapsError
from rt2gaps.names import NON_STATE, NameResolver
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.declarations import (
    DECLARATION_COLUMNS,
    DECLARATIONS_FILE,
    STATEMENT_PARSERS,
    declaration_sort_key,
    load_dispute_clauses,
    statement_rows,
)
from rt2gaps.snapshot.registry import SourceEntry, load_registry
from rt2gaps.snapshot.schema import EVENT_COLUMNS, EVENTS_FILE, MANIFEST_FILE, STATE_COLUMNS, STATES_FILE
from rt2gaps.snapshot.states import build_states
from rt2gaps.snapshot.write import csv_text, json_text, write_folder_atomically
from rt2gaps.sources import (
    mtdsg_xml,
    normlex_convention,
    normlex_copy,
    normlex_table,
    untc_csv,
    untc_html,
    user_table,
)
from rt2gaps.sources.dates import refuse_future_source_date
from rt2gaps.sources.records import ACCESSION, DENUNCIATION, MONTH, YEAR, Act, FootnoteAct, ParsedSource, ParticipantRow
from rt2gaps.sources.untc_cells import count_parties, count_signatories, denunciation_dates

PARSERS: dict[str, Callable[[bytes, str], ParsedSource]] = {
    "untc-html": untc_html.parse,
    "mtdsg-xml": mtdsg_xml.parse,
    "untc-csv": untc_csv.parse,
    "normlex-table-csv": normlex_table.parse_csv,
    "normlex-table-html": normlex_table.parse_html,
    "normlex-convention": normlex_convention.parse,
    user_table.FORMAT: user_table.parse,
}


@dataclass(frozen=True)
class PlannedSource:
    """One instrument's table read from an explicit file (a fetched or imported page), not the registry."""

    format: str  # a key of PARSERS
    path: Path
    as_of: date
    source_key: str
    label: str = ""  # what events and manifest record as source_file (a URL, a file name); the path when empty
    retrieved_by: date | None = None  # every act recorded happened by then; as_of when None
    as_of_basis: str = ""
    origin: str = ""
    url: str = ""

    def entry(self) -> SourceEntry:
        """The registry-like entry the builder records for this file."""
        return SourceEntry(
            source_key=self.source_key, format=self.format, folder="", primary_file="", cross_check_file="",
            as_of=self.as_of, retrieved_by=self.retrieved_by or self.as_of, as_of_basis=self.as_of_basis,
            origin=self.origin, url=self.url,
        )  # fmt: skip


@dataclass(frozen=True)
class Check:
    """One validation result, as data: what was compared, where, and whether it held."""

    source: str
    instrument: str
    check: str
    expected: int | str
    found: int | str

    @property
    def ok(self) -> bool:
        return self.expected == self.found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_file_for(instrument: Instrument, entry: SourceEntry) -> str:
    """The raw file holding an instrument's table within its source folder."""
    if entry.primary_file:
        return entry.primary_file
    if not instrument.source_file:
        raise Rt2gapsError(f"data/instruments.csv: {instrument.id} names source {entry.source_key} but no source_file")
    return instrument.source_file


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _act_date(act: Act) -> tuple[str, str]:
    if act.precision == YEAR:
        return str(act.date.year), YEAR
    if act.precision == MONTH:
        return act.date.isoformat()[:7], MONTH
    return act.date.isoformat(), act.precision


def events_for_row(
    row: ParticipantRow,
    instrument: Instrument,
    code: str,
    kind: str,
    common: dict[str, str],
) -> list[dict[str, str]]:
    """The snapshot events one source row stands for: its acts, and the undoing of any undone act."""
    base = {"instrument": instrument.id, "iso3": code, "participant": row.participant, "participant_kind": kind}
    events: list[dict[str, str]] = []
    for act in (row.signature, row.consent):
        if act is None:
            continue
        day, precision = _act_date(act)
        events.append({**base, **common, "act": act.kind, "date": day, "date_precision": precision,
                       "notified_date": "", "note": ""})  # fmt: skip
        if act.undone:
            events.append({**base, **common, **undoing(act, instrument)})
    for found in footnote_only_acts(row):
        events.append({**base, **common, **footnote_event(found)})
    return events


def footnote_only_acts(row: ParticipantRow) -> list[FootnoteAct]:
    """The acts a participant's footnotes state that its grid cells do not already record.

    The grid's consent (same deposit day) and the denunciation its brackets stand for (same
    notification, read from the same footnote) are not repeated.
    """
    undone_notified = row.consent.undone_date if row.consent is not None and row.consent.undone else None
    return [
        found for found in row.footnote_acts
        if not (found.kind == ACCESSION and row.consent is not None and found.date == row.consent.date)
        and not (found.kind == DENUNCIATION and found.date == undone_notified)
    ]  # fmt: skip


def footnote_event(found: FootnoteAct) -> dict[str, str]:
    """A footnote act as an event: ``date`` when it took effect where the footnote says, with the deposit
    or notification in ``notified_date``; else the deposit (an accession then follows the final clause)."""
    note = f"footnote {found.footnote}: {found.text}"
    if found.effective is not None:
        return {"act": found.kind, "date": found.effective.isoformat(), "date_precision": "day",
                "notified_date": found.date.isoformat(), "note": note}  # fmt: skip
    return {"act": found.kind, "date": found.date.isoformat(), "date_precision": "day", "notified_date": "",
            "note": note}  # fmt: skip


def undoing(act: Act, instrument: Instrument) -> dict[str, str]:
    """The event that undoes an act: when it was notified and took effect, where the source says."""
    if act.kind in ("signature", "succession_to_signature"):
        return {"act": "signature_withdrawn", "date": "", "date_precision": "none", "notified_date": "",
                "note": act.note}  # fmt: skip
    if act.undone_precision in (YEAR, MONTH) and act.undone_date:
        text = str(act.undone_date.year) if act.undone_precision == YEAR else act.undone_date.isoformat()[:7]
        return {"act": "denunciation", "date": text, "date_precision": act.undone_precision, "notified_date": "",
                "note": act.note or f"{act.undone_precision} of denunciation as the source gives it"}  # fmt: skip
    notified, effective = denunciation_dates(act.note) if act.note else (None, None)
    notified = notified or act.undone_date
    if effective is None and notified is not None:
        effective = denunciation_effective(notified, instrument.denunciation_rule)
    note = act.note or "the source shows the act undone but gives no date"
    return {"act": "denunciation", "date": _iso(effective), "date_precision": "day" if effective else "none",
            "notified_date": _iso(notified), "note": note}  # fmt: skip


PINNED_COUNTS_FILE = DATA_DIR / "pinned_counts.csv"


def load_pinned_counts(path: Path = PINNED_COUNTS_FILE) -> dict[tuple[str, str], int]:
    """Counts recorded for sources that carry none of their own (the 2015 CSV scrape)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {(row["source_file"], row["check"]): int(row["expected"]) for row in csv.DictReader(handle)}


def count_checks(
    parsed: ParsedSource,
    rows: list[ParticipantRow],
    source: str,
    instrument: str,
    pinned: dict[tuple[str, str], int] | None = None,
) -> list[Check]:
    """Parsed counts against the source's own header counts (UNTC page totals, XML Status), or pinned ones."""
    subset = ParsedSource(format=parsed.format, rows=rows)
    checks: list[Check] = []
    if pinned is not None and (source, "parties") in pinned:
        checks.append(Check(source, instrument, "parties (pinned)", pinned[(source, "parties")], count_parties(subset)))
    if "parties" in parsed.header_counts:
        checks.append(Check(source, instrument, "parties", parsed.header_counts["parties"], count_parties(subset)))
    if "signatories" in parsed.header_counts and parsed.format == "untc-html":
        checks.append(
            Check(source, instrument, "signatories", parsed.header_counts["signatories"], count_signatories(subset))
        )
    if instrument in parsed.header_counts:  # NORMLEX: the column's own count of filled cells
        checks.append(Check(source, instrument, "ratifications", parsed.header_counts[instrument], len(rows)))
    if "ratifications" in parsed.header_counts:  # NORMLEX convention page: every row, denounced ones too
        checks.append(Check(source, instrument, "ratifications", parsed.header_counts["ratifications"], len(rows)))
    if "denounced" in parsed.header_counts:
        undone = sum(1 for row in rows if row.consent is not None and row.consent.undone)
        checks.append(Check(source, instrument, "denounced", parsed.header_counts["denounced"], undone))
    return checks


@dataclass
class BuildResult:
    """What a build produced, before it is written: the files' rows and every check made."""

    events: list[dict[str, str]]
    states: list[dict[str, str]]
    manifest: dict
    checks: list[Check]
    declarations: list[dict[str, str]] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        return {
            EVENTS_FILE: csv_text(self.events, EVENT_COLUMNS),
            STATES_FILE: csv_text(self.states, STATE_COLUMNS),
            DECLARATIONS_FILE: csv_text(self.declarations, DECLARATION_COLUMNS),
            MANIFEST_FILE: json_text(self.manifest),
        }


def rows_for(parsed: ParsedSource, instrument: Instrument) -> list[ParticipantRow]:
    if parsed.format.startswith("normlex") or parsed.format == user_table.FORMAT:  # one table, many instruments
        return [row for row in parsed.rows if row.instrument == instrument.id]
    return parsed.rows


def _acts_by_pair(parsed: ParsedSource) -> dict[tuple[str, str], str]:
    return {(row.participant, row.instrument or ""): row.consent.raw if row.consent else "" for row in parsed.rows}


def cross_check(sources_dir: Path, entry: SourceEntry, primary: ParsedSource) -> dict:
    """Compare the primary table with an independent copy: where they differ, recorded for the reader."""
    relative = f"{entry.folder}/{entry.cross_check_file}"
    data = (sources_dir / relative).read_bytes()
    other = PARSERS[entry.format](data, relative)
    mine, theirs = _acts_by_pair(primary), _acts_by_pair(other)
    differences = [
        {"participant": name, "instrument": code, "primary": mine.get((name, code), ""),
         "cross_check": theirs.get((name, code), "")}
        for name, code in sorted(set(mine) | set(theirs))
        if _same_year(mine.get((name, code), "")) != _same_year(theirs.get((name, code), ""))
    ]  # fmt: skip
    return {"file": relative, "sha256": sha256_of(data), "differences": differences}


def _same_year(raw: str) -> str:
    """``1958den.:1990`` and ``1958 (denounced 1990)`` say the same: compare the years only."""
    return " ".join(re.findall(r"\d{4}", raw))


def _sort_key(event: dict[str, str]) -> tuple:
    return (event["instrument"], event["iso3"], event["participant"], event["date"], event["act"])


def _registry_jobs(
    instruments: dict[str, Instrument], registry: dict[str, SourceEntry], sources_dir: Path
) -> list[tuple[Instrument, SourceEntry, str, Path]]:
    """(instrument, source entry, recorded file name, path) for every catalogue instrument with a source."""
    jobs = []
    for instrument in instruments.values():
        if not instrument.data_source_key:
            continue
        entry = registry.get(instrument.data_source_key)
        if entry is None:
            raise Rt2gapsError(
                f"data/instruments.csv: {instrument.id} names unknown source {instrument.data_source_key!r}"
            )
        relative = f"{entry.folder}/{source_file_for(instrument, entry)}"
        jobs.append((instrument, entry, relative, sources_dir / relative))
    return jobs


def _plan_jobs(
    instruments: dict[str, Instrument], plan: Mapping[str, PlannedSource]
) -> list[tuple[Instrument, SourceEntry, str, Path]]:
    unknown = sorted(set(plan) - set(instruments))
    if unknown:
        raise Rt2gapsError(f"build plan names unknown instrument(s): {', '.join(unknown)}")
    return [(instruments[i], plan[i].entry(), plan[i].label or str(plan[i].path), plan[i].path)
            for i in instruments if i in plan]  # fmt: skip


def compile_snapshot(
    sources_dir: Path,
    plan: Mapping[str, PlannedSource] | None = None,
    states: tuple[list[dict[str, str]], NameResolver] | None = None,
) -> BuildResult:
    """Parse every registered source, resolve names, run the checks; raise on any failure.

    With ``plan`` (instrument id -> PlannedSource) only those instruments are built, each from its
    own file (a refresh builds fetched pages this way); with ``states`` (rows and resolver) the State
    table is taken as given instead of being rebuilt from the reference files in ``sources_dir``.
    """
    if not sources_dir.is_dir():
        raise Rt2gapsError(f"raw sources folder not found: {sources_dir}")
    registry = load_registry()
    instruments = load_instruments()
    state_rows, resolver = states if states is not None else build_states(sources_dir)
    pinned = load_pinned_counts()
    cross_checks: dict[str, dict] = {}
    parsed_cache: dict[Path, tuple[ParsedSource, str]] = {}
    events: list[dict[str, str]] = []
    checks: list[Check] = []
    manifest_instruments: dict[str, dict] = {}
    declarations: list[dict[str, str]] = []
    dispute_clauses = load_dispute_clauses()
    if plan is None:
        jobs = _registry_jobs(instruments, registry, sources_dir)
    else:
        jobs = _plan_jobs(instruments, plan)
        registry = {entry.source_key: entry for _, entry, _, _ in jobs}
    for instrument, entry, relative, path in jobs:
        if path not in parsed_cache:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                raise Rt2gapsError(f"source file missing: {path}") from None
            if entry.format == normlex_copy.FORMAT:  # the instrument is named at import, not in the file
                parsed = normlex_copy.parse(data, relative, instrument.id, lambda n: resolver.lookup(n) is not None)
            else:
                parsed = PARSERS[entry.format](data, relative)
            parsed_cache[path] = (parsed, sha256_of(data))
        parsed, digest = parsed_cache[path]
        rows = rows_for(parsed, instrument)
        checks.extend(count_checks(parsed, rows, relative, instrument.id, pinned))
        as_of = refuse_future_source_date(parsed.as_of or entry.as_of, f"{relative} ({instrument.id})")
        if parsed.as_of and parsed.as_of != entry.as_of:
            stamp = Check(relative, instrument.id, "as-of stamp", entry.as_of.isoformat(), parsed.as_of.isoformat())
            checks.append(stamp)
        common = {"source_key": entry.source_key, "source_file": relative, "source_as_of": as_of.isoformat()}
        non_state: list[str] = []
        from_footnotes: list[dict[str, str]] = []
        for row in rows:
            refuse_before_adoption(row, instrument, relative)
            resolution = resolver.resolve(row.participant, f"{relative} row {row.source_row}")
            if resolution is None:
                continue
            if resolution.kind == NON_STATE:
                non_state.append(row.participant)
            events.extend(events_for_row(row, instrument, resolution.code or "", resolution.kind, common))
            from_footnotes.extend(
                {"participant": row.participant, "act": f.kind, "date": f.date.isoformat(),
                 "effective": f.effective.isoformat() if f.effective else "", "footnote": f.footnote, "text": f.text}
                for f in footnote_only_acts(row)
            )  # fmt: skip
        manifest_instruments[instrument.id] = {
            "source_key": entry.source_key,
            "format": entry.format,
            "source_file": relative,
            "sha256": digest,
            "source_as_of": as_of.isoformat(),
            "retrieved_by": max(as_of, entry.retrieved_by).isoformat(),
            "as_of_basis": entry.as_of_basis,
            "origin": entry.origin,
            "rows_parsed": len(rows),
            "parties_parsed": count_parties(ParsedSource(format=parsed.format, rows=rows)),
            "signatories_parsed": count_signatories(ParsedSource(format=parsed.format, rows=rows)),
            "header_counts": {
                k: v
                for k, v in parsed.header_counts.items()
                if k in ("parties", "signatories", "ratifications", "denounced", instrument.id)
            },
            "non_state_participants": sorted(set(non_state)),
        }
        if from_footnotes:  # acts only the footnotes state (UNTC), each as the footnote words it
            manifest_instruments[instrument.id]["footnote_acts"] = from_footnotes
        if entry.format in STATEMENT_PARSERS:
            rows_made, made_checks, skipped = statement_rows(
                path.read_bytes(), entry.format, parsed, instrument.id, common, resolver,
                dispute_clauses.get(instrument.id),
            )  # fmt: skip
            declarations.extend(rows_made)
            checks.extend(Check(c.source, c.instrument, c.check, c.expected, c.found) for c in made_checks)
            manifest_instruments[instrument.id]["statements_parsed"] = len(rows_made)
            if skipped:
                manifest_instruments[instrument.id]["footnote_withdrawals_naming_another_state"] = skipped
        if entry.cross_check_file:
            if entry.source_key not in cross_checks:
                cross_checks[entry.source_key] = cross_check(sources_dir, entry, parsed)
            manifest_instruments[instrument.id]["cross_check"] = {
                **cross_checks[entry.source_key],
                "differences": [
                    d for d in cross_checks[entry.source_key]["differences"] if d["instrument"] == instrument.id
                ],
            }
    resolver.raise_if_unresolved()
    failed = [c for c in checks if not c.ok]
    if failed:
        lines = [f"  {c.source} {c.instrument} {c.check}: source says {c.expected}, parsed {c.found}" for c in failed]
        raise CountMismatchError("snapshot checks failed:\n" + "\n".join(lines))
    events.sort(key=_sort_key)
    declarations.sort(key=declaration_sort_key)
    manifest = {
        "sources": {
            key: {
                "format": e.format,
                "folder": e.folder,
                "as_of": e.as_of.isoformat(),
                "retrieved_by": e.retrieved_by.isoformat(),
                "as_of_basis": e.as_of_basis,
                "origin": e.origin,
                "url": e.url,
            }
            for key, e in registry.items()
        },  # fmt: skip
        "instruments": manifest_instruments,
        "no_source": [i.id for i in instruments.values() if not (i.data_source_key if plan is None else i.id in plan)],
        "counts": {"events": len(events), "states": len(state_rows), "declarations": len(declarations)},
    }
    return BuildResult(events=events, states=state_rows, manifest=manifest, checks=checks, declarations=declarations)


def refuse_before_adoption(row: ParticipantRow, instrument: Instrument, relative: str) -> None:
    """A signature or consent dated before the adoption is a misread or a wrong page: refused, naming the row."""
    adopted = instrument.adoption_date
    for act in (row.signature, row.consent):
        if act is None:
            continue
        early = act.date.year < adopted.year if act.precision == YEAR else act.date < adopted
        if early:
            raise Rt2gapsError(
                f"{relative} row {row.source_row} ({row.participant}): {act.kind} dated {act.raw.strip() or act.date} "
                f"is before {instrument.id} was adopted ({adopted.isoformat()})"
            )


SNAPSHOT_FILES = (EVENTS_FILE, STATES_FILE, DECLARATIONS_FILE, MANIFEST_FILE)  # every file a snapshot folder may hold


def build_snapshot(sources_dir: Path, out_dir: Path, keep_previous: bool = False) -> BuildResult:
    """Compile and then write atomically; on any failure the folder at ``out_dir`` is untouched."""
    result = compile_snapshot(sources_dir)
    write_folder_atomically(out_dir, result.files(), keep_previous=keep_previous, allowed=SNAPSHOT_FILES,
                            what="snapshot folder")  # fmt: skip
    return result
