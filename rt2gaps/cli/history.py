"""Print each State's history on each instrument as spells (status, start, end exclusive), as CSV or Parquet."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import add_country, add_group, add_stale_after, add_universe, check_table_format, write_frame


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--instruments",
        metavar="ID,ID",
        help="catalogue ids (default: every ratifiable one; listed by rt2gaps instruments)",
    )
    add_universe(parser)
    add_group(parser)
    add_stale_after(parser)
    add_country(parser, "one State's spells only")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="csv (default) or parquet (needs pyarrow; written to stdout)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    stale_after = service.checked_stale_after(args.stale_after)
    check_table_format(args.format)
    found = service.history_rows(args.instruments, args.universe, args.group, stale_after, args.country)
    if args.format == "parquet":
        from rt2gaps.frames import typed_frame

        write_frame(typed_frame(found.rows, found.columns, found.snapshot.states), args.format)
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(found.columns)
    writer.writerows(found.rows)
    return 0
