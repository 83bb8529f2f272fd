"""Time ``rt2gaps run`` and the ``gaps`` query against their import floors, in the same session.

Targets (issue 20): ``run`` (Excel, CSV and every chart, as ``rt2gaps run`` writes them) <= 3.5 x and
``run_tables`` (``run --no-charts``: Excel and CSV) <= 1.5 x
``import pandas, openpyxl, matplotlib.pyplot, pycountry``; ``rt2gaps gaps --format csv`` <= 0.8 x
``import pandas``; and (issue 13) ``run_briefs`` (``run --briefs``: every State's Markdown brief and
scorecard besides) <= 2.5 x ``run``. Each command is a fresh interpreter, run once to warm the disk
cache and then ``--repeat`` times; the median wall time is compared. Every run writes into a fresh
temporary folder (nothing is reused between runs).

The CPU time of each command (user + system of the process and its chart workers) is printed too:
on a shared machine it moves less than wall time. For ``run`` the wall time on 2 cores is what the
target is about (the charts are drawn by two workers); CPU seconds say how much work there is.

    python benchmarks/bench_run.py [--repeat 7] [--check]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

AS_OF = "2026-02-03"
TARGETS = {"run": ("floor_all", 3.5), "run_tables": ("floor_all", 1.5), "run_briefs": ("run", 2.5),
           "gaps": ("floor_pandas", 0.8)}  # fmt: skip


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


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: Sequence[str], out_dir: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run; ``{fresh}`` becomes a new empty folder under ``out_dir``.

    The CPU time counts the chart workers too (they are waited for before the command exits). A
    failing command stops the benchmark.
    """
    fresh = tempfile.mkdtemp(dir=out_dir)
    concrete = [part.replace("{fresh}", fresh) for part in command]
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(concrete, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def median_seconds(repeat: int, out_dir: str) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU time of each command over ``repeat`` rounds, after one warm-up round.

    The commands take turns within a round, so a busy spell on a shared machine hits the floors
    and the commands alike instead of one command's whole series.
    """
    walls: dict[str, list[float]] = {name: [] for name in commands()}
    cpus: dict[str, list[float]] = {name: [] for name in commands()}
    for round_number in range(repeat + 1):
        for name, command in commands().items():
            wall, cpu = timed(command, out_dir)
            if round_number:  # round 0 only warms the disk cache
                walls[name].append(wall)
                cpus[name].append(cpu)
    return ({name: statistics.median(values) for name, values in walls.items()},
            {name: statistics.median(values) for name, values in cpus.items()})  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is over its target")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rt2gaps-bench-") as out_dir:
        medians, cpu_medians = median_seconds(args.repeat, out_dir)
    for name, seconds in medians.items():
        cpu = cpu_medians[name]
        print(f"{name:<13} {seconds * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU (medians of {args.repeat})")
    print(f"load average while measured: {' '.join(f'{v:.1f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    over = False
    for name, (floor, target) in TARGETS.items():
        ratio = medians[name] / medians[floor]
        verdict = "ok" if ratio <= target else "OVER TARGET"
        over = over or ratio > target
        cpu_ratio = cpu_medians[name] / cpu_medians[floor]
        print(f"{name} / {floor}: {ratio:.2f} (target <= {target}) {verdict}; CPU time ratio {cpu_ratio:.2f}")
    return 1 if (args.check and over) else 0


if __name__ == "__main__":
    raise SystemExit(main())
