"""Print each State's acceptance of complaints and inquiry procedures on a date, as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import add_as_of, add_group, add_universe, as_of_date, group_members, stale_after_days


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument(
        "--procedures",
        metavar="ID,ID",
        help="procedure ids from data/procedures.csv, e.g. ICRMW-77,CAT-22 (default: all)",
    )
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.api import current_snapshot
    from rt2gaps.procedures import PROCEDURE_COLUMNS, parse_procedure_ids, procedure_rows

    on = as_of_date(args.as_of)
    ids = parse_procedure_ids(args.procedures)
    snapshot = current_snapshot()
    members = group_members(args.group, snapshot, args.universe)
    rows = procedure_rows(snapshot, ids, on, args.universe, members, stale_after_days(args.stale_after))
    writer = csv.DictWriter(sys.stdout, fieldnames=PROCEDURE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.as_row() for row in rows)
    return 0
