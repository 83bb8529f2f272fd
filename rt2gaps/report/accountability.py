"""Report tables on accountability: complaints procedures per State, reservations, the Matrix's ``P*``.

Built from the procedures engine and the snapshot's statement table, for the States a run assesses
(its universe or ``--group``) on its as-of date; the reservations are those on the set's instruments.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from rt2gaps.procedures import PROCEDURE_COLUMNS, ProcedureEngine
from rt2gaps.reservations import RESERVATION_COLUMNS, has_substantive_reservation
from rt2gaps.snapshot.store import Snapshot

PROCEDURE_STATE_COLUMNS = ["procedure", "mode", "threshold", "declarations", "procedure_in_force", "basis"]
RESERVATION_TABLE_COLUMNS = ["iso3", "name_en", *RESERVATION_COLUMNS[1:], "source_url"]


def accountability_tables(
    snapshot: Snapshot, states: pd.DataFrame, on: date, instruments: list[str], urls: dict[str, str]
) -> tuple[dict[str, pd.DataFrame], set[tuple[str, str]]]:
    """The tables ``complaints_procedures``, ``procedure_states`` and ``reservations``, and the
    (iso3, instrument) pairs with a standing reservation other than one only on the dispute clause."""
    engine = ProcedureEngine(snapshot)
    iso3s = list(states["iso3"])
    names = dict(zip(states["iso3"], states["name_en"], strict=True))
    rows = [
        {"name_en": names[iso3], **engine.status(iso3, procedure, on).as_row()}
        for iso3 in iso3s
        for procedure in engine.procedures
    ]
    procedures = pd.DataFrame(rows, columns=["iso3", "name_en", *PROCEDURE_COLUMNS[1:]])
    own = []
    for procedure in engine.procedures.values():
        counted = procedure.mode in ("declaration", "opt_in")
        in_force = engine.in_force(procedure, on)
        own.append({
            "procedure": procedure.id, "mode": procedure.mode,
            "threshold": procedure.threshold if procedure.threshold is not None else None,
            "declarations": engine.declaration_count(procedure.id, on) if counted else None,
            "procedure_in_force": "" if in_force is None else str(in_force).lower(),
            "basis": procedure.basis,
        })  # fmt: skip
    wanted = set(instruments)
    statements = [
        r
        for r in engine.declarations
        if r["participant_kind"] == "state" and r["iso3"] in names and r["instrument"] in wanted
    ]
    statements.sort(key=lambda r: (names[r["iso3"]], instruments.index(r["instrument"]), r["date"]))
    reservations = pd.DataFrame(
        [
            {**{c: r[c] for c in RESERVATION_COLUMNS if c != "source"}, "name_en": names[r["iso3"]],
             "source": r["source_file"], "source_url": urls.get(r["instrument"], "")}
            for r in statements
        ],
        columns=RESERVATION_TABLE_COLUMNS,
    )  # fmt: skip
    by_pair: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in statements:
        by_pair.setdefault((r["iso3"], r["instrument"]), []).append(r)
    reserved = {pair for pair, found in by_pair.items() if has_substantive_reservation(found)}
    tables = {
        "complaints_procedures": procedures,
        "procedure_states": pd.DataFrame(own, columns=PROCEDURE_STATE_COLUMNS),
        "reservations": reservations,
    }
    return tables, reserved
