"""Tables for a terminal (``--format text``): chosen columns, aligned, cut to fit 100 characters.

A pandas dump of every column is 400 characters wide and wraps into noise; a reader at a terminal
wants the few columns that answer the question, each cut with an ellipsis when too long. Scripts
use ``--format csv``, which keeps every column whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TERMINAL_WIDTH = 100
GAP = "  "


@dataclass(frozen=True)
class Column:
    """One column of a text table: the row key, its header, and the most characters it may take."""

    key: str
    header: str
    limit: int
    numeric: bool = False  # right-aligned


def cell_text(value: object, percent: bool = False) -> str:
    """A value as a short text: empty for missing, a share as '57%' when ``percent``."""
    if value is None or value != value:  # None or NaN
        return ""
    if percent and isinstance(value, float):
        return f"{value * 100:.0f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def text_table(
    rows: Iterable[Mapping[str, object]],
    columns: Sequence[Column],
    width: int = TERMINAL_WIDTH,
    percent: frozenset[str] = frozenset(),
) -> str:
    """The rows as an aligned table no wider than ``width``; the last column takes what room is left."""
    texts = [[cell_text(row.get(c.key), c.key in percent) for c in columns] for row in rows]
    widths = [min(c.limit, max([len(c.header)] + [len(t[n]) for t in texts])) for n, c in enumerate(columns)]
    room = width - len(GAP) * (len(columns) - 1) - sum(widths[:-1])
    widths[-1] = max(1, min(widths[-1], room))
    lines = []
    for values in [[c.header for c in columns], *texts]:
        cells = [_cut(v, w).rjust(w) if c.numeric else _cut(v, w).ljust(w)
                 for v, w, c in zip(values, widths, columns, strict=True)]  # fmt: skip
        lines.append(GAP.join(cells).rstrip())
    return "\n".join(lines) + "\n"


def gap_columns() -> list[Column]:
    """``gaps --format text``: a State's counts, coverage and rank (ranges while unknowns remain), and what it
    lacks (cut to fit)."""
    t = _strings()
    return [Column("iso3", t("col.iso3"), 4), Column("name_en", t("text.state"), 22),
            Column("party", t("text.party"), 7, True), Column("pending", t("text.pending"), 7, True),
            Column("signatory", t("text.signatory"), 6, True), Column("none", t("text.none"), 6, True),
            Column("unknown", t("text.unknown"), 7, True), Column("coverage_range", t("text.coverage"), 8, True),
            Column("known_share", t("text.known"), 5, True), Column("rank_range", t("col.rank"), 7, True),
            Column("missing", t("text.missing"), 60)]  # fmt: skip


def with_ranges(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Gap rows with ``coverage_range`` ('68–95%', or '100%' where exact) and ``rank_range`` ('1–174', or '8')."""
    out = []
    for row in rows:
        low, high = cell_text(row["coverage_low"], True), cell_text(row["coverage_high"], True)
        coverage = low if low == high else f"{low[:-1]}–{high}" if low else ""
        best, worst = cell_text(row["rank_best"]), cell_text(row["rank_worst"])
        rank = best if best == worst else f"{best}–{worst}"
        out.append({**row, "coverage_range": coverage, "rank_range": rank})
    return out


def _dates_and_note(t: Any) -> list[Column]:
    """The columns that back a status: signature, consent, entry into force, source date, note."""
    return [Column("signature_date", t("col.signature_date"), 10), Column("consent_date", t("text.consent"), 10),
            Column("in_force_date", t("text.in_force"), 10), Column("source_as_of", t("col.source_as_of"), 12),
            Column("note", t("col.note"), 60)]  # fmt: skip


def detail_columns() -> list[Column]:
    """``gaps --country --format text``: one State's status, gap and dates per instrument."""
    t = _strings()
    return [
        Column("instrument", t("col.instrument"), 14),
        Column("status", t("col.status"), 12),
        Column("gap", t("text.gap"), 5),
        *_dates_and_note(t),
    ]


def status_columns() -> list[Column]:
    """``status --format text``: each State's status and dates per instrument."""
    t = _strings()
    return [
        Column("iso3", t("col.iso3"), 4),
        Column("instrument", t("col.instrument"), 14),
        Column("status", t("col.status"), 12),
        *_dates_and_note(t),
    ]


def instrument_columns() -> list[Column]:
    """``instruments --format text``: each instrument's id, title, body, adoption and source date."""
    t = _strings()
    return [Column("id", t("col.id"), 16), Column("body", t("col.body"), 4),
            Column("adoption_date", t("text.adopted"), 10), Column("source_as_of", t("col.source_as_of"), 12),
            Column("has_data", t("text.has_data"), 4), Column("title_en", t("col.title"), 60)]  # fmt: skip


def set_columns() -> list[Column]:
    """``sets --format text``: each set's instruments in order, with their weights."""
    t = _strings()
    return [Column("set", t("text.set"), 18), Column("position", "#", 3, True),
            Column("instrument", t("col.instrument"), 16), Column("weight", t("text.weight"), 6, True),
            Column("description", t("text.description"), 60)]  # fmt: skip


def with_status_labels(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Rows whose status code reads as its label ("none" -> "No action"): the text tables are for people."""
    t = _strings()
    return [{**row, "status": t.status(str(row["status"]))} if row.get("status") else dict(row) for row in rows]


def _strings() -> Any:
    """The English labels (UiStrings, imported late to keep the CLI light)."""
    from rt2gaps.i18n import UiStrings

    return UiStrings("en")
