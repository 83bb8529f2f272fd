"""Write one State's country brief (Markdown, Word or HTML) with its scorecard chart to reports/briefs/."""

from __future__ import annotations

import argparse

from rt2gaps.cli.options import add_as_of, add_country, add_group, add_universe, say, warn_mostly_unknown
from rt2gaps.cli.run import add_brief_format, add_set

LANGUAGES = ("en", "fr")


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the output (default: en)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("iso3", metavar="ISO3", nargs="?",
                        help="the State's ISO 3166 alpha-3 code, e.g. PHL (or --country)")  # fmt: skip
    add_country(parser, "the State")
    add_set(parser)
    add_lang(parser)
    add_as_of(parser)
    parser.add_argument("--out", metavar="DIR", help="output folder (default: reports/ in the current folder)")
    add_universe(parser)
    add_group(parser)
    add_brief_format(parser, "--format")


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service
    from rt2gaps.errors import Rt2gapsError

    if args.iso3 is not None and args.country is not None:
        raise Rt2gapsError("ISO3 and --country name the State: give one of them")
    country = args.country if args.country is not None else args.iso3
    if country is None:
        raise Rt2gapsError("--country: give the State (an ISO3 code or a name): rt2gaps brief --country PHL")
    result = service.brief(country, args.set_name, args.as_of, args.out, args.lang, args.universe, args.group,
                           args.brief_format, args.stale_after)  # fmt: skip
    for line in result.lines:
        say(line)
    warn_mostly_unknown(result.mostly_unknown, result.lang, result.no_source)  # once written: one line
    return 0
