"""Option parsing shared by verbs: dates, instrument lists, universes, output formats."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from rt2gaps.errors import Rt2gapsError
from rt2gaps.sources.dates import parse_iso_date

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.groups import StateGroup
    from rt2gaps.snapshot.store import Snapshot

UNIVERSES = ("all", "un-members")


def as_of_date(text: str | None, option: str = "--as-of") -> date:
    """``--as-of`` (or another date option): a YYYY-MM-DD date, today when not given."""
    if text is None:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError:
        raise Rt2gapsError(f"{option}: {text!r} is not a date in the form YYYY-MM-DD") from None


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date to evaluate status on (default: today)")


def add_universe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--universe",
        choices=UNIVERSES,
        default="all",
        help="all: 193 UN members plus Holy See, State of Palestine, Cook Islands, Niue (default)",
    )


def add_group(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--group",
        metavar="NAME|PATH",
        help="only the States of a group: ldc, lldc or sids (UNSD M49 flags) or a TOML file "
        "(name, source, as_of, members); default: every State of the universe",
    )


def chosen_group(name_or_path: str | None, states: list[dict[str, str]]) -> StateGroup | None:
    """``--group``: the group, checked against the snapshot's State table; None when not given.

    A bad group file stops here with one message naming the file and key, before any output.
    """
    if not name_or_path:
        return None
    from rt2gaps.groups import load_group

    return load_group(name_or_path, states)


def group_members(name_or_path: str | None, snapshot: Snapshot, universe: str) -> set[str] | None:
    """``--group``: the ISO3 codes of the group's States within the universe; None when not given."""
    group = chosen_group(name_or_path, snapshot.states)
    if group is None:
        return None
    from rt2gaps.groups import restrict_to_group
    from rt2gaps.status import universe_states

    return {s["iso3"] for s in restrict_to_group(universe_states(snapshot, universe), group, universe)}


def check_table_format(fmt: str) -> None:
    """``--format parquet`` needs pyarrow (not a dependency): say so before anything is computed or written."""
    if fmt != "parquet":
        return
    import importlib.util
    import sys

    if importlib.util.find_spec("pyarrow") is None:
        raise Rt2gapsError("--format parquet needs the pyarrow package (pip install pyarrow); or use --format csv")
    if sys.stdout.isatty():
        raise Rt2gapsError("--format parquet writes binary data: redirect it to a file (> table.parquet)")


def write_frame(frame: pd.DataFrame, fmt: str) -> None:
    """A typed frame to stdout: CSV with ISO dates and empty cells for NA, or Parquet bytes."""
    import sys

    if fmt == "parquet":
        import io

        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
        return
    frame.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d", lineterminator="\n")


def warn_mostly_unknown(instruments: list[str], lang: str = "en") -> None:
    """One line on stderr naming the instruments unknown for most States (the scores leave them out)."""
    if not instruments:
        return
    import sys

    from rt2gaps.report.i18n import UiStrings

    sys.stderr.write(UiStrings(lang)("warning.mostly_unknown", instruments=", ".join(instruments)) + "\n")
