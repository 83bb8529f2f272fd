"""Where the time of ``rt2gaps run`` goes: each phase timed in one process, the charts one by one.

Not the benchmark (``bench_run.py`` times whole cold runs): this draws the charts serially, in
this process, so each one's cost can be read apart. CPU seconds of this process (``process_time``)
are printed next to wall seconds, since the shared machine is often busy.

    python benchmarks/run_phases.py [--lang en]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

AS_OF = "2026-02-03"


class Clock:
    """Wall and CPU seconds since the last ``lap``."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, label: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        print(f"{label:<44} {(wall - self.wall) * 1000:7.0f} ms wall {(cpu - self.cpu) * 1000:7.0f} ms CPU")
        self.wall, self.cpu = wall, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=("en", "fr"))
    args = parser.parse_args(argv)
    clock = Clock()
    start = Clock()
    import pandas  # noqa: F401

    clock.lap("import pandas")
    from datetime import date

    from rt2gaps.api import current_snapshot
    from rt2gaps.catalogue import load_set
    from rt2gaps.i18n import UiStrings
    from rt2gaps.report import build_report_data, write_report
    from rt2gaps.report import charts as charts_module

    clock.lap("import rt2gaps (report)")
    snapshot = current_snapshot()
    clock.lap("current_snapshot")
    data = build_report_data(load_set("rt2-priority"), snapshot, date.fromisoformat(AS_OF))
    clock.lap("build_report_data")
    with tempfile.TemporaryDirectory(prefix="rt2gaps-phases-") as out:
        write_report(data, Path(out), args.lang)
        clock.lap("write_report (xlsx + CSV)")
        import matplotlib.figure  # noqa: F401
        from matplotlib.backends import backend_agg, backend_svg  # noqa: F401

        clock.lap("import matplotlib (figure, agg, svg)")
        for name, build in charts_module.chart_builders(data, snapshot, UiStrings(args.lang)):
            figure = build()
            clock.lap(f"{name}: build")
            for fmt in charts_module.CHART_FORMATS:
                charts_module.save_figure(figure, Path(out), name, (fmt,))
                clock.lap(f"{name}: {fmt}")
    start.lap("total (charts serial, in one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
