"""The public Python API: typed DataFrames of statuses, panels, histories, gaps and catalogues.

``import rt2gaps`` exposes these functions (``rt2gaps.status``, ``rt2gaps.panel``, ...); pandas is
imported only when one of them is called, so the command line starts fast. Every status comes from
the spells (``rt2gaps.history``), which compress the status engine's answers: no function here
decides a status. Every frame has real types: dates ``datetime64[ns]``, ``status`` an ordered
Categorical in the legend's order (``STATUS_ORDER``), counts ``Int64``, flags ``bool``, missing
values ``NA`` (never ""), and ``name``, ``region``, ``subregion`` beside ``iso3``. A bad argument
raises one ``ValueError`` naming the argument and the value.

Functions to add (``procedures``, ``reservations``) follow the same pattern: validate the arguments
with the ``_checked_*`` helpers, build rows, and type them with ``typed_frame``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt2gaps.catalogue import Instrument, load_instruments, parse_instrument_ids
from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR
from rt2gaps.snapshot.store import Snapshot, load_snapshot
from rt2gaps.status import DEFAULT_STALE_AFTER, STATUSES

if TYPE_CHECKING:
    import pandas as pd

STATUS_ORDER = STATUSES  # the legend's order: party, pending, signatory, withdrawn, none, not_eligible, unknown
PLACE_COLUMNS = ["iso3", "name", "region", "subregion"]
# Text columns holding a day, a year or an "earliest/latest" window: the API gives the earliest day,
# and for the two that can be windows of more than a year also the latest (``*_latest``).
DATE_COLUMNS = ("signature_date", "consent_date", "in_force_date", "withdrawal_date", "source_as_of",
                "start", "end", "known_until", "un_membership_date", "adoption_date", "entry_into_force_date",
                "retrieved_by")  # fmt: skip
WINDOW_COLUMNS = ("in_force_date", "withdrawal_date")
STATUS_LIKE_COLUMNS = ("status", "last_known_status")
COUNT_COLUMNS = (*STATUSES, "assessed", "rank", "rank_best", "rank_worst", "position")
FLAG_COLUMNS = ("ldc", "lldc", "sids", "un_member", "ilo_member", "default_universe", "has_data", "stale",
                "no_data", "normlex_id_inferred")  # fmt: skip


# --- the snapshot in use ----------------------------------------------------------------------------


def current_snapshot() -> Snapshot:
    """The snapshot every command reads: the newest valid user snapshot (fetch, import), else the bundled one.

    The user data folder is ``$RT2GAPS_DATA`` or the platform's; a user snapshot that cannot be read
    whole falls back to the bundled one rather than stopping every command. The folder is chosen on
    every call and each folder loaded once, so a session (a notebook, the tests) that points
    ``RT2GAPS_DATA`` elsewhere reads that folder's snapshot.
    """
    from rt2gaps.refresh.userdata import current_snapshot_dir

    return _snapshot_in(current_snapshot_dir())


def forget_loaded_snapshots() -> None:
    """Drop the loaded snapshots: after a refresh swapped a new one into a folder already read."""
    _snapshot_in.cache_clear()


@lru_cache(maxsize=4)
def _snapshot_in(folder: Path) -> Snapshot:
    from rt2gaps.errors import Rt2gapsError

    if folder != BUNDLED_SNAPSHOT_DIR:
        try:
            return load_snapshot(folder)
        except (Rt2gapsError, OSError, TypeError):
            pass
    return load_snapshot(BUNDLED_SNAPSHOT_DIR)


def instruments_for(ids: str | list[str] | None) -> list[Instrument]:
    """Catalogue instruments for ``"ID,ID"`` or a list of ids; every ratifiable one when None."""
    catalogue = load_instruments()
    if ids is None:
        return list(catalogue.values())
    wanted = parse_instrument_ids(ids if isinstance(ids, str) else ",".join(ids))
    return [catalogue[i] for i in wanted]


# --- argument checks: one ValueError naming the argument and the value -------------------------------


def _bad(argument: str, value: object, why: str) -> ValueError:
    return ValueError(f"{argument}: {value!r} {why}")


def checked_date(value: object, argument: str = "as_of", default_today: bool = True) -> date:
    """A date from a ``date``, a ``datetime``/``Timestamp`` or an ISO ``YYYY-MM-DD`` string."""
    if value is None and default_today:
        return date.today()
    if isinstance(value, datetime):  # also pandas.Timestamp
        if value != value:  # NaT
            raise _bad(argument, value, "is not a date")
        return _in_range(value.date(), argument)
    if isinstance(value, date):
        return _in_range(value, argument)
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return _in_range(date.fromisoformat(value.strip()), argument)
        except ValueError as exc:
            if "outside" in str(exc):
                raise
    raise _bad(argument, value, "is not a date (a datetime.date or a YYYY-MM-DD string)")


def _in_range(day: date, argument: str) -> date:
    """The engine's query range (1900-2100): outside it, ValueError naming the argument."""
    from rt2gaps.status import check_query_date

    try:
        return check_query_date(day)
    except ValueError as exc:
        raise _bad(argument, day.isoformat(), str(exc).replace(f"date {day.isoformat()} ", "")) from None


