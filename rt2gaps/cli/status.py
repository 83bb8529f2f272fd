"""Print each State's status per instrument on a date, as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import add_as_of, add_group, add_universe, as_of_date, group_members


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument("--instruments", metavar="ID,ID", help="catalogue ids (default: every ratifiable one)")
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.api import current_snapshot, instruments_for
    from rt2gaps.status import STATUS_COLUMNS, status_rows

    on = as_of_date(args.as_of)
    instruments = instruments_for(args.instruments)
    snapshot = current_snapshot()
    rows = status_rows(snapshot, instruments, on, args.universe)
    members = group_members(args.group, snapshot, args.universe)
    if members is not None:
        rows = [row for row in rows if row.iso3 in members]
    writer = csv.DictWriter(sys.stdout, fieldnames=STATUS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.as_row() for row in rows)
    return 0
