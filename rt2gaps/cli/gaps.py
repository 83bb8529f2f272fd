"""Print the country gaps of a recommended set (or one State's row per instrument) to stdout."""

from __future__ import annotations

import argparse
import sys

from rt2gaps.cli.options import (
    add_as_of,
    add_group,
    add_universe,
    as_of_date,
    chosen_group,
    stale_after_days,
    warn_mostly_unknown,
)
from rt2gaps.cli.run import add_set


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_set(parser)
    parser.add_argument("--country", metavar="ISO3", help="one State: its status and gap on each instrument")
    add_as_of(parser)
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--format", choices=("csv", "text"), default="csv", help="csv (default) or an aligned table")


def csv_cell(value: object) -> object:
    """NaN and missing values as empty cells, as pandas writes them."""
    return "" if value is None or value != value else value


def run(args: argparse.Namespace) -> int:
    # The query path: the status engine and the csv module.
    import csv
    from importlib import import_module

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_instruments, load_set
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.groups import restrict_to_group
    from rt2gaps.status import status_rows, universe_states

    gaps = import_module("rt2gaps.gaps")  # the module, not the public function rt2gaps.gaps

    on = as_of_date(args.as_of)
    stale_after = stale_after_days(args.stale_after)
    recommended = load_set(args.set_name)
    catalogue = load_instruments()
    instruments = [catalogue[i] for i in recommended.instruments]
    ids = list(recommended.instruments)
    snapshot = current_snapshot()
    states = universe_states(snapshot, args.universe)
    group = chosen_group(args.group, snapshot.states)  # a bad group file stops here, before any output
    if group is not None:
        states = restrict_to_group(states, group, args.universe)
    assessed = {state["iso3"] for state in states}
    everyone = [
        row for row in status_rows(snapshot, instruments, on, args.universe, stale_after) if row.iso3 in assessed
    ]
    no_source = [i for i in instruments if snapshot.instrument_source(i.id) is None]
    warn_mostly_unknown(gaps.mostly_unknown(((r.iso3, r.instrument, r.status) for r in everyone), ids), "en", no_source)
    if args.country:
        iso3 = args.country.strip().upper()
        chosen = [s for s in states if s["iso3"] == iso3]
        if not chosen:
            scope = f"universe {args.universe}" + (f", group {group.name}" if group else "")
            raise Rt2gapsError(f"--country: {args.country!r} is not the ISO3 code of a State in {scope}")
        status = [row.as_row() for row in everyone if row.iso3 == iso3]
        rows = gaps.country_detail_rows(status, chosen[0]["name_en"], ids, iso3)
        columns = gaps.COUNTRY_DETAIL_COLUMNS
    else:
        pairs = ((r.iso3, r.instrument, r.status) for r in everyone)
        rows = gaps.country_gap_rows(pairs, states, ids, recommended.weights)
        columns = gaps.COUNTRY_GAP_COLUMNS
    if args.format == "text":  # the columns a reader wants, in 100 characters
        from rt2gaps.cli.text import detail_columns, gap_columns, text_table, with_ranges, with_status_labels

        rows = [{**row, "gap": "x" if row["gap"] else ""} for row in rows] if args.country else with_ranges(rows)
        chosen = detail_columns() if args.country else gap_columns()
        sys.stdout.write(text_table(with_status_labels(rows), chosen, percent=frozenset({"known_share"})))
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(row[c]) for c in columns] for row in rows)
    return 0
