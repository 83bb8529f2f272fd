"""Write one State's country brief (Markdown) and its scorecard chart to reports/briefs/."""

from __future__ import annotations

import argparse
import sys

from rt2gaps.cli.options import add_as_of, add_universe, as_of_date, stale_after_days, warn_mostly_unknown
from rt2gaps.cli.run import add_set

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


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.paths import reports_dir
    from rt2gaps.report import build_report_data
    from rt2gaps.report.briefs import BRIEFS_FOLDER, BriefBuilder, write_briefs

    on = as_of_date(args.as_of)
    recommended = load_set(args.set_name)
    data = build_report_data(
        recommended, current_snapshot(), on, universe=args.universe, stale_after=stale_after_days(args.stale_after)
    )
    BriefBuilder(data).brief(args.iso3)  # an unknown ISO3 stops here, before anything is written
    folder = (Path(args.out) if args.out else reports_dir()) / BRIEFS_FOLDER
    for files in write_briefs(data, folder, args.lang, [args.iso3]):
        sys.stdout.write(f"wrote {files.markdown}\n")
        if files.scorecard:
            sys.stdout.write(f"wrote {files.scorecard}\n")
    warn_mostly_unknown(data.mostly_unknown_instruments, args.lang)  # once written: a refusal stays one line
    return 0