def checked_instruments(value: object) -> list[Instrument]:
    """Catalogue instruments from None (all), ``"ID,ID"`` or a list of ids."""
    from rt2gaps.errors import Rt2gapsError

    if value is not None and not isinstance(value, str):
        if not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
            raise _bad("instruments", value, "is not a list of catalogue ids")
        value = list(value)
    try:
        return instruments_for(value)
    except Rt2gapsError as exc:
        raise _bad("instruments", value, f"is not valid: {exc}") from None


def checked_states(snapshot: Snapshot, universe: object, group: object) -> list[dict[str, str]]:
    """The States of the universe (``all`` or ``un-members``), kept to a group's where one is given."""
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.groups import load_group, restrict_to_group
    from rt2gaps.status import universe_states

    if universe not in ("all", "un-members"):
        raise _bad("universe", universe, "is not a universe; use 'all' or 'un-members'")
    states = universe_states(snapshot, str(universe))
    if group is None:
        return states
    if not isinstance(group, str | Path):
        raise _bad("group", group, "is not a group name (ldc, lldc, sids) or the path of a TOML file")
    try:
        return restrict_to_group(states, load_group(group, snapshot.states), str(universe))
    except Rt2gapsError as exc:
        raise _bad("group", group, f"is not usable: {exc}") from None


def checked_stale_after(value: object) -> int:
    """Days (0 or more) a source's none/signatory answers stand past its as-of date."""
    from rt2gaps.status import check_stale_after

    try:
        return check_stale_after(value)  # type: ignore[arg-type]
    except ValueError:
        raise _bad("stale_after", value, "is not a number of days, 0 or more") from None


def checked_dates(value: object) -> list[date]:
    """Sorted distinct dates from any iterable of dates or ISO strings, or a pandas DatetimeIndex."""
    if isinstance(value, str | date) or not isinstance(value, Iterable):
        raise _bad("dates", value, "is not an iterable of dates (a list, or a pandas date range)")
    days = sorted({checked_date(v, "dates", default_today=False) for v in value})
    if not days:
        raise _bad("dates", value, "holds no date")
    return days


# --- typing frames ----------------------------------------------------------------------------------


def _earliest(text: str) -> str | None:
    first = text.split("/")[0]
    return f"{first}-01-01" if len(first) == 4 else (first or None)


def _latest(text: str) -> str | None:
    last = text.split("/")[-1]
    return f"{last}-12-31" if len(last) == 4 else (last or None)


def _datetimes(values: Iterable[str | None]) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(pd.Series(list(values), dtype="object"), format="%Y-%m-%d").astype("datetime64[ns]")


def status_categorical(values: Iterable[str]) -> pd.Categorical:
    """Status words as the ordered Categorical every frame uses ("" becomes NA)."""
    import pandas as pd

    return pd.Categorical([v or None for v in values], categories=list(STATUS_ORDER), ordered=True)


