"""What changed between two snapshots (default: previous and current) or two dates on the current one."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from rt2gaps.cli.options import add_stale_after


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", nargs="?", help="previous (default), current, bundled, a folder, or a date YYYY-MM-DD")
    parser.add_argument("new", nargs="?", help="current (default), previous, bundled, a folder, or a date")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="date to compare statuses on (default: today)")
    add_stale_after(parser)
    parser.add_argument("--format", choices=("text", "csv"), default="text", help="table (default) or CSV")
    parser.add_argument("--data", type=Path, help="user data folder (default: $RT2GAPS_DATA or the platform's)")


def _is_date(text: str | None) -> bool:
    return text is not None and len(text) == 10 and text[4] == "-" and text[7] == "-"


def run(args: argparse.Namespace) -> int:
    from rt2gaps.cli.options import as_of_date, stale_after_days
    from rt2gaps.refresh.diff import CHANGE_COLUMNS, diff_dates, diff_snapshots, load, resolve_snapshot
    from rt2gaps.report.safe_text import neutralise  # a file name like =HYPERLINK(...) is text, not a formula

    stale_after = stale_after_days(args.stale_after)
    if _is_date(args.old) or _is_date(args.new):
        if not (_is_date(args.old) and _is_date(args.new)):
            from rt2gaps.errors import Rt2gapsError

            raise Rt2gapsError("diff by dates needs two dates: rt2gaps diff 2020-01-01 2025-01-01")
        snapshot = load(resolve_snapshot("current", args.data, "current"))
        rows = diff_dates(snapshot, as_of_date(args.old, "OLD"), as_of_date(args.new, "NEW"), stale_after)
    else:
        old = load(resolve_snapshot(args.old, args.data, "previous"))
        new = load(resolve_snapshot(args.new, args.data, "current"))
        rows = diff_snapshots(old, new, as_of_date(args.on, "--on"), stale_after)
    texts = [{column: str(value) for column, value in row.items()} for row in rows]  # typed cells said in English
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=CHANGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: neutralise(text) for column, text in row.items()} for row in texts)
        return 0
    if not texts:
        print("no changes")
        return 0
    widths = {c: min(40, max(len(c), *(len(r[c]) for r in texts))) for c in CHANGE_COLUMNS}
    print("  ".join(c.ljust(widths[c]) for c in CHANGE_COLUMNS).rstrip())
    for row in texts:
        print("  ".join(row[c][:40].ljust(widths[c]) for c in CHANGE_COLUMNS).rstrip())
    return 0
