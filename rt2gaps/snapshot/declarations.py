"""The reservations, declarations and objections table of the snapshot (``declarations.csv``).

Built with the participant tables from the same UNTC pages and MTDSG XML files, with the same name
resolver, so a statement is attached to the State the participant grid knows. Checks (all must hold):
every entry of a section with text gives at least one statement; the name an HTML entry repeats in
its text is the name it is listed under; a withdrawal told in a footnote names the same State.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rt2gaps.catalogue import load_instruments
from rt2gaps.names import NameResolver
from rt2gaps.paths import DATA_DIR
from rt2gaps.snapshot.schema import DECLARATIONS_FILE as DECLARATIONS_FILE  # named here as before
from rt2gaps.sources.records import ParsedSource, ParticipantRow
from rt2gaps.sources.untc_cells import collapse
from rt2gaps.sources.untc_statements import (
    DECLARATIONS,
    OBJECTIONS,
    UNDER_ARTICLE,
    Statement,
    StatementSection,
    articles_named,
    normal_kind,
    recognitions_in,
    reservations_recalled_in,
    withdrawals_in,
)

DECLARATION_COLUMNS = [
    "instrument",
    "iso3",
    "participant",
    "participant_kind",
    "section",  # declarations | objections | under_article | footnote (a withdrawn reservation)
    "kind",  # reservation | declaration | interpretative declaration | objection | withdrawal | notification
    "heading",
    "articles",  # ";"-separated, e.g. 18(3)(d);92(1)
    "date",  # when made: the page's date, else the participant's consent (or signature) date
    "date_basis",  # page | footnote | succession (a predecessor's, carried) | upon_consent | upon_signature | none
    "withdrawn_date",
    "withdrawal",  # whole | partial | empty
    "dispute_clause_only",  # true when every article named is the instrument's dispute clause
    "text",
    "footnotes",
    "source_key",
    "source_file",
    "source_as_of",
    "kind_as_published",  # the page's wording ("Reservations", "Declaration under article 77")
]


def _untc_html_statements(data: bytes, relative: str) -> StatementSection:
    from rt2gaps.sources import untc_html  # lxml: loaded only by a snapshot build, not by every reader of this module

    return untc_html.parse_statements(data, relative)


def _mtdsg_xml_statements(data: bytes, relative: str) -> StatementSection:
    from rt2gaps.sources import mtdsg_xml

    return mtdsg_xml.parse_statements(data, relative)


STATEMENT_PARSERS: dict[str, Callable[[bytes, str], StatementSection]] = {
    "untc-html": _untc_html_statements,
    "mtdsg-xml": _mtdsg_xml_statements,
}
DISPUTE_CLAUSES_FILE = DATA_DIR / "dispute_clauses.csv"


def declaration_sort_key(row: dict[str, str]) -> tuple[str, ...]:
    """The committed order of the statement table (so rebuilds and merges are byte-identical)."""
    columns = ("instrument", "iso3", "participant", "section", "date", "articles", "text")
    return tuple(row[column] for column in columns)


@lru_cache(maxsize=64)
def other_titles(instrument_id: str) -> tuple[str, ...]:
    """The titles of the catalogue's other instruments, as a statement would cite them (lower case, without
    "International"), so an article "of the International Covenant on Civil and Political Rights" in a
    statement on the ICESCR is not read as the ICESCR's."""
    titles = []
    for instrument in load_instruments().values():
        if instrument.id != instrument_id and instrument.title_en:
            titles.append(re.sub(r"^(?:International|United Nations)\s+", "", instrument.title_en).lower())
    return tuple(titles)


