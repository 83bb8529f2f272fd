"""``python -m rt2gaps`` ends without the interpreter's teardown, and nothing is lost by it."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_leave_flushes_the_output_runs_the_exit_handlers_and_keeps_the_code() -> None:
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('handler ran'))\n"
            "from rt2gaps.cli import leave\n"
            "print('printed', end='')\n"
            "sys.stderr.write('said')\n"
            "leave(3)\n"
            "print('never')\n")  # fmt: skip
    result = run_python(code)
    assert (result.returncode, result.stdout, result.stderr) == (3, "printedhandler ran\n", "said")


def test_leave_waits_for_a_thread_still_running() -> None:
    code = ("import threading, time\n"
            "from rt2gaps.cli import leave\n"
            "threading.Thread(target=lambda: (time.sleep(0.2), print('thread done'))).start()\n"
            "leave(0)\n")  # fmt: skip
    result = run_python(code)
    assert (result.returncode, result.stdout) == (0, "thread done\n")


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["run", "--as-of", "someday"], 2)])
def test_python_m_rt2gaps_exit_codes(args: list[str], code: int) -> None:
    result = subprocess.run([sys.executable, "-m", "rt2gaps", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == code
    assert (result.stdout if code == 0 else result.stderr).strip()
