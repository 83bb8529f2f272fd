"""Write one State's country brief (Markdown, Word or HTML) with its scorecard chart to reports/briefs/."""

from __future__ import annotations

import argparse

from rt2gaps.cli.options import (
    add_as_of,
    add_group,
    add_universe,
    as_of_date,
    chosen_group,
    say,
    stale_after_days,
    warn_mostly_unknown,
)
from rt2gaps.cli.run import add_brief_format, add_set

LANGUAGES = ("en", "fr")


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the output (default: en)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("iso3", metavar="ISO3", help="the State's ISO 3166 alpha-3 code, e.g. PHL")
    add_set(parser)
    add_lang(parser)
    add_as_of(parser)
    parser.add_argument("--out", metavar="DIR", help="output folder (default: reports/ in the current folder)")
    add_universe(parser)
    add_group(parser)
    add_brief_format(parser, "--format")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.paths import reports_dir
    from rt2gaps.report import build_report_data
    from rt2gaps.report.briefs import BRIEFS_FOLDER, BriefBuilder, write_briefs

    on = as_of_date(args.as_of)
    recommended = load_set(args.set_name)
    snapshot = current_snapshot()
    group = chosen_group(args.group, snapshot.states)  # a bad group file stops here, before any output
    data = build_report_data(recommended, snapshot, on, universe=args.universe, group=group,
                             stale_after=stale_after_days(args.stale_after))  # fmt: skip
    BriefBuilder(data).brief(args.iso3)  # an unknown ISO3 (or one outside the group) stops here, nothing written
    folder = (Path(args.out) if args.out else reports_dir()) / BRIEFS_FOLDER
    for files in write_briefs(data, folder, args.lang, [args.iso3], formats=(args.brief_format,)):
        for path in files.paths:
            say(f"wrote {path}")
    # once written: a refusal stays one line
    warn_mostly_unknown(data.mostly_unknown_instruments, args.lang, data.no_data_instrument_objects)
    return 0
