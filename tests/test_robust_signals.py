"""Issue 14: killing `rt2gaps run` stops its chart workers, and a stopped run leaves no file under a final name.

Reproduction from the issue: SIGTERM or SIGKILL to `rt2gaps run` left both workers running, writing,
then sleeping forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc (Linux)")


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def final_files(out: Path) -> list[str]:
    """Files a run left under their final names (a killed run's hidden staging folder is not one)."""
    if not out.exists():
        return []
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
                  and not any(part.startswith(".rt2gaps-run.") for part in p.relative_to(out).parts))  # fmt: skip


@pytest.mark.parametrize(("sent", "expected"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_a_stopped_run_takes_its_workers_with_it(tmp_path: Path, sent: int, expected: int) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "rt2gaps", "run", "--as-of", "2026-02-03", "--out", str(out)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        workers: set[int] = set()
        limit = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < limit and process.poll() is None:
            time.sleep(0.05)
            workers = children(process.pid)
        assert len(workers) >= 2, "the chart workers were never forked"
        time.sleep(0.5)  # the workers are drawing now
        process.send_signal(sent)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == expected, err
    if sent != signal.SIGKILL:
        assert err.decode().strip().splitlines() == [f"rt2gaps: stopped by {signal.Signals(sent).name}"]
    limit = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < limit:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
    assert final_files(out) == []


def test_a_terminated_pool_leaves_nothing_for_the_exit_hook_to_race() -> None:
    """After ``terminate`` the pool's manager thread has ended and closed its wake-up pipe.

    Python's exit hook for process pools writes to that pipe; while the thread was still closing it,
    a stopped run printed an EBADF traceback after "stopped by SIGTERM" (seen twice in CI).
    """
    from rt2gaps.api import current_snapshot
    from rt2gaps.report.charts.pool import ChartPool

    pool = ChartPool(current_snapshot(), 2)
    if pool.executor is None:
        pytest.skip("no fork start method here: the pool draws in this process")
    manager = pool.executor._executor_manager_thread
    wakeup = pool.executor._executor_manager_thread_wakeup
    pool.terminate()
    assert not manager.is_alive() and wakeup._closed
    pool.terminate()  # a second stop (the outer handler of run) is harmless


def test_sigterm_stops_a_fetch_waiting_on_a_silent_server_at_once(tmp_path: Path) -> None:
    import socketserver
    import threading

    class Silent(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            time.sleep(20)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Silent)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "rt2gaps", "fetch", "--source", "untc", "--instruments", "ICRMW,ICCPR",
               "--mirror", f"http://127.0.0.1:{server.server_address[1]}", "--retries", "0",
               "--data", str(tmp_path / "data"), "--cache", str(tmp_path / "cache")]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(3)  # started, and waiting on the server
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert time.monotonic() - sent < 5
    finally:
        if process.poll() is None:
            process.kill()
        server.shutdown()
    assert process.returncode == 143, err
    assert not (tmp_path / "data" / "snapshot").exists()
