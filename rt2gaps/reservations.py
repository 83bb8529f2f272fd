"""Reservations, declarations and objections per State and instrument, from the snapshot's statement table."""

from __future__ import annotations

from rt2gaps.catalogue import parse_instrument_ids
from rt2gaps.errors import Rt2gapsError
from rt2gaps.procedures import load_declarations
from rt2gaps.snapshot.store import Snapshot

RESERVATION_COLUMNS = [
    "iso3",
    "instrument",
    "kind",  # reservation | declaration | interpretative declaration | objection | withdrawal | notification
    "kind_as_published",
    "articles",
    "date",
    "withdrawn_date",
    "withdrawal",  # whole | partial (the rest of a partly withdrawn reservation stands)
    "dispute_clause_only",
    "text",
    "source",
]


def reservation_rows(snapshot: Snapshot, instruments: str | None = None, country: str | None = None) -> list[dict]:
    """One row per statement of a State (section, heading and date basis kept alongside the columns above).

    ``instruments`` is ``ID,ID`` (checked against the catalogue); ``country`` an ISO3 code of the
    State table. Statements of non-State participants (the European Union) and of predecessor
    States are left out: they name no State of today.
    """
    wanted = set(parse_instrument_ids(instruments)) if instruments else None
    if country is not None:
        country = country.strip().upper()
        if country not in snapshot.states_by_iso3:
            raise Rt2gapsError(f"{country!r} is not an ISO3 code of the State table")
    rows = []
    for row in load_declarations(snapshot) or []:
        if row["participant_kind"] != "state":
            continue
        if (wanted is not None and row["instrument"] not in wanted) or (country and row["iso3"] != country):
            continue
        # a table written before the kinds were normalised has the page's wording in ``kind`` and no other column
        rows.append({"kind_as_published": row["kind"], **row, "source": row["source_file"]})
    return rows


def standing_reservations(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The State's reservations on one instrument that stand and go beyond the dispute clause (one row each).

    A reservation withdrawn in part still stands for the rest (Kuwait's ICCPR art. 25 (b), note 30), unless
    the entry itself carries what stands on the same articles (Mexico's art. 25 (b): the note quotes the
    text as made, the entry the text left), so the same reservation is not listed twice.
    """

    def substantive(row: dict[str, str]) -> bool:
        return (row["section"] in ("declarations", "footnote") and "reservation" in row["kind"].lower()
                and row["dispute_clause_only"] != "true")  # fmt: skip

    whole = [r for r in rows if substantive(r) and not r["withdrawn_date"]]
    covered = {(r["instrument"], a.split("(")[0]) for r in whole for a in r["articles"].split(";") if a}
    partly = [
        r for r in rows
        if substantive(r) and r["withdrawn_date"] and r.get("withdrawal") == "partial"
        and not {(r["instrument"], a.split("(")[0]) for a in r["articles"].split(";") if a} & covered
    ]  # fmt: skip
    return whole + partly


def has_substantive_reservation(rows: list[dict[str, str]]) -> bool:
    """A standing reservation other than one only on the dispute clause (the Matrix's ``P*``)."""
    return bool(standing_reservations(rows))
