"""Option parsing shared by verbs: dates, instrument lists, universes, output formats."""

from __future__ import annotations

import argparse
from datetime import date

from rt2gaps.errors import Rt2gapsError
from rt2gaps.sources.dates import parse_iso_date

UNIVERSES = ("all", "un-members")


def as_of_date(text: str | None) -> date:
    """``--as-of``: a YYYY-MM-DD date, today when not given."""
    if text is None:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError:
        raise Rt2gapsError(f"--as-of: {text!r} is not a date in the form YYYY-MM-DD") from None


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date to evaluate status on (default: today)")


def add_universe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--universe",
        choices=UNIVERSES,
        default="all",
        help="all: 193 UN members plus Holy See, State of Palestine, Cook Islands, Niue (default)",
    )
