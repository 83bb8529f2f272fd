"""The public Python API: typed DataFrames of statuses, panels, histories, gaps and catalogues; a run's files.

``import rt2gaps`` exposes these functions (``rt2gaps.status``, ``rt2gaps.panel``, ...); pandas is
imported only when one of them is called, so the command line starts fast. Each one calls the
service (``rt2gaps.service``), the pipeline the command line calls too, and types its rows here
(``rt2gaps.frames``). Every status comes from the spells (``rt2gaps.history``): no function here
decides a status. Every frame has real types: dates ``datetime64[ns]``, ``status`` an ordered
Categorical in the legend's order (``STATUS_ORDER``), counts ``Int64``, flags ``bool``, missing
values ``NA`` (never ""), and ``name``, ``region``, ``subregion`` beside ``iso3``. A bad argument
raises one ``ValueError`` naming the argument and the value; a date after today warns
(``rt2gaps.service.ProjectionWarning``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt2gaps import service
from rt2gaps.frames import (  # noqa: F401 - the typing helpers, as the API always named them
    DATE_COLUMNS,
    PLACE_COLUMNS,
    STATUS_ORDER,
    _datetimes,
    report_table,
    status_categorical,
    typed_frame,
)
from rt2gaps.service import (  # noqa: F401 - the argument checks, as the API always named them
    checked_date,
    checked_dates,
    checked_instruments,
    checked_stale_after,
    checked_states,
    instruments_for,
)
from rt2gaps.snapshot.store import Snapshot
from rt2gaps.snapshot.userdata import current_snapshot, forget_loaded_snapshots  # noqa: F401
from rt2gaps.status import DEFAULT_STALE_AFTER

if TYPE_CHECKING:
    import pandas as pd


def _bad(argument: str, value: object, why: str) -> ValueError:
    return service.ArgumentError(argument, f"{value!r} {why}")


# --- the public functions -----------------------------------------------------------------------------


def status(
    as_of: date | str | None = None,
    instruments: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
    country: str | None = None,
) -> pd.DataFrame:
    """Each State's status on each instrument on one date, with the dates of its acts.

    ``as_of`` is a date or ``"YYYY-MM-DD"`` (default today); ``instruments`` catalogue ids (default
    every ratifiable one); ``universe`` ``"all"`` or ``"un-members"``; ``group`` ``ldc``, ``lldc``,
    ``sids`` or a group TOML file. One row per State and instrument, State then catalogue order.
    ``stale_after``: days a source's none/signatory answers stand past its as-of date before they
    become unknown (``known_until`` and ``last_known_status`` say what was last known). ``country``
    (an ISO3 code or a State's name) keeps one State's rows.

    >>> import rt2gaps
    >>> icrmw = rt2gaps.status("2026-02-03", instruments="ICRMW")
    >>> int((icrmw["status"] == "party").sum())
    60
    """
    from rt2gaps.status import STATUS_COLUMNS

    found = service.status_rows(as_of, instruments, universe, group, stale_after, country)
    return typed_frame(found.rows, STATUS_COLUMNS, found.snapshot.states)


def history(
    instruments: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
    country: str | None = None,
) -> pd.DataFrame:
    """Each State's history on each instrument as spells: one row per run of dates with one status.

    A spell holds from ``start`` to the day before ``end`` (``start`` NA: since ever; ``end`` NA:
    still holding). ``start_precision``/``end_precision`` are ``year`` where the boundary is the edge
    of a year-only act's window (ILO years) rather than a day the source gives. The other columns are
    those of ``status`` on any date of the spell; ``stale_after`` and ``country`` as there.

    >>> import rt2gaps
    >>> spells = rt2gaps.history(instruments="ICRMW")
    >>> spells[spells["iso3"] == "MEX"][["status", "start", "end"]].iloc[-1]["status"]
    'party'
    """
    found = service.history_rows(instruments, universe, group, stale_after, country)
    return typed_frame(found.rows, found.columns, found.snapshot.states)


def panel(
    dates: Iterable[date | str],
    instruments: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """Each State's status on each instrument on each of many dates: a long panel, read from the spells.

    ``dates`` is any iterable of dates or ISO strings, or a pandas date range (sorted, duplicates
    dropped). Columns ``date, iso3, name, region, subregion, instrument, status, last_known_status``
    (what the source last showed, where the date is after its as-of date); every text column is a
    Categorical, so a monthly panel since 1945 (about 8.7 million rows) fits in a few hundred MB.
    Rows are by date, then State, then catalogue order. ``stale_after`` as in ``status``.

    >>> import pandas as pd, rt2gaps
    >>> yearly = rt2gaps.panel(pd.date_range("1990-12-31", "2025-12-31", freq="YE"), instruments="ICRMW")
    >>> int((yearly[yearly["date"] == "2025-12-31"]["status"] == "party").sum())
    60
    """
    return service.panel(dates, instruments, universe, group, stale_after)


def gaps(
    recommended_set: str | Path = "rt2-priority",
    as_of: date | str | None = None,
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
    universe: str = "all",
) -> pd.DataFrame:
    """The Country gaps table of a recommended set: per State, counts by status, coverage, gaps and rank.

    ``recommended_set`` is a bundled set's name (``rt2gaps.sets()``) or a set TOML file. Coverage is
    an interval of floats, ``coverage_low`` (every unknown counted as not party) to ``coverage_high``
    (every unknown counted as party); ``coverage`` is the exact figure, NaN while anything eligible is
    unknown. Counts, ``rank_best``, ``rank_worst`` and ``rank`` are ``Int64`` (ranks NA where too
    little is known; ``rank`` NA unless best and worst agree); instrument lists are text, NA when
    empty. ``stale_after`` and ``universe`` as in ``status``.

    >>> import rt2gaps
    >>> table = rt2gaps.gaps("rt2-priority", as_of="2026-02-03")
    >>> list(table.columns[:4])
    ['iso3', 'name', 'region', 'subregion']
    """
    found = service.gaps_rows(recommended_set, as_of, universe, group, stale_after)
    columns = ["name" if c == "name_en" else c for c in found.columns]
    renamed = [{("name" if k == "name_en" else k): v for k, v in row.items()} for row in found.rows]
    return typed_frame(renamed, columns)


def states() -> pd.DataFrame:
    """The State table of the snapshot: codes, English and French names, M49 regions, group and membership flags.

    ``default_universe`` marks the States of ``universe="all"``, ``un_member`` those of ``"un-members"``.

    >>> import rt2gaps
    >>> int(rt2gaps.states()["un_member"].sum())
    193
    """
    snapshot = current_snapshot()
    rows = [{("name" if k == "name_en" else k): v for k, v in s.items()} for s in snapshot.states]
    return typed_frame(rows, list(rows[0]))


def instruments() -> pd.DataFrame:
    """The instrument catalogue with each instrument's source and the source's as-of date in this snapshot.

    ``has_data`` is False where no source covers the instrument (every State ``unknown``).

    >>> import rt2gaps
    >>> rt2gaps.instruments().set_index("id").loc["ICRMW", "adoption_date"]
    Timestamp('1990-12-18 00:00:00')
    """
    found = service.instrument_rows()
    return typed_frame(found.rows, found.columns)


def sets() -> pd.DataFrame:
    """The bundled recommended sets, one row per set and instrument, with its position and weight.

    >>> import rt2gaps
    >>> rt2gaps.sets().query("set == 'rt2-priority'")["instrument"].iloc[0]
    'ICRMW'
    """
    found = service.set_rows()
    return typed_frame(found.rows, found.columns)


class Report:
    """One run of a recommended set in memory: the workbook's tables, its charts and the country briefs.

    Made by ``rt2gaps.report``; nothing is written to disk. ``tables`` maps each table name (as
    ``rt2gaps run`` writes them: ``summary``, ``country_gaps``, ``instrument_coverage``, ``regions``,
    ``signed_not_ratified``, ``changes``, ``data_quality``, the migrant tables, ...) to a DataFrame
    typed like the other API frames (dates ``datetime64``, notes said in ``lang``, ``name`` beside
    ``iso3``, ``iso3`` and ``instrument`` Categoricals).
    """

    def __init__(self, data: Any, snapshot: Snapshot, lang: str) -> None:
        self._data = data
        self._snapshot = snapshot
        self.lang = lang
        self.tables: dict[str, pd.DataFrame] = {name: report_table(frame, self._strings())
                                                for name, frame in data.tables.items()}  # fmt: skip
        self.as_of: date = data.on
        self.instruments: list[str] = data.instrument_ids

    def _strings(self) -> Any:
        from rt2gaps.i18n import UiStrings

        return UiStrings(self.lang)

    def chart_names(self) -> list[str]:
        """The charts ``chart`` draws, in the order ``rt2gaps run`` writes them (``matrix_<region>`` per region)."""
        from rt2gaps.report.charts import chart_builders

        return [name for name, _ in chart_builders(self._data, self._snapshot, self._strings())]

    def chart(self, name: str) -> bytes:
        """One chart of the run as PNG bytes (``IPython.display.Image(report.chart("world_map"))``)."""
        from rt2gaps.report.charts import chart_builders, to_png

        builders = dict(chart_builders(self._data, self._snapshot, self._strings()))
        if name not in builders:
            raise _bad("name", name, f"is not a chart of this report; use one of {', '.join(builders)}")
        return to_png(builders[name]())

    def scorecard(self, iso3: str) -> bytes:
        """One State's scorecard (status per instrument with dates) as PNG bytes."""
        from rt2gaps.report.charts import scorecard, to_png

        return to_png(scorecard(self._data, self._checked_iso3(iso3), self._strings()))

    def brief(self, iso3: str) -> str:
        """One State's country brief as Markdown (what ``rt2gaps brief ISO3`` prints)."""
        from rt2gaps.report.briefs import BriefBuilder, render_markdown

        builder = BriefBuilder(self._data)
        return render_markdown(builder.brief(self._checked_iso3(iso3)), self._data, self._strings())

    def timeline(self) -> pd.DataFrame:
        """States per status per instrument from each adoption to the as-of date (the timelines chart's counts)."""
        from rt2gaps.report.charts import parties_over_time

        only = set(self._data.states["iso3"]) if self._data.group is not None else None
        return parties_over_time(self._snapshot, self._data.instruments, self.as_of, self._data.universe, only=only,
                                 stale_after=self._data.stale_after)  # fmt: skip

    def _checked_iso3(self, iso3: object) -> str:
        code = iso3.strip().upper() if isinstance(iso3, str) else ""
        if code not in set(self._data.states["iso3"]):
            raise _bad("iso3", iso3, "is not the ISO3 code of a State of this report")
        return code


def report(
    recommended_set: str | Path = "rt2-priority",
    as_of: date | str | None = None,
    since: date | str | None = None,
    group: str | Path | None = None,
    universe: str = "all",
    lang: str = "en",
    stale_after: int = DEFAULT_STALE_AFTER,
) -> Report:
    """Everything ``rt2gaps run`` computes for a set, in memory: tables, charts (PNG) and briefs (Markdown).

    ``since`` starts the Changes table (default 19 December 2018, the GCM's adoption); ``lang``
    (``en`` or ``fr``) is the language of charts and briefs; ``stale_after`` as in ``status``.

    >>> import rt2gaps
    >>> run = rt2gaps.report("rt2-priority", as_of="2026-02-03")
    >>> run.tables["summary"].columns.tolist()
    ['metric', 'value']
    >>> run.chart("coverage_bars")[:4]
    b'\\x89PNG'
    """
    data, snapshot = service.report_data(recommended_set, as_of, since, universe, group, stale_after, lang)
    return Report(data, snapshot, str(lang))


def procedures(
    as_of: date | str | None = None,
    procedures: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
    country: str | None = None,
) -> pd.DataFrame:
    """Each State's acceptance of each complaints or inquiry procedure on one date.

    ``stale_after``: days an answer read from the declarations stands past the page's as-of date
    before it becomes unknown (a declaration can be made or withdrawn at any time); ``country`` as in
    ``status``.

    ``procedures`` are ids of ``data/procedures.csv`` (``"ICRMW-77,CAT-22"`` or a list; default
    all). ``status`` is an ordered Categorical of accepted, not_accepted, not_party (also while the
    State's consent to the treaty is not yet in force), withdrawn, unknown; ``declared`` the date of
    the State's act (declaration, consent to the protocol, withdrawal); ``since`` the day it took
    effect for the State (NaT while it has not: the procedure itself not yet in force);
    ``procedure_in_force`` whether the procedure itself is in force (NA where no threshold is entered).

    >>> import rt2gaps
    >>> p = rt2gaps.procedures("2026-02-03", procedures="ICRMW-77")
    >>> p.set_index("iso3").loc["MEX", "declared"]
    Timestamp('2008-09-15 00:00:00')
    """
    import pandas as pd

    from rt2gaps.procedures import PROCEDURE_COLUMNS, PROCEDURE_STATUSES

    found = service.procedure_rows(as_of, procedures, universe, group, stale_after, country)
    rows = found.rows
    plain = [c for c in PROCEDURE_COLUMNS if c not in ("status", "declared", "since", "procedure_in_force")]
    frame = typed_frame([{c: r[c] for c in plain} for r in rows], plain, found.snapshot.states)
    frame.insert(
        frame.columns.get_loc("procedure") + 1,
        "status",
        pd.Categorical([r["status"] for r in rows], categories=list(PROCEDURE_STATUSES), ordered=True),
    )
    frame.insert(frame.columns.get_loc("status") + 1, "declared", _datetimes(r["declared"] or None for r in rows))
    frame.insert(frame.columns.get_loc("declared") + 1, "since", _datetimes(r["since"] or None for r in rows))
    frame.insert(
        frame.columns.get_loc("since") + 1,
        "procedure_in_force",
        pd.array([{"true": True, "false": False}.get(r["procedure_in_force"]) for r in rows], dtype="boolean"),
    )
    return frame  # fmt: skip


def reservations(
    instruments: str | list[str] | None = None,
    country: str | None = None,
) -> pd.DataFrame:
    """Reservations, declarations and objections of States as the depositary published them.

    One row per statement: ``kind`` (reservation, declaration, interpretative declaration, objection,
    withdrawal, notification: a statement that reserves anything is a reservation whatever its
    heading), ``kind_as_published`` (the page's wording), ``articles`` (``"18(3)(d)"``; several
    joined by ``;``), ``date`` (the page's, else the State's consent: ``date_basis`` says which),
    ``withdrawn_date`` and ``withdrawal`` (whole or partial), ``dispute_clause_only`` and the text.

    >>> import rt2gaps
    >>> r = rt2gaps.reservations("ICRMW", country="DZA")
    >>> r[["articles", "dispute_clause_only"]].values.tolist()
    [['92(1)', True]]
    """
    found = service.reservation_rows(instruments, country)
    rows = found.rows
    columns = ["iso3", "instrument", "section", "kind", "kind_as_published", "heading", "articles", "date",
               "date_basis", "withdrawn_date", "withdrawal", "dispute_clause_only", "text", "source_file",
               "source_as_of"]  # fmt: skip
    frame = typed_frame([{c: r[c] for c in columns} for r in rows], columns, found.snapshot.states)
    for column in ("date", "withdrawn_date"):
        frame[column] = _datetimes(r[column] or None for r in rows)
    frame["dispute_clause_only"] = [r["dispute_clause_only"] == "true" for r in rows]
    return frame


def run(
    set: str | Path = "rt2-priority",  # noqa: A002 - the name of the command line's --set
    as_of: date | str | None = None,
    out: str | Path | None = None,
    charts: bool = True,
    briefs: bool = False,
    brief_format: str = "md",
    lang: str = "en",
    group: str | Path | None = None,
    universe: str = "all",
    stale_after: int = DEFAULT_STALE_AFTER,
    since: date | str | None = None,
    since_snapshot: str | Path | None = None,
) -> list[str]:
    """Write what ``rt2gaps run`` writes (workbook, CSV tables, charts, briefs) and return the lines it prints.

    ``out`` defaults to ``reports/`` in the current folder; ``since`` starts the Changes table
    (default 2018-12-19), or ``since_snapshot`` (``"previous"``, ``"bundled"`` or a snapshot folder)
    makes it what changed since that snapshot. Instruments no source covers, or unknown for most
    States, are named in a ``UserWarning`` (the command line's warning line).
    """
    import warnings

    result = service.run(set, as_of, out, charts, briefs, brief_format, lang, group, universe, stale_after, since,
                         since_snapshot)  # fmt: skip
    if result.no_source:
        warnings.warn(f"no source covers {', '.join(i.id for i in result.no_source)}: unknown for every State, "
                      "so the scores are ranges", stacklevel=2)  # fmt: skip
    others = [i for i in result.mostly_unknown if i not in {n.id for n in result.no_source}]
    if others:
        warnings.warn(f"unknown for most States: {', '.join(others)}", stacklevel=2)
    return result.lines
