"""Print each State's acceptance of complaints and inquiry procedures on a date, as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import add_as_of, add_country, add_group, add_universe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_as_of(parser)
    parser.add_argument(
        "--procedures",
        metavar="ID,ID",
        help="procedure ids, e.g. ICRMW-77,CAT-22 (default: all; --list prints them)",
    )
    parser.add_argument("--list", action="store_true", help="print the procedure ids, one a line, and stop")
    add_universe(parser)
    add_group(parser)
    add_country(parser, "one State's rows only")
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    if args.list:
        sys.stdout.write("".join(f"{procedure}\n" for procedure in service.procedure_ids()))
        return 0
    found = service.procedure_rows(args.as_of, args.procedures, args.universe, args.group, args.stale_after,
                                   args.country)  # fmt: skip
    writer = csv.DictWriter(sys.stdout, fieldnames=found.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found.rows)
    return 0
