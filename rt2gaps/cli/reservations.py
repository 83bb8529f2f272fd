"""Print reservations, declarations and objections as the depositary published them, as CSV."""

from __future__ import annotations

import argparse
import csv
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instruments", metavar="ID,ID", help="catalogue ids (default: every instrument)")
    parser.add_argument("--country", metavar="ISO3", help="one State's statements only")
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.api import current_snapshot
    from rt2gaps.reservations import RESERVATION_COLUMNS, reservation_rows

    rows = reservation_rows(current_snapshot(), args.instruments, args.country)
    writer = csv.DictWriter(sys.stdout, fieldnames=RESERVATION_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return 0
