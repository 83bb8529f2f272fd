"""List the bundled recommended sets: each set's instruments in order, with their weights."""

from __future__ import annotations

import argparse
import csv
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "text"), default="csv",
                        help="csv (default) or an aligned table for a 100-column terminal")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    found = service.set_rows()
    if args.format == "text":
        from rt2gaps.cli.text import set_columns, text_table

        sys.stdout.write(text_table(found.rows, set_columns()))
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=found.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found.rows)
    return 0
