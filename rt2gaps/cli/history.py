"""Print each State's history on each instrument as spells (status, start, end exclusive), as CSV or Parquet."""

from __future__ import annotations

import argparse
import csv
import sys

from rt2gaps.cli.options import (
    add_group,
    add_stale_after,
    add_universe,
    check_table_format,
    group_members,
    stale_after_days,
    write_frame,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--instruments", metavar="ID,ID", help="catalogue ids (default: every ratifiable one)")
    add_universe(parser)
    add_group(parser)
    add_stale_after(parser)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="csv (default) or parquet (needs pyarrow; written to stdout)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from rt2gaps.api import current_snapshot, instruments_for
    from rt2gaps.history import SPELL_COLUMNS, spell_rows

    stale_after = stale_after_days(args.stale_after)
    check_table_format(args.format)
    instruments = instruments_for(args.instruments)
    snapshot = current_snapshot()
    members = group_members(args.group, snapshot, args.universe)
    spells = spell_rows(snapshot, instruments, args.universe, stale_after)
    rows = [r for r in spells if members is None or r[0] in members]
    if args.format == "parquet":
        from rt2gaps.api import typed_frame

        write_frame(typed_frame(rows, SPELL_COLUMNS, snapshot.states), args.format)
        return 0
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(SPELL_COLUMNS)
    writer.writerows(rows)
    return 0
