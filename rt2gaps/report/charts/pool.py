"""The charts of a run: their list, and the worker processes that draw them beside the workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt2gaps.errors import Rt2gapsError
from rt2gaps.i18n import UiStrings
from rt2gaps.report.charts.accountability import ACCOUNTABILITY_CHARTS
from rt2gaps.report.charts.base import CHART_FORMATS, chart_stem, chart_style, new_figure, save_figure, slug
from rt2gaps.report.charts.coverage import coverage_bars, timelines_of_run
from rt2gaps.report.charts.maps import world_map
from rt2gaps.report.charts.matrices import gap_matrix_overview, gap_matrix_region
from rt2gaps.report.charts.migrants import MIGRANT_CHARTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from rt2gaps.report.tables import ReportData
    from rt2gaps.snapshot.store import Snapshot


def chart_builders(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> list[tuple[str, Callable[[], Figure]]]:
    """(name, builder) of every chart of a run, in the order a run writes them; nothing is drawn yet.

    Builders take no argument, so a worker process can build any chart by its position in the list.
    """
    builders: list[tuple[str, Callable[[], Figure]]] = [
        ("matrix_overview", partial(gap_matrix_overview, data, strings))
    ]
    for region in sorted(data.tables["matrix"]["region"].dropna().unique()):
        builders.append((f"matrix_{slug(region)}", partial(gap_matrix_region, data, region, strings)))
    builders.append(("coverage_bars", partial(coverage_bars, data, strings)))
    builders.append(("timelines", partial(timelines_of_run, data, snapshot, strings)))
    builders.append(("world_map", partial(world_map, data, strings)))
    builders.extend((name, partial(build, data, strings)) for name, build in MIGRANT_CHARTS.items())
    if "complaints_migrants" in data.tables:
        builders.extend((name, partial(build, data, strings)) for name, build in ACCOUNTABILITY_CHARTS.items())
    return builders


def build_charts(data: ReportData, snapshot: Snapshot, strings: UiStrings) -> Iterator[tuple[str, Figure]]:
    """(name, figure) of every chart of a run, one at a time so each can be saved and freed."""
    for name, build in chart_builders(data, snapshot, strings):
        yield name, build()


def write_charts(
    data: ReportData, snapshot: Snapshot, out_dir: Path, lang: str = "en", formats: Sequence[str] = CHART_FORMATS
) -> list[Path]:
    """Every chart of a run into ``out_dir`` (``reports/charts/``) as PNG and SVG, drawn here; returns the files."""
    return ChartPool(snapshot, workers=1).start(data, out_dir, lang, formats).result()


# --- charts in worker processes -----------------------------------------------------------------

# matplotlib and the font loaded in the parent before the fork, once, instead of in each worker while the
# parent builds the data: the same wall time on a quiet machine, ~0.5 s less CPU per run (medians of 5).
WARM_BEFORE_FORK = True
CHART_WORKERS = 2  # the machines this runs on have 2 cores; the caller's process writes the workbook meanwhile


class ChartError(Rt2gapsError):
    """A chart could not be drawn or written: one line naming the chart, exit code 1 (not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class _ChartTask:
    """Everything needed to draw any chart of a run by its position among the builders."""

    data: ReportData
    builders: list[tuple[str, Callable[[], Figure]]]
    out_dir: Path
    lang: str
    formats: tuple[str, ...]


def _task(data: ReportData, snapshot: Snapshot, out_dir: Path, lang: str, formats: Sequence[str]) -> _ChartTask:
    return _ChartTask(data, chart_builders(data, snapshot, UiStrings(lang)), Path(out_dir), lang, tuple(formats))


def _draw(task: _ChartTask, position: int) -> list[Path]:
    """Build and save one chart, by its position among the builders; returns the files."""
    name, build = task.builders[position]
    with chart_style():
        return save_figure(build(), task.out_dir, chart_stem(task.data, name, task.lang), task.formats)


def _failed(name: str, exc: Exception) -> ChartError:
    return ChartError(f"chart {name} could not be written: {type(exc).__name__}: {exc}")


# In a forked worker: the snapshot inherited from the parent at fork time, and the last task unpickled.
_FORKED_SNAPSHOT: Snapshot | None = None
_WORKER_TASK: tuple[bytes, _ChartTask] | None = None


def _die_with(parent: int) -> None:
    """In a worker: end when the parent process ends, however it ends (even SIGKILL), and leave Ctrl-C to it.

    Linux delivers SIGKILL at the parent's death (``PR_SET_PDEATHSIG``); elsewhere, and in case the parent
    died before that was set, a thread watches the parent's pid. The parent stops its workers itself on
    SIGINT/SIGTERM, so a worker ignores the terminal's SIGINT (no traceback from every worker).
    """
    import os
    import signal
    import sys
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import contextlib
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.25)
        os._exit(1)  # the parent is gone: nothing this worker writes would be used

    threading.Thread(target=watch, name="rt2gaps-parent-watch", daemon=True).start()


