"""How many State × instrument answers changed between two versions of rt2gaps, by old and new status.

Runs ``rt2gaps status`` from two source trees (the version before and after a change to the status
engine) on the same date and instruments, and counts the pairs whose status differs. Used for the
report on issue 9: ``python benchmarks/status_changes.py OLD_TREE NEW_TREE --set annex-b --as-of 2026-11-29``.
Each tree reads its own bundled snapshot; the user data folder is pointed at an empty temporary one.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def statuses(tree: Path, instruments: str, as_of: str) -> dict[tuple[str, str], str]:
    """(iso3, instrument) -> status, as the tree's own ``rt2gaps status`` answers."""
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "PYTHONPATH": str(tree), "RT2GAPS_DATA": empty}
        out = subprocess.run(
            [sys.executable, "-m", "rt2gaps", "status", "--as-of", as_of, "--instruments", instruments],
            cwd=tree, env=env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    return {(r["iso3"], r["instrument"]): r["status"] for r in csv.DictReader(io.StringIO(out))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="source tree of the version before")
    parser.add_argument("new", type=Path, help="source tree of the version after")
    parser.add_argument("--set", dest="set_name", default="annex-b")
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(args.new))
    from rt2gaps.catalogue import load_set

    instruments = ",".join(load_set(args.set_name).instruments)
    before = statuses(args.old, instruments, args.as_of)
    after = statuses(args.new, instruments, args.as_of)
    changed = Counter((before.get(k, ""), after.get(k, "")) for k in set(before) | set(after)
                      if before.get(k) != after.get(k))  # fmt: skip
    print(f"set {args.set_name}, as of {args.as_of}: {len(after)} pairs, {sum(changed.values())} changed")
    print("old status,new status,pairs")
    for (old, new), count in sorted(changed.items(), key=lambda item: (-item[1], item[0])):
        print(f"{old},{new},{count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
