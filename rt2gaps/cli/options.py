"""Option parsing shared by verbs: dates, instrument lists, universes, output formats."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rt2gaps.errors import Rt2gapsError
from rt2gaps.sources.dates import parse_iso_date

if TYPE_CHECKING:
    import pandas as pd

    from rt2gaps.catalogue import Instrument

UNIVERSES = ("all", "un-members")


def source_date(text: str, option: str = "--as-of") -> date:
    """A source's own date (``import --as-of``): a YYYY-MM-DD date; whether it may be after today is the importer's."""
    try:
        return parse_iso_date(text)
    except ValueError:
        raise Rt2gapsError(f"{option}: {text!r} is not a date in the form YYYY-MM-DD") from None


def as_of_date(text: str | None, option: str = "--as-of") -> date:
    """A date option (``--on``, ``OLD``): the service's check, today when not given; after today it warns."""
    from rt2gaps.service import checked_date

    return checked_date(text, option)


def stale_after_days(value: int | None) -> int:
    """``--stale-after``: days (0 to 100,000) a source's none/signatory answers stand past its as-of date."""
    from rt2gaps.service import checked_stale_after

    return checked_stale_after(value)


def add_stale_after(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stale-after",
        type=int,
        metavar="DAYS",
        help="after a source's as-of date, 'none' and 'signatory' stand for DAYS days (0 to 100000), then become "
        "unknown (default: 365)",
    )


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """``--as-of`` and, with it, ``--stale-after``: every verb that evaluates a date takes both."""
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date to evaluate status on (default: today)")
    add_stale_after(parser)


def add_country(parser: argparse.ArgumentParser, what: str) -> None:
    """``--country``: one State, by ISO3 code or by name (English or French)."""
    parser.add_argument("--country", metavar="ISO3|NAME", help=f"{what}; an ISO3 code (PHL) or a name (Philippines)")


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


FETCH_SOURCE = {"ILO": "normlex", "UN": "untc"}  # the depositary ``fetch --source`` reads for a body


def warn_mostly_unknown(instruments: list[str], lang: str = "en", no_source: Sequence[Instrument] = ()) -> None:
    """One line on stderr on what the scores cannot settle (``-q`` keeps it: it is about the data asked for).

    With instruments of the set that no source covers, the line names them and the command that brings
    them in (``fetch`` per depositary, or ``import`` of a copied table), and any other instrument
    unknown for most States; else it names the instruments unknown for most States, if any.
    """
    if not instruments and not no_source:
        return
    import sys

    from rt2gaps.i18n import UiStrings

    t = UiStrings(lang)
    if not no_source:
        sys.stderr.write(t("warning.mostly_unknown", instruments=", ".join(instruments)) + "\n")
        return
    missing = [i.id for i in no_source]
    by_source: dict[str, list[str]] = {}
    for instrument in no_source:
        by_source.setdefault(FETCH_SOURCE.get(instrument.body, "all"), []).append(instrument.id)
    commands = t("warning.or").join(f"rt2gaps fetch --source {source} --instruments {','.join(ids)}"
                                    for source, ids in by_source.items())  # fmt: skip
    text = t("warning.no_source", instruments=", ".join(missing), commands=commands)
    others = [i for i in instruments if i not in missing]
    if others:
        text += t("warning.also_mostly_unknown", instruments=", ".join(others))
    sys.stderr.write(text + "\n")


# --- how much a verb says (-q/--quiet, -v/--verbose on every verb) ------------------------------

QUIET, NORMAL, VERBOSE = 0, 1, 2
_verbosity = NORMAL


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet`` and ``-v/--verbose``: every verb gets them from ``build_parser``."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("-q", "--quiet", action="store_true", help="print only errors and the data asked for")
    chosen.add_argument("-v", "--verbose", action="store_true", help="also say each step as it is done (on stderr)")


def set_verbosity(args: argparse.Namespace) -> None:
    """Apply ``-q``/``-v`` to ``say``, ``step`` and the ``rt2gaps`` loggers (fetch's progress lines)."""
    import logging

    global _verbosity
    _verbosity = QUIET if getattr(args, "quiet", False) else VERBOSE if getattr(args, "verbose", False) else NORMAL
    level = {QUIET: logging.ERROR, NORMAL: logging.NOTSET, VERBOSE: logging.INFO}[_verbosity]
    logging.getLogger("rt2gaps").setLevel(level)


def say(text: str, *, err: bool = False) -> None:
    """A line about what was done ("wrote ..."): shown unless ``-q``."""
    import sys

    if _verbosity >= NORMAL:
        (sys.stderr if err else sys.stdout).write(text + "\n")


def step(text: str) -> None:
    """A line about a step as it is done, on stderr: shown with ``-v`` only."""
    import sys

    if _verbosity >= VERBOSE:
        sys.stderr.write(f"rt2gaps: {text}\n")
