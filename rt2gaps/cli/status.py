"""Print each State's status per instrument on a date, or on many dates (a panel), as CSV or Parquet."""

from __future__ import annotations

import argparse
import csv
import sys
import warnings
from datetime import date

from rt2gaps.cli.options import (
    add_as_of,
    add_country,
    add_group,
    add_universe,
    check_table_format,
    warn_mostly_unknown,
    write_frame,
)
from rt2gaps.errors import ProjectionWarning, Rt2gapsError

STEPS = ("year", "quarter", "month")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                        help="a panel: the first date (then every --every up to --to)")  # fmt: skip
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="a panel's last date (default: today)")
    parser.add_argument("--every", choices=STEPS, help="a panel's step (default: year)")
    parser.add_argument(
        "--instruments",
        metavar="ID,ID",
        help="catalogue ids (default: every ratifiable one; listed by rt2gaps instruments)",
    )
    add_universe(parser)
    add_group(parser)
    add_country(parser, "one State's rows only")
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
    from rt2gaps import service

    return service.panel_dates(args.start, args.end, args.every or "year")


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    days = _panel_dates(args)
    stale_after = service.checked_stale_after(args.stale_after)
    check_table_format(args.format)
    if days is not None:
        if args.format == "text":
            raise Rt2gapsError("--format text shows one date: use csv or parquet for a panel (--from)")
        if args.country is not None:
            raise Rt2gapsError("--country: a panel (--from) is of every State; leave --country out")
        with warnings.catch_warnings():  # the panel's dates were checked (and a future --to warned) above
            warnings.simplefilter("ignore", ProjectionWarning)
            panel = service.panel(days, args.instruments, args.universe, args.group, stale_after)
        write_frame(panel, args.format)
        return 0
    found = service.status_rows(args.as_of, args.instruments, args.universe, args.group, stale_after,
                                 args.country)  # fmt: skip
    warn_mostly_unknown(found.mostly_unknown, "en", found.no_source)
    if args.format == "parquet":
        from rt2gaps.frames import typed_frame

        write_frame(typed_frame(found.rows, found.columns, found.snapshot.states), args.format)
        return 0
    if args.format == "text":
        from rt2gaps.cli.text import status_columns, text_table, with_status_labels

        sys.stdout.write(text_table(with_status_labels(found.rows), status_columns()))
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=found.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found.rows)
    return 0
