"""Write the report of a recommended set: an Excel workbook and its tables as CSV."""

from __future__ import annotations

import argparse

from rt2gaps.cli.options import add_as_of, add_group, add_universe, say, step, warn_mostly_unknown

DEFAULT_SET = "rt2-priority"


def add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="set_name",
        metavar="NAME|PATH",
        default=DEFAULT_SET,
        help=f"a bundled set (rt2gaps sets lists them: rt2-priority, annex-b, un-core, ilo-fundamental, migrants) "
        f"or a TOML file (default: {DEFAULT_SET})",
    )


def add_brief_format(parser: argparse.ArgumentParser, option: str) -> None:
    """``--format`` of ``brief``, ``--brief-format`` of ``run``: Markdown, Word or a self-contained HTML page."""
    parser.add_argument(option, dest="brief_format", choices=("md", "docx", "html"), default="md",
                        help="brief as Markdown with its scorecard PNG (default), Word (docx, A4, editable) "
                        "or one HTML page with the scorecard inside (A4, printable)")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_set(parser)
    add_as_of(parser)
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="list changes after this date (default: 2018-12-19)")
    parser.add_argument(
        "--since-snapshot",
        nargs="?",
        const="previous",
        metavar="OLD",
        help="the Changes sheet lists what changed since a snapshot instead of since a date: previous (default), "
        "bundled, or a snapshot folder",
    )
    parser.add_argument("--out", metavar="DIR", help="output folder (default: reports/ in the current folder)")
    add_universe(parser)
    add_group(parser)
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the output (default: en)")
    parser.add_argument("--csv-sep", choices=(",", ";"), default=",",
                        help="separator of the CSV tables: ',' (default) or ';' with decimal commas, as Excel "
                        "reads a CSV file in a French (or other comma-decimal) locale")  # fmt: skip
    parser.add_argument("--briefs", action="store_true", help="also write a country brief per State (reports/briefs/)")
    add_brief_format(parser, "--brief-format")
    parser.add_argument(
        "--charts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw the charts into <out>/charts/ (default); --no-charts writes the workbook and CSV only, faster",
    )


def run(args: argparse.Namespace) -> int:
    from rt2gaps import service

    result = service.run(set=args.set_name, as_of=args.as_of, out=args.out, charts=args.charts, briefs=args.briefs,
                         brief_format=args.brief_format, lang=args.lang, group=args.group, universe=args.universe,
                         stale_after=args.stale_after, since=args.since, since_snapshot=args.since_snapshot,
                         csv_sep=args.csv_sep, progress=step)  # fmt: skip
    for line in result.lines:
        say(line)
    warn_mostly_unknown(result.mostly_unknown, result.lang, result.no_source)  # once written: one line
    return 0
