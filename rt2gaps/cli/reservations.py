"""Print reservations, declarations and objections as the depositary published them, as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import add_country


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instruments", metavar="ID,ID",
                        help="catalogue ids (default: every instrument; rt2gaps instruments lists them)")  # fmt: skip
    add_country(parser, "one State's statements only")
    parser.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    found = service.reservation_rows(args.instruments, args.country)
    writer = csv.DictWriter(sys.stdout, fieldnames=found.columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(found.rows)
    return 0
