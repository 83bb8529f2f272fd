"""Import pages saved from a browser (UNTC, MTDSG XML, NORMLEX) into a new user snapshot."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="saved page(s) to import")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the pages were saved (default: page stamp, "
                        "else the file's modification date)")  # fmt: skip
    parser.add_argument("--data", type=Path, help="user data folder (default: $RT2GAPS_DATA or the platform's)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.cli.fetch import end_with_report
    from rt2gaps.cli.options import as_of_date
    from rt2gaps.output import writable_folder
    from rt2gaps.refresh.importer import import_files
    from rt2gaps.refresh.userdata import data_dir

    data = writable_folder(data_dir(args.data), "--data or RT2GAPS_DATA")  # checked before any file is read
    report = import_files(args.files, data, as_of_date(args.as_of) if args.as_of else None)
    return end_with_report(report, "import")
