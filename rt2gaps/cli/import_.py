"""Import pages saved from a browser (UNTC, MTDSG XML, NORMLEX), or a ratification table (CSV, Excel)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="saved page(s) to import, or one table (.csv or .xlsx: country, instrument, action, "
                        "date, note)")  # fmt: skip
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the pages were saved (default: page stamp, "
                        "else the file's modification date); a table: required, the date it speaks for")  # fmt: skip
    parser.add_argument("--source", metavar="TEXT", help="a table only (required): where it comes from")
    parser.add_argument("--complete", action="store_true", help="a table only: it lists every act up to --as-of, "
                        "so the States it does not list are 'none' (default: it adds to what was known)")  # fmt: skip
    parser.add_argument("--instrument", metavar="ID", help="the file is NORMLEX's ratification table of this ILO "
                        "convention copied from its page (Country, Date, Status, Note; tab- or comma-separated "
                        "text or .xlsx): complete as of --as-of unless --partial")  # fmt: skip
    parser.add_argument("--partial", action="store_true", help="with --instrument: the copy is only part of the "
                        "page's table (it adds to what was known)")  # fmt: skip
    parser.add_argument("--data", type=Path, help="user data folder (default: $RT2GAPS_DATA or the platform's)")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.cli.fetch import end_with_report
    from rt2gaps.cli.options import source_date
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.output import writable_folder
    from rt2gaps.refresh.importer import import_files, import_table, is_user_table
    from rt2gaps.snapshot.userdata import data_dir

    if args.instrument is not None or args.partial:
        return _run_copied_table(args)
    tables = [path for path in args.files if is_user_table(path)]
    if tables and len(args.files) > 1:
        raise Rt2gapsError(f"import one table at a time, without saved pages (given: {len(args.files)} files)")
    if not tables and (args.source is not None or args.complete):
        raise Rt2gapsError("--source and --complete are for a table (.csv or .xlsx), not for saved pages")
    if tables and (args.source is None or args.as_of is None):
        raise Rt2gapsError(f"{tables[0]}: a table needs --source TEXT (where it comes from) and --as-of YYYY-MM-DD "
                           "(the date it speaks for)")  # fmt: skip
    data = writable_folder(data_dir(args.data), "--data or RT2GAPS_DATA")  # checked before any file is read
    if tables:
        report = import_table(tables[0], data, args.source, source_date(args.as_of), args.complete)
    else:
        report = import_files(args.files, data, source_date(args.as_of) if args.as_of else None)
    return end_with_report(report, "import")


def _run_copied_table(args: argparse.Namespace) -> int:
    """``import FILE --instrument ID``: NORMLEX's table of one convention, as a browser copies it."""
    from rt2gaps.catalogue import parse_instrument_ids
    from rt2gaps.cli.fetch import end_with_report
    from rt2gaps.cli.options import source_date
    from rt2gaps.errors import Rt2gapsError
    from rt2gaps.output import writable_folder
    from rt2gaps.refresh.importer import import_table
    from rt2gaps.snapshot.userdata import data_dir

    if args.instrument is None:
        raise Rt2gapsError("--partial is for a copied NORMLEX table: give --instrument ID too")
    if len(args.files) > 1:
        raise Rt2gapsError(f"--instrument: import one copied table at a time (given: {len(args.files)} files)")
    if args.complete:
        raise Rt2gapsError("--complete: a copied NORMLEX table is complete unless --partial is given")
    if args.source is None or args.as_of is None:
        raise Rt2gapsError(f"{args.files[0]}: a copied table needs --source TEXT (where it comes from) and --as-of "
                           "YYYY-MM-DD (the day it was copied)")  # fmt: skip
    ids = parse_instrument_ids(args.instrument)
    if len(ids) != 1:
        raise Rt2gapsError(f"--instrument {args.instrument!r}: one convention, the one whose page the table comes from")
    instrument = ids[0]
    data = writable_folder(data_dir(args.data), "--data or RT2GAPS_DATA")
    report = import_table(args.files[0], data, args.source, source_date(args.as_of), not args.partial, instrument)
    return end_with_report(report, "import")
