"""The one pipeline behind the command line and the Python API: arguments checked once, each verb's work once.

Every surface calls here. ``rt2gaps.api`` types the rows as DataFrames; ``rt2gaps.cli`` writes them
as CSV, Parquet or text and prints the lines a run returns. A bad argument raises ``ArgumentError``
(a ``ValueError``) naming the argument as the Python functions call it (``as_of``); the command line
puts its option in that place (``--as-of``) and exits 2. A date after today is answered (a
projection) with a ``ProjectionWarning`` through ``warnings``, for the API and the command line alike.

Layer: above the analyses, the reports and the refresh; below ``api`` and ``cli``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rt2gaps.catalogue import Instrument, RecommendedSet, load_instruments, parse_instrument_ids
from rt2gaps.errors import ArgumentError, ProjectionWarning, Rt2gapsError
from rt2gaps.snapshot.store import Snapshot
from rt2gaps.snapshot.userdata import current_snapshot
from rt2gaps.status import DEFAULT_STALE_AFTER, MAX_STALE_AFTER

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.groups import StateGroup

DEFAULT_SET = "rt2-priority"
UNIVERSES = ("all", "un-members")
LANGUAGES = ("en", "fr")
BRIEF_FORMATS = ("md", "docx", "html")
PANEL_STEPS = ("year", "quarter", "month")
# A panel is built whole in memory (about 40 bytes a row at its peak): 20 million rows stay under 1 GB.
MAX_PANEL_ROWS = 20_000_000


# --- argument checks: one ArgumentError naming the argument ---------------------------------------------


def _bad(argument: str, value: object, why: str) -> ArgumentError:
    return ArgumentError(argument, f"{value!r} {why}")


def checked_date(value: object, argument: str = "as_of", *, default_today: bool = True) -> date:
    """A date from a ``date``, a naive ``datetime``/``Timestamp`` or a ``YYYY-MM-DD`` string, 1900 to 2100.

    A date after today warns (``ProjectionWarning``): its answers are a projection.
    """
    if value is None and default_today:
        return date.today()
    if isinstance(value, datetime):  # also pandas.Timestamp
        if value != value:  # NaT
            raise _bad(argument, value, "is not a date")
        if value.tzinfo is not None:  # which day it is depends on the zone: never guessed
            raise _bad(argument, value, "is time-zone aware; give a date, or a datetime without a time zone")
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        from rt2gaps.sources.dates import parse_iso_date

        try:
            day = parse_iso_date(value)
        except ValueError:
            raise _bad(argument, value, "is not a date in the form YYYY-MM-DD") from None
    else:
        raise _bad(argument, value, "is not a date (a datetime.date or a YYYY-MM-DD string)")
    return _in_range(day, argument)


def _in_range(day: date, argument: str) -> date:
    """The engine's query range (1900-2100); a day after today warns once per call."""
    from rt2gaps.status import check_query_date, projection_warning

    try:
        check_query_date(day)
    except ValueError as exc:
        raise ArgumentError(argument, str(exc)) from None
    warning = projection_warning(day)
    if warning:
        warnings.warn(ProjectionWarning(argument, day, warning), stacklevel=5)
    return day


def checked_dates(value: object) -> list[date]:
    """Sorted distinct dates from any iterable of dates or ISO strings, or a pandas DatetimeIndex."""
    if isinstance(value, str | date) or not isinstance(value, Iterable):
        raise _bad("dates", value, "is not an iterable of dates (a list, or a pandas date range)")
    with warnings.catch_warnings():  # a panel reaching past today is one warning, not one per date
        warnings.simplefilter("ignore", ProjectionWarning)
        days = sorted({checked_date(v, "dates", default_today=False) for v in value})
    if not days:
        raise _bad("dates", value, "holds no date")
    if days[-1] > date.today():
        _in_range(days[-1], "dates")
    return days