def _warm_up(parent: int | None = None) -> None:
    """Worker initializer: die with the parent; load matplotlib, the font and its glyphs once (unless the
    parent did before forking)."""
    if parent is not None:
        _die_with(parent)
    import sys

    if "matplotlib.backends.backend_agg" in sys.modules:
        return
    with chart_style():
        figure = new_figure(1.0, 2.0)
        figure.text(0.1, 0.5, "Warm-up 0123456789 %", fontsize=7)
        figure.text(0.1, 0.2, "Warm-up", fontsize=7, fontweight="bold", fontstyle="italic")
        figure.canvas.draw()


def _ready() -> None:
    """A no-op task: submitting it makes the executor fork its workers at once."""


def _draw_in_worker(pickled: bytes, position: int) -> list[str]:
    """``_draw`` in a forked worker; the run's data arrives pickled and is unpickled once per worker."""
    import pickle

    global _WORKER_TASK
    if _WORKER_TASK is None or _WORKER_TASK[0] != pickled:
        data, out_dir, lang, formats = pickle.loads(pickled)
        assert _FORKED_SNAPSHOT is not None, "charts worker forked without a snapshot"
        _WORKER_TASK = (pickled, _task(data, _FORKED_SNAPSHOT, out_dir, lang, formats))
    return [str(p) for p in _draw(_WORKER_TASK[1], position)]


class ChartPool:
    """Worker processes for a run's charts, forked early, with matplotlib loaded (``WARM_BEFORE_FORK``).

    Forked (``fork`` start method) right after the snapshot is loaded, the workers share it without
    pickling; the report data, once built, is pickled once (about 0.4 MB, 10 ms) and sent with each
    chart. Each chart is written through a temporary file, so a failure leaves no half-written file.
    Where ``fork`` is not available, or with one worker, ``start`` draws in this process instead.
    Use as a context manager, or call ``close``.
    """

    def __init__(self, snapshot: Snapshot, workers: int = CHART_WORKERS) -> None:
        import multiprocessing
        import os

        global _FORKED_SNAPSHOT
        self.snapshot = snapshot
        self.executor: Any = None
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            _FORKED_SNAPSHOT = snapshot
            if WARM_BEFORE_FORK:
                _warm_up()  # matplotlib and the font loaded once here, inherited by every worker
            try:
                context = multiprocessing.get_context("fork")
                self.executor = ProcessPoolExecutor(
                    workers, mp_context=context, initializer=_warm_up, initargs=(os.getpid(),)
                )
                self.executor.submit(_ready)  # forks every worker now
            finally:
                _FORKED_SNAPSHOT = None  # only the workers keep it

    def start(
        self, data: ReportData, out_dir: Path, lang: str = "en", formats: Sequence[str] = CHART_FORMATS
    ) -> ChartJob:
        """Start drawing every chart of the run; ``.result()`` on the job waits for the files."""
        import pickle

        Path(out_dir).mkdir(parents=True, exist_ok=True)
        task = _task(data, self.snapshot, Path(out_dir), lang, formats)
        if self.executor is None:
            return ChartJob(task, [])
        pickled = pickle.dumps((data, Path(out_dir), lang, tuple(formats)), protocol=pickle.HIGHEST_PROTOCOL)
        return ChartJob(task, [self.executor.submit(_draw_in_worker, pickled, n) for n in range(len(task.builders))])

    def submit(self, function: Callable[..., Any], /, *args: Any) -> Any:
        """``function(*args)`` in a worker, as a future; without workers it runs here, now (same interface).

        ``function`` must be a module-level function and ``args`` picklable (e.g. the report data).
        """
        if self.executor is not None:
            return self.executor.submit(function, *args)
        from concurrent.futures import Future

        done: Future = Future()
        try:
            done.set_result(function(*args))
        except Exception as exc:  # re-raised by .result(), as a worker's would be
            done.set_exception(exc)
        return done

    def close(self) -> None:
        """Stop the workers; charts not started are not drawn (for when the caller fails first)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Stop the workers now, in the middle of a chart (SIGINT/SIGTERM): nothing more is drawn or written."""
        if self.executor is None:
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:  # SIGKILL: a forked worker still holds the parent's SIGTERM handler, which
            process.kill()  # would raise inside it and print a traceback; it writes only to the staging folder
        for process in processes:
            process.join(5)
        manager = getattr(self.executor, "_executor_manager_thread", None)  # shutdown() forgets it
        self.executor.shutdown(wait=False, cancel_futures=True)
        if manager is not None:  # it closes its wake-up pipe as it ends; Python's exit hook would otherwise
            manager.join(5)  # race it and print an EBADF traceback after "stopped by SIGTERM"
        self.executor = None

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ChartJob:
    """Charts being drawn: ``result`` waits and returns every file in chart order (as ``write_charts`` does).

    A chart that fails stops the job with one ``ChartError`` naming it (the caller's run exits 1).
    Without futures, ``result`` draws the charts in this process.
    """

    def __init__(self, task: _ChartTask, futures: list[Any]) -> None:
        self.task = task
        self.futures = futures

    def result(self) -> list[Path]:
        written: list[Path] = []
        for position, (name, _) in enumerate(self.task.builders):
            try:
                if self.futures:
                    written.extend(Path(p) for p in self.futures[position].result())
                else:
                    written.extend(_draw(self.task, position))
            except Exception as exc:
                for future in self.futures:
                    future.cancel()
                raise _failed(name, exc) from exc
        return written
