"""Write the report of a recommended set: an Excel workbook and its tables as CSV."""

from __future__ import annotations

import argparse
from datetime import date

from rt2gaps.cli.options import (
    add_as_of,
    add_group,
    add_universe,
    as_of_date,
    chosen_group,
    say,
    stale_after_days,
    step,
    warn_mostly_unknown,
)

DEFAULT_SET = "rt2-priority"


def add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="set_name",
        metavar="NAME|PATH",
        default=DEFAULT_SET,
        help=f"a bundled set (rt2-priority, annex-b, un-core, ilo-fundamental, migrants) or a TOML file "
        f"(default: {DEFAULT_SET})",
    )


def add_brief_format(parser: argparse.ArgumentParser, option: str) -> None:
    """``--format`` of ``brief``, ``--brief-format`` of ``run``: Markdown, Word or a self-contained HTML page."""
    parser.add_argument(option, dest="brief_format", choices=("md", "docx", "html"), default="md",
                        help="brief as Markdown with its scorecard PNG (default), Word (docx, A4, editable) "
                        "or one HTML page with the scorecard inside (A4, printable)")  # fmt: skip


def since_date(text: str | None) -> date:
    """``--since``: a YYYY-MM-DD date, the GCM's adoption (2018-12-19) when not given."""
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.gaps import GCM_ADOPTION
    from rt2gaps.sources.dates import parse_iso_date

    if text is None:
        return GCM_ADOPTION
    try:
        return parse_iso_date(text)
    except ValueError:
        raise Rt2gapsError(f"--since: {text!r} is not a date in the form YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_set(parser)
    add_as_of(parser)
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="list changes after this date (default: 2018-12-19)")
    parser.add_argument(
        "--since-snapshot",
        nargs="?",
        const="previous",
        metavar="OLD",
        help="the Changes sheet lists what changed since a snapshot instead of since a date: previous (default), "
        "bundled, or a snapshot folder",
    )
    parser.add_argument("--out", metavar="DIR", help="output folder (default: reports/ in the current folder)")
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the output (default: en)")
    parser.add_argument("--csv-sep", choices=(",", ";"), default=",",
                        help="separator of the CSV tables: ',' (default) or ';' with decimal commas, as Excel "
                        "reads a CSV file in a French (or other comma-decimal) locale")  # fmt: skip
    parser.add_argument("--briefs", action="store_true", help="also write a country brief per State (reports/briefs/)")
    add_brief_format(parser, "--brief-format")
    parser.add_argument(
        "--charts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw the charts into <out>/charts/ (default); --no-charts writes the workbook and CSV only, faster",
    )


def run(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.output import staged_output, writable_folder
    from rt2gaps.paths import reports_dir
    from rt2gaps.report import build_report_data, write_report
    from rt2gaps.report.i18n import UiStrings

    if args.since and args.since_snapshot:
        from rt2gaps.errors import Rt2gapsError

        raise Rt2gapsError("--since and --since-snapshot: give one of them (a date, or a snapshot to compare with)")
    started = time.perf_counter()
    on = as_of_date(args.as_of)
    since = since_date(args.since)
    recommended = load_set(args.set_name)  # a bad set file stops here, before anything is written
    out = writable_folder(Path(args.out) if args.out else reports_dir())  # a bad --out stops before any work
    snapshot = current_snapshot()
    group = chosen_group(args.group, snapshot.states)  # a bad group file stops here too
    from rt2gaps.report.charts.pool import CHART_WORKERS, ChartPool  # matplotlib loads only where something is drawn

    # forked now, when anything is to be drawn: the workers load matplotlib while the data is built
    pool = ChartPool(snapshot, CHART_WORKERS if args.charts or args.briefs else 1)
    try:  # a pool left running at exit races Python's exit hook for process pools (an EBADF traceback)
        step(f"snapshot {snapshot.folder}; set {recommended.name}; as of {on.isoformat()}")
        data = build_report_data(
            recommended, snapshot, on, since, args.universe, group=group, stale_after=stale_after_days(args.stale_after)
        )
        step(f"{len(data.states)} States x {len(data.instruments)} instruments, {len(data.tables)} tables "
             f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
        if args.since_snapshot:
            from rt2gaps.refresh.diff import load, resolve_snapshot
            from rt2gaps.report.tables import use_snapshot_changes

            old_folder = resolve_snapshot(args.since_snapshot, None, "previous")
            use_snapshot_changes(data, load(old_folder), snapshot)
        done: list[str] = []
        with pool, staged_output(out, {data.stem: is_table_file}) as staging:  # files reach final names only at the end
            try:
                chart_job = pool.start(data, staging / "charts", args.lang) if args.charts else None
                written = write_report(data, staging, args.lang, csv_sep=args.csv_sep)  # workers draw meanwhile
                said = UiStrings(args.lang)  # what was written, said in the report's language, by its own name
                done.append(said("cli.wrote", path=out / written.workbook.name))
                done.append(said("cli.wrote_tables", path=out / written.csv_folder.name, n=len(data.tables)))
                step(f"workbook and CSV written ({time.perf_counter() - started:.1f} s)")
                if chart_job is not None:
                    done.append(said("cli.wrote_charts", path=out / "charts", n=len(chart_job.result())))
                    step(f"charts written ({time.perf_counter() - started:.1f} s)")
                if args.briefs:  # the same workers draw the scorecards
                    from rt2gaps.report.briefs import BRIEFS_FOLDER, write_briefs_with

                    briefs = write_briefs_with(pool, data, staging / BRIEFS_FOLDER, args.lang,
                                               formats=(args.brief_format,))  # fmt: skip
                    done.append(said("cli.wrote_briefs", path=out / BRIEFS_FOLDER, n=len(briefs)))
                    step(f"briefs written ({time.perf_counter() - started:.1f} s)")
            except (KeyboardInterrupt, SystemExit):
                pool.terminate()  # SIGINT/SIGTERM: the workers stop now, before the staging folder is removed
                raise
            except BaseException:
                pool.close()  # the workers stop before the staging folder is removed
                raise
    except (KeyboardInterrupt, SystemExit):
        pool.terminate()  # stopped before the output was staged (building the data): the workers stop now
        raise
    except BaseException:
        pool.close()
        raise
    for line in done:
        say(line)
    # once written: a refusal stays one line
    warn_mostly_unknown(data.mostly_unknown_instruments, args.lang, data.no_data_instrument_objects)
    return 0


def is_table_file(name: str) -> bool:
    """What a run's CSV folder holds (``<table>.csv``): the test for replacing an existing folder of that name."""
    return name.endswith(".csv") and not name.startswith(".")
