"""Time ``rt2gaps run`` and the ``gaps`` query against their import floors, in the same session.

Targets (issue 13): ``run`` (Excel, CSV and every chart, as ``rt2gaps run`` writes them) <= 3.5 x and
``run_tables`` (``run --no-charts``: Excel and CSV) <= 1.3 x
``import pandas, openpyxl, matplotlib.pyplot, pycountry``; ``run_briefs`` (``run --briefs``: every
State's Markdown brief and scorecard besides) <= 2.5 x ``run``;
``rt2gaps gaps --format csv`` <= 1.2 x ``import pandas``. Each command is a fresh interpreter, run
once to warm the disk cache and then ``--repeat`` times; the median wall time is compared. Every run
writes into a fresh temporary folder (nothing is reused between runs).

    python benchmarks/bench_run.py [--repeat 7] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

AS_OF = "2026-02-03"
TARGETS = {"run": ("floor_all", 3.5), "run_tables": ("floor_all", 1.3), "run_briefs": ("run", 2.5),
           "gaps": ("floor_pandas", 1.2)}  # fmt: skip


def commands() -> dict[str, list[str]]:
    python = sys.executable
    return {
        "floor_all": [python, "-c", "import pandas, openpyxl, matplotlib.pyplot, pycountry"],
        "floor_pandas": [python, "-c", "import pandas"],
        "run": [python, "-m", "rt2gaps", "run", "--as-of", AS_OF, "--out", "{fresh}"],
        "run_tables": [python, "-m", "rt2gaps", "run", "--no-charts", "--as-of", AS_OF, "--out", "{fresh}"],
        "run_briefs": [python, "-m", "rt2gaps", "run", "--briefs", "--as-of", AS_OF, "--out", "{fresh}"],
        "gaps": [python, "-m", "rt2gaps", "gaps", "--set", "rt2-priority", "--as-of", AS_OF, "--format", "csv"],
    }


def timed(command: Sequence[str], out_dir: str) -> float:
    """Wall seconds of one run; ``{fresh}`` becomes a new empty folder under ``out_dir`` (cold output).

    A failing command stops the benchmark.
    """
    fresh = tempfile.mkdtemp(dir=out_dir)
    concrete = [part.replace("{fresh}", fresh) for part in command]
    start = time.perf_counter()
    subprocess.run(concrete, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_seconds(repeat: int, out_dir: str) -> dict[str, float]:
    """Median wall time of each command over ``repeat`` rounds, after one warm-up round.

    The commands take turns within a round, so a busy spell on a shared machine hits the floors
    and the commands alike instead of one command's whole series.
    """
    times: dict[str, list[float]] = {name: [] for name in commands()}
    for round_number in range(repeat + 1):
        for name, command in commands().items():
            seconds = timed(command, out_dir)
            if round_number:  # round 0 only warms the disk cache
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is over its target")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rt2gaps-bench-") as out_dir:
        medians = median_seconds(args.repeat, out_dir)
    for name, seconds in medians.items():
        print(f"{name:<13} {seconds * 1000:8.0f} ms (median of {args.repeat})")
    print(f"load average while measured: {' '.join(f'{v:.1f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    over = False
    for name, (floor, target) in TARGETS.items():
        ratio = medians[name] / medians[floor]
        verdict = "ok" if ratio <= target else "OVER TARGET"
        over = over or ratio > target
        print(f"{name} / {floor}: {ratio:.2f} (target <= {target}) {verdict}")
    return 1 if (args.check and over) else 0


if __name__ == "__main__":
    raise SystemExit(main())