def checked_instruments(value: object, argument: str = "instruments") -> list[Instrument]:
    """Catalogue instruments from None (every one), ``"ID,ID"`` or a list of ids."""
    if value is not None and not isinstance(value, str):
        if not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
            raise _bad(argument, value, "is not a list of catalogue ids")
        value = ",".join(value)
    catalogue = load_instruments()
    if value is None:
        return list(catalogue.values())
    try:
        return [catalogue[i] for i in parse_instrument_ids(value)]
    except Rt2gapsError as exc:
        raise ArgumentError(argument, str(exc)) from None


def instruments_for(ids: str | list[str] | None) -> list[Instrument]:
    """Catalogue instruments for ``"ID,ID"`` or a list of ids; every ratifiable one when None."""
    return checked_instruments(ids)


def checked_set(value: object, argument: str = "recommended_set") -> RecommendedSet:
    """A recommended set: a bundled set's name or the path of a set TOML file."""
    from rt2gaps.catalogue import load_set

    if not isinstance(value, str | Path):
        raise _bad(argument, value, "is not a set name or the path of a set TOML file")
    try:
        return load_set(value)
    except Rt2gapsError as exc:
        raise ArgumentError(argument, str(exc)) from None


def checked_choice(value: object, argument: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise _bad(argument, value, f"is not {what}; use {' or '.join(repr(c) for c in choices)}")
    return str(value)


def checked_group(group: object, snapshot: Snapshot) -> StateGroup | None:
    """A group (``ldc``, ``lldc``, ``sids``, a file of data/groups or a TOML path), checked against the States."""
    if group is None:
        return None
    if not isinstance(group, str | Path) or not str(group).strip():
        raise _bad("group", group, "is not a group name (ldc, lldc, sids) or the path of a TOML file")
    from rt2gaps.groups import load_group

    try:
        return load_group(group, snapshot.states)
    except Rt2gapsError as exc:
        raise ArgumentError("group", str(exc)) from None


def checked_states(snapshot: Snapshot, universe: object, group: object) -> list[dict[str, str]]:
    """The States of the universe (``all`` or ``un-members``), kept to a group's where one is given."""
    from rt2gaps.groups import restrict_to_group
    from rt2gaps.status import universe_states

    chosen = checked_choice(universe, "universe", UNIVERSES, "a universe")
    states = universe_states(snapshot, chosen)
    chosen_group = checked_group(group, snapshot)
    if chosen_group is None:
        return states
    try:
        return restrict_to_group(states, chosen_group, chosen)
    except Rt2gapsError as exc:
        raise ArgumentError("group", str(exc)) from None


def checked_stale_after(value: object) -> int:
    """Days (0 to ``MAX_STALE_AFTER``) a source's none/signatory answers stand past its as-of date."""
    from rt2gaps.status import check_stale_after

    if value is None:
        return DEFAULT_STALE_AFTER
    try:
        return check_stale_after(value)
    except ValueError:
        raise _bad("stale_after", value, f"is not a number of days from 0 to {MAX_STALE_AFTER}") from None


def checked_out(value: object) -> Path:
    """The folder a run writes into (default ``reports/`` in the current folder): creatable and writable."""
    from rt2gaps.output import writable_folder
    from rt2gaps.paths import reports_dir

    if value is not None and not isinstance(value, str | Path):
        raise _bad("out", value, "is not a folder path")
    try:
        return writable_folder(Path(value) if value is not None else reports_dir())
    except Rt2gapsError as exc:
        raise ArgumentError("out", str(exc)) from None


def checked_procedures(value: object) -> list[str]:
    """Procedure ids of ``data/procedures.csv`` from None (every one), ``"ID,ID"`` or a list."""
    from rt2gaps.procedures import parse_procedure_ids

    if value is not None and not isinstance(value, str):
        if not isinstance(value, Iterable) or not all(isinstance(p, str) for p in value):
            raise _bad("procedures", value, "is not a list of procedure ids")
        value = ",".join(value)
    try:
        return parse_procedure_ids(value)
    except Rt2gapsError as exc:
        raise ArgumentError("procedures", str(exc)) from None


def checked_country(value: object, states: list[dict[str, str]], scope: str = "") -> dict[str, str]:
    """One State of ``states`` by ISO3 code or by name (English, French or an alias of data/aliases.csv)."""
    if not isinstance(value, str) or not value.strip():
        raise _bad("country", value, "is not an ISO3 code or a State's name")
    by_iso3 = {s["iso3"]: s for s in states}
    code = value.strip().upper()
    if code not in by_iso3:
        code = _iso3_of_name(value, states) or code
    if code not in by_iso3:
        where = f" in {scope}" if scope else ""
        raise _bad("country", value, f"is not the ISO3 code or the name of a State{where}")
    return by_iso3[code]


def _iso3_of_name(name: str, states: list[dict[str, str]]) -> str | None:
    from rt2gaps.names import STATE, NameResolver, read_alias_table
    from rt2gaps.paths import DATA_DIR

    names = [(s[column], s["iso3"]) for s in states for column in ("name_en", "name_fr") if s.get(column)]
    found = NameResolver(names, read_alias_table(DATA_DIR / "aliases.csv")).lookup(name)
    return found.code if found is not None and found.kind == STATE else None


def _members(snapshot: Snapshot, universe: object, group: object, country: object) -> set[str]:
    """The ISO3 codes of the States asked about: the universe's, a group's, or one State's (``country``)."""
    states = checked_states(snapshot, universe, group)
    if country is None:
        return {s["iso3"] for s in states}
    scope = _scope(str(universe), checked_group(group, snapshot))
    return {checked_country(country, states, scope)["iso3"]}


def _scope(universe: str, group: StateGroup | None) -> str:
    return f"universe {universe}" + (f", group {group.name}" if group is not None else "")


# --- the pipelines ---------------------------------------------------------------------------------------


RowT = TypeVar("RowT")  # a verb's row: a Record, or a list in column order (history)
Record = dict[str, Any]  # one row by column name


@dataclass
class Rows(Generic[RowT]):
    """A verb's answer as text rows (what its CSV holds), with what the surfaces need to type or print it."""

    columns: list[str]
    rows: list[RowT]
    snapshot: Snapshot
    mostly_unknown: list[str] = field(default_factory=list)  # instruments the scores leave out
    no_source: list[Instrument] = field(default_factory=list)  # instruments asked about that no source covers


def status_rows(as_of: object = None, instruments: object = None, universe: object = "all", group: object = None,
                stale_after: object = DEFAULT_STALE_AFTER, country: object = None) -> Rows[Record]:  # fmt: skip
    """Each State's status on each instrument on one date (``rt2gaps status``, ``rt2gaps.status``)."""
    from rt2gaps.history import rows_on
    from rt2gaps.status import STATUS_COLUMNS

    window = checked_stale_after(stale_after)
    on = checked_date(as_of)
    chosen = checked_instruments(instruments)
    snapshot = current_snapshot()
    members = _members(snapshot, universe, group, country)
    rows = [r.as_row() for r in rows_on(snapshot, chosen, on, str(universe), window) if r.iso3 in members]
    unknown: list[str] = []
    no_source: list[Instrument] = []
    if instruments is not None:  # a chosen list of instruments is a set: say which are mostly unknown
        from rt2gaps.gaps import mostly_unknown

        unknown = mostly_unknown(((r["iso3"], r["instrument"], r["status"]) for r in rows), [i.id for i in chosen])
        no_source = [i for i in chosen if snapshot.instrument_source(i.id) is None]
    return Rows(list(STATUS_COLUMNS), rows, snapshot, unknown, no_source)


def panel_dates(start: object, end: object = None, step: object = "year") -> list[date]:
    """``start`` and every year, quarter or month after it up to ``end`` (default today)."""
    from rt2gaps.history import every

    first = checked_date(start, "start", default_today=False)
    last = checked_date(end, "end")
    if last < first:
        raise ArgumentError("end", f"{last.isoformat()} is before start {first.isoformat()}", ("start",))
    return every(first, last, checked_choice(step or "year", "step", PANEL_STEPS, "a step"))


def panel(dates: object, instruments: object = None, universe: object = "all", group: object = None,
          stale_after: object = DEFAULT_STALE_AFTER) -> pd.DataFrame:  # fmt: skip
    """Each State's status on each instrument on each of many dates, as a typed long frame."""
    from rt2gaps.history import panel_frame

    days = checked_dates(dates)
    chosen = checked_instruments(instruments)
    window = checked_stale_after(stale_after)
    snapshot = current_snapshot()
    states = checked_states(snapshot, universe, group)
    size = len(days) * len(states) * len(chosen)
    if size > MAX_PANEL_ROWS:
        raise ArgumentError("dates", f"{len(days):,} dates x {len(states)} States x {len(chosen)} instruments is "
                            f"{size:,} rows; at most {MAX_PANEL_ROWS:,} are built at once (fewer dates, "
                            "instruments or States)")  # fmt: skip
    return panel_frame(snapshot, chosen, states, days, window)


def history_rows(instruments: object = None, universe: object = "all", group: object = None,
                 stale_after: object = DEFAULT_STALE_AFTER, country: object = None) -> Rows[list[str]]:  # fmt: skip
    """Each State's history on each instrument as spells (``rt2gaps history``, ``rt2gaps.history``)."""
    from rt2gaps.history import SPELL_COLUMNS, spell_rows

    window = checked_stale_after(stale_after)
    chosen = checked_instruments(instruments)
    snapshot = current_snapshot()
    members = _members(snapshot, universe, group, country)
    rows = [row for row in spell_rows(snapshot, chosen, str(universe), window) if row[0] in members]
    return Rows(list(SPELL_COLUMNS), rows, snapshot)


def gaps_rows(recommended_set: object = DEFAULT_SET, as_of: object = None, universe: object = "all",
              group: object = None, stale_after: object = DEFAULT_STALE_AFTER,
              country: object = None) -> Rows[Record]:  # fmt: skip
    """The Country gaps table of a set, or with ``country`` that State's row per instrument (``rt2gaps gaps``)."""
    from importlib import import_module

    from rt2gaps.history import rows_on

    gaps = import_module("rt2gaps.gaps")  # the module, not the public function rt2gaps.gaps
    on = checked_date(as_of)
    window = checked_stale_after(stale_after)
    chosen_set = checked_set(recommended_set)
    catalogue = load_instruments()
    ids = list(chosen_set.instruments)
    snapshot = current_snapshot()
    chosen_universe = checked_choice(universe, "universe", UNIVERSES, "a universe")
    chosen_group = checked_group(group, snapshot)
    states = checked_states(snapshot, chosen_universe, group)
    assessed = {s["iso3"] for s in states}
    everyone = [r for r in rows_on(snapshot, [catalogue[i] for i in ids], on, chosen_universe, window)
                if r.iso3 in assessed]  # fmt: skip
    unknown = gaps.mostly_unknown(((r.iso3, r.instrument, r.status) for r in everyone), ids)
    no_source = [catalogue[i] for i in ids if snapshot.instrument_source(i) is None]
    if country is not None:
        state = checked_country(country, states, _scope(chosen_universe, chosen_group))
        status = [row.as_row() for row in everyone if row.iso3 == state["iso3"]]
        rows = gaps.country_detail_rows(status, state["name_en"], ids, state["iso3"])
        return Rows(list(gaps.COUNTRY_DETAIL_COLUMNS), rows, snapshot, unknown, no_source)
    pairs = ((r.iso3, r.instrument, r.status) for r in everyone)
    rows = gaps.country_gap_rows(pairs, states, ids, chosen_set.weights)
    return Rows(list(gaps.COUNTRY_GAP_COLUMNS), rows, snapshot, unknown, no_source)


def procedure_rows(as_of: object = None, procedures: object = None, universe: object = "all", group: object = None,
                   stale_after: object = DEFAULT_STALE_AFTER, country: object = None) -> Rows[Record]:  # fmt: skip
    """Each State's acceptance of each complaints or inquiry procedure on one date (``rt2gaps procedures``)."""
    from rt2gaps.procedures import PROCEDURE_COLUMNS
    from rt2gaps.procedures import procedure_rows as rows_of

    on = checked_date(as_of)
    ids = checked_procedures(procedures)
    snapshot = current_snapshot()
    members = _members(snapshot, universe, group, country) if group is not None or country is not None else None
    if members is None:
        checked_choice(universe, "universe", UNIVERSES, "a universe")
    window = checked_stale_after(stale_after)
    rows = [r.as_row() for r in rows_of(snapshot, ids, on, str(universe), members, window)]
    return Rows(list(PROCEDURE_COLUMNS), rows, snapshot)


def procedure_ids() -> list[str]:
    """The ids of ``data/procedures.csv``, in its order (``rt2gaps procedures --list``)."""
    from rt2gaps.procedures import load_procedures

    return list(load_procedures())


def reservation_rows(instruments: object = None, country: object = None) -> Rows[Record]:
    """Reservations, declarations and objections as the depositary published them (``rt2gaps reservations``)."""
    from rt2gaps.reservations import RESERVATION_COLUMNS
    from rt2gaps.reservations import reservation_rows as rows_of

    chosen = ",".join(i.id for i in checked_instruments(instruments)) if instruments is not None else None
    snapshot = current_snapshot()
    iso3 = checked_country(country, snapshot.states, "the State table")["iso3"] if country is not None else None
    return Rows(list(RESERVATION_COLUMNS), rows_of(snapshot, chosen, iso3), snapshot)


def instrument_rows() -> Rows[Record]:
    """The instrument catalogue with each instrument's source and its as-of date (``rt2gaps instruments``)."""
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
    return Rows(list(rows[0]), rows, snapshot)


def set_rows() -> Rows[Record]:
    """The bundled recommended sets, one row per set and instrument, with its position and weight."""
    from rt2gaps.catalogue import list_sets, load_set

    rows = []
    for name in list_sets():
        chosen = load_set(name)
        for position, instrument_id in enumerate(chosen.instruments, start=1):
            rows.append({"set": name, "description": chosen.description, "position": position,
                         "instrument": instrument_id, "weight": float(chosen.weight(instrument_id))})  # fmt: skip
    return Rows(["set", "description", "position", "instrument", "weight"], rows, current_snapshot())


# --- a run: the report, its charts and briefs, written ----------------------------------------------------


@dataclass
class RunResult:
    """What a run wrote: one line per output (as ``rt2gaps run`` prints them) and what it warns about."""

    lines: list[str]
    mostly_unknown: list[str]
    lang: str
    no_source: list[Instrument] = field(default_factory=list)  # instruments of the set no source covers


def report_data(recommended_set: object = DEFAULT_SET, as_of: object = None, since: object = None,
                universe: object = "all", group: object = None, stale_after: object = DEFAULT_STALE_AFTER,
                lang: object = "en") -> tuple[Any, Snapshot]:  # fmt: skip
    """Every table of a run in memory (``rt2gaps.report``, ``rt2gaps brief``), every argument checked first."""
    from rt2gaps.report.tables import build_report_data

    chosen_set = checked_set(recommended_set)
    checked_choice(lang, "lang", LANGUAGES, "a language of the reports")
    on = checked_date(as_of)
    window = checked_stale_after(stale_after)
    start = _since_date(since)
    snapshot = current_snapshot()
    checked_states(snapshot, universe, group)
    chosen_group = checked_group(group, snapshot)
    data = build_report_data(chosen_set, snapshot, on, since=start, universe=str(universe), group=chosen_group,
                             stale_after=window)  # fmt: skip
    return data, snapshot


def run(
    set: object = DEFAULT_SET,  # noqa: A002 - the name of the command line's --set
    as_of: object = None,
    out: object = None,
    charts: bool = True,
    briefs: bool = False,
    brief_format: object = "md",
    lang: object = "en",
    group: object = None,
    universe: object = "all",
    stale_after: object = DEFAULT_STALE_AFTER,
    since: object = None,
    since_snapshot: object = None,
    csv_sep: object = ",",
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Write the report of a set: the workbook, its CSV tables, the charts and the briefs (``rt2gaps run``).

    ``out`` defaults to ``reports/`` in the current folder; ``since_snapshot`` (``"previous"``,
    ``"bundled"`` or a snapshot folder) makes the Changes table what changed since that snapshot.
    ``csv_sep=";"`` writes the CSV tables as Excel reads them in a comma-decimal locale (French).
    ``progress`` is told each step as it is done. Every file lands whole or not at all.
    """
    import time
    from contextlib import nullcontext

    from rt2gaps.i18n import UiStrings
    from rt2gaps.output import staged_output
    from rt2gaps.report import build_report_data, write_report

    say = progress or (lambda _text: None)
    if since is not None and since_snapshot is not None:
        raise ArgumentError("since", "give since or since_snapshot, not both (a date, or a snapshot to compare with)",
                            ("since", "since_snapshot"))  # fmt: skip
    started = time.perf_counter()
    on = checked_date(as_of)
    start = _since_date(since)
    recommended = checked_set(set, "set")  # a bad set file stops here, before anything is written
    chosen_lang = checked_choice(lang, "lang", LANGUAGES, "a language of the reports")
    chosen_format = checked_choice(brief_format, "brief_format", BRIEF_FORMATS, "a brief format")
    chosen_universe = checked_choice(universe, "universe", UNIVERSES, "a universe")
    chosen_sep = checked_choice(csv_sep, "csv_sep", (",", ";"), "a CSV separator")
    window = checked_stale_after(stale_after)
    folder = checked_out(out)  # a bad out stops before any work
    snapshot = current_snapshot()
    chosen_group = checked_group(group, snapshot)  # a bad group file stops here too
    pool = None  # nothing to draw: the chart modules, matplotlib and multiprocessing are not even imported
    if charts or briefs:
        from rt2gaps.report.charts.pool import CHART_WORKERS, ChartPool

        # forked now, with matplotlib loaded: the workers wait for the data with it ready
        pool = ChartPool(snapshot, CHART_WORKERS)
    try:  # a pool left running at exit races Python's exit hook for process pools (an EBADF traceback)
        say(f"snapshot {snapshot.folder}; set {recommended.name}; as of {on.isoformat()}")
        data = build_report_data(recommended, snapshot, on, start, chosen_universe, group=chosen_group,
                                 stale_after=window)  # fmt: skip
        say(f"{len(data.states)} States x {len(data.instruments)} instruments, {len(data.tables)} tables "
            f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
        if since_snapshot is not None:
            from rt2gaps.refresh.diff import load, resolve_snapshot
            from rt2gaps.report.tables import use_snapshot_changes

            old_folder = resolve_snapshot(str(since_snapshot), None, "previous")
            use_snapshot_changes(data, load(old_folder), snapshot)
        done: list[str] = []
        with pool or nullcontext(), staged_output(folder, {data.stem: is_table_file}) as staging:  # named at the end
            try:
                chart_job = pool.start(data, staging / "charts", chosen_lang) if pool and charts else None
                written = write_report(data, staging, chosen_lang, csv_sep=chosen_sep)  # workers draw meanwhile
                said = UiStrings(chosen_lang)  # what was written, said in the report's language, by its own name
                done.append(said("cli.wrote", path=folder / written.workbook.name))
                done.append(said("cli.wrote_tables", path=folder / written.csv_folder.name, n=len(data.tables)))
                say(f"workbook and CSV written ({time.perf_counter() - started:.1f} s)")
                if chart_job is not None:
                    done.append(said("cli.wrote_charts", path=folder / "charts", n=len(chart_job.result())))
                    say(f"charts written ({time.perf_counter() - started:.1f} s)")
                if pool and briefs:  # the same workers draw the scorecards
                    from rt2gaps.report.briefs import BRIEFS_FOLDER, write_briefs_with

                    briefs_written = write_briefs_with(pool, data, staging / BRIEFS_FOLDER, chosen_lang,
                                                       formats=(chosen_format,))  # fmt: skip
                    done.append(said("cli.wrote_briefs", path=folder / BRIEFS_FOLDER, n=len(briefs_written)))
                    say(f"briefs written ({time.perf_counter() - started:.1f} s)")
            except (KeyboardInterrupt, SystemExit):
                if pool:
                    pool.terminate()  # SIGINT/SIGTERM: the workers stop now, before the staging folder is removed
                raise
            except BaseException:
                if pool:
                    pool.close()  # the workers stop before the staging folder is removed
                raise
    except (KeyboardInterrupt, SystemExit):
        if pool:
            pool.terminate()  # stopped before the output was staged (building the data): the workers stop now
        raise
    except BaseException:
        if pool:
            pool.close()
        raise
    return RunResult(done, data.mostly_unknown_instruments, chosen_lang, data.no_data_instrument_objects)


def _since_date(value: object) -> date:
    """``since``: the GCM's adoption (2018-12-19) when not given; any day (before 1900 too) otherwise."""
    from rt2gaps.gaps import GCM_ADOPTION

    if value is None:
        return GCM_ADOPTION
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        from rt2gaps.sources.dates import parse_iso_date

        try:
            return parse_iso_date(value)
        except ValueError:
            raise _bad("since", value, "is not a date in the form YYYY-MM-DD") from None
    return checked_date(value, "since", default_today=False)


def is_table_file(name: str) -> bool:
    """What a run's CSV folder holds (``<table>.csv``): the test for replacing an existing folder of that name."""
    return name.endswith(".csv") and not name.startswith(".")


def brief(country: object, recommended_set: object = DEFAULT_SET, as_of: object = None, out: object = None,
          lang: object = "en", universe: object = "all", group: object = None, brief_format: object = "md",
          stale_after: object = DEFAULT_STALE_AFTER) -> RunResult:  # fmt: skip
    """Write one State's brief with its scorecard into ``<out>/briefs/`` (``rt2gaps brief``)."""
    from rt2gaps.report.briefs import BRIEFS_FOLDER, BriefBuilder, write_briefs

    chosen_lang = checked_choice(lang, "lang", LANGUAGES, "a language of the reports")
    chosen_format = checked_choice(brief_format, "brief_format", BRIEF_FORMATS, "a brief format")
    folder = checked_out(out) / BRIEFS_FOLDER
    data, snapshot = report_data(recommended_set, as_of, None, universe, group, stale_after, chosen_lang)
    states = data.states.to_dict("records")
    iso3 = checked_country(country, states, _scope(str(universe), data.group))["iso3"]
    BriefBuilder(data).brief(iso3)  # anything wrong with the State's rows stops here, nothing written
    lines = [f"wrote {path}" for files in write_briefs(data, folder, chosen_lang, [iso3], formats=(chosen_format,))
             for path in files.paths]  # fmt: skip
    return RunResult(lines, data.mostly_unknown_instruments, chosen_lang, data.no_data_instrument_objects)
