"""Build the snapshot from raw sources, or say which snapshot is in use."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="regenerate the snapshot from the raw source files")
    build.add_argument("--sources", type=Path, help="raw sources folder (default: ../shared/sources)")
    build.add_argument("--out", type=Path, help="snapshot folder to write (default: the bundled data/snapshot)")
    build.add_argument(
        "--reference-out", type=Path, help="migrant and GCM vote tables folder to write (default: data/reference)"
    )
    actions.add_parser("info", help="which snapshot is in use, its sources and as-of dates")


def run(args: argparse.Namespace) -> int:
    from rt2gaps.paths import BUNDLED_SNAPSHOT_DIR, IN_CHECKOUT, shared_sources_dir

    if args.action == "build":
        from rt2gaps.errors import Rt2gapsError
        from rt2gaps.snapshot.build import SNAPSHOT_FILES, build_snapshot
        from rt2gaps.snapshot.reference import (
            EMIGRANTS_FILE,
            GCM_VOTE_FILE,
            MIGRANT_STOCK_FILE,
            REFERENCE_DIR,
            compile_reference,
        )
        from rt2gaps.snapshot.schema import MANIFEST_FILE
        from rt2gaps.snapshot.write import check_own_folder, write_folder_atomically

        if not IN_CHECKOUT and not (args.out and args.reference_out):
            # an installed package's bundled snapshot is read-only: only a checkout's data/ is rebuilt in place
            raise Rt2gapsError(
                f"snapshot build rewrites a checkout's data/ folder; this rt2gaps is installed "
                f"({BUNDLED_SNAPSHOT_DIR.parent} is read-only): pass --out DIR and --reference-out DIR, "
                "or run it in a clone of the repository"
            )
        out = args.out or BUNDLED_SNAPSHOT_DIR
        reference_out = args.reference_out or REFERENCE_DIR
        # a folder of the user's own files is refused before any work: rt2gaps replaces only its own folders
        check_own_folder(out, SNAPSHOT_FILES, "snapshot folder")
        reference_names = (MIGRANT_STOCK_FILE, EMIGRANTS_FILE, GCM_VOTE_FILE, MANIFEST_FILE)
        check_own_folder(reference_out, reference_names, "reference folder")
        sources = args.sources or shared_sources_dir()
        if not sources.is_dir():
            raise Rt2gapsError(
                f"no raw sources folder at {sources}: pass --sources DIR or set RT2GAPS_SHARED "
                "(the README's 'Where the facts come from' says where the files come from)"
            )
        reference = compile_reference(sources)  # checked before anything is written
        result = build_snapshot(sources, out)
        write_folder_atomically(reference_out, reference.files, allowed=reference_names, what="reference folder")
        from rt2gaps.cli.options import say

        say(f"wrote {reference_out}: {', '.join(reference.files)}", err=True)
        passed = sum(c.ok for c in result.checks)
        say(
            f"wrote {out}: {len(result.events)} events, {len(result.states)} States, "
            f"{len(result.manifest['instruments'])} instruments with a source; {passed} checks passed",
            err=True,
        )
        return 0
    from rt2gaps.api import current_snapshot
    from rt2gaps.snapshot.userdata import describe_snapshot_dir

    snapshot = current_snapshot()
    print(f"snapshot: {snapshot.folder} ({describe_snapshot_dir(snapshot.folder)})")
    for key, source in snapshot.manifest.get("sources", {}).items():
        print(f"  source {key}: {source.get('format', '')}, as of {source.get('as_of', '')}")
    from rt2gaps.sources.user_table import USER_TABLE_KEY, user_table_label

    for instrument_id, entry in snapshot.manifest["instruments"].items():
        table = f" ({user_table_label(entry[USER_TABLE_KEY])})" if USER_TABLE_KEY in entry else ""
        print(f"  {instrument_id:<16} as of {entry['source_as_of']}  {entry['source_file']}{table}")
    for instrument_id in snapshot.manifest["no_source"]:
        print(f"  {instrument_id:<16} no source: status unknown")
    return 0
