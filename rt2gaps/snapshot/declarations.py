"""The reservations, declarations and objections table of the snapshot (``declarations.csv``).

Built with the participant tables from the same UNTC pages and MTDSG XML files, with the same name
resolver, so a statement is attached to the State the participant grid knows. Checks (all must hold):
every entry of a section with text gives at least one statement; the name an HTML entry repeats in
its text is the name it is listed under; a withdrawal told in a footnote names the same State.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rt2gaps.names import NameResolver
from rt2gaps.paths import DATA_DIR
from rt2gaps.sources import mtdsg_xml, untc_html
from rt2gaps.sources.records import ParsedSource, ParticipantRow
from rt2gaps.sources.untc_statements import DECLARATIONS, OBJECTIONS, Statement, StatementSection, withdrawals_in

DECLARATIONS_FILE = "declarations.csv"
DECLARATION_COLUMNS = [
    "instrument",
    "iso3",
    "participant",
    "participant_kind",
    "section",  # declarations | objections | under_article | footnote (a withdrawn reservation)
    "kind",  # as the page words it
    "heading",
    "articles",  # ";"-separated, e.g. 18(3)(d);92(1)
    "date",  # when made: the page's date, else the participant's consent (or signature) date
    "date_basis",  # page | upon_consent | upon_signature | none
    "withdrawn_date",
    "withdrawal",  # whole | partial | empty
    "dispute_clause_only",  # true when every article named is the instrument's dispute clause
    "text",
    "footnotes",
    "source_key",
    "source_file",
    "source_as_of",
]
STATEMENT_PARSERS: dict[str, Callable[[bytes, str], StatementSection]] = {
    "untc-html": untc_html.parse_statements,
    "mtdsg-xml": mtdsg_xml.parse_statements,
}
DISPUTE_CLAUSES_FILE = DATA_DIR / "dispute_clauses.csv"


def declaration_sort_key(row: dict[str, str]) -> tuple[str, ...]:
    """The committed order of the statement table (so rebuilds and merges are byte-identical)."""
    columns = ("instrument", "iso3", "participant", "section", "date", "articles", "text")
    return tuple(row[column] for column in columns)


def load_dispute_clauses(path: Path = DISPUTE_CLAUSES_FILE) -> dict[str, str]:
    """Instrument id → the article number of its dispute-settlement clause (from the treaty texts)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["instrument"]: row["article"] for row in csv.DictReader(handle)}


def dispute_clause_only(statement: Statement, dispute_article: str | None) -> bool:
    """A reservation or declaration whose every article is the dispute clause (``92(1)``, ``92(2)``)."""
    if not dispute_article or not statement.articles or statement.section == OBJECTIONS:
        return False
    return all(label.split("(")[0] == dispute_article for label in statement.articles)


@dataclass
class StatementCheck:
    """One check of a statement table, like the snapshot's count checks."""

    source: str
    instrument: str
    check: str
    expected: int | str
    found: int | str


def statement_rows(
    data: bytes,
    format_: str,
    parsed: ParsedSource,
    instrument_id: str,
    common: dict[str, str],
    resolver: NameResolver,
    dispute_article: str | None,
) -> tuple[list[dict[str, str]], list[StatementCheck], int]:
    """The table rows of one source's statements, the checks made on them, and how many footnote
    withdrawals were left out because the note names another State than the participant citing it."""
    source = common["source_file"]
    section = STATEMENT_PARSERS[format_](data, source)
    grid = {row.participant: row for row in parsed.rows}
    checks: list[StatementCheck] = []
    with_text = {(e.section, e.source_row) for e in section.entries if any(p.text for p in e.pieces)}
    read = {(s.section, s.source_row) for s in section.statements}
    checks.append(
        StatementCheck(source, instrument_id, "entries with text read", len(with_text), len(read & with_text))
    )
    misattached = [e.participant for e in section.entries if e.echoed_name and e.echoed_name != e.participant]
    checks.append(StatementCheck(source, instrument_id, "entries repeating another name", 0, len(misattached)))
    statements = list(section.statements)
    footnote_refs: dict[str, set[str]] = {}
    for entry in section.entries:
        if entry.section == DECLARATIONS:
            footnote_refs.setdefault(entry.participant, set()).update(entry.footnotes)
    for row in parsed.rows:
        footnote_refs.setdefault(row.participant, set()).update(row.footnotes)
    wrong_state = 0
    seen: set[tuple[str, str]] = set()
    for participant, refs in sorted(footnote_refs.items()):
        own = resolver.resolve(participant, f"{source} statements")
        for ref in sorted(refs, key=lambda r: int(r) if r.isdigit() else 0):
            for who, withdrawn in withdrawals_in(parsed.footnotes.get(ref, ""), participant):
                named = resolver.lookup(who)
                if named is not None and own is not None and named.code != own.code:
                    wrong_state += 1  # a note about another State (a successor's, a joint note): not attached
                    continue
                key = (participant, withdrawn.text)
                if key not in seen:
                    seen.add(key)
                    statements.append(withdrawn)
    rows: list[dict[str, str]] = []
    for statement in statements:
        resolution = resolver.resolve(statement.participant, f"{source} {statement.section} row {statement.source_row}")
        if resolution is None:
            continue
        day, basis = _made_on(statement, grid.get(statement.participant))
        rows.append(
            {
                "instrument": instrument_id,
                "iso3": resolution.code or "",
                "participant": statement.participant,
                "participant_kind": resolution.kind,
                "section": statement.section,
                "kind": statement.kind,
                "heading": statement.heading,
                "articles": ";".join(statement.articles),
                "date": day,
                "date_basis": basis,
                "withdrawn_date": statement.withdrawn_date.isoformat() if statement.withdrawn_date else "",
                "withdrawal": statement.withdrawal,
                "dispute_clause_only": "true" if dispute_clause_only(statement, dispute_article) else "false",
                "text": statement.text,
                "footnotes": " ".join(statement.footnotes),
                **common,
            }
        )
    return rows, checks, wrong_state


def _made_on(statement: Statement, row: ParticipantRow | None) -> tuple[str, str]:
    """When a statement was made: the page's date, else upon consent (or signature) as the section says."""
    if statement.date is not None:
        return statement.date.isoformat(), "page"
    if statement.upon_signature and row is not None and row.signature is not None:
        return row.signature.date.isoformat(), "upon_signature"
    if row is not None and row.consent is not None:
        return row.consent.date.isoformat(), "upon_consent"
    if row is not None and row.signature is not None:
        return row.signature.date.isoformat(), "upon_signature"
    return "", "none"