def typed_frame(rows: list[dict[str, Any]] | list[list[Any]], columns: list[str],
                places: list[dict[str, str]] | None = None) -> pd.DataFrame:  # fmt: skip
    """Rows of text (as the engine and the CSV outputs write them) as a frame of real types.

    Dates -> ``datetime64[ns]`` (a year or a window gives its earliest day; ``in_force_date`` and
    ``withdrawal_date`` also get ``*_latest``), statuses -> ordered Categorical, counts -> ``Int64``,
    flags ("true"/"false" or bool) -> ``bool``, "" and None -> NA. With ``places`` (State rows),
    ``name``, ``region`` and ``subregion`` are put beside ``iso3``.
    """
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    out: dict[str, Any] = {}
    for column in columns:
        values = frame[column]
        if column in DATE_COLUMNS:
            text = values.fillna("").astype(str)
            out[column] = _datetimes(_earliest(t) for t in text)
            if column in WINDOW_COLUMNS:
                out[column.removesuffix("_date") + "_latest"] = _datetimes(_latest(t) for t in text)
        elif column in STATUS_LIKE_COLUMNS:
            out[column] = status_categorical(values.fillna(""))
        elif column in COUNT_COLUMNS:
            out[column] = pd.array([None if v is None or v != v or v == "" else int(v) for v in values], dtype="Int64")
        elif column in FLAG_COLUMNS:
            out[column] = values.map(lambda v: v is True or v == "true").astype(bool)
        elif values.dtype.kind == "f":
            out[column] = values
        else:
            out[column] = values.astype("string").replace("", pd.NA)
    typed = pd.DataFrame(out)
    if places is not None and "iso3" in typed:
        typed = _with_places(typed, places)
    return typed


def _with_places(frame: pd.DataFrame, places: list[dict[str, str]]) -> pd.DataFrame:
    import pandas as pd

    by_iso3 = {p["iso3"]: p for p in places}
    for position, column in enumerate(("name", "region", "subregion"), start=1):
        source = "name_en" if column == "name" else column
        values = [by_iso3.get(iso3, {}).get(source) or None for iso3 in frame["iso3"].astype(str)]
        frame.insert(frame.columns.get_loc("iso3") + position, column, pd.array(values, dtype="string"))
    return frame


# --- the public functions -----------------------------------------------------------------------------


