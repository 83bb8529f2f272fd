"""Time ``rt2gaps run`` and the ``gaps`` query against their import floors, in the same session.

Targets (issue): run (Excel + CSV) <= 2.0 x ``import pandas, openpyxl, matplotlib.pyplot, pycountry``;
``rt2gaps gaps --format csv`` <= 1.2 x ``import pandas``. Each command is a fresh interpreter, run
once to warm the disk cache and then ``--repeat`` times; the median wall time is compared.

    python benchmarks/bench_run.py [--repeat 7] [--check]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

AS_OF = "2026-02-03"
TARGETS = {"run": ("floor_all", 2.0), "gaps": ("floor_pandas", 1.2)}


def commands(out_dir: str) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "floor_all": [python, "-c", "import pandas, openpyxl, matplotlib.pyplot, pycountry"],
        "floor_pandas": [python, "-c", "import pandas"],
        "run": [python, "-m", "rt2gaps", "run", "--as-of", AS_OF, "--out", out_dir],
        "gaps": [python, "-m", "rt2gaps", "gaps", "--set", "rt2-priority", "--as-of", AS_OF, "--format", "csv"],
    }


def median_seconds(command: Sequence[str], repeat: int) -> float:
    """Median wall time of ``repeat`` runs after one warm-up run; a failing command stops the benchmark."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is over its target")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rt2gaps-bench-") as out_dir:
        medians = {name: median_seconds(command, args.repeat) for name, command in commands(out_dir).items()}
    for name, seconds in medians.items():
        print(f"{name:<13} {seconds * 1000:8.0f} ms (median of {args.repeat})")
    over = False
    for name, (floor, target) in TARGETS.items():
        ratio = medians[name] / medians[floor]
        verdict = "ok" if ratio <= target else "OVER TARGET"
        over = over or ratio > target
        print(f"{name} / {floor}: {ratio:.2f} (target <= {target}) {verdict}")
    return 1 if (args.check and over) else 0


if __name__ == "__main__":
    raise SystemExit(main())
