"""List the catalogue's instruments: id, title, kind, adoption, and the source speaking for each with its date."""

from __future__ import annotations

import argparse
import csv
import sys

# what the list shows of each instrument, as CSV (``rt2gaps.instruments()`` has every field)
COLUMNS = ["id", "short_name", "title_en", "title_fr", "body", "group", "adoption_date", "entry_into_force_date",
           "has_data", "source", "source_as_of"]  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("csv", "text"), default="csv",
                        help="csv (default) or an aligned table for a 100-column terminal")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    found = service.instrument_rows()
    rows = [{c: _cell(row[c]) for c in COLUMNS} for row in found.rows]
    if args.format == "text":
        from rt2gaps.cli.text import instrument_columns, text_table

        sys.stdout.write(text_table(rows, instrument_columns()))
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return 0


def _cell(value: object) -> object:
    """Flags as the other CSV outputs write them (true/false), None as an empty cell."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