def status(
    as_of: date | str | None = None,
    instruments: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """Each State's status on each instrument on one date, with the dates of its acts.

    ``as_of`` is a date or ``"YYYY-MM-DD"`` (default today); ``instruments`` catalogue ids (default
    every ratifiable one); ``universe`` ``"all"`` or ``"un-members"``; ``group`` ``ldc``, ``lldc``,
    ``sids`` or a group TOML file. One row per State and instrument, State then catalogue order.
    ``stale_after``: days a source's none/signatory answers stand past its as-of date before they
    become unknown (``known_until`` and ``last_known_status`` say what was last known).

    >>> import rt2gaps
    >>> icrmw = rt2gaps.status("2026-02-03", instruments="ICRMW")
    >>> int((icrmw["status"] == "party").sum())
    60
    """
    from dataclasses import fields as dataclass_fields

    from rt2gaps.history import rows_on
    from rt2gaps.status import PairStatus

    on = checked_date(as_of)
    checked_stale_after(stale_after)
    chosen = checked_instruments(instruments)
    snapshot = current_snapshot()
    states = checked_states(snapshot, universe, group)
    members = {s["iso3"] for s in states}
    columns = [f.name for f in dataclass_fields(PairStatus)]
    rows = [r.as_row() for r in rows_on(snapshot, chosen, on, str(universe), stale_after)
            if r.iso3 in members]  # fmt: skip
    return typed_frame(rows, columns, snapshot.states)


def history(
    instruments: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """Each State's history on each instrument as spells: one row per run of dates with one status.

    A spell holds from ``start`` to the day before ``end`` (``start`` NA: since ever; ``end`` NA:
    still holding). ``start_precision``/``end_precision`` are ``year`` where the boundary is the edge
    of a year-only act's window (ILO years) rather than a day the source gives. The other columns are
    those of ``status`` on any date of the spell; ``stale_after`` as there.

    >>> import rt2gaps
    >>> spells = rt2gaps.history(instruments="ICRMW")
    >>> spells[spells["iso3"] == "MEX"][["status", "start", "end"]].iloc[-1]["status"]
    'party'
    """
    from rt2gaps.history import SPELL_COLUMNS, spell_rows

    chosen = checked_instruments(instruments)
    days = checked_stale_after(stale_after)
    snapshot = current_snapshot()
    states = checked_states(snapshot, universe, group)
    members = {s["iso3"] for s in states}
    rows = [row for row in spell_rows(snapshot, chosen, str(universe), days) if row[0] in members]
    return typed_frame(rows, SPELL_COLUMNS, snapshot.states)


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
    from rt2gaps.history import panel_frame

    days = checked_dates(dates)
    chosen = checked_instruments(instruments)
    window = checked_stale_after(stale_after)
    snapshot = current_snapshot()
    return panel_frame(snapshot, chosen, checked_states(snapshot, universe, group), days, window)


def gaps(
    recommended_set: str | Path = "rt2-priority",
    as_of: date | str | None = None,
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """The Country gaps table of a recommended set: per State, counts by status, coverage, gaps and rank.

    ``recommended_set`` is a bundled set's name (``rt2gaps.sets()``) or a set TOML file. Coverage is
    an interval of floats, ``coverage_low`` (every unknown counted as not party) to ``coverage_high``
    (every unknown counted as party); ``coverage`` is the exact figure, NaN while anything eligible is
    unknown. Counts, ``rank_best``, ``rank_worst`` and ``rank`` are ``Int64`` (ranks NA where too
    little is known; ``rank`` NA unless best and worst agree); instrument lists are text, NA when
    empty. ``stale_after`` as in ``status``.

    >>> import rt2gaps
    >>> table = rt2gaps.gaps("rt2-priority", as_of="2026-02-03")
    >>> list(table.columns[:4])
    ['iso3', 'name', 'region', 'subregion']
    """
    from importlib import import_module

    from rt2gaps.catalogue import load_set
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.history import rows_on

    gap_tables = import_module("rt2gaps.gaps")
    try:
        chosen_set = load_set(recommended_set)  # type: ignore[arg-type]
    except (Rt2gapsError, TypeError) as exc:
        raise _bad("recommended_set", recommended_set, f"is not usable: {exc}") from None
    on = checked_date(as_of)
    window = checked_stale_after(stale_after)
    snapshot = current_snapshot()
    states = checked_states(snapshot, "all", group)
    members = {s["iso3"] for s in states}
    catalogue = load_instruments()
    ids = list(chosen_set.instruments)
    pairs = ((r.iso3, r.instrument, r.status) for r in rows_on(snapshot, [catalogue[i] for i in ids], on, "all", window)
             if r.iso3 in members)  # fmt: skip
    rows = gap_tables.country_gap_rows(pairs, states, ids, chosen_set.weights)
    columns = ["name" if c == "name_en" else c for c in gap_tables.COUNTRY_GAP_COLUMNS]
    renamed = [{("name" if k == "name_en" else k): v for k, v in row.items()} for row in rows]
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
    from dataclasses import asdict

    snapshot = current_snapshot()
    rows = []
    for instrument in load_instruments().values():
        row = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(instrument).items()}
        row["has_data"] = instrument.has_data
        entry = snapshot.instrument_source(instrument.id) or {}
        row["source"] = entry.get("source_key", "")
        row["source_as_of"] = entry.get("source_as_of", "")
        rows.append(row)
    return typed_frame(rows, list(rows[0]))


def sets() -> pd.DataFrame:
    """The bundled recommended sets, one row per set and instrument, with its position and weight.

    >>> import rt2gaps
    >>> rt2gaps.sets().query("set == 'rt2-priority'")["instrument"].iloc[0]
    'ICRMW'
    """
    from rt2gaps.catalogue import list_sets, load_set

    rows = []
    for name in list_sets():
        chosen = load_set(name)
        for position, instrument_id in enumerate(chosen.instruments, start=1):
            rows.append({"set": name, "description": chosen.description, "position": position,
                         "instrument": instrument_id, "weight": float(chosen.weight(instrument_id))})  # fmt: skip
    return typed_frame(rows, ["set", "description", "position", "instrument", "weight"])


class Report:
    """One run of a recommended set in memory: the workbook's tables, its charts and the country briefs.

    Made by ``rt2gaps.report``; nothing is written to disk. ``tables`` maps each table name (as
    ``rt2gaps run`` writes them: ``summary``, ``country_gaps``, ``instrument_coverage``, ``regions``,
    ``signed_not_ratified``, ``changes``, ``data_quality``, the migrant tables, ...) to a DataFrame.
    """

    def __init__(self, data: Any, snapshot: Snapshot, lang: str) -> None:
        self._data = data
        self._snapshot = snapshot
        self.lang = lang
        self.tables: dict[str, pd.DataFrame] = data.tables
        self.as_of: date = data.on
        self.instruments: list[str] = data.instrument_ids

    def _strings(self) -> Any:
        from rt2gaps.report.i18n import UiStrings

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
    from rt2gaps.catalogue import load_set
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.gaps import GCM_ADOPTION
    from rt2gaps.groups import load_group
    from rt2gaps.report.tables import build_report_data

    try:
        chosen_set = load_set(recommended_set)  # type: ignore[arg-type]
    except (Rt2gapsError, TypeError) as exc:
        raise _bad("recommended_set", recommended_set, f"is not usable: {exc}") from None
    if lang not in ("en", "fr"):
        raise _bad("lang", lang, "is not a language of the reports; use 'en' or 'fr'")
    on = checked_date(as_of)
    window = checked_stale_after(stale_after)
    start = checked_date(since, "since", default_today=False) if since is not None else GCM_ADOPTION
    snapshot = current_snapshot()
    checked_states(snapshot, universe, group)
    chosen_group = load_group(group, snapshot.states) if group is not None else None
    data = build_report_data(chosen_set, snapshot, on, since=start, universe=str(universe), group=chosen_group,
                             stale_after=window)  # fmt: skip
    return Report(data, snapshot, lang)
def procedures(
    as_of: date | str | None = None,
    procedures: str | list[str] | None = None,
    universe: str = "all",
    group: str | Path | None = None,
    stale_after: int = DEFAULT_STALE_AFTER,
) -> pd.DataFrame:
    """Each State's acceptance of each complaints or inquiry procedure on one date.

    ``stale_after``: days an answer read from the declarations stands past the page's as-of date
    before it becomes unknown (a declaration can be made or withdrawn at any time).

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

    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.procedures import PROCEDURE_COLUMNS, PROCEDURE_STATUSES, parse_procedure_ids, procedure_rows

    on = checked_date(as_of)
    if procedures is not None and not isinstance(procedures, str):
        if not isinstance(procedures, Iterable) or not all(isinstance(p, str) for p in procedures):
            raise _bad("procedures", procedures, "is not a list of procedure ids")
        procedures = ",".join(procedures)
    try:
        ids = parse_procedure_ids(procedures)
    except Rt2gapsError as exc:
        raise _bad("procedures", procedures, f"is not valid: {exc}") from None
    snapshot = current_snapshot()
    members = {s["iso3"] for s in checked_states(snapshot, universe, group)}
    window = checked_stale_after(stale_after)
    rows = [r.as_row() for r in procedure_rows(snapshot, ids, on, str(universe), members, window)]
    plain = [c for c in PROCEDURE_COLUMNS if c not in ("status", "declared", "since", "procedure_in_force")]
    frame = typed_frame([{c: r[c] for c in plain} for r in rows], plain, snapshot.states)
    frame.insert(frame.columns.get_loc("procedure") + 1, "status",
                 pd.Categorical([r["status"] for r in rows], categories=list(PROCEDURE_STATUSES), ordered=True))
    frame.insert(frame.columns.get_loc("status") + 1, "declared", _datetimes(r["declared"] or None for r in rows))
    frame.insert(frame.columns.get_loc("declared") + 1, "since", _datetimes(r["since"] or None for r in rows))
    frame.insert(frame.columns.get_loc("since") + 1, "procedure_in_force",
                 pd.array([{"true": True, "false": False}.get(r["procedure_in_force"]) for r in rows], dtype="boolean"))
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
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.reservations import reservation_rows

    chosen = ",".join(i.id for i in checked_instruments(instruments)) if instruments is not None else None
    if country is not None and not isinstance(country, str):
        raise _bad("country", country, "is not an ISO3 code")
    snapshot = current_snapshot()
    try:
        rows = reservation_rows(snapshot, chosen, country)
    except Rt2gapsError as exc:
        raise _bad("country", country, f"is not valid: {exc}") from None
    columns = ["iso3", "instrument", "section", "kind", "kind_as_published", "heading", "articles", "date",
               "date_basis", "withdrawn_date", "withdrawal", "dispute_clause_only", "text", "source_file",
               "source_as_of"]  # fmt: skip
    frame = typed_frame([{c: r[c] for c in columns} for r in rows], columns, snapshot.states)
    for column in ("date", "withdrawn_date"):
        frame[column] = _datetimes(r[column] or None for r in rows)
    frame["dispute_clause_only"] = [r["dispute_clause_only"] == "true" for r in rows]
    return frame