def load_dispute_clauses(path: Path = DISPUTE_CLAUSES_FILE) -> dict[str, str]:
    """Instrument id → the article number of its dispute-settlement clause (from the treaty texts)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["instrument"]: row["article"] for row in csv.DictReader(handle)}


_DISPUTE_WORDS = re.compile(r"disput|International Court of Justice|arbitrat|settlement|differences", re.I)
_SAID_ARTICLE = re.compile(r"\b(?:said|that|this|the same|the above[- ]mentioned)\s+(?:article|provision)", re.I)


def dispute_clause_only(statement: Statement, dispute_article: str | None) -> bool:
    """A reservation or declaration that does nothing but exclude the dispute clause (``92(1)``, ``92(2)``).

    Every article it names must be the dispute clause, and every sentence of it must be about that
    clause or the settlement of disputes: Kuwait's ICERD statement also declines to recognise Israel,
    Thailand's adds a general interpretative declaration, so neither is dispute-only.
    """
    if not dispute_article or not statement.articles or statement.section == OBJECTIONS:
        return False
    if not all(label.split("(")[0] == dispute_article for label in statement.articles):
        return False
    for sentence in re.split(r"\n+|(?<=[.;])\s+(?=[\"“(]?[A-Z0-9])", statement.text):
        sentence = sentence.strip(" \"“”'")
        if len(sentence.split()) < 6 or sentence.endswith(":"):  # a heading or an opening line
            continue
        if sentence.startswith("(") and sentence.rstrip('.”"').endswith(")"):  # the depositary's own aside
            continue
        if not articles_named(sentence) and not _DISPUTE_WORDS.search(sentence) and not _SAID_ARTICLE.search(sentence):
            return False
    return True


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
    seen: set[tuple[str, str, str, str, str]] = set()

    def add(statement: Statement) -> None:
        day = statement.withdrawn_date or statement.date
        key = (statement.participant, statement.section, statement.text, ";".join(statement.articles), str(day))
        if key not in seen:
            seen.add(key)
            statements.append(statement)

    for participant, refs in sorted(footnote_refs.items()):
        for ref in sorted(refs, key=lambda r: int(r) if r.isdigit() else 0):
            for who, withdrawn, listed in _acts_by_sentence(withdrawals_in(parsed.footnotes.get(ref, ""), participant)):
                verdict = _speaks_of(resolver, who, participant, withdrawn.withdrawn_date, grid.get(participant))
                if (
                    len(listed) > 1
                    and verdict != "own"
                    and any(
                        _speaks_of(resolver, other, participant, None, None) == "own" and resolver.lookup(other)
                        for other in listed
                    )
                ):
                    verdict = None  # a list of States: only the participant's own act, not its predecessor's
                if len(listed) > 1 and verdict == "own" and resolver.lookup(who) is None:
                    verdict = None  # in a list of States, an unknown name is not the participant
                if verdict is None:
                    wrong_state += 1  # a note about another State (a successor's, a joint note): not attached
                    continue
                add(withdrawn)
    for entry in section.entries:
        if any(collapse(p.text) for p in entry.pieces) or entry.section == OBJECTIONS:
            continue  # an entry with its own text says itself what it holds
        grid_row = grid.get(entry.participant)
        for ref in entry.footnotes:
            note = parsed.footnotes.get(ref, "")
            if entry.section == UNDER_ARTICLE:  # listed in the section: its acceptance is told in the note
                for who, made in recognitions_in(note, entry.participant):
                    named, own = resolver.lookup(who), resolver.lookup(entry.participant)
                    carried = named is not None and own is not None and named.code != own.code
                    if carried and named is not None and named.kind != "predecessor":  # carried: never None
                        continue
                    add(replace(made, footnotes=entry.footnotes, source_row=entry.source_row,
                                date_basis="succession" if carried else "footnote"))  # fmt: skip
            else:
                withdrawn_here = [
                    w for who, w in withdrawals_in(note, entry.participant)
                    if _speaks_of(resolver, who, entry.participant, w.withdrawn_date, grid_row) == "own"
                ]  # fmt: skip
                for who, recalled in reservations_recalled_in(note, entry.participant):
                    named, own = resolver.lookup(who), resolver.lookup(entry.participant)
                    if not (named and own and named.code == own.code) and entry.participant.lower() not in who.lower():
                        continue  # only a note naming the State itself
                    whole = [w for w in withdrawn_here if w.withdrawal == "whole"]
                    lifted = {a for w in whole for a in w.articles}
                    left = tuple(a for a in recalled.articles if a not in lifted)
                    if whole and (not left or any(not w.articles for w in whole)):  # all of it withdrawn since
                        last = max(w.withdrawn_date for w in whole if w.withdrawn_date)
                        recalled = replace(recalled, withdrawn_date=last, withdrawal="whole")
                    elif left != recalled.articles:  # some articles withdrawn since: the rest stands
                        recalled = replace(recalled, articles=left)
                    add(replace(recalled, footnotes=entry.footnotes, source_row=entry.source_row))
    rows: list[dict[str, str]] = []
    others = other_titles(instrument_id)
    for statement in statements:
        said = f"{statement.heading} {statement.text}"
        foreign = set(articles_named(said)) - set(articles_named(said, others))
        if foreign:  # articles of another instrument the statement cites
            statement = replace(statement, articles=tuple(a for a in statement.articles if a not in foreign))
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
                "kind": normal_kind(statement.section, statement.kind, statement.text, statement.heading),
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
                "kind_as_published": statement.kind,
            }
        )
    return rows, checks, wrong_state


def _acts_by_sentence(acts: list[tuple[str, Statement]]) -> list[tuple[str, Statement, list[str]]]:
    """Each act with the names listed beside it in the same sentence (same text and kind of withdrawal)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for who, statement in acts:
        groups.setdefault((statement.text, ";".join(statement.articles)), []).append(who)
    return [(who, s, groups[(s.text, ";".join(s.articles))]) for who, s in acts]


def _speaks_of(resolver: NameResolver, who: str, participant: str, day, row: ParticipantRow | None) -> str | None:
    """Whether a note's act by ``who`` is the participant's: "own" (the State itself, or a name the
    resolver does not know), "continued" (a predecessor's act on or after the date the participant's
    own consent is dated, the Russian Federation continuing the Soviet Union), else None."""
    named, own = resolver.lookup(who), resolver.lookup(participant)
    if named is None or own is None or named.code == own.code:
        return "own"
    consent = row.consent.date if row is not None and row.consent is not None else None
    if named.kind == "predecessor" and day is not None and consent is not None and day >= consent:
        return "continued"
    return None


def _made_on(statement: Statement, row: ParticipantRow | None) -> tuple[str, str]:
    """When a statement was made: the page's date, else upon consent (or signature) as the section says."""
    if statement.date is not None:
        return statement.date.isoformat(), statement.date_basis or "page"
    if statement.upon_signature and row is not None and row.signature is not None:
        return row.signature.date.isoformat(), "upon_signature"
    if row is not None and row.consent is not None:
        return row.consent.date.isoformat(), "upon_consent"
    if row is not None and row.signature is not None:
        return row.signature.date.isoformat(), "upon_signature"
    return "", "none"
