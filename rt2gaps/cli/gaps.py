"""Print the country gaps of a recommended set (or one State's row per instrument) to stdout."""

from __future__ import annotations

import argparse
import sys

from rt2gaps.cli.options import add_as_of, add_universe, as_of_date
from rt2gaps.cli.run import add_set


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_set(parser)
    parser.add_argument("--country", metavar="ISO3", help="one State: its status and gap on each instrument")
    add_as_of(parser)
    add_universe(parser)
    parser.add_argument("--format", choices=("csv", "text"), default="csv", help="csv (default) or an aligned table")


def run(args: argparse.Namespace) -> int:
    # The query path: pandas and the status engine only, never openpyxl or matplotlib.
    from rt2gaps import gaps
    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_instruments, load_set
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.report.tables import states_frame, status_frame

    on = as_of_date(args.as_of)
    recommended = load_set(args.set_name)
    catalogue = load_instruments()
    instruments = [catalogue[i] for i in recommended.instruments]
    snapshot = current_snapshot()
    states = states_frame(snapshot, args.universe)
    if args.country:
        iso3 = args.country.strip().upper()
        if iso3 not in set(states["iso3"]):
            universe = args.universe
            raise Rt2gapsError(f"--country: {args.country!r} is not the ISO3 code of a State in universe {universe}")
        states = states[states["iso3"] == iso3]
    status = status_frame(snapshot, instruments, on, args.universe)
    ids = list(recommended.instruments)
    if args.country:
        table = gaps.country_detail(status, states, ids, iso3)
    else:
        table = gaps.country_gaps(status, states, ids, recommended.weights)
    if args.format == "text":
        sys.stdout.write(table.to_string(index=False) + "\n")
    else:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0
