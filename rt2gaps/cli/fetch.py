"""Refresh the snapshot from the depositaries (UNTC, NORMLEX) into the user data folder."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rt2gaps.refresh.fetch import FetchReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", choices=("untc", "normlex", "all"), default="all", help="which depositary")
    parser.add_argument("--instruments", metavar="ID,ID", help="only these catalogue instruments (default: all)")
    parser.add_argument("--data", type=Path, help="user data folder (default: $RT2GAPS_DATA or the platform's)")
    parser.add_argument("--cache", type=Path, help="raw response cache (default: $RT2GAPS_CACHE or the platform's)")
    parser.add_argument("--mirror", metavar="URL", help="fetch the same paths from this host ($RT2GAPS_MIRROR)")
    parser.add_argument("--partial", action="store_true", help="apply what was fetched even if some pages failed")
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="longest wait for one whole response: connect, headers and body (default 120)",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        metavar="SECONDS",
        help="longest time for the whole fetch; pages not fetched by then fail (default 600)",
    )
    parser.add_argument("--retries", type=int, help="retries on 429/5xx and connection errors (default 4)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.catalogue import parse_instrument_ids
    from rt2gaps.refresh.fetch import MIRROR_ENV, refresh
    from rt2gaps.refresh.http import HttpSettings
    from rt2gaps.snapshot.userdata import cache_dir, data_dir

    if not sys.stderr.isatty():
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("urllib3").setLevel(logging.CRITICAL)  # retries and pool warnings: the table says what failed
    settings = HttpSettings()
    for option, value in (("--timeout", args.timeout), ("--deadline", args.deadline)):
        if value is not None and not (0 < value < float("inf")):
            from rt2gaps.errors import Rt2gapsError

            raise Rt2gapsError(f"{option}: expected a number of seconds above 0, found {value:g}")
    if args.timeout is not None:
        settings = HttpSettings(**{**settings.__dict__, "response_timeout": args.timeout})
    if args.deadline is not None:
        settings = HttpSettings(**{**settings.__dict__, "deadline": args.deadline})
    if args.retries is not None:
        settings = HttpSettings(**{**settings.__dict__, "retries": args.retries})
    from rt2gaps.output import writable_folder

    data = writable_folder(data_dir(args.data), "--data or RT2GAPS_DATA")  # checked before any download
    cache = writable_folder(cache_dir(args.cache), "--cache or RT2GAPS_CACHE")
    report = refresh(
        data=data,
        cache=cache,
        source=args.source,
        instrument_ids=parse_instrument_ids(args.instruments) if args.instruments else None,
        mirror=args.mirror or os.environ.get(MIRROR_ENV) or None,
        settings=settings,
        partial=args.partial,
    )
    return end_with_report(report, "fetch")


def end_with_report(report: FetchReport, verb: str) -> int:
    """The per-source table on stdout, where the snapshot went or why nothing was written; the exit code."""
    from rt2gaps.refresh.fetch import outcome_table

    print(outcome_table(report.outcomes))
    for notice in report.notices:
        print(f"rt2gaps {verb}: {notice}", file=sys.stderr)
    if report.written_to:
        from rt2gaps.snapshot.write import previous_of

        kept = " (previous kept beside it)" if previous_of(report.written_to).is_dir() else ""
        from rt2gaps.cli.options import say

        say(f"wrote {report.written_to}{kept}", err=True)
    if report.error:
        print(f"rt2gaps {verb}: {report.error}; the current snapshot is unchanged", file=sys.stderr)
    return report.exit_code
