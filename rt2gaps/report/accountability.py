"""Report tables on accountability: complaints procedures per State, reservations, the Matrix's ``P*``.

Built from the procedures engine and the snapshot's statement table, for the States a run assesses
(its universe or ``--group``) on its as-of date; the reservations are those on the set's instruments.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from rt2gaps.procedures import PROCEDURE_COLUMNS, ProcedureEngine
from rt2gaps.report.localise import kind_label as kind_label  # said where the sheets and briefs say it
from rt2gaps.reservations import RESERVATION_COLUMNS, has_substantive_reservation
from rt2gaps.snapshot.store import Snapshot
from rt2gaps.status import DEFAULT_STALE_AFTER

PROCEDURE_STATE_COLUMNS = ["procedure", "mode", "threshold", "declarations", "procedure_in_force"]
RESERVATION_TABLE_COLUMNS = ["iso3", "name_en", "section", *RESERVATION_COLUMNS[1:], "source_url"]


def accountability_tables(
    snapshot: Snapshot,
    states: pd.DataFrame,
    on: date,
    instruments: list[str],
    urls: dict[str, str],
    stale_after: int = DEFAULT_STALE_AFTER,
) -> tuple[dict[str, pd.DataFrame], set[tuple[str, str]]]:
    """The tables ``complaints_procedures``, ``procedure_states`` and ``reservations``, and the
    (iso3, instrument) pairs with a standing reservation other than one only on the dispute clause."""
    engine = ProcedureEngine(snapshot, stale_after)
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
             "section": r["section"], "source": r["source_file"], "source_url": urls.get(r["instrument"], "")}
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
        "procedure_states": pd.DataFrame(own, columns=PROCEDURE_STATE_COLUMNS).astype(
            {"threshold": "Int64", "declarations": "Int64"}
        ),
        "complaints_migrants": complaints_migrants(procedures, states, on),
        "reservations": reservations,
    }
    return tables, reserved


def complaints_migrants(procedures: pd.DataFrame, states: pd.DataFrame, on: date) -> pd.DataFrame:
    """Per individual complaints procedure and status: States, and the migrants (mid-2020) living in them.

    The migrants of States with no figure in UN DESA's table are not counted; they are named in
    ``without_figure``, never counted as zero.
    """
    from rt2gaps.migrants import figures_label, state_figures
    from rt2gaps.procedures import PROCEDURE_STATUSES, load_procedures
    from rt2gaps.snapshot.reference import STOCK_YEAR, bundled_reference

    catalogue = load_procedures()
    stock = dict(zip(states["iso3"], state_figures(states, bundled_reference())["migrant_stock"], strict=True))
    rows = []
    for procedure in (p for p in catalogue.values() if p.procedure_kind == "individual"):
        mine = procedures[procedures["procedure"] == procedure.id]
        for status in PROCEDURE_STATUSES:
            codes = mine.loc[mine["status"] == status, "iso3"].tolist()
            known = [stock[c] for c in codes if stock.get(c) == stock.get(c) and stock.get(c) is not None]
            rows.append({
                "procedure": procedure.id, "status": status, "states": len(codes),
                "migrant_stock": float(sum(known)), "without_figure": ", ".join(
                    c for c in codes if not (stock.get(c) == stock.get(c) and stock.get(c) is not None)),
                "figures_as_of": figures_label(STOCK_YEAR), "status_as_of": on,
            })  # fmt: skip
    return pd.DataFrame(rows)


QUOTE_LIMIT = 600  # characters of a published text quoted in the brief's line; longer ones go whole to the annex
SENTENCE_END = re.compile(r"[.!?][\"”»)]*(?=\s+[\"“«(]?[A-ZÀ-Ý])")  # "art. 5" is not an end


def quoted(text: str, limit: int = QUOTE_LIMIT) -> tuple[str, bool]:
    """A published text for the brief's line, and whether it was cut: whole when short, else its opening
    sentences up to ``limit`` (never inside a word); a text with no sentence end before the limit is whole."""
    text = " ".join(text.split()).strip('"“”')
    if len(text) <= limit:
        return text, False
    ends = [m.end() for m in SENTENCE_END.finditer(text) if limit // 4 <= m.end() <= limit]
    if not ends:
        return text, False
    return text[: ends[-1]].rstrip(), True


def brief_section(iso3: str, data, strings, annex: list | None = None) -> list:
    """The brief's "Reservations and complaints" section (blocks), or nothing without the tables.

    One line per standing reservation or declaration on the set's instruments (articles, date, the
    text as published: whole, or its opening sentences with the whole text added to ``annex``), then the
    individual complaints procedures the State accepts (with the date and whether the procedure is in
    force) and those it does not.
    """
    from rt2gaps.procedures import ACCEPTED, load_procedures
    from rt2gaps.report.brief_formats import BulletList, Heading, plain, runs

    if "complaints_procedures" not in data.tables:
        return []
    from rt2gaps.report.localise import instrument_labels

    t = strings
    annex = [] if annex is None else annex
    labels = instrument_labels(data, t)  # PIDCP in French
    out: list = [Heading(t("brief.accountability_heading")), ""]
    reservations = data.tables["reservations"]
    own = [
        row
        for row in reservations[(reservations["iso3"] == iso3) & (reservations["withdrawn_date"] == "")].itertuples()
        if row.section == "declarations" and ("reserv" in row.kind.lower() or "competen" not in row.text.lower())
    ]  # objections and declarations accepting a committee's competence are not reservations
    if own:
        items = []
        for row in own:
            kind = kind_label(row.kind, t)
            if row.articles:
                kind += f" ({t('brief.articles', articles=row.articles.replace(';', ', '))})"
            day = t.date(date.fromisoformat(row.date)) if row.date else "—"
            text, cut = quoted(row.text)
            text += " […]" if cut else ""
            instrument = labels.get(row.instrument, row.instrument)
            item = runs(t, "brief.reservation_item", bold=("instrument",), instrument=instrument, kind=kind,
                        date=day, text=text)  # fmt: skip
            if cut:
                whole = quoted(row.text, len(row.text))[0]
                annex.append(runs(t, "brief.annex_item", bold=("instrument",), n=len(annex) + 1,
                                  instrument=instrument, kind=kind, date=day, text=whole))  # fmt: skip
                item += plain(t("brief.quote_cut", n=len(annex)))
            items.append(item)
        out.append(BulletList(tuple(items)))
    else:
        out.append(t("brief.reservation_none"))
    out.append("")
    catalogue = load_procedures()
    states = {row["procedure"]: row for row in data.tables["procedure_states"].to_dict("records")}
    rows = data.tables["complaints_procedures"]
    mine = rows[rows["iso3"] == iso3].to_dict("records")
    individual = [r for r in mine if catalogue[r["procedure"]].procedure_kind == "individual"]
    label = {p.id: (t.prose(p.label_fr) if t.lang == "fr" else p.label_en) for p in catalogue.values()}
    accepted = [r for r in individual if r["status"] == ACCEPTED]
    out.append(t("brief.complaints_intro"))
    out.append("")
    items = []
    for row in accepted:
        in_force = states[row["procedure"]]["procedure_in_force"]
        note = t("brief.procedure_not_in_force") if in_force == "false" else ""
        if row["since"]:
            item = t("brief.procedure_item", label=label[row["procedure"]],
                     since=t.date(date.fromisoformat(row["since"])), note=note)  # fmt: skip
        else:  # declared, not yet in effect (the procedure itself not in force)
            item = t("brief.procedure_item_declared", label=label[row["procedure"]],
                     declared=t.date(date.fromisoformat(row["declared"])), note=note)  # fmt: skip
        items.append(plain(item))
    if items:
        out.append(BulletList(tuple(items)))
    if not accepted:
        out.append(t("brief.procedure_none"))
    others = [
        f"{label[r['procedure']]} ({t('procstatus.' + r['status']).lower()})"
        for r in individual
        if r["status"] != ACCEPTED
    ]
    if others:
        out += ["", t("brief.procedure_others", procedures=t("fmt.list_separator").join(others))]
    out.append("")
    return out
