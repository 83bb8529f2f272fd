"""Time panels, the one-date ``status`` and ``gaps`` against ``python -c "import pandas"``, in one session.

Targets (issue 11): a yearly panel 1990-12-31 ... 2025-12-31 of every instrument and State through
``rt2gaps.panel`` <= 1.5 x the floor; a monthly panel from 1945-01-31 to today <= 3 x and at most
400 MiB peak memory; ``rt2gaps status`` on one date <= 1.2 x; ``rt2gaps gaps`` <= 0.8 x. Each command
is a fresh interpreter; one warm-up round (it also fills the spells cache, as the first command
after a new snapshot does), then ``--repeat`` rounds in which the commands take turns; medians are
compared. ``spells_cold`` computes the spells with an empty cache folder every time (what the first
command after a refresh pays), for information.

    python benchmarks/bench_history.py [--repeat 5] [--check]
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
TARGETS = {"panel_yearly": 1.5, "panel_monthly": 3.0, "status": 1.2, "gaps": 0.8}
MEMORY_TARGET_MIB = {"panel_monthly": 400}
PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=__import__('sys').stderr)"
YEARLY = f"""
import pandas as pd, rt2gaps
frame = rt2gaps.panel(pd.date_range("1990-12-31", "2025-12-31", freq="YE"))
assert len(frame) > 300_000
{PEAK}
"""
MONTHLY = f"""
import datetime, pandas as pd, rt2gaps
frame = rt2gaps.panel(pd.date_range("1945-01-31", datetime.date.today(), freq="ME"))
assert len(frame) > 8_000_000
{PEAK}
"""
COLD = """
from rt2gaps.api import current_snapshot
from rt2gaps.history import spell_table
spell_table(current_snapshot())
"""


def commands() -> dict[str, list[str]]:
    python = sys.executable
    return {
        "floor_pandas": [python, "-c", f"import pandas\n{PEAK}"],
        "panel_yearly": [python, "-c", YEARLY],
        "panel_monthly": [python, "-c", MONTHLY],
        "status": [python, "-m", "rt2gaps", "status", "--as-of", AS_OF],
        "gaps": [python, "-m", "rt2gaps", "gaps", "--set", "rt2-priority", "--as-of", AS_OF, "--format", "csv"],
        "spells_cold": [python, "-c", COLD],
    }


def timed(name: str, command: Sequence[str], cache: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak resident KiB of one run (a failure stops the benchmark)."""
    env = dict(os.environ, RT2GAPS_CACHE=tempfile.mkdtemp(dir=cache) if name == "spells_cold" else cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = done.stderr.strip().splitlines()[-1:] or ["0"]
    return seconds, cpu, int(last[0]) if last[0].isdigit() else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio or the memory is over target")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {name: [] for name in commands()}
    cpus: dict[str, list[float]] = {name: [] for name in commands()}
    peaks: dict[str, int] = dict.fromkeys(commands(), 0)
    with tempfile.TemporaryDirectory(prefix="rt2gaps-bench-") as cache:
        for round_number in range(args.repeat + 1):
            for name, command in commands().items():
                seconds, cpu, peak = timed(name, command, cache)
                peaks[name] = max(peaks[name], peak)
                if round_number:  # round 0 warms the disk and fills the spells cache
                    times[name].append(seconds)
                    cpus[name].append(cpu)
    medians = {name: statistics.median(values) for name, values in times.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpus.items()}
    for name, seconds in medians.items():
        memory = f"  peak {peaks[name] / 1024:5.0f} MiB" if peaks[name] else ""
        print(f"{name:<14} {seconds * 1000:7.0f} ms wall, {cpu_medians[name] * 1000:6.0f} ms CPU "
              f"(medians of {args.repeat}){memory}")  # fmt: skip
    over = False
    for name, target in TARGETS.items():
        ratio = medians[name] / medians["floor_pandas"]
        over = over or ratio > target
        cpu_ratio = cpu_medians[name] / cpu_medians["floor_pandas"]
        verdict = "ok" if ratio <= target else "OVER TARGET"
        print(f"{name} / floor_pandas: {ratio:.2f} wall (target <= {target}) {verdict}; {cpu_ratio:.2f} CPU")
    for name, limit in MEMORY_TARGET_MIB.items():
        mib = peaks[name] / 1024
        over = over or mib > limit
        print(f"{name} peak memory: {mib:.0f} MiB (target <= {limit}) {'ok' if mib <= limit else 'OVER TARGET'}")
    return 1 if (args.check and over) else 0


if __name__ == "__main__":
    raise SystemExit(main())
