"""Print the country gaps of a recommended set (or one State's row per instrument) to stdout."""

from __future__ import annotations

import argparse
import sys

from rt2gaps.cli.options import add_as_of, add_country, add_group, add_universe, warn_mostly_unknown
from rt2gaps.cli.run import add_set


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_set(parser)
    add_country(parser, "one State: its status and gap on each instrument")
    add_as_of(parser)
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--format", choices=("csv", "text"), default="csv", help="csv (default) or an aligned table")


def csv_cell(value: object) -> object:
    """NaN and missing values as empty cells, as pandas writes them."""
    return "" if value is None or value != value else value


def run(args: argparse.Namespace) -> int:
    import csv

    from rt2gaps import service

    found = service.gaps_rows(args.set_name, args.as_of, args.universe, args.group, args.stale_after, args.country)
    warn_mostly_unknown(found.mostly_unknown, "en", found.no_source)
    rows = found.rows
    if args.format == "text":  # the columns a reader wants, in 100 characters
        from rt2gaps.cli.text import detail_columns, gap_columns, text_table, with_ranges, with_status_labels

        rows = [{**row, "gap": "x" if row["gap"] else ""} for row in rows] if args.country else with_ranges(rows)
        shown = detail_columns() if args.country else gap_columns()
        sys.stdout.write(text_table(with_status_labels(rows), shown, percent=frozenset({"known_share"})))
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(found.columns)
        writer.writerows([csv_cell(row[c]) for c in found.columns] for row in rows)
    return 0
