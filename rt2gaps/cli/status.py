"""Print each State's status per instrument on a date, or on many dates (a panel), as CSV or Parquet."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date

from rt2gaps.cli.options import (
    add_as_of,
    add_group,
    add_universe,
    as_of_date,
    check_table_format,
    group_members,
    stale_after_days,
    warn_mostly_unknown,
    write_frame,
)
from rt2gaps.errors import Rt2gapsError

STEPS = ("year", "quarter", "month")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                        help="a panel: the first date (then every --every up to --to)")  # fmt: skip
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="a panel's last date (default: today)")
    parser.add_argument("--every", choices=STEPS, help="a panel's step (default: year)")
    parser.add_argument("--instruments", metavar="ID,ID", help="catalogue ids (default: every ratifiable one)")
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--format", choices=("csv", "parquet", "text"), default="csv",
                        help="csv (default), parquet (needs pyarrow; written to stdout) or text (a table for "
                        "a 100-column terminal; one date only)")  # fmt: skip


def _panel_dates(args: argparse.Namespace) -> list[date] | None:
    """The panel's dates, or None for the one-date table."""
    if args.start is None:
        if args.end is not None or args.every is not None:
            raise Rt2gapsError("--to and --every make a panel: give --from too (rt2gaps status --from 1990-12-31)")
        return None
    if args.as_of is not None:
        raise Rt2gapsError("--as-of is one date, --from/--to a panel: give one or the other")
    from rt2gaps.history import every

    start = as_of_date(args.start, "--from")
    end = as_of_date(args.end, "--to")
    if end < start:
        raise Rt2gapsError(f"--to: {end.isoformat()} is before --from {start.isoformat()}")
    return every(start, end, args.every or "year")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.api import current_snapshot, instruments_for
    from rt2gaps.status import STATUS_COLUMNS, universe_states

    days = _panel_dates(args)
    stale_after = stale_after_days(args.stale_after)
    check_table_format(args.format)
    on = as_of_date(args.as_of)
    instruments = instruments_for(args.instruments)
    snapshot = current_snapshot()
    members = group_members(args.group, snapshot, args.universe)
    states = [s for s in universe_states(snapshot, args.universe) if members is None or s["iso3"] in members]
    if days is not None:
        from rt2gaps.history import panel_frame

        if args.format == "text":
            raise Rt2gapsError("--format text shows one date: use csv or parquet for a panel (--from)")
        write_frame(panel_frame(snapshot, instruments, states, days, stale_after), args.format)
        return 0
    from rt2gaps.history import rows_on

    rows = [row.as_row() for row in rows_on(snapshot, instruments, on, args.universe, stale_after)
            if members is None or row.iso3 in members]  # fmt: skip
    if args.instruments:  # a chosen list of instruments is a set: say which of them are mostly unknown
        from rt2gaps.gaps import mostly_unknown

        warn_mostly_unknown(mostly_unknown(((r["iso3"], r["instrument"], r["status"]) for r in rows),
                                           [i.id for i in instruments]), "en",
                            [i for i in instruments if snapshot.instrument_source(i.id) is None])  # fmt: skip
    if args.format == "parquet":
        from rt2gaps.api import typed_frame

        write_frame(typed_frame(rows, STATUS_COLUMNS, snapshot.states), args.format)
        return 0
    if args.format == "text":
        from rt2gaps.cli.text import status_columns, text_table, with_status_labels

        sys.stdout.write(text_table(with_status_labels(rows), status_columns()))
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=STATUS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return 0
